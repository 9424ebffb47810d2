/*
 * The domctl hypercall: the control domain's management interface, as
 * Xen 4.17's libxc speaks it (interface version checked, privileged
 * callers only): creating, pausing and destroying domains, their vCPUs'
 * contexts, memory limits, scheduler parameters and affinity, and what
 * `xl list` shows. Each operation on a domain named by id holds a
 * reference to it for its duration (domain_get), so it may touch guest
 * memory and sleep on locks while the reaper runs. Every command not
 * served answers -ENOSYS and is logged once by name.
 */
#include "asm/page.h"
#include "console.h"
#include "cpu_policy.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include "perfc.h"
#include "dom_build.h"
#include "grant_table.h"
#include "mm/page_alloc.h"
#include "mm/page_type.h"
#include "mm/pv_mm.h"
#include "mm/xmalloc.h"
#include "schedule.h"
#include "smp.h"
#include "time.h"
#include "tsc_mode.h"
#include <xen/errno.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <paravane/sched_sedf.h>

_Static_assert(sizeof(struct paravane_domctl_scheduler_op) <= 128, "fits the domctl payload");

static const char *const domctl_names[] = {
    [1] = "createdomain",
    [2] = "destroydomain",
    [3] = "pausedomain",
    [4] = "unpausedomain",
    [5] = "getdomaininfo",
    [9] = "setvcpuaffinity",
    [10] = "shadow_op",
    [11] = "max_mem",
    [12] = "setvcpucontext",
    [13] = "getvcpucontext",
    [14] = "getvcpuinfo",
    [15] = "max_vcpus",
    [16] = "scheduler_op",
    [17] = "setdomainhandle",
    [18] = "setdebugging",
    [19] = "irq_permission",
    [20] = "iomem_permission",
    [21] = "ioport_permission",
    [22] = "hypercall_init",
    [23] = "soft_reset_cont",
    [24] = "settimeoffset",
    [25] = "getvcpuaffinity",
    [26] = "real_mode_area",
    [27] = "resumedomain",
    [28] = "sendtrigger",
    [29] = "subscribe",
    [33] = "gethvmcontext",
    [34] = "sethvmcontext",
    [35] = "set_address_size",
    [36] = "get_address_size",
    [37] = "assign_device",
    [38] = "bind_pt_irq",
    [39] = "memory_mapping",
    [40] = "ioport_mapping",
    [42] = "set_ext_vcpucontext",
    [43] = "get_ext_vcpucontext",
    [44] = "set_opt_feature",
    [45] = "test_assign_device",
    [46] = "set_target",
    [47] = "deassign_device",
    [48] = "unbind_pt_irq",
    [50] = "get_device_group",
    [54] = "debug_op",
    [55] = "gethvmcontext_partial",
    [56] = "vm_event_op",
    [57] = "mem_sharing_op",
    [59] = "gettscinfo",
    [60] = "settscinfo",
    [61] = "getpageframeinfo3",
    [62] = "setvcpuextstate",
    [63] = "getvcpuextstate",
    [64] = "set_access_required",
    [65] = "audit_p2m",
    [66] = "set_virq_handler",
    [67] = "set_broken_page_p2m",
    [68] = "setnodeaffinity",
    [69] = "getnodeaffinity",
    [71] = "cacheflush",
    [72] = "get_vcpu_msrs",
    [73] = "set_vcpu_msrs",
    [74] = "setvnumainfo",
    [75] = "psr_cmt_op",
    [77] = "monitor_op",
    [78] = "psr_alloc",
    [79] = "soft_reset",
    [81] = "vuart_op",
    [82] = "get_cpu_policy",
    [83] = "set_cpu_policy",
    [84] = "vmtrace_op",
    [85] = "get_paging_mempool_size",
    [86] = "set_paging_mempool_size",
    [1000] = "gdbsx_guestmemio",
    [1001] = "gdbsx_pausevcpu",
    [1002] = "gdbsx_unpausevcpu",
    [1003] = "gdbsx_domstatus",
};

