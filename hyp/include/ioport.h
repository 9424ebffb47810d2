/*
 * Port I/O of a PV guest that its virtual IOPL allowed (pv/emulate.c):
 * the hardware domain reaches the machine's ports except the hypervisor's
 * own (PIC, PIT, the serial console, QEMU's exit port), and PCI
 * configuration space through an emulated 0xcf8 latch; every other port,
 * and every port of an unprivileged domain, reads all ones and ignores
 * writes, as on Xen for a port the domain was not granted.
 */
#ifndef PARAVANE_IOPORT_H
#define PARAVANE_IOPORT_H

#include "types.h"

struct domain;

uint32_t guest_io_read(struct domain *d, uint16_t port, unsigned int size);
void guest_io_write(struct domain *d, uint16_t port, unsigned int size, uint32_t val);
/* May d touch [port, port+size) on the hardware? */
bool ioports_permitted(const struct domain *d, uint16_t port, unsigned int size);

#endif
