/*
 * sched/credit.c - the Credit scheduler: weighted fair share with caps,
 * following Xen's credit scheduler (credit1) in behaviour.
 *
 * Model. Every vCPU holds credit, kept here as nanoseconds of CPU time
 * (Xen's credit unit is 100 us: 10 credits per ms). A running vCPU burns
 * credit for exactly the time it ran (timestamp accounting, so a guest that
 * yields just before each tick cannot run for free). Every accounting
 * period (one time slice, 30 ms by default) the period's CPU time, times
 * the number of pCPUs, is handed out to the *active* domains in proportion
 * to weight x active vCPUs, each domain limited to what its active vCPUs
 * could burn (and to its cap); any surplus goes to the others. A vCPU with
 * credit >= 0 is UNDER, below 0 OVER. A vCPU becomes active when a tick
 * finds it running and inactive (credit halved) when it has banked more
 * than one slice, so idle vCPUs stop earning.
 *
 * Priorities, best first: BOOST, UNDER, OVER. A vCPU woken while UNDER is
 * raised to BOOST so it preempts CPU hogs; the next tick that finds it
 * running drops it to UNDER. Each pCPU keeps one FIFO per priority, so
 * queueing and picking are O(1); after accounting changes priorities each
 * pCPU re-files its queue once (lazily, on its next decision). A pCPU whose
 * best local work is OVER (or none) steals the best strictly-better vCPU
 * from a peer; a woken vCPU is placed on an idle pCPU when there is one.
 *
 * Caps (non-work-conserving): a capped domain earns at most cap% of one
 * pCPU per period; a vCPU whose credit falls below -(its share of that)
 * is parked (not runnable) until accounting brings it back to >= 0. The
 * check runs at accounting, at ticks and (unlike Xen) whenever a capped
 * vCPU is charged, so short-burst vCPUs that ticks never catch are held too.
 * Unlike uncapped vCPUs, a capped vCPU's debt is never clamped, so over a
 * long run it cannot exceed its cap.
 *
 * Time is charged and periodic work is done inside csched_schedule(): the
 * slice it returns never extends past the pCPU's next tick or the next
 * accounting instant, so the environment's one timer drives both.
 *
 * Locking: all state here is under the instance lock (core.c).
 * Invariants: a vCPU is on a run queue <=> awake, not running, not parked;
 * pc->nr_queued counts the vCPUs on pCPU pc's queues; a domain is on the
 * active list <=> nr_active > 0.
 */
#include "private.h"

#include <xen/errno.h>

#define CSCHED_DEFAULT_WEIGHT   256
#define CSCHED_TICKS_PER_TSLICE 3
#define CSCHED_CAP_UNCHANGED    0xffffu /* putinfo: leave cap as it is */

/* Queue indices, best first; IDLE only for comparisons. */
enum { CSCHED_PRI_BOOST, CSCHED_PRI_UNDER, CSCHED_PRI_OVER, CSCHED_NR_PRI, CSCHED_PRI_IDLE = 3 };

struct csched_pcpu {
    struct sched_link runq[CSCHED_NR_PRI];
    unsigned int nr_queued;
    unsigned int sort_epoch; /* accounting epoch the queue was filed in */
    sched_time_t next_tick;
    sched_time_t slice_end; /* end of the current vCPU's time slice */
    sched_time_t run_start; /* when the current vCPU was dispatched */
};

struct csched_priv {
    struct csched_pcpu *pcpu;      /* [nr_cpus] */
    struct sched_link active_doms; /* csched_dom.active_node */
    sched_time_t tslice;           /* also the accounting period */
    sched_time_t tick;
    sched_time_t ratelimit;
    sched_time_t next_acct;
    unsigned int epoch;
    bool boost;
};

struct csched_dom {
    struct sched_dom d;
    struct sched_link active_node;
    struct sched_link active_vcpus; /* csched_vcpu.active_node */
    unsigned int nr_active;
    uint16_t weight;
    uint16_t cap; /* % of one pCPU, 0 = none */
    sched_time_t grant;
};

struct csched_vcpu {
    struct sched_vcpu v;
    struct sched_link runq_node;
    struct sched_link active_node;
    sched_time_t credit;
    sched_time_t last_burn;
    unsigned int pri;
    bool parked;
    bool yielded;
};

#define PRIV(s)  ((struct csched_priv *)(s)->priv)
#define CDOM(p)  container_of(p, struct csched_dom, d)
#define CVCPU(p) container_of(p, struct csched_vcpu, v)

