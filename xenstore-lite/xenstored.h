/*
 * xenstore-lite daemon: the interface its main program, dom0 glue and the
 * tests use to create, drive and stop one daemon instance.
 *
 * Lifetime: xs_daemon_create() .. xs_daemon_destroy(); the caller runs the
 * loop by calling xs_daemon_step(). All calls come from one thread, the
 * one that created the daemon (it is registered with liburcu there).
 */
#ifndef XS_XENSTORED_H
#define XS_XENSTORED_H

#include <stdbool.h>
#include <stdint.h>

struct xs_daemon;
struct xs_conn;

/* Limits; an unprivileged domain exceeding one gets Xen's error code. */
#define XS_PERMS_MAX 512 /* permission entries per node, hard cap for anyone */

struct xs_quota {
    unsigned nodes;        /* nodes a domain may own (ENOSPC) */
    unsigned node_size;    /* value + perms + child names of one node (ENOSPC) */
    unsigned watches;      /* watches per connection, + 1 (E2BIG), as xenstored 4.17 */
    unsigned transactions; /* open transactions per connection, + 1 (ENOSPC), ditto */
    unsigned outstanding;  /* queued replies before input is no longer read */
    unsigned txn_nodes;    /* distinct nodes one transaction may touch (ENOSPC) */
    unsigned perms;        /* permission entries per node (ENOSPC) */
};

/* xenstored's defaults. */
#define XS_QUOTA_DEFAULT                                                                           \
    {                                                                                              \
        1000, 2048, 128, 10, 20, 1024, 5                                                           \
    }

/* The field of q named name ("nodes", "node-size", ...), or NULL. */
unsigned *xs_quota_field(struct xs_quota *q, const char *name);

/*
 * What the hypervisor says of a domain, asked when it reports that some
 * domain changed (VIRQ_DOM_EXC): running (or paused), shut down but still
 * there, or dying or gone.
 */
enum xs_domain_state { XS_DOMAIN_RUNNING, XS_DOMAIN_SHUTDOWN, XS_DOMAIN_GONE };

/*
 * How the daemon reaches guest rings and event channels. On the host the
 * tests map rings in their own memory; in dom0 this wraps
 * /dev/xen/xenbus_backend, gntdev/privcmd and /dev/xen/evtchn.
 * Every hook may be NULL: INTRODUCE then fails with EINVAL (no mapping).
 */
struct xs_ring_env {
    void *ctx;
    /* Map the ring page of a domain; NULL on failure. */
    void *(*map)(void *ctx, unsigned domid, unsigned long gfn);
    void (*unmap)(void *ctx, unsigned domid, void *page);
    /* Bind to the domain's event channel; local port or -1. */
    int (*bind)(void *ctx, unsigned domid, unsigned remote_port);
    void (*unbind)(void *ctx, int local_port);
    void (*notify)(void *ctx, int local_port);
    /* Pollable fd that becomes readable when a port fires, or -1. */
    int fd;
    /*
     * Drain pending notifications (called when fd is readable). True if
     * among them the hypervisor said a domain changed state.
     */
    bool (*drain)(void *ctx);
    /* The hypervisor's word on one domain; NULL: never asked. */
    enum xs_domain_state (*domain_state)(void *ctx, unsigned domid);
    /* Release ctx when the daemon goes (optional). */
    void (*fini)(void *ctx);
};

struct xs_daemon_opts {
    const char *socket_path; /* NULL: no unix socket */
    struct xs_quota quota;
    const struct xs_ring_env *ring_env; /* NULL: no ring transport */
};

struct xs_daemon *xs_daemon_create(const struct xs_daemon_opts *o);
void xs_daemon_destroy(struct xs_daemon *d);
/* Wait up to timeout_ms for I/O, handle it; returns -1 on a fatal error. */
int xs_daemon_step(struct xs_daemon *d, int timeout_ms);
/* Adopt one end of a connected stream socket as a privileged connection. */
struct xs_conn *xs_daemon_adopt_fd(struct xs_daemon *d, int fd);
/* A domain's event channel fired (ring transports without an fd). */
void xs_daemon_kick(struct xs_daemon *d);
/* The hypervisor reported a domain shut down or dying: @releaseDomain. */
void xs_daemon_domain_gone(struct xs_daemon *d, unsigned domid);
/*
 * Some domain changed state (VIRQ_DOM_EXC): ask about each introduced
 * one; a shut-down domain is reported (@releaseDomain, once), a dying or
 * vanished one is released as by XS_RELEASE.
 */
void xs_daemon_domains_changed(struct xs_daemon *d);
/*
 * Serve a ring whose page is already mapped and whose event channel is
 * bound to local_port (dom0's own ring); marks domid introduced.
 * Returns 0 or -1 (out of memory).
 */
int xs_daemon_attach_ring(struct xs_daemon *d, unsigned domid, void *page, int local_port);
/* Number of live connections (tests). */
unsigned xs_daemon_conn_count(const struct xs_daemon *d);

/* filering.c: rings as files, kicks through a FIFO, for tests (see the file). */
int xs_file_rings_open(struct xs_ring_env *env, const char *dir);
/* dom0.c: the ring environment of Linux dom0 (see the file). */
int xs_dom0_env_open(struct xs_ring_env *env, const char *devdir);
int xs_dom0_attach_self(struct xs_daemon *d, const struct xs_ring_env *env);

#endif
