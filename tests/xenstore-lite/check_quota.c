/*
 * check_quota.c: per-domain limits with Xen's error codes — nodes owned,
 * node size, watches, open transactions, permission entries, nodes one
 * transaction touches — and the outstanding-request limit, which holds
 * back a domain's further requests instead of failing them. dom0 is
 * exempt from all of them.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

static struct th *t;
static struct th_client *d0, *g;

static void setup(void)
{
    const struct xs_quota q = {.nodes = 5,
                               .node_size = 128,
                               .watches = 3,
                               .transactions = 2,
                               .outstanding = 4,
                               .txn_nodes = 8,
                               .perms = 3};

    t = th_new_quota(&q);
    d0 = th_dom0(t);
    g = th_guest(t, 2);
    ck_assert_str_eq(th_do(d0, XS_MKDIR, 0, "/local/domain/2|"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, "/local/domain/2|n2|"), "OK|");
}

static void teardown(void)
{
    th_client_free(g);
    th_client_free(d0);
    th_free(t);
}

START_TEST(nodes_per_domain)
{
    char args[32];
    unsigned i;

    /* owns /local/domain/2 already: 4 more fit */
    for (i = 0; i < 4; i++) {
        snprintf(args, sizeof(args), "n%u|", i);
        ck_assert_str_eq(th_do(g, XS_WRITE, 0, args), "OK|");
    }
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "n9|"), "ERR:ENOSPC");
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "n0|changing is fine"), "OK|");
    ck_assert_str_eq(th_do(g, XS_MKDIR, 0, "a/b|"), "ERR:ENOSPC");
    ck_assert_str_eq(th_do(g, XS_RM, 0, "n0|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "n9|"), "OK|");
    /* dom0 is not limited, even creating nodes the guest owns */
    ck_assert_str_eq(th_do(d0, XS_WRITE, 0, "/local/domain/2/dom0-made|"), "OK|");
}
END_TEST

START_TEST(nodes_counted_in_transactions)
{
    uint32_t tx = th_txn(g);

    ck_assert_str_eq(th_do(g, XS_WRITE, tx, "a|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, tx, "b|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, tx, "c|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, tx, "d|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, tx, "e|"), "ERR:ENOSPC");
    ck_assert_str_eq(th_do(g, XS_TRANSACTION_END, tx, "F|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "e|"), "OK|");
    /* a removal frees quota only once committed (xenstored 4.17) */
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "f|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "g|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "h|"), "OK|");
    tx = th_txn(g);
    ck_assert_str_eq(th_do(g, XS_RM, tx, "e|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, tx, "i|"), "ERR:ENOSPC");
    ck_assert_str_eq(th_do(g, XS_TRANSACTION_END, tx, "T|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "i|"), "OK|");
}
END_TEST

START_TEST(node_size)
{
    char args[200];

    /* counted as xenstored stores a node: 24 + 8 per perm + value (128 here) */
    memset(args, 'v', sizeof(args));
    memcpy(args, "big|", 4);
    args[4 + 97] = '\0';
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, args), "ERR:ENOSPC");
    args[4 + 96] = '\0';
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, args), "OK|");
    memset(args + 4, 'w', 150);
    args[4 + 150] = '\0';
    memcpy(args, "/local/domain/2/big|", 20);
    ck_assert_str_eq(th_do(d0, XS_WRITE, 0, args), "OK|");
}
END_TEST

START_TEST(node_size_counts_child_names)
{
    /* each child adds its name + NUL to the parent's size (32 + 41 + 41 fit in 128) */
    ck_assert_str_eq(th_do(g, XS_MKDIR, 0, "d/first-child-name-made-forty-chars-long-1|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_MKDIR, 0, "d/first-child-name-made-forty-chars-long-2|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_MKDIR, 0, "d/first-child-name-made-forty-chars-long-3|"),
                     "ERR:ENOSPC");
    ck_assert_str_eq(
        th_do(g, XS_DIRECTORY, 0, "d|"),
        "first-child-name-made-forty-chars-long-1|first-child-name-made-forty-chars-long-2|");
    ck_assert_str_eq(
        th_do(d0, XS_MKDIR, 0, "/local/domain/2/d/first-child-name-made-forty-chars-long-3|"),
        "OK|");
}
END_TEST

START_TEST(watches_per_connection)
{
    /* quota 3: like xenstored 4.17, one more is allowed, then E2BIG */
    ck_assert_str_eq(th_do(g, XS_WATCH, 0, "a|1|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WATCH, 0, "a|2|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WATCH, 0, "a|3|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WATCH, 0, "a|4|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WATCH, 0, "a|5|"), "ERR:E2BIG");
    ck_assert_str_eq(th_do(g, XS_UNWATCH, 0, "a|1|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_WATCH, 0, "a|5|"), "OK|");
}
END_TEST

START_TEST(transactions_per_connection)
{
    /* quota 2: like xenstored 4.17, one more may be open, then ENOSPC */
    uint32_t t1 = th_txn(g), t2 = th_txn(g), t3 = th_txn(g);

    ck_assert_str_eq(th_do(g, XS_TRANSACTION_START, 0, "|"), "ERR:ENOSPC");
    ck_assert_str_eq(th_do(g, XS_TRANSACTION_END, t1, "F|"), "OK|");
    ck_assert_uint_ne(th_txn(g), t2);
    ck_assert_uint_ne(t3, t2);
    ck_assert_uint_gt(th_txn(d0), 0);
    ck_assert_uint_gt(th_txn(d0), 0);
    ck_assert_uint_gt(th_txn(d0), 0);
}
END_TEST

START_TEST(perm_entries)
{
    ck_assert_str_eq(th_do(g, XS_WRITE, 0, "p|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_SET_PERMS, 0, "p|n2|r3|r4|"), "OK|");
    ck_assert_str_eq(th_do(g, XS_SET_PERMS, 0, "p|n2|r3|r4|r5|"), "ERR:ENOSPC");
    ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, "/local/domain/2/p|n2|r3|r4|r5|r6|"), "OK|");
    /* dom0 is held only to the hard cap, XS_PERMS_MAX */
    {
        char args[4096];
        size_t len = (size_t)snprintf(args, sizeof(args), "/local/domain/2/p|n0|");
        unsigned i;

        for (i = 1; i < XS_PERMS_MAX; i++)
            len += (size_t)snprintf(args + len, sizeof(args) - len, "r%u|", i % 10);
        ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, args), "OK|");
        snprintf(args + len, sizeof(args) - len, "r1|");
        ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, args), "ERR:ENOSPC");
    }
}
END_TEST

