/*
 * tests/sched/check_credit.c - Credit's properties, each shown by running
 * the real scheduler in the simulator for 3 s of virtual time: shares by
 * weight, caps, BOOST for waking I/O, timestamp accounting against the
 * yield-before-tick attack, load balancing, no starvation, idling, vCPUs
 * arriving and leaving, and determinism.
 */
#include "helpers.h"

#include <string.h>

/* Xen reference: 512:256 on one pCPU -> 66.7% / 33.3%. */
START_TEST(test_weights_512_256)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler credit\nduration 3000\n"
                 "domain heavy weight=512\ndomain light weight=256\n",
                 &cfg, &res);
    ck_assert_share(&cfg, &res, "heavy", 66.67, 2.0);
    ck_assert_share(&cfg, &res, "light", 33.33, 2.0);
    sim_result_free(&res);
}
END_TEST

START_TEST(test_weights_1_2_4)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler credit\nduration 3000\n"
                 "domain w1 weight=100\ndomain w2 weight=200\ndomain w4 weight=400\n",
                 &cfg, &res);
    ck_assert_share(&cfg, &res, "w1", 100.0 / 7, 2.0);
    ck_assert_share(&cfg, &res, "w2", 200.0 / 7, 2.0);
    ck_assert_share(&cfg, &res, "w4", 400.0 / 7, 2.0);
    sim_result_free(&res);
}
END_TEST

/* Xen reference: cap 50 on a lone hog -> 50%, the rest idle. */
START_TEST(test_cap_50_alone)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler credit\nduration 3000\ndomain hog cap=50\n", &cfg, &res);
    ck_assert_share(&cfg, &res, "hog", 50.0, 1.0);
    ck_assert_uint_gt(dom_result(&cfg, &res, "hog")->parks, 10);
    ck_assert_int_ge(res.idle_ns, 3000 * SIM_NS_PER_MS * 49 / 100);
    sim_result_free(&res);
}
END_TEST

/*
 * Caps are never exceeded: over the run a capped domain gets at most its
 * cap plus the debt it may run up before parking (its share of one period's
 * cap) and one tick of overshoot. Competing hogs make spare CPU plentiful,
 * so only the cap holds the capped domains back.
 */
START_TEST(test_caps_never_exceeded)
{
    static const unsigned int caps[] = {5, 20, 45};
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler credit\ncpus 2\nduration 3000\n"
                 "domain c5 cap=5 weight=1000\ndomain c20 cap=20 weight=1000\n"
                 "domain c45 cap=45 weight=1000\ndomain hog1\ndomain hog2\n",
                 &cfg, &res);
    for (unsigned int i = 0; i < 3; i++) {
        char name[8];
        double bound = caps[i] + 100.0 * (caps[i] * 0.3 + 10.0) / 3000.0;

        snprintf(name, sizeof(name), "c%u", caps[i]);
        ck_assert_msg(share_of(&cfg, &res, name) <= bound, "%s got %.2f%% > %.2f%%", name,
                      share_of(&cfg, &res, name), bound);
        ck_assert_msg(share_of(&cfg, &res, name) >= caps[i] - 1.5, "%s got only %.2f%%", name,
                      share_of(&cfg, &res, name));
        /*
         * Any 1 s stretch: at most the cap plus how far the credit can swing
         * (up to one period's grant above zero, down to the park threshold
         * plus a tick below it) and one more period's grant.
         */
        for (unsigned int from = 0; from + 1000 <= 3000; from += 500) {
            double slack = 100.0 * (3 * caps[i] * 0.3 + 10.0) / 1000.0;

            ck_assert_msg(window_share(&cfg, &res, name, from, from + 1000) <= caps[i] + slack,
                          "%s over cap in [%u, %u) ms", name, from, from + 1000);
        }
    }
    sim_result_free(&res);
}
END_TEST

/*
 * BOOST: an I/O domain waking while UNDER runs before OVER hogs: p99 wake
 * latency within the 1 ms ratelimit. Without BOOST it waits behind 30 ms
 * slices.
 */
