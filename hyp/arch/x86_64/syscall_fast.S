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
 * On the way out, a softirq, a pending trap or failsafe bounce, or an
 * event upcall due hands over to ret_to_guest, which does them all.
 */
#include "asm/asm_offsets.h"
#include "asm/pv_fast_offsets.h"
#include "asm/layout.h"

#define FLAT_KERNEL_CS64 0xe033
#define FLAT_KERNEL_SS   0xe02b
#define HYPERVISOR_iret  23
#define VMASST_ARCH_IOPL (1 << 4)               /* VMASST_TYPE_architectural_iopl */
#define GUEST_LOW_END    0x0000800000000000
#define RFLAGS_IF        0x200
/* RFLAGS a guest may return with: all defined bits but IOPL and VM (callbacks.c). */
#define IRET_RFLAGS_GUEST 0x3d4fd5
/* Off in the syscall callback: TF, NT, RF, VM, AC (create_frame). */
#define BOUNCE_RFLAGS_OFF ((1 << 8) | (1 << 14) | (1 << 16) | (1 << 17) | (1 << 18))

/* A guest memory access that may fault: the fault continues at \fixup. */
.macro GUEST_MOV src, dst, fixup
99:     mov     \src, \dst
        .section __ex_table, "a"
        .balign 8
        .quad   99b, \fixup
        .previous
.endm

/*
 * Is [\va, \va + \len) inside the guest's part of the address space
 * (guest_range_ok)? Jumps to \bad if not. Clobbers %rax and %rcx.
 */
.macro GUEST_RANGE va, len, bad
        lea     (\len - 1)(\va), %rax
        cmp     \va, %rax
        jb      \bad                            /* wrapped */
        mov     $GUEST_LOW_END, %rcx
        cmp     %rcx, %rax
        jb      1f
        mov     $HYP_VIRT_END, %rcx
        cmp     %rcx, \va
        jb      \bad
1:
.endm

/* This CPU's flushstat row into \reg (clobbers %rax). */
.macro FLUSHSTAT_ROW reg
        mov     CPUINFO_cpu(%rsp), %eax
        shl     $6, %rax                        /* FLUSHSTAT_size */
        lea     flushstat(%rip), \reg
        add     %rax, \reg
.endm

/* The base a mode switch loads, as pv_load_cr3: the user L4 if any. */
.macro LOAD_CR3_FOR_MODE
        mov     VCPU_guest_table(%rbx), %rax
        cmpb    $0, VCPU_kernel_mode(%rbx)
        jne     2f
        mov     VCPU_guest_table_user(%rbx), %rcx
        test    %rcx, %rcx
        cmovnz  %rcx, %rax
2:      shl     $12, %rax
        mov     %rax, %cr3
.endm

        .text
        .globl  pv_syscall_fast
pv_syscall_fast:
        mov     CPUINFO_curr_vcpu(%rsp), %rbx   /* %rbx: the vCPU throughout */
        /* Other hypercalls leave first: they pay four instructions here. */
        cmpb    $0, VCPU_kernel_mode(%rbx)
        jne     .Lhypercall
        mov     VCPU_domain(%rbx), %rax
        testb   $VMASST_ARCH_IOPL, DOMAIN_vm_assist(%rax)
        jnz     syscall_slow

