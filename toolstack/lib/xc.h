/*
 * A small libxc: typed domctl/sysctl calls, foreign memory and event
 * channels, through Linux's /dev/xen/privcmd. No policy: every call
 * returns 0 (or a count) or a negative Xen errno.
 */
#ifndef VANE_XC_H
#define VANE_XC_H

#include <stddef.h>
#include <stdint.h>
#define __XEN_TOOLS__ 1
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/xen.h>

struct xc {
    int fd; /* /dev/xen/privcmd */
};

/* Open privcmd (said on stderr if it fails). 0 or -errno. */
int xc_open(struct xc *xc);
void xc_close(struct xc *xc);

/* A hypercall with up to five arguments: its result or -errno. */
long xc_hypercall(struct xc *xc, unsigned int op, uint64_t a0, uint64_t a1, uint64_t a2,
                  uint64_t a3, uint64_t a4);

/* domctl and sysctl with the interface version filled in. */
int xc_domctl(struct xc *xc, struct xen_domctl *op, uint32_t cmd, domid_t dom);
int xc_sysctl(struct xc *xc, struct xen_sysctl *op, uint32_t cmd);

int xc_domain_info(struct xc *xc, domid_t dom, struct xen_domctl_getdomaininfo *info);

/*
 * Give `dom` frames for pfns[0..n) (XENMEM_populate_physmap); on return
 * mfns[i] holds each one's machine frame (a PV domain sees those).
 */
int xc_populate(struct xc *xc, domid_t dom, const uint64_t *pfns, uint64_t *mfns, size_t n);

/* Map n machine frames of `dom` read-write into our address space. */
void *xc_map_foreign(struct xc *xc, domid_t dom, const uint64_t *mfns, size_t n);
void xc_unmap(void *addr, size_t n);

/* One MMUEXT_* command on a frame of `dom` (pins, for the builder). */
int xc_mmuext(struct xc *xc, domid_t dom, unsigned int cmd, uint64_t mfn);

/* An event channel of `dom` that `remote` may bind (EVTCHNOP_alloc_unbound). */
int xc_evtchn_alloc_unbound(struct xc *xc, domid_t dom, domid_t remote, uint32_t *port);

#endif
