/*
 * pvtest stat: the counters (PARAVANE_DOMCTL_perfc, XEN_SYSCTL_perfc_op).
 *
 * role=worker (a domU): executes a known number of forced-emulation
 * CPUIDs, RDMSRs, HLTs (refused: each is a #GP it catches), xen_version
 * hypercalls, a multicall of xen_version entries and event-channel sends,
 * then one get_debugreg hypercall as the marker that it is done, and
 * blocks for good. Counts come from the command line (cpuid=, rdmsr=,
 * hc=, hlt=, mc=, sends=), with the defaults below; `vane stat` is
 * checked against the same numbers (tests/linux/check.sh's vane_stat).
 *
 * role=reader (dom0, domid=N): waits for domain N's marker, then reads
 * its counters and checks each number exactly; checks its own counters'
 * deltas around known work, the call's errors, Xen's perfc_op as xenperf
 * issues it (counts, names, values, reset), and resets N's counters;
 * then destroys N. A domU calling either gets -EPERM.
 */
#define __XEN_TOOLS__ 1
#include "lib/pvtest.h"
#include <paravane/perfc.h>
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/sysctl.h>
#include <xen/version.h>

const char pvtest_kernel_name[] = "stat";

#define MSR_IA32_MISC_ENABLE 0x1a0

static unsigned long opt(const char *name, unsigned long dflt)
{
    const char *s = cmdline_option(name);
    return s ? parse_num(s) : dflt;
}

static bool is_role(const char *r)
{
    const char *s = cmdline_option("role");
    size_t n = strlen(r);
    return s && !memcmp(s, r, n) && (s[n] == ' ' || s[n] == '\0');
}

static void forced_cpuid(uint32_t leaf)
{
    uint32_t a = leaf, b, c = 0, d;
    __asm__ volatile("ud2; .ascii \"xen\"; cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static long perfc(domid_t dom, uint32_t cmd, struct paravane_perfc *buf, uint32_t size,
                  struct paravane_domctl_perfc *out)
{
    struct xen_domctl op = {0};
    struct paravane_domctl_perfc *p = (struct paravane_domctl_perfc *)&op.u;
    long rc;

    p->cmd = cmd;
    p->size = size;
    set_xen_guest_handle(p->buffer, (uint8_t *)buf);
    op.cmd = PARAVANE_DOMCTL_perfc;
    op.domain = dom;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    rc = hypercall1(__HYPERVISOR_domctl, &op);
    if (out)
        *out = *p;
    return rc;
}

static long perfc_op(uint32_t cmd, struct xen_sysctl_perfc_desc *desc, uint32_t *val,
                     struct xen_sysctl_perfc_op *out)
{
    struct xen_sysctl op = {0};
    long rc;

    op.cmd = XEN_SYSCTL_perfc_op;
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    op.u.perfc_op.cmd = cmd;
    set_xen_guest_handle(op.u.perfc_op.desc, desc);
    set_xen_guest_handle(op.u.perfc_op.val, val);
    rc = hypercall1(__HYPERVISOR_sysctl, &op);
    *out = op.u.perfc_op;
    return rc;
}

/* The worker's numbers (the reader is given the same command line words). */
#define N_CPUID opt("cpuid", 1000)
#define N_RDMSR opt("rdmsr", 300)
#define N_HC    opt("hc", 200)
#define N_HLT   opt("hlt", 5)
#define N_MC    opt("mc", 3)
#define N_SENDS opt("sends", 7)

PVTEST(worker)
{
    struct multicall_entry mc[8] = {0};
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = 0};
    struct evtchn_send s;
    struct paravane_perfc buf;
    unsigned long n, gps = 0;

    if (!is_role("worker"))
        return;
    /* Not the control domain: the counters are not ours to read. */
    CHECK_EQ(perfc(DOMID_SELF, PARAVANE_PERFC_query, &buf, sizeof(buf), NULL), -XEN_EPERM);
    CHECK_EQ(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, &a), 0);
    s.port = a.port;

    for (n = N_CPUID; n; n--)
        forced_cpuid(0);
    for (n = N_RDMSR; n; n--)
        rdmsr(MSR_IA32_MISC_ENABLE);
    for (n = N_HLT; n; n--) {
        EXPECT_TRAP("hlt");
        gps += last_trap.vector == 13 && last_trap.count == 1;
    }
    for (n = N_HC; n; n--)
        HYPERVISOR_xen_version(XENVER_version, NULL);
    n = N_MC < 8 ? N_MC : 8;
    for (unsigned long i = 0; i < n; i++)
        mc[i].op = __HYPERVISOR_xen_version; /* args 0, 0: XENVER_version */
    CHECK_EQ(HYPERVISOR_multicall(mc, n), 0);
    for (n = N_SENDS; n; n--)
        hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &s);
    CHECK_EQ(gps, N_HLT);
    printk("pvtest stat: worker done, %lu cpuid %lu rdmsr %lu hlt %lu xen_version\n", N_CPUID,
           N_RDMSR, N_HLT, N_HC);
    /* The marker, the last thing counted; then nothing more. */
    HYPERVISOR_get_debugreg(7);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

