/*
 * Entry and ELF notes of the PV test kernels.
 *
 * The hypervisor starts us in ring 3 at _start with %rsi = start_info, on
 * its bootstrap page tables, with events masked and no trap table.
 */
#include <xen/elfnote.h>

#define NOTE(type, kind, value)            \
        .balign 4;                         \
        .long 4, 2f - 1f, type;            \
        .asciz "Xen";                      \
        .balign 4;                         \
1:      kind value;                        \
2:      .balign 4

        .section .note.Xen, "a"
        NOTE(XEN_ELFNOTE_GUEST_OS, .asciz, "paravane-pvtest")
        NOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz, "1")
        NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz, "xen-3.0")
        NOTE(XEN_ELFNOTE_LOADER, .asciz, "generic")
        NOTE(XEN_ELFNOTE_VIRT_BASE, .quad, 0xffffffff80000000)
        NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad, 0)
        NOTE(XEN_ELFNOTE_ENTRY, .quad, _start)
        NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad, hypercall_page)
        NOTE(XEN_ELFNOTE_PAE_MODE, .asciz, "yes")

        .section .text.head, "ax"
        .globl  _start
_start:
        cld
        lea     boot_stack_top(%rip), %rsp
        mov     %rsi, %rdi
        call    guest_main
1:      hlt                     /* not reached: guest_main shuts down */
        jmp     1b

        .bss
        .balign 16
boot_stack:
        .skip   16384
        .globl  boot_stack_top
boot_stack_top:
