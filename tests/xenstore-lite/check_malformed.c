/*
 * check_malformed.c: hostile input. Each case gets Xen's error reply, or
 * the connection is dropped where xenstored drops it (a payload length
 * over XENSTORE_PAYLOAD_MAX, a bad ring index); the daemon goes on serving
 * everyone else and nothing committed is lost.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

static struct th *t;
static struct th_client *c, *other;

static void setup(void)
{
    t = th_new();
    c = th_dom0(t);
    other = th_dom0(t);
    ck_assert_str_eq(th_do(other, XS_WRITE, 0, "/keep|safe"), "OK|");
}

static void teardown(void)
{
    /* whatever happened, the committed write is still there */
    ck_assert_str_eq(th_do(other, XS_READ, 0, "/keep|"), "safe");
    ck_assert_str_eq(th_do(other, XS_CONTROL, 0, "check|"), "OK|");
    th_client_free(c);
    th_client_free(other);
    th_free(t);
}

static const char *raw(uint32_t type, const void *p, size_t len)
{
    static char out[XENSTORE_PAYLOAD_MAX + 8];
    struct xsd_sockmsg h;
    char buf[XENSTORE_PAYLOAD_MAX + 1];

    th_send(c, type, 42, 0, p, len);
    if (!th_recv(c, &h, buf, sizeof(buf)))
        return "NO-REPLY";
    ck_assert_uint_eq(h.req_id, 42);
    snprintf(out, sizeof(out), "%s%s", h.type == XS_ERROR ? "ERR:" : "", buf);
    return out;
}

START_TEST(missing_nul)
{
    ck_assert_str_eq(raw(XS_READ, "/keep", 5), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_WRITE, "/keep", 5), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_MKDIR, "/x", 2), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_RM, "/keep", 5), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_WATCH, "/x\0tok", 6), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_SET_PERMS, "/keep\0b0", 8), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_TRANSACTION_END, "T", 1), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_GET_DOMAIN_PATH, "1", 1), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_READ, "", 0), "ERR:EINVAL");
}
END_TEST

START_TEST(extra_strings)
{
    ck_assert_str_eq(raw(XS_READ, "/keep\0/keep", 11), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_RM, "/keep\0x", 8), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_WATCH, "/x\0a\0b", 7), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_DIRECTORY_PART, "/\0", 2), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_DIRECTORY_PART, "/\0x\0", 4), "ERR:EINVAL");
}
END_TEST

START_TEST(unknown_and_reply_only_types)
{
    ck_assert_str_eq(raw(XS_WATCH_EVENT, "/a\0b", 5), "ERR:ENOSYS");
    ck_assert_str_eq(raw(XS_ERROR, "EINVAL", 7), "ERR:ENOSYS");
    ck_assert_str_eq(raw(20, "", 0), "ERR:ENOSYS"); /* XS_RESTRICT, removed */
    ck_assert_str_eq(raw(XS_TYPE_COUNT, "", 0), "ERR:ENOSYS");
    ck_assert_str_eq(raw(XS_INVALID, "", 0), "ERR:ENOSYS");
    ck_assert_str_eq(raw(0xdeadbeef, "x", 1), "ERR:ENOSYS");
}
END_TEST

START_TEST(bad_paths)
{
    static const char *const bad[] = {
        "/a//b", "/a/", "a b", "/a\tb", "/a*b", "/a.b", "@bad", "/\xc3\xa9",
    };
    char long_path[XENSTORE_ABS_PATH_MAX + 10];
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(strcmp(raw(XS_WRITE, bad[i], strlen(bad[i]) + 1), "ERR:EINVAL") == 0,
                      "path %s", bad[i]);
    /* as xenstored 4.17: 2048 characters, not counting /local/domain/<id>/ */
    memset(long_path, 'a', sizeof(long_path));
    long_path[0] = '/';
    long_path[XENSTORE_REL_PATH_MAX + 1] = '\0';
    ck_assert_str_eq(raw(XS_MKDIR, long_path, XENSTORE_REL_PATH_MAX + 2), "ERR:EINVAL");
    long_path[XENSTORE_REL_PATH_MAX] = '\0';
    ck_assert_str_eq(raw(XS_MKDIR, long_path, XENSTORE_REL_PATH_MAX + 1), "OK");
    memset(long_path, 'a', sizeof(long_path));
    memcpy(long_path, "/local/domain/77/", 17);
    long_path[17 + XENSTORE_REL_PATH_MAX] = '\0';
    ck_assert_str_eq(raw(XS_MKDIR, long_path, 17 + XENSTORE_REL_PATH_MAX + 1), "OK");
    long_path[17 + XENSTORE_REL_PATH_MAX] = 'a';
    long_path[17 + XENSTORE_REL_PATH_MAX + 1] = '\0';
    ck_assert_str_eq(raw(XS_MKDIR, long_path, 17 + XENSTORE_REL_PATH_MAX + 2), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_READ, "@introduceDomain", 17), "ERR:EINVAL");
}
END_TEST

