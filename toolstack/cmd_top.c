/*
 * vane top [-b] [-d SECS] [-i N] [-f] [-z]: the domains in xentop's
 * columns, a frame every SECS seconds (3 by default), sorted by name as
 * xentop sorts by default. CPU(%) is the domain's cpu_time gained since
 * the previous frame over the wall time between them (0.0 in the first
 * frame, as xentop). -b prints each frame's table on stdout (xentop's
 * batch mode: no summary); otherwise the screen is redrawn with plain
 * ANSI sequences under xentop's summary lines, and 'q' quits. -i N stops
 * after N frames. Paravane gives domains no networks or block devices
 * yet, so those columns are 0, as xentop shows a domain without any.
 */
#include "names.h"
#include "devstats.h"
#include "vane.h"
#include "xc.h"
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <xen/sched.h>
#include <xen/version.h>

struct dom_sample {
    struct xen_domctl_getdomaininfo info;
    char name[VANE_NAME_MAX];
};

struct frame {
    struct dom_sample *doms;
    int n;
    struct timespec when; /* CLOCK_MONOTONIC */
    struct xen_sysctl_physinfo phys;
};

struct top_opts {
    bool batch, full_name, dom0_first;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static int by_name(const void *a, const void *b)
{
    const struct dom_sample *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);

    return c ? c : (int)x->info.domain - (int)y->info.domain;
}

/* One sample of every domain and of the host: 0 or -errno. */
static int sample(struct xc *xc, struct frame *f)
{
    struct xen_domctl_getdomaininfo *all;
    struct xen_sysctl s = {0};
    int n, rc;

    clock_gettime(CLOCK_MONOTONIC, &f->when);
    rc = xc_sysctl(xc, &s, XEN_SYSCTL_physinfo);
    if (rc)
        return rc;
    f->phys = s.u.physinfo;
    n = vane_list_domains(xc, &all);
    if (n < 0)
        return n;
    f->doms = calloc(n ? (size_t)n : 1, sizeof(*f->doms));
    if (!f->doms) {
        free(all);
        return -ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        f->doms[i].info = all[i];
        vane_domain_name(all[i].domain, f->doms[i].name, sizeof(f->doms[i].name));
    }
    f->n = n;
    free(all);
    return 0;
}

static const struct xen_domctl_getdomaininfo *find(const struct frame *f, domid_t dom)
{
    for (int i = 0; f && i < f->n; i++)
        if (f->doms[i].info.domain == dom)
            return &f->doms[i].info;
    return NULL;
}

/* xentop's get_cpu_pct: ns gained over the elapsed wall time, in percent. */
static double cpu_pct(const struct frame *prev, const struct frame *cur,
                      const struct xen_domctl_getdomaininfo *d)
{
    const struct xen_domctl_getdomaininfo *old = find(prev, d->domain);
    double us;

    if (!old || d->cpu_time < old->cpu_time)
        return 0.0;
    us = (double)(cur->when.tv_sec - prev->when.tv_sec) * 1e6 +
         (double)(cur->when.tv_nsec - prev->when.tv_nsec) / 1e3;
    if (us <= 0)
        return 0.0;
    return ((double)(d->cpu_time - old->cpu_time) / 10.0) / us;
}

