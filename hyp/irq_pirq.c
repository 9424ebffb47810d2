/*
 * The hardware domain's physical interrupts (pirq.h).
 *
 * Every guest interrupt gets a vector of its own in FIRST_GUEST_VECTOR ..
 * LAST_GUEST_VECTOR, delivered to the boot CPU; vector_owner says whose
 * pirq it is. One lock guards the owners, the pirq tables and the pins'
 * masks; the event channel is raised after it is dropped.
 *
 * The GSIs the hypervisor drives (the PIT's, the serial console's) are
 * never mapped: map_pirq answers -EPERM, as Xen does for an interrupt it
 * did not grant.
 */
#include "pirq.h"
#include "acpi.h"
#include "asm/apic.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "mm/xmalloc.h"
#include "pci.h"
#include "percpu.h"
#include "spinlock.h"
#include "uart.h"
#include <xen/errno.h>
#include <xen/physdev.h>

#define FIRST_GUEST_VECTOR 0x40
#define LAST_GUEST_VECTOR  0xdf
#define NR_LEGACY_GSIS     16 /* pirqs below are kept for the ISA GSIs */

static DEFINE_SPINLOCK(pirq_lock);

static struct {
    struct domain *d;
    uint16_t pirq;
} vector_owner[256];

/* GSIs whose trigger and polarity dom0 set (PHYSDEVOP_setup_gsi). */
static struct {
    bool set_up, level, active_low;
} gsi_mode[256];

bool is_hardware_domain(const struct domain *d)
{
    return d->is_privileged && d->domain_id == 0;
}

static uint32_t boot_cpu_apic_id(void)
{
    return percpu[0].apic_id;
}

static bool hypervisor_gsi(uint32_t gsi)
{
    return gsi == acpi_info.isa_gsi[0] || gsi == acpi_info.isa_gsi[COM1_IRQ];
}

/* The mode a GSI is routed with: dom0's word, else the MADT's for an ISA
 * interrupt (MPS INTI flags), else PCI's (level, active low). */
static void gsi_trigger(uint32_t gsi, bool *level, bool *low)
{
    if (gsi < 256 && gsi_mode[gsi].set_up) {
        *level = gsi_mode[gsi].level;
        *low = gsi_mode[gsi].active_low;
        return;
    }
    *level = gsi >= NR_LEGACY_GSIS;
    *low = gsi >= NR_LEGACY_GSIS;
    for (unsigned int irq = 0; irq < NR_LEGACY_GSIS; irq++) {
        uint16_t f = acpi_info.isa_flags[irq];
        if (acpi_info.isa_gsi[irq] != gsi)
            continue;
        *level = ((f >> 2) & 3) == 3;
        *low = (f & 3) == 3;
        return;
    }
}

static int alloc_vector(struct domain *d, unsigned int pirq)
{
    for (unsigned int v = FIRST_GUEST_VECTOR; v <= LAST_GUEST_VECTOR; v++)
        if (!vector_owner[v].d) {
            vector_owner[v].d = d;
            vector_owner[v].pirq = (uint16_t)pirq;
            return (int)v;
        }
    return -XEN_ENOSPC;
}

/* d's pirq table, made on first use. pirq_lock held. */
static struct pirq *pirq_table(struct domain *d)
{
    if (!d->pirqs)
        d->pirqs = xzalloc_array(struct pirq, NR_PIRQS);
    return d->pirqs;
}

/* A free pirq at or above `from`, or -ENOSPC. */
static int free_pirq(const struct pirq *t, unsigned int from)
{
    for (unsigned int i = from; i < NR_PIRQS; i++)
        if (t[i].type == PIRQ_FREE)
            return (int)i;
    return -XEN_ENOSPC;
}

/* Take pirq *want (or any free one from `from` when -1). pirq_lock held. */
static long claim_pirq(struct pirq *t, int *want, unsigned int from)
{
    if (*want < 0) {
        *want = free_pirq(t, from);
        return *want < 0 ? *want : 0;
    }
    if (*want >= NR_PIRQS)
        return -XEN_EINVAL;
    return t[*want].type == PIRQ_FREE || t[*want].type == PIRQ_RESERVED ? 0 : -XEN_EEXIST;
}

