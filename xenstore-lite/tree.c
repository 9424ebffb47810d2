/*
 * tree.c: the node index — an RCU lock-free hash table from canonical path
 * to the current immutable node version.
 *
 * Lifetime: xs_tree_init() creates the table with the root "/" owned by
 * dom0 ("n0"); a published node belongs to the tree until it is replaced
 * or unpublished, then it is freed after an RCU grace period, so a reader
 * that found it under rcu_read_lock() may keep using it until it unlocks.
 *
 * Locking: one writer (the daemon thread) calls publish/unpublish, always
 * inside rcu_read_lock() as cds_lfht requires; any number of registered
 * reader threads may call xs_tree_lookup() inside rcu_read_lock() at the
 * same time and never block the writer.
 *
 * Invariants: a node's parent exists whenever the node does (ops.c keeps
 * it); a node's child list names exactly its children in the tree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* FNV-1a: paths are short and this is cheap; the table mixes seeds itself. */
static unsigned long path_hash(const char *s)
{
    unsigned long h = 1469598103934665603ul;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ul;
    return h;
}

static int node_match(struct cds_lfht_node *ht, const void *key)
{
    const struct xs_node *n = caa_container_of(ht, struct xs_node, hnode);

    return strcmp(n->path, key) == 0;
}

int xs_tree_init(struct xs_tree *t)
{
    static const struct xs_perm root_perm = {0, XS_PERM_NONE};
    struct xs_node *root;

    t->generation = 0;
    t->count = 0;
    t->ht = cds_lfht_new(1024, 1024, 0, CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING, NULL);
    if (!t->ht)
        return ENOMEM;
    root = xs_node_new("/", &root_perm, 1, NULL, 0, NULL, 0);
    if (!root) {
        cds_lfht_destroy(t->ht, NULL);
        return ENOMEM;
    }
    rcu_read_lock();
    xs_tree_publish(t, root);
    rcu_read_unlock();
    return 0;
}

static void node_free_rcu(struct rcu_head *head)
{
    free(caa_container_of(head, struct xs_node, rcu));
}

/* Tear down: no reader may be running any more (caller's contract). */
void xs_tree_fini(struct xs_tree *t)
{
    struct cds_lfht_iter it;
    struct cds_lfht_node *ht;

    if (!t->ht)
        return;
    rcu_read_lock();
    cds_lfht_for_each(t->ht, &it, ht)
    {
        if (cds_lfht_del(t->ht, ht) == 0)
            call_rcu(&caa_container_of(ht, struct xs_node, hnode)->rcu, node_free_rcu);
    }
    rcu_read_unlock();
    /* Let every deferred free run before the table itself goes. */
    rcu_barrier();
    cds_lfht_destroy(t->ht, NULL);
    t->ht = NULL;
}

/* Call fn on every node until it returns non-zero; caller holds rcu_read_lock(). */
int xs_tree_foreach(struct xs_tree *t, int (*fn)(const struct xs_node *n, void *arg), void *arg)
{
    struct cds_lfht_iter it;
    struct cds_lfht_node *ht;
    int rc = 0;

    /* Not cds_lfht_for_each_entry: it does container_of on NULL at the end. */
    cds_lfht_for_each(t->ht, &it, ht)
    {
        rc = fn(caa_container_of(ht, struct xs_node, hnode), arg);
        if (rc)
            break;
    }
    return rc;
}

/* Caller holds rcu_read_lock(); the result is valid until it unlocks. */
const struct xs_node *xs_tree_lookup(struct xs_tree *t, const char *path)
{
    struct cds_lfht_iter it;
    struct cds_lfht_node *ht;

    cds_lfht_lookup(t->ht, path_hash(path), node_match, path, &it);
    ht = cds_lfht_iter_get_node(&it);
    return ht ? caa_container_of(ht, struct xs_node, hnode) : NULL;
}

/*
 * Make n the current version of its path (tree inherits n). The old
 * version, if any, is freed after a grace period.
 */
void xs_tree_publish(struct xs_tree *t, struct xs_node *n)
{
    struct cds_lfht_node *old;

    n->generation = ++t->generation;
    n->hash = path_hash(n->path);
    old = cds_lfht_add_replace(t->ht, n->hash, node_match, n->path, &n->hnode);
    if (old)
        call_rcu(&caa_container_of(old, struct xs_node, hnode)->rcu, node_free_rcu);
    else
        t->count++;
}

