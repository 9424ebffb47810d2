/*
 * pvtest fuzz: a hostile guest, run as a domU with several vCPUs.
 *
 * First it aims: well-formed but hostile arguments, each checked against
 * the answer Xen 4.17 gives (its errno, or its grant status). Descriptor
 * writes into its own page tables, into frames it does not own or beyond
 * RAM, and misaligned; GDTs made of such frames or holding a call gate, a
 * TSS or a DPL 0 conforming code segment; page-table entries mapping
 * frames it does not own, RAM's end, its own page tables writable, a 2 MiB
 * page, or reaching into the hypervisor's L4 slots; vCPU contexts with
 * non-canonical bases, foreign or absent GDT frames and foreign L4s, and
 * re-initialising vCPUs that have a context; grant maps of bad refs and of
 * a released frame; huge counts for mmu_update, mmuext_op, multicall and
 * grant_table_op (they must end, with an error). Where a hostile write
 * could land in its own page tables on a hypervisor that wrongly accepts
 * it, the value written is harmless there (not present) and the entry is
 * checked and put back. "pvtest fuzz: targeted checks: N failed" sums
 * them up.
 *
 * It brings up vCPU 1 (VCPUOP_initialise and VCPUOP_up); the hostile
 * contexts go to vCPUs 2 and up, each used until one is (wrongly)
 * accepted, and never started.
 *
 * Then it throws random words: it calls every hypercall number with
 * arguments drawn from values that probe edges (zero, all-ones, huge
 * counts, unmapped, hypervisor-hole and non-canonical addresses, a scratch
 * buffer full of random bytes), for a bounded number of calls.
 *
 * Phase 1 leaves out the calls that would only hurt the guest itself
 * (iret, trap table, callbacks, block, shutdown, console I/O, descriptor
 * writes into its own memory, page-table and reservation changes) so it
 * reliably gets through its calls.
 * Phase 2 adds them: the guest may then be crashed, which is fine; the
 * hypervisor must report that and keep running.
 */
#include "lib/pvtest.h"
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/vcpu.h>

const char pvtest_kernel_name[] = "fuzz";

static uint64_t rng = 0x9e3779b97f4a7c15UL;
static uint8_t scratch[8192] __attribute__((aligned(4096)));

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned long arg(void)
{
    switch (next() % 15) {
    case 0:
        return 0;
    case 1:
        return ~0UL;
    case 2:
        return next() % 64;
    case 3:
        return 0xdead000UL;
    case 4:
        return 0xffff830000000000UL + (next() % 0x100000) * 8;
    case 5:
        return 0x8000000000000000UL;
    case 6:
        return (unsigned long)scratch + (next() % 4096);
    case 7:
        return 0x00007ffffffff000UL;
    case 8:
        return next();
    case 9:
        return 1UL << (next() % 64);
    case 10:
        return next() & 0xffffffffUL;
    case 11:
        return next() % 0x10000;
    case 12: /* a domain id: dom0, a neighbour, DOMID_SELF .. DOMID_IDLE */
        return (unsigned long[]){0,      1,      2,      100,    0x7ff0, 0x7ff1,
                                 0x7ff2, 0x7ff3, 0x7ff4, 0x7ff5, 0x7fff, 0xffff}[next() % 12];
    case 13: /* a machine frame anywhere in RAM: most are other domains' or ours */
        return next() % 0x20000;
    default: /* the same as a page-table entry */
        return ((next() % 0x20000) << 12) | (next() & 0xfffUL) | (next() & (1UL << 63));
    }
}

/* ---- Targeted cases: hostile but well-formed arguments ---------------- */

#define VIRT_BASE 0xffffffff80000000UL
#define M2P       ((const unsigned long *)0xffff800000000000UL)
#define P         0x001UL
#define RW        0x002UL
#define US        0x004UL
#define A         0x020UL
#define D         0x040UL
#define PSE       0x080UL
#define LEAF      (P | RW | US | A | D)
#define ADDR(e)   ((e)&0x000ffffffffff000UL)
#define NONCANON  0x0000800000000000UL /* bit 47 set, bits 63-48 clear */
/*
 * What the descriptor cases write: a valid flat DPL 3 data descriptor
 * (limit 0xffffe, so bit 0 is clear), which read as a page-table entry is
 * not present. Should a write wrongly land in a page table, it maps
 * nothing, and it is put back.
 */
