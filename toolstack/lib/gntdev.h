/*
 * One page another domain granted to us, mapped through Linux's
 * /dev/xen/gntdev (the way xenstored and the console daemon reach the
 * rings a domain builder granted to dom0 at the reserved references).
 */
#ifndef VANE_GNTDEV_H
#define VANE_GNTDEV_H

#include <stdint.h>

struct gnt_page {
    void *addr;     /* NULL when not mapped */
    uint64_t index; /* gntdev's offset for it, for the unmap */
};

/* Open /dev/xen/gntdev: the fd, or -errno. */
int gntdev_open(void);

/* Map grant `ref` of domain `domid` read-write: 0, or -errno. */
int gntdev_map(int fd, unsigned int domid, uint32_t ref, struct gnt_page *p);

/* Unmap it (nothing if it was not mapped). */
void gntdev_unmap(int fd, struct gnt_page *p);

#endif
