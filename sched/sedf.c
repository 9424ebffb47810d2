/*
 * sched/sedf.c - the SEDF scheduler (Simple Earliest Deadline First),
 * following the behaviour of Xen's sched_sedf.c (Xen 3.0 - 4.5).
 *
 * Model. A domain is guaranteed `slice` of CPU time in every `period`
 * (time-driven), or a slice derived from its weight per 100 ms period
 * (weight-driven), or nothing but extra time (extra-only). Each vCPU has a
 * current period [deadline - period, deadline) and the CPU time it has had
 * in it (cputime). Each pCPU is an independent EDF scheduler (no load
 * balancing, as in Xen) with two queues:
 *   runq   vCPUs in their current period with slice left, by deadline;
 *   waitq  vCPUs whose slice is spent (or who gave it up), by the start of
 *          their next period ("release"); extra-only vCPUs sit at the end.
 * The earliest deadline on the runq runs; a running EDF vCPU is preempted
 * only by a release (period start) or a wake-up with an earlier deadline.
 * When the runq is empty, extratime vCPUs on the waitq share the idle
 * time in 500 us quanta: first those owed time lost by blocking (the L0
 * "penalty" queue, largest loss relative to period first), then everyone by
 * weighted virtual time (L1; weight, or guaranteed utilisation if none).
 * With less than a quantum before the next release the pCPU idles.
 *
 * Deadline misses: a vCPU still runnable at its deadline with slice unserved
 * missed it; it is counted, and realigned to the next period boundary after
 * now with a fresh slice ("we miss one period" in Xen).
 *
 * Wake-up (Xen's compiled-in rules): before the current period began:
 * nothing changes; inside the period (short block): the rest of the period
 * is given up, the unserved slice becomes the L0 penalty, the vCPU waits for
 * its next period; after the deadline (long block): a new period starts now.
 * Latency hint (Paravane): on a long-block wake the first period is
 * shortened to `latency` with the slice scaled in proportion, then doubled
 * back each period, so an I/O-bound domain gets an early deadline without
 * gaining utilisation.
 *
 * Locking: all state here is under the instance lock (core.c).
 * Invariants: a vCPU is on a queue <=> awake and not running; a runq vCPU
 * has release <= now < deadline at every decision, and cputime < slice.
 */
#include "private.h"

#include <xen/errno.h>

#define SEDF_EXTRA_QUANTUM SCHED_US(500)
#define SEDF_PERIOD_MIN    ((sched_time_t)PARAVANE_SEDF_PERIOD_MIN_NS)
#define SEDF_PERIOD_MAX    ((sched_time_t)PARAVANE_SEDF_PERIOD_MAX_NS)
#define SEDF_SLICE_MIN     ((sched_time_t)PARAVANE_SEDF_SLICE_MIN_NS)
#define SEDF_WEIGHT_PERIOD ((sched_time_t)PARAVANE_SEDF_WEIGHT_PERIOD_NS)
#define SEDF_WEIGHT_SAFETY ((sched_time_t)PARAVANE_SEDF_WEIGHT_SAFETY_NS)
#define SEDF_UTIL_SCALE    1024 /* utilisation as an extra weight, per 1024 */
#define SEDF_NEVER         SCHED_SLICE_FOREVER

enum sedf_where { SEDF_OFFQ, SEDF_RUNQ, SEDF_WAITQ };
enum sedf_mode { SEDF_MODE_IDLE, SEDF_MODE_EDF, SEDF_MODE_PENALTY, SEDF_MODE_UTIL };

struct sedf_pcpu {
    struct sched_link runq;
    struct sched_link waitq;
    enum sedf_mode mode;        /* how the current vCPU is running */
    sched_time_t started;       /* when it was dispatched */
    sched_time_t slice_expires; /* when the decision runs out */
    uint64_t evclock;           /* L1 virtual time of the last extra pick */
};

