/*
 * The hypervisor heap: the frame table and one buddy heap over it.
 *
 * Locking: heap_lock (irqsave) guards the buddy heap and the state bits of
 * every free frame. A frame handed out belongs to the caller.
 */
#include "mm/page_alloc.h"
#include "asm/page.h"
#include "console.h"
#include "lib.h"
#include "mm/buddy.h"
#include "spinlock.h"

struct page_info *frame_table;
mfn_t max_mfn;

static struct buddy_heap heap;
static DEFINE_SPINLOCK(heap_lock);
static uint64_t ram_pages;

void page_alloc_init(struct memmap *boot_free, paddr_t ram_top, uint64_t ram_bytes)
{
    size_t ft_bytes;
    paddr_t ft;

    max_mfn = PFN_DOWN(ram_top);
    ft_bytes = PAGE_ALIGN(max_mfn * sizeof(struct page_info));
    ft = memmap_alloc(boot_free, ft_bytes, PAGE_SIZE, GiB(4));
    if (!ft)
        panic("mm: no room for a %lu KiB frame table", ft_bytes >> 10);
    frame_table = __va(ft);
    memset(frame_table, 0, ft_bytes); /* every frame RESERVED, no owner */
    for (mfn_t m = 0; m < max_mfn; m++)
        frame_table[m].owner = DOMID_INVALID_OWNER;

    buddy_init(&heap, frame_table, max_mfn);
    for (unsigned int i = 0; i < boot_free->nr; i++) {
        int rc =
            buddy_add_range(&heap, PFN_DOWN(boot_free->r[i].start), PFN_DOWN(boot_free->r[i].end));
        if (rc)
            panic("mm: cannot add %#lx-%#lx to the heap (%d)", boot_free->r[i].start,
                  boot_free->r[i].end, rc);
    }
    boot_free->nr = 0; /* the heap owns those frames now */
    ram_pages = PFN_DOWN(ram_bytes);
    pr_info("mm: frame table of %lu frames (%lu KiB) at %#lx\n", max_mfn, ft_bytes >> 10, ft);
}

struct page_info *alloc_domheap_pages(unsigned int order)
{
    unsigned long flags = spin_lock_irqsave(&heap_lock);
    struct page_info *pg = buddy_alloc(&heap, order);
    spin_unlock_irqrestore(&heap_lock, flags);
    return pg;
}

void free_domheap_pages(struct page_info *pg, unsigned int order)
{
    unsigned long flags = spin_lock_irqsave(&heap_lock);
    int rc = buddy_free(&heap, pg, order);
    spin_unlock_irqrestore(&heap_lock, flags);
    if (rc)
        panic("mm: bad free of mfn %#lx order %u (double free?)", page_to_mfn(pg), order);
}

void *alloc_xenheap_pages(unsigned int order)
{
    struct page_info *pg = alloc_domheap_pages(order);
    return pg ? mfn_to_virt(page_to_mfn(pg)) : NULL;
}

void free_xenheap_pages(void *va, unsigned int order)
{
    if (va)
        free_domheap_pages(mfn_to_page(virt_to_mfn(va)), order);
}

void heap_get_stats(struct heap_stats *s)
{
    unsigned long flags = spin_lock_irqsave(&heap_lock);
    s->ram_pages = ram_pages;
    s->heap_pages = heap.total_pages;
    s->free_pages = heap.free_pages;
    spin_unlock_irqrestore(&heap_lock, flags);
}

void heap_print_totals(enum log_level lvl)
{
    struct heap_stats s;

    heap_get_stats(&s);
    printk_lvl(lvl, "memory: %lu MiB RAM, %lu MiB in the heap, %lu MiB free, %lu MiB used\n",
               s.ram_pages >> 8, s.heap_pages >> 8, s.free_pages >> 8,
               (s.ram_pages - s.free_pages) >> 8);
}

void heap_dump(void)
{
    heap_print_totals(LOG_ERR);
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        unsigned long flags = spin_lock_irqsave(&heap_lock);
        unsigned long n = buddy_free_blocks(&heap, o);
        spin_unlock_irqrestore(&heap_lock, flags);
        if (n)
            printk_lvl(LOG_ERR, "  order %2u: %lu free blocks\n", o, n);
    }
}
