/*
 * vw-probe: a latency probe over an event channel.
 *
 *   vw-probe serve [DOM]  (in the guest) binds a port the control domain
 *       (or DOM) may connect to, prints "probe: port P", and answers every
 *       event on it with one back.
 *   vw-probe ping DOM PORT [COUNT [INTERVAL_MS]]  (in dom0) connects to
 *       DOM's port, sends COUNT events (100) INTERVAL_MS apart (10) and
 *       times each answer: "probe: n=N rtt_us p50=A p99=B max=C lost=L".
 *
 * Both ends go through Linux's /dev/xen/evtchn (a domain may connect to
 * its own port, so both can run in dom0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/sys/evtchn.h>

static long long now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

/* The next port that fired within ms milliseconds, or -1. */
static int next_event(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    uint32_t port;

    if (poll(&p, 1, ms) != 1 || read(fd, &port, sizeof(port)) != (ssize_t)sizeof(port))
        return -1;
    /* Writing the port back unmasks it. */
    if (write(fd, &port, sizeof(port)) != (ssize_t)sizeof(port))
        return -1;
    return (int)port;
}

static int serve(int fd, unsigned int dom)
{
    struct ioctl_evtchn_bind_unbound_port b = {.remote_domain = dom};
    int port = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);

    if (port < 0) {
        perror("vw-probe: binding a port");
        return 1;
    }
    printf("probe: port %d\n", port);
    fflush(stdout);
    for (;;) {
        struct ioctl_evtchn_notify n = {.port = (unsigned int)port};

        if (next_event(fd, -1) == port)
            ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n);
    }
}

static int ping(int fd, unsigned int dom, unsigned int rport, unsigned long count,
                unsigned long interval_ms)
{
    struct ioctl_evtchn_bind_interdomain b = {.remote_domain = dom, .remote_port = rport};
    int port = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
    long long *rtt = calloc(count ? count : 1, sizeof(*rtt));
    unsigned long n = 0, lost = 0;

    if (port < 0 || !rtt) {
        perror("vw-probe: connecting");
        return 1;
    }
    for (unsigned long i = 0; i < count; i++) {
        struct ioctl_evtchn_notify nt = {.port = (unsigned int)port};
        long long t0 = now_ns();

        ioctl(fd, IOCTL_EVTCHN_NOTIFY, &nt);
        if (next_event(fd, 1000) == port)
            rtt[n++] = now_ns() - t0;
        else
            lost++;
        usleep((useconds_t)(interval_ms * 1000));
    }
    qsort(rtt, n, sizeof(*rtt), cmp);
    if (n)
        printf("probe: n=%lu rtt_us p50=%.1f p99=%.1f max=%.1f lost=%lu\n", n,
               (double)rtt[(n - 1) / 2] / 1e3, (double)rtt[(n * 99 + 99) / 100 - 1] / 1e3,
               (double)rtt[n - 1] / 1e3, lost);
    else
        printf("probe: n=0 lost=%lu\n", lost);
    free(rtt);
    return n ? 0 : 1;
}

int main(int argc, char **argv)
{
    int fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        perror("vw-probe: /dev/xen/evtchn");
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && !strcmp(argv[1], "serve"))
        return serve(fd, argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 0);
    if (argc >= 4 && !strcmp(argv[1], "ping"))
        return ping(
            fd, (unsigned int)strtoul(argv[2], NULL, 0), (unsigned int)strtoul(argv[3], NULL, 0),
            argc > 4 ? strtoul(argv[4], NULL, 0) : 100, argc > 5 ? strtoul(argv[5], NULL, 0) : 10);
    fprintf(stderr, "usage: vw-probe serve [DOM] | ping DOM PORT [COUNT [INTERVAL_MS]]\n");
    return 2;
}