struct sedf_priv {
    struct sedf_pcpu *pcpu; /* [nr_cpus] */
    uint64_t *sumw;         /* [nr_cpus] scratch for sedf_reweigh() */
    sched_time_t *sumt;     /* [nr_cpus] */
};

struct sedf_dom {
    struct sched_dom d;
    sched_time_t period, slice; /* as put, for time-driven domains */
    sched_time_t latency;       /* 0 = none */
    uint16_t weight;            /* 0 = time-driven */
    bool extratime;
    bool extra_only;
};

struct sedf_vcpu {
    struct sched_vcpu v;
    struct sched_link q;
    enum sedf_where where;
    sched_time_t base_period, base_slice; /* guarantee on this pCPU */
    sched_time_t period, slice;           /* in force this period (latency ramp) */
    sched_time_t deadline;                /* end of the current period */
    sched_time_t cputime;                 /* served in the current period */
    sched_time_t lost;                    /* L0 penalty still owed */
    uint64_t evtime;                      /* L1 virtual time */
    bool started;                         /* has had a period */
    bool gone;                            /* being removed */
};

#define PRIV(s)  ((struct sedf_priv *)(s)->priv)
#define SDOM(p)  container_of(p, struct sedf_dom, d)
#define SVCPU(p) container_of(p, struct sedf_vcpu, v)

static struct sedf_dom *sv_dom(const struct sedf_vcpu *sv)
{
    return SDOM(sv->v.dom);
}

static sched_time_t min_time(sched_time_t a, sched_time_t b)
{
    return a < b ? a : b;
}

/* Start of the period the vCPU is in (or waits for); NEVER for extra-only. */
static sched_time_t release_of(const struct sedf_vcpu *sv)
{
    return sv->slice ? sv->deadline - sv->period : SEDF_NEVER;
}

static uint64_t extra_weight(const struct sedf_vcpu *sv)
{
    const struct sedf_dom *sd = sv_dom(sv);
    uint64_t w;

    if (sd->weight)
        return sd->weight;
    w = sv->base_period ? (uint64_t)sv->base_slice * SEDF_UTIL_SCALE / sv->base_period : 0;
    return w ? w : 1;
}

/* ---- Queues ------------------------------------------------------------ */

static void q_remove(struct sedf_vcpu *sv)
{
    ASSERT(sv->where != SEDF_OFFQ);
    link_del(&sv->q);
    sv->where = SEDF_OFFQ;
}

/* Sorted insert: after every entry whose key is <= ours (FIFO among equals). */
static void q_insert_sorted(struct sched_link *head, struct sedf_vcpu *sv, bool by_deadline)
{
    sched_time_t key = by_deadline ? sv->deadline : release_of(sv);
    struct sched_link *pos;

    link_for_each(pos, head)
    {
        struct sedf_vcpu *o = container_of(pos, struct sedf_vcpu, q);
        sched_time_t okey = by_deadline ? o->deadline : release_of(o);

        if (okey > key)
            break;
    }
    link_add_before(&sv->q, pos);
}

static void next_period(struct sedf_vcpu *sv);

/* File an awake, not running vCPU by where it stands at `now`. */
static void enqueue(struct sched *s, struct sedf_vcpu *sv, sched_time_t now)
{
    struct sedf_pcpu *pc = &PRIV(s)->pcpu[sv->v.cpu];

    ASSERT(sv->where == SEDF_OFFQ && sched_vcpu_queueable(&sv->v));
    /* Served its (possibly just shrunk) slice in this period: on to the next. */
    if (sv->slice && release_of(sv) <= now && now < sv->deadline && sv->cputime >= sv->slice)
        next_period(sv);
    if (sv->slice && release_of(sv) <= now && now < sv->deadline && sv->cputime < sv->slice) {
        q_insert_sorted(&pc->runq, sv, true);
        sv->where = SEDF_RUNQ;
    } else {
        q_insert_sorted(&pc->waitq, sv, false);
        sv->where = SEDF_WAITQ;
    }
}

/* ---- Periods ----------------------------------------------------------- */

