/*
 * Multiprocessor services: the set of online CPUs, IPIs, cross-CPU calls.
 */
#ifndef PARAVANE_SMP_H
#define PARAVANE_SMP_H

#include "percpu.h"
#include "types.h"

typedef uint64_t cpumask_t; /* bit n = logical CPU n; NR_CPUS <= 64 */

extern volatile cpumask_t cpu_online_map;
extern unsigned int nr_cpu_ids; /* CPUs found by firmware tables (after maxcpus=) */

static inline unsigned int num_online_cpus(void)
{
    cpumask_t m = cpu_online_map;
    unsigned int n = 0;

    /* Kernighan's loop: no libgcc helper in a freestanding link. */
    for (; m; m &= m - 1)
        n++;
    return n;
}

#define for_each_cpu(c, mask)                                                                      \
    for ((c) = 0; (c) < NR_CPUS; (c)++)                                                            \
        if ((mask) & (1ULL << (c)))

#define for_each_online_cpu(c) for_each_cpu(c, cpu_online_map)

/*
 * Run fn(arg) on every CPU in `mask` (the caller's own CPU included if it
 * is in the mask, called directly). With `wait`, return once all are done.
 * Must be called with interrupts enabled (the targets may be calling too).
 */
void on_selected_cpus(cpumask_t mask, void (*fn)(void *), void *arg, bool wait);

/* Stop every other CPU (panic path): they halt with interrupts off. */
void smp_send_stop(void);

/* Bring up the application processors (smpboot.c). */
void smp_boot_cpus(unsigned int max_cpus);

/* Handler of the call-function IPI (trap dispatch). */
void smp_call_function_interrupt(void);

#endif
