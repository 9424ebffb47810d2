/*
 * sched/sim/bench.c - `make bench`: the cost of one scheduling decision
 * (sched_schedule() on one pCPU) for 10, 100, 1,000 and 10,000 vCPUs,
 * for each scheduler, so it is visible how it grows.
 *
 * Every vCPU is CPU-bound and awake, spread over 4 pCPUs; each pCPU calls
 * sched_schedule() when the slice it was given runs out (virtual time), as
 * the hypervisor's timer would. Credit domains get weights 128..1024,
 * SEDF domains 90% of the pCPUs in equal reservations plus extra time.
 * Two figures, wall-clock nanoseconds (built -O2, no sanitizers): the mean
 * over all decisions, which includes Credit's accounting (O(vCPUs) once per
 * 30 ms, so it grows with n even though picking is O(1)), and the median,
 * the typical decision without that periodic work. Each decision is timed
 * alone, so both carry the ~20 ns of reading the clock. A measurement, not
 * a pass/fail test.
 */
#include "../sched.h"
#include "sim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_CPUS 4

static void no_tickle(struct sim_env_hooks *hooks, unsigned int cpu)
{
    (void)hooks;
    (void)cpu;
}

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

struct bench_out {
    double mean_ns, median_ns;
};

static struct bench_out bench_one(unsigned int sched_id, unsigned int n, unsigned int decisions)
{
    struct sim_env_hooks hooks = {.tickle = no_tickle};
    struct sched_config cfg = {.sched_id = sched_id, .nr_cpus = BENCH_CPUS, .env_ctx = &hooks};
    struct sched_dom **doms = calloc(n, sizeof(*doms));
    struct sched_vcpu **vcpus = calloc(n, sizeof(*vcpus));
    int64_t next[BENCH_CPUS] = {0};
    double *cost = calloc(decisions, sizeof(*cost));
    struct bench_out out = {0, 0};
    struct sched *s;

    if (!doms || !vcpus || !cost || sched_create(&cfg, &s))
        abort();
    for (unsigned int i = 0; i < n; i++) {
        struct paravane_domctl_scheduler_op op;

        memset(&op, 0, sizeof(op));
        op.sched_id = sched_id;
        op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
        if (sched_id == XEN_SCHEDULER_CREDIT) {
            op.u.credit.weight = (uint16_t)(128u << (i % 4));
        } else {
            op.u.sedf.period_ns = 100000000ULL;
            op.u.sedf.slice_ns = 90000000ULL * BENCH_CPUS / (n > BENCH_CPUS ? n : BENCH_CPUS);
            op.u.sedf.extratime = PARAVANE_SEDF_EXTRATIME;
        }
        if (sched_dom_create(s, (uint16_t)(i + 1), &doms[i]) || sched_adjust(s, doms[i], &op, 0) ||
            sched_vcpu_create(s, doms[i], 0, i % BENCH_CPUS, NULL, 0, &vcpus[i]))
            abort();
        sched_wake(s, vcpus[i], 0);
    }

    for (unsigned int k = 0; k < decisions; k++) {
        unsigned int cpu = 0;
        struct sched_decision dec;
        double t0;

        for (unsigned int c = 1; c < BENCH_CPUS; c++)
            if (next[c] < next[cpu])
                cpu = c;
        t0 = now_ns();
        dec = sched_schedule(s, cpu, next[cpu]);
        cost[k] = now_ns() - t0;
        out.mean_ns += cost[k];
        next[cpu] += dec.slice == SCHED_SLICE_FOREVER ? 1000000 : dec.slice;
    }
    out.mean_ns /= decisions;
    qsort(cost, decisions, sizeof(*cost), cmp_double);
    out.median_ns = cost[decisions / 2];

    for (unsigned int i = 0; i < n; i++)
        sched_sleep(s, vcpus[i], next[0]);
    for (unsigned int c = 0; c < BENCH_CPUS; c++)
        (void)sched_schedule(s, c, next[c] > next[0] ? next[c] : next[0]);
    for (unsigned int i = 0; i < n; i++)
        if (sched_vcpu_destroy(s, vcpus[i]) || sched_dom_destroy(s, doms[i]))
            abort();
    sched_destroy(s);
    free(doms);
    free(vcpus);
    free(cost);
    return out;
}

int main(void)
{
    static const unsigned int sizes[] = {10, 100, 1000, 10000};
    static const unsigned int ids[] = {XEN_SCHEDULER_CREDIT, XEN_SCHEDULER_SEDF};

    setenv("PARAVANE_SCHED_LOG_QUIET", "1", 1);
    printf("sched-bench: cost of one scheduling decision, %d pCPUs, all vCPUs CPU-bound\n",
           BENCH_CPUS);
    printf("%-8s %8s %10s %10s %10s %10s %10s\n", "sched", "vcpus", "decisions", "mean ns",
           "vs n=10", "median ns", "vs n=10");
    for (unsigned int j = 0; j < 2; j++) {
        struct bench_out base = {0, 0};

        for (unsigned int i = 0; i < 4; i++) {
            unsigned int decisions = sizes[i] >= 10000 ? 50000 : 200000;
            struct bench_out r;

            (void)bench_one(ids[j], sizes[i], decisions / 10); /* warm up */
            r = bench_one(ids[j], sizes[i], decisions);
            if (i == 0)
                base = r;
            printf("%-8s %8u %10u %10.1f %9.1fx %10.1f %9.1fx\n", sim_sched_name(ids[j]), sizes[i],
                   decisions, r.mean_ns, r.mean_ns / base.mean_ns, r.median_ns,
                   r.median_ns / base.median_ns);
        }
    }
    return 0;
}
