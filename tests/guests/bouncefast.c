/*
 * The page-fault bounce and the event upcall's fast paths
 * (hyp/arch/x86_64/bounce_fast.S), attacked from the guest's side.
 *
 * - Many user-mode page faults, each skipped by the guest kernel's
 *   handler, keep every register and RFLAGS; each frame carries CR2 (in
 *   vcpu_info) and the error code the slow path gave (U set, W and P as
 *   the hardware said), from user mode, with the event mask saved.
 * - A handler registered as an interrupt gate runs with events masked; an
 *   event made pending then (and a hypercall's exit between) is not
 *   delivered until the handler's iret unmasks, then lands at once.
 * - An upcall due when the guest returns to user mode is taken from user
 *   mode (frame from the user's rip and stack, events masked in the
 *   callback), many times over with every register kept; with no event
 *   callback nothing is delivered.
 * - mode=... (run last, each ends the domain): a kernel stack unmapped or
 *   inside the hypervisor for the page fault's frame or the upcall's, and
 *   no page-fault handler at all: the slow path's report, the domain
 *   crashed alone.
 */
#include "lib/pvmm.h"
#include "lib/pvtest.h"

const char pvtest_kernel_name[] = "bouncefast";

#define N_ROUNDS  2000
#define UNMAPPED  0x0000400000000000UL /* canonical, never mapped in a test guest */
#define HYP_STACK 0xffff830000001000UL /* the hypervisor's direct map */
#define PF_USER   4
#define PF_WRITE  2
#define PF_PROT   1

static uint8_t kstack[8192] __attribute__((aligned(16)));
static uint8_t ustack[4096] __attribute__((aligned(16)));
static uint8_t si_page[4096] __attribute__((aligned(4096)));
static uint8_t ro_page[4096] __attribute__((aligned(4096)));
static struct shared_info *const si = (struct shared_info *)si_page;

static struct jmp_ctx back;

/* What the handlers saw; written by them and by user mode (one address space). */
struct seen {
    unsigned long count, rip, cs, rflags, rsp, ss, err, cr2, mask_in, upcalls_in, at;
};
volatile struct seen pf, up;
volatile unsigned long pf_expect, pf_bad, pf_skip, pf_pend_in_handler, pf_unmask_on_iret;
volatile unsigned long pf_pend_on_return;
volatile unsigned long user_rounds, user_verdict, rsp_mark;

extern void pf_entry(void), upcall_entry(void), user_exit_here(void);
extern void user_pf_rounds(void), user_pf_write(void), user_pf_write_ro(void);
extern void user_pf_masked(void), user_pf_pending_masked(void), user_exit_now(void);
extern void user_pf_resume(void);

/*
 * Both handlers: the caller-saved registers kept, a C function given the
 * frame, then back through the iret hypercall with RCX and R11 off the
 * frame (and the error code, for the page fault, overwritten by the iret
 * frame's flags word).
 */
#define HANDLER(name, fn, errwords)                                                                \
    __asm__(".text\n" #name ":\n"                                                                  \
            "  push %rax\n  push %rdx\n  push %rsi\n  push %rdi\n"                                 \
            "  push %r8\n  push %r9\n  push %r10\n  push %rbp\n"                                   \
            "  lea 64(%rsp), %rdi\n"                                                               \
            "  mov %rsp, %rbp\n  and $-16, %rsp\n  call " #fn "\n  mov %rbp, %rsp\n"               \
            "  pop %rbp\n  pop %r10\n  pop %r9\n  pop %r8\n"                                       \
            "  pop %rdi\n  pop %rsi\n  pop %rdx\n  pop %rax\n"                                     \
            "  pop %rcx\n  pop %r11\n" errwords "  pushq $0\n"                                     \
            "  jmp hypercall_page + 23 * 32\n")

/* The frame's words from RIP on, whether or not an error code precedes. */
static void record(volatile struct seen *s, const unsigned long *f)
{
    s->count++;
    s->at = (unsigned long)f; /* where the frame was built */
    s->rip = f[0];
    s->cs = f[1];
    s->rflags = f[2];
    s->rsp = f[3];
    s->ss = f[4];
    s->mask_in = si->vcpu_info[0].evtchn_upcall_mask;
    s->upcalls_in = up.count;
}

