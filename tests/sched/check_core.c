/*
 * tests/sched/check_core.c - the generic interface: creation, ids, domain
 * and vCPU lifetime, parameter get/put validation for both schedulers,
 * sleep/wake/tickle contracts and the idle decision.
 */
#include "helpers.h"

#include <xen/errno.h>

#include <stdlib.h>
#include <string.h>

START_TEST(test_ids_and_names)
{
    ck_assert_int_eq(sched_id_from_name("credit"), XEN_SCHEDULER_CREDIT);
    ck_assert_int_eq(sched_id_from_name("sedf"), XEN_SCHEDULER_SEDF);
    ck_assert_int_eq(sched_id_from_name("sedf"), 4);
    ck_assert_int_eq(sched_id_from_name("credit2"), -XEN_EINVAL);
    ck_assert_int_eq(sched_id_from_name(""), -XEN_EINVAL);
}
END_TEST

START_TEST(test_create_rejects_bad_config)
{
    struct sched *s = NULL;
    struct sched_config cfg = {.sched_id = XEN_SCHEDULER_CREDIT, .nr_cpus = 1};

    cfg.nr_cpus = 0;
    ck_assert_int_eq(sched_create(&cfg, &s), -XEN_EINVAL);
    cfg.nr_cpus = 1;
    cfg.sched_id = XEN_SCHEDULER_CREDIT2;
    ck_assert_int_eq(sched_create(&cfg, &s), -XEN_EINVAL);
    cfg.sched_id = XEN_SCHEDULER_CREDIT;
    cfg.tslice_ms = 1001;
    ck_assert_int_eq(sched_create(&cfg, &s), -XEN_EINVAL);
    cfg.tslice_ms = 0;
    cfg.ratelimit_us = 99;
    ck_assert_int_eq(sched_create(&cfg, &s), -XEN_EINVAL);
    cfg.ratelimit_us = 500001;
    ck_assert_int_eq(sched_create(&cfg, &s), -XEN_EINVAL);
    ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_sched_id_reports_policy)
{
    struct api_env env;
    struct sched *s = api_create(&env, XEN_SCHEDULER_SEDF, 3);

    ck_assert_uint_eq(sched_id(s), XEN_SCHEDULER_SEDF);
    ck_assert_str_eq(sched_name(s), "sedf");
    ck_assert_uint_eq(sched_nr_cpus(s), 3);
    sched_destroy(s);
    s = api_create(&env, XEN_SCHEDULER_CREDIT, 1);
    ck_assert_uint_eq(sched_id(s), XEN_SCHEDULER_CREDIT);
    ck_assert_str_eq(sched_name(s), "credit");
    sched_destroy(s);
}
END_TEST

START_TEST(test_credit_params)
{
    struct api_env env;
    struct sched *s = api_create(&env, XEN_SCHEDULER_CREDIT, 2);
    struct sched_dom *d;
    struct sched_vcpu *v0, *v1;
    struct paravane_domctl_scheduler_op op;

    ck_assert_int_eq(sched_dom_create(s, 1, &d), 0);
    op = get_params(s, d);
    ck_assert_uint_eq(op.u.credit.weight, 256);
    ck_assert_uint_eq(op.u.credit.cap, 0);

    ck_assert_int_eq(put_credit(s, d, 512, 50), 0);
    op = get_params(s, d);
    ck_assert_uint_eq(op.u.credit.weight, 512);
    ck_assert_uint_eq(op.u.credit.cap, 50);
    /* weight 0 and cap 0xffff leave the value as it is (Xen's convention). */
    ck_assert_int_eq(put_credit(s, d, 0, 0xffff), 0);
    op = get_params(s, d);
    ck_assert_uint_eq(op.u.credit.weight, 512);
    ck_assert_uint_eq(op.u.credit.cap, 50);
    /* The cap is limited to 100% per vCPU. */
    ck_assert_int_eq(sched_vcpu_create(s, d, 0, 0, NULL, 0, &v0), 0);
    ck_assert_int_eq(put_credit(s, d, 256, 101), -XEN_EINVAL);
    ck_assert_int_eq(sched_vcpu_create(s, d, 1, 1, NULL, 0, &v1), 0);
    ck_assert_int_eq(put_credit(s, d, 256, 200), 0);
    ck_assert_int_eq(put_credit(s, d, 256, 201), -XEN_EINVAL);
    op = get_params(s, d);
    ck_assert_uint_eq(op.u.credit.cap, 200);

    /* Wrong scheduler id and per-vCPU commands are refused. */
    memset(&op, 0, sizeof(op));
    op.sched_id = XEN_SCHEDULER_SEDF;
    op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    ck_assert_int_eq(sched_adjust(s, d, &op, 0), -XEN_EINVAL);
    op.sched_id = XEN_SCHEDULER_CREDIT;
    op.cmd = XEN_DOMCTL_SCHEDOP_getvcpuinfo;
    ck_assert_int_eq(sched_adjust(s, d, &op, 0), -XEN_EINVAL);

    ck_assert_int_eq(sched_dom_destroy(s, d), -XEN_EBUSY);
    ck_assert_int_eq(sched_vcpu_destroy(s, v0), 0);
    ck_assert_int_eq(sched_vcpu_destroy(s, v1), 0);
    ck_assert_int_eq(sched_dom_destroy(s, d), 0);
    sched_destroy(s);
}
END_TEST