START_TEST(test_boost_io_before_hogs)
{
    static const char *const text = "scheduler credit\nduration 3000\nboost %s\n"
                                    "domain io workload=io:interval=10,service=0.2\n"
                                    "domain hog1\ndomain hog2\n";
    char buf[256];
    struct sim_cfg cfg;
    struct sim_result on, off;
    const struct sim_dom_result *io_on, *io_off;

    snprintf(buf, sizeof(buf), text, "on");
    run_scenario(buf, &cfg, &on);
    io_on = dom_result(&cfg, &on, "io");
    snprintf(buf, sizeof(buf), text, "off");
    run_scenario(buf, &cfg, &off);
    io_off = dom_result(&cfg, &off, "io");

    ck_assert_uint_gt(io_on->wakeups, 250);
    ck_assert_uint_gt(io_on->boosts, 250);
    ck_assert_msg(io_on->lat_p99_ns <= 1000000, "p99 with boost %lld ns",
                  (long long)io_on->lat_p99_ns);
    ck_assert_uint_eq(io_off->boosts, 0);
    /* Unboosted, it still preempts OVER hogs, but waits out UNDER ones. */
    ck_assert_msg(io_off->lat_p99_ns >= 5000000, "p99 without boost %lld ns",
                  (long long)io_off->lat_p99_ns);
    /* The I/O domain gets what it asks for either way (2%), the hogs the rest. */
    ck_assert_share(&cfg, &off, "io", 2.0, 0.2);
    sim_result_free(&on);
    sim_result_free(&off);
}
END_TEST

/*
 * The 2009 accounting attack: a guest that yields (or blocks briefly) just
 * before each 10 ms tick. Exact burn means it cannot take more than its
 * share against an equal-weight hog.
 */
START_TEST(test_yield_before_tick_gets_no_more)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler credit\nduration 3000\n"
                 "domain yielder workload=cpu:yield=9.5\n"
                 "domain blocker workload=onoff:run=9.5,sleep=0.05\n"
                 "domain hog\n",
                 &cfg, &res);
    ck_assert_msg(share_of(&cfg, &res, "yielder") <= 100.0 / 3 + 2, "yielder took %.2f%%",
                  share_of(&cfg, &res, "yielder"));
    ck_assert_msg(share_of(&cfg, &res, "blocker") <= 100.0 / 3 + 2, "blocker took %.2f%%",
                  share_of(&cfg, &res, "blocker"));
    ck_assert_msg(share_of(&cfg, &res, "hog") >= 100.0 / 3 - 2, "hog got %.2f%%",
                  share_of(&cfg, &res, "hog"));
    sim_result_free(&res);
}
END_TEST

/* Work stealing: 3 hogs all placed on pCPU 0 of 2 get 2/3 each. */
START_TEST(test_load_balance_two_pcpus)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler credit\ncpus 2\nduration 3000\n"
                 "domain a cpu=0\ndomain b cpu=0\ndomain c cpu=0\n",
                 &cfg, &res);
    ck_assert_share(&cfg, &res, "a", 66.67, 3.0);
    ck_assert_share(&cfg, &res, "b", 66.67, 3.0);
    ck_assert_share(&cfg, &res, "c", 66.67, 3.0);
    ck_assert_uint_gt(res.migrations, 0);
    ck_assert_int_lt(res.idle_ns, 2 * SIM_NS_PER_MS); /* work-conserving */
    sim_result_free(&res);
}
END_TEST

