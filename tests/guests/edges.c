/*
 * pvtest edges: what a PV guest sees at the edges of the ABI, case by case
 * as Xen 4.17 behaves: the error code of a bounced fault, exceptions and
 * software interrupts with no handler, and the same from guest user mode.
 */
#include "lib/pvmm.h"
#include "lib/pvtest.h"
#include <xen/callback.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/physdev.h>
#include <xen/version.h>

const char pvtest_kernel_name[] = "edges";

#define BAD_LOW  0xdead000UL          /* unmapped guest address */
#define BAD_HOLE 0xffff830000000000UL /* the hypervisor's direct map */

/* What user-mode code saw, checked back in kernel mode. */
static volatile struct trap_record user_traps[4];

static void keep_user_trap(unsigned int i)
{
    user_traps[i] = last_trap;
}

/*
 * #PF: the error code is the hardware's for the guest's access, with U
 * saying which guest mode faulted (both run in ring 3), as Xen sets it.
 */
PVTEST(page_fault_error_code_kernel)
{
    EXPECT_TRAP("movq (%0), %%rax", "r"(BAD_LOW));
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.error_code, 0); /* not present, read, supervisor */
    EXPECT_TRAP("movq $1, (%0)", "r"(BAD_LOW));
    CHECK_EQ(last_trap.error_code, 2); /* not present, write */
    EXPECT_TRAP("movq $1, (%0)", "r"(BAD_HOLE));
    CHECK_EQ(last_trap.error_code, 3); /* present (the hypervisor's), write */
}

static void user_page_faults(void)
{
    EXPECT_TRAP("movq (%0), %%rax", "r"(BAD_LOW));
    keep_user_trap(0);
    EXPECT_TRAP("movq $1, (%0)", "r"(BAD_HOLE));
    keep_user_trap(1);
    USER_EXIT();
}

PVTEST(page_fault_error_code_user)
{
    run_user(user_page_faults);
    CHECK_EQ(user_traps[0].vector, 14);
    CHECK_EQ(user_traps[0].error_code, 4); /* not present, read, user */
    CHECK_EQ(user_traps[0].cs, 0xe033);
    CHECK_EQ(user_traps[1].vector, 14);
    CHECK_EQ(user_traps[1].error_code, 7); /* present, write, user */
}

/*
 * Software interrupts: the guest's trap table says who may raise a vector
 * (its kernel needs DPL 1 or more, its user mode DPL 3); a refused one, or
 * one with no handler, is #GP((n << 3) | 2) at the int instruction.
 */
extern void trap_entry_128(void);

PVTEST(soft_int_without_handler_kernel)
{
    EXPECT_TRAP("int $0x41");
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, (0x41 << 3) | 2);
    CHECK_EQ(*(const uint8_t *)last_trap.rip, 0xcd); /* at the int, not past it */
    CHECK_EQ(last_trap.cs, 0xe030);
}

PVTEST(soft_int_dpl_kernel)
{
    trap_set(0x42, trap_entry_128, 0);
    EXPECT_TRAP("int $0x42");
    CHECK_EQ(last_trap.vector, 13); /* DPL 0: not even the guest kernel */
    CHECK_EQ(last_trap.error_code, (0x42 << 3) | 2);
    trap_set(0x42, trap_entry_128, 1);
    EXPECT_TRAP("int $0x42");
    CHECK_EQ(last_trap.vector, 128); /* delivered: the stub of 0x80 took it */
    CHECK_EQ(last_trap.error_code, ~0UL);
}

static void user_soft_ints(void)
{
    EXPECT_TRAP("int $0x80"); /* no handler for 0x80 */
    keep_user_trap(0);
    EXPECT_TRAP("int $0x42"); /* DPL 1: not for user mode */
    keep_user_trap(1);
    EXPECT_TRAP("syscall"); /* no syscall callback */
    keep_user_trap(2);
    USER_EXIT();
}

