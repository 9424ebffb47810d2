/*
 * The hypervisor side of scheduling: one instance of the sched/ library
 * (Credit or SEDF, `sched=`), a one-shot timer per pCPU for the time slice
 * it returns, and the schedule softirq that asks it what to run and
 * switches to it.
 */
#ifndef PARAVANE_SCHEDULE_H
#define PARAVANE_SCHEDULE_H

#include "domain.h"

/* Create the instance for the online CPUs and the idle vCPUs. */
void scheduler_init(const char *name);
const char *scheduler_name(void);

/* Idle vCPU of a pCPU. */
struct vcpu *idle_vcpu_of(unsigned int cpu);

/* Register a domain / vCPU with the scheduler. 0 or -XEN_ENOMEM. */
int sched_init_domain(struct domain *d);
void sched_destroy_domain(struct domain *d);
int sched_init_vcpu(struct vcpu *v);
void sched_destroy_vcpu(struct vcpu *v);

/* The scheduler's view follows v->pause_flags (vcpu.c calls these). */
void vcpu_wake(struct vcpu *v);
void vcpu_sleep(struct vcpu *v);

/* SCHEDOP_yield / SCHEDOP_block from the current vCPU. */
void vcpu_yield(void);
void vcpu_block(void);

/* Nanoseconds pCPU `cpu` has spent in its idle vCPU (XEN_SYSCTL_getcpuinfo). */
uint64_t cpu_idle_time(unsigned int cpu);

/* XEN_SYSCTL_sched_id and XEN_DOMCTL_scheduler_op (domctl.c). */
struct paravane_domctl_scheduler_op;
unsigned int scheduler_id(void);
int sched_adjust_domain(struct domain *d, struct paravane_domctl_scheduler_op *op);

/*
 * A boot-time domain's scheduler parameters (device tree, see
 * <paravane/boot_fdt.h>), put before it first runs: those of the running
 * scheduler; the others are left aside with a word. 0 or the
 * -XEN_EINVAL of a value the scheduler refuses.
 */
struct pv_boot_sched;
int sched_apply_boot_params(struct domain *d, const struct pv_boot_sched *p);

/*
 * Hard affinity of a vCPU (XEN_DOMCTL_{set,get}vcpuaffinity): bit n =
 * pCPU n. Set ignores pCPUs that do not exist; -XEN_EINVAL if none is
 * left. A running vCPU leaves a pCPU it may no longer use at once (its
 * pCPU is made to reschedule).
 */
int sched_set_vcpu_affinity(struct vcpu *v, uint64_t mask);
uint64_t sched_vcpu_affinity(const struct vcpu *v);

/* Dump the scheduler state (debug key 'r', as Xen). */
void scheduler_dump(void);

#endif
