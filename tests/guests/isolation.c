/*
 * pvtest isolation: a guest that attacks the isolation boundary through
 * the paths a review found open, and checks each attempt is refused (with
 * Xen's errno) or has no effect. Run as dom0 and as a domU with two vCPUs;
 * on a hypervisor without the fixes each case fails (or the machine does).
 *
 *  - update_descriptor writing a "descriptor" into its own page tables;
 *  - VCPUOP_initialise with non-canonical bases, GDT frames beyond RAM or
 *    not its own, and re-initialising a vCPU that already had a context;
 *  - the writable page-table assist applied to sub-word operands;
 *  - a translation of a frame that outlives its entry once the frame is
 *    given back (the frame must be flushed out of every TLB before reuse);
 *  - a writable translation that outlives its entry once the frame becomes
 *    a page table, on this vCPU and on another one running meanwhile (the
 *    flush clock may skip only pCPUs that flushed since the entry went);
 *  - a user base pointer set from kernel mode (not reloaded then) is the
 *    one user mode runs on next, with nothing of the old one left;
 *  - the RTC's data port reads the clock for the control domain only;
 *  - assists and debug-register settings that used to succeed silently;
 *  - the machine's devices: physdev_op's privileged calls, pirqs it was
 *    not given, platform_op, and ports it was not granted (a domU); the
 *    hypervisor's own interrupts and ports, and bad arguments (dom0).
 */
#include "lib/pvclock.h"
#include "lib/pvmm.h"
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/physdev.h>
#include <xen/platform.h>
#include <xen/vcpu.h>

const char pvtest_kernel_name[] = "isolation";

#define P       0x001UL
#define RW      0x002UL
#define US      0x004UL
#define A       0x020UL
#define D       0x040UL
#define G       0x100UL
#define NX      (1UL << 63)
#define LEAF    (P | RW | US | A | D)
#define ADDR(e) ((e)&0x000ffffffffff000UL)
/* The hypervisor is loaded at 2 MiB: that frame is never a guest's. */
#define HYP_FRAME 0x200UL

static uint8_t window[4096] __attribute__((aligned(4096)));

static long map_at(void *va, unsigned long mfn, unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, (mfn << 12) | flags, UVMF_INVLPG);
}

static long vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

/* The bootstrap tables lie in our own mapping: a table's VA from its entry. */
static volatile uint64_t *table_of(uint64_t entry)
{
    return (volatile uint64_t *)(VIRT_BASE + (M2P[ADDR(entry) >> 12] << 12));
}

/* The L1 table (its mfn, and its VA) and the index that map `va`. */
static volatile uint64_t *l1_of(const void *va, unsigned long *mfn, unsigned int *idx)
{
    unsigned long a = (unsigned long)va;
    const uint64_t *l4 = (const uint64_t *)start_info->pt_base;
    volatile uint64_t *l3 = table_of(l4[(a >> 39) & 511]);
    volatile uint64_t *l2 = table_of(l3[(a >> 30) & 511]);
    uint64_t e2 = l2[(a >> 21) & 511];

    *mfn = ADDR(e2) >> 12;
    *idx = (a >> 12) & 511;
    return table_of(e2);
}

PVTEST(update_descriptor_cannot_write_page_tables)
{
    unsigned long l1_mfn, l4_mfn = mfn_of((void *)start_info->pt_base);
    unsigned int idx;
    volatile uint64_t *l1 = l1_of(window, &l1_mfn, &idx);
    const volatile uint64_t *l4 = (const uint64_t *)start_info->pt_base;
    uint64_t before = l1[idx], l4_before = l4[1];
    /* A PTE mapping the hypervisor's image writable: as a descriptor it is
     * "not present" (bit 47 clear), which every descriptor check passes. */
    uint64_t evil = (HYP_FRAME << 12) | LEAF;

    CHECK_EQ(HYPERVISOR_update_descriptor((l1_mfn << 12) + idx * 8, evil), -XEN_EINVAL);
    CHECK_EQ(l1[idx], before);
    if (l1[idx] != before) {
        /* It landed: put the entry back before anything uses it. */
        HYPERVISOR_update_descriptor((l1_mfn << 12) + idx * 8, before);
        mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0);
    }
    /* The same into the L4 (slot 1 is empty in our bootstrap tables). */
    CHECK_EQ(HYPERVISOR_update_descriptor((l4_mfn << 12) + 8, evil), -XEN_EINVAL);
    CHECK_EQ(l4[1], l4_before);
    if (l4[1] != l4_before)
        HYPERVISOR_update_descriptor((l4_mfn << 12) + 8, l4_before);
    /* A frame beyond RAM, and a frame that is not ours. */
    CHECK_EQ(HYPERVISOR_update_descriptor(1UL << 50, 0), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_update_descriptor(HYP_FRAME << 12, 0), -XEN_EINVAL);
    /* An ordinary page of ours still takes descriptors. */
    CHECK_EQ(HYPERVISOR_update_descriptor((mfn_of(window) << 12) + 16, 0x00cff3000000ffffUL), 0);
    CHECK_EQ(((volatile uint64_t *)window)[2], 0x00cff3000000ffffUL);
}

