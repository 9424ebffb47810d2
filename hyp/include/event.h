/*
 * Event channels (2-level ABI) and their delivery to vCPUs.
 *
 * Each domain has EVTCHN_2L_NR_CHANNELS ports; a port is free, reserved
 * (port 0), unbound (waiting for a given remote domain), connected to a
 * port of another (or the same) domain, bound to a VIRQ, or an IPI between
 * the domain's own vCPUs, or served by the hypervisor itself (ECS_XEN: the
 * back-ends Paravane runs for boot-time domains). Raising a port sets its bit in the shared_info
 * pending bitmap and, unless masked, the vCPU's selector and upcall flag,
 * and kicks the vCPU; the upcall itself is a bounce frame to the guest's
 * event callback on the way back to the guest.
 *
 * Locking: d->event_lock guards a domain's port table and its vCPUs'
 * virq_to_port. Two domains' locks are taken in domain-id order. Raising
 * an event takes no lock: the bits live in guest-shared memory and are
 * changed with atomic operations only.
 */
#ifndef PARAVANE_EVENT_H
#define PARAVANE_EVENT_H

#include "domain.h"

#define NR_EVTCHN_PORTS    EVTCHN_2L_NR_CHANNELS
#define NR_VIRQS_SUPPORTED 24

enum evtchn_state {
    ECS_FREE = 0,
    ECS_RESERVED,
    ECS_UNBOUND,
    ECS_INTERDOMAIN,
    ECS_VIRQ,
    ECS_IPI,
    ECS_XEN,  /* the far end is a hypervisor back-end */
    ECS_PIRQ, /* a physical interrupt of the hardware domain (pirq.h) */
};

struct domain;
/* A back-end's handler for the guest's EVTCHNOP_send on its port. */
typedef void (*evtchn_xen_notify_t)(struct domain *d, evtchn_port_t port);

struct evtchn {
    uint8_t state;
    uint16_t notify_vcpu;
    union {
        domid_t remote_domid; /* UNBOUND: who may bind to it */
        struct {
            struct domain *dom;
            evtchn_port_t port;
        } remote;                   /* INTERDOMAIN */
        uint32_t virq;              /* VIRQ */
        evtchn_xen_notify_t notify; /* XEN */
        uint32_t pirq;              /* PIRQ */
    } u;
};

/* Domain set-up and teardown (close every port, telling the far ends). */
int evtchn_init_domain(struct domain *d);
void evtchn_destroy_domain(struct domain *d);

/*
 * A port of d served by the hypervisor: the guest's sends on it call
 * `notify` (with no event lock held, on the sending vCPU). The port number
 * or -XEN_ENOSPC. It closes like any other port.
 */
int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_t notify);
/* A port of d left unbound for `remote` to bind (the builder's). */
int evtchn_alloc_unbound_for(struct domain *d, domid_t remote);
/*
 * The back-end gives its port up: it becomes unbound for `remote`, and
 * the back-end hears of the guest's sends no more. 0, or -XEN_EINVAL if
 * the port is not a hypervisor back-end's.
 */
int evtchn_xen_port_release(struct domain *d, evtchn_port_t port, domid_t remote);
/* The back-end signals the guest on such a port (ignored once closed). */
void evtchn_raise_xen_port(struct domain *d, evtchn_port_t port);

/* A pirq's interrupt arrived: raise its port (irq_pirq.c). */
void evtchn_raise_pirq(struct domain *d, evtchn_port_t port);
/* EVTCHNOP_unmask on d's behalf (PHYSDEVOP_eoi after pirq_eoi_gmfn_v2). */
void evtchn_unmask_port(struct domain *d, evtchn_port_t port);

/* Raise `virq` on vCPU v (per-vCPU VIRQs) or domain d's (global ones). */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
void send_guest_global_virq(struct domain *d, unsigned int virq);
/* Raise VIRQ_DOM_EXC in the control domain (a domain died or stopped). */
void notify_dom_exc(void);

/* Mark an upcall pending for v and wake it (event arrived). */
void vcpu_mark_events_pending(struct vcpu *v);
/* An upcall is due: an event pending, not masked, and a callback to take it. */
static inline bool event_upcall_due(const struct vcpu *v)
{
    const struct vcpu_info *vi = v->vcpu_info;

    return READ_ONCE(vi->evtchn_upcall_pending) && !READ_ONCE(vi->evtchn_upcall_mask) &&
           v->arch.event_callback_eip;
}
/* Deliver the event upcall if due (exit path, interrupts enabled). */
void pv_deliver_event_upcall(struct vcpu *v);
/* True if SCHEDOP_poll should return now for v's polled ports. */
bool evtchn_poll_ready(struct vcpu *v);

#endif
