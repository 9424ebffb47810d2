/*
 * vane mkboot [-o OUT] [-m FIRST] CFG...: the device tree that describes
 * boot-time domains to the hypervisor (Xen's dom0less binding for a
 * multiboot loader, see hypercall-abi/include/paravane/boot_fdt.h),
 * written with libfdt from xl.cfg files.
 *
 * Each configuration becomes a xen,domain node under /chosen named after
 * its name=: memory (KiB), cpus (maxvcpus), the scheduler's parameters
 * (cpu_weight, cap and the sedf_ keys) and module nodes for its kernel and
 * ramdisk with the command line as the kernel's bootargs. A multiboot
 * loader gives modules no address the tree could hold, so a module is
 * named by its place in the loader's list (mb-index): this tree's kernels
 * and ramdisks are numbered from FIRST (default 3: dom0's kernel, dom0's
 * initrd and this tree come first), in the order the configurations name
 * them, one number per distinct file. The list the loader must be given
 * after the tree is printed (on stdout with -o, else on stderr, the tree
 * going to stdout).
 *
 * disk= and vif= are left aside with a word: a boot-time domain gets
 * back-ends only once dom0 is up to serve them.
 */
#include "cfg/xlcfg.h"
#include "vane.h"
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MKBOOT_MAX_DOMAINS 8 /* the hypervisor's boot-time domains (PV_BOOT_MAX_DOMAINS) */
#define MKBOOT_MAX_MODULES 16
#define MKBOOT_TREE_MAX    (1u << 20)
#define MKBOOT_NAME_MAX    31

struct modules {
    const char *path[MKBOOT_MAX_MODULES];
    unsigned int first, n;
};

/* The module index of PATH, given a new one the first time. -1: too many. */
static int module_of(struct modules *m, const char *path)
{
    for (unsigned int i = 0; i < m->n; i++)
        if (!strcmp(m->path[i], path))
            return (int)(m->first + i);
    if (m->first + m->n >= MKBOOT_MAX_MODULES)
        return -1;
    m->path[m->n] = path;
    return (int)(m->first + m->n++);
}

/* A node name the hypervisor's reader takes (letters, digits, , . _ + -). */
static bool name_ok(const char *s)
{
    size_t n = strlen(s);

    if (!n || n > MKBOOT_NAME_MAX)
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-") == n;
}

static int module_node(void *fdt, const char *kind, int index, const char *bootargs)
{
    char name[32], compat[64];
    int clen = snprintf(compat, sizeof(compat), "multiboot,%s", kind);
    int rc;

    snprintf(name, sizeof(name), "module@%d", index);
    /* A string list: "multiboot,KIND\0multiboot,module\0". */
    memcpy(compat + clen + 1, "multiboot,module", sizeof("multiboot,module"));
    rc = fdt_begin_node(fdt, name);
    if (!rc)
        rc = fdt_property(fdt, "compatible", compat, clen + 1 + (int)sizeof("multiboot,module"));
    if (!rc)
        rc = fdt_property_u32(fdt, "mb-index", (uint32_t)index);
    if (!rc && bootargs)
        rc = fdt_property_string(fdt, "bootargs", bootargs);
    if (!rc)
        rc = fdt_end_node(fdt);
    return rc;
}

/* The scheduler properties, as `vane create` would apply them. */
static int sched_props(void *fdt, const struct domain_config *c)
{
    int rc = fdt_property_u32(fdt, "sched-weight", c->cpu_weight);

    if (!rc && c->cap)
        rc = fdt_property_u32(fdt, "sched-cap", c->cap);
    if (rc || !c->sedf_set)
        return rc;
    if (c->sedf_time_driven) {
        rc = fdt_property_u64(fdt, "sched-period-ns", c->sedf_period_ns);
        if (!rc)
            rc = fdt_property_u64(fdt, "sched-slice-ns", c->sedf_slice_ns);
    }
    if (!rc)
        rc = fdt_property_u64(fdt, "sched-latency-ns", c->sedf_latency_ns);
    if (!rc)
        rc = fdt_property_u32(fdt, "sched-extratime", c->sedf_extratime);
    return rc;
}

static int domain_node(void *fdt, const struct domain_config *c, struct modules *m)
{
    int k = module_of(m, c->kernel), r = c->ramdisk ? module_of(m, c->ramdisk) : 0;
    int rc;

    if (k < 0 || r < 0) {
        fprintf(stderr, "vane mkboot: more than %d boot modules\n", MKBOOT_MAX_MODULES);
        return 1; /* (libfdt's errors are negative) */
    }
    rc = fdt_begin_node(fdt, c->name);
    if (!rc)
        rc = fdt_property_string(fdt, "compatible", "xen,domain");
    if (!rc)
        rc = fdt_property_u64(fdt, "memory", c->memory_mib * 1024);
    if (!rc)
        rc = fdt_property_u32(fdt, "cpus", c->max_vcpus);
    if (!rc)
        rc = sched_props(fdt, c);
    if (!rc)
        rc = module_node(fdt, "kernel", k, c->cmdline);
    if (!rc && c->ramdisk)
        rc = module_node(fdt, "ramdisk", r, NULL);
    if (!rc)
        rc = fdt_end_node(fdt);
    return rc;
}