/* 8 pCPUs, 18 vCPUs of mixed weights: nothing idles, nobody starves. */
START_TEST(test_eight_pcpus_no_starvation)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler credit\ncpus 8\nduration 3000\nwindow 500\n"
                 "domain a vcpus=4\ndomain b vcpus=4 weight=512\ndomain c vcpus=8\n"
                 "domain io vcpus=2 workload=io:interval=5,service=0.5\n",
                 &cfg, &res);
    ck_assert_int_lt(res.idle_ns, 8 * 3000 * SIM_NS_PER_MS / 100);
    for (unsigned int i = 0; i < cfg.nr_doms; i++) {
        const struct sim_dom_result *dr = &res.dom[i];

        ck_assert_msg(dr->share_pct >= 0.9 * dr->promised_pct, "%s: %.2f%% of %.2f%% promised",
                      cfg.doms[i].name, dr->share_pct, dr->promised_pct);
        for (unsigned int w = 0; w < res.nr_windows; w++)
            ck_assert_msg(dr->window_pct[w] > 0, "%s starved in window %u", cfg.doms[i].name, w);
    }
    ck_assert_share(&cfg, &res, "io", 20.0, 0.5);
    ck_assert_uint_gt(res.migrations, 0);
    sim_result_free(&res);
}
END_TEST

/*
 * Many hogs on one pCPU, one of weight 1: every domain runs, and each gets
 * at least 85% of its promise over the run (weight 1 of 2305 is 0.04%, less
 * than one 30 ms slice in 3 s, so it is judged on having run at all). The
 * slack is Credit's: a heavy domain queued behind many 30 ms slices banks
 * more than a slice of credit, stops earning and has it halved.
 */
START_TEST(test_no_starvation_ten_hogs)
{
    struct sim_cfg cfg;
    struct sim_result res;
    char text[1024] = "scheduler credit\nduration 3000\n";

    for (int i = 0; i < 10; i++)
        snprintf(text + strlen(text), sizeof(text) - strlen(text), "domain h%d weight=%d\n", i,
                 i == 0 ? 1 : 64 << (i % 5));
    run_scenario(text, &cfg, &res);
    for (unsigned int i = 0; i < cfg.nr_doms; i++) {
        ck_assert_msg(res.dom[i].run_ns > 0, "%s never ran", cfg.doms[i].name);
        ck_assert_msg(i == 0 || res.dom[i].share_pct >= 0.85 * res.dom[i].promised_pct,
                      "%s: %.2f%% of %.2f%%", cfg.doms[i].name, res.dom[i].share_pct,
                      res.dom[i].promised_pct);
    }
    /*
     * Weight 1 runs only when every other vCPU is OVER, one 30 ms slice at a
     * time; the -30 ms floor on uncapped debt means it is never pushed back
     * further, so it gets a few slices, not its 0.04%.
     */
    ck_assert_msg(share_of(&cfg, &res, "h0") < 5.0, "h0 %.2f%%", share_of(&cfg, &res, "h0"));
    sim_result_free(&res);
}
END_TEST

START_TEST(test_idle_when_nothing_runnable)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler credit\ncpus 2\nduration 3000\n"
                 "domain io workload=io:interval=10,service=1\n",
                 &cfg, &res);
    ck_assert_share(&cfg, &res, "io", 10.0, 0.1);
    /* 2 pCPUs x 3 s, less the 10% of one the I/O domain used. */
    ck_assert_int_ge(res.idle_ns, (2 * 3000 - 300) * SIM_NS_PER_MS - SIM_NS_PER_MS);
    /* Nothing to decide while idle: few decisions beyond the wake-ups. */
    ck_assert_uint_lt(res.decisions, 2 * dom_result(&cfg, &res, "io")->wakeups + 400);
    sim_result_free(&res);
}
END_TEST

/* vCPUs arrive and leave mid-run; the others absorb the change. */
START_TEST(test_vcpus_added_and_removed)
{
    struct sim_cfg cfg;
    struct sim_result res;

    run_scenario("scheduler credit\ncpus 2\nduration 3000\n"
                 "domain a vcpus=2\ndomain b vcpus=2\n"
                 "domain late vcpus=2 start=1000 stop=2000\n",
                 &cfg, &res);
    ck_assert_msg(window_share(&cfg, &res, "a", 0, 1000) > 95, "a alone");
    ck_assert_msg(window_share(&cfg, &res, "a", 1100, 2000) < 75, "a while late runs");
    ck_assert_msg(window_share(&cfg, &res, "late", 1100, 2000) > 58, "late got %.1f",
                  window_share(&cfg, &res, "late", 1100, 2000));
    ck_assert_msg(window_share(&cfg, &res, "late", 2000, 3000) == 0, "late after stop");
    ck_assert_msg(window_share(&cfg, &res, "b", 2100, 3000) > 95, "b after late left");
    ck_assert_share(&cfg, &res, "late", 66.67, 6.0); /* over its 1 s life */
    sim_result_free(&res);
}
END_TEST

