/*
 * MSI and MSI-X messages of the hardware domain's devices (pirq.h). The
 * hypervisor writes the address and data itself, as Xen does: dom0 only
 * names the device (and for MSI-X the table's BAR and the entry), and the
 * message it would compose means nothing to the machine's APIC. Enabling
 * the capability stays dom0's (Linux sets the enable bits once its
 * map_pirq calls have returned).
 *
 * The pages of the MSI-X table and PBA are read-only to dom0 (mmio_ro.c),
 * as on Xen: from the boot scan for the BARs as firmware placed them, and
 * from each MSI-X map_pirq for where they are then. A writable mapping
 * dom0 made of a page before it was protected (a BAR moved after boot)
 * stays writable, as on Xen.
 */
#include "console.h"
#include "lib.h"
#include "mm/pv_mm.h"
#include "paging.h"
#include "pci.h"
#include "pirq.h"
#include "spinlock.h"
#include <xen/errno.h>

#define MSI_ADDR_BASE  0xfee00000u
#define MSI_DATA_LEVEL (1u << 14) /* assert; edge-triggered, fixed delivery */

#define MSI_FLAGS_64BIT   (1u << 7)
#define MSI_FLAGS_MASKBIT (1u << 8)
#define MSIX_FLAGS_QSIZE  0x7ffu
#define MSIX_ENTRY_SIZE   16
#define MSIX_CTRL_MASKED  1u

/* The address of BAR `bir` (memory BARs only), or 0. */
static uint64_t bar_address(uint32_t sbdf, unsigned int bir)
{
    uint32_t lo, hi = 0;

    if (bir > 5)
        return 0;
    lo = pci_conf_read(sbdf, 0x10 + 4 * bir, 4);
    if (lo & 1)
        return 0; /* an I/O BAR cannot hold a table */
    if (((lo >> 1) & 3) == 2 && bir < 5)
        hi = pci_conf_read(sbdf, 0x14 + 4 * bir, 4);
    return ((uint64_t)hi << 32) | (lo & ~0xfu);
}

/*
 * The frames from byte `off` (its low 3 bits the BIR) of a BAR, `bytes`
 * long, made read-only to dom0; said in the log the first time.
 */
static void protect_region(uint32_t sbdf, const char *what, uint32_t off, uint64_t bytes)
{
    uint64_t bar = bar_address(sbdf, off & 7), pa;
    int rc;

    if (!bar)
        return; /* not placed yet (or an I/O BAR): the map_pirq will say */
    pa = bar + (off & ~7u);
    rc = mmio_ro_add(pa >> PAGE_SHIFT, (pa + bytes - 1) >> PAGE_SHIFT);
    if (rc > 0)
        pr_info("PCI: 0000:%02x:%02x.%u MSI-X %s at %#lx: read-only to dom0\n", PCI_BUS(sbdf),
                PCI_SLOT(sbdf), PCI_FUNC(sbdf), what, (unsigned long)pa);
    else if (rc < 0)
        pr_err("PCI: 0000:%02x:%02x.%u MSI-X %s at %#lx left writable: %d\n", PCI_BUS(sbdf),
               PCI_SLOT(sbdf), PCI_FUNC(sbdf), what, (unsigned long)pa, rc);
}

void msix_protect(uint32_t sbdf)
{
    unsigned int cap = pci_find_cap(sbdf, PCI_CAP_ID_MSIX);
    uint32_t nr;

    if (!cap)
        return;
    nr = (pci_conf_read(sbdf, cap + 2, 2) & MSIX_FLAGS_QSIZE) + 1;
    protect_region(sbdf, "table", pci_conf_read(sbdf, cap + 4, 4), (uint64_t)nr * MSIX_ENTRY_SIZE);
    /* One pending bit per entry, in 64-bit words. */
    protect_region(sbdf, "PBA", pci_conf_read(sbdf, cap + 8, 4), (nr + 63) / 64 * 8);
}

bool msi_conf_write_permitted(uint32_t sbdf, unsigned int reg, unsigned int size)
{
    unsigned int cap, end = reg + size, data_end;

    if (reg >= 256 || !pci_device_present(sbdf))
        return true;
    /* MSI-X: only the message control word (Linux's enable and mask-all). */
    cap = pci_find_cap(sbdf, PCI_CAP_ID_MSIX);
    if (cap && reg < cap + 12 && end > cap)
        return reg == cap + 2 && size == 2;
    /* MSI: not the address and data, which are the hypervisor's. */
    cap = pci_find_cap(sbdf, PCI_CAP_ID_MSI);
    if (!cap)
        return true;
    data_end = cap + ((pci_conf_read(sbdf, cap + 2, 2) & MSI_FLAGS_64BIT) ? 14 : 10);
    return reg >= data_end || end <= cap + 4;
}

