/*
 * vane sched-credit [-d DOM [-w W] [-c C]] and vane sched-sedf [-d DOM
 * [-p MS] [-s MS] [-l MS] [-e 0|1] [-w W]]: a domain's scheduler
 * parameters (XEN_DOMCTL_scheduler_op), read, or read, changed and put
 * back, as libxl does; without -d, every domain's, in xl's tables. SEDF
 * is Paravane's extension (hypercall-abi/include/paravane/sched_sedf.h,
 * times in ns there, in ms here, as xl 4.5's sched-sedf spoke them).
 */
#include "names.h"
#include "vane.h"
#include "xc.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <paravane/sched_sedf.h>

static const char *sched_name(uint32_t id)
{
    switch (id) {
    case XEN_SCHEDULER_CREDIT:
        return "credit";
    case XEN_SCHEDULER_SEDF:
        return "sedf";
    case XEN_SCHEDULER_CREDIT2:
        return "credit2";
    default:
        return "unknown";
    }
}

/* 0 if the hypervisor runs scheduler `want`; else -1 after saying so. */
static int check_sched(struct xc *xc, uint32_t want)
{
    struct xen_sysctl s = {0};
    int rc = xc_sysctl(xc, &s, XEN_SYSCTL_sched_id);

    if (rc) {
        fprintf(stderr, "vane: sched_id: %s\n", strerror(-rc));
        return -1;
    }
    if (s.u.sched_id.sched_id != want) {
        fprintf(stderr, "vane: the hypervisor runs the %s scheduler, not %s\n",
                sched_name(s.u.sched_id.sched_id), sched_name(want));
        return -1;
    }
    return 0;
}

/* scheduler_op get or put with Paravane's payload (SEDF's is wider than 4.17's). */
static int sched_op(struct xc *xc, uint16_t dom, uint32_t cmd,
                    struct paravane_domctl_scheduler_op *p)
{
    struct xen_domctl op = {0};
    int rc;

    p->cmd = cmd;
    memcpy(&op.u.scheduler_op, p, sizeof(*p));
    rc = xc_domctl(xc, &op, XEN_DOMCTL_scheduler_op, dom);
    if (!rc)
        memcpy(p, &op.u.scheduler_op, sizeof(*p));
    return rc;
}

