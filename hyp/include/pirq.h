/*
 * Physical interrupts of the hardware domain, as Xen hands them out: a
 * GSI (an IO-APIC pin) or an MSI/MSI-X message of one of its PCI devices
 * is mapped to a pirq (PHYSDEVOP_map_pirq), the pirq bound to an event
 * channel (EVTCHNOP_bind_pirq), and each interrupt raises that channel.
 * A level-triggered pin stays masked from its interrupt until the guest's
 * PHYSDEVOP_eoi, which the guest learns it needs from irq_status_query or
 * the bitmap page it registered with PHYSDEVOP_pirq_eoi_gmfn.
 */
#ifndef PARAVANE_PIRQ_H
#define PARAVANE_PIRQ_H

#include "types.h"
#include <xen/event_channel.h>

#define NR_PIRQS 256

struct domain;

enum pirq_type { PIRQ_FREE, PIRQ_RESERVED, PIRQ_GSI, PIRQ_MSI };

struct pirq {
    uint8_t type;       /* enum pirq_type */
    uint8_t vector;     /* the CPU vector it arrives on */
    bool level;         /* GSI: level-triggered (needs the guest's EOI) */
    bool in_flight;     /* level GSI: delivered, pin masked until EOI */
    evtchn_port_t port; /* bound event channel, 0 if none */
    uint32_t gsi;
    /* MSI (msi.c): the device, and for MSI-X the entry in its table. */
    uint32_t sbdf;
    bool msix;
    volatile uint32_t *msix_entry;
};

/* The hardware domain is dom0, privileged (is_privileged). */
bool is_hardware_domain(const struct domain *d);

/* PHYSDEVOP_map_pirq's two kinds; *pirq is in (-1: any) and out. */
long pirq_map_gsi(struct domain *d, uint32_t gsi, int *pirq);
long pirq_map_msi(struct domain *d, uint32_t sbdf, uint64_t table_base, uint32_t entry_nr,
                  int *pirq);
long pirq_unmap(struct domain *d, int pirq);
long pirq_setup_gsi(struct domain *d, uint32_t gsi, bool level, bool active_low);
/* PHYSDEVOP_get_free_pirq: reserve one (GSI numbers are left for GSIs). */
long pirq_get_free(struct domain *d, int *pirq);

/* May d bind `pirq` (mapped, its own)? */
bool pirq_access_permitted(const struct domain *d, unsigned int pirq);
/* Event-channel side: bind starts the interrupt, unbind stops it. */
long pirq_bind(struct domain *d, unsigned int pirq, evtchn_port_t port);
void pirq_unbind(struct domain *d, unsigned int pirq, evtchn_port_t port);

long pirq_eoi(struct domain *d, unsigned int pirq);
long pirq_status(const struct domain *d, unsigned int pirq, uint32_t *flags);
long pirq_set_eoi_gmfn(struct domain *d, uint64_t gmfn, bool v2);

/* An interrupt on `vector`: true if it is a guest's (the caller EOIs). */
bool pirq_do_irq(unsigned int vector);

/* Release every mapping and the EOI page of a domain being destroyed. */
void pirq_destroy_domain(struct domain *d);

/* msi.c: write the device's message (masked) and unmask/mask it. */
long msi_program(struct pirq *p, uint64_t table_base, uint32_t entry_nr, uint32_t dest_apic_id);
void msi_set_masked(struct pirq *p, bool masked);
void msi_disable(struct pirq *p);
/* May dom0 write config register `reg`? Not the MSI/MSI-X messages. */
bool msi_conf_write_permitted(uint32_t sbdf, unsigned int reg, unsigned int size);
/* Make the device's MSI-X table and PBA pages read-only to dom0. */
void msix_protect(uint32_t sbdf);

#endif
