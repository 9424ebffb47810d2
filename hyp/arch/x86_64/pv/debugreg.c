/*
 * Guest debug registers (set_debugreg / get_debugreg).
 *
 * Values are kept per vCPU and validated so that no breakpoint can cover
 * hypervisor addresses or I/O ports and DR7.GD (which would trap the
 * hypervisor's own debug-register accesses) stays clear. They are recorded
 * for the guest to read back; the hardware debug registers stay the
 * hypervisor's. Breakpoints are not delivered yet, so DR7 refuses to
 * enable one (-EOPNOTSUPP) rather than accept it and never fire.
 */
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include <xen/errno.h>

#define DR7_GD       (1UL << 13)
#define DR7_RESERVED ((0xffffffffUL << 32) | (1UL << 14) | (1UL << 15) | (1UL << 12) | (1UL << 11))
#define DR6_RESERVED (0xffffffffUL << 32)
#define DR7_ENABLES  0xffUL /* L0, G0 ... L3, G3 */

/* Each breakpoint's R/W field (bits 16+4n) = 2 means I/O: not for guests. */
static bool dr7_ok(unsigned long v)
{
    if (v & (DR7_GD | DR7_RESERVED))
        return false;
    for (unsigned int n = 0; n < 4; n++)
        if (((v >> (16 + 4 * n)) & 3) == 2)
            return false;
    return true;
}

long do_set_debugreg(int reg, unsigned long value)
{
    struct vcpu *v = current;

    switch (reg) {
    case 0:
    case 1:
    case 2:
    case 3:
        /* A breakpoint may only cover guest addresses (8 bytes at most). */
        if (!guest_range_ok(value, 8))
            return -XEN_EPERM;
        break;
    case 6:
        if (value & DR6_RESERVED)
            return -XEN_EPERM;
        break;
    case 7:
        if (!dr7_ok(value))
            return -XEN_EPERM;
        if (value & DR7_ENABLES)
            return -XEN_EOPNOTSUPP;
        break;
    default:
        return -XEN_EINVAL;
    }
    v->arch.debugreg[reg] = value;
    return 0;
}

long do_get_debugreg(int reg)
{
    if (reg < 0 || reg > 7 || reg == 4 || reg == 5)
        return -XEN_EINVAL;
    return (long)current->arch.debugreg[reg];
}
