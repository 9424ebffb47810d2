/*
 * Multiboot (1 and 2) entry and the switch to long mode.
 *
 * QEMU's multiboot loader refuses 64-bit ELF images, so the header uses the
 * "a.out kludge" (flag 16): it gives the physical load range explicitly and
 * the loader copies the file verbatim from the header's page. The linker
 * script keeps the image contiguous in the file for that reason.
 *
 * We arrive in 32-bit protected mode, paging off, with EAX = multiboot
 * (or multiboot2) magic and EBX = physical address of the multiboot
 * information; multiboot_parse() tells the two apart. The image
 * is linked at HYP_IMAGE_OFFSET + physical, so until paging is on every
 * symbol reference subtracts HYP_IMAGE_OFFSET (the SYM_PHYS macro).
 *
 * The boot page tables (in .data, built by the assembler) map:
 *   - the first 4 GiB identity (needed while switching, and by APs in the
 *     trampoline),
 *   - the same 4 GiB at DIRECTMAP_VIRT_START (early direct map),
 *   - physical 0..1 GiB at HYP_IMAGE_OFFSET (the image itself),
 * all with 2 MiB pages. paging.c replaces them with the real tables.
 */
#include "asm/layout.h"

#define SYM_PHYS(s) ((s) - HYP_IMAGE_OFFSET)

#define MB_MAGIC      0x1badb002
#define MB_FLAGS      ((1 << 0) | (1 << 1) | (1 << 16)) /* page-align mods, mem info, a.out kludge */

#define BOOT_CS64     0x08
#define BOOT_DS       0x10

        .section .text.multiboot, "ax"
        .code32
        .balign 4
multiboot_header:
        .long   MB_MAGIC
        .long   MB_FLAGS
        .long   -(MB_MAGIC + MB_FLAGS)
        .long   SYM_PHYS(multiboot_header)      /* header_addr */
        .long   SYM_PHYS(__image_start)         /* load_addr */
        .long   SYM_PHYS(__load_end)            /* load_end_addr */
        .long   SYM_PHYS(__bss_end)             /* bss_end_addr */
        .long   SYM_PHYS(start32)               /* entry_addr */

/*
 * The multiboot2 header, for GRUB's multiboot2 command (as Xen is booted):
 * the same load range through an address tag, the same entry, and modules
 * page-aligned. Tags are 8-byte aligned.
 */
#define MB2_MAGIC     0xe85250d6
#define MB2_ARCH_I386 0
        .balign 8
multiboot2_header:
        .long   MB2_MAGIC
        .long   MB2_ARCH_I386
        .long   multiboot2_header_end - multiboot2_header
        .long   -(MB2_MAGIC + MB2_ARCH_I386 + (multiboot2_header_end - multiboot2_header))
        .balign 8
        .short  2, 0                            /* address tag */
        .long   24
        .long   SYM_PHYS(multiboot2_header)     /* header_addr */
        .long   SYM_PHYS(__image_start)         /* load_addr */
        .long   SYM_PHYS(__load_end)            /* load_end_addr */
        .long   SYM_PHYS(__bss_end)             /* bss_end_addr */
        .balign 8
        .short  3, 0                            /* entry address tag */
        .long   12
        .long   SYM_PHYS(start32)
        .balign 8
        .short  6, 0                            /* module alignment tag: page-aligned */
        .long   8
        .balign 8
        .short  0, 0                            /* end tag */
        .long   8
multiboot2_header_end:

        .section .text.boot, "ax"
        .code32
        .globl  start32
start32:
        cli
        cld
        mov     %eax, %edi                      /* magic -> 1st C argument */
        mov     %ebx, %esi                      /* mbi   -> 2nd C argument */
        mov     $SYM_PHYS(boot_stack_top), %esp

        /* Long mode needs CPUID leaf 0x80000001 EDX.LM. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     no_long_mode
        mov     %edx, %ebp                      /* keep: NX is bit 20 */

        lgdt    SYM_PHYS(boot_gdtr)

        mov     %cr4, %eax
        or      $((1 << 5) | (1 << 7)), %eax    /* PAE | PGE */
        mov     %eax, %cr4
        mov     $SYM_PHYS(boot_pml4), %eax
        mov     %eax, %cr3

        mov     $0xc0000080, %ecx               /* EFER */
        rdmsr
        or      $((1 << 8) | (1 << 0)), %eax    /* LME | SCE */
        bt      $20, %ebp
        jnc     1f
        or      $(1 << 11), %eax                /* NXE when the CPU has NX */