#define DESC_MARK 0x00cff3000000fffeUL

static uint64_t window[512] __attribute__((aligned(4096)));
static unsigned long window_mfn, max_mfn, released_mfn;
static uint8_t hole_buf[8192] __attribute__((aligned(4096)));

static unsigned long mfn_of(const void *va)
{
    return ((const unsigned long *)start_info->mfn_list)[((unsigned long)va - VIRT_BASE) >> 12];
}

/* Spare frames: pfns past everything the builder mapped. */
static unsigned long spare_mfn(unsigned int n)
{
    return ((const unsigned long *)start_info->mfn_list)[start_info->nr_pages - 1 - n];
}

static long map_va(void *va, unsigned long mfn, unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, (mfn << 12) | flags, UVMF_INVLPG);
}

static void restore_window(void)
{
    CHECK_EQ(map_va(window, window_mfn, LEAF), 0);
}

static long mmu_update1(unsigned long ptr, unsigned long val)
{
    struct mmu_update u = {.ptr = ptr, .val = val};
    return hypercall4(__HYPERVISOR_mmu_update, &u, 1, NULL, DOMID_SELF);
}

static long mmuext1(unsigned int cmd, unsigned long arg1)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = arg1};
    return hypercall4(__HYPERVISOR_mmuext_op, &op, 1, NULL, DOMID_SELF);
}

/* A page table frame is readable through the M2P's pfn in our mapping. */
static const uint64_t *table_va(unsigned long mfn)
{
    return (const uint64_t *)(VIRT_BASE + (M2P[mfn] << 12));
}

/* The machine address of the L1 entry mapping va (bootstrap region). */
static unsigned long l1e_maddr(const void *va)
{
    unsigned long v = (unsigned long)va, mfn = mfn_of((void *)start_info->pt_base);

    for (int shift = 39; shift > 12; shift -= 9)
        mfn = ADDR(table_va(mfn)[(v >> shift) & 511]) >> 12;
    return (mfn << 12) + ((v >> 12) & 511) * 8;
}

/* Zero frame mfn through the window (it must not be a table). */
static void zero_frame(unsigned long mfn)
{
    CHECK_EQ(map_va(window, mfn, LEAF), 0);
    memset(window, 0, sizeof(window));
    restore_window();
}

PVTEST(setup)
{
    struct xen_machphys_mapping m;
    struct xen_memory_reservation r = {.nr_extents = 1, .domid = DOMID_SELF};
    unsigned long f = spare_mfn(30);

    window_mfn = mfn_of(window);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m), 0);
    max_mfn = m.max_mfn;
    /* Our grant table's frame first: the heap hands a frame given back to
     * the next allocation, which must not be ours. */
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
    xen_pfn_t gf = 0;
    st.frame_list.p = &gf;
    CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1), 0);
    /* A frame we give back: from then on it is nobody's, or someone
     * else's. */
    r.extent_start.p = &f;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 1);
    released_mfn = f;
}

/* update_descriptor (Xen: do_update_descriptor, -EINVAL for each). */
PVTEST(descriptor_writes)
{
    unsigned long l1 = spare_mfn(0), l4 = mfn_of((void *)start_info->pt_base);
    const uint64_t *l4v = (const uint64_t *)start_info->pt_base;
    unsigned int slot = 0;

    /* Into an L1 page table of our own (pinned, not in use). */
    zero_frame(l1);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, l1), 0);
    CHECK_EQ(HYPERVISOR_update_descriptor((l1 << 12) + 5 * 8, DESC_MARK), -XEN_EINVAL);
    CHECK_EQ(map_va(window, l1, P | US | A), 0); /* read-only: allowed */
    if (window[5] != 0) {
        printk("  update_descriptor wrote into an L1 page table: %#lx\n", window[5]);
        CHECK_EQ(mmu_update1((l1 << 12) + 5 * 8, 0), 0);
    }
    CHECK_EQ(window[5], 0);
    restore_window();
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, l1), 0);

    /* Into the L4 we run on, at an empty guest slot. */
    for (unsigned int i = 1; i < 256 && !slot; i++)
        if (!l4v[i])
            slot = i;
    CHECK(slot != 0);
    CHECK_EQ(HYPERVISOR_update_descriptor((l4 << 12) + slot * 8, DESC_MARK), -XEN_EINVAL);
    if (l4v[slot] != 0) {
        printk("  update_descriptor wrote into the L4: %#lx\n", l4v[slot]);
        CHECK_EQ(mmu_update1((l4 << 12) + slot * 8, 0), 0);
    }
    CHECK_EQ(l4v[slot], 0);

    /* A frame we do not own any more, a frame past RAM, misaligned. */
    CHECK_EQ(HYPERVISOR_update_descriptor(released_mfn << 12, DESC_MARK), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_update_descriptor((max_mfn + 16) << 12, DESC_MARK), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_update_descriptor((mfn_of(hole_buf) << 12) + 4, DESC_MARK), -XEN_EINVAL);
}

