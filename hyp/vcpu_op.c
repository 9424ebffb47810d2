/*
 * The vcpu_op hypercall: bringing further vCPUs up and down, where a vCPU
 * keeps its vcpu_info and runstate, and its timers.
 */
#include "asm/desc.h"
#include "asm/processor.h"
#include "asm/pv_traps.h"
#include "context.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "mm/xmalloc.h"
#include "percpu.h"
#include "schedule.h"
#include "time.h"
#include "trace.h"
#include <xen/errno.h>
#include <xen/vcpu.h>

/*
 * Publish v's runstate to its guest copy, if it registered one. With
 * VMASST_TYPE_runstate_update_flag, XEN_RUNSTATE_UPDATE is set in the
 * copy's state_entry_time while the rest is written, so that a reader on
 * another vCPU knows to retry (Linux's xen_get_runstate_snapshot does).
 */
void vcpu_runstate_publish(struct vcpu *v)
{
    unsigned long entry =
        v->runstate_guest + __builtin_offsetof(struct vcpu_runstate_info, state_entry_time);
    struct vcpu_runstate_info r;

    if (!v->runstate_guest)
        return;
    if (!vm_assist(v->domain, VMASST_TYPE_runstate_update_flag)) {
        copy_to_guest(v->runstate_guest, &v->runstate, sizeof(v->runstate));
        return;
    }
    r = v->runstate;
    r.state_entry_time |= XEN_RUNSTATE_UPDATE;
    if (copy_to_guest(entry, &r.state_entry_time, sizeof(r.state_entry_time)))
        return;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    copy_to_guest(v->runstate_guest, &r, sizeof(r));
    __atomic_thread_fence(__ATOMIC_RELEASE);
    copy_to_guest(entry, &v->runstate.state_entry_time, sizeof(r.state_entry_time));
}

/* v enters `state` now (context switches, blocking, bringing up). */
void vcpu_runstate_change(struct vcpu *v, int state)
{
    s_time_t now = NOW();

    if (v->runstate.state == state)
        return;
    if (__builtin_expect(trace_on, 0))
        trace_runstate_change(v, v->runstate.state, state);
    WRITE_ONCE(v->runstate_seq, v->runstate_seq + 1);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    v->runstate.time[v->runstate.state] += (uint64_t)(now - (s_time_t)v->runstate.state_entry_time);
    v->runstate.state = state;
    v->runstate.state_entry_time = (uint64_t)now;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    WRITE_ONCE(v->runstate_seq, v->runstate_seq + 1);
}

/*
 * The toolstack reads the CPU time of vCPUs running elsewhere: a vCPU that
 * runs without a break (a busy guest on an otherwise idle pCPU) has its
 * running time only in state_entry_time, so the time in the current state
 * is added, and the copy is taken between two equal even sequence numbers
 * so that a change on another CPU is never seen half made.
 */
