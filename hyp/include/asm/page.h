/*
 * x86-64 page-table entry format and the direct-map conversions.
 */
#ifndef PARAVANE_ASM_PAGE_H
#define PARAVANE_ASM_PAGE_H

#include "asm/layout.h"
#include "types.h"

#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_USER     0x004UL
#define _PAGE_PWT      0x008UL
#define _PAGE_PCD      0x010UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL
#define _PAGE_PSE      0x080UL
#define _PAGE_GLOBAL   0x100UL
#define _PAGE_NX       (1UL << 63)

#define PADDR_BITS    52
#define PTE_ADDR_MASK (((1UL << PADDR_BITS) - 1) & PAGE_MASK)

#define PAGETABLE_ORDER    9
#define L1_PAGETABLE_SHIFT 12
#define L2_PAGETABLE_SHIFT 21
#define L3_PAGETABLE_SHIFT 30
#define L4_PAGETABLE_SHIFT 39
#define PT_INDEX(va, lvl)  (((va) >> (12 + 9 * ((lvl)-1))) & 511)

typedef uint64_t pte_t;

static inline paddr_t pte_addr(pte_t e)
{
    return e & PTE_ADDR_MASK;
}

/* Direct-map conversions: valid for any machine address the map covers. */
static inline void *__va(paddr_t pa)
{
    return (void *)(pa + DIRECTMAP_VIRT_START);
}

paddr_t __pa(const void *va);

static inline mfn_t virt_to_mfn(const void *va)
{
    return __pa(va) >> PAGE_SHIFT;
}

static inline void *mfn_to_virt(mfn_t mfn)
{
    return __va(mfn << PAGE_SHIFT);
}

#endif
