/*
 * Emulation of the privileged instructions a PV guest kernel still
 * executes (LINUX-PV-REQUIREMENTS §3.6): RDMSR/WRMSR of the MSRs it
 * touches, moves to and from control registers, port I/O, CLI/STI, WBINVD,
 * and CPUID behind the forced-emulation prefix (ud2; "xen"; cpuid).
 *
 * Port I/O and CLI/STI are emulated only when the guest's virtual IOPL
 * allows them in its current mode (iopl.c), from user mode too, as on Xen;
 * otherwise, and for everything else from user mode, the guest gets the
 * #GP(0) the hardware raised. Anything not recognised returns false and
 * the fault is delivered to the guest. Instruction bytes are fetched with copy_from_guest, so a
 * bad RIP is just an unrecognised instruction.
 *
 * Every privileged instruction that trapped here is counted by kind
 * (perfc.h), whether it was carried out or refused.
 */
#include "asm/desc.h"
#include "asm/processor.h"
#include "asm/pv_traps.h"
#include "asm/traps.h"
#include "console.h"
#include "context.h"
#include "guest_access.h"
#include "hypercall.h"
#include "ioport.h"
#include "lib.h"
#include "percpu.h"
#include "perfc.h"
#include "time.h"
#include "trace.h"
#include <xen/errno.h>

#define MSR_IA32_PAT          0x277
#define MSR_IA32_MISC_ENABLE  0x1a0
#define MSR_IA32_UCODE_REV    0x8b
#define MSR_IA32_PLATFORM_ID  0x17
#define MSR_IA32_SYSENTER_CS  0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_TSC_AUX           0xc0000103

#define MAX_INSN 15

/* General-purpose register `n` (ModRM/REX numbering) of a frame. */
static uint64_t *gpr(struct cpu_user_regs *r, unsigned int n)
{
    switch (n) {
    case 0:
        return &r->rax;
    case 1:
        return &r->rcx;
    case 2:
        return &r->rdx;
    case 3:
        return &r->rbx;
    case 4:
        return &r->rsp;
    case 5:
        return &r->rbp;
    case 6:
        return &r->rsi;
    case 7:
        return &r->rdi;
    case 8:
        return &r->r8;
    case 9:
        return &r->r9;
    case 10:
        return &r->r10;
    case 11:
        return &r->r11;
    case 12:
        return &r->r12;
    case 13:
        return &r->r13;
    case 14:
        return &r->r14;
    default:
        return &r->r15;
    }
}

static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    /* v is running in kernel mode: the live bases are the truth (the guest
     * may have changed them by loading a selector), as context.c says. */
    case MSR_FS_BASE:
        *val = rdmsr(MSR_FS_BASE);
        return true;
    case MSR_GS_BASE:
        *val = rdmsr(MSR_GS_BASE);
        return true;
    case MSR_SHADOW_GS_BASE:
        *val = rdmsr(MSR_SHADOW_GS_BASE);
        return true;
    case MSR_IA32_PAT:
        *val = rdmsr(MSR_IA32_PAT); /* the PAT actually in force */
        return true;
    case MSR_APIC_BASE:
        *val = 0xfee00000UL | (1UL << 11) | (v->vcpu_id == 0 ? 1UL << 8 : 0);
        return true;
    case MSR_IA32_MISC_ENABLE:
        /* Fast strings; BTS and PEBS unavailable. */
        *val = (1UL << 0) | (1UL << 11) | (1UL << 12);
        return true;
    case MSR_IA32_UCODE_REV:
    case MSR_IA32_PLATFORM_ID:
    case MSR_STAR:
    case MSR_LSTAR:
    case MSR_CSTAR:
    case MSR_SYSCALL_MASK:
    case MSR_IA32_SYSENTER_CS:
    case MSR_IA32_SYSENTER_ESP:
    case MSR_IA32_SYSENTER_EIP:
        *val = 0;
        return true;
    default:
        return false;
    }
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch (msr) {
    case MSR_FS_BASE:
        v->arch.fs_base = val;
        wrmsr(MSR_FS_BASE, val);
        return true;
    case MSR_GS_BASE:
        /* Linux's first instruction: the kernel's GS base. */
        v->arch.gs_base_kernel = val;
        if (v->arch.kernel_mode)
            wrmsr(MSR_GS_BASE, val);
        return true;
    case MSR_SHADOW_GS_BASE:
        v->arch.gs_base_user = val;
        if (v->arch.kernel_mode)
            wrmsr(MSR_SHADOW_GS_BASE, val);
        return true;
    case MSR_IA32_UCODE_REV:
    case MSR_STAR:
    case MSR_LSTAR:
    case MSR_CSTAR:
    case MSR_SYSCALL_MASK:
    case MSR_IA32_SYSENTER_CS:
    case MSR_IA32_SYSENTER_ESP:
    case MSR_IA32_SYSENTER_EIP:
    case MSR_TSC_AUX:
        return true; /* the hypervisor owns these; the write is dropped */
    default:
        return false;
    }
}

