/*
 * The guest's entry points and stacks: trap table, callbacks, the kernel
 * stack for bounces, the iret hypercall and SYSCALL from guest user mode.
 *
 * Hypercalls: set_trap_table, set_callbacks, callback_op, stack_switch,
 * iret, fpu_taskswitch.
 */
#include "asm/asm_offsets.h"
#include "asm/desc.h"
#include "asm/pv_fast_offsets.h"
#include "asm/processor.h"
#include "asm/pv_traps.h"
#include "asm/traps.h"
#include "console.h"
#include "context.h"
#include "flushstat.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include "perfc.h"
#include <xen/callback.h>
#include <xen/errno.h>

#define MAX_TRAP_ENTRIES 256

/* The layout syscall_fast.S and bounce_fast.S were written against. */
#define OFF(t, f, v) _Static_assert(__builtin_offsetof(t, f) == (v), #t "." #f)
OFF(struct cpu_info, cpu, CPUINFO_cpu);
OFF(struct cpu_info, curr_vcpu, CPUINFO_curr_vcpu);
OFF(struct vcpu, domain, VCPU_domain);
OFF(struct vcpu, vcpu_info, VCPU_vcpu_info);
OFF(struct vcpu, poll_ports, VCPU_poll_ports);
OFF(struct vcpu, hcall_preempted, VCPU_hcall_preempted);
OFF(struct vcpu, perfc.hypercalls, VCPU_perfc_hypercalls);
OFF(struct vcpu, perfc.exceptions, VCPU_perfc_exceptions);
OFF(struct vcpu, perfc.event_upcalls, VCPU_perfc_event_upcalls);
OFF(struct vcpu, arch.trap_ctxt, VCPU_trap_ctxt);
OFF(struct vcpu, arch.event_callback_eip, VCPU_event_callback);
OFF(struct vcpu, arch.syscall_callback_eip, VCPU_syscall_callback);
OFF(struct vcpu, arch.syscall_masks_events, VCPU_syscall_masks);
OFF(struct vcpu, arch.kernel_sp, VCPU_kernel_sp);
OFF(struct vcpu, arch.guest_table, VCPU_guest_table);
OFF(struct vcpu, arch.guest_table_user, VCPU_guest_table_user);
OFF(struct vcpu, arch.kernel_mode, VCPU_kernel_mode);
OFF(struct vcpu, arch.failsafe_pending, VCPU_failsafe_pending);
OFF(struct vcpu, arch.trap_bounce.pending, VCPU_trap_bounce_pending);
OFF(struct domain, domain_id, DOMAIN_domain_id);
OFF(struct domain, vm_assist, DOMAIN_vm_assist);
OFF(struct vcpu_info, evtchn_upcall_pending, VCPUINFO_upcall_pending);
OFF(struct vcpu_info, evtchn_upcall_mask, VCPUINFO_upcall_mask);
OFF(struct vcpu_info, arch.cr2, VCPUINFO_arch_cr2);
OFF(struct trap_info, flags, 1);
OFF(struct trap_info, address, 8);
OFF(struct flushstat, n[FS_CR3], FLUSHSTAT_cr3);
OFF(struct flushstat, n[FS_KSW], FLUSHSTAT_ksw);
OFF(struct flushstat, n[FS_BOUNCE], FLUSHSTAT_bounce);
#undef OFF
_Static_assert(sizeof(struct flushstat) == FLUSHSTAT_size, "flushstat row");
_Static_assert(sizeof(mfn_t) == 8 && sizeof(((struct vcpu *)0)->poll_ports) == 4, "field sizes");
_Static_assert(sizeof(((struct vcpu *)0)->arch.kernel_mode) == 1, "kernel_mode is a byte");
_Static_assert(sizeof(struct iret_context) == 72, "iret frame: 9 words");
_Static_assert(sizeof(struct trap_info) == 16 && sizeof(domid_t) == 2, "bounce_fast.S's sizes");
_Static_assert(sizeof(((struct vcpu *)0)->perfc.exceptions[0]) == 8, "perfc counters are words");

