/*
 * vane consoled [-d] [-r KIB_PER_SEC]: the console daemon, as Xen's
 * xenconsoled. It serves the console ring of every domain `vane create`
 * announces, and of the boot-time domUs `vane introduce` hands over: maps
 * the ring page (the domain's frame through privcmd, or for a boot-time
 * domain the grant its builder made, through gntdev),
 * binds the domain's event channel (/dev/xen/evtchn), copies what the
 * guest writes to `out` into /var/log/vane/console-DOMID.log and to the
 * attached `vane console` clients, and what the clients type into `in`.
 *
 * One process, one poll() loop, no threads. Requests come on the unix
 * socket /run/vane/consoled.sock (VANE_CONSOLED_SOCK overrides it), one
 * text line each (consoled_proto.h has the protocol).
 *
 * A flooding guest is throttled as xenconsoled does, by bytes rather than
 * events: time runs in 200 ms periods, and a domain that has written its
 * allowance (KIB_PER_SEC / 5) in the current period is not read again,
 * and its port stays masked, until the next one begins; the guest waits
 * on its full ring, nothing is lost, and the other domains and clients
 * are served meanwhile.
 *
 * A domain leaves on "del" (vane destroy and the keeper send it before
 * destroying the domain, so its frame is not held past its end) or when
 * the hypervisor no longer knows it (checked every second): its output is
 * drained one last time, its clients disconnected, its port unbound, its
 * page unmapped and its log closed.
 */
#define _GNU_SOURCE /* accept4 */
#include "consoled_proto.h"
#include "evtchn.h"
#include "gntdev.h"
#include "vane.h"
#include "xc.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <xen/grant_table.h>
#include <xen/io/console.h>

#define LOG_DIR       "/var/log/vane"
#define PERIOD_MS     200
#define LIVENESS_MS   1000
#define HISTORY       16384 /* output replayed to a client that attaches */
#define INPUT_MAX     1024  /* client input waiting for room in `in` */
#define CLIENT_OUTMAX 65536 /* output waiting for a slow client */
#define LINE_MAX_     256

struct dom {
    struct dom *next;
    domid_t id;
    uint64_t mfn;
    uint32_t remote_port, port;
    int evfd, log_fd;
    struct xencons_interface *intf;
    struct gnt_page gnt; /* the ring, when mapped by grant (adopt) */
    bool masked;         /* an event was read and its port not yet unmasked */
    bool throttled;      /* over its allowance: not read until period_end */
    bool broken;         /* its indices broke the protocol once (said once) */
    int64_t period_end;
    size_t period_bytes;
    uint64_t out_bytes, in_bytes, throttle_count;
    char hist[HISTORY];
    size_t hist_head, hist_len;
    char input[INPUT_MAX];
    size_t input_len;
};

enum client_state { C_REQUEST, C_ATTACHED, C_CLOSING };

struct client {
    struct client *next;
    int fd;
    enum client_state state;
    domid_t dom;
    bool rd_eof; /* it shut down its sending side */
    char line[LINE_MAX_];
    size_t line_len;
    char *out;
    size_t out_len;
    uint64_t dropped;
};

static struct xc xc;
static int gntfd = -1; /* /dev/xen/gntdev, opened for the first adopt */
static struct dom *doms;
static struct client *clients;
static size_t allowance; /* bytes per period */
static unsigned int rate_kib;

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    va_list ap;
    time_t t = time(NULL);
    char stamp[32];

    strftime(stamp, sizeof(stamp), "%H:%M:%S", localtime(&t));
    fprintf(stderr, "%s vane consoled: ", stamp);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct dom *find_dom(domid_t id)
{
    for (struct dom *d = doms; d; d = d->next)
        if (d->id == id)
            return d;
    return NULL;
}

/* Queue bytes for a client; what does not fit is dropped (and counted). */
static void client_queue(struct client *c, const char *buf, size_t n)
{
    size_t room = CLIENT_OUTMAX - c->out_len;

    if (n > room) {
        c->dropped += n - room;
        n = room;
    }
    memcpy(c->out + c->out_len, buf, n);
    c->out_len += n;
}

