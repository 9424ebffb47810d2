/*
 * The x86 PV part of a vCPU: the state the Xen PV ABI lets a guest give
 * the hypervisor (trap table, callbacks, kernel stack, page-table bases,
 * segment bases, virtual control and debug registers) and the state the
 * hypervisor saves across context switches (registers, FPU).
 *
 * Every field is written only by the vCPU itself (through hypercalls and
 * emulation, on the pCPU it runs on) or by the builder before the vCPU
 * first runs, so none needs a lock.
 */
#ifndef PARAVANE_ASM_PV_H
#define PARAVANE_ASM_PV_H

#include "compiler.h"
#include "types.h"
#include <xen/xen.h>

#define PV_GDT_MAX_FRAMES 14 /* pages 14-15 of the GDT are the hypervisor's */

struct pv_vcpu {
    /* Registers while the vCPU is not running (the live copy is in cpu_info). */
    struct cpu_user_regs user_regs;

    /* Virtual IDT (set_trap_table): 256 entries, address 0 = no handler. */
    struct trap_info *trap_ctxt;

    /* Callbacks (set_callbacks / callback_op). */
    unsigned long event_callback_eip;
    unsigned long failsafe_callback_eip;
    unsigned long syscall_callback_eip;
    unsigned long syscall32_callback_eip;
    unsigned long sysenter_callback_eip;
    bool failsafe_masks_events;
    bool syscall_masks_events;
    bool syscall32_masks_events;
    bool sysenter_masks_events;

    /* Virtual TSS: where bounces from user mode land (stack_switch). */
    unsigned long kernel_ss, kernel_sp;

    /* Page-table bases (machine frames): kernel L4, user L4 (0 = none). */
    mfn_t guest_table, guest_table_user;
    bool kernel_mode; /* guest kernel (true) or guest user mode */

    /* Segment bases; MSR_GS_BASE holds the one of the current mode. */
    unsigned long fs_base, gs_base_kernel, gs_base_user;

    /* Virtual control registers: CR0 (TS), CR4 as the guest sees them. */
    unsigned long ctrlreg[5];
    unsigned long debugreg[8]; /* DR0-3, DR6, DR7 as the guest set them (debugreg.c) */
    unsigned int dr7_emul;     /* DR7 enables of I/O breakpoints, emulated */
    unsigned long io_bp_hits;  /* DR6 bits the emulated port I/O just hit */
    unsigned int iopl;         /* virtual IOPL (PHYSDEVOP_set_iopl, iopl.c): 0..3 */

    /* Guest GDT (set_gdt): frames and entry count, copied into the
     * per-CPU GDT when the vCPU is loaded. */
    mfn_t gdt_frames[PV_GDT_MAX_FRAMES];
    unsigned int gdt_ents;

    /* Guest LDT (MMUEXT_SET_LDT): a linear address and entry count. */
    unsigned long ldt_base;
    unsigned int ldt_ents;

    /* FPU/SSE state, saved with FXSAVE when the vCPU is switched out. */
    uint8_t fpu_ctxt[512] __aligned(16);
    bool fpu_initialised;

    /*
     * A data selector (DS, ES, FS, GS: failsafe_sel) would not load when
     * the vCPU was last put on a pCPU: the failsafe callback is due on the
     * way back to the guest (pv_deliver_failsafe).
     */
    bool failsafe_pending;
    uint16_t failsafe_sel[4];

    /* A trap or exception to deliver on the way back to the guest. */
    struct {
        bool pending;
        uint8_t vector;
        bool has_error_code;
        uint32_t error_code;
        unsigned long cr2;
    } trap_bounce;
};

#endif
