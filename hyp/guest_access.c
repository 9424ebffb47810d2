/*
 * Checked access to guest memory (see guest_access.h).
 */
#include "guest_access.h"
#include "asm/layout.h"
#include "lib.h"
#include <xen/errno.h>

#define GUEST_LOW_END 0x0000800000000000UL /* canonical lower half */

struct extable_entry {
    unsigned long insn, fixup;
};

extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

bool guest_range_ok(unsigned long va, size_t len)
{
    unsigned long last;

    if (len == 0)
        return true;
    last = va + len - 1;
    if (last < va)
        return false;
    return last < GUEST_LOW_END || va >= HYP_VIRT_END;
}

int copy_from_guest(void *dst, unsigned long guest_va, size_t len)
{
    if (!guest_range_ok(guest_va, len))
        return -XEN_EFAULT;
    return raw_copy_guest(dst, (const void *)guest_va, len) ? -XEN_EFAULT : 0;
}

int copy_to_guest(unsigned long guest_va, const void *src, size_t len)
{
    if (!guest_range_ok(guest_va, len))
        return -XEN_EFAULT;
    return raw_copy_guest((void *)guest_va, src, len) ? -XEN_EFAULT : 0;
}

unsigned long search_exception_table(unsigned long rip)
{
    size_t n =
        ((uintptr_t)__stop_ex_table - (uintptr_t)__start_ex_table) / sizeof(struct extable_entry);

    for (size_t i = 0; i < n; i++)
        if (__start_ex_table[i].insn == rip)
            return __start_ex_table[i].fixup;
    return 0;
}
