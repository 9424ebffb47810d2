/*
 * Paravane extension: parameters of the SEDF scheduler (scheduler id 4).
 *
 * Upstream Xen removed SEDF in 4.6 and left only a comment in domctl.h:
 * "#define XEN_SCHEDULER_SEDF 4 (Removed)". Paravane brings the scheduler
 * back, so the id and the parameter block are defined here, as a documented
 * extension, rather than in a copy of domctl.h. Everything else comes from
 * the Xen 4.17 public headers, which the includer must make reachable as
 * <xen/...> with __XEN__ or __XEN_TOOLS__ defined (domctl.h insists).
 *
 * XEN_DOMCTL_scheduler_op with sched_id == XEN_SCHEDULER_SEDF
 * ------------------------------------------------------------
 * The domctl payload is laid out as struct paravane_domctl_scheduler_op:
 * the same sched_id and cmd words as struct xen_domctl_scheduler_op, then
 * the SEDF block where the upstream union `u` starts. The block is 32 bytes,
 * larger than 4.17's union (16 bytes) but well inside the 128 bytes that
 * struct xen_domctl reserves for every payload, and byte-for-byte the layout
 * Xen 4.1-4.5 used (struct xen_domctl_sched_sedf), so an old toolstack's
 * request is understood unchanged.
 *
 * cmd XEN_DOMCTL_SCHEDOP_putinfo (IN: every field)
 *   Time-driven domain (weight == 0): the domain is guaranteed slice_ns of
 *   CPU time in every period_ns.
 *     PARAVANE_SEDF_PERIOD_MIN_NS <= period_ns <= PARAVANE_SEDF_PERIOD_MAX_NS
 *     PARAVANE_SEDF_SLICE_MIN_NS  <= slice_ns  <= period_ns
 *   Weight-driven domain (weight != 0, period_ns == 0 or extratime == 0):
 *     the domain's slice per PARAVANE_SEDF_WEIGHT_PERIOD_NS is derived from
 *     its weight: slice = weight * (100 ms - 5 ms - time-driven load on the
 *     pCPU) / (sum of weights on the pCPU); period_ns and slice_ns are ignored.
 *   Extra-only domain (weight != 0, period_ns == 0, extratime == 1): no
 *     guarantee; the domain runs only in extra time, shared by weight.
 *   latency_ns: 0 = no hint. Otherwise, when the domain wakes after blocking
 *     past its deadline, its first period is shortened to latency_ns (slice
 *     scaled in proportion, so its utilisation is unchanged) and then doubled
 *     back each period; an I/O-bound domain so gets an early deadline.
 *     Must be <= PARAVANE_SEDF_PERIOD_MAX_NS.
 *   extratime: 0 or 1. 1 lets the domain share idle time (in 500 us quanta)
 *     with the other extratime domains, in proportion to weight (or, for a
 *     time-driven domain without weight, to its guaranteed utilisation).
 *   pad: must be zero.
 * cmd XEN_DOMCTL_SCHEDOP_getinfo (OUT: every field)
 *   Returns the parameters in force; for a weight-driven domain period_ns
 *   and slice_ns are the derived values.
 * Errors: -XEN_EINVAL for out-of-range values, non-zero pad, an unknown
 *   extratime bit, both period_ns and weight zero, or a sched_id that is not
 *   the running scheduler's. Per-vCPU commands (put/getvcpuinfo) are not
 *   supported: -XEN_EINVAL.
 *
 * UNITS: every time here is in nanoseconds, as the field names say. The
 * toolstack (`vane sched-sedf`, config files) speaks milliseconds and
 * converts exactly once; Xen's documents disagreed on ms versus ns.
 */
#ifndef PARAVANE_SCHED_SEDF_H
#define PARAVANE_SCHED_SEDF_H

#include <xen/domctl.h>
#include <xen/sysctl.h>

/* Scheduler id, the one upstream retired; never reused by Xen since. */
#ifndef XEN_SCHEDULER_SEDF
#define XEN_SCHEDULER_SEDF 4
#endif

#define PARAVANE_SEDF_PERIOD_MIN_NS    10000ULL       /* 10 us */
#define PARAVANE_SEDF_PERIOD_MAX_NS    10000000000ULL /* 10 s */
#define PARAVANE_SEDF_SLICE_MIN_NS     5000ULL        /* 5 us */
#define PARAVANE_SEDF_WEIGHT_PERIOD_NS 100000000ULL   /* 100 ms */
#define PARAVANE_SEDF_WEIGHT_SAFETY_NS 5000000ULL     /* 5 ms */

/* Bits of paravane_domctl_sched_sedf.extratime. */
#define PARAVANE_SEDF_EXTRATIME (1U << 0)

struct paravane_domctl_sched_sedf {
    uint64_aligned_t period_ns;  /* IN/OUT */
    uint64_aligned_t slice_ns;   /* IN/OUT */
    uint64_aligned_t latency_ns; /* IN/OUT, 0 = none */
    uint32_t extratime;          /* IN/OUT, PARAVANE_SEDF_EXTRATIME or 0 */
    uint16_t weight;             /* IN/OUT, 0 = time-driven */
    uint16_t pad;                /* must be zero */
};

/* The whole XEN_DOMCTL_scheduler_op payload as Paravane reads it. */
struct paravane_domctl_scheduler_op {
    uint32_t sched_id; /* XEN_SCHEDULER_CREDIT or XEN_SCHEDULER_SEDF */
    uint32_t cmd;      /* XEN_DOMCTL_SCHEDOP_putinfo / _getinfo */
    union {
        struct xen_domctl_sched_credit credit;
        struct paravane_domctl_sched_sedf sedf;
    } u;
};

_Static_assert(sizeof(struct paravane_domctl_sched_sedf) == 32, "SEDF block is Xen 4.5's size");
_Static_assert(__builtin_offsetof(struct paravane_domctl_sched_sedf, extratime) == 24,
               "extratime follows the three times");
_Static_assert(__builtin_offsetof(struct paravane_domctl_scheduler_op, sched_id) ==
                   __builtin_offsetof(struct xen_domctl_scheduler_op, sched_id),
               "sched_id where upstream has it");
_Static_assert(__builtin_offsetof(struct paravane_domctl_scheduler_op, cmd) ==
                   __builtin_offsetof(struct xen_domctl_scheduler_op, cmd),
               "cmd where upstream has it");
_Static_assert(__builtin_offsetof(struct paravane_domctl_scheduler_op, u) ==
                   __builtin_offsetof(struct xen_domctl_scheduler_op, u),
               "parameters start where upstream's union does");
_Static_assert(sizeof(struct paravane_domctl_scheduler_op) <= sizeof(((struct xen_domctl *)0)->u),
               "fits in the domctl payload");

#endif /* PARAVANE_SCHED_SEDF_H */
