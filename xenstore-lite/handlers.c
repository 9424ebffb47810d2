/*
 * handlers.c: one handler per request type of io/xs_wire.h, and the table
 * that dispatches to them.
 *
 * The dispatcher validates before any handler runs: type known (ENOSYS),
 * privilege (EACCES), transaction id (ENOENT). Each handler then parses
 * its own payload strictly (EINVAL on a missing NUL, a wrong argument
 * count or a bad number or path) before touching the store, and returns 0
 * having replied, or an errno the dispatcher sends as Xen's error reply.
 *
 * Lifetime: a request lives in c->in_buf until its handler returns.
 * Locking: daemon thread; the whole request runs inside rcu_read_lock()
 * so the nodes it reads cannot be freed under it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ops.h"

#define PATHBUF (XENSTORE_ABS_PATH_MAX + 1)

/*
 * Success with an "OK" reply, sent by the dispatcher after the request's
 * watch events, in the order xenstored sends them.
 */
static int ack(struct xs_req *r)
{
    r->ack = true;
    return 0;
}

/* Single-path requests: parse and canonicalize, EINVAL if malformed. */
static int one_path(struct xs_req *r, bool special, char *out)
{
    return xs_path_canonical(r->c, xs_wire_onearg(r->buf, r->len), special, out, PATHBUF);
}

static int do_read(struct xs_req *r)
{
    char path[PATHBUF];
    const struct xs_node *n;
    int rc = one_path(r, false, path);

    if (!rc)
        rc = xs_op_get(&r->view, r->c, path, XS_PERM_READ, &n);
    if (rc)
        return rc;
    return xs_conn_reply(r->c, XS_READ, n->data, n->datalen, NULL, 0);
}

static int do_directory(struct xs_req *r)
{
    char path[PATHBUF];
    const struct xs_node *n;
    int rc = one_path(r, false, path);

    if (!rc)
        rc = xs_op_get(&r->view, r->c, path, XS_PERM_READ, &n);
    if (rc)
        return rc;
    return xs_conn_reply(r->c, XS_DIRECTORY, n->children, n->childlen, NULL, 0);
}

/*
 * DIRECTORY_PART <path>|<offset>| -> <gencnt>|<names>|*, an extra empty
 * string marking the end of the list, as xenstored.
 */
static int do_directory_part(struct xs_req *r)
{
    char path[PATHBUF], gen[24];
    const struct xs_node *n;
    unsigned long off;
    size_t glen, len = 0, max;
    int rc;

    if (xs_wire_count_strings(r->buf, r->len) != 2 || r->buf[r->len - 1] != '\0')
        return EINVAL;
    rc = xs_path_canonical(r->c, r->buf, false, path, sizeof(path));
    if (!rc)
        rc = xs_wire_parse_uint(r->buf + strlen(r->buf) + 1, UINT32_MAX, &off);
    if (!rc)
        rc = xs_op_get(&r->view, r->c, path, XS_PERM_READ, &n);
    if (rc)
        return rc;
    glen = (size_t)snprintf(gen, sizeof(gen), "%" PRIu64, n->generation) + 1;
    if (off >= n->childlen)
        return xs_conn_reply(r->c, XS_DIRECTORY_PART, gen, glen, "", 1);
    /* Only whole names, as many as fit with the generation and end mark. */
    max = XENSTORE_PAYLOAD_MAX - glen - 1;
    while (off + len < n->childlen) {
        size_t l = strlen(n->children + off + len) + 1;

        if (len + l > max)
            break;
        len += l;
    }
    if (off + len == n->childlen) {
        char buf[XENSTORE_PAYLOAD_MAX];

        memcpy(buf, n->children + off, len);
        buf[len] = '\0';
        return xs_conn_reply(r->c, XS_DIRECTORY_PART, gen, glen, buf, len + 1);
    }
    return xs_conn_reply(r->c, XS_DIRECTORY_PART, gen, glen, n->children + off, len);
}

