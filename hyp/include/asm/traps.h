/*
 * Interrupt vectors and the trap entry point.
 *
 *   0x00-0x1f  CPU exceptions
 *   0x30-0x3f  ISA interrupts routed through the IO-APIC (0x30 + ISA irq)
 *   0xf0       local APIC timer
 *   0xf1       event-check IPI (wake an idle CPU to look at its work)
 *   0xf2       call-function IPI (on_selected_cpus)
 *   0xf3       stop IPI (panic: halt with interrupts off)
 *   0xff       APIC spurious
 */
#ifndef PARAVANE_ASM_TRAPS_H
#define PARAVANE_ASM_TRAPS_H

#define TRAP_divide_error    0
#define TRAP_debug           1
#define TRAP_nmi             2
#define TRAP_int3            3
#define TRAP_overflow        4
#define TRAP_bounds          5
#define TRAP_invalid_op      6
#define TRAP_no_device       7
#define TRAP_double_fault    8
#define TRAP_invalid_tss     10
#define TRAP_no_segment      11
#define TRAP_stack_error     12
#define TRAP_gp_fault        13
#define TRAP_page_fault      14
#define TRAP_copro_error     16
#define TRAP_alignment_check 17
#define TRAP_machine_check   18
#define TRAP_simd_error      19
#define TRAP_nr_exceptions   32

#define IRQ_VECTOR_BASE      0x30
#define TIMER_VECTOR         0xf0
#define EVENT_CHECK_VECTOR   0xf1
#define CALL_FUNCTION_VECTOR 0xf2
#define STOP_VECTOR          0xf3
#define SPURIOUS_VECTOR      0xff

#ifndef __ASSEMBLY__
#include "types.h"
#include <xen/xen.h>

/* Entry stubs, 16 bytes apart (entry.S). */
extern const char idt_stubs[];
#define IDT_STUB_SIZE 16

/* The C side of every interrupt and exception (traps.c). */
void do_trap(struct cpu_user_regs *regs);

/* Handler for an ISA interrupt routed through the IO-APIC. */
typedef void (*irq_handler_t)(unsigned int irq, struct cpu_user_regs *regs);
void set_irq_handler(unsigned int irq, irq_handler_t fn);

/* Print registers (and a backtrace) of a trap frame. */
void show_registers(const struct cpu_user_regs *regs);
void show_backtrace(unsigned long rip, unsigned long rbp);

/* The register frame of the interrupt this CPU is handling, or NULL. */
const struct cpu_user_regs *current_irq_regs(void);

const char *trap_name(unsigned int vector);

/*
 * Raise a hypervisor exception on purpose, to exercise the fatal-trap
 * path: "pf", "ud", "gp" or "de". Returns -XEN_EINVAL for another kind.
 */
int deliberate_fault(const char *kind);
#endif

#endif
