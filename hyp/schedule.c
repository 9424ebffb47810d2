/*
 * Scheduling glue between the hypervisor and the sched/ library.
 *
 * The library decides; this file carries its decisions out. Each pCPU has
 * a one-shot timer armed for the slice the library returned and an idle
 * vCPU it runs when the library returns nothing. The schedule softirq
 * (raised by the timer, by a tickle from the library, or by block/yield)
 * calls sched_schedule() and switches context.
 *
 * A vCPU descheduled on one pCPU may be picked by another before the first
 * has saved its registers: context_switch() waits for the previous owner to
 * clear v->is_running (set while its state is live on a pCPU).
 */
#include "schedule.h"
#include "cmdline.h"
#include "console.h"
#include "context.h"
#include "keyhandler.h"
#include "lib.h"
#include "mm/xmalloc.h"
#include "percpu.h"
#include "perfc.h"
#include "smp.h"
#include "softirq.h"
#include "time.h"
#include "timer.h"
#include "trace.h"
#include <xen/errno.h>
#undef ASSERT /* sched/env.h brings its own; this file uses neither */
#include "../sched/sched.h"
#include <paravane/boot_fdt.h>

static struct sched *scheduler;

/* Credit's knobs, as Xen names them, and BOOST off for experiments. */
static unsigned int opt_tslice_ms, opt_ratelimit_us;
static bool opt_no_boost;
OPTION_UINT("sched_credit_tslice_ms", opt_tslice_ms);
OPTION_UINT("sched_ratelimit_us", opt_ratelimit_us);
OPTION_BOOL("sched_credit_no_boost", opt_no_boost);
/*
 * pace_us=N (emulation only): a timer every N us on every pCPU. Under
 * QEMU's icount the vCPUs run by turns, each up to the next timer
 * deadline; a turn the other vCPU is given while this one is mid-way
 * (any APIC timer write or IPI ends a turn) is time that counts to
 * whatever runs here. Pacing bounds a turn to N us (sched/real).
 */
static unsigned int opt_pace_us;
OPTION_UINT("pace_us", opt_pace_us);
static struct timer pace_timer[NR_CPUS];

static void pace(void *data)
{
    (void)data;
    set_timer(&pace_timer[smp_processor_id()], NOW() + MICROSECS(opt_pace_us));
}
static struct timer slice_timer[NR_CPUS];
static struct vcpu *idle_vcpu[NR_CPUS];
static struct domain idle_domain_struct = {.domain_id = DOMID_IDLE, .is_idle = true};
struct domain *idle_domain = &idle_domain_struct;

struct vcpu *idle_vcpu_of(unsigned int cpu)
{
    return idle_vcpu[cpu];
}

const char *scheduler_name(void)
{
    return scheduler ? sched_name(scheduler) : "none";
}

static void slice_expired(void *data)
{
    (void)data;
    raise_softirq(SCHEDULE_SOFTIRQ);
}

/* How long v has been in its runstate (the idle vCPU: how long idle). */
static uint64_t in_state_ns(const struct vcpu *v, s_time_t now)
{
    if (is_idle_vcpu(v))
        return (uint64_t)(now - this_cpu()->idle_since);
    return (uint64_t)(now - (s_time_t)v->runstate.state_entry_time);
}

/* Xen's records of a scheduling decision (TRC_SCHED_*, as 4.17 writes them). */
static void trace_decision(const struct vcpu *prev, const struct vcpu *next, unsigned int cpu,
                           s_time_t now, const struct sched_decision *dec)
{
    uint32_t pd = prev->domain->domain_id, nd = next->domain->domain_id;

    if (next == prev) {
        TRACE_2D(TRC_SCHED_CONTINUE_RUNNING, nd, next->vcpu_id);
        return;
    }
    if (!is_idle_vcpu(next) && next->processor != cpu)
        TRACE_4D(TRC_SCHED_MIGRATE_PARAVANE, nd, next->vcpu_id, next->processor, cpu);
    TRACE_3D(TRC_SCHED_SWITCH_INFPREV, pd, prev->vcpu_id, in_state_ns(prev, now));
    TRACE_4D(TRC_SCHED_SWITCH_INFNEXT, nd, next->vcpu_id,
             is_idle_vcpu(next) ? 0 : in_state_ns(next, now),
             dec->slice == SCHED_SLICE_FOREVER ? 0 : dec->slice);
    TRACE_4D(TRC_SCHED_SWITCH, pd, prev->vcpu_id, nd, next->vcpu_id);
}

