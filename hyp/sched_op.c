/*
 * The sched_op hypercall: yield, block, shutdown (and the shutdown-code
 * query). Block returns at once if an event is already pending for the
 * vCPU; events themselves arrive with the event-channel work.
 */
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include "schedule.h"
#include "event.h"
#include "time.h"
#include <xen/errno.h>
#include <xen/sched.h>

/*
 * SCHEDOP_poll: sleep until one of the listed ports is pending or the
 * timeout passes. Any event for this vCPU's ports wakes it; the guest
 * re-polls if it was not one of its ports (Linux's PV spinlocks do).
 */
static long sched_poll(struct vcpu *v, guest_ptr_t arg)
{
    struct sched_poll p;
    const struct shared_info *si = v->domain->shared_info;

    if (copy_from_guest(&p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.nr_ports > 128)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < p.nr_ports; i++) {
        evtchn_port_t port;
        if (copy_from_guest(&port, (guest_ptr_t)p.ports.p + i * sizeof(port), sizeof(port)))
            return -XEN_EFAULT;
        if (port >= NR_EVTCHN_PORTS)
            return -XEN_EINVAL;
        if (__atomic_load_n(&si->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) &
            (1UL << (port % 64)))
            return 0;
    }
    if (p.timeout && (s_time_t)p.timeout <= NOW())
        return 0;
    v->poll_ports = p.nr_ports ? p.nr_ports : 1;
    if (p.timeout)
        set_timer(&v->singleshot_timer, (s_time_t)p.timeout);
    vcpu_block();
    v->poll_ports = 0;
    return 0;
}

long do_sched_op(int cmd, guest_ptr_t arg)
{
    struct vcpu *v = current;

    switch (cmd) {
    case SCHEDOP_yield:
        vcpu_yield();
        return 0;
    case SCHEDOP_block:
        /* Blocking unmasks events (the guest's "sti; hlt"). */
        v->vcpu_info->evtchn_upcall_mask = 0;
        vcpu_block();
        /* An event that raced with going to sleep wakes us right back. */
        if (READ_ONCE(v->vcpu_info->evtchn_upcall_pending))
            vcpu_pause_flag_clear(v, VPF_blocked);
        return 0;
    case SCHEDOP_poll:
        return sched_poll(v, arg);
    case SCHEDOP_shutdown: {
        struct sched_shutdown s;
        if (copy_from_guest(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (s.reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        domain_shutdown(v->domain, s.reason);
        return 0;
    }
    case SCHEDOP_shutdown_code: {
        struct sched_shutdown s;
        if (copy_from_guest(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (s.reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        v->domain->shutdown_code = s.reason;
        return 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}
