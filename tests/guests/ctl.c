/*
 * pvtest ctl: the control interface (domctl and sysctl) from the control
 * domain's side, and from a domU that tries it. As dom0: domains are
 * created (ids, paused, no memory), described, paused and unpaused with
 * Xen's nesting, given limits and handles, and destroyed, twenty times
 * over, with the heap's free pages back where they were; the machine is
 * described (physinfo, topology, NUMA, the one CPU pool, idle time) and the
 * hypervisor's log is read. Misuse gets Xen's errnos. As a domU: every
 * call is -EPERM.
 */
#define __XEN_TOOLS__ 1 /* domctl.h and sysctl.h are the toolstack's interface */
#include "lib/pvclock.h"
#include "lib/pvmm.h"
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/sysctl.h>
#include <xen/vcpu.h>

const char pvtest_kernel_name[] = "ctl";

static bool privileged(void)
{
    return start_info->flags & SIF_INITDOMAIN;
}

static long domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
    op->cmd = cmd;
    op->domain = dom;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_domctl, op);
}

static long sysctl(struct xen_sysctl *op, uint32_t cmd)
{
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_sysctl, op);
}

static uint64_t free_pages(void)
{
    struct xen_sysctl op = {0};
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_physinfo), 0);
    return op.u.physinfo.free_pages;
}

/* getdomaininfo of exactly `dom` (the call answers the next id up). */
static long dominfo(domid_t dom, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op = {0};
    long rc = domctl(&op, XEN_DOMCTL_getdomaininfo, dom);

    *info = op.u.getdomaininfo;
    if (!rc && info->domain != dom)
        return -XEN_ESRCH;
    return rc;
}

static long create(domid_t asked, uint32_t vcpus, uint32_t flags, domid_t *got)
{
    struct xen_domctl op = {0};
    long rc;

    op.u.createdomain.max_vcpus = vcpus;
    op.u.createdomain.flags = flags;
    op.u.createdomain.max_grant_frames = -1;
    op.u.createdomain.max_maptrack_frames = -1;
    op.u.createdomain.max_evtchn_port = 1023; /* libxl's default */
    op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
    op.u.createdomain.handle[0] = 0xab;
    rc = domctl(&op, XEN_DOMCTL_createdomain, asked);
    *got = op.domain;
    return rc;
}

static long simple(uint32_t cmd, domid_t dom)
{
    struct xen_domctl op = {0};
    return domctl(&op, cmd, dom);
}

/* Destroyed domains leave the list once the reaper has run. */
static bool wait_gone(domid_t dom)
{
    struct xen_domctl_getdomaininfo info;

    for (int i = 0; i < 100000; i++) {
        if (dominfo(dom, &info) == -XEN_ESRCH)
            return true;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return false;
}

static long remote_shutdown(domid_t dom, unsigned int reason)
{
    struct sched_remote_shutdown r = {.domain_id = dom, .reason = reason};
    return HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &r);
}

PVTEST(unprivileged_callers_refused)
{
    struct xen_domctl d = {0};
    struct xen_sysctl s = {0};
    domid_t got;

    if (privileged())
        return;
    CHECK_EQ(remote_shutdown(0, SHUTDOWN_poweroff), -XEN_EPERM);
    CHECK_EQ(remote_shutdown(0x7000, SHUTDOWN_poweroff), -XEN_ESRCH);
    CHECK_EQ(create(0, 1, 0, &got), -XEN_EPERM);
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, 0), -XEN_EPERM);
    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, 0), -XEN_EPERM);
    CHECK_EQ(domctl(&d, XEN_DOMCTL_max_mem, 0), -XEN_EPERM);
    CHECK_EQ(domctl(&d, XEN_DOMCTL_getvcpucontext, 0), -XEN_EPERM);
    CHECK_EQ(sysctl(&s, XEN_SYSCTL_physinfo), -XEN_EPERM);
    CHECK_EQ(sysctl(&s, XEN_SYSCTL_readconsole), -XEN_EPERM);
    CHECK_EQ(sysctl(&s, XEN_SYSCTL_getdomaininfolist), -XEN_EPERM);
    CHECK_EQ(domctl(&d, XEN_DOMCTL_set_cpu_policy, 0), -XEN_EPERM);
    CHECK_EQ(domctl(&d, XEN_DOMCTL_settscinfo, 0), -XEN_EPERM);
    CHECK_EQ(domctl(&d, XEN_DOMCTL_setnodeaffinity, 0), -XEN_EPERM);
    CHECK_EQ(domctl(&d, XEN_DOMCTL_set_address_size, 0), -XEN_EPERM);
    CHECK_EQ(sysctl(&s, XEN_SYSCTL_get_cpu_policy), -XEN_EPERM);
    CHECK_EQ(sysctl(&s, XEN_SYSCTL_get_cpu_featureset), -XEN_EPERM);
    CHECK_EQ(sysctl(&s, XEN_SYSCTL_debug_keys), -XEN_EPERM);
}

