/*
 * domain.c: what the daemon knows about each domain — whether it was
 * introduced (and its ring connection), its SET_TARGET, whether its
 * shutdown was already reported, and how many nodes it owns (quota).
 *
 * Lifetime: a struct xs_domain is created the first time a domid owns a
 * node or is introduced, and lives until the daemon goes (node counts
 * must survive RELEASE while nodes remain). The ring connection belongs
 * to the daemon's connection list; the domain only points at it.
 *
 * Locking: daemon thread only.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

struct xs_domain *xs_domain_get(struct xs_daemon *d, unsigned domid, bool create)
{
    struct xs_domain *dom;

    if (domid >= XS_DOMID_MAX)
        return NULL;
    dom = d->domains[domid];
    if (dom || !create)
        return dom;
    dom = calloc(1, sizeof(*dom));
    if (!dom)
        return NULL;
    dom->domid = (uint16_t)domid;
    dom->target = XS_DOMID_MAX;
    d->domains[domid] = dom;
    return dom;
}

void xs_domain_nodes_adjust(struct xs_daemon *d, unsigned domid, int32_t delta)
{
    struct xs_domain *dom = xs_domain_get(d, domid, true);

    /* Out of memory only loses accounting, never data. */
    if (dom)
        dom->nodes = (uint32_t)((int32_t)dom->nodes + delta);
}

/*
 * INTRODUCE: map the domain's ring and bind its event channel. Introducing
 * an introduced domain again is accepted (xenstored does the same for a
 * domain that was restored). EINVAL if the ring cannot be reached.
 */
int xs_domain_introduce(struct xs_daemon *d, unsigned domid, unsigned long gfn, unsigned port)
{
    const struct xs_ring_env *env = &d->ring_env;
    struct xs_domain *dom;
    void *page;
    int local;

    if (domid == 0 || domid >= XS_DOMID_MAX || !env->map || !env->bind)
        return EINVAL;
    dom = xs_domain_get(d, domid, true);
    if (!dom)
        return ENOMEM;
    if (dom->introduced)
        return 0;
    page = env->map(env->ctx, domid, gfn);
    if (!page)
        return EINVAL;
    local = env->bind(env->ctx, domid, port);
    if (local < 0) {
        if (env->unmap)
            env->unmap(env->ctx, domid, page);
        return EINVAL;
    }
    dom->conn = xs_ring_connect(d, domid, page, local);
    if (!dom->conn) {
        if (env->unbind)
            env->unbind(env->ctx, local);
        if (env->unmap)
            env->unmap(env->ctx, domid, page);
        return ENOMEM;
    }
    dom->introduced = true;
    dom->shutdown_reported = false;
    xs_watch_fire_special(d, "@introduceDomain", domid);
    return 0;
}

/*
 * RELEASE: drop the domain's connection, and with it its watches and
 * transactions, remove the nodes it owns, then tell @releaseDomain
 * watchers. ENOENT if the domain was not introduced.
 * Caller holds rcu_read_lock().
 */
int xs_domain_release(struct xs_daemon *d, unsigned domid)
{
    struct xs_domain *dom = xs_domain_get(d, domid, false);

    if (!dom || !dom->introduced)
        return ENOENT;
    if (dom->conn) {
        dom->conn->dead = true; /* the loop destroys it after this request */
        dom->conn = NULL;
    }
    dom->introduced = false;
    dom->target = XS_DOMID_MAX;
    xs_op_forget_domain(d, domid);
    xs_watch_fire_special(d, "@releaseDomain", domid);
    return 0;
}

void xs_domain_fini(struct xs_daemon *d)
{
    unsigned i;

    if (!d->domains)
        return;
    for (i = 0; i < XS_DOMID_MAX; i++)
        free(d->domains[i]);
    free(d->domains);
    d->domains = NULL;
}
