/*
 * vane create [-p] [-q] CFG [KEY=VALUE...] and vane destroy DOM.
 *
 * create, in the order DESIGN.md gives: read and check the whole
 * configuration (syntax, files, free memory) before any hypercall; then
 * createdomain, limits and scheduler parameters, the image (lib/build.c),
 * and unpause. From createdomain on, a failure destroys what was made, so
 * nothing is left half-created and the host's free memory is as before.
 * A keeper process then stays with the domain, as xl's does, and carries
 * out on_poweroff / on_crash / on_reboot when it ends (restart builds it
 * again from the same configuration).
 *
 * The console daemon (vane consoled) is handed each domain's console ring
 * once it is built and before it runs, and told before a domain is
 * destroyed, so that it lets go of the ring frame first; -c then attaches
 * to the console, as xl create -c.
 */
#include "build.h"
#include "cfg/xlcfg.h"
#include "names.h"
#include "vane.h"
#include "xc.h"
#include "vbd.h"
#include "vnet.h"
#include "xs_client.h"
#include "xsdom.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <paravane/sched_sedf.h>
#include <xen/sched.h>

/* A whole file in memory (NUL-terminated too). NULL with errno on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
        *len = (size_t)n;
    } else {
        int e = errno ? errno : EIO;
        free(buf);
        buf = NULL;
        errno = e;
    }
    fclose(f);
    return buf;
}

/* A random (version 4) UUID for a domain whose configuration has none. */
static void make_uuid(uint8_t u[16])
{
    FILE *f = fopen("/dev/urandom", "rb");

    if (!f || fread(u, 1, 16, f) != 16) {
        for (int i = 0; i < 16; i++) /* no entropy source: still unique enough per boot */
            u[i] = (uint8_t)(rand() ^ (time(NULL) >> (i % 8)));
    }
    if (f)
        fclose(f);
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}

