/*
 * Exceptions and interrupts taken while a PV guest runs, and their
 * delivery to the guest through its virtual IDT (bounce frames).
 *
 * A bounce frame is what the guest kernel's handler finds on its stack, in
 * the layout Xen's create_bounce_frame builds for 64-bit guests, lowest
 * address first:
 *
 *     RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS
 *
 * The CS slot carries the saved event mask in bits 32-39, RFLAGS.IF is the
 * inverse of that mask (the real IF is always on in a guest), and a frame
 * from guest kernel mode has CS.RPL cleared so the guest's user_mode()
 * checks see "kernel".
 */
#include "asm/asm_offsets.h"
#include "asm/desc.h"
#include "asm/processor.h"
#include "asm/pv_traps.h"
#include "asm/traps.h"
#include "console.h"
#include "context.h"
#include "flushstat.h"
#include "guest_access.h"
#include "lib.h"
#include "mm/pv_mm.h"
#include "percpu.h"
#include "perfc.h"
#include "trace.h"

#define FLAT_KERNEL_CS64_SEL 0xe033
#define FLAT_KERNEL_SS_SEL   0xe02b

/* #PF error-code bits the hypervisor's own view decides, not the guest's. */
#define PFEC_USER     (1u << 2)
#define PFEC_RESERVED (1u << 3)

