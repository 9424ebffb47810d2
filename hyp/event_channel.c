/*
 * Event channels: the event_channel_op hypercall and event delivery
 * (see event.h for the model and the locking).
 */
#include "event.h"
#include "asm/pv_traps.h"
#include "console.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm/xmalloc.h"
#include "percpu.h"
#include "perfc.h"
#include "pirq.h"
#include "schedule.h"
#include "softirq.h"
#include "smp.h"
#include <xen/errno.h>
#include <xen/event_channel.h>

#define BITS_PER_WORD 64

static bool test_and_set(xen_ulong_t *word, unsigned int bit)
{
    return __atomic_fetch_or(word, 1UL << bit, __ATOMIC_SEQ_CST) & (1UL << bit);
}

static void clear(xen_ulong_t *word, unsigned int bit)
{
    __atomic_fetch_and(word, ~(1UL << bit), __ATOMIC_SEQ_CST);
}

static bool test(const xen_ulong_t *word, unsigned int bit)
{
    return __atomic_load_n(word, __ATOMIC_SEQ_CST) & (1UL << bit);
}

static bool port_valid(const struct domain *d, evtchn_port_t p)
{
    return p < NR_EVTCHN_PORTS && d->evtchn;
}

void vcpu_mark_events_pending(struct vcpu *v)
{
    if (__atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
        return;
    /* Blocked: wake it. Running elsewhere: make it pass its exit path. */
    vcpu_pause_flag_clear(v, VPF_blocked);
    if (__atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE) && v->processor != smp_processor_id())
        cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
}

/* Set `port` pending in d and notify vCPU v (the port's target). */
static void evtchn_set_pending(struct vcpu *v, evtchn_port_t port)
{
    struct shared_info *si = v->domain->shared_info;

    if (test_and_set(&si->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD))
        return;
    if (!test(&si->evtchn_mask[port / BITS_PER_WORD], port % BITS_PER_WORD) &&
        !test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS_PER_WORD))
        vcpu_mark_events_pending(v);
    /* A vCPU in SCHEDOP_poll may be waiting on this port even if masked. */
    if (v->poll_ports)
        vcpu_pause_flag_clear(v, VPF_blocked);
}

void pv_deliver_event_upcall(struct vcpu *v)
{
    if (!event_upcall_due(v))
        return;
    perfc_event(v, event_upcalls);
    pv_create_bounce_frame(v, v->arch.event_callback_eip, false, 0, true);
}

bool evtchn_poll_ready(struct vcpu *v)
{
    return READ_ONCE(v->vcpu_info->evtchn_upcall_pending) && !v->poll_ports;
}

int evtchn_init_domain(struct domain *d)
{
    d->evtchn = xzalloc_array(struct evtchn, NR_EVTCHN_PORTS);
    if (!d->evtchn)
        return -XEN_ENOMEM;
    spin_lock_init(&d->event_lock);
    d->evtchn[0].state = ECS_RESERVED; /* port 0 is never handed out */

    /* Every port; createdomain may lower it. */
    d->max_evtchn_port = NR_EVTCHN_PORTS - 1;
    return 0;
}

/* A free port of d. event_lock held. */
static int get_free_port(struct domain *d)
{
    for (evtchn_port_t p = 1; p <= d->max_evtchn_port && p < NR_EVTCHN_PORTS; p++)
        if (d->evtchn[p].state == ECS_FREE)
            return (int)p;
    return -XEN_ENOSPC;
}

static void lock_two(struct domain *a, struct domain *b, unsigned long *fa, unsigned long *fb)
{
    if (a == b) {
        *fa = spin_lock_irqsave(&a->event_lock);
        return;
    }
    if (a->domain_id < b->domain_id) {
        *fa = spin_lock_irqsave(&a->event_lock);
        *fb = spin_lock_irqsave(&b->event_lock);
    } else {
        *fb = spin_lock_irqsave(&b->event_lock);
        *fa = spin_lock_irqsave(&a->event_lock);
    }
}

static void unlock_two(struct domain *a, struct domain *b, unsigned long fa, unsigned long fb)
{
    if (a == b) {
        spin_unlock_irqrestore(&a->event_lock, fa);
        return;
    }
    if (a->domain_id < b->domain_id) {
        spin_unlock_irqrestore(&b->event_lock, fb);
        spin_unlock_irqrestore(&a->event_lock, fa);
    } else {
        spin_unlock_irqrestore(&a->event_lock, fa);
        spin_unlock_irqrestore(&b->event_lock, fb);
    }
}

/* The domain an op names: its own, or any for a privileged caller (held). */
static struct domain *resolve(domid_t id)
{
    struct domain *cur = current->domain;

    if (id != DOMID_SELF && id != cur->domain_id && !cur->is_privileged)
        return NULL;
    return domain_get_by_id(id);
}

int evtchn_alloc_unbound_for(struct domain *d, domid_t remote)
{
    unsigned long irq = spin_lock_irqsave(&d->event_lock);
    int port = get_free_port(d);

    if (port > 0) {
        d->evtchn[port].state = ECS_UNBOUND;
        d->evtchn[port].notify_vcpu = 0;
        d->evtchn[port].u.remote_domid = remote;
    }
    spin_unlock_irqrestore(&d->event_lock, irq);
    return port;
}

static long evtchn_alloc_unbound(struct evtchn_alloc_unbound *a)
{
    struct domain *d = resolve(a->dom);
    domid_t remote = a->remote_dom == DOMID_SELF ? current->domain->domain_id : a->remote_dom;
    int port;

    if (!d)
        return a->dom == DOMID_SELF || !current->domain->is_privileged ? -XEN_EPERM : -XEN_ESRCH;
    port = evtchn_alloc_unbound_for(d, remote);
    domain_put_by_id(d);
    if (port > 0)
        a->port = (evtchn_port_t)port;
    return port < 0 ? port : 0;
}

static long evtchn_bind_interdomain(struct evtchn_bind_interdomain *b)
{
    struct domain *ld = current->domain, *rd;
    unsigned long fl, fr = 0;
    struct evtchn *rc;
    int lport;
    long ret = 0;

    rd = domain_get_by_id(b->remote_dom);
    if (!rd)
        return -XEN_ESRCH;
    if (!port_valid(rd, b->remote_port)) {
        domain_put_by_id(rd);
        return -XEN_EINVAL;
    }
    /* The control domain binding a boot-time domU's console port takes
     * the console over from the hypervisor's back-end (vane consoled). */
    if (ld->is_privileged && rd != ld)
        console_ring_handover(rd, b->remote_port);
    lock_two(ld, rd, &fl, &fr);
    rc = &rd->evtchn[b->remote_port];
    if (rc->state != ECS_UNBOUND || rc->u.remote_domid != ld->domain_id) {
        ret = -XEN_EINVAL;
        goto out;
    }
    lport = get_free_port(ld);
    if (lport < 0) {
        ret = lport;
        goto out;
    }
    ld->evtchn[lport].state = ECS_INTERDOMAIN;
    ld->evtchn[lport].notify_vcpu = 0;
    ld->evtchn[lport].u.remote.dom = rd;
    ld->evtchn[lport].u.remote.port = b->remote_port;
    rc->state = ECS_INTERDOMAIN;
    rc->u.remote.dom = ld;
    rc->u.remote.port = (evtchn_port_t)lport;
    b->local_port = (evtchn_port_t)lport;
    /* An event may have been raised on the unbound end meanwhile. */
    evtchn_set_pending(ld->vcpu[0], (evtchn_port_t)lport);
out:
    unlock_two(ld, rd, fl, fr);
    domain_put_by_id(rd);
    return ret;
}

