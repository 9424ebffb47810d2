/*
 * Hypercalls from dom0 user space through Linux's /dev/xen/privcmd.
 */
#ifndef VANE_PRIVCMD_H
#define VANE_PRIVCMD_H

#include <stdint.h>

/* Open /dev/xen/privcmd. -1 with errno set (and said on stderr) on failure. */
int privcmd_open(void);
void privcmd_close(int fd);

/*
 * Issue hypercall `op` with up to five arguments. Returns the hypercall's
 * result (>= 0), or -1 with errno set to the (positive) Xen errno, as the
 * kernel reports it.
 */
long privcmd_hypercall(int fd, unsigned int op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                       uint64_t a4);

#endif