static long evtchn_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static long port_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    st->dom = dom;
    st->port = port;
    return evtchn_op(EVTCHNOP_status, st);
}

/*
 * A boot-time domU's console, served by the hypervisor, goes over to the
 * control domain when it binds the console's port (dom0's console daemon
 * takes it so): the domU sees its port become dom0's, and dom0 can let it
 * go again. The domU waits here until that happened (or 20 s).
 */
PVTEST(a_boot_console_goes_to_the_control_domain)
{
    struct evtchn_status st;

    if (!privileged()) {
        evtchn_port_t mine = start_info->console.domU.evtchn;
        struct evtchn_alloc_unbound done = {.dom = DOMID_SELF, .remote_dom = 0};
        bool moved = false, told = false;

        /* dom0 binds this one when it has looked at the console's port for
         * the last time: until then this domain must stay. */
        CHECK_EQ(evtchn_op(EVTCHNOP_alloc_unbound, &done), 0);
        CHECK_EQ(port_status(DOMID_SELF, mine, &st), 0);
        for (int i = 0; i < 2000000 && !moved; i++) {
            CHECK_EQ(port_status(DOMID_SELF, mine, &st), 0);
            moved = st.status != EVTCHNSTAT_unbound || st.u.unbound.dom != DOMID_XEN;
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        }
        CHECK(moved);
        for (int i = 0; i < 4000000 && !told; i++) {
            CHECK_EQ(port_status(DOMID_SELF, done.port, &st), 0);
            told = st.status == EVTCHNSTAT_interdomain;
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        }
        CHECK(told);
        return;
    }
    {
        struct evtchn_bind_interdomain b = {.remote_dom = 1};
        struct evtchn_close cl = {0};
        evtchn_port_t p;

        for (p = 1; p < 64; p++)
            if (!port_status(1, p, &st) && st.status == EVTCHNSTAT_unbound &&
                st.u.unbound.dom == DOMID_XEN)
                break;
        CHECK(p < 64); /* the hypervisor serves domain 1's console */
        b.remote_port = p;
        CHECK_EQ(evtchn_op(EVTCHNOP_bind_interdomain, &b), 0);
        CHECK_EQ(port_status(1, p, &st), 0);
        CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
        CHECK_EQ(st.u.interdomain.dom, 0);
        CHECK_EQ(st.u.interdomain.port, b.local_port);
        cl.port = b.local_port;
        CHECK_EQ(evtchn_op(EVTCHNOP_close, &cl), 0); /* ours to let go */
        CHECK_EQ(port_status(1, p, &st), 0);
        CHECK_EQ(st.status, EVTCHNSTAT_unbound);
        CHECK_EQ(st.u.unbound.dom, 0);
        CHECK_EQ(evtchn_op(EVTCHNOP_bind_interdomain, &b), 0); /* and to take again */
        cl.port = b.local_port;
        CHECK_EQ(evtchn_op(EVTCHNOP_close, &cl), 0);
        /* Done with it: the domU may go on. Besides the console's, the one
         * port it has unbound for us (this machine gives it no store port)
         * is its word: bound, and left bound, since the domU polls it. */
        evtchn_port_t word = 0;

        for (int tries = 0; tries < 100000 && !word; tries++) {
            for (evtchn_port_t q = 1; q < 64; q++)
                if (q != b.remote_port && !port_status(1, q, &st) &&
                    st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0)
                    word = q;
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        }
        CHECK(word != 0);
        b.remote_port = word;
        CHECK_EQ(evtchn_op(EVTCHNOP_bind_interdomain, &b), 0);
    }
}

