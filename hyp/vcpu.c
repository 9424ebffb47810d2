/*
 * vCPU objects: creation, destruction and the pause flags that say whether
 * the scheduler may run them.
 *
 * pause_flags is changed by any CPU under v->pause_lock, and the scheduler
 * is told the outcome under the same lock, so a concurrent set and clear
 * cannot leave a vCPU awake with a reason to sleep (or the reverse). The
 * scheduler library makes wake and sleep idempotent.
 */
#include "domain.h"
#include "console.h"
#include "lib.h"
#include "mm/xmalloc.h"
#include "schedule.h"
#include "time.h"

struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu)
{
    struct vcpu *v;

    if (id >= MAX_VCPUS || d->vcpu[id])
        return NULL;
    v = xzalloc(struct vcpu);
    if (!v)
        return NULL;
    v->vcpu_id = id;
    v->domain = d;
    v->processor = cpu;
    v->pause_flags = VPF_down;
    spin_lock_init(&v->pause_lock);
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    v->vcpu_info->evtchn_upcall_mask = 1; /* events masked until the guest says */
    v->arch.trap_ctxt = xzalloc_array(struct trap_info, 256);
    v->arch.kernel_mode = true;
    v->runstate.state = RUNSTATE_offline;
    v->runstate.state_entry_time = (uint64_t)NOW();
    guest_timers_init(v);
    if (!v->arch.trap_ctxt || sched_init_vcpu(v)) {
        xfree(v->arch.trap_ctxt);
        xfree(v);
        return NULL;
    }
    d->vcpu[id] = v;
    return v;
}

void vcpu_destroy(struct vcpu *v)
{
    ASSERT(!v->is_running);
    guest_timers_kill(v); /* a callback running elsewhere returns first */
    sched_destroy_vcpu(v);
    v->domain->vcpu[v->vcpu_id] = NULL;
    xfree(v->arch.trap_ctxt);
    xfree(v);
}

void vcpu_pause_flag_set(struct vcpu *v, unsigned long flag)
{
    unsigned long irq = spin_lock_irqsave(&v->pause_lock);
    v->pause_flags |= flag;
    vcpu_sleep(v);
    spin_unlock_irqrestore(&v->pause_lock, irq);
}

void vcpu_pause_flag_clear(struct vcpu *v, unsigned long flag)
{
    unsigned long irq = spin_lock_irqsave(&v->pause_lock);
    v->pause_flags &= ~flag;
    if (!v->pause_flags)
        vcpu_wake(v);
    spin_unlock_irqrestore(&v->pause_lock, irq);
}