void pf_handler(unsigned long *frame);
void pf_handler(unsigned long *frame)
{
    /* frame: RCX, R11, error code, RIP, CS, RFLAGS, RSP, SS */
    record(&pf, frame + 3);
    pf.err = frame[2];
    pf.cr2 = si->vcpu_info[0].arch.cr2;
    if (pf.cr2 != pf_expect || (pf.err & PF_USER) == 0)
        pf_bad++;
    if (pf_pend_in_handler) {
        /* Pending now, with the handler's events masked: a hypercall's way out must not deliver. */
        si->vcpu_info[0].evtchn_upcall_pending = 1;
        HYPERVISOR_xen_version(0, 0);
        if (up.count != pf.upcalls_in)
            pf_bad++;
    }
    if (pf_unmask_on_iret)
        frame[5] |= 0x200;
    frame[3] += pf_skip; /* past the faulting instruction */
    /* Events on: the iret back to user mode finds an upcall due. */
    if (pf_pend_on_return)
        si->vcpu_info[0].evtchn_upcall_pending = 1;
}

void upcall_handler(unsigned long *frame);
void upcall_handler(unsigned long *frame)
{
    /* frame: RCX, R11, RIP, CS, RFLAGS, RSP, SS */
    record(&up, frame + 2);
    si->vcpu_info[0].evtchn_upcall_pending = 0;
}

HANDLER(pf_entry, pf_handler, "  add $8, %rsp\n");
HANDLER(upcall_entry, upcall_handler, "");

/*
 * User mode: N_ROUNDS reads of unmapped addresses (a 3-byte cmpb, which
 * the handler skips) with every other register loaded with a pattern and
 * CF set, each checked after the return against the table below: the
 * registers, RSP and RFLAGS as they were.
 */
__asm__(".data\n.balign 8\n"
        "pat: .quad 0x1010101010101010, 0x1111111111111111, 0x2222222222222222\n"
        "     .quad 0x3333333333333333, 0x5555555555555555, 0x6666666666666666\n"
        "     .quad 0x8888888888888888, 0x9999999999999999, 0xaaaaaaaaaaaaaaaa\n"
        "     .quad 0xbbbbbbbbbbbbbbbb, 0xcccccccccccccccc, 0xdddddddddddddddd\n"
        "     .quad 0xeeeeeeeeeeeeeeee, 0xffffffffffffffff\n");
#define REGS(op)                                                                                   \
    op(rax, 0) op(rbx, 8) op(rbp, 16) op(rdi, 24) op(rdx, 32) op(rcx, 40) op(r8, 48) op(r9, 56)    \
        op(r10, 64) op(r11, 72) op(r12, 80) op(r13, 88) op(r14, 96) op(r15, 104)
#define LOAD(r, o) "  mov pat+" #o "(%rip), %" #r "\n"
#define CMP(r, o)  "  cmp pat+" #o "(%rip), %" #r "\n  jne 9f\n"
/* Top-level asm stays in order (-fno-toplevel-reorder): the loop in pieces. */
__asm__(".text\nuser_pf_rounds:\n" REGS(LOAD));
__asm__("  movabs $0x0000400000000000, %rsi\n"
        "1:\n"
        "  mov %rsi, pf_expect(%rip)\n"
        "  stc\n"
        "  pushfq\n" /* RFLAGS before, at 8(%rsp) after */
        "  pushfq\n" /* a slot for RFLAGS after */
        "  mov %rsp, rsp_mark(%rip)\n"
        "  lea 8(%rsp), %rsp\n"
        "  cmpb $0, (%rsi)\n" /* faults; 3 bytes, skipped */
        "  pushfq\n");