static bool is_canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

static bool emulate_cr(struct vcpu *v, struct cpu_user_regs *regs, uint8_t op, uint8_t modrm,
                       unsigned int rex)
{
    unsigned int cr = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
    uint64_t *r = gpr(regs, (modrm & 7) | ((rex & 1) ? 8 : 0));

    if ((modrm >> 6) != 3)
        return false;
    if (op == 0x20) { /* mov %crN, %reg */
        switch (cr) {
        case 0:
            *r = (read_cr0() & ~X86_CR0_TS) | (v->arch.ctrlreg[0] & X86_CR0_TS);
            return true;
        case 2:
            *r = v->vcpu_info->arch.cr2;
            return true;
        case 3:
            *r = v->arch.guest_table << PAGE_SHIFT;
            return true;
        case 4:
            *r = v->arch.ctrlreg[4];
            return true;
        default:
            return false;
        }
    }
    switch (cr) { /* mov %reg, %crN */
    case 0:
        /* Only TS means anything to a PV guest (fpu_taskswitch). */
        if (*r & X86_CR0_TS) {
            v->arch.ctrlreg[0] |= X86_CR0_TS;
            stts();
        } else {
            v->arch.ctrlreg[0] &= ~X86_CR0_TS;
            clts();
        }
        return true;
    case 4:
        /* CR4 is the hypervisor's: the guest's bits as Xen allows them
         * (cr4.c), the rest dropped without a fault. */
        v->arch.ctrlreg[4] = pv_fixup_guest_cr4(v, *r);
        pv_load_cr4(v);
        return true;
    default:
        return false;
    }
}

/* Each emulated access checks the guest's I/O breakpoints (debugreg.c). */
static void note_io(struct vcpu *v, uint16_t port, unsigned int size)
{
    if (v->arch.dr7_emul)
        v->arch.io_bp_hits |= pv_io_breakpoints(v, port, size);
}

/*
 * MOV to or from %dbN, as Xen emulates it for a PV kernel: through the
 * same checks as set_debugreg/get_debugreg (debugreg.c); a register that
 * does not exist (-ENODEV: DR4/5 under CR4.DE, DR8+) is #UD, a value
 * refused is the #GP the instruction raised.
 */
enum dr_emul { DR_EMUL_DONE, DR_EMUL_UD, DR_EMUL_GP };

