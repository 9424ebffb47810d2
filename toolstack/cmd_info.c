/*
 * vane info: what the hypervisor says about the machine and itself, in
 * xl info's lines and order (the ones Paravane can answer), asked through
 * privcmd.
 */
#include "privcmd.h"
#include "vane.h"
#include "xc.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xen/version.h>
#include <xen/xen.h>

int cmd_info(int argc, char **argv)
{
    xen_extraversion_t extra;
    xen_capabilities_info_t caps;
    long ver;
    int fd;

    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: vane info\n");
        return 2;
    }
    fd = privcmd_open();
    if (fd < 0)
        return 1;
    memset(extra, 0, sizeof(extra));
    memset(caps, 0, sizeof(caps));
    ver = privcmd_hypercall(fd, __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
    if (ver < 0 ||
        privcmd_hypercall(fd, __HYPERVISOR_xen_version, XENVER_extraversion, (uintptr_t)extra, 0, 0,
                          0) < 0 ||
        privcmd_hypercall(fd, __HYPERVISOR_xen_version, XENVER_capabilities, (uintptr_t)caps, 0, 0,
                          0) < 0) {
        fprintf(stderr, "vane: xen_version: %s\n", strerror(errno));
        privcmd_close(fd);
        return 1;
    }
    extra[sizeof(extra) - 1] = '\0';
    caps[sizeof(caps) - 1] = '\0';
    {
        struct xc xc = {.fd = fd};
        struct xen_sysctl op = {0};
        const struct xen_sysctl_physinfo *p = &op.u.physinfo;
        int rc = xc_sysctl(&xc, &op, XEN_SYSCTL_physinfo);

        if (rc) {
            fprintf(stderr, "vane: physinfo: %s\n", strerror(-rc));
            privcmd_close(fd);
            return 1;
        }
        printf("nr_cpus                : %u\n", p->nr_cpus);
        printf("max_cpu_id             : %u\n", p->max_cpu_id);
        printf("nr_nodes               : %u\n", p->nr_nodes);
        printf("cores_per_socket       : %u\n", p->cores_per_socket);
        printf("threads_per_core       : %u\n", p->threads_per_core);
        printf("cpu_mhz                : %u.%03u\n", p->cpu_khz / 1000, p->cpu_khz % 1000);
        printf("virt_caps              : pv\n");
        printf("total_memory           : %lu\n", (unsigned long)(p->total_pages >> 8));
        printf("free_memory            : %lu\n", (unsigned long)(p->free_pages >> 8));
    }
    printf("xen_major              : %ld\n", ver >> 16);
    printf("xen_minor              : %ld\n", ver & 0xffff);
    printf("xen_extra              : %s\n", extra);
    printf("xen_caps               : %s\n", caps);
    {
        struct xc xc = {.fd = fd};
        struct xen_sysctl op = {0};

        /* xl's names of the scheduler ids, and Paravane's SEDF (4). */
        if (!xc_sysctl(&xc, &op, XEN_SYSCTL_sched_id))
            printf("xen_scheduler          : %s\n",
                   op.u.sched_id.sched_id == XEN_SCHEDULER_CREDIT    ? "credit"
                   : op.u.sched_id.sched_id == XEN_SCHEDULER_CREDIT2 ? "credit2"
                   : op.u.sched_id.sched_id == 4                     ? "sedf"
                   : op.u.sched_id.sched_id == XEN_SCHEDULER_RTDS    ? "rtds"
                                                                     : "unknown");
    }
    privcmd_close(fd);
    return 0;
}