/* vCPU 1's life: what it was asked to do, what it saw. */
static uint8_t vcpu1_stack[8192] __attribute__((aligned(16)));
static struct vcpu_guest_context ctx;
static volatile int vcpu1_ran, vcpu1_done;
/* Work for vCPU 1 once it is down: set, then VCPUOP_up it. */
static void (*volatile vcpu1_job)(void);
static volatile long vcpu1_rc_down0, vcpu1_rc_init0, vcpu1_rc_up0;

/* Where vCPU 0 would restart if its context could be replaced. */
static void vcpu0_reborn(void)
{
    printk("pvtest isolation: vCPU 0 was re-initialised after VCPUOP_down\n");
    pvtest_shutdown(SHUTDOWN_crash);
}

static struct vcpu_guest_context ctx0;

static void vcpu1_main(void)
{
    vcpu1_ran = 1;
    /* Take vCPU 0 down and try to give it a second context. */
    vcpu1_rc_down0 = vcpu_op(VCPUOP_down, 0, NULL);
    vcpu1_rc_init0 = vcpu_op(VCPUOP_initialise, 0, &ctx0);
    vcpu1_rc_up0 = vcpu_op(VCPUOP_up, 0, NULL);
    vcpu1_done = 1;
    for (;;) {
        vcpu_op(VCPUOP_down, 1, NULL);
        if (vcpu1_job) {
            void (*job)(void) = vcpu1_job;
            vcpu1_job = NULL;
            job();
        }
    }
}

/* A context the hypervisor must accept, for `entry` on `stack`. */
static void good_context(struct vcpu_guest_context *c, void (*entry)(void), void *stack_top)
{
    memset(c, 0, sizeof(*c));
    c->user_regs.rip = (unsigned long)entry;
    c->user_regs.rsp = (unsigned long)stack_top - 8;
    c->user_regs.cs = 0xe033;
    c->user_regs.ss = 0xe02b;
    c->user_regs.rflags = 0x202;
    c->flags = VGCF_in_kernel;
    c->kernel_ss = 0xe02b;
    c->kernel_sp = (unsigned long)stack_top - 8;
    c->ctrlreg[3] = mfn_of((void *)start_info->pt_base) << 12;
}

PVTEST(vcpu_initialise_checks_the_context)
{
    struct xen_machphys_mapping m;
    void *top = vcpu1_stack + sizeof(vcpu1_stack);

    HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m);
    /* Bases the CPU would refuse in its MSRs (a #GP in the hypervisor). */
    good_context(&ctx, vcpu1_main, top);
    ctx.fs_base = 0x8000000000000000UL;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
    good_context(&ctx, vcpu1_main, top);
    ctx.gs_base_kernel = 0x0000800000000000UL;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
    good_context(&ctx, vcpu1_main, top);
    ctx.gs_base_user = 0xffff7fffffffffffUL;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
    /* GDT frames beyond RAM, and frames that are not ours. */
    good_context(&ctx, vcpu1_main, top);
    ctx.gdt_ents = 16;
    ctx.gdt_frames[0] = m.max_mfn + 1000;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
    ctx.gdt_frames[0] = HYP_FRAME;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
    ctx.gdt_frames[0] = 1UL << 40;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
    /* An L4 that is not ours; an LDT in the hypervisor's hole. */
    good_context(&ctx, vcpu1_main, top);
    ctx.ctrlreg[3] = HYP_FRAME << 12;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
    good_context(&ctx, vcpu1_main, top);
    ctx.ldt_base = 0xffff830000000000UL;
    ctx.ldt_ents = 16;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
    /* vCPU 0 has its context from the builder. */
    good_context(&ctx, vcpu1_main, top);
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 0, &ctx), -XEN_EEXIST);
}

PVTEST(a_vcpu_has_one_context)
{
    void *top = vcpu1_stack + sizeof(vcpu1_stack);

    good_context(&ctx, vcpu1_main, top);
    good_context(&ctx0, vcpu0_reborn, top);
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), 0);
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EEXIST);
    CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
    /* vCPU 1 takes us down, tries to re-initialise us, and brings us up. */
    for (unsigned long i = 0; !vcpu1_done && i < 100000000UL; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK(vcpu1_ran);
    CHECK(vcpu1_done);
    CHECK_EQ(vcpu1_rc_down0, 0);
    CHECK_EQ(vcpu1_rc_init0, -XEN_EEXIST);
    CHECK_EQ(vcpu1_rc_up0, 0);
    /* vCPU 1 is down now; its context stays the one it had. */
    for (unsigned long i = 0; vcpu_op(VCPUOP_is_up, 1, NULL) && i < 1000000UL; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EEXIST);
}

/* An L1 of our own, pinned, mapping one data frame; mapped read-only at `window`. */
static unsigned long pt_l1, pt_data;

