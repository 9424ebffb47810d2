/*
 * check_client.c: the client library against a real daemon on a unix
 * socket in a temporary directory, the daemon running its own loop in a
 * second thread as it would in dom0.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xenstored.h"
#include "xs_client.h"
#include "suites.h"

static char dir[64], sock[96];
static pthread_t thread;
static volatile int stop;
static volatile int ready;

static void *daemon_main(void *arg)
{
    struct xs_daemon_opts o = {sock, XS_QUOTA_DEFAULT, NULL};
    struct xs_daemon *d = xs_daemon_create(&o);

    (void)arg;
    __atomic_store_n(&ready, d ? 1 : -1, __ATOMIC_RELEASE);
    while (d && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
        xs_daemon_step(d, 20);
    xs_daemon_destroy(d);
    return NULL;
}

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/xs-check-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(sock, sizeof(sock), "%s/socket", dir);
    stop = 0;
    ready = 0;
    ck_assert_int_eq(pthread_create(&thread, NULL, daemon_main, NULL), 0);
    while (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
        usleep(1000);
    ck_assert_int_eq(ready, 1);
}

static void teardown(void)
{
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    pthread_join(thread, NULL);
    unlink(sock);
    rmdir(dir);
}

START_TEST(read_write_directory)
{
    struct xsc *h = xsc_open(sock);
    char *v, **names;
    unsigned n;
    size_t len;

    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(xsc_write(h, 0, "/c/a", "one", 3), 0);
    ck_assert_int_eq(xsc_write(h, 0, "/c/b", "two", 3), 0);
    v = xsc_read(h, 0, "/c/a", &len);
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(len, 3);
    ck_assert_str_eq(v, "one");
    free(v);
    names = xsc_directory(h, 0, "/c", &n);
    ck_assert_ptr_nonnull(names);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(names[0], "a");
    ck_assert_str_eq(names[1], "b");
    ck_assert_ptr_null(names[2]);
    free(names);
    ck_assert_ptr_null(xsc_read(h, 0, "/c/none", NULL));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_int_eq(xsc_write(h, 0, "bad//path", "", 0), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(xsc_mkdir(h, 0, "/c/d"), 0);
    ck_assert_int_eq(xsc_rm(h, 0, "/c"), 0);
    ck_assert_ptr_null(xsc_read(h, 0, "/c/a", NULL));
    xsc_close(h);
}
END_TEST

START_TEST(perms)
{
    struct xsc *h = xsc_open(sock);
    const char *set[] = {"b3", "r4"};
    char **p;
    unsigned n;

    ck_assert_int_eq(xsc_write(h, 0, "/p", "", 0), 0);
    ck_assert_int_eq(xsc_set_perms(h, 0, "/p", set, 2), 0);
    p = xsc_get_perms(h, 0, "/p", &n);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(p[0], "b3");
    ck_assert_str_eq(p[1], "r4");
    free(p);
    xsc_close(h);
}
END_TEST

START_TEST(watch_across_handles)
{
    struct xsc *w = xsc_open(sock), *h = xsc_open(sock);
    char *path, *token;

    ck_assert_int_eq(xsc_watch(w, "/wt", "tk"), 0);
    ck_assert_int_eq(xsc_read_watch(w, 1000, &path, &token), 0);
    ck_assert_str_eq(path, "/wt");
    ck_assert_str_eq(token, "tk");
    free(path);
    ck_assert_int_eq(xsc_read_watch(w, 10, &path, &token), -1);
    ck_assert_int_eq(errno, ETIMEDOUT);
    ck_assert_int_eq(xsc_write(h, 0, "/wt/x", "1", 1), 0);
    ck_assert_int_eq(xsc_read_watch(w, 1000, &path, &token), 0);
    ck_assert_str_eq(path, "/wt/x");
    free(path);
    /* an event arriving while waiting for a reply is kept for later */
    ck_assert_int_eq(xsc_write(w, 0, "/wt/y", "2", 1), 0);
    ck_assert_int_eq(xsc_read_watch(w, 1000, &path, &token), 0);
    ck_assert_str_eq(path, "/wt/y");
    free(path);
    ck_assert_int_eq(xsc_unwatch(w, "/wt", "tk"), 0);
    ck_assert_int_eq(xsc_unwatch(w, "/wt", "tk"), -1);
    ck_assert_int_eq(errno, ENOENT);
    xsc_close(w);
    xsc_close(h);
}
END_TEST