/* Move on to the next period; a latency-shortened period doubles back. */
static void next_period(struct sedf_vcpu *sv)
{
    if (sv->period < sv->base_period) {
        sv->period = sv->period * 2 < sv->base_period ? sv->period * 2 : sv->base_period;
        sv->slice = sv->base_slice * sv->period / sv->base_period;
        if (sv->slice < SEDF_SLICE_MIN)
            sv->slice = SEDF_SLICE_MIN;
    }
    sv->deadline += sv->period;
    sv->cputime = 0;
}

/* The deadline passed: count a miss if slice was owed, realign after now. */
static void deadline_passed(struct sedf_vcpu *sv, sched_time_t now)
{
    if (sv->slice && sv->cputime < sv->slice)
        sv->v.stats.deadline_misses++;
    sv->period = sv->base_period;
    sv->slice = sv->base_slice;
    if (sv->deadline <= now)
        sv->deadline += ((now - sv->deadline) / sv->period + 1) * sv->period;
    sv->cputime = 0;
}

/* Promote released vCPUs and realign overdue ones, at `now`. */
static void update_queues(struct sched *s, struct sedf_pcpu *pc, sched_time_t now)
{
    while (!link_empty(&pc->waitq)) {
        struct sedf_vcpu *sv = container_of(pc->waitq.next, struct sedf_vcpu, q);

        if (release_of(sv) > now)
            break;
        q_remove(sv);
        if (sv->deadline <= now)
            deadline_passed(sv, now);
        enqueue(s, sv, now);
    }
    while (!link_empty(&pc->runq)) {
        struct sedf_vcpu *sv = container_of(pc->runq.next, struct sedf_vcpu, q);

        if (sv->deadline > now)
            break;
        q_remove(sv);
        deadline_passed(sv, now);
        enqueue(s, sv, now);
    }
}

/* ---- Decisions --------------------------------------------------------- */

static void charge(struct sedf_pcpu *pc, struct sedf_vcpu *sv, sched_time_t ran)
{
    switch (pc->mode) {
    case SEDF_MODE_EDF:
        sv->cputime += ran;
        break;
    case SEDF_MODE_PENALTY:
        sv->lost = sv->lost > ran ? sv->lost - ran : 0;
        break;
    case SEDF_MODE_UTIL:
        sv->evtime += ((uint64_t)ran * SEDF_UTIL_SCALE) / extra_weight(sv);
        break;
    case SEDF_MODE_IDLE:
        break;
    }
}

/* Best extratime vCPU on the waitq: L0 (penalty) first, then L1. */
static struct sedf_vcpu *pick_extra(struct sedf_pcpu *pc, enum sedf_mode *mode)
{
    struct sedf_vcpu *pen = NULL, *util = NULL;
    uint64_t pen_score = 0;
    struct sched_link *pos;

    link_for_each(pos, &pc->waitq)
    {
        struct sedf_vcpu *sv = container_of(pos, struct sedf_vcpu, q);

        if (!sv_dom(sv)->extratime)
            continue;
        if (sv->lost > 0 && sv->base_period) {
            uint64_t score = ((uint64_t)sv->lost << 10) / (uint64_t)sv->base_period;

            if (!pen || score > pen_score) {
                pen = sv;
                pen_score = score;
            }
        }
        /* A vCPU coming back into extra time starts at the present, not in credit. */
        if (sv->evtime < pc->evclock)
            sv->evtime = pc->evclock;
        if (!util || sv->evtime < util->evtime)
            util = sv;
    }
    if (pen) {
        *mode = SEDF_MODE_PENALTY;
        return pen;
    }
    if (util) {
        *mode = SEDF_MODE_UTIL;
        pc->evclock = util->evtime;
    }
    return util;
}

static struct sched_decision sedf_schedule(struct sched *s, unsigned int cpu,
                                           struct sched_vcpu *prev, sched_time_t now)
{
    struct sedf_pcpu *pc = &PRIV(s)->pcpu[cpu];
    struct sedf_vcpu *next = NULL;
    enum sedf_mode mode = SEDF_MODE_IDLE;
    sched_time_t until, next_release;
    struct sched_decision dec;

