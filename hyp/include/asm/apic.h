/*
 * Local APIC (xAPIC, memory mapped) and IO-APIC.
 */
#ifndef PARAVANE_ASM_APIC_H
#define PARAVANE_ASM_APIC_H

#include "types.h"

#define APIC_ID        0x020
#define APIC_VERSION   0x030
#define APIC_TPR       0x080
#define APIC_EOI       0x0b0
#define APIC_SVR       0x0f0
#define APIC_ESR       0x280
#define APIC_ICR_LO    0x300
#define APIC_ICR_HI    0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TMICT     0x380 /* timer initial count */
#define APIC_TMCCT     0x390 /* timer current count */
#define APIC_TDCR      0x3e0 /* timer divide configuration */

#define APIC_LVT_MASKED  (1u << 16)
#define APIC_DM_FIXED    (0u << 8)
#define APIC_DM_NMI      (4u << 8)
#define APIC_DM_INIT     (5u << 8)
#define APIC_DM_STARTUP  (6u << 8)
#define APIC_ICR_BUSY    (1u << 12)
#define APIC_ICR_ASSERT  (1u << 14)
#define APIC_ICR_LEVEL   (1u << 15)
#define APIC_DEST_SELF   (1u << 18)
#define APIC_DEST_ALLBUT (3u << 18)

/* Map the local APIC (BSP, once). */
void apic_map(paddr_t base);
/* Enable and configure this CPU's local APIC. */
void apic_init_cpu(bool bsp);
uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t v);
uint32_t apic_id(void);

static inline void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

void apic_send_ipi(uint32_t dest_apic_id, unsigned int vector);
void apic_send_nmi_allbutself(void);
/* INIT-SIPI-SIPI; returns after the sequence is sent. */
void apic_wakeup_ap(uint32_t dest_apic_id, unsigned int start_page);

/* One-shot timer: fire TIMER_VECTOR after `ticks` APIC timer ticks (0 stops). */
void apic_timer_oneshot(uint32_t ticks);

/* Mask every IO-APIC pin, then route ISA `irq` to `vector` on the BSP. */
void ioapic_init(void);
void ioapic_route_isa_irq(unsigned int irq, unsigned int vector, uint32_t dest_apic_id);

/*
 * A guest's interrupt line (irq_pirq.c): route `gsi` to `vector` on the
 * CPU `dest_apic_id`, left masked; mask or unmask it; read a register of
 * the IO-APIC at `base` (PHYSDEVOP_apic_read).
 */
bool ioapic_has_gsi(uint32_t gsi);
void ioapic_route_gsi(uint32_t gsi, unsigned int vector, uint32_t dest_apic_id, bool level,
                      bool active_low);
void ioapic_mask_gsi(uint32_t gsi, bool masked);
bool ioapic_read_reg(paddr_t base, unsigned int reg, uint32_t *val);

#endif
