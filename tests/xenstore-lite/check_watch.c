/*
 * check_watch.c: watch events — the initial event, subtree matching,
 * ordering across changes and connections, removal of watched subtrees,
 * transactions firing only on commit, relative watches, permissions on
 * events, and the special @introduceDomain/@releaseDomain watches.
 */
#include <check.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

static struct th *t;
static struct th_client *a, *b;

static void setup(void)
{
    t = th_new();
    a = th_dom0(t);
    b = th_dom0(t);
}

static void teardown(void)
{
    th_client_free(a);
    th_client_free(b);
    th_free(t);
}

START_TEST(initial_event_then_subtree_changes)
{
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/w|tok|"), "OK|");
    ck_assert_str_eq(th_event(a), "/w|tok|"); /* fires once straight away */
    ck_assert_ptr_null(th_event(a));
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/w/x/y|1"), "OK|");
    ck_assert_str_eq(th_event(a), "/w/x/y|tok|");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/w|2"), "OK|");
    ck_assert_str_eq(th_event(a), "/w|tok|");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/wx|3"), "OK|"); /* not a child of /w */
    ck_assert_str_eq(th_do(b, XS_SET_PERMS, 0, "/w/x|b1|"), "OK|");
    ck_assert_str_eq(th_event(a), "/w/x|tok|");
    ck_assert_ptr_null(th_event(a));
}
END_TEST

START_TEST(events_keep_change_order)
{
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/|root|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/o|o|"), "OK|");
    ck_assert_str_eq(th_event(a), "/|root|");
    ck_assert_str_eq(th_event(a), "/o|o|");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/o/1|"), "OK|");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/p|"), "OK|");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/o/2|"), "OK|");
    /* per change: watches in the order they were set */
    ck_assert_str_eq(th_event(a), "/o/1|root|");
    ck_assert_str_eq(th_event(a), "/o/1|o|");
    ck_assert_str_eq(th_event(a), "/p|root|");
    ck_assert_str_eq(th_event(a), "/o/2|root|");
    ck_assert_str_eq(th_event(a), "/o/2|o|");
    ck_assert_ptr_null(th_event(a));
}
END_TEST

START_TEST(event_precedes_reply_of_the_writer)
{
    struct xsd_sockmsg h;
    char buf[64];

    /* As xenstored: WATCH acks before its initial event... */
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/s|t|"), "OK|");
    ck_assert_str_eq(th_event(a), "/s|t|");
    ck_assert_uint_lt(th_last_seq(a, false), th_last_seq(a, true));
    /* ...and a watcher writing itself gets its event before its ack. */
    th_send(a, XS_WRITE, 77, 0, "/s\0v", 4);
    ck_assert(th_recv(a, &h, buf, sizeof(buf)));
    ck_assert_uint_eq(h.req_id, 77);
    ck_assert_str_eq(th_event(a), "/s|t|");
    ck_assert_uint_lt(th_last_seq(a, true), th_last_seq(a, false));
}
END_TEST

START_TEST(rm_fires_for_removed_children)
{
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/r/a/b|1"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/r/a/b|deep|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/r|top|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/r/a/none|none|"), "OK|");
    ck_assert_str_eq(th_event(a), "/r/a/b|deep|");
    ck_assert_str_eq(th_event(a), "/r|top|");
    ck_assert_str_eq(th_event(a), "/r/a/none|none|");
    ck_assert_str_eq(th_do(b, XS_RM, 0, "/r/a|"), "OK|");
    /*
     * Deepest first. A removed descendant is reported only to watches on
     * it exactly; watches above see the removed root (xenstored's
     * MATCH_EXACT / MATCH_SUBTREE split), and a watch below a node that
     * never existed hears nothing.
     */
    ck_assert_str_eq(th_event(a), "/r/a/b|deep|");
    ck_assert_str_eq(th_event(a), "/r/a|top|");
    ck_assert_ptr_null(th_event(a));
}
END_TEST

