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
    evtchn_port_t ports[128];

    if (copy_from_guest(&p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.nr_ports > ARRAY_SIZE(ports))
        return -XEN_EINVAL;
    if (p.nr_ports && copy_from_guest(ports, (guest_ptr_t)p.ports.p, p.nr_ports * sizeof(ports[0])))
        return -XEN_EFAULT;
    for (unsigned int i = 0; i < p.nr_ports; i++)
        if (ports[i] >= NR_EVTCHN_PORTS)
            return -XEN_EINVAL;

    /*
     * Go to sleep first, then look: an event raised at any point from here
     * on either is seen below or finds us polling and blocked, and wakes us.
     */
    __atomic_store_n(&v->poll_ports, p.nr_ports ? p.nr_ports : 1, __ATOMIC_SEQ_CST);
    vcpu_block();
    for (unsigned int i = 0; i < p.nr_ports; i++) {
        if (__atomic_load_n(&si->evtchn_pending[ports[i] / 64], __ATOMIC_SEQ_CST) &
            (1UL << (ports[i] % 64))) {
            vcpu_pause_flag_clear(v, VPF_blocked);
            return 0;
        }
    }
    if (p.timeout && (s_time_t)p.timeout <= NOW()) {
        vcpu_pause_flag_clear(v, VPF_blocked);
        return 0;
    }
    /* Its own timer (guest_time.c): the guest's singleshot timer is untouched. */
    if (p.timeout)
        set_timer(&v->poll_timer, (s_time_t)p.timeout);
    /* poll_ports is cleared when the vCPU runs again (its next hypercall). */
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
        /* Blocking unmasks events (the guest's "sti; hlt"). Blocked first,
         * then look, so an event racing with us is never slept through. */
        v->vcpu_info->evtchn_upcall_mask = 0;
        vcpu_block();
        if (__atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
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
    case SCHEDOP_remote_shutdown: {
        /* The control domain ends another (libxl's way for a guest that
         * does not answer on control/shutdown). As on Xen: the domain
         * first (-ESRCH), then whether the caller may (-EPERM). */
        struct sched_remote_shutdown s;
        struct domain *d;
        long rc = 0;

        if (copy_from_guest(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (s.reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        d = domain_get(s.domain_id);
        if (!d)
            return -XEN_ESRCH;
        if (!v->domain->is_privileged)
            rc = -XEN_EPERM;
        else
            domain_shutdown(d, s.reason);
        domain_put(d);
        return rc;
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