static void make_l1(void)
{
    pt_l1 = spare_mfn(0);
    pt_data = spare_mfn(1);
    CHECK_EQ(map_at(window, pt_l1, LEAF), 0);
    memset(window, 0, sizeof(window));
    ((uint64_t *)window)[0] = (pt_data << 12) | LEAF;
    CHECK_EQ(map_at(window, mfn_of(window), LEAF), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, pt_l1), 0);
    CHECK_EQ(map_at(window, pt_l1, P | US | A), 0);
}

PVTEST(writable_pagetables_by_operand_size)
{
    volatile uint64_t *e = (volatile uint64_t *)window;
    uint64_t base;

    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    make_l1();
    base = (pt_data << 12) | LEAF;
    CHECK_EQ(e[0], base);
    /* A byte-wide OR on the entry's top byte: NX, nothing else. */
    __asm__ volatile("lock orb $0x80, 7(%0)" ::"r"(e) : "memory");
    CHECK_EQ(e[0], base | NX);
    /* A byte-wide AND on the low byte: RW cleared, the rest kept. */
    __asm__ volatile("lock andb $0xfd, (%0)" ::"r"(e) : "memory");
    CHECK_EQ(e[0], (base | NX) & ~RW);
    /* A byte store into byte 1: G set, the frame number untouched. */
    __asm__ volatile("movb %1, 1(%0)" ::"r"(e), "q"((uint8_t)((base >> 8) | 1)) : "memory");
    CHECK_EQ(e[0], ((base | NX) & ~RW) | G);
    /* A 32-bit store into the upper half: NX cleared, the low half kept. */
    __asm__ volatile("movl %1, 4(%0)" ::"r"(e), "r"((uint32_t)(base >> 32)) : "memory");
    CHECK_EQ(e[0], (base & ~RW) | G);
    /* A 16-bit cmpxchg that does not match leaves the entry, loads %ax. */
    {
        uint64_t rax = 0x1234567812345678UL;
        __asm__ volatile("lock cmpxchgw %w2, 2(%1)" : "+a"(rax) : "r"(e), "r"(0) : "memory");
        CHECK_EQ(rax, 0x1234567812340000UL | ((base >> 16) & 0xffff));
        CHECK_EQ(e[0], (base & ~RW) | G);
    }
    /* Without the assist, the same write is the guest's page fault. */
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0);
    EXPECT_TRAP("orb $0x2, (%0)", "r"(e));
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(e[0], (base & ~RW) | G);
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    CHECK_EQ(map_at(window, mfn_of(window), LEAF), 0);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, pt_l1), 0);
}

/*
 * A frame given back while a translation of it may still sit in the TLB
 * (its entry cleared by mmu_update, which does not flush: the guest is to
 * flush, and this one does not). The frame goes back to the heap, where
 * anyone may get it next: the hypervisor must flush it out of every TLB
 * first. Reading it afterwards must fault. QEMU's TLB keeps translations
 * until a flush, so without the flush the read would see the old frame.
 */
static volatile uint64_t probe_value;

static void stale_after_release(unsigned long flags, unsigned int spare)
{
    unsigned long l1_mfn, frame = spare_mfn(spare);
    unsigned int idx;
    xen_pfn_t f = frame;
    struct xen_memory_reservation r = {.nr_extents = 1, .domid = DOMID_SELF};

    l1_of(window, &l1_mfn, &idx);
    CHECK_EQ(map_at(window, frame, flags), 0);
    ((volatile uint64_t *)window)[0] = 0x5ca1ab1e;
    probe_value = ((volatile uint64_t *)window)[0]; /* in the TLB now */
    CHECK_EQ(probe_value, 0x5ca1ab1e);
    CHECK_EQ(mmu_update1((l1_mfn << 12) + idx * 8, 0), 0);
    r.extent_start.p = &f;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 1);
    EXPECT_TRAP("movq (%0), %%rax", "r"(window));
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(map_at(window, mfn_of(window), LEAF), 0);
}

PVTEST(no_translation_outlives_a_released_frame)
{
    stale_after_release(LEAF, 2);
    /* A global one survives a CR3 reload: it must go too. */
    stale_after_release(LEAF | G, 3);
}

PVTEST(no_stale_global_translation_after_a_flush)
{
    unsigned long l1_mfn, x = spare_mfn(4), y = spare_mfn(5);
    unsigned int idx;

    l1_of(window, &l1_mfn, &idx);
    CHECK_EQ(map_at(window, y, LEAF), 0);
    ((volatile uint64_t *)window)[0] = 0xbbbb;
    CHECK_EQ(map_at(window, x, LEAF | G), 0);
    ((volatile uint64_t *)window)[0] = 0xaaaa;
    /* Repoint the entry without a flush, then ask for a full flush. */
    CHECK_EQ(mmu_update1((l1_mfn << 12) + idx * 8, (y << 12) | LEAF | G), 0);
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0), 0);
    CHECK_EQ(((volatile uint64_t *)window)[0], 0xbbbb);
    /* And a new base pointer (our own again) is no less a flush for it. */
    CHECK_EQ(mmu_update1((l1_mfn << 12) + idx * 8, (x << 12) | LEAF | G), 0);
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0), 0);
    CHECK_EQ(((volatile uint64_t *)window)[0], 0xaaaa);
    CHECK_EQ(map_at(window, mfn_of(window), LEAF), 0);
}

