/*
 * Linux's /dev/xen/evtchn, as libxenevtchn wraps it: one open file holds
 * the ports bound through it; reading it yields the ports that fired
 * (each then stays masked until unmasked); closing it unbinds them all.
 * Every call returns 0 (or a port) or a negative errno.
 */
#ifndef VANE_EVTCHN_H
#define VANE_EVTCHN_H

#include <stdint.h>

/* Open the device (close-on-exec, non-blocking reads): an fd or -errno. */
int evtchn_open(void);
void evtchn_close(int fd);

/* Bind our end to `remote_port` of `dom` (left unbound for us): the local port. */
int evtchn_bind_interdomain(int fd, uint16_t dom, uint32_t remote_port);
int evtchn_unbind(int fd, uint32_t port);
/* Bind a global VIRQ (VIRQ_TBUF...) to the control domain: the local port. */
int evtchn_bind_virq(int fd, uint32_t virq);

/* Signal the other end of a bound port. */
int evtchn_notify(int fd, uint32_t port);

/* The next port that fired, or -EAGAIN when none has (the fd is non-blocking). */
int evtchn_pending(int fd);

/* Let a port that fired fire again. */
int evtchn_unmask(int fd, uint32_t port);

#endif
