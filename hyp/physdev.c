/*
 * physdev_op: the physical-device hypercall.
 *
 * Any PV guest may set its virtual I/O privilege (arch/x86_64/pv/iopl.c),
 * query a pirq's status, send a pirq's EOI and register its EOI bitmap
 * page. What hands out the machine (mapping GSIs and MSIs to pirqs,
 * setting a GSI's trigger, the PCI device reports, reading the IO-APIC)
 * is the hardware domain's alone: anyone else gets -EPERM, as from Xen's
 * default XSM policy. The pirq machinery itself is irq_pirq.c and msi.c.
 */
#include "asm/apic.h"
#include "asm/pv_traps.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "pci.h"
#include "percpu.h"
#include "pirq.h"
#include <xen/errno.h>
#include <xen/physdev.h>

#define IN(type, var)                                                                              \
    type var;                                                                                      \
    if (copy_from_guest(&var, arg, sizeof(var)))                                                   \
    return -XEN_EFAULT

/* The domain a map/unmap names must be the caller itself. */
static bool names_self(const struct domain *d, domid_t domid)
{
    return domid == DOMID_SELF || domid == d->domain_id;
}

static long map_pirq(struct domain *d, struct physdev_map_pirq *m)
{
    uint32_t sbdf;

    if (!names_self(d, m->domid))
        return -XEN_EINVAL; /* passthrough to other domains: not here */
    switch (m->type) {
    case MAP_PIRQ_TYPE_GSI:
        if (m->index < 0)
            return -XEN_EINVAL;
        return pirq_map_gsi(d, (uint32_t)m->index, &m->pirq);
    case MAP_PIRQ_TYPE_MSI_SEG:
        if (m->bus >> 16)
            return -XEN_EINVAL; /* one segment */
        /* fall through */
    case MAP_PIRQ_TYPE_MSI:
        if ((m->bus & 0xffff) > 0xff || m->devfn < 0 || m->devfn > 0xff || m->entry_nr < 0)
            return -XEN_EINVAL;
        sbdf = PCI_SBDF(m->bus & 0xff, m->devfn);
        return pirq_map_msi(d, sbdf, m->table_base, (uint32_t)m->entry_nr, &m->pirq);
    default:
        /* MULTI_MSI among them: Linux then falls back to one vector. */
        return -XEN_EINVAL;
    }
}

static long report_device(struct domain *d, unsigned int seg, unsigned int bus, unsigned int devfn,
                          const char *what)
{
    if (seg)
        return -XEN_ENODEV;
    pr_info("d%u: PCI %s 0000:%02x:%02x.%u\n", d->domain_id, what, bus, (devfn >> 3) & 0x1f,
            devfn & 7);
    return 0;
}

