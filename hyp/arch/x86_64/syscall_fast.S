/*
 * The guest system call's common case, in assembly: SYSCALL from guest
 * user mode bounced to the guest kernel's syscall callback, and the iret
 * hypercall that returns from it. Together they are every system call a
 * PV guest makes, and in C they went through the whole trap machinery
 * twice (a call chain, the bounce frame built on our stack and then
 * copied, the exit path's checks as function calls).
 *
 * Entered from lstar_common (entry.S) with the full guest frame in
 * cpu_info (%rsp points at it), every guest register saved there and
 * interrupts still off (SYSCALL masked IF). We stay with interrupts off
 * until the iretq: an interrupt arriving meanwhile is taken in the guest
 * and comes back through the ordinary path.
 *
 * Each path does what pv_syscall_entry (and create_frame / do_iret behind
 * it) does for the case, and nothing else. Anything out of the ordinary
 * goes to the C path untouched, before any state changed:
 *   - a hypercall other than iret; hypercall tracing on (it must see each);
 *   - no syscall callback (#UD is due);
 *   - VMASST_TYPE_architectural_iopl (IOPL then travels in RFLAGS);
 *   - a frame address outside the guest's range, or one that faults
 *     (the C path then reports and crashes the domain, as before).
 * Both leave through pv_fast_exit (bounce_fast.S), which delivers an
 * event upcall due itself and hands anything else over to the C exit path.
 * The bounce frame is BOUNCE_FRAME's (asm/pv_fast.h).
 */
#include "asm/pv_fast.h"

#define HYPERVISOR_iret  23
/* RFLAGS a guest may return with: all defined bits but IOPL and VM (callbacks.c). */
#define IRET_RFLAGS_GUEST 0x3d4fd5

        .text
        .globl  pv_syscall_fast
pv_syscall_fast:
        mov     CPUINFO_curr_vcpu(%rsp), %rbx   /* %rbx: the vCPU throughout */
        /* Other hypercalls leave first: they pay four instructions here. */
        cmpb    $0, VCPU_kernel_mode(%rbx)
        jne     .Lhypercall
        SLOW_IF_ARCH_IOPL syscall_slow

/* ---- SYSCALL from guest user mode: bounce to the syscall callback. ---- */
        mov     VCPU_syscall_callback(%rbx), %r12
        test    %r12, %r12
        jz      syscall_slow                    /* #UD for the guest */
        BOUNCE_FRAME syscall_slow, , user
        cmpb    $0, VCPU_syscall_masks(%rbx)
        je      4f
        movb    $1, VCPUINFO_upcall_mask(%r14)
4:      movl    $0, VCPU_poll_ports(%rbx)       /* it runs: any poll is over */
        jmp     pv_fast_exit

/* ---- SYSCALL from guest kernel mode: a hypercall; iret is ours. ---- */
.Lhypercall:
        cmpq    $HYPERVISOR_iret, UREGS_rax(%rsp)
        jne     syscall_slow
        cmpb    $0, hypercall_slow_path(%rip)
        jne     syscall_slow
        SLOW_IF_ARCH_IOPL syscall_slow
        /* struct iret_context: rax, r11, rcx, flags, rip, cs, rflags, rsp, ss */
        mov     UREGS_rsp(%rsp), %r13
        GUEST_RANGE %r13, 72, syscall_slow
        GUEST_MOV 0(%r13), %r8, syscall_slow
        GUEST_MOV 8(%r13), %r9, syscall_slow
        GUEST_MOV 16(%r13), %r10, syscall_slow
        GUEST_MOV 32(%r13), %r11, syscall_slow
        GUEST_MOV 40(%r13), %r12, syscall_slow
        GUEST_MOV 48(%r13), %r14, syscall_slow
        GUEST_MOV 56(%r13), %r15, syscall_slow
        GUEST_MOV 64(%r13), %rbp, syscall_slow

        incq    (VCPU_perfc_hypercalls + HYPERVISOR_iret * 8)(%rbx)
        movl    $0, VCPU_poll_ports(%rbx)
        movb    $0, VCPU_hcall_preempted(%rbx)
        /* RPL 3 in the frame's CS: a return to guest user mode. */
        mov     %r12d, %eax
        and     $3, %eax
        cmp     $3, %eax
        jne     5f
        swapgs
        movb    $0, VCPU_kernel_mode(%rbx)
        LOAD_CR3_FOR_MODE
        FLUSHSTAT_ROW %rcx
        incq    FLUSHSTAT_ksw(%rcx)
        incq    FLUSHSTAT_cr3(%rcx)
5:
        mov     %r8, UREGS_rax(%rsp)
        mov     %r9, UREGS_r11(%rsp)
        mov     %r10, UREGS_rcx(%rsp)
        mov     %r11, UREGS_rip(%rsp)
        /* Guest privilege forced on both selectors; only the selector
         * of the CS slot (bits 32-39 may hold a saved event mask). */
        or      $3, %r12d
        movzwl  %r12w, %eax
        mov     %rax, UREGS_cs(%rsp)
        mov     %r15, UREGS_rsp(%rsp)
        or      $3, %ebp
        movzwl  %bp, %eax
        mov     %rax, UREGS_ss(%rsp)
        /* Real IF on, IOPL 0, no VM; the guest's IF is its event mask. */
        mov     %r14, %rax
        and     $IRET_RFLAGS_GUEST, %eax
        or      $(RFLAGS_IF | 2), %eax
        mov     %rax, UREGS_rflags(%rsp)
        mov     VCPU_vcpu_info(%rbx), %rax
        bt      $9, %r14                        /* RFLAGS_IF */
        setnc   VCPUINFO_upcall_mask(%rax)

        jmp     pv_fast_exit
