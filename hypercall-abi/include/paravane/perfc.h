/*
 * Paravane extension: a domain's counters (what the guest asked of the
 * hypervisor), read by `vane stat`.
 *
 * Xen keeps its performance counters per pCPU only (XEN_SYSCTL_perfc_op,
 * which Paravane serves too, for xenperf); it has no per-domain view.
 * Paravane counts the same events per vCPU as well, each vCPU in its own
 * block, so an increment is a plain add to memory only that vCPU writes
 * (no lock, no atomic), and a read sums the domain's vCPUs.
 *
 * PARAVANE_DOMCTL_perfc (a domctl command number upstream never used)
 * ------------------------------------------------------------------
 * The payload, in struct xen_domctl's union, is struct
 * paravane_domctl_perfc (this header needs only <xen/xen.h>, with
 * __XEN__ or __XEN_TOOLS__ defined for the 64-bit guest handle):
 *   cmd      IN   PARAVANE_PERFC_query: copy the domain's counters (the
 *                 sum over its vCPUs) to `buffer`.
 *                 PARAVANE_PERFC_reset: the same, then set them to zero.
 *                 A vCPU running meanwhile may lose the increment it was
 *                 making when its block is cleared: reset a running
 *                 domain only where that does not matter.
 *   size     IN   bytes at `buffer`; OUT sizeof(struct paravane_perfc).
 *                 Fewer bytes than that copy the first `size` only (a
 *                 reader built against a shorter version of the block
 *                 gets the fields it knows).
 *   version  OUT  PARAVANE_PERFC_VERSION.
 *   nr_vcpus OUT  vCPUs summed.
 *   buffer   IN   where to copy; a null handle asks for size and version only.
 *   pad      must be zero.
 * Errors: -XEN_ESRCH no such domain, -XEN_EINVAL an unknown cmd or non-zero
 *   pad, -XEN_EFAULT an unwritable buffer. Control domain only (-XEN_EPERM).
 *
 * What is counted (each in the vCPU that caused it):
 *   hypercalls[nr]      hypercall `nr` entered by the guest (SYSCALL from its
 *                       kernel, or the hypercall page); a continuation it
 *                       re-issues counts again, as Xen's perfc does.
 *                       Numbers >= 63 count in [63].
 *   multicall_calls[nr] hypercall `nr` run as an entry of a multicall
 *                       (the multicall itself is in hypercalls[]).
 *   exceptions[vec]     exceptions and software interrupts bounced to the
 *                       guest's handler (or that crashed it for want of
 *                       one), by vector: #PF is 14, int $0x80 is 128.
 *   privops[kind]       privileged instructions that trapped to the
 *                       emulator, by kind (PARAVANE_PERFC_PRIVOP_*): counted
 *                       whether the emulator carried them out or refused
 *                       them (then the guest takes a #GP, also counted in
 *                       exceptions[13], and privops_refused counts it).
 *                       CPUID is counted only behind Xen's forced-emulation
 *                       prefix (ud2; "xen"; cpuid), which is how PV Linux
 *                       issues it: a plain CPUID does not trap.
 *   mmu_update_entries  entries of mmu_update batches carried out
 *   update_va_mapping   update_va_mapping(_otherdomain) calls carried out
 *   ptwr_emulations     page-table writes done in place and emulated
 *                       (VMASST_TYPE_writable_pagetables)
 *   mmuext_ops          mmuext_op entries carried out
 *   evtchn_sends        EVTCHNOP_send calls
 *   grant_ops[op]       grant-table operations by GNTTABOP_* number, one
 *                       per entry of a batch (map, unmap, copy...); numbers
 *                       >= 15 count in [15]
 *   event_upcalls       event callbacks delivered (upcalls)
 *   The page-table updates a domain made are mmu_update_entries +
 *   update_va_mapping + ptwr_emulations.
 */
#ifndef PARAVANE_PERFC_H
#define PARAVANE_PERFC_H

#include <xen/xen.h>

#define PARAVANE_DOMCTL_perfc 0x5001

#define PARAVANE_PERFC_query 1
#define PARAVANE_PERFC_reset 2

#define PARAVANE_PERFC_VERSION 1