static struct csched_dom *cv_dom(const struct csched_vcpu *cv)
{
    return CDOM(cv->v.dom);
}

/* ---- Run queues -------------------------------------------------------- */

static bool runq_on(const struct csched_vcpu *cv)
{
    return link_linked(&cv->runq_node);
}

static void runq_insert(struct csched_priv *prv, struct csched_vcpu *cv)
{
    struct csched_pcpu *pc = &prv->pcpu[cv->v.cpu];

    ASSERT(!runq_on(cv) && sched_vcpu_queueable(&cv->v) && !cv->parked);
    link_add_tail(&cv->runq_node, &pc->runq[cv->pri]);
    pc->nr_queued++;
}

static void runq_remove(struct csched_priv *prv, struct csched_vcpu *cv)
{
    ASSERT(runq_on(cv));
    link_del(&cv->runq_node);
    prv->pcpu[cv->v.cpu].nr_queued--;
}

/* Re-file a queue after accounting changed priorities; keeps FIFO order. */
static void runq_sort(struct csched_priv *prv, struct csched_pcpu *pc)
{
    struct sched_link old[CSCHED_NR_PRI], *l, *tmp;

    if (pc->sort_epoch == prv->epoch)
        return;
    pc->sort_epoch = prv->epoch;
    for (int p = 0; p < CSCHED_NR_PRI; p++) {
        link_init(&old[p]);
        if (!link_empty(&pc->runq[p])) {
            /* Splice the whole list onto old[p]. */
            old[p].next = pc->runq[p].next;
            old[p].prev = pc->runq[p].prev;
            old[p].next->prev = &old[p];
            old[p].prev->next = &old[p];
            link_init(&pc->runq[p]);
        }
    }
    for (int p = 0; p < CSCHED_NR_PRI; p++) {
        link_for_each_safe(l, tmp, &old[p])
        {
            struct csched_vcpu *cv = container_of(l, struct csched_vcpu, runq_node);

            link_del(l);
            link_add_tail(l, &pc->runq[cv->pri]);
        }
    }
}

static unsigned int runq_best_pri(const struct csched_pcpu *pc)
{
    for (unsigned int p = 0; p < CSCHED_NR_PRI; p++)
        if (!link_empty(&pc->runq[p]))
            return p;
    return CSCHED_PRI_IDLE;
}

static struct csched_vcpu *runq_head(const struct csched_pcpu *pc, unsigned int pri)
{
    return container_of(pc->runq[pri].next, struct csched_vcpu, runq_node);
}

static bool cpu_is_idle(const struct sched *s, unsigned int cpu)
{
    return !sched_curr(s, cpu) && PRIV(s)->pcpu[cpu].nr_queued == 0;
}

/* An idle pCPU in v's affinity other than `except`, scanning from except+1; -1 if none. */
static int find_idle_cpu(const struct sched *s, const struct sched_vcpu *v, unsigned int except)
{
    for (unsigned int i = 1; i < s->nr_cpus; i++) {
        unsigned int c = (except + i) % s->nr_cpus;

        if ((!v || sched_vcpu_allowed(v, c)) && cpu_is_idle(s, c))
            return (int)c;
    }
    return -1;
}

/* After queueing cv on its pCPU: make someone run it soon if they should. */
static void tickle_for(struct sched *s, struct csched_vcpu *cv)
{
    struct sched_vcpu *curr = sched_curr(s, cv->v.cpu);

    if (!curr || cv->pri < CVCPU(curr)->pri)
        sched_tickle(s, cv->v.cpu);
}

/* ---- Credit ------------------------------------------------------------ */

static void burn(struct csched_vcpu *cv, sched_time_t now)
{
    if (now > cv->last_burn) {
        cv->credit -= now - cv->last_burn;
        cv->last_burn = now;
    }
}

static void acct_start(struct csched_priv *prv, struct csched_vcpu *cv)
{
    struct csched_dom *cd = cv_dom(cv);

    ASSERT(!link_linked(&cv->active_node));
    link_add_tail(&cv->active_node, &cd->active_vcpus);
    if (cd->nr_active++ == 0)
        link_add_tail(&cd->active_node, &prv->active_doms);
}