/* A code address the guest may jump to: canonical, outside the hole. */
static bool guest_code_ok(unsigned long a)
{
    return a == 0 || guest_range_ok(a, 1);
}

long do_set_trap_table(guest_ptr_t traps)
{
    struct vcpu *v = current;
    struct trap_info ti;

    /* A null table clears every entry. */
    if (!traps) {
        memset(v->arch.trap_ctxt, 0, MAX_TRAP_ENTRIES * sizeof(struct trap_info));
        return 0;
    }
    /* Entries apply as they are read, as in Xen: a bad one stops the walk
     * with the ones before it in force. */
    for (unsigned int i = 0; i <= MAX_TRAP_ENTRIES; i++) {
        if (copy_from_guest(&ti, traps + i * sizeof(ti), sizeof(ti)))
            return -XEN_EFAULT;
        if (ti.address == 0)
            return 0;
        if (!guest_code_ok(ti.address))
            return -XEN_EINVAL;
        v->arch.trap_ctxt[ti.vector] = ti;
    }
    return -XEN_E2BIG; /* no terminator within 256 entries */
}

long do_set_callbacks(unsigned long event, unsigned long failsafe, unsigned long syscall)
{
    struct vcpu *v = current;

    if (!guest_code_ok(event) || !guest_code_ok(failsafe) || !guest_code_ok(syscall))
        return -XEN_EINVAL;
    v->arch.event_callback_eip = event;
    v->arch.failsafe_callback_eip = failsafe;
    v->arch.syscall_callback_eip = syscall;
    v->arch.syscall_masks_events = true; /* the old interface always masked */
    return 0;
}

static long register_callback(struct vcpu *v, const struct callback_register *reg)
{
    bool mask = reg->flags & CALLBACKF_mask_events;

    if (reg->flags & ~CALLBACKF_mask_events)
        return -XEN_EINVAL;
    if (!guest_code_ok(reg->address))
        return -XEN_EINVAL;
    switch (reg->type) {
    case CALLBACKTYPE_event:
        v->arch.event_callback_eip = reg->address;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->arch.failsafe_callback_eip = reg->address;
        v->arch.failsafe_masks_events = mask;
        return 0;
    case CALLBACKTYPE_syscall:
        v->arch.syscall_callback_eip = reg->address;
        v->arch.syscall_masks_events = mask;
        return 0;
    case CALLBACKTYPE_syscall32:
        v->arch.syscall32_callback_eip = reg->address;
        v->arch.syscall32_masks_events = mask;
        return 0;
    case CALLBACKTYPE_sysenter:
        v->arch.sysenter_callback_eip = reg->address;
        v->arch.sysenter_masks_events = mask;
        return 0;
    case CALLBACKTYPE_nmi:
        return -XEN_ENOSYS; /* guests get no NMIs */
    default:
        return -XEN_EINVAL;
    }
}

long do_callback_op(int cmd, guest_ptr_t arg)
{
    struct callback_register reg;
    struct callback_unregister unreg;

    switch (cmd) {
    case CALLBACKOP_register:
        if (copy_from_guest(&reg, arg, sizeof(reg)))
            return -XEN_EFAULT;
        return register_callback(current, &reg);
    case CALLBACKOP_unregister:
        if (copy_from_guest(&unreg, arg, sizeof(unreg)))
            return -XEN_EFAULT;
        if (unreg.type == CALLBACKTYPE_event || unreg.type == CALLBACKTYPE_failsafe)
            return -XEN_EINVAL; /* Xen refuses these too */
        {
            struct callback_register r = {.type = unreg.type};
            return register_callback(current, &r);
        }
    default:
        return -XEN_ENOSYS;
    }
}

long do_stack_switch(unsigned long ss, unsigned long sp)
{
    /* Linux passes __KERNEL_DS with RPL 0; a PV kernel runs at RPL 3. */
    if ((ss & ~3UL) == 0 || ss > 0xffff)
        return -XEN_EINVAL;
    current->arch.kernel_ss = ss | 3;
    current->arch.kernel_sp = sp;
    return 0;
}

