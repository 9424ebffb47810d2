/*
 * pvtest dtboot: domains started from a device tree (`vane mkboot`, read
 * by hyp/boot_domains.c) got what the tree says.
 *
 * As a domU, from its command line (which only the tree's bootargs give:
 * the module's own says from=module): from=tree, and pages=N, vcpus=N,
 * ramdisk=BYTES to compare with its start_info and its vCPUs.
 * As dom0: dN=WEIGHT:CAP:PAGES:VCPUS for each domain N the tree
 * describes, read back with XEN_DOMCTL_getdomaininfo and the Credit
 * scheduler's getinfo; with sedf=1, dN=PERIOD_MS:SLICE_MS:PAGES:VCPUS and
 * SEDF's getinfo.
 *
 * So that dom0 reads a domU while it still exists, whatever the scheduler
 * runs first, a domU with handshake=1 ends only once dom0 has raised its
 * maximum reservation (XEN_DOMCTL_max_mem), which dom0 does after reading it.
 */
#define __XEN_TOOLS__ 1 /* domctl.h is the toolstack's interface */
#include "lib/pvclock.h"
#include "lib/pvtest.h"
#include <paravane/sched_sedf.h>
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/vcpu.h>

const char pvtest_kernel_name[] = "dtboot";

static bool privileged(void)
{
    return start_info->flags & SIF_INITDOMAIN;
}

/* Does option NAME have exactly the value VALUE? */
static bool option_is(const char *name, const char *value)
{
    const char *v = cmdline_option(name);
    size_t n = strlen(value);

    return v && !memcmp(v, value, n) && (v[n] == 0 || v[n] == ' ');
}

/* The I-th ':'-separated number of S. */
static unsigned long field(const char *s, unsigned int i)
{
    while (i--) {
        while (*s && *s != ':' && *s != ' ')
            s++;
        if (*s == ':')
            s++;
    }
    return parse_num(s);
}

PVTEST(domU_bootargs_from_the_tree)
{
    if (privileged())
        return;
    CHECK(option_is("from", "tree"));
}

PVTEST(domU_memory_vcpus_ramdisk)
{
    unsigned long vcpus = parse_num(cmdline_option("vcpus"));

    if (privileged())
        return;
    CHECK_EQ(start_info->nr_pages, parse_num(cmdline_option("pages")));
    CHECK(vcpus > 0);
    CHECK_EQ(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, NULL), 1);
    if (vcpus > 1)
        CHECK_EQ(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, vcpus - 1, NULL), 0);
    CHECK_EQ(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, vcpus, NULL), -XEN_ENOENT);
    if (cmdline_option("ramdisk")) {
        CHECK(start_info->mod_start != 0);
        CHECK_EQ(start_info->mod_len, parse_num(cmdline_option("ramdisk")));
    } else {
        CHECK_EQ(start_info->mod_len, 0);
    }
}

static long domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
    op->cmd = cmd;
    op->domain = dom;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_domctl, op);
}

/* The scheduler's view of domain D against W (field 0 and 1), printed. */
static void check_sched(domid_t d, const char *w)
{
    bool sedf = cmdline_option("sedf") != NULL;
    struct paravane_domctl_scheduler_op s = {.sched_id =
                                                 sedf ? XEN_SCHEDULER_SEDF : XEN_SCHEDULER_CREDIT,
                                             .cmd = XEN_DOMCTL_SCHEDOP_getinfo};
    struct xen_domctl op = {0};

    memcpy(&op.u.scheduler_op, &s, sizeof(s));
    CHECK_EQ(domctl(&op, XEN_DOMCTL_scheduler_op, d), 0);
    memcpy(&s, &op.u.scheduler_op, sizeof(s));
    if (sedf) {
        CHECK_EQ(s.u.sedf.period_ns, field(w, 0) * 1000000);
        CHECK_EQ(s.u.sedf.slice_ns, field(w, 1) * 1000000);
        CHECK_EQ(s.u.sedf.weight, 0);
        printk("pvtest dtboot: d%u sedf period %lu ms slice %lu ms\n", d,
               (unsigned long)(s.u.sedf.period_ns / 1000000),
               (unsigned long)(s.u.sedf.slice_ns / 1000000));
    } else {
        CHECK_EQ(s.u.credit.weight, field(w, 0));
        CHECK_EQ(s.u.credit.cap, field(w, 1));
        printk("pvtest dtboot: d%u weight %u cap %u\n", d, s.u.credit.weight, s.u.credit.cap);
    }
}

PVTEST(dom0_sees_the_trees_domains)
{
    char opt[4] = "d1";

    if (!privileged())
        return;
    for (domid_t d = 1; d <= 9; d++) {
        struct xen_domctl op = {0};
        const char *want;

        opt[1] = (char)('0' + d);
        want = cmdline_option(opt);
        if (!want)
            continue;
        CHECK_EQ(domctl(&op, XEN_DOMCTL_getdomaininfo, d), 0);
        CHECK_EQ(op.u.getdomaininfo.domain, d);
        CHECK_EQ(op.u.getdomaininfo.tot_pages, field(want, 2));
        CHECK_EQ(op.u.getdomaininfo.max_vcpu_id + 1, field(want, 3));
        printk("pvtest dtboot: d%u pages %lu vcpus %u\n", d,
               (unsigned long)op.u.getdomaininfo.tot_pages, op.u.getdomaininfo.max_vcpu_id + 1);
        check_sched(d, want);
        /* Done with d: let it end (see handshake=1). */
        memset(&op, 0, sizeof(op));
        op.u.max_mem.max_memkb = field(want, 2) * 4 + 1024;
        CHECK_EQ(domctl(&op, XEN_DOMCTL_max_mem, d), 0);
    }
}

static uint8_t si_page[4096] __attribute__((aligned(4096)));

/*
 * Last: wait (up to 30 s) for dom0's sign that it has read this domain: a
 * maximum reservation above the nr_pages the builder set it to.
 */
PVTEST(domU_waits_for_dom0)
{
    struct shared_info *si = (struct shared_info *)si_page;
    struct sched_poll poll = {.nr_ports = 0};
    domid_t self = DOMID_SELF;
    uint64_t end;
    long max;

    if (privileged() || !cmdline_option("handshake"))
        return;
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, (unsigned long)si_page,
                        start_info->shared_info | 0x67, 2),
             0);
    end = pvclock_now(si) + 30000000000ULL;
    while ((max = hypercall2(__HYPERVISOR_memory_op, XENMEM_maximum_reservation, &self)) ==
               (long)start_info->nr_pages &&
           pvclock_now(si) < end) {
        poll.timeout = pvclock_now(si) + 10000000ULL; /* 10 ms */
        HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    }
    CHECK_EQ(max, (long)start_info->nr_pages + 256);
}
