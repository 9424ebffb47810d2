/*
 * tests/sched/helpers.h - shared by the scheduler unit tests: run a
 * scenario given as text through the simulator, look results up by domain
 * name, and drive the sched.h API directly with a tickle recorder.
 */
#ifndef TESTS_SCHED_HELPERS_H
#define TESTS_SCHED_HELPERS_H

#include "sched.h"
#include "sim.h"

#include <check.h>

/* Parse and run `text`; fails the test on any error. Free with sim_result_free. */
void run_scenario(const char *text, struct sim_cfg *cfg, struct sim_result *res);
/* Result of the domain called `name` (fails the test if there is none). */
const struct sim_dom_result *dom_result(const struct sim_cfg *cfg, const struct sim_result *res,
                                        const char *name);
double share_of(const struct sim_cfg *cfg, const struct sim_result *res, const char *name);
/* Mean share of a domain over windows [from_ms, to_ms). */
double window_share(const struct sim_cfg *cfg, const struct sim_result *res, const char *name,
                    unsigned int from_ms, unsigned int to_ms);

/* Direct API harness: records which pCPUs were tickled. */
struct api_env {
    struct sim_env_hooks hooks;
    unsigned int tickles[SIM_MAX_CPUS];
};

struct sched *api_create(struct api_env *env, unsigned int sched_id, unsigned int nr_cpus);
int put_credit(struct sched *s, struct sched_dom *d, unsigned int weight, unsigned int cap);
int put_sedf(struct sched *s, struct sched_dom *d, int64_t period_ns, int64_t slice_ns,
             int64_t latency_ns, unsigned int extratime, unsigned int weight);
struct paravane_domctl_scheduler_op get_params(struct sched *s, struct sched_dom *d);

/* Run the tests as one Check suite; returns the process exit status. */
int run_tests(const char *suite, const TTest *const *tests, size_t n);

#define MS(x) ((int64_t)(x)*1000000)

#define ck_assert_share(cfg, res, name, expect, tol)                                               \
    do {                                                                                           \
        double got_ = share_of(cfg, res, name);                                                    \
        ck_assert_msg(got_ >= (expect) - (tol) && got_ <= (expect) + (tol),                        \
                      "%s: share %.2f%%, expected %.2f +/- %.2f", name, got_, (double)(expect),    \
                      (double)(tol));                                                              \
    } while (0)

#endif /* TESTS_SCHED_HELPERS_H */
