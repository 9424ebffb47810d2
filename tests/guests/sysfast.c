/*
 * The guest system call's fast path (hyp/arch/x86_64/syscall_fast.S):
 * SYSCALL from user mode bounced to the syscall callback, and the iret
 * hypercall back, attacked from both sides.
 *
 * - Many round trips keep every register the ABI says they keep, and the
 *   bounce frame carries what the slow path put there.
 * - User mode issuing "iret" (rax = 23) with a kernel-mode frame on its
 *   stack gets a system call, never a return to kernel mode.
 * - iret frames the hardware refuses (non-canonical or hypervisor rip,
 *   hypervisor selectors) become the guest's own faults, from the mode
 *   asked for; RFLAGS from the guest loses IOPL and VM.
 * - An event made pending while masked is delivered the moment an iret
 *   (or a bounce that leaves events on) unmasks it: the fast exit must not
 *   skip it.
 * - mode=bad-bounce-stack / mode=bad-iret-frame: a kernel stack that is
 *   canonical but unmapped, or an iret frame there, end the domain with
 *   the slow path's report (the fast path backs out first).
 */
#include "lib/pvtest.h"
#include <xen/callback.h>

const char pvtest_kernel_name[] = "sysfast";

#define N_ROUNDS 2000
#define UNMAPPED 0x0000400000000000UL /* canonical, never mapped in a test guest */

static uint8_t kstack[8192] __attribute__((aligned(16)));
static uint8_t ustack[4096] __attribute__((aligned(16)));
static uint8_t si_page[4096] __attribute__((aligned(4096)));
static struct shared_info *const si = (struct shared_info *)si_page;

static struct jmp_ctx back;

/* Written by user mode and the callbacks (one address space). */
volatile unsigned long sys_count, sys_last_rax, user_verdict, user_rounds;
volatile unsigned long cb_frame[7], cb_mask, escalated;
volatile unsigned long upcall_rip, upcall_count;

extern void sys_return_entry(void), sys_record_entry(void), upcall_entry(void);
extern void user_round_trips(void), user_fake_iret(void), user_pending_syscall(void);
extern void kernel_after_iret(void);

/*
 * The syscall callback, as Linux's: RCX and R11 off the frame, the result
 * in rax (the number plus 1000), back through the iret hypercall.
 */
__asm__(".text\n"
        "sys_return_entry:\n"
        "  lock incq sys_count(%rip)\n"
        "  pop %rcx\n"
        "  pop %r11\n"
        "  add $1000, %rax\n"
        "  pushq $0\n"
        "  jmp hypercall_page + 23 * 32\n");

/* A callback that keeps the frame and the event mask, then leaves user mode for good. */
void sys_record(unsigned long *frame, unsigned long rax);
void sys_record(unsigned long *frame, unsigned long rax)
{
    for (int i = 0; i < 7; i++)
        cb_frame[i] = frame[i];
    sys_last_rax = rax;
    cb_mask = si->vcpu_info[0].evtchn_upcall_mask;
    ctx_restore(&back);
}

__asm__(".text\n"
        "sys_record_entry:\n"
        "  mov %rsp, %rdi\n"
        "  mov %rax, %rsi\n"
        "  and $-16, %rsp\n"
        "  call sys_record\n");

/* The event upcall: note where it landed, clear the pending flag, iret. */
__asm__(".text\n"
        "upcall_entry:\n"
        "  push %rax\n"
        "  mov 24(%rsp), %rax\n" /* rip, past rax, RCX, R11 */
        "  mov %rax, upcall_rip(%rip)\n"
        "  lock incq upcall_count(%rip)\n"
        "  movb $0, si_page(%rip)\n" /* vcpu_info[0].evtchn_upcall_pending */
        "  pop %rax\n"
        "  pop %rcx\n"
        "  pop %r11\n"
        "  pushq $0\n"
        "  jmp hypercall_page + 23 * 32\n");

/*
 * User mode: N_ROUNDS system calls with every other register loaded with a
 * pattern, each checked after the return (rcx = the return address, r11 =
 * RFLAGS as the SYSCALL left it, rax = the result).
 */