/*
 * A frame written through a writable mapping (so the translation sits in
 * the TLB), the entry then cleared by mmu_update (no flush: the guest has
 * not asked for one), and the frame pinned as an L1 table: the hypervisor
 * must flush the writable translation out before it trusts the frame, or
 * the guest could write its own page table. The write through the old
 * address must fault, and the table stay as it was validated.
 */
static void stale_writable_then_pin(unsigned long flags, unsigned int spare)
{
    unsigned long l1_mfn, frame = spare_mfn(spare);
    unsigned int idx;
    volatile uint64_t *w = (volatile uint64_t *)window;

    l1_of(window, &l1_mfn, &idx);
    CHECK_EQ(map_at(window, frame, flags), 0);
    memset(window, 0, sizeof(window)); /* an empty L1 to be */
    w[0] = 0;                          /* the writable translation is cached */
    CHECK_EQ(mmu_update1((l1_mfn << 12) + idx * 8, 0), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, frame), 0);
    EXPECT_TRAP("movq $0x5a5a000, (%0)", "r"(window));
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(map_at(window, frame, P | US | A), 0); /* a table may be read */
    CHECK_EQ(w[0], 0);
    CHECK_EQ(map_at(window, mfn_of(window), LEAF), 0);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, frame), 0);
}

PVTEST(no_writable_translation_outlives_a_retype)
{
    stale_writable_then_pin(LEAF, 6);
    stale_writable_then_pin(LEAF | G, 7);
    /* A flush before the entry goes is no flush after it. */
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0), 0);
    stale_writable_then_pin(LEAF, 8);
}

/* The same with the translation cached by vCPU 1, running elsewhere. */
static volatile int v1_stage;
static volatile unsigned int v1_vector;

static void vcpu1_stale_job(void)
{
    volatile uint64_t *w = (volatile uint64_t *)window;

    traps_init(); /* a trap table is per vCPU */
    w[1] = 0;     /* cached here now */
    v1_stage = 1;
    while (v1_stage != 2)
        __asm__ volatile("pause");
    EXPECT_TRAP("movq $0x5a5a000, 8(%0)", "r"(window));
    v1_vector = last_trap.vector;
    v1_stage = 3;
}

PVTEST(no_writable_translation_outlives_a_retype_on_another_vcpu)
{
    unsigned long l1_mfn, frame = spare_mfn(9);
    unsigned int idx;
    volatile uint64_t *w = (volatile uint64_t *)window;
    unsigned long i;

    if (!vcpu1_done)
        return; /* a_vcpu_has_one_context did not leave vCPU 1 ours */
    l1_of(window, &l1_mfn, &idx);
    CHECK_EQ(map_at(window, frame, LEAF), 0);
    memset(window, 0, sizeof(window));
    v1_stage = 0;
    v1_vector = 0;
    vcpu1_job = vcpu1_stale_job;
    CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
    for (i = 0; v1_stage != 1 && i < 100000000UL; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(v1_stage, 1);
    CHECK_EQ(mmu_update1((l1_mfn << 12) + idx * 8, 0), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, frame), 0);
    v1_stage = 2;
    for (i = 0; v1_stage != 3 && i < 100000000UL; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(v1_stage, 3);
    CHECK_EQ(v1_vector, 14);
    CHECK_EQ(map_at(window, frame, P | US | A), 0);
    CHECK_EQ(w[1], 0);
    CHECK_EQ(map_at(window, mfn_of(window), LEAF), 0);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, frame), 0);
}

/*
 * The frame counts without a global lock (issue 18): vCPU 0 pins and
 * unpins an L1 table T while vCPU 1 (on the other pCPU, as dom0) maps T
 * writable, writes a hypervisor frame's entry into it, and unmaps it,
 * and now and then updates an entry of T by hypercall (the table's page
 * lock when T is pinned, a plain write when it is not: refused while
 * vCPU 1 does not hold it writable). Each says, in a flag, what it holds
 * while it holds it; whoever succeeds while the other's flag is up has
 * caught T pinned and writable at once. Then every count must be back:
 * T and its data frame can each be pinned and mapped writable again.
 */
#define RACE_ROUNDS 10000
static uint8_t race_window[4096] __attribute__((aligned(4096)));
static volatile int race_pinned, race_writable, race_done;
static volatile unsigned long race_maps, race_updates, race_caught;