PVTEST(soft_int_and_syscall_without_handler_user)
{
    HYPERVISOR_set_callbacks(0, 0, 0); /* no syscall callback either */
    run_user(user_soft_ints);
    CHECK_EQ(user_traps[0].vector, 13);
    CHECK_EQ(user_traps[0].error_code, (0x80 << 3) | 2);
    CHECK_EQ(*(const uint8_t *)user_traps[0].rip, 0xcd);
    CHECK_EQ(user_traps[0].cs, 0xe033);
    CHECK_EQ(user_traps[1].vector, 13);
    CHECK_EQ(user_traps[1].error_code, (0x42 << 3) | 2);
    CHECK_EQ(user_traps[2].vector, 6);
    CHECK_EQ(*(const uint8_t *)user_traps[2].rip, 0x0f); /* at the syscall */
    CHECK_EQ(*(const uint8_t *)(user_traps[2].rip + 1), 0x05);
}

/*
 * The iret hypercall with a frame the hardware refuses: on Xen the final
 * return faults and the guest takes that fault as its own, at the frame
 * it asked for (the domain is not crashed).
 */
__asm__(".text\n"
        "iret_with:\n"          /* rip, cs, rflags, ss in rdi, rsi, rdx, rcx */
        "  lea 8(%rsp), %rax\n" /* the caller's rsp once this call returns */
        "  push %rcx\n"         /* ss */
        "  push %rax\n"         /* rsp */
        "  push %rdx\n"         /* rflags */
        "  push %rsi\n"         /* cs */
        "  push %rdi\n"         /* rip */
        "  pushq $0\n"          /* flags */
        "  jmp hypercall_page + 23 * 32\n");

/* asm goto tells the compiler the label is reached from the asm. */
#define EXPECT_IRET_FAULT(rip, cs, ss)                                                             \
    do {                                                                                           \
        __label__ resumed;                                                                         \
        trap_expect_flat(&&resumed);                                                               \
        __asm__ goto("call iret_with" ::"D"((unsigned long)(rip)), "S"((unsigned long)(cs)),       \
                     "d"(2UL), "c"((unsigned long)(ss))                                            \
                     : "memory", "rax"                                                             \
                     : resumed);                                                                   \
        CHECK(false); /* iret does not return here */                                              \
    resumed:;                                                                                      \
    } while (0)

PVTEST(iret_refused_by_hardware_is_the_guests_fault)
{
    /* A non-canonical return address: #GP(0) there. */
    /* (CS with RPL 0 in the frame: back to guest kernel mode.) */
    EXPECT_IRET_FAULT(0x8000000000001000UL, 0xe030, 0xe02b);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0);
    CHECK_EQ(last_trap.rip, 0x8000000000001000UL);
    CHECK_EQ(last_trap.count, 1);
    /* A CS selector naming an empty GDT entry: #GP(selector). */
    EXPECT_IRET_FAULT(&&here, 0x0010, 0xe02b);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0x10);
    /* A null SS: #GP(0). */
    EXPECT_IRET_FAULT(&&here, 0xe030, 0x0000);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0);
    /* An LDT selector with no LDT: #GP(selector). */
    EXPECT_IRET_FAULT(&&here, 0xe030, 0x0004);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0x4);
here:;
}

/*
 * set_segment_base(SEGBASE_GS_USER_SEL): as on Xen, only the low 16 bits
 * are the selector, RPL 3 is forced on a non-null one, and one the GDT
 * refuses leaves %gs null instead of failing (Linux BUG()s on a failure).
 */
static unsigned int read_gs(void)
{
    unsigned int sel;

    __asm__ volatile("mov %%gs, %0" : "=r"(sel));
    return sel & 0xffff;
}

PVTEST(gs_user_selector_as_xen)
{
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0xe02b), 0);
    CHECK_EQ(read_gs(), 0xe02b);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0xe028), 0);
    CHECK_EQ(read_gs(), 0xe02b); /* RPL 3 forced */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0x1e02b), 0);
    CHECK_EQ(read_gs(), 0xe02b); /* the low 16 bits */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0x0010), 0);
    CHECK_EQ(read_gs(), 0); /* an empty GDT entry: null */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
    /* Bases: any canonical one; a non-canonical one is refused. */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, BAD_HOLE), 0);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0x8000000000000000UL), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0), 0);
}

