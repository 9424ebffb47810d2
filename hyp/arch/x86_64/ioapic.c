/*
 * IO-APIC: every pin masked at boot; only the interrupts the hypervisor
 * itself handles (the serial console) are routed, to the BSP.
 */
#include "acpi.h"
#include "asm/apic.h"
#include "console.h"
#include "lib.h"
#include "paging.h"
#include "spinlock.h"

#define IOAPIC_REGSEL   0x00
#define IOAPIC_WIN      0x10
#define IOAPIC_VER      0x01
#define IOAPIC_REDIR(n) (0x10 + 2 * (n))

#define REDIR_MASKED     (1u << 16)
#define REDIR_LEVEL      (1u << 15)
#define REDIR_ACTIVE_LOW (1u << 13)

static volatile uint32_t *ioapic_mmio[MAX_IOAPICS];
static unsigned int ioapic_pins[MAX_IOAPICS];

static uint32_t io_read(unsigned int i, unsigned int reg)
{
    ioapic_mmio[i][IOAPIC_REGSEL / 4] = reg;
    return ioapic_mmio[i][IOAPIC_WIN / 4];
}

static void io_write(unsigned int i, unsigned int reg, uint32_t v)
{
    ioapic_mmio[i][IOAPIC_REGSEL / 4] = reg;
    ioapic_mmio[i][IOAPIC_WIN / 4] = v;
}

void ioapic_init(void)
{
    for (unsigned int i = 0; i < acpi_info.nr_ioapics; i++) {
        ioapic_mmio[i] = ioremap(acpi_info.ioapic[i].base, PAGE_SIZE);
        ioapic_pins[i] = ((io_read(i, IOAPIC_VER) >> 16) & 0xff) + 1;
        for (unsigned int pin = 0; pin < ioapic_pins[i]; pin++) {
            io_write(i, IOAPIC_REDIR(pin), REDIR_MASKED);
            io_write(i, IOAPIC_REDIR(pin) + 1, 0);
        }
        pr_info("IO-APIC %u at %#lx: %u pins (GSI %u-%u), all masked\n", acpi_info.ioapic[i].id,
                acpi_info.ioapic[i].base, ioapic_pins[i], acpi_info.ioapic[i].gsi_base,
                acpi_info.ioapic[i].gsi_base + ioapic_pins[i] - 1);
    }
}

void ioapic_route_isa_irq(unsigned int irq, unsigned int vector, uint32_t dest_apic_id)
{
    uint32_t gsi = acpi_info.isa_gsi[irq];
    uint16_t flags = acpi_info.isa_flags[irq];
    uint32_t lo = vector;

    /* MPS INTI flags: polarity bits 0-1 (3 = active low), trigger 2-3 (3 = level). */
    if ((flags & 3) == 3)
        lo |= REDIR_ACTIVE_LOW;
    if (((flags >> 2) & 3) == 3)
        lo |= REDIR_LEVEL;
    for (unsigned int i = 0; i < acpi_info.nr_ioapics; i++) {
        uint32_t base = acpi_info.ioapic[i].gsi_base;
        if (gsi < base || gsi >= base + ioapic_pins[i])
            continue;
        io_write(i, IOAPIC_REDIR(gsi - base) + 1, dest_apic_id << 24);
        io_write(i, IOAPIC_REDIR(gsi - base), lo);
        return;
    }
    pr_warn("IO-APIC: no pin for ISA irq %u (GSI %u)\n", irq, gsi);
}

/* The IO-APIC and pin of `gsi`, false if no IO-APIC has it. */
static bool gsi_pin(uint32_t gsi, unsigned int *ioapic, unsigned int *pin)
{
    for (unsigned int i = 0; i < acpi_info.nr_ioapics; i++) {
        uint32_t base = acpi_info.ioapic[i].gsi_base;
        if (gsi >= base && gsi < base + ioapic_pins[i]) {
            *ioapic = i;
            *pin = gsi - base;
            return true;
        }
    }
    return false;
}

bool ioapic_has_gsi(uint32_t gsi)
{
    unsigned int i, pin;
    return gsi_pin(gsi, &i, &pin);
}

static DEFINE_SPINLOCK(ioapic_lock);

void ioapic_route_gsi(uint32_t gsi, unsigned int vector, uint32_t dest_apic_id, bool level,
                      bool active_low)
{
    unsigned int i, pin;
    uint32_t lo = vector | REDIR_MASKED;
    unsigned long irq;

    if (!gsi_pin(gsi, &i, &pin))
        return;
    if (level)
        lo |= REDIR_LEVEL;
    if (active_low)
        lo |= REDIR_ACTIVE_LOW;
    irq = spin_lock_irqsave(&ioapic_lock);
    io_write(i, IOAPIC_REDIR(pin), REDIR_MASKED);
    io_write(i, IOAPIC_REDIR(pin) + 1, dest_apic_id << 24);
    io_write(i, IOAPIC_REDIR(pin), lo);
    spin_unlock_irqrestore(&ioapic_lock, irq);
}

void ioapic_mask_gsi(uint32_t gsi, bool masked)
{
    unsigned int i, pin;
    unsigned long irq;
    uint32_t lo;

    if (!gsi_pin(gsi, &i, &pin))
        return;
    irq = spin_lock_irqsave(&ioapic_lock);
    lo = io_read(i, IOAPIC_REDIR(pin));
    io_write(i, IOAPIC_REDIR(pin), masked ? lo | REDIR_MASKED : lo & ~REDIR_MASKED);
    spin_unlock_irqrestore(&ioapic_lock, irq);
}

bool ioapic_read_reg(paddr_t base, unsigned int reg, uint32_t *val)
{
    unsigned long irq;

    for (unsigned int i = 0; i < acpi_info.nr_ioapics; i++) {
        if (acpi_info.ioapic[i].base != base)
            continue;
        irq = spin_lock_irqsave(&ioapic_lock);
        *val = io_read(i, reg);
        spin_unlock_irqrestore(&ioapic_lock, irq);
        return true;
    }
    return false;
}
