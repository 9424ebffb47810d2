/*
 * Assembly pieces the guest fast paths share (syscall_fast.S, the system
 * call; bounce_fast.S, the user page fault, the event upcall and the exit
 * check): constants of the PV ABI, guest memory accesses that may fault,
 * the mode switch's CR3 load, the flush counters and the bounce frame.
 * Assembly only; the offsets they use are in pv_fast_offsets.h.
 */
#ifndef PARAVANE_ASM_PV_FAST_H
#define PARAVANE_ASM_PV_FAST_H

#ifdef __ASSEMBLY__

#include "asm/asm_offsets.h"
#include "asm/pv_fast_offsets.h"
#include "asm/layout.h"

#define FLAT_KERNEL_CS64 0xe033
#define FLAT_KERNEL_SS   0xe02b
#define VMASST_ARCH_IOPL (1 << 4) /* VMASST_TYPE_architectural_iopl */
#define GUEST_LOW_END    0x0000800000000000
#define RFLAGS_IF        0x200
/* Off in a bounce's handler: TF, NT, RF, VM, AC (create_frame). */
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
        jb      .Lrange_ok\@
        mov     $HYP_VIRT_END, %rcx
        cmp     %rcx, \va
        jb      \bad
.Lrange_ok\@:
.endm

/*
 * The architectural-IOPL assist makes IOPL travel in RFLAGS (pv/iopl.c),
 * which the fast paths leave to C: jump to \slow if the vCPU's (%rbx)
 * domain asked for it. Leaves that domain in %rax.
 */
.macro SLOW_IF_ARCH_IOPL slow
        mov     VCPU_domain(%rbx), %rax
        testb   $VMASST_ARCH_IOPL, DOMAIN_vm_assist(%rax)
        jnz     \slow
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
        jne     .Lcr3_base\@
        mov     VCPU_guest_table_user(%rbx), %rcx
        test    %rcx, %rcx
        cmovnz  %rcx, %rax
.Lcr3_base\@:
        shl     $12, %rax
        mov     %rax, %cr3
.endm

/*
 * The bounce frame (create_frame in pv/traps.c), built on the guest
 * kernel's stack for the handler at %r12, lowest address first:
 *
 *     RCX, R11, [error code], RIP, CS | saved mask << 32, RFLAGS, RSP, SS
 *
 * From guest user mode the vCPU first moves to kernel mode (its GS base
 * and page table) and the frame goes below its kernel stack pointer; from
 * kernel mode it goes below the interrupted RSP, and the CS slot shows
 * RPL 0. Then the frame in cpu_info enters the handler with TF, NT, RF,
 * VM and AC off. The event mask is left as it was: masking is the
 * caller's choice.
 *
 * In: %rbx the vCPU, %r12 the handler, the guest frame at %rsp, \err a
 * register with the error code (none if left out), \from "user" where the
 * caller knows the vCPU is in user mode (the test is then left out), else
 * "any". The caller made sure that the architectural-IOPL assist is off
 * (IOPL then shows in RFLAGS). Out: %r14 the vCPU's vcpu_info. Clobbers
 * %rax, %rcx, %rdx, %rbp, %r13, %r15.
 *
 * A frame outside the guest's range jumps to \bad with nothing changed;
 * one whose writing faults is backed out (back to user mode if we left
 * it) and jumps to \bad too, so the C path meets the same fault and
 * reports it.
 */
.macro BOUNCE_FRAME bad, err, from
        .ifb    \err
        .set    .Lbf_size\@, 56
        .else
        .set    .Lbf_size\@, 64
        .endif
        movzwl  UREGS_cs(%rsp), %r15d
        mov     VCPU_kernel_sp(%rbx), %r13
        .ifc    \from, any
        xor     %ebp, %ebp                      /* %rbp: 1 if we left user mode */
        cmpb    $0, VCPU_kernel_mode(%rbx)
        je      .Lbf_user\@
        mov     UREGS_rsp(%rsp), %r13
        and     $~3, %r15d                      /* the guest kernel's view: RPL 0 */
.Lbf_user\@:
        .endif
        and     $~15, %r13
        sub     $.Lbf_size\@, %r13
        GUEST_RANGE %r13, .Lbf_size\@, \bad
        .ifc    \from, any
        cmpb    $0, VCPU_kernel_mode(%rbx)
        jne     .Lbf_write\@
        mov     $1, %ebp
        .endif
        swapgs
        movb    $1, VCPU_kernel_mode(%rbx)
        LOAD_CR3_FOR_MODE
.Lbf_write\@:
        mov     VCPU_vcpu_info(%rbx), %r14
        /* The guest's IF in the frame is the inverse of its event mask. */
        movzbl  VCPUINFO_upcall_mask(%r14), %eax
        mov     UREGS_rflags(%rsp), %rdx
        and     $~RFLAGS_IF, %rdx
        test    %eax, %eax
        jnz     .Lbf_masked\@
        or      $RFLAGS_IF, %rdx
.Lbf_masked\@:
        shl     $32, %rax
        or      %rax, %r15                      /* CS | saved mask << 32 */
        mov     UREGS_rcx(%rsp), %rax
        GUEST_MOV %rax, 0(%r13), .Lbf_fault\@
        mov     UREGS_r11(%rsp), %rax
        GUEST_MOV %rax, 8(%r13), .Lbf_fault\@
        .ifnb   \err
        mov     \err, %rax
        GUEST_MOV %rax, 16(%r13), .Lbf_fault\@
        .endif
        mov     UREGS_rip(%rsp), %rax
        GUEST_MOV %rax, (.Lbf_size\@ - 40)(%r13), .Lbf_fault\@
        GUEST_MOV %r15, (.Lbf_size\@ - 32)(%r13), .Lbf_fault\@
        GUEST_MOV %rdx, (.Lbf_size\@ - 24)(%r13), .Lbf_fault\@
        mov     UREGS_rsp(%rsp), %rax
        GUEST_MOV %rax, (.Lbf_size\@ - 16)(%r13), .Lbf_fault\@
        movzwl  UREGS_ss(%rsp), %eax
        GUEST_MOV %rax, (.Lbf_size\@ - 8)(%r13), .Lbf_fault\@

        /* Into the handler, on that frame. */
        mov     %r13, UREGS_rsp(%rsp)
        mov     %r12, UREGS_rip(%rsp)
        movq    $FLAT_KERNEL_CS64, UREGS_cs(%rsp)
        movq    $FLAT_KERNEL_SS, UREGS_ss(%rsp)
        mov     UREGS_rflags(%rsp), %rax
        and     $~BOUNCE_RFLAGS_OFF, %rax
        or      $RFLAGS_IF, %rax
        mov     %rax, UREGS_rflags(%rsp)
        FLUSHSTAT_ROW %rcx
        incq    FLUSHSTAT_bounce(%rcx)
        .ifc    \from, any
        test    %ebp, %ebp
        jz      .Lbf_done\@
        .endif
        incq    FLUSHSTAT_ksw(%rcx)
        incq    FLUSHSTAT_cr3(%rcx)
        jmp     .Lbf_done\@
.Lbf_fault\@:
        .ifc    \from, any
        test    %ebp, %ebp
        jz      \bad
        .endif
        swapgs
        movb    $0, VCPU_kernel_mode(%rbx)
        LOAD_CR3_FOR_MODE
        jmp     \bad
.Lbf_done\@:
.endm

#endif /* __ASSEMBLY__ */
#endif