/*
 * The two GS bases follow the mode: user mode reads through the user base,
 * the kernel (after the trap back) through its own, round after round, and
 * a user base the kernel sets meanwhile is the one user mode finds next.
 * (The hypervisor swaps them in place with swapgs on each switch.)
 */
static volatile uint64_t gs_kernel_word = 0x6b6b, gs_user_word = 0x7575, gs_other_word = 0x6f6f;
static volatile uint64_t gs_user_saw;

static uint64_t read_gs_word(void)
{
    uint64_t v;

    __asm__ volatile("mov %%gs:0, %0" : "=r"(v)::"memory");
    return v;
}

static void user_reads_gs(void)
{
    gs_user_saw = read_gs_word();
    USER_EXIT();
}

PVTEST(gs_bases_follow_the_mode)
{
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (unsigned long)&gs_kernel_word), 0);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, (unsigned long)&gs_user_word), 0);
    for (int round = 0; round < 2; round++) {
        gs_user_saw = 0;
        run_user(user_reads_gs);
        CHECK_EQ(gs_user_saw, 0x7575);
        CHECK_EQ(read_gs_word(), 0x6b6b);
    }
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, (unsigned long)&gs_other_word), 0);
    run_user(user_reads_gs);
    CHECK_EQ(gs_user_saw, 0x6f6f);
    CHECK_EQ(read_gs_word(), 0x6b6b);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0), 0);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0), 0);
}

/*
 * I/O privilege: with virtual IOPL 0 a guest kernel's cli, sti, in and out
 * raise #GP(0) as on Xen; with IOPL 1 (what Linux asks for at boot, and
 * the test library too) they act; user mode needs IOPL 3. Under
 * VMASST_TYPE_architectural_iopl the kernel counts as ring 0 and RFLAGS.
 * IOPL in frames is the virtual one.
 */
static long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl op = {.iopl = iopl};

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &op);
}

static volatile uint8_t user_port;

static void user_port_refused(void)
{
    EXPECT_TRAP("inb $0x61, %%al");
    keep_user_trap(0);
    USER_EXIT();
}

static void user_port_read(void)
{
    uint8_t v;

    __asm__ volatile("inb $0x61, %0" : "=a"(v));
    user_port = v;
    USER_EXIT();
}

PVTEST(iopl_zero_refuses_kernel_io)
{
    uint8_t v = 0;

    CHECK_EQ(set_iopl(0), 0);
    EXPECT_TRAP("cli");
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0);
    EXPECT_TRAP("sti");
    CHECK_EQ(last_trap.vector, 13);
    EXPECT_TRAP("inb $0x61, %%al");
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0);
    EXPECT_TRAP("outb %%al, $0x80");
    CHECK_EQ(last_trap.vector, 13);
    EXPECT_TRAP("mov $0x80, %%edx; outb %%al, %%dx");
    CHECK_EQ(last_trap.vector, 13);
    /* With IOPL 1 the same act. */
    CHECK_EQ(set_iopl(1), 0);
    __asm__ volatile("inb $0x61, %0" : "=a"(v));
    CHECK_EQ(v, 0xff);
    __asm__ volatile("cli; sti" ::: "memory");
    CHECK_EQ(set_iopl(4), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, (void *)BAD_LOW), -XEN_EFAULT);
    CHECK_EQ(HYPERVISOR_physdev_op(9999, NULL), -XEN_ENOSYS);
}

PVTEST(iopl_user_mode_needs_three)
{
    CHECK_EQ(set_iopl(1), 0);
    run_user(user_port_refused);
    CHECK_EQ(user_traps[0].vector, 13); /* IOPL 1: not for ring 3 */
    CHECK_EQ(user_traps[0].error_code, 0);
    CHECK_EQ(set_iopl(3), 0);
    user_port = 0;
    run_user(user_port_read);
    CHECK_EQ(user_port, 0xff); /* IOPL 3: user mode may */
    CHECK_EQ(set_iopl(1), 0);
}