/* GET_PERMS: special nodes are EINVAL here, as in xenstored 4.17. */
static int do_get_perms(struct xs_req *r)
{
    char path[PATHBUF], buf[XENSTORE_PAYLOAD_MAX + 1];
    const struct xs_node *n;
    size_t len;
    int rc = one_path(r, false, path);

    if (!rc)
        rc = xs_op_get(&r->view, r->c, path, XS_PERM_READ, &n);
    if (rc)
        return rc;
    len = xs_perms_format(n->perms, n->nperms, buf, sizeof(buf));
    if (!len)
        return E2BIG; /* more entries than a reply holds */
    return xs_conn_reply(r->c, XS_GET_PERMS, buf, len, NULL, 0);
}

/* WRITE <path>|<value|>: the value is everything after the first NUL. */
static int do_write(struct xs_req *r)
{
    const char *nul = memchr(r->buf, '\0', r->len);
    char path[PATHBUF];
    int rc;

    if (!nul)
        return EINVAL;
    rc = xs_path_canonical(r->c, r->buf, false, path, sizeof(path));
    if (!rc)
        rc = xs_op_write(&r->view, r->c, path, nul + 1,
                         (uint32_t)(r->len - (size_t)(nul + 1 - r->buf)), &r->ev);
    return rc ? rc : ack(r);
}

static int do_mkdir(struct xs_req *r)
{
    char path[PATHBUF];
    int rc = one_path(r, false, path);

    if (!rc)
        rc = xs_op_mkdir(&r->view, r->c, path, &r->ev);
    return rc ? rc : ack(r);
}

static int do_rm(struct xs_req *r)
{
    char path[PATHBUF];
    int rc = one_path(r, false, path);

    if (!rc)
        rc = xs_op_rm(&r->view, r->c, path, &r->ev);
    return rc ? rc : ack(r);
}

/* SET_PERMS <path>|<perm>|+ */
static int do_set_perms(struct xs_req *r)
{
    struct xs_perm perms[XS_PERMS_MAX];
    char path[PATHBUF];
    unsigned n = xs_wire_count_strings(r->buf, r->len);
    size_t plen;
    int rc;

    if (n < 2 || r->buf[r->len - 1] != '\0')
        return EINVAL;
    if (n - 1 > XS_PERMS_MAX)
        return ENOSPC;
    rc = xs_path_canonical(r->c, r->buf, true, path, sizeof(path));
    if (rc)
        return rc;
    plen = strlen(r->buf) + 1;
    rc = xs_perms_parse(r->buf + plen, r->len - plen, n - 1, perms);
    if (!rc)
        rc = xs_op_set_perms(&r->view, r->c, path, perms, n - 1, &r->ev);
    return rc ? rc : ack(r);
}

/* WATCH <wpath>|<token>|: ack, then the initial event. */
static int do_watch(struct xs_req *r)
{
    char path[PATHBUF];
    const char *token;
    bool relative;
    int rc;

    if (xs_wire_count_strings(r->buf, r->len) != 2 || r->buf[r->len - 1] != '\0')
        return EINVAL;
    token = r->buf + strlen(r->buf) + 1;
    relative = r->buf[0] != '/' && r->buf[0] != '@';
    rc = xs_path_canonical(r->c, r->buf, true, path, sizeof(path));
    if (!rc)
        rc = xs_watch_add(r->c, path, token, relative);
    if (rc)
        return rc;
    /* Ack first, then the initial event (xenstored's order). */
    rc = xs_conn_reply(r->c, XS_WATCH, "OK", 3, NULL, 0);
    xs_conn_event(r->c, relative ? r->buf : path, token);
    return rc;
}

static int do_unwatch(struct xs_req *r)
{
    char path[PATHBUF];
    int rc;

    if (xs_wire_count_strings(r->buf, r->len) != 2 || r->buf[r->len - 1] != '\0')
        return EINVAL;
    rc = xs_path_canonical(r->c, r->buf, true, path, sizeof(path));
    if (!rc)
        rc = xs_watch_remove(r->c, path, r->buf + strlen(r->buf) + 1);
    return rc ? rc : ack(r);
}

static int do_reset_watches(struct xs_req *r)
{
    xs_watch_free_all(r->c);
    xs_txn_free_all(r->c);
    return ack(r);
}

/* TRANSACTION_START |: EBUSY if sent inside a transaction. */
static int do_txn_start(struct xs_req *r)
{
    char buf[16];
    uint32_t id;
    int rc;

    if (r->view.txn)
        return EBUSY;
    rc = xs_txn_start(r->c, &id);
    if (rc)
        return rc;
    return xs_conn_reply(r->c, XS_TRANSACTION_START, buf,
                         (size_t)snprintf(buf, sizeof(buf), "%" PRIu32, id) + 1, NULL, 0);
}

