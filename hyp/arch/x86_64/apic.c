/*
 * Local APIC: enable, IPIs, AP wake-up and the one-shot timer.
 *
 * xAPIC in memory-mapped mode only: every CPU QEMU emulates has it, and
 * the register window is the same on all CPUs (each sees its own APIC).
 */
#include "asm/apic.h"
#include "asm/processor.h"
#include "asm/traps.h"
#include "lib.h"
#include "paging.h"
#include "time.h"

#define APIC_BASE_ENABLE (1UL << 11)
#define TIMER_DIVIDE_16  0x3

static volatile uint32_t *apic_mmio;

uint32_t apic_read(unsigned int reg)
{
    return apic_mmio[reg / 4];
}

void apic_write(unsigned int reg, uint32_t v)
{
    apic_mmio[reg / 4] = v;
}

uint32_t apic_id(void)
{
    return apic_read(APIC_ID) >> 24;
}

void apic_map(paddr_t base)
{
    apic_mmio = ioremap(base, PAGE_SIZE);
    ASSERT(apic_mmio);
}

/* The 8259 PICs stay masked: every interrupt comes through the APICs. */
static void mask_8259(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

void apic_init_cpu(bool bsp)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    if (bsp)
        mask_8259();
    apic_write(APIC_TPR, 0);
    apic_write(APIC_SVR, SPURIOUS_VECTOR | (1u << 8)); /* software enable */
    apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
    /* The BSP's LINT1 is wired to NMI on PCs; keep it delivering. */
    apic_write(APIC_LVT_LINT1, bsp ? APIC_DM_NMI : APIC_LVT_MASKED);
    apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_TDCR, TIMER_DIVIDE_16);
    apic_write(APIC_LVT_TIMER, TIMER_VECTOR); /* one-shot */
    apic_write(APIC_TMICT, 0);
    apic_eoi();
}

static void icr_wait(void)
{
    while (apic_read(APIC_ICR_LO) & APIC_ICR_BUSY)
        cpu_relax();
}

static void icr_send(uint32_t dest, uint32_t lo)
{
    unsigned long flags = local_irq_save();

    icr_wait();
    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, lo);
    icr_wait();
    local_irq_restore(flags);
}

void apic_send_ipi(uint32_t dest_apic_id, unsigned int vector)
{
    icr_send(dest_apic_id, APIC_DM_FIXED | vector);
}

void apic_send_nmi_allbutself(void)
{
    icr_send(0, APIC_DEST_ALLBUT | APIC_DM_NMI);
}

void apic_wakeup_ap(uint32_t dest, unsigned int start_page)
{
    icr_send(dest, APIC_DM_INIT | APIC_ICR_LEVEL | APIC_ICR_ASSERT);
    udelay(10000);
    icr_send(dest, APIC_DM_INIT | APIC_ICR_LEVEL);
    for (int i = 0; i < 2; i++) {
        icr_send(dest, APIC_DM_STARTUP | start_page);
        udelay(200);
    }
}

void apic_timer_oneshot(uint32_t ticks)
{
    apic_write(APIC_TMICT, ticks);
}
