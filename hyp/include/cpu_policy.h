/*
 * A domain's CPU policy: which CPUID leaves and feature flags it is
 * given, as Xen 4.17's toolstack reads and sets them (XEN_SYSCTL_
 * get_cpu_policy / get_cpu_featureset, XEN_DOMCTL_{get,set}_cpu_policy).
 *
 * Every PV guest starts from what guest_cpuid() gives (the real CPU's
 * leaves filtered to what a ring-3 guest kernel may use, the Xen leaves
 * at 0x40000000): that is both the PV default and the PV maximum. Before
 * a domain first runs, its toolstack may narrow it: fewer leaves (lower
 * maxima), fewer features, a lower Xen-leaf limit. Anything else (more
 * than the maximum, different vendor, family, cache or topology data) is
 * refused, naming the leaf. The policy applies to the CPUID a guest asks
 * the hypervisor for (the forced-emulation prefix every PV kernel uses);
 * a bare CPUID instruction runs on the CPU unfiltered, as it does under
 * Xen on hardware without CPUID faulting.
 */
#ifndef PARAVANE_CPU_POLICY_H
#define PARAVANE_CPU_POLICY_H

#include "types.h"
#include <xen/xen.h>
#include <xen/arch-x86/xen.h>

/* The featureset words the installed headers know (cpufeatureset.h). */
union cpu_policy_fs_words_ {
#define XEN_CPUFEATURE(name, value) char f_##name[(value) / 32 + 1];
#include <xen/arch-x86/cpufeatureset.h>
#undef XEN_CPUFEATURE
};
#define CPU_POLICY_FS_WORDS sizeof(union cpu_policy_fs_words_)

struct domain_cpu_policy {
    bool set;           /* false: the default, nothing narrowed */
    bool settable;      /* made by the toolstack, not yet run */
    uint32_t basic_max; /* leaf 0 EAX */
    uint32_t feat_max;  /* leaf 7.0 EAX */
    uint32_t extd_max;  /* leaf 0x80000000 EAX */
    uint32_t hv_limit;  /* Xen leaves after 0x40000000 (0: all) */
    uint32_t hv2_limit; /* the Viridian block's: kept, unused (PV) */
    uint32_t fs[CPU_POLICY_FS_WORDS];
};

struct domain;
/* Narrow a CPUID answer computed by guest_cpuid() to d's policy. */
void cpu_policy_apply(const struct domain *d, uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                      uint32_t *c, uint32_t *dx);

struct xen_domctl_cpu_policy;
struct xen_sysctl_cpu_policy;
struct xen_sysctl_cpu_featureset;
long cpu_policy_get_domain(struct domain *d, struct xen_domctl_cpu_policy *p);
long cpu_policy_set_domain(struct domain *d, struct xen_domctl_cpu_policy *p);
long cpu_policy_get_system(struct xen_sysctl_cpu_policy *p);
long cpu_featureset_get(struct xen_sysctl_cpu_featureset *f);
/* The host's featureset, its first `nr` words (physinfo's hw_cap). */
void cpu_policy_host_featureset(uint32_t *fs, unsigned int nr);

#endif
