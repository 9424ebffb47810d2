/*
 * check_ring.c: the shared-ring transport against a ring in host memory —
 * messages larger than the ring, index wrap-around, notifications, many
 * guests at once, and RELEASE tearing a guest's connection down.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

static struct th *t;
static struct th_client *d0;

static void setup(void)
{
    t = th_new();
    d0 = th_dom0(t);
    ck_assert_str_eq(th_do(d0, XS_MKDIR, 0, "/local/domain/1|"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, "/local/domain/1|n1|"), "OK|");
}

static void teardown(void)
{
    th_client_free(d0);
    th_free(t);
}

START_TEST(payload_larger_than_ring)
{
    struct th_client *g = th_guest(t, 1);
    char args[4000];
    const char *r;

    /* a reply of ~4 KiB through a 1 KiB ring */
    memset(args, 'z', sizeof(args));
    memcpy(args, "/local/domain/1/big|", 20);
    args[sizeof(args) - 1] = '\0';
    ck_assert_str_eq(th_do(d0, XS_WRITE, 0, args), "OK|");
    r = th_do(g, XS_READ, 0, "big|");
    ck_assert_uint_eq(strlen(r), sizeof(args) - 21);
    ck_assert_str_eq(r, args + 20);
    /* and a request of ~2 KiB (the node-size quota allows 2048) */
    memcpy(args + 16, "/mid|", 5);
    args[16 + 5 + 1900] = '\0';
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, args + 16 + 1), "OK|");
    ck_assert_uint_eq(strlen(th_do(d0, XS_READ, 0, "/local/domain/1/mid|")), 1900);
    th_client_free(g);
}
END_TEST

START_TEST(indexes_wrap_around)
{
    struct th_client *g = th_guest(t, 1);
    struct xenstore_domain_interface *ring = th_ring(g);
    unsigned i;

    /* start near the top of the 32-bit index space */
    ring->req_cons = ring->req_prod = 0xfffffff0u;
    ring->rsp_cons = ring->rsp_prod = 0xffffff00u;
    for (i = 0; i < 200; i++) {
        char args[32], expect[16];

        snprintf(args, sizeof(args), "k|%u", i);
        snprintf(expect, sizeof(expect), "%u", i);
        ck_assert_str_eq(th_do(g, XS_WRITE, 0, args), "OK|");
        ck_assert_str_eq(th_do(g, XS_READ, 0, "k|"), expect);
    }
    ck_assert_uint_lt(ring->req_prod, 0x10000u); /* it did wrap */
    th_client_free(g);
}
END_TEST

START_TEST(daemon_notifies_guest)
{
    struct th_client *g = th_guest(t, 1);
    unsigned before = t->notifies;

    ck_assert_str_eq(th_do(g, XS_READ, 0, "/local/domain/1|"), "");
    ck_assert_uint_gt(t->notifies, before);
    th_client_free(g);
}
END_TEST

START_TEST(several_guests_interleaved)
{
    struct th_client *g[4];
    char args[64];
    unsigned i, round;

    for (i = 0; i < 4; i++) {
        g[i] = th_guest(t, 10 + i);
        snprintf(args, sizeof(args), "/local/domain/%u|", 10 + i);
        ck_assert_str_eq(th_do(d0, XS_MKDIR, 0, args), "OK|");
        snprintf(args, sizeof(args), "/local/domain/%u|n%u|", 10 + i, 10 + i);
        ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, args), "OK|");
    }
    for (round = 0; round < 20; round++)
        for (i = 0; i < 4; i++) {
            snprintf(args, sizeof(args), "v|%u-%u", i, round);
            ck_assert_str_eq(th_do(g[i], XS_WRITE, 0, args), "OK|");
        }
    for (i = 0; i < 4; i++) {
        char expect[16];

        snprintf(args, sizeof(args), "/local/domain/%u/v|", 10 + i);
        snprintf(expect, sizeof(expect), "%u-19", i);
        ck_assert_str_eq(th_do(d0, XS_READ, 0, args), expect);
        th_client_free(g[i]);
    }
}
END_TEST

START_TEST(release_drops_guest_state)
{
    struct th_client *g = th_guest(t, 1);
    unsigned before;

    ck_assert_str_eq(th_do(g, XS_WATCH, 0, "w|t|"), "OK|");
    (void)th_txn(g);
    before = xs_daemon_conn_count(t->d);
    ck_assert_str_eq(th_do(d0, XS_RELEASE, 0, "1|"), "OK|");
    ck_assert_uint_eq(xs_daemon_conn_count(t->d), before - 1);
    /* the guest's requests now go nowhere */
    ck_assert_str_eq(th_do(g, XS_READ, 0, "w|"), "NO-REPLY");
    th_client_free(g);
}
END_TEST

Suite *suite_ring(void)
{
    Suite *s = suite_create("ring");
    TCase *tc = tcase_create("ring");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, payload_larger_than_ring);
    tcase_add_test(tc, indexes_wrap_around);
    tcase_add_test(tc, daemon_notifies_guest);
    tcase_add_test(tc, several_guests_interleaved);
    tcase_add_test(tc, release_drops_guest_state);
    suite_add_tcase(s, tc);
    return s;
}