START_TEST(test_sedf_params_validation)
{
    struct api_env env;
    struct sched *s = api_create(&env, XEN_SCHEDULER_SEDF, 1);
    struct sched_dom *d;
    struct paravane_domctl_scheduler_op op;

    ck_assert_int_eq(sched_dom_create(s, 1, &d), 0);
    /* Default: best-effort, 100 ms period, no slice, extra time on (Xen >= 4.2). */
    op = get_params(s, d);
    ck_assert_uint_eq(op.u.sedf.period_ns, 100000000ULL);
    ck_assert_uint_eq(op.u.sedf.slice_ns, 0);
    ck_assert_uint_eq(op.u.sedf.extratime, PARAVANE_SEDF_EXTRATIME);
    ck_assert_uint_eq(op.u.sedf.weight, 0);
    ck_assert_uint_eq(op.u.sedf.pad, 0);

    ck_assert_int_eq(put_sedf(s, d, MS(20), MS(5), 0, 0, 0), 0);
    op = get_params(s, d);
    ck_assert_uint_eq(op.u.sedf.period_ns, 20000000ULL);
    ck_assert_uint_eq(op.u.sedf.slice_ns, 5000000ULL);
    ck_assert_uint_eq(op.u.sedf.extratime, 0);

    ck_assert_int_eq(put_sedf(s, d, 9999, 5000, 0, 0, 0), -XEN_EINVAL);       /* period < 10 us */
    ck_assert_int_eq(put_sedf(s, d, MS(10001), MS(5), 0, 0, 0), -XEN_EINVAL); /* > 10 s */
    ck_assert_int_eq(put_sedf(s, d, MS(20), 4999, 0, 0, 0), -XEN_EINVAL);     /* slice < 5 us */
    ck_assert_int_eq(put_sedf(s, d, MS(20), MS(21), 0, 0, 0), -XEN_EINVAL);   /* slice > period */
    ck_assert_int_eq(put_sedf(s, d, 0, 0, 0, 1, 0), -XEN_EINVAL);             /* nothing given */
    ck_assert_int_eq(put_sedf(s, d, MS(20), MS(5), 0, 2, 0), -XEN_EINVAL);    /* unknown bit */
    ck_assert_int_eq(put_sedf(s, d, MS(20), MS(5), MS(10001), 0, 0), -XEN_EINVAL);
    memset(&op, 0, sizeof(op));
    op.sched_id = XEN_SCHEDULER_SEDF;
    op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.sedf.period_ns = MS(20);
    op.u.sedf.slice_ns = MS(5);
    op.u.sedf.pad = 1;
    ck_assert_int_eq(sched_adjust(s, d, &op, 0), -XEN_EINVAL); /* pad must be zero */
    /* A rejected put changed nothing. */
    op = get_params(s, d);
    ck_assert_uint_eq(op.u.sedf.period_ns, 20000000ULL);
    ck_assert_uint_eq(op.u.sedf.slice_ns, 5000000ULL);
    ck_assert_int_eq(sched_dom_destroy(s, d), 0);
    sched_destroy(s);
}
END_TEST

