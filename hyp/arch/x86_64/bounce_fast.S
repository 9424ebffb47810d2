/*
 * The common cases of bouncing into a PV guest, in assembly, beside the
 * system call's (syscall_fast.S): a page fault taken in guest user mode
 * that is only the guest's business, the event upcall, and the exit
 * check every fast path and ret_to_guest go through.
 *
 * In C a user page fault went do_trap, pv_do_guest_trap (CR2 read,
 * interrupts on, the ptwr and read-only MMIO handlers asked and
 * declining, the error code fixed up, a pending trap recorded), then
 * ret_to_guest's loop (softirqs, pv_deliver_pending_trap, create_frame
 * building the frame on our stack and copying it out): here it is the
 * frame written in place with interrupts off from the fault to the
 * iretq. An upcall due on the way out is built the same way, without
 * the C exit loop around it.
 *
 * Anything unusual goes to the C path with nothing changed (CR2 is put
 * back if we faulted on the guest's stack meanwhile), and the C path then
 * does what it always did:
 *   - a fault in guest kernel mode (ptwr emulates writes to page tables
 *     there), or with the reserved bit set (the domain is crashed);
 *   - a present-page write fault of domain 0: it may be the hardware
 *     domain's store to read-only MMIO (mmio_ro.c);
 *   - tracing on (it records each fault), no page-fault handler (the
 *     domain is crashed with a report), the architectural-IOPL assist;
 *   - a frame outside the guest's range or one that faults.
 */
#include "asm/pv_fast.h"
#include "asm/traps.h"

#define PFEC_WRITE_PRESENT 3            /* P | W */
#define PFEC_USER          (1 << 2)
#define PFEC_RESERVED      (1 << 3)
#define TRAP_INFO_SIZE     16           /* struct trap_info */
#define TRAP_INFO_flags    1
#define TRAP_INFO_address  8
#define TI_EVENTS_MASKED   4            /* flags bit 2: an interrupt gate */

        .text
/*
 * A #PF from a guest, from common_trap: its frame in cpu_info at %rsp,
 * every register saved, interrupts off (an interrupt gate).
 */
        .globl  pv_page_fault_fast
pv_page_fault_fast:
        mov     %cr2, %r8                       /* before anything may fault */
        mov     CPUINFO_curr_vcpu(%rsp), %rbx
        cmpb    $0, VCPU_kernel_mode(%rbx)
        jne     guest_trap_slow
        mov     UREGS_error_code(%rsp), %r9d
        test    $PFEC_RESERVED, %r9d
        jnz     guest_trap_slow
        cmpb    $0, trace_on(%rip)
        jne     guest_trap_slow
        SLOW_IF_ARCH_IOPL guest_trap_slow
        mov     %r9d, %ecx
        and     $PFEC_WRITE_PRESENT, %ecx
        cmp     $PFEC_WRITE_PRESENT, %ecx
        jne     1f
        cmpw    $0, DOMAIN_domain_id(%rax)      /* %rax: the domain, from SLOW_IF_ARCH_IOPL */
        je      guest_trap_slow
1:      cmpb    $0, VCPU_failsafe_pending(%rbx)
        jne     guest_trap_slow
        cmpb    $0, VCPU_trap_bounce_pending(%rbx)
        jne     guest_trap_slow
        mov     VCPU_trap_ctxt(%rbx), %rsi
        mov     (TRAP_page_fault * TRAP_INFO_SIZE + TRAP_INFO_address)(%rsi), %r12
        test    %r12, %r12
        jz      guest_trap_slow

        /* From guest user mode: U set, whatever the hardware said (pv_inject_trap). */
        or      $PFEC_USER, %r9d
        BOUNCE_FRAME .Lpf_slow, %r9, user
        testb   $TI_EVENTS_MASKED, (TRAP_page_fault * TRAP_INFO_SIZE + TRAP_INFO_flags)(%rsi)
        jz      2f
        movb    $1, VCPUINFO_upcall_mask(%r14)
2:      mov     %r8, VCPUINFO_arch_cr2(%r14)    /* as Xen: the guest reads it there */
        incq    (VCPU_perfc_exceptions + TRAP_page_fault * 8)(%rbx)
        jmp     pv_fast_exit

.Lpf_slow:
        mov     %r8, %cr2                       /* our own fault on its stack changed it */
        jmp     guest_trap_slow

/*
 * Out to the guest whose frame is at %rsp (cpu_info), %rbx its vCPU,
 * interrupts off: straight to the iretq if nothing is due
 * (pv_exit_to_guest's exit_is_quiet), the event upcall here if that is
 * all that is due, else the C exit path.
 */
        .globl  pv_fast_exit
pv_fast_exit:
        mov     CPUINFO_cpu(%rsp), %eax
        lea     softirq_pending_mask(%rip), %rcx
        cmpq    $0, (%rcx,%rax,8)
        jne     ret_to_guest_slow
        cmpb    $0, VCPU_failsafe_pending(%rbx)
        jne     ret_to_guest_slow
        cmpb    $0, VCPU_trap_bounce_pending(%rbx)
        jne     ret_to_guest_slow
        mov     VCPU_vcpu_info(%rbx), %rax
        cmpb    $0, VCPUINFO_upcall_pending(%rax)
        je      restore_guest_and_iret
        cmpb    $0, VCPUINFO_upcall_mask(%rax)
        jne     restore_guest_and_iret
        mov     VCPU_event_callback(%rbx), %r12
        test    %r12, %r12
        jz      restore_guest_and_iret

/*
 * The event upcall (pv_deliver_event_upcall): the frame for the event
 * callback, from either guest mode, with events masked as Xen does.
 *
 * First an interrupt that is already waiting comes in (sti's shadow
 * covers the nop, and the window is the nop), as it does in the C exit
 * loop and in Xen's before the frame is built: its events then go out in
 * this upcall. Taken after the iretq instead, it would find the callback
 * masked and cost a second upcall when the callback returns: Linux's
 * fork+exit took two more upcalls each that way (lbench under icount:
 * 533 us to 545).
 * Only a softirq can have become due meanwhile.
 */
        sti
        nop
        cli
        mov     CPUINFO_cpu(%rsp), %eax
        lea     softirq_pending_mask(%rip), %rcx
        cmpq    $0, (%rcx,%rax,8)
        jne     ret_to_guest_slow
        SLOW_IF_ARCH_IOPL ret_to_guest_slow
        BOUNCE_FRAME ret_to_guest_slow, , any
        movb    $1, VCPUINFO_upcall_mask(%r14)
        incq    VCPU_perfc_event_upcalls(%rbx)
        /* Masked now, and interrupts stayed off: nothing else can be due. */
        jmp     restore_guest_and_iret