static void client_reply(struct client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void client_reply(struct client *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > 0)
        client_queue(c, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Guest output: to the log, the history and every attached client. */
static void dom_output(struct dom *d, const char *buf, size_t n)
{
    if (d->log_fd >= 0 && write(d->log_fd, buf, n) != (ssize_t)n)
        note("domain %u: log write failed: %s", d->id, strerror(errno));
    for (size_t i = 0; i < n; i++) {
        d->hist[(d->hist_head + d->hist_len) % HISTORY] = buf[i];
        if (d->hist_len < HISTORY)
            d->hist_len++;
        else
            d->hist_head = (d->hist_head + 1) % HISTORY;
    }
    for (struct client *c = clients; c; c = c->next)
        if (c->state == C_ATTACHED && c->dom == d->id)
            client_queue(c, buf, n);
    d->out_bytes += n;
}

/*
 * Take what the guest wrote, at most `limit` bytes, and tell it there is
 * room. The indices are the guest's: a producer more than a ring ahead
 * broke the protocol and gets its last ring's worth read.
 */
static size_t drain_out(struct dom *d, size_t limit)
{
    struct xencons_interface *intf = d->intf;
    XENCONS_RING_IDX cons = __atomic_load_n(&intf->out_cons, __ATOMIC_RELAXED);
    XENCONS_RING_IDX prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
    char buf[sizeof(intf->out)];
    size_t n = 0;

    if (prod - cons > sizeof(intf->out)) {
        if (!d->broken)
            note("domain %u: out ring indices broken (cons %u prod %u)", d->id, cons, prod);
        d->broken = true;
        cons = prod - (XENCONS_RING_IDX)sizeof(intf->out);
    }
    while (cons != prod && n < limit)
        buf[n++] = intf->out[MASK_XENCONS_IDX(cons++, intf->out)];
    if (!n)
        return 0;
    __atomic_store_n(&intf->out_cons, cons, __ATOMIC_RELEASE);
    evtchn_notify(d->evfd, d->port);
    dom_output(d, buf, n);
    return n;
}

/* Client input into the guest's `in` ring, as much as fits. */
static void push_in(struct dom *d)
{
    struct xencons_interface *intf = d->intf;
    XENCONS_RING_IDX cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX prod = __atomic_load_n(&intf->in_prod, __ATOMIC_RELAXED);
    size_t n = 0;

    if (!d->input_len)
        return;
    if (prod - cons > sizeof(intf->in)) {
        d->input_len = 0; /* the guest broke the ring: input is lost */
        return;
    }
    while (n < d->input_len && prod - cons < sizeof(intf->in))
        intf->in[MASK_XENCONS_IDX(prod++, intf->in)] = d->input[n++];
    if (!n)
        return;
    __atomic_store_n(&intf->in_prod, prod, __ATOMIC_RELEASE);
    memmove(d->input, d->input + n, d->input_len - n);
    d->input_len -= n;
    d->in_bytes += n;
    evtchn_notify(d->evfd, d->port);
}

/* Serve a domain now, within its allowance for this period. */
static void service(struct dom *d, int64_t now)
{
    if (now >= d->period_end) {
        d->period_end = now + PERIOD_MS;
        d->period_bytes = 0;
        d->throttled = false;
    }
    if (!d->throttled) {
        /* Unmask first: an event that comes after this wakes us again. */
        if (d->masked && !evtchn_unmask(d->evfd, d->port))
            d->masked = false;
        d->period_bytes += drain_out(d, allowance - d->period_bytes);
        if (d->period_bytes >= allowance) {
            if (!d->throttle_count)
                note("domain %u: over %u KiB/s, throttled: its ring is read once per %d ms", d->id,
                     rate_kib, PERIOD_MS);
            d->throttled = true;
            d->throttle_count++;
        }
    }
    push_in(d);
}

static void client_close(struct client *c)
{
    close(c->fd);
    c->fd = -1; /* reaped by the main loop */
}

static void unmap_ring(struct dom *d)
{
    if (d->gnt.addr)
        gntdev_unmap(gntfd, &d->gnt);
    else
        xc_unmap(d->intf, 1);
    d->intf = NULL;
}

/* Drain a going domain, disconnect its clients, give everything back. */
static void dom_remove(struct dom *d, const char *why)
{
    struct dom **pp = &doms;

    drain_out(d, SIZE_MAX);
    for (struct client *c = clients; c; c = c->next)
        if (c->state == C_ATTACHED && c->dom == d->id)
            c->state = C_CLOSING; /* flush what it has, then close */
    evtchn_unbind(d->evfd, d->port);
    evtchn_close(d->evfd);
    unmap_ring(d);
    if (d->log_fd >= 0)
        close(d->log_fd);
    note("domain %u: %s; closed its console (%" PRIu64 " bytes out, %" PRIu64
         " in, throttled %" PRIu64 " times)",
         d->id, why, d->out_bytes, d->in_bytes, d->throttle_count);
    while (*pp != d)
        pp = &(*pp)->next;
    *pp = d->next;
    free(d);
}

/*
 * Serve a new domain's console: its ring in frame `mfn`, or (mfn 0) the
 * one it granted at GNTTAB_RESERVED_CONSOLE; 0, or a message in err.
 */
static int dom_add(domid_t id, uint64_t mfn, uint32_t port, char *err, size_t errlen)
{
    struct dom *d = find_dom(id);
    struct xen_domctl_getdomaininfo info;
    char path[64], old[72];
    int rc;

    if (d)
        dom_remove(d, "announced again");
    rc = xc_domain_info(&xc, id, &info);
    if (rc) {
        snprintf(err, errlen, "domain %u: %s", id, strerror(-rc));
        return -1;
    }
    d = calloc(1, sizeof(*d));
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    d->id = id;
    d->mfn = mfn;
    d->remote_port = port;
    d->log_fd = -1;
    if (mfn) {
        d->intf = xc_map_foreign(&xc, id, &mfn, 1);
    } else {
        if (gntfd < 0)
            gntfd = gntdev_open();
        rc = gntfd < 0 ? gntfd : gntdev_map(gntfd, id, GNTTAB_RESERVED_CONSOLE, &d->gnt);
        if (rc < 0) {
            snprintf(err, errlen, "cannot map the console grant of domain %u: %s", id,
                     strerror(-rc));
            goto fail;
        }
        d->intf = d->gnt.addr;
    }
    if (!d->intf) {
        snprintf(err, errlen, "cannot map frame %#" PRIx64 " of domain %u", mfn, id);
        goto fail;
    }
    d->evfd = evtchn_open();
    if (d->evfd < 0) {
        snprintf(err, errlen, "/dev/xen/evtchn: %s", strerror(-d->evfd));
        goto fail;
    }
    rc = evtchn_bind_interdomain(d->evfd, id, port);
    if (rc < 0) {
        snprintf(err, errlen, "cannot bind port %u of domain %u: %s", port, id, strerror(-rc));
        evtchn_close(d->evfd);
        goto fail;
    }
    d->port = (uint32_t)rc;
    /* A log by domain id; a previous domain's of the same id is kept as .old. */
    snprintf(path, sizeof(path), LOG_DIR "/console-%u.log", id);
    snprintf(old, sizeof(old), "%s.old", path);
    rename(path, old);
    d->log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (d->log_fd < 0)
        note("domain %u: %s: %s (serving it without a log)", id, path, strerror(errno));
    d->next = doms;
    doms = d;
    note("domain %u: serving its console (frame %#" PRIx64 ", port %u, local port %u)", id, mfn,
         port, d->port);
    service(d, now_ms()); /* whatever it wrote before we came */
    return 0;
fail:
    unmap_ring(d);
    free(d);
    return -1;
}

static void history_to(struct dom *d, struct client *c)
{
    size_t first = HISTORY - d->hist_head;

    if (first > d->hist_len)
        first = d->hist_len;
    client_queue(c, d->hist + d->hist_head, first);
    client_queue(c, d->hist, d->hist_len - first);
}

static bool parse_domid(const char *s, domid_t *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 0);

    if (end == s || *end || v >= DOMID_FIRST_RESERVED)
        return false;
    *out = (domid_t)v;
    return true;
}

/* One request line (consoled_proto.h). */
static void request(struct client *c, char *line)
{
    char *argv[5];
    int argc = 0;
    domid_t id = 0;
    char err[160];
    struct dom *d;

    for (char *tok = strtok(line, " \t\r"); tok && argc < 5; tok = strtok(NULL, " \t\r"))
        argv[argc++] = tok;
    c->state = C_CLOSING; /* but for attach */
    if (argc >= 2 && strcmp(argv[0], "rate") && !parse_domid(argv[1], &id)) {
        client_reply(c, "error '%s' is not a domain id\n", argv[1]);
        return;
    }
    if (argc == 4 && !strcmp(argv[0], "add")) {
        char *e1, *e2;
        uint64_t mfn = strtoull(argv[2], &e1, 0);
        unsigned long port = strtoul(argv[3], &e2, 0);

        if (*e1 || *e2 || !mfn || !port) {
            client_reply(c, "error bad frame or port\n");
            return;
        }
        if (dom_add(id, mfn, (uint32_t)port, err, sizeof(err))) {
            note("add %u: %s", id, err);
            client_reply(c, "error %s\n", err);
            return;
        }
        client_reply(c, "ok\n");
    } else if (argc == 3 && !strcmp(argv[0], "adopt")) {
        char *e;
        unsigned long port = strtoul(argv[2], &e, 0);

        if (*e || !port) {
            client_reply(c, "error bad port\n");
            return;
        }
        if (dom_add(id, 0, (uint32_t)port, err, sizeof(err))) {
            note("adopt %u: %s", id, err);
            client_reply(c, "error %s\n", err);
            return;
        }
        client_reply(c, "ok\n");
    } else if (argc == 2 && !strcmp(argv[0], "del")) {
        d = find_dom(id);
        if (!d) {
            client_reply(c, "error domain %u is not served here\n", id);
            return;
        }
        dom_remove(d, "its end announced");
        client_reply(c, "ok\n");
    } else if ((argc == 2 || (argc == 3 && !strcmp(argv[2], "noreplay"))) &&
               !strcmp(argv[0], "attach")) {
        d = find_dom(id);
        if (!d) {
            client_reply(c, "error domain %u has no console served here\n", id);
            return;
        }
        client_reply(c, "ok\n");
        if (argc == 2)
            history_to(d, c);
        c->state = C_ATTACHED;
        c->dom = id;
    } else if (argc == 2 && !strcmp(argv[0], "rate")) {
        unsigned long kib = strtoul(argv[1], NULL, 10);
        if (!kib || kib > 1048576) {
            client_reply(c, "error bad rate '%s'\n", argv[1]);
            return;
        }
        rate_kib = (unsigned int)kib;
        allowance = (size_t)rate_kib * 1024 * PERIOD_MS / 1000;
        for (d = doms; d; d = d->next)
            d->throttle_count = 0; /* so that the next episode is said at the new rate */
        note("rate limit now %u KiB/s per domain", rate_kib);
        client_reply(c, "ok\n");
    } else if (argc == 1 && !strcmp(argv[0], "list")) {
        client_reply(c, "Domid  Port       Frame     Out(B)      In(B) Throttled Clients\n");
        for (d = doms; d; d = d->next) {
            unsigned int n = 0;
            for (struct client *k = clients; k; k = k->next)
                n += k->state == C_ATTACHED && k->dom == d->id;
            client_reply(c, "%5u %5u %#11" PRIx64 " %10" PRIu64 " %10" PRIu64 " %9" PRIu64 " %7u\n",
                         d->id, d->remote_port, d->mfn, d->out_bytes, d->in_bytes,
                         d->throttle_count, n);
        }
    } else {
        client_reply(
            c,
            "error unknown request (add DOMID MFN PORT, adopt DOMID PORT, del DOMID, attach DOMID "
            "[noreplay], list, rate KIB)\n");
    }
}

/* Input from an attached client, for its domain's `in` ring. */
static void attached_input(struct client *c, const char *buf, size_t n)
{
    struct dom *d = find_dom(c->dom);

    if (!d)
        return;
    if (n > INPUT_MAX - d->input_len)
        n = INPUT_MAX - d->input_len; /* polled only when there is room: never cuts */
    memcpy(d->input + d->input_len, buf, n);
    d->input_len += n;
    push_in(d);
}

static void client_readable(struct client *c)
{
    char buf[INPUT_MAX];
    size_t want = sizeof(buf);
    ssize_t n;

    if (c->state == C_ATTACHED) {
        struct dom *d = find_dom(c->dom);
        want = d ? INPUT_MAX - d->input_len : sizeof(buf);
        if (!want)
            return;
    } else if (c->state == C_REQUEST) {
        want = sizeof(c->line) - 1 - c->line_len;
    }
    n = read(c->fd, c->state == C_REQUEST ? c->line + c->line_len : buf, want);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        c->rd_eof = true;
        if (c->state == C_REQUEST || n < 0)
            client_close(c);
        return;
    }
    if (c->state == C_ATTACHED) {
        attached_input(c, buf, (size_t)n);
        return;
    }
    if (c->state != C_REQUEST)
        return;
    c->line_len += (size_t)n;
    c->line[c->line_len] = '\0';
    char *nl = strchr(c->line, '\n');
    if (!nl) {
        if (c->line_len == sizeof(c->line) - 1) {
            client_reply(c, "error request too long\n");
            c->state = C_CLOSING;
        }
        return;
    }
    *nl = '\0';
    size_t rest = c->line_len - (size_t)(nl + 1 - c->line);
    char after[LINE_MAX_];
    memcpy(after, nl + 1, rest);
    request(c, c->line);
    if (c->state == C_ATTACHED && rest)
        attached_input(c, after, rest); /* typed ahead of the reply */
}

