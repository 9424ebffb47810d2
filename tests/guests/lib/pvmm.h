/*
 * The PV MMU from a test kernel: machine frames of its pfns, spare frames
 * past what the builder mapped, and one-entry mmu_update / mmuext_op.
 */
#ifndef PVTEST_PVMM_H
#define PVTEST_PVMM_H

#include "pvtest.h"

#define VIRT_BASE 0xffffffff80000000UL
#define M2P       ((const unsigned long *)0xffff800000000000UL)

static inline unsigned long mfn_of_pfn(unsigned long pfn)
{
    return ((const unsigned long *)start_info->mfn_list)[pfn];
}

/* The frame behind an address of the kernel's own mapping. */
static inline unsigned long mfn_of(const void *va)
{
    return mfn_of_pfn(((unsigned long)va - VIRT_BASE) >> 12);
}

/* Spare frames: pfns past everything the builder mapped. */
static inline unsigned long spare_mfn(unsigned int n)
{
    return mfn_of_pfn(start_info->nr_pages - 1 - n);
}

static inline long mmuext1(unsigned int cmd, unsigned long arg1)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = arg1};
    return hypercall4(__HYPERVISOR_mmuext_op, &op, 1, NULL, DOMID_SELF);
}

static inline long mmu_update1(unsigned long ptr, unsigned long val)
{
    struct mmu_update u = {.ptr = ptr, .val = val};
    return hypercall4(__HYPERVISOR_mmu_update, &u, 1, NULL, DOMID_SELF);
}

#endif