#define SET(r, v) "  movabs $" #v ", %" #r "\n"
#define CMP(r, v) "  movabs $" #v ", %rax\n  cmp %rax, %" #r "\n  jne 9f\n"
__asm__(
    ".text\n"
    "user_round_trips:\n" SET(rbx, 0x1111111111111111) SET(rbp, 0x2222222222222222) SET(
        rdi, 0x3333333333333333) SET(rsi, 0x4444444444444444) SET(rdx, 0x5555555555555555)
        SET(r8, 0x8888888888888888) SET(r9, 0x9999999999999999) SET(r10, 0xaaaaaaaaaaaaaaaa) SET(
            r12, 0xcccccccccccccccc) SET(r13, 0xdddddddddddddddd) SET(r14, 0xeeeeeeeeeeeeeeee)
            SET(r15,
                0xffffffffffffffff) "1:\n"
                                    "  mov $7, %eax\n"
                                    "  syscall\n"
                                    "2:\n"
                                    "  pushfq\n" /* RFLAGS as the iret left them, before any compare
                                                  */
                                    "  cmp (%rsp), %r11\n"
                                    "  lea 8(%rsp), %rsp\n"
                                    "  jne 9f\n"
                                    "  cmp $1007, %rax\n"
                                    "  jne 9f\n"
                                    "  lea 2b(%rip), %rax\n"
                                    "  cmp %rax, %rcx\n"
                                    "  jne 9f\n" CMP(rbx, 0x1111111111111111) CMP(
                                        rbp, 0x2222222222222222) CMP(rdi, 0x3333333333333333)
                                        CMP(rsi, 0x4444444444444444) CMP(rdx, 0x5555555555555555)
                                            CMP(r8, 0x8888888888888888) CMP(r9, 0x9999999999999999)
                                                CMP(r10, 0xaaaaaaaaaaaaaaaa) CMP(
                                                    r12, 0xcccccccccccccccc) CMP(r13,
                                                                                 0xdddddddddddddddd)
                                                    CMP(r14, 0xeeeeeeeeeeeeeeee) CMP(
                                                        r15,
                                                        0xffffffffffffffff) "  incq "
                                                                            "user_rounds(%rip)\n"
                                                                            "  cmpq $2000, "
                                                                            "user_rounds(%rip)\n"
                                                                            "  jb 1b\n"
                                                                            "  movq $1, "
                                                                            "user_verdict(%rip)\n"
                                                                            "  int $0x81\n"
                                                                            "9:\n"
                                                                            "  movq $2, "
                                                                            "user_verdict(%rip)\n"
                                                                            "  int $0x81\n");

/* A kernel-mode iret frame on the user stack, and "iret" asked for. */
__asm__(".text\n"
        "user_fake_iret:\n"
        "  pushq $0xe02b\n" /* ss */
        "  push %rsp\n"     /* rsp */
        "  pushq $0x3202\n" /* rflags, IOPL 3 */
        "  pushq $0xe030\n" /* cs: guest kernel */
        "  lea escalate(%rip), %rax\n"
        "  push %rax\n" /* rip */
        "  pushq $0\n"  /* flags */
        "  push %rcx\n"
        "  push %r11\n"
        "  push %rax\n"
        "  mov $23, %eax\n"
        "  syscall\n"
        "  ud2\n"
        "escalate:\n"
        "  movq $1, escalated(%rip)\n"
        "  int $0x81\n");

/* An event pending and unmasked as the system call is made. */
__asm__(".text\n"
        "user_pending_syscall:\n"
        "  movb $1, si_page(%rip)\n" /* vcpu_info[0].evtchn_upcall_pending */
        "  mov $5, %eax\n"
        "  syscall\n"
        "  ud2\n");

void user_exit_entry_c(void);
void user_exit_entry_c(void)
{
    ctx_restore(&back);
}

__asm__(".text\n"
        "user_exit_here:\n"
        "  and $-16, %rsp\n"
        "  call user_exit_entry_c\n");