static void vcpu1_race_job(void)
{
    volatile uint64_t *w = (volatile uint64_t *)race_window;
    unsigned long t = spare_mfn(40), data = spare_mfn(41);

    for (unsigned int i = 0; i < RACE_ROUNDS; i++) {
        if (map_at(race_window, t, LEAF) == 0) {
            race_writable = 1;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (race_pinned)
                race_caught++;
            w[1] = (HYP_FRAME << 12) | LEAF; /* harmless only while T is no table */
            w[1] = 0;
            race_writable = 0;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            race_maps++;
            CHECK_EQ(map_at(race_window, mfn_of(race_window), LEAF), 0);
        }
        if (!(i & 3) && mmu_update1((t << 12) + 2 * 8, (data << 12) | P | US | A) == 0)
            race_updates++;
        if (!(i & 7))
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    race_done = 1;
}

PVTEST(pin_and_writable_mapping_race)
{
    unsigned long t = spare_mfn(40), data = spare_mfn(41), pins = 0;
    volatile uint64_t *w = (volatile uint64_t *)race_window;

    if (!vcpu1_done)
        return; /* a_vcpu_has_one_context did not leave vCPU 1 ours */
    CHECK_EQ(map_at(race_window, t, LEAF), 0);
    memset(race_window, 0, sizeof(race_window));
    w[0] = (data << 12) | LEAF;
    CHECK_EQ(map_at(race_window, mfn_of(race_window), LEAF), 0);
    race_done = 0;
    vcpu1_job = vcpu1_race_job;
    CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
    for (unsigned long i = 0; !race_done && i < 100000000UL; i++) {
        if (mmuext1(MMUEXT_PIN_L1_TABLE, t) == 0) {
            race_pinned = 1;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (race_writable)
                race_caught++;
            race_pinned = 0;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            pins++;
            CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, t), 0);
        }
        if (!(i & 7))
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL); /* one pCPU: let vCPU 1 run */
    }
    CHECK(race_done);
    printk("pvtest isolation: race: %lu pins, %lu writable mappings, %lu entry updates\n", pins,
           race_maps, race_updates);
    CHECK_EQ(race_caught, 0);
    CHECK(pins > 0);
    CHECK(race_maps > 0);
    /* Every count back where it was. */
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, t), 0);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, t), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, data), 0); /* no writable mapping of it left */
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, data), 0);
    CHECK_EQ(map_at(race_window, t, LEAF), 0);
    CHECK_EQ(map_at(race_window, mfn_of(race_window), LEAF), 0);
}

/*
 * mmbench=1 (tests/bench/pv-bench.sh): does the PV MMU let two vCPUs work
 * at once? Each vCPU has an L2 of its own over 8 L1s (all mapping the
 * same 64 data frames of its own, writable), pinned and unpinned: one
 * validation and teardown of 512 entries. First vCPU 0 alone, then both
 * at once on their own tables; the time per pin+unpin over both, in TSC
 * cycles. Serialised in the hypervisor, the second is the first; side by
 * side, half of it.
 */
#define MMB_L1S    8
#define MMB_DATA   64
#define MMB_ROUNDS 2000
static volatile int mmb_go, mmb_done;

static unsigned long mmb_frame(unsigned int set, unsigned int n)
{
    return spare_mfn(100 + set * (1 + MMB_L1S + MMB_DATA) + n);
}

/* Table `mfn` of set `set`: n entries, to the set's frames first.., with flags. */
static void mmb_fill(unsigned long mfn, unsigned int n, unsigned int set, unsigned int first,
                     uint64_t flags)
{
    uint64_t *w = (uint64_t *)window;

    CHECK_EQ(map_at(window, mfn, LEAF), 0);
    memset(window, 0, sizeof(window));
    for (unsigned int i = 0; i < n; i++)
        w[i] = (mmb_frame(set, first + i) << 12) | flags;
    CHECK_EQ(map_at(window, mfn_of(window), LEAF), 0);
}

static void mmb_build(unsigned int set)
{
    for (unsigned int i = 0; i < MMB_L1S; i++)
        mmb_fill(mmb_frame(set, 1 + i), MMB_DATA, set, 1 + MMB_L1S, LEAF);
    mmb_fill(mmb_frame(set, 0), MMB_L1S, set, 1, P | RW | US | A);
}

static void mmb_rounds(unsigned int set)
{
    for (unsigned int i = 0; i < MMB_ROUNDS; i++) {
        CHECK_EQ(mmuext1(MMUEXT_PIN_L2_TABLE, mmb_frame(set, 0)), 0);
        CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, mmb_frame(set, 0)), 0);
    }
}

static void vcpu1_mmb_job(void)
{
    while (!mmb_go)
        __asm__ volatile("pause");
    mmb_rounds(1);
    mmb_done = 1;
}

PVTEST(mm_bench_one_and_two_vcpus)
{
    uint64_t t0, one, two;

    if (!cmdline_option("mmbench") || !vcpu1_done)
        return;
    mmb_build(0);
    mmb_build(1);
    mmb_rounds(0); /* warm */
    t0 = rdtsc();
    mmb_rounds(0);
    one = (rdtsc() - t0) / MMB_ROUNDS;
    mmb_go = mmb_done = 0;
    vcpu1_job = vcpu1_mmb_job;
    CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0); /* it waits for mmb_go */
    t0 = rdtsc();
    mmb_go = 1;
    mmb_rounds(0);
    while (!mmb_done)
        __asm__ volatile("pause");
    two = (rdtsc() - t0) / (2 * MMB_ROUNDS);
    printk("pvtest isolation: bench mm pin+unpin of an L2 over %u L1s: 1 vCPU %lu cycles, "
           "2 vCPUs %lu cycles per op (x1000: %lu)\n",
           MMB_L1S, (unsigned long)one, (unsigned long)two, (unsigned long)(two * 1000 / one));
}

