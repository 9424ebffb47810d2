/*
 * pvtest mm: the PV MMU from the guest's side. It builds a second address
 * space out of its spare frames (pfns beyond the bootstrap region), pins
 * it, switches to it and reads memory through it, updates entries with
 * mmu_update and with plain writes (the writable page-table assist), and
 * checks every refusal the hypervisor owes it, each leaving the guest
 * running. Also: the M2P, memory_op and TLB/LDT/page operations.
 */
#include "lib/pvmm.h"
#include <xen/errno.h>
#include <xen/memory.h>

const char pvtest_kernel_name[] = "mm";

#define P       0x001UL
#define RW      0x002UL
#define US      0x004UL
#define A       0x020UL
#define D       0x040UL
#define LEAF    (P | RW | US | A | D)
#define ADDR(e) ((e)&0x000ffffffffff000UL)

static uint8_t window[4096] __attribute__((aligned(4096)));
static unsigned long window_mfn; /* the frame `window` normally maps */

static long map_window(unsigned long mfn, unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, window, (mfn << 12) | flags, UVMF_INVLPG);
}

static void restore_window(void)
{
    CHECK_EQ(map_window(window_mfn, LEAF), 0);
}

/* Fill frame `mfn` through the window (it must not be a table yet). */
static void write_frame(unsigned long mfn, const uint64_t *ents, unsigned int n)
{
    CHECK_EQ(map_window(mfn, LEAF), 0);
    memset(window, 0, sizeof(window));
    memcpy(window, ents, n * sizeof(uint64_t));
    restore_window();
}

PVTEST(m2p_and_machphys_mapping)
{
    struct xen_machphys_mapping m;

    window_mfn = mfn_of(window);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m), 0);
    CHECK_EQ(m.v_start, 0xffff800000000000UL);
    CHECK(m.max_mfn > spare_mfn(0));
    for (unsigned long pfn = 0; pfn < start_info->nr_pages; pfn += 97)
        CHECK_EQ(M2P[mfn_of_pfn(pfn)], pfn);
    /* Past the table: a hole, and the guest gets the fault. */
    EXPECT_TRAP("movq (%0), %%rax", "r"(m.v_end + 4096));
    CHECK_EQ(last_trap.vector, 14);
    /* The table is read-only to the guest. */
    EXPECT_TRAP("movq %%rax, (%0)", "r"(m.v_start));
    CHECK_EQ(last_trap.vector, 14);
}

PVTEST(update_va_mapping_remaps)
{
    unsigned long x = spare_mfn(0), y = spare_mfn(1);

    CHECK_EQ(map_window(x, LEAF), 0);
    memset(window, 0xaa, 64);
    CHECK_EQ(map_window(y, LEAF), 0);
    memset(window, 0x55, 64);
    CHECK_EQ(map_window(x, LEAF), 0);
    CHECK_EQ(window[0], 0xaa);
    CHECK_EQ(map_window(y, P | US | A), 0); /* read-only */
    CHECK_EQ(window[63], 0x55);
    EXPECT_TRAP("movb $1, (%0)", "r"(window));
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.error_code, 3); /* present, write, from guest kernel mode */
    restore_window();
    /* Flush variants and a VA outside the guest. */
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, window, (window_mfn << 12) | LEAF,
                        UVMF_TLB_FLUSH | UVMF_ALL),
             0);
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, 0xffff830000000000UL, 0, 0), -XEN_EINVAL);
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, window, (window_mfn << 12) | LEAF, 3),
             -XEN_EINVAL);
}

PVTEST(shared_info_and_cr2)
{
    static uint8_t si_window[4096] __attribute__((aligned(4096)));
    struct shared_info *si = (struct shared_info *)si_window;
    unsigned long orig = mfn_of(si_window);

    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, si_window, start_info->shared_info | LEAF,
                        UVMF_INVLPG),
             0);
    EXPECT_TRAP("movq (%0), %%rax", "r"(0xdead000UL));
    CHECK_EQ(si->vcpu_info[0].arch.cr2, 0xdead000UL);
    CHECK_EQ(si->vcpu_info[0].evtchn_upcall_mask, 1);
    CHECK_EQ(
        hypercall3(__HYPERVISOR_update_va_mapping, si_window, (orig << 12) | LEAF, UVMF_INVLPG), 0);
}

