/*
 * The domains started at boot, from the multiboot modules.
 *
 * Module 0 is dom0's kernel (privileged, SIF_INITDOMAIN), sized by
 * dom0_mem= and dom0_max_vcpus=. Each `domain=MOD:MEM:VCPUS[:INITRD]`
 * option makes module MOD an unprivileged domain with MEM bytes (K/M/G
 * suffixes) and VCPUS vCPUs, numbered from 1 in option order, with module
 * INITRD as its initrd. Module 1 is dom0's initrd when no domain= option
 * claims it.
 *
 * A module holding a flattened device tree (its magic, 0xd00dfeed)
 * describes more domUs, as Xen's dom0less binding does (the format is
 * documented in <paravane/boot_fdt.h>; `vane mkboot` writes it from xl.cfg
 * files). They are numbered after the domain= ones, in tree order, and
 * built by the same start_domain() with the tree's name, command line
 * (bootargs) and scheduler parameters. A tree is taken whole or not at
 * all: a malformed one is refused with the node at fault named in the
 * log, and the other domains, dom0 first, start as they would without it.
 */
#include "asm/page.h"
#include "cmdline.h"
#include "console.h"
#include "dom_build.h"
#include "domain.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "multiboot.h"
#include "schedule.h"
#include "smp.h"
#include <paravane/boot_fdt.h>
#include <xen/errno.h>

#define MAX_BOOT_DOMAINS 8
#define NO_MODULE        ((unsigned int)-1)
#define DEFAULT_DOM0_MEM MiB(128)

struct boot_domain {
    unsigned int kernel, initrd; /* module indexes */
    uint64_t mem;
    unsigned int vcpus;
    /* From a device tree: its node's name, bootargs (NULL: the kernel
     * module's command line) and scheduler parameters. */
    const char *name;
    const char *cmdline;
    struct pv_boot_sched sched;
};

static struct boot_domain domus[MAX_BOOT_DOMAINS];
static unsigned int nr_domus;
static uint32_t dt_modules; /* bit n: module n is a device tree */
_Static_assert(MAX_BOOT_MODULES < 32, "module sets are 32-bit masks");
/* Descriptions read from trees: their names and strings stay here. */
static struct pv_boot_domain_desc dt_descs[MAX_BOOT_DOMAINS];
static uint64_t dom0_mem_opt;
static unsigned int dom0_vcpus_opt;
OPTION_SIZE("dom0_mem", dom0_mem_opt);
OPTION_UINT("dom0_max_vcpus", dom0_vcpus_opt);
/*
 * domu_xenstore: boot-time domUs get a xenstore ring for dom0's xenstored
 * (an event channel left unbound for dom0, the ring granted to it at
 * GNTTAB_RESERVED_XENSTORE). Their Linux then waits in xenbus until dom0
 * introduces them, so only set it when dom0 runs xenstored.
 */
static bool domu_xenstore_opt;
OPTION_BOOL("domu_xenstore", domu_xenstore_opt);

static int parse_uint_field(const char **p, unsigned long *out)
{
    int rc = parse_ulong(*p, p, out);
    if (rc)
        return rc;
    if (**p == ':')
        (*p)++;
    else if (**p)
        return -XEN_EINVAL;
    return 0;
}

/* domain=MOD:MEM:VCPUS[:INITRD] */
static int parse_domain(const char *s)
{
    struct boot_domain bd = {.initrd = NO_MODULE};
    unsigned long v;
    const char *p = s;

    if (nr_domus == MAX_BOOT_DOMAINS)
        return -XEN_ENOSPC;
    if (parse_uint_field(&p, &v) || v >= MAX_BOOT_MODULES)
        return -XEN_EINVAL;
    bd.kernel = (unsigned int)v;
    if (parse_size(p, &p, &bd.mem) || *p++ != ':')
        return -XEN_EINVAL;
    if (parse_uint_field(&p, &v) || v == 0 || v > MAX_VCPUS)
        return -XEN_EINVAL;
    bd.vcpus = (unsigned int)v;
    if (*p) {
        if (parse_uint_field(&p, &v) || v >= MAX_BOOT_MODULES || *p)
            return -XEN_EINVAL;
        bd.initrd = (unsigned int)v;
    }
    domus[nr_domus++] = bd;
    return 0;
}
OPTION_CUSTOM("domain", parse_domain);

