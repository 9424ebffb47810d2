/*
 * Small-object allocator.
 *
 * Requests up to XMALLOC_MAX_SMALL bytes come from power-of-two size
 * classes carved out of whole pages ("slabs"); larger ones get their own
 * block of pages. The frame of any returned pointer records which case it
 * is (page_info.tag) and the class or order (page_info.order), so xfree()
 * needs no size and no header in front of the object.
 *
 * Each slab page keeps its own free list, in its page_info.type_info
 * (unused for hypervisor pages): bits 0-15 count its free objects, bits
 * 16-31 hold the offset of the first free object (SLAB_NONE when none);
 * a free object stores the offset of the next one. Pages with free objects
 * sit on their class's partial list; a page whose objects are all free
 * again goes back to the heap, so hypervisor memory returns to the free
 * pool exactly when the objects in it are freed.
 *
 * Locking: xmalloc_lock (irqsave) guards the partial lists and slab pages.
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
#define SLAB_NONE         0xffffUL

static struct list_head partial[NR_CLASSES];
static unsigned long class_pages[NR_CLASSES], class_live[NR_CLASSES];
static unsigned long large_pages;
static bool lists_ready;
static DEFINE_SPINLOCK(xmalloc_lock);

static unsigned int size_class(size_t size)
{
    unsigned int c = 0;
    while ((1UL << (c + MIN_SHIFT)) < size)
        c++;
    return c;
}

static unsigned long slab_free(const struct page_info *pg)
{
    return pg->type_info & 0xffff;
}

static unsigned long slab_head(const struct page_info *pg)
{
    return (pg->type_info >> 16) & 0xffff;
}

static void slab_set(struct page_info *pg, unsigned long free, unsigned long head)
{
    pg->type_info = free | (head << 16);
}

static uint16_t *next_slot(char *base, unsigned long off)
{
    return (uint16_t *)(base + off);
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

/* A fresh slab page for class `c`, all objects free. Lock held. */
static struct page_info *new_slab(unsigned int c)
{
    size_t obj = 1UL << (c + MIN_SHIFT);
    unsigned long n = PAGE_SIZE / obj;
    struct page_info *pg = alloc_domheap_pages(0);
    char *base;

    if (!pg)
        return NULL;
    pg->tag = PG_TAG_XMALLOC_SLAB;
    pg->order = (uint16_t)c;
    base = mfn_to_virt(page_to_mfn(pg));
    for (unsigned long i = 0; i < n; i++)
        *next_slot(base, i * obj) = (uint16_t)(i + 1 < n ? (i + 1) * obj : SLAB_NONE);
    slab_set(pg, n, 0);
    list_add(&pg->list, &partial[c]);
    class_pages[c]++;
    return pg;
}

void *xmalloc_bytes(size_t size)
{
    unsigned int c;
    struct page_info *pg;
    unsigned long flags, off;
    char *base;

    if (size == 0)
        size = 1;
    if (size > XMALLOC_MAX_SMALL)
        return alloc_large(size);
    c = size_class(size);
    flags = spin_lock_irqsave(&xmalloc_lock);
    if (!lists_ready) {
        for (unsigned int i = 0; i < NR_CLASSES; i++)
            list_init(&partial[i]);
        lists_ready = true;
    }
    if (list_empty(&partial[c]) && !new_slab(c)) {
        spin_unlock_irqrestore(&xmalloc_lock, flags);
        return NULL;
    }
    pg = list_first_entry(&partial[c], struct page_info, list);
    base = mfn_to_virt(page_to_mfn(pg));
    off = slab_head(pg);
    ASSERT(off != SLAB_NONE && slab_free(pg) > 0);
    slab_set(pg, slab_free(pg) - 1, *next_slot(base, off));
    if (slab_free(pg) == 0)
        list_del(&pg->list);
    class_live[c]++;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return base + off;
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
    unsigned long flags, off, per_page;
    unsigned int c;
    char *base;

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
    c = pg->order;
    ASSERT(IS_ALIGNED((vaddr_t)p, 1UL << (c + MIN_SHIFT)));
    base = mfn_to_virt(page_to_mfn(pg));
    off = (unsigned long)((char *)p - base);
    per_page = PAGE_SIZE >> (c + MIN_SHIFT);

    flags = spin_lock_irqsave(&xmalloc_lock);
    *next_slot(base, off) = (uint16_t)slab_head(pg);
    slab_set(pg, slab_free(pg) + 1, off);
    class_live[c]--;
    if (slab_free(pg) == 1)
        list_add(&pg->list, &partial[c]);
    if (slab_free(pg) == per_page) {
        /* Every object is free again: the page goes back to the heap. */
        list_del(&pg->list);
        class_pages[c]--;
        pg->tag = PG_TAG_NONE;
        pg->type_info = 0;
        spin_unlock_irqrestore(&xmalloc_lock, flags);
        free_domheap_pages(pg, 0);
        return;
    }
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
