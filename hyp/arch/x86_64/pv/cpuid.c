/*
 * CPUID as a PV guest sees it: the real CPU's leaves filtered to what a
 * guest kernel running in ring 3 under this hypervisor can use
 * (LINUX-PV-REQUIREMENTS §3.6), plus the hypervisor leaves at 0x40000000
 * that identify us as Xen ("XenVMMXenVMM").
 *
 * Guests reach it through the forced-emulation prefix, ud2 + "xen" +
 * cpuid, which raises #UD; a plain CPUID runs natively, unfiltered. What
 * a domain's toolstack narrowed (its CPU policy, cpu_policy.c) applies
 * on top.
 */
#include "asm/processor.h"
#include "asm/pv_traps.h"
#include "cpu_policy.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "percpu.h"
#include "perfc.h"
#include "pirq.h"

#define XEN_CPUID_BASE    0x40000000
#define XEN_CPUID_MAX     (XEN_CPUID_BASE + 5)
#define XEN_VERSION_MAJOR 4
#define XEN_VERSION_MINOR 17

/* Leaf 1 EDX: PSE, MCE, APIC, MTRR, PGE, MCA, PSE36, ACPI, DS, TM, PBE, VME. */
#define L1_EDX_HIDE                                                                                \
    ((1u << 1) | (1u << 3) | (1u << 7) | (1u << 9) | (1u << 12) | (1u << 13) | (1u << 14) |        \
     (1u << 17) | (1u << 21) | (1u << 22) | (1u << 29) | (1u << 31))
#define L1_EDX_APIC (1u << 9)
/* Leaf 1 ECX: MONITOR, DS_CPL, VMX, SMX, EST, TM2, PDCM, PCID, DCA, X2APIC,
 * TSC_DEADLINE, XSAVE, OSXSAVE, AVX (needs XSAVE). */
#define L1_ECX_HIDE                                                                                \
    ((1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8) | (1u << 15) |          \
     (1u << 17) | (1u << 18) | (1u << 21) | (1u << 24) | (1u << 26) | (1u << 27) | (1u << 28))
#define L1_ECX_HYPERVISOR (1u << 31)
/* Leaf 7.0 EBX kept: BMI1, BMI2, ERMS, ADX. Everything else (FSGSBASE,
 * SMEP, SMAP, INVPCID, AVX2...) is hidden. */
#define L7_EBX_KEEP ((1u << 3) | (1u << 8) | (1u << 9) | (1u << 19))
/* 0x80000001 EDX: PDPE1GB, RDTSCP. ECX: SVM. */
#define E1_EDX_HIDE ((1u << 26) | (1u << 27))
#define E1_ECX_HIDE (1u << 2)

void guest_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    uint32_t max;

    if (leaf >= XEN_CPUID_BASE && leaf < XEN_CPUID_BASE + 0x10000) {
        *a = *b = *c = *d = 0;
        switch (leaf) {
        case XEN_CPUID_BASE:
            *a = XEN_CPUID_MAX;
            memcpy(b, "XenV", 4);
            memcpy(c, "MMXe", 4);
            memcpy(d, "nVMM", 4);
            break;
        case XEN_CPUID_BASE + 1:
            *a = (XEN_VERSION_MAJOR << 16) | XEN_VERSION_MINOR;
            break;
        case XEN_CPUID_BASE + 2:
            *a = 1; /* hypercall pages */
            break;
        default:
            break; /* time, HVM and paging leaves: nothing to report */
        }
        return;
    }

    cpuid(leaf & 0x80000000, 0, &max, b, c, d);
    if (leaf > max) {
        *a = *b = *c = *d = 0;
        return;
    }
    cpuid(leaf, sub, a, b, c, d);
    switch (leaf) {
    case 0:
        *a = MIN(*a, 0xdu);
        break;
    case 1:
        *d &= ~L1_EDX_HIDE;
        *c = (*c & ~L1_ECX_HIDE) | L1_ECX_HYPERVISOR;
        break;
    case 5:
    case 6:
    case 0xa:
    case 0xd:
        *a = *b = *c = *d = 0; /* MONITOR, power, PMU, XSAVE: hidden */
        break;
    case 7:
        if (sub == 0) {
            *a = 0;
            *b &= L7_EBX_KEEP;
        } else {
            *b = 0;
        }
        *c = *d = 0;
        break;
    case 0x80000001:
        *d &= ~E1_EDX_HIDE;
        *c &= ~E1_ECX_HIDE;
        break;
    default:
        break;
    }
}

bool pv_emulate_forced_cpuid(struct cpu_user_regs *regs)
{
    static const uint8_t prefix[7] = {0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2};
    uint8_t insn[7];
    uint32_t a, b, c, d;

    if (copy_from_guest(insn, regs->rip, sizeof(insn)) || memcmp(insn, prefix, sizeof(insn)))
        return false;
    guest_cpuid((uint32_t)regs->rax, (uint32_t)regs->rcx, &a, &b, &c, &d);
    /*
     * The hardware domain sees the APIC as on Xen: its Linux then reads
     * the MADT's IO-APICs and interrupt overrides and asks for GSIs as
     * pirqs (the APIC itself stays the hypervisor's; Linux's Xen APIC
     * driver never touches it).
     */
    if ((uint32_t)regs->rax == 1 && is_hardware_domain(current->domain))
        d |= L1_EDX_APIC;
    cpu_policy_apply(current->domain, (uint32_t)regs->rax, (uint32_t)regs->rcx, &a, &b, &c, &d);
    regs->rax = a;
    regs->rbx = b;
    regs->rcx = c;
    regs->rdx = d;
    regs->rip += sizeof(prefix);
    perfc_privop(current, PARAVANE_PERFC_PRIVOP_cpuid);
    return true;
}