    ASSERT(sched_env_lock_held(&s->lock));
    if (prev) {
        struct sedf_vcpu *sp = SVCPU(prev);

        charge(pc, sp, now - pc->started);
        if (prev->awake) {
            if (sp->slice && sp->cputime >= sp->slice && pc->mode == SEDF_MODE_EDF)
                next_period(sp);
            else if (sp->slice && sp->deadline <= now && release_of(sp) <= now)
                deadline_passed(sp, now);
            enqueue(s, sp, now);
        }
    }
    update_queues(s, pc, now);

    /*
     * A reweigh (a domain arrived, left or changed weight) may have cut the
     * slice of a queued vCPU below what it has already had this period.
     */
    while (!link_empty(&pc->runq)) {
        struct sedf_vcpu *head = container_of(pc->runq.next, struct sedf_vcpu, q);

        if (head->cputime < head->slice)
            break;
        q_remove(head);
        enqueue(s, head, now);
    }

    next_release = SEDF_NEVER;
    if (!link_empty(&pc->waitq))
        next_release = release_of(container_of(pc->waitq.next, struct sedf_vcpu, q));

    if (!link_empty(&pc->runq)) {
        next = container_of(pc->runq.next, struct sedf_vcpu, q);
        mode = SEDF_MODE_EDF;
        until = min_time(now + (next->slice - next->cputime), next->deadline);
        until = min_time(until, next_release);
    } else {
        /* Extra time only if a whole quantum fits before the next release. */
        if (next_release - now >= SEDF_EXTRA_QUANTUM)
            next = pick_extra(pc, &mode);
        until = next ? now + SEDF_EXTRA_QUANTUM : next_release;
    }

    if (next)
        q_remove(next);
    else
        mode = SEDF_MODE_IDLE;
    pc->mode = mode;
    pc->started = now;
    pc->slice_expires = until;
    dec.next = next ? &next->v : NULL;
    dec.slice = until == SEDF_NEVER ? SCHED_SLICE_FOREVER : until - now;
    ASSERT(dec.slice > 0);
    return dec;
}

/* ---- Events ------------------------------------------------------------ */

/* Should the pCPU of a just-queued vCPU decide again now? (Xen's should_switch) */
static bool should_switch(struct sched *s, struct sedf_vcpu *sv)
{
    struct sedf_pcpu *pc = &PRIV(s)->pcpu[sv->v.cpu];
    struct sched_vcpu *curr = sched_curr(s, sv->v.cpu);

    if (!curr || pc->mode == SEDF_MODE_IDLE)
        return true;
    if (sv->where == SEDF_RUNQ)
        return pc->mode != SEDF_MODE_EDF || sv->deadline < SVCPU(curr)->deadline;
    if (release_of(sv) < pc->slice_expires)
        return true;
    return pc->mode == SEDF_MODE_UTIL && sv->lost > 0 && sv_dom(sv)->extratime;
}

static void sedf_wake(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    struct sedf_vcpu *sv = SVCPU(v);
    struct sedf_dom *sd = sv_dom(sv);
    struct sedf_pcpu *pc = &PRIV(s)->pcpu[v->cpu];

    ASSERT(sched_env_lock_held(&s->lock));
    if (v->running)
        return; /* blocked and woke before its pCPU rescheduled: it carries on */
    if (!sv->slice) {
        /* Extra-only: no period to keep. */
    } else if (sv->started && now < release_of(sv)) {
        /* Woke while waiting for its next period: nothing changes. */
    } else if (sv->started && now < sv->deadline) {
        /* Short block: give up the rest of the period, owed as L0 penalty. */
        sv->lost = sd->extratime && sv->cputime < sv->slice ? sv->slice - sv->cputime : 0;
        next_period(sv);
    } else {
        /* Long block (or first wake): a new period starts now. */
        sv->period = sv->base_period;
        sv->slice = sv->base_slice;
        if (sd->latency && sd->latency < sv->base_period) {
            sv->period = sd->latency;
            sv->slice = sv->base_slice * sd->latency / sv->base_period;
            if (sv->slice < SEDF_SLICE_MIN)
                sv->slice = SEDF_SLICE_MIN;
        }
        sv->deadline = now + sv->period;
        sv->cputime = 0;
        sv->started = true;
    }
    if (sv->evtime < pc->evclock)
        sv->evtime = pc->evclock;
    enqueue(s, sv, now);
    if (should_switch(s, sv))
        sched_tickle(s, v->cpu);
}