static const char *const sysctl_names[] = {
    [1] = "readconsole",
    [2] = "tbuf_op",
    [3] = "physinfo",
    [4] = "sched_id",
    [5] = "perfc_op",
    [6] = "getdomaininfolist",
    [7] = "debug_keys",
    [8] = "getcpuinfo",
    [9] = "availheap",
    [10] = "get_pmstat",
    [11] = "cpu_hotplug",
    [12] = "pm_op",
    [14] = "page_offline_op",
    [15] = "lockprof_op",
    [16] = "cputopoinfo",
    [17] = "numainfo",
    [18] = "cpupool_op",
    [19] = "scheduler_op",
    [20] = "coverage_op",
    [21] = "psr_cmt_op",
    [22] = "pcitopoinfo",
    [23] = "psr_alloc",
    [25] = "get_cpu_levelling_caps",
    [26] = "get_cpu_featureset",
    [27] = "livepatch_op",
    [29] = "get_cpu_policy",
};

/* Say once per command that it is missing, with its name (sysctl.c too). */
void log_unimplemented_once(const char *what, unsigned int cmd)
{
    static uint64_t seen[2][1024 / 64];
    bool sys = what[0] == 's';
    const char *const *names = sys ? sysctl_names : domctl_names;
    unsigned int nr = sys ? ARRAY_SIZE(sysctl_names) : ARRAY_SIZE(domctl_names);
    unsigned int slot = cmd < 1024 ? cmd : 1023;

    if (__atomic_fetch_or(&seen[sys][slot / 64], 1UL << (slot % 64), __ATOMIC_RELAXED) &
        (1UL << (slot % 64)))
        return;
    pr_warn("%s %u (%s) is not implemented: -ENOSYS\n", what, cmd,
            cmd < nr && names[cmd] ? names[cmd] : "unknown");
}

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
/* Run fn on domain `id`, holding a reference. -ESRCH if there is none. */
static long on_domain(domid_t id, long (*fn)(struct domain *d, void *arg), void *arg)
{
    struct domain *d = domain_get(id);
    long rc;

    if (!d)
        return -XEN_ESRCH;
    rc = fn(d, arg);
    domain_put(d);
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

/* What getdomaininfo reports of d (XEN_DOMCTL_getdomaininfo, getdomaininfolist). */
void domain_getinfo(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    bool any_running = false, all_blocked = true;

    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    if (d->state == DOMAIN_DYING || d->state == DOMAIN_DEAD)
        info->flags |= XEN_DOMINF_dying;
    if (d->ctrl_pause_count)
        info->flags |= XEN_DOMINF_paused;
    if (d->state == DOMAIN_SHUTDOWN)
        info->flags |= XEN_DOMINF_shutdown | (d->shutdown_code & XEN_DOMINF_shutdownmask)
                                                 << XEN_DOMINF_shutdownshift;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        const struct vcpu *v = d->vcpu[i];
        struct vcpu_runstate_info r;
        unsigned long flags;

        if (!v)
            continue;
        flags = READ_ONCE(v->pause_flags);
        info->max_vcpu_id = i;
        vcpu_runstate_get(v, &r);
        info->cpu_time += r.time[RUNSTATE_running];
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
    info->ssidref = 0;
    memcpy(info->handle, d->handle, sizeof(info->handle));
    info->cpupool = 0;
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
        domain_getinfo(best, info);
    spin_unlock_irqrestore(&domlist_lock, irq);
    return best ? 0 : -XEN_ESRCH;
}

/*
 * The id a new domain gets: the one asked for, or, as Xen's allocator
 * does, the next free one after the last handed out (wrapping past the
 * reserved ids to 1), so a domain built again (a restart) gets a new id.
 * Creation is serialised by the control domain's toolstack; a race only
 * makes domain_create() refuse an id in use.
 */
static domid_t domid_rover = 1;

static int pick_domid(domid_t asked, domid_t *out)
{
    if (asked && asked < DOMID_FIRST_RESERVED) {
        struct domain *d = domain_get(asked);
        if (d) {
            domain_put(d);
            return -XEN_EEXIST;
        }
        *out = asked;
        return 0;
    }
    for (unsigned int n = 0; n < DOMID_FIRST_RESERVED; n++) {
        domid_t id = domid_rover;
        struct domain *d;

        domid_rover = (unsigned int)id + 1 >= DOMID_FIRST_RESERVED ? 1 : (domid_t)(id + 1);
        d = domain_get(id);
        if (!d) {
            *out = id;
            return 0;
        }
        domain_put(d);
    }
    return -XEN_ENOSPC;
}

/*
 * What Xen's sanitise_domain_config() and the x86 and grant-table set-up
 * refuse, for what Paravane has: PV only (no HVM, HAP, nested
 * virtualisation), no IOMMU, vPMU or vmtrace, no emulated devices (a PV
 * domU's emulation_flags are 0), grant tables version 1, sizes within the
 * grant table's. s3_integrity and oos_off mean nothing for a PV domain
 * without tboot or shadow paging and are taken, as Xen takes them.
 * max_evtchn_port bounds the ports it may bind (0: none but the reserved
 * port 0, as on Xen; libxl asks for 1023).
 */
static int check_create_config(const struct xen_domctl_createdomain *c)
{
    const uint32_t taken = XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_oos_off;

    if (c->flags & ~taken)
        return -XEN_EINVAL;
    if (c->iommu_opts || c->vmtrace_size)
        return -XEN_EINVAL;
    if (c->max_vcpus == 0 || c->max_vcpus > MAX_VCPUS)
        return -XEN_EINVAL;
    if (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask ||
        grant_table_set_max_version(NULL, c->grant_opts & XEN_DOMCTL_GRANT_version_mask))
        return -XEN_EINVAL;
    if (c->arch.emulation_flags)
        return -XEN_EOPNOTSUPP;
    if (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED)
        return -XEN_EINVAL;
    if (c->cpupool_id != 0 && c->cpupool_id != (uint32_t)-1)
        return -XEN_ENOENT;
    return grant_table_set_limits(NULL, c->max_grant_frames, c->max_maptrack_frames);
}

/*
 * XEN_DOMCTL_createdomain: a PV domain with its vCPUs (all down), paused
 * by the controller as on Xen (unpausedomain starts it), no memory yet
 * (max_mem 0: populate_physmap after max_mem). It stays when it shuts
 * down, until destroydomain.
 */
static long createdomain(domid_t *domid, struct xen_domctl_createdomain *c)
{
    struct domain *d;
    domid_t id;
    int rc;

    rc = check_create_config(c);
    if (rc)
        return rc;
    rc = pick_domid(*domid, &id);
    if (rc)
        return rc;
    d = domain_create(id, false, c->max_vcpus);
    if (!d)
        return -XEN_ENOMEM;
    grant_table_set_limits(d, c->max_grant_frames, c->max_maptrack_frames);
    grant_table_set_max_version(d, c->grant_opts & XEN_DOMCTL_GRANT_version_mask);
    d->max_evtchn_port = MIN(c->max_evtchn_port, d->max_evtchn_port);
    d->auto_reap = false;
    d->cpu_policy.settable = true; /* until it first runs */
    d->tsc_incarnation = 1;        /* Xen sets the default mode at creation */
    memcpy(d->handle, c->handle, sizeof(d->handle));
    domain_pause_by_controller(d);
    *domid = id;
    pr_info("d%u: created by the control domain, %u vCPUs\n", id, c->max_vcpus);
    return 0;
}

struct vcpuctx_req {
    unsigned int vcpu;
    struct vcpu_guest_context *ctx;
    bool set;
};

static long vcpucontext_on(struct domain *d, void *arg)
{
    struct vcpuctx_req *r = arg;
    struct vcpu *v;

    if (r->vcpu >= d->max_vcpus || !(v = d->vcpu[r->vcpu]))
        return -XEN_EINVAL;
    if (d->state != DOMAIN_RUNNING)
        return -XEN_EINVAL;
    if (v == current)
        return -XEN_EINVAL;
    if (r->set)
        return vcpu_set_context(v, r->ctx);
    vcpu_get_context(v, r->ctx);
    return 0;
}

static long vcpucontext(domid_t id, struct xen_domctl_vcpucontext *vc, bool set)
{
    struct vcpuctx_req r = {.vcpu = vc->vcpu, .set = set};
    long rc;

    r.ctx = xzalloc(struct vcpu_guest_context);
    if (!r.ctx)
        return -XEN_ENOMEM;
    if (set && copy_from_guest(r.ctx, (unsigned long)vc->ctxt.p, sizeof(*r.ctx))) {
        xfree(r.ctx);
        return -XEN_EFAULT;
    }
    rc = on_domain(id, vcpucontext_on, &r);
    if (!rc && !set && copy_to_guest((unsigned long)vc->ctxt.p, r.ctx, sizeof(*r.ctx)))
        rc = -XEN_EFAULT;
    xfree(r.ctx);
    return rc;
}

static long getvcpuinfo_on(struct domain *d, void *arg)
{
    struct xen_domctl_getvcpuinfo *g = arg;
    const struct vcpu *v;
    struct vcpu_runstate_info r;
    unsigned long flags;

    if (g->vcpu >= d->max_vcpus || !(v = d->vcpu[g->vcpu]))
        return -XEN_ESRCH;
    flags = READ_ONCE(v->pause_flags);
    g->online = !(flags & VPF_down);
    g->blocked = (flags & VPF_blocked) != 0;
    g->running = READ_ONCE(v->is_running);
    vcpu_runstate_get(v, &r);
    g->cpu_time = r.time[RUNSTATE_running];
    g->cpu = v->processor;
    return 0;
}

static long max_mem_on(struct domain *d, void *arg)
{
    uint64_t kb = *(uint64_t *)arg;
    unsigned long irq = spin_lock_irqsave(&d->lock);

    /* As Xen: any size, even below what it has (it only stops growing). */
    d->max_pages = kb >> 2 > ~0UL >> 1 ? ~0UL >> 1 : (unsigned long)(kb >> 2);
    spin_unlock_irqrestore(&d->lock, irq);
    return 0;
}

static long handle_on(struct domain *d, void *arg)
{
    memcpy(d->handle, arg, sizeof(d->handle));
    return 0;
}

static long timeoffset_on(struct domain *d, void *arg)
{
    d->time_offset_seconds = *(int64_t *)arg;
    guest_time_update_wallclock(d);
    return 0;
}

/*
 * XEN_DOMCTL_hypercall_init: write the hypercall page into a frame of the
 * domain's that nothing relies on the contents of (writable-typeable).
 */
static long hypercall_init_on(struct domain *d, void *arg)
{
    uint64_t mfn = *(uint64_t *)arg;
    struct page_info *pg;
    int rc;

    if (mfn >= max_mfn)
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    rc = get_page_and_type(pg, d->domain_id, PGT_writable);
    if (!rc) {
        write_hypercall_page(mfn_to_virt(mfn));
        put_page_and_type(pg);
    }
    return rc ? -XEN_EINVAL : 0;
}

/*
 * XEN_DOMCTL_max_vcpus: the vCPUs come with createdomain (as in Xen 4.17,
 * whose libxl still asks): the same count is accepted, any other refused.
 */
static long max_vcpus_on(struct domain *d, void *arg)
{
    return *(uint32_t *)arg == d->max_vcpus ? 0 : -XEN_EINVAL;
}

static long destroy_on(struct domain *d, void *arg)
{
    (void)arg;
    return d == current->domain ? -XEN_EINVAL : domain_kill(d);
}

static long pause_on(struct domain *d, void *arg)
{
    if (d == current->domain || d->state == DOMAIN_DYING || d->state == DOMAIN_DEAD)
        return -XEN_EINVAL;
    if (arg)
        return domain_pause_by_controller(d);
    d->cpu_policy.settable = false; /* it may run now: its CPUID stays as it is */
    return domain_unpause_by_controller(d);
}

/*
 * XEN_DOMCTL_{set,get}nodeaffinity. One NUMA node here: a map must name
 * node 0 to be in force (Xen refuses a map with no online node), and the
 * affinity in force is always {0}.
 */
static long nodeaffinity_on(struct domain *d, void *arg)
{
    struct xen_domctl_nodeaffinity *n = arg;
    uint64_t nodes;
    long rc;

    (void)d;
    rc = bitmap_from_guest(&n->nodemap, &nodes);
    if (rc)
        return rc;
    return nodes & 1 ? 0 : -XEN_EINVAL;
}

static long getnodeaffinity_on(struct domain *d, void *arg)
{
    (void)d;
    return bitmap_to_guest(arg, 1);
}

static long tsc_on(struct domain *d, void *arg)
{
    struct xen_domctl *op = arg;

    if (d == current->domain)
        return -XEN_EINVAL;
    if (op->cmd == XEN_DOMCTL_settscinfo)
        return tsc_mode_set(d, &op->u.tsc_info);
    tsc_mode_get(d, &op->u.tsc_info);
    return 0;
}

/*
 * XEN_DOMCTL_{set,get}_address_size: every PV domain here is 64-bit; a
 * 32-bit (compat) guest is not supported (Xen built without PV32 answers
 * the same), any other size is invalid.
 */
static long address_size_on(struct domain *d, void *arg)
{
    struct xen_domctl *op = arg;

    (void)d;
    if (op->cmd == XEN_DOMCTL_get_address_size) {
        op->u.address_size.size = 64;
        return 0;
    }
    if (op->u.address_size.size == 64)
        return 0;
    return op->u.address_size.size == 32 ? -XEN_EOPNOTSUPP : -XEN_EINVAL;
}

static long cpu_policy_on(struct domain *d, void *arg)
{
    struct xen_domctl *op = arg;

    if (op->cmd == XEN_DOMCTL_get_cpu_policy)
        return cpu_policy_get_domain(d, &op->u.cpu_policy);
    if (d == current->domain)
        return -XEN_EINVAL;
    return cpu_policy_set_domain(d, &op->u.cpu_policy);
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
    case XEN_DOMCTL_createdomain:
        rc = createdomain(&op.domain, &op.u.createdomain);
        if (rc)
            return rc;
        return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    case XEN_DOMCTL_destroydomain:
        return on_domain(op.domain, destroy_on, NULL);
    case XEN_DOMCTL_pausedomain:
    case XEN_DOMCTL_unpausedomain:
        return on_domain(op.domain, pause_on, op.cmd == XEN_DOMCTL_pausedomain ? &op : NULL);
    case XEN_DOMCTL_setvcpucontext:
    case XEN_DOMCTL_getvcpucontext:
        return vcpucontext(op.domain, &op.u.vcpucontext, op.cmd == XEN_DOMCTL_setvcpucontext);
    case XEN_DOMCTL_getvcpuinfo:
        rc = on_domain(op.domain, getvcpuinfo_on, &op.u.getvcpuinfo);
        if (rc)
            return rc;
        return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    case XEN_DOMCTL_max_vcpus:
        return on_domain(op.domain, max_vcpus_on, &op.u.max_vcpus.max);
    case XEN_DOMCTL_hypercall_init:
        return on_domain(op.domain, hypercall_init_on, &op.u.hypercall_init.gmfn);
    case XEN_DOMCTL_max_mem:
        return on_domain(op.domain, max_mem_on, &op.u.max_mem.max_memkb);
    case XEN_DOMCTL_setdomainhandle:
        return on_domain(op.domain, handle_on, op.u.setdomainhandle.handle);
    case XEN_DOMCTL_settimeoffset:
        return on_domain(op.domain, timeoffset_on, &op.u.settimeoffset.time_offset_seconds);
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
    case XEN_DOMCTL_setnodeaffinity:
        return on_domain(op.domain, nodeaffinity_on, &op.u.nodeaffinity);
    case XEN_DOMCTL_getnodeaffinity:
        return on_domain(op.domain, getnodeaffinity_on, &op.u.nodeaffinity.nodemap);
    case XEN_DOMCTL_settscinfo:
        return on_domain(op.domain, tsc_on, &op);
    case XEN_DOMCTL_set_address_size:
        return on_domain(op.domain, address_size_on, &op);
    case XEN_DOMCTL_get_address_size:
        rc = on_domain(op.domain, address_size_on, &op);
        if (rc)
            return rc;
        return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    case XEN_DOMCTL_gettscinfo:
    case XEN_DOMCTL_get_cpu_policy:
        rc = on_domain(op.domain, op.cmd == XEN_DOMCTL_gettscinfo ? tsc_on : cpu_policy_on, &op);
        if (rc)
            return rc;
        return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    case PARAVANE_DOMCTL_perfc:
        rc = on_domain(op.domain, perfc_domctl, &op.u);
        if (rc && rc != -XEN_EFAULT)
            return rc;
        return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : rc;
    case XEN_DOMCTL_set_cpu_policy:
        rc = on_domain(op.domain, cpu_policy_on, &op);
        /* The err_leaf, err_subleaf and err_msr of a refusal. */
        if (rc && rc != -XEN_ESRCH && copy_to_guest(arg, &op, sizeof(op)))
            return -XEN_EFAULT;
        return rc;
    default:
        log_unimplemented_once("domctl", op.cmd);
        return -XEN_ENOSYS;
    }
}
