/*
 * Trap dispatch and the fatal-trap report.
 *
 * do_trap() is the C side of every vector (entry.S). Exceptions raised by
 * the hypervisor itself are fatal: they print the full report (vector,
 * error code, registers, faulting address, symbolised backtrace), stop the
 * other CPUs and end the machine with a failure status. Interrupts go to
 * their handlers and are acknowledged at the local APIC.
 */
#include "asm/apic.h"
#include "asm/processor.h"
#include "asm/pv_traps.h"
#include "asm/traps.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "machine.h"
#include "percpu.h"
#include "pirq.h"
#include "smp.h"
#include "symbols.h"
#include "timer.h"
#include <xen/errno.h>

static irq_handler_t irq_handlers[16];

/* Frame of the interrupt being handled on each CPU (for debug keys). */
static const struct cpu_user_regs *irq_regs[NR_CPUS];

static const char *const exception_names[TRAP_nr_exceptions] = {
    [0] = "#DE divide error",
    [1] = "#DB debug",
    [2] = "NMI",
    [3] = "#BP breakpoint",
    [4] = "#OF overflow",
    [5] = "#BR bound range",
    [6] = "#UD invalid opcode",
    [7] = "#NM device not available",
    [8] = "#DF double fault",
    [10] = "#TS invalid TSS",
    [11] = "#NP segment not present",
    [12] = "#SS stack fault",
    [13] = "#GP general protection",
    [14] = "#PF page fault",
    [16] = "#MF x87 error",
    [17] = "#AC alignment check",
    [18] = "#MC machine check",
    [19] = "#XM SIMD error",
    [20] = "#VE virtualisation",
    [21] = "#CP control protection",
};

const char *trap_name(unsigned int vector)
{
    if (vector < TRAP_nr_exceptions && exception_names[vector])
        return exception_names[vector];
    return vector < TRAP_nr_exceptions ? "reserved exception" : "interrupt";
}

void set_irq_handler(unsigned int irq, irq_handler_t fn)
{
    ASSERT(irq < ARRAY_SIZE(irq_handlers));
    irq_handlers[irq] = fn;
}

const struct cpu_user_regs *current_irq_regs(void)
{
    return irq_regs[smp_processor_id()];
}

static void print_symbol_line(const char *lead, unsigned long addr)
{
    unsigned long off, size;
    const char *name = symbol_lookup(addr, &off, &size);

    if (name)
        printk_lvl(LOG_ERR, "%s[<%016lx>] %s+%#lx/%#lx\n", lead, addr, name, off, size);
    else
        printk_lvl(LOG_ERR, "%s[<%016lx>] ?\n", lead, addr);
}

/*
 * Walk the frame-pointer chain. Every frame must lie inside this CPU's
 * stack block and move upwards, so a corrupt chain ends the walk instead
 * of faulting again.
 */
void show_backtrace(unsigned long rip, unsigned long rbp)
{
    unsigned long lo = (unsigned long)this_cpu()->stack;
    unsigned long hi = lo + STACK_SIZE;

    printk_lvl(LOG_ERR, "Backtrace:\n");
    print_symbol_line("   ", rip);
    for (int depth = 0; depth < 32; depth++) {
        unsigned long *frame = (unsigned long *)rbp;
        unsigned long next, ret;

        if (rbp < lo || rbp + 16 > hi || (rbp & 7))
            break;
        next = frame[0];
        ret = frame[1];
        if (!is_hyp_text(ret))
            break;
        print_symbol_line("   ", ret);
        if (next <= rbp)
            break;
        rbp = next;
    }
}

void show_registers(const struct cpu_user_regs *r)
{
    bool guest = (r->cs & 3) != 0;

    if (guest)
        printk_lvl(LOG_ERR, "CPU %u, guest context (d%uv%u, %s mode)\n", smp_processor_id(),
                   current->domain->domain_id, current->vcpu_id,
                   current->arch.kernel_mode ? "kernel" : "user");
    else
        printk_lvl(LOG_ERR, "CPU %u, hypervisor context\n", smp_processor_id());
    if (guest)
        printk_lvl(LOG_ERR, "RIP: %04x:[<%016lx>]\n", r->cs, r->rip);
    else
        print_symbol_line("RIP: e008:", r->rip);
    printk_lvl(LOG_ERR, "RFLAGS: %016lx  CR2: %016lx\n", r->rflags, read_cr2());
    printk_lvl(LOG_ERR, "rax: %016lx   rbx: %016lx   rcx: %016lx\n", r->rax, r->rbx, r->rcx);
    printk_lvl(LOG_ERR, "rdx: %016lx   rsi: %016lx   rdi: %016lx\n", r->rdx, r->rsi, r->rdi);
    printk_lvl(LOG_ERR, "rbp: %016lx   rsp: %016lx   r8:  %016lx\n", r->rbp, r->rsp, r->r8);
    printk_lvl(LOG_ERR, "r9:  %016lx   r10: %016lx   r11: %016lx\n", r->r9, r->r10, r->r11);
    printk_lvl(LOG_ERR, "r12: %016lx   r13: %016lx   r14: %016lx\n", r->r12, r->r13, r->r14);
    printk_lvl(LOG_ERR, "r15: %016lx   cs: %04x   ss: %04x\n", r->r15, r->cs, r->ss);
    printk_lvl(LOG_ERR, "cr0: %016lx   cr3: %016lx   cr4: %016lx\n", read_cr0(), read_cr3(),
               read_cr4());
    if (!guest)
        show_backtrace(r->rip, r->rbp);
}