/*
 * A second address space from spare frames: L4 (copy of ours, plus slot 0),
 * L3, L2, L1 mapping data frames at VA 0, 0x1000...
 */
static unsigned long l4n, l3n, l2n, l1n, data0, data1;
static const uint64_t pattern0 = 0x600dcafe00000000UL, pattern1 = 0x600dcafe11111111UL;

PVTEST(build_pin_switch_address_space)
{
    uint64_t e[512];
    const uint64_t *cur_l4 = (const uint64_t *)start_info->pt_base;
    unsigned long old_l4 = mfn_of(cur_l4), v0 = 0;

    l4n = spare_mfn(2), l3n = spare_mfn(3), l2n = spare_mfn(4), l1n = spare_mfn(5);
    data0 = spare_mfn(6), data1 = spare_mfn(7);
    e[0] = pattern0;
    write_frame(data0, e, 1);
    e[0] = pattern1;
    write_frame(data1, e, 1);

    e[0] = (data0 << 12) | LEAF;
    write_frame(l1n, e, 1);
    e[0] = (l1n << 12) | P | RW | US | A;
    write_frame(l2n, e, 1);
    e[0] = (l2n << 12) | P | RW | US | A;
    write_frame(l3n, e, 1);
    memcpy(e, cur_l4, sizeof(e)); /* our kernel mapping (slot 511) */
    e[0] = (l3n << 12) | P | RW | US | A;
    write_frame(l4n, e, 512);

    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, l4n), 0);           /* validates all four levels */
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, l4n), -XEN_EINVAL); /* already pinned */
    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, l4n), 0);
    __asm__ volatile("movq (%1), %0" : "=r"(v0) : "r"(0UL));
    CHECK_EQ(v0, pattern0);
    /* mmu_update: entry 1 of the L1 -> data1 at VA 0x1000. */
    CHECK_EQ(mmu_update1((l1n << 12) + 8, (data1 << 12) | LEAF), 0);
    __asm__ volatile("movq (%1), %0" : "=r"(v0) : "r"(0x1000UL));
    CHECK_EQ(v0, pattern1);
    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, old_l4), 0);
}

PVTEST(writable_pagetable_assist)
{
    volatile uint64_t *l1 = (volatile uint64_t *)window;
    uint64_t old, v0 = 0;

    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    /* The L1 is in use: it may be mapped read-only, and written in place. */
    CHECK_EQ(map_window(l1n, P | US | A), 0);
    l1[2] = (data0 << 12) | LEAF; /* plain store, emulated */
    CHECK_EQ(ADDR(l1[2]), data0 << 12);
    old = __atomic_exchange_n(&l1[3], (data1 << 12) | LEAF, __ATOMIC_SEQ_CST); /* xchg */
    CHECK_EQ(old, 0);
    __atomic_fetch_and(&l1[3], ~RW, __ATOMIC_SEQ_CST); /* lock and: write-protect */
    CHECK_EQ(l1[3] & RW, 0);
    __asm__ volatile("lock btsq $1, (%0)" ::"r"(&l1[3]) : "memory");
    CHECK(l1[3] & RW);
    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, l4n), 0);
    __asm__ volatile("movq (%1), %0" : "=r"(v0) : "r"(0x2000UL));
    CHECK_EQ(v0, pattern0);
    __asm__ volatile("movq (%1), %0" : "=r"(v0) : "r"(0x3000UL));
    CHECK_EQ(v0, pattern1);
    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, mfn_of((void *)start_info->pt_base)), 0);
    /* An entry the guest may not have stays a page fault for it. */
    EXPECT_TRAP("movq %1, (%0)", "r"(&l1[4]), "r"((l1n << 12) | LEAF));
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(l1[4], 0);
    restore_window();
}

/* The hypervisor is loaded at 2 MiB: that frame is never a guest's. */
#define HYP_FRAME 0x200UL

/* A frame whose M2P entry names a pfn that is not ours (dom0's, say). */
static unsigned long other_domains_frame(unsigned long max_mfn)
{
    for (unsigned long mfn = 0x300; mfn <= max_mfn; mfn++) {
        unsigned long pfn = M2P[mfn];
        if (pfn == ~0UL)
            continue;
        if (pfn >= start_info->nr_pages || mfn_of_pfn(pfn) != mfn)
            return mfn;
    }
    return 0;
}

