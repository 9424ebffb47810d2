/*
 * Time as PV guests see it: the wallclock in shared_info, each vCPU's
 * vcpu_time_info (system time at a TSC stamp plus the TSC scale, under a
 * version counter), and the guest timers (set_timer_op, the vcpu_op
 * single-shot and periodic timers) that raise VIRQ_TIMER.
 *
 * The scale published to guests is the one NOW() itself uses, so a
 * guest's extrapolation from any stamp never runs ahead of the
 * hypervisor's clock: floor(a) + floor(b) <= floor(a + b). The TSC is
 * shared by all pCPUs here, so the time is the same on every pCPU and the
 * stable bit is set.
 */
#include "asm/processor.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include "time.h"
#include "timer.h"
#include <xen/errno.h>

static uint64_t wallclock_at_boot; /* seconds since the epoch at NOW() == 0 */

void guest_time_init(void)
{
    uint64_t rtc = rtc_seconds_since_epoch();
    uint64_t up = (uint64_t)NOW() / 1000000000;

    wallclock_at_boot = rtc > up ? rtc - up : 0;
    pr_info("time: wallclock %lu s since the epoch at boot\n", wallclock_at_boot);
}

/*
 * The wallclock at boot as d sees it: the machine's, moved by the offset
 * its toolstack set (XEN_DOMCTL_settimeoffset), never before the epoch.
 */
void guest_time_update_wallclock(struct domain *d)
{
    struct shared_info *si = d->shared_info;
    int64_t off = d->time_offset_seconds;
    uint64_t wc = off < 0 && (uint64_t)-off > wallclock_at_boot ? 0 : wallclock_at_boot + off;

    si->wc_version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    si->wc_sec = (uint32_t)wc;
    si->wc_sec_hi = (uint32_t)(wc >> 32);
    si->wc_nsec = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    si->wc_version++;
}

void guest_time_set_wallclock(uint64_t secs, uint64_t system_time)
{
    uint64_t up = system_time / 1000000000;
    struct list_head *pos;
    unsigned long irq;

    wallclock_at_boot = secs > up ? secs - up : 0;
    irq = spin_lock_irqsave(&domlist_lock);
    list_for_each(pos, &domain_list)
    {
        struct domain *d = list_entry(pos, struct domain, list);
        if (d->shared_info)
            guest_time_update_wallclock(d);
    }
    spin_unlock_irqrestore(&domlist_lock, irq);
    pr_info("time: wallclock set to %lu s since the epoch at boot\n", wallclock_at_boot);
}

void guest_time_init_domain(struct domain *d)
{
    guest_time_update_wallclock(d);
}

void update_vcpu_system_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    uint64_t tsc;
    uint32_t mul;
    int8_t shift;

    time_guest_scale(&mul, &shift);
    tsc = rdtsc();
    /* Odd version: an update is in progress, readers retry. */
    t->version = (t->version + 1) | 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->tsc_timestamp = tsc;
    t->system_time = (uint64_t)tsc_to_s_time(tsc);
    t->tsc_to_system_mul = mul;
    t->tsc_shift = shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->version++;
}

static void singleshot_fired(void *data)
{
    struct vcpu *v = data;

    send_guest_vcpu_virq(v, VIRQ_TIMER);
}

/* A SCHEDOP_poll timeout: wakes the poller, raises no VIRQ_TIMER. */
static void poll_timeout_fired(void *data)
{
    struct vcpu *v = data;

    if (READ_ONCE(v->poll_ports))
        vcpu_pause_flag_clear(v, VPF_blocked);
}

static void periodic_fired(void *data)
{
    struct vcpu *v = data;

    send_guest_vcpu_virq(v, VIRQ_TIMER);
    if (v->periodic_period)
        set_timer(&v->periodic_timer, NOW() + v->periodic_period);
}

void guest_timers_init(struct vcpu *v)
{
    init_timer(&v->singleshot_timer, singleshot_fired, v, v->processor);
    init_timer(&v->periodic_timer, periodic_fired, v, v->processor);
    init_timer(&v->poll_timer, poll_timeout_fired, v, v->processor);
}

/* v is about to run on `cpu`: its timers move there with it (timer.c). */
void guest_timers_migrate(struct vcpu *v, unsigned int cpu)
{
    migrate_timer(&v->singleshot_timer, cpu);
    migrate_timer(&v->periodic_timer, cpu);
    migrate_timer(&v->poll_timer, cpu);
}

/* Each of v's guest timers through `end` (stop_timer or kill_timer). */
static void guest_timers_end(struct vcpu *v, void (*end)(struct timer *))
{
    v->periodic_period = 0;
    end(&v->singleshot_timer);
    end(&v->periodic_timer);
    end(&v->poll_timer);
}

void guest_timers_stop(struct vcpu *v)
{
    guest_timers_end(v, stop_timer);
}

void guest_timers_kill(struct vcpu *v)
{
    guest_timers_end(v, kill_timer);
}

long do_set_timer_op(uint64_t timeout)
{
    struct vcpu *v = current;

    if (!timeout)
        stop_timer(&v->singleshot_timer);
    else
        set_timer(&v->singleshot_timer, (s_time_t)timeout); /* a past time fires at once */
    return 0;
}
