/*
 * pvtest sched: the scheduler from the control domain's side:
 * XEN_SYSCTL_sched_id names the one chosen with sched=, and
 * XEN_DOMCTL_scheduler_op reads and sets Credit's weight and cap or
 * SEDF's period, slice, latency, extra time and weight, refusing values
 * out of range, another scheduler's id, and unprivileged callers.
 */
#define __XEN_TOOLS__ 1 /* domctl.h and sysctl.h are the toolstack's interface */
#include "lib/pvtest.h"
#include <paravane/sched_sedf.h>
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/sysctl.h>

const char pvtest_kernel_name[] = "sched";

static long domctl_sched(domid_t dom, uint32_t sched_id, uint32_t cmd,
                         struct paravane_domctl_scheduler_op *out, const void *in, size_t in_len)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_scheduler_op,
                            .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
                            .domain = dom};
    struct paravane_domctl_scheduler_op s = {.sched_id = sched_id, .cmd = cmd};
    long rc;

    if (in)
        memcpy(&s.u, in, in_len);
    memcpy(&op.u.scheduler_op, &s, sizeof(s));
    rc = hypercall1(__HYPERVISOR_domctl, &op);
    memcpy(out, &op.u.scheduler_op, sizeof(*out));
    return rc;
}

static bool privileged(void)
{
    return start_info->flags & SIF_INITDOMAIN;
}

static uint32_t running_sched(void)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_sched_id,
                            .interface_version = XEN_SYSCTL_INTERFACE_VERSION};
    if (!privileged())
        return 0;
    CHECK_EQ(hypercall1(__HYPERVISOR_sysctl, &op), 0);
    return op.u.sched_id.sched_id;
}

PVTEST(unprivileged_callers_refused)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_sched_id,
                            .interface_version = XEN_SYSCTL_INTERFACE_VERSION};
    struct paravane_domctl_scheduler_op out;

    if (privileged())
        return;
    CHECK_EQ(hypercall1(__HYPERVISOR_sysctl, &op), -XEN_EPERM);
    CHECK_EQ(domctl_sched(0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, &out, NULL, 0),
             -XEN_EPERM);
}

PVTEST(sched_id_matches_boot_option)
{
    const char *want = cmdline_option("expect");
    uint32_t id = running_sched();

    if (!privileged())
        return;
    CHECK(want != NULL);
    if (want && !strcmp(want, "credit"))
        CHECK_EQ(id, XEN_SCHEDULER_CREDIT);
    if (want && !strcmp(want, "sedf"))
        CHECK_EQ(id, XEN_SCHEDULER_SEDF);
}

PVTEST(credit_parameters)
{
    struct paravane_domctl_scheduler_op out;
    struct xen_domctl_sched_credit c = {.weight = 512, .cap = 50};

    if (running_sched() != XEN_SCHEDULER_CREDIT)
        return;
    CHECK_EQ(domctl_sched(0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, &out, NULL, 0), 0);
    CHECK_EQ(out.u.credit.weight, 256);
    CHECK_EQ(out.u.credit.cap, 0);
    CHECK_EQ(domctl_sched(0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, &out, &c, sizeof(c)),
             0);
    CHECK_EQ(domctl_sched(0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, &out, NULL, 0), 0);
    CHECK_EQ(out.u.credit.weight, 512);
    CHECK_EQ(out.u.credit.cap, 50);
    /* Another scheduler's id, an unknown domain. */
    CHECK_EQ(domctl_sched(0, XEN_SCHEDULER_SEDF, XEN_DOMCTL_SCHEDOP_getinfo, &out, NULL, 0),
             -XEN_EINVAL);
    CHECK_EQ(domctl_sched(999, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, &out, NULL, 0),
             -XEN_ESRCH);
}

PVTEST(sedf_parameters)
{
    struct paravane_domctl_scheduler_op out;
    struct paravane_domctl_sched_sedf p = {.period_ns = 20000000, .slice_ns = 5000000};

    if (running_sched() != XEN_SCHEDULER_SEDF)
        return;
    CHECK_EQ(domctl_sched(0, XEN_SCHEDULER_SEDF, XEN_DOMCTL_SCHEDOP_putinfo, &out, &p, sizeof(p)),
             0);
    CHECK_EQ(domctl_sched(0, XEN_SCHEDULER_SEDF, XEN_DOMCTL_SCHEDOP_getinfo, &out, NULL, 0), 0);
    CHECK_EQ(out.u.sedf.period_ns, 20000000);
    CHECK_EQ(out.u.sedf.slice_ns, 5000000);
    p.slice_ns = 30000000; /* more than the period */
    CHECK_EQ(domctl_sched(0, XEN_SCHEDULER_SEDF, XEN_DOMCTL_SCHEDOP_putinfo, &out, &p, sizeof(p)),
             -XEN_EINVAL);
    p.slice_ns = 5000000;
    p.pad = 1; /* must-be-zero padding */
    CHECK_EQ(domctl_sched(0, XEN_SCHEDULER_SEDF, XEN_DOMCTL_SCHEDOP_putinfo, &out, &p, sizeof(p)),
             -XEN_EINVAL);
}

PVTEST(interface_checks)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_scheduler_op, .interface_version = 1};
    struct xen_sysctl sop = {.cmd = XEN_SYSCTL_sched_id, .interface_version = 1};

    if (!privileged())
        return;
    CHECK_EQ(hypercall1(__HYPERVISOR_domctl, &op), -XEN_EACCES);
    CHECK_EQ(hypercall1(__HYPERVISOR_sysctl, &sop), -XEN_EACCES);
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op.cmd = 9999;
    CHECK_EQ(hypercall1(__HYPERVISOR_domctl, &op),
             (start_info->flags & SIF_INITDOMAIN) ? -XEN_ENOSYS : -XEN_EPERM);
    CHECK_EQ(hypercall1(__HYPERVISOR_domctl, 0xdead000UL),
             (start_info->flags & SIF_INITDOMAIN) ? -XEN_EFAULT : -XEN_EPERM);
}
