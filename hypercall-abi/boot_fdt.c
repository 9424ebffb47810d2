/*
 * Boot-time domains from a device tree (see paravane/boot_fdt.h): the
 * xen,domain nodes under /chosen turned into checked descriptions. Every
 * value is checked here, where the node it came from can be named; the
 * caller only has to build what it is given.
 */
#include <paravane/boot_fdt.h>
#include <xen/errno.h>

#include "pv_lib.h"

static int fail(const struct pvfdt *t, struct pvfdt_error *err, int node, const char *prop,
                const char *what, int rc)
{
    pvfdt_set_error(t, err, node, prop, what);
    return rc;
}

/* A module node's mb-index, checked against what the loader gave. */
static int module_index(const struct pvfdt *t, int node, uint32_t nr_modules, uint32_t free_mods,
                        uint32_t *out, struct pvfdt_error *err)
{
    int rc = pvfdt_prop_u32(t, node, "mb-index", out);

    if (rc == -XEN_ENOENT)
        return fail(t, err, node, "mb-index",
                    "no mb-index (a multiboot module is named by its index, not by reg)",
                    -XEN_EINVAL);
    if (rc)
        return fail(t, err, node, "mb-index", "not one 32-bit cell", rc);
    if (*out >= nr_modules)
        return fail(t, err, node, "mb-index", "names a module the loader did not give",
                    -XEN_EINVAL);
    if (*out >= 32 || !(free_mods & (1u << *out)))
        return fail(t, err, node, "mb-index", "names dom0's kernel or a device tree", -XEN_EINVAL);
    return 0;
}

/* The kernel and ramdisk subnodes of domain node DOM. */
static int read_modules(const struct pvfdt *t, int dom, uint32_t nr_modules, uint32_t free_mods,
                        struct pv_boot_domain_desc *d, struct pvfdt_error *err)
{
    int rc;

    d->kernel = d->ramdisk = PV_BOOT_NO_MODULE;
    for (int c = pvfdt_first_child(t, dom); c >= 0; c = pvfdt_next_sibling(t, c)) {
        bool kernel = pvfdt_compatible(t, c, "multiboot,kernel");
        uint32_t *slot = kernel ? &d->kernel : &d->ramdisk;

        if (!kernel && !pvfdt_compatible(t, c, "multiboot,ramdisk"))
            continue;
        if (*slot != PV_BOOT_NO_MODULE)
            return fail(t, err, c, "compatible",
                        kernel ? "a second kernel module" : "a second ramdisk module", -XEN_EINVAL);
        rc = module_index(t, c, nr_modules, free_mods, slot, err);
        if (rc)
            return rc;
        if (kernel) {
            size_t len = 0;

            rc = pvfdt_prop_string(t, c, "bootargs", &d->bootargs);
            if (rc && rc != -XEN_ENOENT)
                return fail(t, err, c, "bootargs", "not one string", rc);
            while (d->bootargs && d->bootargs[len])
                len++;
            if (len >= PV_BOOT_CMDLINE_MAX)
                return fail(t, err, c, "bootargs", "longer than a guest command line (1023)",
                            -XEN_EINVAL);
        }
    }
    if (d->kernel == PV_BOOT_NO_MODULE)
        return fail(t, err, dom, NULL, "no multiboot,kernel module node", -XEN_EINVAL);
    return 0;
}

/* An optional integer property within [lo, hi]; sets BIT in *given. */
static int opt_u64(const struct pvfdt *t, int node, const char *name, uint64_t lo, uint64_t hi,
                   uint64_t *out, uint32_t bit, uint32_t *given, struct pvfdt_error *err)
{
    int rc = pvfdt_prop_u64(t, node, name, out);

    if (rc == -XEN_ENOENT)
        return 0;
    if (rc)
        return fail(t, err, node, name, "not one or two 32-bit cells", rc);
    if (*out < lo || *out > hi)
        return fail(t, err, node, name, "out of range", -XEN_EINVAL);
    *given |= bit;
    return 0;
}

static int read_sched(const struct pvfdt *t, int node, struct pv_boot_sched *s,
                      struct pvfdt_error *err)
{
    uint64_t w = 0, cap = 0, extra = 0;
    uint32_t per = 0;
    int rc;

