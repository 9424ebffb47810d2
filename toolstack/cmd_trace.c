/*
 * vane trace [-e MASK] [-S PAGES] [-T SECS] [-s MS] [-D] [-x] FILE: record
 * the hypervisor's trace buffers into FILE in xentrace's binary format,
 * as Xen's xentrace does (and from the same interface, so each reads the
 * other's buffers): XEN_SYSCTL_tbuf_op sizes the buffers (once per boot;
 * -S, 32 pages per pCPU by default), sets the event mask (-e: a number,
 * or sched, pv, gen, all) and enables them; the t_info and every pCPU's
 * buffer are mapped as frames of DOMID_XEN; every -s milliseconds (100)
 * or on VIRQ_TBUF, each pCPU's new records are written out, each window
 * after a TRC_TRACE_CPU_CHANGE record naming the pCPU and the window's
 * size, and the consumer index moved on. It stops after -T seconds or on
 * SIGINT/SIGTERM, reads the buffers a last time and disables tracing
 * (unless -x). -D drops what the buffers held before it started.
 *
 * FILE "-" is standard output.
 */
#define _GNU_SOURCE
#include "evtchn.h"
#include "vane.h"
#include "xc.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xen/trace.h>

#define PAGE_SIZE     4096UL
#define DEFAULT_PAGES 32

struct cpu_change_record {
    uint32_t header;
    uint32_t cpu;
    uint32_t window_size;
};
#define CPU_CHANGE_HEADER (TRC_TRACE_CPU_CHANGE | (2u << TRACE_EXTRA_SHIFT))

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int tbuf_op(struct xc *xc, uint32_t cmd, struct xen_sysctl_tbuf_op *out, uint32_t arg)
{
    struct xen_sysctl s = {0};
    int rc;

    s.u.tbuf_op.cmd = cmd;
    if (cmd == XEN_SYSCTL_TBUFOP_set_size)
        s.u.tbuf_op.size = arg;
    if (cmd == XEN_SYSCTL_TBUFOP_set_evt_mask)
        s.u.tbuf_op.evt_mask = arg;
    rc = xc_sysctl(xc, &s, XEN_SYSCTL_tbuf_op);
    if (out)
        *out = s.u.tbuf_op;
    return rc;
}

