/*
 * The console back-end the hypervisor runs for boot-time domUs (as Xen's
 * dom0less does): the guest writes to the `out` ring of the xencons page
 * named in its start_info and signals the event channel there; we print
 * what it wrote to the serial line, by lines with the "(dN) " prefix, and
 * signal back that the ring has room again. Input stays with dom0 (the
 * serial line's input goes to the control domain, as on Xen), so the `in`
 * ring is never filled. A toolstack console daemon replaces this for
 * domains it creates itself, and takes a boot-time domU over once dom0 is
 * up: when the control domain binds the console's port, the back-end
 * lets the port and the ring go (console_ring_handover); the daemon maps
 * the ring through the grant the builder made for it
 * (GNTTAB_RESERVED_CONSOLE) and from then on the guest talks to it.
 *
 * Ownership: the back-end holds a general and a writable-type reference on
 * the ring frame from attach to detach, so whatever the guest does with
 * its memory (giving the frame back, trying to make it a page table) the
 * frame stays ours to read and write until the domain is destroyed.
 * Locking: ring->lock serialises the guest's vCPUs' notifications and
 * the handover; rings_lock guards d->console_ring against a handover and
 * the domain's destruction racing. The structure itself stays until
 * destruction, so a notification already under way finds it (and that
 * it was handed over).
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
    struct page_info *pg;           /* NULL once handed over */
    evtchn_port_t port;
    bool handed_over; /* the control domain serves it now */
};

static DEFINE_SPINLOCK(rings_lock);

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
    if (r->handed_over) {
        spin_unlock_irqrestore(&r->lock, irq);
        return;
    }
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
    rc = get_page_and_type(r->pg, d->domain_id, PGT_writable);
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
    struct console_ring *r;
    struct page_info *pg = NULL;
    unsigned long irq = spin_lock_irqsave(&rings_lock);

    r = d->console_ring;
    d->console_ring = NULL;
    if (r)
        pg = r->pg;
    spin_unlock_irqrestore(&rings_lock, irq);
    if (!r)
        return;
    if (pg) {
        put_page_and_type(pg);
    }
    xfree(r);
}

bool console_ring_handover(struct domain *d, uint32_t port)
{
    struct console_ring *r;
    struct page_info *pg = NULL;
    unsigned long irq = spin_lock_irqsave(&rings_lock), irq2;

    r = d->console_ring;
    if (r && !r->handed_over && r->port == port && !evtchn_xen_port_release(d, port, 0)) {
        /* A notification under way finishes before this, or sees it. */
        irq2 = spin_lock_irqsave(&r->lock);
        r->handed_over = true;
        pg = r->pg;
        r->pg = NULL;
        spin_unlock_irqrestore(&r->lock, irq2);
    }
    spin_unlock_irqrestore(&rings_lock, irq);
    if (!pg)
        return false;
    put_page_and_type(pg);
    pr_info("d%u: console handed over to the control domain\n", d->domain_id);
    return true;
}