/* A frame holding one descriptor at entry 4, with no writable mapping. */
static unsigned long gdt_frame_with(uint64_t desc)
{
    unsigned long f = spare_mfn(1);

    CHECK_EQ(map_va(window, f, LEAF), 0);
    memset(window, 0, sizeof(window));
    window[4] = desc;
    restore_window();
    return f;
}

/* set_gdt (Xen: pv_set_gdt, -EINVAL when a frame cannot be a descriptor
 * page or holds a descriptor check_descriptor refuses). A GDT wrongly
 * accepted is dropped again (0 entries). */
static void set_gdt_expect(const char *what, unsigned long frame, long want)
{
    unsigned long frames[1] = {frame};
    long rc = HYPERVISOR_set_gdt(frames, 16);

    if (rc != want)
        printk("  set_gdt with %s: %ld, expected %ld\n", what, rc, want);
    CHECK_EQ(rc, want);
    if (rc == 0)
        CHECK_EQ(HYPERVISOR_set_gdt(frames, 0), 0);
}

PVTEST(gdt_frames)
{
    unsigned long l1 = spare_mfn(0);

    zero_frame(l1);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, l1), 0);
    set_gdt_expect("a pinned L1", l1, -XEN_EINVAL);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, l1), 0);
    set_gdt_expect("our L4", mfn_of((void *)start_info->pt_base), -XEN_EINVAL);
    set_gdt_expect("a frame we gave back", released_mfn, -XEN_EINVAL);
    set_gdt_expect("a frame past RAM", max_mfn + 16, -XEN_EINVAL);
    set_gdt_expect("a call gate", gdt_frame_with(0x0000ec0000100000UL),
                   -XEN_EINVAL); /* call gate, DPL 3 */
    set_gdt_expect("a TSS", gdt_frame_with(0x0000890000000067UL), -XEN_EINVAL); /* 64-bit TSS */
    set_gdt_expect("a DPL 0 conforming code segment", gdt_frame_with(0x00af9f000000ffffUL),
                   -XEN_EINVAL);                                          /* conforming, DPL 0 */
    set_gdt_expect("flat data", gdt_frame_with(0x00cff3000000ffffUL), 0); /* control: flat data */
}

/* mmu_update of the L1 entry that maps `window` (Xen: get_page_from_l1e
 * and mod_l2/l4_entry). Anything wrongly accepted is put back. */
static void window_pte_expect(const char *what, unsigned long val, long want)
{
    long rc = mmu_update1(l1e_maddr(window), val);

    if (rc != want)
        printk("  mmu_update mapping %s: %ld, expected %ld\n", what, rc, want);
    CHECK_EQ(rc, want);
    if (rc == 0)
        restore_window();
}

