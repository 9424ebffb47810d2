/*
 * /dev/xen/privcmd: the kernel passes IOCTL_PRIVCMD_HYPERCALL straight to
 * the hypervisor and returns its result (a negative result becomes -1 and
 * errno).
 */
#include "privcmd.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <xen/xen.h> /* domid_t, xen_pfn_t for privcmd.h */
#include <xen/sys/privcmd.h>

int privcmd_open(void)
{
    int fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);

    if (fd < 0)
        fprintf(stderr, "vane: /dev/xen/privcmd: %s\n", strerror(errno));
    return fd;
}

void privcmd_close(int fd)
{
    if (fd >= 0)
        close(fd);
}

long privcmd_hypercall(int fd, unsigned int op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                       uint64_t a4)
{
    privcmd_hypercall_t h = {.op = op, .arg = {a0, a1, a2, a3, a4}};
    return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
}
