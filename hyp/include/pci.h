/*
 * PCI configuration space through the legacy mechanism (ports 0xcf8 and
 * 0xcfc), shared by the hypervisor's own uses (the boot scan, MSI set-up)
 * and the control domain's emulated accesses, under one lock so that an
 * address written to 0xcf8 is the one the data port then serves.
 */
#ifndef PARAVANE_PCI_H
#define PARAVANE_PCI_H

#include "types.h"

#define PCI_CONF_ADDR 0xcf8
#define PCI_CONF_DATA 0xcfc

#define PCI_SBDF(bus, devfn) (((uint32_t)(bus) << 8) | (devfn))
#define PCI_BUS(sbdf)        (((sbdf) >> 8) & 0xff)
#define PCI_SLOT(sbdf)       (((sbdf) >> 3) & 0x1f)
#define PCI_FUNC(sbdf)       ((sbdf)&7)

#define PCI_CAP_ID_MSI  0x05
#define PCI_CAP_ID_MSIX 0x11

/* Aligned accesses of 1, 2 or 4 bytes at `reg` (< 256) of bus:devfn. */
uint32_t pci_conf_read(uint32_t sbdf, unsigned int reg, unsigned int size);
void pci_conf_write(uint32_t sbdf, unsigned int reg, unsigned int size, uint32_t val);

/*
 * A raw access through the two ports as a guest made it: `cf8` is the
 * address it last wrote to 0xcf8, `port` one of 0xcfc..0xcff.
 */
uint32_t pci_conf_read_raw(uint32_t cf8, uint16_t port, unsigned int size);
void pci_conf_write_raw(uint32_t cf8, uint16_t port, unsigned int size, uint32_t val);

/* Offset of the device's capability `id` in its list, or 0. */
unsigned int pci_find_cap(uint32_t sbdf, uint8_t id);
bool pci_device_present(uint32_t sbdf);

/* Log the devices on the buses the hypervisor hands to dom0. */
void pci_scan_log(void);

#endif
