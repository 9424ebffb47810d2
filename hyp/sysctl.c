/*
 * The sysctl hypercall: questions about the machine rather than one
 * domain, as Xen 4.17's libxc asks them (`xl info`, `xl list`, `xl
 * dmesg`, xentop). Privileged callers only, interface version checked.
 *
 * The machine as Paravane presents it: one NUMA node, one socket, one
 * thread per core (the pCPUs it started), one CPU pool holding them all.
 * What is not served answers -ENOSYS, logged once by name (domctl.c).
 */
#include "asm/page.h"
#include "console.h"
#include "cpu_policy.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "keyhandler.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/xmalloc.h"
#include "percpu.h"
#include "perfc.h"
#include "trace.h"
#include "schedule.h"
#include "smp.h"
#include "time.h"
#include <xen/errno.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

void domain_getinfo(const struct domain *d, struct xen_domctl_getdomaininfo *info);
void log_unimplemented_once(const char *what, unsigned int cmd);

static unsigned int max_cpu_id(void)
{
    unsigned int cpu, top = 0;

    for_each_online_cpu(cpu) top = cpu;
    return top;
}

static void physinfo(struct xen_sysctl_physinfo *p)
{
    struct heap_stats h;

    heap_get_stats(&h);
    memset(p, 0, sizeof(*p));
    p->threads_per_core = 1;
    p->cores_per_socket = num_online_cpus();
    p->nr_cpus = num_online_cpus();
    p->max_cpu_id = max_cpu_id();
    p->nr_nodes = 1;
    p->max_node_id = 0;
    p->cpu_khz = (uint32_t)tsc_khz();
    p->capabilities =
        XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_gnttab_v1 | XEN_SYSCTL_PHYSCAP_gnttab_v2;
    p->total_pages = h.heap_pages;
    p->free_pages = h.free_pages;
    p->max_mfn = max_mfn - 1;
    cpu_policy_host_featureset(p->hw_cap, ARRAY_SIZE(p->hw_cap));
}

/* XEN_SYSCTL_getdomaininfolist: up to max_domains, ids from first_domain up. */
static long getdomaininfolist(struct xen_sysctl_getdomaininfolist *l)
{
    enum { BATCH = 16 }; /* copied out between passes over the list */
    struct xen_domctl_getdomaininfo *info = xzalloc_array(struct xen_domctl_getdomaininfo, BATCH);
    unsigned int done = 0;
    domid_t next = l->first_domain;
    long rc = 0;

    if (!info)
        return -XEN_ENOMEM;
    while (done < l->max_domains) {
        unsigned int n = 0;
        unsigned long irq = spin_lock_irqsave(&domlist_lock);

        /* The lowest ids at or above `next`, in order, BATCH at a time. */
        while (n < BATCH && done + n < l->max_domains) {
            const struct domain *best = NULL;
            struct list_head *p;

            list_for_each(p, &domain_list)
            {
                const struct domain *d = list_entry(p, struct domain, list);
                if (d->domain_id >= next && (!best || d->domain_id < best->domain_id))
                    best = d;
            }
            if (!best)
                break;
            domain_getinfo(best, &info[n++]);
            next = best->domain_id + 1;
        }
        spin_unlock_irqrestore(&domlist_lock, irq);
        if (n && copy_to_guest((unsigned long)l->buffer.p + done * sizeof(*info), info,
                               n * sizeof(*info))) {
            rc = -XEN_EFAULT;
            break;
        }
        done += n;
        if (n < BATCH)
            break;
    }
    xfree(info);
    l->num_domains = done;
    return rc;
}

static long readconsole(struct xen_sysctl_readconsole *r)
{
    enum { CHUNK = 1024 };
    char *buf = xzalloc_array(char, CHUNK);
    uint32_t index = r->index;
    unsigned int done = 0;
    bool incremental = r->incremental;

    if (!buf)
        return -XEN_ENOMEM;
    while (done < r->count) {
        unsigned int want = MIN(r->count - done, (unsigned int)CHUNK);
        unsigned int n = console_read_ring(buf, want, &index, incremental, false);

        if (n && copy_to_guest((unsigned long)r->buffer.p + done, buf, n)) {
            xfree(buf);
            return -XEN_EFAULT;
        }
        done += n;
        incremental = true; /* the next chunk follows this one */
        if (n < want)
            break;
    }
    xfree(buf);
    if (r->clear)
        console_read_ring(NULL, 0, &index, true, true);
    r->index = index;
    r->count = done;
    return 0;
}

/* XEN_SYSCTL_cputopoinfo: a NULL array asks for the count. */
static long cputopoinfo(struct xen_sysctl_cputopoinfo *t)
{
    unsigned int n = max_cpu_id() + 1;

    if (t->cputopo.p) {
        for (unsigned int cpu = 0; cpu < MIN(n, t->num_cpus); cpu++) {
            struct xen_sysctl_cputopo c = {.core = cpu, .socket = 0, .node = 0};

            if (!(cpu_online_map & (1ULL << cpu)))
                c.core = c.socket = c.node = XEN_INVALID_CORE_ID;
            if (copy_to_guest((unsigned long)t->cputopo.p + cpu * sizeof(c), &c, sizeof(c)))
                return -XEN_EFAULT;
        }
    }
    t->num_cpus = n;
    return 0;
}

