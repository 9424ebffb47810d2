/*
 * Trace buffers in Xen's format (xen/include/public/trace.h): one buffer
 * per pCPU, a struct t_buf (cons, prod) followed by variable-length
 * struct t_rec records, described to the control domain by a struct
 * t_info; sized, enabled and masked by XEN_SYSCTL_tbuf_op, and mapped by
 * dom0 as frames of DOMID_XEN, so Xen's own xentrace reads them (and
 * `vane trace` does the same).
 *
 * Off (the default, and after XEN_SYSCTL_TBUFOP_disable), a trace point
 * costs one load and one branch not taken: trace_on is read before
 * anything else. Records are written only by their pCPU, with interrupts
 * off; the consumer moves `cons` from dom0.
 */
#ifndef PARAVANE_TRACE_H
#define PARAVANE_TRACE_H

#include "types.h"
#include <xen/trace.h>

/* Tracing enabled (buffers allocated and XEN_SYSCTL_TBUFOP_enable given). */
extern bool trace_on;

/*
 * Write a record of `event` with `extra` bytes of data (at most 28,
 * rounded up to words) on this pCPU, with the TSC when `cycles`, if the
 * event mask and the CPU mask let it through. Call only when trace_on.
 */
void __trace_var(uint32_t event, bool cycles, unsigned int extra, const void *data);

static inline void trace_var(uint32_t event, bool cycles, unsigned int extra, const void *data)
{
    if (__builtin_expect(trace_on, 0))
        __trace_var(event, cycles, extra, data);
}

/* Xen's TRACE_nD: n 32-bit words, with the TSC. */
#define TRACE_0D(e) trace_var((e), true, 0, NULL)
#define TRACE_2D(e, a, b)                                                                          \
    do {                                                                                           \
        if (__builtin_expect(trace_on, 0)) {                                                       \
            uint32_t d_[2] = {(uint32_t)(a), (uint32_t)(b)};                                       \
            __trace_var((e), true, sizeof(d_), d_);                                                \
        }                                                                                          \
    } while (0)
#define TRACE_3D(e, a, b, c)                                                                       \
    do {                                                                                           \
        if (__builtin_expect(trace_on, 0)) {                                                       \
            uint32_t d_[3] = {(uint32_t)(a), (uint32_t)(b), (uint32_t)(c)};                        \
            __trace_var((e), true, sizeof(d_), d_);                                                \
        }                                                                                          \
    } while (0)
#define TRACE_4D(e, a, b, c, d)                                                                    \
    do {                                                                                           \
        if (__builtin_expect(trace_on, 0)) {                                                       \
            uint32_t d_[4] = {(uint32_t)(a), (uint32_t)(b), (uint32_t)(c), (uint32_t)(d)};         \
            __trace_var((e), true, sizeof(d_), d_);                                                \
        }                                                                                          \
    } while (0)

/*
 * Paravane's own scheduling event, beside Xen's TRC_SCHED_VERBOSE ones
 * (which Xen numbers 1..17 upwards): a vCPU picked up by another pCPU
 * than the one it last ran on. Data: domain, vCPU, old pCPU, new pCPU.
 */
#define TRC_SCHED_MIGRATE_PARAVANE (TRC_SCHED_VERBOSE + 0x101)

/* Trace points with a shape of their own (trace.c). */
struct vcpu;
void trace_hypercall(uint32_t event, unsigned long op, const unsigned long *args);
void trace_pv_trap(unsigned int vector, unsigned long rip, bool has_error_code,
                   uint32_t error_code);
void trace_pv_page_fault(unsigned long rip, unsigned long addr, uint32_t error_code);
void trace_pv_privop(unsigned long rip);
void trace_runstate_change(const struct vcpu *v, int old_state, int new_state);

struct xen_sysctl_tbuf_op;
/*
 * XEN_SYSCTL_tbuf_op, as Xen's tb_control(): get_info, set_cpu_mask,
 * set_evt_mask, set_size (once: buffers are never freed; asking the same
 * size again is fine), enable (needs buffers), disable. 0, -XEN_EINVAL,
 * -XEN_EBUSY (another size), -XEN_ENOMEM, -XEN_EFAULT.
 */
long trace_sysctl(struct xen_sysctl_tbuf_op *tbc);

/* Boot: tbuf_size= (pages per pCPU) and tevt_mask= start tracing at once. */
void trace_init(void);

#endif