    rc = opt_u64(t, node, "sched-weight", 1, 65535, &w, PV_BOOT_SCHED_WEIGHT, &s->given, err);
    if (!rc)
        rc = opt_u64(t, node, "sched-cap", 0, 65535, &cap, PV_BOOT_SCHED_CAP, &s->given, err);
    if (!rc)
        rc = opt_u64(t, node, "sched-period-ns", 1, UINT64_MAX, &s->period_ns, 1, &per, err);
    if (!rc)
        rc = opt_u64(t, node, "sched-slice-ns", 1, UINT64_MAX, &s->slice_ns, 2, &per, err);
    if (!rc)
        rc = opt_u64(t, node, "sched-latency-ns", 0, UINT64_MAX, &s->latency_ns,
                     PV_BOOT_SCHED_LATENCY, &s->given, err);
    if (!rc)
        rc = opt_u64(t, node, "sched-extratime", 0, 1, &extra, PV_BOOT_SCHED_EXTRATIME, &s->given,
                     err);
    if (rc)
        return rc;
    if (per == 1 || per == 2)
        return fail(t, err, node, per == 1 ? "sched-period-ns" : "sched-slice-ns",
                    "sched-period-ns and sched-slice-ns go together", -XEN_EINVAL);
    if (per && s->slice_ns > s->period_ns)
        return fail(t, err, node, "sched-slice-ns", "longer than the period", -XEN_EINVAL);
    if (per)
        s->given |= PV_BOOT_SCHED_PERIOD;
    s->weight = (uint32_t)w;
    s->cap = (uint32_t)cap;
    s->extratime = (uint32_t)extra;
    return 0;
}

static int read_domain(const struct pvfdt *t, int node, uint32_t nr_modules, uint32_t free_mods,
                       uint32_t max_vcpus, struct pv_boot_domain_desc *d, struct pvfdt_error *err)
{
    const char *name = pvfdt_name(t, node);
    uint64_t cpus = 1;
    uint32_t given = 0;
    size_t len = 0;
    int rc;

    pv_memzero(d, sizeof(*d));
    while (name[len])
        len++;
    if (len >= sizeof(d->name))
        return fail(t, err, node, NULL, "a domain name longer than 31 characters", -XEN_EINVAL);
    pv_strlcpy_n(d->name, sizeof(d->name), (const uint8_t *)name, len);
    rc = pvfdt_prop_u64(t, node, "memory", &d->memory_kib);
    if (rc == -XEN_ENOENT)
        return fail(t, err, node, "memory", "missing", -XEN_EINVAL);
    if (rc)
        return fail(t, err, node, "memory", "not one or two 32-bit cells", rc);
    if (!d->memory_kib || d->memory_kib > PV_BOOT_MAX_MEM_KIB)
        return fail(t, err, node, "memory", "out of range", -XEN_EINVAL);
    rc = opt_u64(t, node, "cpus", 1, max_vcpus, &cpus, 1, &given, err);
    if (rc)
        return rc;
    d->cpus = (uint32_t)cpus;
    rc = read_sched(t, node, &d->sched, err);
    if (rc)
        return rc;
    return read_modules(t, node, nr_modules, free_mods, d, err);
}

int pv_boot_fdt_domains(const struct pvfdt *t, uint32_t nr_modules, uint32_t free_modules,
                        uint32_t max_vcpus, struct pv_boot_domain_desc *out, unsigned int max,
                        unsigned int *n, struct pvfdt_error *err)
{
    int root = pvfdt_root(t), chosen, rc;

    *n = 0;
    if (root < 0)
        return fail(t, err, 0, NULL, "no root node", -XEN_EINVAL);
    chosen = pvfdt_subnode(t, root, "chosen");
    if (chosen < 0)
        return fail(t, err, root, NULL, "no /chosen node", -XEN_EINVAL);
    for (int c = pvfdt_first_child(t, chosen); c >= 0; c = pvfdt_next_sibling(t, c)) {
        if (!pvfdt_compatible(t, c, "xen,domain"))
            continue;
        if (*n == max)
            return fail(t, err, c, NULL, "more domains than the hypervisor starts at boot",
                        -XEN_ENOSPC);
        rc = read_domain(t, c, nr_modules, free_modules, max_vcpus, &out[*n], err);
        if (rc)
            return rc;
        ++*n;
    }
    return 0;
}