static void sedf_sleep(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    struct sedf_vcpu *sv = SVCPU(v);

    ASSERT(sched_env_lock_held(&s->lock));
    (void)now;
    if (sv->where != SEDF_OFFQ)
        q_remove(sv);
    else if (v->running)
        sched_tickle(s, v->cpu);
}

static void sedf_yield(struct sched *s, struct sched_vcpu *v)
{
    /* SEDF has no yield semantics beyond rescheduling: EDF order decides. */
    (void)s;
    (void)v;
}

/* ---- Weights ----------------------------------------------------------- */

/*
 * Recompute every vCPU's guarantee. Weight-driven vCPUs on a pCPU share
 * 100 ms - 5 ms - (the time-driven load there, projected onto 100 ms) in
 * proportion to weight, as in Xen's sedf_adjust_weights().
 */
static void sedf_reweigh(struct sched *s)
{
    struct sedf_priv *prv = PRIV(s);
    struct sched_dom *d;
    struct sched_vcpu *v;

    ASSERT(sched_env_lock_held(&s->lock));
    for (unsigned int c = 0; c < s->nr_cpus; c++) {
        prv->sumw[c] = 0;
        prv->sumt[c] = 0;
    }
    for_each_dom(s, d)
    {
        struct sedf_dom *sd = SDOM(d);

        for_each_dom_vcpu(d, v)
        {
            if (SVCPU(v)->gone || sd->extra_only)
                continue;
            if (sd->weight)
                prv->sumw[v->cpu] += sd->weight;
            else
                prv->sumt[v->cpu] += SEDF_WEIGHT_PERIOD * sd->slice / sd->period;
        }
    }
    for_each_dom(s, d)
    {
        struct sedf_dom *sd = SDOM(d);

        for_each_dom_vcpu(d, v)
        {
            struct sedf_vcpu *sv = SVCPU(v);
            sched_time_t period, slice;

            if (sv->gone)
                continue;
            if (sd->extra_only) {
                period = SEDF_WEIGHT_PERIOD;
                slice = 0;
            } else if (sd->weight) {
                sched_time_t avail = SEDF_WEIGHT_PERIOD - SEDF_WEIGHT_SAFETY - prv->sumt[v->cpu];

                period = SEDF_WEIGHT_PERIOD;
                /* sumw[cpu] >= weight > 0: this vCPU was counted above. */
                slice = avail > 0 ? avail * sd->weight / (sched_time_t)prv->sumw[v->cpu] : 0;
                if (slice < SEDF_SLICE_MIN)
                    slice = SEDF_SLICE_MIN;
            } else {
                period = sd->period;
                slice = sd->slice;
            }
            /* Unchanged guarantee: keep what is in force (e.g. a latency-shortened period). */
            if (period == sv->base_period && slice == sv->base_slice)
                continue;
            sv->base_period = sv->period = period;
            sv->base_slice = sv->slice = slice;
            /* A running vCPU's timer was armed for the old slice: decide again. */
            if (v->running)
                sched_tickle(s, v->cpu);
        }
    }
}

