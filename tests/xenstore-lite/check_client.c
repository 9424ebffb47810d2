/*
 * check_client.c: the client library against a real daemon on a unix
 * socket in a temporary directory, the daemon running its own loop in a
 * second thread as it would in dom0.
 *
 * The character-device path (dom0's /dev/xen/xenbus) is played by a
 * pseudo-terminal in raw mode: the client opens the slave, a character
 * device, and a bridge thread copies bytes between the master and a
 * socket connection to the daemon, as the kernel would over its ring.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
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

/* --- a character device in front of the daemon ------------------------- */

static int pty_master = -1, pty_slave = -1, bridge_sock = -1;
static char pty_path[64];
static pthread_t bridge;
static volatile int bridge_stop;

/* Copy what one side has to the other; -1 when a side is gone. */
static int pass(int from, int to)
{
    char buf[4096];
    ssize_t n = read(from, buf, sizeof(buf)), done = 0;

    if (n <= 0)
        return -1;
    while (done < n) {
        ssize_t w = write(to, buf + done, (size_t)(n - done));

        if (w < 0)
            return -1;
        done += w;
    }
    return 0;
}

static void *bridge_main(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&bridge_stop, __ATOMIC_ACQUIRE)) {
        struct pollfd p[2] = {{.fd = pty_master, .events = POLLIN},
                              {.fd = bridge_sock, .events = POLLIN}};

        if (poll(p, 2, 20) <= 0)
            continue;
        if ((p[0].revents & POLLIN) && pass(pty_master, bridge_sock))
            break;
        if ((p[1].revents & POLLIN) && pass(bridge_sock, pty_master))
            break;
    }
    return NULL;
}

static void dev_setup(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct termios t;

    setup();
    pty_master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    ck_assert_int_ge(pty_master, 0);
    ck_assert_int_eq(grantpt(pty_master), 0);
    ck_assert_int_eq(unlockpt(pty_master), 0);
    ck_assert_int_eq(ptsname_r(pty_master, pty_path, sizeof(pty_path)), 0);
    /* Raw: bytes pass unchanged, NULs included, nothing echoed. */
    pty_slave = open(pty_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    ck_assert_int_ge(pty_slave, 0);
    ck_assert_int_eq(tcgetattr(pty_slave, &t), 0);
    cfmakeraw(&t);
    ck_assert_int_eq(tcsetattr(pty_slave, TCSANOW, &t), 0);
    memcpy(sa.sun_path, sock, strlen(sock) + 1);
    bridge_sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(bridge_sock, 0);
    ck_assert_int_eq(connect(bridge_sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
    bridge_stop = 0;
    ck_assert_int_eq(pthread_create(&bridge, NULL, bridge_main, NULL), 0);
}

static void dev_teardown(void)
{
    __atomic_store_n(&bridge_stop, 1, __ATOMIC_RELEASE);
    pthread_join(bridge, NULL);
    close(bridge_sock);
    close(pty_slave);
    close(pty_master);
    teardown();
}

START_TEST(chardev_requests_and_errors)
{
    struct stat st;
    struct xsc *h, *s;
    char *v, **names;
    unsigned n;
    size_t len;

    ck_assert_int_eq(stat(pty_path, &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    h = xsc_open(pty_path);
    ck_assert_ptr_nonnull(h);
    s = xsc_open(sock);
    ck_assert_ptr_nonnull(s);
    /* written through the device, read back over the socket, and back */
    ck_assert_int_eq(xsc_write(h, 0, "/dev/a", "one", 3), 0);
    v = xsc_read(s, 0, "/dev/a", &len);
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(v, "one");
    free(v);
    ck_assert_int_eq(xsc_write(s, 0, "/dev/b", "two\0bytes", 9), 0);
    v = xsc_read(h, 0, "/dev/b", &len);
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(len, 9);
    ck_assert_mem_eq(v, "two\0bytes", 9);
    free(v);
    names = xsc_directory(h, 0, "/dev", &n);
    ck_assert_ptr_nonnull(names);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(names[0], "a");
    ck_assert_str_eq(names[1], "b");
    free(names);
    ck_assert_ptr_null(xsc_read(h, 0, "/dev/none", NULL));
    ck_assert_int_eq(errno, ENOENT);
    xsc_close(s);
    xsc_close(h);
}
END_TEST

START_TEST(chardev_watch_and_transaction)
{
    struct xsc *h = xsc_open(pty_path), *s = xsc_open(sock);
    char *path, *token, *v;
    uint32_t tx;

    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(xsc_watch(h, "/w", "tk"), 0);
    ck_assert_int_eq(xsc_read_watch(h, 1000, &path, &token), 0);
    ck_assert_str_eq(path, "/w");
    ck_assert_str_eq(token, "tk");
    free(path);
    ck_assert_int_eq(xsc_write(s, 0, "/w/x", "1", 1), 0);
    ck_assert_int_eq(xsc_read_watch(h, 1000, &path, &token), 0);
    ck_assert_str_eq(path, "/w/x");
    free(path);
    ck_assert_int_eq(xsc_transaction_start(h, &tx), 0);
    ck_assert_int_eq(xsc_write(h, tx, "/w/y", "2", 1), 0);
    ck_assert_ptr_null(xsc_read(s, 0, "/w/y", NULL)); /* not yet committed */
    ck_assert_int_eq(xsc_transaction_end(h, tx, true), 0);
    v = xsc_read(s, 0, "/w/y", NULL);
    ck_assert_str_eq(v, "2");
    free(v);
    xsc_close(s);
    xsc_close(h);
}
END_TEST

START_TEST(chardev_open_modes)
{
    struct xsc *h;

    /* /dev/null is a character device: opened, not connected to */
    h = xsc_open("/dev/null");
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_null(xsc_read(h, 0, "/x", NULL)); /* end of file: no reply */
    ck_assert_int_eq(errno, ECONNRESET);
    ck_assert_ptr_null(xsc_read(h, 0, "/x", NULL)); /* the stream is broken */
    ck_assert_int_eq(errno, EIO);
    xsc_close(h);
    /* a regular file is neither: connect() says so */
    ck_assert_ptr_null(xsc_open("/etc/passwd"));
    ck_assert_int_eq(errno, ECONNREFUSED);
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
    tc = tcase_create("client-chardev");
    tcase_add_checked_fixture(tc, dev_setup, dev_teardown);
    tcase_add_test(tc, chardev_requests_and_errors);
    tcase_add_test(tc, chardev_watch_and_transaction);
    tcase_add_test(tc, chardev_open_modes);
    suite_add_tcase(s, tc);
    return s;
}