/*
 * Table pages mapped so far: ioremap never unmaps, so each page is
 * mapped once however often its entries are programmed.
 */
#define MAX_TABLE_PAGES 32
static struct {
    paddr_t pa;
    void *va;
} table_pages[MAX_TABLE_PAGES];
static DEFINE_SPINLOCK(table_lock);

static volatile uint32_t *map_entry(paddr_t pa)
{
    paddr_t page = pa & PAGE_MASK;
    void *va = NULL;
    unsigned long irq = spin_lock_irqsave(&table_lock);

    for (unsigned int i = 0; i < MAX_TABLE_PAGES && !va; i++) {
        if (table_pages[i].va && table_pages[i].pa == page)
            va = table_pages[i].va;
        else if (!table_pages[i].va) {
            va = ioremap(page, PAGE_SIZE);
            table_pages[i].pa = page;
            table_pages[i].va = va;
        }
    }
    spin_unlock_irqrestore(&table_lock, irq);
    return va ? (volatile uint32_t *)((char *)va + (pa & ~PAGE_MASK)) : NULL;
}

static long program_msix(struct pirq *p, unsigned int cap, uint64_t table_base, uint32_t entry,
                         uint32_t addr, uint32_t data)
{
    uint32_t flags = pci_conf_read(p->sbdf, cap + 2, 2);
    uint32_t table = pci_conf_read(p->sbdf, cap + 4, 4);
    uint64_t bar = bar_address(p->sbdf, table & 7);
    paddr_t pa;
    volatile uint32_t *e;

    /* The table is where the device says, in the BAR dom0 named. */
    if (!bar || bar != table_base || entry > (flags & MSIX_FLAGS_QSIZE))
        return -XEN_EINVAL;
    pa = bar + (table & ~7u) + (uint64_t)entry * MSIX_ENTRY_SIZE;
    if (!is_iomem_frame(pa >> PAGE_SHIFT) || !(e = map_entry(pa)))
        return -XEN_EINVAL;
    /* Where the table is now (dom0 may have moved the BAR since boot). */
    msix_protect(p->sbdf);
    e[3] |= MSIX_CTRL_MASKED;
    e[0] = addr;
    e[1] = 0;
    e[2] = data;
    p->msix = true;
    p->msix_entry = e;
    return 0;
}

static void program_msi(struct pirq *p, unsigned int cap, uint32_t addr, uint32_t data)
{
    uint32_t flags = pci_conf_read(p->sbdf, cap + 2, 2);
    bool wide = flags & MSI_FLAGS_64BIT;

    pci_conf_write(p->sbdf, cap + 4, 4, addr);
    if (wide)
        pci_conf_write(p->sbdf, cap + 8, 4, 0);
    pci_conf_write(p->sbdf, cap + (wide ? 12 : 8), 2, data);
    /* A single message: clear the multiple-message enable field. */
    pci_conf_write(p->sbdf, cap + 2, 2, flags & ~0x70u);
    p->msix = false;
}

long msi_program(struct pirq *p, uint64_t table_base, uint32_t entry_nr, uint32_t dest_apic_id)
{
    uint32_t addr = MSI_ADDR_BASE | (dest_apic_id << 12); /* physical destination */
    uint32_t data = MSI_DATA_LEVEL | p->vector;
    unsigned int cap;

    if (!pci_device_present(p->sbdf))
        return -XEN_ENODEV;
    if (table_base) {
        cap = pci_find_cap(p->sbdf, PCI_CAP_ID_MSIX);
        return cap ? program_msix(p, cap, table_base, entry_nr, addr, data) : -XEN_ENODEV;
    }
    cap = pci_find_cap(p->sbdf, PCI_CAP_ID_MSI);
    if (!cap)
        return -XEN_ENODEV;
    program_msi(p, cap, addr, data);
    return 0;
}

void msi_set_masked(struct pirq *p, bool masked)
{
    if (!p->msix || !p->msix_entry)
        return; /* plain MSI: the device's enable bit, dom0's to set */
    if (masked)
        p->msix_entry[3] |= MSIX_CTRL_MASKED;
    else
        p->msix_entry[3] &= ~MSIX_CTRL_MASKED;
}

void msi_disable(struct pirq *p)
{
    msi_set_masked(p, true);
    if (p->msix && p->msix_entry)
        p->msix_entry[2] = 0;
}