static void acct_stop(struct csched_vcpu *cv)
{
    struct csched_dom *cd = cv_dom(cv);

    ASSERT(link_linked(&cv->active_node) && cd->nr_active > 0);
    link_del(&cv->active_node);
    if (--cd->nr_active == 0)
        link_del(&cd->active_node);
}

/* The cap's credit floor for one vCPU of the domain (ns, positive). */
static sched_time_t cap_floor(const struct csched_priv *prv, const struct csched_dom *cd)
{
    unsigned int n = cd->nr_active ? cd->nr_active : 1;
    sched_time_t dom_cap = (prv->tslice * cd->cap + 99) / 100;

    return (dom_cap + n - 1) / n;
}

static void park(struct sched *s, struct csched_vcpu *cv)
{
    if (cv->parked)
        return;
    cv->parked = true;
    cv->v.stats.parks++;
    if (runq_on(cv))
        runq_remove(PRIV(s), cv);
    else if (cv->v.running)
        sched_tickle(s, cv->v.cpu);
}

static void unpark(struct sched *s, struct csched_vcpu *cv)
{
    if (!cv->parked)
        return;
    cv->parked = false;
    if (sched_vcpu_queueable(&cv->v)) {
        runq_insert(PRIV(s), cv);
        tickle_for(s, cv);
    }
}

/*
 * Hand out one period's credit. Water-filling: a domain whose fair share
 * exceeds what it can use (peak) gets its peak, and the rest is shared
 * again among the others by weight, until no domain is over its peak.
 */
static void csched_acct(struct sched *s, sched_time_t now)
{
    struct csched_priv *prv = PRIV(s);
    struct sched_link *l, *tmp, *vl, *vtmp;
    sched_time_t total = prv->tslice * (sched_time_t)s->nr_cpus;
    uint64_t weight_total = 0;
    bool changed;

    ASSERT(sched_env_lock_held(&s->lock));
    /* Charge what is running now, so every vCPU is judged on the same instant. */
    for (unsigned int c = 0; c < s->nr_cpus; c++)
        if (sched_curr(s, c))
            burn(CVCPU(sched_curr(s, c)), now);

    link_for_each(l, &prv->active_doms)
    {
        struct csched_dom *cd = container_of(l, struct csched_dom, active_node);

        weight_total += (uint64_t)cd->weight * cd->nr_active;
        cd->grant = -1;
    }
    if (weight_total == 0)
        return;

    do {
        changed = false;
        link_for_each(l, &prv->active_doms)
        {
            struct csched_dom *cd = container_of(l, struct csched_dom, active_node);
            uint64_t w = (uint64_t)cd->weight * cd->nr_active;
            sched_time_t peak = prv->tslice * cd->nr_active;
            sched_time_t fair;

            if (cd->grant >= 0 || weight_total == 0)
                continue;
            if (cd->cap && peak > (prv->tslice * cd->cap + 99) / 100)
                peak = (prv->tslice * cd->cap + 99) / 100;
            fair = (sched_time_t)(((uint64_t)total * w + weight_total - 1) / weight_total);
            if (fair >= peak) {
                cd->grant = peak;
                total -= peak;
                weight_total -= w;
                changed = true;
            }
        }
    } while (changed && weight_total > 0);

    link_for_each_safe(l, tmp, &prv->active_doms)
    {
        struct csched_dom *cd = container_of(l, struct csched_dom, active_node);
        sched_time_t share;

        if (cd->grant < 0)
            cd->grant =
                (sched_time_t)(((uint64_t)total * cd->weight * cd->nr_active + weight_total - 1) /
                               weight_total);
        share = (cd->grant + cd->nr_active - 1) / cd->nr_active;

        link_for_each_safe(vl, vtmp, &cd->active_vcpus)
        {
            struct csched_vcpu *cv = container_of(vl, struct csched_vcpu, active_node);

            cv->credit += share;
            if (cv->credit < 0) {
                cv->pri = CSCHED_PRI_OVER;
                if (cd->cap && cv->credit < -cap_floor(prv, cd))
                    park(s, cv);
                if (!cd->cap && cv->credit < -prv->tslice)
                    cv->credit = -prv->tslice;
            } else {
                cv->pri = CSCHED_PRI_UNDER;
                unpark(s, cv);
                if (cv->credit > prv->tslice) {
                    /* Banked a whole slice: stop earning, keep half as a head start. */
                    acct_stop(cv);
                    cv->credit /= 2;
                }
            }
        }
    }
    prv->epoch++;
}