extern void user_exit_here(void);

static void set_syscall(void (*entry)(void), bool mask)
{
    struct callback_register cb = {.type = CALLBACKTYPE_syscall,
                                   .address = (unsigned long)entry,
                                   .flags = mask ? CALLBACKF_mask_events : 0};

    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0);
}

static void setup(void)
{
    static bool done;
    struct callback_register ev = {.type = CALLBACKTYPE_event,
                                   .address = (unsigned long)upcall_entry};

    if (done)
        return;
    done = true;
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, si_page, start_info->shared_info | 0x67, 2),
             0);
    CHECK_EQ(HYPERVISOR_stack_switch(0xe02b, (unsigned long)kstack + sizeof(kstack)), 0);
    trap_set(0x81, user_exit_here, 3);
    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &ev), 0);
}

static void run(void (*fn)(void))
{
    if (!ctx_save(&back))
        enter_user(fn, (unsigned long)ustack + sizeof(ustack));
}

PVTEST(round_trips_keep_registers)
{
    setup();
    set_syscall(sys_return_entry, true);
    sys_count = 0;
    run(user_round_trips);
    CHECK_EQ(user_verdict, 1);
    CHECK_EQ(user_rounds, N_ROUNDS);
    CHECK_EQ(sys_count, N_ROUNDS);
    /* Events are on again in the kernel after all those irets. */
    CHECK_EQ(si->vcpu_info[0].evtchn_upcall_mask, 0);
}

PVTEST(bounce_frame_as_xen)
{
    setup();
    set_syscall(sys_record_entry, true);
    run(user_fake_iret);
    CHECK_EQ(escalated, 0);
    CHECK_EQ(sys_last_rax, 23);             /* a system call numbered 23, nothing more */
    CHECK_EQ(cb_frame[3] & 0xffff, 0xe033); /* from user mode */
    CHECK_EQ(cb_frame[3] >> 32, 0);         /* events were on */
    CHECK(cb_frame[4] & 0x200);             /* so IF in the frame */
    CHECK_EQ(cb_frame[4] & 0x3000, 0);      /* the user's IOPL: 0 */
    CHECK_EQ(cb_frame[6], 0xe02b);
    CHECK_EQ(cb_frame[5], (unsigned long)ustack + sizeof(ustack) - 9 * 8);
    CHECK_EQ(cb_mask, 1); /* CALLBACKF_mask_events */
    si->vcpu_info[0].evtchn_upcall_mask = 0;
}

/* Defined in edges.c's way: rip, cs, rflags, ss in rdi, rsi, rdx, rcx. */
__asm__(".text\n"
        "iret_frame:\n"
        "  lea 8(%rsp), %rax\n"
        "  push %rcx\n"
        "  push %rax\n"
        "  push %rdx\n"
        "  push %rsi\n"
        "  push %rdi\n"
        "  pushq $0\n"
        "  jmp hypercall_page + 23 * 32\n");

#define IRET_EXPECT_FAULT(rip, cs, rflags, ss)                                                     \
    do {                                                                                           \
        __label__ resumed;                                                                         \
        trap_expect_flat(&&resumed);                                                               \
        __asm__ goto("call iret_frame" ::"D"((unsigned long)(rip)), "S"((unsigned long)(cs)),      \
                     "d"((unsigned long)(rflags)), "c"((unsigned long)(ss))                        \
                     : "memory", "rax"                                                             \
                     : resumed);                                                                   \
        CHECK(false);                                                                              \
    resumed:;                                                                                      \
    } while (0)

