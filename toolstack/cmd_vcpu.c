/*
 * vane vcpu-list [DOM...] and vane vcpu-pin DOM VCPU|all HARD [SOFT]:
 * the vCPUs (XEN_DOMCTL_getvcpuinfo, getvcpuaffinity) in xl's columns,
 * and their affinity (setvcpuaffinity) from xl's CPU list syntax
 * ("0-3,^2", "all"; "-" leaves a map as it is). Paravane has hard
 * affinity only: its soft map is every CPU, and may only be set so.
 */
#include "cfg/xlcfg.h"
#include "names.h"
#include "vane.h"
#include "xc.h"
#include "xsdom.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Host CPUs (physinfo's max_cpu_id + 1), or 0 after saying why. */
static unsigned int host_cpus(struct xc *xc)
{
    struct xen_sysctl s = {0};
    int rc = xc_sysctl(xc, &s, XEN_SYSCTL_physinfo);

    if (rc) {
        fprintf(stderr, "vane: physinfo: %s\n", strerror(-rc));
        return 0;
    }
    return s.u.physinfo.max_cpu_id + 1;
}

static uint64_t host_mask(unsigned int nr_cpus)
{
    return nr_cpus >= 64 ? ~0ULL : (1ULL << nr_cpus) - 1;
}

/* get/setvcpuaffinity with both maps (8 bytes: Paravane's 64 CPUs at most). */
static int affinity(struct xc *xc, uint16_t dom, uint32_t vcpu, uint32_t flags, uint64_t *hard,
                    uint64_t *soft, bool set)
{
    struct xen_domctl op = {0};
    uint8_t h[8], s[8];
    int rc;

    for (int i = 0; i < 8; i++) {
        h[i] = (uint8_t)(*hard >> (8 * i));
        s[i] = (uint8_t)(*soft >> (8 * i));
    }
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.flags = flags;
    set_xen_guest_handle(op.u.vcpuaffinity.cpumap_hard.bitmap, h);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
    set_xen_guest_handle(op.u.vcpuaffinity.cpumap_soft.bitmap, s);
    op.u.vcpuaffinity.cpumap_soft.nr_bits = 64;
    rc = xc_domctl(xc, &op, set ? XEN_DOMCTL_setvcpuaffinity : XEN_DOMCTL_getvcpuaffinity, dom);
    if (rc)
        return rc;
    *hard = *soft = 0;
    for (int i = 0; i < 8; i++) {
        *hard |= (uint64_t)h[i] << (8 * i);
        *soft |= (uint64_t)s[i] << (8 * i);
    }
    return 0;
}

/* xl's print_bitmap: "all", "none", or ranges "0-2,5". */
static void print_cpus(uint64_t mask, unsigned int nr_cpus)
{
    const char *sep = "";

    mask &= host_mask(nr_cpus);
    if (mask == host_mask(nr_cpus)) {
        printf("all");
        return;
    }
    if (!mask) {
        printf("none");
        return;
    }
    for (unsigned int i = 0; i < nr_cpus; i++) {
        unsigned int j = i;

        if (!(mask >> i & 1))
            continue;
        while (j + 1 < nr_cpus && mask >> (j + 1) & 1)
            j++;
        printf(j > i ? "%s%u-%u" : "%s%u", sep, i, j);
        sep = ",";
        i = j;
    }
}

static int list_domain(struct xc *xc, uint16_t dom, unsigned int nr_cpus)
{
    struct xen_domctl_getdomaininfo info;
    char name[VANE_NAME_MAX];
    int rc = xc_domain_info(xc, dom, &info);

    if (rc)
        return rc == -ESRCH ? 0 : rc; /* gone since it was listed */
    vane_domain_name(dom, name, sizeof(name));
    for (uint32_t v = 0; info.max_vcpu_id != XEN_INVALID_MAX_VCPU_ID && v <= info.max_vcpu_id;
         v++) {
        struct xen_domctl op = {0};
        uint64_t hard = 0, soft = 0;

        op.u.getvcpuinfo.vcpu = v;
        rc = xc_domctl(xc, &op, XEN_DOMCTL_getvcpuinfo, dom);
        if (rc == -ESRCH)
            continue; /* a hole in the vCPU ids */
        if (rc || (rc = affinity(xc, dom, v, XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, &hard,
                                 &soft, false)))
            return rc;
        printf("%-32s %5u %5u", name, dom, v);
        if (!op.u.getvcpuinfo.online)
            printf("%5c %3c%cp ", '-', '-', '-');
        else
            printf("%5u %3c%c- ", op.u.getvcpuinfo.cpu, op.u.getvcpuinfo.running ? 'r' : '-',
                   op.u.getvcpuinfo.blocked ? 'b' : '-');
        printf("%9.1f  ", (double)op.u.getvcpuinfo.cpu_time / 1e9);
        print_cpus(hard, nr_cpus);
        printf(" / ");
        print_cpus(soft, nr_cpus);
        printf("\n");
    }
    return 0;
}

