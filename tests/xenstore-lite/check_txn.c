/*
 * check_txn.c: transactions — isolation, commit, abort, conflicts with
 * EAGAIN and a retry that then succeeds, and the request errors around
 * transaction ids.
 */
#include <check.h>
#include <stdio.h>
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
    ck_assert_str_eq(th_do(a, XS_WRITE, 0, "/t/x|0"), "OK|");
}

static void teardown(void)
{
    th_client_free(a);
    th_client_free(b);
    th_free(t);
}

START_TEST(changes_invisible_until_commit)
{
    uint32_t tx = th_txn(a);

    ck_assert_str_eq(th_do(a, XS_WRITE, tx, "/t/x|1"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WRITE, tx, "/t/new/deep|n"), "OK|");
    ck_assert_str_eq(th_do(a, XS_READ, tx, "/t/x|"), "1");
    ck_assert_str_eq(th_do(a, XS_READ, tx, "/t/new/deep|"), "n");
    ck_assert_str_eq(th_do(a, XS_DIRECTORY, tx, "/t|"), "x|new|");
    ck_assert_str_eq(th_do(b, XS_READ, 0, "/t/x|"), "0");
    ck_assert_str_eq(th_do(b, XS_READ, 0, "/t/new|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, tx, "T|"), "OK|");
    ck_assert_str_eq(th_do(b, XS_READ, 0, "/t/x|"), "1");
    ck_assert_str_eq(th_do(b, XS_READ, 0, "/t/new/deep|"), "n");
    ck_assert_str_eq(th_do(b, XS_CONTROL, 0, "check|"), "OK|");
}
END_TEST

START_TEST(abort_discards)
{
    uint32_t tx = th_txn(a);

    ck_assert_str_eq(th_do(a, XS_WRITE, tx, "/t/x|1"), "OK|");
    ck_assert_str_eq(th_do(a, XS_RM, tx, "/t|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_READ, tx, "/t/x|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, tx, "F|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_READ, 0, "/t/x|"), "0");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, tx, "F|"), "ERR:ENOENT");
}
END_TEST

START_TEST(conflict_gives_eagain_and_retry_succeeds)
{
    uint32_t tx = th_txn(a);
    int attempt;

    ck_assert_str_eq(th_do(a, XS_READ, tx, "/t/x|"), "0");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/t/x|b"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WRITE, tx, "/t/x|a"), "OK|");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, tx, "T|"), "ERR:EAGAIN");
    ck_assert_str_eq(th_do(b, XS_READ, 0, "/t/x|"), "b"); /* nothing of a's landed */
    /* the usual client loop: retry until it commits */
    for (attempt = 0; attempt < 3; attempt++) {
        char val[16];
        const char *r;

        tx = th_txn(a);
        r = th_do(a, XS_READ, tx, "/t/x|");
        snprintf(val, sizeof(val), "/t/x|%s+", r);
        ck_assert_str_eq(th_do(a, XS_WRITE, tx, val), "OK|");
        if (attempt == 0)
            ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/t/x|c"), "OK|");
        r = th_do(a, XS_TRANSACTION_END, tx, "T|");
        if (strcmp(r, "OK|") == 0)
            break;
        ck_assert_str_eq(r, "ERR:EAGAIN");
    }
    ck_assert_int_eq(attempt, 1);
    ck_assert_str_eq(th_do(b, XS_READ, 0, "/t/x|"), "c+");
}
END_TEST

/*
 * Xen's test-xenstore "ta err": a transaction keeps reading the version it
 * first saw, not another connection's later commit, then fails with EAGAIN.
 */
START_TEST(reads_see_first_version_after_outside_commit)
{
    uint32_t tx = th_txn(a);

    ck_assert_str_eq(th_do(a, XS_READ, tx, "/t/x|"), "0");
    ck_assert_str_eq(th_do(a, XS_DIRECTORY, tx, "/t|"), "x|");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/t/x|b"), "OK|");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/t/y|b"), "OK|");
    ck_assert_str_eq(th_do(a, XS_READ, tx, "/t/x|"), "0");
    ck_assert_str_eq(th_do(a, XS_DIRECTORY, tx, "/t|"), "x|");
    ck_assert_str_eq(th_do(a, XS_WRITE, tx, "/t/x|c"), "OK|");
    ck_assert_str_eq(th_do(a, XS_READ, tx, "/t/x|"), "c");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, tx, "T|"), "ERR:EAGAIN");
    ck_assert_str_eq(th_do(b, XS_READ, 0, "/t/x|"), "b");
}
END_TEST

