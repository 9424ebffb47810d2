/*
 * The ACPI tables the hypervisor reads at boot: MADT (CPUs, IO-APICs,
 * interrupt overrides), FADT (power-off) and MCFG (PCI MMCONFIG).
 */
#ifndef PARAVANE_ACPI_H
#define PARAVANE_ACPI_H

#include "types.h"

#define MAX_IOAPICS 8

struct acpi_info {
    paddr_t lapic_base;
    unsigned int nr_cpus;     /* enabled local APICs in the MADT */
    uint32_t cpu_apic_id[64]; /* in MADT order; the BSP is among them */
    unsigned int nr_ioapics;
    struct {
        uint32_t id;
        paddr_t base;
        uint32_t gsi_base;
    } ioapic[MAX_IOAPICS];
    /* ISA interrupt source overrides: irq -> gsi and polarity/trigger. */
    uint32_t isa_gsi[16];
    uint16_t isa_flags[16];
    /* MCFG: segment 0's enhanced configuration area (base 0: none). */
    paddr_t mmcfg_base;
    uint8_t mmcfg_start_bus, mmcfg_end_bus;
};

extern struct acpi_info acpi_info;

/* Find and parse the tables. Returns 0 or -XEN_ENODEV (no ACPI). */
int acpi_init(void);

/* Enter S5 through the FADT's PM1 control registers; returns if it can't. */
void acpi_poweroff(void);

#endif