START_TEST(nodes_one_transaction_touches)
{
    uint32_t tx = th_txn(g);
    char args[32];
    unsigned i;
    const char *r = NULL;

    /* each read adds an entry; the limit is 8, and the parent consulted
     * to answer ENOENT rather than EACCES is one of them */
    for (i = 0; i < 12; i++) {
        snprintf(args, sizeof(args), "x%u|", i);
        r = th_do(g, XS_READ, tx, args);
        if (strcmp(r, "ERR:ENOSPC") == 0)
            break;
        ck_assert_str_eq(r, "ERR:ENOENT");
    }
    ck_assert_uint_eq(i, 7);
}
END_TEST

START_TEST(outstanding_requests_wait_their_turn)
{
    struct xenstore_domain_interface *r = th_ring(g);
    struct xsd_sockmsg h = {XS_READ, 0, 0, 16};
    char body[64], req[16 + 16];
    unsigned i;

    /*
     * 90 reads of an empty node, each a 32-byte request and a 16-byte
     * reply, sent without consuming replies: 64 replies fill the 1 KiB
     * response ring, 4 more (the quota) wait in the daemon, and the
     * remaining 22 requests stay unread in the request ring.
     */
    memcpy(req + 16, "/local/domain/2", 16);
    for (i = 0; i < 90; i++) {
        h.req_id = 100 + i;
        memcpy(req, &h, 16);
        th_send_raw(g, req, sizeof(req));
    }
    th_settle(t);
    ck_assert_uint_eq(r->rsp_prod - r->rsp_cons, XENSTORE_RING_SIZE);
    ck_assert_uint_eq(r->req_prod - r->req_cons, 22 * sizeof(req));
    /* consuming the replies lets the rest through, in order */
    for (i = 0; i < 90; i++) {
        ck_assert(th_recv(g, &h, body, sizeof(body)));
        ck_assert_uint_eq(h.req_id, 100 + i);
        ck_assert_uint_eq(h.type, XS_READ);
    }
}
END_TEST

Suite *suite_quota(void)
{
    Suite *s = suite_create("quotas");
    TCase *tc = tcase_create("quota");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, nodes_per_domain);
    tcase_add_test(tc, nodes_counted_in_transactions);
    tcase_add_test(tc, node_size);
    tcase_add_test(tc, node_size_counts_child_names);
    tcase_add_test(tc, watches_per_connection);
    tcase_add_test(tc, transactions_per_connection);
    tcase_add_test(tc, perm_entries);
    tcase_add_test(tc, nodes_one_transaction_touches);
    tcase_add_test(tc, outstanding_requests_wait_their_turn);
    suite_add_tcase(s, tc);
    return s;
}
