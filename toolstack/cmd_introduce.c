/*
 * vane introduce DOMID: hand a domain the hypervisor built at boot to
 * dom0's xenstored, as xl does for the domains it creates. The ring is the
 * one the builder granted to dom0 at GNTTAB_RESERVED_XENSTORE; the event
 * channel is the domain's port left unbound for dom0, found by asking the
 * hypervisor for the state of each port (EVTCHNOP_status). Like libxl, it
 * first makes the domain's home, /local/domain/N, owned by the domain,
 * with its domid and name in it.
 */
#define __XEN_TOOLS__ 1 /* the current interface: event_channel_op, not its compat form */
#include "privcmd.h"
#include "vane.h"
#include "xs_client.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/xen.h>

/* Ports scanned: the builder allocates the store's among the first few. */
#define SCAN_PORTS 64

/* DOMID's first port unbound for dom0, or -1 (errno set). */
static int find_store_port(int fd, domid_t domid)
{
    for (evtchn_port_t p = 1; p < SCAN_PORTS; p++) {
        struct evtchn_status st = {.dom = domid, .port = p};

        if (privcmd_hypercall(fd, __HYPERVISOR_event_channel_op, EVTCHNOP_status, (uintptr_t)&st, 0,
                              0, 0) < 0)
            return -1;
        if (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0)
            return (int)p;
    }
    errno = ENOENT;
    return -1;
}

/* /local/domain/N owned by N (nobody else may read it), domid, name. */
static int make_home(struct xsc *xs, unsigned domid)
{
    char path[64], perm[16], val[16];
    const char *perms[] = {perm};
    uint32_t tx;
    int rc;

    for (;;) {
        if (xsc_transaction_start(xs, &tx) < 0)
            return -1;
        snprintf(path, sizeof(path), "/local/domain/%u", domid);
        snprintf(perm, sizeof(perm), "n%u", domid);
        rc = xsc_mkdir(xs, tx, path) < 0 || xsc_set_perms(xs, tx, path, perms, 1) < 0 ? -1 : 0;
        snprintf(path, sizeof(path), "/local/domain/%u/domid", domid);
        snprintf(val, sizeof(val), "%u", domid);
        rc = rc ? rc : xsc_write(xs, tx, path, val, strlen(val));
        snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
        snprintf(val, sizeof(val), "d%u", domid);
        rc = rc ? rc : xsc_write(xs, tx, path, val, strlen(val));
        if (rc) {
            int e = errno;

            xsc_transaction_end(xs, tx, false);
            errno = e;
            return -1;
        }
        if (xsc_transaction_end(xs, tx, true) == 0)
            return 0;
        if (errno != EAGAIN)
            return -1; /* EAGAIN: it conflicted, do it again */
    }
}

int cmd_introduce(int argc, char **argv)
{
    unsigned long domid;
    struct xsc *xs;
    char *end;
    int fd, port;

    if (argc != 2) {
        fprintf(stderr, "usage: vane introduce DOMID\n");
        return 2;
    }
    domid = strtoul(argv[1], &end, 10);
    if (*end || domid == 0 || domid >= DOMID_FIRST_RESERVED) {
        fprintf(stderr, "vane: '%s' is not a domU's id\n", argv[1]);
        return 2;
    }
    fd = privcmd_open();
    if (fd < 0)
        return 1;
    port = find_store_port(fd, (domid_t)domid);
    privcmd_close(fd);
    if (port < 0) {
        fprintf(stderr, "vane: domain %lu has no xenstore port for dom0: %s\n", domid,
                strerror(errno));
        return 1;
    }
    xs = xsc_open(NULL);
    if (!xs) {
        fprintf(stderr, "vane: xenstored: %s\n", strerror(errno));
        return 1;
    }
    if (make_home(xs, (unsigned)domid) < 0) {
        fprintf(stderr, "vane: making /local/domain/%lu: %s\n", domid, strerror(errno));
        xsc_close(xs);
        return 1;
    }
    /* The gfn is not needed: xenstored maps the reserved grant. */
    if (xsc_introduce(xs, (unsigned)domid, 0, (unsigned)port) < 0) {
        fprintf(stderr, "vane: introducing domain %lu: %s\n", domid, strerror(errno));
        xsc_close(xs);
        return 1;
    }
    xsc_close(xs);
    printf("domain %lu introduced to xenstored (event channel %d)\n", domid, port);
    return 0;
}
