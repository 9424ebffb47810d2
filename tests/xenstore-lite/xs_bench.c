/*
 * xs_bench.c: load generator for a xenstore daemon on a unix socket.
 *
 *   xs_bench SOCKET [SECONDS-PER-PHASE]
 *
 * Runs THREADS client connections (one thread each, synchronous requests
 * through the client library, as toolstack clients are) through phases:
 * write, read, directory, transaction (start, 2 reads, 2 writes, commit),
 * and watch (writers change watched nodes, one watcher counts events).
 * Each phase runs for a fixed time and prints "phase <name> <ops/s>".
 * Then "populate" writes POP_DOMS x POP_KEYS nodes shaped like device
 * entries (a fixed amount, timed) and leaves them, so that the caller can
 * read the daemon's memory use with a realistic store in it.
 * Every reply is checked; a failed request makes the run fail (exit 1).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xs_client.h"

#define THREADS  4
#define KEYS     100
#define POP_DOMS 200
#define POP_KEYS 50

static const char *sock;
static double seconds = 1.0;
static volatile int stop_flag;

struct worker {
    pthread_t th;
    int id;
    const char *phase;
    unsigned long ops, retries, errors;
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int one_txn(struct xsc *h, int id, unsigned long n, unsigned long *retries)
{
    char a[64], b[64], v[32];

    snprintf(a, sizeof(a), "/bench/t%d/k%lu", id, n % KEYS);
    snprintf(b, sizeof(b), "/bench/t%d/k%lu", id, (n + 1) % KEYS);
    for (;;) {
        uint32_t tx;
        char *x, *y;
        int len;

        if (xsc_transaction_start(h, &tx))
            return -1;
        x = xsc_read(h, tx, a, NULL);
        y = xsc_read(h, tx, b, NULL);
        free(x);
        free(y);
        len = snprintf(v, sizeof(v), "%lu", n);
        if (xsc_write(h, tx, a, v, (size_t)len) || xsc_write(h, tx, b, v, (size_t)len))
            return -1;
        if (xsc_transaction_end(h, tx, true) == 0)
            return 0;
        if (errno != EAGAIN)
            return -1;
        (*retries)++;
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct xsc *h = xsc_open(sock);
    char path[64], val[32];
    unsigned long n = 0;

    if (!h) {
        w->errors++;
        return NULL;
    }
    while (!__atomic_load_n(&stop_flag, __ATOMIC_ACQUIRE)) {
        int rc = 0;

        if (strcmp(w->phase, "write") == 0) {
            snprintf(path, sizeof(path), "/bench/t%d/k%lu", w->id, n % KEYS);
            rc = xsc_write(h, 0, path, val, (size_t)snprintf(val, sizeof(val), "v%lu", n));
        } else if (strcmp(w->phase, "read") == 0) {
            char *v;

            snprintf(path, sizeof(path), "/bench/t%d/k%lu", w->id, n % KEYS);
            v = xsc_read(h, 0, path, NULL);
            rc = v ? 0 : -1;
            free(v);
        } else if (strcmp(w->phase, "directory") == 0) {
            unsigned num;
            char **l;

            snprintf(path, sizeof(path), "/bench/t%d", w->id);
            l = xsc_directory(h, 0, path, &num);
            rc = l && num == KEYS ? 0 : -1;
            free(l);
        } else if (strcmp(w->phase, "transaction") == 0) {
            rc = one_txn(h, w->id, n, &w->retries);
        } else if (strcmp(w->phase, "watch") == 0) {
            snprintf(path, sizeof(path), "/bench/w/t%d", w->id);
            rc = xsc_write(h, 0, path, "x", 1);
        }
        if (rc)
            w->errors++;
        else
            w->ops++;
        n++;
    }
    xsc_close(h);
    return NULL;
}

struct watcher {
    pthread_t th;
    struct xsc *h;
    unsigned long events;
};

static void *watcher_main(void *arg)
{
    struct watcher *wt = arg;

    while (!__atomic_load_n(&stop_flag, __ATOMIC_ACQUIRE)) {
        char *p, *t;

        if (xsc_read_watch(wt->h, 50, &p, &t) == 0) {
            wt->events++;
            free(p);
        }
    }
    return NULL;
}

static int run_phase(const char *phase)
{
    struct worker w[THREADS];
    struct watcher wt = {0};
    unsigned long ops = 0, errors = 0, retries = 0;
    double t0, t1;
    int i;

    memset(w, 0, sizeof(w));
    if (strcmp(phase, "watch") == 0) {
        char *p, *t;

        wt.h = xsc_open(sock);
        if (!wt.h || xsc_watch(wt.h, "/bench/w", "bench") ||
            xsc_read_watch(wt.h, 1000, &p, &t)) /* the initial event */
            return -1;
        free(p);
        __atomic_store_n(&stop_flag, 0, __ATOMIC_RELEASE);
        pthread_create(&wt.th, NULL, watcher_main, &wt);
    }
    __atomic_store_n(&stop_flag, 0, __ATOMIC_RELEASE);
    t0 = now();
    for (i = 0; i < THREADS; i++) {
        w[i].id = i;
        w[i].phase = phase;
        pthread_create(&w[i].th, NULL, worker_main, &w[i]);
    }
    while (now() - t0 < seconds) {
        struct timespec ts = {0, 10 * 1000 * 1000};

        nanosleep(&ts, NULL);
    }
    __atomic_store_n(&stop_flag, 1, __ATOMIC_RELEASE);
    for (i = 0; i < THREADS; i++) {
        pthread_join(w[i].th, NULL);
        ops += w[i].ops;
        errors += w[i].errors;
        retries += w[i].retries;
    }
    t1 = now();
    if (wt.h) {
        pthread_join(wt.th, NULL);
        xsc_close(wt.h);
    }
    printf("phase %-11s %10.0f ops/s", phase, (double)ops / (t1 - t0));
    if (wt.h)
        printf("  (%.0f events/s delivered)", (double)wt.events / (t1 - t0));
    if (retries)
        printf("  (%lu EAGAIN retries)", retries);
    printf("\n");
    if (errors)
        fprintf(stderr, "xs_bench: %s: %lu failed requests\n", phase, errors);
    return errors ? -1 : 0;
}

