/*
 * transaction.c: TRANSACTION_START/END bookkeeping and commit.
 *
 * A transaction is a private overlay of the paths it touched (view.c
 * fills it), the watch events its changes will fire, and the node-count
 * changes it will make. Commit checks that nothing it read changed
 * meanwhile (else EAGAIN, as xenstored) and then publishes its versions;
 * nothing can fail once publishing starts, so a commit is all or nothing.
 *
 * Events at commit follow xenstored 4.17 (checked by differential.sh):
 * one per changed path however often it changed, subtree-matching if any
 * of its changes was, in the order the transaction first touched the
 * paths; none for a node the transaction both created and removed.
 *
 * Lifetime: owned by its connection (c->txns); freed on END, on
 * RESET_WATCHES and when the connection goes.
 * Locking: daemon thread only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define TXN_BUCKETS 256u

static unsigned bucket_of(const char *path)
{
    unsigned h = 2166136261u;

    while (*path)
        h = (h ^ (unsigned char)*path++) * 16777619u;
    return h % TXN_BUCKETS;
}

/* The entry for path, created (empty) when create says so; NULL if none/OOM. */
struct xs_txn_ent *xs_txn_ent_get(struct xs_txn *t, const char *path, bool create)
{
    unsigned b = bucket_of(path);
    struct xs_txn_ent *e;
    size_t len;

    for (e = t->buckets[b]; e; e = e->hnext)
        if (strcmp(e->path, path) == 0)
            return e;
    if (!create)
        return NULL;
    len = strlen(path) + 1;
    e = calloc(1, sizeof(*e) + len);
    if (!e)
        return NULL;
    memcpy(e->path, path, len);
    e->hnext = t->buckets[b];
    t->buckets[b] = e;
    *t->otail = e;
    t->otail = &e->onext;
    t->nents++;
    return e;
}

static void txn_free(struct xs_txn *t)
{
    unsigned b;

    for (b = 0; b < TXN_BUCKETS; b++) {
        struct xs_txn_ent *e = t->buckets[b];

        while (e) {
            struct xs_txn_ent *next = e->hnext;

            if (e->node)
                xs_node_free(e->node);
            if (e->seen)
                xs_node_free(e->seen);
            free(e->ev);
            free(e);
            e = next;
        }
    }
    free(t->deltas);
    free(t->buckets);
    free(t);
}

/*
 * Keep a request's events (e is emptied) for commit, merged per path: the
 * path's entry holds one event, subtree-matching if any change was, with
 * the permissions of the latest change and of the first one's "before".
 */
void xs_txn_queue_events(struct xs_txn *t, struct xs_events *e)
{
    while (e->head) {
        struct xs_event *ev = e->head;
        struct xs_txn_ent *ent = xs_txn_ent_get(t, ev->path, false);

        e->head = ev->next;
        ev->next = NULL;
        if (!ent) {
            free(ev); /* every change touched its path: cannot happen */
            continue;
        }
        if (!ent->ev) {
            ent->ev = ev;
            continue;
        }
        {
            /* new perms from the latest change, old ones from the first */
            const struct xs_event *first = ent->ev;
            struct xs_event *merged = xs_event_new(
                ev->path, ev->match == XS_MATCH_SUBTREE ? XS_MATCH_SUBTREE : first->match,
                ev->nnew ? ev->perms : first->perms, ev->nnew ? ev->nnew : first->nnew,
                first->perms + first->nnew, first->nold);

            if (merged) {
                free(ent->ev);
                ent->ev = merged;
            } else if (ev->match == XS_MATCH_SUBTREE) {
                ent->ev->match = XS_MATCH_SUBTREE; /* keep what we have */
            }
        }
        free(ev);
    }
    xs_events_init(e);
}

/*
 * ENOSPC past the quota of open transactions. Like xenstored 4.17 we
 * refuse only once more than the quota are open, so quota + 1 may be.
 */
int xs_txn_start(struct xs_conn *c, uint32_t *id)
{
    struct xs_txn *t;

    if (!xs_conn_privileged(c) && c->ntxns > c->d->quota.transactions)
        return ENOSPC;
    t = calloc(1, sizeof(*t));
    if (!t)
        return ENOMEM;
    t->buckets = calloc(TXN_BUCKETS, sizeof(*t->buckets));
    if (!t->buckets) {
        free(t);
        return ENOMEM;
    }
    t->otail = &t->ohead;
    /* Ids are never 0 (that means "no transaction") nor one still open. */
    do {
        t->id = ++c->next_txid;
    } while (t->id == 0 || xs_txn_find(c, t->id));
    t->next = c->txns;
    c->txns = t;
    c->ntxns++;
    *id = t->id;
    return 0;
}

struct xs_txn *xs_txn_find(struct xs_conn *c, uint32_t id)
{
    struct xs_txn *t;

    for (t = c->txns; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

static void txn_unlink(struct xs_conn *c, struct xs_txn *t)
{
    struct xs_txn **pp;

    for (pp = &c->txns; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            c->ntxns--;
            return;
        }
}

static bool txn_conflicts(struct xs_daemon *d, struct xs_txn *t)
{
    unsigned b;

    if (t->failed)
        return true;
    for (b = 0; b < TXN_BUCKETS; b++) {
        const struct xs_txn_ent *e;

        for (e = t->buckets[b]; e; e = e->hnext) {
            const struct xs_node *cur = xs_tree_lookup(&d->tree, e->path);

            if ((cur ? cur->generation : XS_GEN_ABSENT) != e->read_gen)
                return true;
        }
    }
    return false;
}

static void txn_publish(struct xs_daemon *d, struct xs_txn *t)
{
    unsigned b, i;

    for (b = 0; b < TXN_BUCKETS; b++) {
        struct xs_txn_ent *e;

        for (e = t->buckets[b]; e; e = e->hnext) {
            if (!e->written)
                continue;
            if (e->node) {
                xs_tree_publish(&d->tree, e->node); /* tree inherits it */
                e->node = NULL;
            } else {
                xs_tree_unpublish(&d->tree, e->path);
            }
        }
    }
    for (i = 0; i < t->ndeltas; i++)
        if (t->deltas[i].nodes)
            xs_domain_nodes_adjust(d, t->deltas[i].domid, t->deltas[i].nodes);
}

/*
 * End transaction t of connection c: commit (EAGAIN if something it read
 * changed meanwhile) or abort. t is freed either way.
 */
int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit)
{
    int rc = 0;

    txn_unlink(c, t);
    if (commit) {
        if (txn_conflicts(c->d, t)) {
            rc = EAGAIN;
        } else {
            struct xs_events ev;
            struct xs_txn_ent *e;

            /* Decide which events fire before publishing frees nothing we need. */
            xs_events_init(&ev);
            for (e = t->ohead; e; e = e->onext) {
                if (!e->ev)
                    continue;
                if (e->read_gen == XS_GEN_ABSENT && e->written && !e->node) {
                    free(e->ev); /* created and removed again: nothing happened */
                } else {
                    *ev.tail = e->ev;
                    ev.tail = &e->ev->next;
                }
                e->ev = NULL;
            }
            txn_publish(c->d, t);
            xs_watch_fire(c->d, &ev);
        }
    }
    txn_free(t);
    return rc;
}

void xs_txn_free_all(struct xs_conn *c)
{
    while (c->txns) {
        struct xs_txn *t = c->txns;

        c->txns = t->next;
        txn_free(t);
    }
    c->ntxns = 0;
}
