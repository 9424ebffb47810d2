/*
 * The PV memory model: frames owned by domains, typed page tables the
 * hypervisor validates, the machine-to-phys table, and the hypercalls that
 * change them.
 *
 * Locking: none system-wide. A frame's counts and type change by
 * compare-and-exchange (mm/page_type.c), and a validated table's entries
 * under its own page lock (page_lock()), held across the update of one
 * entry; a domain's frame list is under d->lock. So vCPUs (of one domain
 * or of several) fault, fork and map in parallel, and only two updates of
 * the same table wait for each other. Page locks are taken with
 * interrupts enabled, since TLB shootdowns wait for other CPUs under them.
 */
#ifndef PARAVANE_MM_PV_MM_H
#define PARAVANE_MM_PV_MM_H

#include "asm/page.h"
#include "domain.h"
#include "mm/page_type.h"
#include "spinlock.h"

/* Set up the M2P table and the page-type hooks (boot, after the heap). */
void pv_mm_init(void);

/* M2P (m2p.c). */
#define M2P_INVALID (~0UL)
void m2p_set(mfn_t mfn, unsigned long pfn);
unsigned long m2p_get(mfn_t mfn);
unsigned long m2p_entries(void);
const unsigned long *m2p_table(void); /* its direct-map address */

/* Device and firmware frames (iomem.c): mapped by dom0 without references. */
bool is_iomem_frame(mfn_t mfn);
bool iomem_permitted(const struct domain *d, mfn_t mfn);

/*
 * Device frames the hardware domain maps read-only (mmio_ro.c): its
 * writable mappings of them are installed without _PAGE_RW, and its plain
 * stores through them are dropped. mmio_ro_add: 1 if added, 0 if already
 * covered, -XEN_EINVAL or -XEN_ENOSPC. The fault handler returns 1 if it
 * stepped over such a store.
 */
int mmio_ro_add(mfn_t first, mfn_t last);
bool mmio_ro_frame(mfn_t mfn);
int mmio_ro_do_page_fault(struct vcpu *v, struct cpu_user_regs *regs, unsigned long addr);

/* The domain owning a frame, if it is a live domain's (NULL otherwise). */
struct domain *frame_owner(const struct page_info *pg);

/*
 * Change entry `idx` of the page table (or plain page) `table` to `val`,
 * taking the references the new entry needs and dropping the old one's.
 * `pt_owner` must own the table; mapped frames must belong to `pg_owner`
 * (or any domain when pg_owner is privileged). Takes the table's page lock.
 * 0 or -XEN_EINVAL / -XEN_EBUSY / -XEN_EPERM.
 */
int pt_mod_entry(mfn_t table, unsigned int idx, pte_t val, struct domain *pt_owner,
                 struct domain *pg_owner, bool preserve_ad);

/*
 * Grant mappings (grant_table.c): a PTE carrying GNT_PTE_BIT (a bit the
 * CPU ignores without protection keys) maps a granted frame; its
 * references are the maptrack entry's, never taken or dropped by the
 * ordinary PTE paths, and guests may not write such entries themselves.
 */
#define GNT_PTE_BIT (1UL << 62)
int pt_install_grant(mfn_t l1, unsigned int idx, mfn_t frame, bool readonly, struct domain *mapper);
void pt_remove_grant(mfn_t l1, unsigned int idx, mfn_t frame, struct domain *mapper);
int pt_move_into_grant(mfn_t l1, unsigned int idx, mfn_t frame, mfn_t nl1, unsigned int nidx,
                       struct domain *mapper);

/* The L1 entry (table frame and index) that maps `va` in L4 `l4`. */
int pt_find_l1e(mfn_t l4, unsigned long va, mfn_t *l1, unsigned int *idx);

/* Flush the TLBs of every pCPU running one of d's vCPUs (and this one). */
void domain_flush_tlb(struct domain *d, bool all_vcpus, unsigned long vcpu_mask);

/* Pin and install the builder's L4 as vCPU 0's base (dom_build.c). */
int pv_mm_adopt_boot_tables(struct domain *d, mfn_t l4);

/* Drop every reference a dying domain holds (domain.c). */
void pv_mm_relinquish(struct domain *d);

/* The writable page-table assist: 1 if handled (pv/traps.c). */
int ptwr_do_page_fault(struct vcpu *v, struct cpu_user_regs *regs, unsigned long addr);

#endif
