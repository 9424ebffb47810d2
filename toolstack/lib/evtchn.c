/*
 * The /dev/xen/evtchn wrapper of vane (see evtchn.h). The driver masks a
 * port when it delivers it to our read(), and a write() of the port
 * number unmasks it: that is how a user-space back-end paces itself.
 */
#include "evtchn.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <xen/xen.h> /* domid_t, which the driver header uses */
#include <xen/evtchn.h>

int evtchn_open(void)
{
    int fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);

    return fd < 0 ? -errno : fd;
}

void evtchn_close(int fd)
{
    if (fd >= 0)
        close(fd);
}

int evtchn_bind_interdomain(int fd, uint16_t dom, uint32_t remote_port)
{
    struct ioctl_evtchn_bind_interdomain b = {.remote_domain = dom, .remote_port = remote_port};
    int rc = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);

    return rc < 0 ? -errno : rc; /* the driver returns the local port */
}

int evtchn_bind_virq(int fd, uint32_t virq)
{
    struct ioctl_evtchn_bind_virq b = {.virq = virq};
    int rc = ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &b);

    return rc < 0 ? -errno : rc;
}

int evtchn_unbind(int fd, uint32_t port)
{
    struct ioctl_evtchn_unbind u = {.port = port};

    return ioctl(fd, IOCTL_EVTCHN_UNBIND, &u) < 0 ? -errno : 0;
}

int evtchn_notify(int fd, uint32_t port)
{
    struct ioctl_evtchn_notify n = {.port = port};

    return ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n) < 0 ? -errno : 0;
}

int evtchn_pending(int fd)
{
    uint32_t port;
    ssize_t n = read(fd, &port, sizeof(port));

    if (n == (ssize_t)sizeof(port))
        return (int)port;
    return n < 0 ? -errno : -EIO;
}

int evtchn_unmask(int fd, uint32_t port)
{
    return write(fd, &port, sizeof(port)) == (ssize_t)sizeof(port) ? 0 : -errno;
}
