/*
 * Loop devices for disk images, the job Xen's `block` hotplug script does
 * with losetup: an image file becomes a block device blkback can open.
 */
#ifndef VANE_LOOPDEV_H
#define VANE_LOOPDEV_H

#include <stdbool.h>
#include <stddef.h>

/* Bind `file` to a free loop device; its path (/dev/loopN) in dev. 0 or -errno. */
int vane_loop_attach(const char *file, bool readonly, char *dev, size_t len);

/*
 * Unbind a loop device made by vane_loop_attach. If something still holds
 * it open, the kernel unbinds it at the last close instead. 0 or -errno.
 */
int vane_loop_detach(const char *dev);

#endif
