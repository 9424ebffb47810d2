/*
 * Per-pCPU counters of what costs the MMU (and an emulated MMU most):
 * CR3 writes, full TLB flushes (and how many of them the hypervisor's own
 * flush clock asked for), single-page invalidations, switches
 * between a guest's kernel and user mode, and bounce frames built. They
 * say where an operation's time goes that an instruction count does not
 * show: debug key 'f' prints them, and make bench prints them per
 * operation it measures (lbench asks for the key around each one through
 * XEN_SYSCTL_debug_keys).
 *
 * Each pCPU counts only its own events, with plain increments on its own
 * cache line: no atomics on the paths being measured. A reader on another
 * pCPU may see a count a moment old, which a statistic allows.
 */
#ifndef PARAVANE_FLUSHSTAT_H
#define PARAVANE_FLUSHSTAT_H

#include "percpu.h"
#include "types.h"

enum flushstat_event {
    FS_CR3,    /* a write to CR3 (each one drops the non-global TLB) */
    FS_FLUSH,  /* a full flush, global entries too */
    FS_HFLUSH, /* of those, asked for by the flush clock (a frame's reuse or
                * retyping), not by a guest or a context switch */
    FS_INVLPG, /* one page invalidated */
    FS_KSW,    /* a guest switched between its kernel and user mode */
    FS_BOUNCE, /* a bounce frame built (system call, trap, event, failsafe) */
    FS_NR
};

struct flushstat {
    uint64_t n[FS_NR];
} __attribute__((aligned(64)));

extern struct flushstat flushstat[NR_CPUS];

static inline void flushstat_count(enum flushstat_event e)
{
    flushstat[smp_processor_id()].n[e]++;
}

#endif