PVTEST(page_table_entries)
{
    unsigned long l1 = spare_mfn(0), l4 = spare_mfn(2), l2;
    const uint64_t *l4v = (const uint64_t *)start_info->pt_base;
    const uint64_t *l2v;
    unsigned int slot = 0;

    /* Frames we do not own: -EBUSY (get_page_from_l1e's could_not_pin). */
    window_pte_expect("a frame we gave back", (released_mfn << 12) | P | US | A, -XEN_EBUSY);
    window_pte_expect("a hypervisor frame", (0x200UL << 12) | P | US | A,
                      -XEN_EBUSY); /* the hypervisor's */
    /* Past RAM is MMIO to Xen, which a domU may not map: -EPERM. */
    window_pte_expect("a frame past RAM", ((max_mfn + 16) << 12) | P | US | A, -XEN_EPERM);
    /* Our own page table, writable: -EBUSY (no writable type). */
    zero_frame(l1);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, l1), 0);
    window_pte_expect("our L1, writable", (l1 << 12) | LEAF, -XEN_EBUSY);
    window_pte_expect("our L1, read-only", (l1 << 12) | P | US | A,
                      0); /* control: read-only is fine */
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, l1), 0);

    /* A 2 MiB page in our L2, at an empty slot: -EINVAL (PSE is not a
     * flag a PV guest may set). */
    l2 = ADDR(table_va(ADDR(l4v[511]) >> 12)[510]) >> 12;
    l2v = table_va(l2);
    for (unsigned int i = 511; i > 0 && !slot; i--)
        if (!l2v[i])
            slot = i;
    CHECK(slot != 0);
    CHECK_EQ(mmu_update1((l2 << 12) + slot * 8, (mfn_of(hole_buf) << 12) | P | RW | US | PSE),
             -XEN_EINVAL);
    if (l2v[slot] != 0)
        CHECK_EQ(mmu_update1((l2 << 12) + slot * 8, 0), 0);

    /* The hypervisor's slots of an L4 (pinned, not in use): -EINVAL. */
    zero_frame(l4);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, l4), 0);
    CHECK_EQ(mmu_update1((l4 << 12) + 256 * 8, 0), -XEN_EINVAL);
    CHECK_EQ(mmu_update1((l4 << 12) + 262 * 8, (l1 << 12) | P), -XEN_EINVAL);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, l4), 0);
}

/* Grant maps (Xen: map_grant_ref; the call succeeds, the status says). */
static grant_entry_v1_t *gt = (grant_entry_v1_t *)hole_buf;

PVTEST(grant_maps)
{
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
    struct gnttab_map_grant_ref m = {
        .host_addr = (unsigned long)window, .flags = GNTMAP_host_map, .ref = 0xfffff0, .dom = 0};
    domid_t self = cmdline_option("domid") ? (domid_t)parse_num(cmdline_option("domid")) : 1;
    xen_pfn_t f = 0;
    unsigned long gt_old = mfn_of(gt);

    /* A ref past the granting domain's table. */
    CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, &m, 1), 0);
    CHECK_EQ(m.status, GNTST_bad_gntref);

    /* A grant (to ourselves) of a frame we have since given back. */
    st.frame_list.p = &f;
    CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(map_va(gt, f, LEAF), 0);
    gt[9] = (grant_entry_v1_t){GTF_permit_access, self, (uint32_t)released_mfn};
    m = (struct gnttab_map_grant_ref){
        .host_addr = (unsigned long)window, .flags = GNTMAP_host_map, .ref = 9, .dom = self};
    CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, &m, 1), 0);
    CHECK_EQ(m.status, GNTST_bad_page);
    if (m.status == GNTST_okay) {
        struct gnttab_unmap_grant_ref u = {.host_addr = (unsigned long)window, .handle = m.handle};

        printk("  a released frame was mapped through a grant\n");
        CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, &u, 1), 0);
        restore_window();
    }
    gt[9].flags = 0;
    CHECK_EQ(map_va(gt, gt_old, LEAF), 0);
}

/*
 * Huge counts: a list that runs into an unmapped page must end at it
 * (-EFAULT, with the entries before it done), never loop or hang.
 */
