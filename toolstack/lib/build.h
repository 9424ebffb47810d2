/*
 * The PV domain builder of the toolstack: the start-of-day state xen.h
 * describes, made from dom0 through privcmd with the same hypercall-abi/
 * loader and layout code the hypervisor's boot-time builder uses.
 */
#ifndef VANE_BUILD_H
#define VANE_BUILD_H

#include "xc.h"
#include <stdbool.h>

struct build_params {
    const void *kernel; /* a PV ELF image or a bzImage, in memory */
    size_t kernel_size;
    const void *ramdisk; /* may be NULL */
    size_t ramdisk_size;
    const char *cmdline;
    uint64_t nr_pages;     /* the domain's memory */
    domid_t console_domid; /* who serves its console ring and store (0) */
};

struct build_result {
    uint64_t console_mfn, store_mfn;
    uint32_t console_port, store_port;
    char guest_os[64];
};

/*
 * Fill domain `dom` (created, paused, max_mem set) and give vCPU 0 its
 * context; the caller unpauses it. On failure the domain is left for the
 * caller to destroy. `err` gets a one-line reason. 0 or -errno.
 */
int vane_build_pv(struct xc *xc, domid_t dom, const struct build_params *p,
                  struct build_result *out, char *err, size_t errlen);

#endif
