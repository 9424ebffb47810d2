/*
 * vane list / vane wait: the domains the hypervisor has, from
 * XEN_DOMCTL_getdomaininfo (xl list's columns), and waiting for one to go.
 */
#include "privcmd.h"
#include "vane.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#define __XEN_TOOLS__ 1 /* domctl.h is the toolstack's interface */
#include <xen/domctl.h>
#include <xen/sched.h>

/* The first domain with id >= `from` into *info: 0, or -1 with errno. */
static int domaininfo(int fd, domid_t from, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_getdomaininfo;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op.domain = from;
    if (privcmd_hypercall(fd, __HYPERVISOR_domctl, (uintptr_t)&op, 0, 0, 0, 0) < 0)
        return -1;
    *info = op.u.getdomaininfo;
    return 0;
}

/* xl's state column: running, blocked, paused, shutdown, crashed, dying. */
static void state_string(uint32_t flags, char out[7])
{
    unsigned int code = (flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    bool shut = flags & XEN_DOMINF_shutdown;

    out[0] = flags & XEN_DOMINF_running ? 'r' : '-';
    out[1] = flags & XEN_DOMINF_blocked ? 'b' : '-';
    out[2] = flags & XEN_DOMINF_paused ? 'p' : '-';
    out[3] = shut && code != SHUTDOWN_crash ? 's' : '-';
    out[4] = shut && code == SHUTDOWN_crash ? 'c' : '-';
    out[5] = flags & XEN_DOMINF_dying ? 'd' : '-';
    out[6] = '\0';
}

int cmd_list(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    unsigned int next = 0;
    int fd;

    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: vane list\n");
        return 2;
    }
    fd = privcmd_open();
    if (fd < 0)
        return 1;
    printf("%-32s %5s %7s %5s %6s %9s\n", "Name", "ID", "Mem", "VCPUs", "State", "Time(s)");
    while (next < DOMID_FIRST_RESERVED && domaininfo(fd, (domid_t)next, &info) == 0) {
        char name[16], state[7];

        snprintf(name, sizeof(name), info.domain ? "d%u" : "Domain-0", info.domain);
        state_string(info.flags, state);
        printf("%-32s %5u %7llu %5u %6s %9.1f\n", name, info.domain,
               (unsigned long long)info.tot_pages / 256, info.nr_online_vcpus, state,
               (double)info.cpu_time / 1e9);
        next = info.domain + 1u;
    }
    if (errno != ESRCH && next < DOMID_FIRST_RESERVED) {
        fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(errno));
        privcmd_close(fd);
        return 1;
    }
    privcmd_close(fd);
    return 0;
}

int cmd_wait(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    unsigned long domid, timeout = 0;
    char *end;
    time_t until;
    int fd;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: vane wait DOMID [TIMEOUT_SECONDS]\n");
        return 2;
    }
    domid = strtoul(argv[1], &end, 10);
    if (*end || domid >= DOMID_FIRST_RESERVED) {
        fprintf(stderr, "vane: '%s' is not a domain id\n", argv[1]);
        return 2;
    }
    if (argc == 3) {
        timeout = strtoul(argv[2], &end, 10);
        if (*end) {
            fprintf(stderr, "vane: '%s' is not a number of seconds\n", argv[2]);
            return 2;
        }
    }
    fd = privcmd_open();
    if (fd < 0)
        return 1;
    until = time(NULL) + (time_t)timeout;
    for (;;) {
        int rc = domaininfo(fd, (domid_t)domid, &info);

        if (rc < 0 && errno != ESRCH) {
            fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(errno));
            break;
        }
        if (rc < 0 || info.domain != domid) {
            privcmd_close(fd);
            return 0; /* gone */
        }
        if (timeout && time(NULL) >= until) {
            fprintf(stderr, "vane: domain %lu still there after %lu s\n", domid, timeout);
            break;
        }
        usleep(200000);
    }
    privcmd_close(fd);
    return 1;
}
