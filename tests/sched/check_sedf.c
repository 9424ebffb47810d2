/*
 * tests/sched/check_sedf.c - SEDF's properties in 3 s simulated runs:
 * reservations delivered exactly, weights to slices, every deadline of a
 * feasible set met and misses counted when overloaded, extra time split by
 * weight, the latency hint, per-pCPU isolation (no balancing), idling, no
 * starvation and domains arriving and leaving.
 */
#include "helpers.h"

static uint64_t total_misses(const struct sim_result *res)
{
    uint64_t n = 0;

    for (unsigned int i = 0; i < res->nr_doms; i++)
        n += res->dom[i].deadline_misses;
    return n;
}

/* Xen reference: period 20 ms, slice 5 ms, no extra time -> 25%, rest idle. */
START_TEST(test_reservation_20_5)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\nduration 3000\ndomain rt period=20 slice=5 extratime=0\n", &cfg,
                 &res);
    ck_assert_share(&cfg, &res, "rt", 25.0, 0.1);
    ck_assert_uint_eq(total_misses(&res), 0);
    ck_assert_int_ge(res.idle_ns, 3000 * SIM_NS_PER_MS * 749 / 1000);
    sim_result_free(&res);
}
END_TEST

/* Xen reference: weights 2:3:4:2 -> 17.3/25.9/34.5/17.3 ms of every 100 ms. */
START_TEST(test_weights_2_3_4_2)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\nduration 3000\n"
                 "domain a weight=2\ndomain b weight=3\ndomain c weight=4\ndomain d weight=2\n",
                 &cfg, &res);
    ck_assert_share(&cfg, &res, "a", 17.27, 0.5);
    ck_assert_share(&cfg, &res, "b", 25.91, 0.5);
    ck_assert_share(&cfg, &res, "c", 34.55, 0.5);
    ck_assert_share(&cfg, &res, "d", 17.27, 0.5);
    ck_assert_uint_eq(total_misses(&res), 0);
    /* The 5 ms of safety per 100 ms stays idle (no extra time asked for). */
    ck_assert_int_ge(res.idle_ns, 3000 * SIM_NS_PER_MS * 49 / 1000);
    sim_result_free(&res);
}
END_TEST

/* A feasible mix (U = 0.95) of hogs, bursty and I/O work: no deadline missed. */
START_TEST(test_feasible_set_meets_every_deadline)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\nduration 3000\n"
                 "domain a period=20 slice=5\n"
                 "domain b period=10 slice=3\n"
                 "domain c period=50 slice=15 workload=bursty:run=8,sleep=20\n"
                 "domain d period=5 slice=0.5 workload=io:interval=5,service=0.3,jitter=2\n",
                 &cfg, &res);
    ck_assert_uint_eq(total_misses(&res), 0);
    ck_assert_share(&cfg, &res, "a", 25.0, 0.1);
    ck_assert_share(&cfg, &res, "b", 30.0, 0.1);
    ck_assert_uint_gt(dom_result(&cfg, &res, "d")->wakeups, 500);
    sim_result_free(&res);
}
END_TEST

/*
 * Overload (U = 1.4 on pCPU 0) misses deadlines, predictably: at least the
 * unmet demand (0.4 x 3 s) divided by the largest slice; the full pCPU is
 * used; and pCPU 1's feasible set, isolated by per-pCPU EDF, misses none.
 */
START_TEST(test_overload_misses_predictably)
{
    struct sim_cfg cfg;
    struct sim_result res;
    uint64_t misses;

    run_scenario("scheduler sedf\ncpus 2\nduration 3000\n"
                 "domain a period=20 slice=10 cpu=0\n"
                 "domain b period=30 slice=15 cpu=0\n"
                 "domain c period=50 slice=20 cpu=0\n"
                 "domain ok1 period=10 slice=4 cpu=1\n"
                 "domain ok2 period=40 slice=20 cpu=1\n",
                 &cfg, &res);
    misses = dom_result(&cfg, &res, "a")->deadline_misses +
             dom_result(&cfg, &res, "b")->deadline_misses +
             dom_result(&cfg, &res, "c")->deadline_misses;
    ck_assert_msg(misses >= 1200 / 20, "only %llu misses", (unsigned long long)misses);
    ck_assert_uint_gt(dom_result(&cfg, &res, "a")->deadline_misses, 0);
    ck_assert_uint_gt(dom_result(&cfg, &res, "c")->deadline_misses, 0);
    ck_assert_uint_eq(dom_result(&cfg, &res, "ok1")->deadline_misses, 0);
    ck_assert_uint_eq(dom_result(&cfg, &res, "ok2")->deadline_misses, 0);
    ck_assert_share(&cfg, &res, "ok1", 40.0, 0.1);
    ck_assert_share(&cfg, &res, "ok2", 50.0, 0.1);
    {
        double sum =
            share_of(&cfg, &res, "a") + share_of(&cfg, &res, "b") + share_of(&cfg, &res, "c");

        ck_assert_msg(sum > 99.9, "overloaded pCPU used only %.2f%%", sum);
    }
    ck_assert_uint_eq(res.migrations, 0);
    sim_result_free(&res);
}
END_TEST