PVTEST(iopl_architectural)
{
    uint8_t v = 0;

    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_architectural_iopl), 0);
    CHECK_EQ(set_iopl(0), 0);
    __asm__ volatile("inb $0x61, %0" : "=a"(v)); /* the kernel is ring 0 now */
    CHECK_EQ(v, 0xff);
    CHECK_EQ(set_iopl(2), 0);
    EXPECT_TRAP("ud2");
    CHECK_EQ(last_trap.rflags & 0x3000, 0x2000); /* the frame shows IOPL 2 */
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_architectural_iopl), 0);
    EXPECT_TRAP("ud2");
    CHECK_EQ(last_trap.rflags & 0x3000, 0); /* without the assist, none */
    CHECK_EQ(set_iopl(1), 0);
}

/*
 * CR4: a guest owns only TSD, DE, FSGSBASE and OSXSAVE, each only when the
 * CPUID it is shown has the feature; PAE, MCE, OSFXSR and OSXMMEXCPT show
 * the hypervisor's setting; every other bit written is dropped without a
 * fault (Xen's pv_fixup_guest_cr4). TSD takes effect: user-mode RDTSC
 * faults, the kernel's is emulated. RDFSBASE follows CPUID (hidden: #UD).
 */
#define CR4_TSD     (1UL << 2)
#define CR4_DE      (1UL << 3)
#define CR4_GUEST   ((1UL << 2) | (1UL << 3) | (1UL << 16) | (1UL << 18))
#define CR4_VISIBLE ((1UL << 5) | (1UL << 6) | (1UL << 9) | (1UL << 10))

