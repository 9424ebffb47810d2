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
#include <xen/errno.h>
#include <xen/sched.h>

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
        if (!v->vcpu_info->evtchn_upcall_pending)
            vcpu_block();
        return 0;
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
