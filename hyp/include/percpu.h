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
#include <xen/xen.h>

#define NR_CPUS 64

struct vcpu;

/*
 * guest_cpu_user_regs comes first: TSS.rsp0 points just past its `ss`, so
 * an interrupt or exception from a guest (ring 3) makes the CPU push its
 * frame into the tail of this structure, and the entry code completes it.
 * It always holds the registers of the guest vCPU last run here.
 */
struct cpu_info {
    struct cpu_user_regs guest_cpu_user_regs;
    unsigned int cpu;       /* logical CPU number */
    struct percpu *pcpu;    /* this CPU's struct percpu */
    struct vcpu *curr_vcpu; /* vCPU running here (the idle vCPU when none) */
};

_Static_assert(sizeof(struct cpu_info) <= CPU_INFO_OFFSET, "cpu_info fits its reserved space");
_Static_assert((CPU_INFO_OFFSET - __builtin_offsetof(struct cpu_user_regs, es)) % 16 == 0,
               "TSS.rsp0 (&guest_cpu_user_regs.es) is 16-byte aligned");

/* The cpu_info of the stack block at `stack`. */
static inline struct cpu_info *stack_cpu_info(void *stack)
{
    return (struct cpu_info *)((char *)stack + STACK_SIZE - CPU_INFO_OFFSET);
}

struct percpu {
    unsigned int cpu;
    uint32_t apic_id;
    bool online;
    void *stack; /* base of the stack block */
    struct tss *tss;
    struct desc *gdt;             /* GDT_ENTRIES descriptors */
    unsigned int gdt_loaded_ents; /* guest entries currently copied into gdt */
    struct desc *ldt;             /* LDT_MAX_ENTS, allocated on first use */
    /* Timer queue: sorted by expiry, guarded by timer_lock (irqsave). */
    spinlock_t timer_lock;
    struct list_head timers;
    uint64_t tlbflush_time;      /* flush-clock tick of this pCPU's last full flush */
    int64_t idle_since;          /* NOW() when it last went idle (context.c) */
    uint64_t idle_ns;            /* time idle before that */
    struct timer *timer_running; /* whose callback runs here now (kill_timer) */
    uint64_t timer_irqs;         /* statistics for the 'd'/'t' debug output */
    uint64_t idle_halts;
    /* The exception whose fixup ran last (pv_iret_fault forwards it). */
    uint8_t fixup_vector;
    uint32_t fixup_error_code;
};

extern struct percpu percpu[NR_CPUS];

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;
    __asm__("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 - CPU_INFO_OFFSET);
}

static inline unsigned int smp_processor_id(void)
{
    return get_cpu_info()->cpu;
}

static inline struct percpu *this_cpu(void)
{
    return get_cpu_info()->pcpu;
}

static inline struct vcpu *current_vcpu(void)
{
    return get_cpu_info()->curr_vcpu;
}
#define current (current_vcpu())

/* The register frame of the guest vCPU running on this CPU. */
static inline struct cpu_user_regs *guest_cpu_user_regs(void)
{
    return &get_cpu_info()->guest_cpu_user_regs;
}

#endif