static void client_writable(struct client *c)
{
    ssize_t n = write(c->fd, c->out, c->out_len);

    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            client_close(c);
        return;
    }
    memmove(c->out, c->out + n, c->out_len - (size_t)n);
    c->out_len -= (size_t)n;
}

static void accept_client(int lfd)
{
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    struct client *c;

    if (fd < 0)
        return;
    c = calloc(1, sizeof(*c));
    if (c)
        c->out = malloc(CLIENT_OUTMAX);
    if (!c || !c->out) {
        if (c)
            free(c);
        close(fd);
        return;
    }
    c->fd = fd;
    c->state = C_REQUEST;
    c->next = clients;
    clients = c;
}

static void reap_clients(void)
{
    struct client **pp = &clients;

    while (*pp) {
        struct client *c = *pp;
        if (c->fd >= 0 && c->state == C_CLOSING && !c->out_len)
            client_close(c);
        if (c->fd < 0) {
            if (c->dropped)
                note("a client of domain %u was too slow: %" PRIu64 " bytes not sent", c->dom,
                     c->dropped);
            *pp = c->next;
            free(c->out);
            free(c);
        } else {
            pp = &c->next;
        }
    }
}

/* Domains the hypervisor no longer knows, or that are being destroyed. */
static void check_liveness(void)
{
    struct dom *d = doms;

    while (d) {
        struct dom *next = d->next;
        struct xen_domctl_getdomaininfo info;
        int rc = xc_domain_info(&xc, d->id, &info);

        if (rc == -ESRCH)
            dom_remove(d, "gone");
        else if (!rc && (info.flags & XEN_DOMINF_dying))
            dom_remove(d, "dying");
        d = next;
    }
}

