/*
 * pvtest fuzz: a hostile guest. It calls every hypercall number with
 * arguments drawn from values that probe edges (zero, all-ones, huge
 * counts, unmapped, hypervisor-hole and non-canonical addresses, a scratch
 * buffer full of random bytes), for a bounded number of calls.
 *
 * Phase 1 leaves out the calls that would only hurt the guest itself
 * (iret, trap table, callbacks, block, shutdown, console I/O, descriptor
 * writes into its own memory, page-table and reservation changes) so it
 * reliably gets through its calls.
 * Phase 2 adds them: the guest may then be crashed, which is fine; the
 * hypervisor must report that and keep running.
 */
#include "lib/pvtest.h"

const char pvtest_kernel_name[] = "fuzz";

static uint64_t rng = 0x9e3779b97f4a7c15UL;
static uint8_t scratch[8192] __attribute__((aligned(4096)));

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned long arg(void)
{
    switch (next() % 12) {
    case 0:
        return 0;
    case 1:
        return ~0UL;
    case 2:
        return next() % 64;
    case 3:
        return 0xdead000UL;
    case 4:
        return 0xffff830000000000UL + (next() % 0x100000) * 8;
    case 5:
        return 0x8000000000000000UL;
    case 6:
        return (unsigned long)scratch + (next() % 4096);
    case 7:
        return 0x00007ffffffff000UL;
    case 8:
        return next();
    case 9:
        return 1UL << (next() % 64);
    case 10:
        return next() & 0xffffffffUL;
    default:
        return next() % 0x10000;
    }
}

static bool self_harming(unsigned int nr, unsigned long a0)
{
    switch (nr) {
    case __HYPERVISOR_iret:
    case __HYPERVISOR_set_trap_table:
    case __HYPERVISOR_set_callbacks:
    case __HYPERVISOR_callback_op:
    case __HYPERVISOR_stack_switch:
    case __HYPERVISOR_console_io:
    case __HYPERVISOR_update_descriptor:
    case __HYPERVISOR_multicall:
    case __HYPERVISOR_set_segment_base:
    case __HYPERVISOR_fpu_taskswitch:
    /* The PV MMU: random updates can unmap or remap the guest's own memory. */
    case __HYPERVISOR_mmu_update:
    case __HYPERVISOR_mmuext_op:
    case __HYPERVISOR_update_va_mapping:
    case __HYPERVISOR_update_va_mapping_otherdomain:
    case __HYPERVISOR_memory_op:
        return true;
    case __HYPERVISOR_sched_op:
        return a0 != SCHEDOP_yield;
    default:
        return false;
    }
}

static unsigned long num_option(const char *name, unsigned long dflt)
{
    const char *s = cmdline_option(name);
    unsigned long v = 0;
    while (s && *s >= '0' && *s <= '9')
        v = v * 10 + (unsigned long)(*s++ - '0');
    return s ? v : dflt;
}

static unsigned long calls(void)
{
    return num_option("calls", 20000);
}

static void fuzz(unsigned long n, bool phase2)
{
    for (unsigned long i = 0; i < n; i++) {
        unsigned int nr = (unsigned int)(next() % 70);
        unsigned long a[5] = {arg(), arg(), arg(), arg(), arg()};
        bool via_page = next() & 1;

        if (next() % 50 == 0)
            nr = (unsigned int)next();
        if (via_page)
            nr %= 128; /* the hypercall page has 128 entries */
        if (!phase2 && self_harming(nr, a[0]))
            continue;
        for (unsigned int j = 0; j < sizeof(scratch); j += 8)
            *(uint64_t *)&scratch[j] = next();
        if (via_page)
            hypercall5(nr, a[0], a[1], a[2], a[3], a[4]);
        else
            hypercall_raw5(nr, a[0], a[1], a[2], a[3], a[4]);
    }
}

PVTEST(phase1_survives)
{
    rng += num_option("seed", 0) * 0x2545f4914f6cdd1dUL; /* seed=N: another sequence */
    fuzz(calls(), false);
    printk("pvtest fuzz: phase 1 survived %lu calls\n", calls());
    CHECK(true);
}

PVTEST(phase2_may_crash)
{
    fuzz(calls() / 4, true);
    printk("pvtest fuzz: phase 2 survived\n");
    CHECK(true);
}
