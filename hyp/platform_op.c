/*
 * platform_op: the calls the hardware domain's Linux makes about the
 * machine. It sets the wallclock (XENPF_settime), asks which physical
 * CPUs there are (get_cpuinfo, get_cpu_version: its pcpu and mcelog
 * drivers), and asks for firmware data the boot loader gave (none here:
 * -ESRCH, as Xen answers past the last entry). ACPI sleep is refused with
 * a line in the log: the hypervisor cannot suspend the machine. Only the
 * hardware domain may call; others get -EPERM.
 */
#include "asm/processor.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include "pirq.h"
#include "smp.h"
#include "time.h"
#include <xen/errno.h>
#include <xen/platform.h>

static unsigned int max_present_cpu(void)
{
    unsigned int max = 0;

    for (unsigned int c = 0; c < NR_CPUS; c++)
        if (cpu_online_map & (1UL << c))
            max = c;
    return max;
}

static void cpu_info(struct xenpf_pcpuinfo *p)
{
    unsigned int c = p->xen_cpuid;

    p->max_present = max_present_cpu();
    if (c >= NR_CPUS || !(cpu_online_map & (1UL << c))) {
        p->flags = XEN_PCPU_FLAGS_INVALID;
        return;
    }
    p->flags = XEN_PCPU_FLAGS_ONLINE;
    p->apic_id = percpu[c].apic_id;
    p->acpi_id = c; /* MADT order is CPU order here */
}

static void cpu_version(struct xenpf_pcpu_version *p)
{
    uint32_t a, b, c, d;

    p->max_present = max_present_cpu();
    cpuid(0, 0, &a, &b, &c, &d);
    memcpy(p->vendor_id, &b, 4);
    memcpy(p->vendor_id + 4, &d, 4);
    memcpy(p->vendor_id + 8, &c, 4);
    cpuid(1, 0, &a, &b, &c, &d);
    p->family = (a >> 8) & 0xf;
    p->model = (a >> 4) & 0xf;
    if (p->family == 0xf)
        p->family += (a >> 20) & 0xff;
    if (p->family >= 6)
        p->model |= ((a >> 16) & 0xf) << 4;
    p->stepping = a & 0xf;
}

long do_platform_op(guest_ptr_t arg)
{
    struct domain *d = current->domain;
    struct xen_platform_op op;
    bool out = false;
    long rc = 0;

    if (!is_hardware_domain(d))
        return -XEN_EPERM;
    if (copy_from_guest(&op, arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XENPF_INTERFACE_VERSION)
        return -XEN_EACCES;

    switch (op.cmd) {
    case XENPF_settime32:
        guest_time_set_wallclock(op.u.settime32.secs, op.u.settime32.system_time);
        break;
    case XENPF_settime64:
        if (op.u.settime64.mbz)
            return -XEN_EINVAL;
        guest_time_set_wallclock(op.u.settime64.secs, op.u.settime64.system_time);
        break;
    case XENPF_get_cpuinfo:
        cpu_info(&op.u.pcpu_info);
        out = true;
        break;
    case XENPF_get_cpu_version:
        if (op.u.pcpu_version.xen_cpuid >= NR_CPUS ||
            !(cpu_online_map & (1UL << op.u.pcpu_version.xen_cpuid)))
            return -XEN_EINVAL;
        cpu_version(&op.u.pcpu_version);
        out = true;
        break;
    case XENPF_firmware_info:
        return -XEN_ESRCH;
    case XENPF_platform_quirk:
        break;
    case XENPF_enter_acpi_sleep:
        pr_warn("d%u: ACPI sleep state S%u refused: Paravane cannot suspend the machine\n",
                d->domain_id, op.u.enter_acpi_sleep.sleep_state);
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_ENOSYS;
    }
    if (out && copy_to_guest(arg, &op, sizeof(op)))
        rc = -XEN_EFAULT;
    return rc;
}
