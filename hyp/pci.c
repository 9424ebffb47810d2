/*
 * PCI configuration space (pci.h). The hypervisor drives no PCI device of
 * its own: every device found is the hardware domain's, and the scan at
 * boot says so in the log.
 */
#include "pci.h"
#include "acpi.h"
#include "asm/processor.h"
#include "console.h"
#include "domain.h"
#include "mm/pv_mm.h"
#include "paging.h"
#include "pirq.h"
#include "spinlock.h"
#include <xen/errno.h>

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

/*
 * Segment 0's MMCONFIG area (ACPI's MCFG), mapped once at boot; NULL if the
 * machine has none (QEMU's i440fx). As on Xen, dom0 maps it read-only
 * (mmio_ro.c) and reads it directly; each of its stores is emulated here,
 * through the same filter as its 0xcfc writes.
 */
static volatile uint8_t *mmcfg;
static paddr_t mmcfg_start; /* the start bus's first byte */
static uint64_t mmcfg_size;

void pci_mmcfg_init(void)
{
    paddr_t base = acpi_info.mmcfg_base;
    mfn_t first;
    int rc;

    if (!base)
        return;
    /* MCFG's base is bus 0's place even when the range starts later. */
    mmcfg_start = base + MiB(acpi_info.mmcfg_start_bus);
    mmcfg_size = MiB(acpi_info.mmcfg_end_bus - acpi_info.mmcfg_start_bus + 1);
    first = mmcfg_start >> PAGE_SHIFT;
    mmcfg = ioremap(mmcfg_start, mmcfg_size);
    rc = mmcfg ? mmio_ro_add(first, first + (mmcfg_size >> PAGE_SHIFT) - 1) : -XEN_ENOMEM;
    if (rc < 0) {
        /* Unmapped, or not protected: dom0 must not reach it. */
        pr_err("PCI: MMCONFIG at %#lx not usable (%d): left to the ports\n", base, rc);
        mmcfg = NULL;
        return;
    }
    pr_info("PCI: MMCONFIG segment 0000 bus %02x-%02x at %#lx: read-only to dom0, its writes "
            "emulated\n",
            acpi_info.mmcfg_start_bus, acpi_info.mmcfg_end_bus, base);
}

bool pci_mmcfg_decode(paddr_t pa, uint32_t *sbdf, unsigned int *reg)
{
    uint64_t off = pa - mmcfg_start;

    if (!mmcfg || pa < mmcfg_start || off >= mmcfg_size)
        return false;
    *sbdf = PCI_SBDF(acpi_info.mmcfg_start_bus + (off >> 20), (off >> 12) & 0xff);
    *reg = off & 0xfff;
    return true;
}

/* An aligned write of 1, 2 or 4 bytes through the MMCONFIG mapping. */
static void mmcfg_write(uint32_t sbdf, unsigned int reg, unsigned int size, uint32_t val)
{
    volatile uint8_t *p = mmcfg + ((uint64_t)(PCI_BUS(sbdf) - acpi_info.mmcfg_start_bus) << 20) +
                          ((sbdf & 0xff) << 12) + reg;
    unsigned long irq = spin_lock_irqsave(&pci_lock);

    if (size == 1)
        *p = (uint8_t)val;
    else if (size == 2)
        *(volatile uint16_t *)p = (uint16_t)val;
    else
        *(volatile uint32_t *)p = val;
    spin_unlock_irqrestore(&pci_lock, irq);
}

/* The hardware domain's config writes, from either mechanism, pass here. */
bool pci_guest_write_permitted(const struct domain *d, uint32_t sbdf, unsigned int reg,
                               unsigned int size)
{
    static unsigned int logged;

    if (msi_conf_write_permitted(sbdf, reg, size))
        return true;
    /* Linux never does it: the first few are worth a line each. */
    if (logged < 8) {
        logged++;
        pr_warn("d%u: %u-byte write to 0000:%02x:%02x.%u config %#x dropped: the hypervisor's "
                "MSI set-up\n",
                d->domain_id, size, PCI_BUS(sbdf), PCI_SLOT(sbdf), PCI_FUNC(sbdf), reg);
    }
    return false;
}

void pci_mmcfg_guest_write(const struct domain *d, uint32_t sbdf, unsigned int reg,
                           unsigned int size, uint32_t val)
{
    if (!pci_guest_write_permitted(d, sbdf, reg, size))
        return;
    if (reg < 256)
        pci_conf_write(sbdf, reg, size, val); /* as the hypervisor's own */
    else
        mmcfg_write(sbdf, reg, size, val);
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
