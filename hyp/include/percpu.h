/*
 * Per-CPU state.
 *
 * Each CPU runs on its own stack block of STACK_SIZE bytes, aligned to
 * STACK_SIZE, whose top CPU_INFO_RESERVED bytes hold `struct cpu_info`.
 * Finding the current CPU is therefore a mask of %rsp: it needs no segment
 * base, so it keeps working whatever GS base a guest loads. The IST stacks
 * live in the same block for the same reason.
 *
 * Stack block layout (low to high):
 *   page 0        IST stack for #DF
 *   page 1        IST stack for NMI
 *   page 2        IST stack for #MC
 *   pages 3..7    primary stack, growing down from cpu_info
 *   top 1 KiB     struct cpu_info
 *
 * `struct percpu` holds the rest, indexed by logical CPU number; only its
 * own CPU writes it, except where a field says otherwise.
 */
#ifndef PARAVANE_PERCPU_H
#define PARAVANE_PERCPU_H

#include "asm/layout.h"
#include "asm/desc.h"
#include "list.h"
#include "spinlock.h"
#include "types.h"

#define NR_CPUS 64

struct cpu_user_regs;

struct cpu_info {
    unsigned int cpu; /* logical CPU number */
    unsigned int pad;
    struct percpu *pcpu; /* this CPU's struct percpu */
};

struct percpu {
    unsigned int cpu;
    uint32_t apic_id;
    bool online;
    void *stack; /* base of the stack block */
    struct tss *tss;
    struct desc *gdt; /* GDT_ENTRIES descriptors */
    /* Timer queue: sorted by expiry, guarded by timer_lock (irqsave). */
    spinlock_t timer_lock;
    struct list_head timers;
    uint64_t timer_irqs; /* statistics for the 'd'/'t' debug output */
    uint64_t idle_halts;
};

extern struct percpu percpu[NR_CPUS];

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;
    __asm__("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 - CPU_INFO_RESERVED);
}

static inline unsigned int smp_processor_id(void)
{
    return get_cpu_info()->cpu;
}

static inline struct percpu *this_cpu(void)
{
    return get_cpu_info()->pcpu;
}

#endif
