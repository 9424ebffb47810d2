/*
 * The domctl and sysctl hypercalls: the control domain's management
 * interface, as libxc speaks it (interface version checked, privileged
 * callers only). Implemented so far: the scheduler operations
 * (XEN_DOMCTL_scheduler_op for Credit and SEDF, XEN_SYSCTL_sched_id);
 * every other command answers -ENOSYS.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include "schedule.h"
#include <xen/errno.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <paravane/sched_sedf.h>

_Static_assert(sizeof(struct paravane_domctl_scheduler_op) <= 128, "fits the domctl payload");

long do_domctl(guest_ptr_t arg)
{
    struct xen_domctl op;
    struct domain *d;
    long rc;

    if (!current->domain->is_privileged)
        return -XEN_EPERM;
    if (copy_from_guest(&op, arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -XEN_EACCES;

    switch (op.cmd) {
    case XEN_DOMCTL_scheduler_op: {
        struct paravane_domctl_scheduler_op s;

        d = domain_lookup(op.domain);
        if (!d)
            return -XEN_ESRCH;
        /* The SEDF block is wider than 4.17's union: read it from the payload. */
        memcpy(&s, &op.u.scheduler_op, sizeof(s));
        rc = sched_adjust_domain(d, &s);
        if (rc)
            return rc;
        memcpy(&op.u.scheduler_op, &s, sizeof(s));
        return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}

long do_sysctl(guest_ptr_t arg)
{
    struct xen_sysctl op;

    if (!current->domain->is_privileged)
        return -XEN_EPERM;
    if (copy_from_guest(&op, arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -XEN_EACCES;

    switch (op.cmd) {
    case XEN_SYSCTL_sched_id:
        op.u.sched_id.sched_id = scheduler_id();
        return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    default:
        return -XEN_ENOSYS;
    }
}
