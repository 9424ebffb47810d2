/*
 * sched/sim/sim.h - the host simulator: runs the real scheduler code
 * (sched/core.c, credit.c, sedf.c) against a discrete-event virtual clock.
 *
 * A scenario (scenario.c parses the text form) describes pCPUs, domains,
 * their vCPUs, parameters and workloads. sim_run() plays it for the given
 * duration and fills a struct sim_result (stats.c) that report.c turns into
 * CSV, gnuplot and Markdown. Everything is deterministic for a given seed:
 * no wall clock, no threads, one PRNG per vCPU seeded from the scenario.
 *
 * Units: the scenario speaks milliseconds (fractions allowed, e.g. 0.2);
 * they are converted to nanoseconds once, by sim_parse_ms(), and the
 * engine works in nanoseconds throughout.
 */
#ifndef SCHED_SIM_H
#define SCHED_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SIM_MAX_DOMS  64
#define SIM_MAX_CPUS  64
#define SIM_MAX_SWEEP 32
#define SIM_NAME_LEN  32
#define SIM_NS_PER_MS 1000000LL

enum sim_workload_kind {
    SIM_WL_CPU,    /* always runnable; optionally yields every `yield_ns` of run */
    SIM_WL_IO,     /* requests every interval_ns, each needing service_ns */
    SIM_WL_ONOFF,  /* runs run_ns, sleeps sleep_ns, forever */
    SIM_WL_BURSTY, /* exponential bursts, mean run_ns, mean sleep_ns */
};

struct sim_workload {
    enum sim_workload_kind kind;
    int64_t interval_ns, service_ns; /* io */
    int64_t jitter_ns;               /* io: uniform +/- on each arrival */
    int64_t run_ns, sleep_ns;        /* onoff, bursty */
    int64_t yield_ns;                /* cpu: 0 = never yields */
};

struct sim_dom_cfg {
    char name[SIM_NAME_LEN];
    unsigned int nr_vcpus;
    int first_cpu; /* vCPU i starts on (first_cpu + i) % cpus; -1 = round robin */
    /* Credit */
    unsigned int weight; /* also SEDF's weight */
    unsigned int cap;
    /* SEDF, in ns after parsing (ms in the file) */
    int64_t period_ns, slice_ns, latency_ns;
    bool extratime;
    bool sedf_set; /* any SEDF parameter given: put them */
    struct sim_workload wl;
    int64_t start_ns, stop_ns; /* stop 0 = never */
};

struct sim_sweep {
    bool active;
    char dom[SIM_NAME_LEN];
    char param[16];                /* "cap", "weight", "slice", "period" */
    int64_t values[SIM_MAX_SWEEP]; /* cap/weight as is; times in ns */
    unsigned int nr_values;
};

struct sim_cfg {
    char name[64];
    unsigned int sched_id;
    unsigned int nr_cpus;
    int64_t duration_ns;
    int64_t window_ns; /* share-over-time sampling window */
    uint64_t seed;
    unsigned int tslice_ms;
    unsigned int ratelimit_us;
    bool no_boost;
    unsigned int nr_doms;
    struct sim_dom_cfg doms[SIM_MAX_DOMS];
    struct sim_sweep sweep;
    FILE *trace;  /* not from the file: if set, every change of what a pCPU runs */
    FILE *slices; /* not from the file: if set, schedule.csv rows (gantt.c) */
};

/*
 * gantt.c: the timeline of what ran where, as schedule.csv rows
 * (cpu,start_ms,end_ms,domain,vcpu), and the gnuplot script that draws
 * it (gantt.png) over [from_ms, to_ms], one colour per domain named.
 */
void gantt_csv_header(FILE *f);
void gantt_csv_row(FILE *f, unsigned int cpu, double start_ms, double end_ms, const char *dom,
                   unsigned int vcpu);
void gantt_write_script(FILE *f, const char *title, unsigned int nr_cpus, const char *const *doms,
                        unsigned int nr_doms, double from_ms, double to_ms);
/* DIR/NAME created for writing (outfile.c), or NULL with why on stderr. */
FILE *sim_create_file(const char *prog, const char *dir, const char *name);

/* The part of a run the Gantt chart shows: its first 300 ms. */
#define GANTT_SPAN_MS 300.0

/* Per-domain outcome of one run. */
struct sim_dom_result {
    int64_t run_ns;       /* CPU time received */
    double share_pct;     /* of one pCPU, over the run (or its lifetime) */
    double promised_pct;  /* what the parameters promise given the demand */
    double deviation_pct; /* share - promised */
    int64_t lat_p50_ns, lat_p99_ns, lat_max_ns;
    uint64_t wakeups; /* latency samples */
    uint64_t deadline_misses;
    uint64_t dispatches; /* context switches onto this domain's vCPUs */
    uint64_t migrations;
    uint64_t boosts, parks, steals;
    int64_t *lat_ns;    /* [wakeups], sorted */
    double *window_pct; /* [nr_windows] share per window */
    int64_t alive_ns;   /* time the domain existed */
};

struct sim_result {
    unsigned int nr_doms;
    unsigned int nr_windows;
    uint64_t ctx_switches;
    uint64_t migrations;
    uint64_t decisions;
    int64_t idle_ns; /* summed over pCPUs */
    struct sim_dom_result dom[SIM_MAX_DOMS];
};

/*
 * The env_ctx the simulator (and unit tests) hand to sched_create(): the
 * host seam (env.c) forwards sched_env_tickle() to `tickle`.
 */
struct sim_env_hooks {
    void (*tickle)(struct sim_env_hooks *hooks, unsigned int cpu);
};

/* units / parsing (scenario.c) */
int sim_parse_ms(const char *s, int64_t *ns_out); /* "12.5" -> 12500000; -1 on error */
int sim_scenario_parse(FILE *f, const char *fname, struct sim_cfg *cfg, char *err, size_t errlen);
int sim_scenario_parse_string(const char *text, struct sim_cfg *cfg, char *err, size_t errlen);
/* Apply sweep value i to a copy of cfg. */
void sim_sweep_apply(const struct sim_cfg *cfg, unsigned int i, struct sim_cfg *out);
const char *sim_sched_name(unsigned int sched_id);

/* engine (engine.c) */
int sim_run(const struct sim_cfg *cfg, struct sim_result *res);
void sim_result_free(struct sim_result *res);

/* stats helpers (stats.c) */
void sim_promised_shares(const struct sim_cfg *cfg, struct sim_result *res);
int64_t sim_percentile(const int64_t *sorted, uint64_t n, unsigned int pct);

/* report (report.c) */
void sim_print_summary_csv(FILE *out, const struct sim_cfg *cfg, const struct sim_result *res);
int sim_write_report(const char *dir, const struct sim_cfg *cfg, const struct sim_result *res,
                     bool plots);
int sim_write_sweep(const char *dir, const struct sim_cfg *cfg, struct sim_result *results,
                    bool plots);

#endif /* SCHED_SIM_H */