/* Kinds of privileged instruction (privops[]). */
#define PARAVANE_PERFC_PRIVOP_cpuid    0  /* forced-emulation CPUID */
#define PARAVANE_PERFC_PRIVOP_rdmsr    1
#define PARAVANE_PERFC_PRIVOP_wrmsr    2
#define PARAVANE_PERFC_PRIVOP_in       3  /* in (port read) */
#define PARAVANE_PERFC_PRIVOP_out      4  /* out (port write) */
#define PARAVANE_PERFC_PRIVOP_ins      5  /* ins, rep ins (once per trap) */
#define PARAVANE_PERFC_PRIVOP_outs     6  /* outs, rep outs (once per trap) */
#define PARAVANE_PERFC_PRIVOP_cr_read  7  /* mov %crN, %reg */
#define PARAVANE_PERFC_PRIVOP_cr_write 8  /* mov %reg, %crN */
#define PARAVANE_PERFC_PRIVOP_dr_read  9  /* mov %drN, %reg */
#define PARAVANE_PERFC_PRIVOP_dr_write 10 /* mov %reg, %drN */
#define PARAVANE_PERFC_PRIVOP_hlt      11 /* refused (#GP): PV blocks with SCHEDOP_block */
#define PARAVANE_PERFC_PRIVOP_cli      12
#define PARAVANE_PERFC_PRIVOP_sti      13
#define PARAVANE_PERFC_PRIVOP_clts     14
#define PARAVANE_PERFC_PRIVOP_wbinvd   15
#define PARAVANE_PERFC_PRIVOP_rdtsc    16 /* only once the guest set CR4.TSD */
#define PARAVANE_PERFC_PRIVOP_invd     17 /* refused */
#define PARAVANE_PERFC_PRIVOP_invlpg   18 /* refused: the guest uses mmuext_op */
#define PARAVANE_PERFC_PRIVOP_lgdt     19 /* lgdt, lidt, lldt, ltr, lmsw: refused */
#define PARAVANE_PERFC_PRIVOP_NR       20
#define PARAVANE_PERFC_PRIVOP_SLOTS    32

/* Names of the kinds, for printing: PARAVANE_PERFC_PRIVOP_NAMES[kind]. */
#define PARAVANE_PERFC_PRIVOP_NAMES                                                                \
    {"cpuid", "rdmsr", "wrmsr", "in", "out", "ins", "outs", "cr_read", "cr_write", "dr_read",     \
     "dr_write", "hlt", "cli", "sti", "clts", "wbinvd", "rdtsc", "invd", "invlpg", "lgdt"}

#define PARAVANE_PERFC_HYPERCALLS  64
#define PARAVANE_PERFC_VECTORS     256
#define PARAVANE_PERFC_GRANT_OPS   16

struct paravane_perfc {
    uint64_t hypercalls[PARAVANE_PERFC_HYPERCALLS];
    uint64_t multicall_calls[PARAVANE_PERFC_HYPERCALLS];
    uint64_t exceptions[PARAVANE_PERFC_VECTORS];
    uint64_t privops[PARAVANE_PERFC_PRIVOP_SLOTS];
    uint64_t privops_refused;
    uint64_t mmu_update_entries;
    uint64_t update_va_mapping;
    uint64_t ptwr_emulations;
    uint64_t mmuext_ops;
    uint64_t evtchn_sends;
    uint64_t grant_ops[PARAVANE_PERFC_GRANT_OPS];
    uint64_t event_upcalls;
};

struct paravane_domctl_perfc {
    uint32_t cmd;      /* IN: PARAVANE_PERFC_query or _reset */
    uint32_t size;     /* IN: bytes at buffer; OUT: sizeof(struct paravane_perfc) */
    uint32_t version;  /* OUT: PARAVANE_PERFC_VERSION */
    uint32_t nr_vcpus; /* OUT: vCPUs summed */
    XEN_GUEST_HANDLE_64(uint8) buffer; /* IN: struct paravane_perfc, or null */
    uint64_t pad;              /* must be zero */
};

_Static_assert(PARAVANE_PERFC_PRIVOP_NR <= PARAVANE_PERFC_PRIVOP_SLOTS, "kinds fit their slots");
_Static_assert(sizeof(struct paravane_perfc) == 8 * (64 + 64 + 256 + 32 + 6 + 16 + 1),
               "no padding in the block");
_Static_assert(sizeof(struct paravane_domctl_perfc) == 32, "payload size");

#endif /* PARAVANE_PERFC_H */