#define PROBE_VA (1UL << 39) /* L4 slot 1: empty in the kernel's own tables */
static volatile uint64_t user_saw;

static void user_probe(void)
{
    user_saw = *(volatile uint64_t *)PROBE_VA;
    USER_EXIT();
}

/* What user mode reads at PROBE_VA, on whatever user base is set. */
static uint64_t run_probe(void)
{
    user_saw = 0;
    run_user(user_probe);
    return user_saw;
}

/* A spare frame filled through the window: zeros, entry 0 set. */
static void fill(unsigned long mfn, uint64_t e0)
{
    CHECK_EQ(map_at(window, mfn, LEAF), 0);
    memset(window, 0, sizeof(window));
    ((volatile uint64_t *)window)[0] = e0;
}

/* A pinned user L4: the kernel's entries, plus slot 1 leading to a
 * data frame that holds `value` at PROBE_VA (spare frames from `spare`). */
static unsigned long make_user_l4(unsigned int spare, uint64_t value)
{
    unsigned long l4 = spare_mfn(spare), l3 = spare_mfn(spare + 1), l2 = spare_mfn(spare + 2),
                  l1 = spare_mfn(spare + 3), data = spare_mfn(spare + 4);

    fill(data, value);
    fill(l1, (data << 12) | LEAF);
    fill(l2, (l1 << 12) | LEAF);
    fill(l3, (l2 << 12) | LEAF);
    CHECK_EQ(map_at(window, l4, LEAF), 0);
    memcpy(window, (const void *)start_info->pt_base, sizeof(window));
    ((volatile uint64_t *)window)[1] = (l3 << 12) | LEAF;
    CHECK_EQ(map_at(window, mfn_of(window), LEAF), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, l4), 0);
    return l4;
}

PVTEST(a_user_base_set_in_kernel_mode_is_the_next_one_used)
{
    unsigned long ua = make_user_l4(10, 0xaaaa), ub = make_user_l4(15, 0xbbbb);

    CHECK_EQ(mmuext1(MMUEXT_NEW_USER_BASEPTR, ua), 0);
    CHECK_EQ(run_probe(), 0xaaaa);
    /* Set from kernel mode, where the user table is not the one loaded:
     * the return to user mode loads the new one, and what user mode
     * cached through the old one is gone. */
    CHECK_EQ(mmuext1(MMUEXT_NEW_USER_BASEPTR, ub), 0);
    CHECK_EQ(run_probe(), 0xbbbb);
    CHECK_EQ(mmuext1(MMUEXT_NEW_USER_BASEPTR, ua), 0);
    CHECK_EQ(run_probe(), 0xaaaa);
    CHECK_EQ(mmuext1(MMUEXT_NEW_USER_BASEPTR, 0), 0);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, ua), 0);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, ub), 0);
}

/*
 * The RTC's ports, as Xen serves a PV guest's: the index port latches
 * what any domain writes; the data port reads the clock through it for
 * the control domain only (QEMU's status register D: 0x80, valid) and all
 * ones for any other; a write to the clock changes nothing.
 */
PVTEST(rtc_data_port_is_the_control_domains)
{
    struct physdev_set_iopl iopl = {.iopl = 1};
    bool ctl = start_info->flags & SIF_INITDOMAIN;
    uint8_t idx = 0, d = 0, b0 = 0, b1 = 0;

    CHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0);
    __asm__ volatile("outb %0, $0x70" ::"a"((uint8_t)0x0d));
    __asm__ volatile("inb $0x70, %0" : "=a"(idx));
    CHECK_EQ(idx, 0x0d);
    __asm__ volatile("inb $0x71, %0" : "=a"(d));
    CHECK_EQ(d, ctl ? 0x80 : 0xff);
    __asm__ volatile("outb %0, $0x70" ::"a"((uint8_t)0x0b));
    __asm__ volatile("inb $0x71, %0" : "=a"(b0));
    __asm__ volatile("outb %0, $0x71" ::"a"((uint8_t)(b0 ^ 0x04))); /* binary mode: dropped */
    __asm__ volatile("inb $0x71, %0" : "=a"(b1));
    CHECK_EQ(b1, b0); /* (the I/O privilege stays 1, as the library set it) */
}

PVTEST(no_silent_successes)
{
    /* Assists that nothing here implements are refused, as Xen refuses
     * what it does not know; those that act are accepted. */
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_4gb_segments), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_4gb_segments_notify), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_pae_extended_cr3), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_m2p_strict), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag), 0);
    /* Breakpoints are real now (debugreg.c): one is taken and reads back. */
    CHECK_EQ(HYPERVISOR_set_debugreg(0, VIRT_BASE), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0x1), 0);
    CHECK_EQ(HYPERVISOR_get_debugreg(7), 0x401);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0), 0);
}