PVTEST(huge_counts)
{
    unsigned long second = mfn_of(hole_buf + 4096);
    struct mmu_update *u = (struct mmu_update *)hole_buf;
    struct mmuext_op *x = (struct mmuext_op *)hole_buf;
    struct multicall_entry *mc = (struct multicall_entry *)hole_buf;
    unsigned int done = 0;
    struct gnttab_map_grant_ref *g = (struct gnttab_map_grant_ref *)0x1000UL;

    memset(hole_buf, 0, sizeof(hole_buf));
    CHECK_EQ(map_va(hole_buf + 4096, 0, 0), 0);          /* the hole */
    for (unsigned int i = 0; i < 4096 / sizeof(*u); i++) /* M2P entries set to what they are */
        u[i] =
            (struct mmu_update){(mfn_of(window) << 12) | MMU_MACHPHYS_UPDATE, M2P[mfn_of(window)]};
    CHECK_EQ(hypercall4(__HYPERVISOR_mmu_update, u, 0x7fffffffU, &done, DOMID_SELF), -XEN_EFAULT);
    CHECK_EQ(done, 4096 / sizeof(*u));

    memset(hole_buf, 0, 4096);
    for (unsigned int i = 0; i < 4096 / sizeof(*x); i++)
        x[i].cmd = MMUEXT_TLB_FLUSH_LOCAL;
    done = 0;
    CHECK_EQ(hypercall4(__HYPERVISOR_mmuext_op, x, 0x7fffffffU, &done, DOMID_SELF), -XEN_EFAULT);
    CHECK_EQ(done, 4096 / sizeof(*x));

    memset(hole_buf, 0, 4096);
    for (unsigned int i = 0; i < 4096 / sizeof(*mc); i++)
        mc[i].op = __HYPERVISOR_xen_version;
    CHECK_EQ(HYPERVISOR_multicall(mc, 0x7fffffffU), -XEN_EFAULT);
    CHECK_EQ(mc[0].result, (0x4UL << 16) | 17); /* the calls before the hole ran */

    /* grant_table_op: a negative count is refused; a huge one from an
     * unmapped list faults. */
    CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, g, 0x80000000U),
             -XEN_EINVAL);
    CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, g, 100000),
             -XEN_EFAULT);

    CHECK_EQ(map_va(hole_buf + 4096, second, LEAF), 0);
}

/* ---- vCPUs -------------------------------------------------------------- */

#define STACK 16384
static uint8_t v1_stack[STACK] __attribute__((aligned(16)));
static uint8_t v0_stack[STACK] __attribute__((aligned(16)));
static volatile int v1_alive, v1_request;
static unsigned int nr_vcpus, next_spare = 2;
enum { REQ_NONE, REQ_REINIT_V0, REQ_DONE };

static long vcpu_op(int cmd, unsigned int id, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, cmd, id, arg);
}

/* A context that runs entry on stack, in our address space. */
static void make_context(struct vcpu_guest_context *c, void (*entry)(void), uint8_t *stack)
{
    memset(c, 0, sizeof(*c));
    c->flags = VGCF_in_kernel;
    c->user_regs.rip = (unsigned long)entry;
    c->user_regs.rsp = (unsigned long)stack + STACK - 8; /* as after a call */
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.rflags = 0x2;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = c->user_regs.rsp;
    c->ctrlreg[3] = xen_pfn_to_cr3(mfn_of((void *)start_info->pt_base));
}

/*
 * vCPU 0, when a broken hypervisor let vCPU 1 give it a new context: the
 * case loop's stack is gone, so finish here.
 */
static void __attribute__((noreturn)) v0_hijacked(void)
{
    printk("pvtest fuzz: vCPU 0 was re-initialised after VCPUOP_down\n");
    pvtest_finish();
}

/* vCPU 1 on a request from vCPU 0: stop it, try to give it a new
 * context (Xen: -EEXIST, it has one), start it again. */
static void reinit_v0(void)
{
    struct vcpu_guest_context c;
    long rc;

    CHECK_EQ(vcpu_op(VCPUOP_down, 0, NULL), 0);
    for (int i = 0; i < 20000; i++) /* let vCPU 0 leave its pCPU */
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(vcpu_op(VCPUOP_is_up, 0, NULL), 0);
    make_context(&c, v0_hijacked, v0_stack);
    rc = vcpu_op(VCPUOP_initialise, 0, &c);
    CHECK_EQ(rc, -XEN_EEXIST);
    rc = vcpu_op(VCPUOP_up, 0, NULL);
    CHECK_EQ(rc, 0);
    if (rc) { /* vCPU 0 stays down: finish from here */
        printk("pvtest fuzz: vCPU 0 could not be started again\n");
        pvtest_finish();
    }
    v1_request = REQ_DONE;
}

