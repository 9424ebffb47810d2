/*
 * vane mem-max DOM SIZE: the most memory a domain may have
 * (XEN_DOMCTL_max_mem), SIZE in xl's units: MiB by default, or a suffix
 * b, k, m, g or t. As libxl, a limit below what the domain has now is
 * refused (Xen would take it, and the domain could only shrink).
 */
#include "vane.h"
#include "xc.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xl's parse_mem_size_kb: the size in KiB, or -1. */
static long long mem_size_kb(const char *s)
{
    char *end;
    long long kb = strtoll(s, &end, 10);

    if (end == s || kb < 0 || strlen(end) > 1 || kb > (1LL << 40))
        return -1;
    switch (tolower((unsigned char)*end)) {
    case 't':
        kb <<= 10;
        /* fallthrough */
    case 'g':
        kb <<= 10;
        /* fallthrough */
    case '\0':
    case 'm':
        kb <<= 10;
        /* fallthrough */
    case 'k':
        break;
    case 'b':
        kb >>= 10;
        break;
    default:
        return -1;
    }
    return kb;
}

int cmd_mem_max(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl op = {0};
    const char *mem;
    long long kb;
    struct xc xc;
    uint16_t dom;
    int rc;

    while (vane_getopt(argc, argv, "", NULL, "mem-max", 2) != -1)
        ;
    if (argc - optind != 2)
        return vane_usage("mem-max");
    mem = argv[optind + 1];
    kb = mem_size_kb(mem);
    if (kb < 0) {
        fprintf(stderr, "invalid memory size: %s\n", mem);
        return 1;
    }
    if (xc_open(&xc))
        return 1;
    if (vane_find_domain(&xc, argv[optind], &dom) || xc_domain_info(&xc, dom, &info)) {
        xc_close(&xc);
        return 1;
    }
    if ((unsigned long long)kb < info.tot_pages * 4) {
        fprintf(stderr,
                "vane: domain %u has %llu KiB now: memory_static_max must be greater than or "
                "equal to it\n",
                dom, (unsigned long long)info.tot_pages * 4);
        fprintf(stderr, "cannot set domid %u static max memory to : %s\n", dom, mem);
        xc_close(&xc);
        return 1;
    }
    op.u.max_mem.max_memkb = (uint64_t)kb;
    rc = xc_domctl(&xc, &op, XEN_DOMCTL_max_mem, dom);
    xc_close(&xc);
    if (rc) {
        fprintf(stderr, "cannot set domid %u static max memory to : %s (%s)\n", dom, mem,
                strerror(-rc));
        return 1;
    }
    return 0;
}
