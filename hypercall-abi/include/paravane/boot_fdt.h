/*
 * Boot-time domains described by a device tree, as Xen's dom0less
 * binding describes them (Xen's docs/misc/arm/device-tree/booting.txt,
 * "Creating Multiple Domains directly from Xen"), for a multiboot loader.
 *
 *   / {
 *       chosen {
 *           domU1 {                           the domain's name
 *               compatible = "xen,domain";
 *               memory = <0x0 0x20000>;       KiB, one or two cells
 *               cpus = <2>;                   vCPUs (default 1)
 *               sched-weight = <512>;         optional scheduler parameters
 *               module@2 {
 *                   compatible = "multiboot,kernel", "multiboot,module";
 *                   mb-index = <2>;           the kernel's multiboot module
 *                   bootargs = "console=hvc0";
 *               };
 *               module@3 {
 *                   compatible = "multiboot,ramdisk", "multiboot,module";
 *                   mb-index = <3>;
 *               };
 *           };
 *       };
 *   };
 *
 * Where Xen on Arm gives a module's physical address in `reg`, a multiboot
 * loader decides where modules go, so a module node names its module by
 * its index in the loader's list (0 is the hypervisor's first module,
 * dom0's kernel): `mb-index`, the name Xen's x86 hyperlaunch design
 * (docs/designs/launch/hyperlaunch-devicetree.rst) gives it. `bootargs` on
 * the kernel node is the domain's command line; without it the module's
 * own multiboot command line is used. Other nodes under /chosen, and
 * properties this reader does not know, are ignored (as Xen ignores them).
 *
 * Scheduler parameters, Paravane's, named after libxl's
 * libxl_domain_sched_params fields; each is applied when the running
 * scheduler has it (as xl does) and the others are left aside:
 *   sched-weight       <u32>  Credit weight, or SEDF's for a weight-driven
 *                             domain, 1..65535
 *   sched-cap          <u32>  Credit cap, percent of one CPU, 0 = none
 *   sched-period-ns    <u64>  SEDF period (with sched-slice-ns)
 *   sched-slice-ns     <u64>  SEDF guaranteed time per period
 *   sched-latency-ns   <u64>  SEDF wake-up latency hint, 0 = none
 *   sched-extratime    <u32>  SEDF: 1 = may run in idle time
 * SEDF times are nanoseconds, the unit of its domctl (paravane/sched_sedf.h).
 */
#ifndef PARAVANE_BOOT_FDT_H
#define PARAVANE_BOOT_FDT_H

#include <paravane/fdt.h>

#define PV_BOOT_MAX_DOMAINS 8
#define PV_BOOT_NAME_MAX    32 /* NUL included; longer names are refused */
#define PV_BOOT_NO_MODULE   0xffffffffu
#define PV_BOOT_MAX_MEM_KIB (1ULL << 34) /* 16 TiB */
#define PV_BOOT_CMDLINE_MAX 1024         /* Xen's MAX_GUEST_CMDLINE, NUL included */

/* Bits of pv_boot_sched.given. */
#define PV_BOOT_SCHED_WEIGHT    (1u << 0)
#define PV_BOOT_SCHED_CAP       (1u << 1)
#define PV_BOOT_SCHED_PERIOD    (1u << 2) /* and slice */
#define PV_BOOT_SCHED_LATENCY   (1u << 3)
#define PV_BOOT_SCHED_EXTRATIME (1u << 4)

struct pv_boot_sched {
    uint32_t given; /* PV_BOOT_SCHED_* */
    uint32_t weight, cap;
    uint64_t period_ns, slice_ns, latency_ns;
    uint32_t extratime; /* 0 or 1 */
};

struct pv_boot_domain_desc {
    char name[PV_BOOT_NAME_MAX]; /* the node's name */
    uint64_t memory_kib;
    uint32_t cpus;
    uint32_t kernel, ramdisk; /* module indexes; ramdisk may be PV_BOOT_NO_MODULE */
    const char *bootargs;     /* inside the blob, or NULL */
    struct pv_boot_sched sched;
};

/*
 * Read the xen,domain nodes under /chosen of the opened tree T into
 * OUT[0..*N). A module index must be below NR_MODULES and its bit set in
 * FREE_MODULES (not dom0's kernel, not a tree); cpus at most MAX_VCPUS.
 * 0 (*N may be 0), or -XEN_EINVAL / -XEN_ENOSPC with ERR naming the
 * node (and property) at fault. Nothing in OUT is meaningful on error.
 */
int pv_boot_fdt_domains(const struct pvfdt *t, uint32_t nr_modules, uint32_t free_modules,
                        uint32_t max_vcpus, struct pv_boot_domain_desc *out, unsigned int max,
                        unsigned int *n, struct pvfdt_error *err);

#endif /* PARAVANE_BOOT_FDT_H */