PVTEST(machine_description)
{
    struct xen_sysctl op = {0};
    struct xen_sysctl_cputopo topo[8];
    struct xen_sysctl_meminfo mem;
    uint32_t dist = 0;
    uint8_t map[8] = {0};
    struct xen_sysctl_cpuinfo ci[8];
    unsigned long pcpus = parse_num(cmdline_option("pcpus"));

    if (!privileged())
        return;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_physinfo), 0);
    CHECK_EQ(op.u.physinfo.nr_cpus, pcpus);
    CHECK_EQ(op.u.physinfo.max_cpu_id, pcpus - 1);
    CHECK_EQ(op.u.physinfo.nr_nodes, 1);
    CHECK(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_pv);
    CHECK(!(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_hvm));
    CHECK(op.u.physinfo.free_pages > 0);
    CHECK(op.u.physinfo.total_pages > op.u.physinfo.free_pages);
    CHECK(op.u.physinfo.cpu_khz > 0);

    memset(&op, 0, sizeof(op));
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_cputopoinfo), 0); /* NULL: how many */
    CHECK_EQ(op.u.cputopoinfo.num_cpus, pcpus);
    op.u.cputopoinfo.cputopo.p = topo;
    op.u.cputopoinfo.num_cpus = 8;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_cputopoinfo), 0);
    CHECK_EQ(topo[pcpus - 1].core, pcpus - 1);
    CHECK_EQ(topo[0].node, 0);

    memset(&op, 0, sizeof(op));
    op.u.numainfo.num_nodes = 1;
    op.u.numainfo.meminfo.p = &mem;
    op.u.numainfo.distance.p = &dist;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_numainfo), 0);
    CHECK_EQ(op.u.numainfo.num_nodes, 1);
    CHECK(mem.memfree > 0 && mem.memsize >= mem.memfree);
    CHECK_EQ(dist, 10);

    memset(&op, 0, sizeof(op));
    op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
    op.u.cpupool_op.cpumap.bitmap.p = map;
    op.u.cpupool_op.cpumap.nr_bits = 64;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_cpupool_op), 0);
    CHECK_EQ(op.u.cpupool_op.cpupool_id, 0);
    CHECK_EQ(map[0], (1u << pcpus) - 1);
    CHECK(op.u.cpupool_op.n_dom >= 1);
    op.u.cpupool_op.cpupool_id = 1;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_cpupool_op), -XEN_ENOENT);

    memset(&op, 0, sizeof(op));
    op.u.getcpuinfo.max_cpus = 8;
    op.u.getcpuinfo.info.p = ci;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_getcpuinfo), 0);
    CHECK_EQ(op.u.getcpuinfo.nr_cpus, pcpus);
}

PVTEST(reading_the_log)
{
    static char buf[512];
    struct xen_sysctl op = {0};
    uint32_t index;

    if (!privileged())
        return;
    op.u.readconsole.buffer.p = buf;
    op.u.readconsole.count = sizeof(buf) - 1;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_readconsole), 0);
    CHECK_EQ(op.u.readconsole.count, sizeof(buf) - 1); /* the log is longer than that */
    buf[op.u.readconsole.count] = 0;
    CHECK(!memcmp(buf, "\nParavane hypervisor", 20)); /* from the first line on */
    /* Incrementally, to the end: the last thing logged is there. */
    index = op.u.readconsole.index;
    for (int i = 0; i < 100; i++) {
        op.u.readconsole.incremental = 1;
        op.u.readconsole.index = index;
        op.u.readconsole.count = sizeof(buf) - 1;
        CHECK_EQ(sysctl(&op, XEN_SYSCTL_readconsole), 0);
        CHECK_EQ(op.u.readconsole.index, index + op.u.readconsole.count);
        index = op.u.readconsole.index;
        if (op.u.readconsole.count < sizeof(buf) - 1)
            break;
    }
    buf[op.u.readconsole.count] = 0;
    CHECK(op.u.readconsole.count > 0);
}

