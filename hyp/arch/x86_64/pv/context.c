/*
 * PV vCPU context: switching a pCPU between vCPUs, guest kernel/user mode,
 * the FPU, the exit path back to a guest, and the per-CPU SYSCALL stubs.
 *
 * The live registers of the guest vCPU on a pCPU are in its cpu_info
 * (guest_cpu_user_regs); context_switch() copies them to and from
 * v->arch.user_regs. FPU state is saved and restored eagerly with
 * FXSAVE/FXRSTOR; the guest's virtual CR0.TS (fpu_taskswitch) is mirrored
 * in the real CR0.TS so its first FPU instruction raises #NM, which is
 * delivered to the guest (lazy FPU as the guest sees it).
 */
#include "asm/asm_offsets.h"
#include "asm/desc.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "flushstat.h"
#include "mm/tlbflush.h"
#include "asm/pv_traps.h"
#include "context.h"
#include "lib.h"
#include "paging.h"
#include "percpu.h"
#include "schedule.h"
#include "smp.h"
#include "softirq.h"
#include "event.h"
#include "time.h"
#include <xen/errno.h>

#define O(f) __builtin_offsetof(struct cpu_user_regs, f)
_Static_assert(O(r11) == UREGS_r11 && O(rax) == UREGS_rax && O(rcx) == UREGS_rcx, "offsets");
_Static_assert(O(error_code) == UREGS_error_code && O(entry_vector) == UREGS_entry_vector,
               "offsets");
_Static_assert(O(rip) == UREGS_rip && O(cs) == UREGS_cs && O(rflags) == UREGS_rflags, "offsets");
_Static_assert(O(rsp) == UREGS_rsp && O(ss) == UREGS_ss && O(es) == UREGS_es, "offsets");
#undef O

#define SYSCALL_STUB_SIZE 64
/* In the image, whose mapping is executable (the direct map is not). */
static uint8_t syscall_stubs[NR_CPUS][2][SYSCALL_STUB_SIZE] __aligned(64);
extern const char lstar_common[], cstar_common[];

static uint8_t *emit_imm64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
    return p + 8;
}

/*
 * The stub: movabs %rax, frame.ss; mov %rsp, %rax; movabs $&frame.ss, %rsp;
 * push %rax (-> frame.rsp); movabs $target, %rax; jmp *%rax.
 */
static void write_stub(uint8_t *p, unsigned long ss_slot, const void *target)
{
    *p++ = 0x48, *p++ = 0xa3;
    p = emit_imm64(p, ss_slot);
    *p++ = 0x48, *p++ = 0x89, *p++ = 0xe0;
    *p++ = 0x48, *p++ = 0xbc;
    p = emit_imm64(p, ss_slot);
    *p++ = 0x50;
    *p++ = 0x48, *p++ = 0xb8;
    p = emit_imm64(p, (uint64_t)target);
    *p++ = 0xff, *p++ = 0xe0;
}

