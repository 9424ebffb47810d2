/*
 * The console back-end the hypervisor runs for boot-time domUs (as Xen's
 * dom0less does): the guest writes to the `out` ring of the xencons page
 * named in its start_info and signals the event channel there; we print
 * what it wrote to the serial line, by lines with the "(dN) " prefix, and
 * signal back that the ring has room again. Input stays with dom0 (the
 * serial line's input goes to the control domain, as on Xen), so the `in`
 * ring is never filled. A toolstack console daemon replaces this for
 * domains it creates itself.
 *
 * Ownership: the back-end holds a general and a writable-type reference on
 * the ring frame from attach to detach, so whatever the guest does with
 * its memory (giving the frame back, trying to make it a page table) the
 * frame stays ours to read and write until the domain is destroyed.
 * Locking: ring->lock serialises the guest's vCPUs' notifications.
 */
#include "console.h"
#include "domain.h"
#include "event.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/page_type.h"
#include "mm/pv_mm.h"
#include "mm/xmalloc.h"
#include "spinlock.h"
#include <xen/errno.h>
#include <xen/io/console.h>

struct console_ring {
    spinlock_t lock;
    struct xencons_interface *intf; /* the guest's frame, in the direct map */
    struct page_info *pg;
    evtchn_port_t port;
};

/* The guest signalled: drain `out`, then tell it there is room. */
static void console_ring_notify(struct domain *d, evtchn_port_t port)
{
    struct console_ring *r = d->console_ring;
    struct xencons_interface *intf;
    XENCONS_RING_IDX cons, prod;
    char buf[sizeof(intf->out)];
    unsigned int n = 0;
    unsigned long irq;

    if (!r || r->port != port)
        return;
    intf = r->intf;
    irq = spin_lock_irqsave(&r->lock);
    cons = READ_ONCE(intf->out_cons);
    prod = READ_ONCE(intf->out_prod);
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* read the data after prod */
    /* The indices are the guest's: a producer more than a ring ahead
     * broke the protocol, and gets the last ring's worth printed. */
    if (prod - cons > sizeof(intf->out))
        cons = prod - (XENCONS_RING_IDX)sizeof(intf->out);
    while (cons != prod)
        buf[n++] = intf->out[MASK_XENCONS_IDX(cons++, intf->out)];
    __atomic_thread_fence(__ATOMIC_RELEASE); /* consumed before out_cons moves */
    WRITE_ONCE(intf->out_cons, cons);
    spin_unlock_irqrestore(&r->lock, irq);

    domain_console_put(d, buf, n);
    evtchn_raise_xen_port(d, port);
}

int console_ring_attach(struct domain *d, unsigned long mfn)
{
    struct console_ring *r = xzalloc(struct console_ring);
    int port, rc;

    if (!r)
        return -XEN_ENOMEM;
    spin_lock_init(&r->lock);
    r->pg = mfn_to_page(mfn);
    spin_lock(&pv_mm_lock);
    rc = get_page_and_type(r->pg, d->domain_id, PGT_writable);
    spin_unlock(&pv_mm_lock);
    if (rc) {
        xfree(r);
        return rc;
    }
    r->intf = mfn_to_virt(mfn);
    d->console_ring = r;
    port = evtchn_alloc_xen_port(d, console_ring_notify);
    if (port < 0) {
        console_ring_detach(d);
        return port;
    }
    r->port = (evtchn_port_t)port;
    return port;
}

void console_ring_detach(struct domain *d)
{
    struct console_ring *r = d->console_ring;

    if (!r)
        return;
    d->console_ring = NULL;
    spin_lock(&pv_mm_lock);
    put_page_and_type(r->pg);
    spin_unlock(&pv_mm_lock);
    xfree(r);
}
