/*
 * vane mem-max DOM SIZE: the most memory a domain may have
 * (XEN_DOMCTL_max_mem), SIZE in xl's units: MiB by default, or a suffix
 * b, k, m, g or t. As libxl, a limit below what the domain has now is
 * refused (Xen would take it, and the domain could only shrink).
 *
 * vane mem-set DOM SIZE: the memory the domain's balloon driver should
 * give back or take, as libxl_set_memory_target(enforce) sets it: above
 * memory/static-max is refused; max_mem becomes the target plus libxl's
 * 1 MiB slack (LIBXL_MAXMEM_CONSTANT), then memory/target (KiB) and
 * /vm/UUID/memory (MiB) are written in one transaction. The guest's
 * balloon driver follows memory/target; the command does not wait.
 */
#include "cfg/xlcfg.h"
#include "vane.h"
#include "xc.h"
#include "xsdom.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The arguments both commands take, DOM SIZE: SIZE in KiB into *kb, and
 * the domain found and described through an open *xc (closed again on
 * failure). 0, or the command's exit status: 2 after the usage, 1 after
 * saying what is wrong.
 */
static int mem_args(int argc, char **argv, const char *cmd, struct xc *xc, uint16_t *dom,
                    struct xen_domctl_getdomaininfo *info, long long *kb)
{
    while (vane_getopt(argc, argv, "", NULL, cmd, 2) != -1)
        ;
    if (argc - optind != 2)
        return vane_usage(cmd);
    *kb = xlcfg_parse_mem_size_kb(argv[optind + 1]);
    if (*kb < 0) {
        fprintf(stderr, "invalid memory size: %s\n", argv[optind + 1]);
        return 1;
    }
    if (xc_open(xc))
        return 1;
    if (vane_find_domain(xc, argv[optind], dom) || xc_domain_info(xc, *dom, info)) {
        xc_close(xc);
        return 1;
    }
    return 0;
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

    rc = mem_args(argc, argv, "mem-max", &xc, &dom, &info, &kb);
    if (rc)
        return rc;
    mem = argv[optind + 1];
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

#define MAXMEM_SLACK_KB 1024         /* libxl's LIBXL_MAXMEM_CONSTANT */
#define MIN_DOM0_KB     (128 * 1024) /* libxl's LIBXL_MIN_DOM0_MEM */

/* A number in KiB from the store: 0, or -1 after saying why. */
static int read_kb(uint16_t dom, const char *key, uint64_t *kb)
{
    char path[96], *v, *end;
    int err;

    snprintf(path, sizeof(path), "/local/domain/%u/memory/%s", dom, key);
    v = vane_xs_read(path, &err);
    if (!v) {
        if (err == -ENOTCONN)
            fprintf(stderr, "vane: no xenstored: domain %u has no memory target to set\n", dom);
        else
            fprintf(stderr, "Cannot get memory info from %s: %s\n", path, strerror(-err));
        return -1;
    }
    *kb = strtoull(v, &end, 10);
    if (end == v || *end) {
        fprintf(stderr, "Invalid memory %s from %s\n", v, path);
        free(v);
        return -1;
    }
    free(v);
    return 0;
}

/* libxl__fill_dom0_memory_info: dom0's entries from what it has, the first time. */
static int fill_dom0(const struct xen_domctl_getdomaininfo *info)
{
    char target[24], max[24];
    const char *paths[] = {"/local/domain/0/memory/target", "/local/domain/0/memory/static-max"};
    const char *vals[] = {target, max};
    int rc;

    snprintf(target, sizeof(target), "%" PRIu64, (uint64_t)info->tot_pages * 4);
    snprintf(max, sizeof(max), "%" PRIu64, (uint64_t)info->max_pages * 4);
    rc = vane_xs_write_all(paths, vals, 2);
    if (rc)
        fprintf(stderr, "vane: writing Domain-0's memory entries: %s\n", strerror(-rc));
    return rc ? -1 : 0;
}

int cmd_mem_set(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl op = {0};
    char target[24], mib[24], home[64], vmmem[128], *vm;
    const char *paths[2] = {home, vmmem}, *vals[2] = {target, mib};
    uint64_t static_max, cur;
    const char *mem;
    long long kb;
    struct xc xc;
    uint16_t dom;
    int rc, err;

    rc = mem_args(argc, argv, "mem-set", &xc, &dom, &info, &kb);
    if (rc)
        return rc;
    mem = argv[optind + 1];
    snprintf(home, sizeof(home), "/local/domain/%u/memory/target", dom);
    free(vane_xs_read(home, &err));
    rc = dom == 0 && err == -ENOENT ? fill_dom0(&info) : 0;
    if (!rc && (read_kb(dom, "target", &cur) || read_kb(dom, "static-max", &static_max)))
        rc = -1;
    if (!rc && (uint64_t)kb > static_max) {
        fprintf(stderr,
                "memory_dynamic_max must be less than or equal to memory_static_max "
                "(%" PRIu64 " KiB)\n",
                static_max);
        rc = -1;
    }
    if (!rc && dom == 0 && kb < MIN_DOM0_KB) {
        fprintf(stderr, "New target %lld for dom0 is below the minimum threshold\n", kb);
        rc = -1;
    }
    if (!rc) {
        op.u.max_mem.max_memkb = (uint64_t)kb + MAXMEM_SLACK_KB;
        rc = xc_domctl(&xc, &op, XEN_DOMCTL_max_mem, dom);
        if (rc)
            fprintf(stderr, "xc_domain_setmaxmem memkb=%llu failed: %s\n",
                    (unsigned long long)kb + MAXMEM_SLACK_KB, strerror(-rc));
    }
    if (!rc) {
        snprintf(target, sizeof(target), "%lld", kb);
        snprintf(mib, sizeof(mib), "%lld", kb / 1024);
        snprintf(vmmem, sizeof(vmmem), "/local/domain/%u/vm", dom);
        vm = vane_xs_read(vmmem, &err);
        snprintf(vmmem, sizeof(vmmem), "%.100s/memory", vm ? vm : "");
        rc = vane_xs_write_all(paths, vals, vm && !strncmp(vm, "/vm/", 4) ? 2 : 1);
        free(vm);
        if (rc) {
            fprintf(stderr, "vane: writing %s: %s\n", home, strerror(-rc));
            /* Put the limit back as it was: nothing changed. */
            op.u.max_mem.max_memkb = (uint64_t)info.max_pages * 4;
            xc_domctl(&xc, &op, XEN_DOMCTL_max_mem, dom);
        }
    }
    xc_close(&xc);
    if (rc) {
        fprintf(stderr, "cannot set domid %u dynamic max memory to : %s\n", dom, mem);
        return 1;
    }
    return 0;
}