PVTEST(refusals)
{
    uint64_t e[1];
    unsigned long beyond;
    struct xen_machphys_mapping m;

    HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m);
    beyond = m.max_mfn + 16;
    /* A page-table page mapped writable. */
    CHECK_EQ(map_window(l1n, LEAF), -XEN_EBUSY);
    /* A writably mapped page turned into a page table. */
    CHECK_EQ(map_window(spare_mfn(8), LEAF), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, spare_mfn(8)), -XEN_EINVAL);
    restore_window();
    /* A frame the domain does not own: the hypervisor's image. */
    CHECK_EQ(map_window(HYP_FRAME, P | US | A), -XEN_EBUSY);
    /* Another domain's frame, if we can see one (found through the M2P). */
    if (!(start_info->flags & SIF_INITDOMAIN)) {
        unsigned long other = other_domains_frame(m.max_mfn);
        CHECK(other != 0);
        CHECK_EQ(map_window(other, P | US | A), -XEN_EBUSY);
    }
    /* A table whose entries point at frames of another owner. */
    e[0] = (HYP_FRAME << 12) | P | US | A;
    write_frame(spare_mfn(9), e, 1);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, spare_mfn(9)), -XEN_EINVAL);
    /* A table in use as a base pointer may be unpinned (Linux does it), but
     * it stays a validated table: no writable mapping of it, no second unpin. */
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, mfn_of((void *)start_info->pt_base)), 0);
    CHECK_EQ(map_window(mfn_of((void *)start_info->pt_base), LEAF), -XEN_EBUSY);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, mfn_of((void *)start_info->pt_base)), -XEN_EINVAL);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, mfn_of((void *)start_info->pt_base)), 0);
    /* An entry in the hypervisor's L4 slots. */
    CHECK_EQ(mmu_update1((l4n << 12) + 256 * 8, 0), -XEN_EINVAL);
    CHECK_EQ(mmu_update1((l4n << 12) + 262 * 8, (data0 << 12) | P), -XEN_EINVAL);
    /* Machine frames beyond memory (device space: dom0 may map those). */
    if (!(start_info->flags & SIF_INITDOMAIN))
        CHECK_EQ(map_window(beyond, P | US | A), -XEN_EPERM);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, beyond), -XEN_EINVAL);
    CHECK_EQ(mmu_update1(beyond << 12, 0), -XEN_EINVAL);
    /* Superpages and a table in the wrong level. */
    CHECK_EQ(mmu_update1((l2n << 12) + 8, (data0 << 12) | P | RW | US | 0x80), -XEN_EINVAL);
    CHECK_EQ(mmu_update1((l2n << 12) + 8, (l2n << 12) | P | RW | US), -XEN_EINVAL);
    /* Unpinning what is not pinned; unknown commands. */
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, data0), -XEN_EINVAL);
    CHECK_EQ(mmuext1(99, 0), -XEN_ENOSYS);
    CHECK_EQ(hypercall4(__HYPERVISOR_mmu_update, 0xdead000UL, 1, NULL, DOMID_SELF), -XEN_EFAULT);
    /* Foreign domains are for privileged callers only (we may be one). */
    if (!(start_info->flags & SIF_INITDOMAIN))
        CHECK_EQ(hypercall4(__HYPERVISOR_mmu_update, e, 0, NULL, 0), -XEN_EPERM);
}