/* The machine's devices (hyp/physdev.c, irq_pirq.c, ioport.c). */
#define BAD_PTR 0xdead000UL

static long physdev(int cmd, void *arg)
{
    return HYPERVISOR_physdev_op(cmd, arg);
}

static long evtchn_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static long platform_op(struct xen_platform_op *op)
{
    return hypercall1(__HYPERVISOR_platform_op, op);
}

static uint32_t port_in32(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static uint8_t port_in8(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void port_out32(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static bool privileged(void)
{
    return start_info->flags & SIF_PRIVILEGED;
}

static struct physdev_map_pirq gsi_map(int gsi)
{
    struct physdev_map_pirq m = {
        .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .index = gsi, .pirq = -1};
    return m;
}

PVTEST(devices_are_the_hardware_domains)
{
    struct physdev_map_pirq m = gsi_map(10);
    struct physdev_unmap_pirq u = {.domid = DOMID_SELF, .pirq = 10};
    struct physdev_setup_gsi sg = {.gsi = 10, .triggering = 1, .polarity = 1};
    struct physdev_manage_pci mp = {.bus = 0, .devfn = 0};
    struct physdev_pci_device_add pa = {.seg = 0, .bus = 0, .devfn = 0};
    struct physdev_get_free_pirq gf = {.type = MAP_PIRQ_TYPE_GSI};
    struct physdev_irq iv = {.irq = 10};
    struct physdev_apic ap = {.apic_physbase = 0xfec00000, .reg = 1};
    struct evtchn_bind_pirq bp = {.pirq = 10};
    struct physdev_irq_status_query q = {.irq = 10};
    struct physdev_eoi eoi = {.irq = 100000};
    struct xen_platform_op op = {.cmd = XENPF_get_cpuinfo,
                                 .interface_version = XENPF_INTERFACE_VERSION};

    if (privileged())
        return; /* dom0's own case below */
    /* Every call that hands out the machine: Xen's -EPERM. */
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_setup_gsi, &sg), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_manage_pci_add, &mp), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_manage_pci_remove, &mp), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_add, &pa), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_get_free_pirq, &gf), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_alloc_irq_vector, &iv), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_apic_read, &ap), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_apic_write, &ap), -XEN_EPERM);
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, (void *)BAD_PTR), -XEN_EPERM);
    /* A pirq it was never given, and one past the range. */
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &bp), -XEN_EPERM);
    bp.pirq = 100000;
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &bp), -XEN_EINVAL);
    /* What any guest may ask: a status (none), an EOI out of range. */
    CHECK_EQ(physdev(PHYSDEVOP_irq_status_query, &q), 0);
    CHECK_EQ(q.flags, 0);
    q.irq = 100000;
    CHECK_EQ(physdev(PHYSDEVOP_irq_status_query, &q), -XEN_EINVAL);
    CHECK_EQ(physdev(PHYSDEVOP_eoi, &eoi), -XEN_EINVAL);
    CHECK_EQ(platform_op(&op), -XEN_EPERM);
    /* Ports it was not granted: reads float high, writes go nowhere. */
    port_out32(0xcf8, 0x80000000u);
    CHECK_EQ(port_in32(0xcfc), 0xffffffffu);
    CHECK_EQ(port_in32(0xcf8), 0xffffffffu);
    CHECK_EQ(port_in8(0x3fd), 0xff); /* the console UART's status */
}

