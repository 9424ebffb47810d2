/*
 * The memory_op hypercall: a PV domain's view of memory (its pseudo-
 * physical map, the machine map for dom0, the M2P's location) and the
 * reservation operations that grow and shrink it within max_pages.
 *
 * For PV guests frame numbers in these calls are machine frames, except
 * populate_physmap's input, which names the guest pfns to fill (Xen's
 * rules, memory.h).
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm/memop.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "multiboot.h"
#include "percpu.h"
#include <xen/errno.h>
#include <xen/memory.h>

#define MEMOP_EXTENT_SHIFT 6 /* cmd bits above this: the extent to resume at */
#define MEMOP_CMD_MASK     ((1u << MEMOP_EXTENT_SHIFT) - 1)
#define MAX_EXTENT_ORDER   9

struct e820entry {
    uint64_t addr, size;
    uint32_t type;
} __packed;

/*
 * The domain a request names: DOMID_SELF, or any for privileged callers,
 * held until domain_put_by_id().
 */
static struct domain *target_domain(domid_t id)
{
    struct domain *cur = current->domain;

    if (id != DOMID_SELF && id != cur->domain_id && !cur->is_privileged)
        return NULL;
    return domain_get_by_id(id);
}

static long read_domid(guest_ptr_t arg, struct domain **d)
{
    domid_t id;

    if (copy_from_guest(&id, arg, sizeof(id)))
        return -XEN_EFAULT;
    *d = target_domain(id);
    return *d ? 0 : -XEN_ESRCH;
}

struct page_info *memop_alloc_extent(struct domain *d, unsigned int order, unsigned long pfn,
                                     bool in_exchange)
{
    struct page_info *pg;
    unsigned long irq;

    irq = spin_lock_irqsave(&d->lock);
    if (!in_exchange && d->tot_pages + order_pages(order) > d->max_pages) {
        spin_unlock_irqrestore(&d->lock, irq);
        return NULL;
    }
    d->tot_pages += order_pages(order);
    spin_unlock_irqrestore(&d->lock, irq);

    pg = alloc_domheap_pages(order);
    if (!pg) {
        irq = spin_lock_irqsave(&d->lock);
        d->tot_pages -= order_pages(order);
        spin_unlock_irqrestore(&d->lock, irq);
        return NULL;
    }
    irq = spin_lock_irqsave(&d->lock);
    for (unsigned long i = 0; i < order_pages(order); i++) {
        clear_page(mfn_to_virt(page_to_mfn(pg + i)));
        page_assign(pg + i, d->domain_id);
        page_flags_set(&pg[i], PGC_counted);
        m2p_set(page_to_mfn(pg + i), pfn == M2P_INVALID ? M2P_INVALID : pfn + i);
        list_add_tail(&pg[i].list, &d->page_list);
    }
    if (pfn != M2P_INVALID && pfn + order_pages(order) - 1 > d->max_gpfn)
        d->max_gpfn = pfn + order_pages(order) - 1;
    spin_unlock_irqrestore(&d->lock, irq);
    return pg;
}

int memop_remove_frame(struct domain *d, mfn_t mfn)
{
    struct page_info *pg;

    if (mfn >= max_mfn)
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    /* Held while it goes: its owner cannot change under the look. */
    if (!get_page(pg, d->domain_id))
        return -XEN_EINVAL;
    if (!(pg->count_info & PGC_allocated) || (pg->count_info & PGC_xen_heap)) {
        put_page(pg);
        return -XEN_EINVAL;
    }
    page_unpin(pg);
    m2p_set(mfn, M2P_INVALID);
    /* Freed now (by our put), or when the last mapping of it goes. */
    page_release(pg);
    put_page(pg);
    return 0;
}

static long reservation_extents(unsigned int cmd, unsigned long start,
                                const struct xen_memory_reservation *r, struct domain *d)
{
    unsigned long i;

    for (i = start; i < r->nr_extents; i++) {
        guest_ptr_t slot = (guest_ptr_t)r->extent_start.p + i * sizeof(xen_pfn_t);
        xen_pfn_t f = 0;

        if (r->extent_start.p && copy_from_guest(&f, slot, sizeof(f)))
            return i ? (long)i : -XEN_EFAULT;
        if (cmd == XENMEM_decrease_reservation) {
            for (unsigned long k = 0; k < order_pages(r->extent_order); k++)
                if (memop_remove_frame(d, f + k))
                    return (long)i;
        } else {
            unsigned long pfn = cmd == XENMEM_populate_physmap ? f : M2P_INVALID;
            struct page_info *pg;

            if (cmd == XENMEM_populate_physmap && !r->extent_start.p)
                return -XEN_EINVAL;
            pg = memop_alloc_extent(d, r->extent_order, pfn, false);
            if (!pg)
                return (long)i;
            f = page_to_mfn(pg);
            if (r->extent_start.p && copy_to_guest(slot, &f, sizeof(f)))
                return (long)i;
        }
    }
    return (long)i;
}

static long reservation_op(unsigned int cmd, unsigned long start, guest_ptr_t arg)
{
    struct xen_memory_reservation r;
    struct domain *d;
    long rc;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return -XEN_EFAULT;
    if (r.extent_order > MAX_EXTENT_ORDER)
        return -XEN_EINVAL;
    d = target_domain(r.domid);
    if (!d)
        return -XEN_ESRCH;
    rc = reservation_extents(cmd, start, &r, d);
    domain_put_by_id(d);
    return rc;
}

