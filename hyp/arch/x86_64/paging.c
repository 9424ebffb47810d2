/*
 * The hypervisor's own page tables.
 *
 * Built once on the BSP from the boot allocator, then shared by every CPU.
 * Only hypervisor slots (HYP_VIRT_START..HYP_VIRT_END) are populated, so
 * the same L3 tables can later be linked into every guest L4.
 *
 * Locking: map_pages() is used at boot (BSP alone) and by ioremap(); a
 * single lock serialises changes to the tables.
 */
#include "paging.h"
#include "asm/processor.h"
#include "console.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "spinlock.h"
#include <xen/errno.h>

paddr_t idle_pg_table_phys;
static pte_t *idle_l4;
static paddr_t (*pt_alloc)(void);
static DEFINE_SPINLOCK(map_lock);
static vaddr_t ioremap_next = IOREMAP_VIRT_START;
static uint64_t nx_mask; /* _PAGE_NX when EFER.NXE is on, else 0 (reserved bit) */

extern char __image_start[], __image_end[];

#define PTE_TABLE (_PAGE_PRESENT | _PAGE_RW)

paddr_t __pa(const void *va)
{
    vaddr_t v = (vaddr_t)va;

    if (v >= DIRECTMAP_VIRT_START && v < DIRECTMAP_VIRT_END)
        return v - DIRECTMAP_VIRT_START;
    ASSERT(v >= (vaddr_t)__image_start && v < (vaddr_t)__image_end);
    return v - HYP_IMAGE_OFFSET;
}

static paddr_t heap_pt_alloc(void)
{
    void *p = alloc_xenheap_pages(0);
    return p ? __pa(p) : 0;
}

/*
 * The next-level table under `e`, allocating it when `e` is empty. `user`
 * marks the path guest-readable (the M2P): the leaves decide writability.
 */
static pte_t *next_table(pte_t *e, bool user)
{
    paddr_t pa;

    if (*e & _PAGE_PRESENT) {
        ASSERT(!(*e & _PAGE_PSE));
        if (user)
            *e |= _PAGE_USER;
        return __va(pte_addr(*e));
    }
    pa = pt_alloc();
    if (!pa)
        return NULL;
    memset(__va(pa), 0, PAGE_SIZE);
    *e = pa | PTE_TABLE | (user ? _PAGE_USER : 0);
    return __va(pa);
}

static int map_one(vaddr_t va, paddr_t pa, uint64_t flags, bool large)
{
    pte_t *l3, *l2, *l1;

    bool user = flags & _PAGE_USER;

    flags &= ~_PAGE_NX | nx_mask;
    l3 = next_table(&idle_l4[PT_INDEX(va, 4)], user);
    if (!l3)
        return -XEN_ENOMEM;
    l2 = next_table(&l3[PT_INDEX(va, 3)], user);
    if (!l2)
        return -XEN_ENOMEM;
    if (large) {
        if (l2[PT_INDEX(va, 2)] & _PAGE_PRESENT)
            return -XEN_EBUSY;
        l2[PT_INDEX(va, 2)] = pa | flags | _PAGE_PRESENT | _PAGE_PSE;
        return 0;
    }
    l1 = next_table(&l2[PT_INDEX(va, 2)], user);
    if (!l1)
        return -XEN_ENOMEM;
    if (l1[PT_INDEX(va, 1)] & _PAGE_PRESENT)
        return -XEN_EBUSY;
    l1[PT_INDEX(va, 1)] = pa | flags | _PAGE_PRESENT;
    return 0;
}