/*
 * domain_cycles=MOD:MEM:N[:VCPUS], a test hook: run module MOD as a domain
 * of MEM bytes (and VCPUS vCPUs, default 1) N times, one after the other (each built when the
 * previous one has been destroyed), and report the heap's free pages before the first and after the
 * last, which must be equal.
 */
static struct boot_domain cycle_dom;
static unsigned long cycles_wanted, cycles_done, cycle_free_before;
static domid_t cycle_id;
#define CYCLE_FIRST_DOMID 100

static int parse_cycles(const char *s)
{
    unsigned long v;
    const char *p = s;

    if (parse_uint_field(&p, &v) || v >= MAX_BOOT_MODULES)
        return -XEN_EINVAL;
    cycle_dom.kernel = (unsigned int)v;
    cycle_dom.initrd = NO_MODULE;
    cycle_dom.vcpus = 1;
    if (parse_size(p, &p, &cycle_dom.mem) || *p++ != ':')
        return -XEN_EINVAL;
    if (parse_uint_field(&p, &v) || v == 0)
        return -XEN_EINVAL;
    cycles_wanted = v;
    if (*p) { /* VCPUS, optional (make soak's fuzzer wants several) */
        if (parse_uint_field(&p, &v) || v == 0 || v > MAX_VCPUS || *p)
            return -XEN_EINVAL;
        cycle_dom.vcpus = (unsigned int)v;
    }
    return 0;
}
OPTION_CUSTOM("domain_cycles", parse_cycles);

static bool module_claimed(unsigned int m)
{
    if (m < 32 && (dt_modules & (1u << m)))
        return true;
    for (unsigned int i = 0; i < nr_domus; i++)
        if (domus[i].kernel == m || domus[i].initrd == m)
            return true;
    return false;
}

static struct domain *start_domain(domid_t id, bool priv, const struct boot_domain *bd)
{
    const struct boot_module *k = &boot_info.mod[bd->kernel];
    const struct boot_module *rd = bd->initrd != NO_MODULE ? &boot_info.mod[bd->initrd] : NULL;
    struct pv_build_args a = {
        .kernel = __va(k->start),
        .kernel_size = k->end - k->start,
        .initrd = rd ? __va(rd->start) : NULL,
        .initrd_size = rd ? rd->end - rd->start : 0,
        .cmdline = bd->cmdline ? bd->cmdline : k->cmdline,
        .nr_pages = PFN_DOWN(bd->mem),
        .console_backend = !priv,
        .xenstore_in_dom0 = !priv && domu_xenstore_opt,
    };
    struct domain *d;

    if (bd->kernel >= boot_info.nr_modules ||
        (bd->initrd != NO_MODULE && bd->initrd >= boot_info.nr_modules)) {
        pr_err("domain %u: no such boot module\n", id);
        return NULL;
    }
    d = domain_create(id, priv, bd->vcpus);
    if (!d)
        return NULL;
    if (bd->name)
        pr_info("domain %u is %s, from a device tree: %lu KiB, %u vCPU%s\n", id, bd->name,
                (unsigned long)(bd->mem >> 10), bd->vcpus, bd->vcpus == 1 ? "" : "s");
    if (pv_build_domain(d, &a)) {
        domain_crash(d, "could not be built");
        return NULL;
    }
    if (sched_apply_boot_params(d, &bd->sched)) {
        domain_crash(d, "its scheduler parameters were refused");
        return NULL;
    }
    domain_unpause_boot_vcpu(d);
    return d;
}

static unsigned long heap_free_pages(void)
{
    struct heap_stats st;
    heap_get_stats(&st);
    return st.free_pages;
}

