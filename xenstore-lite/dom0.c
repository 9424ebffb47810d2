/*
 * dom0.c: the ring environment of a daemon running in Linux dom0 (the
 * "--dom0" option): guest ring pages mapped through /dev/xen/gntdev (grant
 * GNTTAB_RESERVED_XENSTORE, which the domain builder fills), event
 * channels through /dev/xen/evtchn, and dom0's own ring and port from
 * /dev/xen/xenbus_backend, the way Xen's xenstored finds them. The
 * hypervisor's VIRQ_DOM_EXC, bound on the same event-channel device, says
 * that some domain shut down or died; XEN_DOMCTL_getdomaininfo through
 * privcmd (toolstack/lib/xc.c, vane's libxc) says which.
 *
 * Status: dom0's own ring runs in Debian's 6.1 dom0 on Paravane
 * (tests/linux/qemu-xenstore.sh): Linux started without a store event
 * channel (XS_LOCAL) allocates the page and an unbound port for itself;
 * we bind that port interdomain to domain 0 and kick it once, which wakes
 * its xenbus_probe thread. Guest rings (gntdev mapping of the reserved
 * grant) are written against the UAPI headers but have not run yet.
 *
 * Lifetime: xs_dom0_env_open() opens the devices for the daemon's life;
 * each mapped ring is recorded until its connection unmaps it.
 * Locking: daemon thread only.
 */
/*
 * Xen's public types (domid_t, grant_ref_t) before Linux's UAPI headers;
 * xc.h first, as it asks for the tools' view of them (domctl).
 */
#include "xc.h"
#include "private.h"
#include "gntdev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/grant_table.h>
#include <xen/evtchn.h>
#include <xen/sys/xenbus_dev.h>

#define PAGE 4096 /* dom0's own ring, from xenbus_backend */

struct dom0_map {
    struct dom0_map *next;
    struct gnt_page page;
};

struct dom0_env {
    int evtchn, gntdev, backend;
    int dom_exc; /* local port of VIRQ_DOM_EXC, or -1 */
    struct xc xc;
    struct dom0_map *maps;
};

static void *dom0_map_ring(void *ctx, unsigned domid, unsigned long gfn)
{
    struct dom0_env *e = ctx;
    struct dom0_map *rec = malloc(sizeof(*rec));

    (void)gfn; /* the reserved grant is preferred to a foreign gfn mapping */
    if (!rec)
        return NULL;
    if (gntdev_map(e->gntdev, domid, GNTTAB_RESERVED_XENSTORE, &rec->page) < 0) {
        free(rec);
        return NULL;
    }
    rec->next = e->maps;
    e->maps = rec;
    return rec->page.addr;
}

static void dom0_unmap_ring(void *ctx, unsigned domid, void *page)
{
    struct dom0_env *e = ctx;
    struct dom0_map **pp, *m;

    (void)domid;
    for (pp = &e->maps; (m = *pp); pp = &m->next)
        if (m->page.addr == page) {
            gntdev_unmap(e->gntdev, &m->page);
            *pp = m->next;
            free(m);
            return;
        }
    /* dom0's own page comes from xenbus_backend and stays mapped */
}