__asm__(REGS(CMP));
__asm__("  cmp rsp_mark(%rip), %rsp\n"
        "  jne 9f\n"
        "  pop %rax\n"
        "  cmp (%rsp), %rax\n"
        "  jne 9f\n"
        "  lea 8(%rsp), %rsp\n"
        "  mov pat(%rip), %rax\n"
        "  lea 8(%rsi), %rsi\n"
        "  incq user_rounds(%rip)\n"
        "  cmpq $2000, user_rounds(%rip)\n"
        "  jb 1b\n"
        "  movq $1, user_verdict(%rip)\n"
        "  int $0x81\n"
        "9:\n"
        "  movq $2, user_verdict(%rip)\n"
        "  int $0x81\n");

/* Writes: to nothing (W), to a read-only page (P | W). 3-byte stores, skipped. */
__asm__(".text\n"
        "user_pf_write:\n"
        "  movabs $0x0000400000000100, %rsi\n"
        "  mov %rsi, pf_expect(%rip)\n"
        "  movb $0, (%rsi)\n"
        "  nop\n"
        "  int $0x81\n"
        "user_pf_write_ro:\n"
        "  lea ro_page+0x18(%rip), %rsi\n"
        "  mov %rsi, pf_expect(%rip)\n"
        "  movb $0, (%rsi)\n"
        "  nop\n"
        "  int $0x81\n");

/* A fault, and (user_pf_resume) where the handler returns to. */
__asm__(".text\n"
        "user_pf_masked:\n"
        "  movabs $0x0000400000000200, %rsi\n"
        "  mov %rsi, pf_expect(%rip)\n"
        "  cmpb $0, (%rsi)\n"
        "user_pf_resume:\n"
        "  int $0x81\n");

/* Events masked and one pending, from user mode, then the fault. */
__asm__(".text\n"
        "user_pf_pending_masked:\n"
        "  movb $1, si_page+1(%rip)\n" /* vcpu_info[0].evtchn_upcall_mask */
        "  movb $1, si_page(%rip)\n"   /* vcpu_info[0].evtchn_upcall_pending */
        "  jmp user_pf_masked\n");

__asm__(".text\n"
        "user_exit_now:\n"
        "  int $0x81\n");

void user_exit_c(void);
void user_exit_c(void)
{
    ctx_restore(&back);
}

__asm__(".text\n"
        "user_exit_here:\n"
        "  and $-16, %rsp\n"
        "  call user_exit_c\n");

/* Vector 14's gate (flags bit 2 masks events in the handler; none if 0) and the way out. */
static void set_pf_gate(bool masks, unsigned long handler)
{
    trap_info_t t[3] = {{0x81, 3, 0xe033, (unsigned long)user_exit_here},
                        {14, masks ? 4 : 0, 0xe033, handler},
                        {0}};

    CHECK_EQ(HYPERVISOR_set_trap_table(NULL), 0);
    CHECK_EQ(HYPERVISOR_set_trap_table(t), 0);
}

static void setup(void)
{
    static bool done;

    if (done)
        return;
    done = true;
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, si_page, start_info->shared_info | 0x67, 2),
             0);
    CHECK_EQ(HYPERVISOR_set_callbacks((unsigned long)upcall_entry, 0, 0), 0);
    CHECK_EQ(HYPERVISOR_stack_switch(0xe02b, (unsigned long)kstack + sizeof(kstack)), 0);
    set_pf_gate(false, (unsigned long)pf_entry);
}

static void reset(void)
{
    memset((void *)&pf, 0, sizeof(pf));
    memset((void *)&up, 0, sizeof(up));
    pf_bad = pf_pend_in_handler = pf_unmask_on_iret = pf_pend_on_return = 0;
    pf_skip = 3;
    si->vcpu_info[0].evtchn_upcall_pending = 0;
    si->vcpu_info[0].evtchn_upcall_mask = 0;
}

static void run(void (*fn)(void))
{
    if (!ctx_save(&back))
        enter_user(fn, (unsigned long)ustack + sizeof(ustack));
}

