/*
 * harness.c: see harness.h. Rings live in page-aligned host memory and
 * the ring environment hands them to the daemon on INTRODUCE; sockets are
 * socketpairs. The test end of each transport is non-blocking and pumped
 * after every daemon step.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

#define TH_QUEUE 512
#define TH_ACC   (1u << 20)

struct th_msg {
    struct xsd_sockmsg hdr;
    char *body;
    unsigned seq; /* arrival order among all of the client's messages */
};

struct th_client {
    struct th *t;
    int fd; /* socket end, or -1 for a ring */
    struct xenstore_domain_interface *ring;
    uint32_t req_id;
    bool closed;
    unsigned char *acc;
    size_t acc_len;
    struct th_msg replies[TH_QUEUE], events[TH_QUEUE];
    unsigned nreplies, nevents;
    unsigned seq, last_reply_seq, last_event_seq;
};

static void *env_map(void *ctx, unsigned domid, unsigned long gfn)
{
    struct th *t = ctx;
    unsigned i;

    for (i = 0; i < t->ndoms; i++)
        if (t->doms[i].domid == domid && gfn == 0x1000 + domid)
            return t->doms[i].page;
    return NULL;
}

static int env_bind(void *ctx, unsigned domid, unsigned port)
{
    (void)ctx;
    return port == 7 ? (int)(100 + domid) : -1;
}

static void env_notify(void *ctx, int port)
{
    struct th *t = ctx;

    (void)port;
    t->notifies++;
}

static enum xs_domain_state env_domain_state(void *ctx, unsigned domid)
{
    struct th *t = ctx;
    unsigned i;

    for (i = 0; i < t->ndoms; i++)
        if (t->doms[i].domid == domid)
            return t->doms[i].state;
    return XS_DOMAIN_GONE;
}

struct th *th_new_quota(const struct xs_quota *q)
{
    struct th *t = calloc(1, sizeof(*t));
    struct xs_daemon_opts o = {NULL, *q, NULL};

    ck_assert_ptr_nonnull(t);
    t->env = (struct xs_ring_env){.ctx = t,
                                  .map = env_map,
                                  .bind = env_bind,
                                  .notify = env_notify,
                                  .fd = -1,
                                  .domain_state = env_domain_state};
    o.ring_env = &t->env;
    t->d = xs_daemon_create(&o);
    ck_assert_ptr_nonnull(t->d);
    return t;
}

struct th *th_new(void)
{
    const struct xs_quota q = XS_QUOTA_DEFAULT;

    return th_new_quota(&q);
}

void th_free(struct th *t)
{
    unsigned i;

    xs_daemon_destroy(t->d);
    for (i = 0; i < t->ndoms; i++)
        free(t->doms[i].page);
    free(t);
}

static struct th_client *client_new(struct th *t)
{
    struct th_client *c = calloc(1, sizeof(*c));

    ck_assert_ptr_nonnull(c);
    c->acc = malloc(TH_ACC);
    ck_assert_ptr_nonnull(c->acc);
    c->t = t;
    c->fd = -1;
    return c;
}

struct th_client *th_dom0(struct th *t)
{
    struct th_client *c = client_new(t);
    int sv[2];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
    c->fd = sv[0];
    ck_assert_ptr_nonnull(xs_daemon_adopt_fd(t->d, sv[1]));
    return c;
}

struct th_client *th_guest(struct th *t, unsigned domid)
{
    struct th_client *c = client_new(t), *dom0;
    char args[64];

    ck_assert_uint_lt(t->ndoms, TH_MAX_DOMS);
    c->ring = aligned_alloc(4096, 4096);
    ck_assert_ptr_nonnull(c->ring);
    memset(c->ring, 0, 4096);
    t->doms[t->ndoms].domid = domid;
    t->doms[t->ndoms].page = c->ring;
    t->ndoms++;
    dom0 = th_dom0(t);
    snprintf(args, sizeof(args), "%u|%u|7|", domid, 0x1000 + domid);
    ck_assert_str_eq(th_do(dom0, XS_INTRODUCE, 0, args), "OK|");
    th_client_free(dom0);
    return c;
}

struct xenstore_domain_interface *th_ring(struct th_client *c)
{
    return c->ring;
}

static void msgs_free(struct th_msg *m, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++)
        free(m[i].body);
}

void th_client_free(struct th_client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    msgs_free(c->replies, c->nreplies);
    msgs_free(c->events, c->nevents);
    free(c->acc);
    free(c);
    /* the ring page belongs to the harness (the daemon may still map it) */
}

/* Move what the daemon produced for c into c->acc, then into messages. */
static void pump(struct th_client *c)
{
    size_t off = 0;

    if (c->fd >= 0) {
        for (;;) {
            ssize_t n = read(c->fd, c->acc + c->acc_len, TH_ACC - c->acc_len);

            if (n == 0)
                c->closed = true;
            if (n <= 0)
                break;
            c->acc_len += (size_t)n;
        }
    } else {
        struct xenstore_domain_interface *r = c->ring;

        while (r->rsp_cons != r->rsp_prod && c->acc_len < TH_ACC) {
            c->acc[c->acc_len++] = (unsigned char)r->rsp[MASK_XENSTORE_IDX(r->rsp_cons)];
            __atomic_store_n(&r->rsp_cons, r->rsp_cons + 1, __ATOMIC_RELEASE);
        }
    }
    while (c->acc_len - off >= sizeof(struct xsd_sockmsg)) {
        struct th_msg m;

        memcpy(&m.hdr, c->acc + off, sizeof(m.hdr));
        if (c->acc_len - off < sizeof(m.hdr) + m.hdr.len)
            break;
        m.body = malloc(m.hdr.len + 1);
        ck_assert_ptr_nonnull(m.body);
        memcpy(m.body, c->acc + off + sizeof(m.hdr), m.hdr.len);
        m.body[m.hdr.len] = '\0';
        m.seq = ++c->seq;
        off += sizeof(m.hdr) + m.hdr.len;
        if (m.hdr.type == XS_WATCH_EVENT) {
            ck_assert_uint_lt(c->nevents, TH_QUEUE);
            c->events[c->nevents++] = m;
        } else {
            ck_assert_uint_lt(c->nreplies, TH_QUEUE);
            c->replies[c->nreplies++] = m;
        }
    }
    memmove(c->acc, c->acc + off, c->acc_len - off);
    c->acc_len -= off;
}