static void do_schedule(void)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *prev = current, *next;
    s_time_t now = NOW();
    struct sched_decision dec = sched_schedule(scheduler, cpu, now);

    perfc_cpu_incr(sched_run);
    next = dec.next ? sched_vcpu_owner(dec.next) : idle_vcpu[cpu];
    if (dec.slice == SCHED_SLICE_FOREVER)
        stop_timer(&slice_timer[cpu]);
    else
        set_timer(&slice_timer[cpu], now + dec.slice);
    if (__builtin_expect(trace_on, 0))
        trace_decision(prev, next, cpu, now, &dec);
    if (next == prev)
        return;
    if (!is_idle_vcpu(next) && next->processor != cpu)
        guest_timers_migrate(next, cpu);
    next->processor = cpu;
    perfc_cpu_incr(sched_ctx);
    context_switch(prev, next); /* may not return: see context.h */
}

void scheduler_init(const char *name)
{
    struct sched_config cfg = {0};
    int id = sched_id_from_name(name);
    unsigned int cpu;

    if (id < 0) {
        pr_warn("sched: unknown scheduler '%s', using credit\n", name);
        id = sched_id_from_name("credit");
    }
    cfg.sched_id = (unsigned int)id;
    cfg.nr_cpus = nr_cpu_ids;
    cfg.tslice_ms = opt_tslice_ms;
    cfg.ratelimit_us = opt_ratelimit_us;
    cfg.credit_no_boost = opt_no_boost;
    if (sched_create(&cfg, &scheduler))
        panic("sched: cannot create the %s scheduler", name);

    for_each_online_cpu(cpu)
    {
        struct vcpu *v = xzalloc(struct vcpu);
        if (!v)
            panic("sched: no memory for idle vCPUs");
        v->domain = idle_domain;
        v->vcpu_id = cpu;
        v->processor = cpu;
        v->is_running = true;
        idle_vcpu[cpu] = v;
        stack_cpu_info(percpu[cpu].stack)->curr_vcpu = v;
        init_timer(&slice_timer[cpu], slice_expired, NULL, cpu);
        init_timer(&pace_timer[cpu], pace, NULL, cpu);
        if (opt_pace_us)
            set_timer(&pace_timer[cpu], NOW() + MICROSECS(opt_pace_us));
    }
    open_softirq(SCHEDULE_SOFTIRQ, do_schedule);
    pr_info("sched: %s scheduler on %u CPUs\n", sched_name(scheduler), nr_cpu_ids);
    if (opt_pace_us)
        pr_info("sched: a pacing timer every %u us on each CPU\n", opt_pace_us);
}

int sched_init_domain(struct domain *d)
{
    return sched_dom_create(scheduler, d->domain_id, &d->sched);
}

void sched_destroy_domain(struct domain *d)
{
    if (d->sched && sched_dom_destroy(scheduler, d->sched))
        panic("sched: domain %u destroyed with vCPUs", d->domain_id);
    d->sched = NULL;
}

int sched_init_vcpu(struct vcpu *v)
{
    return sched_vcpu_create(scheduler, v->domain->sched, v->vcpu_id, v->processor, v, NOW(),
                             &v->sched);
}

void sched_destroy_vcpu(struct vcpu *v)
{
    if (v->sched && sched_vcpu_destroy(scheduler, v->sched))
        panic("sched: d%uv%u destroyed while runnable or running", v->domain->domain_id,
              v->vcpu_id);
    v->sched = NULL;
}

void vcpu_wake(struct vcpu *v)
{
    TRACE_2D(TRC_SCHED_WAKE, v->domain->domain_id, v->vcpu_id);
    sched_wake(scheduler, v->sched, NOW());
}