static void __attribute__((noreturn)) v1_main(void)
{
    v1_alive = 1;
    for (;;) {
        if (v1_request == REQ_REINIT_V0)
            reinit_v0();
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}

/* One hostile context for a spare vCPU (2 and up): Xen refuses it with
 * want. A vCPU that (wrongly) took one is never used again nor started. */
static void hostile_context(const char *what, const struct vcpu_guest_context *c, long want)
{
    long rc;

    if (next_spare >= nr_vcpus) {
        printk("  no spare vCPU left for: %s\n", what);
        CHECK(false);
        return;
    }
    rc = vcpu_op(VCPUOP_initialise, next_spare, (void *)c);
    if (rc != want)
        printk("  VCPUOP_initialise with %s: %ld, expected %ld\n", what, rc, want);
    CHECK_EQ(rc, want);
    if (rc == 0)
        next_spare++;
}

PVTEST(vcpu_contexts)
{
    struct vcpu_guest_context c, ok;

    while (nr_vcpus < 64 && vcpu_op(VCPUOP_is_up, nr_vcpus, NULL) >= 0)
        nr_vcpus++;
    CHECK(nr_vcpus >= 3);
    make_context(&ok, v1_main, v1_stack);

    /* Xen's arch_set_info_guest: non-canonical bases are -EINVAL. */
    c = ok, c.fs_base = NONCANON;
    hostile_context("a non-canonical fs_base", &c, -XEN_EINVAL);
    c = ok, c.gs_base_kernel = NONCANON;
    hostile_context("a non-canonical gs_base_kernel", &c, -XEN_EINVAL);
    c = ok, c.gs_base_user = NONCANON;
    hostile_context("a non-canonical gs_base_user", &c, -XEN_EINVAL);
    c = ok, c.user_regs.rip = NONCANON;
    hostile_context("a non-canonical rip", &c, -XEN_EINVAL);
    /* GDT frames go through pv_set_gdt: -EINVAL for frames past RAM, not
     * ours, or page tables. */
    c = ok, c.gdt_ents = 16, c.gdt_frames[0] = max_mfn + 16;
    hostile_context("a GDT frame past RAM", &c, -XEN_EINVAL);
    c = ok, c.gdt_ents = 16, c.gdt_frames[0] = released_mfn;
    hostile_context("a GDT frame we do not own", &c, -XEN_EINVAL);
    c = ok, c.gdt_ents = 16, c.gdt_frames[0] = mfn_of((void *)start_info->pt_base);
    hostile_context("a GDT frame that is our L4", &c, -XEN_EINVAL);
    /* An L4 that is not ours: -EINVAL (get_page_from_mfn). */
    c = ok, c.ctrlreg[3] = xen_pfn_to_cr3(released_mfn);
    hostile_context("an L4 we do not own", &c, -XEN_EINVAL);
    c = ok, c.ctrlreg[3] = xen_pfn_to_cr3(max_mfn + 16);
    hostile_context("an L4 past RAM", &c, -XEN_EINVAL);

    /* vCPU 1 with a good context runs; then it has one: -EEXIST. */
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ok), 0);
    CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
    for (unsigned long i = 0; i < 10000000 && !v1_alive; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK(v1_alive);
    CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 1);
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ok), -XEN_EEXIST);
    /* vCPU 0, running (this one), has one too. */
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 0, &ok), -XEN_EEXIST);
}

PVTEST(targeted_summary)
{
    printk("pvtest fuzz: targeted checks: %u failed\n", pvtest_failures());
}

