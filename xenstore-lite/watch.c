/*
 * watch.c: watches, the events changes queue, and firing them.
 *
 * A change queues an event (path, match kind, the node's permissions
 * before and after). Outside a transaction the handler fires its events
 * right after the change; inside one they wait in the transaction and
 * fire only if it commits (xenstore.txt). Firing matches every watch of
 * every connection, in connection order and then watch order, so events
 * reach a client in the order the changes happened.
 *
 * An event on path P reaches a watch on W when P is W or lies below it.
 * Removing a subtree queues one event for its root (matched as above) and
 * one exact-match event per removed descendant, so a watch on a node that
 * vanishes with its parent still hears of it — xenstored's behaviour.
 *
 * A watcher is told only if it could read the node before or after the
 * change, or can read its parent now (xenstored's watch_permitted()).
 *
 * Lifetime: watches belong to their connection; events to the list that
 * queued them. Locking: daemon thread only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

void xs_events_init(struct xs_events *e)
{
    e->head = NULL;
    e->tail = &e->head;
}

/* One allocation: the event, its path, then the perms (aligned). */
struct xs_event *xs_event_new(const char *path, enum xs_match m, const struct xs_perm *now,
                              unsigned nnew, const struct xs_perm *before, unsigned nold)
{
    size_t len = strlen(path) + 1;
    size_t poff = (sizeof(struct xs_event) + len + _Alignof(struct xs_perm) - 1) &
                  ~(_Alignof(struct xs_perm) - 1);
    struct xs_event *ev = calloc(1, poff + (nnew + nold) * sizeof(struct xs_perm));

    if (!ev)
        return NULL;
    memcpy(ev->path, path, len);
    ev->match = m;
    ev->perms = (struct xs_perm *)((char *)ev + poff);
    if (nnew)
        memcpy(ev->perms, now, nnew * sizeof(struct xs_perm));
    if (nold)
        memcpy(ev->perms + nnew, before, nold * sizeof(struct xs_perm));
    ev->nnew = nnew;
    ev->nold = nold;
    return ev;
}

int xs_events_add(struct xs_events *e, const char *path, enum xs_match m, const struct xs_node *now,
                  const struct xs_node *before)
{
    struct xs_event *ev = xs_event_new(path, m, now ? now->perms : NULL, now ? now->nperms : 0,
                                       before ? before->perms : NULL, before ? before->nperms : 0);

    if (!ev)
        return ENOMEM;
    *e->tail = ev;
    e->tail = &ev->next;
    return 0;
}

void xs_events_clear(struct xs_events *e)
{
    while (e->head) {
        struct xs_event *ev = e->head;

        e->head = ev->next;
        free(ev);
    }
    e->tail = &e->head;
}

/* Could c read the node around this change (see the top of the file)? */
static bool watch_permitted(struct xs_daemon *d, struct xs_conn *c, const struct xs_event *ev)
{
    char parent[XENSTORE_ABS_PATH_MAX + 1];
    const struct xs_node *p;

    if (xs_conn_privileged(c))
        return true;
    /* The two perm lists queued with the event: new first, then old. */
    if (ev->nnew && (xs_perm_for(c, ev->perms, ev->nnew) & XS_PERM_READ))
        return true;
    if (ev->nold && (xs_perm_for(c, ev->perms + ev->nnew, ev->nold) & XS_PERM_READ))
        return true;
    if (strcmp(ev->path, "/") == 0)
        return false;
    xs_path_parent(ev->path, parent, sizeof(parent));
    p = xs_tree_lookup(&d->tree, parent);
    return p && (xs_perm_for(c, p->perms, p->nperms) & XS_PERM_READ);
}

static bool watch_matches(const struct xs_watch *w, const struct xs_event *ev)
{
    if (ev->match == XS_MATCH_EXACT)
        return strcmp(w->path, ev->path) == 0;
    return xs_path_is_child(ev->path, w->path);
}

/* Fire and free every event in e. */
void xs_watch_fire(struct xs_daemon *d, struct xs_events *e)
{
    const struct xs_event *ev;
    struct xs_conn *c;
    const struct xs_watch *w;

    for (ev = e->head; ev; ev = ev->next)
        for (c = d->conns; c; c = c->next) {
            if (c->dead || c->ignored || !c->watches)
                continue;
            for (w = c->watches; w; w = w->next)
                if (watch_matches(w, ev) && watch_permitted(d, c, ev))
                    xs_conn_event(c, ev->path + w->prefix_len, w->token);
        }
    xs_events_clear(e);
}

/*
 * @introduceDomain / @releaseDomain: invented by the daemon, sent to dom0
 * and to domains the special node's permissions let read it.
 */
void xs_watch_fire_special(struct xs_daemon *d, const char *special, unsigned domid)
{
    const struct xs_node *n = xs_tree_lookup(&d->tree, special);
    struct xs_conn *c;
    const struct xs_watch *w;

    (void)domid; /* the depth-1 "@special/<domid>" form is not offered */
    for (c = d->conns; c; c = c->next) {
        if (c->dead || c->ignored)
            continue;
        if (!xs_conn_privileged(c) && !(n && (xs_perm_for(c, n->perms, n->nperms) & XS_PERM_READ)))
            continue;
        for (w = c->watches; w; w = w->next)
            if (strcmp(w->path, special) == 0)
                xs_conn_event(c, w->path, w->token);
    }
}

/*
 * Add a watch. EEXIST for the same path and token twice; E2BIG once more
 * than the quota are set (xenstored 4.17's error and count).
 */
int xs_watch_add(struct xs_conn *c, const char *path, const char *token, bool relative)
{
    size_t plen = strlen(path) + 1;
    struct xs_watch *w, **pp;

    for (w = c->watches; w; w = w->next)
        if (strcmp(w->path, path) == 0 && strcmp(w->token, token) == 0)
            return EEXIST;
    if (!xs_conn_privileged(c) && c->nwatches > c->d->quota.watches)
        return E2BIG;
    w = calloc(1, sizeof(*w) + plen);
    if (!w)
        return ENOMEM;
    w->token = strdup(token);
    if (!w->token) {
        free(w);
        return ENOMEM;
    }
    memcpy(w->path, path, plen);
    /* "/local/domain/<id>/" is stripped from events of a relative watch. */
    w->prefix_len =
        relative ? (size_t)(strchr(path + strlen("/local/domain/"), '/') - path) + 1 : 0;
    for (pp = &c->watches; *pp; pp = &(*pp)->next)
        ;
    *pp = w;
    c->nwatches++;
    return 0;
}

int xs_watch_remove(struct xs_conn *c, const char *path, const char *token)
{
    struct xs_watch **pp, *w;

    for (pp = &c->watches; (w = *pp); pp = &w->next)
        if (strcmp(w->path, path) == 0 && strcmp(w->token, token) == 0) {
            *pp = w->next;
            free(w->token);
            free(w);
            c->nwatches--;
            return 0;
        }
    return ENOENT;
}

void xs_watch_free_all(struct xs_conn *c)
{
    while (c->watches) {
        struct xs_watch *w = c->watches;

        c->watches = w->next;
        free(w->token);
        free(w);
    }
    c->nwatches = 0;
}
