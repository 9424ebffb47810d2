/*
 * Softirqs (see softirq.h). The pending mask of each CPU is set by any CPU
 * with an atomic OR and consumed by its own CPU with an atomic exchange, so
 * no lock is needed; a remote raise also sends an event-check IPI so a
 * halted CPU notices.
 */
#include "softirq.h"
#include "asm/apic.h"
#include "asm/processor.h"
#include "asm/traps.h"
#include "lib.h"
#include "percpu.h"
#include "smp.h"

/* Not static: the system-call fast path reads it (syscall_fast.S). */
unsigned long softirq_pending_mask[NR_CPUS];
static softirq_handler_t handlers[NR_SOFTIRQS];

void open_softirq(enum softirq nr, softirq_handler_t fn)
{
    ASSERT(nr < NR_SOFTIRQS);
    handlers[nr] = fn;
}

void raise_softirq(enum softirq nr)
{
    __atomic_fetch_or(&softirq_pending_mask[smp_processor_id()], 1UL << nr, __ATOMIC_SEQ_CST);
}

void cpu_raise_softirq(unsigned int cpu, enum softirq nr)
{
    ASSERT(cpu < NR_CPUS);
    __atomic_fetch_or(&softirq_pending_mask[cpu], 1UL << nr, __ATOMIC_SEQ_CST);
    if (cpu != smp_processor_id())
        apic_send_ipi(percpu[cpu].apic_id, EVENT_CHECK_VECTOR);
}

bool softirq_pending(unsigned int cpu)
{
    return __atomic_load_n(&softirq_pending_mask[cpu], __ATOMIC_ACQUIRE) != 0;
}

void do_softirq(void)
{
    unsigned int cpu = smp_processor_id();
    unsigned long work;

    /* One softirq at a time, its bit cleared before it runs: a handler may
     * not return (schedule() switching to the idle stack) and the others
     * must stay pending for the next pass. */
    while ((work = __atomic_load_n(&softirq_pending_mask[cpu], __ATOMIC_ACQUIRE))) {
        unsigned int nr = (unsigned int)__builtin_ctzl(work);
        __atomic_fetch_and(&softirq_pending_mask[cpu], ~(1UL << nr), __ATOMIC_ACQ_REL);
        if (handlers[nr])
            handlers[nr]();
    }
}