static bool virq_is_global(unsigned int virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

static long evtchn_bind_virq(struct evtchn_bind_virq *b)
{
    struct domain *d = current->domain;
    struct vcpu *v;
    unsigned long irq;
    int port;

    if (b->virq >= NR_VIRQS_SUPPORTED || b->vcpu >= d->max_vcpus || !d->vcpu[b->vcpu])
        return -XEN_EINVAL;
    if (virq_is_global(b->virq) && b->vcpu != 0)
        return -XEN_EINVAL;
    v = d->vcpu[b->vcpu];
    irq = spin_lock_irqsave(&d->event_lock);
    if (v->virq_to_port[b->virq]) {
        spin_unlock_irqrestore(&d->event_lock, irq);
        return -XEN_EEXIST;
    }
    port = get_free_port(d);
    if (port > 0) {
        d->evtchn[port].state = ECS_VIRQ;
        d->evtchn[port].notify_vcpu = (uint16_t)b->vcpu;
        d->evtchn[port].u.virq = b->virq;
        v->virq_to_port[b->virq] = (evtchn_port_t)port;
        b->port = (evtchn_port_t)port;
    }
    spin_unlock_irqrestore(&d->event_lock, irq);
    return port < 0 ? port : 0;
}

static long evtchn_bind_ipi(struct evtchn_bind_ipi *b)
{
    struct domain *d = current->domain;
    unsigned long irq;
    int port;

    if (b->vcpu >= d->max_vcpus || !d->vcpu[b->vcpu])
        return -XEN_ENOENT;
    irq = spin_lock_irqsave(&d->event_lock);
    port = get_free_port(d);
    if (port > 0) {
        d->evtchn[port].state = ECS_IPI;
        d->evtchn[port].notify_vcpu = (uint16_t)b->vcpu;
        b->port = (evtchn_port_t)port;
    }
    spin_unlock_irqrestore(&d->event_lock, irq);
    return port < 0 ? port : 0;
}

/*
 * EVTCHNOP_bind_pirq: only a pirq the domain was given (mapped through
 * physdev_op) can be bound, -EPERM otherwise, as on Xen; the interrupt
 * starts once bound and goes to vCPU 0 until bind_vcpu moves it.
 */
static long evtchn_bind_pirq(struct evtchn_bind_pirq *b)
{
    struct domain *d = current->domain;
    unsigned long irq;
    long rc;
    int port;

    if (b->pirq >= NR_PIRQS)
        return -XEN_EINVAL;
    if (!pirq_access_permitted(d, b->pirq))
        return -XEN_EPERM;
    irq = spin_lock_irqsave(&d->event_lock);
    port = get_free_port(d);
    if (port > 0) {
        d->evtchn[port].state = ECS_PIRQ;
        d->evtchn[port].notify_vcpu = 0;
        d->evtchn[port].u.pirq = b->pirq;
    }
    spin_unlock_irqrestore(&d->event_lock, irq);
    if (port < 0)
        return port;
    rc = pirq_bind(d, b->pirq, (evtchn_port_t)port);
    if (rc) {
        irq = spin_lock_irqsave(&d->event_lock);
        d->evtchn[port].state = ECS_FREE;
        spin_unlock_irqrestore(&d->event_lock, irq);
        return rc;
    }
    b->port = (evtchn_port_t)port;
    return 0;
}

/* Set `port` pending if it is still bound as `state` says (the raiser
 * does not hold event_lock, and the guest may have closed it since). */
static void raise_bound(struct domain *d, evtchn_port_t port, unsigned int state)
{
    unsigned long irq;

    if (!port_valid(d, port))
        return;
    irq = spin_lock_irqsave(&d->event_lock);
    if (d->evtchn[port].state == state)
        evtchn_set_pending(d->vcpu[d->evtchn[port].notify_vcpu], port);
    spin_unlock_irqrestore(&d->event_lock, irq);
}

void evtchn_raise_pirq(struct domain *d, evtchn_port_t port)
{
    raise_bound(d, port, ECS_PIRQ);
}

/*
 * Close d's `port`; the far end of a connection goes back to unbound. A
 * port served by a hypervisor back-end closes only with the domain
 * (`with_xen`), as on Xen: the guest cannot detach its own console.
 */
static long close_port(struct domain *d, evtchn_port_t port, bool with_xen)
{
    struct evtchn *c;
    struct domain *rd = NULL;
    unsigned long fl, fr = 0;
    long ret = 0;

    if (!port_valid(d, port))
        return -XEN_EINVAL;
    fl = spin_lock_irqsave(&d->event_lock);
    c = &d->evtchn[port];
    if (c->state == ECS_INTERDOMAIN)
        rd = c->u.remote.dom;
    if (c->state == ECS_XEN && !with_xen) {
        spin_unlock_irqrestore(&d->event_lock, fl);
        return -XEN_EINVAL;
    }
    spin_unlock_irqrestore(&d->event_lock, fl);

    lock_two(d, rd ? rd : d, &fl, &fr);
    c = &d->evtchn[port];
    switch (c->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        ret = -XEN_EINVAL;
        break;
    case ECS_INTERDOMAIN:
        if (c->u.remote.dom != rd) { /* changed while unlocked: try again */
            ret = -XEN_EAGAIN;
            break;
        }
        if (rd != d || c->u.remote.port != port) {
            struct evtchn *r = &rd->evtchn[c->u.remote.port];
            r->state = ECS_UNBOUND;
            r->u.remote_domid = d->domain_id;
        }
        c->state = ECS_FREE;
        break;
    case ECS_PIRQ:
        pirq_unbind(d, c->u.pirq, port);
        c->state = ECS_FREE;
        break;
    case ECS_VIRQ:
        /* A global VIRQ stays vCPU 0's, wherever bind_vcpu sends it. */
        d->vcpu[virq_is_global(c->u.virq) ? 0 : c->notify_vcpu]->virq_to_port[c->u.virq] = 0;
        c->state = ECS_FREE;
        break;
    default:
        c->state = ECS_FREE;
        break;
    }
    /*
     * As Xen's evtchn_free: a freed port is not left pending, or the next
     * bind that reuses its number would deliver a stale event (Linux then
     * hits the BUG() in the spinlock kicker's handler when a vCPU it
     * hot-unplugged comes back online).
     */
    if (!ret && d->shared_info)
        clear(&d->shared_info->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD);
    unlock_two(d, rd ? rd : d, fl, fr);
    return ret;
}

long evtchn_send(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c;
    struct domain *rd;
    evtchn_port_t rport;
    evtchn_xen_notify_t notify = NULL;
    unsigned long irq;
    long ret = 0;

    if (!port_valid(d, port))
        return -XEN_EINVAL;
    irq = spin_lock_irqsave(&d->event_lock);
    c = &d->evtchn[port];
    switch (c->state) {
    case ECS_INTERDOMAIN:
        rd = c->u.remote.dom;
        rport = c->u.remote.port;
        /* The remote's lock is not needed to raise: its state cannot go
         * away while ours holds the connection (closing takes both). */
        evtchn_set_pending(rd->vcpu[rd->evtchn[rport].notify_vcpu], rport);
        break;
    case ECS_IPI:
        evtchn_set_pending(d->vcpu[c->notify_vcpu], port);
        break;
    case ECS_UNBOUND:
        break; /* nobody there yet: dropped, as Xen does */
    case ECS_XEN:
        notify = c->u.notify;
        break;
    default:
        ret = -XEN_EINVAL;
        break;
    }
    spin_unlock_irqrestore(&d->event_lock, irq);
    /* Back-ends do their work (and may raise the port) without our lock. */
    if (notify)
        notify(d, port);
    return ret;
}

int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_t notify)
{
    unsigned long irq = spin_lock_irqsave(&d->event_lock);
    int port = get_free_port(d);

    if (port > 0) {
        d->evtchn[port].state = ECS_XEN;
        d->evtchn[port].notify_vcpu = 0;
        d->evtchn[port].u.notify = notify;
    }
    spin_unlock_irqrestore(&d->event_lock, irq);
    return port;
}

