/*
 * daemon.c: one daemon instance — creation with its special nodes, the
 * poll loop over the unix socket, its clients and the ring event fd, and
 * teardown.
 *
 * Lifetime: xs_daemon_create() .. xs_daemon_destroy() on one thread, which
 * is registered with liburcu for that time (nested instances share the
 * registration, so tests may create several in turn).
 * Locking: the loop thread is the only writer of everything the daemon
 * owns (see private.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

static __thread unsigned rcu_registrations;

static const struct xs_perm special_perm = {0, XS_PERM_NONE};

/* A node of the initial store, owned by dom0, "n0". */
static int add_initial(struct xs_daemon *d, const char *name, const char *children, uint32_t clen)
{
    struct xs_node *n = xs_node_new(name, &special_perm, 1, NULL, 0, children, clen);

    if (!n)
        return ENOMEM;
    rcu_read_lock();
    if (!xs_tree_lookup(&d->tree, name))
        xs_domain_nodes_adjust(d, 0, 1);
    xs_tree_publish(&d->tree, n);
    rcu_read_unlock();
    return 0;
}

struct xs_daemon *xs_daemon_create(const struct xs_daemon_opts *o)
{
    struct xs_daemon *d = calloc(1, sizeof(*d));

    if (!d)
        return NULL;
    if (rcu_registrations++ == 0)
        rcu_register_thread();
    d->listen_fd = -1;
    d->quota = o->quota;
    if (o->ring_env)
        d->ring_env = *o->ring_env;
    else
        d->ring_env.fd = -1;
    d->domains = calloc(XS_DOMID_MAX, sizeof(*d->domains));
    /*
     * The initial store, as xenstored's: the special watch nodes, and
     * /tool/xenstored, which tools read to see that a daemon is there.
     */
    if (!d->domains || xs_tree_init(&d->tree) || add_initial(d, "@introduceDomain", NULL, 0) ||
        add_initial(d, "@releaseDomain", NULL, 0) || add_initial(d, "/", "tool", 5) ||
        add_initial(d, "/tool", "xenstored", 10) || add_initial(d, "/tool/xenstored", NULL, 0))
        goto fail;
    if (o->socket_path) {
        d->socket_path = strdup(o->socket_path);
        if (!d->socket_path)
            goto fail;
        d->listen_fd = xs_unix_listen(o->socket_path);
        if (d->listen_fd < 0)
            goto fail;
    }
    return d;
fail:
    xs_daemon_destroy(d);
    return NULL;
}

void xs_daemon_destroy(struct xs_daemon *d)
{
    if (!d)
        return;
    while (d->conns)
        xs_conn_destroy(d->conns);
    if (d->listen_fd >= 0) {
        close(d->listen_fd);
        unlink(d->socket_path);
    }
    free(d->socket_path);
    xs_tree_fini(&d->tree);
    xs_domain_fini(d);
    if (d->ring_env.fini)
        d->ring_env.fini(d->ring_env.ctx);
    free(d);
    if (--rcu_registrations == 0)
        rcu_unregister_thread();
}

struct xs_conn *xs_daemon_adopt_fd(struct xs_daemon *d, int fd)
{
    return xs_unix_adopt(d, fd);
}

int xs_daemon_attach_ring(struct xs_daemon *d, unsigned domid, void *page, int local_port)
{
    struct xs_domain *dom = xs_domain_get(d, domid, true);

    if (!dom)
        return -1;
    dom->conn = xs_ring_connect(d, domid, page, local_port);
    if (!dom->conn)
        return -1;
    dom->introduced = true;
    return 0;
}

unsigned xs_daemon_conn_count(const struct xs_daemon *d)
{
    const struct xs_conn *c;
    unsigned n = 0;

    for (c = d->conns; c; c = c->next)
        n++;
    return n;
}

static void reap(struct xs_daemon *d)
{
    struct xs_conn *c = d->conns, *next;

    for (; c; c = next) {
        next = c->next;
        if (c->dead)
            xs_conn_destroy(c);
    }
}