/* TRANSACTION_END T| or F| */
static int do_txn_end(struct xs_req *r)
{
    const char *arg = xs_wire_onearg(r->buf, r->len);
    struct xs_txn *t = r->view.txn;
    int rc;

    /* The argument is checked first, as xenstored does. */
    if (!arg || (strcmp(arg, "T") != 0 && strcmp(arg, "F") != 0))
        return EINVAL;
    if (!t)
        return ENOENT;
    r->view.txn = NULL;
    rc = xs_txn_end(r->c, t, arg[0] == 'T');
    return rc ? rc : ack(r);
}

/* A domid argument: 0 .. DOMID_FIRST_RESERVED-1. */
static int domid_arg(const char *s, unsigned *out)
{
    unsigned long v;
    int rc = xs_wire_parse_uint(s, XS_DOMID_MAX - 1, &v);

    *out = (unsigned)v;
    return rc;
}

static int do_get_domain_path(struct xs_req *r)
{
    const char *arg = xs_wire_onearg(r->buf, r->len);
    char buf[32];
    unsigned domid;

    if (!arg || domid_arg(arg, &domid))
        return EINVAL;
    return xs_conn_reply(r->c, XS_GET_DOMAIN_PATH, buf,
                         (size_t)snprintf(buf, sizeof(buf), "/local/domain/%u", domid) + 1, NULL,
                         0);
}

static int do_is_domain_introduced(struct xs_req *r)
{
    const char *arg = xs_wire_onearg(r->buf, r->len);
    const struct xs_domain *dom;
    unsigned domid;

    if (!arg || domid_arg(arg, &domid))
        return EINVAL;
    dom = xs_domain_get(r->c->d, domid, false);
    /* dom0 is always there: it runs us. */
    return xs_conn_reply(r->c, XS_IS_DOMAIN_INTRODUCED,
                         domid == 0 || (dom && dom->introduced) ? "T" : "F", 2, NULL, 0);
}

/* INTRODUCE <domid>|<gfn>|<evtchn>|? — gfn is signed decimal on the wire. */
static int do_introduce(struct xs_req *r)
{
    const char *v[3];
    unsigned long gfn, port;
    unsigned domid, i, n = xs_wire_count_strings(r->buf, r->len);
    int rc;

    if (n < 3 || n > 4 || r->buf[r->len - 1] != '\0')
        return EINVAL;
    v[0] = r->buf;
    for (i = 1; i < 3; i++)
        v[i] = v[i - 1] + strlen(v[i - 1]) + 1;
    if (domid_arg(v[0], &domid) || domid == 0)
        return EINVAL;
    rc = xs_wire_parse_uint(v[1][0] == '-' ? v[1] + 1 : v[1], UINT64_MAX >> 1, &gfn);
    if (!rc)
        rc = xs_wire_parse_uint(v[2], UINT32_MAX, &port);
    if (!rc)
        rc = xs_domain_introduce(r->c->d, domid, gfn, (unsigned)port);
    return rc ? rc : ack(r);
}

/* RELEASE/RESUME <domid>| */
static int do_release(struct xs_req *r)
{
    const char *arg = xs_wire_onearg(r->buf, r->len);
    unsigned domid;
    int rc;

    if (!arg || domid_arg(arg, &domid) || domid == 0)
        return EINVAL;
    rc = xs_domain_release(r->c->d, domid);
    if (rc)
        return rc;
    /* Said as the VIRQ_DOM_EXC path says its own release (daemon.c): a
     * toolstack destroying a domain releases it at once, and whichever of
     * the two comes first lets the domain go. */
    fprintf(stderr, "xenstored: domain %u released by its toolstack\n", domid);
    return ack(r);
}

static int do_resume(struct xs_req *r)
{
    const char *arg = xs_wire_onearg(r->buf, r->len);
    struct xs_domain *dom;
    unsigned domid;

    if (!arg || domid_arg(arg, &domid))
        return EINVAL;
    dom = xs_domain_get(r->c->d, domid, false);
    if (!dom || !dom->introduced)
        return ENOENT;
    dom->shutdown_reported = false;
    return ack(r);
}