/* The log from `index` on into buf (count: how much came); the index after. */
static uint32_t read_log_from(uint32_t index, char *buf, uint32_t size, uint32_t *count)
{
    struct xen_sysctl op = {0};

    op.u.readconsole.buffer.p = buf;
    op.u.readconsole.count = size;
    op.u.readconsole.incremental = 1;
    op.u.readconsole.index = index;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_readconsole), 0);
    *count = op.u.readconsole.count;
    return op.u.readconsole.index;
}

/* Whether `needle` occurs in the first n bytes of `hay`. */
static bool contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);

    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return true;
    return false;
}

/*
 * XEN_SYSCTL_debug_keys (xl debug-keys): 'f' prints the MMU counters into
 * the log (lbench reads them so in make bench), a key bound to nothing is
 * ignored, and a keys pointer the caller cannot read is -EFAULT.
 */
PVTEST(debug_keys_print_the_mmu_counters)
{
    static char buf[1024];
    static const char keys[] = "f~";
    struct xen_sysctl op = {0};
    uint32_t index = 0, count;
    bool found = false;

    if (!privileged())
        return;
    /* Where the log ends now. */
    for (int i = 0; i < 1000; i++) {
        index = read_log_from(index, buf, sizeof(buf), &count);
        if (count < sizeof(buf))
            break;
    }
    memset(&op, 0, sizeof(op));
    op.u.debug_keys.keys.p = keys;
    op.u.debug_keys.nr_keys = 2; /* '~' is no key: ignored */
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_debug_keys), 0);
    for (int i = 0; i < 20 && !found; i++) {
        index = read_log_from(index, buf, sizeof(buf), &count);
        found = contains(buf, count, "flushstat total cr3=");
        if (count < sizeof(buf))
            break;
        index -= 64; /* a line may straddle two reads */
    }
    CHECK(found);
    /* Nothing asked, nothing done; an address that is not the caller's. */
    memset(&op, 0, sizeof(op));
    op.u.debug_keys.keys.p = keys;
    op.u.debug_keys.nr_keys = 0;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_debug_keys), 0);
    op.u.debug_keys.keys.p = (const char *)0xffff830000000000ul; /* the direct map */
    op.u.debug_keys.nr_keys = 1;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_debug_keys), -XEN_EFAULT);
    op.u.debug_keys.keys.p = (const char *)0x7ffffffff000ul; /* unmapped */
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_debug_keys), -XEN_EFAULT);
}