static void start_cycle(void)
{
    cycle_id = (domid_t)(CYCLE_FIRST_DOMID + cycles_done);
    if (!start_domain(cycle_id, false, &cycle_dom))
        printk_raw("paravane: domain cycles: cycle %lu failed to start\n", cycles_done + 1);
}

void boot_domain_reaped(domid_t id)
{
    if (!cycles_wanted || id != cycle_id)
        return;
    if (++cycles_done < cycles_wanted) {
        start_cycle();
        return;
    }
    printk_raw("paravane: domain cycles: %lu done, free pages before %lu, after %lu\n", cycles_done,
               cycle_free_before, heap_free_pages());
}

/*
 * Module M is a device tree: check it whole, then append its domains, or
 * refuse it (all of it) naming the node at fault.
 */
static void read_tree(unsigned int m, uint32_t free_modules)
{
    const struct boot_module *bm = &boot_info.mod[m];
    struct pv_boot_domain_desc *descs = &dt_descs[nr_domus];
    struct pvfdt_error err;
    struct pvfdt t;
    unsigned int n;
    int rc;

    rc = pvfdt_open(&t, __va(bm->start), bm->end - bm->start, &err);
    if (!rc)
        rc = pv_boot_fdt_domains(&t, boot_info.nr_modules, free_modules, MAX_VCPUS, descs,
                                 MAX_BOOT_DOMAINS - nr_domus, &n, &err);
    if (rc) {
        pr_err("device tree in module %u refused: %s: %s%s%s (offset %#x)\n", m,
               err.node[0] ? err.node : "header", err.prop, err.prop[0] ? ": " : "", err.what,
               err.offset);
        return;
    }
    pr_info("device tree in module %u: %u domain%s\n", m, n, n == 1 ? "" : "s");
    for (unsigned int i = 0; i < n; i++) {
        struct boot_domain *bd = &domus[nr_domus++];

        *bd = (struct boot_domain){
            .kernel = descs[i].kernel,
            .initrd = descs[i].ramdisk == PV_BOOT_NO_MODULE ? NO_MODULE : descs[i].ramdisk,
            .mem = descs[i].memory_kib << 10,
            .vcpus = descs[i].cpus,
            .name = descs[i].name,
            .cmdline = descs[i].bootargs,
            .sched = descs[i].sched,
        };
    }
}

/* Find the modules that hold device trees, then read each. */
static void read_trees(void)
{
    uint32_t free_modules;

    for (unsigned int m = 1; m < boot_info.nr_modules; m++) {
        const struct boot_module *bm = &boot_info.mod[m];

        if (pvfdt_is_fdt(__va(bm->start), bm->end - bm->start))
            dt_modules |= 1u << m;
    }
    /* A tree may name any module but dom0's kernel and the trees. */
    free_modules = ((1u << boot_info.nr_modules) - 1) & ~dt_modules & ~1u;
    for (unsigned int m = 1; m < boot_info.nr_modules; m++)
        if (dt_modules & (1u << m))
            read_tree(m, free_modules);
}

void start_boot_domains(void)
{
    struct boot_domain dom0 = {
        .kernel = 0,
        .initrd = NO_MODULE,
        .mem = dom0_mem_opt ? dom0_mem_opt : DEFAULT_DOM0_MEM,
        .vcpus = dom0_vcpus_opt ? dom0_vcpus_opt : 1,
    };

    if (!boot_info.nr_modules) {
        pr_info("no boot modules: no domains to start\n");
        return;
    }
    read_trees();
    if (boot_info.nr_modules > 1 && !module_claimed(1))
        dom0.initrd = 1;
    if (module_claimed(0))
        pr_warn("module 0 is dom0's kernel; a domain= option naming it is ignored\n");
    if (start_domain(0, true, &dom0))
        console_set_input_to_dom0(true); /* as on Xen: the console is dom0's */
    for (unsigned int i = 0; i < nr_domus; i++)
        if (domus[i].kernel != 0)
            start_domain((domid_t)(i + 1), false, &domus[i]);
    if (cycles_wanted) {
        cycle_free_before = heap_free_pages();
        start_cycle();
    }
}