START_TEST(transaction_fires_on_commit_only)
{
    uint32_t tx;

    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/tx|k|"), "OK|");
    ck_assert_str_eq(th_event(a), "/tx|k|");
    tx = th_txn(b);
    ck_assert_str_eq(th_do(b, XS_WRITE, tx, "/tx/1|"), "OK|");
    ck_assert_str_eq(th_do(b, XS_WRITE, tx, "/tx/2|"), "OK|");
    ck_assert_ptr_null(th_event(a));
    ck_assert_str_eq(th_do(b, XS_TRANSACTION_END, tx, "T|"), "OK|");
    ck_assert_str_eq(th_event(a), "/tx/1|k|");
    ck_assert_str_eq(th_event(a), "/tx/2|k|");
    tx = th_txn(b);
    ck_assert_str_eq(th_do(b, XS_WRITE, tx, "/tx/3|"), "OK|");
    ck_assert_str_eq(th_do(b, XS_TRANSACTION_END, tx, "F|"), "OK|");
    ck_assert_ptr_null(th_event(a));
}
END_TEST

START_TEST(unwatch_and_duplicates)
{
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/u|k|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/u|k|"), "ERR:EEXIST");
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "/u|k2|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_UNWATCH, 0, "/u|k|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_UNWATCH, 0, "/u|k|"), "ERR:ENOENT");
    ck_assert_str_eq(th_event(a), "/u|k|");
    ck_assert_str_eq(th_event(a), "/u|k2|");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/u|"), "OK|");
    ck_assert_str_eq(th_event(a), "/u|k2|");
    ck_assert_ptr_null(th_event(a));
}
END_TEST

START_TEST(relative_watch_and_permissions)
{
    struct th_client *g = th_guest(t, 5), *g6 = th_guest(t, 6);

    ck_assert_str_eq(th_do(a, XS_MKDIR, 0, "/local/domain/5|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_SET_PERMS, 0, "/local/domain/5|n5|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WATCH, 0, "device|dev|"), "OK|");
    ck_assert_str_eq(th_event(g), "device|dev|");
    ck_assert_str_eq(th_do(a, XS_WRITE, 0, "/local/domain/5/device/vif/0|x"), "OK|");
    ck_assert_str_eq(th_event(g), "device/vif/0|dev|");
    /* g6 watches what it cannot read: no event for it */
    ck_assert_str_eq(th_do(g6, XS_WATCH, 0, "/local/domain/5|spy|"), "OK|");
    ck_assert_str_eq(th_event(g6), "/local/domain/5|spy|");
    ck_assert_str_eq(th_do(a, XS_WRITE, 0, "/local/domain/5/device/vif/0|y"), "OK|");
    ck_assert_str_eq(th_event(g), "device/vif/0|dev|");
    ck_assert_ptr_null(th_event(g6));
    th_client_free(g);
    th_client_free(g6);
}
END_TEST

START_TEST(special_watches)
{
    struct th_client *g;

    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "@introduceDomain|in|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "@releaseDomain|out|"), "OK|");
    ck_assert_str_eq(th_event(a), "@introduceDomain|in|");
    ck_assert_str_eq(th_event(a), "@releaseDomain|out|");
    g = th_guest(t, 9);
    ck_assert_str_eq(th_event(a), "@introduceDomain|in|");
    ck_assert_ptr_null(th_event(a));
    /* writes do not trigger special watches */
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/x|"), "OK|");
    ck_assert_ptr_null(th_event(a));
    /* a guest needs the special node's permission to hear of it */
    ck_assert_str_eq(th_do(g, XS_WATCH, 0, "@releaseDomain|g|"), "OK|");
    ck_assert_str_eq(th_event(g), "@releaseDomain|g|");
    xs_daemon_domain_gone(t->d, 9);
    ck_assert_str_eq(th_event(a), "@releaseDomain|out|");
    ck_assert_ptr_null(th_event(g));
    xs_daemon_domain_gone(t->d, 9); /* reported once until RESUME */
    ck_assert_ptr_null(th_event(a));
    ck_assert_str_eq(th_do(b, XS_RESUME, 0, "9|"), "OK|");
    ck_assert_str_eq(th_do(b, XS_SET_PERMS, 0, "@releaseDomain|n0|r9|"), "OK|");
    /* a special node's permissions change silently (xenstored 4.17) */
    ck_assert_ptr_null(th_event(a));
    ck_assert_ptr_null(th_event(g));
    xs_daemon_domain_gone(t->d, 9);
    ck_assert_str_eq(th_event(a), "@releaseDomain|out|");
    ck_assert_str_eq(th_event(g), "@releaseDomain|g|");
    ck_assert_str_eq(th_do(b, XS_RELEASE, 0, "9|"), "OK|");
    ck_assert_str_eq(th_event(a), "@releaseDomain|out|");
    ck_assert_ptr_null(th_event(a));
    th_client_free(g);
}
END_TEST

