/*
 * Offsets into struct cpu_info, struct vcpu, struct domain, struct
 * vcpu_info and struct flushstat for the fast paths (syscall_fast.S,
 * bounce_fast.S). Checked against the C layout at build time
 * (pv/callbacks.c): a field that moves breaks the build, not a guest.
 */
#ifndef PARAVANE_ASM_PV_FAST_OFFSETS_H
#define PARAVANE_ASM_PV_FAST_OFFSETS_H

#define CPUINFO_cpu       200
#define CPUINFO_curr_vcpu 216

#define VCPU_domain              8
#define VCPU_vcpu_info           56
#define VCPU_poll_ports          168
#define VCPU_hcall_preempted     393
#define VCPU_perfc_hypercalls    408
#define VCPU_perfc_exceptions    1432
#define VCPU_perfc_event_upcalls 3912
#define VCPU_trap_ctxt           4120
#define VCPU_event_callback      4128
#define VCPU_syscall_callback    4144
#define VCPU_syscall_masks       4169
#define VCPU_kernel_sp           4184
#define VCPU_guest_table         4192
#define VCPU_guest_table_user    4200
#define VCPU_kernel_mode         4208
#define VCPU_failsafe_pending    5025
#define VCPU_trap_bounce_pending 5040

#define DOMAIN_domain_id 0
#define DOMAIN_vm_assist 240

#define VCPUINFO_upcall_pending 0
#define VCPUINFO_upcall_mask    1
#define VCPUINFO_arch_cr2       16

#define FLUSHSTAT_size   64
#define FLUSHSTAT_cr3    0  /* FS_CR3 * 8 */
#define FLUSHSTAT_ksw    32 /* FS_KSW * 8 */
#define FLUSHSTAT_bounce 40 /* FS_BOUNCE * 8 */

#endif