static long memory_map(guest_ptr_t arg, bool machine)
{
    struct xen_memory_map m;
    struct e820entry e;
    const struct memmap *fw = &boot_info.fw_map;
    unsigned int n = 0;

    if (copy_from_guest(&m, arg, sizeof(m)))
        return -XEN_EFAULT;
    if (machine) {
        if (!current->domain->is_privileged)
            return -XEN_EPERM;
        for (; n < fw->nr && n < m.nr_entries; n++) {
            e.addr = fw->r[n].start;
            e.size = fw->r[n].end - fw->r[n].start;
            e.type = fw->r[n].type;
            if (copy_to_guest((guest_ptr_t)m.buffer.p + n * sizeof(e), &e, sizeof(e)))
                return -XEN_EFAULT;
        }
    } else {
        /* A PV domain's pseudo-physical memory: one RAM range, no holes. */
        if (m.nr_entries < 1)
            return -XEN_EINVAL;
        e.addr = 0;
        e.size = (uint64_t)current->domain->max_pages << PAGE_SHIFT;
        e.type = MEM_RAM;
        if (copy_to_guest((guest_ptr_t)m.buffer.p, &e, sizeof(e)))
            return -XEN_EFAULT;
        n = 1;
    }
    m.nr_entries = n;
    return copy_to_guest(arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
}

static long machphys_mfn_list(guest_ptr_t arg)
{
    struct xen_machphys_mfn_list l;
    mfn_t base = virt_to_mfn((void *)m2p_table());
    unsigned long chunks = (m2p_entries() * sizeof(unsigned long) + MiB(2) - 1) / MiB(2);
    unsigned int n;

    if (copy_from_guest(&l, arg, sizeof(l)))
        return -XEN_EFAULT;
    for (n = 0; n < l.max_extents && n < chunks; n++) {
        xen_pfn_t f = base + n * (MiB(2) >> PAGE_SHIFT);
        if (copy_to_guest((guest_ptr_t)l.extent_start.p + n * sizeof(f), &f, sizeof(f)))
            return -XEN_EFAULT;
    }
    l.nr_extents = n;
    return copy_to_guest(arg, &l, sizeof(l)) ? -XEN_EFAULT : 0;
}

/*
 * XENMEM_add_to_physmap and _batch: a translated (HVM) guest's way to put
 * a grant or status frame (XENMAPIDX_grant_table_status), shared_info or
 * another domain's frame at a pfn of its choosing. Every domain here is
 * PV, whose pfns are machine frames it maps itself: Xen answers such a
 * domain -EACCES, after its checks of the request, in this order.
 */
static long add_to_physmap(unsigned int cmd, unsigned long start, guest_ptr_t arg)
{
    struct xen_add_to_physmap xatp;
    struct xen_add_to_physmap_batch xatpb;
    domid_t id;
    struct domain *d;

    if (start != (uint16_t)start) /* the continuation's index is a 16-bit size */
        return -XEN_EDOM;
    if (cmd == XENMEM_add_to_physmap) {
        if (copy_from_guest(&xatp, arg, sizeof(xatp)))
            return -XEN_EFAULT;
        if (xatp.space == XENMAPSPACE_gmfn_foreign) /* the batch's only */
            return -XEN_ENOSYS;
        id = xatp.domid;
    } else {
        if (copy_from_guest(&xatpb, arg, sizeof(xatpb)))
            return -XEN_EFAULT;
        if (xatpb.space == XENMAPSPACE_gmfn_range)
            return -XEN_EOPNOTSUPP;
        id = xatpb.domid;
    }
    d = domain_get_by_id(id);
    if (!d)
        return -XEN_ESRCH;
    domain_put_by_id(d);
    return -XEN_EACCES; /* not a translated domain */
}

long do_memory_op(int op, guest_ptr_t arg)
{
    unsigned int cmd = (unsigned int)op & MEMOP_CMD_MASK;
    unsigned long start = (unsigned int)op >> MEMOP_EXTENT_SHIFT;
    struct domain *d;
    long rc;

    switch (cmd) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(cmd, start, arg);
    case XENMEM_exchange:
        return memory_exchange(arg);
    case XENMEM_maximum_ram_page:
        return (long)max_mfn;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        if ((rc = read_domid(arg, &d)))
            return rc;
        rc = (long)(cmd == XENMEM_current_reservation   ? d->tot_pages
                    : cmd == XENMEM_maximum_reservation ? d->max_pages
                                                        : d->max_gpfn);
        domain_put_by_id(d);
        return rc;
    case XENMEM_machphys_mapping: {
        struct xen_machphys_mapping m = {
            .v_start = MACH2PHYS_VIRT_START,
            .v_end = MACH2PHYS_VIRT_START + PAGE_ALIGN(m2p_entries() * sizeof(unsigned long)),
            .max_mfn = m2p_entries() - 1,
        };
        return copy_to_guest(arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
    }
    case XENMEM_machphys_mfn_list:
        return machphys_mfn_list(arg);
    case XENMEM_memory_map:
        return memory_map(arg, false);
    case XENMEM_machine_memory_map:
        return memory_map(arg, true);
    case XENMEM_add_to_physmap:
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap(cmd, start, arg);
    case XENMEM_acquire_resource:
        /* No resource can be mapped this way here: Xen's answer for a
         * type it lacks, on which libxc maps a grant table the older way
         * (setup_table, then the frame by number). */
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_ENOSYS;
    }
}