/*
 * VIRQ_DOM_EXC: the daemon asks about every introduced domain. A shut-down
 * one is reported once; a dying one is released by the daemon itself
 * (its ring dropped, its nodes removed, @releaseDomain), with no RELEASE
 * from a toolstack; a running one is left alone.
 */
START_TEST(hypervisor_reports_domains)
{
    struct th_client *g = th_guest(t, 9), *h = th_guest(t, 10);

    ck_assert_str_eq(th_do(a, XS_WRITE, 0, "/local/domain/9/data|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_SET_PERMS, 0, "/local/domain/9/data|n9|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "data/x|1"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WATCH, 0, "@releaseDomain|out|"), "OK|");
    ck_assert_str_eq(th_event(a), "@releaseDomain|out|");
    xs_daemon_domains_changed(t->d); /* all running: nothing to say */
    ck_assert_ptr_null(th_event(a));
    t->doms[0].state = XS_DOMAIN_SHUTDOWN;
    xs_daemon_domains_changed(t->d);
    ck_assert_str_eq(th_event(a), "@releaseDomain|out|");
    xs_daemon_domains_changed(t->d); /* once per shutdown */
    ck_assert_ptr_null(th_event(a));
    ck_assert_str_eq(th_do(a, XS_READ, 0, "/local/domain/9/data/x|"), "1");
    t->doms[0].state = XS_DOMAIN_GONE;
    xs_daemon_domains_changed(t->d);
    ck_assert_str_eq(th_event(a), "@releaseDomain|out|");
    ck_assert_ptr_null(th_event(a));
    ck_assert_str_eq(th_do(a, XS_READ, 0, "/local/domain/9/data/x|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(a, XS_IS_DOMAIN_INTRODUCED, 0, "9|"), "F|");
    ck_assert_str_eq(th_do(a, XS_IS_DOMAIN_INTRODUCED, 0, "10|"), "T|");
    ck_assert_str_eq(th_do(h, XS_GET_DOMAIN_PATH, 0, "10|"),
                     "/local/domain/10|");                         /* still served */
    ck_assert_str_eq(th_do(a, XS_RELEASE, 0, "9|"), "ERR:ENOENT"); /* already */
    th_client_free(g);
    th_client_free(h);
}
END_TEST

Suite *suite_watch(void)
{
    Suite *s = suite_create("watches");
    TCase *tc = tcase_create("watch");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, initial_event_then_subtree_changes);
    tcase_add_test(tc, events_keep_change_order);
    tcase_add_test(tc, event_precedes_reply_of_the_writer);
    tcase_add_test(tc, rm_fires_for_removed_children);
    tcase_add_test(tc, transaction_fires_on_commit_only);
    tcase_add_test(tc, unwatch_and_duplicates);
    tcase_add_test(tc, relative_watch_and_permissions);
    tcase_add_test(tc, special_watches);
    tcase_add_test(tc, hypervisor_reports_domains);
    suite_add_tcase(s, tc);
    return s;
}
