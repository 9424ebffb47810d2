/*
 * memory_op's frame helpers, shared by the reservation calls
 * (memory_op.c) and XENMEM_exchange (mem_exchange.c).
 */
#ifndef PARAVANE_MM_MEMOP_H
#define PARAVANE_MM_MEMOP_H

#include "hypercall.h"
#include "types.h"

struct domain;
struct page_info;

/*
 * Allocate one extent of 2^order frames for d, their M2P set to `pfn`+i
 * (or invalid), counted in tot_pages within max_pages -- unless it is an
 * exchange's, whose frames replace as many the domain gives back.
 */
struct page_info *memop_alloc_extent(struct domain *d, unsigned int order, unsigned long pfn,
                                     bool in_exchange);
/*
 * Give back one frame the domain owns (decrease_reservation): its pin and
 * allocation reference go. Mappings (its own, or grant users') may keep it
 * alive; until the last goes it stays d's and counted against max_pages
 * (domain_page_freed() uncounts it), so a guest cannot grow past its limit
 * by mapping, giving back and asking again.
 */
int memop_remove_frame(struct domain *d, mfn_t mfn);

/* XENMEM_exchange. */
long memory_exchange(guest_ptr_t arg);

#endif
