/*
 * fuzz_request.c: libFuzzer target over the request path — framing,
 * argument parsing, paths, permissions, transactions, watches, domains —
 * fed through the ring transport: dom0's connection (privileged), guest
 * 1's, and the rings of guests 2 and 3, which exist once dom0 INTRODUCEs
 * them (any gfn and port: the ring environment here hands out the pages).
 *
 * Input: a sequence of chunks, each a selector byte then up to
 * (selector >> 2) + 1 bytes for ring (selector & 3): dom0, guest 1,
 * guest 2, guest 3. After each chunk the daemon runs and every response
 * ring is drained. Oracles besides the sanitizers: the tree stays consistent
 * (every listed child exists, every node is listed by its parent), and
 * the node the guest may not touch keeps its committed value unless dom0
 * was fed something.
 *
 * One daemon serves every input (creating one costs an RCU barrier); it
 * is emptied between inputs: connections dropped, every node unpublished,
 * domain accounting cleared.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define NRINGS 4

/* The pages of this input's rings: index = domid. */
static struct xenstore_domain_interface *cur_rings;

static void *fuzz_map(void *ctx, unsigned domid, unsigned long gfn)
{
    (void)ctx;
    (void)gfn;
    return domid >= 2 && domid < NRINGS ? &cur_rings[domid] : NULL;
}

static int fuzz_bind(void *ctx, unsigned domid, unsigned port)
{
    (void)ctx;
    (void)port;
    return (int)domid + 100;
}

static const struct xs_ring_env fuzz_env = {.map = fuzz_map, .bind = fuzz_bind, .fd = -1};

static void drain(struct xenstore_domain_interface *r)
{
    __atomic_store_n(&r->rsp_cons, __atomic_load_n(&r->rsp_prod, __ATOMIC_ACQUIRE),
                     __ATOMIC_RELEASE);
}

static size_t feed(struct xs_daemon *d, struct xenstore_domain_interface *r, const uint8_t *p,
                   size_t len)
{
    size_t done = 0;

    while (done < len && r->req_prod - r->req_cons < XENSTORE_RING_SIZE) {
        r->req[MASK_XENSTORE_IDX(r->req_prod)] = (char)p[done++];
        __atomic_store_n(&r->req_prod, r->req_prod + 1, __ATOMIC_RELEASE);
    }
    xs_daemon_kick(d);
    return done;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct paths {
    char **v;
    uint16_t *owner;
    size_t n, cap;
};

static int collect(const struct xs_node *n, void *arg)
{
    struct paths *p = arg;

    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = realloc(p->v, p->cap * sizeof(*p->v));
        p->owner = realloc(p->owner, p->cap * sizeof(*p->owner));
        if (!p->v || !p->owner)
            abort();
    }
    p->owner[p->n] = n->perms[0].domid;
    p->v[p->n] = strdup(n->path);
    if (!p->v[p->n++])
        abort();
    return 0;
}

static struct xs_daemon *fresh_daemon(void)
{
    static struct xs_daemon *d;
    static const struct xs_quota q = XS_QUOTA_DEFAULT;
    struct paths p = {NULL, NULL, 0, 0};
    size_t i;

    if (!d) {
        struct xs_daemon_opts o = {NULL, XS_QUOTA_DEFAULT, &fuzz_env};

        d = xs_daemon_create(&o);
        if (!d)
            abort();
    }
    while (d->conns)
        xs_conn_destroy(d->conns);
    rcu_read_lock();
    xs_tree_foreach(&d->tree, collect, &p);
    /*
     * Domain entries to forget: the owners of the nodes left, and 0 and 1.
     * Any other entry owns no node any more, so it is as good as new (no
     * domain can be introduced here: there is no ring environment).
     */
    for (i = 0; i < p.n; i++) {
        if (p.v[i][0] != '@' && strcmp(p.v[i], "/") != 0)
            xs_tree_unpublish(&d->tree, p.v[i]);
        free(p.v[i]);
        if (p.owner[i] < XS_DOMID_MAX) { /* perms may name any 16-bit id */
            free(d->domains[p.owner[i]]);
            d->domains[p.owner[i]] = NULL;
        }
    }
    rcu_read_unlock();
    free(p.v);
    free(p.owner);
    for (i = 0; i < NRINGS; i++) {
        free(d->domains[i]);
        d->domains[i] = NULL;
    }
    d->quota = q;
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct xs_perm guest_home[] = {{1, XS_PERM_NONE}};
    static const struct xs_perm keep_perm[] = {{0, XS_PERM_NONE}};
    struct xenstore_domain_interface *rings = calloc(NRINGS, sizeof(*rings));
    struct xs_daemon *d = fresh_daemon();
    bool dom0_fed = false;
    char msg[256];
    size_t off = 0;
    int rounds;

    if (!d || !rings)
        abort();
    cur_rings = rings;
    rcu_read_lock();
    xs_tree_publish(&d->tree, xs_node_new("/keep", keep_perm, 1, "safe", 4, NULL, 0));
    xs_tree_publish(&d->tree, xs_node_new("/local", keep_perm, 1, NULL, 0, "domain", 7));
    xs_tree_publish(&d->tree, xs_node_new("/local/domain", keep_perm, 1, NULL, 0, "1", 2));
    xs_tree_publish(&d->tree, xs_node_new("/local/domain/1", guest_home, 1, NULL, 0, NULL, 0));
    xs_tree_publish(&d->tree, xs_node_new("/", keep_perm, 1, NULL, 0, "keep\0local", 11));
    xs_tree_publish(&d->tree, xs_node_new("@introduceDomain", keep_perm, 1, NULL, 0, NULL, 0));
    xs_tree_publish(&d->tree, xs_node_new("@releaseDomain", keep_perm, 1, NULL, 0, NULL, 0));
    rcu_read_unlock();
    xs_domain_nodes_adjust(d, 1, 1);
    if (!xs_ring_connect(d, 0, &rings[0], 0) || !xs_ring_connect(d, 1, &rings[1], 1))
        abort();
    while (off < size) {
        unsigned sel = data[off++], i;
        size_t n = (sel >> 2) + 1, sent = 0;
        struct xenstore_domain_interface *r = &rings[sel & 3];

        if (n > size - off)
            n = size - off;
        dom0_fed |= (sel & 3) == 0 && n > 0;
        for (rounds = 0; sent < n && rounds < 16; rounds++) {
            sent += feed(d, r, data + off + sent, n - sent);
            for (i = 0; i < NRINGS; i++)
                drain(&rings[i]);
        }
        off += n;
    }
    for (rounds = 0; rounds < 4; rounds++) {
        unsigned i;

        xs_daemon_kick(d);
        for (i = 0; i < NRINGS; i++)
            drain(&rings[i]);
    }
    rcu_read_lock();
    if (xs_tree_check(d, msg, sizeof(msg))) {
        fprintf(stderr, "tree inconsistent: %s\n", msg);
        abort();
    }
    if (!dom0_fed) {
        const struct xs_node *k = xs_tree_lookup(&d->tree, "/keep");

        if (!k || k->datalen != 4 || memcmp(k->data, "safe", 4) != 0)
            abort();
    }
    rcu_read_unlock();
    while (d->conns)
        xs_conn_destroy(d->conns); /* before the rings they point at go */
    free(rings);
    return 0;
}
