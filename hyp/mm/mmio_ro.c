/*
 * Device frames the hardware domain may read but not write (Xen's
 * mmio_ro_ranges): the pages of a BAR that hold a device's MSI-X table
 * and pending-bit array, whose messages the hypervisor composes itself
 * (msi.c). dom0 maps them as it maps any of its BARs, but an entry asking
 * for write access is installed read-only (pt_validate.c), as Xen does.
 *
 * A write through such a mapping faults. Xen emulates the store from
 * dom0's kernel and discards it (the kernel may share the table's page
 * with other registers and must not oops on it); here a plain store (mov)
 * is likewise stepped over and dropped, logged. Xen leaves a user-mode
 * store to the guest's fault handler, where Linux re-sets the entry
 * writable and faults again for ever; here it is dropped too, so a dom0
 * process poking the table (/dev/mem, sysfs resourceN) carries on with
 * the table unchanged. Any other instruction remains dom0's page fault.
 *
 * The MMCONFIG area is in the set too (pci.c), as on Xen: dom0 reads its
 * devices' config space there directly, and each aligned store of up to
 * 4 bytes is performed by the hypervisor, through the filter its 0xcfc
 * writes pass.
 *
 * The set only grows: a range is added at the boot scan and at each
 * MSI-X map_pirq, and stays when the device's BAR moves. Writers take
 * ro_lock; readers (on every mapping of a device frame, from any CPU)
 * read the published count with acquire and need no lock.
 */
#include "asm/insn.h"
#include "console.h"
#include "guest_access.h"
#include "lib.h"
#include "mm/pv_mm.h"
#include "pci.h"
#include "pirq.h"
#include <xen/errno.h>

#define MAX_RO_RANGES 64

static struct {
    mfn_t first, last;
} ro[MAX_RO_RANGES];
static unsigned int nr_ro;
static DEFINE_SPINLOCK(ro_lock);

bool mmio_ro_frame(mfn_t mfn)
{
    unsigned int n = __atomic_load_n(&nr_ro, __ATOMIC_ACQUIRE);

    for (unsigned int i = 0; i < n; i++)
        if (mfn >= ro[i].first && mfn <= ro[i].last)
            return true;
    return false;
}

int mmio_ro_add(mfn_t first, mfn_t last)
{
    int rc = 1;
    unsigned long irq;

    if (last < first)
        return -XEN_EINVAL;
    irq = spin_lock_irqsave(&ro_lock);
    for (unsigned int i = 0; i < nr_ro && rc > 0; i++)
        if (first >= ro[i].first && last <= ro[i].last)
            rc = 0; /* already there */
    if (rc > 0 && nr_ro == MAX_RO_RANGES)
        rc = -XEN_ENOSPC;
    if (rc > 0) {
        ro[nr_ro].first = first;
        ro[nr_ro].last = last;
        __atomic_store_n(&nr_ro, nr_ro + 1, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&ro_lock, irq);
    return rc;
}

#define PF_PRESENT    (1u << 0)
#define PF_WRITE      (1u << 1)
#define PF_RESERVED   (1u << 3)
#define PF_INSN_FETCH (1u << 4)

/* The L1 entry through which `v` reached `addr` (0 if none). */
static pte_t faulting_entry(const struct vcpu *v, unsigned long addr)
{
    mfn_t l4 = v->arch.kernel_mode || !v->arch.guest_table_user ? v->arch.guest_table
                                                                : v->arch.guest_table_user;
    mfn_t l1;
    unsigned int idx;
    pte_t e = 0;

    if (!pt_find_l1e(l4, addr, &l1, &idx))
        e = READ_ONCE(((pte_t *)mfn_to_virt(l1))[idx]);
    return e;
}

int mmio_ro_do_page_fault(struct vcpu *v, struct cpu_user_regs *regs, unsigned long addr)
{
    static unsigned int logged;
    uint8_t bytes[15] = {0};
    struct insn_mem_write in;
    uint32_t sbdf;
    unsigned int reg;
    paddr_t pa;
    pte_t e;

    if ((regs->error_code & (PF_PRESENT | PF_WRITE | PF_RESERVED | PF_INSN_FETCH)) !=
            (PF_PRESENT | PF_WRITE) ||
        !is_hardware_domain(v->domain) || !__atomic_load_n(&nr_ro, __ATOMIC_ACQUIRE))
        return 0;
    e = faulting_entry(v, addr);
    if ((e & (_PAGE_PRESENT | _PAGE_RW)) != _PAGE_PRESENT ||
        !mmio_ro_frame(pte_addr(e) >> PAGE_SHIFT))
        return 0;
    for (unsigned int n = sizeof(bytes); n > 0; n--)
        if (!copy_from_guest(bytes, regs->rip, n))
            break;
    /* Only a plain store: a read-modify-write would need the device read. */
    if (insn_decode_mem_write(bytes, sizeof(bytes), &in) || in.op != INSN_MOV)
        return 0;
    pa = pte_addr(e) | (addr & ~PAGE_MASK);
    if (pci_mmcfg_decode(pa, &sbdf, &reg)) {
        /* As Xen: a naturally aligned store of at most 4 bytes only. */
        if (in.size > 4 || (addr & (in.size - 1)))
            return 0;
        pci_mmcfg_guest_write(v->domain, sbdf, reg, in.size,
                              (uint32_t)(in.src_is_imm ? in.imm : *insn_reg(regs, in.src_reg)));
        regs->rip += in.len;
        return 1;
    }
    regs->rip += in.len;
    /* A loop of such stores must not flood the console: the first few. */
    if (logged < 8) {
        logged++;
        pr_warn("d%u: %u-byte %s write to read-only MMIO %#lx dropped\n", v->domain->domain_id,
                in.size, v->arch.kernel_mode ? "kernel" : "user", (unsigned long)pa);
    }
    return 1;
}
