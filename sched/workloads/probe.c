/*
 * vw-probe: a latency probe over an event channel or the network.
 *
 *   vw-probe serve [DOM]  (in the guest) binds a port the control domain
 *       (or DOM) may connect to, prints "probe: port P", and answers every
 *       event on it with one back.
 *   vw-probe ping DOM PORT [COUNT [INTERVAL_MS [TIMEOUT_MS]]]  (in dom0)
 *       connects to DOM's port, sends COUNT events (100) INTERVAL_MS apart
 *       (10) and times each answer: "probe: n=N rtt_us p50=A p99=B max=C
 *       lost=L", an answer later than TIMEOUT_MS (1000) being lost.
 *   vw-probe udp-serve [PORT]  echoes every UDP datagram to PORT (7777)
 *       back to its sender, after printing "probe: udp port PORT".
 *   vw-probe udp-ping ADDR PORT [COUNT [INTERVAL_MS [TIMEOUT_MS]]]  times COUNT
 *       datagrams' round trips to ADDR:PORT, reported as ping's.
 *
 * The event-channel ends go through Linux's /dev/xen/evtchn (a domain may
 * connect to its own port, so both can run in dom0); the network ones
 * through the guest's network front-end and dom0's bridge.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
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

/*
 * One round trip of a ping: send, then wait up to timeout_ms for the answer.
 * 0 when it came back.
 */
struct link {
    int fd, port, timeout_ms;
    int (*round)(struct link *l);
};

static int evtchn_round(struct link *l)
{
    struct ioctl_evtchn_notify nt = {.port = (unsigned int)l->port};

    if (ioctl(l->fd, IOCTL_EVTCHN_NOTIFY, &nt) < 0)
        return -1;
    return next_event(l->fd, l->timeout_ms) == l->port ? 0 : -1;
}

/* The datagram carries its sequence number, so a late answer to an earlier
 * one is not taken for this one's. */
static int udp_round(struct link *l)
{
    uint32_t seq = (uint32_t)++l->port, got;
    struct pollfd p = {.fd = l->fd, .events = POLLIN};
    long long until = now_ns() + l->timeout_ms * 1000000LL;

    if (send(l->fd, &seq, sizeof(seq), 0) != (ssize_t)sizeof(seq))
        return -1;
    for (;;) {
        long long left = until - now_ns();

        if (left <= 0 || poll(&p, 1, (int)(left / 1000000) + 1) != 1)
            return -1;
        if (recv(l->fd, &got, sizeof(got), 0) == (ssize_t)sizeof(got) && got == seq)
            return 0;
    }
}

static int ping(struct link *l, unsigned long count, unsigned long interval_ms)
{
    long long *rtt = calloc(count ? count : 1, sizeof(*rtt));
    unsigned long n = 0, lost = 0;

    if (!rtt)
        return 1;
    for (unsigned long i = 0; i < count; i++) {
        long long t0 = now_ns();

        if (l->round(l) == 0)
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

static int evtchn_ping(unsigned int dom, unsigned int rport, unsigned long count,
                       unsigned long interval_ms, int timeout_ms)
{
    int fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    struct ioctl_evtchn_bind_interdomain b = {.remote_domain = dom, .remote_port = rport};
    struct link l = {.fd = fd, .timeout_ms = timeout_ms, .round = evtchn_round};

    if (fd < 0 || (l.port = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b)) < 0) {
        perror("vw-probe: connecting");
        return 1;
    }
    return ping(&l, count, interval_ms);
}

static int udp_socket(const char *addr, unsigned int port, int bind_it)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    if (fd < 0 || port == 0 || port > 65535 ||
        (addr && inet_pton(AF_INET, addr, &a.sin_addr) != 1)) {
        fprintf(stderr, "vw-probe: bad address or port\n");
        return -1;
    }
    if ((bind_it ? bind(fd, (struct sockaddr *)&a, sizeof(a))
                 : connect(fd, (struct sockaddr *)&a, sizeof(a))) < 0) {
        perror("vw-probe: socket");
        close(fd);
        return -1;
    }
    return fd;
}

static int udp_serve(unsigned int port)
{
    int fd = udp_socket(NULL, port, 1);

    if (fd < 0)
        return 1;
    printf("probe: udp port %u\n", port);
    for (;;) {
        char buf[64];
        struct sockaddr_in from;
        socklen_t len = sizeof(from);
        ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);

        if (n > 0)
            sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
    }
}

int main(int argc, char **argv)
{
    unsigned long count = argc > 4 ? strtoul(argv[4], NULL, 0) : 100;
    unsigned long interval = argc > 5 ? strtoul(argv[5], NULL, 0) : 10;
    long timeout = argc > 6 ? strtol(argv[6], NULL, 0) : 1000;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (timeout <= 0 || timeout > 60000) {
        fprintf(stderr, "vw-probe: TIMEOUT_MS is 1..60000\n");
        return 2;
    }
    if (argc >= 2 && !strcmp(argv[1], "serve")) {
        int fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);

        if (fd < 0) {
            perror("vw-probe: /dev/xen/evtchn");
            return 1;
        }
        return serve(fd, argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 0);
    }
    if (argc >= 4 && !strcmp(argv[1], "ping"))
        return evtchn_ping((unsigned int)strtoul(argv[2], NULL, 0),
                           (unsigned int)strtoul(argv[3], NULL, 0), count, interval, (int)timeout);
    if (argc >= 2 && !strcmp(argv[1], "udp-serve"))
        return udp_serve(argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 7777);
    if (argc >= 4 && !strcmp(argv[1], "udp-ping")) {
        struct link l = {.timeout_ms = (int)timeout, .round = udp_round};

        l.fd = udp_socket(argv[2], (unsigned int)strtoul(argv[3], NULL, 0), 0);
        return l.fd < 0 ? 1 : ping(&l, count, interval);
    }
    fprintf(stderr,
            "usage: vw-probe serve [DOM] | ping DOM PORT [COUNT [INTERVAL_MS [TIMEOUT_MS]]]\n"
            "       vw-probe udp-serve [PORT] | udp-ping ADDR PORT [COUNT [INTERVAL_MS "
            "[TIMEOUT_MS]]]\n");
    return 2;
}
