/*
 * ops.c: the node operations behind READ, WRITE, MKDIR, RM and SET_PERMS —
 * permission checks, creating missing ancestors, removing subtrees — each
 * written once against a view (live tree or transaction).
 *
 * Each operation checks everything it can before its first change. The
 * changes it then makes are queued as watch events in the caller's list;
 * the caller fires them (or keeps them for the transaction's commit).
 *
 * Lifetime: nodes read through the view are valid for the request.
 * Locking: daemon thread only, inside rcu_read_lock().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

/*
 * Look path up needing perm. Like xenstored, a failure does not reveal
 * more than the caller may know: ENOENT (or a denial on the node itself)
 * is reported as such only if the nearest existing ancestor grants perm
 * too; otherwise it is EACCES.
 */
int xs_op_get(struct xs_view *v, const struct xs_conn *c, const char *path, unsigned perm,
              const struct xs_node **out)
{
    char anc[XENSTORE_ABS_PATH_MAX + 1];
    const struct xs_node *n;
    int rc = xs_view_get(v, path, out);

    if (rc && rc != ENOENT)
        return rc;
    if (!rc && (xs_perm_for(c, (*out)->perms, (*out)->nperms) & perm) == perm)
        return 0;
    if (!rc)
        rc = EACCES;
    *out = NULL;
    if (xs_conn_privileged(c))
        return rc;
    if (path[0] != '/')
        return EACCES; /* special nodes have no ancestors to ask */
    snprintf(anc, sizeof(anc), "%s", path);
    while (strcmp(anc, "/") != 0) {
        int r;

        xs_path_parent(anc, anc, sizeof(anc));
        r = xs_view_get(v, anc, &n);
        if (r == ENOENT)
            continue;
        if (r)
            return r;
        return (xs_perm_for(c, n->perms, n->nperms) & perm) == perm ? rc : EACCES;
    }
    return EACCES;
}

/*
 * The node-size quota counts a node as xenstored 4.17 stores it: a 24-byte
 * record header, 8 bytes per permission entry, the value and the child
 * names (differential.sh finds the same limit).
 */
#define XS_NODE_HDR_SIZE  24u
#define XS_NODE_PERM_SIZE 8u

static int check_size(const struct xs_conn *c, uint32_t datalen, uint32_t childlen, unsigned np)
{
    if (xs_conn_privileged(c))
        return 0;
    if (XS_NODE_HDR_SIZE + (size_t)np * XS_NODE_PERM_SIZE + datalen + childlen >
        c->d->quota.node_size)
        return ENOSPC;
    return 0;
}

/*
 * Create path and any missing ancestors, path getting the value given.
 * New nodes copy the permissions of the nearest existing ancestor; an
 * unprivileged creator owns them. Checks quotas before changing anything.
 */
static int create(struct xs_view *v, const struct xs_conn *c, const char *path, const void *data,
                  uint32_t len, struct xs_events *ev)
{
    char anc[XENSTORE_ABS_PATH_MAX + 1];
    const struct xs_node *top = NULL;
    struct xs_perm perms[XS_PERMS_MAX];
    char cur[XENSTORE_ABS_PATH_MAX + 1], name[XENSTORE_ABS_PATH_MAX + 1];
    unsigned missing = 0, nperms, i;
    size_t start, comp_end;
    struct xs_node *n, **built;
    int rc;

    /* Find the nearest existing ancestor; count what must be made. */
    snprintf(anc, sizeof(anc), "%s", path);
    do {
        missing++;
        xs_path_parent(anc, anc, sizeof(anc));
        rc = xs_view_get(v, anc, &top);
        if (rc && rc != ENOENT)
            return rc;
    } while (!top);
    if ((xs_perm_for(c, top->perms, top->nperms) & XS_PERM_WRITE) == 0)
        return EACCES;
    nperms = top->nperms;
    memcpy(perms, top->perms, nperms * sizeof(perms[0]));
    if (!xs_conn_privileged(c))
        perms[0].domid = c->domid;
    if (!xs_conn_privileged(c) &&
        xs_view_owned(v, c->domid) + (int32_t)missing > (int32_t)c->d->quota.nodes)
        return ENOSPC;
    rc = check_size(c, len, 0, nperms);
    if (rc)
        return rc;

    /*
     * Build every new version first, so that running out of memory leaves
     * the store untouched; then make them visible (which cannot fail
     * outside a transaction). built[0] links the first missing component
     * into the existing ancestor; built[1..missing] are the new levels.
     */
    built = calloc(missing + 1, sizeof(*built));
    if (!built)
        return ENOMEM;
    start = strcmp(top->path, "/") == 0 ? 1 : strlen(top->path) + 1;
    comp_end = start + strcspn(path + start, "/");
    snprintf(name, sizeof(name), "%.*s", (int)(comp_end - start), path + start);
    built[0] = xs_node_with_child(top, name, true);
    for (i = 1; built[i - 1] && i <= missing; i++) {
        snprintf(cur, sizeof(cur), "%.*s", (int)comp_end, path);
        if (i == missing) {
            built[i] = xs_node_new(cur, perms, nperms, data, len, NULL, 0);
            break;
        }
        start = comp_end + 1;
        comp_end = start + strcspn(path + start, "/");
        snprintf(name, sizeof(name), "%.*s", (int)(comp_end - start), path + start);
        built[i] = xs_node_new(cur, perms, nperms, NULL, 0, name, (uint32_t)strlen(name) + 1);
    }
    /*
     * The existing ancestor grows by one child name: a guest may not push
     * any node past the size quota that way either (xenstored checks every
     * node a request rewrites).
     */
    rc = built[missing] ? check_size(c, built[0]->datalen, built[0]->childlen, built[0]->nperms)
                        : ENOMEM;
    if (rc) {
        for (i = 0; i <= missing; i++)
            xs_node_free(built[i]);
        free(built);
        return rc;
    }
    for (i = 0; i <= missing && !rc; i++)
        rc = xs_view_set(v, built[i], i == 0 ? top : NULL); /* view inherits built[i] */
    for (; i <= missing; i++)
        xs_node_free(built[i]);
    n = built[missing];
    free(built);
    if (rc) {
        /* Only a transaction can fail half way; it must not commit. */
        if (v->txn)
            v->txn->failed = true;
        return rc;
    }
    return xs_events_add(ev, path, XS_MATCH_SUBTREE, n, NULL);
}