long do_fpu_taskswitch(int set)
{
    struct vcpu *v = current;

    if (set) {
        v->arch.ctrlreg[0] |= X86_CR0_TS;
        stts();
    } else {
        v->arch.ctrlreg[0] &= ~X86_CR0_TS;
        clts();
    }
    return 0;
}

/* RFLAGS bits a guest may return with: all defined ones but IOPL and VM. */
#define IRET_RFLAGS_GUEST 0x3d4fd5UL
_Static_assert(IRET_RFLAGS_GUEST == 0x3d4fd5UL, "syscall_fast.S has the same mask");

/*
 * The iret hypercall: the guest's frame becomes its context as given, with
 * guest privilege forced on CS and SS and IOPL and VM cleared, as on Xen.
 * A frame the hardware refuses (a bad selector, a non-canonical rip) is
 * not judged here: the final iretq faults, and pv_iret_fault delivers that
 * fault to the guest as its own, which is what a guest sees on Xen. Only
 * an unreadable frame ends the domain (Xen crashes it too).
 */
long do_iret(void)
{
    struct vcpu *v = current;
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    struct iret_context ic;

    hypercall_set_noreturn();
    if (copy_from_guest(&ic, regs->rsp, sizeof(ic))) {
        printk_lvl(LOG_ERR, "d%uv%u: cannot read the iret frame at %016lx\n", v->domain->domain_id,
                   v->vcpu_id, regs->rsp);
        domain_crash(v->domain, "iret: unreadable iret frame");
        return 0;
    }
    /* RPL 3 in the frame the guest built means a return to user mode. */
    if ((ic.cs & 3) == 3 && v->arch.kernel_mode)
        pv_toggle_guest_mode(v);
    regs->rax = ic.rax;
    regs->r11 = ic.r11;
    regs->rcx = ic.rcx;
    regs->rip = ic.rip;
    /* Bits 32-39 of a bounce frame's CS slot hold the saved event mask:
     * only the selector is the CS. */
    regs->cs = (uint16_t)(ic.cs | 3);
    regs->rsp = ic.rsp;
    regs->ss = (uint16_t)(ic.ss | 3);
    /* Real IF on, IOPL 0, no VM; the guest's IF becomes its event mask. */
    pv_iopl_from_iret(v, ic.rflags);
    regs->rflags = (ic.rflags & IRET_RFLAGS_GUEST) | X86_EFLAGS_IF | 2;
    v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
    return 0;
}

/* SYSCALL from the guest: a hypercall from its kernel, a system call from its user. */
void pv_syscall_entry(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    unsigned long eip;
    bool mask;

    local_irq_enable();
    v->poll_ports = 0; /* it runs again: any SCHEDOP_poll is over */
    if (v->arch.kernel_mode) {
        unsigned long args[5] = {regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8};
        long rc;

        v->hcall_preempted = false;
        rc = hypercall_dispatch(regs->rax, args, VPERFC(v).hypercalls);
        if (hypercall_clear_noreturn())
            return;
        if (v->hcall_preempted) {
            /* SYSCALL is 2 bytes: the guest issues the continuation itself. */
            regs->rip -= 2;
            return;
        }
        regs->rax = (unsigned long)rc;
        return;
    }
    if (regs->entry_vector == TRAP_syscall32) {
        eip = v->arch.syscall32_callback_eip;
        mask = v->arch.syscall32_masks_events;
    } else {
        eip = v->arch.syscall_callback_eip;
        mask = v->arch.syscall_masks_events;
    }
    if (!eip) {
        /* No callback: the instruction is undefined for the guest, a #UD
         * at the syscall itself (2 bytes), as Xen raises it. */
        regs->rip -= 2;
        pv_inject_trap(v, TRAP_invalid_op, PV_NO_ERROR_CODE, 0);
        return;
    }
    pv_create_bounce_frame(v, eip, false, 0, mask);
}