static long numainfo(struct xen_sysctl_numainfo *ni)
{
    struct heap_stats h;

    heap_get_stats(&h);
    if (ni->num_nodes && ni->meminfo.p) {
        struct xen_sysctl_meminfo m = {.memsize = h.heap_pages << PAGE_SHIFT,
                                       .memfree = h.free_pages << PAGE_SHIFT};
        if (copy_to_guest((unsigned long)ni->meminfo.p, &m, sizeof(m)))
            return -XEN_EFAULT;
    }
    if (ni->num_nodes && ni->distance.p) {
        uint32_t local = 10; /* the ACPI SLIT's distance of a node to itself */
        if (copy_to_guest((unsigned long)ni->distance.p, &local, sizeof(local)))
            return -XEN_EFAULT;
    }
    ni->num_nodes = 1;
    return 0;
}

/* One pool, id 0, every pCPU, every domain: INFO answers for it. */
static long cpupool_op(struct xen_sysctl_cpupool_op *c)
{
    unsigned int doms = 0;
    unsigned long irq;
    struct list_head *p;
    uint8_t map[8];
    unsigned int bytes = (c->cpumap.nr_bits + 7) / 8;

    if (c->op != XEN_SYSCTL_CPUPOOL_OP_INFO)
        return c->op == XEN_SYSCTL_CPUPOOL_OP_FREEINFO ? 0 : -XEN_EOPNOTSUPP;
    /* The next pool at or after the one asked for: there is only pool 0. */
    if (c->cpupool_id != 0 && c->cpupool_id != XEN_SYSCTL_CPUPOOL_PAR_ANY)
        return -XEN_ENOENT;
    irq = spin_lock_irqsave(&domlist_lock);
    list_for_each(p, &domain_list) doms++;
    spin_unlock_irqrestore(&domlist_lock, irq);
    c->cpupool_id = 0;
    c->sched_id = scheduler_id();
    c->n_dom = doms;
    for (unsigned int i = 0; i < sizeof(map); i++)
        map[i] = (uint8_t)(cpu_online_map >> (8 * i));
    for (unsigned int off = 0; off < bytes; off++) {
        uint8_t b = off < sizeof(map) ? map[off] : 0;
        if (copy_to_guest((unsigned long)c->cpumap.bitmap.p + off, &b, 1))
            return -XEN_EFAULT;
    }
    return 0;
}

/*
 * XEN_SYSCTL_debug_keys (xl debug-keys): each key as if typed on the
 * console, in order. As Xen, a key bound to nothing is ignored; an
 * unreadable key ends the call with -EFAULT (Xen stops there too).
 */
static long debug_keys(const struct xen_sysctl_debug_keys *k)
{
    for (uint32_t i = 0; i < k->nr_keys; i++) {
        char c;

        if (copy_from_guest(&c, (unsigned long)k->keys.p + i, 1))
            return -XEN_EFAULT;
        handle_keypress(c);
    }
    return 0;
}

static long getcpuinfo(struct xen_sysctl_getcpuinfo *g)
{
    unsigned int n = MIN(g->max_cpus, max_cpu_id() + 1);

    for (unsigned int cpu = 0; cpu < n; cpu++) {
        struct xen_sysctl_cpuinfo ci = {.idletime = cpu_idle_time(cpu)};
        if (copy_to_guest((unsigned long)g->info.p + cpu * sizeof(ci), &ci, sizeof(ci)))
            return -XEN_EFAULT;
    }
    g->nr_cpus = n;
    return 0;
}

long do_sysctl(guest_ptr_t arg)
{
    struct xen_sysctl op;
    long rc;

    if (!current->domain->is_privileged)
        return -XEN_EPERM;
    if (copy_from_guest(&op, arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -XEN_EACCES;

    switch (op.cmd) {
    case XEN_SYSCTL_sched_id:
        op.u.sched_id.sched_id = scheduler_id();
        rc = 0;
        break;
    case XEN_SYSCTL_physinfo:
        physinfo(&op.u.physinfo);
        rc = 0;
        break;
    case XEN_SYSCTL_getdomaininfolist:
        rc = getdomaininfolist(&op.u.getdomaininfolist);
        break;
    case XEN_SYSCTL_readconsole:
        rc = readconsole(&op.u.readconsole);
        break;
    case XEN_SYSCTL_cputopoinfo:
        rc = cputopoinfo(&op.u.cputopoinfo);
        break;
    case XEN_SYSCTL_numainfo:
        rc = numainfo(&op.u.numainfo);
        break;
    case XEN_SYSCTL_cpupool_op:
        rc = cpupool_op(&op.u.cpupool_op);
        break;
    case XEN_SYSCTL_debug_keys:
        /* Nothing to copy back: Xen copies nothing either. */
        return debug_keys(&op.u.debug_keys);
    case XEN_SYSCTL_getcpuinfo:
        rc = getcpuinfo(&op.u.getcpuinfo);
        break;
    case XEN_SYSCTL_get_cpu_levelling_caps:
        op.u.cpu_levelling_caps.caps = 0; /* no masking MSRs, no CPUID faulting */
        rc = 0;
        break;
    case XEN_SYSCTL_get_cpu_featureset:
        rc = cpu_featureset_get(&op.u.cpu_featureset);
        /* "Buffer too small" still says how much was written, as Xen. */
        if (rc == -XEN_ENOBUFS && copy_to_guest(arg, &op, sizeof(op)))
            return -XEN_EFAULT;
        break;
    case XEN_SYSCTL_get_cpu_policy:
        rc = cpu_policy_get_system(&op.u.cpu_policy);
        break;
    case XEN_SYSCTL_tbuf_op:
        rc = trace_sysctl(&op.u.tbuf_op);
        break;
    case XEN_SYSCTL_perfc_op:
        rc = perfc_sysctl(&op.u.perfc_op);
        break;
    default:
        log_unimplemented_once("sysctl", op.cmd);
        return -XEN_ENOSYS;
    }
    if (rc)
        return rc;
    return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}