static bool self_harming(unsigned int nr, unsigned long a0)
{
    switch (nr) {
    /* vcpu_op could stop vCPU 0 or 1, or start a vCPU holding one of the
     * hostile contexts a broken hypervisor accepted: never, in either
     * phase (see fuzz()). */
    case __HYPERVISOR_vcpu_op:
    case __HYPERVISOR_iret:
    case __HYPERVISOR_set_trap_table:
    case __HYPERVISOR_set_callbacks:
    case __HYPERVISOR_callback_op:
    case __HYPERVISOR_stack_switch:
    case __HYPERVISOR_console_io:
    case __HYPERVISOR_update_descriptor:
    case __HYPERVISOR_multicall:
    case __HYPERVISOR_set_segment_base:
    case __HYPERVISOR_fpu_taskswitch:
    /* An enabled breakpoint on the memory it scribbles on: #DB after #DB. */
    case __HYPERVISOR_set_debugreg:
    /* The PV MMU: random updates can unmap or remap the guest's own memory. */
    case __HYPERVISOR_mmu_update:
    case __HYPERVISOR_mmuext_op:
    case __HYPERVISOR_update_va_mapping:
    case __HYPERVISOR_update_va_mapping_otherdomain:
    case __HYPERVISOR_memory_op:
        return true;
    case __HYPERVISOR_sched_op:
        return a0 != SCHEDOP_yield;
    /* The batched grant operations write each element's status back into
     * the list: a random list pointer with a random count (now carried out
     * in full, by continuations, as on Xen) overwrites the guest's own
     * memory, stacks included; a copy writes its own frames anyway.
     * unmap_and_replace is one of them: at 10 million calls one walked
     * from scratch[] into vCPU 1's stack and wrote GNTST_bad_handle over
     * the return address of its hypercall (make soak, d100v1 #PF at
     * fffffffffffc4a28 for ffffffff80104a28). */
    case __HYPERVISOR_grant_table_op: /* cmd is 32 bits wide: the rest is ignored */
        switch ((unsigned int)a0) {
        case GNTTABOP_map_grant_ref:
        case GNTTABOP_unmap_grant_ref:
        case GNTTABOP_transfer:
        case GNTTABOP_copy:
        case GNTTABOP_unmap_and_replace:
        case GNTTABOP_swap_grant_ref:
        case GNTTABOP_cache_flush:
            return true;
        default:
            return false;
        }
    default:
        return false;
    }
}

static unsigned long num_option(const char *name, unsigned long dflt)
{
    const char *s = cmdline_option(name);
    unsigned long v = 0;
    while (s && *s >= '0' && *s <= '9')
        v = v * 10 + (unsigned long)(*s++ - '0');
    return s ? v : dflt;
}

static unsigned long calls(void)
{
    return num_option("calls", 20000);
}

/* What the random phases did, printed at the end of each (make soak). */
static struct {
    unsigned long calls, multicalls, entries, nested, insns, faults;
} counts;

/*
 * A multicall of random calls (only harmless ones in phase 1), some of
 * them multicalls themselves, pointing at a list of their own: Xen
 * refuses a nested one (-EINVAL in its slot) and carries on with the rest.
 */
static multicall_entry_t mc_lists[2][8];

static void random_multicall(bool phase2)
{
    unsigned int n = 1 + (unsigned int)(next() % 8);

    for (unsigned int l = 0; l < 2; l++)
        for (unsigned int i = 0; i < n; i++) {
            multicall_entry_t *e = &mc_lists[l][i];

            e->op = next() % 64;
            for (unsigned int k = 0; k < 6; k++)
                e->args[k] = arg();
            if (next() % 4 == 0) {
                e->op = __HYPERVISOR_multicall;
                e->args[0] = (unsigned long)mc_lists[1 - l];
                e->args[1] = n;
                counts.nested++;
            } else if (e->op == __HYPERVISOR_vcpu_op ||
                       (!phase2 && self_harming((unsigned int)e->op, e->args[0]))) {
                e->op = __HYPERVISOR_xen_version;
            }
        }
    counts.multicalls++;
    counts.entries += n;
    HYPERVISOR_multicall(mc_lists[0], n);
}

/*
 * A privileged or faulting instruction at random, from the guest kernel:
 * emulated, refused with #GP, or a fault bounced back to us; whichever,
 * execution resumes after it.
 */
#define TRY_INSN(insn, ...)                                                                        \
    do {                                                                                           \
        __label__ resumed;                                                                         \
        trap_expect(&&resumed);                                                                    \
        __asm__ goto(insn ::__VA_ARGS__ : "memory", "rax", "rcx", "rdx", "r8" : resumed);          \
    resumed:                                                                                       \
        counts.faults += last_trap.count;                                                          \
        trap_expect(NULL);                                                                         \
    } while (0)

