/*
 * The hypervisor's own page tables ("idle" tables: every CPU runs on them
 * when no guest is loaded; guest L4s will share their hypervisor slots).
 */
#ifndef PARAVANE_PAGING_H
#define PARAVANE_PAGING_H

#include "asm/page.h"
#include "mm/memmap.h"
#include "types.h"

extern paddr_t idle_pg_table_phys;

/*
 * Build the idle tables: the image at its link address and the direct map
 * of every RAM region of the firmware map `ram`, then switch this CPU to
 * them. Page-table
 * pages come from `alloc` (the boot allocator; the heap takes over with
 * paging_use_heap()).
 */
void paging_init(const struct memmap *ram, paddr_t (*alloc)(void));
void paging_use_heap(void);

/* Copy the hypervisor's L4 slots (256-271) into a guest L4. */
void paging_install_hyp_slots(pte_t *l4);

/*
 * Map [pa, pa + nr * 4K) at va in the idle tables with `flags` (PTE bits;
 * present is implied). Uses 2 MiB pages where both sides are aligned and
 * `flags` allow. Returns 0 or -XEN_ENOMEM / -XEN_EBUSY (already mapped).
 */
int map_pages(vaddr_t va, paddr_t pa, unsigned long nr, uint64_t flags);

/* Map device registers uncached / firmware tables write-back. */
void *ioremap(paddr_t pa, size_t size);
void *ioremap_cache(paddr_t pa, size_t size);

#endif
