/*
 * tests/sched/helpers.c - see helpers.h.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

void run_scenario(const char *text, struct sim_cfg *cfg, struct sim_result *res)
{
    char err[256];

    ck_assert_msg(sim_scenario_parse_string(text, cfg, err, sizeof(err)) == 0, "scenario: %s", err);
    ck_assert_msg(sim_run(cfg, res) == 0, "simulation failed");
}

const struct sim_dom_result *dom_result(const struct sim_cfg *cfg, const struct sim_result *res,
                                        const char *name)
{
    for (unsigned int i = 0; i < cfg->nr_doms; i++)
        if (!strcmp(cfg->doms[i].name, name))
            return &res->dom[i];
    ck_abort_msg("no domain %s", name);
    return NULL;
}

double share_of(const struct sim_cfg *cfg, const struct sim_result *res, const char *name)
{
    return dom_result(cfg, res, name)->share_pct;
}

double window_share(const struct sim_cfg *cfg, const struct sim_result *res, const char *name,
                    unsigned int from_ms, unsigned int to_ms)
{
    const struct sim_dom_result *dr = dom_result(cfg, res, name);
    unsigned int w_ms = (unsigned int)(cfg->window_ns / SIM_NS_PER_MS);
    double sum = 0;
    unsigned int n = 0;

    for (unsigned int w = from_ms / w_ms; w < to_ms / w_ms && w < res->nr_windows; w++, n++)
        sum += dr->window_pct[w];
    ck_assert_msg(n > 0, "empty window range");
    return sum / n;
}

static void record_tickle(struct sim_env_hooks *hooks, unsigned int cpu)
{
    struct api_env *env = (struct api_env *)hooks;

    env->tickles[cpu]++;
}

struct sched *api_create(struct api_env *env, unsigned int sched_id, unsigned int nr_cpus)
{
    struct sched_config cfg = {.sched_id = sched_id, .nr_cpus = nr_cpus, .env_ctx = &env->hooks};
    struct sched *s = NULL;

    memset(env, 0, sizeof(*env));
    env->hooks.tickle = record_tickle;
    ck_assert_int_eq(sched_create(&cfg, &s), 0);
    return s;
}

int put_credit(struct sched *s, struct sched_dom *d, unsigned int weight, unsigned int cap)
{
    struct paravane_domctl_scheduler_op op;

    memset(&op, 0, sizeof(op));
    op.sched_id = XEN_SCHEDULER_CREDIT;
    op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.credit.weight = (uint16_t)weight;
    op.u.credit.cap = (uint16_t)cap;
    return sched_adjust(s, d, &op, 0);
}

int put_sedf(struct sched *s, struct sched_dom *d, int64_t period_ns, int64_t slice_ns,
             int64_t latency_ns, unsigned int extratime, unsigned int weight)
{
    struct paravane_domctl_scheduler_op op;

    memset(&op, 0, sizeof(op));
    op.sched_id = XEN_SCHEDULER_SEDF;
    op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.sedf.period_ns = (uint64_t)period_ns;
    op.u.sedf.slice_ns = (uint64_t)slice_ns;
    op.u.sedf.latency_ns = (uint64_t)latency_ns;
    op.u.sedf.extratime = extratime;
    op.u.sedf.weight = (uint16_t)weight;
    return sched_adjust(s, d, &op, 0);
}

struct paravane_domctl_scheduler_op get_params(struct sched *s, struct sched_dom *d)
{
    struct paravane_domctl_scheduler_op op;

    memset(&op, 0xa5, sizeof(op));
    op.sched_id = sched_id(s);
    op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    ck_assert_int_eq(sched_adjust(s, d, &op, 0), 0);
    return op;
}

int run_tests(const char *suite, const TTest *const *tests, size_t n)
{
    Suite *s = suite_create(suite);
    TCase *tc = tcase_create(suite);
    SRunner *sr;
    int failed;

    /* The scheduler's dump goes to stderr; keep test output to verdicts. */
    setenv("PARAVANE_SCHED_LOG_QUIET", "1", 1);
    tcase_set_timeout(tc, 60);
    for (size_t i = 0; i < n; i++)
        tcase_add_test(tc, tests[i]);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