PVTEST(create_describe_destroy)
{
    struct xen_domctl op = {0};
    struct xen_domctl_getdomaininfo info;
    domid_t d, e;

    if (!privileged())
        return;
    CHECK_EQ(create(0, 2, 0, &d), 0);
    CHECK(d >= 1);
    CHECK_EQ(dominfo(d, &info), 0);
    CHECK(info.flags & XEN_DOMINF_paused); /* as Xen: created paused */
    CHECK(!(info.flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown)));
    CHECK_EQ(info.max_vcpu_id, 1);
    CHECK_EQ(info.nr_online_vcpus, 0);
    CHECK_EQ(info.tot_pages, 0);
    CHECK_EQ(info.handle[0], 0xab);
    /* Ids: the one asked for, refused when taken; bad requests. */
    CHECK_EQ(create(d, 1, 0, &e), -XEN_EEXIST);
    CHECK_EQ(create(0, 1, XEN_DOMCTL_CDF_hvm, &e), -XEN_EINVAL);
    CHECK_EQ(create(0, 0, 0, &e), -XEN_EINVAL);
    CHECK_EQ(create(0, 1000, 0, &e), -XEN_EINVAL);
    CHECK_EQ(create(0x7ff0, 1, 0, &e), 0); /* reserved: any free id instead */
    CHECK(e != d && e < 0x7ff0);
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, e), 0);

    /* Limits and names. */
    op.u.max_mem.max_memkb = 65536;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_mem, d), 0);
    CHECK_EQ(dominfo(d, &info), 0);
    CHECK_EQ(info.max_pages, 16384);
    memset(&op, 0, sizeof(op));
    memset(op.u.setdomainhandle.handle, 0x5a, sizeof(op.u.setdomainhandle.handle));
    CHECK_EQ(domctl(&op, XEN_DOMCTL_setdomainhandle, d), 0);
    CHECK_EQ(dominfo(d, &info), 0);
    CHECK_EQ(info.handle[15], 0x5a);
    memset(&op, 0, sizeof(op));
    op.u.settimeoffset.time_offset_seconds = -3600;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_settimeoffset, d), 0);

    /* vCPUs: down until given a context; past the last one, none. */
    memset(&op, 0, sizeof(op));
    op.u.getvcpuinfo.vcpu = 1;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpuinfo, d), 0);
    CHECK_EQ(op.u.getvcpuinfo.online, 0);
    CHECK_EQ(op.u.getvcpuinfo.running, 0);
    op.u.getvcpuinfo.vcpu = 2;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpuinfo, d), -XEN_ESRCH);
    /* max_vcpus: what createdomain gave (libxl asks), nothing else. */
    memset(&op, 0, sizeof(op));
    op.u.max_vcpus.max = 2;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_vcpus, d), 0);
    op.u.max_vcpus.max = 3;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_vcpus, d), -XEN_EINVAL);
    {
        static struct vcpu_guest_context ctx;
        memset(&op, 0, sizeof(op));
        op.u.vcpucontext.vcpu = 5;
        op.u.vcpucontext.ctxt.p = &ctx;
        CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpucontext, d), -XEN_EINVAL);
        op.u.vcpucontext.vcpu = 0;
        CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpucontext, d), 0);
        CHECK_EQ(ctx.flags & VGCF_online, 0);
        /* A context whose page tables are not the domain's. */
        ctx.ctrlreg[3] = 0x200UL << 12;
        ctx.user_regs.rip = 0xffffffff80100000UL;
        CHECK_EQ(domctl(&op, XEN_DOMCTL_setvcpucontext, d), -XEN_EINVAL);
    }

    /* Pausing nests, as Xen's controller pause count. */
    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, d), 0); /* 2 */
    CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, d), 0);
    CHECK_EQ(dominfo(d, &info), 0);
    CHECK(info.flags & XEN_DOMINF_paused);
    CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, d), 0);
    CHECK_EQ(dominfo(d, &info), 0);
    CHECK(!(info.flags & XEN_DOMINF_paused));
    CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, d), -XEN_EINVAL);
    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, 0), -XEN_EINVAL); /* ourselves */

    /* The list as xl list reads it: dom0 first, then ours. */
    {
        static struct xen_domctl_getdomaininfo list[4];
        struct xen_sysctl s = {0};
        s.u.getdomaininfolist.first_domain = 0;
        s.u.getdomaininfolist.max_domains = 4;
        s.u.getdomaininfolist.buffer.p = list;
        CHECK_EQ(sysctl(&s, XEN_SYSCTL_getdomaininfolist), 0);
        CHECK(s.u.getdomaininfolist.num_domains >= 2);
        CHECK_EQ(list[0].domain, 0);
        CHECK(list[1].domain > 0);
    }

    /* Ended by the control domain: shut down with the reason it gave,
     * and (made by it) kept until destroyed, as on Xen. */
    CHECK_EQ(remote_shutdown(d, SHUTDOWN_MAX + 1), -XEN_EINVAL);
    CHECK_EQ(remote_shutdown(d, SHUTDOWN_reboot), 0);
    CHECK_EQ(dominfo(d, &info), 0);
    CHECK(info.flags & XEN_DOMINF_shutdown);
    CHECK_EQ((info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask, SHUTDOWN_reboot);

    /* Destroy: gone once the reaper has run, every frame back. */
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, d), 0);
    {
        long again = simple(XEN_DOMCTL_destroydomain, d); /* dying, or already gone */
        CHECK(again == 0 || again == -XEN_ESRCH);
    }
    CHECK(wait_gone(d));
    CHECK(wait_gone(e));
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, d), -XEN_ESRCH);
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, 0), -XEN_EINVAL); /* ourselves */
}

