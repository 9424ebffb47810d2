/*
 * view.c: the store as one request sees it — the live tree, or the live
 * tree overlaid with a transaction's private changes.
 *
 * Lifetime: a view lives for one request. Nodes it returns stay valid
 * until the request ends (live nodes: rcu_read_lock() is held around every
 * request; transaction nodes: owned by the transaction) or until the same
 * path is changed through the view.
 *
 * Locking: daemon thread only.
 *
 * Invariants: every path a transaction touches gets an entry recording the
 * generation it had in the tree when first touched (XS_GEN_ABSENT if it did
 * not exist) and a copy of that version; commit fails with EAGAIN unless
 * all still match, which is xenstored's conflict rule. Until the
 * transaction writes a path it keeps reading the copy, as xenstored (which
 * copies a node into the transaction on first read) and Xen's
 * test-xenstore ("ta err") expect: a transaction never sees another
 * connection's later commit. Node ownership counts change in the tree's
 * accounting only when a change becomes visible.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

static int txn_entry(struct xs_view *v, const char *path, struct xs_txn_ent **out)
{
    struct xs_txn *t = v->txn;
    struct xs_txn_ent *e = xs_txn_ent_get(t, path, false);
    const struct xs_node *cur;

    if (!e) {
        struct xs_node *seen = NULL;

        if (t->nents >= v->d->quota.txn_nodes)
            return ENOSPC;
        cur = xs_tree_lookup(&v->d->tree, path);
        if (cur) {
            seen = xs_node_new(cur->path, cur->perms, cur->nperms, cur->data, cur->datalen,
                               cur->children, cur->childlen);
            if (!seen)
                return ENOMEM;
            seen->generation = cur->generation; /* DIRECTORY_PART reports it */
        }
        e = xs_txn_ent_get(t, path, true);
        if (!e) {
            if (seen)
                xs_node_free(seen);
            return ENOMEM;
        }
        e->read_gen = cur ? cur->generation : XS_GEN_ABSENT;
        e->seen = seen; /* entry inherits it */
    } else if (!e->written) {
        /* Someone committed since we looked: this transaction is doomed. */
        cur = xs_tree_lookup(&v->d->tree, path);
        if ((cur ? cur->generation : XS_GEN_ABSENT) != e->read_gen)
            v->txn->failed = true;
    }
    *out = e;
    return 0;
}

/* Returns 0 with *out set, ENOENT, or ENOSPC/ENOMEM for a transaction. */
int xs_view_get(struct xs_view *v, const char *path, const struct xs_node **out)
{
    struct xs_txn_ent *e;
    int rc;

    *out = NULL;
    if (!v->txn) {
        *out = xs_tree_lookup(&v->d->tree, path);
        return *out ? 0 : ENOENT;
    }
    rc = txn_entry(v, path, &e);
    if (rc)
        return rc;
    *out = e->written ? e->node : e->seen;
    return *out ? 0 : ENOENT;
}

/* A transaction touches few owners: a short list, searched linearly. */
static void txn_delta(struct xs_txn *t, unsigned domid, int32_t delta)
{
    unsigned i;

    for (i = 0; i < t->ndeltas; i++)
        if (t->deltas[i].domid == domid) {
            t->deltas[i].nodes += delta;
            return;
        }
    if (t->ndeltas == t->cap_deltas) {
        unsigned cap = t->cap_deltas ? t->cap_deltas * 2 : 4;
        struct xs_delta *d = realloc(t->deltas, cap * sizeof(*d));

        if (!d) {
            t->failed = true; /* cannot account: refuse to commit */
            return;
        }
        t->deltas = d;
        t->cap_deltas = cap;
    }
    t->deltas[t->ndeltas].domid = (uint16_t)domid;
    t->deltas[t->ndeltas].nodes = delta;
    t->ndeltas++;
}

static void account(struct xs_view *v, const struct xs_node *old, const struct xs_node *n)
{
    unsigned from = old ? old->perms[0].domid : XS_DOMID_MAX;
    unsigned to = n ? n->perms[0].domid : XS_DOMID_MAX;

    if (v->txn && !old && n)
        v->txn->created++;
    if (from == to)
        return;
    if (v->txn) {
        if (from < XS_DOMID_MAX)
            txn_delta(v->txn, from, -1);
        if (to < XS_DOMID_MAX)
            txn_delta(v->txn, to, 1);
        return;
    }
    if (from < XS_DOMID_MAX)
        xs_domain_nodes_adjust(v->d, from, -1);
    if (to < XS_DOMID_MAX)
        xs_domain_nodes_adjust(v->d, to, 1);
}

/*
 * Make n (view inherits it) the version of its path; old is the version
 * the caller read (NULL when creating) and must not be used afterwards.
 */
int xs_view_set(struct xs_view *v, struct xs_node *n, const struct xs_node *old)
{
    struct xs_txn_ent *e;
    int rc;

    if (!v->txn) {
        account(v, old, n);
        xs_tree_publish(&v->d->tree, n);
        return 0;
    }
    rc = txn_entry(v, n->path, &e);
    if (rc) {
        xs_node_free(n);
        return rc;
    }
    account(v, old, n);
    if (e->written && e->node)
        xs_node_free(e->node); /* may be old: accounted above already */
    e->node = n;
    e->written = true;
    return 0;
}

int xs_view_remove(struct xs_view *v, const struct xs_node *old)
{
    struct xs_txn_ent *e;
    int rc;

    if (!v->txn) {
        account(v, old, NULL);
        xs_tree_unpublish(&v->d->tree, old->path);
        return 0;
    }
    rc = txn_entry(v, old->path, &e);
    if (rc)
        return rc;
    account(v, old, NULL);
    if (e->written && e->node)
        xs_node_free(e->node);
    e->node = NULL;
    e->written = true;
    return 0;
}

/*
 * Nodes domid owns, for its quota: inside a transaction, what it owns plus
 * what the transaction created; removals count only once committed
 * (xenstored 4.17, as differential.sh shows). Only an unprivileged
 * connection's own domain is checked, and it owns whatever it creates.
 */
int32_t xs_view_owned(struct xs_view *v, unsigned domid)
{
    const struct xs_domain *dom = xs_domain_get(v->d, domid, false);
    int32_t n = dom ? (int32_t)dom->nodes : 0;

    if (v->txn)
        n += (int32_t)v->txn->created;
    return n;
}