static void step(struct th *t)
{
    ck_assert_int_eq(xs_daemon_step(t->d, 0), 0);
    xs_daemon_kick(t->d);
}

void th_send_raw(struct th_client *c, const void *p, size_t len)
{
    const unsigned char *b = p;
    size_t done = 0;
    unsigned spins = 0;

    while (done < len) {
        if (c->fd >= 0) {
            ssize_t n = write(c->fd, b + done, len - done);

            if (n > 0)
                done += (size_t)n;
            else
                ck_assert_int_eq(errno, EAGAIN);
        } else {
            struct xenstore_domain_interface *r = c->ring;

            while (done < len && r->req_prod - r->req_cons < XENSTORE_RING_SIZE) {
                r->req[MASK_XENSTORE_IDX(r->req_prod)] = (char)b[done++];
                __atomic_store_n(&r->req_prod, r->req_prod + 1, __ATOMIC_RELEASE);
            }
        }
        if (done < len) {
            /*
             * Let the daemon consume. A guest's replies are only taken
             * when it is otherwise stuck, so tests can watch the response
             * ring fill up.
             */
            step(c->t);
            if (c->fd >= 0 || spins > 1000)
                pump(c);
            ck_assert_uint_lt(++spins, 100000);
        }
    }
}

void th_send(struct th_client *c, uint32_t type, uint32_t req_id, uint32_t tx, const void *p,
             size_t len)
{
    struct xsd_sockmsg h = {type, req_id, tx, (uint32_t)len};

    th_send_raw(c, &h, sizeof(h));
    th_send_raw(c, p, len);
}

void th_settle(struct th *t)
{
    int i;

    for (i = 0; i < 8; i++)
        step(t);
}

bool th_recv(struct th_client *c, struct xsd_sockmsg *hdr, char *buf, size_t bufsz)
{
    unsigned spins;

    for (spins = 0; spins < 64 && c->nreplies == 0; spins++) {
        step(c->t);
        pump(c);
    }
    if (c->nreplies == 0)
        return false;
    *hdr = c->replies[0].hdr;
    ck_assert_uint_ge(bufsz, hdr->len + 1);
    memcpy(buf, c->replies[0].body, hdr->len + 1);
    c->last_reply_seq = c->replies[0].seq;
    free(c->replies[0].body);
    memmove(c->replies, c->replies + 1, --c->nreplies * sizeof(c->replies[0]));
    return true;
}

static void to_text(char *out, const char *in, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        out[i] = in[i] ? in[i] : '|';
    out[len] = '\0';
}

const char *th_do(struct th_client *c, uint32_t type, uint32_t tx, const char *args)
{
    static char out[2 * XENSTORE_PAYLOAD_MAX + 16];
    char in[XENSTORE_PAYLOAD_MAX * 2], body[XENSTORE_PAYLOAD_MAX + 1];
    struct xsd_sockmsg h;
    size_t i, len = strlen(args);

    ck_assert_uint_lt(len, sizeof(in));
    for (i = 0; i < len; i++)
        in[i] = args[i] == '|' ? '\0' : args[i];
    th_send(c, type, ++c->req_id, tx, in, len);
    if (!th_recv(c, &h, body, sizeof(body)))
        return "NO-REPLY";
    ck_assert_uint_eq(h.req_id, c->req_id);
    ck_assert_uint_eq(h.tx_id, tx);
    if (h.type == XS_ERROR) {
        snprintf(out, sizeof(out), "ERR:%s", body);
        return out;
    }
    ck_assert_uint_eq(h.type, type);
    to_text(out, body, h.len);
    return out;
}

const char *th_event(struct th_client *c)
{
    static char out[2 * XENSTORE_PAYLOAD_MAX + 16];

    if (c->nevents == 0) {
        th_settle(c->t);
        pump(c);
    }
    if (c->nevents == 0)
        return NULL;
    to_text(out, c->events[0].body, c->events[0].hdr.len);
    c->last_event_seq = c->events[0].seq;
    ck_assert_uint_eq(c->events[0].hdr.req_id, 0);
    free(c->events[0].body);
    memmove(c->events, c->events + 1, --c->nevents * sizeof(c->events[0]));
    return out;
}

unsigned th_pending_events(struct th_client *c)
{
    th_settle(c->t);
    pump(c);
    return c->nevents;
}

bool th_closed(struct th_client *c)
{
    th_settle(c->t);
    pump(c);
    return c->closed;
}

uint32_t th_txn(struct th_client *c)
{
    const char *r = th_do(c, XS_TRANSACTION_START, 0, "|");
    unsigned long id = strtoul(r, NULL, 10);

    ck_assert_msg(id > 0, "transaction start: %s", r);
    return (uint32_t)id;
}

unsigned th_last_seq(struct th_client *c, bool event)
{
    return event ? c->last_event_seq : c->last_reply_seq;
}
