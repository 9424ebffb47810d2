/*
 * The frame table: one `struct page_info` per machine frame, indexed by
 * machine frame number (mfn), covering every frame from 0 to max_mfn
 * whether RAM or not.
 *
 * count_info holds the frame's allocation state in its top bits; the rest
 * of count_info and all of type_info are reserved for the PV MMU's general
 * and type reference counts (see the PV memory design), so the layout is
 * fixed here once.
 *
 * State transitions (all under the heap lock):
 *   RESERVED -> FREE      boot: the frame is RAM the allocator may hand out
 *   FREE     -> INUSE     allocation
 *   INUSE    -> FREE      release
 * A RESERVED frame (firmware, the hypervisor image, holes) never changes.
 */
#ifndef PARAVANE_MM_FRAME_H
#define PARAVANE_MM_FRAME_H

#include "list.h"
#include "types.h"

struct page_info {
    struct list_head list; /* heap free list, or the owner's page list */
    uint64_t count_info;   /* PGC_state_* | flags | general refcount */
    uint64_t type_info;    /* page type | type refcount (PV MMU) */
    uint32_t owner;        /* owning domain id; DOMID_INVALID_OWNER if none */
    uint16_t order;        /* FREE head: order of the free block */
    uint16_t tag;          /* INUSE by the hypervisor: who holds it (PG_TAG_*) */
    /* Flush-clock tick when its last writable mapping went (mm/tlbflush.h). */
    uint64_t tlbflush_timestamp;
};

#define PGC_STATE_SHIFT    62
#define PGC_STATE_MASK     (3UL << PGC_STATE_SHIFT)
#define PGC_state_reserved (0UL << PGC_STATE_SHIFT)
#define PGC_state_free     (1UL << PGC_STATE_SHIFT)
#define PGC_state_inuse    (2UL << PGC_STATE_SHIFT)
/* Free frame heading a free block (as opposed to a frame inside one). */
#define PGC_buddy_head (1UL << 61)

#define DOMID_INVALID_OWNER 0xffffffffU

enum page_tag {
    PG_TAG_NONE = 0,
    PG_TAG_XMALLOC_LARGE, /* order-N block behind one xmalloc() */
    PG_TAG_XMALLOC_SLAB,  /* carved into small objects */
};

static inline unsigned long page_state(const struct page_info *pg)
{
    return pg->count_info & PGC_STATE_MASK;
}

static inline void page_set_state(struct page_info *pg, unsigned long state)
{
    pg->count_info = (pg->count_info & ~(PGC_STATE_MASK | PGC_buddy_head)) | state;
}

/* Pages per block of the given order, and block alignment arithmetic. */
static inline mfn_t order_pages(unsigned int order)
{
    return (mfn_t)1 << order;
}

static inline mfn_t buddy_of(mfn_t mfn, unsigned int order)
{
    return mfn ^ order_pages(order);
}

/* Smallest order whose block holds `bytes`. */
static inline unsigned int order_for_bytes(uint64_t bytes)
{
    unsigned int order = 0;
    while ((PAGE_SIZE << order) < bytes)
        order++;
    return order;
}

#endif