int deliberate_fault(const char *kind)
{
    unsigned long bad = 0x10; /* never mapped: the first page stays out */

    __asm__ volatile("" : "+r"(bad)); /* hide the constant from the optimiser */
    if (!strcmp(kind, "pf"))
        *(volatile unsigned long *)bad = 0;
    else if (!strcmp(kind, "ud"))
        __asm__ volatile("ud2");
    else if (!strcmp(kind, "gp"))
        (void)*(volatile unsigned long *)(bad | (1UL << 63)); /* non-canonical */
    else if (!strcmp(kind, "de"))
        __asm__ volatile("xor %%ecx, %%ecx; div %%ecx" ::: "eax", "ecx", "edx");
    return -XEN_EINVAL;
}

static __noreturn void fatal_trap(const struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    local_irq_disable();
    console_force_unlock();
    console_set_threshold(LOG_ALL);
    console_lock();
    printk_lvl(LOG_ERR, "----[ FATAL TRAP: vector %u (%s), error code %#x ]----\n", vec,
               trap_name(vec), regs->error_code);
    if (vec == TRAP_page_fault)
        printk_lvl(LOG_ERR, "faulting address %016lx (%s, %s, %s)\n", read_cr2(),
                   regs->error_code & 1 ? "protection" : "not present",
                   regs->error_code & 2 ? "write" : "read",
                   regs->error_code & 16 ? "instruction fetch" : "data");
    show_registers(regs);
    printk_lvl(LOG_ERR, "paravane: fatal trap on CPU %u, system halted\n", smp_processor_id());
    console_unlock();
    machine_halt(EXIT_FAILURE_STATUS);
}

static void do_nmi(const struct cpu_user_regs *regs)
{
    if (machine_is_stopping())
        cpu_stop_self();
    printk_lvl(LOG_WARN, "NMI received on CPU %u at %016lx\n", smp_processor_id(), regs->rip);
}

/*
 * A #DB in hypervisor context. We never arm breakpoints of our own, so it
 * is a guest's: a data breakpoint on a guest address we touched for it,
 * or one a MOV SS held back until our entry code (XSA-260; the IST stack
 * keeps that safe). Breakpoints are traps, so going on is safe; the guest
 * does not get this one, as on Xen, which logs it the same way.
 */
static void do_hyp_debug(struct cpu_user_regs *regs)
{
    static unsigned long seen;
    unsigned long dr6;

    __asm__ volatile("mov %%db6, %0" : "=r"(dr6));
    __asm__ volatile("mov %0, %%db6" ::"r"(0xffff0ff0UL));
    regs->rflags &= ~(1UL << 8); /* no single step of our own code */
    if (__atomic_fetch_add(&seen, 1, __ATOMIC_RELAXED) < 20)
        printk_lvl(LOG_WARN, "d%uv%u: #DB in hypervisor context at %016lx, DR6 %lx: ignored\n",
                   current->domain->domain_id, current->vcpu_id, regs->rip, dr6);
}

void do_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector;
    unsigned int cpu = smp_processor_id();
    const struct cpu_user_regs *outer = irq_regs[cpu];

    if (vec == TRAP_nmi) {
        do_nmi(regs);
        return;
    }
    if ((regs->cs & 3) && (vec < TRAP_nr_exceptions || vec == 0x80)) {
        pv_do_guest_trap(regs);
        return;
    }
    if (vec == TRAP_debug) {
        do_hyp_debug(regs);
        return;
    }
    if (vec < TRAP_nr_exceptions) {
        /* A fault the hypervisor expects (touching guest memory, returning
         * to a guest) continues at its fixup. */
        unsigned long fixup = search_exception_table(regs->rip);
        if (fixup && (vec == TRAP_page_fault || vec == TRAP_gp_fault || vec == TRAP_stack_error ||
                      vec == TRAP_no_segment)) {
            this_cpu()->fixup_vector = (uint8_t)vec;
            this_cpu()->fixup_error_code = regs->error_code;
            regs->rip = fixup;
            return;
        }
        fatal_trap(regs);
    }

    irq_regs[cpu] = regs;
    switch (vec) {
    case TIMER_VECTOR:
        apic_eoi();
        timer_interrupt();
        break;
    case EVENT_CHECK_VECTOR:
        apic_eoi();
        timer_reprogram(); /* another CPU may have armed an earlier timer here */
        break;
    case CALL_FUNCTION_VECTOR:
        apic_eoi();
        smp_call_function_interrupt();
        break;
    case STOP_VECTOR:
        cpu_stop_self();
    case SPURIOUS_VECTOR:
        break; /* never acknowledged */
    default:
        if (vec >= IRQ_VECTOR_BASE && vec < IRQ_VECTOR_BASE + ARRAY_SIZE(irq_handlers) &&
            irq_handlers[vec - IRQ_VECTOR_BASE]) {
            irq_handlers[vec - IRQ_VECTOR_BASE](vec - IRQ_VECTOR_BASE, regs);
            apic_eoi();
        } else if (pirq_do_irq(vec)) {
            apic_eoi(); /* a device of the hardware domain's (irq_pirq.c) */
        } else {
            printk_lvl(LOG_WARN, "CPU %u: unexpected interrupt vector %#x\n", cpu, vec);
            apic_eoi();
        }
        break;
    }
    irq_regs[cpu] = outer;
}