int xs_op_write(struct xs_view *v, const struct xs_conn *c, const char *path, const void *data,
                uint32_t len, struct xs_events *ev)
{
    const struct xs_node *old;
    struct xs_node *n;
    int rc = xs_op_get(v, c, path, XS_PERM_WRITE, &old);

    if (rc == ENOENT)
        return create(v, c, path, data, len, ev);
    if (rc)
        return rc;
    rc = check_size(c, len, old->childlen, old->nperms);
    if (rc)
        return rc;
    n = xs_node_with_data(old, data, len);
    if (!n)
        return ENOMEM;
    rc = xs_view_set(v, n, old);
    if (rc)
        return rc;
    return xs_events_add(ev, path, XS_MATCH_SUBTREE, n, NULL);
}

int xs_op_mkdir(struct xs_view *v, const struct xs_conn *c, const char *path, struct xs_events *ev)
{
    const struct xs_node *old;
    int rc = xs_op_get(v, c, path, XS_PERM_WRITE, &old);

    if (rc == ENOENT)
        return create(v, c, path, NULL, 0, ev);
    return rc;
}

/* Remove n and everything below it, deepest first, queueing events. */
static int remove_subtree(struct xs_view *v, const struct xs_node *n, bool root,
                          struct xs_events *ev)
{
    char child[XENSTORE_ABS_PATH_MAX + 1];
    char *names = NULL;
    uint32_t off;
    int rc = 0;

    /* Copy the child list: removing a child may free n in a transaction. */
    if (n->childlen) {
        names = malloc(n->childlen);
        if (!names)
            return ENOMEM;
        memcpy(names, n->children, n->childlen);
    }
    for (off = 0; off < n->childlen && !rc; off += (uint32_t)strlen(names + off) + 1) {
        const struct xs_node *cn;

        snprintf(child, sizeof(child), "%s/%s", strcmp(n->path, "/") ? n->path : "", names + off);
        rc = xs_view_get(v, child, &cn);
        if (rc == ENOENT) {
            rc = 0; /* a list naming a missing child: nothing to remove */
            continue;
        }
        if (!rc)
            rc = remove_subtree(v, cn, false, ev);
    }
    free(names);
    if (rc)
        return rc;
    rc = xs_events_add(ev, n->path, root ? XS_MATCH_SUBTREE : XS_MATCH_EXACT, n, NULL);
    if (rc)
        return rc;
    return xs_view_remove(v, n);
}

/*
 * RM: not an error if path is gone but its parent exists (xenstore.txt);
 * removing "/" is EINVAL.
 */
int xs_op_rm(struct xs_view *v, const struct xs_conn *c, const char *path, struct xs_events *ev)
{
    char parent[XENSTORE_ABS_PATH_MAX + 1];
    const struct xs_node *n, *p;
    struct xs_node *np;
    int rc = xs_op_get(v, c, path, XS_PERM_WRITE, &n);

    if (rc == ENOENT) {
        xs_path_parent(path, parent, sizeof(parent));
        rc = xs_view_get(v, parent, &p);
        return rc == ENOENT ? ENOENT : rc;
    }
    if (rc)
        return rc;
    if (strcmp(path, "/") == 0)
        return EINVAL;
    xs_path_parent(path, parent, sizeof(parent));
    rc = xs_view_get(v, parent, &p);
    if (rc)
        return rc == ENOENT ? EIO : rc; /* a node without parent: corrupt */
    np = xs_node_with_child(p, xs_path_base(path), false);
    if (!np)
        return ENOMEM;
    rc = remove_subtree(v, n, true, ev);
    if (rc) {
        xs_node_free(np);
        if (v->txn)
            v->txn->failed = true;
        return rc;
    }
    /* p may have been replaced meanwhile only if it was in the subtree: it was not. */
    return xs_view_set(v, np, p);
}

