/*
 * dom0.c: the ring environment of a daemon running in Linux dom0 (the
 * "--dom0" option): guest ring pages mapped through /dev/xen/gntdev (grant
 * GNTTAB_RESERVED_XENSTORE, which the domain builder fills), event
 * channels through /dev/xen/evtchn, and dom0's own ring and port from
 * /dev/xen/xenbus_backend, the way Xen's xenstored finds them.
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
/* Xen's public types (domid_t, grant_ref_t) before Linux's UAPI headers. */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/grant_table.h>
#include <xen/evtchn.h>
#include <xen/gntdev.h>
#include <xen/sys/xenbus_dev.h>

#define PAGE 4096

struct dom0_map {
    struct dom0_map *next;
    void *page;
    uint64_t index; /* gntdev offset, for the unmap ioctl */
};

struct dom0_env {
    int evtchn, gntdev, backend;
    struct dom0_map *maps;
};

static void *dom0_map_ring(void *ctx, unsigned domid, unsigned long gfn)
{
    struct dom0_env *e = ctx;
    struct ioctl_gntdev_map_grant_ref m = {.count = 1};
    struct ioctl_gntdev_unmap_grant_ref u = {.count = 1};
    struct dom0_map *rec = malloc(sizeof(*rec));
    void *p;

    (void)gfn; /* the reserved grant is preferred to a foreign gfn mapping */
    if (!rec)
        return NULL;
    m.refs[0].domid = domid;
    m.refs[0].ref = GNTTAB_RESERVED_XENSTORE;
    if (ioctl(e->gntdev, IOCTL_GNTDEV_MAP_GRANT_REF, &m) < 0) {
        free(rec);
        return NULL;
    }
    p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, e->gntdev, (off_t)m.index);
    if (p == MAP_FAILED) {
        u.index = m.index;
        ioctl(e->gntdev, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
        free(rec);
        return NULL;
    }
    rec->page = p;
    rec->index = m.index;
    rec->next = e->maps;
    e->maps = rec;
    return p;
}

static void dom0_unmap_ring(void *ctx, unsigned domid, void *page)
{
    struct dom0_env *e = ctx;
    struct dom0_map **pp, *m;

    (void)domid;
    for (pp = &e->maps; (m = *pp); pp = &m->next)
        if (m->page == page) {
            struct ioctl_gntdev_unmap_grant_ref u = {.index = m->index, .count = 1};

            munmap(page, PAGE);
            ioctl(e->gntdev, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
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
static void dom0_drain(void *ctx)
{
    struct dom0_env *e = ctx;
    uint32_t ports[64];
    ssize_t n = read(e->evtchn, ports, sizeof(ports));

    if (n > 0 && write(e->evtchn, ports, (size_t)n - (size_t)n % sizeof(ports[0])) < 0 &&
        errno != EAGAIN)
        perror("xenstored: unmasking event channels");
}

static void dom0_fini(void *ctx)
{
    struct dom0_env *e = ctx;

    close(e->evtchn);
    close(e->gntdev);
    close(e->backend);
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
    if (e->evtchn < 0 || e->gntdev < 0 || e->backend < 0) {
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
    *env = (struct xs_ring_env){
        .ctx = e,
        .map = dom0_map_ring,
        .unmap = dom0_unmap_ring,
        .bind = dom0_bind,
        .unbind = dom0_unbind,
        .notify = dom0_notify,
        .fd = e->evtchn,
        .drain = dom0_drain,
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