int evtchn_xen_port_release(struct domain *d, evtchn_port_t port, domid_t remote)
{
    unsigned long irq;
    int rc = -XEN_EINVAL;

    if (!port_valid(d, port))
        return rc;
    irq = spin_lock_irqsave(&d->event_lock);
    if (d->evtchn[port].state == ECS_XEN) {
        d->evtchn[port].state = ECS_UNBOUND;
        d->evtchn[port].u.remote_domid = remote;
        rc = 0;
    }
    spin_unlock_irqrestore(&d->event_lock, irq);
    return rc;
}

void evtchn_raise_xen_port(struct domain *d, evtchn_port_t port)
{
    raise_bound(d, port, ECS_XEN);
}

static long evtchn_status(struct evtchn_status *s)
{
    struct domain *d = resolve(s->dom);
    struct evtchn *c;
    unsigned long irq;

    if (!d)
        return -XEN_ESRCH;
    if (!port_valid(d, s->port)) {
        domain_put_by_id(d);
        return -XEN_EINVAL;
    }
    irq = spin_lock_irqsave(&d->event_lock);
    c = &d->evtchn[s->port];
    s->vcpu = c->notify_vcpu;
    switch (c->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        s->status = EVTCHNSTAT_closed;
        break;
    case ECS_UNBOUND:
        s->status = EVTCHNSTAT_unbound;
        s->u.unbound.dom = c->u.remote_domid;
        break;
    case ECS_INTERDOMAIN:
        s->status = EVTCHNSTAT_interdomain;
        s->u.interdomain.dom = c->u.remote.dom->domain_id;
        s->u.interdomain.port = c->u.remote.port;
        break;
    case ECS_VIRQ:
        s->status = EVTCHNSTAT_virq;
        s->u.virq = c->u.virq;
        break;
    case ECS_IPI:
        s->status = EVTCHNSTAT_ipi;
        break;
    case ECS_PIRQ:
        s->status = EVTCHNSTAT_pirq;
        s->u.pirq = c->u.pirq;
        break;
    case ECS_XEN: /* as Xen shows its own consumers' ports */
        s->status = EVTCHNSTAT_unbound;
        s->u.unbound.dom = DOMID_XEN;
        break;
    }
    spin_unlock_irqrestore(&d->event_lock, irq);
    domain_put_by_id(d);
    return 0;
}