/* xentop's state letters, in its order: dying, shutdown, blocked, crashed, paused, running. */
static void state(uint32_t flags, char out[7])
{
    bool shut = flags & XEN_DOMINF_shutdown;
    unsigned int why = (flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;

    out[0] = flags & XEN_DOMINF_dying ? 'd' : '-';
    out[1] = shut && why != SHUTDOWN_crash ? 's' : '-';
    out[2] = flags & XEN_DOMINF_blocked ? 'b' : '-';
    out[3] = shut && why == SHUTDOWN_crash ? 'c' : '-';
    out[4] = flags & XEN_DOMINF_paused ? 'p' : '-';
    out[5] = flags & XEN_DOMINF_running ? 'r' : '-';
    out[6] = '\0';
}

static void header(int name_width)
{
    printf("%*s %6s %10s %6s %10s %6s %10s %9s %5s %4s %8s %8s %4s %8s %8s %8s %10s %10s %4s\n",
           name_width, "NAME", "STATE", "CPU(sec)", "CPU(%)", "MEM(k)", "MEM(%)", "MAXMEM(k)",
           "MAXMEM(%)", "VCPUS", "NETS", "NETTX(k)", "NETRX(k)", "VBDS", "VBD_OO", "VBD_RD",
           "VBD_WR", "VBD_RSECT", "VBD_WSECT", "SSID");
}

static void row(const struct dom_sample *s, const struct frame *prev, const struct frame *cur,
                const struct top_opts *o, int name_width)
{
    const struct xen_domctl_getdomaininfo *d = &s->info;
    double total_kb = (double)cur->phys.total_pages * 4.0;
    unsigned long long mem_kb = (unsigned long long)d->tot_pages * 4;
    struct vane_devstats ds;
    char st[7];

    state(d->flags, st);
    if (o->full_name)
        printf("%*s", name_width, s->name);
    else
        printf("%10.10s", s->name);
    printf(" %6s %10llu %6.1f %10llu %6.1f", st, (unsigned long long)(d->cpu_time / 1000000000ULL),
           cpu_pct(prev, cur, d), mem_kb, total_kb > 0 ? (double)mem_kb / total_kb * 100 : 0.0);
    if (d->max_pages == UINT_MAX || d->max_pages == ~0ULL)
        printf(" %10s %9s", "no limit", "n/a");
    else
        printf(" %10llu %9.1f", (unsigned long long)d->max_pages * 4,
               total_kb > 0 ? (double)d->max_pages * 4 / total_kb * 100 : 0.0);
    vane_devstats(d->domain, &ds);
    printf(" %5u %4u %8llu %8llu %4u %8llu %8llu %8llu %10llu %10llu %4u\n", d->max_vcpu_id + 1,
           ds.nets, ds.net_tx / 1024, ds.net_rx / 1024, ds.vbds, ds.oo, ds.rd, ds.wr, ds.rsect,
           ds.wsect, d->ssidref);
}

/* xentop's do_summary, for the interactive screen. */
static void summary(struct xc *xc, const struct frame *f)
{
    unsigned int run = 0, block = 0, pause = 0, crash = 0, dying = 0, shut = 0;
    xen_extraversion_t extra = "";
    unsigned long long total = (unsigned long long)f->phys.total_pages * 4;
    unsigned long long free_kb = (unsigned long long)f->phys.free_pages * 4;
    long ver = xc_hypercall(xc, __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
    char clock[16];
    time_t now = time(NULL);

    xc_hypercall(xc, __HYPERVISOR_xen_version, XENVER_extraversion, (uintptr_t)extra, 0, 0, 0);
    extra[sizeof(extra) - 1] = '\0';
    strftime(clock, sizeof(clock), "%H:%M:%S", localtime(&now));
    printf("xentop - %s   Xen %ld.%ld%s\n", clock, ver < 0 ? 0 : ver >> 16,
           ver < 0 ? 0 : ver & 0xffff, extra);
    for (int i = 0; i < f->n; i++) {
        uint32_t fl = f->doms[i].info.flags;
        unsigned int why = (fl >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;

        if (fl & XEN_DOMINF_running)
            run++;
        else if (fl & XEN_DOMINF_blocked)
            block++;
        else if (fl & XEN_DOMINF_paused)
            pause++;
        else if ((fl & XEN_DOMINF_shutdown) && why != SHUTDOWN_crash)
            shut++;
        else if (fl & XEN_DOMINF_shutdown)
            crash++;
        else if (fl & XEN_DOMINF_dying)
            dying++;
    }
    printf("%d domains: %u running, %u blocked, %u paused, %u crashed, %u dying, %u shutdown \n",
           f->n, run, block, pause, crash, dying, shut);
    printf("Mem: %lluk total, %lluk used, %lluk free    CPUs: %u @ %uMHz\n", total, total - free_kb,
           free_kb, f->phys.nr_cpus, f->phys.cpu_khz / 1000);
}

static void table(const struct frame *prev, const struct frame *cur, const struct top_opts *o)
{
    int name_width = 10, start = 0;

    /* -z: Domain-0 first, the others sorted after it. */
    if (o->dom0_first) {
        for (int i = 0; i < cur->n; i++) {
            if (!strcmp(cur->doms[i].name, "Domain-0")) {
                struct dom_sample t = cur->doms[0];

                cur->doms[0] = cur->doms[i];
                cur->doms[i] = t;
                start = 1;
                break;
            }
        }
    }
    qsort(cur->doms + start, (size_t)(cur->n - start), sizeof(*cur->doms), by_name);
    for (int i = 0; o->full_name && i < cur->n; i++)
        if ((int)strlen(cur->doms[i].name) > name_width)
            name_width = (int)strlen(cur->doms[i].name);
    header(name_width);
    for (int i = 0; i < cur->n; i++)
        row(&cur->doms[i], prev, cur, o, name_width);
}

/* Wait up to `secs` for a key: the key, 0 on time out, -1 on stop or EOF. */
static int wait_key(unsigned int secs, bool keys)
{
    struct timespec end, now;

    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += secs;
    for (;;) {
        struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
        long ms;
        char c;

        if (stop)
            return -1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        ms = (end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
        if (ms <= 0)
            return 0;
        if (poll(&p, keys ? 1 : 0, (int)(ms > 1000 ? 1000 : ms)) > 0) {
            if (read(STDIN_FILENO, &c, 1) != 1) {
                keys = false; /* stdin closed: time only */
                continue;
            }
            return (unsigned char)c;
        }
    }
}

int cmd_top(int argc, char **argv)
{
    static const struct option opts[] = {{"batch", 0, 0, 'b'},
                                         {"delay", 1, 0, 'd'},
                                         {"iterations", 1, 0, 'i'},
                                         {"full-name", 0, 0, 'f'},
                                         {"dom0-first", 0, 0, 'z'},
                                         {"help", 0, 0, 'h'},
                                         {0, 0, 0, 0}};
    struct top_opts o = {0};
    struct frame prev = {0}, cur = {0};
    struct termios saved, raw;
    bool have_prev = false, tty = false;
    unsigned long delay = 3, iterations = 0;
    struct sigaction sa = {.sa_handler = on_signal};
    struct xc xc;
    char *end;
    int opt, rc = 0;

    while ((opt = vane_getopt(argc, argv, "bd:i:fz", opts, "top", 0)) != -1) {
        switch (opt) {
        case 'b':
            o.batch = true;
            break;
        case 'f':
            o.full_name = true;
            break;
        case 'z':
            o.dom0_first = true;
            break;
        case 'd':
        case 'i': {
            unsigned long v = strtoul(optarg, &end, 10);

            if (end == optarg || *end || optarg[0] == '-' || v > 86400 || (opt == 'i' && !v)) {
                fprintf(stderr, "vane top: -%c '%s': a whole number%s\n", opt, optarg,
                        opt == 'i' ? " from 1" : " of seconds, at most 86400");
                return 2;
            }
            if (opt == 'd')
                delay = v;
            else
                iterations = v;
            break;
        }
        }
    }
    if (optind != argc)
        return vane_usage("top");
    if (xc_open(&xc))
        return 1;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (!o.batch && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
        raw = saved;
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tty = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    for (unsigned long frame = 1; !stop; frame++) {
        int key;

        rc = sample(&xc, &cur);
        if (rc) {
            fprintf(stderr, "vane top: reading the domains: %s\n", strerror(-rc));
            break;
        }
        if (!o.batch) {
            printf("\033[H\033[2J");
            summary(&xc, &cur);
        }
        table(have_prev ? &prev : NULL, &cur, &o);
        if (!o.batch)
            printf("\nDelay %lus  Quit: q\n", delay);
        fflush(stdout);
        free(prev.doms);
        prev = cur;
        cur.doms = NULL;
        have_prev = true;
        if (iterations && frame >= iterations)
            break;
        key = wait_key((unsigned int)delay, !o.batch);
        if (key < 0 || key == 'q' || key == 'Q')
            break;
    }
    free(prev.doms);
    free(cur.doms);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    xc_close(&xc);
    return rc ? 1 : 0;
}