long pirq_map_gsi(struct domain *d, uint32_t gsi, int *pirq)
{
    struct pirq *t;
    bool level, low;
    long rc;
    int vec;
    unsigned long irq;

    if (!ioapic_has_gsi(gsi) || gsi >= 256)
        return -XEN_EINVAL;
    if (hypervisor_gsi(gsi))
        return -XEN_EPERM;
    irq = spin_lock_irqsave(&pirq_lock);
    t = pirq_table(d);
    rc = t ? 0 : -XEN_ENOMEM;
    for (unsigned int i = 0; !rc && i < NR_PIRQS; i++)
        if (t[i].type == PIRQ_GSI && t[i].gsi == gsi) {
            /* Mapped already: the same answer again, as Xen gives. */
            rc = *pirq < 0 || *pirq == (int)i ? 1 : -XEN_EEXIST;
            *pirq = (int)i;
        }
    if (!rc)
        rc = claim_pirq(t, pirq, NR_LEGACY_GSIS);
    if (!rc) {
        vec = alloc_vector(d, (unsigned int)*pirq);
        rc = vec < 0 ? vec : 0;
    }
    if (!rc) {
        struct pirq *p = &t[*pirq];
        gsi_trigger(gsi, &level, &low);
        memset(p, 0, sizeof(*p));
        p->type = PIRQ_GSI;
        p->gsi = gsi;
        p->vector = (uint8_t)vec;
        p->level = level;
        ioapic_route_gsi(gsi, (unsigned int)vec, boot_cpu_apic_id(), level, low);
        pr_info("d%u: GSI %u (%s, active %s) -> pirq %d, vector %#x\n", d->domain_id, gsi,
                level ? "level" : "edge", low ? "low" : "high", *pirq, vec);
    }
    spin_unlock_irqrestore(&pirq_lock, irq);
    return rc > 0 ? 0 : rc;
}

long pirq_map_msi(struct domain *d, uint32_t sbdf, uint64_t table_base, uint32_t entry_nr,
                  int *pirq)
{
    struct pirq *t, tmp;
    long rc;
    int vec;
    unsigned long irq;

    irq = spin_lock_irqsave(&pirq_lock);
    t = pirq_table(d);
    rc = t ? claim_pirq(t, pirq, NR_LEGACY_GSIS) : -XEN_ENOMEM;
    vec = rc ? 0 : alloc_vector(d, (unsigned int)*pirq);
    if (vec < 0)
        rc = vec;
    if (!rc) /* held while the device is programmed (outside the lock) */
        t[*pirq].type = PIRQ_RESERVED;
    spin_unlock_irqrestore(&pirq_lock, irq);
    if (rc)
        return rc;

    memset(&tmp, 0, sizeof(tmp));
    tmp.type = PIRQ_MSI;
    tmp.sbdf = sbdf;
    tmp.vector = (uint8_t)vec;
    rc = msi_program(&tmp, table_base, entry_nr, boot_cpu_apic_id());

    irq = spin_lock_irqsave(&pirq_lock);
    if (rc) {
        vector_owner[vec].d = NULL;
        t[*pirq].type = PIRQ_FREE;
    } else {
        t[*pirq] = tmp;
    }
    spin_unlock_irqrestore(&pirq_lock, irq);
    if (!rc)
        pr_info("d%u: MSI%s %02x:%02x.%u entry %u -> pirq %d, vector %#x\n", d->domain_id,
                tmp.msix ? "-X" : "", PCI_BUS(sbdf), (sbdf >> 3) & 0x1f, sbdf & 7,
                tmp.msix ? entry_nr : 0, *pirq, vec);
    return rc;
}

/* Stop p's interrupt at its source. pirq_lock held. */
static void quiesce(struct pirq *p)
{
    if (p->type == PIRQ_GSI)
        ioapic_mask_gsi(p->gsi, true);
    else if (p->type == PIRQ_MSI)
        msi_set_masked(p, true);
}