/* Restart a vCPU's period at `now` after its parameters changed. */
static void restart_period(struct sched *s, struct sedf_vcpu *sv, sched_time_t now)
{
    bool queued = sv->where != SEDF_OFFQ;

    if (queued)
        q_remove(sv);
    if (sv->started) {
        sv->deadline = now + sv->period;
        sv->cputime = 0;
    }
    if (queued) {
        enqueue(s, sv, now);
        if (should_switch(s, sv))
            sched_tickle(s, sv->v.cpu);
    }
}

static void sedf_migrate(struct sched *s, struct sched_vcpu *v, unsigned int cpu, sched_time_t now)
{
    struct sedf_vcpu *sv = SVCPU(v);
    bool queued = sv->where != SEDF_OFFQ;

    ASSERT(sched_env_lock_held(&s->lock));
    ASSERT(!v->running);
    if (queued)
        q_remove(sv);
    v->cpu = cpu;
    sedf_reweigh(s);
    if (queued) {
        enqueue(s, sv, now);
        if (should_switch(s, sv))
            sched_tickle(s, cpu);
    }
}

/* ---- Objects and parameters -------------------------------------------- */

static int sedf_init(struct sched *s)
{
    struct sedf_priv *prv = sched_env_zalloc(sizeof(*prv));

    if (!prv)
        return -XEN_ENOMEM;
    prv->pcpu = sched_env_zalloc(sizeof(*prv->pcpu) * s->nr_cpus);
    prv->sumw = sched_env_zalloc(sizeof(*prv->sumw) * s->nr_cpus);
    prv->sumt = sched_env_zalloc(sizeof(*prv->sumt) * s->nr_cpus);
    if (!prv->pcpu || !prv->sumw || !prv->sumt) {
        sched_env_free(prv->pcpu);
        sched_env_free(prv->sumw);
        sched_env_free(prv->sumt);
        sched_env_free(prv);
        return -XEN_ENOMEM;
    }
    for (unsigned int c = 0; c < s->nr_cpus; c++) {
        link_init(&prv->pcpu[c].runq);
        link_init(&prv->pcpu[c].waitq);
    }
    s->priv = prv;
    return 0;
}

static void sedf_deinit(struct sched *s)
{
    struct sedf_priv *prv = PRIV(s);

    sched_env_free(prv->pcpu);
    sched_env_free(prv->sumw);
    sched_env_free(prv->sumt);
    sched_env_free(prv);
}

/* New domains are best-effort (Xen >= 4.2): extra time only, period 100 ms. */
static void sedf_dom_init(struct sched *s, struct sched_dom *d)
{
    struct sedf_dom *sd = SDOM(d);

    (void)s;
    sd->period = SEDF_WEIGHT_PERIOD;
    sd->slice = 0;
    sd->extratime = true;
    sd->extra_only = true;
}

static void sedf_dom_insert(struct sched *s, struct sched_dom *d)
{
    (void)s;
    (void)d;
}

static void sedf_dom_remove(struct sched *s, struct sched_dom *d)
{
    (void)s;
    (void)d;
}

static void sedf_vcpu_insert(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    struct sedf_vcpu *sv = SVCPU(v);

    (void)now;
    link_init(&sv->q);
    sv->where = SEDF_OFFQ;
    sedf_reweigh(s);
}

static void sedf_vcpu_remove(struct sched *s, struct sched_vcpu *v)
{
    struct sedf_vcpu *sv = SVCPU(v);

    ASSERT(sv->where == SEDF_OFFQ);
    sv->gone = true;
    sedf_reweigh(s);
}

static int sedf_adjust_check(struct sched *s, struct sched_dom *d,
                             const struct paravane_domctl_scheduler_op *op)
{
    const struct paravane_domctl_sched_sedf *p = &op->u.sedf;

    (void)s;
    (void)d;
    if (p->pad || (p->extratime & ~PARAVANE_SEDF_EXTRATIME))
        return -XEN_EINVAL;
    if (!p->period_ns && !p->weight)
        return -XEN_EINVAL;
    if (p->latency_ns > PARAVANE_SEDF_PERIOD_MAX_NS)
        return -XEN_EINVAL;
    if (!p->weight &&
        (p->period_ns < PARAVANE_SEDF_PERIOD_MIN_NS || p->period_ns > PARAVANE_SEDF_PERIOD_MAX_NS ||
         p->slice_ns < PARAVANE_SEDF_SLICE_MIN_NS || p->slice_ns > p->period_ns))
        return -XEN_EINVAL;
    return 0;
}