static void sleep_ms(unsigned int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Its back-ends closed, their grants unmapped, loop devices freed. */
static void release_devices(domid_t dom)
{
    struct xsc *xs = xsc_open(NULL);

    if (!xs)
        return;
    vane_vbd_release_all(xs, dom);
    vane_vif_release_all(xs, dom);
    xsc_close(xs);
}

/*
 * destroydomain, then (as libxl) its xenstore entries and connection go at
 * once: xenstored's mapping of its ring is one of the things that keep a
 * dying domain's memory in use. Then wait until the hypervisor has taken
 * it off its list; a domain whose frames dom0 still maps stays dying
 * (as on Xen), which is said and is no failure of the destroy.
 */
int vane_destroy_domain(struct xc *xc, domid_t dom)
{
    struct xen_domctl op = {0};
    struct xen_domctl_getdomaininfo info = {0};
    int rc;

    vane_console_forget(dom);
    rc = xc_domctl(xc, &op, XEN_DOMCTL_destroydomain, dom);
    if (rc)
        return rc;
    release_devices(dom);
    vane_xs_forget(dom);
    for (int i = 0; i < 3000; i++) { /* 30 s */
        if (xc_domain_info(xc, dom, &info) == -ESRCH)
            return 0;
        sleep_ms(10);
    }
    fprintf(stderr,
            "vane: domain %u is dying, but %lu of its pages are still mapped elsewhere in dom0\n",
            dom, (unsigned long)info.tot_pages);
    return 0;
}

/*
 * The configuration's parameters for the scheduler the hypervisor runs,
 * as libxl applies the running scheduler's: Credit's weight and cap, or
 * Paravane's SEDF block (only when a sedf_ key was given; a new domain
 * otherwise keeps SEDF's best-effort default). The other scheduler's keys
 * are left aside, with a word when they were sedf_ keys.
 */
static int set_sched(struct xc *xc, domid_t dom, const struct domain_config *c)
{
    struct paravane_domctl_scheduler_op p = {0};
    struct xen_domctl op = {0};
    struct xen_sysctl s = {0};
    int rc = xc_sysctl(xc, &s, XEN_SYSCTL_sched_id);

    if (rc)
        return rc;
    if (s.u.sched_id.sched_id == XEN_SCHEDULER_CREDIT) {
        if (c->sedf_set)
            fprintf(stderr,
                    "vane: %s: sedf_ keys left aside: the hypervisor runs the credit "
                    "scheduler\n",
                    c->name);
        p.sched_id = XEN_SCHEDULER_CREDIT;
        p.u.credit.weight = (uint16_t)c->cpu_weight;
        p.u.credit.cap = (uint16_t)c->cap;
    } else if (s.u.sched_id.sched_id == XEN_SCHEDULER_SEDF && c->sedf_set) {
        p.sched_id = XEN_SCHEDULER_SEDF;
        if (c->sedf_time_driven) {
            p.u.sedf.period_ns = c->sedf_period_ns;
            p.u.sedf.slice_ns = c->sedf_slice_ns;
        } else {
            p.u.sedf.weight = (uint16_t)c->cpu_weight;
        }
        p.u.sedf.latency_ns = c->sedf_latency_ns;
        p.u.sedf.extratime = c->sedf_extratime ? PARAVANE_SEDF_EXTRATIME : 0;
    } else {
        return 0;
    }
    p.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    memcpy(&op.u.scheduler_op, &p, sizeof(p));
    return xc_domctl(xc, &op, XEN_DOMCTL_scheduler_op, dom);
}

/* cpus=: each vCPU's hard affinity (setvcpuaffinity), as libxl pins at create. */
static int set_affinity(struct xc *xc, domid_t dom, const struct domain_config *c)
{
    if (!c->cpus_set)
        return 0;
    for (unsigned int v = 0; v < c->max_vcpus; v++) {
        struct xen_domctl op = {0};
        uint8_t hard[8], soft[8];
        int rc;

        for (int i = 0; i < 8; i++) {
            hard[i] = (uint8_t)(c->cpu_affinity[v] >> (8 * i));
            soft[i] = 0xff;
        }
        op.u.vcpuaffinity.vcpu = v;
        op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
        set_xen_guest_handle(op.u.vcpuaffinity.cpumap_hard.bitmap, hard);
        op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
        set_xen_guest_handle(op.u.vcpuaffinity.cpumap_soft.bitmap, soft);
        op.u.vcpuaffinity.cpumap_soft.nr_bits = 64;
        rc = xc_domctl(xc, &op, XEN_DOMCTL_setvcpuaffinity, dom);
        if (rc)
            return rc;
    }
    return 0;
}

static const char *shutdown_name(unsigned int reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff:
        return "poweroff";
    case SHUTDOWN_reboot:
        return "reboot";
    case SHUTDOWN_crash:
        return "crash";
    default:
        return "other";
    }
}

static int check_files(const struct domain_config *c)
{
    const char *files[] = {c->kernel, c->ramdisk};
    const char *keys[] = {"kernel", "ramdisk"};

    for (int i = 0; i < 2; i++) {
        if (files[i] && access(files[i], R_OK)) {
            fprintf(stderr, "vane: %s '%s': %s\n", keys[i], files[i], strerror(errno));
            return -1;
        }
    }
    return 0;
}

int vane_parse_config(const char *path, char **overrides, int n, struct domain_config *c)
{
    struct xlcfg_diag diag;
    size_t len;
    char *text = slurp(path, &len);
    int rc;

    if (!text) {
        fprintf(stderr, "vane: %s: %s\n", path, strerror(errno));
        return -1;
    }
    rc = xlcfg_parse(path, text, len, overrides, n, c, &diag);
    free(text);
    for (unsigned int i = 0; i < diag.n; i++)
        fprintf(stderr, "%s\n", diag.msg[i].text);
    if (diag.dropped)
        fprintf(stderr, "(%u more messages)\n", diag.dropped);
    return rc ? -1 : 0;
}