void pv_syscall_init_cpu(unsigned int cpu)
{
    struct cpu_info *ci = stack_cpu_info(percpu[cpu].stack);
    unsigned long ss_slot = (unsigned long)&ci->guest_cpu_user_regs.ss;

    write_stub(syscall_stubs[cpu][0], ss_slot, lstar_common);
    write_stub(syscall_stubs[cpu][1], ss_slot, cstar_common);
    /* SYSCALL: CS 0xe008 SS 0xe010. SYSRET base 0xe023 (unused: we iretq). */
    wrmsr(MSR_STAR, ((uint64_t)RING3_CS32 << 48) | ((uint64_t)HYP_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_stubs[cpu][0]);
    wrmsr(MSR_CSTAR, (uint64_t)syscall_stubs[cpu][1]);
    /* Entered with IF, TF, DF, NT, AC clear. */
    wrmsr(MSR_SYSCALL_MASK, 0x47700);
}

void pv_load_cr3(struct vcpu *v)
{
    mfn_t base = v->arch.guest_table;

    /* No user table: user mode runs on the kernel table (as for a guest
     * that keeps one address space, like our test guests). */
    if (!v->arch.kernel_mode && v->arch.guest_table_user)
        base = v->arch.guest_table_user;
    flushstat_count(FS_CR3);
    write_cr3(base << PAGE_SHIFT);
}

static void load_gs_base(const struct vcpu *v)
{
    wrmsr(MSR_GS_BASE, v->arch.kernel_mode ? v->arch.gs_base_kernel : v->arch.gs_base_user);
    wrmsr(MSR_SHADOW_GS_BASE, v->arch.kernel_mode ? v->arch.gs_base_user : v->arch.gs_base_kernel);
}

/*
 * The guest changes its bases behind our back too: loading a selector into
 * %fs or %gs (it runs at ring 3 and may) resets the base from the
 * descriptor. So the live MSRs are the truth while it runs: GS_BASE holds
 * the base of the mode it is in, SHADOW_GS_BASE the other mode's (as
 * load_gs_base() put them), and both are read back when it is
 * descheduled, as Xen does. The hypervisor itself uses neither %fs nor %gs.
 */
static void save_bases(struct vcpu *v)
{
    unsigned long active = rdmsr(MSR_GS_BASE), other = rdmsr(MSR_SHADOW_GS_BASE);

    v->arch.fs_base = rdmsr(MSR_FS_BASE);
    v->arch.gs_base_kernel = v->arch.kernel_mode ? active : other;
    v->arch.gs_base_user = v->arch.kernel_mode ? other : active;
}

/*
 * Between the guest's kernel and user mode, on every system call and its
 * return: swapgs exchanges the two GS bases in place (as Xen's
 * toggle_guest_mode), where reading and writing the MSRs cost four
 * accesses; %fs's base is the same in both modes.
 */
void pv_toggle_guest_mode(struct vcpu *v)
{
    ASSERT(v == current);
    __asm__ volatile("swapgs" ::: "memory");
    v->arch.kernel_mode = !v->arch.kernel_mode;
    flushstat_count(FS_KSW);
    pv_load_cr3(v);
}

/*
 * Data segment selectors belong to the vCPU: Linux reads %fs and %gs back
 * on its own context switches and trusts a non-null one to mean "base from
 * the descriptor", so one vCPU's selector left in another's registers
 * zeroes that one's TLS base.
 */
#define SAVE_SREG(seg, dst) __asm__ volatile("mov %%" #seg ", %k0" : "=r"(dst))

static void save_selectors(struct cpu_user_regs *r)
{
    unsigned int sel;

    SAVE_SREG(ds, sel);
    r->ds = (uint16_t)sel;
    SAVE_SREG(es, sel);
    r->es = (uint16_t)sel;
    SAVE_SREG(fs, sel);
    r->fs = (uint16_t)sel;
    SAVE_SREG(gs, sel);
    r->gs = (uint16_t)sel;
}

/*
 * After the vCPU's GDT and LDT are in place; the bases are written after.
 * Each is tried (a bad one leaves a null selector); if any was refused,
 * the failsafe callback is queued with the four the vCPU had.
 */
static void load_selectors(struct vcpu *v, const struct cpu_user_regs *r)
{
    bool ok = LOAD_SREG(ds, r->ds);

    ok &= LOAD_SREG(es, r->es);
    ok &= LOAD_SREG(fs, r->fs);
    ok &= LOAD_SREG(gs, r->gs);
    if (ok)
        return;
    v->arch.failsafe_pending = true;
    v->arch.failsafe_sel[0] = r->ds;
    v->arch.failsafe_sel[1] = r->es;
    v->arch.failsafe_sel[2] = r->fs;
    v->arch.failsafe_sel[3] = r->gs;
}

static void fpu_save(struct vcpu *v)
{
    clts();
    __asm__ volatile("fxsave64 %0" : "=m"(v->arch.fpu_ctxt));
}

static void fpu_restore(struct vcpu *v)
{
    clts();
    if (!v->arch.fpu_initialised) {
        /* A fresh x87/SSE state: FNINIT and the default MXCSR. */
        uint32_t mxcsr = 0x1f80;
        __asm__ volatile("fninit; ldmxcsr %0" ::"m"(mxcsr));
        v->arch.fpu_initialised = true;
    } else {
        __asm__ volatile("fxrstor64 %0" ::"m"(v->arch.fpu_ctxt));
    }
    if (v->arch.ctrlreg[0] & X86_CR0_TS)
        stts();
}

/* Copy the guest's GDT entries into this CPU's GDT (pages 0-13). */
static void load_guest_gdt(struct vcpu *v)
{
    struct desc *gdt = this_cpu()->gdt;
    unsigned int n = v->arch.gdt_ents;

    /* Through check_descriptor() every time: the frames are the guest's. */
    for (unsigned int i = 0; i < n; i++) {
        const struct desc *src = mfn_to_virt(v->arch.gdt_frames[i / 512]);
        struct desc d = src[i % 512];
        gdt[i] = check_descriptor(&d) ? d : (struct desc){0, 0};
    }
    /* Entries a previous guest left beyond this one's GDT must not linger. */
    if (this_cpu()->gdt_loaded_ents > n)
        memset(&gdt[n], 0, (this_cpu()->gdt_loaded_ents - n) * sizeof(struct desc));
    this_cpu()->gdt_loaded_ents = n;
}

void pv_reload_gdt(struct vcpu *v)
{
    if (v == current)
        load_guest_gdt(v);
}

static int runstate_of(const struct vcpu *v)
{
    if (v->pause_flags & (VPF_down | VPF_dying))
        return RUNSTATE_offline;
    return (v->pause_flags & VPF_blocked) ? RUNSTATE_blocked : RUNSTATE_runnable;
}

static void save_guest(struct vcpu *prev)
{
    memcpy(&prev->arch.user_regs, guest_cpu_user_regs(), sizeof(prev->arch.user_regs));
    save_selectors(&prev->arch.user_regs);
    save_bases(prev);
    pv_debugreg_switch_from(prev);
    fpu_save(prev);
    /* Still on prev's page tables: its runstate copy is reachable. */
    vcpu_runstate_change(prev, runstate_of(prev));
    vcpu_runstate_publish(prev);
}

static void load_guest(struct vcpu *next)
{
    memcpy(guest_cpu_user_regs(), &next->arch.user_regs, sizeof(next->arch.user_regs));
    pv_load_cr3(next);
    /* The last vCPU's global translations survived the CR3 load. */
    flush_tlb_local();
    load_guest_gdt(next);
    pv_load_ldt(next);
    load_selectors(next, &next->arch.user_regs);
    pv_load_cr4(next);
    pv_debugreg_switch_to(next);
    load_gs_base(next);
    wrmsr(MSR_FS_BASE, next->arch.fs_base);
    fpu_restore(next);
    update_vcpu_system_time(next);
    vcpu_runstate_change(next, RUNSTATE_running);
    vcpu_runstate_publish(next);
}

void context_switch(struct vcpu *prev, struct vcpu *next)
{
    struct domain *pd = prev->domain;
    unsigned long flags = local_irq_save();

    if (!is_idle_vcpu(prev))
        save_guest(prev);
    /* prev may now be picked up by another pCPU. */
    __atomic_store_n(&prev->is_running, false, __ATOMIC_RELEASE);
    if (!is_idle_vcpu(prev) && pd->state != DOMAIN_RUNNING)
        cpu_raise_softirq(0, DOMAIN_REAP_SOFTIRQ);

    /* next may still be saving on the pCPU it left. */
    while (__atomic_load_n(&next->is_running, __ATOMIC_ACQUIRE))
        cpu_relax();
    __atomic_store_n(&next->is_running, true, __ATOMIC_RELAXED);
    get_cpu_info()->curr_vcpu = next;

    if (is_idle_vcpu(prev))
        this_cpu()->idle_ns += (uint64_t)(NOW() - this_cpu()->idle_since);
    if (is_idle_vcpu(next)) {
        this_cpu()->idle_since = NOW();
        flushstat_count(FS_CR3);
        write_cr3(idle_pg_table_phys);
        clts();
        local_irq_restore(flags);
        reset_stack_and_jump(idle_loop);
    }
    load_guest(next);
    local_irq_restore(flags);
    if (is_idle_vcpu(prev))
        reset_stack_and_jump(ret_to_guest);
}

/*
 * The common exit (a system call bounced, a hypercall done, an iret):
 * no softirq to run, nothing to deliver. Checked with interrupts off, so
 * an interrupt that comes after is taken in the guest and comes back
 * through here.
 */
static bool exit_is_quiet(const struct vcpu *v)
{
    return !softirq_pending(smp_processor_id()) && !v->arch.failsafe_pending &&
           !v->arch.trap_bounce.pending && !event_upcall_due(v);
}

void pv_exit_to_guest(void)
{
    local_irq_disable();
    if (exit_is_quiet(current))
        return;
    for (;;) {
        local_irq_enable();
        do_softirq();
        /* Before a trap or event: Xen builds this frame in the switch itself. */
        if (current->arch.failsafe_pending)
            pv_deliver_failsafe(current);
        if (current->arch.trap_bounce.pending)
            pv_deliver_pending_trap(current);
        else
            pv_deliver_event_upcall(current);
        local_irq_disable();
        if (!softirq_pending(smp_processor_id()) && !current->arch.trap_bounce.pending)
            break;
    }
    ASSERT(!is_idle_vcpu(current));
}

uint64_t cpu_idle_time(unsigned int cpu)
{
    const struct percpu *pc = &percpu[cpu];
    const struct vcpu *v = stack_cpu_info(pc->stack)->curr_vcpu;
    uint64_t t = READ_ONCE(pc->idle_ns);

    if (v && is_idle_vcpu(v))
        t += (uint64_t)(NOW() - READ_ONCE(pc->idle_since));
    return t;
}
