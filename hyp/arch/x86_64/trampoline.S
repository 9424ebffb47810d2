/*
 * Application-processor start-up trampoline.
 *
 * smpboot.c copies [trampoline_start, trampoline_end) to TRAMPOLINE_PHYS
 * (below 1 MiB) and fills the parameter block at its end before each
 * INIT-SIPI-SIPI. The AP starts in real mode at TRAMPOLINE_PHYS:0, climbs
 * through protected mode into long mode on the boot page tables (which map
 * low memory identity and the image at its link address), then jumps to
 * the 64-bit entry with the stack the BSP gave it.
 *
 * Everything here is position independent or computed from
 * TRAMPOLINE_PHYS, because it runs from the copy, not from the image.
 */
#include "asm/layout.h"

#define TRAMP(sym) (TRAMPOLINE_PHYS + ((sym) - trampoline_start))

        .section .rodata.trampoline, "a"
        .code16
        .globl  trampoline_start
trampoline_start:
        cli
        cld
        xor     %ax, %ax
        mov     %ax, %ds
        lgdtl   TRAMP(tramp_gdtr)
        mov     %cr0, %eax
        or      $1, %eax                        /* PE */
        mov     %eax, %cr0
        ljmpl   $0x18, $TRAMP(tramp_pm32)

        .code32
tramp_pm32:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %cr4, %eax
        or      $((1 << 5) | (1 << 7)), %eax    /* PAE | PGE */
        mov     %eax, %cr4
        mov     TRAMP(tramp_cr3), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx
        rdmsr
        or      TRAMP(tramp_efer), %eax          /* same EFER bits as the BSP */
        wrmsr
        mov     %cr0, %eax
        or      $((1 << 31) | (1 << 16) | (1 << 5)), %eax  /* PG | WP | NE */
        mov     %eax, %cr0
        ljmp    $0x08, $TRAMP(tramp_lm64)

        .code64
tramp_lm64:
        mov     TRAMP(tramp_stack), %rbx
        mov     TRAMP(tramp_entry), %rax
        xor     %ebp, %ebp
        mov     TRAMP(tramp_cpu), %edi
        jmp     *%rax

        .balign 8
tramp_gdt:
        .quad   0
        .quad   0x00af9a000000ffff              /* 0x08: 64-bit code */
        .quad   0x00cf92000000ffff              /* 0x10: data */
        .quad   0x00cf9a000000ffff              /* 0x18: 32-bit code */
tramp_gdt_end:
tramp_gdtr:
        .word   tramp_gdt_end - tramp_gdt - 1
        .long   TRAMP(tramp_gdt)

        /* Parameter block, filled by smpboot.c (struct trampoline_params). */
        .balign 8
        .globl  trampoline_params
trampoline_params:
tramp_cr3:      .quad 0
tramp_efer:     .quad 0
tramp_stack:    .quad 0
tramp_entry:    .quad 0
tramp_cpu:      .quad 0
        .globl  trampoline_end
trampoline_end:
