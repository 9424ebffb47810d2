/*
 * sched/sim/engine.c - the discrete-event loop that drives the real
 * scheduler through sched.h, as the hypervisor will.
 *
 * State: pCPUs (what runs, since when, when their one-shot timer fires,
 * whether they were tickled) and vCPUs (the workload's remaining CPU work,
 * when they next wake or get a request). Each step finds the earliest
 * pending event by a linear scan in a fixed order (domain start/stop,
 * arrivals and wake-ups, end of a burst or a yield point, timers), so ties
 * are broken the same way every run. After every event the tickled pCPUs
 * reschedule at the same instant, as a softirq would before returning to
 * the guest.
 *
 * Lifetime: sim_run() owns everything it allocates except the result
 * arrays, which sim_result_free() releases.
 */
#define _GNU_SOURCE
#include "sim.h"
#include "../sched.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEVER INT64_MAX

struct sim_vcpu {
    struct sched_vcpu *sv;
    unsigned int dom;
    bool alive;
    bool blocked;
    int64_t remaining;    /* CPU work before blocking, as of run_since; NEVER = hog */
    int64_t since_yield;  /* run since the last yield (cpu:yield=) */
    int64_t wake_at;      /* onoff/bursty: when blocked, next wake */
    int64_t next_arrival; /* io: next request */
    int64_t woke_at;      /* wake not yet served by a dispatch; -1 none */
    int last_cpu;
    uint64_t rng;
};

struct sim_pcpu {
    struct sim_vcpu *curr;
    int64_t slice_since; /* when curr was put on it (schedule.csv) */
    int64_t run_since;
    int64_t timer;
    bool pending;
};

struct sim {
    struct sim_env_hooks hooks; /* first: it is the env_ctx */
    const struct sim_cfg *cfg;
    struct sim_result *res;
    struct sched *s;
    struct sched_dom *dom[SIM_MAX_DOMS];
    bool dom_started[SIM_MAX_DOMS], dom_stopped[SIM_MAX_DOMS];
    struct sim_vcpu *vcpus; /* all vCPUs, by domain then index */
    unsigned int vcpu_base[SIM_MAX_DOMS];
    unsigned int nr_vcpus;
    struct sim_pcpu pcpu[SIM_MAX_CPUS];
    int64_t now;
    unsigned int rr_cpu;
    int64_t *win_ns; /* [nr_doms * nr_windows] */
    uint64_t lat_cap[SIM_MAX_DOMS];
    char err[160];
};

static void tickle_hook(struct sim_env_hooks *hooks, unsigned int cpu)
{
    struct sim *sim = (struct sim *)hooks;

    sim->pcpu[cpu].pending = true;
}

/* ---- Randomness (splitmix64; deterministic per vCPU) -------------------- */

static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int64_t rng_exp(uint64_t *state, int64_t mean)
{
    double u = ((double)(rng_next(state) >> 11) + 0.5) / 9007199254740992.0;
    int64_t x = (int64_t)(-log(u) * (double)mean);

    return x > 0 ? x : 1;
}

static int64_t rng_jitter(uint64_t *state, int64_t j)
{
    if (j <= 0)
        return 0;
    return (int64_t)(rng_next(state) % (uint64_t)(2 * j + 1)) - j;
}

/* ---- Accounting ---------------------------------------------------------- */

static void add_run(struct sim *sim, unsigned int dom, int64_t from, int64_t to)
{
    int64_t w_ns = sim->cfg->window_ns;

    sim->res->dom[dom].run_ns += to - from;
    while (from < to) {
        int64_t w = from / w_ns;
        int64_t end = (w + 1) * w_ns < to ? (w + 1) * w_ns : to;

        if ((unsigned int)w < sim->res->nr_windows)
            sim->win_ns[dom * sim->res->nr_windows + (unsigned int)w] += end - from;
        from = end;
    }
}

/* Charge what pCPU c ran since run_since, up to now. */
static void account(struct sim *sim, unsigned int c)
{
    struct sim_pcpu *pc = &sim->pcpu[c];
    int64_t ran = sim->now - pc->run_since;
    struct sim_vcpu *v = pc->curr;

    if (v) {
        add_run(sim, v->dom, pc->run_since, sim->now);
        if (v->remaining != NEVER)
            v->remaining -= ran;
        v->since_yield += ran;
    } else {
        sim->res->idle_ns += ran;
    }
    pc->run_since = sim->now;
}