static void sedf_adjust_apply(struct sched *s, struct sched_dom *d,
                              const struct paravane_domctl_scheduler_op *op, sched_time_t now)
{
    const struct paravane_domctl_sched_sedf *p = &op->u.sedf;
    struct sedf_dom *sd = SDOM(d);
    struct sched_vcpu *v;

    sd->extratime = p->extratime & PARAVANE_SEDF_EXTRATIME;
    sd->latency = (sched_time_t)p->latency_ns;
    sd->weight = p->weight;
    sd->extra_only = p->weight && sd->extratime && !p->period_ns;
    if (!p->weight) {
        sd->period = (sched_time_t)p->period_ns;
        sd->slice = (sched_time_t)p->slice_ns;
    }
    sedf_reweigh(s);
    for_each_dom_vcpu(d, v) restart_period(s, SVCPU(v), now);
}

static void sedf_adjust_get(struct sched *s, struct sched_dom *d,
                            struct paravane_domctl_scheduler_op *op)
{
    struct paravane_domctl_sched_sedf *p = &op->u.sedf;
    struct sedf_dom *sd = SDOM(d);

    (void)s;
    p->period_ns = (uint64_t)sd->period;
    p->slice_ns = (uint64_t)sd->slice;
    if (!link_empty(&d->vcpus)) {
        struct sedf_vcpu *sv = SVCPU(container_of(d->vcpus.next, struct sched_vcpu, dom_node));

        p->period_ns = (uint64_t)sv->base_period;
        p->slice_ns = (uint64_t)sv->base_slice;
    } else if (sd->extra_only) {
        p->period_ns = (uint64_t)SEDF_WEIGHT_PERIOD;
        p->slice_ns = 0;
    }
    p->latency_ns = (uint64_t)sd->latency;
    p->extratime = sd->extratime ? PARAVANE_SEDF_EXTRATIME : 0;
    p->weight = sd->weight;
    p->pad = 0;
}

static void sedf_dump_vcpu(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    static const char *const where[] = {"-", "runq", "waitq"};
    struct sedf_vcpu *sv = SVCPU(v);

    (void)s;
    sched_env_log(SCHED_LOG_INFO,
                  "%s p=%lldus s=%lldus ddl=+%lldus used=%lldus lost=%lldus x=%d misses=%llu\n",
                  where[sv->where], (long long)(sv->period / 1000), (long long)(sv->slice / 1000),
                  (long long)((sv->deadline - now) / 1000), (long long)(sv->cputime / 1000),
                  (long long)(sv->lost / 1000), sv_dom(sv)->extratime,
                  (unsigned long long)v->stats.deadline_misses);
}

const struct sched_ops sched_sedf_ops = {
    .name = "SEDF",
    .opt_name = "sedf",
    .sched_id = XEN_SCHEDULER_SEDF,
    .init = sedf_init,
    .deinit = sedf_deinit,
    .dom_size = sizeof(struct sedf_dom),
    .vcpu_size = sizeof(struct sedf_vcpu),
    .dom_init = sedf_dom_init,
    .dom_insert = sedf_dom_insert,
    .dom_remove = sedf_dom_remove,
    .vcpu_insert = sedf_vcpu_insert,
    .vcpu_remove = sedf_vcpu_remove,
    .sleep = sedf_sleep,
    .wake = sedf_wake,
    .yield = sedf_yield,
    .schedule = sedf_schedule,
    .migrate = sedf_migrate,
    .adjust_check = sedf_adjust_check,
    .adjust_apply = sedf_adjust_apply,
    .adjust_get = sedf_adjust_get,
    .dump_vcpu = sedf_dump_vcpu,
};