PVTEST(pf_round_trips_keep_registers)
{
    setup();
    reset();
    user_rounds = user_verdict = 0;
    run(user_pf_rounds);
    CHECK_EQ(user_verdict, 1);
    CHECK_EQ(user_rounds, N_ROUNDS);
    CHECK_EQ(pf.count, N_ROUNDS);
    CHECK_EQ(pf_bad, 0);
    /* The last frame, as the slow path builds it: from user mode, events were on. */
    CHECK_EQ(pf.err, PF_USER);
    CHECK_EQ(pf.cr2, UNMAPPED + (N_ROUNDS - 1) * 8);
    CHECK_EQ(pf.cs & 0xffff, 0xe033);
    CHECK_EQ(pf.cs >> 32, 0);
    CHECK(pf.rflags & 0x200);
    CHECK(pf.rflags & 1); /* CF as the user had it */
    CHECK_EQ(pf.ss, 0xe02b);
    CHECK_EQ(pf.mask_in, 0); /* a trap gate leaves events on */
    CHECK_EQ(up.count, 0);
}

/* The same rounds with an upcall from user mode after each fault's iret. */
PVTEST(upcall_round_trips_keep_registers)
{
    setup();
    reset();
    pf_pend_on_return = 1;
    user_rounds = user_verdict = 0;
    run(user_pf_rounds);
    CHECK_EQ(user_verdict, 1);
    CHECK_EQ(user_rounds, N_ROUNDS);
    CHECK_EQ(pf.count, N_ROUNDS);
    CHECK_EQ(up.count, N_ROUNDS);
    CHECK_EQ(pf_bad, 0);
    CHECK_EQ(up.cs & 0xffff, 0xe033); /* from user mode */
    CHECK(up.rflags & 1);             /* CF as the user had it */
    CHECK_EQ(up.mask_in, 1);
    CHECK_EQ(si->vcpu_info[0].evtchn_upcall_mask, 0);
}

PVTEST(pf_error_codes_and_cr2)
{
    setup();
    reset();
    run(user_pf_write);
    CHECK_EQ(pf.count, 1);
    CHECK_EQ(pf.err, PF_USER | PF_WRITE);
    CHECK_EQ(pf.cr2, UNMAPPED + 0x100);
    /* A read-only page: P | W, the case the hardware domain's MMIO check sees first. */
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, ro_page, (mfn_of(ro_page) << 12) | 0x65, 2),
             0);
    run(user_pf_write_ro);
    CHECK_EQ(pf.count, 2);
    CHECK_EQ(pf.err, PF_USER | PF_WRITE | PF_PROT);
    CHECK_EQ(pf.cr2, (unsigned long)ro_page + 0x18);
    CHECK_EQ(pf_bad, 0);
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, ro_page, (mfn_of(ro_page) << 12) | 0x67, 2),
             0);
}

PVTEST(pf_interrupt_gate_holds_events_back)
{
    setup();
    reset();
    set_pf_gate(true, (unsigned long)pf_entry);
    pf_pend_in_handler = 1;
    run(user_pf_masked);
    CHECK_EQ(pf.count, 1);
    CHECK_EQ(pf.mask_in, 1);  /* masked on entry ... */
    CHECK_EQ(pf.cs >> 32, 0); /* ... and the frame says they were on */
    CHECK_EQ(pf.upcalls_in, 0);
    CHECK_EQ(pf_bad, 0); /* nothing delivered across the hypercall */
    /* The handler's iret unmasked: the upcall came before user mode went on. */
    CHECK_EQ(up.count, 1);
    CHECK_EQ(up.rip, (unsigned long)user_pf_resume);
    CHECK_EQ(up.cs & 0xffff, 0xe033);
    CHECK_EQ(up.mask_in, 1);
    CHECK_EQ(si->vcpu_info[0].evtchn_upcall_pending, 0);
    set_pf_gate(false, (unsigned long)pf_entry);
}

PVTEST(pf_with_events_masked_and_pending)
{
    setup();
    reset();
    pf_unmask_on_iret = 1;
    run(user_pf_pending_masked);
    CHECK_EQ(pf.count, 1);
    CHECK_EQ(pf.upcalls_in, 0); /* masked: not before the handler */
    CHECK_EQ(pf.cs >> 32, 1);   /* the mask saved in the frame */
    CHECK_EQ(pf.rflags & 0x200, 0);
    CHECK_EQ(up.count, 1); /* the handler's iret unmasked */
    CHECK_EQ(up.rip, (unsigned long)user_pf_resume);
}