long pirq_unmap(struct domain *d, int pirq)
{
    struct pirq *p;
    unsigned long irq;
    long rc = 0;

    if (pirq < 0 || pirq >= NR_PIRQS)
        return -XEN_EINVAL;
    irq = spin_lock_irqsave(&pirq_lock);
    p = d->pirqs ? &d->pirqs[pirq] : NULL;
    if (!p || p->type == PIRQ_FREE) {
        rc = -XEN_EINVAL;
    } else {
        /* Still bound: unbound by force, as Xen does; the port stays
         * the guest's to close and raises nothing meanwhile. */
        quiesce(p);
        if (p->type == PIRQ_MSI)
            msi_disable(p);
        if (p->vector)
            vector_owner[p->vector].d = NULL;
        memset(p, 0, sizeof(*p));
    }
    spin_unlock_irqrestore(&pirq_lock, irq);
    return rc;
}

long pirq_setup_gsi(struct domain *d, uint32_t gsi, bool level, bool active_low)
{
    unsigned long irq;
    long rc = 0;

    if (!ioapic_has_gsi(gsi) || gsi >= 256)
        return -XEN_EINVAL;
    if (hypervisor_gsi(gsi))
        return -XEN_EPERM;
    irq = spin_lock_irqsave(&pirq_lock);
    if (gsi_mode[gsi].set_up) {
        rc = -XEN_EEXIST; /* as Xen: a pin is programmed once */
    } else {
        gsi_mode[gsi].set_up = true;
        gsi_mode[gsi].level = level;
        gsi_mode[gsi].active_low = active_low;
        /* Mapped before (Linux maps, then sets up): route it anew. */
        for (unsigned int i = 0; d->pirqs && i < NR_PIRQS; i++) {
            struct pirq *p = &d->pirqs[i];
            if (p->type != PIRQ_GSI || p->gsi != gsi)
                continue;
            p->level = level;
            ioapic_route_gsi(gsi, p->vector, boot_cpu_apic_id(), level, active_low);
            if (p->port && !p->in_flight)
                ioapic_mask_gsi(gsi, false);
        }
    }
    spin_unlock_irqrestore(&pirq_lock, irq);
    return rc;
}

long pirq_get_free(struct domain *d, int *pirq)
{
    unsigned long irq = spin_lock_irqsave(&pirq_lock);
    struct pirq *t = pirq_table(d);
    long rc = t ? free_pirq(t, NR_LEGACY_GSIS) : -XEN_ENOMEM;

    if (rc >= 0) {
        t[rc].type = PIRQ_RESERVED;
        *pirq = (int)rc;
        rc = 0;
    }
    spin_unlock_irqrestore(&pirq_lock, irq);
    return rc;
}

bool pirq_access_permitted(const struct domain *d, unsigned int pirq)
{
    return pirq < NR_PIRQS && d->pirqs &&
           (d->pirqs[pirq].type == PIRQ_GSI || d->pirqs[pirq].type == PIRQ_MSI);
}

long pirq_bind(struct domain *d, unsigned int pirq, evtchn_port_t port)
{
    unsigned long irq = spin_lock_irqsave(&pirq_lock);
    struct pirq *p;
    long rc = 0;

    if (!pirq_access_permitted(d, pirq)) {
        rc = -XEN_EPERM;
    } else if ((p = &d->pirqs[pirq])->port) {
        rc = -XEN_EEXIST; /* bound already, as Xen answers */
    } else {
        p->port = port;
        p->in_flight = false;
        if (p->type == PIRQ_GSI)
            ioapic_mask_gsi(p->gsi, false);
        else
            msi_set_masked(p, false);
    }
    spin_unlock_irqrestore(&pirq_lock, irq);
    return rc;
}