static int parse_mask(const char *s, uint32_t *mask)
{
    static const struct {
        const char *name;
        uint32_t mask;
    } classes[] = {{"gen", TRC_GEN}, {"sched", TRC_SCHED}, {"dom0op", TRC_DOM0OP},
                   {"mem", TRC_MEM}, {"pv", TRC_PV},       {"all", TRC_ALL}};
    char *end;
    unsigned long v;

    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
        if (!strcmp(s, classes[i].name)) {
            *mask = classes[i].mask;
            return 0;
        }
    errno = 0;
    v = strtoul(s, &end, 0);
    if (errno || end == s || *end || v > 0xffffffffUL)
        return -1;
    *mask = (uint32_t)v;
    return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n) {
        ssize_t w = write(fd, c, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

struct tbufs {
    const struct t_info *t_info;
    size_t t_info_pages;
    unsigned int nr_cpus;
    struct t_buf **meta; /* per pCPU, NULL when it has none */
    uint32_t data_size;
};

/* Map t_info and every pCPU's buffer (frames of DOMID_XEN). 0 or -1 (said). */
static int map_tbufs(struct xc *xc, uint64_t mfn, uint32_t bytes, unsigned int nr_cpus,
                     struct tbufs *t)
{
    uint64_t *mfns;

    t->t_info_pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
    mfns = calloc(t->t_info_pages, sizeof(*mfns));
    if (!mfns)
        return -1;
    for (size_t i = 0; i < t->t_info_pages; i++)
        mfns[i] = mfn + i;
    t->t_info = xc_map_foreign(xc, DOMID_XEN, mfns, t->t_info_pages);
    free(mfns);
    if (!t->t_info || !t->t_info->tbuf_size) {
        fprintf(stderr, "vane: cannot map the trace buffers' t_info (mfn %#llx)\n",
                (unsigned long long)mfn);
        return -1;
    }
    t->nr_cpus = nr_cpus;
    t->meta = calloc(nr_cpus, sizeof(*t->meta));
    mfns = calloc(t->t_info->tbuf_size, sizeof(*mfns));
    if (!t->meta || !mfns) {
        free(mfns);
        return -1;
    }
    t->data_size = (uint32_t)(t->t_info->tbuf_size * PAGE_SIZE - sizeof(struct t_buf));
    for (unsigned int c = 0; c < nr_cpus; c++) {
        const uint32_t *list;

        if (!t->t_info->mfn_offset[c])
            continue; /* no buffer: an offline pCPU */
        list = (const uint32_t *)t->t_info + t->t_info->mfn_offset[c];
        for (unsigned int j = 0; j < t->t_info->tbuf_size; j++)
            mfns[j] = list[j];
        t->meta[c] = xc_map_foreign(xc, DOMID_XEN, mfns, t->t_info->tbuf_size);
        if (!t->meta[c]) {
            fprintf(stderr, "vane: cannot map CPU %u's trace buffer\n", c);
            free(mfns);
            return -1;
        }
    }
    free(mfns);
    return 0;
}

/* Write out every pCPU's new records; the bytes written, or -1. */
static long drain(const struct tbufs *t, int fd)
{
    long total = 0;

    for (unsigned int c = 0; c < t->nr_cpus; c++) {
        struct t_buf *m = t->meta[c];
        const unsigned char *data;
        uint32_t cons, prod, window, start, end;
        struct cpu_change_record rec;

        if (!m)
            continue;
        cons = __atomic_load_n(&m->cons, __ATOMIC_RELAXED);
        prod = __atomic_load_n(&m->prod, __ATOMIC_ACQUIRE); /* prod, then the records */
        if (cons == prod)
            continue;
        if (cons >= 2 * t->data_size || prod >= 2 * t->data_size) {
            fprintf(stderr, "vane: CPU %u's trace buffer indexes are bad (%u, %u)\n", c, cons,
                    prod);
            return -1;
        }
        window = prod >= cons ? prod - cons : prod + 2 * t->data_size - cons;
        start = cons % t->data_size;
        end = prod % t->data_size;
        data = (const unsigned char *)(m + 1);
        rec = (struct cpu_change_record){CPU_CHANGE_HEADER, c, window};
        if (write_all(fd, &rec, sizeof(rec)))
            return -1;
        if (end > start) {
            if (write_all(fd, data + start, window))
                return -1;
        } else if (write_all(fd, data + start, t->data_size - start) || write_all(fd, data, end)) {
            return -1;
        }
        __atomic_store_n(&m->cons, prod, __ATOMIC_RELEASE); /* the records read, then cons */
        total += (long)(sizeof(rec) + window);
    }
    return total;
}

int cmd_trace(int argc, char **argv)
{
    static const struct option opts[] = {{"evt-mask", 1, 0, 'e'},
                                         {"trace-buf-size", 1, 0, 'S'},
                                         {"time-interval", 1, 0, 'T'},
                                         {"poll-sleep", 1, 0, 's'},
                                         {"discard-buffers", 0, 0, 'D'},
                                         {"dont-disable-tracing", 0, 0, 'x'},
                                         {"help", 0, 0, 'h'},
                                         {0, 0, 0, 0}};
    unsigned long pages = DEFAULT_PAGES, secs = 0, poll_ms = 100;
    uint32_t mask = 0;
    bool discard = false, keep = false, have_mask = false;
    struct xen_sysctl_tbuf_op info;
    struct xen_sysctl phys = {0};
    struct tbufs t = {0};
    struct timespec t0, now;
    struct sigaction sa = {0};
    int ev = -1;
    long bytes = 0, n;
    int opt, fd, rc = 1;
    struct xc xc;

    while ((opt = vane_getopt(argc, argv, "e:S:T:s:Dx", opts, "trace", 1)) != -1) {
        switch (opt) {
        case 'e':
            if (parse_mask(optarg, &mask)) {
                fprintf(stderr, "vane: bad event mask '%s'\n", optarg);
                return 2;
            }
            have_mask = true;
            break;
        case 'S':
            pages = strtoul(optarg, NULL, 0);
            break;
        case 'T':
            secs = strtoul(optarg, NULL, 0);
            break;
        case 's':
            poll_ms = strtoul(optarg, NULL, 0);
            break;
        case 'D':
            discard = true;
            break;
        case 'x':
            keep = true;
            break;
        default:
            break;
        }
    }
    if (argc - optind != 1 || !pages || pages > 65535 || !poll_ms)
        return vane_usage("trace");
    fd = strcmp(argv[optind], "-")
             ? open(argv[optind], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)
             : 1;
    if (fd < 0) {
        fprintf(stderr, "vane: %s: %s\n", argv[optind], strerror(errno));
        return 1;
    }
    if (xc_open(&xc))
        goto out_fd;
    if (xc_sysctl(&xc, &phys, XEN_SYSCTL_physinfo)) {
        fprintf(stderr, "vane: cannot read the machine's CPUs\n");
        goto out;
    }
    /* As libxc's xc_tbuf_enable: the size once per boot (later ones fail), then on. */
    (void)tbuf_op(&xc, XEN_SYSCTL_TBUFOP_set_size, NULL, (uint32_t)pages);
    if (have_mask && tbuf_op(&xc, XEN_SYSCTL_TBUFOP_set_evt_mask, NULL, mask)) {
        fprintf(stderr, "vane: cannot set the event mask\n");
        goto out;
    }
    if (tbuf_op(&xc, XEN_SYSCTL_TBUFOP_enable, NULL, 0) ||
        tbuf_op(&xc, XEN_SYSCTL_TBUFOP_get_info, &info, 0) || !info.buffer_mfn) {
        fprintf(stderr, "vane: cannot enable the trace buffers\n");
        goto out;
    }
    if (map_tbufs(&xc, info.buffer_mfn, info.size, phys.u.physinfo.max_cpu_id + 1, &t))
        goto out_disable;
    if (discard)
        for (unsigned int c = 0; c < t.nr_cpus; c++)
            if (t.meta[c])
                t.meta[c]->cons = t.meta[c]->prod;
    /* VIRQ_TBUF wakes us early when a buffer is half full (we poll anyway). */
    ev = evtchn_open();
    if (ev >= 0 && evtchn_bind_virq(ev, VIRQ_TBUF) < 0) {
        evtchn_close(ev);
        ev = -1;
    }
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    fprintf(stderr, "vane: tracing, event mask %#x, %u pages per CPU, into %s\n",
            have_mask ? mask : info.evt_mask, t.t_info->tbuf_size, argv[optind]);
    for (;;) {
        n = drain(&t, fd);
        if (n < 0) {
            fprintf(stderr, "vane: writing %s: %s\n", argv[optind], strerror(errno));
            goto out_disable;
        }
        bytes += n;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (secs && (now.tv_sec - t0.tv_sec) * 1000L + (now.tv_nsec - t0.tv_nsec) / 1000000L >=
                        (long)secs * 1000L)
            interrupted = 1;
        if (interrupted)
            break;
        if (ev >= 0) {
            struct pollfd p = {.fd = ev, .events = POLLIN};
            int port;

            if (poll(&p, 1, (int)poll_ms) == 1 && (port = evtchn_pending(ev)) >= 0)
                evtchn_unmask(ev, (uint32_t)port);
        } else {
            usleep((useconds_t)(poll_ms * 1000));
        }
    }
    /* Off first, then what was written meanwhile, as xentrace. */
    if (!keep)
        tbuf_op(&xc, XEN_SYSCTL_TBUFOP_disable, NULL, 0);
    n = drain(&t, fd);
    if (n >= 0) {
        bytes += n;
        rc = 0;
        fprintf(stderr, "vane: %ld bytes of trace written to %s\n", bytes, argv[optind]);
    }
    keep = true;
out_disable:
    if (!keep)
        tbuf_op(&xc, XEN_SYSCTL_TBUFOP_disable, NULL, 0);
out:
    evtchn_close(ev);
    xc_close(&xc);
out_fd:
    if (fd != 1)
        close(fd);
    return rc;
}