START_TEST(test_deterministic)
{
    static const char *const text = "scheduler credit\ncpus 2\nduration 1000\nseed %d\n"
                                    "domain b vcpus=3 workload=bursty:run=3,sleep=4\n"
                                    "domain h\n";
    char buf[256];
    struct sim_cfg cfg;
    struct sim_result r1, r2, r3;

    snprintf(buf, sizeof(buf), text, 7);
    run_scenario(buf, &cfg, &r1);
    run_scenario(buf, &cfg, &r2);
    snprintf(buf, sizeof(buf), text, 8);
    run_scenario(buf, &cfg, &r3);
    ck_assert_int_eq(r1.dom[0].run_ns, r2.dom[0].run_ns);
    ck_assert_uint_eq(r1.ctx_switches, r2.ctx_switches);
    ck_assert_uint_eq(r1.dom[0].wakeups, r2.dom[0].wakeups);
    ck_assert_int_eq(r1.dom[0].lat_p99_ns, r2.dom[0].lat_p99_ns);
    ck_assert(r1.dom[0].run_ns != r3.dom[0].run_ns || r1.ctx_switches != r3.ctx_switches);
    sim_result_free(&r1);
    sim_result_free(&r2);
    sim_result_free(&r3);
}
END_TEST

/*
 * The time slice is tunable (Xen >= 4.2, 1..1000 ms): without BOOST an I/O
 * vCPU waits behind UNDER hogs for up to a slice each, so 5 ms slices cut
 * its tail latency several-fold against the default 30 ms.
 */
START_TEST(test_tslice_tunable)
{
    static const char *const text = "scheduler credit\nduration 3000\ntslice %u\nboost off\n"
                                    "domain io workload=io:interval=10,service=0.2\n"
                                    "domain hog1\ndomain hog2\n";
    char buf[256];
    struct sim_cfg cfg;
    struct sim_result r30, r5;
    int64_t p99_30, p99_5;

    snprintf(buf, sizeof(buf), text, 30u);
    run_scenario(buf, &cfg, &r30);
    p99_30 = dom_result(&cfg, &r30, "io")->lat_p99_ns;
    snprintf(buf, sizeof(buf), text, 5u);
    run_scenario(buf, &cfg, &r5);
    p99_5 = dom_result(&cfg, &r5, "io")->lat_p99_ns;
    ck_assert_msg(p99_30 >= 30 * SIM_NS_PER_MS, "30 ms slices: p99 %lld", (long long)p99_30);
    ck_assert_msg(p99_5 <= 15 * SIM_NS_PER_MS, "5 ms slices: p99 %lld", (long long)p99_5);
    ck_assert_uint_gt(dom_result(&cfg, &r5, "hog1")->dispatches,
                      3 * dom_result(&cfg, &r30, "hog1")->dispatches);
    sim_result_free(&r30);
    sim_result_free(&r5);
}
END_TEST

int main(void)
{
    const TTest *const tests[] = {
        test_weights_512_256,
        test_weights_1_2_4,
        test_cap_50_alone,
        test_caps_never_exceeded,
        test_boost_io_before_hogs,
        test_yield_before_tick_gets_no_more,
        test_load_balance_two_pcpus,
        test_eight_pcpus_no_starvation,
        test_no_starvation_ten_hogs,
        test_idle_when_nothing_runnable,
        test_vcpus_added_and_removed,
        test_deterministic,
        test_tslice_tunable,
    };

    return run_tests("sched-credit", tests, sizeof(tests) / sizeof(tests[0]));
}
