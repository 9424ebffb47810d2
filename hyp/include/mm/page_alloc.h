/*
 * The hypervisor's page allocator: one buddy heap over all free RAM,
 * behind one lock. "Xenheap" pages are returned as direct-map pointers.
 */
#ifndef PARAVANE_MM_PAGE_ALLOC_H
#define PARAVANE_MM_PAGE_ALLOC_H

#include "console.h"
#include "mm/frame.h"
#include "mm/memmap.h"

extern struct page_info *frame_table;
extern mfn_t max_mfn; /* frames in the frame table */

static inline struct page_info *mfn_to_page(mfn_t mfn)
{
    return &frame_table[mfn];
}

static inline mfn_t page_to_mfn(const struct page_info *pg)
{
    return (mfn_t)(pg - frame_table);
}

/*
 * Set up the frame table for frames [0, ram_top) (carved from `boot_free`)
 * and hand every frame still in `boot_free` to the heap. Called once, on
 * the BSP; `ram_bytes` is the firmware's RAM total, for the statistics.
 */
void page_alloc_init(struct memmap *boot_free, paddr_t ram_top, uint64_t ram_bytes);

/* 2^order contiguous frames, or NULL. */
struct page_info *alloc_domheap_pages(unsigned int order);
void free_domheap_pages(struct page_info *pg, unsigned int order);

/* The same, as direct-map pointers. */
void *alloc_xenheap_pages(unsigned int order);
void free_xenheap_pages(void *va, unsigned int order);

struct heap_stats {
    uint64_t ram_pages;  /* RAM the firmware reported */
    uint64_t heap_pages; /* frames handed to the heap */
    uint64_t free_pages; /* frames free now */
};
void heap_get_stats(struct heap_stats *s);
/* One line of totals at `lvl`; heap_dump() adds the free blocks per order. */
void heap_print_totals(enum log_level lvl);
void heap_dump(void);

#endif