struct pop {
    pthread_t th;
    int id, errors;
};

static void *pop_main(void *arg)
{
    struct pop *p = arg;
    struct xsc *h = xsc_open(sock);
    int dom, k;

    if (!h) {
        p->errors++;
        return NULL;
    }
    for (dom = p->id; dom < POP_DOMS; dom += THREADS)
        for (k = 0; k < POP_KEYS; k++) {
            char path[96], val[32];
            int l = snprintf(val, sizeof(val), "value-%d-%d", dom, k);

            snprintf(path, sizeof(path), "/local/domain/%d/device/vif/%d/prop-%d", dom + 1, k % 5,
                     k);
            if (xsc_write(h, 0, path, val, (size_t)l))
                p->errors++;
        }
    xsc_close(h);
    return NULL;
}

static int populate(void)
{
    struct pop p[THREADS];
    double t0 = now();
    int i, errors = 0;

    for (i = 0; i < THREADS; i++) {
        p[i].id = i;
        p[i].errors = 0;
        pthread_create(&p[i].th, NULL, pop_main, &p[i]);
    }
    for (i = 0; i < THREADS; i++) {
        pthread_join(p[i].th, NULL);
        errors += p[i].errors;
    }
    printf("phase %-11s %10.0f ops/s\n", "populate", POP_DOMS * POP_KEYS / (now() - t0));
    if (errors)
        fprintf(stderr, "xs_bench: populate: %d failed requests\n", errors);
    return errors ? -1 : 0;
}

int main(int argc, char **argv)
{
    static const char *const phases[] = {"write", "read", "directory", "transaction", "watch"};
    size_t i;
    int rc = 0;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: xs_bench SOCKET [SECONDS-PER-PHASE]\n");
        return 2;
    }
    sock = argv[1];
    if (argc == 3) {
        seconds = strtod(argv[2], NULL);
        if (seconds <= 0 || seconds > 60) {
            fprintf(stderr, "xs_bench: seconds must be in (0, 60]\n");
            return 2;
        }
    }
    for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
        rc |= run_phase(phases[i]);
    rc |= populate();
    return rc ? 1 : 0;
}
