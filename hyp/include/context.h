/*
 * Switching a pCPU between vCPUs, and the guest entry/exit paths.
 */
#ifndef PARAVANE_CONTEXT_H
#define PARAVANE_CONTEXT_H

#include "compiler.h"
#include "domain.h"

/*
 * Make `next` the vCPU running on this pCPU. Saves prev's guest state
 * (registers from cpu_info, FPU, segment bases) and loads next's.
 * Returns when both are guests (the caller is on its way back to the guest,
 * which is now `next`); otherwise it does not return: to the idle vCPU it
 * jumps into the idle loop on a fresh stack, from the idle vCPU it enters
 * the guest.
 */
void context_switch(struct vcpu *prev, struct vcpu *next);

/* Discard this CPU's stack and continue in `fn` (entry.S). */
__noreturn void reset_stack_and_jump(void (*fn)(void));

/* Enter the guest whose registers are in cpu_info (entry.S). */
__noreturn void ret_to_guest(void);

/* The idle loop every CPU runs when it has no guest to run. */
__noreturn void idle_loop(void);

/* Guest kernel/user mode switch: page-table base and GS base. */
void pv_toggle_guest_mode(struct vcpu *v);
/* Load CR3 for the vCPU's current mode. */
void pv_load_cr3(struct vcpu *v);

/* The vCPU's GDT changed: reload this CPU's copy if it is running here. */
void pv_reload_gdt(struct vcpu *v);

/* GDTs (set_gdt, VCPUOP_initialise; pv/descriptor.c): see pv_set_gdt(). */
int pv_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int entries);
void pv_put_gdt_frames(struct vcpu *v);

/* LDTs (MMUEXT_SET_LDT, pv/descriptor.c). */
int pv_set_ldt(struct vcpu *v, unsigned long base, unsigned int ents);
void pv_load_ldt(struct vcpu *v);

#endif