PVTEST(machphys_and_page_ops)
{
    struct mmuext_op op = {
        .cmd = MMUEXT_COPY_PAGE, .arg1.mfn = spare_mfn(10), .arg2.src_mfn = data0};
    unsigned long vcpus = 1;

    CHECK_EQ(mmu_update1((data1 << 12) | MMU_MACHPHYS_UPDATE, 12345), 0);
    CHECK_EQ(M2P[data1], 12345);
    CHECK_EQ(mmu_update1((data1 << 12) | MMU_MACHPHYS_UPDATE, start_info->nr_pages - 8), 0);
    CHECK_EQ(mmu_update1((HYP_FRAME << 12) | MMU_MACHPHYS_UPDATE, 1), -XEN_EPERM);

    CHECK_EQ(hypercall4(__HYPERVISOR_mmuext_op, &op, 1, NULL, DOMID_SELF), 0);
    CHECK_EQ(map_window(spare_mfn(10), P | US | A), 0);
    CHECK_EQ(*(uint64_t *)window, pattern0);
    restore_window();
    CHECK_EQ(mmuext1(MMUEXT_CLEAR_PAGE, spare_mfn(10)), 0);
    CHECK_EQ(map_window(spare_mfn(10), P | US | A), 0);
    CHECK_EQ(*(uint64_t *)window, 0);
    restore_window();
    CHECK_EQ(mmuext1(MMUEXT_CLEAR_PAGE, l1n), -XEN_EINVAL); /* a table */

    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0), 0);
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0), 0);
    CHECK_EQ(mmuext1(MMUEXT_INVLPG_LOCAL, (unsigned long)window), 0);
    op.cmd = MMUEXT_TLB_FLUSH_MULTI;
    op.arg2.vcpumask.p = &vcpus;
    CHECK_EQ(hypercall4(__HYPERVISOR_mmuext_op, &op, 1, NULL, DOMID_SELF), 0);
    op.arg2.vcpumask.p = (void *)0xdead000UL;
    CHECK_EQ(hypercall4(__HYPERVISOR_mmuext_op, &op, 1, NULL, DOMID_SELF), -XEN_EFAULT);
    op.cmd = MMUEXT_SET_LDT;
    op.arg1.linear_addr = (unsigned long)window + 8;
    op.arg2.nr_ents = 4;
    CHECK_EQ(hypercall4(__HYPERVISOR_mmuext_op, &op, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    op.arg1.linear_addr = 0;
    op.arg2.nr_ents = 0;
    CHECK_EQ(hypercall4(__HYPERVISOR_mmuext_op, &op, 1, NULL, DOMID_SELF), 0);
}

PVTEST(tear_down_releases_types)
{
    /* Unpin the second address space: every table becomes ordinary memory. */
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, l4n), 0);
    CHECK_EQ(map_window(l1n, LEAF), 0);
    CHECK_EQ(map_window(l4n, LEAF), 0);
    restore_window();
}

PVTEST(reservations)
{
    domid_t self = DOMID_SELF;
    unsigned long before = (unsigned long)HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    xen_pfn_t f = spare_mfn(20);
    struct xen_memory_reservation r = {.nr_extents = 1, .domid = DOMID_SELF};
    struct {
        uint64_t addr, size;
        uint32_t type;
    } __attribute__((packed)) e820[2];
    struct xen_memory_map map = {.nr_entries = 2};

    CHECK_EQ(before, start_info->nr_pages);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self), start_info->nr_pages);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_maximum_gpfn, &self), start_info->nr_pages - 1);
    map.buffer.p = e820;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_memory_map, &map), 0);
    CHECK_EQ(map.nr_entries, 1);
    CHECK_EQ(e820[0].size, start_info->nr_pages << 12);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map),
             (start_info->flags & SIF_INITDOMAIN) ? 0 : -XEN_EPERM);
    CHECK(HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL) > 0);

    /* Give one frame back, then ask for one at a pfn of our choosing. */
    r.extent_start.p = &f;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 1);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &self), before - 1);
    CHECK_EQ(map_window(spare_mfn(20), P | US | A), -XEN_EBUSY); /* no longer ours */
    f = start_info->nr_pages - 21;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 1);
    CHECK_EQ(M2P[f], start_info->nr_pages - 21);
    CHECK_EQ(map_window(f, LEAF), 0);
    CHECK_EQ(window[0], 0); /* fresh frames come zeroed */
    restore_window();
    /* At the limit: no more. */
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation, &r), 0);
    r.extent_order = 30;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation, &r), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_memory_op(63, NULL), -XEN_ENOSYS);
}

PVTEST(leave_state_behind)
{
    /* Pinned tables and extra mappings at shutdown: the hypervisor must
     * take all of it apart when the domain goes. */
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, l4n), 0);
    CHECK_EQ(mmuext1(MMUEXT_NEW_USER_BASEPTR, l4n), 0);
    CHECK_EQ(map_window(l1n, P | US | A), 0);
}