static unsigned long read_cr4(void)
{
    unsigned long v;

    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static void write_cr4(unsigned long v)
{
    __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

static void forced_cpuid(uint32_t leaf, uint32_t *b, uint32_t *c, uint32_t *d)
{
    uint32_t a = leaf, cc = 0;

    __asm__ volatile("ud2; .ascii \"xen\"; cpuid" : "+a"(a), "=b"(*b), "+c"(cc), "=d"(*d));
    *c = cc;
}

static void user_rdtsc_refused(void)
{
    EXPECT_TRAP("rdtsc");
    keep_user_trap(0);
    USER_EXIT();
}

PVTEST(cr4_guest_bits_as_xen)
{
    unsigned long cr4 = read_cr4();
    uint32_t b, c, d;

    CHECK_EQ(cr4 & ~(CR4_GUEST | CR4_VISIBLE), 0);
    CHECK(cr4 & (1UL << 9)); /* OSFXSR */
    /* PSE, PGE, PCE, VMXE, FSGSBASE, OSXSAVE, SMEP, SMAP, PKE: dropped. */
    write_cr4(cr4 | (1UL << 4) | (1UL << 7) | (1UL << 8) | (1UL << 13) | (1UL << 16) | (1UL << 18) |
              (1UL << 20) | (1UL << 21) | (1UL << 22));
    CHECK_EQ(read_cr4(), cr4);
    /* Clearing a visible bit does not clear it. */
    write_cr4(cr4 & ~(1UL << 9));
    CHECK_EQ(read_cr4(), cr4);
    /* DE is the guest's. */
    write_cr4(cr4 | CR4_DE);
    CHECK_EQ(read_cr4(), cr4 | CR4_DE);
    write_cr4(cr4);
    CHECK_EQ(read_cr4(), cr4);
    /* FS/GS base instructions: CPUID says no, so they are #UD. */
    forced_cpuid(7, &b, &c, &d);
    CHECK_EQ(b & 1, 0);
    EXPECT_TRAP("rdfsbase %%rax");
    CHECK_EQ(last_trap.vector, 6);
    EXPECT_TRAP("wrgsbase %%rax");
    CHECK_EQ(last_trap.vector, 6);
}

PVTEST(cr4_tsd_takes_effect)
{
    unsigned long cr4 = read_cr4();
    uint32_t lo, hi;
    unsigned long t0, t1;

    write_cr4(cr4 | CR4_TSD);
    CHECK_EQ(read_cr4(), cr4 | CR4_TSD);
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); /* the kernel's: emulated */
    t0 = ((unsigned long)hi << 32) | lo;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    t1 = ((unsigned long)hi << 32) | lo;
    CHECK(t1 > t0);
    run_user(user_rdtsc_refused);
    CHECK_EQ(user_traps[0].vector, 13);
    CHECK_EQ(user_traps[0].error_code, 0);
    write_cr4(cr4);
    CHECK_EQ(read_cr4(), cr4);
}

/*
 * Debug registers as Xen virtualises them: refusals (hypervisor addresses
 * -EPERM, upper 32 bits -EINVAL, GD -EPERM, an I/O breakpoint without
 * CR4.DE -EPERM, DR4/5 aliasing DR6/7 without DE, -ENODEV with it or for
 * an unknown register), reserved bits forced; breakpoints that fire in
 * kernel and user mode with DR6 saying which; an emulated I/O breakpoint;
 * and a breakpoint held back by MOV SS into the hypervisor's entry
 * (XSA-260), which the hypervisor survives.
 */
#define DR7_L(n)      (1UL << (2 * (n)))
#define DR7_RW(n, rw) ((unsigned long)(rw) << (16 + 4 * (n)))
#define DR7_LEN(n, l) ((unsigned long)(l) << (18 + 4 * (n)))

static volatile uint32_t watched;
static volatile uint16_t ss_word = 0xe02b;
void edges_bp_insn(void);
__asm__(".text\nedges_bp_insn:\n  nop\n  ret\n");

PVTEST(debugreg_refusals_as_xen)
{
    CHECK_EQ(HYPERVISOR_get_debugreg(6), 0xffff0ff0);
    CHECK_EQ(HYPERVISOR_get_debugreg(7), 0x400);
    CHECK_EQ(HYPERVISOR_set_debugreg(0, BAD_HOLE), -XEN_EPERM);
    CHECK_EQ(HYPERVISOR_set_debugreg(3, 0x800000000000UL), -XEN_EPERM);
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 1UL << 32), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 1UL << 32), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, DR7_L(0) | (1UL << 13)), -XEN_EPERM);  /* GD */
    CHECK_EQ(HYPERVISOR_set_debugreg(7, DR7_L(0) | DR7_RW(0, 2)), -XEN_EPERM); /* I/O, no DE */
    CHECK_EQ(HYPERVISOR_set_debugreg(8, 0), -XEN_ENODEV);
    CHECK_EQ(HYPERVISOR_get_debugreg(8), -XEN_ENODEV);
    /* Reserved bits read as the architecture fixes them. */
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0xd000), 0);
    CHECK_EQ(HYPERVISOR_get_debugreg(7), 0x400);
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 0x1000), 0);
    CHECK_EQ(HYPERVISOR_get_debugreg(6), 0xffff0ff0);
    /* DR4/DR5 are DR6/DR7 without CR4.DE, and #UD-like (-ENODEV) with it. */
    CHECK_EQ(HYPERVISOR_set_debugreg(4, 0xffff0ff1), 0);
    CHECK_EQ(HYPERVISOR_get_debugreg(6), 0xffff0ff1);
    CHECK_EQ(HYPERVISOR_get_debugreg(5), 0x400);
    write_cr4(read_cr4() | CR4_DE);
    CHECK_EQ(HYPERVISOR_set_debugreg(4, 0), -XEN_ENODEV);
    CHECK_EQ(HYPERVISOR_get_debugreg(5), -XEN_ENODEV);
    write_cr4(read_cr4() & ~CR4_DE);
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 0), 0);
}