/* After the first domain (which grew the hypervisor's allocator pools). */
/* The index of (leaf, subleaf) in a serialised CPU policy, or -1. */
static int find_leaf(const xen_cpuid_leaf_t *l, unsigned int n, uint32_t leaf, uint32_t sub)
{
    for (unsigned int i = 0; i < n; i++)
        if (l[i].leaf == leaf && l[i].subleaf == sub)
            return (int)i;
    return -1;
}

static xen_cpuid_leaf_t policy[120], sent[120];

/* set_cpu_policy of `n` leaves on d; err_leaf/err_subleaf into *err. */
static long set_policy(domid_t d, xen_cpuid_leaf_t *l, unsigned int n, uint32_t err[2])
{
    struct xen_domctl op = {0};
    long rc;

    op.u.cpu_policy.nr_leaves = n;
    op.u.cpu_policy.leaves.p = l;
    rc = domctl(&op, XEN_DOMCTL_set_cpu_policy, d);
    err[0] = op.u.cpu_policy.err_leaf;
    err[1] = op.u.cpu_policy.err_subleaf;
    return rc;
}

/*
 * What libxl asks of a new domain before building it, with Xen's answers:
 * its CPU policy (read, narrowed, refused when widened or changed, fixed
 * once it has run), TSC mode, NUMA node affinity, address size.
 */
