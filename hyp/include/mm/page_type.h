/*
 * Frame reference counts and types: the rules that keep a PV guest from
 * mapping what it does not own or writing its own page tables.
 *
 * Every frame has two counts (Xen's model, see the block comment of
 * mm/page_type.c):
 *   - the general count (count_info & PGC_count_mask): references that
 *     keep the frame allocated (the owner's allocation reference, every
 *     page-table entry that maps it, every base pointer and pin);
 *   - the type count (type_info & PGT_count_mask) with the type
 *     (PGT_type_mask): how many users rely on the frame being of that type
 *     (an L1 table, a writable page...). The type can change only while the
 *     type count is 0, so a frame is never a page table and writable at
 *     once.
 *
 * A page-table type is validated when its count goes 0 -> 1 (every entry
 * takes the references its level demands) and devalidated when it goes
 * back to 0 (those references are dropped), so a frame's type count is
 * also "this many users trust its entries".
 *
 * The environment (validation of entries, freeing, TLB flushes) comes in
 * through struct page_type_ops, so the rules are unit tested on the host.
 *
 * Locking: none needed by callers. Counts change by compare-and-exchange
 * (page_type.c says how a type in transition is waited for), and the
 * entries of a validated table are changed under its page lock
 * (page_lock(): a bit of type_info, held with a type reference, so the
 * table stays validated while it is locked).
 */
#ifndef PARAVANE_MM_PAGE_TYPE_H
#define PARAVANE_MM_PAGE_TYPE_H

#include "mm/frame.h"

#define PGC_allocated (1UL << 60) /* holds its owner's allocation reference */
#define PGC_xen_heap  (1UL << 59) /* a hypervisor page shared with its owner */
/*
 * On its owner's page list and counted in its tot_pages, from allocation
 * until the frame is freed: giving a frame back (decrease_reservation)
 * drops only the allocation reference, and while mappings keep the frame
 * alive it still counts against its owner's max_pages, as on Xen.
 */
#define PGC_counted    (1UL << 58)
#define PGC_count_mask 0xffffffffUL

#define PGT_type_shift 61
#define PGT_type_mask  (7UL << PGT_type_shift)
#define PGT_none       (0UL << PGT_type_shift)
#define PGT_l1         (1UL << PGT_type_shift)
#define PGT_l2         (2UL << PGT_type_shift)
#define PGT_l3         (3UL << PGT_type_shift)
#define PGT_l4         (4UL << PGT_type_shift)
#define PGT_seg_desc   (5UL << PGT_type_shift)
#define PGT_writable   (7UL << PGT_type_shift)
#define PGT_validated  (1UL << 60)
#define PGT_pinned     (1UL << 59)
#define PGT_locked     (1UL << 58) /* page_lock(): one writer of its entries */
#define PGT_count_mask 0xffffffffUL

static inline unsigned long page_type(const struct page_info *pg)
{
    return pg->type_info & PGT_type_mask;
}

static inline unsigned long page_type_count(const struct page_info *pg)
{
    return pg->type_info & PGT_count_mask;
}

static inline unsigned long page_count(const struct page_info *pg)
{
    return pg->count_info & PGC_count_mask;
}

static inline bool is_pt_type(unsigned long type)
{
    return type >= PGT_l1 && type <= PGT_l4;
}

/* Page-table level of a type (1-4), 0 for others. */
static inline unsigned int pt_level(unsigned long type)
{
    return is_pt_type(type) ? (unsigned int)(type >> PGT_type_shift) : 0;
}

struct page_type_ops {
    /*
     * Take the references every present entry of table `pg` demands
     * (level from `type`). 0 or a negative Xen errno; on error no
     * reference is left held.
     */
    int (*validate)(struct page_info *pg, unsigned long type);
    /* Drop the references validate() took. */
    void (*devalidate)(struct page_info *pg, unsigned long type);
    /* The general count reached 0: give the frame back. */
    void (*free)(struct page_info *pg);
    /*
     * The frame may have been writable in some TLB and is about to become a
     * page table: flush every TLB that may hold a writable mapping of it.
     */
    void (*flush_writable)(struct page_info *pg);
    /*
     * Its last writable type reference was dropped (every writable
     * mapping of it is gone): note when, for flush_writable. Optional.
     */
    void (*writable_gone)(struct page_info *pg);
};

void page_type_set_ops(const struct page_type_ops *ops);

/* A general reference on a frame `owner` owns. False if it is not its own. */
bool get_page(struct page_info *pg, uint32_t owner);
void put_page(struct page_info *pg);

/*
 * A type reference. The type changes (with validation for page tables)
 * only if no one holds a type reference. 0, -XEN_EBUSY (in use with
 * another type), or validate()'s error.
 */
int get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);

/* Both, in that order (and undone together). */
int get_page_and_type(struct page_info *pg, uint32_t owner, unsigned long type);
void put_page_and_type(struct page_info *pg);

/*
 * PGT_pinned, for a holder of a type reference it hands to the pin:
 * page_pin() is false (and changes nothing) if it was pinned already;
 * page_unpin() is false if it was not, and otherwise drops the pin's
 * general and type references.
 */
bool page_pin(struct page_info *pg);
bool page_unpin(struct page_info *pg);

/*
 * The entries of a validated page table, one writer at a time: false if
 * it is not (or no longer) a validated table. The lock holds a type
 * reference; page_unlock() drops it (which may devalidate the table).
 * The caller holds a general reference across (a type reference is
 * always backed by one: without it the frame could be freed under the
 * lock once its other users let go).
 * Spins with interrupts enabled: a TLB shootdown may be waiting for us.
 */
bool page_lock(struct page_info *pg);
void page_unlock(struct page_info *pg);

/* Flag bits of count_info, changed without losing a concurrent count. */
void page_flags_set(struct page_info *pg, uint64_t flags);
uint64_t page_flags_clear(struct page_info *pg, uint64_t flags); /* those that were set */

/* Give a freshly allocated frame to `owner` with its allocation reference. */
void page_assign(struct page_info *pg, uint32_t owner);
/* Drop the allocation reference (decrease_reservation, destruction):
 * false if it was gone already. */
bool page_release(struct page_info *pg);

#endif