PVTEST(upcall_on_the_way_to_user_mode)
{
    setup();
    reset();
    /* Pending and masked; entering user mode unmasks (IF in enter_user's frame). */
    si->vcpu_info[0].evtchn_upcall_mask = 1;
    si->vcpu_info[0].evtchn_upcall_pending = 1;
    run(user_exit_now);
    CHECK_EQ(up.count, 1);
    CHECK_EQ(up.rip, (unsigned long)user_exit_now);
    CHECK_EQ(up.cs & 0xffff, 0xe033);
    CHECK_EQ(up.cs >> 32, 0);
    CHECK(up.rflags & 0x200);
    CHECK_EQ(up.rsp, (unsigned long)ustack + sizeof(ustack));
    CHECK_EQ(up.ss, 0xe02b);
    CHECK_EQ(up.mask_in, 1); /* events masked in the callback, as Xen */

    /* No event callback: nothing is delivered, the pending flag stays. */
    reset();
    CHECK_EQ(HYPERVISOR_set_callbacks(0, 0, 0), 0);
    si->vcpu_info[0].evtchn_upcall_mask = 1;
    si->vcpu_info[0].evtchn_upcall_pending = 1;
    run(user_exit_now);
    CHECK_EQ(up.count, 0);
    CHECK_EQ(si->vcpu_info[0].evtchn_upcall_pending, 1);
    si->vcpu_info[0].evtchn_upcall_pending = 0;
    CHECK_EQ(HYPERVISOR_set_callbacks((unsigned long)upcall_entry, 0, 0), 0);
}

/* An upcall due on a hypercall's way back: from kernel mode, on its stack. */
PVTEST(upcall_from_kernel_mode)
{
    unsigned long sp;

    setup();
    reset();
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    si->vcpu_info[0].evtchn_upcall_pending = 1; /* events on: due at the next exit */
    HYPERVISOR_xen_version(0, 0);
    CHECK_EQ(up.count, 1);
    CHECK_EQ(up.cs & 0xffff, 0xe030); /* the kernel's view: RPL 0 */
    CHECK_EQ(up.cs >> 32, 0);
    CHECK_EQ(up.ss, 0xe02b);
    CHECK(up.rsp < sp && up.rsp > sp - 512); /* the interrupted stack pointer ... */
    CHECK(up.at < up.rsp &&
          up.at > up.rsp - 128); /* ... and the frame below it, not at kernel_sp */
    CHECK_EQ(up.mask_in, 1);
    CHECK_EQ(si->vcpu_info[0].evtchn_upcall_mask, 0); /* its iret unmasked */
}

/* Run last (named so): each ends the domain. */
PVTEST(zz_bad_stacks)
{
    const char *mode = cmdline_option("mode");

    setup();
    reset();
    if (!mode)
        return;
    printk("pvtest bouncefast: mode=%s\n", mode);
    if (strcmp(mode, "pf-unmapped-stack") == 0) {
        CHECK_EQ(HYPERVISOR_stack_switch(0xe02b, UNMAPPED + 4096), 0);
        run(user_pf_masked);
    } else if (strcmp(mode, "pf-hyp-stack") == 0) {
        CHECK_EQ(HYPERVISOR_stack_switch(0xe02b, HYP_STACK), 0);
        run(user_pf_masked);
    } else if (strcmp(mode, "upcall-unmapped-stack") == 0) {
        CHECK_EQ(HYPERVISOR_stack_switch(0xe02b, UNMAPPED + 4096), 0);
        si->vcpu_info[0].evtchn_upcall_mask = 1;
        si->vcpu_info[0].evtchn_upcall_pending = 1;
        run(user_exit_now);
    } else if (strcmp(mode, "pf-no-handler") == 0) {
        set_pf_gate(false, 0);
        run(user_pf_masked);
    }
    printk("pvtest bouncefast: still running after mode=%s\n", mode);
}