/* The sub-ops only the hardware domain may make; -ENOSYS if not one. */
static long privileged_op(struct domain *d, int cmd, guest_ptr_t arg)
{
    long rc;

    switch (cmd) {
    case PHYSDEVOP_map_pirq: {
        IN(struct physdev_map_pirq, m);
        rc = map_pirq(d, &m);
        if (!rc && copy_to_guest(arg, &m, sizeof(m)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case PHYSDEVOP_unmap_pirq: {
        IN(struct physdev_unmap_pirq, u);
        return names_self(d, u.domid) ? pirq_unmap(d, u.pirq) : -XEN_EINVAL;
    }
    case PHYSDEVOP_setup_gsi: {
        IN(struct physdev_setup_gsi, s);
        if (s.gsi < 0)
            return -XEN_EINVAL;
        return pirq_setup_gsi(d, (uint32_t)s.gsi, s.triggering, s.polarity);
    }
    case PHYSDEVOP_get_free_pirq: {
        IN(struct physdev_get_free_pirq, g);
        int pirq;
        rc = pirq_get_free(d, &pirq);
        g.pirq = (uint32_t)pirq;
        if (!rc && copy_to_guest(arg, &g, sizeof(g)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case PHYSDEVOP_alloc_irq_vector: {
        /* As Xen: the "vector" is the irq number itself; nothing to do. */
        IN(struct physdev_irq, i);
        i.vector = i.irq;
        return copy_to_guest(arg, &i, sizeof(i)) ? -XEN_EFAULT : 0;
    }
    case PHYSDEVOP_free_irq_vector:
        return 0;
    case PHYSDEVOP_apic_read: {
        IN(struct physdev_apic, a);
        if (!ioapic_read_reg(a.apic_physbase, a.reg, &a.value))
            return -XEN_EINVAL;
        return copy_to_guest(arg, &a, sizeof(a)) ? -XEN_EFAULT : 0;
    }
    case PHYSDEVOP_apic_write:
        return -XEN_EPERM; /* the IO-APIC is the hypervisor's */
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_remove: {
        IN(struct physdev_manage_pci, m);
        return report_device(d, 0, m.bus, m.devfn,
                             cmd == PHYSDEVOP_manage_pci_add ? "device added" : "device removed");
    }
    case PHYSDEVOP_manage_pci_add_ext: {
        IN(struct physdev_manage_pci_ext, m);
        return report_device(d, 0, m.bus, m.devfn, "device added");
    }
    case PHYSDEVOP_pci_device_add: {
        IN(struct physdev_pci_device_add, a);
        return report_device(d, a.seg, a.bus, a.devfn, "device added");
    }
    case PHYSDEVOP_pci_device_remove:
    case PHYSDEVOP_restore_msi_ext:
    case PHYSDEVOP_prepare_msix:
    case PHYSDEVOP_release_msix: {
        IN(struct physdev_pci_device, p);
        /* MSI state is never lost here: nothing to restore or prepare. */
        return cmd == PHYSDEVOP_pci_device_remove
                   ? report_device(d, p.seg, p.bus, p.devfn, "device removed")
                   : (p.seg ? -XEN_ENODEV : 0);
    }
    case PHYSDEVOP_restore_msi: {
        IN(struct physdev_restore_msi, r);
        (void)r;
        return 0;
    }
    case PHYSDEVOP_pci_mmcfg_reserved: {
        IN(struct physdev_pci_mmcfg_reserved, m);
        pr_info("d%u: MMCONFIG segment %u buses %u-%u at %#lx %s\n", d->domain_id, m.segment,
                m.start_bus, m.end_bus, (unsigned long)m.address,
                (m.flags & XEN_PCI_MMCFG_RESERVED) ? "reserved" : "not reserved");
        return 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}

static bool is_privileged_op(int cmd)
{
    switch (cmd) {
    case PHYSDEVOP_map_pirq:
    case PHYSDEVOP_unmap_pirq:
    case PHYSDEVOP_setup_gsi:
    case PHYSDEVOP_alloc_irq_vector:
    case PHYSDEVOP_free_irq_vector:
    case PHYSDEVOP_apic_read:
    case PHYSDEVOP_apic_write:
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_remove:
    case PHYSDEVOP_manage_pci_add_ext:
    case PHYSDEVOP_pci_device_add:
    case PHYSDEVOP_pci_device_remove:
    case PHYSDEVOP_restore_msi:
    case PHYSDEVOP_restore_msi_ext:
    case PHYSDEVOP_prepare_msix:
    case PHYSDEVOP_release_msix:
    case PHYSDEVOP_pci_mmcfg_reserved:
    case PHYSDEVOP_get_free_pirq:
        return true;
    default:
        return false;
    }
}

long do_physdev_op(int cmd, guest_ptr_t arg)
{
    struct domain *d = current->domain;
    long rc;

    if (is_privileged_op(cmd))
        return is_hardware_domain(d) ? privileged_op(d, cmd, arg) : -XEN_EPERM;

    switch (cmd) {
    case PHYSDEVOP_set_iopl: {
        IN(struct physdev_set_iopl, s);
        return pv_set_iopl(current, s.iopl);
    }
    case PHYSDEVOP_eoi: {
        IN(struct physdev_eoi, e);
        return pirq_eoi(d, e.irq);
    }
    case PHYSDEVOP_irq_status_query: {
        IN(struct physdev_irq_status_query, q);
        rc = pirq_status(d, q.irq, &q.flags);
        if (!rc && copy_to_guest(arg, &q, sizeof(q)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case PHYSDEVOP_pirq_eoi_gmfn_v1:
    case PHYSDEVOP_pirq_eoi_gmfn_v2: {
        IN(struct physdev_pirq_eoi_gmfn, g);
        return pirq_set_eoi_gmfn(d, g.gmfn, cmd == PHYSDEVOP_pirq_eoi_gmfn_v2);
    }
    default:
        return -XEN_ENOSYS;
    }
}