/*
 * SET_PERMS: the caller must own the node (or be dom0); only dom0 may give
 * it to another owner (EPERM otherwise).
 */
int xs_op_set_perms(struct xs_view *v, const struct xs_conn *c, const char *path,
                    const struct xs_perm *perms, unsigned nperms, struct xs_events *ev)
{
    const struct xs_node *old;
    struct xs_node *n;
    int rc;

    if (!xs_conn_privileged(c) && nperms > c->d->quota.perms)
        return ENOSPC;
    rc = xs_op_get(v, c, path, XS_PERM_WRITE | XS_PERM_OWNER, &old);
    if (rc == ENOENT && path[0] == '@')
        return EINVAL; /* not one of the special nodes */
    if (rc)
        return rc;
    if (!xs_conn_privileged(c) && perms[0].domid != old->perms[0].domid)
        return EPERM;
    rc = check_size(c, old->datalen, old->childlen, nperms);
    if (rc)
        return rc;
    n = xs_node_with_perms(old, perms, nperms);
    if (!n)
        return ENOMEM;
    /* A special node's permissions change silently (xenstored 4.17). */
    rc = path[0] == '@' ? 0 : xs_events_add(ev, path, XS_MATCH_SUBTREE, n, old);
    if (rc) {
        xs_node_free(n);
        return rc;
    }
    return xs_view_set(v, n, old);
}

struct forget {
    unsigned domid;
    char **owned, **named;
    size_t nowned, nnamed, cap_owned, cap_named;
    int rc;
};

static int remember(char ***v, size_t *n, size_t *cap, const char *path)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        char **nv = realloc(*v, c * sizeof(*nv));

        if (!nv)
            return ENOMEM;
        *v = nv;
        *cap = c;
    }
    (*v)[*n] = strdup(path);
    if (!(*v)[*n])
        return ENOMEM;
    (*n)++;
    return 0;
}

static int forget_scan(const struct xs_node *n, void *arg)
{
    struct forget *f = arg;
    unsigned i;

    if (n->perms[0].domid == f->domid && n->path[0] == '/' && strcmp(n->path, "/") != 0)
        f->rc = remember(&f->owned, &f->nowned, &f->cap_owned, n->path);
    else
        for (i = 1; i < n->nperms && !f->rc; i++)
            if (n->perms[i].domid == f->domid) {
                f->rc = remember(&f->named, &f->nnamed, &f->cap_named, n->path);
                break;
            }
    return f->rc;
}

static int by_length(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

    return la < lb ? -1 : la > lb;
}

/* Drop the entries naming domid from path's permissions (owner entry kept). */
static void unname(struct xs_view *v, const char *path, unsigned domid)
{
    struct xs_perm perms[XS_PERMS_MAX];
    const struct xs_node *old;
    struct xs_node *n;
    unsigned i, k = 0;

    if (xs_view_get(v, path, &old))
        return;
    for (i = 0; i < old->nperms; i++)
        if (i == 0 || old->perms[i].domid != domid)
            perms[k++] = old->perms[i];
    n = xs_node_with_perms(old, perms, k);
    if (n)
        xs_view_set(v, n, old);
}

/*
 * A domain was released: its nodes go, with their subtrees (watchers are
 * told), and entries naming it vanish from other nodes' permissions, so a
 * later domain reusing the id inherits nothing — xenstored's
 * domain_tree_remove(). Caller holds rcu_read_lock().
 */
void xs_op_forget_domain(struct xs_daemon *d, unsigned domid)
{
    struct forget f = {.domid = domid};
    struct xs_view v = {d, NULL};
    struct xs_events ev;
    size_t i;

    xs_events_init(&ev);
    xs_tree_foreach(&d->tree, forget_scan, &f);
    /* Parents first: removing one takes its children with it (ENOENT after). */
    if (f.nowned)
        qsort(f.owned, f.nowned, sizeof(*f.owned), by_length);
    for (i = 0; i < f.nowned; i++) {
        xs_op_rm(&v, NULL, f.owned[i], &ev);
        free(f.owned[i]);
    }
    for (i = 0; i < f.nnamed; i++) {
        unname(&v, f.named[i], domid);
        free(f.named[i]);
    }
    free(f.owned);
    free(f.named);
    xs_watch_fire(d, &ev);
}
