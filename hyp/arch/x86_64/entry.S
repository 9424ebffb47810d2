/*
 * Interrupt and exception entry.
 *
 * Every vector has a 16-byte stub that makes the frame uniform: it pushes
 * a zero error code where the CPU does not push one, and stores the vector
 * in the upper half of the error-code slot. The common path then pushes
 * the general registers so the stack holds a `struct cpu_user_regs` (Xen's
 * public layout, which matches the hardware frame) and calls do_trap().
 */
#include "asm/traps.h"

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
                        (v) == 29 || (v) == 30)

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
        mov     %rsp, %rdi
        mov     %rsp, %rbx                      /* callee-saved: frame pointer back */
        and     $~15, %rsp                      /* ABI alignment for the call */
        call    do_trap
        mov     %rbx, %rsp
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
        iretq