static void random_instruction(void)
{
    unsigned long v = arg();

    counts.insns++;
    switch (next() % 16) {
    case 0:
        TRY_INSN("cli"); /* (events stay masked: sti would let them in unasked) */
        break;
    case 1:
        TRY_INSN("hlt");
        break;
    case 2:
        TRY_INSN("mov %0, %%rdx; inb %%dx, %%al", "r"(v));
        break;
    case 3:
        TRY_INSN("mov %0, %%rdx; outl %%eax, %%dx", "r"(v));
        break;
    case 4:
        TRY_INSN("mov %0, %%rcx; rdmsr", "r"(v));
        break;
    case 5: /* not the bases, which the test library does not use anyway */
        TRY_INSN("mov %0, %%rcx; xor %%eax, %%eax; xor %%edx, %%edx; wrmsr", "r"(v | 0x1000));
        break;
    case 6:
        TRY_INSN("mov %%cr4, %%rax; xor %0, %%rax; mov %%rax, %%cr4", "r"(v & ~(1UL << 2)));
        break;
    case 7:
        TRY_INSN("mov %%cr3, %%rax; mov %%cr2, %%rax; mov %%cr0, %%rax");
        break;
    case 8:
        /* (no enable bits: a live breakpoint here would only hurt us) */
        TRY_INSN("mov %0, %%rax; mov %%rax, %%db7", "r"(v & ~0xffUL));
        break;
    case 9:
        TRY_INSN("lidt (%0)", "r"(scratch));
        break;
    case 10:
        TRY_INSN("ud2");
        break;
    case 11:
        TRY_INSN("xor %%r8d, %%r8d; div %%r8d");
        break;
    case 12:
        TRY_INSN("movq (%0), %%rax", "r"(v));
        break;
    case 13:
        TRY_INSN("movq %%rax, (%0)", "r"(0xffff830000000000UL + (v & 0xfffff8UL)));
        break;
    case 14:
        TRY_INSN("int3");
        break;
    default:
        TRY_INSN("int $0x41");
        break;
    }
}

/*
 * n random hypercalls (a multicall counts as one), with random privileged
 * instructions and faults among them; calls left out as self-harming
 * are not counted, so n is what the hypervisor was really asked.
 */
static void fuzz(unsigned long n, bool phase2)
{
    for (unsigned long i = 0; i < n;) {
        unsigned int nr = (unsigned int)(next() % 70);
        unsigned long a[5] = {arg(), arg(), arg(), arg(), arg()};
        bool via_page = next() & 1;

        if (next() % 32 == 0) {
            random_instruction();
            continue;
        }
        if (next() % 32 == 0) {
            random_multicall(phase2);
            i++;
            continue;
        }
        if (next() % 50 == 0)
            nr = (unsigned int)next();
        if (via_page)
            nr %= 128; /* the hypercall page has 128 entries */
        if (nr == __HYPERVISOR_vcpu_op || (!phase2 && self_harming(nr, a[0])))
            continue;
        for (unsigned int j = 0; j < sizeof(scratch); j += 8)
            *(uint64_t *)&scratch[j] = next();
        counts.calls++;
        i++;
        if (via_page)
            hypercall5(nr, a[0], a[1], a[2], a[3], a[4]);
        else
            hypercall_raw5(nr, a[0], a[1], a[2], a[3], a[4]);
    }
}

static void print_counts(const char *phase)
{
    printk("pvtest fuzz: %s counts: %lu hypercalls, %lu multicalls (%lu entries, %lu nested), "
           "%lu instructions, %lu faults taken\n",
           phase, counts.calls, counts.multicalls, counts.entries, counts.nested, counts.insns,
           counts.faults);
}

PVTEST(phase1_survives)
{
    rng += num_option("seed", 0) * 0x2545f4914f6cdd1dUL; /* seed=N: another sequence */
    fuzz(calls(), false);
    printk("pvtest fuzz: phase 1 survived %lu calls\n", calls());
    print_counts("phase 1");
    CHECK(true);
}

/*
 * vCPU 0 stopped by vCPU 1 (VCPUOP_down) keeps its context: a new one is
 * refused (Xen: -EEXIST) and VCPUOP_up resumes it where it stopped. A
 * hypervisor that accepts the new context starts vCPU 0 in v0_hijacked,
 * which prints the verdict and ends the domain.
 */
PVTEST(vcpu0_reinit_after_down)
{
    if (!v1_alive) {
        CHECK(false);
        return;
    }
    v1_request = REQ_REINIT_V0;
    while (v1_request != REQ_DONE)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    printk("pvtest fuzz: vCPU 0 resumed after VCPUOP_down and up\n");
}

PVTEST(phase2_may_crash)
{
    fuzz(calls() / 4, true);
    printk("pvtest fuzz: phase 2 survived\n");
    print_counts("phase 1 and 2");
    CHECK(true);
}
