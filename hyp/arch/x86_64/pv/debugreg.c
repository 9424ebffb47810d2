/*
 * Guest debug registers: set_debugreg / get_debugreg and their use by the
 * hardware, as Xen virtualises them for PV guests.
 *
 * Values are validated as Xen does (set_debugreg): DR0-3 must be guest
 * addresses (a breakpoint on the hypervisor's area is -EPERM); DR6 and
 * DR7 take 32 bits (-EINVAL above) with their reserved bits forced to
 * the architectural values; DR7.GD is -EPERM (it would trap our own DR
 * accesses); an I/O breakpoint (R/W = 10) needs the guest's CR4.DE
 * (-EPERM without), and is emulated rather than loaded, in the port I/O
 * the hypervisor emulates; DR4/DR5 alias DR6/DR7 unless CR4.DE, as on
 * hardware (then -ENODEV). Unknown registers are -ENODEV.
 *
 * The hardware holds a vCPU's DR0-3, DR6 and DR7 while it runs, but only
 * for a vCPU whose DR7 enables something: loaded when it is switched in
 * (or when its DR7 first becomes active), DR7 cleared when it is switched
 * out. So breakpoints fire in guest kernel and user mode; a #DB then
 * merges the hardware's DR6 into the guest's (traps.c). While we run on
 * its behalf the breakpoints stay armed, so a hypervisor access to a
 * watched guest address takes a #DB in hypervisor context: it is logged
 * and ignored (arch/x86_64/traps.c), as on Xen.
 */
#include "asm/pv_traps.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include <xen/errno.h>

#define DR6_DEFAULT 0xffff0ff0UL /* reserved ones; B0-3, BD, BS, BT clear */
#define DR6_ZEROS   0x00001000UL
#define DR6_BP_MASK 0xfUL
#define DR6_KNOWN   (DR6_BP_MASK | (1UL << 13) | (1UL << 14) | (1UL << 15))
#define DR7_DEFAULT 0x00000400UL
#define DR7_ZEROS   0x0000d800UL /* bits 11 (RTM: not offered), 12, 14, 15 */
#define DR7_GD      (1UL << 13)
#define DR7_ACTIVE  0xffUL /* L0, G0 ... L3, G3 */
#define DR7_RW_IO   2u

#define DR_READ(n, v)  __asm__ volatile("mov %%db" #n ", %0" : "=r"(v))
#define DR_WRITE(n, v) __asm__ volatile("mov %0, %%db" #n ::"r"((unsigned long)(v)))

static unsigned long adj_dr6(unsigned long v)
{
    return (v | DR6_DEFAULT) & ~DR6_ZEROS;
}

static unsigned long adj_dr7(unsigned long v)
{
    return (v & ~DR7_ZEROS) | DR7_DEFAULT;
}

static void write_dr(unsigned int n, unsigned long v)
{
    switch (n) {
    case 0:
        DR_WRITE(0, v);
        break;
    case 1:
        DR_WRITE(1, v);
        break;
    case 2:
        DR_WRITE(2, v);
        break;
    case 3:
        DR_WRITE(3, v);
        break;
    case 6:
        DR_WRITE(6, v);
        break;
    default:
        DR_WRITE(7, v);
        break;
    }
}

static bool dr7_active(const struct vcpu *v)
{
    return v->arch.debugreg[7] & DR7_ACTIVE;
}

/* Load v's breakpoints into this CPU (v is current, its DR7 last). */
static void activate(const struct vcpu *v)
{
    for (unsigned int n = 0; n < 4; n++)
        write_dr(n, v->arch.debugreg[n]);
    write_dr(6, adj_dr6(v->arch.debugreg[6]));
    if (dr7_active(v))
        write_dr(7, v->arch.debugreg[7]);
}

void pv_debugreg_switch_from(const struct vcpu *v)
{
    if (dr7_active(v))
        write_dr(7, 0);
}

void pv_debugreg_switch_to(const struct vcpu *v)
{
    if (dr7_active(v))
        activate(v);
}

/*
 * The #DB the hardware raised for the running vCPU: its DR6 (read and
 * reset here) merged into the guest's as Xen does (x86_merge_dr6): the
 * breakpoint bits replaced, the others accumulated.
 */
