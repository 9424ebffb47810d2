/*
 * Virtual disks (vbd): a domain's disk= entries served by dom0's blkback,
 * as libxl and Xen's `block` hotplug script attach them.
 */
#ifndef VANE_VBD_H
#define VANE_VBD_H

#include "cfg/xlcfg.h"
#include <stddef.h>

struct xsc;

/*
 * Whether dom0 can serve this disk, before anything is made: its target
 * exists with the access asked, it is raw, dom0 serves it, blkback is
 * loaded. 0, or -1 with the reason in err (the device named).
 */
int vane_vbd_check(const struct xlcfg_disk *d, char *err, size_t len);

/*
 * Attach a checked disk to dom: a loop device for an image file, the
 * xenstore entries, blkback's answer (InitWait), hotplug-status. On
 * failure nothing of it is left. 0 or -1 with err.
 */
int vane_vbd_add(struct xsc *xs, unsigned int dom, const struct xlcfg_disk *d, char *err,
                 size_t len);

/*
 * Detach: ask the front-end to close (libxl's protocol: the back-end's
 * state set to Closing) and wait for the back-end to be Closed; a guest
 * that keeps the disk open refuses, and the disk stays. Then the entries
 * and the loop device go. 0 or -1 with err.
 */
int vane_vbd_remove(struct xsc *xs, unsigned int dom, int devid, char *err, size_t len);

/* One disk taken away without asking the guest (block-detach -f). */
void vane_vbd_release_one(struct xsc *xs, unsigned int dom, int devid);

/*
 * A destroyed domain's disks: entries removed, so blkback unmaps the
 * guest's grants and closes the device; loop devices freed once it has,
 * and their images synced.
 */
void vane_vbd_release_all(struct xsc *xs, unsigned int dom);

#endif
