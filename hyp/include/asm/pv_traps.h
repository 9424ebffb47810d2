/*
 * Delivering traps, exceptions and callbacks to PV guests, and the guest
 * side of the trap path.
 */
#ifndef PARAVANE_ASM_PV_TRAPS_H
#define PARAVANE_ASM_PV_TRAPS_H

#include "domain.h"

/* An exception or interrupt taken while a guest ran (traps.c dispatches). */
void pv_do_guest_trap(struct cpu_user_regs *regs);

/*
 * Queue delivery of `vector` through the guest's trap table on the way
 * back to the guest (with `error_code` when the vector has one; `cr2` for
 * #PF goes to vcpu_info->arch.cr2).
 */
void pv_inject_trap(struct vcpu *v, unsigned int vector, int32_t error_code, unsigned long cr2);
#define PV_NO_ERROR_CODE (-1)

/* Build the pending bounce frame, if any (exit path). */
void pv_deliver_pending_trap(struct vcpu *v);

/*
 * Build a bounce frame on the guest kernel stack and point the vCPU at
 * `handler` (a trap handler or callback). Switches to kernel mode first if
 * the guest was in user mode. Returns false (domain crashed) if the frame
 * cannot be written.
 */
bool pv_create_bounce_frame(struct vcpu *v, unsigned long handler, bool has_error_code,
                            uint32_t error_code, bool mask_events);

/*
 * The failsafe callback after a data selector failed to reload (context
 * switch), or the domain crashed if it registered none (exit path).
 */
void pv_deliver_failsafe(struct vcpu *v);

/* The final return to the guest faulted (entry.S). */
void pv_iret_fault(void);

/*
 * Virtual IOPL (iopl.c): set it (-EINVAL past 3), may the guest's current
 * mode do port I/O and cli/sti, its RFLAGS.IOPL bits for a bounce frame,
 * and an iret frame's IOPL taken over under architectural_iopl.
 */
long pv_set_iopl(struct vcpu *v, uint32_t iopl);
bool pv_iopl_ok(const struct vcpu *v);
unsigned long pv_iopl_rflags(const struct vcpu *v);
void pv_iopl_from_iret(struct vcpu *v, unsigned long rflags);

/*
 * The guest's CR4 (cr4.c): what a written value becomes, the hardware
 * part of it loaded for a running vCPU, and its TSD and DE bits.
 */
unsigned long pv_fixup_guest_cr4(const struct vcpu *v, unsigned long cr4);
void pv_load_cr4(const struct vcpu *v);
bool pv_cr4_tsd(const struct vcpu *v);
bool pv_cr4_de(const struct vcpu *v);

/*
 * Guest debug registers (debugreg.c): loaded for a vCPU whose DR7 is
 * active and cleared after it, a hardware #DB's DR6 taken into the
 * guest's, breakpoint hits merged into it, and the emulated I/O
 * breakpoints a port access hits (DR6 bits).
 */
void pv_debugreg_switch_from(const struct vcpu *v);
void pv_debugreg_switch_to(const struct vcpu *v);
void pv_debugreg_take_dr6(struct vcpu *v);
void pv_debugreg_merge_dr6(struct vcpu *v, unsigned long hits);
unsigned long pv_io_breakpoints(const struct vcpu *v, unsigned int port, unsigned int len);

/* CPUID as the guest sees it (cpuid.c). */
void guest_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

/* Emulation of privileged instructions after a #GP or #UD (emulate.c). */
bool pv_emulate_privileged(struct cpu_user_regs *regs);
bool pv_emulate_forced_cpuid(struct cpu_user_regs *regs);

/* SYSCALL from the guest (entry.S). */
void pv_syscall_entry(struct cpu_user_regs *regs);
/* Exit path work, interrupts off on return (entry.S). */
void pv_exit_to_guest(void);

/* Per-CPU SYSCALL/SYSRET MSRs and entry stubs. */
void pv_syscall_init_cpu(unsigned int cpu);

#endif