static int dom0_bind(void *ctx, unsigned domid, unsigned remote_port)
{
    struct dom0_env *e = ctx;
    struct ioctl_evtchn_bind_interdomain b = {.remote_domain = domid, .remote_port = remote_port};

    return ioctl(e->evtchn, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
}

static void dom0_unbind(void *ctx, int port)
{
    struct dom0_env *e = ctx;
    struct ioctl_evtchn_unbind u = {.port = (unsigned)port};

    ioctl(e->evtchn, IOCTL_EVTCHN_UNBIND, &u);
}

static void dom0_notify(void *ctx, int port)
{
    struct dom0_env *e = ctx;
    struct ioctl_evtchn_notify n = {.port = (unsigned)port};

    ioctl(e->evtchn, IOCTL_EVTCHN_NOTIFY, &n);
}

/* Pending ports are read as uint32s; writing them back unmasks them. */
static bool dom0_drain(void *ctx)
{
    struct dom0_env *e = ctx;
    uint32_t ports[64];
    ssize_t n = read(e->evtchn, ports, sizeof(ports));
    bool dom_exc = false;

    if (n <= 0)
        return false;
    for (size_t i = 0; i < (size_t)n / sizeof(ports[0]); i++)
        dom_exc |= e->dom_exc >= 0 && ports[i] == (uint32_t)e->dom_exc;
    if (write(e->evtchn, ports, (size_t)n - (size_t)n % sizeof(ports[0])) < 0 && errno != EAGAIN)
        perror("xenstored: unmasking event channels");
    return dom_exc;
}

static enum xs_domain_state dom0_domain_state(void *ctx, unsigned domid)
{
    struct dom0_env *e = ctx;
    struct xen_domctl_getdomaininfo info;
    int rc = xc_domain_info(&e->xc, (domid_t)domid, &info);

    if (rc && rc != -ESRCH)
        fprintf(stderr, "xenstored: cannot ask the hypervisor about domain %u: %s\n", domid,
                strerror(-rc));
    if (rc == -ESRCH || (rc == 0 && (info.flags & XEN_DOMINF_dying)))
        return XS_DOMAIN_GONE;
    if (rc == 0 && (info.flags & XEN_DOMINF_shutdown))
        return XS_DOMAIN_SHUTDOWN;
    return XS_DOMAIN_RUNNING; /* or unknown: never release on a guess */
}

/* VIRQ_DOM_EXC goes to one listener; -1 (said once) if it is taken. */
static int dom0_bind_dom_exc(struct dom0_env *e)
{
    struct ioctl_evtchn_bind_virq b = {.virq = VIRQ_DOM_EXC};
    int port = ioctl(e->evtchn, IOCTL_EVTCHN_BIND_VIRQ, &b);

    if (port < 0)
        perror("xenstored: VIRQ_DOM_EXC (domains' ends will not be noticed)");
    return port;
}

static void dom0_fini(void *ctx)
{
    struct dom0_env *e = ctx;

    close(e->evtchn);
    close(e->gntdev);
    close(e->backend);
    xc_close(&e->xc);
    free(e); /* rings were unmapped as their connections went */
}

/*
 * Open the devices under devdir (normally /dev/xen) and fill env.
 * Returns 0, or -1 with errno set (startup: the caller exits).
 */
int xs_dom0_env_open(struct xs_ring_env *env, const char *devdir)
{
    struct dom0_env *e = calloc(1, sizeof(*e));
    char path[256];

    if (!e)
        return -1;
    snprintf(path, sizeof(path), "%s/evtchn", devdir);
    e->evtchn = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    snprintf(path, sizeof(path), "%s/gntdev", devdir);
    e->gntdev = open(path, O_RDWR | O_CLOEXEC);
    snprintf(path, sizeof(path), "%s/xenbus_backend", devdir);
    e->backend = open(path, O_RDWR | O_CLOEXEC);
    if (e->evtchn < 0 || e->gntdev < 0 || e->backend < 0 || xc_open(&e->xc) < 0) {
        int err = errno;

        if (e->evtchn >= 0)
            close(e->evtchn);
        if (e->gntdev >= 0)
            close(e->gntdev);
        if (e->backend >= 0)
            close(e->backend);
        free(e);
        errno = err;
        return -1;
    }
    e->dom_exc = dom0_bind_dom_exc(e);
    *env = (struct xs_ring_env){
        .ctx = e,
        .map = dom0_map_ring,
        .unmap = dom0_unmap_ring,
        .bind = dom0_bind,
        .unbind = dom0_unbind,
        .notify = dom0_notify,
        .fd = e->evtchn,
        .drain = dom0_drain,
        .domain_state = dom0_domain_state,
        .fini = dom0_fini,
    };
    return 0;
}

/*
 * Serve dom0's own kernel (its xenbus) over the ring xenbus_backend
 * provides. Returns 0, or -1 with errno set.
 */
int xs_dom0_attach_self(struct xs_daemon *d, const struct xs_ring_env *env)
{
    struct dom0_env *e = env->ctx;
    void *page;
    int port, local;

    port = ioctl(e->backend, IOCTL_XENBUS_BACKEND_EVTCHN);
    if (port < 0)
        return -1;
    page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, e->backend, 0);
    if (page == MAP_FAILED)
        return -1;
    local = dom0_bind(e, 0, (unsigned)port);
    if (local < 0) {
        munmap(page, PAGE);
        return -1;
    }
    if (xs_daemon_attach_ring(d, 0, page, local) < 0) {
        dom0_unbind(e, local);
        munmap(page, PAGE);
        errno = ENOMEM;
        return -1;
    }
    /*
     * The kernel's xenbus_probe thread sleeps until the first event on
     * this port (XS_LOCAL): say we are here, as Xen's xenstored does.
     */
    dom0_notify(e, local);
    return 0;
}
