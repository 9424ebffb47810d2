/*
 * Interrupt, exception and SYSCALL entry, and the return path to guests.
 *
 * Every IDT vector has a 16-byte stub that makes the frame uniform: it
 * pushes a zero error code where the CPU does not push one, and stores the
 * vector in the upper half of the error-code slot. The common path then
 * pushes the general registers so the stack holds a `struct cpu_user_regs`
 * (Xen's public layout, which matches the hardware frame).
 *
 * From a guest (ring 3) the CPU switches to TSS.rsp0, so the frame lands
 * exactly in cpu_info->guest_cpu_user_regs; such frames leave through
 * ret_to_guest, which runs softirqs (the scheduler), delivers pending
 * bounces and may switch to another vCPU before the final iretq. Frames
 * taken in the hypervisor, or on an IST stack, return directly.
 *
 * SYSCALL has no stack switch of its own: each CPU's LSTAR/CSTAR point at
 * a small stub built at boot (syscall_stubs, see pv/context.c) that parks
 * the guest's rax and rsp in the guest frame and moves to the stack. A
 * 64-bit one then tries syscall_fast.S (a system call bounced, the iret
 * hypercall) before the C path; a guest's page fault tries bounce_fast.S.
 */
#include "asm/asm_offsets.h"
#include "asm/layout.h"
#include "asm/pv_fast_offsets.h"
#include "asm/traps.h"

#define FLAT_KERNEL_CS64 0xe033
#define FLAT_KERNEL_SS   0xe02b

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
                        (v) == 29 || (v) == 30)

.macro SAVE_ALL
        cld
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
.endm

.macro RESTORE_ALL
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
        add     $8, %rsp                        /* error code + vector */
.endm

/* %reg := this CPU's cpu_info (= its guest frame), from any %rsp in the block. */
.macro GET_CPUINFO reg
        mov     %rsp, \reg
        or      $(STACK_SIZE - 1), \reg
        sub     $(CPU_INFO_OFFSET - 1), \reg
.endm

        .text
        .balign 16
        .globl  idt_stubs
idt_stubs:
        .set    vec, 0
        .rept   256
        .balign 16
        .if     HAS_ERRCODE(vec) == 0
        pushq   $0
        .endif
        movl    $vec, 4(%rsp)
        jmp     common_trap
        .set    vec, vec + 1
        .endr

common_trap:
        SAVE_ALL
        mov     %rsp, %rdi
        GET_CPUINFO %rax
        cmp     %rax, %rsp
        je      1f                              /* a guest frame in cpu_info */
        /*
         * A #DB from the guest arrives on its IST stack: move the frame to
         * cpu_info, where the guest paths expect it, and leave the IST
         * stack free for a #DB the bounce may take on guest memory.
         */
        cmpl    $TRAP_debug, UREGS_entry_vector(%rsp)
        jne     2f
        testb   $3, UREGS_cs(%rsp)
        jz      2f
        mov     %rsp, %rsi
        mov     %rax, %rdi
        mov     $(UREGS_es / 8), %ecx
        rep movsq
        mov     %rax, %rsp
        mov     %rsp, %rdi
        jmp     1f
2:      mov     %rsp, %rbx                      /* callee-saved: frame pointer back */
        and     $~15, %rsp                      /* ABI alignment for the call */
        call    do_trap
        mov     %rbx, %rsp
        RESTORE_ALL
        iretq
        /* A guest's page fault tries the fast path first (bounce_fast.S). */
1:      cmpl    $TRAP_page_fault, UREGS_entry_vector(%rsp)
        je      pv_page_fault_fast
        .globl  guest_trap_slow
guest_trap_slow:
        mov     %rsp, %rdi
        sub     $8, %rsp                        /* the guest frame is 8 mod 16 */
        call    do_trap
        jmp     ret_to_guest

/*
 * Leave for the guest whose registers are in cpu_info, from anywhere on
 * this CPU's stack (the stack below the frame is discarded): the fast
 * exit check (bounce_fast.S) with interrupts off, which comes back to
 * ret_to_guest_slow for anything but an iretq or an event upcall.
 */
        .globl  ret_to_guest
ret_to_guest:
        GET_CPUINFO %rax
        mov     %rax, %rsp
        cli
        mov     CPUINFO_curr_vcpu(%rsp), %rbx
        jmp     pv_fast_exit
        .globl  ret_to_guest_slow
ret_to_guest_slow:
        sub     $8, %rsp
        call    pv_exit_to_guest                /* returns with interrupts off */
        add     $8, %rsp
/* The frame in cpu_info is final: load it and go (syscall_fast.S ends here). */
        .globl  restore_guest_and_iret
restore_guest_and_iret:
        RESTORE_ALL
.Lguest_iret:
        iretq
        .section __ex_table, "a"
        .quad   .Lguest_iret, iret_fault
        .previous

/*
 * The iretq to a guest faulted (a selector or address the guest gave was
 * bad). We are back at the iretq's %rsp, i.e. on the frame's rip slot, with
 * the guest's general registers reloaded by the fault path: pushing them
 * again rebuilds the frame in place.
 */
iret_fault:
        pushq   $0
        SAVE_ALL
        sub     $8, %rsp
        call    pv_iret_fault
        jmp     ret_to_guest

/* void reset_stack_and_jump(void (*fn)(void)): continue in fn, stack empty. */
        .globl  reset_stack_and_jump
reset_stack_and_jump:
        GET_CPUINFO %rax
        mov     %rax, %rsp
        sub     $8, %rsp                        /* 16-aligned, then a fake return slot */
        pushq   $0
        xor     %ebp, %ebp
        jmp     *%rdi

/*
 * SYSCALL from a guest, via this CPU's stub: the stub left the guest's rsp
 * in the frame's rsp slot, its rax in the ss slot, and %rsp pointing at the
 * rsp slot. rcx = guest rip, r11 = guest rflags (SYSCALL's doing).
 */
.macro SYSCALL_FRAME vector
        mov     8(%rsp), %rax                   /* guest rax back */
        movq    $FLAT_KERNEL_SS, 8(%rsp)
        push    %r11
        pushq   $FLAT_KERNEL_CS64
        push    %rcx
        pushq   $0
        movl    $\vector, 4(%rsp)
        SAVE_ALL
.endm

/*
 * 64-bit SYSCALL tries the fast path first (syscall_fast.S: a system call
 * bounced, the iret hypercall), which comes back to syscall_slow, with
 * the frame untouched, for anything else.
 */
        .globl  lstar_common
lstar_common:
        SYSCALL_FRAME TRAP_syscall
        jmp     pv_syscall_fast

        .globl  cstar_common
cstar_common:
        SYSCALL_FRAME TRAP_syscall32
        .globl  syscall_slow
syscall_slow:
        mov     %rsp, %rdi
        sub     $8, %rsp
        call    pv_syscall_entry
        jmp     ret_to_guest
