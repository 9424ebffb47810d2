/*
 * check_basic.c: every request type's success path and its plain errors,
 * as dom0's tools see them over the socket.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

static struct th *t;
static struct th_client *c;

static void setup(void)
{
    t = th_new();
    c = th_dom0(t);
}

static void teardown(void)
{
    th_client_free(c);
    th_free(t);
}

START_TEST(write_read_creates_parents)
{
    ck_assert_str_eq(th_do(c, XS_WRITE, 0, "/a/b/c|hello"), "OK|");
    ck_assert_str_eq(th_do(c, XS_READ, 0, "/a/b/c|"), "hello");
    ck_assert_str_eq(th_do(c, XS_READ, 0, "/a/b|"), "");
    ck_assert_str_eq(th_do(c, XS_DIRECTORY, 0, "/a|"), "b|");
    ck_assert_str_eq(th_do(c, XS_WRITE, 0, "/a/b/c|bye"), "OK|");
    ck_assert_str_eq(th_do(c, XS_READ, 0, "/a/b/c|"), "bye");
    ck_assert_str_eq(th_do(c, XS_READ, 0, "/nope|"), "ERR:ENOENT");
}
END_TEST

START_TEST(binary_values_and_empty_values)
{
    static const char val[] = {'x', 0, 'y', 0, 0};
    struct xsd_sockmsg h;
    char buf[64];

    th_send(c, XS_WRITE, 9, 0, "/bin\0x\0y\0\0", 10);
    ck_assert(th_recv(c, &h, buf, sizeof(buf)));
    ck_assert_uint_eq(h.type, XS_WRITE);
    th_send(c, XS_READ, 10, 0, "/bin", 5);
    ck_assert(th_recv(c, &h, buf, sizeof(buf)));
    ck_assert_uint_eq(h.len, sizeof(val));
    ck_assert_mem_eq(buf, val, sizeof(val));
    ck_assert_str_eq(th_do(c, XS_WRITE, 0, "/empty|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_READ, 0, "/empty|"), "");
}
END_TEST

START_TEST(mkdir_keeps_existing_values)
{
    ck_assert_str_eq(th_do(c, XS_WRITE, 0, "/m|v"), "OK|");
    ck_assert_str_eq(th_do(c, XS_MKDIR, 0, "/m|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_READ, 0, "/m|"), "v");
    ck_assert_str_eq(th_do(c, XS_MKDIR, 0, "/m/x/y|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_DIRECTORY, 0, "/m/x|"), "y|");
}
END_TEST

START_TEST(rm_subtree_and_missing)
{
    ck_assert_str_eq(th_do(c, XS_WRITE, 0, "/r/a/b|1"), "OK|");
    ck_assert_str_eq(th_do(c, XS_WRITE, 0, "/r/c|2"), "OK|");
    ck_assert_str_eq(th_do(c, XS_RM, 0, "/r/a|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_READ, 0, "/r/a/b|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(c, XS_DIRECTORY, 0, "/r|"), "c|");
    /* gone already but parent exists: fine; parent missing too: ENOENT */
    ck_assert_str_eq(th_do(c, XS_RM, 0, "/r/a|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_RM, 0, "/r/a/b|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(c, XS_RM, 0, "/|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(c, XS_CONTROL, 0, "check|"), "OK|");
}
END_TEST

START_TEST(initial_store)
{
    /* as xenstored's: tools look for /tool/xenstored */
    ck_assert_str_eq(th_do(c, XS_DIRECTORY, 0, "/|"), "tool|");
    ck_assert_str_eq(th_do(c, XS_READ, 0, "/tool/xenstored|"), "");
    ck_assert_str_eq(th_do(c, XS_GET_PERMS, 0, "/tool/xenstored|"), "n0|");
}
END_TEST

START_TEST(directory_lists_in_creation_order)
{
    ck_assert_str_eq(th_do(c, XS_MKDIR, 0, "/d/z|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_MKDIR, 0, "/d/a|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_MKDIR, 0, "/d/m|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_DIRECTORY, 0, "/d|"), "z|a|m|");
    ck_assert_str_eq(th_do(c, XS_DIRECTORY, 0, "/d/z|"), "");
    ck_assert_str_eq(th_do(c, XS_DIRECTORY, 0, "/nope|"), "ERR:ENOENT");
}
END_TEST

START_TEST(directory_part_pages_long_lists)
{
    char path[64], expect_first[32];
    const char *r;
    unsigned i, seen = 0;
    unsigned long off = 0;

    for (i = 0; i < 400; i++) {
        snprintf(path, sizeof(path), "/big/child-with-a-long-name-%03u|", i);
        ck_assert_str_eq(th_do(c, XS_MKDIR, 0, path), "OK|");
    }
    /* DIRECTORY itself would exceed the payload limit */
    ck_assert_str_eq(th_do(c, XS_DIRECTORY, 0, "/big|"), "ERR:E2BIG");
    for (;;) {
        char args[64], gen[32];
        const char *p;

        snprintf(args, sizeof(args), "/big|%lu|", off);
        r = th_do(c, XS_DIRECTORY_PART, 0, args);
        ck_assert_msg(strncmp(r, "ERR", 3) != 0, "%s", r);
        p = strchr(r, '|');
        ck_assert_ptr_nonnull(p);
        snprintf(gen, sizeof(gen), "%.*s", (int)(p - r), r);
        ck_assert_int_gt(atoi(gen), 0);
        p++;
        if (off == 0) {
            snprintf(expect_first, sizeof(expect_first), "child-with-a-long-name-000|");
            ck_assert_int_eq(strncmp(p, expect_first, strlen(expect_first)), 0);
        }
        while (*p && *p != '|') {
            const char *e = strchr(p, '|');

            off += (unsigned long)(e - p) + 1;
            seen++;
            p = e + 1;
        }
        if (*p == '|')
            break; /* the empty string marks the end */
    }
    ck_assert_uint_eq(seen, 400);
}
END_TEST

START_TEST(get_set_perms_roundtrip)
{
    ck_assert_str_eq(th_do(c, XS_WRITE, 0, "/p|x"), "OK|");
    ck_assert_str_eq(th_do(c, XS_GET_PERMS, 0, "/p|"), "n0|");
    ck_assert_str_eq(th_do(c, XS_SET_PERMS, 0, "/p|b5|r7|w8|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_GET_PERMS, 0, "/p|"), "b5|r7|w8|");
    ck_assert_str_eq(th_do(c, XS_WRITE, 0, "/p/q|y"), "OK|");
    ck_assert_str_eq(th_do(c, XS_GET_PERMS, 0, "/p/q|"), "b5|r7|w8|"); /* inherited */
    ck_assert_str_eq(th_do(c, XS_SET_PERMS, 0, "/p|x5|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(c, XS_SET_PERMS, 0, "/p|r99999|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(c, XS_SET_PERMS, 0, "/p|"), "ERR:EINVAL");
    /* special nodes: settable, not readable (xenstored 4.17), no others */
    ck_assert_str_eq(th_do(c, XS_SET_PERMS, 0, "@releaseDomain|n0|r3|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_GET_PERMS, 0, "@releaseDomain|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(c, XS_SET_PERMS, 0, "@bogus|n0|"), "ERR:EINVAL");
}
END_TEST

START_TEST(domain_requests)
{
    ck_assert_str_eq(th_do(c, XS_GET_DOMAIN_PATH, 0, "7|"), "/local/domain/7|");
    ck_assert_str_eq(th_do(c, XS_GET_DOMAIN_PATH, 0, "x|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(c, XS_IS_DOMAIN_INTRODUCED, 0, "0|"), "T|");
    ck_assert_str_eq(th_do(c, XS_IS_DOMAIN_INTRODUCED, 0, "3|"), "F|");
    ck_assert_str_eq(th_do(c, XS_RELEASE, 0, "3|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(c, XS_RESUME, 0, "3|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(c, XS_SET_TARGET, 0, "3|4|"), "ERR:ENOENT");
    /* no ring for this gfn / port: the ring environment refuses */
    ck_assert_str_eq(th_do(c, XS_INTRODUCE, 0, "3|12|7|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(c, XS_INTRODUCE, 0, "0|4099|7|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(c, XS_INTRODUCE, 0, "3|4099|"), "ERR:EINVAL");
}
END_TEST

START_TEST(introduce_release_resume_target)
{
    struct th_client *g = th_guest(t, 3), *g4 = th_guest(t, 4);

    ck_assert_str_eq(th_do(c, XS_IS_DOMAIN_INTRODUCED, 0, "3|"), "T|");
    ck_assert_str_eq(th_do(c, XS_INTRODUCE, 0, "3|4099|7|"), "OK|"); /* again: fine */
    ck_assert_str_eq(th_do(c, XS_RESUME, 0, "3|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_SET_TARGET, 0, "3|4|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_SET_TARGET, 0, "3|5|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(c, XS_RELEASE, 0, "3|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_IS_DOMAIN_INTRODUCED, 0, "3|"), "F|");
    ck_assert_str_eq(th_do(c, XS_RELEASE, 0, "3|"), "ERR:ENOENT");
    th_client_free(g);
    th_client_free(g4);
}
END_TEST

START_TEST(control_commands)
{
    const char *r;

    ck_assert_str_eq(th_do(c, XS_CONTROL, 0, "check|"), "OK|");
    r = th_do(c, XS_CONTROL, 0, "quota|");
    ck_assert_ptr_nonnull(strstr(r, "nodes"));
    ck_assert_str_eq(th_do(c, XS_CONTROL, 0, "quota|set nodes 5|"), "OK|");
    ck_assert_ptr_nonnull(strstr(th_do(c, XS_CONTROL, 0, "quota|"), "nodes              5"));
    ck_assert_str_eq(th_do(c, XS_CONTROL, 0, "quota|set bogus 5|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(c, XS_CONTROL, 0, "quota|set nodes -1|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(c, XS_CONTROL, 0, "no-such-command|"), "ERR:EINVAL");
    ck_assert_ptr_nonnull(strstr(th_do(c, XS_CONTROL, 0, "help|"), "check"));
}
END_TEST

START_TEST(reset_watches_drops_transactions)
{
    uint32_t tx = th_txn(c);
    char args[32];

    ck_assert_str_eq(th_do(c, XS_WATCH, 0, "/w|tok|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_RESET_WATCHES, 0, "|"), "OK|");
    ck_assert_str_eq(th_do(c, XS_UNWATCH, 0, "/w|tok|"), "ERR:ENOENT");
    snprintf(args, sizeof(args), "T|");
    ck_assert_str_eq(th_do(c, XS_TRANSACTION_END, tx, args), "ERR:ENOENT");
}
END_TEST

Suite *suite_basic(void)
{
    Suite *s = suite_create("basic");
    TCase *tc = tcase_create("requests");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, write_read_creates_parents);
    tcase_add_test(tc, binary_values_and_empty_values);
    tcase_add_test(tc, mkdir_keeps_existing_values);
    tcase_add_test(tc, rm_subtree_and_missing);
    tcase_add_test(tc, initial_store);
    tcase_add_test(tc, directory_lists_in_creation_order);
    tcase_add_test(tc, directory_part_pages_long_lists);
    tcase_add_test(tc, get_set_perms_roundtrip);
    tcase_add_test(tc, domain_requests);
    tcase_add_test(tc, introduce_release_resume_target);
    tcase_add_test(tc, control_commands);
    tcase_add_test(tc, reset_watches_drops_transactions);
    suite_add_tcase(s, tc);
    return s;
}
