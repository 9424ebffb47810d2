/*
 * physdev_op: the physical-device hypercall. Only what a PV guest needs
 * without devices of its own is here: PHYSDEVOP_set_iopl (the guest's
 * virtual I/O privilege, arch/x86_64/pv/iopl.c). Every other sub-op (pirqs,
 * MSI, PCI) answers -ENOSYS, as Xen does for an op it does not know, and
 * Linux carries on without them.
 */
#include "asm/pv_traps.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "percpu.h"
#include <xen/errno.h>
#include <xen/physdev.h>

long do_physdev_op(int cmd, guest_ptr_t arg)
{
    struct physdev_set_iopl set_iopl;

    switch (cmd) {
    case PHYSDEVOP_set_iopl:
        if (copy_from_guest(&set_iopl, arg, sizeof(set_iopl)))
            return -XEN_EFAULT;
        return pv_set_iopl(current, set_iopl.iopl);
    default:
        return -XEN_ENOSYS;
    }
}