PVTEST(hardware_domain_keeps_to_its_own)
{
    struct physdev_map_pirq m = gsi_map(4); /* COM1: the hypervisor's */
    struct physdev_unmap_pirq u = {.domid = DOMID_SELF};
    struct physdev_irq_status_query q;
    struct evtchn_bind_pirq bp;
    struct evtchn_close cl;
    struct xen_platform_op op = {.cmd = XENPF_get_cpuinfo, .interface_version = 1};

    if (!privileged())
        return;
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -XEN_EPERM);
    m = gsi_map(2); /* the PIT's */
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -XEN_EPERM);
    m = gsi_map(5000);
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -XEN_EINVAL);
    m = gsi_map(10);
    m.domid = 7;
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -XEN_EINVAL);
    m = gsi_map(10);
    m.type = 99;
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -XEN_EINVAL);
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, (void *)BAD_PTR), -XEN_EFAULT);
    /* MSI of a device that is not there; an MSI-X table not its BAR. */
    m = (struct physdev_map_pirq){.domid = DOMID_SELF,
                                  .type = MAP_PIRQ_TYPE_MSI,
                                  .index = -1,
                                  .pirq = -1,
                                  .bus = 0xff,
                                  .devfn = 0xff};
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -XEN_ENODEV);
    m.devfn = 300;
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -XEN_EINVAL);

    /* A GSI of its own: mapped, its status, bound once, unmapped. */
    m = gsi_map(10);
    m.pirq = 10;
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), 0);
    CHECK_EQ(m.pirq, 10);
    q.irq = 10;
    CHECK_EQ(physdev(PHYSDEVOP_irq_status_query, &q), 0);
    CHECK_EQ(q.flags & XENIRQSTAT_needs_eoi, XENIRQSTAT_needs_eoi); /* level (MADT) */
    bp.pirq = 10;
    bp.flags = 0;
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &bp), 0);
    cl.port = bp.port;
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &bp), -XEN_EEXIST);
    bp.pirq = 200; /* not mapped */
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &bp), -XEN_EPERM);
    CHECK_EQ(evtchn_op(EVTCHNOP_close, &cl), 0);
    u.pirq = 10;
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), 0);
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), -XEN_EINVAL);

    /* platform_op: the interface version is checked; sleep is refused. */
    CHECK_EQ(platform_op(&op), -XEN_EACCES);
    op.interface_version = XENPF_INTERFACE_VERSION;
    op.u.pcpu_info.xen_cpuid = 0;
    CHECK_EQ(platform_op(&op), 0);
    CHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_ONLINE);
    op.cmd = XENPF_enter_acpi_sleep;
    op.u.enter_acpi_sleep.sleep_state = 3;
    CHECK_EQ(platform_op(&op), -XEN_EOPNOTSUPP);

    /* PCI configuration space is dom0's: the host bridge answers. */
    port_out32(0xcf8, 0x80000000u);
    CHECK_EQ(port_in32(0xcf8), 0x80000000u);
    CHECK_EQ(port_in32(0xcfc), 0x12378086u); /* QEMU's i440FX */
    /* The UART is the hypervisor's: dom0 reads nothing there. */
    CHECK_EQ(port_in8(0x3fd), 0xff);
}

/*
 * XENMEM_exchange (hyp/mm/mem_exchange.c): two unmapped spare frames for
 * one contiguous pair, whose M2P names the pfns asked for; then what it
 * refuses: frames no longer (or never) ours, one still mapped, sizes that
 * do not match or are too large, another domain, bad pointers.
 */
static long exchange(xen_pfn_t *in, unsigned long n_in, unsigned int in_order, xen_pfn_t *out,
                     unsigned long n_out, unsigned int out_order, domid_t dom, unsigned long *done)
{
    struct xen_memory_exchange x = {
        .in = {.nr_extents = n_in, .extent_order = in_order, .domid = dom},
        .out = {.nr_extents = n_out, .extent_order = out_order, .domid = dom},
    };
    long rc;

    set_xen_guest_handle(x.in.extent_start, in);
    set_xen_guest_handle(x.out.extent_start, out);
    rc = HYPERVISOR_memory_op(XENMEM_exchange, &x);
    *done = x.nr_exchanged;
    return rc;
}

PVTEST(memory_exchange)
{
    unsigned long pfn = start_info->nr_pages - 62, done = 0;
    xen_pfn_t in[2] = {spare_mfn(60), spare_mfn(61)}, out[1] = {pfn}, mapped[1] = {mfn_of(window)};
    xen_pfn_t old[2] = {in[0], in[1]}, hyp[1] = {HYP_FRAME}, big[1] = {pfn};

    CHECK_EQ(exchange(in, 2, 0, out, 1, 1, DOMID_SELF, &done), 0);
    CHECK_EQ(done, 2);
    CHECK_EQ(out[0] & 1, 0); /* an order-1 extent is aligned */
    CHECK_EQ(M2P[out[0]], pfn);
    CHECK_EQ(M2P[out[0] + 1], pfn + 1);
    /* The frames given in are not ours any more; the hypervisor's never were. */
    out[0] = pfn;
    CHECK_EQ(exchange(old, 2, 0, out, 1, 1, DOMID_SELF, &done), -XEN_EINVAL);
    CHECK_EQ(exchange(hyp, 1, 0, out, 1, 0, DOMID_SELF, &done), -XEN_EINVAL);
    CHECK_EQ(exchange(mapped, 1, 0, out, 1, 0, DOMID_SELF, &done), -XEN_EINVAL);
    /* Sizes: unequal, past the limit; another domain; bad pointers. */
    CHECK_EQ(exchange(in, 2, 0, out, 1, 2, DOMID_SELF, &done), -XEN_EINVAL);
    CHECK_EQ(exchange(big, 1, 10, out, 1, 10, DOMID_SELF, &done), -XEN_EINVAL);
    CHECK_EQ(exchange(in, 1UL << 40, 0, out, 1UL << 40, 0, DOMID_SELF, &done), -XEN_EINVAL);
    CHECK_EQ(exchange(in, 1, 0, out, 1, 0, 5, &done), -XEN_EPERM);
    CHECK_EQ(exchange((xen_pfn_t *)BAD_PTR, 1, 0, out, 1, 0, DOMID_SELF, &done), -XEN_EFAULT);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_exchange, (void *)BAD_PTR), -XEN_EFAULT);
}
