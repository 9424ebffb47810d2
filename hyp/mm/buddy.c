/*
 * Buddy allocator: free lists per order over the frame table.
 *
 * Invariants:
 *  - A free block of order k starts at an mfn aligned to 2^k; its first
 *    frame carries PGC_buddy_head and `order` = k and sits on free[k]; every
 *    frame of the block is in state FREE.
 *  - An allocated block has every frame in state INUSE.
 *  - free_pages equals the sum over orders of 2^k times the list length.
 * Checking a whole block's state on free costs O(2^k) but catches double
 * frees and frees of a block's middle, which are hypervisor bugs worth a
 * clear error rather than a corrupted heap.
 */
#include "mm/buddy.h"
#include "compiler.h"
#include <xen/errno.h>

void buddy_init(struct buddy_heap *h, struct page_info *frames, mfn_t nr_frames)
{
    h->frames = frames;
    h->nr_frames = nr_frames;
    h->free_pages = 0;
    h->total_pages = 0;
    for (unsigned int i = 0; i <= BUDDY_MAX_ORDER; i++)
        list_init(&h->free[i]);
}

static void set_block_state(struct page_info *pg, unsigned int order, unsigned long state)
{
    for (mfn_t i = 0; i < order_pages(order); i++)
        page_set_state(&pg[i], state);
}

static void push_free(struct buddy_heap *h, struct page_info *pg, unsigned int order)
{
    pg->order = (uint16_t)order;
    pg->count_info |= PGC_buddy_head;
    list_add(&pg->list, &h->free[order]);
}

static void pop_free(struct page_info *pg)
{
    pg->count_info &= ~PGC_buddy_head;
    list_del(&pg->list);
}

/* Insert an all-FREE block, merging with free buddies. */
static void insert_block(struct buddy_heap *h, mfn_t mfn, unsigned int order)
{
    while (order < BUDDY_MAX_ORDER) {
        mfn_t b = buddy_of(mfn, order);
        struct page_info *bp;

        if (b + order_pages(order) > h->nr_frames)
            break;
        bp = &h->frames[b];
        if (!(bp->count_info & PGC_buddy_head) || bp->order != order)
            break;
        pop_free(bp);
        mfn &= ~order_pages(order);
        order++;
    }
    push_free(h, &h->frames[mfn], order);
}

int buddy_add_range(struct buddy_heap *h, mfn_t start, mfn_t end)
{
    if (start > end || end > h->nr_frames)
        return -XEN_EINVAL;
    for (mfn_t m = start; m < end; m++)
        if (page_state(&h->frames[m]) != PGC_state_reserved)
            return -XEN_EINVAL;

    while (start < end) {
        unsigned int order = 0;

        /* Largest aligned block that starts at `start` and fits. */
        while (order < BUDDY_MAX_ORDER && IS_ALIGNED(start, order_pages(order + 1)) &&
               start + order_pages(order + 1) <= end)
            order++;
        set_block_state(&h->frames[start], order, PGC_state_free);
        insert_block(h, start, order);
        h->free_pages += order_pages(order);
        h->total_pages += order_pages(order);
        start += order_pages(order);
    }
    return 0;
}

struct page_info *buddy_alloc(struct buddy_heap *h, unsigned int order)
{
    unsigned int k = order;
    struct page_info *pg;
    mfn_t mfn;

    if (order > BUDDY_MAX_ORDER)
        return NULL;
    while (k <= BUDDY_MAX_ORDER && list_empty(&h->free[k]))
        k++;
    if (k > BUDDY_MAX_ORDER)
        return NULL;

    pg = list_first_entry(&h->free[k], struct page_info, list);
    pop_free(pg);
    mfn = buddy_mfn(h, pg);
    /* Split: give back the upper halves until the block is the right size. */
    while (k > order) {
        k--;
        push_free(h, &h->frames[mfn + order_pages(k)], k);
    }
    set_block_state(pg, order, PGC_state_inuse);
    h->free_pages -= order_pages(order);
    return pg;
}

int buddy_free(struct buddy_heap *h, struct page_info *pg, unsigned int order)
{
    mfn_t mfn;

    if (order > BUDDY_MAX_ORDER || pg < h->frames || pg >= h->frames + h->nr_frames)
        return -XEN_EINVAL;
    mfn = buddy_mfn(h, pg);
    if (!IS_ALIGNED(mfn, order_pages(order)) || mfn + order_pages(order) > h->nr_frames)
        return -XEN_EINVAL;
    for (mfn_t i = 0; i < order_pages(order); i++)
        if (page_state(&pg[i]) != PGC_state_inuse)
            return -XEN_EINVAL;

    set_block_state(pg, order, PGC_state_free);
    insert_block(h, mfn, order);
    h->free_pages += order_pages(order);
    return 0;
}

unsigned long buddy_free_blocks(const struct buddy_heap *h, unsigned int order)
{
    unsigned long n = 0;
    const struct list_head *p;

    if (order > BUDDY_MAX_ORDER)
        return 0;
    list_for_each(p, &h->free[order]) n++;
    return n;
}
