/*
 * Frame reference counting and typing (see mm/page_type.h).
 *
 * Why two counts. A guest must never hold a writable mapping of a frame
 * the hypervisor trusts the contents of (a page table, a descriptor
 * table), and must never map a frame it does not own. The general count
 * answers "may this frame be freed?"; the type count answers "may this
 * frame change what it is used as?". Mapping a frame writable takes a
 * PGT_writable type reference; using it as an L1 table takes a PGT_l1 one;
 * both cannot be held at once. A page-table type reference is only handed
 * out after validating every entry, and validation takes the references
 * the entries need, recursively down the levels.
 *
 * Invariants (asserted where relied on):
 *  - type count > 0 with a page-table type implies PGT_validated;
 *  - a type count never exceeds the general count of the frame, since every
 *    holder of a type reference holds a general one too;
 *  - at type count 0 the type is PGT_none (devalidated eagerly).
 *
 * Pure logic over struct page_info: unit tested on the host.
 */
#include "mm/page_type.h"
#include "compiler.h"
#include <xen/errno.h>

static const struct page_type_ops *ops;

void page_type_set_ops(const struct page_type_ops *o)
{
    ops = o;
}

bool get_page(struct page_info *pg, uint32_t owner)
{
    if (page_state(pg) != PGC_state_inuse || pg->owner != owner)
        return false;
    if (page_count(pg) == PGC_count_mask)
        return false; /* would overflow */
    pg->count_info++;
    return true;
}

void put_page(struct page_info *pg)
{
    if (page_count(pg) == 0)
        __builtin_trap(); /* more puts than gets: a hypervisor bug */
    pg->count_info--;
    if (page_count(pg) == 0 && !(pg->count_info & PGC_xen_heap))
        ops->free(pg);
}

int get_page_type(struct page_info *pg, unsigned long type)
{
    unsigned long x = pg->type_info;

    if (page_type_count(pg) == PGT_count_mask)
        return -XEN_EBUSY;
    if (page_type_count(pg) > 0) {
        if ((x & PGT_type_mask) != type)
            return -XEN_EBUSY;
        pg->type_info++;
        return 0;
    }
    /* Count 0: the frame becomes `type`. A page the hypervisor shares
     * with the guest (shared_info, grant frames) is written by the
     * hypervisor behind any validation: never a table or descriptor page. */
    if ((is_pt_type(type) || type == PGT_seg_desc) && (pg->count_info & PGC_xen_heap))
        return -XEN_EINVAL;
    if (is_pt_type(type) || type == PGT_seg_desc) {
        int rc;
        /* It may still be writable in a stale TLB entry somewhere (a
         * frame that never was has a timestamp no flush is older than). */
        ops->flush_writable(pg);
        pg->type_info = type; /* count 0 during validation: no recursion on itself */
        rc = is_pt_type(type) ? ops->validate(pg, type) : 0;
        if (rc) {
            pg->type_info = PGT_none;
            return rc;
        }
        pg->type_info = type | PGT_validated | 1;
        return 0;
    }
    pg->type_info = type | 1;
    return 0;
}

void put_page_type(struct page_info *pg)
{
    unsigned long type = page_type(pg);

    if (page_type_count(pg) == 0)
        __builtin_trap();
    pg->type_info--;
    if (page_type_count(pg) > 0)
        return;
    pg->type_info = PGT_none;
    if (type == PGT_writable && ops->writable_gone)
        ops->writable_gone(pg);
    if (is_pt_type(type))
        ops->devalidate(pg, type);
}

int get_page_and_type(struct page_info *pg, uint32_t owner, unsigned long type)
{
    int rc;

    if (!get_page(pg, owner))
        return -XEN_EINVAL;
    rc = get_page_type(pg, type);
    if (rc)
        put_page(pg);
    return rc;
}

void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}

void page_assign(struct page_info *pg, uint32_t owner)
{
    pg->owner = owner;
    pg->type_info = PGT_none;
    pg->count_info = (pg->count_info & ~PGC_count_mask) | PGC_allocated | 1;
}

void page_release(struct page_info *pg)
{
    if (!(pg->count_info & PGC_allocated))
        return;
    pg->count_info &= ~PGC_allocated;
    put_page(pg);
}