/* Idle time goes to extratime domains by weight (1:3), after the reservation. */
START_TEST(test_extra_time_split_by_weight)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\nduration 3000\n"
                 "domain rt period=20 slice=5\n"
                 "domain small weight=1 extratime=1\ndomain big weight=3 extratime=1\n",
                 &cfg, &res);
    ck_assert_share(&cfg, &res, "rt", 25.0, 0.1);
    ck_assert_share(&cfg, &res, "small", 75.0 / 4, 1.0);
    ck_assert_share(&cfg, &res, "big", 75.0 * 3 / 4, 1.0);
    ck_assert_int_lt(res.idle_ns, 3000 * SIM_NS_PER_MS / 100);
    sim_result_free(&res);
}
END_TEST

/* Time-driven extratime domains without a weight share by reservation (1:2). */
START_TEST(test_extra_time_by_utilisation)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\nduration 3000\n"
                 "domain one period=20 slice=2 extratime=1\n"
                 "domain two period=20 slice=4 extratime=1\n",
                 &cfg, &res);
    /* 10% + 1/3 of 70%, 20% + 2/3 of 70%. */
    ck_assert_share(&cfg, &res, "one", 10 + 70.0 / 3, 2.0);
    ck_assert_share(&cfg, &res, "two", 20 + 140.0 / 3, 2.0);
    sim_result_free(&res);
}
END_TEST

/*
 * The latency hint: an I/O domain that wakes after long blocks normally gets
 * a deadline a whole period (100 ms) away and waits behind a 10 ms-period
 * hog; with latency=1 its first period after waking is 1 ms and it runs at
 * once, without using more CPU.
 */
START_TEST(test_latency_hint_cuts_wake_latency)
{
    static const char *const text = "scheduler sedf\nduration 3000\n"
                                    "domain io period=100 slice=10 latency=%s "
                                    "workload=io:interval=150,service=0.5\n"
                                    "domain hog period=10 slice=8\n";
    char buf[256];
    struct sim_cfg cfg;
    struct sim_result plain, hinted;
    const struct sim_dom_result *p, *h;

    snprintf(buf, sizeof(buf), text, "0");
    run_scenario(buf, &cfg, &plain);
    snprintf(buf, sizeof(buf), text, "1");
    run_scenario(buf, &cfg, &hinted);
    p = dom_result(&cfg, &plain, "io");
    h = dom_result(&cfg, &hinted, "io");
    ck_assert_uint_gt(h->wakeups, 15);
    ck_assert_msg(p->lat_p50_ns >= 1000000, "plain p50 %lld", (long long)p->lat_p50_ns);
    ck_assert_msg(h->lat_max_ns <= 200000, "hinted max %lld", (long long)h->lat_max_ns);
    ck_assert_int_eq(p->run_ns, h->run_ns); /* same work done either way */
    ck_assert_uint_eq(total_misses(&hinted), 0);
    sim_result_free(&plain);
    sim_result_free(&hinted);
}
END_TEST

/* SEDF does not balance: hogs all on pCPU 0 leave pCPU 1 idle. */
START_TEST(test_no_load_balancing)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\ncpus 2\nduration 3000\n"
                 "domain a cpu=0\ndomain b cpu=0\n",
                 &cfg, &res);
    ck_assert_uint_eq(res.migrations, 0);
    ck_assert_share(&cfg, &res, "a", 50.0, 1.0);
    ck_assert_share(&cfg, &res, "b", 50.0, 1.0);
    ck_assert_int_ge(res.idle_ns, 3000 * SIM_NS_PER_MS * 99 / 100);
    sim_result_free(&res);
}
END_TEST

/* Best-effort domains beside a feasible set are never starved of idle time. */
START_TEST(test_no_starvation_best_effort)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\nduration 3000\nwindow 500\n"
                 "domain rt1 period=10 slice=4\ndomain rt2 period=30 slice=9\n"
                 "domain be1\ndomain be2\ndomain be3\n",
                 &cfg, &res);
    for (unsigned int i = 0; i < cfg.nr_doms; i++)
        for (unsigned int w = 0; w < res.nr_windows; w++)
            ck_assert_msg(res.dom[i].window_pct[w] > 0, "%s starved in window %u", cfg.doms[i].name,
                          w);
    ck_assert_share(&cfg, &res, "be1", 10.0, 1.5);
    ck_assert_uint_eq(total_misses(&res), 0);
    sim_result_free(&res);
}
END_TEST

