/*
 * Which machine frames that are not RAM the control domain may map: the
 * firmware areas of the first MiB, the firmware's reserved and ACPI ranges
 * and the MMIO space beyond RAM (its devices, PCI BARs, the BIOS ROM),
 * except the interrupt controllers, which are the hypervisor's. Such
 * mappings hold no reference: the frames are not memory the hypervisor
 * hands out.
 */
#include "acpi.h"
#include "mm/pv_mm.h"
#include "multiboot.h"

#define LOW_MEG_FRAMES 0x100

static bool in_ram(mfn_t mfn)
{
    const struct memmap *fw = &boot_info.fw_map;
    paddr_t pa = mfn << PAGE_SHIFT;

    for (unsigned int i = 0; i < fw->nr; i++)
        if (fw->r[i].type == MEM_RAM && pa >= fw->r[i].start && pa < fw->r[i].end)
            return true;
    return false;
}

static bool hypervisor_mmio(mfn_t mfn)
{
    if (mfn == acpi_info.lapic_base >> PAGE_SHIFT)
        return true;
    for (unsigned int i = 0; i < acpi_info.nr_ioapics; i++)
        if (mfn == acpi_info.ioapic[i].base >> PAGE_SHIFT)
            return true;
    return false;
}

bool is_iomem_frame(mfn_t mfn)
{
    return (mfn < LOW_MEG_FRAMES || !in_ram(mfn)) && !hypervisor_mmio(mfn);
}

bool iomem_permitted(const struct domain *d, mfn_t mfn)
{
    return d->is_privileged && is_iomem_frame(mfn);
}