int map_pages(vaddr_t va, paddr_t pa, unsigned long nr, uint64_t flags)
{
    const unsigned long large = 1UL << PAGETABLE_ORDER;
    unsigned long irq = spin_lock_irqsave(&map_lock);
    int rc = 0;

    while (nr && !rc) {
        /* Large pages only where both sides are aligned and nothing small
         * is mapped there already. */
        bool big = nr >= large && IS_ALIGNED(va | pa, large * PAGE_SIZE) && !(flags & _PAGE_PCD);
        if (big) {
            bool user = flags & _PAGE_USER;
            pte_t *l3 = next_table(&idle_l4[PT_INDEX(va, 4)], user);
            pte_t *l2 = l3 ? next_table(&l3[PT_INDEX(va, 3)], user) : NULL;
            big = l2 && !(l2[PT_INDEX(va, 2)] & _PAGE_PRESENT);
        }
        rc = map_one(va, pa, flags, big);
        va += (big ? large : 1) * PAGE_SIZE;
        pa += (big ? large : 1) * PAGE_SIZE;
        nr -= big ? large : 1;
    }
    spin_unlock_irqrestore(&map_lock, irq);
    return rc;
}

void paging_init(const struct memmap *ram, paddr_t (*alloc)(void))
{
    paddr_t img = (paddr_t)__image_start - HYP_IMAGE_OFFSET;
    unsigned long img_pages = PFN_UP((vaddr_t)__image_end - (vaddr_t)__image_start);
    int rc;

    pt_alloc = alloc;
    nx_mask = (rdmsr(MSR_EFER) & EFER_NXE) ? _PAGE_NX : 0;
    idle_pg_table_phys = pt_alloc();
    if (!idle_pg_table_phys)
        panic("paging: no memory for the idle page table");
    idle_l4 = __va(idle_pg_table_phys);
    memset(idle_l4, 0, PAGE_SIZE);

    rc = map_pages((vaddr_t)__image_start, img, img_pages, _PAGE_RW | _PAGE_GLOBAL);
    /* The first MiB holds firmware data (EBDA, BIOS tables) read at boot. */
    if (!rc)
        rc = map_pages(DIRECTMAP_VIRT_START, 0, PFN_DOWN(MiB(1)), _PAGE_RW | _PAGE_NX);
    for (unsigned int i = 0; i < ram->nr && !rc; i++) {
        paddr_t s = MAX(PAGE_ALIGN(ram->r[i].start), MiB(1)), e = ram->r[i].end & PAGE_MASK;
        if (ram->r[i].type == MEM_RAM && e > s)
            rc = map_pages(DIRECTMAP_VIRT_START + s, s, PFN_DOWN(e - s),
                           _PAGE_RW | _PAGE_NX | _PAGE_GLOBAL);
    }
    if (rc)
        panic("paging: cannot build the direct map (%d)", rc);
    write_cr3(idle_pg_table_phys);
}

void paging_install_hyp_slots(pte_t *l4)
{
    for (unsigned int i = L4_SLOT(HYP_VIRT_START); i < L4_SLOT(HYP_VIRT_END); i++)
        l4[i] = idle_l4[i];
}

void paging_use_heap(void)
{
    pt_alloc = heap_pt_alloc;
}

static void *ioremap_flags(paddr_t pa, size_t size, uint64_t flags)
{
    paddr_t base = pa & PAGE_MASK;
    unsigned long nr = PFN_UP(pa + size - base);
    vaddr_t va;
    unsigned long irq = spin_lock_irqsave(&map_lock);

    va = ioremap_next;
    if (va + nr * PAGE_SIZE > IOREMAP_VIRT_END) {
        spin_unlock_irqrestore(&map_lock, irq);
        return NULL;
    }
    ioremap_next += nr * PAGE_SIZE;
    spin_unlock_irqrestore(&map_lock, irq);
    if (map_pages(va, base, nr, flags))
        return NULL;
    return (void *)(va + (pa - base));
}

void *ioremap(paddr_t pa, size_t size)
{
    return ioremap_flags(pa, size, _PAGE_RW | _PAGE_PCD | _PAGE_PWT | _PAGE_NX);
}

void *ioremap_cache(paddr_t pa, size_t size)
{
    return ioremap_flags(pa, size, _PAGE_NX);
}