/* SET_TARGET <domid>|<tdomid>| */
static int do_set_target(struct xs_req *r)
{
    struct xs_domain *dom;
    unsigned domid, target;

    if (xs_wire_count_strings(r->buf, r->len) != 2 || r->buf[r->len - 1] != '\0')
        return EINVAL;
    if (domid_arg(r->buf, &domid) || domid_arg(r->buf + strlen(r->buf) + 1, &target))
        return EINVAL;
    dom = xs_domain_get(r->c->d, domid, false);
    if (!dom || !dom->introduced || !xs_domain_get(r->c->d, target, false))
        return ENOENT;
    dom->target = (uint16_t)target;
    return ack(r);
}

/* Table: one line per request type (xenstored's wire_funcs, our flags). */
#define F_PRIV  1u /* dom0 only: EACCES otherwise */
#define F_NOTID 2u /* tx_id is ignored */
static const struct {
    const char *name;
    int (*fn)(struct xs_req *r);
    unsigned flags;
} handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL] = {"CONTROL", xs_control, F_PRIV},
    [XS_DIRECTORY] = {"DIRECTORY", do_directory, 0},
    [XS_READ] = {"READ", do_read, 0},
    [XS_GET_PERMS] = {"GET_PERMS", do_get_perms, 0},
    [XS_WATCH] = {"WATCH", do_watch, F_NOTID},
    [XS_UNWATCH] = {"UNWATCH", do_unwatch, F_NOTID},
    [XS_TRANSACTION_START] = {"TRANSACTION_START", do_txn_start, 0},
    [XS_TRANSACTION_END] = {"TRANSACTION_END", do_txn_end, 0},
    [XS_INTRODUCE] = {"INTRODUCE", do_introduce, F_PRIV},
    [XS_RELEASE] = {"RELEASE", do_release, F_PRIV},
    [XS_GET_DOMAIN_PATH] = {"GET_DOMAIN_PATH", do_get_domain_path, 0},
    [XS_WRITE] = {"WRITE", do_write, 0},
    [XS_MKDIR] = {"MKDIR", do_mkdir, 0},
    [XS_RM] = {"RM", do_rm, 0},
    [XS_SET_PERMS] = {"SET_PERMS", do_set_perms, 0},
    [XS_IS_DOMAIN_INTRODUCED] = {"IS_DOMAIN_INTRODUCED", do_is_domain_introduced, F_PRIV},
    [XS_RESUME] = {"RESUME", do_resume, F_PRIV},
    [XS_SET_TARGET] = {"SET_TARGET", do_set_target, F_PRIV},
    [XS_RESET_WATCHES] = {"RESET_WATCHES", do_reset_watches, F_NOTID},
    [XS_DIRECTORY_PART] = {"DIRECTORY_PART", do_directory_part, 0},
};

/* Handle the complete request in c->in_hdr / c->in_buf. */
void xs_handle_message(struct xs_conn *c)
{
    struct xs_req r = {c, c->in_buf, c->in_hdr.len, {c->d, NULL}, {NULL, NULL}, false};
    uint32_t type = c->in_hdr.type;
    int rc;

    xs_events_init(&r.ev);
    if (type >= XS_TYPE_COUNT || !handlers[type].fn) {
        xs_conn_error(c, ENOSYS);
        return;
    }
    if ((handlers[type].flags & F_PRIV) && !xs_conn_privileged(c)) {
        xs_conn_error(c, EACCES);
        return;
    }
    if (!(handlers[type].flags & F_NOTID) && c->in_hdr.tx_id) {
        r.view.txn = xs_txn_find(c, c->in_hdr.tx_id);
        if (!r.view.txn) {
            xs_conn_error(c, ENOENT);
            return;
        }
    }
    rcu_read_lock();
    rc = handlers[type].fn(&r);
    if (rc) {
        xs_events_clear(&r.ev);
        xs_conn_error(c, rc);
    } else if (r.view.txn) {
        xs_txn_queue_events(r.view.txn, &r.ev);
    } else {
        xs_watch_fire(c->d, &r.ev);
    }
    if (!rc && r.ack)
        xs_conn_reply(c, type, "OK", 3, NULL, 0);
    rcu_read_unlock();
}