/* A whole number in [lo, hi]: 0, or -1 after saying why (if `what`). */
static int parse_int(const char *what, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (end == s || *end || v < lo || v > hi) {
        if (what)
            fprintf(stderr, "vane: %s '%s': a whole number from %ld to %ld\n", what, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* Every domain's row, or one domain's; output(dom) prints one. */
static int for_domains(struct xc *xc, const char *only, int (*output)(struct xc *, uint16_t))
{
    struct xen_domctl_getdomaininfo *all;
    uint16_t dom;
    int n, rc = 0;

    if (only)
        return vane_find_domain(xc, only, &dom) ? -1 : output(xc, dom);
    n = vane_list_domains(xc, &all);
    if (n < 0) {
        fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(-n));
        return -1;
    }
    for (int i = 0; i < n && !rc; i++)
        rc = output(xc, all[i].domain);
    free(all);
    return rc;
}

static int credit_row(struct xc *xc, uint16_t dom)
{
    struct paravane_domctl_scheduler_op p = {.sched_id = XEN_SCHEDULER_CREDIT};
    char name[VANE_NAME_MAX];
    int rc = sched_op(xc, dom, XEN_DOMCTL_SCHEDOP_getinfo, &p);

    if (rc == -ESRCH)
        return 0; /* gone since it was listed */
    if (rc) {
        fprintf(stderr, "vane: scheduler parameters of domain %u: %s\n", dom, strerror(-rc));
        return -1;
    }
    vane_domain_name(dom, name, sizeof(name));
    printf("%-33s %4d %6d %4d\n", name, dom, p.u.credit.weight, p.u.credit.cap);
    return 0;
}

int cmd_sched_credit(int argc, char **argv)
{
    static const struct option opts[] = {{"domain", 1, 0, 'd'},
                                         {"weight", 1, 0, 'w'},
                                         {"cap", 1, 0, 'c'},
                                         {"help", 0, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *dom_arg = NULL, *weight_arg = NULL, *cap_arg = NULL;
    struct xen_domctl_getdomaininfo info;
    struct paravane_domctl_scheduler_op p = {.sched_id = XEN_SCHEDULER_CREDIT};
    long weight = 0, cap = 0;
    struct xc xc;
    uint16_t dom;
    int opt, rc;

    while ((opt = vane_getopt(argc, argv, "d:w:c:", opts, "sched-credit", 0)) != -1) {
        if (opt == 'd')
            dom_arg = optarg;
        else if (opt == 'w')
            weight_arg = optarg;
        else
            cap_arg = optarg;
    }
    if (optind != argc)
        return vane_usage("sched-credit");
    if (!dom_arg && (weight_arg || cap_arg)) {
        fprintf(stderr, "Must specify a domain.\n");
        return 1;
    }
    if (xc_open(&xc))
        return 1;
    if (check_sched(&xc, XEN_SCHEDULER_CREDIT)) {
        xc_close(&xc);
        return 1;
    }
    if (!weight_arg && !cap_arg) {
        if (!dom_arg)
            printf("Cpupool Pool-0: [sched params unavailable]\n");
        printf("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
        rc = for_domains(&xc, dom_arg, credit_row);
        xc_close(&xc);
        return rc ? 1 : 0;
    }
    rc = vane_find_domain(&xc, dom_arg, &dom) ? 1 : 0;
    if (!rc && xc_domain_info(&xc, dom, &info))
        rc = 1;
    if (!rc && weight_arg && parse_int(NULL, weight_arg, 1, 65535, &weight)) {
        fprintf(stderr, "Cpu weight out of range, valid values are within range from 1 to "
                        "65535\n");
        rc = 1;
    }
    if (!rc && cap_arg && parse_int(NULL, cap_arg, 0, 100L * (info.max_vcpu_id + 1), &cap)) {
        fprintf(stderr,
                "Cpu cap out of range, valid range is from 0 to %u for specified number of "
                "vcpus\n",
                100 * (info.max_vcpu_id + 1));
        rc = 1;
    }
    if (!rc && (rc = sched_op(&xc, dom, XEN_DOMCTL_SCHEDOP_getinfo, &p)) == 0) {
        if (weight_arg)
            p.u.credit.weight = (uint16_t)weight;
        if (cap_arg)
            p.u.credit.cap = (uint16_t)cap;
        rc = sched_op(&xc, dom, XEN_DOMCTL_SCHEDOP_putinfo, &p);
    }
    if (rc < 0)
        fprintf(stderr, "vane: setting credit parameters of %s: %s\n", dom_arg, strerror(-rc));
    xc_close(&xc);
    return rc ? 1 : 0;
}

/* A time in ms ("10", "0.5") to ns: 0, or -1 after saying why. */
static int parse_ms(const char *what, const char *s, uint64_t *ns)
{
    char *end;
    double ms = strtod(s, &end);

    if (end == s || *end || !(ms >= 0) || ms > 1e7) {
        fprintf(stderr, "vane: %s '%s': milliseconds, 0 or more\n", what, s);
        return -1;
    }
    *ns = (uint64_t)(ms * 1e6 + 0.5);
    return 0;
}

/* ns as ms, whole when it is ("100", "0.5"). */
static void ms_string(uint64_t ns, char *out, size_t len)
{
    if (ns % 1000000 == 0)
        snprintf(out, len, "%llu", (unsigned long long)(ns / 1000000));
    else
        snprintf(out, len, "%g", (double)ns / 1e6);
}

static int sedf_row(struct xc *xc, uint16_t dom)
{
    struct paravane_domctl_scheduler_op p = {.sched_id = XEN_SCHEDULER_SEDF};
    char name[VANE_NAME_MAX], period[24], slice[24], latency[24];
    int rc = sched_op(xc, dom, XEN_DOMCTL_SCHEDOP_getinfo, &p);

    if (rc == -ESRCH)
        return 0;
    if (rc) {
        fprintf(stderr, "vane: scheduler parameters of domain %u: %s\n", dom, strerror(-rc));
        return -1;
    }
    vane_domain_name(dom, name, sizeof(name));
    ms_string(p.u.sedf.period_ns, period, sizeof(period));
    ms_string(p.u.sedf.slice_ns, slice, sizeof(slice));
    ms_string(p.u.sedf.latency_ns, latency, sizeof(latency));
    printf("%-33s %4d %6s %6s %7s %5d %6d\n", name, dom, period, slice, latency,
           p.u.sedf.extratime & PARAVANE_SEDF_EXTRATIME ? 1 : 0, p.u.sedf.weight);
    return 0;
}

int cmd_sched_sedf(int argc, char **argv)
{
    static const struct option opts[] = {
        {"domain", 1, 0, 'd'}, {"period", 1, 0, 'p'}, {"slice", 1, 0, 's'}, {"latency", 1, 0, 'l'},
        {"extra", 1, 0, 'e'},  {"weight", 1, 0, 'w'}, {"help", 0, 0, 'h'},  {0, 0, 0, 0}};
    const char *dom_arg = NULL, *arg[128] = {0};
    struct paravane_domctl_scheduler_op p = {.sched_id = XEN_SCHEDULER_SEDF};
    struct paravane_domctl_sched_sedf *sp = &p.u.sedf;
    uint64_t period = 0, slice = 0, latency = 0;
    long extra = 0, weight = 0;
    bool any = false, extra_only;
    struct xc xc;
    uint16_t dom;
    int opt, rc;

    while ((opt = vane_getopt(argc, argv, "d:p:s:l:e:w:", opts, "sched-sedf", 0)) != -1) {
        if (opt == 'd') {
            dom_arg = optarg;
        } else {
            arg[opt] = optarg;
            any = true;
        }
    }
    if (optind != argc)
        return vane_usage("sched-sedf");
    if (!dom_arg && any) {
        fprintf(stderr, "Must specify a domain.\n");
        return 1;
    }
    if ((arg['p'] && parse_ms("period", arg['p'], &period)) ||
        (arg['s'] && parse_ms("slice", arg['s'], &slice)) ||
        (arg['l'] && parse_ms("latency", arg['l'], &latency)) ||
        (arg['e'] && parse_int("extra", arg['e'], 0, 1, &extra)) ||
        (arg['w'] && parse_int("weight", arg['w'], 1, 65535, &weight)))
        return 1;
    if (arg['w'] && (arg['p'] || arg['s'])) {
        fprintf(stderr, "vane: -w and -p/-s exclude each other: a domain is weight- or "
                        "time-driven\n");
        return 1;
    }
    if (xc_open(&xc))
        return 1;
    if (check_sched(&xc, XEN_SCHEDULER_SEDF)) {
        xc_close(&xc);
        return 1;
    }
    if (!any) {
        printf("%-33s %4s %6s %-6s %7s %5s %6s\n", "Name", "ID", "Period", "Slice", "Latency",
               "Extra", "Weight");
        rc = for_domains(&xc, dom_arg, sedf_row);
        xc_close(&xc);
        return rc ? 1 : 0;
    }
    if (vane_find_domain(&xc, dom_arg, &dom)) {
        xc_close(&xc);
        return 1;
    }
    /* What is in force, changed as asked, as xl 4.5 and libxl did. */
    rc = sched_op(&xc, dom, XEN_DOMCTL_SCHEDOP_getinfo, &p);
    if (!rc) {
        /* An extra-only domain reads back a zero slice; keep it extra-only. */
        extra_only = sp->weight && sp->extratime && !sp->slice_ns;
        if (extra_only)
            sp->period_ns = 0;
        if (arg['p'])
            sp->period_ns = period;
        if (arg['s'])
            sp->slice_ns = slice;
        if (arg['p'] || arg['s'])
            sp->weight = 0;
        if (arg['l'])
            sp->latency_ns = latency;
        if (arg['e'])
            sp->extratime = extra ? PARAVANE_SEDF_EXTRATIME : 0;
        if (arg['w']) {
            sp->weight = (uint16_t)weight;
            sp->period_ns = sp->slice_ns = 0;
        }
        sp->pad = 0;
        rc = sched_op(&xc, dom, XEN_DOMCTL_SCHEDOP_putinfo, &p);
    }
    xc_close(&xc);
    if (rc) {
        fprintf(stderr, "vane: setting sedf parameters of %s: %s%s\n", dom_arg, strerror(-rc),
                rc == -EINVAL ? " (period 0.01 ms to 10 s, slice 0.005 ms up to the period)" : "");
        return 1;
    }
    return 0;
}
