/*
 * Building a PV domain's start-of-day state from a kernel image in memory:
 * the layout xen.h documents (computed by hypercall-abi/), loaded segments,
 * p2m list, start_info, bootstrap page tables, hypercall page, and vCPU 0's
 * registers.
 */
#ifndef PARAVANE_DOM_BUILD_H
#define PARAVANE_DOM_BUILD_H

#include "domain.h"

struct pv_build_args {
    const void *kernel; /* ELF image (a bzImage is unpacked at build time) */
    size_t kernel_size;
    const void *initrd; /* may be NULL */
    size_t initrd_size;
    const char *cmdline;    /* guest command line */
    unsigned long nr_pages; /* the domain's memory */
    bool console_backend;   /* domU: the hypervisor serves its console ring */
    bool xenstore_in_dom0;  /* domU: its store ring is for dom0's xenstored */
};

/*
 * Give `d` its memory and start-of-day state; vCPU 0 stays down until
 * domain_unpause_boot_vcpu(). Returns 0 or a negative Xen errno, with the
 * reason logged (a malformed image, not enough memory...).
 */
int pv_build_domain(struct domain *d, const struct pv_build_args *a);

/* Fill a page with the hypercall stubs (boot builder, XEN_DOMCTL_hypercall_init). */
void write_hypercall_page(uint8_t *p);

#endif
