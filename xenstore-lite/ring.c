/*
 * ring.c: the shared-ring transport of io/xs_wire.h (struct
 * xenstore_domain_interface), the way guests reach xenstore. The daemon
 * consumes req[] and produces rsp[]; indexes are free-running and masked
 * with MASK_XENSTORE_IDX; an event channel kick says indexes moved.
 *
 * The page comes from the ring environment (xenstored.h): a page of host
 * memory in the tests, a mapped guest page in dom0. Everything in it is
 * written by an untrusted guest at any time: each index is read once per
 * use, and a producer/consumer gap over XENSTORE_RING_SIZE is a protocol
 * violation (error field XENSTORE_ERROR_RINGIDX, connection ignored), as
 * in xenstored.
 *
 * We offer XENSTORE_SERVER_FEATURE_RECONNECTION: a guest setting
 * connection = XENSTORE_RECONNECT gets its watches and transactions
 * dropped, the indexes zeroed and connection set back to CONNECTED.
 *
 * Lifetime: created by INTRODUCE (domain.c), destroyed with its conn;
 * close unbinds the port and unmaps the page.
 * Locking: daemon thread; the guest is the other party, synchronised only
 * by the barriers below.
 */
#include <stdlib.h>
#include <string.h>

#include "private.h"

struct xs_ring {
    struct xenstore_domain_interface *intf;
    int port;
};

static struct xs_ring *ring_of(struct xs_conn *c)
{
    return c->tp;
}

static void ring_notify(struct xs_conn *c)
{
    const struct xs_ring_env *env = &c->d->ring_env;

    if (env->notify)
        env->notify(env->ctx, ring_of(c)->port);
}

static void ring_violation_code(struct xs_conn *c, uint32_t code)
{
    ring_of(c)->intf->error = code;
    ring_notify(c);
}

static void ring_violation(struct xs_conn *c)
{
    ring_violation_code(c, XENSTORE_ERROR_PROTO);
}

static ssize_t ring_read(struct xs_conn *c, void *buf, size_t len)
{
    struct xenstore_domain_interface *intf = ring_of(c)->intf;
    XENSTORE_RING_IDX cons = CMM_LOAD_SHARED(intf->req_cons);
    XENSTORE_RING_IDX prod = CMM_LOAD_SHARED(intf->req_prod);
    size_t avail, done = 0;

    cmm_smp_rmb(); /* read indexes before the data they cover */
    if (prod - cons > XENSTORE_RING_SIZE) {
        ring_violation_code(c, XENSTORE_ERROR_RINGIDX);
        return -1;
    }
    avail = prod - cons;
    if (avail > len)
        avail = len;
    while (done < avail) {
        size_t off = MASK_XENSTORE_IDX(cons + done);
        size_t chunk = XENSTORE_RING_SIZE - off;

        if (chunk > avail - done)
            chunk = avail - done;
        memcpy((char *)buf + done, intf->req + off, chunk);
        done += chunk;
    }
    if (!done)
        return 0;
    cmm_smp_mb(); /* finish reading before the guest may reuse the space */
    CMM_STORE_SHARED(intf->req_cons, cons + (XENSTORE_RING_IDX)done);
    ring_notify(c);
    return (ssize_t)done;
}

static ssize_t ring_write(struct xs_conn *c, const void *buf, size_t len)
{
    struct xenstore_domain_interface *intf = ring_of(c)->intf;
    XENSTORE_RING_IDX cons = CMM_LOAD_SHARED(intf->rsp_cons);
    XENSTORE_RING_IDX prod = CMM_LOAD_SHARED(intf->rsp_prod);
    size_t space, done = 0;

    cmm_smp_mb(); /* the guest's reads of the space finished before we refill */
    if (prod - cons > XENSTORE_RING_SIZE) {
        ring_violation_code(c, XENSTORE_ERROR_RINGIDX);
        return -1;
    }
    space = XENSTORE_RING_SIZE - (prod - cons);
    if (space > len)
        space = len;
    while (done < space) {
        size_t off = MASK_XENSTORE_IDX(prod + done);
        size_t chunk = XENSTORE_RING_SIZE - off;

        if (chunk > space - done)
            chunk = space - done;
        memcpy(intf->rsp + off, (const char *)buf + done, chunk);
        done += chunk;
    }
    if (!done)
        return 0;
    cmm_smp_wmb(); /* data before the index that publishes it */
    CMM_STORE_SHARED(intf->rsp_prod, prod + (XENSTORE_RING_IDX)done);
    ring_notify(c);
    return (ssize_t)done;
}

static void ring_close(struct xs_conn *c)
{
    const struct xs_ring_env *env = &c->d->ring_env;
    struct xs_ring *r = ring_of(c);

    if (env->unbind)
        env->unbind(env->ctx, r->port);
    if (env->unmap)
        env->unmap(env->ctx, c->domid, r->intf);
    free(r);
    c->tp = NULL;
}

static const struct xs_transport_ops ring_ops = {
    .read = ring_read,
    .write = ring_write,
    .close = ring_close,
    .violation = ring_violation,
    .name = "ring",
};

/* A connection over the ring page of domid, kicked through local port. */
struct xs_conn *xs_ring_connect(struct xs_daemon *d, unsigned domid, void *page, int port)
{
    struct xs_ring *r = calloc(1, sizeof(*r));
    struct xs_conn *c;

    if (!r)
        return NULL;
    r->intf = page;
    r->port = port;
    c = xs_conn_new(d, &ring_ops, r, -1, domid, true);
    if (!c) {
        free(r);
        return NULL;
    }
    r->intf->server_features = XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR;
    return c;
}

/* The guest asked to reconnect: start afresh, as a new connection would. */
static void ring_reconnect(struct xs_conn *c)
{
    struct xenstore_domain_interface *intf = ring_of(c)->intf;

    xs_conn_reset(c);
    intf->req_cons = intf->req_prod = 0;
    intf->rsp_cons = intf->rsp_prod = 0;
    intf->error = XENSTORE_ERROR_NONE;
    cmm_smp_wmb();
    CMM_STORE_SHARED(intf->connection, XENSTORE_CONNECTED);
    ring_notify(c);
}

/* Service every ring: cheap, and needs no per-port bookkeeping. */
void xs_ring_poll_all(struct xs_daemon *d)
{
    struct xs_conn *c;

    for (c = d->conns; c; c = c->next) {
        if (!c->is_domain || c->dead)
            continue;
        if (CMM_LOAD_SHARED(ring_of(c)->intf->connection) == XENSTORE_RECONNECT)
            ring_reconnect(c);
        if (c->ignored)
            continue;
        xs_conn_output(c);
        xs_conn_input(c);
        xs_conn_output(c);
    }
}
