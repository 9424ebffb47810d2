/*
 * Performance counters: what guests ask of the hypervisor.
 *
 * Each vCPU counts in its own block (v->perfc, a struct paravane_perfc,
 * hypercall-abi/include/paravane/perfc.h). Only the vCPU itself writes
 * its block, as it runs, so an increment is one plain add to memory the
 * CPU already has in cache: no lock, no atomic, no per-pCPU row beside
 * it. PARAVANE_DOMCTL_perfc sums a domain's blocks (`vane stat`).
 *
 * The machine's totals (XEN_SYSCTL_perfc_op, as Xen's xenperf reads them)
 * are the sum over the domains there are, plus what the domains that
 * went had counted (folded in as they leave the domain list). Only what
 * no domain owns, the scheduler's own work, is counted per pCPU, in
 * perfc_cpu rows (each written by its pCPU only).
 */
#ifndef PARAVANE_PERFC_H_HYP
#define PARAVANE_PERFC_H_HYP

#include "percpu.h"
#include "types.h"
#include <paravane/perfc.h>

/* The block vCPU v counts in: v must be current (it is the only writer). */
#define VPERFC(v) ((v)->perfc)

/*
 * Hypercalls are counted by hypercall_dispatch() itself, in the table its
 * caller names (VPERFC(v).hypercalls from the SYSCALL entry,
 * .multicall_calls from do_multicall), on the dispatch table's own bounds
 * check: two instructions on the null hypercall's path.
 */
/* An exception or software interrupt bounced to v. */
#define perfc_exception(v, vec) (VPERFC(v).exceptions[(uint8_t)(vec)]++)
/* A privileged instruction of kind k (PARAVANE_PERFC_PRIVOP_*) trapped. */
#define perfc_privop(v, k) (VPERFC(v).privops[(k)]++)
/* A plain event: `field` of v's block, by one or by n. */
#define perfc_event(v, field)        (VPERFC(v).field++)
#define perfc_event_add(v, field, n) (VPERFC(v).field += (n))
/* Grant-table operation `op` (GNTTABOP_*) done once. */
#define perfc_grant_op(v, op)                                                                      \
    (VPERFC(v).grant_ops[(op) < PARAVANE_PERFC_GRANT_OPS ? (op) : PARAVANE_PERFC_GRANT_OPS - 1]++)

/* What each pCPU counts of its own (xenperf shows one value per pCPU). */
enum perfc_cpu_index { PERFC_sched_run, PERFC_sched_ctx, NUM_PERFC_CPU };
struct perfc_cpu_row {
    uint32_t c[NUM_PERFC_CPU];
} __attribute__((aligned(64)));
extern struct perfc_cpu_row perfc_cpu_rows[NR_CPUS];
#define perfc_cpu_incr(var) (perfc_cpu_rows[smp_processor_id()].c[PERFC_##var]++)

struct domain;
struct xen_sysctl_perfc_op;

/*
 * XEN_SYSCTL_perfc_op: query (or reset) the machine's counters, laid out
 * as Xen's perfc_control() lays them out. 0, -XEN_EINVAL (unknown cmd),
 * -XEN_EFAULT.
 */
long perfc_sysctl(struct xen_sysctl_perfc_op *pc);

/*
 * PARAVANE_DOMCTL_perfc on d (held by reference): the payload is the
 * domctl's union, read and written in place. 0 or -XEN_EINVAL,
 * -XEN_ENOMEM, -XEN_EFAULT.
 */
long perfc_domctl(struct domain *d, void *payload);

/*
 * d leaves the domain list (domlist_lock held, its vCPUs stopped for
 * good): what it counted stays in the machine's totals.
 */
void perfc_domain_gone(const struct domain *d);

#endif