/* Everything the configuration asks is possible, before any hypercall. */
static int load_config(const char *path, char **overrides, int n, struct domain_config *c)
{
    if (vane_parse_config(path, overrides, n, c))
        return -1;
    for (size_t i = 0; i < c->n_disks + c->n_vifs; i++) {
        char err[256];

        if (i < c->n_disks ? vane_vbd_check(&c->disks[i], err, sizeof(err))
                           : vane_vif_check(&c->vifs[i - c->n_disks], (int)(i - c->n_disks), err,
                                            sizeof(err))) {
            fprintf(stderr, "vane: %s: %s\n", path, err);
            return -1;
        }
    }
    return check_files(c);
}

/* The configuration's disks and networks, served by dom0 before the domain first runs. */
static int attach_devices(const struct domain_config *c, domid_t dom, char *err, size_t len)
{
    struct xsc *xs;
    int rc = 0;

    if (!c->n_disks && !c->n_vifs)
        return 0;
    xs = xsc_open(NULL);
    if (!xs) {
        snprintf(err, len, "devices need xenstored: %s", strerror(errno));
        return -ENOENT;
    }
    for (size_t i = 0; i < c->n_disks && !rc; i++)
        rc = vane_vbd_add(xs, dom, &c->disks[i], err, len) ? -EIO : 0;
    for (size_t i = 0; i < c->n_vifs && !rc; i++)
        rc = vane_vif_add(xs, dom, (int)i, &c->vifs[i], err, len) ? -EIO : 0;
    xsc_close(xs);
    return rc;
}

/* The grant-table version a domain may go up to: its config's
 * max_grant_version, else the highest the hypervisor offers, as libxl
 * chooses (Linux then switches to v2 when grant_table.version=2 asks). */
static unsigned int grant_version(const struct domain_config *c,
                                  const struct xen_sysctl_physinfo *pi)
{
    if (c->max_grant_version)
        return c->max_grant_version;
    return pi->capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2 ? 2 : 1;
}

static int create(struct xc *xc, const struct domain_config *c, domid_t *domid)
{
    struct xen_domctl op = {0};
    struct xen_sysctl s = {0};
    struct build_params bp = {.cmdline = c->cmdline, .nr_pages = c->memory_mib << 8};
    struct build_result br;
    uint8_t uuid[16];
    char err[256] = "";
    void *kernel = NULL, *ramdisk = NULL;
    int rc;

    rc = xc_sysctl(xc, &s, XEN_SYSCTL_physinfo);
    if (rc) {
        fprintf(stderr, "vane: physinfo: %s\n", strerror(-rc));
        return rc;
    }
    if (s.u.physinfo.free_pages < bp.nr_pages) {
        fprintf(stderr, "vane: memory: %lu MiB asked, %lu MiB free\n", (unsigned long)c->memory_mib,
                (unsigned long)(s.u.physinfo.free_pages >> 8));
        return -ENOMEM;
    }
    kernel = slurp(c->kernel, &bp.kernel_size);
    if (c->ramdisk)
        ramdisk = slurp(c->ramdisk, &bp.ramdisk_size);
    if (!kernel || (c->ramdisk && !ramdisk)) {
        fprintf(stderr, "vane: %s: %s\n", kernel ? c->ramdisk : c->kernel, strerror(errno));
        rc = -errno;
        goto out;
    }
    bp.kernel = kernel;
    bp.ramdisk = ramdisk;

    op.u.createdomain.max_vcpus = c->max_vcpus;
    op.u.createdomain.max_grant_frames = -1;
    op.u.createdomain.max_maptrack_frames = -1;
    op.u.createdomain.max_evtchn_port = 1023; /* libxl's default */
    op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(grant_version(c, &s.u.physinfo));
    if (c->has_uuid)
        memcpy(uuid, c->uuid, sizeof(uuid));
    else
        make_uuid(uuid);
    memcpy(op.u.createdomain.handle, uuid, sizeof(uuid));
    rc = xc_domctl(xc, &op, XEN_DOMCTL_createdomain, 0);
    if (rc) {
        fprintf(stderr, "vane: createdomain: %s\n", strerror(-rc));
        goto out;
    }
    *domid = op.domain;
    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_memkb = c->maxmem_mib << 10;
    rc = xc_domctl(xc, &op, XEN_DOMCTL_max_mem, *domid);
    if (rc)
        snprintf(err, sizeof(err), "max_mem: %s", strerror(-rc));
    if (!rc && (rc = set_sched(xc, *domid, c)))
        snprintf(err, sizeof(err), "scheduler parameters: %s", strerror(-rc));
    if (!rc && (rc = set_affinity(xc, *domid, c)))
        snprintf(err, sizeof(err), "cpus= affinity: %s", strerror(-rc));
    if (!rc)
        rc = vane_build_pv(xc, *domid, &bp, &br, err, sizeof(err));
    if (!rc) /* before it runs: none of its output is missed */
        vane_console_announce(*domid, br.console_mfn, br.console_port);
    if (!rc) {
        int xrc = vane_xs_introduce(c, *domid, &br, uuid);
        if (xrc == -ENOENT)
            fprintf(stderr, "vane: no xenstored: domain %u runs without xenstore\n", *domid);
        else if (xrc)
            snprintf(err, sizeof(err), "xenstore: %s", strerror(-(rc = xrc)));
    }
    if (!rc)
        rc = attach_devices(c, *domid, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "vane: domain %u (%s): %s; destroying it\n", *domid, c->name, err);
        vane_destroy_domain(xc, *domid);
    }