static int write_tree(void *fdt, const struct domain_config *c, int n, struct modules *m)
{
    int rc = fdt_create(fdt, MKBOOT_TREE_MAX);

    if (!rc)
        rc = fdt_finish_reservemap(fdt);
    if (!rc)
        rc = fdt_begin_node(fdt, "");
    if (!rc)
        rc = fdt_begin_node(fdt, "chosen");
    for (int i = 0; i < n && !rc; i++)
        rc = domain_node(fdt, &c[i], m);
    if (!rc)
        rc = fdt_end_node(fdt);
    if (!rc)
        rc = fdt_end_node(fdt);
    if (!rc)
        rc = fdt_finish(fdt);
    if (rc > 0)
        rc = -1; /* domain_node's own refusal, already said */
    else if (rc)
        fprintf(stderr, "vane mkboot: libfdt: %s\n", fdt_strerror(rc));
    return rc;
}

static int check_config(const struct domain_config *c, const struct domain_config *all, int i)
{
    if (!name_ok(c->name)) {
        fprintf(stderr,
                "vane mkboot: name '%s': a device tree node name is 1 to %d letters, "
                "digits and , . _ + -\n",
                c->name, MKBOOT_NAME_MAX);
        return -1;
    }
    for (int j = 0; j < i; j++)
        if (!strcmp(all[j].name, c->name)) {
            fprintf(stderr, "vane mkboot: two domains are called '%s'\n", c->name);
            return -1;
        }
    if (c->n_disks || c->n_vifs)
        fprintf(stderr, "vane mkboot: %s: disk= and vif= left aside (no back-ends at boot)\n",
                c->name);
    return 0;
}

static int emit(const void *fdt, const char *out, const struct modules *m,
                const struct domain_config *c, int n)
{
    FILE *f = out ? fopen(out, "wb") : stdout;
    FILE *list = out ? stdout : stderr;
    size_t size = fdt_totalsize(fdt);

    if (!f || fwrite(fdt, 1, size, f) != size || (out && fclose(f))) {
        fprintf(stderr, "vane mkboot: %s: %s\n", out ? out : "stdout", strerror(errno));
        return -1;
    }
    fprintf(list, "# %d domain%s; the loader's modules after this tree, from %u:\n", n,
            n == 1 ? "" : "s", m->first);
    for (unsigned int i = 0; i < m->n; i++) {
        fprintf(list, "%u %s (", m->first + i, m->path[i]);
        for (int d = 0, sep = 0; d < n; d++) {
            const char *what = !strcmp(c[d].kernel, m->path[i])                    ? "kernel"
                               : c[d].ramdisk && !strcmp(c[d].ramdisk, m->path[i]) ? "ramdisk"
                                                                                   : NULL;
            if (what)
                fprintf(list, "%s%s of %s", sep++ ? ", " : "", what, c[d].name);
        }
        fprintf(list, ")\n");
    }
    return 0;
}

int cmd_mkboot(int argc, char **argv)
{
    struct domain_config cfgs[MKBOOT_MAX_DOMAINS] = {0};
    struct modules m = {.first = 3};
    const char *out = NULL;
    void *fdt = NULL;
    int opt, n = 0, rc = 1;
    char *end;

    while ((opt = vane_getopt(argc, argv, "o:m:", NULL, "mkboot", 1)) != -1) {
        if (opt == 'o') {
            out = optarg;
        } else if (opt == 'm') {
            unsigned long v = strtoul(optarg, &end, 10);

            if (*end || !*optarg || v == 0 || v >= MKBOOT_MAX_MODULES) {
                fprintf(stderr, "vane mkboot: -m: a module index from 1 to %d\n",
                        MKBOOT_MAX_MODULES - 1);
                return 2;
            }
            m.first = (unsigned int)v;
        }
    }
    if (argc - optind > MKBOOT_MAX_DOMAINS) {
        fprintf(stderr, "vane mkboot: at most %d domains start at boot\n", MKBOOT_MAX_DOMAINS);
        return 1;
    }
    for (int i = optind; i < argc; i++, n++)
        if (vane_parse_config(argv[i], NULL, 0, &cfgs[n]) || check_config(&cfgs[n], cfgs, n))
            goto out;
    fdt = malloc(MKBOOT_TREE_MAX);
    if (!fdt || write_tree(fdt, cfgs, n, &m) || emit(fdt, out, &m, cfgs, n))
        goto out;
    rc = 0;
out:
    for (int i = 0; i <= n && i < MKBOOT_MAX_DOMAINS; i++)
        domain_config_free(&cfgs[i]);
    free(fdt);
    return rc;
}