PVTEST(new_domain_settings)
{
    struct xen_domctl op = {0};
    uint32_t err[2], nodes = 0;
    unsigned int n;
    int one, zero;
    domid_t d;

    if (!privileged())
        return;
    CHECK_EQ(create(0, 1, 0, &d), 0);
    /* The policy: sizes, then the leaves; the domain's is the PV default. */
    CHECK_EQ(domctl(&op, XEN_DOMCTL_get_cpu_policy, d), 0);
    CHECK_EQ(op.u.cpu_policy.nr_leaves, 120);
    CHECK_EQ(op.u.cpu_policy.nr_msrs, 2);
    op.u.cpu_policy.nr_leaves = 2;
    op.u.cpu_policy.nr_msrs = 0;
    op.u.cpu_policy.leaves.p = policy;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_get_cpu_policy, d), -XEN_ENOBUFS);
    op.u.cpu_policy.nr_leaves = 120;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_get_cpu_policy, d), 0);
    n = op.u.cpu_policy.nr_leaves;
    one = find_leaf(policy, n, 1, XEN_CPUID_NO_SUBLEAF);
    zero = find_leaf(policy, n, 0, XEN_CPUID_NO_SUBLEAF);
    CHECK(n > 4 && one >= 0 && zero >= 0);
    if (one < 0 || zero < 0)
        return;
    CHECK(policy[one].c & (1u << 31));    /* hypervisor */
    CHECK(!(policy[one].d & (1u << 13))); /* PGE hidden, as guest_cpuid */
    /* Widening or changing it is refused, naming the leaf. */
    memcpy(sent, policy, sizeof(sent));
    sent[zero].a++;
    CHECK_EQ(set_policy(d, sent, n, err), -XEN_EINVAL);
    CHECK_EQ(err[0], 0);
    CHECK_EQ(err[1], XEN_CPUID_NO_SUBLEAF);
    memcpy(sent, policy, sizeof(sent));
    sent[one].b ^= 1u << 8; /* CLFLUSH line size: data, not a feature */
    CHECK_EQ(set_policy(d, sent, n, err), -XEN_EINVAL);
    CHECK_EQ(err[0], 1);
    memcpy(sent, policy, sizeof(sent));
    sent[0].leaf = 0x20; /* no such leaf in Xen's layout */
    CHECK_EQ(set_policy(d, sent, n, err), -XEN_ERANGE);
    CHECK_EQ(err[0], 0x20);
    CHECK_EQ(set_policy(d, sent, 121, err), -XEN_E2BIG);
    /* A feature it has not: clamped away. One it has: taken away. */
    memcpy(sent, policy, sizeof(sent));
    sent[one].d |= 1u << 13;    /* PGE */
    sent[one].d &= ~(1u << 28); /* HTT */
    CHECK_EQ(set_policy(d, sent, n, err), 0);
    op.u.cpu_policy.nr_leaves = 120;
    op.u.cpu_policy.leaves.p = sent;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_get_cpu_policy, d), 0);
    CHECK_EQ(sent[one].d, policy[one].d & ~(1u << 28));
    /* TSC: native modes only; the control domain's own is not for it. */
    memset(&op, 0, sizeof(op));
    op.u.tsc_info.tsc_mode = 1; /* always emulate */
    CHECK_EQ(domctl(&op, XEN_DOMCTL_settscinfo, d), -XEN_EOPNOTSUPP);
    op.u.tsc_info.tsc_mode = 3; /* removed PVRDTSCP */
    CHECK_EQ(domctl(&op, XEN_DOMCTL_settscinfo, d), -XEN_EINVAL);
    op.u.tsc_info.tsc_mode = 2;
    op.u.tsc_info.incarnation = 6;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_settscinfo, d), 0);
    CHECK_EQ(domctl(&op, XEN_DOMCTL_settscinfo, 0), -XEN_EINVAL); /* its own */
    memset(&op, 0, sizeof(op));
    CHECK_EQ(domctl(&op, XEN_DOMCTL_gettscinfo, d), 0);
    CHECK_EQ(op.u.tsc_info.tsc_mode, 2);
    CHECK_EQ(op.u.tsc_info.incarnation, 7);
    /* Node affinity: one node, 0; a map without it is refused. */
    memset(&op, 0, sizeof(op));
    nodes = 2;
    op.u.nodeaffinity.nodemap.nr_bits = 8;
    op.u.nodeaffinity.nodemap.bitmap.p = (uint8_t *)&nodes;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_setnodeaffinity, d), -XEN_EINVAL);
    nodes = 3;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_setnodeaffinity, d), 0);
    nodes = 0xff;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getnodeaffinity, d), 0);
    CHECK_EQ(nodes, 1);
    /* Address size: 64-bit guests only. */
    memset(&op, 0, sizeof(op));
    op.u.address_size.size = 32;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_set_address_size, d), -XEN_EOPNOTSUPP);
    op.u.address_size.size = 48;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_set_address_size, d), -XEN_EINVAL);
    op.u.address_size.size = 64;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_set_address_size, d), 0);
    op.u.address_size.size = 0;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_get_address_size, d), 0);
    CHECK_EQ(op.u.address_size.size, 64);
    /* Once it has been let run, its policy stays as it is. */
    CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, d), 0);
    CHECK_EQ(set_policy(d, policy, n, err), -XEN_EEXIST);
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, d), 0);
    CHECK(wait_gone(d));
}

PVTEST(twenty_cycles_lose_nothing)
{
    uint64_t before;
    domid_t d;
    int ok = 0;

    if (!privileged())
        return;
    /* A boot-time domU beside us returns its memory when it ends: first. */
    CHECK(wait_gone(1));
    before = free_pages();
    for (int i = 0; i < 20; i++) {
        struct xen_domctl op = {0};
        if (create(0, 4, 0, &d))
            break;
        op.u.max_mem.max_memkb = 1 << 20;
        simple(XEN_DOMCTL_unpausedomain, d);
        domctl(&op, XEN_DOMCTL_max_mem, d);
        if (simple(XEN_DOMCTL_destroydomain, d) || !wait_gone(d))
            break;
        ok++;
    }
    CHECK_EQ(ok, 20);
    CHECK_EQ(free_pages(), before);
}

/*
 * A destroyed domain whose frame the control domain still maps: it stays,
 * dying, with that frame counted, and calls naming it get an error and
 * change nothing; the frame stays ours to read. Once the mapping goes it
 * is gone, and every frame is back.
 */
