/*
 * The machine-to-phys table: one 64-bit pseudo-physical frame number per
 * machine frame, M2P_INVALID for frames no guest owns.
 *
 * One contiguous block, written through the direct map and mapped
 * read-only (and user-readable: PV kernels run in ring 3) at
 * MACH2PHYS_VIRT_START, the address the ABI fixes, in L4 slot 256 of every
 * guest. Beyond the entries for real frames nothing is mapped, so a guest
 * reading past the end faults (into the guest).
 */
#include "console.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "paging.h"
#include <xen/xen.h>

static unsigned long *m2p;
static unsigned long nr_entries;

const unsigned long *m2p_table(void)
{
    return m2p;
}

unsigned long m2p_entries(void)
{
    return nr_entries;
}

void m2p_set(mfn_t mfn, unsigned long pfn)
{
    if (mfn < nr_entries)
        WRITE_ONCE(m2p[mfn], pfn);
}

unsigned long m2p_get(mfn_t mfn)
{
    return mfn < nr_entries ? READ_ONCE(m2p[mfn]) : M2P_INVALID;
}

void m2p_init(void)
{
    size_t bytes = max_mfn * sizeof(unsigned long);
    unsigned int order = order_for_bytes(bytes);
    int rc;

    m2p = alloc_xenheap_pages(order);
    if (!m2p)
        panic("m2p: no %lu KiB block for the machine-to-phys table", bytes >> 10);
    nr_entries = max_mfn;
    memset(m2p, 0xff, PAGE_ALIGN(bytes));
    rc = map_pages(MACH2PHYS_VIRT_START, __pa(m2p), PFN_UP(bytes),
                   _PAGE_USER | _PAGE_NX | _PAGE_GLOBAL);
    if (rc)
        panic("m2p: cannot map it at %#lx (%d)", (unsigned long)MACH2PHYS_VIRT_START, rc);
    pr_info("m2p: %lu entries (%lu KiB) at %#lx, read-only to guests\n", nr_entries, bytes >> 10,
            (unsigned long)MACH2PHYS_VIRT_START);
}