/* A tick found cv running on its pCPU. */
static void csched_tick(struct sched *s, struct csched_vcpu *cv)
{
    struct csched_priv *prv = PRIV(s);
    struct csched_dom *cd = cv_dom(cv);

    if (cv->pri == CSCHED_PRI_BOOST)
        cv->pri = CSCHED_PRI_UNDER;
    if (!link_linked(&cv->active_node))
        acct_start(prv, cv);
    if (cd->cap && cv->credit < -cap_floor(prv, cd))
        park(s, cv);
}

/* ---- Decisions --------------------------------------------------------- */

/* The first vCPU of queue `pri` that may run on `cpu`, or NULL. */
static struct csched_vcpu *runq_first_for(const struct csched_pcpu *pc, unsigned int pri,
                                          unsigned int cpu)
{
    struct sched_link *l;

    link_for_each(l, &pc->runq[pri])
    {
        struct csched_vcpu *cv = container_of(l, struct csched_vcpu, runq_node);

        if (sched_vcpu_allowed(&cv->v, cpu))
            return cv;
    }
    return NULL;
}

/* Take the best queued vCPU strictly better than `pri`, allowed on `cpu`, from a peer. */
static struct csched_vcpu *steal(struct sched *s, unsigned int cpu, unsigned int pri)
{
    struct csched_priv *prv = PRIV(s);

    for (unsigned int i = 1; i < s->nr_cpus; i++) {
        unsigned int peer = (cpu + i) % s->nr_cpus;
        struct csched_pcpu *pp = &prv->pcpu[peer];
        struct csched_vcpu *cv = NULL;

        if (pp->nr_queued == 0)
            continue;
        runq_sort(prv, pp);
        for (unsigned int p = 0; p < pri && !cv; p++)
            cv = runq_first_for(pp, p, cpu);
        if (!cv)
            continue;
        runq_remove(prv, cv);
        cv->v.cpu = cv->v.migrate_to = cpu;
        cv->v.stats.steals++;
        runq_insert(prv, cv);
        return cv;
    }
    return NULL;
}

static sched_time_t min_time(sched_time_t a, sched_time_t b)
{
    return a < b ? a : b;
}

static struct sched_decision csched_schedule(struct sched *s, unsigned int cpu,
                                             struct sched_vcpu *prev, sched_time_t now)
{
    struct csched_priv *prv = PRIV(s);
    struct csched_pcpu *pc = &prv->pcpu[cpu];
    struct csched_vcpu *cprev = prev ? CVCPU(prev) : NULL;
    struct csched_vcpu *next = NULL;
    struct sched_decision dec;
    sched_time_t until;
    unsigned int best;

    ASSERT(sched_env_lock_held(&s->lock));
    if (cprev) {
        burn(cprev, now);
        /*
         * A capped vCPU is held to its cap at every charge, not only when a
         * tick happens to catch it: a vCPU that runs in short bursts (I/O)
         * would otherwise escape both the tick and the cap. It must be
         * active to earn its credit back while parked.
         */
        if (cv_dom(cprev)->cap) {
            if (!link_linked(&cprev->active_node))
                acct_start(prv, cprev);
            if (cprev->credit < -cap_floor(prv, cv_dom(cprev)))
                park(s, cprev);
        }
    }
    if (now >= prv->next_acct) {
        csched_acct(s, now);
        prv->next_acct += prv->tslice;
        if (prv->next_acct <= now)
            prv->next_acct = now + prv->tslice;
    }
    if (now >= pc->next_tick) {
        if (cprev)
            csched_tick(s, cprev);
        /* Ticks fall on multiples of the tick period, as Xen aligns them. */
        pc->next_tick = (now / prv->tick + 1) * prv->tick;
    }
    runq_sort(prv, pc);
    best = runq_best_pri(pc);

    if (cprev && prev->awake && !cprev->parked) {
        bool in_slice = now < pc->slice_end && best >= cprev->pri;
        bool limited = prv->ratelimit && now - pc->run_start < prv->ratelimit;

        if (!cprev->yielded && (in_slice || limited)) {
            next = cprev;
            until = in_slice ? pc->slice_end : pc->run_start + prv->ratelimit;
            goto out;
        }
        runq_insert(prv, cprev);
        best = runq_best_pri(pc);
    }

