/*
 * Hypercalls from the PV test kernels, through the hypercall page the
 * builder wrote (or, with hypercall_raw*, a bare SYSCALL as Linux 6.1
 * issues them). Register convention of xen/arch-x86/xen-x86_64.h.
 */
#ifndef PVTEST_HYPERCALL_H
#define PVTEST_HYPERCALL_H

#include <stddef.h>
#include <stdint.h>
/* The newest interface the 4.17 headers describe. */
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/xen.h>

extern char hypercall_page[];

#define HC_CLOBBERS "memory", "rcx", "r11"

static inline long hypercall5(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
                              unsigned long a4, unsigned long a5)
{
    register unsigned long r10 __asm__("r10") = a4;
    register unsigned long r8 __asm__("r8") = a5;
    long ret;
    __asm__ volatile("call *%[entry]"
                     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : [entry] "r"(hypercall_page + nr * 32)
                     : HC_CLOBBERS);
    return ret;
}

/* The same through a raw SYSCALL, as Linux 6.1 does. */
static inline long hypercall_raw5(unsigned int nr, unsigned long a1, unsigned long a2,
                                  unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r10 __asm__("r10") = a4;
    register unsigned long r8 __asm__("r8") = a5;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : "a"((unsigned long)nr)
                     : HC_CLOBBERS);
    return ret;
}

#define hypercall0(nr)       hypercall5(nr, 0, 0, 0, 0, 0)
#define hypercall1(nr, a)    hypercall5(nr, (unsigned long)(a), 0, 0, 0, 0)
#define hypercall2(nr, a, b) hypercall5(nr, (unsigned long)(a), (unsigned long)(b), 0, 0, 0)
#define hypercall3(nr, a, b, c)                                                                    \
    hypercall5(nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), 0, 0)
#define hypercall4(nr, a, b, c, d)                                                                 \
    hypercall5(nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), (unsigned long)(d), \
               0)

#define HYPERVISOR_console_io(cmd, n, buf) hypercall3(__HYPERVISOR_console_io, cmd, n, buf)
#define HYPERVISOR_xen_version(cmd, arg)   hypercall2(__HYPERVISOR_xen_version, cmd, arg)
#define HYPERVISOR_sched_op(cmd, arg)      hypercall2(__HYPERVISOR_sched_op, cmd, arg)
#define HYPERVISOR_set_trap_table(t)       hypercall1(__HYPERVISOR_set_trap_table, t)
#define HYPERVISOR_multicall(l, n)         hypercall2(__HYPERVISOR_multicall, l, n)
#define HYPERVISOR_stack_switch(ss, sp)    hypercall2(__HYPERVISOR_stack_switch, ss, sp)
#define HYPERVISOR_callback_op(cmd, a)     hypercall2(__HYPERVISOR_callback_op, cmd, a)
#define HYPERVISOR_fpu_taskswitch(set)     hypercall1(__HYPERVISOR_fpu_taskswitch, set)
#define HYPERVISOR_set_segment_base(w, b)  hypercall2(__HYPERVISOR_set_segment_base, w, b)
#define HYPERVISOR_set_gdt(l, n)           hypercall2(__HYPERVISOR_set_gdt, l, n)
#define HYPERVISOR_update_descriptor(m, d) hypercall2(__HYPERVISOR_update_descriptor, m, d)
#define HYPERVISOR_vm_assist(c, t)         hypercall2(__HYPERVISOR_vm_assist, c, t)
#define HYPERVISOR_set_debugreg(r, v)      hypercall2(__HYPERVISOR_set_debugreg, r, v)
#define HYPERVISOR_get_debugreg(r)         hypercall1(__HYPERVISOR_get_debugreg, r)
#define HYPERVISOR_set_callbacks(e, f, s)  hypercall3(__HYPERVISOR_set_callbacks, e, f, s)
#define HYPERVISOR_memory_op(cmd, arg)     hypercall2(__HYPERVISOR_memory_op, cmd, arg)
#define HYPERVISOR_physdev_op(cmd, arg)    hypercall2(__HYPERVISOR_physdev_op, cmd, arg)

#endif
