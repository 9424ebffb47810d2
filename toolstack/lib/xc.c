/*
 * The libxc of vane (see xc.h). privcmd passes a hypercall's negative
 * result back as -1 with errno set to the positive Xen errno; here it
 * becomes a negative errno again.
 */
#define _GNU_SOURCE /* program_invocation_short_name: vane or xenstored */
#include "xc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/sys/privcmd.h>

#define PAGE_SIZE 4096UL

int xc_open(struct xc *xc)
{
    xc->fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (xc->fd < 0) {
        int e = errno;
        fprintf(stderr, "%s: /dev/xen/privcmd: %s\n", program_invocation_short_name, strerror(e));
        return -e;
    }
    return 0;
}

void xc_close(struct xc *xc)
{
    if (xc->fd >= 0)
        close(xc->fd);
    xc->fd = -1;
}

long xc_hypercall(struct xc *xc, unsigned int op, uint64_t a0, uint64_t a1, uint64_t a2,
                  uint64_t a3, uint64_t a4)
{
    privcmd_hypercall_t h = {.op = op, .arg = {a0, a1, a2, a3, a4}};
    long rc = ioctl(xc->fd, IOCTL_PRIVCMD_HYPERCALL, &h);

    return rc < 0 ? -errno : rc;
}

int xc_domctl(struct xc *xc, struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
    op->cmd = cmd;
    op->domain = dom;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    return (int)xc_hypercall(xc, __HYPERVISOR_domctl, (uintptr_t)op, 0, 0, 0, 0);
}

int xc_sysctl(struct xc *xc, struct xen_sysctl *op, uint32_t cmd)
{
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return (int)xc_hypercall(xc, __HYPERVISOR_sysctl, (uintptr_t)op, 0, 0, 0, 0);
}

int xc_domain_info(struct xc *xc, domid_t dom, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op = {0};
    int rc = xc_domctl(xc, &op, XEN_DOMCTL_getdomaininfo, dom);

    if (rc)
        return rc;
    if (op.u.getdomaininfo.domain != dom)
        return -ESRCH; /* the call answers the next domain up */
    *info = op.u.getdomaininfo;
    return 0;
}

int xc_populate(struct xc *xc, domid_t dom, const uint64_t *pfns, uint64_t *mfns, size_t n)
{
    enum { BATCH = 512 };

    for (size_t done = 0; done < n;) {
        size_t k = n - done < BATCH ? n - done : BATCH;
        struct xen_memory_reservation r = {.nr_extents = k, .extent_order = 0, .domid = dom};
        long got;

        memcpy(&mfns[done], &pfns[done], k * sizeof(*mfns));
        set_xen_guest_handle(r.extent_start, (xen_pfn_t *)&mfns[done]);
        got = xc_hypercall(xc, __HYPERVISOR_memory_op, XENMEM_populate_physmap, (uintptr_t)&r, 0, 0,
                           0);
        if (got < 0)
            return (int)got;
        if ((size_t)got != k)
            return -ENOMEM; /* over the domain's limit, or the host is out */
        done += k;
    }
    return 0;
}

void *xc_map_foreign(struct xc *xc, domid_t dom, const uint64_t *mfns, size_t n)
{
    void *addr = mmap(NULL, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, xc->fd, 0);
    int *err = calloc(n, sizeof(*err));
    privcmd_mmapbatch_v2_t b = {.num = (unsigned int)n, .dom = dom};
    int rc;

    if (addr == MAP_FAILED || !err) {
        if (addr != MAP_FAILED)
            munmap(addr, n * PAGE_SIZE);
        free(err);
        return NULL;
    }
    b.addr = (uintptr_t)addr;
    b.arr = (const xen_pfn_t *)mfns;
    b.err = err;
    rc = ioctl(xc->fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b);
    for (size_t i = 0; !rc && i < n; i++)
        if (err[i])
            rc = -1;
    free(err);
    if (rc) {
        munmap(addr, n * PAGE_SIZE);
        return NULL;
    }
    return addr;
}

void xc_unmap(void *addr, size_t n)
{
    if (addr)
        munmap(addr, n * PAGE_SIZE);
}

int xc_mmuext(struct xc *xc, domid_t dom, unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = mfn};

    return (int)xc_hypercall(xc, __HYPERVISOR_mmuext_op, (uintptr_t)&op, 1, 0, dom, 0);
}

int xc_evtchn_alloc_unbound(struct xc *xc, domid_t dom, domid_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote};
    long rc = xc_hypercall(xc, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (uintptr_t)&a,
                           0, 0, 0);

    if (rc)
        return (int)rc;
    *port = a.port;
    return 0;
}