out:
    free(kernel);
    free(ramdisk);
    return rc;
}

/* Unpause a built domain; destroy it if that fails. */
static int start(struct xc *xc, domid_t dom)
{
    struct xen_domctl op = {0};
    int rc = xc_domctl(xc, &op, XEN_DOMCTL_unpausedomain, dom);

    if (rc) {
        fprintf(stderr, "vane: unpause: %s; destroying it\n", strerror(-rc));
        vane_destroy_domain(xc, dom);
    }
    return rc;
}

/*
 * The keeper: wait for the domain to end, then do what the configuration
 * says: destroy it, preserve it for inspection, or (restart,
 * rename-restart) destroy it and build it again from the same
 * configuration, under a new id, as xl's keeper does.
 */
static void keep(struct xc *xc, domid_t dom, struct domain_config *c, bool quiet)
{
    struct xen_domctl_getdomaininfo info;
    char name[VANE_NAME_MAX];

    for (;;) {
        int rc = xc_domain_info(xc, dom, &info);
        unsigned int reason;
        enum xlcfg_action act;
        domid_t next;

        if (rc == -ESRCH)
            return; /* destroyed by someone else, who forgot its name */
        if (rc || !(info.flags & XEN_DOMINF_shutdown)) {
            sleep_ms(100);
            continue;
        }
        reason = (info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
        act = reason == SHUTDOWN_crash    ? c->on_crash
              : reason == SHUTDOWN_reboot ? c->on_reboot
                                          : c->on_poweroff;
        if (!quiet)
            printf("vane: domain %u (%s) ended (%s): %s\n", dom, c->name, shutdown_name(reason),
                   xlcfg_action_name(act));
        fflush(stdout);
        if (act == XLCFG_ACTION_PRESERVE)
            return;
        /* A restart keeps the name it has now (vane rename may have changed it). */
        if (vane_name_get(dom, name, sizeof(name)) == 0 && strcmp(name, c->name)) {
            char *copy = strdup(name);

            if (copy) {
                free(c->name);
                c->name = copy;
            }
        }
        vane_destroy_domain(xc, dom);
        vane_name_clear(dom);
        if (act != XLCFG_ACTION_RESTART && act != XLCFG_ACTION_RENAME_RESTART &&
            act != XLCFG_ACTION_COREDUMP_RESTART)
            return;
        if (create(xc, c, &next))
            return;
        vane_name_set(next, c->name);
        if (start(xc, next)) {
            vane_name_clear(next);
            return;
        }
        if (!quiet)
            printf("vane: domain %u (%s) restarted as domain %u\n", dom, c->name, next);
        fflush(stdout);
        dom = next;
    }
}

int cmd_create(int argc, char **argv)
{
    struct domain_config c = {0};
    struct xc xc;
    bool paused = false, quiet = false, console = false;
    domid_t dom = 0;
    int opt, rc;

    while ((opt = getopt(argc, argv, "pqc")) != -1) {
        switch (opt) {
        case 'p':
            paused = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'c':
            console = true;
            break;
        default:
            fprintf(stderr, "usage: vane create [-p] [-q] [-c] CFG [KEY=VALUE...]\n");
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: vane create [-p] [-q] [-c] CFG [KEY=VALUE...]\n");
        return 2;
    }
    if (!quiet)
        fprintf(stderr, "Parsing config from %s\n", argv[optind]);
    if (load_config(argv[optind], argv + optind + 1, argc - optind - 1, &c)) {
        domain_config_free(&c);
        return 1;
    }
    if (xc_open(&xc)) {
        domain_config_free(&c);
        return 1;
    }
    /* Names are unique, as libxl makes them: refused before any hypercall that changes anything. */
    rc = vane_name_in_use(&xc, c.name, &dom);
    if (rc) {
        if (rc > 0)
            fprintf(stderr, "Domain with name \"%s\" already exists.\n", c.name);
        else
            fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(-rc));
        xc_close(&xc);
        domain_config_free(&c);
        return 1;
    }
    rc = create(&xc, &c, &dom);
    /* The name, for every command to show and find it by (names.h). */
    if (!rc && (rc = vane_name_set(dom, c.name)) != 0) {
        fprintf(stderr, "vane: recording the name of domain %u: %s; destroying it\n", dom,
                strerror(-rc));
        vane_destroy_domain(&xc, dom);
    }
    if (!rc && !paused && (rc = start(&xc, dom)) != 0)
        vane_name_clear(dom);
    if (rc) {
        xc_close(&xc);
        domain_config_free(&c);
        return 1;
    }
    if (!quiet)
        printf("vane: domain %u (%s) created\n", dom, c.name);
    fflush(stdout);
    /* The keeper stays with the domain; create returns to the shell. */
    if (fork() == 0) {
        setsid();
        keep(&xc, dom, &c, quiet);
        _exit(0);
    }
    xc_close(&xc);
    domain_config_free(&c);
    if (console) {
        struct console_opts o = {.grace_ms = 2000};
        return vane_console_attach(dom, &o);
    }
    return 0;
}

int cmd_destroy(int argc, char **argv)
{
    static const struct option opts[] = {{"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    bool force = false;
    struct xc xc;
    uint16_t dom;
    int opt, rc;

    while ((opt = vane_getopt(argc, argv, "f", opts, "destroy", 1)) != -1)
        force = opt == 'f';
    if (argc - optind != 1)
        return vane_usage("destroy");
    if (xc_open(&xc))
        return 1;
    if (vane_find_domain(&xc, argv[optind], &dom)) {
        xc_close(&xc);
        return 1;
    }
    if (dom == 0 && !force) {
        fprintf(stderr, "Not destroying domain 0; use -f to force.\n"
                        "This can only be done when using a disaggregated hardware domain and "
                        "toolstack.\n\n");
        xc_close(&xc);
        return 1;
    }
    rc = vane_destroy_domain(&xc, dom);
    xc_close(&xc);
    if (rc) {
        fprintf(stderr, "vane: destroy %u: %s\n", dom, strerror(-rc));
        fprintf(stderr, "destroy failed (rc=%d)\n", rc);
        return 1;
    }
    vane_name_clear(dom);
    return 0;
}