static uint8_t window[4096] __attribute__((aligned(4096)));

static long map_window(unsigned long mfn, domid_t owner)
{
    return hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, window,
                      (mfn << 12) | 0x67 /* P RW US A D */, UVMF_INVLPG, owner);
}

PVTEST(a_dying_domain_lingers_while_its_frame_is_mapped)
{
    struct xen_domctl op = {0};
    struct xen_domctl_getdomaininfo info;
    unsigned long own = mfn_of(window);
    xen_pfn_t frames[2] = {0, 1};
    struct xen_memory_reservation r = {.nr_extents = 2, .domid = 0};
    uint64_t before;
    domid_t d, e;
    int i;
    evtchn_port_t exc;
    struct shared_info *si = pvtest_dom_exc(&exc); /* wait=1 bound it */

    if (!privileged())
        return;
    CHECK(si != NULL);
    if (!si)
        return;
    evtchn_take_pending(si, exc);
    /* Delivered to another vCPU, as Linux moves it: still raised. */
    {
        struct evtchn_bind_vcpu to1 = {.port = exc, .vcpu = 1};
        CHECK_EQ(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_vcpu, &to1), 0);
    }
    before = free_pages();
    CHECK_EQ(create(0, 1, 0, &d), 0);
    op.u.max_mem.max_memkb = 64;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_mem, d), 0);
    r.domid = d;
    set_xen_guest_handle(r.extent_start, frames);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 2);
    CHECK_EQ(map_window(frames[0], d), 0);
    memset(window, 0x5c, sizeof(window));

    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, d), 0);
    for (i = 0; i < 100000; i++) {
        if (dominfo(d, &info) || (info.flags & XEN_DOMINF_dying && info.tot_pages == 1))
            break;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    CHECK_EQ(dominfo(d, &info), 0); /* still there... */
    CHECK(info.flags & XEN_DOMINF_dying);
    CHECK_EQ(info.tot_pages, 1); /* ...holding the one frame we map */
    CHECK(evtchn_take_pending(si, exc));
    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, d), -XEN_EINVAL);
    CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, d), -XEN_EINVAL);
    CHECK_EQ(create(d, 1, 0, &e), -XEN_EEXIST); /* its id is not free yet */
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), -XEN_ESRCH);
    CHECK_EQ(map_window(frames[1], d), -XEN_ESRCH);
    {
        static struct vcpu_guest_context ctx;
        memset(&op, 0, sizeof(op));
        op.u.vcpucontext.ctxt.p = &ctx;
        CHECK_EQ(domctl(&op, XEN_DOMCTL_setvcpucontext, d), -XEN_EINVAL);
    }
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, d), 0); /* on its way already */
    CHECK_EQ(window[4095], 0x5c);                     /* the frame was not freed under us */
    CHECK_EQ(dominfo(d, &info), 0);
    CHECK_EQ(info.tot_pages, 1);

    CHECK_EQ(map_window(own, DOMID_SELF), 0); /* our mapping goes: the domain with it */
    CHECK(wait_gone(d));
    CHECK(evtchn_take_pending(si, exc));
    CHECK_EQ(free_pages(), before);
    {
        struct evtchn_bind_vcpu to0 = {.port = exc, .vcpu = 0};
        CHECK_EQ(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_vcpu, &to0), 0);
    }
}

PVTEST(misuse)
{
    struct xen_domctl op = {0};

    if (!privileged())
        return;
    op.cmd = XEN_DOMCTL_getdomaininfo;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
    CHECK_EQ(hypercall1(__HYPERVISOR_domctl, &op), -XEN_EACCES);
    CHECK_EQ(simple(XEN_DOMCTL_gdbsx_guestmemio, 0), -XEN_ENOSYS);
    CHECK_EQ(simple(9999, 0), -XEN_ENOSYS);
    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, 0x7000), -XEN_ESRCH);
    CHECK_EQ(hypercall1(__HYPERVISOR_domctl, 0xdead000UL), -XEN_EFAULT);
}
