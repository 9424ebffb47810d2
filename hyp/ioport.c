/*
 * Guest port I/O (ioport.h). The ports kept from the hardware domain are
 * those the hypervisor drives itself, as Xen keeps them: the 8259 PICs and
 * their ELCR (every interrupt goes through the IO-APIC, which is ours), the
 * PIT and its channel-2 gate (the TSC is calibrated on them), the CPU's
 * INIT/A20/IGNNE lines and the reset port, COM1 (our console), the
 * debug-exit port the QEMU harness ends a run with, and the RTC, whose
 * index and data ports rtc.c emulates for every domain as Xen does. PCI
 * configuration space goes through one lock shared with the hypervisor's
 * own accesses (pci.c): the guest's 0xcf8 value is kept per domain and
 * replayed with each data access, as Xen does, so two vCPUs' accesses
 * never interleave on the hardware latch; its writes pass the filter it
 * shares with MMCONFIG (pci.c: not the MSI messages, the hypervisor's).
 */
#include "ioport.h"
#include "asm/processor.h"
#include "domain.h"
#include "pci.h"
#include "uart.h"

static const struct {
    uint16_t first, last;
} hyp_ports[] = {
    {0x20, 0x21},                       /* master PIC */
    {0x40, 0x43},                       /* PIT */
    {0x61, 0x61},                       /* PIT channel 2 gate, NMI status */
    {0x70, 0x71},                       /* RTC: emulated (rtc.c), as Xen does */
    {0x92, 0x92},                       /* INIT# and A20 */
    {0xf0, 0xf0},                       /* IGNNE# */
    {0xcf9, 0xcf9},                     /* reset control: SCHEDOP_shutdown's */
    {0xa0, 0xa1},                       /* slave PIC */
    {0x4d0, 0x4d1},                     /* ELCR */
    {0xf4, 0xf7},                       /* QEMU isa-debug-exit */
    {COM1_PORT, COM1_PORT + 7},         /* the console UART */
    {PCI_CONF_ADDR, PCI_CONF_ADDR + 7}, /* emulated below */
};

static bool is_hardware_domain(const struct domain *d)
{
    return d->is_privileged && d->domain_id == 0;
}

bool ioports_permitted(const struct domain *d, uint16_t port, unsigned int size)
{
    unsigned int last = (unsigned int)port + size - 1;

    if (!is_hardware_domain(d) || last > 0xffff)
        return false;
    for (unsigned int i = 0; i < sizeof(hyp_ports) / sizeof(hyp_ports[0]); i++)
        if (port <= hyp_ports[i].last && last >= hyp_ports[i].first)
            return false;
    return true;
}

static uint32_t ones(unsigned int size)
{
    return size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;
}

/* A data-port access lies in 0xcfc..0xcff, aligned to its size. */
static bool pci_data_access(uint16_t port, unsigned int size)
{
    return port >= PCI_CONF_DATA && port + size <= PCI_CONF_DATA + 4 && !(port & (size - 1));
}

uint32_t guest_io_read(struct domain *d, uint16_t port, unsigned int size)
{
    if (is_hardware_domain(d)) {
        if (port == PCI_CONF_ADDR && size == 4)
            return d->pci_cf8;
        if (pci_data_access(port, size))
            return (d->pci_cf8 & (1u << 31)) ? pci_conf_read_raw(d->pci_cf8, port, size)
                                             : ones(size);
    }
    if (!ioports_permitted(d, port, size))
        return ones(size);
    return port_in(port, size);
}

void guest_io_write(struct domain *d, uint16_t port, unsigned int size, uint32_t val)
{
    if (is_hardware_domain(d)) {
        if (port == PCI_CONF_ADDR && size == 4) {
            d->pci_cf8 = val;
            return;
        }
        if (pci_data_access(port, size)) {
            uint32_t sbdf = (d->pci_cf8 >> 8) & 0xffff;
            unsigned int reg = (d->pci_cf8 & 0xfc) | (port & 3);

            if ((d->pci_cf8 & (1u << 31)) && pci_guest_write_permitted(d, sbdf, reg, size))
                pci_conf_write_raw(d->pci_cf8, port, size, val);
            return;
        }
    }
    if (ioports_permitted(d, port, size))
        port_out(port, size, val);
}
