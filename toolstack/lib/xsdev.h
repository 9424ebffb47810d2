/*
 * A split device in xenstore, as libxl lays it out: the back-end's
 * directory /local/domain/0/backend/KIND/DOM/DEVID, owned by dom0 and
 * readable by the guest, and the front-end's /local/domain/DOM/device/
 * KIND/DEVID, owned by the guest and readable by dom0, each naming the
 * other. The drivers on both sides take it from there (xenbus states).
 */
#ifndef VANE_XSDEV_H
#define VANE_XSDEV_H

#include <stdbool.h>
#include <stddef.h>

struct xsc;

struct vane_xsdev {
    const char *kind; /* "vbd", "vif" */
    unsigned int dom;
    int devid;
    char back[96];
    char front[96];
};

/* The devices' error messages: printf into err; returns -1. */
int vane_dev_fail(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void vane_xsdev_init(struct vane_xsdev *d, const char *kind, unsigned int dom, int devid);

/*
 * Both directories with their keys (key, value, ..., NULL), frontend /
 * backend links and ids added, in one transaction. 0 or -errno.
 */
int vane_xsdev_add(struct xsc *xs, const struct vane_xsdev *d, const char *const *back_kv,
                   const char *const *front_kv);

/* Whether dom has this device (its back-end's directory has a state). */
bool vane_xsdev_exists(struct xsc *xs, const struct vane_xsdev *d);

/* A back-end key's value (malloc'd), or NULL. */
char *vane_xsdev_back_read(struct xsc *xs, const struct vane_xsdev *d, const char *key);
int vane_xsdev_back_write(struct xsc *xs, const struct vane_xsdev *d, const char *key,
                          const char *value);

/*
 * Wait at most `ms` for the back-end's state to reach `want` (a
 * XenbusState); *seen is the last state read (0 if none). 0 or -ETIMEDOUT.
 */
int vane_xsdev_wait(struct xsc *xs, const struct vane_xsdev *d, int want, int ms, int *seen);

/*
 * Ask the guest to let the device go, as libxl does: the back-end's
 * online 0 and its state set to Closing, which the front-end sees and
 * answers by closing; the back-end driver follows to Closed. 0, or
 * -EBUSY if the guest kept the device within `ms` (then everything is as
 * it was, and its reason from error/ is in why, if it gave one).
 */
int vane_xsdev_close(struct xsc *xs, const struct vane_xsdev *d, int ms, char *why, size_t len);

/* Both directories removed (the back-end driver lets the device go). */
void vane_xsdev_remove(struct xsc *xs, const struct vane_xsdev *d);

/* The device ids of dom's devices of a kind, at most max; how many. */
int vane_xsdev_list(struct xsc *xs, const char *kind, unsigned int dom, int *ids, int max);

#endif
