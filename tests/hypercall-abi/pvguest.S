/*
 * A minimal 64-bit PV kernel image for the loader's unit tests: it is never
 * run, only parsed. It mirrors the shape of Linux's vmlinux (see
 * pvguest.lds): text, data, a zero-based percpu segment placed by p_paddr,
 * and an init segment holding the bss; the Xen notes sit in a PT_NOTE
 * inside the text segment, as Linux's do. The values are checked by
 * check_pv_elf.c; change both together.
 */
#include <xen/elfnote.h>

.macro xennote type, kind, val:vararg
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f
    .long 4f - 3f
    .long \type
1:  .asciz "Xen"
2:  .balign 4
3:  \kind \val
4:  .balign 4
    .popsection
.endm

    xennote XEN_ELFNOTE_GUEST_OS, .asciz, "paravane-test"
    xennote XEN_ELFNOTE_GUEST_VERSION, .asciz, "1.0"
    xennote XEN_ELFNOTE_XEN_VERSION, .asciz, "xen-3.0"
    xennote XEN_ELFNOTE_LOADER, .asciz, "generic"
    xennote XEN_ELFNOTE_VIRT_BASE, .quad, 0xffffffff80000000
    xennote XEN_ELFNOTE_PADDR_OFFSET, .quad, 0
    xennote XEN_ELFNOTE_ENTRY, .quad, startup_pv
    xennote XEN_ELFNOTE_HYPERCALL_PAGE, .quad, hypercall_page
    xennote XEN_ELFNOTE_FEATURES, .asciz, "!writable_page_tables|pae_pgdir_above_4gb|!dom0"
    xennote XEN_ELFNOTE_SUPPORTED_FEATURES, .long, (1 << 15)
    xennote XEN_ELFNOTE_PAE_MODE, .asciz, "yes"
    xennote XEN_ELFNOTE_L1_MFN_VALID, .quad, 1, 1
    xennote XEN_ELFNOTE_SUSPEND_CANCEL, .long, 1
    xennote XEN_ELFNOTE_MOD_START_PFN, .long, 1
    xennote XEN_ELFNOTE_HV_START_LOW, .quad, 0xffff800000000000
    xennote XEN_ELFNOTE_INIT_P2M, .quad, 0x8000000000
    xennote XEN_ELFNOTE_BSD_SYMTAB, .asciz, "no"

    .section .text, "ax"
    .balign 4096
hypercall_page:
    .fill 4096, 1, 0xcc
    .globl startup_pv
startup_pv:
    ud2

    .section .data, "aw"
    .globl test_data
test_data:
    .quad 0x1122334455667788
    .fill 100, 1, 0x5a

    .section .data..percpu, "aw"
    .quad 0xabcdef

    .section .init.text, "ax"
    .fill 32, 1, 0x90

    .section .bss, "aw", @nobits
    .balign 4096
    .skip 3 * 4096 + 123