static void record_latency(struct sim *sim, unsigned int dom, int64_t lat)
{
    struct sim_dom_result *dr = &sim->res->dom[dom];

    if (dr->wakeups == sim->lat_cap[dom]) {
        uint64_t cap = sim->lat_cap[dom] ? sim->lat_cap[dom] * 2 : 256;
        int64_t *p = realloc(dr->lat_ns, cap * sizeof(*p));

        if (!p)
            abort();
        dr->lat_ns = p;
        sim->lat_cap[dom] = cap;
    }
    dr->lat_ns[dr->wakeups++] = lat;
}

/* The slice pCPU c's current vCPU has had, up to now, into schedule.csv. */
static void close_slice(struct sim *sim, unsigned int c)
{
    const struct sim_vcpu *v = sim->pcpu[c].curr;

    if (v)
        gantt_csv_row(sim->cfg->slices, c, (double)sim->pcpu[c].slice_since / 1e6,
                      (double)sim->now / 1e6, sim->cfg->doms[v->dom].name,
                      (unsigned int)(v - &sim->vcpus[sim->vcpu_base[v->dom]]));
}

static void reschedule(struct sim *sim, unsigned int c)
{
    struct sim_pcpu *pc = &sim->pcpu[c];
    struct sim_vcpu *prev = pc->curr, *next;
    struct sched_decision dec;

    account(sim, c);
    pc->pending = false;
    dec = sched_schedule(sim->s, c, sim->now);
    sim->res->decisions++;
    next = dec.next ? sched_vcpu_owner(dec.next) : NULL;
    if (next && next != prev) {
        sim->res->ctx_switches++;
        sim->res->dom[next->dom].dispatches++;
        if (next->last_cpu >= 0 && next->last_cpu != (int)c) {
            sim->res->migrations++;
            sim->res->dom[next->dom].migrations++;
        }
    }
    if (next) {
        next->last_cpu = (int)c;
        if (next->woke_at >= 0) {
            record_latency(sim, next->dom, sim->now - next->woke_at);
            next->woke_at = -1;
        }
    }
    if (sim->cfg->trace && next != prev) {
        if (next)
            fprintf(sim->cfg->trace, "%.3f cpu%u %s.%u\n", (double)sim->now / 1e6, c,
                    sim->cfg->doms[next->dom].name,
                    (unsigned int)(next - &sim->vcpus[sim->vcpu_base[next->dom]]));
        else
            fprintf(sim->cfg->trace, "%.3f cpu%u idle\n", (double)sim->now / 1e6, c);
    }
    if (sim->cfg->slices && next != prev) {
        close_slice(sim, c);
        pc->slice_since = sim->now;
    }
    pc->curr = next;
    pc->timer = dec.slice == SCHED_SLICE_FOREVER ? NEVER : sim->now + dec.slice;
}

static int flush_tickles(struct sim *sim)
{
    for (unsigned int rounds = 0; rounds < 10000; rounds++) {
        bool any = false;

        for (unsigned int c = 0; c < sim->cfg->nr_cpus; c++) {
            if (sim->pcpu[c].pending) {
                reschedule(sim, c);
                any = true;
            }
        }
        if (!any)
            return 0;
    }
    snprintf(sim->err, sizeof(sim->err), "tickle storm at %lld ns", (long long)sim->now);
    return -1;
}

/* ---- Domains ------------------------------------------------------------- */

static void wake(struct sim *sim, struct sim_vcpu *v)
{
    v->blocked = false;
    v->woke_at = sim->now;
    sched_wake(sim->s, v->sv, sim->now);
}

static int put_params(struct sim *sim, unsigned int i)
{
    const struct sim_dom_cfg *dc = &sim->cfg->doms[i];
    struct paravane_domctl_scheduler_op op;
    int rc;

    memset(&op, 0, sizeof(op));
    op.sched_id = sim->cfg->sched_id;
    op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    if (sim->cfg->sched_id == XEN_SCHEDULER_CREDIT) {
        op.u.credit.weight = (uint16_t)dc->weight;
        op.u.credit.cap = (uint16_t)dc->cap;
    } else {
        if (!dc->sedf_set && !dc->weight)
            return 0; /* keep the best-effort default */
        op.u.sedf.period_ns = (uint64_t)dc->period_ns;
        op.u.sedf.slice_ns = (uint64_t)dc->slice_ns;
        op.u.sedf.latency_ns = (uint64_t)dc->latency_ns;
        op.u.sedf.extratime = dc->extratime ? PARAVANE_SEDF_EXTRATIME : 0;
        op.u.sedf.weight = (uint16_t)dc->weight;
    }
    rc = sched_adjust(sim->s, sim->dom[i], &op, sim->now);
    if (rc)
        snprintf(sim->err, sizeof(sim->err), "domain %s: parameters rejected (%d)", dc->name, rc);
    return rc;
}

static int dom_start(struct sim *sim, unsigned int i)
{
    const struct sim_dom_cfg *dc = &sim->cfg->doms[i];
    int rc;

    sim->dom_started[i] = true;
    rc = sched_dom_create(sim->s, (uint16_t)(i + 1), &sim->dom[i]);
    if (rc || put_params(sim, i))
        return -1;
    for (unsigned int k = 0; k < dc->nr_vcpus; k++) {
        struct sim_vcpu *v = &sim->vcpus[sim->vcpu_base[i] + k];
        unsigned int cpu = dc->first_cpu >= 0
                               ? ((unsigned int)dc->first_cpu + k) % sim->cfg->nr_cpus
                               : sim->rr_cpu++ % sim->cfg->nr_cpus;

        memset(v, 0, sizeof(*v));
        v->dom = i;
        v->alive = true;
        v->last_cpu = -1;
        v->woke_at = -1;
        v->wake_at = NEVER;
        v->next_arrival = NEVER;
        v->rng = sim->cfg->seed * 0x100000001b3ULL + (uint64_t)i * 1000 + k;
        rc = sched_vcpu_create(sim->s, sim->dom[i], k, cpu, v, sim->now, &v->sv);
        if (rc)
            return -1;
        switch (dc->wl.kind) {
        case SIM_WL_CPU:
            v->remaining = NEVER;
            wake(sim, v);
            break;
        case SIM_WL_IO:
            /* Stagger vCPUs' first requests so they do not all arrive at once. */
            v->blocked = true;
            v->next_arrival =
                sim->now + (int64_t)(rng_next(&v->rng) % (uint64_t)dc->wl.interval_ns);
            break;
        case SIM_WL_ONOFF:
            v->remaining = dc->wl.run_ns;
            wake(sim, v);
            break;
        case SIM_WL_BURSTY:
            v->remaining = rng_exp(&v->rng, dc->wl.run_ns);
            wake(sim, v);
            break;
        }
    }
    return flush_tickles(sim);
}

static void collect_stats(struct sim *sim, struct sim_vcpu *v)
{
    struct sched_vcpu_stats st;
    struct sim_dom_result *dr = &sim->res->dom[v->dom];

    sched_vcpu_get_stats(sim->s, v->sv, &st);
    dr->deadline_misses += st.deadline_misses;
    dr->boosts += st.boosts;
    dr->parks += st.parks;
    dr->steals += st.steals;
}

static int dom_stop(struct sim *sim, unsigned int i)
{
    const struct sim_dom_cfg *dc = &sim->cfg->doms[i];

    sim->dom_stopped[i] = true;
    for (unsigned int k = 0; k < dc->nr_vcpus; k++) {
        struct sim_vcpu *v = &sim->vcpus[sim->vcpu_base[i] + k];

        sched_sleep(sim->s, v->sv, sim->now);
        v->blocked = true;
    }
    if (flush_tickles(sim))
        return -1;
    for (unsigned int k = 0; k < dc->nr_vcpus; k++) {
        struct sim_vcpu *v = &sim->vcpus[sim->vcpu_base[i] + k];

        collect_stats(sim, v);
        if (sched_vcpu_destroy(sim->s, v->sv)) {
            snprintf(sim->err, sizeof(sim->err), "vCPU of %s still busy at stop", dc->name);
            return -1;
        }
        v->alive = false;
    }
    if (sched_dom_destroy(sim->s, sim->dom[i]))
        return -1;
    return 0;
}

/* ---- Events -------------------------------------------------------------- */

/* The time at which the vCPU running on c reaches the end of its work or a yield. */
static int64_t work_event(const struct sim *sim, const struct sim_pcpu *pc)
{
    const struct sim_vcpu *v = pc->curr;
    int64_t t = NEVER, yield = sim->cfg->doms[v->dom].wl.yield_ns;

    if (v->remaining != NEVER)
        t = pc->run_since + (v->remaining > 0 ? v->remaining : 0);
    if (yield && pc->run_since + (yield - v->since_yield) < t)
        t = pc->run_since + (yield - v->since_yield > 0 ? yield - v->since_yield : 0);
    return t;
}

