/*
 * TLB flushes and the flush clock (see mm/tlbflush.h).
 *
 * Ordering: a flush takes its tick before it flushes, a drop notes the
 * tick after its entry is written, and a pCPU counts as clean for a drop
 * only if its tick is newer than the one the drop noted. So a flush that
 * raced with a drop (took the tick, then the entry changed, then the TLB
 * was flushed, or the other way round) never counts as clean: it is done
 * again. Ticks are 64-bit and never wrap.
 */
#include "mm/tlbflush.h"
#include "asm/processor.h"
#include "domain.h"
#include "flushstat.h"
#include "percpu.h"
#include "smp.h"

static uint64_t flush_clock = 1;
static uint64_t last_unmap;

void flush_tlb_local(void)
{
    unsigned long flags = local_irq_save();
    uint64_t t = __atomic_add_fetch(&flush_clock, 1, __ATOMIC_SEQ_CST);
    unsigned long cr4 = read_cr4();

    flushstat_count(FS_FLUSH);

    if (cr4 & X86_CR4_PGE) {
        write_cr4(cr4 & ~X86_CR4_PGE); /* drops every translation, global too */
        write_cr4(cr4);
    } else {
        flushstat_count(FS_CR3);
        write_cr3(read_cr3());
    }
    __atomic_store_n(&this_cpu()->tlbflush_time, t, __ATOMIC_RELEASE);
    local_irq_restore(flags);
}

uint64_t tlbflush_now(void)
{
    return __atomic_load_n(&flush_clock, __ATOMIC_SEQ_CST);
}

void tlbflush_note_unmap(void)
{
    uint64_t now = tlbflush_now();

    /* Only ever forward: a late, older note must not hide a newer one. */
    uint64_t seen = __atomic_load_n(&last_unmap, __ATOMIC_RELAXED);
    while (seen < now && !__atomic_compare_exchange_n(&last_unmap, &seen, now, false,
                                                      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
        ;
}

static void flush_here(void *unused)
{
    (void)unused;
    flushstat_count(FS_HFLUSH);
    flush_tlb_local();
}

void tlbflush_before_reuse(void)
{
    tlbflush_since(__atomic_load_n(&last_unmap, __ATOMIC_SEQ_CST));
}

void tlbflush_since(uint64_t stamp)
{
    unsigned int me = smp_processor_id(), cpu;
    cpumask_t mask = 0;

    for_each_online_cpu(cpu)
    {
        const struct vcpu *v = stack_cpu_info(percpu[cpu].stack)->curr_vcpu;

        if (__atomic_load_n(&percpu[cpu].tlbflush_time, __ATOMIC_ACQUIRE) > stamp)
            continue;
        /* An idle pCPU touches no guest address, and flushes before it
         * runs a guest again (context.c): it can wait. */
        if (cpu != me && (!v || is_idle_vcpu(v)))
            continue;
        mask |= 1ULL << cpu;
    }
    if (mask)
        on_selected_cpus(mask, flush_here, NULL, true);
}
