/*
 * The one instruction that touches guest memory on the hypervisor's
 * behalf. A fault inside it (not present, read-only, non-canonical) is
 * fixed up through the exception table to return the number of bytes not
 * copied, instead of being fatal.
 */
        .text
        .globl  raw_copy_guest
/* size_t raw_copy_guest(void *dst, const void *src, size_t len) */
raw_copy_guest:
        mov     %rdx, %rcx
1:      rep movsb
2:      mov     %rcx, %rax
        ret

        .section __ex_table, "a"
        .balign 8
        .quad   1b, 2b
        .previous