void vcpu_sleep(struct vcpu *v)
{
    TRACE_2D(TRC_SCHED_SLEEP, v->domain->domain_id, v->vcpu_id);
    sched_sleep(scheduler, v->sched, NOW());
}

void vcpu_yield(void)
{
    TRACE_2D(TRC_SCHED_YIELD, current->domain->domain_id, current->vcpu_id);
    sched_vcpu_yield(scheduler, current->sched);
    raise_softirq(SCHEDULE_SOFTIRQ);
}

void vcpu_block(void)
{
    TRACE_2D(TRC_SCHED_BLOCK, current->domain->domain_id, current->vcpu_id);
    vcpu_pause_flag_set(current, VPF_blocked);
    raise_softirq(SCHEDULE_SOFTIRQ);
}

unsigned int scheduler_id(void)
{
    return sched_id(scheduler);
}

int sched_adjust_domain(struct domain *d, struct paravane_domctl_scheduler_op *op)
{
    return sched_adjust(scheduler, d->sched, op, NOW());
}

/*
 * As `vane create` applies a configuration's: the running scheduler's
 * parameters only. Credit: weight and cap over its defaults. SEDF, only
 * when a SEDF-only parameter is given (else the domain keeps SEDF's
 * default, as with `vane create`), built whole: period and slice make the
 * domain time-driven, else it is weight-driven (weight, default Xen's 256).
 */
int sched_apply_boot_params(struct domain *d, const struct pv_boot_sched *p)
{
    struct paravane_domctl_scheduler_op op = {.sched_id = scheduler_id(),
                                              .cmd = XEN_DOMCTL_SCHEDOP_getinfo};
    uint32_t used = 0;
    int rc;

    if (!p->given)
        return 0;
    rc = sched_adjust_domain(d, &op);
    if (rc)
        return rc;
    if (op.sched_id == XEN_SCHEDULER_CREDIT) {
        used = p->given & (PV_BOOT_SCHED_WEIGHT | PV_BOOT_SCHED_CAP);
        if (used & PV_BOOT_SCHED_WEIGHT)
            op.u.credit.weight = (uint16_t)p->weight;
        if (used & PV_BOOT_SCHED_CAP)
            op.u.credit.cap = (uint16_t)p->cap;
    } else if (op.sched_id == XEN_SCHEDULER_SEDF &&
               (p->given &
                (PV_BOOT_SCHED_PERIOD | PV_BOOT_SCHED_LATENCY | PV_BOOT_SCHED_EXTRATIME))) {
        used = p->given & ~PV_BOOT_SCHED_CAP;
        memset(&op.u.sedf, 0, sizeof(op.u.sedf));
        if (used & PV_BOOT_SCHED_PERIOD) {
            op.u.sedf.period_ns = p->period_ns;
            op.u.sedf.slice_ns = p->slice_ns;
        } else {
            op.u.sedf.weight = (uint16_t)(used & PV_BOOT_SCHED_WEIGHT ? p->weight : 256);
        }
        op.u.sedf.latency_ns = p->latency_ns;
        op.u.sedf.extratime = p->extratime ? PARAVANE_SEDF_EXTRATIME : 0;
    }
    if (p->given & ~used)
        pr_info("d%u: scheduler parameters for another scheduler than %s left aside\n",
                d->domain_id, scheduler_name());
    if (!used)
        return 0;
    op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    return sched_adjust_domain(d, &op);
}

int sched_set_vcpu_affinity(struct vcpu *v, uint64_t mask)
{
    return sched_set_affinity(scheduler, v->sched, mask, NOW());
}

uint64_t sched_vcpu_affinity(const struct vcpu *v)
{
    return sched_get_affinity(scheduler, v->sched);
}

void scheduler_dump(void)
{
    sched_dump(scheduler, NOW());
}

static void key_sched(char key, const struct cpu_user_regs *regs)
{
    (void)key;
    (void)regs;
    scheduler_dump();
}
KEYHANDLER('r', key_sched, "dump run queues");