static void on_work_event(struct sim *sim, unsigned int c)
{
    struct sim_pcpu *pc = &sim->pcpu[c];
    struct sim_vcpu *v = pc->curr;
    const struct sim_workload *wl = &sim->cfg->doms[v->dom].wl;

    account(sim, c);
    if (v->remaining != NEVER && v->remaining <= 0) {
        v->remaining = 0;
        v->blocked = true;
        if (wl->kind == SIM_WL_ONOFF)
            v->wake_at = sim->now + wl->sleep_ns;
        else if (wl->kind == SIM_WL_BURSTY)
            v->wake_at = sim->now + rng_exp(&v->rng, wl->sleep_ns);
        sched_sleep(sim->s, v->sv, sim->now);
    } else {
        v->since_yield = 0;
        sched_vcpu_yield(sim->s, v->sv);
    }
    reschedule(sim, c);
}

static void on_arrival(struct sim *sim, struct sim_vcpu *v)
{
    const struct sim_workload *wl = &sim->cfg->doms[v->dom].wl;

    if (wl->kind == SIM_WL_IO) {
        v->next_arrival = sim->now + wl->interval_ns + rng_jitter(&v->rng, wl->jitter_ns);
        /* Work already charged up to run_since; a running vCPU just gets more. */
        v->remaining += wl->service_ns;
        if (v->blocked)
            wake(sim, v);
        return;
    }
    v->wake_at = NEVER;
    v->remaining = wl->kind == SIM_WL_ONOFF ? wl->run_ns : rng_exp(&v->rng, wl->run_ns);
    wake(sim, v);
}

static int step(struct sim *sim)
{
    const struct sim_cfg *cfg = sim->cfg;
    int64_t best = cfg->duration_ns;
    int kind = -1; /* 0 start, 1 stop, 2 arrival, 3 work, 4 timer */
    unsigned int which = 0;

    for (unsigned int i = 0; i < cfg->nr_doms; i++) {
        if (!sim->dom_started[i] && cfg->doms[i].start_ns < best)
            best = cfg->doms[i].start_ns, kind = 0, which = i;
        if (sim->dom_started[i] && !sim->dom_stopped[i] && cfg->doms[i].stop_ns &&
            cfg->doms[i].stop_ns < best)
            best = cfg->doms[i].stop_ns, kind = 1, which = i;
    }
    for (unsigned int i = 0; i < sim->nr_vcpus; i++) {
        const struct sim_vcpu *v = &sim->vcpus[i];
        int64_t t;

        if (!v->alive)
            continue;
        t = v->next_arrival < v->wake_at ? v->next_arrival : v->wake_at;
        if (t < best)
            best = t, kind = 2, which = i;
    }
    for (unsigned int c = 0; c < cfg->nr_cpus; c++) {
        const struct sim_pcpu *pc = &sim->pcpu[c];

        if (pc->curr && work_event(sim, pc) < best)
            best = work_event(sim, pc), kind = 3, which = c;
        if (pc->timer < best)
            best = pc->timer, kind = 4, which = c;
    }
    if (best < sim->now)
        best = sim->now;
    sim->now = best;
    switch (kind) {
    case 0:
        return dom_start(sim, which);
    case 1:
        return dom_stop(sim, which);
    case 2:
        on_arrival(sim, &sim->vcpus[which]);
        break;
    case 3:
        on_work_event(sim, which);
        break;
    case 4:
        reschedule(sim, which);
        break;
    default:
        return 1; /* reached the end */
    }
    return flush_tickles(sim);
}