    if (best != CSCHED_PRI_IDLE) {
        next = runq_head(pc, best);
        /* A yielding vCPU lets one lower-priority vCPU go first, as in Xen. */
        if (next == cprev && cprev->yielded) {
            for (unsigned int p = best + 1; p < CSCHED_NR_PRI; p++) {
                if (!link_empty(&pc->runq[p])) {
                    next = runq_head(pc, p);
                    break;
                }
            }
        }
    }
    if (cprev)
        cprev->yielded = false;
    if (!next || next->pri == CSCHED_PRI_OVER) {
        struct csched_vcpu *stolen = steal(s, cpu, next ? next->pri : CSCHED_PRI_IDLE);

        if (stolen)
            next = stolen;
    }
    if (next) {
        runq_remove(prv, next);
        next->last_burn = now;
        pc->run_start = now;
        pc->slice_end = now + prv->tslice;
    }
    until = pc->slice_end;
    /* Work left queued here while a peer idles: let the peer steal it. */
    if (pc->nr_queued) {
        int idle = find_idle_cpu(s, NULL, cpu);

        if (idle >= 0)
            sched_tickle(s, (unsigned int)idle);
    }

out:
    dec.next = next ? &next->v : NULL;
    if (!next) {
        /*
         * pCPU 0 is the accounting master: idle, it still wakes for each
         * accounting period while any domain is active, so parked vCPUs get
         * their credit back even when nothing else runs.
         */
        dec.slice =
            cpu == 0 && !link_empty(&prv->active_doms) ? prv->next_acct - now : SCHED_SLICE_FOREVER;
        return dec;
    }
    until = min_time(until, pc->next_tick);
    until = min_time(until, prv->next_acct);
    dec.slice = until - now;
    return dec;
}

/* ---- Events ------------------------------------------------------------ */

static void csched_wake(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    struct csched_priv *prv = PRIV(s);
    struct csched_vcpu *cv = CVCPU(v);

    ASSERT(sched_env_lock_held(&s->lock));
    (void)now;
    if (v->running || cv->parked)
        return; /* still current (it will be continued) or held by its cap */
    /* BOOST only while UNDER; a vCPU that slept boosted (no tick caught it) keeps it. */
    if (prv->boost && cv->pri == CSCHED_PRI_UNDER)
        cv->pri = CSCHED_PRI_BOOST;
    if (cv->pri == CSCHED_PRI_BOOST)
        v->stats.boosts++;
    if (!cpu_is_idle(s, v->cpu)) {
        int idle = find_idle_cpu(s, v, v->cpu);

        if (idle >= 0)
            v->cpu = v->migrate_to = (unsigned int)idle;
    }
    runq_insert(prv, cv);
    tickle_for(s, cv);
}

static void csched_sleep(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    struct csched_vcpu *cv = CVCPU(v);

    ASSERT(sched_env_lock_held(&s->lock));
    (void)now;
    if (runq_on(cv))
        runq_remove(PRIV(s), cv);
    else if (v->running)
        sched_tickle(s, v->cpu);
}

static void csched_yield(struct sched *s, struct sched_vcpu *v)
{
    (void)s;
    CVCPU(v)->yielded = true;
}

static void csched_migrate(struct sched *s, struct sched_vcpu *v, unsigned int cpu,
                           sched_time_t now)
{
    struct csched_vcpu *cv = CVCPU(v);
    bool queued = runq_on(cv);

    ASSERT(sched_env_lock_held(&s->lock));
    (void)now;
    ASSERT(!v->running);
    if (queued)
        runq_remove(PRIV(s), cv);
    v->cpu = cpu;
    if (queued) {
        runq_insert(PRIV(s), cv);
        tickle_for(s, cv);
    }
}

/* ---- Objects and parameters -------------------------------------------- */

static int csched_init(struct sched *s)
{
    struct csched_priv *prv = sched_env_zalloc(sizeof(*prv));

    if (!prv)
        return -XEN_ENOMEM;
    prv->pcpu = sched_env_zalloc(sizeof(*prv->pcpu) * s->nr_cpus);
    if (!prv->pcpu) {
        sched_env_free(prv);
        return -XEN_ENOMEM;
    }
    for (unsigned int c = 0; c < s->nr_cpus; c++)
        for (int p = 0; p < CSCHED_NR_PRI; p++)
            link_init(&prv->pcpu[c].runq[p]);
    link_init(&prv->active_doms);
    prv->tslice = SCHED_MS(s->cfg.tslice_ms);
    prv->tick = prv->tslice / CSCHED_TICKS_PER_TSLICE;
    prv->ratelimit = SCHED_US(s->cfg.ratelimit_us);
    prv->boost = !s->cfg.credit_no_boost;
    s->priv = prv;
    return 0;
}

