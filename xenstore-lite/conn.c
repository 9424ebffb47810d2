/*
 * conn.c: one client connection, whatever its transport — reassembling
 * requests from the byte stream, queueing replies and watch events, and
 * flow control.
 *
 * Input is a 16-byte struct xsd_sockmsg then len payload bytes. A header
 * announcing more than XENSTORE_PAYLOAD_MAX bytes is a protocol violation
 * after which the stream cannot be resynchronised: xenstored stops talking
 * to such a client, and so do we (the connection is "ignored" and, for a
 * socket, closed).
 *
 * Flow control stands in for xenstored's outstanding-request quota: while
 * a domain has quota.outstanding replies or events it has not consumed, its
 * further requests are left unread (in its ring), so it cannot make the
 * daemon queue without bound. Any client whose unread output passes
 * XS_OUT_MAX bytes is dropped.
 *
 * Lifetime: created by a transport (unix.c, ring.c), linked at the tail of
 * d->conns; destroyed by the daemon loop once marked dead. Destroying it
 * frees its watches, transactions and queued output.
 * Locking: daemon thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define XS_OUT_MAX       (4u << 20)
#define XS_PRIV_OUT_HIGH (1u << 20) /* dom0 clients: stop reading above this */
#define XS_MSGS_PER_TURN 64         /* fairness between connections */

struct xs_conn *xs_conn_new(struct xs_daemon *d, const struct xs_transport_ops *ops, void *tp,
                            int fd, unsigned domid, bool is_domain)
{
    struct xs_conn *c = calloc(1, sizeof(*c)), **pp;

    if (!c)
        return NULL;
    c->d = d;
    c->ops = ops;
    c->tp = tp;
    c->fd = fd;
    c->domid = (uint16_t)domid;
    c->is_domain = is_domain;
    c->out_tail = &c->out_head;
    for (pp = &d->conns; *pp; pp = &(*pp)->next)
        ;
    *pp = c; /* tail: watch events go out in connection order */
    return c;
}

static void out_clear(struct xs_conn *c)
{
    while (c->out_head) {
        struct xs_outmsg *m = c->out_head;

        c->out_head = m->next;
        free(m);
    }
    c->out_tail = &c->out_head;
    c->out_count = 0;
    c->out_bytes = 0;
}

/* Forget all per-client state (ring reconnection, RESET_WATCHES is narrower). */
void xs_conn_reset(struct xs_conn *c)
{
    xs_watch_free_all(c);
    xs_txn_free_all(c);
    out_clear(c);
    c->in_used = 0;
    c->ahead_off = c->ahead_len = 0;
    c->ignored = false;
}

