/*
 * pvtest hog: a CPU hog as a PV test kernel, for the scheduling checks
 * and experiments. It never blocks and never yields: it counts loops,
 * and every report= million of them (default 200) says how many it has
 * done on its console ("pvtest hog: N Mloops"), so the work it did can be
 * read beside the CPU time the hypervisor gave it. It runs until it is
 * destroyed.
 */
#include "lib/pvtest.h"

const char pvtest_kernel_name[] = "hog";

PVTEST(spin)
{
    const char *r = cmdline_option("report");
    unsigned long every = r ? parse_num(r) : 200, m = 0;

    printk("pvtest hog: spinning, a report every %lu Mloops\n", every);
    for (;;) {
        for (volatile unsigned long i = 0; i < 1000000; i++)
            ;
        if (every && ++m % every == 0)
            printk("pvtest hog: %lu Mloops\n", m);
    }
}