static long evtchn_bind_vcpu(evtchn_port_t port, unsigned int vcpu)
{
    struct domain *d = current->domain;
    struct evtchn *c;
    unsigned long irq;
    long ret = 0;

    if (!port_valid(d, port))
        return -XEN_EINVAL;
    if (vcpu >= d->max_vcpus || !d->vcpu[vcpu])
        return -XEN_ENOENT;
    irq = spin_lock_irqsave(&d->event_lock);
    c = &d->evtchn[port];
    switch (c->state) {
    case ECS_VIRQ:
        if (!virq_is_global(c->u.virq)) {
            ret = -XEN_EINVAL;
            break;
        }
        /* As Xen: the binding stays vCPU 0's (send_guest_global_virq
         * looks there), only the vCPU it is delivered to changes. */
        c->notify_vcpu = (uint16_t)vcpu;
        break;
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_PIRQ: /* Linux balances its interrupts so, as on Xen */
        c->notify_vcpu = (uint16_t)vcpu;
        break;
    default:
        ret = -XEN_EINVAL;
        break;
    }
    spin_unlock_irqrestore(&d->event_lock, irq);
    return ret;
}

static long evtchn_unmask_in(struct domain *d, evtchn_port_t port)
{
    struct shared_info *si = d->shared_info;
    struct vcpu *v;

    if (!port_valid(d, port))
        return -XEN_EINVAL;
    v = d->vcpu[d->evtchn[port].notify_vcpu];
    __atomic_fetch_and(&si->evtchn_mask[port / BITS_PER_WORD], ~(1UL << (port % BITS_PER_WORD)),
                       __ATOMIC_SEQ_CST);
    if (test(&si->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD) &&
        !test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS_PER_WORD))
        vcpu_mark_events_pending(v);
    return 0;
}

static long evtchn_unmask(evtchn_port_t port)
{
    return evtchn_unmask_in(current->domain, port);
}

void evtchn_unmask_port(struct domain *d, evtchn_port_t port)
{
    evtchn_unmask_in(d, port);
}

/* EVTCHNOP_reset keeps the back-ends' ports; destruction takes them too. */
static long evtchn_reset(struct domain *d, bool with_xen)
{
    for (evtchn_port_t p = 1; p < NR_EVTCHN_PORTS; p++)
        if (d->evtchn[p].state != ECS_FREE && (with_xen || d->evtchn[p].state != ECS_XEN))
            close_port(d, p, with_xen);
    return 0;
}