PVTEST(debugreg_kernel_breakpoints_fire)
{
    /* A 4-byte write watchpoint on `watched` in DR0. */
    CHECK_EQ(HYPERVISOR_set_debugreg(0, (unsigned long)&watched), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, DR7_L(0) | DR7_RW(0, 1) | DR7_LEN(0, 3)), 0);
    CHECK_EQ(HYPERVISOR_get_debugreg(7), 0x400 | DR7_L(0) | DR7_RW(0, 1) | DR7_LEN(0, 3));
    EXPECT_TRAP("movl $1, (%0)", "r"(&watched));
    CHECK_EQ(last_trap.vector, 1);
    CHECK_EQ(last_trap.count, 1);
    CHECK_EQ(HYPERVISOR_get_debugreg(6) & 0xf, 1); /* B0 */
    CHECK_EQ(watched, 1);                          /* a trap: the write happened */
    (void)watched;                                 /* reads do not fire */
    /* An instruction breakpoint in DR1: a fault, at the instruction. */
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 0), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(1, (unsigned long)edges_bp_insn), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, DR7_L(1)), 0);
    EXPECT_TRAP("jmp edges_bp_insn"); /* (a jmp: the fault leaves rsp as it was) */
    CHECK_EQ(last_trap.vector, 1);
    CHECK_EQ(last_trap.rip, (unsigned long)edges_bp_insn);
    CHECK_EQ(HYPERVISOR_get_debugreg(6) & 0xf, 2); /* B1 */
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0), 0);
    /* Off again: nothing fires. */
    watched = 2;
    edges_bp_insn();
    /* A single step: BS. */
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 0), 0);
    EXPECT_TRAP("pushf; orq $0x100, (%%rsp); popf; nop; nop");
    CHECK_EQ(last_trap.vector, 1);
    CHECK(HYPERVISOR_get_debugreg(6) & (1UL << 14));
}

static void user_writes_watched(void)
{
    EXPECT_TRAP("movl $3, (%0)", "r"(&watched));
    keep_user_trap(0);
    USER_EXIT();
}

PVTEST(debugreg_user_breakpoint_fires)
{
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 0), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(2, (unsigned long)&watched), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, DR7_L(2) | DR7_RW(2, 1) | DR7_LEN(2, 3)), 0);
    run_user(user_writes_watched);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0), 0);
    CHECK_EQ(user_traps[0].vector, 1);
    CHECK_EQ(user_traps[0].cs, 0xe033);            /* from user mode */
    CHECK_EQ(HYPERVISOR_get_debugreg(6) & 0xf, 4); /* B2 */
    CHECK_EQ(watched, 3);
}

PVTEST(debugreg_io_breakpoint_emulated)
{
    write_cr4(read_cr4() | CR4_DE);
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 0), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(3, 0x80), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, DR7_L(3) | DR7_RW(3, 2)), 0);
    CHECK_EQ(HYPERVISOR_get_debugreg(7), 0x400 | DR7_L(3) | DR7_RW(3, 2));
    EXPECT_TRAP("outb %%al, $0x80");
    CHECK_EQ(last_trap.vector, 1);
    CHECK_EQ(HYPERVISOR_get_debugreg(6) & 0xf, 8);     /* B3 */
    __asm__ volatile("outb %%al, $0x81" ::: "memory"); /* another port: nothing */
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0), 0);
    write_cr4(read_cr4() & ~CR4_DE);
}

static volatile int syscall_returned;
static char extra_buf[XEN_EXTRAVERSION_LEN] __attribute__((aligned(8)));

/* The hypervisor writing a watched guest buffer for the guest: its own
 * #DB, logged and ignored (Xen: "Hit #DB in Xen context"). */
PVTEST(debugreg_hypervisor_touches_watched_memory)
{
    CHECK_EQ(HYPERVISOR_set_debugreg(1, (unsigned long)extra_buf), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, DR7_L(1) | DR7_RW(1, 1) | DR7_LEN(1, 3)), 0);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, extra_buf), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0), 0);
    CHECK(!strcmp(extra_buf, "-paravane"));
}

PVTEST(debugreg_mov_ss_into_hypervisor_entry)
{
    __label__ after_syscall, after_int3;

    /* A read/write watchpoint on the word MOV SS loads: the #DB waits one
     * instruction, which enters the hypervisor (XSA-260). */
    CHECK_EQ(HYPERVISOR_set_debugreg(0, (unsigned long)&ss_word), 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, DR7_L(0) | DR7_RW(0, 3) | DR7_LEN(0, 1)), 0);
    syscall_returned = 0;
    trap_expect(&&after_syscall);
    /* (The flag is set inside the asm: no C code may sit between an asm
     * goto and the label a trap resumes at.) */
    __asm__ goto("mov $17, %%eax; xor %%edi, %%edi; xor %%esi, %%esi; mov %0, %%ss; syscall; "
                 "movl $1, %1" ::"m"(ss_word),
                 "m"(syscall_returned)
                 : "rax", "rcx", "rdx", "rdi", "rsi", "r8", "r9", "r10", "r11", "memory"
                 : after_syscall);
