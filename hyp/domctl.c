/*
 * The domctl and sysctl hypercalls: the control domain's management
 * interface, as libxc speaks it (interface version checked, privileged
 * callers only). Implemented so far: the scheduler operations
 * (XEN_DOMCTL_scheduler_op for Credit and SEDF, XEN_SYSCTL_sched_id),
 * hard vCPU affinity (XEN_DOMCTL_{set,get}vcpuaffinity) and
 * XEN_DOMCTL_getdomaininfo (what `xl list` shows); every other command
 * answers -ENOSYS.
 */
#include "asm/page.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include "schedule.h"
#include "smp.h"
#include <xen/errno.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <paravane/sched_sedf.h>

_Static_assert(sizeof(struct paravane_domctl_scheduler_op) <= 128, "fits the domctl payload");

/* Far more bits than any machine has pCPUs: bounds the bytes cleared below. */
#define BITMAP_MAX_BITS 32768u

/* A guest's xenctl_bitmap as a pCPU mask (bits past NR_CPUS dropped). */
static int bitmap_from_guest(const struct xenctl_bitmap *b, uint64_t *mask)
{
    unsigned int bytes = (b->nr_bits + 7) / 8;
    uint8_t raw[sizeof(*mask)] = {0};

    if (b->nr_bits > BITMAP_MAX_BITS)
        return -XEN_EINVAL;
    if (bytes > sizeof(raw))
        bytes = sizeof(raw);
    if (bytes && copy_from_guest(raw, (unsigned long)b->bitmap.p, bytes))
        return -XEN_EFAULT;
    if (bytes * 8 > b->nr_bits)
        raw[bytes - 1] &= (uint8_t)((1u << (b->nr_bits % 8)) - 1);
    *mask = 0;
    for (unsigned int i = 0; i < sizeof(raw); i++)
        *mask |= (uint64_t)raw[i] << (8 * i);
    return 0;
}

/* Write a mask into a guest's xenctl_bitmap, clearing the bytes past ours. */
static int bitmap_to_guest(const struct xenctl_bitmap *b, uint64_t mask)
{
    unsigned int bytes = (b->nr_bits + 7) / 8;
    uint8_t raw[64] = {0};

    if (b->nr_bits > BITMAP_MAX_BITS)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < sizeof(mask); i++)
        raw[i] = (uint8_t)(mask >> (8 * i));
    if (bytes * 8 > b->nr_bits && bytes <= sizeof(mask))
        raw[bytes - 1] &= (uint8_t)((1u << (b->nr_bits % 8)) - 1);
    for (unsigned int off = 0; off < bytes; off += sizeof(raw)) {
        unsigned int n = bytes - off < sizeof(raw) ? bytes - off : sizeof(raw);

        if (copy_to_guest((unsigned long)b->bitmap.p + off, raw, n))
            return -XEN_EFAULT;
        memset(raw, 0, sizeof(mask)); /* only the first chunk carries bits */
    }
    return 0;
}

/*
 * XEN_DOMCTL_{set,get}vcpuaffinity. Paravane has hard affinity only; the
 * soft map is "all pCPUs", which a caller may set again (libxl does) but
 * not narrow. Set answers with the effective maps, as Xen does.
 */
/*
 * Run fn on domain `id` with domlist_lock held, so the reaper cannot free
 * it meanwhile (domain_lookup() hands out no reference). fn must be short
 * and must not touch guest memory. -ESRCH if there is no such domain.
 */
static long on_domain(domid_t id, long (*fn)(struct domain *d, void *arg), void *arg)
{
    unsigned long irq = spin_lock_irqsave(&domlist_lock);
    struct domain *d = domain_find_locked(id);
    long rc = d ? fn(d, arg) : -XEN_ESRCH;

    spin_unlock_irqrestore(&domlist_lock, irq);
    return rc;
}

struct affinity_req {
    unsigned int vcpu;
    bool set;
    uint64_t hard; /* IN when set, OUT: the affinity in force */
};

static long affinity_locked(struct domain *d, void *arg)
{
    struct affinity_req *r = arg;
    int rc;

    if (r->vcpu >= d->max_vcpus)
        return -XEN_EINVAL;
    if (!d->vcpu[r->vcpu])
        return -XEN_ESRCH;
    if (r->set) {
        rc = sched_set_vcpu_affinity(d->vcpu[r->vcpu], r->hard);
        if (rc)
            return rc;
    }
    r->hard = sched_vcpu_affinity(d->vcpu[r->vcpu]);
    return 0;
}

