/*
 * Trap entry stubs of the PV test kernels. The hypervisor's bounce frame
 * is RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS; the stubs save the
 * general registers, let trap_record() look at (and edit) the frame, then
 * return through the iret hypercall as a PV kernel must.
 */
#define IRET_ENTRY (23 * 32)

.macro SAVE
        push    %rax
        push    %rbx
        push    %rdx
        push    %rsi
        push    %rdi
        push    %rbp
        push    %r8
        push    %r9
        push    %r10
        push    %r12
        push    %r13
        push    %r14
        push    %r15
.endm

.macro RESTORE
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rbp
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %rbx
        pop     %rax
.endm

#define NSAVED 13

.macro TRAP vec, err
        .globl  trap_entry_\vec
trap_entry_\vec:
        SAVE
        mov     $\vec, %edi
        lea     (NSAVED * 8)(%rsp), %rsi        /* the hypervisor's frame */
        mov     $\err, %edx
        mov     %rsp, %rbx
        and     $-16, %rsp
        call    trap_record
        mov     %rbx, %rsp
        RESTORE
        pop     %rcx
        pop     %r11
        .if \err
        add     $8, %rsp
        .endif
        pushq   $0                              /* iret flags */
        jmp     hypercall_page + IRET_ENTRY
.endm

        .text
        TRAP 0, 0
        TRAP 1, 0
        TRAP 2, 0
        TRAP 3, 0
        TRAP 4, 0
        TRAP 5, 0
        TRAP 6, 0
        TRAP 7, 0
        TRAP 8, 1
        TRAP 9, 0
        TRAP 10, 1
        TRAP 11, 1
        TRAP 12, 1
        TRAP 13, 1
        TRAP 14, 1
        TRAP 16, 0
        TRAP 17, 1
        TRAP 18, 0
        TRAP 19, 0
        TRAP 128, 0

/*
 * Minimal setjmp/longjmp for leaving user mode: ctx_save stores the
 * callee-saved registers, rsp and the return address and returns 0;
 * ctx_restore comes back out of that ctx_save returning 1.
 */
        .globl  ctx_save
ctx_save:
        mov     %rbx, 0(%rdi)
        mov     %rbp, 8(%rdi)
        mov     %r12, 16(%rdi)
        mov     %r13, 24(%rdi)
        mov     %r14, 32(%rdi)
        mov     %r15, 40(%rdi)
        lea     8(%rsp), %rax
        mov     %rax, 48(%rdi)
        mov     (%rsp), %rax
        mov     %rax, 56(%rdi)
        xor     %eax, %eax
        ret

        .globl  ctx_restore
ctx_restore:
        mov     0(%rdi), %rbx
        mov     8(%rdi), %rbp
        mov     16(%rdi), %r12
        mov     24(%rdi), %r13
        mov     32(%rdi), %r14
        mov     40(%rdi), %r15
        mov     48(%rdi), %rsp
        mov     $1, %eax
        jmp     *56(%rdi)

/*
 * Enter guest user mode at %rdi with stack %rsi, through the iret
 * hypercall with a ring-3 CS (RPL 3 = user).
 */
        .globl  enter_user
enter_user:
        pushq   $0xe02b                         /* ss */
        push    %rsi                            /* rsp */
        pushq   $0x202                          /* rflags: IF */
        pushq   $0xe033                         /* cs, RPL 3 */
        push    %rdi                            /* rip */
        pushq   $0                              /* flags */
        jmp     hypercall_page + IRET_ENTRY
