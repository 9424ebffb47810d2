/*
 * PCI configuration space (pci.h). The hypervisor drives no PCI device of
 * its own: every device found is the hardware domain's, and the scan at
 * boot says so in the log.
 */
#include "pci.h"
#include "asm/processor.h"
#include "console.h"
#include "pirq.h"
#include "spinlock.h"

static DEFINE_SPINLOCK(pci_lock);

#define CF8_ENABLE (1u << 31)

static uint32_t cf8_of(uint32_t sbdf, unsigned int reg)
{
    return CF8_ENABLE | (sbdf << 8) | (reg & 0xfc);
}

uint32_t pci_conf_read_raw(uint32_t cf8, uint16_t port, unsigned int size)
{
    unsigned long irq = spin_lock_irqsave(&pci_lock);
    uint32_t v;

    outl(PCI_CONF_ADDR, cf8);
    v = port_in(port, size);
    spin_unlock_irqrestore(&pci_lock, irq);
    return v;
}

void pci_conf_write_raw(uint32_t cf8, uint16_t port, unsigned int size, uint32_t val)
{
    unsigned long irq = spin_lock_irqsave(&pci_lock);

    outl(PCI_CONF_ADDR, cf8);
    port_out(port, size, val);
    spin_unlock_irqrestore(&pci_lock, irq);
}

uint32_t pci_conf_read(uint32_t sbdf, unsigned int reg, unsigned int size)
{
    return pci_conf_read_raw(cf8_of(sbdf, reg), (uint16_t)(PCI_CONF_DATA + (reg & 3)), size);
}

void pci_conf_write(uint32_t sbdf, unsigned int reg, unsigned int size, uint32_t val)
{
    pci_conf_write_raw(cf8_of(sbdf, reg), (uint16_t)(PCI_CONF_DATA + (reg & 3)), size, val);
}

bool pci_device_present(uint32_t sbdf)
{
    uint16_t vendor = (uint16_t)pci_conf_read(sbdf, 0, 2);
    return vendor != 0xffff && vendor != 0;
}

unsigned int pci_find_cap(uint32_t sbdf, uint8_t id)
{
    unsigned int pos;

    if (!(pci_conf_read(sbdf, 0x06, 2) & 0x10)) /* status: capability list */
        return 0;
    pos = pci_conf_read(sbdf, 0x34, 1) & 0xfc;
    /* At most 48 capabilities fit in 192 bytes: a loop in the list ends. */
    for (unsigned int n = 0; pos >= 0x40 && n < 48; n++) {
        if (pci_conf_read(sbdf, pos, 1) == id)
            return pos;
        pos = pci_conf_read(sbdf, pos + 1, 1) & 0xfc;
    }
    return 0;
}

void pci_scan_log(void)
{
    unsigned int found = 0;

    for (unsigned int bus = 0; bus < 256; bus++)
        for (unsigned int devfn = 0; devfn < 256; devfn++) {
            uint32_t sbdf = PCI_SBDF(bus, devfn), id, class;

            if (PCI_FUNC(sbdf) && !(pci_conf_read(PCI_SBDF(bus, devfn & ~7u), 0x0e, 1) & 0x80))
                continue; /* not a multi-function device */
            if (!pci_device_present(sbdf))
                continue;
            id = pci_conf_read(sbdf, 0, 4);
            class = pci_conf_read(sbdf, 0x08, 4) >> 8;
            pr_info("PCI: 0000:%02x:%02x.%u [%04x:%04x] class %06x: dom0's\n", bus, PCI_SLOT(sbdf),
                    PCI_FUNC(sbdf), id & 0xffff, id >> 16, class);
            msix_protect(sbdf);
            found++;
        }
    pr_info("PCI: %u devices handed to the hardware domain\n", found);
}