1:      wrmsr

        mov     %cr0, %eax
        or      $((1 << 31) | (1 << 16) | (1 << 5) | 1), %eax  /* PG | WP | NE | PE */
        mov     %eax, %cr0
        ljmp    $BOOT_CS64, $SYM_PHYS(start64_low)

no_long_mode:
        /* Nothing to print with yet beyond the raw UART. */
        mov     $SYM_PHYS(msg_no_lm), %esi
        mov     $0x3f8, %dx
2:      lodsb
        test    %al, %al
        jz      3f
        out     %al, %dx
        jmp     2b
3:      hlt
        jmp     3b

        .code64
start64_low:
        movabs  $start64_high, %rax
        jmp     *%rax

        .text
start64_high:
        mov     $BOOT_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        movabs  $boot_stack_top, %rsp
        xor     %ebp, %ebp                      /* end of the backtrace chain */
        /* edi = multiboot magic, esi = mbi physical address */
        mov     %edi, %edi
        mov     %esi, %esi
        call    start_hypervisor
4:      hlt
        jmp     4b

        .section .rodata
msg_no_lm:
        .asciz  "paravane: this CPU has no long mode\r\n"

        .data
        .balign 8
        .globl  boot_gdt
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff              /* 0x08: 64-bit code, DPL0 */
        .quad   0x00cf92000000ffff              /* 0x10: data, DPL0 */
        .quad   0x00cf9a000000ffff              /* 0x18: 32-bit code (trampoline) */
boot_gdt_end:
        .globl  boot_gdtr
boot_gdtr:
        .word   boot_gdt_end - boot_gdt - 1
        .quad   SYM_PHYS(boot_gdt)

        .balign 4096
        .globl  boot_pml4
boot_pml4:
        .quad   SYM_PHYS(boot_pdpt_ident) + 0x3
        .fill   L4_SLOT(HYP_IMAGE_OFFSET) - 1, 8, 0
        .quad   SYM_PHYS(boot_pdpt_image) + 0x3
        .quad   SYM_PHYS(boot_pdpt_ident) + 0x3 /* DIRECTMAP_VIRT_START */
        .fill   511 - L4_SLOT(DIRECTMAP_VIRT_START), 8, 0

        .balign 4096
boot_pdpt_ident:
        .quad   SYM_PHYS(boot_pd) + 0x0000 + 0x3
        .quad   SYM_PHYS(boot_pd) + 0x1000 + 0x3
        .quad   SYM_PHYS(boot_pd) + 0x2000 + 0x3
        .quad   SYM_PHYS(boot_pd) + 0x3000 + 0x3
        .fill   508, 8, 0

        .balign 4096
boot_pdpt_image:
        .fill   (HYP_IMAGE_OFFSET >> 30) & 511, 8, 0
        .quad   SYM_PHYS(boot_pd) + 0x3         /* physical 0..1 GiB */
        .fill   511 - ((HYP_IMAGE_OFFSET >> 30) & 511), 8, 0

        .balign 4096
boot_pd:
        .set    i, 0
        .rept   2048
        .quad   (i << 21) | 0x83                /* present, writable, 2 MiB */
        .set    i, i + 1
        .endr

        /* STACK_SIZE alignment comes from the linker script: as a section
         * alignment it would push the image past the first 8 KiB of the
         * file, where the multiboot loader looks for the header. */
        .section .bss.stack, "aw", @nobits
        .balign 64
        .globl  boot_stack
boot_stack:
        .skip   STACK_SIZE - CPU_INFO_RESERVED
boot_stack_top:
        .skip   CPU_INFO_RESERVED

/*
 * AP 64-bit entry from the trampoline: still on the boot page tables and
 * the trampoline's identity mapping. RBX = stack, EDI = cpu number.
 * Switch to the idle page tables and the CPU's own stack, then C.
 */
        .text
        .globl  ap_entry64
ap_entry64:
        mov     $BOOT_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     idle_pg_table_phys(%rip), %rax
        mov     %rax, %cr3
        mov     %rbx, %rsp
        xor     %ebp, %ebp
        call    ap_start
5:      hlt
        jmp     5b
