/*
 * PCI configuration space through the legacy mechanism (ports 0xcf8 and
 * 0xcfc; MMCONFIG for dom0's stores past the first 256 bytes), shared by the hypervisor's own uses
 * (the boot scan, MSI set-up) and the control domain's emulated accesses, under one lock so that an
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

/*
 * MMCONFIG (ACPI's MCFG, segment 0): pci_mmcfg_init maps the area and
 * makes it read-only to dom0 (boot, after acpi_init). pci_mmcfg_decode
 * names the function and register at machine address `pa`, false if it
 * is not in the area; pci_mmcfg_guest_write performs a store of dom0's
 * there (aligned, 1, 2 or 4 bytes), if the filter lets it.
 */
struct domain;
void pci_mmcfg_init(void);
bool pci_mmcfg_decode(paddr_t pa, uint32_t *sbdf, unsigned int *reg);
void pci_mmcfg_guest_write(const struct domain *d, uint32_t sbdf, unsigned int reg,
                           unsigned int size, uint32_t val);

/*
 * The filter on the hardware domain's config-space writes (0xcfc and
 * MMCONFIG alike): false, logged, for one the hypervisor keeps (the MSI
 * and MSI-X message registers it programs itself).
 */
bool pci_guest_write_permitted(const struct domain *d, uint32_t sbdf, unsigned int reg,
                               unsigned int size);

/* Log the devices on the buses the hypervisor hands to dom0. */
void pci_scan_log(void);

#endif