static enum dr_emul emulate_dr(struct cpu_user_regs *regs, uint8_t op, uint8_t modrm,
                               unsigned int rex)
{
    int dr = (int)(((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0));
    uint64_t *r = gpr(regs, (modrm & 7) | ((rex & 1) ? 8 : 0));
    long rc;

    if ((modrm >> 6) != 3)
        return DR_EMUL_GP;
    rc = op == 0x21 ? do_get_debugreg(dr) : do_set_debugreg(dr, *r);
    if (rc == -XEN_ENODEV)
        return DR_EMUL_UD;
    if (op == 0x21 && rc < 0 && rc >= -4095)
        return DR_EMUL_GP; /* (no other error: a DR value is 32 bits or an address) */
    if (op == 0x23 && rc)
        return DR_EMUL_GP;
    if (op == 0x21)
        *r = (uint64_t)rc;
    return DR_EMUL_DONE;
}

static unsigned long port_read(struct vcpu *v, uint16_t port, unsigned int size)
{
    unsigned long val;

    note_io(v, port, size);
    if (rtc_guest_port_read(v->domain, port, size, &val))
        return val;
    return guest_io_read(v->domain, port, size);
}

static void port_write(struct vcpu *v, uint16_t port, unsigned int size, unsigned long val)
{
    note_io(v, port, size);
    if (!rtc_guest_port_write(v->domain, port, size, val))
        guest_io_write(v->domain, port, size, (uint32_t)val);
}

static void set_sized(uint64_t *reg, unsigned int size, unsigned long val)
{
    if (size == 4)
        *reg = (uint32_t)val; /* 32-bit writes zero-extend */
    else if (size == 2)
        *reg = (*reg & ~0xffffUL) | (val & 0xffff);
    else
        *reg = (*reg & ~0xffUL) | (val & 0xff);
}

/*
 * Iterations of a rep ins/outs emulated per trap. rcx is the guest's to
 * choose (2^64 - 1 at most): like the hardware, which may stop a rep
 * string instruction at any iteration boundary to take an interrupt, we
 * stop after this many with rcx, rsi/rdi updated and rip still on the
 * instruction, so the guest re-executes it and the return path in
 * between serves softirqs and events.
 */
#define REP_IO_CHUNK 1024

enum string_io { STRING_IO_FAULT, STRING_IO_DONE, STRING_IO_AGAIN };

/* ins/outs, possibly with rep, each iteration through ioport.c. */
static enum string_io emulate_string_io(struct vcpu *v, struct cpu_user_regs *regs, uint8_t op,
                                        unsigned int size, bool rep)
{
    unsigned long count = rep ? MIN(regs->rcx, (unsigned long)REP_IO_CHUNK) : 1;
    long step = (regs->rflags & (1UL << 10)) ? -(long)size : (long)size;
    uint16_t port = (uint16_t)regs->rdx;

    for (; count; count--) {
        if (op == 0x6c || op == 0x6d) { /* ins */
            unsigned long val = port_read(v, port, size);
            if (copy_to_guest(regs->rdi, &val, size))
                return STRING_IO_FAULT;
            regs->rdi += (unsigned long)step;
        } else { /* outs */
            unsigned long val = 0;
            if (copy_from_guest(&val, regs->rsi, size))
                return STRING_IO_FAULT;
            port_write(v, port, size, val);
            regs->rsi += (unsigned long)step;
        }
        if (rep)
            regs->rcx--;
    }
    return rep && regs->rcx ? STRING_IO_AGAIN : STRING_IO_DONE;
}

/* The kind of privileged instruction at `op` (after prefixes), or -1. */
static int privop_kind(const uint8_t *op)
{
    unsigned int reg = (op[2] >> 3) & 7;

    switch (op[0]) {
    case 0xe4:
    case 0xe5:
    case 0xec:
    case 0xed:
        return PARAVANE_PERFC_PRIVOP_in;
    case 0xe6:
    case 0xe7:
    case 0xee:
    case 0xef:
        return PARAVANE_PERFC_PRIVOP_out;
    case 0x6c:
    case 0x6d:
        return PARAVANE_PERFC_PRIVOP_ins;
    case 0x6e:
    case 0x6f:
        return PARAVANE_PERFC_PRIVOP_outs;
    case 0xf4:
        return PARAVANE_PERFC_PRIVOP_hlt;
    case 0xfa:
        return PARAVANE_PERFC_PRIVOP_cli;
    case 0xfb:
        return PARAVANE_PERFC_PRIVOP_sti;
    case 0x0f:
        break;
    default:
        return -1;
    }
    switch (op[1]) {
    case 0x00: /* lldt, ltr */
        return reg == 2 || reg == 3 ? PARAVANE_PERFC_PRIVOP_lgdt : -1;
    case 0x01: /* lgdt, lidt, lmsw (any form), invlpg (memory form) */
        if (reg == 2 || reg == 3 || reg == 6)
            return (op[2] >> 6) == 3 && reg != 6 ? -1 : PARAVANE_PERFC_PRIVOP_lgdt;
        return reg == 7 && (op[2] >> 6) != 3 ? PARAVANE_PERFC_PRIVOP_invlpg : -1;
    case 0x06:
        return PARAVANE_PERFC_PRIVOP_clts;
    case 0x08:
        return PARAVANE_PERFC_PRIVOP_invd;
    case 0x09:
        return PARAVANE_PERFC_PRIVOP_wbinvd;
    case 0x20:
        return PARAVANE_PERFC_PRIVOP_cr_read;
    case 0x21:
        return PARAVANE_PERFC_PRIVOP_dr_read;
    case 0x22:
        return PARAVANE_PERFC_PRIVOP_cr_write;
    case 0x23:
        return PARAVANE_PERFC_PRIVOP_dr_write;
    case 0x30:
        return PARAVANE_PERFC_PRIVOP_wrmsr;
    case 0x31:
        return PARAVANE_PERFC_PRIVOP_rdtsc;
    case 0x32:
        return PARAVANE_PERFC_PRIVOP_rdmsr;
    default:
        return -1;
    }
}

static bool emulate(struct vcpu *v, struct cpu_user_regs *regs, const uint8_t *insn, unsigned int i,
                    unsigned int opsize, unsigned int rex, bool rep);

bool pv_emulate_privileged(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    uint8_t insn[MAX_INSN + 2] = {0}; /* two zeros past the end for privop_kind */
    unsigned int i = 0, opsize = 4, rex = 0;
    bool rep = false, done;
    int kind;

    /* Fetch what is there; a short fetch just leaves zeros. */
    for (unsigned int n = MAX_INSN; n > 0; n--)
        if (!copy_from_guest(insn, regs->rip, n))
            break;
    for (; i < 4; i++) {
        if (insn[i] == 0x66)
            opsize = 2;
        else if (insn[i] == 0xf3 || insn[i] == 0xf2)
            rep = true;
        else
            break;
    }
    if ((insn[i] & 0xf0) == 0x40)
        rex = insn[i++] & 0xf;

    if (__builtin_expect(trace_on, 0))
        trace_pv_privop(regs->rip);
    done = emulate(v, regs, insn, i, opsize, rex, rep);
    kind = privop_kind(&insn[i]);
    if (kind >= 0) {
        perfc_privop(v, kind);
        if (!done)
            perfc_event(v, privops_refused);
    }
    return done;
}

static bool emulate(struct vcpu *v, struct cpu_user_regs *regs, const uint8_t *insn, unsigned int i,
                    unsigned int opsize, unsigned int rex, bool rep)
{
    uint64_t val;

    switch (insn[i]) {
    case 0xe4 ... 0xe7:
    case 0xec ... 0xef:
    case 0x6c ... 0x6f:
    case 0xfa:
    case 0xfb:
        /* Port I/O, cli, sti: the I/O privilege decides, in either mode. */
        if (!pv_iopl_ok(v))
            return false;
        break;
    default:
        /* The rest is for the guest kernel only. */
        if (!v->arch.kernel_mode)
            return false;
        break;
    }

    switch (insn[i]) {
    case 0x0f:
        switch (insn[i + 1]) {
        case 0x30: /* wrmsr */
            val = ((uint64_t)(uint32_t)regs->rdx << 32) | (uint32_t)regs->rax;
            if ((regs->rcx == MSR_FS_BASE || regs->rcx == MSR_GS_BASE ||
                 regs->rcx == MSR_SHADOW_GS_BASE) &&
                !is_canonical(val))
                return false;
            if (!write_msr(v, (uint32_t)regs->rcx, val))
                return false;
            regs->rip += i + 2;
            return true;
        case 0x32: /* rdmsr */
            if (!read_msr(v, (uint32_t)regs->rcx, &val))
                return false;
            regs->rax = (uint32_t)val;
            regs->rdx = val >> 32;
            regs->rip += i + 2;
            return true;
        case 0x20:
        case 0x22: /* mov to/from control register */
            if (!emulate_cr(v, regs, insn[i + 1], insn[i + 2], rex))
                return false;
            regs->rip += i + 3;
            return true;
        case 0x21:
        case 0x23: /* mov to/from a debug register: as the hypercalls */
            switch (emulate_dr(regs, insn[i + 1], insn[i + 2], rex)) {
            case DR_EMUL_DONE:
                regs->rip += i + 3;
                return true;
            case DR_EMUL_UD:
                pv_inject_trap(v, TRAP_invalid_op, PV_NO_ERROR_CODE, 0);
                return true;
            default:
                return false;
            }
        case 0x06: /* clts */
            v->arch.ctrlreg[0] &= ~X86_CR0_TS;
            clts();
            regs->rip += i + 2;
            return true;
        case 0x09: /* wbinvd: caches are coherent for a PV guest */
            regs->rip += i + 2;
            return true;
        case 0x31: /* rdtsc: faults in ring 3 once the guest set CR4.TSD */
            if (!pv_cr4_tsd(v))
                return false;
            val = rdtsc();
            regs->rax = (uint32_t)val;
            regs->rdx = val >> 32;
            regs->rip += i + 2;
            return true;
        default:
            return false;
        }
    case 0xe4: /* in $imm8, %al/%ax/%eax */
    case 0xe5:
        set_sized(&regs->rax, insn[i] == 0xe4 ? 1 : opsize,
                  port_read(v, insn[i + 1], insn[i] == 0xe4 ? 1 : opsize));
        regs->rip += i + 2;
        return true;
    case 0xe6: /* out %al/%ax/%eax, $imm8 */
    case 0xe7:
        port_write(v, insn[i + 1], insn[i] == 0xe6 ? 1 : opsize, regs->rax);
        regs->rip += i + 2;
        return true;
    case 0xec: /* in %dx, %al/%ax/%eax */
    case 0xed:
        set_sized(&regs->rax, insn[i] == 0xec ? 1 : opsize,
                  port_read(v, (uint16_t)regs->rdx, insn[i] == 0xec ? 1 : opsize));
        regs->rip += i + 1;
        return true;
    case 0xee: /* out %al/%ax/%eax, %dx */
    case 0xef:
        port_write(v, (uint16_t)regs->rdx, insn[i] == 0xee ? 1 : opsize, regs->rax);
        regs->rip += i + 1;
        return true;
    case 0x6c:
    case 0x6d:
    case 0x6e:
    case 0x6f:
        switch (emulate_string_io(v, regs, insn[i], (insn[i] & 1) ? opsize : 1, rep)) {
        case STRING_IO_FAULT:
            return false;
        case STRING_IO_AGAIN:
            return true; /* rip stays: the guest runs the rest */
        case STRING_IO_DONE:
            break;
        }
        regs->rip += i + 1;
        return true;
    case 0xfa: /* cli: mask events */
        v->vcpu_info->evtchn_upcall_mask = 1;
        regs->rip += i + 1;
        return true;
    case 0xfb: /* sti */
        v->vcpu_info->evtchn_upcall_mask = 0;
        regs->rip += i + 1;
        return true;
    default:
        return false;
    }
}