void xs_daemon_kick(struct xs_daemon *d)
{
    xs_ring_poll_all(d);
    reap(d);
}

/* The domain shut down or is dying: report it once until RESUME. */
void xs_daemon_domain_gone(struct xs_daemon *d, unsigned domid)
{
    struct xs_domain *dom = xs_domain_get(d, domid, false);

    if (!dom || !dom->introduced || dom->shutdown_reported)
        return;
    dom->shutdown_reported = true;
    rcu_read_lock();
    xs_watch_fire_special(d, "@releaseDomain", domid);
    rcu_read_unlock();
}

/*
 * As Xen's xenstored on VIRQ_DOM_EXC: the hypervisor does not say which
 * domain changed, so every introduced one is asked. A shut-down domain
 * is reported once (its toolstack decides what happens next); a dying one
 * is let go here, so a domain nobody RELEASEs (a boot-time domU, a
 * toolstack that died) does not keep its ring mapped and its nodes alive.
 */
void xs_daemon_domains_changed(struct xs_daemon *d)
{
    const struct xs_ring_env *env = &d->ring_env;
    unsigned domid;

    if (!env->domain_state)
        return;
    for (domid = 1; domid < XS_DOMID_MAX; domid++) {
        struct xs_domain *dom = d->domains[domid];

        if (!dom || !dom->introduced)
            continue;
        switch (env->domain_state(env->ctx, domid)) {
        case XS_DOMAIN_RUNNING:
            break;
        case XS_DOMAIN_SHUTDOWN:
            if (!dom->shutdown_reported)
                fprintf(stderr, "xenstored: domain %u shut down\n", domid);
            xs_daemon_domain_gone(d, domid);
            break;
        case XS_DOMAIN_GONE:
            rcu_read_lock();
            xs_domain_release(d, domid);
            rcu_read_unlock();
            fprintf(stderr, "xenstored: domain %u is gone, released\n", domid);
            break;
        }
    }
}

int xs_daemon_step(struct xs_daemon *d, int timeout_ms)
{
    struct pollfd *pfd;
    struct xs_conn *c, **who;
    nfds_t n = 0, i;
    unsigned max = xs_daemon_conn_count(d) + 2;
    int rc;

    pfd = calloc(max, sizeof(*pfd));
    who = calloc(max, sizeof(*who));
    if (!pfd || !who) {
        free(pfd);
        free(who);
        return -1;
    }
    if (d->listen_fd >= 0)
        pfd[n++] = (struct pollfd){.fd = d->listen_fd, .events = POLLIN};
    if (d->ring_env.fd >= 0)
        pfd[n++] = (struct pollfd){.fd = d->ring_env.fd, .events = POLLIN};
    for (c = d->conns; c; c = c->next) {
        if (c->fd < 0 || c->dead)
            continue;
        who[n] = c;
        pfd[n].fd = c->fd;
        pfd[n].events =
            (short)((xs_conn_wants_input(c) ? POLLIN : 0) | (c->out_head ? POLLOUT : 0));
        n++;
    }
    rc = poll(pfd, n, timeout_ms);
    if (rc < 0 && errno != EINTR) {
        free(pfd);
        free(who);
        return -1;
    }
    for (i = 0; rc > 0 && i < n; i++) {
        if (!pfd[i].revents)
            continue;
        if (pfd[i].fd == d->listen_fd) {
            while (xs_unix_accept(d, d->listen_fd))
                ;
        } else if (!who[i]) {
            if (d->ring_env.drain && d->ring_env.drain(d->ring_env.ctx))
                xs_daemon_domains_changed(d);
        } else {
            c = who[i];
            if (pfd[i].revents & POLLOUT)
                xs_conn_output(c);
            if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
                xs_conn_input(c);
            if ((pfd[i].revents & (POLLHUP | POLLERR)) && !(pfd[i].revents & POLLIN))
                c->dead = true;
        }
    }
    free(pfd);
    free(who);
    xs_ring_poll_all(d);
    reap(d);
    return 0;
}
