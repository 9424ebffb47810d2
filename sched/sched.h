/*
 * sched/sched.h - the vCPU scheduler interface the hypervisor (and the
 * simulator) use. One instance (struct sched) schedules a fixed set of
 * pCPUs with one policy, Credit or SEDF, chosen at creation (the boot
 * option sched=credit|sedf).
 *
 * Objects and lifetime:
 *   struct sched       created by sched_create(), destroyed last.
 *   struct sched_dom   one per domain; created before its vCPUs, destroyed
 *                      after them. Holds the per-domain parameters.
 *   struct sched_vcpu  one per vCPU; created asleep on a given pCPU. The
 *                      caller keeps the pointer (e.g. in struct vcpu) and
 *                      gets its own object back with sched_vcpu_owner().
 *
 * Time: `now` is monotonic nanoseconds. Parameters cross this interface in
 * the domctl units (ns for SEDF, see hypercall-abi/include/paravane/
 * sched_sedf.h); sched_config takes milliseconds/microseconds as Xen's boot
 * options do.
 *
 * Locking: every function takes the instance lock itself; call none of them
 * with it held (see env.h). Return values are 0 or a negative Xen errno
 * (-XEN_EINVAL, -XEN_ENOMEM, -XEN_EBUSY) from <xen/errno.h>.
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include "env.h"
#include <paravane/sched_sedf.h>

typedef int64_t sched_time_t; /* nanoseconds */

#define SCHED_SLICE_FOREVER INT64_MAX

struct sched;
struct sched_dom;
struct sched_vcpu;

/* pCPU sets (hard affinity) are bitmaps: bit n = pCPU n. */
typedef uint64_t sched_cpumask_t;
#define SCHED_MAX_CPUS 64

struct sched_config {
    unsigned int sched_id;     /* XEN_SCHEDULER_CREDIT or XEN_SCHEDULER_SEDF */
    unsigned int nr_cpus;      /* pCPUs 0 .. nr_cpus-1, 1 .. SCHED_MAX_CPUS */
    void *env_ctx;             /* passed back to sched_env_tickle() */
    unsigned int tslice_ms;    /* Credit time slice, 1..1000; 0 = 30 */
    unsigned int ratelimit_us; /* Credit: min run before preemption; 0 = off */
    bool credit_no_boost;      /* Credit: disable BOOST (experiments only) */
};

/* What sched_schedule() decided for one pCPU. */
struct sched_decision {
    struct sched_vcpu *next; /* NULL: run the idle loop */
    sched_time_t slice;      /* call sched_schedule() again after this; > 0 */
};

/* Per-vCPU counters the scheduler keeps (for dumps and experiments). */
struct sched_vcpu_stats {
    uint64_t deadline_misses; /* SEDF: periods that ended with slice unserved */
    uint64_t boosts;          /* Credit: wake-ups raised to BOOST */
    uint64_t parks;           /* Credit: times parked by the cap */
    uint64_t steals;          /* Credit: times taken by another pCPU */
};

/* Instance. -XEN_EINVAL for an unknown id or bad config, -XEN_ENOMEM. */
int sched_create(const struct sched_config *cfg, struct sched **out);
void sched_destroy(struct sched *s); /* all domains destroyed first */
/* Parse a sched= boot option value ("credit", "sedf"): id, or -XEN_EINVAL. */
int sched_id_from_name(const char *name);
unsigned int sched_id(const struct sched *s); /* XEN_SYSCTL_sched_id */
const char *sched_name(const struct sched *s);
unsigned int sched_nr_cpus(const struct sched *s);

/* Domains: default parameters (Credit weight 256 cap 0; SEDF best-effort). */
int sched_dom_create(struct sched *s, uint16_t domid, struct sched_dom **out);
/* -XEN_EBUSY while the domain still has vCPUs. */
int sched_dom_destroy(struct sched *s, struct sched_dom *d);

/*
 * XEN_DOMCTL_scheduler_op for one domain: putinfo validates then applies,
 * getinfo fills the parameters in. -XEN_EINVAL if op->sched_id is not this
 * instance's, for the per-vCPU commands, or for parameters out of range.
 */
int sched_adjust(struct sched *s, struct sched_dom *d, struct paravane_domctl_scheduler_op *op,
                 sched_time_t now);

/* vCPUs. Created asleep on pCPU `cpu`; sched_wake() makes them runnable. */
int sched_vcpu_create(struct sched *s, struct sched_dom *d, unsigned int vcpu_id, unsigned int cpu,
                      void *owner, sched_time_t now, struct sched_vcpu **out);
/* -XEN_EBUSY unless asleep and not current on any pCPU. */
int sched_vcpu_destroy(struct sched *s, struct sched_vcpu *v);
void *sched_vcpu_owner(const struct sched_vcpu *v);
unsigned int sched_vcpu_cpu(const struct sched_vcpu *v); /* pCPU it belongs to now */
void sched_vcpu_get_stats(struct sched *s, const struct sched_vcpu *v,
                          struct sched_vcpu_stats *out);

/*
 * The vCPU stops being runnable (blocked, paused, descheduled for good).
 * If it is current on a pCPU, that pCPU is tickled; it keeps running until
 * that pCPU calls sched_schedule(). Idempotent.
 */
void sched_sleep(struct sched *s, struct sched_vcpu *v, sched_time_t now);
/* The vCPU becomes runnable; may tickle a pCPU to run it. Idempotent. */
void sched_wake(struct sched *s, struct sched_vcpu *v, sched_time_t now);
/*
 * SCHEDOP_yield from the vCPU current on its pCPU: a hint to let others of
 * its priority run first. The caller then calls sched_schedule() on it.
 */
void sched_vcpu_yield(struct sched *s, struct sched_vcpu *v);

/*
 * Pick what pCPU `cpu` runs next, charging the vCPU that was current for
 * the time it ran. Called on `cpu` itself: when its timer fires, when it was
 * tickled, and after the current vCPU blocked or yielded. The returned vCPU
 * (if any) is current on `cpu` until the next call; it may be the same one.
 */
struct sched_decision sched_schedule(struct sched *s, unsigned int cpu, sched_time_t now);

/*
 * Hard affinity (XEN_DOMCTL_setvcpuaffinity): the pCPUs a vCPU may run on.
 * New vCPUs may run anywhere. No policy places, wakes or steals a vCPU onto
 * a pCPU outside its mask. Setting a mask that excludes the vCPU's pCPU
 * moves it to the first allowed one: at once if it is not current, else as
 * soon as its pCPU deschedules it (the caller tickles nothing; this does).
 * The move is a sleep and a wake-up, as Xen's: Credit may BOOST the moved
 * vCPU, SEDF treats it as a short block (the rest of its period is given
 * up). Bits beyond the instance's pCPUs are ignored; -XEN_EINVAL if none
 * is left.
 */
int sched_set_affinity(struct sched *s, struct sched_vcpu *v, sched_cpumask_t mask,
                       sched_time_t now);
sched_cpumask_t sched_get_affinity(struct sched *s, const struct sched_vcpu *v);

/*
 * Move a vCPU to pCPU `cpu` within its affinity (a one-off placement, e.g.
 * by a test). A vCPU that is current somewhere is moved when it is next
 * descheduled. -XEN_EINVAL for a bad cpu or one outside the affinity.
 */
int sched_migrate(struct sched *s, struct sched_vcpu *v, unsigned int cpu, sched_time_t now);

/* Print the instance state through sched_env_log() (debug key). */
void sched_dump(struct sched *s, sched_time_t now);

#endif /* SCHED_SCHED_H */