/* ---- Run ----------------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static void finish(struct sim *sim)
{
    const struct sim_cfg *cfg = sim->cfg;
    struct sim_result *res = sim->res;

    for (unsigned int c = 0; c < cfg->nr_cpus; c++)
        account(sim, c);
    for (unsigned int i = 0; i < cfg->nr_doms; i++) {
        struct sim_dom_result *dr = &res->dom[i];
        int64_t start = cfg->doms[i].start_ns;
        int64_t stop = cfg->doms[i].stop_ns && cfg->doms[i].stop_ns < cfg->duration_ns
                           ? cfg->doms[i].stop_ns
                           : cfg->duration_ns;

        dr->alive_ns = stop > start ? stop - start : 0;
        dr->share_pct = dr->alive_ns ? 100.0 * (double)dr->run_ns / (double)dr->alive_ns : 0;
        if (dr->wakeups)
            qsort(dr->lat_ns, dr->wakeups, sizeof(int64_t), cmp_i64);
        dr->lat_p50_ns = sim_percentile(dr->lat_ns, dr->wakeups, 50);
        dr->lat_p99_ns = sim_percentile(dr->lat_ns, dr->wakeups, 99);
        dr->lat_max_ns = dr->wakeups ? dr->lat_ns[dr->wakeups - 1] : 0;
        dr->window_pct = calloc(res->nr_windows ? res->nr_windows : 1, sizeof(double));
        if (!dr->window_pct)
            abort();
        for (unsigned int w = 0; w < res->nr_windows; w++)
            dr->window_pct[w] =
                100.0 * (double)sim->win_ns[i * res->nr_windows + w] / (double)cfg->window_ns;
    }
}

static void teardown(struct sim *sim)
{
    for (unsigned int i = 0; i < sim->cfg->nr_doms; i++) {
        if (!sim->dom_started[i] || sim->dom_stopped[i] || !sim->dom[i])
            continue;
        for (unsigned int k = 0; k < sim->cfg->doms[i].nr_vcpus; k++) {
            struct sim_vcpu *v = &sim->vcpus[sim->vcpu_base[i] + k];

            if (v->sv)
                sched_sleep(sim->s, v->sv, sim->now);
        }
    }
    for (unsigned int c = 0; c < sim->cfg->nr_cpus; c++)
        if (sim->pcpu[c].curr)
            (void)sched_schedule(sim->s, c, sim->now);
    for (unsigned int i = 0; i < sim->cfg->nr_doms; i++) {
        if (!sim->dom_started[i] || sim->dom_stopped[i] || !sim->dom[i])
            continue;
        for (unsigned int k = 0; k < sim->cfg->doms[i].nr_vcpus; k++) {
            struct sim_vcpu *v = &sim->vcpus[sim->vcpu_base[i] + k];

            if (!v->sv)
                continue;
            collect_stats(sim, v);
            (void)sched_vcpu_destroy(sim->s, v->sv);
        }
        (void)sched_dom_destroy(sim->s, sim->dom[i]);
    }
    sched_destroy(sim->s);
}

int sim_run(const struct sim_cfg *cfg, struct sim_result *res)
{
    struct sched_config sc = {
        .sched_id = cfg->sched_id,
        .nr_cpus = cfg->nr_cpus,
        .tslice_ms = cfg->tslice_ms,
        .ratelimit_us = cfg->ratelimit_us,
        .credit_no_boost = cfg->no_boost,
    };
    struct sim *sim = calloc(1, sizeof(*sim));
    int rc = -1;

    memset(res, 0, sizeof(*res));
    if (!sim)
        return -1;
    sim->hooks.tickle = tickle_hook;
    sim->cfg = cfg;
    sim->res = res;
    res->nr_doms = cfg->nr_doms;
    res->nr_windows = (unsigned int)((cfg->duration_ns + cfg->window_ns - 1) / cfg->window_ns);
    for (unsigned int i = 0; i < cfg->nr_doms; i++) {
        sim->vcpu_base[i] = sim->nr_vcpus;
        sim->nr_vcpus += cfg->doms[i].nr_vcpus;
    }
    sim->vcpus = calloc(sim->nr_vcpus, sizeof(*sim->vcpus));
    sim->win_ns = calloc((size_t)cfg->nr_doms * res->nr_windows, sizeof(int64_t));
    for (unsigned int c = 0; c < cfg->nr_cpus; c++)
        sim->pcpu[c].timer = NEVER;
    sc.env_ctx = &sim->hooks;
    if (!sim->vcpus || !sim->win_ns || sched_create(&sc, &sim->s)) {
        fprintf(stderr, "sched-sim: cannot create the scheduler\n");
        goto out;
    }
    while ((rc = step(sim)) == 0)
        ;
    if (rc < 0) {
        fprintf(stderr, "sched-sim: %s\n", sim->err[0] ? sim->err : "scenario failed");
    } else {
        rc = 0;
        for (unsigned int c = 0; cfg->slices && c < cfg->nr_cpus; c++)
            close_slice(sim, c);
        finish(sim);
        sim_promised_shares(cfg, res);
    }
    teardown(sim);
out:
    free(sim->vcpus);
    free(sim->win_ns);
    free(sim);
    return rc;
}

void sim_result_free(struct sim_result *res)
{
    for (unsigned int i = 0; i < res->nr_doms; i++) {
        free(res->dom[i].lat_ns);
        free(res->dom[i].window_pct);
        res->dom[i].lat_ns = NULL;
        res->dom[i].window_pct = NULL;
    }
}