after_syscall:
    /* The #DB was the hypervisor's to swallow, or the guest got it: either
     * way both carry on. */
    CHECK(syscall_returned || last_trap.vector == 1);
    trap_expect(&&after_int3);
    __asm__ goto("mov %0, %%ss; int3" ::"m"(ss_word) : "memory" : after_int3);
    CHECK(false);
after_int3:
    CHECK(last_trap.vector == 3 || last_trap.vector == 1);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0), 0);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_version, NULL), (4 << 16) | 17);
}

/*
 * Grant tables at the edges, on a grant to ourselves: GNTTABOP_unmap_and_
 * replace puts another PTE in place of a grant mapping (and clears that
 * one's old slot); an unmap names each part it undoes (host mapping by
 * address, device mapping by bus address; a wrong bus address is
 * GNTST_bad_dev_addr); GNTTABOP_cache_flush is ARM-only on Xen (-ENOSYS).
 */
#define G_LEAF 0x67UL /* present, writable, user, accessed, dirty */
#define G_REF  10

static uint8_t g_table[4096] __attribute__((aligned(4096)));
static uint8_t g_data[4096] __attribute__((aligned(4096)));
static uint8_t g_window[4096] __attribute__((aligned(4096)));
static uint8_t g_spare[4096] __attribute__((aligned(4096)));

static long gnttab(unsigned int cmd, void *op)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, op, 1);
}

static long remap(void *va, unsigned long mfn)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, (mfn << 12) | G_LEAF, UVMF_INVLPG);
}

static grant_handle_t g_map(uint32_t flags, uint64_t *bus)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = (unsigned long)g_window, .flags = flags, .ref = G_REF, .dom = DOMID_SELF};

    if (gnttab(GNTTABOP_map_grant_ref, &m) || m.status != GNTST_okay)
        return (grant_handle_t)~0U;
    *bus = m.dev_bus_addr;
    return m.handle;
}

