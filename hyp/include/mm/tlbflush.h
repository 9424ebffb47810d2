/*
 * TLB flushes that guests cannot outrun.
 *
 * A guest may set _PAGE_GLOBAL in its L1 entries (as on Xen, whose PV
 * guests may too), and a global translation survives a CR3 reload. So
 * every flush that must remove a guest's translations removes global ones
 * as well (flush_tlb_local() toggles CR4.PGE), and loading another vCPU's
 * page tables on a pCPU is such a flush (context.c), so whatever the last
 * vCPU left in the TLB, global or not, is gone before the next one runs.
 *
 * A translation can also outlive its page-table entry on a pCPU still
 * running the guest that dropped it, until that pCPU next flushes. The
 * frame behind it must not reach anyone else in that time: a flush clock
 * (Xen's idea, our own structure) says when. Every flush takes a new tick
 * and records it per pCPU; dropping an entry notes the current tick; and
 * before a guest frame goes back to the heap, tlbflush_before_reuse()
 * flushes the pCPUs whose last flush is not newer than the last drop. One
 * flush round serves every frame freed after it, so a domain's teardown
 * costs one round, not one per frame.
 */
#ifndef PARAVANE_MM_TLBFLUSH_H
#define PARAVANE_MM_TLBFLUSH_H

#include "types.h"

/* Flush this pCPU's TLB, global entries included, and take a tick. */
void flush_tlb_local(void);

/* A page-table entry was removed or replaced: its translation may linger. */
void tlbflush_note_unmap(void);

/* The flush clock's tick now: a time stamp for the entries just removed. */
uint64_t tlbflush_now(void);

/*
 * Make sure no pCPU running a guest still holds a translation removed
 * before `stamp` (a tlbflush_now() taken after the removal): flush those
 * whose last full flush is not newer.
 */
void tlbflush_since(uint64_t stamp);

/*
 * A frame whose mappings are gone is about to be reused: make sure no
 * pCPU running a guest still holds a translation dropped before now.
 */
void tlbflush_before_reuse(void);

#endif
