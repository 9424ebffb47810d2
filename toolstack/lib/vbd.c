/*
 * Virtual disks: the checks, the loop device, the entries blkback and
 * blkfront read, and the two ways a disk goes (vbd.h).
 */
#include "vbd.h"
#include "loopdev.h"
#include "xs_client.h"
#include "xsdev.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xen/io/xenbus.h>

#define BLKBACK_DRIVER "/sys/bus/xen-backend/drivers/vbd"
#define READY_MS       10000 /* blkback answers in milliseconds; 10 s is libxl's bound too */

static const char *format_name(enum xlcfg_disk_format f)
{
    static const char *const names[] = {"raw", "qcow", "qcow2", "vhd", "qed", "empty"};
    return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

int vane_vbd_check(const struct xlcfg_disk *d, char *err, size_t len)
{
    struct stat st;

    if (!d->target)
        return vane_dev_fail(err, len, "disk %s: no medium (an empty cdrom needs a device model)",
                             d->vdev);
    if (d->format != XLCFG_DISK_RAW)
        return vane_dev_fail(err, len, "disk %s: format %s: dom0's blkback serves raw images only",
                             d->vdev, format_name(d->format));
    if (d->backend && strcmp(d->backend, "0") && strcmp(d->backend, "Domain-0"))
        return vane_dev_fail(err, len, "disk %s: backend=%s: only dom0 serves disks", d->vdev,
                             d->backend);
    if (d->backendtype != XLCFG_BACKEND_AUTO && d->backendtype != XLCFG_BACKEND_PHY)
        return vane_dev_fail(err, len, "disk %s: only the phy back-end (blkback) is available",
                             d->vdev);
    if (d->script)
        return vane_dev_fail(err, len, "disk %s: script=%s: vane runs no hotplug scripts", d->vdev,
                             d->script);
    if (stat(d->target, &st))
        return vane_dev_fail(err, len, "disk %s: %s: %s", d->vdev, d->target, strerror(errno));
    if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
        return vane_dev_fail(err, len, "disk %s: %s is neither a block device nor a file", d->vdev,
                             d->target);
    if (access(d->target, d->readonly ? R_OK : R_OK | W_OK))
        return vane_dev_fail(err, len, "disk %s: %s: %s", d->vdev, d->target, strerror(errno));
    if (access(BLKBACK_DRIVER, F_OK))
        return vane_dev_fail(err, len,
                             "disk %s: dom0's block back-end is not loaded (modprobe xen-blkback)",
                             d->vdev);
    return 0;
}

/* The block device blkback opens: the target itself, or a loop device on it. */
static int block_device(const struct xlcfg_disk *d, char *node, size_t nlen, bool *loop,
                        struct stat *st, char *err, size_t len)
{
    int rc;

    if (stat(d->target, st))
        return vane_dev_fail(err, len, "disk %s: %s: %s", d->vdev, d->target, strerror(errno));
    *loop = !S_ISBLK(st->st_mode);
    if (!*loop) {
        snprintf(node, nlen, "%s", d->target);
        return 0;
    }
    rc = vane_loop_attach(d->target, d->readonly, node, nlen);
    if (rc)
        return vane_dev_fail(err, len, "disk %s: no loop device for %s: %s", d->vdev, d->target,
                             strerror(-rc));
    if (stat(node, st)) {
        rc = errno;
        vane_loop_detach(node);
        return vane_dev_fail(err, len, "disk %s: %s: %s", d->vdev, node, strerror(rc));
    }
    return 0;
}

int vane_vbd_add(struct xsc *xs, unsigned int dom, const struct xlcfg_disk *d, char *err,
                 size_t len)
{
    struct vane_xsdev dev;
    struct stat st;
    char node[64], physdev[32], devid[16];
    bool loop;
    int rc, seen;

    if (block_device(d, node, sizeof(node), &loop, &st, err, len))
        return -1;
    snprintf(physdev, sizeof(physdev), "%x:%x", major(st.st_rdev), minor(st.st_rdev));
    snprintf(devid, sizeof(devid), "%d", xlcfg_vdev_number(d->vdev));
    vane_xsdev_init(&dev, "vbd", dom, xlcfg_vdev_number(d->vdev));
    {
        const char *type = d->cdrom ? "cdrom" : "disk";
        const char *back[] = {"online",
                              "1",
                              "removable",
                              "0",
                              "bootable",
                              "1",
                              "state",
                              "1",
                              "dev",
                              d->vdev,
                              "type",
                              "phy",
                              "mode",
                              d->readonly ? "r" : "w",
                              "device-type",
                              type,
                              "discard-enable",
                              d->discard ? "1" : "0",
                              "params",
                              d->target,
                              "physical-device",
                              physdev,
                              "physical-device-path",
                              node,
                              loop ? "node" : NULL,
                              node,
                              NULL};
        const char *front[] = {"state", "1",       "virtual-device",       devid, "device-type",
                               type,    "trusted", d->trusted ? "1" : "0", NULL};

        rc = vane_xsdev_add(xs, &dev, back, front);
    }
    if (rc) {
        vane_dev_fail(err, len, "disk %s: xenstore: %s", d->vdev, strerror(-rc));
    } else if ((rc = vane_xsdev_wait(xs, &dev, XenbusStateInitWait, READY_MS, &seen))) {
        char *e = xsc_read(xs, 0, "/local/domain/0/error/backend", NULL);

        vane_dev_fail(err, len, "disk %s: blkback did not take %s (state %d after %d s)%s%s",
                      d->vdev, node, seen, READY_MS / 1000, e ? ": " : "", e ? e : "");
        free(e);
    } else if ((rc = vane_xsdev_back_write(xs, &dev, "hotplug-status", "connected"))) {
        vane_dev_fail(err, len, "disk %s: xenstore: %s", d->vdev, strerror(-rc));
    }
    if (rc) {
        vane_xsdev_remove(xs, &dev);
        if (loop)
            vane_loop_detach(node);
        return -1;
    }
    return 0;
}

/* blkback has let the device go (its sysfs entry is gone), at most ~10 s. */
static void wait_backend_gone(unsigned int dom, int devid)
{
    char path[96];

    snprintf(path, sizeof(path), "/sys/bus/xen-backend/devices/vbd-%u-%d", dom, devid);
    for (int i = 0; i < 500 && !access(path, F_OK); i++)
        usleep(20000);
}

/* A loop device vane made for a disk freed, its image's data on stable storage. */
static void free_loop(const char *node, const char *image)
{
    int fd;

    if (!node)
        return; /* a block device given by path: not ours */
    vane_loop_detach(node);
    if (image && (fd = open(image, O_RDONLY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
}

int vane_vbd_remove(struct xsc *xs, unsigned int dom, int devid, char *err, size_t len)
{
    struct vane_xsdev dev;
    char why[128];

    vane_xsdev_init(&dev, "vbd", dom, devid);
    if (!vane_xsdev_exists(xs, &dev))
        return vane_dev_fail(err, len, "domain %u has no disk %d", dom, devid);
    if (vane_xsdev_close(xs, &dev, READY_MS, why, sizeof(why)))
        return vane_dev_fail(err, len, "disk %d of domain %u is in use by the guest: %s", devid,
                             dom, why);
    vane_vbd_release_one(xs, dom, devid);
    return 0;
}

void vane_vbd_release_one(struct xsc *xs, unsigned int dom, int devid)
{
    struct vane_xsdev dev;
    char *node, *image;

    vane_xsdev_init(&dev, "vbd", dom, devid);
    node = vane_xsdev_back_read(xs, &dev, "node");
    image = vane_xsdev_back_read(xs, &dev, "params");
    vane_xsdev_remove(xs, &dev);
    wait_backend_gone(dom, devid);
    free_loop(node, image);
    free(node);
    free(image);
}

void vane_vbd_release_all(struct xsc *xs, unsigned int dom)
{
    int ids[64], n = vane_xsdev_list(xs, "vbd", dom, ids, 64);

    for (int i = 0; i < n; i++)
        vane_vbd_release_one(xs, dom, ids[i]);
}
