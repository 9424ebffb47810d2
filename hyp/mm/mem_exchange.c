/*
 * XENMEM_exchange: a PV domain trades frames it holds for others, as
 * Linux's swiotlb-xen does to get machine-contiguous buffers (below an
 * address limit) that a device can reach in one DMA: it unmaps the
 * frames, hands in their mfns, and names the pfns the new extents are to
 * fill (the M2P is set for them; the mfns come back in out.extent_start).
 *
 * Every frame handed in is checked before anything changes: the caller's,
 * allocated, neither a page table nor mapped anywhere (only its
 * allocation reference left). The new extents are then allocated (an
 * exchange does not count against max_pages: as many frames go as come)
 * and the old frames given back; a shortage of memory leaves the domain
 * as it was. The whole request is done at once, so its size is bounded:
 * at most 2^MAX_EXCHANGE_ORDER frames.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "mm/memop.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "mm/xmalloc.h"
#include "percpu.h"
#include <xen/errno.h>
#include <xen/memory.h>

#define MAX_EXCHANGE_ORDER 9

static bool frame_free_to_trade(const struct domain *d, mfn_t mfn)
{
    const struct page_info *pg;

    if (mfn >= max_mfn)
        return false;
    pg = mfn_to_page(mfn);
    return pg->owner == d->domain_id && (pg->count_info & PGC_allocated) &&
           !(pg->count_info & PGC_xen_heap) && (pg->count_info & PGC_count_mask) == 1 &&
           (pg->type_info & PGT_count_mask) == 0 && !(pg->type_info & PGT_pinned);
}

/* The first few refusals are logged: a guest's swiotlb then has no buffer. */
static unsigned int refusals_told;

/* Every frame of the `in` list, checked; -EINVAL or -EFAULT if not. */
static long check_in(const struct domain *d, const struct xen_memory_reservation *in)
{
    long rc = 0;

    for (unsigned long i = 0; !rc && i < in->nr_extents; i++) {
        xen_pfn_t f;
        if (copy_from_guest(&f, (guest_ptr_t)in->extent_start.p + i * sizeof(f), sizeof(f))) {
            rc = -XEN_EFAULT;
            break;
        }
        for (unsigned long k = 0; !rc && k < order_pages(in->extent_order); k++)
            if (!frame_free_to_trade(d, f + k))
                rc = -XEN_EINVAL;
        if (rc && __atomic_fetch_add(&refusals_told, 1, __ATOMIC_RELAXED) < 4)
            pr_warn("d%u: XENMEM_exchange refused: a frame of extent %#lx is not free to trade\n",
                    d->domain_id, (unsigned long)f);
    }
    return rc;
}

/* Give the out extents back after a failure part-way. */
static void drop_out(struct domain *d, struct page_info **pg, unsigned long n, unsigned int order)
{
    for (unsigned long i = 0; i < n; i++)
        for (unsigned long k = 0; k < order_pages(order); k++)
            memop_remove_frame(d, page_to_mfn(pg[i]) + k);
}

long memory_exchange(guest_ptr_t arg)
{
    struct domain *d = current->domain;
    struct xen_memory_exchange x;
    struct page_info **out;
    unsigned long n, limit;
    unsigned int bits;
    long rc;

    if (copy_from_guest(&x, arg, sizeof(x)))
        return -XEN_EFAULT;
    if (x.in.extent_order > MAX_EXCHANGE_ORDER || x.out.extent_order > MAX_EXCHANGE_ORDER ||
        x.in.nr_extents > (1ul << MAX_EXCHANGE_ORDER) ||
        x.out.nr_extents > (1ul << MAX_EXCHANGE_ORDER) ||
        (x.in.nr_extents << x.in.extent_order) != (x.out.nr_extents << x.out.extent_order) ||
        (x.in.nr_extents << x.in.extent_order) > (1ul << MAX_EXCHANGE_ORDER) || x.nr_exchanged)
        return -XEN_EINVAL;
    if ((x.in.domid != DOMID_SELF && x.in.domid != d->domain_id) ||
        (x.out.domid != DOMID_SELF && x.out.domid != d->domain_id))
        return -XEN_EPERM;
    bits = XENMEMF_get_address_bits(x.out.mem_flags);
    limit = bits && bits < 64 ? 1ul << bits : 0;
    rc = check_in(d, &x.in);
    if (rc)
        return rc;
    out = xzalloc_array(struct page_info *, x.out.nr_extents ? x.out.nr_extents : 1);
    if (!out)
        return -XEN_ENOMEM;

    for (n = 0; n < x.out.nr_extents; n++) {
        guest_ptr_t slot = (guest_ptr_t)x.out.extent_start.p + n * sizeof(xen_pfn_t);
        xen_pfn_t pfn;
        if (copy_from_guest(&pfn, slot, sizeof(pfn))) {
            rc = -XEN_EFAULT;
            break;
        }
        out[n] = memop_alloc_extent(d, x.out.extent_order, pfn, true);
        if (!out[n]) {
            rc = -XEN_ENOMEM;
            break;
        }
        if (limit &&
            ((page_to_mfn(out[n]) + order_pages(x.out.extent_order)) << PAGE_SHIFT) > limit) {
            n++;
            rc = -XEN_ENOMEM; /* nothing here allocates below a limit */
            break;
        }
    }
    if (rc) {
        drop_out(d, out, n, x.out.extent_order);
        xfree(out);
        return rc;
    }
    /* The frames traded in go; the new ones are the guest's. */
    for (unsigned long i = 0; i < x.in.nr_extents; i++) {
        xen_pfn_t f = 0;
        copy_from_guest(&f, (guest_ptr_t)x.in.extent_start.p + i * sizeof(f), sizeof(f));
        for (unsigned long k = 0; k < order_pages(x.in.extent_order); k++)
            memop_remove_frame(d, f + k);
    }
    for (n = 0; n < x.out.nr_extents && !rc; n++) {
        xen_pfn_t mfn = page_to_mfn(out[n]);
        if (copy_to_guest((guest_ptr_t)x.out.extent_start.p + n * sizeof(mfn), &mfn, sizeof(mfn)))
            rc = -XEN_EFAULT;
    }
    xfree(out);
    if (rc)
        return rc;
    x.nr_exchanged = x.in.nr_extents;
    return copy_to_guest(arg, &x, sizeof(x)) ? -XEN_EFAULT : 0;
}