/*
 * XEN_DOMCTL_{set,get}vcpuaffinity. Paravane has hard affinity only; the
 * soft map is "all pCPUs", which a caller may set again (libxl does) but
 * not narrow. Set answers with the effective maps, as Xen does.
 */
static long vcpu_affinity(domid_t id, struct xen_domctl_vcpuaffinity *a, bool set)
{
    uint64_t all = cpu_online_map, soft;
    struct affinity_req r = {.vcpu = a->vcpu, .set = set && (a->flags & XEN_VCPUAFFINITY_HARD)};
    long rc;

    if (a->flags & ~(XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT | XEN_VCPUAFFINITY_FORCE) ||
        !(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
        return -XEN_EINVAL;
    if (set && (a->flags & XEN_VCPUAFFINITY_SOFT)) {
        rc = bitmap_from_guest(&a->cpumap_soft, &soft);
        if (rc)
            return rc;
        if ((soft & all) != all)
            return -XEN_EOPNOTSUPP;
    }
    if (r.set) {
        rc = bitmap_from_guest(&a->cpumap_hard, &r.hard);
        if (rc)
            return rc;
        r.hard &= all;
    }
    rc = on_domain(id, affinity_locked, &r);
    if (rc)
        return rc;
    if (a->flags & XEN_VCPUAFFINITY_HARD) {
        rc = bitmap_to_guest(&a->cpumap_hard, r.hard & all);
        if (rc)
            return rc;
    }
    if (a->flags & XEN_VCPUAFFINITY_SOFT)
        return bitmap_to_guest(&a->cpumap_soft, set ? r.hard & all : all);
    return 0;
}

static long adjust_locked(struct domain *d, void *arg)
{
    return sched_adjust_domain(d, arg);
}

/* What getdomaininfo reports of d. domlist_lock held (d cannot go). */
static void fill_domaininfo(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    bool any_running = false, all_blocked = true;

    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    if (d->state == DOMAIN_DEAD)
        info->flags |= XEN_DOMINF_dying;
    if (d->state == DOMAIN_SHUTDOWN)
        info->flags |= XEN_DOMINF_shutdown | (d->shutdown_code & XEN_DOMINF_shutdownmask)
                                                 << XEN_DOMINF_shutdownshift;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        const struct vcpu *v = d->vcpu[i];
        unsigned long flags;

        if (!v)
            continue;
        flags = READ_ONCE(v->pause_flags);
        info->max_vcpu_id = i;
        info->cpu_time += v->runstate.time[RUNSTATE_running];
        if (flags & VPF_down)
            continue;
        info->nr_online_vcpus++;
        any_running |= READ_ONCE(v->is_running);
        all_blocked &= (flags & VPF_blocked) != 0;
    }
    if (any_running)
        info->flags |= XEN_DOMINF_running;
    else if (info->nr_online_vcpus && all_blocked)
        info->flags |= XEN_DOMINF_blocked;
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    info->shared_info_frame = virt_to_mfn(d->shared_info);
}

/* XEN_DOMCTL_getdomaininfo: the first domain whose id is >= `from`, as Xen. */
static long getdomaininfo(domid_t from, struct xen_domctl_getdomaininfo *info)
{
    const struct domain *best = NULL;
    struct list_head *p;
    unsigned long irq = spin_lock_irqsave(&domlist_lock);

    list_for_each(p, &domain_list)
    {
        const struct domain *d = list_entry(p, struct domain, list);

        if (d->domain_id >= from && (!best || d->domain_id < best->domain_id))
            best = d;
    }
    if (best)
        fill_domaininfo(best, info);
    spin_unlock_irqrestore(&domlist_lock, irq);
    return best ? 0 : -XEN_ESRCH;
}

long do_domctl(guest_ptr_t arg)
{
    struct xen_domctl op;
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

        /* The SEDF block is wider than 4.17's union: read it from the payload. */
        memcpy(&s, &op.u.scheduler_op, sizeof(s));
        rc = on_domain(op.domain, adjust_locked, &s);
        if (rc)
            return rc;
        memcpy(&op.u.scheduler_op, &s, sizeof(s));
        return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    }
    case XEN_DOMCTL_getdomaininfo:
        rc = getdomaininfo(op.domain, &op.u.getdomaininfo);
        if (rc)
            return rc;
        op.domain = op.u.getdomaininfo.domain;
        return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    case XEN_DOMCTL_setvcpuaffinity:
    case XEN_DOMCTL_getvcpuaffinity:
        return vcpu_affinity(op.domain, &op.u.vcpuaffinity, op.cmd == XEN_DOMCTL_setvcpuaffinity);
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