/* ---- SYSCALL from guest user mode: bounce to the syscall callback. ---- */
        mov     VCPU_syscall_callback(%rbx), %r12
        test    %r12, %r12
        jz      syscall_slow                    /* #UD for the guest */
        /* The frame: 7 words below the 16-aligned kernel stack pointer. */
        mov     VCPU_kernel_sp(%rbx), %r13
        and     $~15, %r13
        sub     $56, %r13
        GUEST_RANGE %r13, 56, syscall_slow

        /* To guest kernel mode: its GS base and its page table. */
        swapgs
        movb    $1, VCPU_kernel_mode(%rbx)
        LOAD_CR3_FOR_MODE

        /* RCX, R11, RIP, CS | saved mask << 32, RFLAGS, RSP, SS */
        mov     VCPU_vcpu_info(%rbx), %r14
        movzbl  VCPUINFO_upcall_mask(%r14), %r15d
        mov     UREGS_rcx(%rsp), %rax
        GUEST_MOV %rax, 0(%r13), .Lbounce_fault
        mov     UREGS_r11(%rsp), %rax
        GUEST_MOV %rax, 8(%r13), .Lbounce_fault
        mov     UREGS_rip(%rsp), %rax
        GUEST_MOV %rax, 16(%r13), .Lbounce_fault
        movzwl  UREGS_cs(%rsp), %eax
        mov     %r15, %rcx
        shl     $32, %rcx
        or      %rcx, %rax
        GUEST_MOV %rax, 24(%r13), .Lbounce_fault
        /* The guest's IF in the frame is the inverse of its event mask. */
        mov     UREGS_rflags(%rsp), %rax
        and     $~RFLAGS_IF, %rax
        mov     $RFLAGS_IF, %ecx
        test    %r15d, %r15d
        jz      3f
        xor     %ecx, %ecx
3:      or      %rcx, %rax
        GUEST_MOV %rax, 32(%r13), .Lbounce_fault
        mov     UREGS_rsp(%rsp), %rax
        GUEST_MOV %rax, 40(%r13), .Lbounce_fault
        movzwl  UREGS_ss(%rsp), %eax
        GUEST_MOV %rax, 48(%r13), .Lbounce_fault

        /* Into the callback, on that frame. */
        mov     %r13, UREGS_rsp(%rsp)
        mov     %r12, UREGS_rip(%rsp)
        movq    $FLAT_KERNEL_CS64, UREGS_cs(%rsp)
        movq    $FLAT_KERNEL_SS, UREGS_ss(%rsp)
        mov     UREGS_rflags(%rsp), %rax
        and     $~BOUNCE_RFLAGS_OFF, %rax
        or      $RFLAGS_IF, %rax
        mov     %rax, UREGS_rflags(%rsp)
        cmpb    $0, VCPU_syscall_masks(%rbx)
        je      4f
        movb    $1, VCPUINFO_upcall_mask(%r14)
4:      movl    $0, VCPU_poll_ports(%rbx)       /* it runs: any poll is over */
        FLUSHSTAT_ROW %rcx
        incq    FLUSHSTAT_ksw(%rcx)
        incq    FLUSHSTAT_cr3(%rcx)
        incq    FLUSHSTAT_bounce(%rcx)
        jmp     .Lexit

/*
 * Writing the frame faulted: back to user mode as we were, and let the
 * C path find the same fault and report it.
 */
.Lbounce_fault:
        swapgs
        movb    $0, VCPU_kernel_mode(%rbx)
        LOAD_CR3_FOR_MODE
        jmp     syscall_slow

/* ---- SYSCALL from guest kernel mode: a hypercall; iret is ours. ---- */
.Lhypercall:
        cmpq    $HYPERVISOR_iret, UREGS_rax(%rsp)
        jne     syscall_slow
        cmpb    $0, hypercall_slow_path(%rip)
        jne     syscall_slow
        mov     VCPU_domain(%rbx), %rax
        testb   $VMASST_ARCH_IOPL, DOMAIN_vm_assist(%rax)
        jnz     syscall_slow
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

/*
 * Out: straight to the iretq if nothing else is due (pv_exit_to_guest's
 * exit_is_quiet, with interrupts still off), else the full exit path.
 */
.Lexit:
        mov     CPUINFO_cpu(%rsp), %eax
        lea     softirq_pending_mask(%rip), %rcx
        cmpq    $0, (%rcx,%rax,8)
        jne     ret_to_guest
        cmpb    $0, VCPU_failsafe_pending(%rbx)
        jne     ret_to_guest
        cmpb    $0, VCPU_trap_bounce_pending(%rbx)
        jne     ret_to_guest
        mov     VCPU_vcpu_info(%rbx), %rax
        cmpb    $0, VCPUINFO_upcall_pending(%rax)
        je      restore_guest_and_iret
        cmpb    $0, VCPUINFO_upcall_mask(%rax)
        jne     restore_guest_and_iret
        cmpq    $0, VCPU_event_callback(%rbx)
        jne     ret_to_guest
        jmp     restore_guest_and_iret