int cmd_vcpu_list(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo *all = NULL;
    unsigned int nr_cpus;
    struct xc xc;
    int rc = 0, n;

    while (vane_getopt(argc, argv, "", NULL, "vcpu-list", 0) != -1)
        ;
    if (xc_open(&xc))
        return 1;
    nr_cpus = host_cpus(&xc);
    if (!nr_cpus) {
        xc_close(&xc);
        return 1;
    }
    printf("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State", "Time(s)",
           "Affinity (Hard / Soft)");
    if (optind < argc) {
        for (int i = optind; i < argc && !rc; i++) {
            uint16_t dom;

            if (vane_find_domain(&xc, argv[i], &dom)) {
                xc_close(&xc);
                return 1;
            }
            rc = list_domain(&xc, dom, nr_cpus);
        }
    } else {
        n = vane_list_domains(&xc, &all);
        rc = n < 0 ? n : 0;
        for (int i = 0; i < n && !rc; i++)
            rc = list_domain(&xc, all[i].domain, nr_cpus);
        free(all);
    }
    xc_close(&xc);
    if (rc) {
        fprintf(stderr, "vane: vcpu-list: %s\n", strerror(-rc));
        return 1;
    }
    return 0;
}

/* A CPU list, "-" (NULL mask: leave it) or "all": 0, or -1 after saying why. */
static int parse_map(const char *s, uint64_t *mask, bool *given)
{
    char err[128];

    *given = strcmp(s, "-") != 0;
    if (!*given)
        return 0;
    if (xlcfg_parse_cpulist(s, mask, err, sizeof(err))) {
        fprintf(stderr, "Invalid argument: %s: %s\n", s, err);
        return -1;
    }
    return 0;
}

