/*
 * Cross-CPU function calls and stopping CPUs.
 *
 * One call is in flight at a time (call_lock). The initiator publishes
 * fn/arg and the set of CPUs still to run it, sends the IPI, and spins
 * until every target has cleared its bit; a target clears it after fn
 * returns, so on return every target has finished.
 */
#include "smp.h"
#include "asm/apic.h"
#include "asm/processor.h"
#include "asm/traps.h"
#include "lib.h"
#include "percpu.h"

volatile cpumask_t cpu_online_map;
unsigned int nr_cpu_ids = 1;
struct percpu percpu[NR_CPUS];

static DEFINE_SPINLOCK(call_lock);
static struct {
    void (*fn)(void *);
    void *arg;
    volatile cpumask_t pending;
} call;

void on_selected_cpus(cpumask_t mask, void (*fn)(void *), void *arg, bool wait)
{
    unsigned int me = smp_processor_id(), cpu;
    bool self = mask & (1ULL << me);
    unsigned long flags;

    (void)wait; /* the shared call slot makes every call synchronous */
    mask &= cpu_online_map & ~(1ULL << me);
    if (mask) {
        /* Spin for the slot with interrupts on: its holder may be waiting
         * for this CPU to answer its own IPI. */
        while (!spin_trylock(&call_lock))
            cpu_relax();
        call.fn = fn;
        call.arg = arg;
        __atomic_store_n(&call.pending, mask, __ATOMIC_RELEASE);
        for_each_cpu(cpu, mask) apic_send_ipi(percpu[cpu].apic_id, CALL_FUNCTION_VECTOR);
    }
    if (self) {
        flags = local_irq_save();
        fn(arg);
        local_irq_restore(flags);
    }
    if (mask) {
        while (__atomic_load_n(&call.pending, __ATOMIC_ACQUIRE))
            cpu_relax();
        spin_unlock(&call_lock);
    }
}

void smp_call_function_interrupt(void)
{
    unsigned int me = smp_processor_id();

    if (!(__atomic_load_n(&call.pending, __ATOMIC_ACQUIRE) & (1ULL << me)))
        return;
    call.fn(call.arg);
    __atomic_fetch_and(&call.pending, ~(1ULL << me), __ATOMIC_RELEASE);
}

void smp_send_stop(void)
{
    if (num_online_cpus() > 1)
        apic_send_nmi_allbutself();
}
