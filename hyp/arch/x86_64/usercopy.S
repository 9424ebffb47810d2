/*
 * The two instructions that touch guest memory on the hypervisor's
 * behalf. A fault inside either (not present, read-only, non-canonical) is
 * fixed up through the exception table to return the number of bytes not
 * copied, instead of being fatal.
 */
        .text
        .globl  raw_copy_guest
/*
 * size_t raw_copy_guest(void *dst, const void *src, size_t len)
 *
 * Eight bytes a step, then the odd bytes: a bounce frame or an iret frame
 * (the copies of every system call) is 7 to 12 words, and a byte-wise
 * rep movsb takes as many steps as bytes (under QEMU, and a slower start on
 * many CPUs). A fault in the word loop leaves %rcx the words not copied,
 * the faulting one included; the tail is then not copied either.
 */
raw_copy_guest:
        mov     %rdx, %rcx
        shr     $3, %rcx
1:      rep movsq
        mov     %edx, %ecx
        and     $7, %ecx
2:      rep movsb
3:      mov     %rcx, %rax
        ret
4:      shl     $3, %rcx                        /* words left, in bytes */
        and     $7, %edx
        add     %rdx, %rcx                      /* and the tail */
        jmp     3b

        .section __ex_table, "a"
        .balign 8
        .quad   1b, 4b
        .quad   2b, 3b
        .previous
