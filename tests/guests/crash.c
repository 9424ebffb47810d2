/*
 * pvtest crash: a guest that takes an exception it cannot be given. The
 * hypervisor must crash just this domain, with a clear report, and return
 * its memory; the other domains carry on. As on Xen, which logs the
 * vector and crashes the domain when it would bounce to a null handler
 * or cannot write the bounce frame.
 *
 * fault=pf (default): a #PF with no trap table at all;
 * fault=int3, fault=tf: #BP and #DB (a single step) from guest kernel mode
 * with no trap table (the advisories' double-fault-like corner: nothing to
 * deliver them to);
 * fault=stack: an int3 with a handler, but the guest kernel stack points
 * into the hypervisor's area, so no frame can be written.
 */
#include "lib/pvtest.h"

const char pvtest_kernel_name[] = "crash";

/* Is the fault= option the word w? */
static bool fault_is(const char *w)
{
    const char *f = cmdline_option("fault");
    size_t n = strlen(w);

    return f && !memcmp(f, w, n) && (f[n] == '\0' || f[n] == ' ');
}

PVTEST(fault_without_handler)
{

    if (fault_is("stack")) {
        printk("pvtest crash: int3 on a kernel stack in the hypervisor's area\n");
        __asm__ volatile("mov %%rsp, %%rbx; movabs $0xffff830000001000, %%rsp; int3; mov %%rbx, "
                         "%%rsp" ::
                             : "rbx", "memory");
        CHECK(false);
        return;
    }
    printk("pvtest crash: clearing the trap table and faulting\n");
    HYPERVISOR_set_trap_table(NULL);
    if (fault_is("int3"))
        __asm__ volatile("int3");
    else if (fault_is("tf")) /* (QEMU's TCG does not raise #DB for icebp) */
        __asm__ volatile("pushf; orq $0x100, (%%rsp); popf; nop; nop" ::: "memory");
    else
        *(volatile unsigned long *)0x1234 = 1;
    CHECK(false); /* not reached: the domain is gone */
}
