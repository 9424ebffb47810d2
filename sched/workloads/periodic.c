/*
 * vw-periodic -p MS -c MS [-n COUNT] [-r EVERY]: a periodic task for a
 * Linux guest. It is released every P ms (absolute CLOCK_MONOTONIC
 * times, so lateness does not drift the releases), computes C ms of its
 * own CPU time, and records for each release its wake-up latency (when
 * it ran, after the release) and whether it finished past the next
 * release (a missed deadline). Every EVERY releases (default 100) and at
 * the end (COUNT releases, or SIGINT/SIGTERM) it prints
 *   periodic: n=N lat_us p50=A p99=B max=C missed=M
 * and at the end one line per latency, "periodic-lat: US", when -l is given.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int s)
{
    (void)s;
    stop = 1;
}

static long long ns_of(const struct timespec *t)
{
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long clock_ns(clockid_t c)
{
    struct timespec t;

    clock_gettime(c, &t);
    return ns_of(&t);
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

static void report(long long *lat, unsigned long n, unsigned long missed)
{
    long long *s;

    if (!n)
        return;
    s = malloc(n * sizeof(*s));
    if (!s)
        return;
    memcpy(s, lat, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp);
    printf("periodic: n=%lu lat_us p50=%.1f p99=%.1f max=%.1f missed=%lu\n", n,
           (double)s[(n - 1) / 2] / 1e3, (double)s[(n * 99 + 99) / 100 - 1] / 1e3,
           (double)s[n - 1] / 1e3, missed);
    free(s);
}

int main(int argc, char **argv)
{
    long long period = 0, compute = 0, release, *lat;
    unsigned long count = 0, every = 100, n = 0, missed = 0, cap = 1024;
    int opt, list = 0;
    struct sigaction sa = {0};

    while ((opt = getopt(argc, argv, "p:c:n:r:l")) != -1) {
        switch (opt) {
        case 'p':
            period = (long long)(strtod(optarg, NULL) * 1e6);
            break;
        case 'c':
            compute = (long long)(strtod(optarg, NULL) * 1e6);
            break;
        case 'n':
            count = strtoul(optarg, NULL, 0);
            break;
        case 'r':
            every = strtoul(optarg, NULL, 0);
            break;
        case 'l':
            list = 1;
            break;
        default:
            period = 0;
            break;
        }
    }
    if (period <= 0 || compute < 0 || compute >= period) {
        fprintf(stderr, "usage: vw-periodic -p MS -c MS [-n COUNT] [-r EVERY] [-l]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    lat = malloc(cap * sizeof(*lat));
    if (!lat)
        return 1;
    release = clock_ns(CLOCK_MONOTONIC) + period;
    while (!stop && (!count || n < count)) {
        struct timespec r = {release / 1000000000LL, release % 1000000000LL};
        long long woke, cpu0;

        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &r, NULL) && !stop)
            ;
        if (stop)
            break;
        woke = clock_ns(CLOCK_MONOTONIC);
        cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
        while (clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0 < compute)
            ;
        if (n == cap) {
            long long *p = realloc(lat, 2 * cap * sizeof(*lat));

            if (!p)
                break;
            lat = p;
            cap *= 2;
        }
        lat[n++] = woke - release;
        if (clock_ns(CLOCK_MONOTONIC) > release + period)
            missed++;
        release += period;
        if (every && n % every == 0)
            report(lat, n, missed);
    }
    report(lat, n, missed);
    for (unsigned long i = 0; list && i < n; i++)
        printf("periodic-lat: %.1f\n", (double)lat[i] / 1e3);
    free(lat);
    return 0;
}