/* Vectors whose frame carries an error code. */
static bool vector_has_error_code(unsigned int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

/*
 * The bounce frame, with `extra` words (the failsafe callback's DS, ES, FS,
 * GS) between R11 and the error code slot.
 */
static bool create_frame(struct vcpu *v, unsigned long handler, bool has_error_code,
                         uint32_t error_code, bool mask_events, const uint64_t *extra,
                         unsigned int nr_extra)
{
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    uint8_t saved_mask = v->vcpu_info->evtchn_upcall_mask;
    bool from_user = !v->arch.kernel_mode;
    uint64_t frame[12];
    unsigned int n = 0;
    unsigned long sp, cs;

    ASSERT(v == current);
    flushstat_count(FS_BOUNCE);
    cs = regs->cs;
    if (from_user) {
        pv_toggle_guest_mode(v);
        sp = v->arch.kernel_sp;
    } else {
        sp = regs->rsp;
        cs &= ~3UL; /* the guest kernel's view: RPL 0 */
    }
    sp &= ~0xfUL;

    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    for (unsigned int i = 0; i < nr_extra; i++)
        frame[n++] = extra[i];
    if (has_error_code)
        frame[n++] = error_code;
    frame[n++] = regs->rip;
    frame[n++] = cs | ((uint64_t)saved_mask << 32);
    frame[n++] =
        (regs->rflags & ~X86_EFLAGS_IF) | (saved_mask ? 0 : X86_EFLAGS_IF) | pv_iopl_rflags(v);
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;
    sp -= n * sizeof(frame[0]);
    if (copy_to_guest(sp, frame, n * sizeof(frame[0]))) {
        printk_lvl(LOG_ERR, "d%uv%u: cannot write a bounce frame at %016lx\n", v->domain->domain_id,
                   v->vcpu_id, sp);
        show_registers(regs);
        domain_crash(v->domain, "unusable guest kernel stack");
        return false;
    }

    regs->rsp = sp;
    regs->rip = handler;
    regs->cs = FLAT_KERNEL_CS64_SEL;
    regs->ss = FLAT_KERNEL_SS_SEL;
    /* TF, NT, RF, AC and VM off in the handler; IF stays on for real. */
    regs->rflags &= ~((1UL << 8) | (1UL << 14) | (1UL << 16) | (1UL << 18) | (1UL << 17));
    regs->rflags |= X86_EFLAGS_IF;
    if (mask_events)
        v->vcpu_info->evtchn_upcall_mask = 1;
    return true;
}

bool pv_create_bounce_frame(struct vcpu *v, unsigned long handler, bool has_error_code,
                            uint32_t error_code, bool mask_events)
{
    return create_frame(v, handler, has_error_code, error_code, mask_events, NULL, 0);
}

/*
 * A data selector the vCPU had would not load when it was put back on a
 * pCPU (its GDT or LDT entry changed meanwhile, or a new context named a
 * bad one): as Xen's load_segments, the guest's failsafe callback gets
 * the frame with the four selectors it had, DS, ES, FS, GS above RCX and
 * R11 (Linux's xen_failsafe_callback compares them with what it finds
 * loaded now, null for each refused). A guest with no failsafe callback
 * is crashed, with the selectors logged (Xen would enter address 0).
 */
void pv_deliver_failsafe(struct vcpu *v)
{
    const uint16_t *s = v->arch.failsafe_sel;
    const uint64_t sel[4] = {s[0], s[1], s[2], s[3]};

    v->arch.failsafe_pending = false;
    if (!v->arch.failsafe_callback_eip) {
        printk_lvl(LOG_ERR,
                   "d%uv%u: data selectors ds %04x es %04x fs %04x gs %04x would not reload, "
                   "and no failsafe callback\n",
                   v->domain->domain_id, v->vcpu_id, s[0], s[1], s[2], s[3]);
        show_registers(guest_cpu_user_regs());
        domain_crash(v->domain, "segment reload failed with no failsafe callback");
        return;
    }
    create_frame(v, v->arch.failsafe_callback_eip, false, 0, v->arch.failsafe_masks_events, sel, 4);
}

/*
 * The final iretq to the guest faulted on a selector or address the guest
 * supplied (through the iret hypercall, a vCPU context or a bounce). As on
 * Xen, the fault is the guest's: it is delivered as if the guest had taken
 * it at the frame it asked to return to (a #GP with the selector, or 0 for
 * a non-canonical rip or a null SS), so the guest's own #GP handler sees
 * it; only a guest without one is crashed.
 */
void pv_iret_fault(void)
{
    struct vcpu *v = current;
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    unsigned int vec = this_cpu()->fixup_vector;

    local_irq_enable();
    if (!v->arch.trap_ctxt[vec].address)
        printk_lvl(LOG_ERR, "d%uv%u: return to guest faulted at %04x:%016lx (stack %04x:%016lx)\n",
                   v->domain->domain_id, v->vcpu_id, regs->cs, regs->rip, regs->ss, regs->rsp);
    /* #GP, #NP or #SS: iretq reads its frame from our stack, never faults on it. */
    pv_inject_trap(v, vec, (int32_t)this_cpu()->fixup_error_code, 0);
}

void pv_inject_trap(struct vcpu *v, unsigned int vector, int32_t error_code, unsigned long cr2)
{
    ASSERT(vector < 256);
    /*
     * Guest kernel and user both run in ring 3, so the hardware sets U on
     * every guest #PF. The guest must see U only for its user mode, as on
     * Xen (and as a native kernel would on its own faults).
     */
    if (vector == TRAP_page_fault) {
        error_code &= ~(int32_t)PFEC_USER;
        if (!v->arch.kernel_mode)
            error_code |= (int32_t)PFEC_USER;
    }
    v->arch.trap_bounce.pending = true;
    v->arch.trap_bounce.vector = (uint8_t)vector;
    v->arch.trap_bounce.has_error_code = error_code != PV_NO_ERROR_CODE;
    v->arch.trap_bounce.error_code = (uint32_t)error_code;
    v->arch.trap_bounce.cr2 = cr2;
}

void pv_deliver_pending_trap(struct vcpu *v)
{
    unsigned int vec = v->arch.trap_bounce.vector;
    const struct trap_info *ti = &v->arch.trap_ctxt[vec];

    v->arch.trap_bounce.pending = false;
    perfc_exception(v, vec);
    if (__builtin_expect(trace_on, 0)) {
        if (vec == TRAP_page_fault)
            trace_pv_page_fault(guest_cpu_user_regs()->rip, v->arch.trap_bounce.cr2,
                                v->arch.trap_bounce.error_code);
        else
            trace_pv_trap(vec, guest_cpu_user_regs()->rip, v->arch.trap_bounce.has_error_code,
                          v->arch.trap_bounce.error_code);
    }
    if (!ti->address) {
        if (v->arch.trap_bounce.has_error_code)
            printk_lvl(LOG_ERR, "d%uv%u: %s (vector %u, error %#x) with no guest handler\n",
                       v->domain->domain_id, v->vcpu_id, trap_name(vec), vec,
                       v->arch.trap_bounce.error_code);
        else
            printk_lvl(LOG_ERR, "d%uv%u: %s (vector %u) with no guest handler\n",
                       v->domain->domain_id, v->vcpu_id, trap_name(vec), vec);
        if (vec == TRAP_page_fault)
            printk_lvl(LOG_ERR, "d%uv%u: faulting address %016lx\n", v->domain->domain_id,
                       v->vcpu_id, v->arch.trap_bounce.cr2);
        show_registers(guest_cpu_user_regs());
        domain_crash(v->domain, "guest trap with no handler");
        return;
    }
    if (vec == TRAP_page_fault)
        v->vcpu_info->arch.cr2 = v->arch.trap_bounce.cr2;
    /* trap_info flags bit 2: an interrupt gate, events masked on entry. */
    pv_create_bounce_frame(v, ti->address, v->arch.trap_bounce.has_error_code,
                           v->arch.trap_bounce.error_code, ti->flags & 4);
}

/*
 * May the guest's current mode raise vector n with `int $n`? As on Xen: its
 * kernel needs a trap-table entry of DPL 1 or more, its user mode DPL 3; a
 * vector without a handler has DPL 0, so neither may.
 */
static bool softint_permitted(const struct vcpu *v, unsigned int n)
{
    unsigned int dpl = v->arch.trap_ctxt[n].flags & 3;

    return dpl >= (v->arch.kernel_mode ? 1u : 3u);
}

/*
 * A software interrupt `int $n` whose IDT gate is DPL 0 raises #GP with
 * error code (n << 3) | 2 (QEMU before 8.0: (n << 4) | 2). The instruction
 * bytes decide which vector it was; the guest's own table decides whether
 * the current guest mode may use it. A refused one is #GP((n << 3) | 2) at
 * the int instruction, as the hardware would raise it.
 */
static bool bounce_soft_int(struct vcpu *v, struct cpu_user_regs *regs)
{
    uint8_t insn[2];
    unsigned int n;

    if ((regs->error_code & 7) != 2 || copy_from_guest(insn, regs->rip, 2) || insn[0] != 0xcd)
        return false;
    n = insn[1];
    if (regs->error_code != ((n << 3) | 2) && regs->error_code != ((n << 4) | 2))
        return false;
    if (!softint_permitted(v, n)) {
        pv_inject_trap(v, TRAP_gp_fault, (int32_t)((n << 3) | 2), 0);
        return true;
    }
    regs->rip += 2; /* a trap: the handler returns past the int */
    pv_inject_trap(v, n, PV_NO_ERROR_CODE, 0);
    return true;
}

/*
 * int $0x80 reaches us through a DPL-3 gate (so system calls need no #GP
 * first). With a handler it goes straight to it, whatever its DPL, as on
 * Xen; without one it is the #GP the guest would have taken from a DPL-0
 * gate, at the int instruction (Xen's int80_slow_path).
 */
static void bounce_int80(struct vcpu *v, struct cpu_user_regs *regs)
{
    if (v->arch.trap_ctxt[0x80].address) {
        pv_inject_trap(v, 0x80, PV_NO_ERROR_CODE, 0);
        return;
    }
    regs->rip -= 2;
    pv_inject_trap(v, TRAP_gp_fault, (0x80 << 3) | 2, 0);
}

/* SYSENTER from guest user mode faults (SYSENTER_CS is 0): bounce it. */
static bool bounce_sysenter(struct vcpu *v, struct cpu_user_regs *regs)
{
    uint8_t insn[2];

    if (v->arch.kernel_mode || !v->arch.sysenter_callback_eip || regs->error_code ||
        copy_from_guest(insn, regs->rip, 2) || insn[0] != 0x0f || insn[1] != 0x34)
        return false;
    regs->rip += 2;
    regs->rflags &= ~(1UL << 8); /* TF off, as Linux expects */
    pv_create_bounce_frame(v, v->arch.sysenter_callback_eip, false, 0,
                           v->arch.sysenter_masks_events);
    return true;
}

static void do_guest_no_device(struct vcpu *v)
{
    /* The FPU state is loaded eagerly; #NM means the guest's virtual TS. */
    clts();
    if (v->arch.ctrlreg[0] & X86_CR0_TS) {
        v->arch.ctrlreg[0] &= ~X86_CR0_TS;
        pv_inject_trap(v, TRAP_no_device, PV_NO_ERROR_CODE, 0);
    }
}

void pv_do_guest_trap(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    unsigned int vec = regs->entry_vector;
    /* Before interrupts come back on: nothing may overwrite CR2 first. */
    unsigned long cr2 = vec == TRAP_page_fault ? read_cr2() : 0;

    local_irq_enable();
    switch (vec) {
    case TRAP_gp_fault:
        v->arch.io_bp_hits = 0;
        if (regs->error_code == 0 && pv_emulate_privileged(regs)) {
            if (v->arch.io_bp_hits) {
                /* An I/O breakpoint: a trap, after the instruction. */
                pv_debugreg_merge_dr6(v, v->arch.io_bp_hits);
                v->arch.io_bp_hits = 0;
                pv_inject_trap(v, TRAP_debug, PV_NO_ERROR_CODE, 0);
            }
            return;
        }
        if (bounce_soft_int(v, regs) || bounce_sysenter(v, regs))
            return;
        break;
    case TRAP_invalid_op:
        if (pv_emulate_forced_cpuid(regs))
            return;
        break;
    case TRAP_no_device:
        do_guest_no_device(v);
        return;
    case TRAP_debug:
        /* A breakpoint or single step of the guest's: DR6 says which. */
        pv_debugreg_take_dr6(v);
        break;
    case TRAP_page_fault:
        if (ptwr_do_page_fault(v, regs, cr2) || mmio_ro_do_page_fault(v, regs, cr2))
            return;
        if (regs->error_code & PFEC_RESERVED) {
            /*
             * Validated page tables carry no reserved bits: the entry is
             * the hypervisor's doing (or corrupt), never the guest's to
             * see or fix. Xen treats it as fatal; only this domain
             * depends on that walk, so only it ends.
             */
            printk_lvl(LOG_ERR, "d%uv%u: reserved bit in the page walk for %016lx (error %#x)\n",
                       v->domain->domain_id, v->vcpu_id, cr2, regs->error_code);
            show_registers(regs);
            domain_crash(v->domain, "reserved bit in a page-table entry");
            return;
        }
        pv_inject_trap(v, vec, (int32_t)regs->error_code, cr2);
        return;
    default:
        break;
    }
    if (vec >= TRAP_nr_exceptions) {
        /* Our only DPL-3 gate above the exceptions is int $0x80. */
        bounce_int80(v, regs);
        return;
    }
    pv_inject_trap(v, vec,
                   vector_has_error_code(vec) ? (int32_t)regs->error_code : PV_NO_ERROR_CODE, 0);
}