START_TEST(conflict_on_created_node)
{
    uint32_t t1 = th_txn(a), t2 = th_txn(b);

    ck_assert_str_eq(th_do(a, XS_WRITE, t1, "/t/n|a"), "OK|");
    ck_assert_str_eq(th_do(b, XS_WRITE, t2, "/t/n|b"), "OK|");
    ck_assert_str_eq(th_do(b, XS_TRANSACTION_END, t2, "T|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, t1, "T|"), "ERR:EAGAIN");
    ck_assert_str_eq(th_do(a, XS_READ, 0, "/t/n|"), "b");
}
END_TEST

START_TEST(disjoint_reads_do_not_conflict)
{
    uint32_t tx = th_txn(a);

    ck_assert_str_eq(th_do(a, XS_WRITE, 0, "/u|0"), "OK|");
    ck_assert_str_eq(th_do(a, XS_READ, tx, "/t/x|"), "0");
    ck_assert_str_eq(th_do(b, XS_WRITE, 0, "/u|1"), "OK|");
    ck_assert_str_eq(th_do(a, XS_WRITE, tx, "/t/x|2"), "OK|");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, tx, "T|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_READ, 0, "/t/x|"), "2");
}
END_TEST

START_TEST(rm_and_perms_in_transaction)
{
    uint32_t tx = th_txn(a);

    ck_assert_str_eq(th_do(a, XS_WRITE, 0, "/t/y/z|1"), "OK|");
    ck_assert_str_eq(th_do(a, XS_RM, tx, "/t/y|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_SET_PERMS, tx, "/t/x|b2|"), "OK|");
    ck_assert_str_eq(th_do(b, XS_READ, 0, "/t/y/z|"), "1");
    ck_assert_str_eq(th_do(b, XS_GET_PERMS, 0, "/t/x|"), "n0|");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, tx, "T|"), "OK|");
    ck_assert_str_eq(th_do(b, XS_READ, 0, "/t/y/z|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(b, XS_DIRECTORY, 0, "/t|"), "x|");
    ck_assert_str_eq(th_do(b, XS_GET_PERMS, 0, "/t/x|"), "b2|");
    ck_assert_str_eq(th_do(b, XS_CONTROL, 0, "check|"), "OK|");
}
END_TEST

START_TEST(transaction_id_errors)
{
    uint32_t tx = th_txn(a);

    ck_assert_str_eq(th_do(a, XS_READ, 999, "/t/x|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(b, XS_READ, tx, "/t/x|"), "ERR:ENOENT"); /* not b's */
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_START, tx, "|"), "ERR:EBUSY");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, tx, "X|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, 0, "T|"), "ERR:ENOENT");
    /* WATCH ignores tx_id */
    ck_assert_str_eq(th_do(a, XS_WATCH, 999, "/t|k|"), "OK|");
    ck_assert_str_eq(th_do(a, XS_TRANSACTION_END, tx, "T|"), "OK|");
}
END_TEST

START_TEST(many_transactions_interleaved)
{
    uint32_t ids[8];
    unsigned i, ok = 0;
    char args[64];

    for (i = 0; i < 8; i++) {
        ids[i] = th_txn(i % 2 ? b : a);
        snprintf(args, sizeof(args), "/m/%u|%u", i, i);
        ck_assert_str_eq(th_do(i % 2 ? b : a, XS_WRITE, ids[i], args), "OK|");
    }
    for (i = 0; i < 8; i++) {
        const char *r = th_do(i % 2 ? b : a, XS_TRANSACTION_END, ids[i], "T|");

        /* the first commit changes /m's child list, so later ones conflict */
        if (strcmp(r, "OK|") == 0)
            ok++;
        else
            ck_assert_str_eq(r, "ERR:EAGAIN");
    }
    ck_assert_uint_eq(ok, 1);
    ck_assert_str_eq(th_do(a, XS_DIRECTORY, 0, "/m|"), "0|");
}
END_TEST

Suite *suite_txn(void)
{
    Suite *s = suite_create("transactions");
    TCase *tc = tcase_create("txn");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, changes_invisible_until_commit);
    tcase_add_test(tc, abort_discards);
    tcase_add_test(tc, conflict_gives_eagain_and_retry_succeeds);
    tcase_add_test(tc, reads_see_first_version_after_outside_commit);
    tcase_add_test(tc, conflict_on_created_node);
    tcase_add_test(tc, disjoint_reads_do_not_conflict);
    tcase_add_test(tc, rm_and_perms_in_transaction);
    tcase_add_test(tc, transaction_id_errors);
    tcase_add_test(tc, many_transactions_interleaved);
    suite_add_tcase(s, tc);
    return s;
}
