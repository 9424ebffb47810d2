/*
 * CR4 as a PV guest sees it, following Xen (pv_fixup_guest_cr4).
 *
 * The guest never owns CR4: a write to it is emulated. Of what it writes
 * only four bits are its own, and only when the CPUID it is shown offers
 * the feature behind them: TSD (TSC), DE (DE), FSGSBASE (leaf 7 FSGSBASE)
 * and OSXSAVE (XSAVE). A few bits of the hypervisor's own CR4 show through
 * read-only (PAE, MCE, OSFXSR, OSXMMEXCPT). Every other bit written is
 * dropped without a fault, as on Xen, so reading CR4 back tells the guest
 * what it got.
 *
 * Of the guest's bits only TSD reaches the hardware (while the vCPU runs):
 * it makes RDTSC fault in ring 3, so the guest's user mode gets #GP and
 * its kernel's RDTSC is emulated (emulate.c). DE is virtual (it decides
 * whether DR7 may hold I/O breakpoints, debugreg.c). FSGSBASE and OSXSAVE
 * never pass the CPUID check here (cpuid.c hides both), so RDFSBASE and
 * friends stay #UD, matching what CPUID says.
 */
#include "asm/processor.h"
#include "asm/pv_traps.h"
#include "domain.h"

#define CR4_TSD      (1UL << 2)
#define CR4_DE       (1UL << 3)
#define CR4_MCE      (1UL << 6)
#define CR4_FSGSBASE (1UL << 16)
#define CR4_OSXSAVE  (1UL << 18)

#define PV_CR4_GUEST_MASK    (CR4_TSD | CR4_DE | CR4_FSGSBASE | CR4_OSXSAVE)
#define PV_CR4_GUEST_VISIBLE (X86_CR4_PAE | CR4_MCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

/* The hypervisor's CR4 bits a guest may see: the same on every CPU. */
static unsigned long host_visible(void)
{
    return read_cr4() & PV_CR4_GUEST_VISIBLE;
}

unsigned long pv_fixup_guest_cr4(const struct vcpu *v, unsigned long cr4)
{
    uint32_t a, b, c, d, b7 = 0, max;

    (void)v; /* one policy for every domain, for now (cpuid.c) */
    guest_cpuid(0, 0, &max, &b, &c, &d);
    guest_cpuid(1, 0, &a, &b, &c, &d);
    if (max >= 7)
        guest_cpuid(7, 0, &a, &b7, &a, &a);
    if (!(d & (1u << 4))) /* TSC */
        cr4 &= ~CR4_TSD;
    if (!(d & (1u << 2))) /* DE */
        cr4 &= ~CR4_DE;
    if (!(b7 & (1u << 0))) /* FSGSBASE */
        cr4 &= ~CR4_FSGSBASE;
    if (!(c & (1u << 26))) /* XSAVE */
        cr4 &= ~CR4_OSXSAVE;
    return (cr4 & PV_CR4_GUEST_MASK) | host_visible();
}

void pv_load_cr4(const struct vcpu *v)
{
    unsigned long cr4 = read_cr4();
    unsigned long want = (cr4 & ~CR4_TSD) | (v->arch.ctrlreg[4] & CR4_TSD);

    if (want != cr4)
        write_cr4(want);
}

bool pv_cr4_tsd(const struct vcpu *v)
{
    return v->arch.ctrlreg[4] & CR4_TSD;
}

bool pv_cr4_de(const struct vcpu *v)
{
    return v->arch.ctrlreg[4] & CR4_DE;
}