void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *r)
{
    unsigned int seq;

    do {
        while ((seq = READ_ONCE(v->runstate_seq)) & 1)
            cpu_relax();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        *r = v->runstate;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while (READ_ONCE(v->runstate_seq) != seq);
    r->time[r->state] += (uint64_t)(NOW() - (s_time_t)r->state_entry_time);
}

/*
 * The addresses of a new context the CPU will be handed as they are
 * (loaded into MSRs, or returned to with iret): non-canonical ones would
 * fault inside the hypervisor at the first switch. Xen refuses the same.
 */
static bool context_addresses_ok(const struct vcpu_guest_context *c)
{
    const unsigned long addrs[] = {
        c->user_regs.rip,        c->user_regs.rsp, c->kernel_sp,          c->fs_base,
        c->gs_base_kernel,       c->gs_base_user,  c->event_callback_eip, c->failsafe_callback_eip,
        c->syscall_callback_eip,
    };

    for (unsigned int i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
        if (!is_canonical_address(addrs[i]))
            return false;
    return guest_range_ok(c->user_regs.rip, 1);
}

/*
 * Give a vCPU that never ran its first context (VCPUOP_initialise from its
 * own domain, XEN_DOMCTL_setvcpucontext from the control domain; every
 * frame named must be the vCPU's domain's). A vCPU has one context for its
 * life, as on Xen (-EEXIST after that, also once it is down):
 * re-initialising would drop the references its old context holds on the
 * floor. With VGCF_online the vCPU is brought up too.
 */
long vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;
    mfn_t l4 = c->ctrlreg[3] >> PAGE_SHIFT; /* xen_pfn_to_cr3: the frame in the high bits */
    long rc;

    if (!(v->pause_flags & VPF_down) || v->initialised)
        return -XEN_EEXIST;
    if (!context_addresses_ok(c) || c->gdt_ents > FIRST_RESERVED_GDT_ENTRY || !l4 ||
        l4 >= max_mfn || c->ldt_ents > UINT32_MAX ||
        pv_set_ldt(v, c->ldt_base, (unsigned int)c->ldt_ents))
        return -XEN_EINVAL;
    rc = pv_set_gdt(v, c->gdt_frames, (unsigned int)c->gdt_ents);
    if (rc)
        return rc;
    rc = get_page_and_type(mfn_to_page(l4), d->domain_id, PGT_l4);
    if (rc)
        pv_put_gdt_frames(v);
    if (rc)
        return -XEN_EINVAL;
    v->arch.user_regs = c->user_regs;
    v->arch.user_regs.cs = (uint16_t)(c->user_regs.cs | 3);
    v->arch.user_regs.ss = (uint16_t)(c->user_regs.ss | 3);
    v->arch.user_regs.rflags = (c->user_regs.rflags & ~(3UL << 12)) | X86_EFLAGS_IF | 2;
    v->arch.iopl = (c->user_regs.rflags >> 12) & 3; /* the virtual IOPL, as Xen takes it */
    for (unsigned int i = 0; i < 256; i++)
        if (c->trap_ctxt[i].address && guest_range_ok(c->trap_ctxt[i].address, 1))
            v->arch.trap_ctxt[c->trap_ctxt[i].vector] = c->trap_ctxt[i];
    v->arch.kernel_ss = c->kernel_ss | 3;
    v->arch.kernel_sp = c->kernel_sp;
    v->arch.event_callback_eip = c->event_callback_eip;
    v->arch.failsafe_callback_eip = c->failsafe_callback_eip;
    v->arch.syscall_callback_eip = c->syscall_callback_eip;
    v->arch.failsafe_masks_events = v->arch.syscall_masks_events = true;
    v->arch.fs_base = c->fs_base;
    v->arch.gs_base_kernel = c->gs_base_kernel;
    v->arch.gs_base_user = c->gs_base_user;
    v->arch.kernel_mode = true;
    v->arch.ctrlreg[4] = pv_fixup_guest_cr4(v, c->ctrlreg[4]); /* as Xen takes it */
    v->arch.guest_table = l4;
    v->initialised = true;
    if (c->flags & VGCF_online) {
        vcpu_runstate_change(v, RUNSTATE_runnable);
        vcpu_pause_flag_clear(v, VPF_down);
    }
    return 0;
}

/* XEN_DOMCTL_getvcpucontext: the saved state of a vCPU that is not running. */
void vcpu_get_context(const struct vcpu *v, struct vcpu_guest_context *c)
{
    memset(c, 0, sizeof(*c));
    c->flags =
        (v->arch.kernel_mode ? VGCF_in_kernel : 0) | (v->pause_flags & VPF_down ? 0 : VGCF_online);
    c->user_regs = v->arch.user_regs;
    c->user_regs.rflags |= (unsigned long)v->arch.iopl << 12; /* the virtual IOPL, as Xen */
    for (unsigned int i = 0; i < 256; i++)
        c->trap_ctxt[i] = v->arch.trap_ctxt[i];
    c->ldt_base = v->arch.ldt_base;
    c->ldt_ents = v->arch.ldt_ents;
    for (unsigned int f = 0; f * 512 < v->arch.gdt_ents; f++)
        c->gdt_frames[f] = v->arch.gdt_frames[f];
    c->gdt_ents = v->arch.gdt_ents;
    c->kernel_ss = v->arch.kernel_ss;
    c->kernel_sp = v->arch.kernel_sp;
    c->ctrlreg[0] = v->arch.ctrlreg[0];
    c->ctrlreg[1] = v->arch.guest_table_user << PAGE_SHIFT;
    c->ctrlreg[3] = v->arch.guest_table << PAGE_SHIFT;
    c->ctrlreg[4] = v->arch.ctrlreg[4];
    for (unsigned int i = 0; i < 8; i++)
        c->debugreg[i] = v->arch.debugreg[i];
    c->event_callback_eip = v->arch.event_callback_eip;
    c->failsafe_callback_eip = v->arch.failsafe_callback_eip;
    c->syscall_callback_eip = v->arch.syscall_callback_eip;
    c->vm_assist = v->domain->vm_assist;
    c->fs_base = v->arch.fs_base;
    c->gs_base_kernel = v->arch.gs_base_kernel;
    c->gs_base_user = v->arch.gs_base_user;
}

/* VCPUOP_initialise: the same from the guest's own memory. */
static long vcpu_initialise(struct vcpu *v, guest_ptr_t arg)
{
    struct vcpu_guest_context *c;
    long rc;

    if (!(v->pause_flags & VPF_down) || v->initialised)
        return -XEN_EEXIST;
    c = xmalloc(struct vcpu_guest_context);
    if (!c)
        return -XEN_ENOMEM;
    rc = copy_from_guest(c, arg, sizeof(*c)) ? -XEN_EFAULT : 0;
    if (!rc) {
        c->flags &= ~VGCF_online; /* VCPUOP_up brings it up */
        rc = vcpu_set_context(v, c);
    }
    xfree(c);
    return rc;
}

static long register_vcpu_info(struct vcpu *v, guest_ptr_t arg)
{
    struct vcpu_register_vcpu_info r;
    struct vcpu_info *new;
    struct page_info *pg;
    long rc;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return -XEN_EFAULT;
    if (r.offset > PAGE_SIZE - sizeof(struct vcpu_info) || r.mfn >= max_mfn || v->vcpu_info_mfn)
        return -XEN_EINVAL;
    pg = mfn_to_page(r.mfn);
    /* Held writable for as long as it serves: it cannot become a table. */
    rc = get_page_and_type(pg, v->domain->domain_id, PGT_writable);
    if (rc)
        return -XEN_EINVAL;
    new = (struct vcpu_info *)((char *)mfn_to_virt(r.mfn) + r.offset);
    memcpy(new, v->vcpu_info, sizeof(*new));
    /* Events that arrive from now on go to the new copy. */
    WRITE_ONCE(v->vcpu_info, new);
    v->vcpu_info_mfn = r.mfn;
    new->evtchn_upcall_pending = 1; /* make the guest look at its selectors */
    new->evtchn_pending_sel = ~0UL;
    update_vcpu_system_time(v);
    return 0;
}

void vcpu_info_release(struct vcpu *v)
{
    if (!v->vcpu_info_mfn)
        return;
    v->vcpu_info = &v->domain->shared_info->vcpu_info[v->vcpu_id];
    put_page_and_type(mfn_to_page(v->vcpu_info_mfn));
    v->vcpu_info_mfn = 0;
}

long do_vcpu_op(int cmd, unsigned int vcpuid, guest_ptr_t arg)
{
    struct domain *d = current->domain;
    struct vcpu *v;

    if (vcpuid >= d->max_vcpus || !(v = d->vcpu[vcpuid]))
        return -XEN_ENOENT;

    switch (cmd) {
    case VCPUOP_initialise:
        return vcpu_initialise(v, arg);
    case VCPUOP_up:
        if (!v->initialised)
            return -XEN_EINVAL;
        vcpu_runstate_change(v, RUNSTATE_runnable);
        vcpu_pause_flag_clear(v, VPF_down);
        return 0;
    case VCPUOP_down:
        vcpu_runstate_change(v, RUNSTATE_offline);
        vcpu_pause_flag_set(v, VPF_down);
        return 0;
    case VCPUOP_is_up:
        return !(v->pause_flags & VPF_down);
    case VCPUOP_get_runstate_info: {
        struct vcpu_runstate_info r;

        vcpu_runstate_get(v, &r);
        return copy_to_guest(arg, &r, sizeof(r)) ? -XEN_EFAULT : 0;
    }
    case VCPUOP_register_runstate_memory_area: {
        struct vcpu_register_runstate_memory_area a;
        if (copy_from_guest(&a, arg, sizeof(a)))
            return -XEN_EFAULT;
        if (a.addr.v && !guest_range_ok((unsigned long)a.addr.v, sizeof(v->runstate)))
            return -XEN_EINVAL;
        v->runstate_guest = (unsigned long)a.addr.v;
        if (v == current)
            vcpu_runstate_publish(v);
        return 0;
    }
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, arg);
    case VCPUOP_set_periodic_timer: {
        struct vcpu_set_periodic_timer p;
        if (copy_from_guest(&p, arg, sizeof(p)))
            return -XEN_EFAULT;
        if (p.period_ns < 1000000) /* Xen's minimum: 1 ms */
            return -XEN_EINVAL;
        v->periodic_period = (s_time_t)p.period_ns;
        set_timer(&v->periodic_timer, NOW() + v->periodic_period);
        return 0;
    }
    case VCPUOP_stop_periodic_timer:
        v->periodic_period = 0;
        stop_timer(&v->periodic_timer);
        return 0;
    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer t;
        if (v != current)
            return -XEN_EINVAL;
        if (copy_from_guest(&t, arg, sizeof(t)))
            return -XEN_EFAULT;
        if ((t.flags & VCPU_SSHOTTMR_future) && (s_time_t)t.timeout_abs_ns < NOW())
            return -XEN_ETIME;
        set_timer(&v->singleshot_timer, (s_time_t)t.timeout_abs_ns);
        return 0;
    }
    case VCPUOP_stop_singleshot_timer:
        if (v != current)
            return -XEN_EINVAL;
        stop_timer(&v->singleshot_timer);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