PVTEST(iret_refusals_are_the_guests_faults)
{
    setup();
    /* To user mode at a non-canonical rip: #GP(0), taken in user mode. */
    IRET_EXPECT_FAULT(0x8000000000000000UL, 0xe033, 0x202, 0xe02b);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0);
    CHECK_EQ(last_trap.cs & 3, 3);
    /* To user mode inside the hypervisor: a user #PF there, nothing more. */
    IRET_EXPECT_FAULT(0xffff830000001000UL, 0xe033, 0x202, 0xe02b);
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.rip, 0xffff830000001000UL);
    CHECK_EQ(last_trap.cs & 3, 3);
    CHECK(last_trap.error_code & 4); /* U */
    /* The hypervisor's own code and data selectors (RPL 3 forced): #GP(sel). */
    IRET_EXPECT_FAULT(&&here, 0xe008, 0x202, 0xe02b);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0xe008);
    IRET_EXPECT_FAULT(&&here, 0xe033, 0x202, 0xe010);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0xe010);
    /* The bits in CS above the selector are ignored, not loaded. */
    IRET_EXPECT_FAULT(0x8000000000000000UL, 0xdead0000e030UL, 0x202, 0xe02b);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.cs, 0xe030);
here:;
}

/* Back in guest kernel mode after an iret with these RFLAGS: what is live. */
static __attribute__((noinline)) unsigned long iret_rflags_to_kernel(unsigned long rflags)
{
    unsigned long live;

    __asm__ volatile("call iret_frame\n"
                     "kernel_after_iret:\n"
                     "  pushfq\n"
                     "  pop %0\n"
                     : "=r"(live)
                     : "D"((unsigned long)kernel_after_iret), "S"(0xe030UL), "d"(rflags),
                       "c"(0xe02bUL)
                     : "memory", "rax");
    return live;
}

PVTEST(iret_rflags_sanitised)
{
    unsigned long live;

    setup();
    live = iret_rflags_to_kernel(0x3202UL | (1UL << 17));
    CHECK_EQ(live & 0x3000, 0);      /* IOPL 0 for real */
    CHECK_EQ(live & (1UL << 17), 0); /* no VM */
    CHECK(live & 0x200);             /* real IF on */
    CHECK_EQ(si->vcpu_info[0].evtchn_upcall_mask, 0);
    live = iret_rflags_to_kernel(0x002);
    CHECK(live & 0x200);                              /* real IF stays on ... */
    CHECK_EQ(si->vcpu_info[0].evtchn_upcall_mask, 1); /* ... the guest's is the mask */
    si->vcpu_info[0].evtchn_upcall_mask = 0;
}

PVTEST(events_unmasked_by_iret_are_delivered)
{
    setup();
    upcall_count = 0;
    si->vcpu_info[0].evtchn_upcall_mask = 1;
    si->vcpu_info[0].evtchn_upcall_pending = 1;
    iret_rflags_to_kernel(0x202); /* unmasks: the upcall comes first */
    CHECK_EQ(upcall_count, 1);
    CHECK_EQ(upcall_rip, (unsigned long)kernel_after_iret);
    CHECK_EQ(si->vcpu_info[0].evtchn_upcall_pending, 0);

    /* A system call with events left on: the upcall lands on the callback. */
    upcall_count = 0;
    set_syscall(sys_record_entry, false);
    run(user_pending_syscall);
    CHECK_EQ(sys_last_rax, 5);
    CHECK_EQ(upcall_count, 1);
    CHECK_EQ(upcall_rip, (unsigned long)sys_record_entry);
    CHECK_EQ(cb_mask, 0);
}

/* Run last (named so): each ends the domain. */
PVTEST(zz_bad_stacks)
{
    const char *mode = cmdline_option("mode");

    setup();
    if (!mode)
        return;
    if (strcmp(mode, "bad-bounce-stack") == 0) {
        set_syscall(sys_return_entry, true);
        CHECK_EQ(HYPERVISOR_stack_switch(0xe02b, UNMAPPED + 4096), 0);
        printk("pvtest sysfast: system call onto an unmapped kernel stack\n");
        run(user_round_trips);
    } else if (strcmp(mode, "bad-iret-frame") == 0) {
        printk("pvtest sysfast: iret with its frame unmapped\n");
        __asm__ volatile("mov %0, %%rsp\n"
                         "mov $23, %%eax\n"
                         "syscall\n" ::"r"(UNMAPPED + 4096)
                         : "memory", "rax", "rcx", "r11");
    }
    printk("pvtest sysfast: still running after mode=%s\n", mode);
}