PVTEST(grant_unmap_and_replace_and_bus_addresses)
{
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
    grant_entry_v1_t *gt = (grant_entry_v1_t *)g_table;
    unsigned long table_mfn = mfn_of(g_table), window_mfn = mfn_of(g_window);
    unsigned long spare_mfn = mfn_of(g_spare);
    xen_pfn_t f = 0;
    uint64_t bus = 0;
    grant_handle_t h;

    st.frame_list.p = &f;
    CHECK_EQ(gnttab(GNTTABOP_setup_table, &st), 0);
    CHECK_EQ(remap(g_table, f), 0);
    memcpy(g_data, "granted", 8);
    memcpy(g_spare, "spare", 6);
    gt[G_REF] = (grant_entry_v1_t){GTF_permit_access, start_info->flags & SIF_INITDOMAIN ? 0 : 1,
                                   (uint32_t)mfn_of(g_data)};

    /* unmap_and_replace: the window shows the spare page, whose own
     * address is left unmapped. */
    h = g_map(GNTMAP_host_map, &bus);
    CHECK(h != (grant_handle_t)~0U);
    CHECK(!memcmp(g_window, "granted", 8));
    {
        struct gnttab_unmap_and_replace r = {
            .host_addr = (unsigned long)g_window, .new_addr = (unsigned long)g_spare, .handle = h};
        CHECK_EQ(gnttab(GNTTABOP_unmap_and_replace, &r), 0);
        CHECK_EQ(r.status, GNTST_okay);
        CHECK(!memcmp(g_window, "spare", 6));
        EXPECT_TRAP("movq (%0), %%rax", "r"(g_spare));
        CHECK_EQ(last_trap.vector, 14);
        CHECK_EQ(gt[G_REF].flags, GTF_permit_access); /* the grant is free again */
        CHECK_EQ(gnttab(GNTTABOP_unmap_and_replace, &r), 0);
        CHECK_EQ(r.status, GNTST_bad_handle);
    }
    CHECK_EQ(remap(g_window, window_mfn), 0);
    CHECK_EQ(remap(g_spare, spare_mfn), 0);

    /* A host and device mapping: each part undone by its own name. */
    h = g_map(GNTMAP_host_map | GNTMAP_device_map, &bus);
    CHECK(h != (grant_handle_t)~0U);
    CHECK_EQ(bus, mfn_of(g_data) << 12);
    {
        struct gnttab_unmap_grant_ref u = {
            .host_addr = (unsigned long)g_window, .dev_bus_addr = bus + 4096, .handle = h};
        CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u), 0);
        CHECK_EQ(u.status, GNTST_bad_dev_addr);
        CHECK(!memcmp(g_window, "granted", 8)); /* nothing undone */
        u.dev_bus_addr = 0;
        CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u), 0);
        CHECK_EQ(u.status, GNTST_okay);                       /* the host part */
        CHECK(gt[G_REF].flags & (GTF_reading | GTF_writing)); /* the device part stays */
        u.host_addr = 0;
        u.dev_bus_addr = bus;
        CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u), 0);
        CHECK_EQ(u.status, GNTST_okay);
        CHECK_EQ(gt[G_REF].flags, GTF_permit_access);
        CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u), 0);
        CHECK_EQ(u.status, GNTST_bad_handle);
    }
    CHECK_EQ(remap(g_window, window_mfn), 0);

    /* A device-only mapping has no PTE to replace. */
    {
        struct gnttab_map_grant_ref m = {
            .flags = GNTMAP_device_map, .ref = G_REF, .dom = DOMID_SELF};
        struct gnttab_unmap_and_replace r = {.host_addr = (unsigned long)g_window,
                                             .new_addr = (unsigned long)g_spare};
        struct gnttab_unmap_grant_ref u = {0};

        CHECK_EQ(gnttab(GNTTABOP_map_grant_ref, &m), 0);
        CHECK_EQ(m.status, GNTST_okay);
        r.handle = m.handle;
        CHECK_EQ(gnttab(GNTTABOP_unmap_and_replace, &r), 0);
        CHECK_EQ(r.status, GNTST_general_error);
        u.handle = m.handle;
        u.dev_bus_addr = m.dev_bus_addr;
        CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u), 0);
        CHECK_EQ(u.status, GNTST_okay);
    }
    CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_cache_flush, g_spare, 1),
             -XEN_ENOSYS);
    gt[G_REF].flags = 0;
    CHECK_EQ(remap(g_table, table_mfn), 0);
}

/* MOV to and from %dbN from the guest kernel: emulated as the hypercalls
 * (Xen does the same), #GP for a refused value, #UD for DR4 under CR4.DE. */
PVTEST(debugreg_mov_emulated)
{
    unsigned long v = 0;

    __asm__ volatile("mov %0, %%db0" ::"r"((unsigned long)&watched));
    CHECK_EQ(HYPERVISOR_get_debugreg(0), (long)&watched);
    __asm__ volatile("mov %%db0, %0" : "=r"(v));
    CHECK_EQ(v, (unsigned long)&watched);
    __asm__ volatile("mov %%db7, %0" : "=r"(v));
    CHECK_EQ(v, 0x400);
    EXPECT_TRAP("mov %0, %%db7", "r"(1UL << 13)); /* GD */
    CHECK_EQ(last_trap.vector, 13);
    EXPECT_TRAP("mov %0, %%db1", "r"(BAD_HOLE));
    CHECK_EQ(last_trap.vector, 13);
    write_cr4(read_cr4() | CR4_DE);
    EXPECT_TRAP("mov %%db4, %%rax");
    CHECK_EQ(last_trap.vector, 6);
    write_cr4(read_cr4() & ~CR4_DE);
    __asm__ volatile("mov %%db4, %0" : "=r"(v)); /* DR6 without DE */
    CHECK_EQ(v & 0xffff0ff0, 0xffff0ff0);
}
