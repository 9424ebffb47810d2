/*
 * tests/sched/check_stress.c - random scenarios (seeded, so reproducible)
 * for both schedulers: random pCPU counts, domains, parameters, workloads,
 * tunables, and domains arriving and leaving. Each run must finish without
 * tripping an ASSERT or a sanitizer, account for every nanosecond of every
 * pCPU (run + idle = pCPUs x duration), give no domain more than its vCPUs
 * could use while it lived, and keep every Credit cap (plus the debt the cap
 * allows). A failing seed is printed; rerun it with sched-sim by dumping
 * the scenario text from the failure message. A second generator draws
 * feasible SEDF sets (total utilisation <= 1) and requires no missed
 * deadline at all.
 */
#include "helpers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef STRESS_RUNS
#define STRESS_RUNS 150 /* more: -DSTRESS_RUNS=N when hunting */
#endif

static uint64_t rnd(uint64_t *st)
{
    uint64_t z = (*st += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#define PICK(st, arr) ((arr)[rnd(st) % (sizeof(arr) / sizeof((arr)[0]))])

static size_t add(char *buf, size_t len, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static size_t add(char *buf, size_t len, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf + len, cap - len, fmt, ap);
    va_end(ap);
    ck_assert(n >= 0 && (size_t)n < cap - len);
    return len + (size_t)n;
}

static void random_domain(uint64_t *st, bool sedf, unsigned int cpus, unsigned int i, char *buf,
                          size_t *len, size_t cap)
{
    static const unsigned int vcpus[] = {1, 1, 1, 2, 3, 4};
    static const unsigned int weights[] = {1, 64, 256, 512, 4096, 65535};
    static const unsigned int caps[] = {1, 5, 25, 50, 99, 100};
    static const char *const periods[] = {"0.05", "1", "5", "10", "20", "100", "1000"};
    static const unsigned int slice_pct[] = {1, 10, 30, 50, 100};
    static const char *const workloads[] = {
        "cpu",
        "cpu:yield=1",
        "io:interval=2,service=0.1",
        "io:interval=5,service=1.5,jitter=2",
        "io:interval=10,service=12",
        "onoff:run=9.5,sleep=0.05",
        "onoff:run=0.1,sleep=1",
        "bursty:run=3,sleep=5",
        "bursty:run=20,sleep=50",
    };

    *len = add(buf, *len, cap, "domain d%u vcpus=%u", i, PICK(st, vcpus));
    if (rnd(st) % 4 == 0)
        *len = add(buf, *len, cap, " cpu=%u", (unsigned int)(rnd(st) % cpus));
    if (!sedf) {
        if (rnd(st) % 3)
            *len = add(buf, *len, cap, " weight=%u", PICK(st, weights));
        if (rnd(st) % 3 == 0)
            *len = add(buf, *len, cap, " cap=%u", PICK(st, caps));
    } else {
        unsigned int kind = (unsigned int)(rnd(st) % 3);

        if (kind == 0) {
            const char *p = PICK(st, periods);
            double slice = atof(p) * PICK(st, slice_pct) / 100.0;

            *len = add(buf, *len, cap, " period=%s slice=%.6f extratime=%u", p,
                       slice < 0.005 ? 0.005 : slice, (unsigned int)(rnd(st) % 2));
            if (rnd(st) % 3 == 0)
                *len = add(buf, *len, cap, " latency=%s", PICK(st, periods));
        } else if (kind == 1) {
            *len = add(buf, *len, cap, " weight=%u extratime=%u", (unsigned int)(1 + rnd(st) % 9),
                       (unsigned int)(rnd(st) % 2));
        } /* kind 2: the best-effort default */
    }
    *len = add(buf, *len, cap, " workload=%s", PICK(st, workloads));
    if (rnd(st) % 4 == 0) {
        unsigned int start = (unsigned int)(rnd(st) % 150);

        *len = add(buf, *len, cap, " start=%u", start);
        if (rnd(st) % 2)
            *len = add(buf, *len, cap, " stop=%u", start + 1 + (unsigned int)(rnd(st) % 300));
    }
    *len = add(buf, *len, cap, "\n");
}

/*
 * A feasible SEDF set: time-driven domains whose utilisations add up to at
 * most 1 over all pCPUs (so on every pCPU), any workload, extra time on or
 * off, latency hints. EDF must then meet every deadline.
 */
static void stress_feasible_sedf(uint64_t seed)
{
    static const unsigned int periods_us[] = {1000, 5000, 10000, 20000, 100000};
    static const unsigned int lat_us[] = {0, 0, 500, 2000};
    static const char *const workloads[] = {"cpu", "io:interval=3,service=0.5,jitter=1",
                                            "onoff:run=4,sleep=3", "bursty:run=2,sleep=6"};
    uint64_t st = seed * 7919;
    unsigned int cpus = 1 + (unsigned int)(rnd(&st) % 3);
    unsigned int ndoms = 1 + (unsigned int)(rnd(&st) % 6);
    unsigned int budget = 1000; /* per mille of one pCPU, shared by all vCPUs */
    char text[4096];
    size_t len = 0;
    struct sim_cfg cfg;
    struct sim_result res;
    char err[256];

    len = add(text, len, sizeof(text), "scheduler sedf\ncpus %u\nduration 400\nseed %llu\n", cpus,
              (unsigned long long)seed);
    for (unsigned int i = 0; i < ndoms && budget >= 10; i++) {
        unsigned int vcpus = 1 + (unsigned int)(rnd(&st) % 2);
        unsigned int per = budget / vcpus / (ndoms - i);
        unsigned int u = per ? 1 + (unsigned int)(rnd(&st) % per) : 0; /* per mille */
        unsigned int period = PICK(&st, periods_us);
        unsigned int slice = period / 1000 * u;
        unsigned int lat = PICK(&st, lat_us);

        if (slice < 5)
            continue;
        budget -= u * vcpus;
        len = add(text, len, sizeof(text),
                  "domain d%u vcpus=%u period=%u.%03u slice=%u.%03u extratime=%u workload=%s", i,
                  vcpus, period / 1000, period % 1000, slice / 1000, slice % 1000,
                  (unsigned int)(rnd(&st) % 2), PICK(&st, workloads));
        if (lat)
            len = add(text, len, sizeof(text), " latency=%u.%03u", lat / 1000, lat % 1000);
        len = add(text, len, sizeof(text), "\n");
    }
    if (len < 60)
        return; /* no domain drawn */
    ck_assert_msg(sim_scenario_parse_string(text, &cfg, err, sizeof(err)) == 0, "%s\n%s", err,
                  text);
    ck_assert_msg(sim_run(&cfg, &res) == 0, "seed %llu failed:\n%s", (unsigned long long)seed,
                  text);
    for (unsigned int i = 0; i < cfg.nr_doms; i++) {
        const struct sim_dom_cfg *dc = &cfg.doms[i];
        /* A CPU-bound domain gets its reservation, less at most the last period's slice. */
        int64_t owed = (cfg.duration_ns / dc->period_ns * dc->slice_ns) * dc->nr_vcpus;

        ck_assert_msg(res.dom[i].deadline_misses == 0, "seed %llu: %s missed %llu deadlines\n%s",
                      (unsigned long long)seed, dc->name,
                      (unsigned long long)res.dom[i].deadline_misses, text);
        ck_assert_msg(dc->wl.kind != SIM_WL_CPU || res.dom[i].run_ns >= owed,
                      "seed %llu: %s got %lld of %lld ns reserved\n%s", (unsigned long long)seed,
                      dc->name, (long long)res.dom[i].run_ns, (long long)owed, text);
    }
    sim_result_free(&res);
}

static void stress_one(uint64_t seed)
{
    static const unsigned int cpus_choice[] = {1, 1, 2, 3, 4, 8};
    static const unsigned int tslices[] = {1, 5, 10, 30, 100};
    static const unsigned int ratelimits[] = {0, 100, 1000, 5000};
    uint64_t st = seed;
    char text[4096];
    size_t len = 0;
    bool sedf = rnd(&st) % 2;
    unsigned int cpus = PICK(&st, cpus_choice);
    unsigned int ndoms = 1 + (unsigned int)(rnd(&st) % 10);
    struct sim_cfg cfg;
    struct sim_result res;
    char err[256];
    int64_t total = 0;

    len = add(text, len, sizeof(text), "scheduler %s\ncpus %u\nduration 400\nseed %llu\n",
              sedf ? "sedf" : "credit", cpus, (unsigned long long)seed);
    if (!sedf)
        len = add(text, len, sizeof(text), "tslice %u\nratelimit %u\nboost %s\n",
                  PICK(&st, tslices), PICK(&st, ratelimits), rnd(&st) % 2 ? "on" : "off");
    for (unsigned int i = 0; i < ndoms; i++)
        random_domain(&st, sedf, cpus, i, text, &len, sizeof(text));

    ck_assert_msg(sim_scenario_parse_string(text, &cfg, err, sizeof(err)) == 0, "%s\n%s", err,
                  text);
    ck_assert_msg(sim_run(&cfg, &res) == 0, "seed %llu failed:\n%s", (unsigned long long)seed,
                  text);
    for (unsigned int i = 0; i < cfg.nr_doms; i++) {
        const struct sim_dom_result *dr = &res.dom[i];
        const struct sim_dom_cfg *dc = &cfg.doms[i];

        total += dr->run_ns;
        ck_assert_msg(dr->run_ns <= dr->alive_ns * (int64_t)dc->nr_vcpus,
                      "seed %llu: %s ran more than it could\n%s", (unsigned long long)seed,
                      dc->name, text);
        if (!sedf && dc->cap) {
            /* cap% of its life, plus one period's cap as debt and a tick per vCPU. */
            int64_t tslice_ns = (int64_t)cfg.tslice_ms * SIM_NS_PER_MS;
            int64_t bound = dr->alive_ns * dc->cap / 100 + 2 * tslice_ns * dc->cap / 100 +
                            (int64_t)dc->nr_vcpus * (tslice_ns / 3 + tslice_ns);

            ck_assert_msg(dr->run_ns <= bound, "seed %llu: %s over its cap (%lld > %lld)\n%s",
                          (unsigned long long)seed, dc->name, (long long)dr->run_ns,
                          (long long)bound, text);
        }
    }
    ck_assert_msg(total + res.idle_ns == (int64_t)cpus * cfg.duration_ns,
                  "seed %llu: time not conserved\n%s", (unsigned long long)seed, text);
    /*
     * Credit without caps is work-conserving: with at least as many
     * always-present hogs as pCPUs, no pCPU idles (after the first instant).
     */
    if (!sedf) {
        unsigned int hogs = 0;
        bool capped = false;

        for (unsigned int i = 0; i < cfg.nr_doms; i++) {
            const struct sim_dom_cfg *dc = &cfg.doms[i];

            capped |= dc->cap != 0;
            if (dc->wl.kind == SIM_WL_CPU && !dc->wl.yield_ns && !dc->start_ns && !dc->stop_ns)
                hogs += dc->nr_vcpus;
        }
        ck_assert_msg(capped || hogs < cpus || res.idle_ns == 0,
                      "seed %llu: %lld ns idle with %u hogs on %u pCPUs\n%s",
                      (unsigned long long)seed, (long long)res.idle_ns, hogs, cpus, text);
    }
    sim_result_free(&res);
}

START_TEST(test_random_scenarios)
{
    for (uint64_t seed = 1; seed <= STRESS_RUNS; seed++) {
        stress_one(seed);
        stress_feasible_sedf(seed);
    }
}
END_TEST

int main(void)
{
    const TTest *const tests[] = {
        test_random_scenarios,
    };

    return run_tests("sched-stress", tests, sizeof(tests) / sizeof(tests[0]));
}