static void csched_deinit(struct sched *s)
{
    struct csched_priv *prv = PRIV(s);

    sched_env_free(prv->pcpu);
    sched_env_free(prv);
}

static void csched_dom_init(struct sched *s, struct sched_dom *d)
{
    struct csched_dom *cd = CDOM(d);

    (void)s;
    link_init(&cd->active_node);
    link_init(&cd->active_vcpus);
    cd->weight = CSCHED_DEFAULT_WEIGHT;
}

static void csched_dom_insert(struct sched *s, struct sched_dom *d)
{
    (void)s;
    (void)d;
}

static void csched_dom_remove(struct sched *s, struct sched_dom *d)
{
    (void)s;
    ASSERT(CDOM(d)->nr_active == 0);
}

static void csched_vcpu_insert(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    struct csched_vcpu *cv = CVCPU(v);

    (void)s;
    link_init(&cv->runq_node);
    link_init(&cv->active_node);
    cv->pri = CSCHED_PRI_UNDER;
    cv->last_burn = now;
}

static void csched_vcpu_remove(struct sched *s, struct sched_vcpu *v)
{
    struct csched_vcpu *cv = CVCPU(v);

    (void)s;
    ASSERT(!runq_on(cv));
    if (link_linked(&cv->active_node))
        acct_stop(cv);
}

static int csched_adjust_check(struct sched *s, struct sched_dom *d,
                               const struct paravane_domctl_scheduler_op *op)
{
    unsigned int max_cap = 100 * (d->nr_vcpus ? d->nr_vcpus : 1);
    uint16_t cap = op->u.credit.cap;

    (void)s;
    if (cap != CSCHED_CAP_UNCHANGED && cap > max_cap)
        return -XEN_EINVAL;
    return 0;
}

static void csched_adjust_apply(struct sched *s, struct sched_dom *d,
                                const struct paravane_domctl_scheduler_op *op, sched_time_t now)
{
    struct csched_dom *cd = CDOM(d);
    struct sched_vcpu *v;

    (void)now;
    if (op->u.credit.weight)
        cd->weight = op->u.credit.weight;
    if (op->u.credit.cap != CSCHED_CAP_UNCHANGED)
        cd->cap = op->u.credit.cap;
    if (!cd->cap)
        for_each_dom_vcpu(d, v) unpark(s, CVCPU(v));
}

static void csched_adjust_get(struct sched *s, struct sched_dom *d,
                              struct paravane_domctl_scheduler_op *op)
{
    (void)s;
    op->u.credit.weight = CDOM(d)->weight;
    op->u.credit.cap = CDOM(d)->cap;
}

static void csched_dump_vcpu(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    static const char *const pri_name[] = {"BOOST", "UNDER", "OVER"};
    struct csched_vcpu *cv = CVCPU(v);

    (void)s;
    (void)now;
    sched_env_log(SCHED_LOG_INFO, "%s credit=%lldus%s%s w=%u cap=%u\n", pri_name[cv->pri],
                  (long long)(cv->credit / 1000), link_linked(&cv->active_node) ? " active" : "",
                  cv->parked ? " parked" : "", cv_dom(cv)->weight, cv_dom(cv)->cap);
}

const struct sched_ops sched_credit_ops = {
    .name = "Credit",
    .opt_name = "credit",
    .sched_id = XEN_SCHEDULER_CREDIT,
    .init = csched_init,
    .deinit = csched_deinit,
    .dom_size = sizeof(struct csched_dom),
    .vcpu_size = sizeof(struct csched_vcpu),
    .dom_init = csched_dom_init,
    .dom_insert = csched_dom_insert,
    .dom_remove = csched_dom_remove,
    .vcpu_insert = csched_vcpu_insert,
    .vcpu_remove = csched_vcpu_remove,
    .sleep = csched_sleep,
    .wake = csched_wake,
    .yield = csched_yield,
    .schedule = csched_schedule,
    .migrate = csched_migrate,
    .adjust_check = csched_adjust_check,
    .adjust_apply = csched_adjust_apply,
    .adjust_get = csched_adjust_get,
    .dump_vcpu = csched_dump_vcpu,
};
