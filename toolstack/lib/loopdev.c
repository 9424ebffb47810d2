/*
 * Loop devices through the kernel's interface (loop(4)): /dev/loop-control
 * hands out a free device number, LOOP_CONFIGURE binds the file to it in
 * one step. Another binder may take the same free device between the two
 * calls (EBUSY): then ask again.
 */
#include "loopdev.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* devtmpfs makes the node when the device is made; wait for it a moment. */
static int open_node(const char *dev, int flags)
{
    for (int i = 0; i < 100; i++) {
        int fd = open(dev, flags | O_CLOEXEC);

        if (fd >= 0 || errno != ENOENT)
            return fd;
        usleep(10000);
    }
    return -1;
}

int vane_loop_attach(const char *file, bool readonly, char *dev, size_t len)
{
    int mode = readonly ? O_RDONLY : O_RDWR;
    int ctl, ffd, rc = -EBUSY;

    ffd = open(file, mode | O_CLOEXEC);
    if (ffd < 0)
        return -errno;
    ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (ctl < 0) {
        rc = -errno;
        close(ffd);
        return rc;
    }
    for (int tries = 0; tries < 10 && rc == -EBUSY; tries++) {
        struct loop_config cfg = {.fd = (unsigned int)ffd, .block_size = 0};
        int n = ioctl(ctl, LOOP_CTL_GET_FREE), lfd;

        if (n < 0) {
            rc = -errno;
            break;
        }
        snprintf(dev, len, "/dev/loop%d", n);
        lfd = open_node(dev, mode);
        if (lfd < 0) {
            rc = -errno;
            break;
        }
        cfg.info.lo_flags = readonly ? LO_FLAGS_READ_ONLY : 0;
        snprintf((char *)cfg.info.lo_file_name, sizeof(cfg.info.lo_file_name), "%s", file);
        rc = ioctl(lfd, LOOP_CONFIGURE, &cfg) ? -errno : 0;
        close(lfd);
    }
    close(ctl);
    close(ffd);
    return rc;
}

int vane_loop_detach(const char *dev)
{
    int fd = open(dev, O_RDONLY | O_CLOEXEC), rc;

    if (fd < 0)
        return -errno;
    rc = ioctl(fd, LOOP_CLR_FD, 0) ? -errno : 0;
    close(fd);
    return rc == -ENXIO ? 0 : rc; /* ENXIO: already unbound */
}
