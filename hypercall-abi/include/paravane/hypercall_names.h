/*
 * Xen's name of each hypercall number (public/xen.h's __HYPERVISOR_*), as
 * xenperf prints them: the hypervisor's log names a call by it, and vane
 * stat labels the counters with it. One table for both sides.
 */
#ifndef PARAVANE_HYPERCALL_NAMES_H
#define PARAVANE_HYPERCALL_NAMES_H

#include <xen/xen.h>

#define PARAVANE_HYPERCALL_NAMES_MAX 64

static const char *const paravane_hypercall_names[PARAVANE_HYPERCALL_NAMES_MAX] = {
    [__HYPERVISOR_set_trap_table] = "set_trap_table",
    [__HYPERVISOR_mmu_update] = "mmu_update",
    [__HYPERVISOR_set_gdt] = "set_gdt",
    [__HYPERVISOR_stack_switch] = "stack_switch",
    [__HYPERVISOR_set_callbacks] = "set_callbacks",
    [__HYPERVISOR_fpu_taskswitch] = "fpu_taskswitch",
    [__HYPERVISOR_sched_op_compat] = "sched_op_compat",
    [__HYPERVISOR_platform_op] = "platform_op",
    [__HYPERVISOR_set_debugreg] = "set_debugreg",
    [__HYPERVISOR_get_debugreg] = "get_debugreg",
    [__HYPERVISOR_update_descriptor] = "update_descriptor",
    [__HYPERVISOR_memory_op] = "memory_op",
    [__HYPERVISOR_multicall] = "multicall",
    [__HYPERVISOR_update_va_mapping] = "update_va_mapping",
    [__HYPERVISOR_set_timer_op] = "set_timer_op",
    [__HYPERVISOR_event_channel_op_compat] = "event_channel_op_compat",
    [__HYPERVISOR_xen_version] = "xen_version",
    [__HYPERVISOR_console_io] = "console_io",
    [__HYPERVISOR_physdev_op_compat] = "physdev_op_compat",
    [__HYPERVISOR_grant_table_op] = "grant_table_op",
    [__HYPERVISOR_vm_assist] = "vm_assist",
    [__HYPERVISOR_update_va_mapping_otherdomain] = "update_va_mapping_otherdomain",
    [__HYPERVISOR_iret] = "iret",
    [__HYPERVISOR_vcpu_op] = "vcpu_op",
    [__HYPERVISOR_set_segment_base] = "set_segment_base",
    [__HYPERVISOR_mmuext_op] = "mmuext_op",
    [__HYPERVISOR_xsm_op] = "xsm_op",
    [__HYPERVISOR_nmi_op] = "nmi_op",
    [__HYPERVISOR_sched_op] = "sched_op",
    [__HYPERVISOR_callback_op] = "callback_op",
    [__HYPERVISOR_xenoprof_op] = "xenoprof_op",
    [__HYPERVISOR_event_channel_op] = "event_channel_op",
    [__HYPERVISOR_physdev_op] = "physdev_op",
    [__HYPERVISOR_hvm_op] = "hvm_op",
    [__HYPERVISOR_sysctl] = "sysctl",
    [__HYPERVISOR_domctl] = "domctl",
    [__HYPERVISOR_kexec_op] = "kexec_op",
    [__HYPERVISOR_tmem_op] = "tmem_op",
    [__HYPERVISOR_argo_op] = "argo_op",
    [__HYPERVISOR_xenpmu_op] = "xenpmu_op",
    [__HYPERVISOR_dm_op] = "dm_op",
    [__HYPERVISOR_hypfs_op] = "hypfs_op",
    [__HYPERVISOR_arch_0] = "mca",
    [__HYPERVISOR_arch_1] = "paging_domctl_cont",
};

#endif