void evtchn_destroy_domain(struct domain *d)
{
    if (!d->evtchn)
        return;
    evtchn_reset(d, true);
    xfree(d->evtchn);
    d->evtchn = NULL;
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    evtchn_port_t port = READ_ONCE(v->virq_to_port[virq]);

    if (port)
        evtchn_set_pending(v, port);
}

/*
 * A global VIRQ is bound through vCPU 0 and raised on the vCPU its port
 * was moved to (EVTCHNOP_bind_vcpu: Linux balances its interrupts so).
 */
void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    evtchn_port_t port;
    unsigned long irq;

    if (!d || !d->vcpu[0])
        return;
    irq = spin_lock_irqsave(&d->event_lock);
    port = d->vcpu[0]->virq_to_port[virq];
    if (port && d->evtchn && d->evtchn[port].state == ECS_VIRQ)
        evtchn_set_pending(d->vcpu[d->evtchn[port].notify_vcpu], port);
    spin_unlock_irqrestore(&d->event_lock, irq);
}

void notify_dom_exc(void)
{
    send_guest_global_virq(domain_lookup(0), VIRQ_DOM_EXC);
}

#define OP(type, var)                                                                              \
    type var;                                                                                      \
    if (copy_from_guest(&var, arg, sizeof(var)))                                                   \
    return -XEN_EFAULT

long do_event_channel_op(int cmd, guest_ptr_t arg)
{
    struct domain *d = current->domain;
    long rc;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound: {
        OP(struct evtchn_alloc_unbound, a);
        rc = evtchn_alloc_unbound(&a);
        if (!rc && copy_to_guest(arg, &a, sizeof(a)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case EVTCHNOP_bind_interdomain: {
        OP(struct evtchn_bind_interdomain, b);
        rc = evtchn_bind_interdomain(&b);
        if (!rc && copy_to_guest(arg, &b, sizeof(b)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case EVTCHNOP_bind_virq: {
        OP(struct evtchn_bind_virq, b);
        rc = evtchn_bind_virq(&b);
        if (!rc && copy_to_guest(arg, &b, sizeof(b)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case EVTCHNOP_bind_ipi: {
        OP(struct evtchn_bind_ipi, b);
        rc = evtchn_bind_ipi(&b);
        if (!rc && copy_to_guest(arg, &b, sizeof(b)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case EVTCHNOP_bind_pirq: {
        OP(struct evtchn_bind_pirq, b);
        rc = evtchn_bind_pirq(&b);
        if (!rc && copy_to_guest(arg, &b, sizeof(b)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case EVTCHNOP_close: {
        OP(struct evtchn_close, c);
        return close_port(d, c.port, false);
    }
    case EVTCHNOP_send: {
        OP(struct evtchn_send, s);
        perfc_event(current, evtchn_sends);
        return evtchn_send(d, s.port);
    }
    case EVTCHNOP_status: {
        OP(struct evtchn_status, s);
        rc = evtchn_status(&s);
        if (!rc && copy_to_guest(arg, &s, sizeof(s)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case EVTCHNOP_bind_vcpu: {
        OP(struct evtchn_bind_vcpu, b);
        return evtchn_bind_vcpu(b.port, b.vcpu);
    }
    case EVTCHNOP_unmask: {
        OP(struct evtchn_unmask, u);
        return evtchn_unmask(u.port);
    }
    case EVTCHNOP_reset: {
        OP(struct evtchn_reset, r);
        struct domain *t = resolve(r.dom);
        long rc = t ? evtchn_reset(t, false) : -XEN_ESRCH;
        domain_put_by_id(t);
        return rc;
    }
    default:
        /* FIFO ABI (init_control, expand_array, set_priority): no. */
        return -XEN_ENOSYS;
    }
}

/*
 * The form before interface 0x00030202: the command travels in the
 * argument (struct evtchn_op), ahead of the operation's own structure.
 * Old user-space builds of the Xen headers still reach it.
 */
long do_event_channel_op_compat(guest_ptr_t arg)
{
    uint32_t cmd;

    if (copy_from_guest(&cmd, arg, sizeof(cmd)))
        return -XEN_EFAULT;
    return do_event_channel_op((int)cmd, arg + __builtin_offsetof(struct evtchn_op, u));
}