int cmd_vcpu_pin(int argc, char **argv)
{
    static const struct option opts[] = {{"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    struct xen_domctl_getdomaininfo info;
    uint64_t hard = 0, soft = 0;
    bool hard_given, soft_given = false;
    long first, last;
    unsigned int nr_cpus;
    struct xc xc;
    uint16_t dom;
    char *end;
    int rc = 0;

    while (vane_getopt(argc, argv, "", opts, "vcpu-pin", 3) != -1)
        ;
    if (argc - optind > 4)
        return vane_usage("vcpu-pin");
    if (parse_map(argv[optind + 2], &hard, &hard_given) ||
        (argc - optind == 4 && parse_map(argv[optind + 3], &soft, &soft_given)))
        return 1;
    first = strtol(argv[optind + 1], &end, 10);
    if (end == argv[optind + 1] || *end || first < 0) {
        if (strcmp(argv[optind + 1], "all")) {
            fprintf(stderr, "Error: Invalid argument %s as VCPU.\n", argv[optind + 1]);
            return 1;
        }
        first = -1;
    }
    if (xc_open(&xc))
        return 1;
    nr_cpus = host_cpus(&xc);
    if (!nr_cpus || vane_find_domain(&xc, argv[optind], &dom) || xc_domain_info(&xc, dom, &info)) {
        xc_close(&xc);
        return 1;
    }
    if (hard_given && !(hard & host_mask(nr_cpus))) {
        fprintf(stderr, "vcpu hard affinity map is empty\n");
        xc_close(&xc);
        return 1;
    }
    last = first;
    if (first < 0) {
        first = 0;
        last = info.max_vcpu_id;
    } else if (first > (long)info.max_vcpu_id) {
        fprintf(stderr, "Could not set affinity for vcpu `%ld'.\n", first);
        xc_close(&xc);
        return 1;
    }
    for (long v = first; v <= last && !rc && (hard_given || soft_given); v++) {
        uint32_t flags =
            (hard_given ? XEN_VCPUAFFINITY_HARD : 0) | (soft_given ? XEN_VCPUAFFINITY_SOFT : 0);
        uint64_t h = hard, s = soft;

        rc = affinity(&xc, dom, (uint32_t)v, flags, &h, &s, true);
        if (rc) {
            fprintf(stderr, "Could not set affinity for vcpu `%ld': %s.\n", v,
                    rc == -EOPNOTSUPP ? "Paravane has no soft affinity narrower than all CPUs"
                                      : strerror(-rc));
        }
    }
    xc_close(&xc);
    return rc ? 1 : 0;
}

/*
 * vane vcpu-set [-i] DOM N: vCPUs 0..N-1 online, the rest offline, as
 * libxl_set_vcpuonline asks a PV guest: cpu/I/availability for every vCPU
 * the domain has, in one transaction; its kernel hot-plugs them (Linux
 * downs a vCPU with VCPUOP_down, and vcpu-list then shows it "--p").
 * Without -i, more vCPUs than the host's CPUs is refused, as xl does.
 */
int cmd_vcpu_set(int argc, char **argv)
{
    static const struct option opts[] = {
        {"ignore-host", 0, 0, 'i'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    struct xen_domctl_getdomaininfo info;
    const char *paths[XLCFG_MAX_VCPUS], *vals[XLCFG_MAX_VCPUS];
    char keys[XLCFG_MAX_VCPUS][64];
    bool check_host = true;
    unsigned long n;
    unsigned int nr_cpus, max;
    struct xc xc;
    uint16_t dom;
    char *end;
    int opt, rc;

    while ((opt = vane_getopt(argc, argv, "i", opts, "vcpu-set", 2)) != -1)
        if (opt == 'i')
            check_host = false;
    if (argc - optind != 2)
        return vane_usage("vcpu-set");
    n = strtoul(argv[optind + 1], &end, 10);
    if (end == argv[optind + 1] || *end || argv[optind + 1][0] == '-' || n > INT32_MAX) {
        fprintf(stderr, "Error: Invalid argument.\n");
        return 1;
    }
    if (xc_open(&xc))
        return 1;
    nr_cpus = host_cpus(&xc);
    if (!nr_cpus || vane_find_domain(&xc, argv[optind], &dom) || xc_domain_info(&xc, dom, &info)) {
        xc_close(&xc);
        return 1;
    }
    xc_close(&xc);
    if (check_host && n > info.nr_online_vcpus && n > nr_cpus) {
        fprintf(stderr,
                "You are overcommmitting! You have %u physical CPUs and want %lu vCPUs! "
                "Aborting, use --ignore-host to continue\n",
                nr_cpus, n);
        return 1;
    }
    max = info.max_vcpu_id + 1;
    if (n == 0 || n > max || max > XLCFG_MAX_VCPUS) {
        if (n == 0)
            fprintf(stderr, "Requested 0 VCPUs!\n");
        else
            fprintf(stderr, "Requested %lu VCPUs, however maxcpus is %u!\n", n, max);
        fprintf(stderr, "libxl_set_vcpuonline failed domid=%u max_vcpus=%lu, rc: -3\n", dom, n);
        return 1;
    }
    for (unsigned int v = 0; v < max; v++) {
        snprintf(keys[v], sizeof(keys[v]), "/local/domain/%u/cpu/%u/availability", dom, v);
        paths[v] = keys[v];
        vals[v] = v < n ? "online" : "offline";
    }
    rc = vane_xs_write_all(paths, vals, max);
    if (rc) {
        if (rc == -ENOENT)
            fprintf(stderr, "vane: no xenstored: cannot ask domain %u to change its vCPUs\n", dom);
        else
            fprintf(stderr, "vane: writing cpu/*/availability of domain %u: %s\n", dom,
                    strerror(-rc));
        fprintf(stderr, "libxl_set_vcpuonline failed domid=%u max_vcpus=%lu, rc: -3\n", dom, n);
        return 1;
    }
    return 0;
}
