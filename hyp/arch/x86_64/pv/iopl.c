/*
 * The virtual I/O privilege level of a PV vCPU, as Xen keeps it.
 *
 * The guest runs in ring 3 with the real IOPL 0, so its cli, sti, in and
 * out always fault; whether we emulate them or hand the guest #GP(0)
 * depends on its virtual IOPL (PHYSDEVOP_set_iopl, 0 at start) against
 * the privilege level it runs at: 3 in user mode; in kernel mode 1, or 0
 * once the domain asked for VMASST_TYPE_architectural_iopl. That assist
 * also makes the IOPL field of RFLAGS mean what it does on hardware: iret
 * sets the virtual IOPL from it and bounce frames report it; without the
 * assist IOPL reads as 0 in them.
 */
#include "asm/pv_traps.h"
#include "domain.h"
#include <xen/errno.h>
#include <xen/xen.h>

#define RFLAGS_IOPL_SHIFT 12

long pv_set_iopl(struct vcpu *v, uint32_t iopl)
{
    if (iopl > 3)
        return -XEN_EINVAL;
    v->arch.iopl = iopl;
    return 0;
}

bool pv_iopl_ok(const struct vcpu *v)
{
    unsigned int cpl = 3;

    if (v->arch.kernel_mode)
        cpl = vm_assist(v->domain, VMASST_TYPE_architectural_iopl) ? 0 : 1;
    return cpl <= v->arch.iopl;
}

unsigned long pv_iopl_rflags(const struct vcpu *v)
{
    if (!vm_assist(v->domain, VMASST_TYPE_architectural_iopl))
        return 0;
    return (unsigned long)v->arch.iopl << RFLAGS_IOPL_SHIFT;
}

void pv_iopl_from_iret(struct vcpu *v, unsigned long rflags)
{
    if (vm_assist(v->domain, VMASST_TYPE_architectural_iopl))
        v->arch.iopl = (rflags >> RFLAGS_IOPL_SHIFT) & 3;
}