void pv_debugreg_take_dr6(struct vcpu *v)
{
    unsigned long hw;

    DR_READ(6, hw);
    write_dr(6, DR6_DEFAULT);
    pv_debugreg_merge_dr6(v, (hw ^ DR6_DEFAULT) & DR6_KNOWN);
}

void pv_debugreg_merge_dr6(struct vcpu *v, unsigned long hits)
{
    unsigned long dr6 = adj_dr6(v->arch.debugreg[6]) ^ DR6_DEFAULT;

    dr6 = (dr6 & ~DR6_BP_MASK) | hits;
    v->arch.debugreg[6] = adj_dr6(dr6 ^ DR6_DEFAULT);
}

/* DR6 bits of the emulated I/O breakpoints that port..port+len-1 hits. */
unsigned long pv_io_breakpoints(const struct vcpu *v, unsigned int port, unsigned int len)
{
    unsigned long hits = 0;

    for (unsigned int i = 0; i < 4; i++) {
        unsigned long start = v->arch.debugreg[i];
        unsigned int width;

        if (!(v->arch.dr7_emul & (3u << (2 * i))))
            continue;
        switch ((v->arch.debugreg[7] >> (18 + 4 * i)) & 3) {
        case 0:
            width = 1;
            break;
        case 1:
            width = 2;
            break;
        case 2:
            width = 8;
            break;
        default:
            width = 4;
            break;
        }
        if (start < port + len && start + width > port)
            hits |= 1UL << i;
    }
    return hits;
}

static long set_dr7(struct vcpu *v, unsigned long value)
{
    unsigned int io_enable = 0;

    if (value != (uint32_t)value)
        return -XEN_EINVAL;
    value = adj_dr7(value);
    if (value & DR7_GD)
        return -XEN_EPERM;
    if (value & DR7_ACTIVE) {
        for (unsigned int i = 0; i < 4; i++) {
            if (((value >> (16 + 4 * i)) & 3) != DR7_RW_IO)
                continue;
            if (!pv_cr4_de(v))
                return -XEN_EPERM;
            io_enable |= (unsigned int)value & (3u << (2 * i));
        }
        /* I/O breakpoints are ours to emulate; the hardware never sees them. */
        value &= ~(unsigned long)io_enable;
        if (v == current && !dr7_active(v)) {
            v->arch.debugreg[7] = 0;
            activate(v); /* DR0-3 and DR6 were not loaded while DR7 was off */
        }
    }
    v->arch.dr7_emul = io_enable;
    v->arch.debugreg[7] = value;
    if (v == current)
        write_dr(7, dr7_active(v) ? value : 0);
    return 0;
}

long do_set_debugreg(int reg, unsigned long value)
{
    struct vcpu *v = current;

    switch (reg) {
    case 0:
    case 1:
    case 2:
    case 3:
        /* A breakpoint may only cover guest addresses. */
        if (!guest_range_ok(value, 1))
            return -XEN_EPERM;
        v->arch.debugreg[reg] = value;
        if (dr7_active(v))
            write_dr((unsigned int)reg, value);
        return 0;
    case 4:
        if (pv_cr4_de(v))
            return -XEN_ENODEV;
        __attribute__((fallthrough)); /* DR4 is DR6 without CR4.DE */
    case 6:
        if (value != (uint32_t)value)
            return -XEN_EINVAL;
        v->arch.debugreg[6] = adj_dr6(value);
        if (dr7_active(v))
            write_dr(6, v->arch.debugreg[6]);
        return 0;
    case 5:
        if (pv_cr4_de(v))
            return -XEN_ENODEV;
        __attribute__((fallthrough)); /* DR5 is DR7 without CR4.DE */
    case 7:
        return set_dr7(v, value);
    default:
        return -XEN_ENODEV;
    }
}

long do_get_debugreg(int reg)
{
    const struct vcpu *v = current;

    switch (reg) {
    case 0:
    case 1:
    case 2:
    case 3:
        return (long)v->arch.debugreg[reg];
    case 4:
        if (pv_cr4_de(v))
            return -XEN_ENODEV;
        __attribute__((fallthrough));
    case 6:
        return (long)adj_dr6(v->arch.debugreg[6]);
    case 5:
        if (pv_cr4_de(v))
            return -XEN_ENODEV;
        __attribute__((fallthrough));
    case 7:
        return (long)(adj_dr7(v->arch.debugreg[7]) | v->arch.dr7_emul);
    default:
        return -XEN_ENODEV;
    }
}