/* Xen's sedf mini-HOWTO: weights 2:3:4:2 -> 17.3/25.9/34.5/17.3 ms per 100 ms. */
START_TEST(test_sedf_weights_to_slices)
{
    static const unsigned int w[4] = {2, 3, 4, 2};
    static const uint64_t slice_ns[4] = {17272727, 25909090, 34545454, 17272727};
    struct api_env env;
    struct sched *s = api_create(&env, XEN_SCHEDULER_SEDF, 1);
    struct sched_dom *d[4];
    struct sched_vcpu *v[4];

    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(sched_dom_create(s, (uint16_t)(i + 1), &d[i]), 0);
        ck_assert_int_eq(put_sedf(s, d[i], 0, 0, 0, 0, w[i]), 0);
        ck_assert_int_eq(sched_vcpu_create(s, d[i], 0, 0, NULL, 0, &v[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        struct paravane_domctl_scheduler_op op = get_params(s, d[i]);

        ck_assert_uint_eq(op.u.sedf.period_ns, 100000000ULL);
        ck_assert_uint_eq(op.u.sedf.slice_ns, slice_ns[i]);
        ck_assert_uint_eq(op.u.sedf.weight, w[i]);
    }
    /* A time-driven domain takes its share off the top: 20/100 leaves 75 ms. */
    {
        struct sched_dom *t;
        struct sched_vcpu *tv;

        ck_assert_int_eq(sched_dom_create(s, 9, &t), 0);
        ck_assert_int_eq(put_sedf(s, t, MS(10), MS(2), 0, 0, 0), 0);
        ck_assert_int_eq(sched_vcpu_create(s, t, 0, 0, NULL, 0, &tv), 0);
        ck_assert_uint_eq(get_params(s, d[2]).u.sedf.slice_ns, 75000000ULL * 4 / 11);
        ck_assert_int_eq(sched_vcpu_destroy(s, tv), 0);
        ck_assert_int_eq(sched_dom_destroy(s, t), 0);
        ck_assert_uint_eq(get_params(s, d[2]).u.sedf.slice_ns, slice_ns[2]);
    }
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(sched_vcpu_destroy(s, v[i]), 0);
        ck_assert_int_eq(sched_dom_destroy(s, d[i]), 0);
    }
    sched_destroy(s);
}
END_TEST

/* Both policies: nothing runnable -> idle; sleep of the running vCPU tickles. */
static void lifecycle(unsigned int sched_id)
{
    struct api_env env;
    struct sched *s = api_create(&env, sched_id, 2);
    struct sched_dom *d;
    struct sched_vcpu *v;
    struct sched_decision dec;
    int owner;

    ck_assert_int_eq(sched_dom_create(s, 1, &d), 0);
    ck_assert_int_eq(sched_vcpu_create(s, d, 0, 1, &owner, 0, &v), 0);
    ck_assert_ptr_eq(sched_vcpu_owner(v), &owner);
    ck_assert_uint_eq(sched_vcpu_cpu(v), 1);
    ck_assert_int_eq(sched_vcpu_create(s, d, 1, 2, NULL, 0, &(struct sched_vcpu *){NULL}),
                     -XEN_EINVAL);

    /* Created asleep: both pCPUs idle, no timer needed. */
    for (unsigned int c = 0; c < 2; c++) {
        dec = sched_schedule(s, c, 0);
        ck_assert_ptr_null(dec.next);
        ck_assert(dec.slice == SCHED_SLICE_FOREVER);
    }
    sched_wake(s, v, MS(1));
    ck_assert_uint_gt(env.tickles[1], 0);
    dec = sched_schedule(s, 1, MS(1));
    ck_assert_ptr_eq(dec.next, v);
    ck_assert(dec.slice > 0 && dec.slice != SCHED_SLICE_FOREVER);
    sched_wake(s, v, MS(1)); /* idempotent */
    ck_assert_int_eq(sched_vcpu_destroy(s, v), -XEN_EBUSY);

    env.tickles[1] = 0;
    sched_sleep(s, v, MS(2));
    ck_assert_uint_eq(env.tickles[1], 1);
    ck_assert_int_eq(sched_vcpu_destroy(s, v), -XEN_EBUSY); /* still current */
    dec = sched_schedule(s, 1, MS(2));
    ck_assert_ptr_null(dec.next);

    /* Migration while asleep; a bad pCPU is refused. */
    ck_assert_int_eq(sched_migrate(s, v, 5, MS(3)), -XEN_EINVAL);
    ck_assert_int_eq(sched_migrate(s, v, 0, MS(3)), 0);
    ck_assert_uint_eq(sched_vcpu_cpu(v), 0);
    sched_wake(s, v, MS(4));
    dec = sched_schedule(s, 0, MS(4));
    ck_assert_ptr_eq(dec.next, v);
    sched_dump(s, MS(4));

    /* Migration while running happens at the next deschedule. */
    ck_assert_int_eq(sched_migrate(s, v, 1, MS(5)), 0);
    ck_assert_uint_eq(sched_vcpu_cpu(v), 0);
    sched_sleep(s, v, MS(6));
    dec = sched_schedule(s, 0, MS(6));
    ck_assert_ptr_null(dec.next);
    ck_assert_uint_eq(sched_vcpu_cpu(v), 1);

    ck_assert_int_eq(sched_vcpu_destroy(s, v), 0);
    ck_assert_int_eq(sched_dom_destroy(s, d), 0);
    sched_destroy(s);
}

START_TEST(test_lifecycle_credit)
{
    lifecycle(XEN_SCHEDULER_CREDIT);
}
END_TEST

/*
 * Hard affinity, both policies: a pinned vCPU is never placed, woken or
 * stolen onto a pCPU outside its mask, and re-pinning a running vCPU moves
 * it at the next decision of its pCPU (which is tickled for it).
 */
static void affinity(unsigned int sched_id)
{
    struct api_env env;
    struct sched *s = api_create(&env, sched_id, 2);
    struct sched_dom *d;
    struct sched_vcpu *a, *b;
    struct sched_decision dec;

    ck_assert_int_eq(sched_dom_create(s, 1, &d), 0);
    ck_assert_int_eq(sched_vcpu_create(s, d, 0, 0, NULL, 0, &a), 0);
    ck_assert_int_eq(sched_vcpu_create(s, d, 1, 0, NULL, 0, &b), 0);
    ck_assert_uint_eq(sched_get_affinity(s, a), 3);

    /* Bits past the pCPUs are ignored; an empty result is refused. */
    ck_assert_int_eq(sched_set_affinity(s, a, 4, 0), -XEN_EINVAL);
    ck_assert_uint_eq(sched_get_affinity(s, a), 3);
    ck_assert_int_eq(sched_set_affinity(s, a, 1 | 4, 0), 0);
    ck_assert_uint_eq(sched_get_affinity(s, a), 1);
    ck_assert_int_eq(sched_migrate(s, a, 1, 0), -XEN_EINVAL);

    /* b runs on pCPU 0; a, pinned there, queues behind it with pCPU 1 idle. */
    sched_wake(s, b, MS(1));
    dec = sched_schedule(s, 0, MS(1));
    ck_assert_ptr_eq(dec.next, b);
    sched_wake(s, a, MS(2));
    ck_assert_uint_eq(sched_vcpu_cpu(a), 0);
    dec = sched_schedule(s, 1, MS(2));
    ck_assert_ptr_null(dec.next); /* pCPU 1 may not take a */
    ck_assert_uint_eq(sched_vcpu_cpu(a), 0);

    /* Re-pin the running b to pCPU 1: its pCPU is tickled, and the next
     * decision there runs a, not b, which goes to pCPU 1. */
    env.tickles[0] = 0;
    ck_assert_int_eq(sched_set_affinity(s, b, 2, MS(3)), 0);
    ck_assert_uint_gt(env.tickles[0], 0);
    ck_assert_uint_eq(sched_vcpu_cpu(b), 0); /* still current there */
    dec = sched_schedule(s, 0, MS(3));
    ck_assert_ptr_eq(dec.next, a);
    ck_assert_uint_eq(sched_vcpu_cpu(b), 1);
    dec = sched_schedule(s, 1, MS(3));
    ck_assert_ptr_eq(dec.next, b);

    sched_sleep(s, a, MS(4));
    sched_sleep(s, b, MS(4));
    sched_schedule(s, 0, MS(4));
    sched_schedule(s, 1, MS(4));
    ck_assert_int_eq(sched_vcpu_destroy(s, a), 0);
    ck_assert_int_eq(sched_vcpu_destroy(s, b), 0);
    ck_assert_int_eq(sched_dom_destroy(s, d), 0);
    sched_destroy(s);
}

START_TEST(test_affinity_credit)
{
    affinity(XEN_SCHEDULER_CREDIT);
}
END_TEST

START_TEST(test_affinity_sedf)
{
    affinity(XEN_SCHEDULER_SEDF);
}
END_TEST

START_TEST(test_lifecycle_sedf)
{
    lifecycle(XEN_SCHEDULER_SEDF);
}
END_TEST

START_TEST(test_scenario_parser_errors)
{
    struct sim_cfg cfg;
    char err[256];

    ck_assert_int_eq(sim_scenario_parse_string("scheduler bvt\ndomain a\n", &cfg, err, sizeof(err)),
                     -1);
    ck_assert_msg(strstr(err, ":1:") != NULL, "%s", err);
    ck_assert_int_eq(sim_scenario_parse_string("cpus 2\ndomain a cpu=2\n", &cfg, err, sizeof(err)),
                     -1);
    ck_assert_int_eq(sim_scenario_parse_string("domain a weight=0\n", &cfg, err, sizeof(err)), -1);
    ck_assert_int_eq(
        sim_scenario_parse_string("domain a workload=io:interval=5\n", &cfg, err, sizeof(err)), -1);
    ck_assert_int_eq(sim_scenario_parse_string("\n# nothing\n", &cfg, err, sizeof(err)), -1);
    ck_assert_int_eq(sim_scenario_parse_string("domain a\ndomain a\n", &cfg, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, ":2:") != NULL, "%s", err);
    ck_assert_int_eq(
        sim_scenario_parse_string("scheduler sedf\ndomain a period=20 slice=2.5 latency=0.125\n",
                                  &cfg, err, sizeof(err)),
        0);
    ck_assert_int_eq(cfg.doms[0].slice_ns, 2500000);
    ck_assert_int_eq(cfg.doms[0].latency_ns, 125000);
}
END_TEST

START_TEST(test_parse_ms_is_exact)
{
    int64_t ns;

    ck_assert_int_eq(sim_parse_ms("30", &ns), 0);
    ck_assert_int_eq(ns, 30000000);
    ck_assert_int_eq(sim_parse_ms("0.000001", &ns), 0);
    ck_assert_int_eq(ns, 1);
    ck_assert_int_eq(sim_parse_ms("17.3", &ns), 0);
    ck_assert_int_eq(ns, 17300000);
    ck_assert_int_eq(sim_parse_ms("0.0000001", &ns), -1);
    ck_assert_int_eq(sim_parse_ms("1e3", &ns), -1);
    ck_assert_int_eq(sim_parse_ms("-1", &ns), -1);
}
END_TEST

int main(void)
{
    const TTest *const tests[] = {
        test_ids_and_names,           test_create_rejects_bad_config,
        test_sched_id_reports_policy, test_credit_params,
        test_sedf_params_validation,  test_sedf_weights_to_slices,
        test_lifecycle_credit,        test_lifecycle_sedf,
        test_affinity_credit,         test_affinity_sedf,
        test_scenario_parser_errors,  test_parse_ms_is_exact,
    };

    return run_tests("sched-core", tests, sizeof(tests) / sizeof(tests[0]));
}
