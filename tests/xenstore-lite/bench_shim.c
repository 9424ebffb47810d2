/*
 * bench_shim.c: LD_PRELOAD library that lets Debian's xenstored (the
 * comparator of make bench) start on a machine without Xen. It stands in
 * for the hypervisor interfaces xenstored opens at start-up: the control
 * interface, event channels and grant tables become inert handles, and
 * dom0's ring page and port (/proc/xen/xsd_kva, /proc/xen/xsd_port) become
 * files in $XS_SHIM_DIR. Requests then reach it only over its unix
 * socket, which is what the bench measures. Never used by the daemon.
 *
 * For differential.sh it also lets guests in: a guest's ring page (its
 * reserved grant) is the file $XS_SHIM_DIR/ring-<domid>, and its event
 * channel kicks arrive as 4-byte port numbers written to the FIFO
 * $XS_SHIM_DIR/kick, which is what xenevtchn_fd() and _pending() read.
 * Interdomain port for domid d is d + 100.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>

static int dummy_handle;
static int evtchn_pipe[2] = {-1, -1};
static int kick_fd = -1;

/* The kick FIFO when $XS_SHIM_DIR has one, else a pipe nobody writes. */
static int event_fd(void)
{
    const char *dir = getenv("XS_SHIM_DIR");
    char path[512];

    if (kick_fd >= 0)
        return kick_fd;
    if (dir) {
        snprintf(path, sizeof(path), "%s/kick", dir);
        kick_fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (kick_fd >= 0)
            return kick_fd;
    }
    if (evtchn_pipe[0] < 0 && pipe(evtchn_pipe) < 0)
        return -1;
    return evtchn_pipe[0];
}

xc_interface *xc_interface_open(xentoollog_logger *l, xentoollog_logger *dl, unsigned flags)
{
    (void)l;
    (void)dl;
    (void)flags;
    return (xc_interface *)&dummy_handle;
}

int xc_interface_close(xc_interface *xch)
{
    (void)xch;
    return 0;
}

/* Every domain asked about exists and is running. */
int xc_domain_getinfo(xc_interface *xch, uint32_t first, unsigned int max, xc_dominfo_t *info)
{
    (void)xch;
    if (max < 1)
        return 0;
    memset(info, 0, sizeof(*info));
    info->domid = first;
    info->running = 1;
    return 1;
}

xenevtchn_handle *xenevtchn_open(xentoollog_logger *logger, unsigned open_flags)
{
    (void)logger;
    (void)open_flags;
    return event_fd() < 0 ? NULL : (xenevtchn_handle *)&dummy_handle;
}

xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd, unsigned open_flags)
{
    (void)fd;
    return xenevtchn_open(logger, open_flags);
}

int xenevtchn_close(xenevtchn_handle *xce)
{
    (void)xce;
    return 0;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
    (void)xce;
    return event_fd();
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
    (void)xce;
    (void)port;
    return 0;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
                                                     evtchn_port_t remote_port)
{
    (void)xce;
    (void)remote_port;
    return (xenevtchn_port_or_error_t)domid + 100;
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
    (void)xce;
    return (xenevtchn_port_or_error_t)virq + 1;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
    (void)xce;
    (void)port;
    return 0;
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
    uint32_t port;

    (void)xce;
    if (read(event_fd(), &port, sizeof(port)) != (ssize_t)sizeof(port))
        return -1;
    return (xenevtchn_port_or_error_t)port;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
    (void)xce;
    (void)port;
    return 0;
}

xengnttab_handle *xengnttab_open(xentoollog_logger *logger, unsigned open_flags)
{
    (void)logger;
    (void)open_flags;
    return (xengnttab_handle *)&dummy_handle;
}

int xengnttab_close(xengnttab_handle *xgt)
{
    (void)xgt;
    return 0;
}

int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
    (void)xgt;
    (void)nr_grants;
    return 0;
}

/* A guest's ring: $XS_SHIM_DIR/ring-<domid>, shared with the test. */
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot)
{
    const char *dir = getenv("XS_SHIM_DIR");
    char path[512];
    void *p;
    int fd;

    (void)xgt;
    (void)ref;
    (void)prot;
    if (!dir)
        return NULL;
    snprintf(path, sizeof(path), "%s/ring-%u", dir, domid);
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
    (void)xgt;
    return munmap(start_address, count * 4096u);
}

/* dom0's port and ring page, as files in $XS_SHIM_DIR. */
int open(const char *path, int flags, ...)
{
    static int (*real_open)(const char *, int, ...);
    const char *dir = getenv("XS_SHIM_DIR");
    char alt[512];
    mode_t mode = 0;
    va_list ap;

    if (!real_open)
        real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    if (flags & O_CREAT) {
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (dir && strncmp(path, "/proc/xen/", 10) == 0) {
        snprintf(alt, sizeof(alt), "%s/%s", dir, path + 10);
        path = alt;
    }
    return real_open(path, flags, mode);
}
