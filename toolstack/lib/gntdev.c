/*
 * See gntdev.h. Mapping is two steps: the ioctl asks the kernel to map the
 * grant and names an offset in the device; mmap at that offset gives the
 * page. Unmapping undoes both; the kernel unmaps the grant once neither
 * the mmap nor the ioctl's reservation holds it.
 */
#include "gntdev.h"
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
/* Xen's public types (domid_t, grant_ref_t) before Linux's UAPI header. */
#include <xen/grant_table.h>
#include <xen/gntdev.h>

#define PAGE 4096

int gntdev_open(void)
{
    int fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);

    return fd < 0 ? -errno : fd;
}

int gntdev_map(int fd, unsigned int domid, uint32_t ref, struct gnt_page *p)
{
    struct ioctl_gntdev_map_grant_ref m = {.count = 1};
    struct ioctl_gntdev_unmap_grant_ref u = {.count = 1};
    void *addr;
    int err;

    p->addr = NULL;
    m.refs[0].domid = domid;
    m.refs[0].ref = ref;
    if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m) < 0)
        return -errno;
    addr = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)m.index);
    if (addr == MAP_FAILED) {
        err = errno;
        u.index = m.index;
        ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
        return -err;
    }
    p->addr = addr;
    p->index = m.index;
    return 0;
}

void gntdev_unmap(int fd, struct gnt_page *p)
{
    struct ioctl_gntdev_unmap_grant_ref u = {.index = p->index, .count = 1};

    if (!p->addr)
        return;
    munmap(p->addr, PAGE);
    ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
    p->addr = NULL;
}