static void eoi_bit(struct domain *d, unsigned int pirq, bool set)
{
    unsigned long *map;

    if (!d->pirq_eoi_mfn)
        return;
    map = mfn_to_virt(d->pirq_eoi_mfn);
    if (set)
        __atomic_fetch_or(&map[pirq / 64], 1UL << (pirq % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&map[pirq / 64], ~(1UL << (pirq % 64)), __ATOMIC_SEQ_CST);
}

void pirq_unbind(struct domain *d, unsigned int pirq, evtchn_port_t port)
{
    unsigned long irq = spin_lock_irqsave(&pirq_lock);

    /* The pirq may have been unmapped and mapped anew since: only the
     * binding this port made is undone. */
    if (d->pirqs && pirq < NR_PIRQS && d->pirqs[pirq].port == port) {
        struct pirq *p = &d->pirqs[pirq];
        quiesce(p);
        p->port = 0;
        p->in_flight = false;
        eoi_bit(d, pirq, false);
    }
    spin_unlock_irqrestore(&pirq_lock, irq);
}

long pirq_eoi(struct domain *d, unsigned int pirq)
{
    unsigned long irq;
    evtchn_port_t port = 0;

    if (pirq >= NR_PIRQS)
        return -XEN_EINVAL;
    irq = spin_lock_irqsave(&pirq_lock);
    if (d->pirqs && d->pirqs[pirq].type == PIRQ_GSI) {
        struct pirq *p = &d->pirqs[pirq];
        if (p->in_flight) {
            p->in_flight = false;
            eoi_bit(d, pirq, false);
            if (p->port)
                ioapic_mask_gsi(p->gsi, false);
        }
        port = p->port;
    }
    spin_unlock_irqrestore(&pirq_lock, irq);
    if (port && d->pirq_eoi_auto_unmask)
        evtchn_unmask_port(d, port);
    return 0;
}

long pirq_status(const struct domain *d, unsigned int pirq, uint32_t *flags)
{
    if (pirq >= NR_PIRQS)
        return -XEN_EINVAL;
    *flags = 0;
    if (d->pirqs && d->pirqs[pirq].type == PIRQ_GSI && d->pirqs[pirq].level)
        *flags |= XENIRQSTAT_needs_eoi;
    return 0;
}

long pirq_set_eoi_gmfn(struct domain *d, uint64_t gmfn, bool v2)
{
    long rc;

    if (gmfn >= max_mfn)
        return -XEN_EINVAL;
    /* Held writable while it serves, as a vcpu_info page is. */
    rc = get_page_and_type(mfn_to_page(gmfn), d->domain_id, PGT_writable);
    if (rc)
        return -XEN_EINVAL;
    if (__atomic_compare_exchange_n(&d->pirq_eoi_mfn, &(mfn_t){0}, gmfn, false, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST)) {
        d->pirq_eoi_auto_unmask = v2;
        return 0;
    }
    put_page_and_type(mfn_to_page(gmfn));
    return -XEN_EBUSY; /* one page per domain, as on Xen */
}

bool pirq_do_irq(unsigned int vector)
{
    struct domain *d;
    struct pirq *p;
    evtchn_port_t port = 0;
    unsigned long irq;

    if (vector < FIRST_GUEST_VECTOR || vector > LAST_GUEST_VECTOR)
        return false;
    irq = spin_lock_irqsave(&pirq_lock);
    d = vector_owner[vector].d;
    if (d && d->pirqs) {
        p = &d->pirqs[vector_owner[vector].pirq];
        if (p->type == PIRQ_GSI && p->level) {
            /* Held masked until the guest has served it (its EOI). */
            ioapic_mask_gsi(p->gsi, true);
            p->in_flight = true;
            eoi_bit(d, vector_owner[vector].pirq, true);
        }
        port = p->port;
    }
    spin_unlock_irqrestore(&pirq_lock, irq);
    if (!d)
        return false;
    if (port)
        evtchn_raise_pirq(d, port);
    return true;
}

void pirq_destroy_domain(struct domain *d)
{
    unsigned long irq = spin_lock_irqsave(&pirq_lock);

    for (unsigned int i = 0; d->pirqs && i < NR_PIRQS; i++) {
        struct pirq *p = &d->pirqs[i];
        if (p->type == PIRQ_GSI || p->type == PIRQ_MSI) {
            quiesce(p);
            if (p->type == PIRQ_MSI)
                msi_disable(p);
            vector_owner[p->vector].d = NULL;
        }
    }
    xfree(d->pirqs);
    d->pirqs = NULL;
    spin_unlock_irqrestore(&pirq_lock, irq);
    if (d->pirq_eoi_mfn) {
        put_page_and_type(mfn_to_page(d->pirq_eoi_mfn));
        d->pirq_eoi_mfn = 0;
    }
}