static struct paravane_perfc got;

/* Domain dom's counters; false (and a failure) if they cannot be read. */
static bool read_counters(domid_t dom, struct paravane_perfc *c)
{
    struct paravane_domctl_perfc out;
    long rc = perfc(dom, PARAVANE_PERFC_query, c, sizeof(*c), &out);

    CHECK_EQ(rc, 0);
    CHECK_EQ(out.size, sizeof(*c));
    CHECK_EQ(out.version, PARAVANE_PERFC_VERSION);
    return rc == 0;
}

PVTEST(reader_worker_counts)
{
    domid_t dom = (domid_t)opt("domid", 1);
    unsigned long i;

    if (!is_role("reader"))
        return;
    for (i = 0; i < 1000000; i++) {
        if (!read_counters(dom, &got))
            return;
        if (got.hypercalls[__HYPERVISOR_get_debugreg])
            break;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    CHECK(i < 1000000);
    printk("pvtest stat: d%u: %lu cpuid, %lu rdmsr, %lu hlt, %lu xen_version, %lu in a multicall, "
           "%lu sends\n",
           dom, got.privops[PARAVANE_PERFC_PRIVOP_cpuid], got.privops[PARAVANE_PERFC_PRIVOP_rdmsr],
           got.privops[PARAVANE_PERFC_PRIVOP_hlt], got.hypercalls[__HYPERVISOR_xen_version],
           got.multicall_calls[__HYPERVISOR_xen_version], got.evtchn_sends);
    CHECK_EQ(got.privops[PARAVANE_PERFC_PRIVOP_cpuid], N_CPUID);
    CHECK_EQ(got.privops[PARAVANE_PERFC_PRIVOP_rdmsr], N_RDMSR);
    CHECK_EQ(got.privops[PARAVANE_PERFC_PRIVOP_hlt], N_HLT);
    CHECK_EQ(got.privops_refused, N_HLT);
    CHECK_EQ(got.exceptions[13], N_HLT);
    CHECK_EQ(got.privops[PARAVANE_PERFC_PRIVOP_wrmsr], 0);
    CHECK_EQ(got.hypercalls[__HYPERVISOR_xen_version], N_HC);
    /* (Once more each time it was preempted and continued itself.) */
    CHECK(got.hypercalls[__HYPERVISOR_multicall] >= 1);
    CHECK_EQ(got.multicall_calls[__HYPERVISOR_xen_version], N_MC);
    CHECK_EQ(got.hypercalls[__HYPERVISOR_get_debugreg], 1);
    CHECK_EQ(got.hypercalls[__HYPERVISOR_domctl], 1); /* its refused read */
    CHECK_EQ(got.evtchn_sends, N_SENDS);
    /* Each HLT's #GP came back through iret, and the multicall's. */
    CHECK(got.hypercalls[__HYPERVISOR_iret] >= N_HLT);
}

PVTEST(reader_own_deltas)
{
    struct paravane_perfc *a = &got, b;

    if (!is_role("reader"))
        return;
    if (!read_counters(0, a))
        return;
    for (int i = 0; i < 17; i++)
        forced_cpuid(1);
    for (int i = 0; i < 5; i++)
        rdmsr(MSR_IA32_MISC_ENABLE);
    HYPERVISOR_xen_version(XENVER_version, NULL);
    if (!read_counters(0, &b))
        return;
    CHECK_EQ(b.privops[PARAVANE_PERFC_PRIVOP_cpuid] - a->privops[PARAVANE_PERFC_PRIVOP_cpuid], 17);
    CHECK_EQ(b.privops[PARAVANE_PERFC_PRIVOP_rdmsr] - a->privops[PARAVANE_PERFC_PRIVOP_rdmsr], 5);
    CHECK_EQ(b.hypercalls[__HYPERVISOR_xen_version] - a->hypercalls[__HYPERVISOR_xen_version], 1);
    /* The second read was counted before it ran. */
    CHECK_EQ(b.hypercalls[__HYPERVISOR_domctl] - a->hypercalls[__HYPERVISOR_domctl], 1);
}

PVTEST(reader_errors)
{
    struct paravane_domctl_perfc out;
    struct xen_domctl op = {0};
    struct paravane_domctl_perfc *p = (struct paravane_domctl_perfc *)&op.u;
    uint64_t first[2] = {0, 0xdeadbeef};

    if (!is_role("reader"))
        return;
    CHECK_EQ(perfc(0x7000, PARAVANE_PERFC_query, &got, sizeof(got), NULL), -XEN_ESRCH);
    CHECK_EQ(perfc(0, 7, &got, sizeof(got), NULL), -XEN_EINVAL);
    /* A null buffer asks for the size. */
    CHECK_EQ(perfc(0, PARAVANE_PERFC_query, NULL, 0, &out), 0);
    CHECK_EQ(out.size, sizeof(struct paravane_perfc));
    CHECK_EQ(out.nr_vcpus, 1);
    /* A short buffer gets its first bytes only. */
    CHECK_EQ(perfc(0, PARAVANE_PERFC_query, (struct paravane_perfc *)first, 8, NULL), 0);
    CHECK_EQ(first[1], 0xdeadbeef);
    /* Padding must be zero. */
    p->cmd = PARAVANE_PERFC_query;
    p->pad = 1;
    op.cmd = PARAVANE_DOMCTL_perfc;
    op.domain = 0;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    CHECK_EQ(hypercall1(__HYPERVISOR_domctl, &op), -XEN_EINVAL);
}

static struct xen_sysctl_perfc_desc desc[64];
static uint32_t val[2048];

/* The value index of counter `name`'s first value, or -1. */
static long find(const struct xen_sysctl_perfc_op *o, const char *name)
{
    unsigned long v = 0;

    for (unsigned int i = 0; i < o->nr_counters; i++) {
        if (!strcmp(desc[i].name, name))
            return (long)v;
        v += desc[i].nr_vals;
    }
    return -1;
}

PVTEST(reader_xen_perfc)
{
    struct xen_sysctl_perfc_op o;
    unsigned long nr_vals = 0;
    long hc, ex;

    if (!is_role("reader"))
        return;
    /* xenperf asks for the counts first, with null handles. */
    CHECK_EQ(perfc_op(XEN_SYSCTL_PERFCOP_query, NULL, NULL, &o), 0);
    CHECK(o.nr_counters > 0 && o.nr_counters <= 64);
    CHECK(o.nr_vals > 0 && o.nr_vals <= 2048);
    if (o.nr_counters > 64 || o.nr_vals > 2048)
        return;
    CHECK_EQ(perfc_op(XEN_SYSCTL_PERFCOP_query, desc, val, &o), 0);
    for (unsigned int i = 0; i < o.nr_counters; i++)
        nr_vals += desc[i].nr_vals;
    CHECK_EQ(nr_vals, o.nr_vals);
    hc = find(&o, "hypercalls");
    ex = find(&o, "exceptions");
    CHECK_EQ(hc, 0);
    CHECK_EQ(desc[0].nr_vals, 64);
    CHECK(ex > 0);
    /* Both domains' direct xen_version calls, at least. */
    CHECK(val[hc + __HYPERVISOR_xen_version] >= N_HC + 1);
    CHECK(ex > 0 && val[ex + 13] >= N_HLT);
    CHECK_EQ(perfc_op(9, desc, val, &o), -XEN_EINVAL);
    /* Reset: the next query finds only itself (one pCPU, the worker blocked). */
    CHECK_EQ(perfc_op(XEN_SYSCTL_PERFCOP_reset, NULL, NULL, &o), 0);
    CHECK_EQ(perfc_op(XEN_SYSCTL_PERFCOP_query, desc, val, &o), 0);
    CHECK_EQ(val[hc + __HYPERVISOR_sysctl], 1);
    CHECK_EQ(val[hc + __HYPERVISOR_xen_version], 0);
}

PVTEST(reader_reset_and_destroy)
{
    domid_t dom = (domid_t)opt("domid", 1);
    struct paravane_perfc c;
    struct xen_domctl op = {0};
    unsigned long sum = 0;

    if (!is_role("reader"))
        return;
    CHECK_EQ(perfc(dom, PARAVANE_PERFC_reset, &c, sizeof(c), NULL), 0);
    CHECK_EQ(c.privops[PARAVANE_PERFC_PRIVOP_cpuid], N_CPUID);
    if (!read_counters(dom, &c))
        return;
    for (unsigned int k = 0; k < sizeof(c) / sizeof(uint64_t); k++)
        sum += ((uint64_t *)&c)[k];
    CHECK_EQ(sum, 0);
    op.cmd = XEN_DOMCTL_destroydomain;
    op.domain = dom;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    CHECK_EQ(hypercall1(__HYPERVISOR_domctl, &op), 0);
}