/* Unlink from the daemon and free. */
void xs_conn_destroy(struct xs_conn *c)
{
    struct xs_conn **pp;

    for (pp = &c->d->conns; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    if (c->is_domain) {
        struct xs_domain *dom = xs_domain_get(c->d, c->domid, false);

        if (dom && dom->conn == c)
            dom->conn = NULL;
    }
    xs_conn_reset(c);
    if (c->ops->close)
        c->ops->close(c);
    free(c);
}

bool xs_conn_wants_input(const struct xs_conn *c)
{
    if (c->dead || c->ignored)
        return false;
    if (xs_conn_privileged(c))
        return c->out_bytes < XS_PRIV_OUT_HIGH;
    return c->out_count < c->d->quota.outstanding;
}

static void protocol_violation(struct xs_conn *c, const char *why)
{
    if (c->d->debug_log)
        fprintf(stderr, "xenstored: %s conn dom%u: %s, dropping\n", c->ops->name, c->domid, why);
    c->ignored = true;
    out_clear(c);
    if (c->ops->violation)
        c->ops->violation(c);
    if (!c->is_domain)
        c->dead = true; /* a socket client can reconnect; close it */
}

/*
 * Up to len bytes of input. A socket is read ahead in 8 KiB gulps: a
 * client that pipelines costs one recv() per gulp, not two per message.
 * A ring is read exactly, so that requests the outstanding limit holds
 * back stay in the guest's ring.
 */
static ssize_t pull(struct xs_conn *c, void *dst, size_t len)
{
    size_t have;

    if (c->is_domain)
        return c->ops->read(c, dst, len);
    if (c->ahead_off == c->ahead_len) {
        ssize_t n = c->ops->read(c, c->ahead, sizeof(c->ahead));

        if (n <= 0)
            return n;
        c->ahead_off = 0;
        c->ahead_len = (size_t)n;
    }
    have = c->ahead_len - c->ahead_off;
    if (have > len)
        have = len;
    memcpy(dst, c->ahead + c->ahead_off, have);
    c->ahead_off += have;
    return (ssize_t)have;
}

/* Read and handle what has arrived, a bounded number of messages per turn. */
void xs_conn_input(struct xs_conn *c)
{
    unsigned handled = 0;

    while (handled < XS_MSGS_PER_TURN && xs_conn_wants_input(c)) {
        size_t want;
        ssize_t n;

        if (c->in_used < sizeof(c->in_hdr)) {
            want = sizeof(c->in_hdr) - c->in_used;
            n = pull(c, (char *)&c->in_hdr + c->in_used, want);
        } else {
            want = sizeof(c->in_hdr) + c->in_hdr.len - c->in_used;
            n = want ? pull(c, c->in_buf + (c->in_used - sizeof(c->in_hdr)), want) : 0;
        }
        if (n < 0) {
            c->dead = !c->is_domain;
            c->ignored = c->is_domain;
            return;
        }
        c->in_used += (size_t)n;
        if (c->in_used == sizeof(c->in_hdr) && c->in_hdr.len > XENSTORE_PAYLOAD_MAX) {
            protocol_violation(c, "payload length over XENSTORE_PAYLOAD_MAX");
            return;
        }
        if (c->in_used < sizeof(c->in_hdr) || c->in_used < sizeof(c->in_hdr) + c->in_hdr.len) {
            if (n == 0)
                return; /* nothing more for now */
            continue;
        }
        /* A NUL past the payload lets handlers use string functions safely. */
        c->in_buf[c->in_hdr.len] = '\0';
        xs_handle_message(c);
        c->in_used = 0;
        handled++;
    }
}

/* Write queued output until the transport would block. */
void xs_conn_output(struct xs_conn *c)
{
    while (c->out_head && !c->dead && !c->ignored) {
        struct xs_outmsg *m = c->out_head;
        ssize_t n = c->ops->write(c, m->buf + m->off, m->len - m->off);

        if (n < 0) {
            c->dead = !c->is_domain;
            c->ignored = c->is_domain;
            return;
        }
        if (n == 0)
            return;
        m->off += (size_t)n;
        if (m->off < m->len)
            return;
        c->out_head = m->next;
        if (!c->out_head)
            c->out_tail = &c->out_head;
        c->out_count--;
        c->out_bytes -= m->len;
        free(m);
    }
}

static int queue(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *a,
                 size_t alen, const void *b, size_t blen)
{
    struct xsd_sockmsg hdr = {type, req_id, tx_id, (uint32_t)(alen + blen)};
    struct xs_outmsg *m;

    if (c->dead || c->ignored)
        return 0;
    if (c->out_bytes + sizeof(hdr) + alen + blen > XS_OUT_MAX) {
        protocol_violation(c, "not reading its replies");
        return ENOMEM;
    }
    m = malloc(sizeof(*m) + sizeof(hdr) + alen + blen);
    if (!m)
        return ENOMEM;
    m->next = NULL;
    m->off = 0;
    m->len = sizeof(hdr) + alen + blen;
    m->event = type == XS_WATCH_EVENT;
    memcpy(m->buf, &hdr, sizeof(hdr));
    if (alen)
        memcpy(m->buf + sizeof(hdr), a, alen);
    if (blen)
        memcpy(m->buf + sizeof(hdr) + alen, b, blen);
    *c->out_tail = m;
    c->out_tail = &m->next;
    c->out_count++;
    c->out_bytes += m->len;
    xs_conn_output(c);
    return 0;
}

/*
 * Reply to the request being handled: payload a then b. A reply over
 * XENSTORE_PAYLOAD_MAX becomes E2BIG, as in xenstored.
 */
int xs_conn_reply(struct xs_conn *c, uint32_t type, const void *a, size_t alen, const void *b,
                  size_t blen)
{
    if (alen + blen > XENSTORE_PAYLOAD_MAX)
        return xs_conn_error(c, E2BIG);
    return queue(c, type, c->in_hdr.req_id, c->in_hdr.tx_id, a, alen, b, blen);
}

int xs_conn_error(struct xs_conn *c, int err)
{
    const char *name = xs_wire_error_name(err);

    return queue(c, XS_ERROR, c->in_hdr.req_id, c->in_hdr.tx_id, name, strlen(name) + 1, NULL, 0);
}

/* WATCH_EVENT: <path>|<token>|, req_id and tx_id 0. */
int xs_conn_event(struct xs_conn *c, const char *path, const char *token)
{
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;

    if (pl + tl > XENSTORE_PAYLOAD_MAX)
        return E2BIG;
    return queue(c, XS_WATCH_EVENT, 0, 0, path, pl, token, tl);
}