static int listen_socket(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(a.sun_path)) {
        fprintf(stderr, "vane consoled: socket path too long\n");
        return -1;
    }
    strcpy(a.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
        fprintf(stderr, "vane consoled: already running (%s answers)\n", path);
        close(fd);
        return -1;
    }
    close(fd);
    unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || chmod(path, 0600) ||
        listen(fd, 16)) {
        fprintf(stderr, "vane consoled: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int serve(int lfd)
{
    int64_t next_check = now_ms() + LIVENESS_MS;

    for (;;) {
        size_t nd = 0, nc = 0, i = 0;
        int64_t now = now_ms(), wake = next_check;

        for (struct dom *d = doms; d; d = d->next) {
            nd++;
            if (d->throttled && d->period_end < wake)
                wake = d->period_end;
            if (d->input_len && now + 100 < wake)
                wake = now + 100; /* input waiting for room: look again soon */
        }
        for (struct client *c = clients; c; c = c->next)
            nc++;

        struct pollfd *pfd = calloc(1 + nd + nc, sizeof(*pfd));
        struct dom **pd = calloc(nd + 1, sizeof(*pd));
        struct client **pc = calloc(nc + 1, sizeof(*pc));
        if (!pfd || !pd || !pc) {
            note("out of memory");
            return 1;
        }
        pfd[i++] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (struct dom *d = doms; d; d = d->next) {
            pd[i - 1] = d;
            pfd[i++] = (struct pollfd){.fd = d->throttled ? -1 : d->evfd, .events = POLLIN};
        }
        for (struct client *c = clients; c; c = c->next) {
            struct dom *d = c->state == C_ATTACHED ? find_dom(c->dom) : NULL;
            short ev = c->out_len ? POLLOUT : 0;
            if (c->state == C_REQUEST || (d && !c->rd_eof && d->input_len < INPUT_MAX))
                ev |= POLLIN;
            pc[i - 1 - nd] = c;
            pfd[i++] = (struct pollfd){.fd = c->fd, .events = ev};
        }

        int rc = poll(pfd, i, wake > now ? (int)(wake - now) : 0);
        if (rc < 0 && errno != EINTR) {
            note("poll: %s", strerror(errno));
            return 1;
        }
        now = now_ms();
        /* Domains first: their output reaches clients polled below. */
        for (size_t k = 0; k < nd; k++) {
            struct dom *d = pd[k];
            if (pfd[1 + k].revents & POLLIN) {
                while (evtchn_pending(d->evfd) >= 0)
                    d->masked = true;
            }
            service(d, now);
        }
        for (size_t k = 0; k < nc; k++) {
            struct client *c = pc[k];
            short re = pfd[1 + nd + k].revents;
            if (c->fd >= 0 && (re & POLLIN))
                client_readable(c);
            if (c->fd >= 0 && (re & POLLOUT))
                client_writable(c);
            if (c->fd >= 0 && (re & (POLLERR | POLLHUP | POLLNVAL)) && !(re & POLLIN))
                client_close(c);
        }
        if (pfd[0].revents & POLLIN)
            accept_client(lfd);
        free(pfd);
        free(pd);
        free(pc);
        if (now >= next_check) {
            check_liveness();
            next_check = now + LIVENESS_MS;
        }
        reap_clients();
    }
}

int cmd_consoled(int argc, char **argv)
{
    const char *sock = vane_consoled_socket();
    bool daemonize = false;
    int opt, lfd;

    rate_kib = 64;
    while ((opt = getopt(argc, argv, "dr:")) != -1) {
        switch (opt) {
        case 'd':
            daemonize = true;
            break;
        case 'r':
            rate_kib = (unsigned int)strtoul(optarg, NULL, 10);
            if (rate_kib)
                break;
            /* fall through */
        default:
            fprintf(stderr, "usage: vane consoled [-d] [-r KIB_PER_SEC]\n");
            return 2;
        }
    }
    allowance = (size_t)rate_kib * 1024 * PERIOD_MS / 1000;
    signal(SIGPIPE, SIG_IGN);
    mkdir("/run", 0755);
    mkdir("/run/vane", 0700);
    mkdir("/var/log", 0755);
    mkdir(LOG_DIR, 0755);
    if (xc_open(&xc))
        return 1;
    lfd = listen_socket(sock);
    if (lfd < 0)
        return 1;
    if (daemonize) {
        /* The socket answers once we return: the caller may use it at once. */
        pid_t pid = fork();
        int logfd;

        if (pid < 0) {
            perror("vane consoled: fork");
            return 1;
        }
        if (pid > 0) {
            printf("vane consoled: running as %d, %s, logs in " LOG_DIR "\n", (int)pid, sock);
            return 0;
        }
        setsid();
        logfd = open(LOG_DIR "/consoled.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (logfd >= 0) {
            dup2(logfd, STDERR_FILENO);
            close(logfd);
        }
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDOUT_FILENO);
            close(devnull);
        }
    }
    note("serving consoles on %s, at most %u KiB/s per domain", sock, rate_kib);
    return serve(lfd);
}
