/*
 * vane introduce DOMID: hand a domain the hypervisor built at boot to
 * dom0's daemons, as xl does for the domains it creates. To xenstored: the
 * ring is the one the builder granted to dom0 at GNTTAB_RESERVED_XENSTORE;
 * the event channel is the domain's port left unbound for dom0, found by
 * asking the hypervisor for the state of each port (EVTCHNOP_status).
 * Like libxl, it first makes the domain's home, /local/domain/N, owned by
 * the domain, with its domid and name in it. To the console daemon (when
 * it runs): the console the hypervisor has served since boot, whose port
 * shows as unbound for DOMID_XEN; the daemon maps its grant
 * (GNTTAB_RESERVED_CONSOLE) and binds the port, which takes it over.
 */
#define __XEN_TOOLS__ 1 /* the current interface: event_channel_op, not its compat form */
#include "consoled_proto.h"
#include "xsdom.h"
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

/* DOMID's first port unbound for `peer`, or -1 (errno set). */
static int find_unbound_port(int fd, domid_t domid, domid_t peer)
{
    for (evtchn_port_t p = 1; p < SCAN_PORTS; p++) {
        struct evtchn_status st = {.dom = domid, .port = p};

        if (privcmd_hypercall(fd, __HYPERVISOR_event_channel_op, EVTCHNOP_status, (uintptr_t)&st, 0,
                              0, 0) < 0)
            return -1;
        if (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == peer)
            return (int)p;
    }
    errno = ENOENT;
    return -1;
}

/* The console the hypervisor serves, to vane consoled (if it runs). */
static void hand_console(unsigned long domid, int port)
{
    char req[64], reply[256];
    int rc;

    if (port < 0)
        return; /* not served by the hypervisor (or already handed over) */
    snprintf(req, sizeof(req), "adopt %lu %d\n", domid, port);
    rc = vane_consoled_request(req, reply, sizeof(reply), 5000);
    if (rc == -ENOENT || rc == -ECONNREFUSED)
        return; /* no daemon: the hypervisor keeps serving it */
    if (rc)
        fprintf(stderr, "vane: handing the console of domain %lu to vane consoled: %s\n", domid,
                rc == -EPROTO ? reply : strerror(-rc));
    else
        printf("domain %lu's console handed to vane consoled\n", domid);
}

/* /local/domain/N owned by N (nobody else may read it), domid, name. */
static int home_body(struct xsc *xs, uint32_t tx, void *arg)
{
    unsigned domid = *(const unsigned *)arg;
    char path[64], perm[16], val[16];
    const char *perms[] = {perm};

    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    snprintf(perm, sizeof(perm), "n%u", domid);
    if (xsc_mkdir(xs, tx, path) < 0 || xsc_set_perms(xs, tx, path, perms, 1) < 0)
        return -errno;
    snprintf(path, sizeof(path), "/local/domain/%u/domid", domid);
    snprintf(val, sizeof(val), "%u", domid);
    if (xsc_write(xs, tx, path, val, strlen(val)) < 0)
        return -errno;
    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    snprintf(val, sizeof(val), "d%u", domid);
    return xsc_write(xs, tx, path, val, strlen(val)) < 0 ? -errno : 0;
}

int cmd_introduce(int argc, char **argv)
{
    unsigned long domid;
    struct xsc *xs;
    char *end;
    int fd, port, cport, rc;
    unsigned home;

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
    port = find_unbound_port(fd, (domid_t)domid, 0);
    cport = find_unbound_port(fd, (domid_t)domid, DOMID_XEN);
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
    home = (unsigned)domid;
    if ((rc = vane_xs_transact(xs, home_body, &home))) {
        fprintf(stderr, "vane: making /local/domain/%lu: %s\n", domid, strerror(-rc));
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
    hand_console(domid, cport);
    return 0;
}