START_TEST(bad_numbers)
{
    ck_assert_str_eq(raw(XS_GET_DOMAIN_PATH, "-1", 3), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_GET_DOMAIN_PATH, "32752", 6), "ERR:EINVAL"); /* DOMID_SELF */
    ck_assert_str_eq(raw(XS_GET_DOMAIN_PATH, "99999999999999999999999", 24), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_GET_DOMAIN_PATH, " 1", 3), "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_DIRECTORY_PART,
                         "/\0"
                         "12x",
                         6),
                     "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_INTRODUCE,
                         "1\0x\0"
                         "7",
                         6),
                     "ERR:EINVAL");
    ck_assert_str_eq(raw(XS_SET_PERMS, "/keep\0b\0", 8), "ERR:EINVAL");
}
END_TEST

START_TEST(oversized_payload_drops_connection)
{
    struct xsd_sockmsg h = {XS_WRITE, 1, 0, XENSTORE_PAYLOAD_MAX + 1};

    th_send_raw(c, &h, sizeof(h));
    ck_assert(th_closed(c));
    ck_assert_uint_eq(xs_daemon_conn_count(t->d), 1);
}
END_TEST

START_TEST(huge_length_drops_connection)
{
    struct xsd_sockmsg h = {XS_READ, 1, 0, 0xffffffffu};

    th_send_raw(c, &h, sizeof(h));
    ck_assert(th_closed(c));
}
END_TEST

START_TEST(truncated_message_then_close)
{
    struct xsd_sockmsg h = {XS_WRITE, 1, 0, 100};

    th_send_raw(c, &h, sizeof(h));
    th_send_raw(c, "/half", 5);
    th_settle(t);
    ck_assert_uint_eq(xs_daemon_conn_count(t->d), 2); /* waits for the rest */
    ck_assert_str_eq(th_do(other, XS_READ, 0, "/half|"), "ERR:ENOENT");
}
END_TEST

START_TEST(ring_payload_too_big_sets_error)
{
    struct th_client *g = th_guest(t, 4);
    struct xsd_sockmsg h = {XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1};

    th_send_raw(g, &h, sizeof(h));
    th_settle(t);
    ck_assert_uint_eq(th_ring(g)->error, XENSTORE_ERROR_PROTO);
    th_client_free(g);
}
END_TEST

START_TEST(ring_bad_index_sets_error)
{
    struct th_client *g = th_guest(t, 4);

    th_ring(g)->req_prod = th_ring(g)->req_cons + XENSTORE_RING_SIZE + 1;
    th_settle(t);
    ck_assert_uint_eq(th_ring(g)->error, XENSTORE_ERROR_RINGIDX);
    /* and it stays ignored: a good request now goes unanswered */
    th_ring(g)->req_prod = th_ring(g)->req_cons;
    ck_assert_str_eq(th_do(g, XS_READ, 0, "/keep|"), "NO-REPLY");
    th_client_free(g);
}
END_TEST

START_TEST(ring_reconnect_resets)
{
    struct th_client *g = th_guest(t, 4);
    struct xenstore_domain_interface *r = th_ring(g);

    ck_assert_uint_eq(r->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION,
                      XENSTORE_SERVER_FEATURE_RECONNECTION);
    r->req_prod = r->req_cons + XENSTORE_RING_SIZE + 1;
    th_settle(t);
    ck_assert_uint_eq(r->error, XENSTORE_ERROR_RINGIDX);
    r->connection = XENSTORE_RECONNECT;
    th_settle(t);
    ck_assert_uint_eq(r->connection, XENSTORE_CONNECTED);
    ck_assert_uint_eq(r->error, XENSTORE_ERROR_NONE);
    ck_assert_uint_eq(r->req_prod, 0);
    ck_assert_str_eq(th_do(g, XS_GET_DOMAIN_PATH, 0, "4|"), "/local/domain/4|");
    th_client_free(g);
}
END_TEST

START_TEST(garbage_stream_never_crashes)
{
    unsigned char junk[2048];
    unsigned i, x = 12345;

    /* pseudo-random bytes with plausible headers sprinkled in */
    for (i = 0; i < sizeof(junk); i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (unsigned char)(x >> 16);
    }
    for (i = 0; i + 16 < sizeof(junk); i += 97) {
        struct xsd_sockmsg h = {(uint32_t)(i % 24), i, 0, (uint32_t)(i % 40)};

        memcpy(junk + i, &h, sizeof(h));
    }
    th_send_raw(c, junk, sizeof(junk));
    th_settle(t);
    th_settle(t);
}
END_TEST

Suite *suite_malformed(void)
{
    Suite *s = suite_create("malformed");
    TCase *tc = tcase_create("malformed");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, missing_nul);
    tcase_add_test(tc, extra_strings);
    tcase_add_test(tc, unknown_and_reply_only_types);
    tcase_add_test(tc, bad_paths);
    tcase_add_test(tc, bad_numbers);
    tcase_add_test(tc, oversized_payload_drops_connection);
    tcase_add_test(tc, huge_length_drops_connection);
    tcase_add_test(tc, truncated_message_then_close);
    tcase_add_test(tc, ring_payload_too_big_sets_error);
    tcase_add_test(tc, ring_bad_index_sets_error);
    tcase_add_test(tc, ring_reconnect_resets);
    tcase_add_test(tc, garbage_stream_never_crashes);
    suite_add_tcase(s, tc);
    return s;
}
