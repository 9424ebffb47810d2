/*
 * Buddy allocator over a frame table.
 *
 * The heap never touches the memory it manages: all its state lives in the
 * page_info descriptors (free lists, order, state), so it runs unchanged in
 * host unit tests over a synthetic frame table.
 *
 * Blocks of 2^order frames are naturally aligned. Freeing a block merges it
 * with its buddy while the buddy is a free block of the same order.
 *
 * Locking: none inside; the caller serialises (the hypervisor's heap lock in
 * page_alloc.c).
 */
#ifndef PARAVANE_MM_BUDDY_H
#define PARAVANE_MM_BUDDY_H

#include "mm/frame.h"

#define BUDDY_MAX_ORDER 18 /* largest block: 1 GiB */

struct buddy_heap {
    struct page_info *frames; /* frame table; index = mfn */
    mfn_t nr_frames;
    struct list_head free[BUDDY_MAX_ORDER + 1];
    unsigned long free_pages;
    unsigned long total_pages; /* frames ever added with buddy_add_range */
};

void buddy_init(struct buddy_heap *h, struct page_info *frames, mfn_t nr_frames);

/*
 * Hand frames [start, end) to the heap. They must be RESERVED.
 * Returns 0, or -XEN_EINVAL for an out-of-range or non-reserved frame (then
 * nothing was added).
 */
int buddy_add_range(struct buddy_heap *h, mfn_t start, mfn_t end);

/* Allocate 2^order contiguous, aligned frames; NULL when none is free. */
struct page_info *buddy_alloc(struct buddy_heap *h, unsigned int order);

/*
 * Free a block previously returned by buddy_alloc with the same order.
 * Returns 0, or -XEN_EINVAL when the block is not a whole in-use block:
 * a double free, a misaligned head, or an order beyond the heap.
 */
int buddy_free(struct buddy_heap *h, struct page_info *pg, unsigned int order);

static inline mfn_t buddy_mfn(const struct buddy_heap *h, const struct page_info *pg)
{
    return (mfn_t)(pg - h->frames);
}

/* Free blocks per order, for the 'm' debug key and tests. */
unsigned long buddy_free_blocks(const struct buddy_heap *h, unsigned int order);

#endif