START_TEST(test_idle_when_nothing_runnable)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\nduration 3000\n"
                 "domain io period=10 slice=2 workload=io:interval=10,service=1\n",
                 &cfg, &res);
    ck_assert_share(&cfg, &res, "io", 10.0, 0.1);
    ck_assert_int_ge(res.idle_ns, 3000 * SIM_NS_PER_MS * 899 / 1000);
    ck_assert_uint_lt(res.decisions, 3 * dom_result(&cfg, &res, "io")->wakeups + 100);
    sim_result_free(&res);
}
END_TEST

START_TEST(test_vcpus_added_and_removed)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\ncpus 2\nduration 3000\n"
                 "domain be vcpus=2\n"
                 "domain rt vcpus=2 period=20 slice=10 start=1000 stop=2000\n",
                 &cfg, &res);
    ck_assert_msg(window_share(&cfg, &res, "be", 0, 1000) > 199, "be alone");
    ck_assert_msg(window_share(&cfg, &res, "rt", 1000, 2000) > 99.5, "rt got %.1f",
                  window_share(&cfg, &res, "rt", 1000, 2000));
    ck_assert_msg(window_share(&cfg, &res, "be", 1000, 2000) < 101, "be while rt runs");
    ck_assert_msg(window_share(&cfg, &res, "be", 2000, 3000) > 199, "be after rt left");
    ck_assert_uint_eq(total_misses(&res), 0);
    sim_result_free(&res);
}
END_TEST

/*
 * Bug: when a domain arrived, a queued vCPU's weight-derived slice could
 * shrink below what it had already run this period; picking it then gave a
 * negative time slice. Domains now arrive and leave while others are
 * mid-period, preempted by an I/O reservation.
 */
START_TEST(test_reweigh_shrinks_queued_slice)
{
    struct sim_cfg cfg;
    struct sim_result res;
    double sum = 0;

    run_scenario("scheduler sedf\nduration 1000\n"
                 "domain a weight=1\ndomain b weight=1\n"
                 "domain rt period=5 slice=1 workload=io:interval=3,service=0.7\n"
                 "domain c weight=4 start=70 stop=400\n"
                 "domain d weight=4 start=133 stop=600\n"
                 "domain e weight=8 start=251 stop=900\n",
                 &cfg, &res);
    for (unsigned int i = 0; i < cfg.nr_doms; i++) {
        ck_assert_int_gt(res.dom[i].run_ns, 0);
        sum += (double)res.dom[i].run_ns;
    }
    ck_assert_uint_eq(total_misses(&res), 0);
    ck_assert_int_eq((int64_t)sum + res.idle_ns, 1000 * SIM_NS_PER_MS);
    sim_result_free(&res);
}
END_TEST

/*
 * Bug: a domain arriving reweighed every vCPU and reset its in-force period
 * and slice to the base values, so a vCPU in a latency-shortened first
 * period (0.5 ms) suddenly owed a full slice by that early deadline and
 * missed it. A feasible set (U = 0.74) with latency hints must miss nothing.
 */
START_TEST(test_arrival_keeps_latency_shortened_period)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler sedf\nduration 400\n"
                 "domain d0 vcpus=2 period=10 slice=1.66 extratime=1 latency=0.5 "
                 "workload=bursty:run=2,sleep=6\n"
                 "domain d1 period=5 slice=1.58 extratime=1 latency=0.5 "
                 "workload=bursty:run=2,sleep=6\n"
                 "domain d2 period=5 slice=0.435 latency=0.5 "
                 "workload=io:interval=3,service=0.5,jitter=1\n",
                 &cfg, &res);
    ck_assert_uint_eq(total_misses(&res), 0);
    sim_result_free(&res);
}
END_TEST

int main(void)
{
    const TTest *const tests[] = {
        test_reservation_20_5,
        test_weights_2_3_4_2,
        test_feasible_set_meets_every_deadline,
        test_overload_misses_predictably,
        test_extra_time_split_by_weight,
        test_extra_time_by_utilisation,
        test_latency_hint_cuts_wake_latency,
        test_no_load_balancing,
        test_no_starvation_best_effort,
        test_idle_when_nothing_runnable,
        test_vcpus_added_and_removed,
        test_reweigh_shrinks_queued_slice,
        test_arrival_keeps_latency_shortened_period,
    };

    return run_tests("sched-sedf", tests, sizeof(tests) / sizeof(tests[0]));
}
