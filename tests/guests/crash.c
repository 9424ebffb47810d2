/*
 * pvtest crash: a guest that faults with no handler for the fault. The
 * hypervisor must crash just this domain, with a clear report, and return
 * its memory; the other domains carry on.
 */
#include "lib/pvtest.h"

const char pvtest_kernel_name[] = "crash";

PVTEST(fault_without_handler)
{
    printk("pvtest crash: clearing the trap table and faulting\n");
    HYPERVISOR_set_trap_table(NULL);
    *(volatile unsigned long *)0x1234 = 1;
    CHECK(false); /* not reached: the domain is gone */
}