START_TEST(transaction_retry_loop)
{
    struct xsc *a = xsc_open(sock), *b = xsc_open(sock);
    uint32_t tx;
    int tries = 0, rc;
    char *v;

    ck_assert_int_eq(xsc_write(a, 0, "/n", "0", 1), 0);
    do {
        long n;

        ck_assert_int_eq(xsc_transaction_start(a, &tx), 0);
        v = xsc_read(a, tx, "/n", NULL);
        ck_assert_ptr_nonnull(v);
        n = strtol(v, NULL, 10);
        free(v);
        if (tries++ == 0)
            ck_assert_int_eq(xsc_write(b, 0, "/n", "10", 2), 0); /* interfere once */
        {
            char buf[16];
            int l = snprintf(buf, sizeof(buf), "%ld", n + 1);

            ck_assert_int_eq(xsc_write(a, tx, "/n", buf, (size_t)l), 0);
        }
        rc = xsc_transaction_end(a, tx, true);
        if (rc)
            ck_assert_int_eq(errno, EAGAIN);
    } while (rc);
    ck_assert_int_eq(tries, 2);
    v = xsc_read(b, 0, "/n", NULL);
    ck_assert_str_eq(v, "11");
    free(v);
    xsc_close(a);
    xsc_close(b);
}
END_TEST

#define INCR_THREADS 4
#define INCR_EACH    150

/* Increment /counter INCR_EACH times, each in a transaction retried on EAGAIN. */
static void *incrementer(void *arg)
{
    struct xsc *h = xsc_open(sock);
    unsigned long *retries = arg;
    int i;

    ck_assert_ptr_nonnull(h);
    for (i = 0; i < INCR_EACH; i++) {
        for (;;) {
            char *v, buf[16];
            uint32_t tx;
            int l;

            ck_assert_int_eq(xsc_transaction_start(h, &tx), 0);
            v = xsc_read(h, tx, "/counter", NULL);
            ck_assert_ptr_nonnull(v);
            l = snprintf(buf, sizeof(buf), "%ld", strtol(v, NULL, 10) + 1);
            free(v);
            ck_assert_int_eq(xsc_write(h, tx, "/counter", buf, (size_t)l), 0);
            if (xsc_transaction_end(h, tx, true) == 0)
                break;
            ck_assert_int_eq(errno, EAGAIN);
            (*retries)++;
        }
    }
    xsc_close(h);
    return NULL;
}

START_TEST(concurrent_transactions_lose_no_update)
{
    struct xsc *h = xsc_open(sock);
    pthread_t th[INCR_THREADS];
    unsigned long retries[INCR_THREADS] = {0};
    char *v;
    int i;

    ck_assert_int_eq(xsc_write(h, 0, "/counter", "0", 1), 0);
    for (i = 0; i < INCR_THREADS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, incrementer, &retries[i]), 0);
    for (i = 0; i < INCR_THREADS; i++)
        pthread_join(th[i], NULL);
    v = xsc_read(h, 0, "/counter", NULL);
    ck_assert_str_eq(v, "600"); /* INCR_THREADS * INCR_EACH: no lost update */
    free(v);
    xsc_close(h);
}
END_TEST

START_TEST(domain_path_and_privileged)
{
    struct xsc *h = xsc_open(sock);
    char *p = xsc_get_domain_path(h, 12);

    ck_assert_str_eq(p, "/local/domain/12");
    free(p);
    /* no ring environment in this daemon: nothing to map */
    ck_assert_int_eq(xsc_introduce(h, 5, 100, 7), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(xsc_release(h, 5), -1);
    ck_assert_int_eq(errno, ENOENT);
    xsc_close(h);
}
END_TEST

START_TEST(open_fails_cleanly)
{
    ck_assert_ptr_null(xsc_open("/nonexistent/dir/socket"));
    ck_assert_int_eq(errno, ENOENT);
}
END_TEST

Suite *suite_client(void)
{
    Suite *s = suite_create("client");
    TCase *tc = tcase_create("client");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, read_write_directory);
    tcase_add_test(tc, perms);
    tcase_add_test(tc, watch_across_handles);
    tcase_add_test(tc, transaction_retry_loop);
    tcase_add_test(tc, concurrent_transactions_lose_no_update);
    tcase_add_test(tc, domain_path_and_privileged);
    tcase_add_test(tc, open_fails_cleanly);
    suite_add_tcase(s, tc);
    return s;
}
