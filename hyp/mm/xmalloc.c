/*
 * Small-object allocator.
 *
 * Requests up to XMALLOC_MAX_SMALL bytes come from power-of-two size
 * classes carved out of whole pages ("slabs"); larger ones get their own
 * block of pages. The frame of any returned pointer records which case it
 * is (page_info.tag) and the class or order (page_info.order), so xfree()
 * needs no size and no header in front of the object.
 *
 * Slab pages are never returned to the heap: hypervisor objects are few and
 * long-lived, and keeping them avoids tracking per-page occupancy.
 *
 * Locking: xmalloc_lock (irqsave) guards the class free lists.
 */
#include "mm/xmalloc.h"
#include "asm/page.h"
#include "console.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "spinlock.h"

#define MIN_SHIFT         4 /* 16-byte class */
#define MAX_SHIFT         11
#define NR_CLASSES        (MAX_SHIFT - MIN_SHIFT + 1)
#define XMALLOC_MAX_SMALL (1UL << MAX_SHIFT)

struct free_obj {
    struct free_obj *next;
};

static struct free_obj *free_list[NR_CLASSES];
static unsigned long class_pages[NR_CLASSES], class_live[NR_CLASSES];
static unsigned long large_pages;
static DEFINE_SPINLOCK(xmalloc_lock);

static unsigned int size_class(size_t size)
{
    unsigned int c = 0;
    while ((1UL << (c + MIN_SHIFT)) < size)
        c++;
    return c;
}

static void *alloc_large(size_t size)
{
    unsigned int order = order_for_bytes(size);
    struct page_info *pg = alloc_domheap_pages(order);
    unsigned long flags;

    if (!pg)
        return NULL;
    pg->tag = PG_TAG_XMALLOC_LARGE;
    pg->order = (uint16_t)order;
    flags = spin_lock_irqsave(&xmalloc_lock);
    large_pages += order_pages(order);
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return mfn_to_virt(page_to_mfn(pg));
}

/* Carve a fresh page into objects of class `c`. Lock held. */
static bool refill(unsigned int c)
{
    size_t obj = 1UL << (c + MIN_SHIFT);
    struct page_info *pg = alloc_domheap_pages(0);
    char *base;

    if (!pg)
        return false;
    pg->tag = PG_TAG_XMALLOC_SLAB;
    pg->order = (uint16_t)c;
    base = mfn_to_virt(page_to_mfn(pg));
    for (size_t off = 0; off + obj <= PAGE_SIZE; off += obj) {
        struct free_obj *o = (struct free_obj *)(base + off);
        o->next = free_list[c];
        free_list[c] = o;
    }
    class_pages[c]++;
    return true;
}

void *xmalloc_bytes(size_t size)
{
    unsigned int c;
    struct free_obj *o;
    unsigned long flags;

    if (size == 0)
        size = 1;
    if (size > XMALLOC_MAX_SMALL)
        return alloc_large(size);
    c = size_class(size);
    flags = spin_lock_irqsave(&xmalloc_lock);
    if (!free_list[c] && !refill(c)) {
        spin_unlock_irqrestore(&xmalloc_lock, flags);
        return NULL;
    }
    o = free_list[c];
    free_list[c] = o->next;
    class_live[c]++;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return o;
}

void *xzalloc_bytes(size_t size)
{
    void *p = xmalloc_bytes(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void *xzalloc_array_bytes(size_t size, size_t n)
{
    if (n && size > SIZE_MAX / n)
        return NULL;
    return xzalloc_bytes(size * n);
}

void xfree(void *p)
{
    struct page_info *pg;
    unsigned long flags;

    if (!p)
        return;
    pg = mfn_to_page(virt_to_mfn(p));
    ASSERT(page_state(pg) == PGC_state_inuse);
    if (pg->tag == PG_TAG_XMALLOC_LARGE) {
        unsigned int order = pg->order;
        ASSERT(IS_ALIGNED((vaddr_t)p, PAGE_SIZE));
        pg->tag = PG_TAG_NONE;
        flags = spin_lock_irqsave(&xmalloc_lock);
        large_pages -= order_pages(order);
        spin_unlock_irqrestore(&xmalloc_lock, flags);
        free_domheap_pages(pg, order);
        return;
    }
    ASSERT(pg->tag == PG_TAG_XMALLOC_SLAB && pg->order < NR_CLASSES);
    ASSERT(IS_ALIGNED((vaddr_t)p, 1UL << (pg->order + MIN_SHIFT)));
    flags = spin_lock_irqsave(&xmalloc_lock);
    ((struct free_obj *)p)->next = free_list[pg->order];
    free_list[pg->order] = p;
    class_live[pg->order]--;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
}

void xmalloc_dump(void)
{
    printk_lvl(LOG_ERR, "xmalloc: %lu pages in large blocks\n", large_pages);
    for (unsigned int c = 0; c < NR_CLASSES; c++)
        if (class_pages[c])
            printk_lvl(LOG_ERR, "  %4lu-byte objects: %lu live, %lu slab pages\n",
                       1UL << (c + MIN_SHIFT), class_live[c], class_pages[c]);
}