void xs_tree_unpublish(struct xs_tree *t, const char *path)
{
    struct cds_lfht_iter it;
    struct cds_lfht_node *ht;

    t->generation++;
    cds_lfht_lookup(t->ht, path_hash(path), node_match, path, &it);
    ht = cds_lfht_iter_get_node(&it);
    if (ht && cds_lfht_del(t->ht, ht) == 0) {
        call_rcu(&caa_container_of(ht, struct xs_node, hnode)->rcu, node_free_rcu);
        t->count--;
    }
}

/* Build a private node version; NULL when out of memory. */
struct xs_node *xs_node_new(const char *path, const struct xs_perm *perms, unsigned nperms,
                            const void *data, uint32_t datalen, const char *children,
                            uint32_t childlen)
{
    size_t plen = strlen(path) + 1;
    size_t size =
        sizeof(struct xs_node) + nperms * sizeof(struct xs_perm) + plen + datalen + childlen + 1;
    struct xs_node *n = malloc(size);
    char *p;

    if (!n)
        return NULL;
    memset(n, 0, sizeof(*n));
    cds_lfht_node_init(&n->hnode);
    n->perms = (struct xs_perm *)(n + 1);
    memcpy(n->perms, perms, nperms * sizeof(struct xs_perm));
    n->nperms = (uint16_t)nperms;
    p = (char *)(n->perms + nperms);
    n->path = p;
    memcpy(p, path, plen);
    p += plen;
    n->data = p;
    if (datalen)
        memcpy(p, data, datalen);
    n->datalen = datalen;
    p += datalen;
    n->children = p;
    if (childlen)
        memcpy(p, children, childlen);
    n->childlen = childlen;
    p[childlen] = '\0'; /* so an empty list is a valid empty string */
    return n;
}

void xs_node_free(struct xs_node *n)
{
    free(n);
}

struct xs_node *xs_node_with_data(const struct xs_node *o, const void *data, uint32_t len)
{
    return xs_node_new(o->path, o->perms, o->nperms, data, len, o->children, o->childlen);
}

struct xs_node *xs_node_with_perms(const struct xs_node *o, const struct xs_perm *p, unsigned n)
{
    return xs_node_new(o->path, p, n, o->data, o->datalen, o->children, o->childlen);
}

/* Offset of a child name in the list, or -1. */
static long child_offset(const struct xs_node *n, const char *name)
{
    uint32_t off = 0;

    while (off < n->childlen) {
        const char *c = n->children + off;
        size_t l = strlen(c);

        if (strcmp(c, name) == 0)
            return (long)off;
        off += (uint32_t)l + 1;
    }
    return -1;
}

bool xs_node_has_child(const struct xs_node *n, const char *name)
{
    return child_offset(n, name) >= 0;
}

/* A copy of o with name added to (add) or removed from its child list. */
struct xs_node *xs_node_with_child(const struct xs_node *o, const char *name, bool add)
{
    size_t nl = strlen(name) + 1;
    struct xs_node *n;
    char *list;
    long off = child_offset(o, name);

    if (add) {
        if (off >= 0)
            return xs_node_with_data(o, o->data, o->datalen);
        list = malloc(o->childlen + nl);
        if (!list)
            return NULL;
        memcpy(list, o->children, o->childlen);
        memcpy(list + o->childlen, name, nl);
        n = xs_node_new(o->path, o->perms, o->nperms, o->data, o->datalen, list,
                        (uint32_t)(o->childlen + nl));
        free(list);
        return n;
    }
    if (off < 0)
        return xs_node_with_data(o, o->data, o->datalen);
    list = malloc(o->childlen + 1);
    if (!list)
        return NULL;
    memcpy(list, o->children, (size_t)off);
    memcpy(list + off, o->children + off + nl, o->childlen - (size_t)off - nl);
    n = xs_node_new(o->path, o->perms, o->nperms, o->data, o->datalen, list,
                    (uint32_t)(o->childlen - nl));
    free(list);
    return n;
}
