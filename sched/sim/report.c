/*
 * sched/sim/report.c - turns results into files a person reads: CSV for
 * tools, gnuplot scripts and PNGs for eyes, a Markdown page that ties them
 * together. Plots are drawn only when gnuplot is installed (scripts/
 * packages.txt lists gnuplot-nox); the data files are always written.
 */
#define _GNU_SOURCE
#include "sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *wl_name(const struct sim_workload *wl)
{
    switch (wl->kind) {
    case SIM_WL_CPU:
        return wl->yield_ns ? "cpu-yield" : "cpu";
    case SIM_WL_IO:
        return "io";
    case SIM_WL_ONOFF:
        return "onoff";
    case SIM_WL_BURSTY:
        return "bursty";
    }
    return "?";
}

/* Print -0.00 as 0.00: a tiny negative rounding error is not a deviation. */
static double clean(double x)
{
    return x > -0.005 && x < 0.005 ? 0.0 : x;
}

static double MIN_MS(double a, double b)
{
    return a < b ? a : b;
}

static double us(int64_t ns)
{
    return (double)ns / 1000.0;
}

void sim_print_summary_csv(FILE *out, const struct sim_cfg *cfg, const struct sim_result *res)
{
    fprintf(out, "domain,vcpus,workload,share_pct,promised_pct,deviation_pct,lat_p50_us,"
                 "lat_p99_us,lat_max_us,wakeups,deadline_misses,dispatches,migrations,boosts,"
                 "parks\n");
    for (unsigned int i = 0; i < cfg->nr_doms; i++) {
        const struct sim_dom_cfg *dc = &cfg->doms[i];
        const struct sim_dom_result *dr = &res->dom[i];

        fprintf(out, "%s,%u,%s,%.2f,%.2f,%.2f,%.1f,%.1f,%.1f,%llu,%llu,%llu,%llu,%llu,%llu\n",
                dc->name, dc->nr_vcpus, wl_name(&dc->wl), dr->share_pct, dr->promised_pct,
                clean(dr->deviation_pct), us(dr->lat_p50_ns), us(dr->lat_p99_ns),
                us(dr->lat_max_ns), (unsigned long long)dr->wakeups,
                (unsigned long long)dr->deadline_misses, (unsigned long long)dr->dispatches,
                (unsigned long long)dr->migrations, (unsigned long long)dr->boosts,
                (unsigned long long)dr->parks);
    }
    fprintf(out, "# %s: %s, %u pCPUs, %.0f ms: ctx_switches=%llu migrations=%llu idle_pct=%.2f\n",
            cfg->name, sim_sched_name(cfg->sched_id), cfg->nr_cpus, (double)cfg->duration_ns / 1e6,
            (unsigned long long)res->ctx_switches, (unsigned long long)res->migrations,
            100.0 * (double)res->idle_ns / ((double)cfg->duration_ns * cfg->nr_cpus));
}

static FILE *open_report(const char *dir, const char *name)
{
    return sim_create_file("sched-sim", dir, name);
}

static int make_dir(const char *dir)
{
    if (mkdir(dir, 0777) && errno != EEXIST) {
        fprintf(stderr, "sched-sim: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    return 0;
}

static void run_gnuplot(const char *dir, const char *script)
{
    char cmd[4200];

    if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
        fprintf(stderr, "sched-sim: gnuplot not installed (make deps); plots skipped\n");
        return;
    }
    snprintf(cmd, sizeof(cmd), "cd '%s' && gnuplot %s", dir, script);
    if (system(cmd) != 0)
        fprintf(stderr, "sched-sim: gnuplot failed in %s\n", dir);
}

static void write_timeline(FILE *f, const struct sim_cfg *cfg, const struct sim_result *res)
{
    fprintf(f, "time_ms");
    for (unsigned int i = 0; i < cfg->nr_doms; i++)
        fprintf(f, ",%s", cfg->doms[i].name);
    fprintf(f, "\n");
    for (unsigned int w = 0; w < res->nr_windows; w++) {
        fprintf(f, "%.1f", (double)(w + 1) * (double)cfg->window_ns / 1e6);
        for (unsigned int i = 0; i < cfg->nr_doms; i++)
            fprintf(f, ",%.2f", res->dom[i].window_pct[w]);
        fprintf(f, "\n");
    }
}

static void write_latency(FILE *f, const struct sim_cfg *cfg, const struct sim_result *res)
{
    fprintf(f, "domain,fraction,latency_us\n");
    for (unsigned int i = 0; i < cfg->nr_doms; i++) {
        const struct sim_dom_result *dr = &res->dom[i];

        for (uint64_t k = 0; k < dr->wakeups; k++)
            fprintf(f, "%s,%.5f,%.1f\n", cfg->doms[i].name, (double)(k + 1) / (double)dr->wakeups,
                    us(dr->lat_ns[k]));
    }
}

/* Latency is worth plotting for domains that sleep and wake, not for hogs. */
static bool plots_latency(const struct sim_cfg *cfg, const struct sim_result *res, unsigned int i)
{
    return cfg->doms[i].wl.kind != SIM_WL_CPU && res->dom[i].wakeups > 0;
}

static void write_plot_script(FILE *f, const struct sim_cfg *cfg, const struct sim_result *res)
{
    bool any_lat = false;

    fprintf(f, "set datafile separator ','\nset terminal pngcairo size 900,500 noenhanced\n"
               "set key outside right\nset grid\n");
    fprintf(f,
            "set output 'share.png'\nset title '%s (%s): CPU share per %.0f ms window'\n"
            "set xlabel 'time (ms)'\nset ylabel '%% of one pCPU'\nset yrange [0:*]\n",
            cfg->name, sim_sched_name(cfg->sched_id), (double)cfg->window_ns / 1e6);
    fprintf(f, "plot ");
    for (unsigned int i = 0; i < cfg->nr_doms; i++)
        fprintf(f, "%s'timeline.csv' using 1:%u with lines lw 2 title '%s'", i ? ", " : "", i + 2,
                cfg->doms[i].name);
    fprintf(f, "\n");
    for (unsigned int i = 0; i < cfg->nr_doms; i++)
        any_lat |= plots_latency(cfg, res, i);
    if (!any_lat)
        return;
    fprintf(f,
            "set output 'latency.png'\nset title '%s (%s): wake-up latency CDF'\n"
            "set logscale x\nset xlabel 'latency (us)'\nset ylabel 'fraction of wake-ups'\n"
            "plot ",
            cfg->name, sim_sched_name(cfg->sched_id));
    for (unsigned int i = 0, n = 0; i < cfg->nr_doms; i++) {
        if (!plots_latency(cfg, res, i))
            continue;
        fprintf(f,
                "%s'latency.csv' using (strcol(1) eq '%s' ? ($3 > 0.1 ? $3 : 0.1) : 1/0):2 "
                "with steps lw 2 title '%s'",
                n++ ? ", " : "", cfg->doms[i].name, cfg->doms[i].name);
    }
    fprintf(f, "\n");
}

static void write_markdown(FILE *f, const struct sim_cfg *cfg, const struct sim_result *res)
{
    fprintf(f, "# %s\n\nScheduler **%s**, %u pCPU(s), %.0f ms simulated, seed %llu.\n\n", cfg->name,
            sim_sched_name(cfg->sched_id), cfg->nr_cpus, (double)cfg->duration_ns / 1e6,
            (unsigned long long)cfg->seed);
    fprintf(f, "| domain | workload | share %% | promised %% | deviation | p50 us | p99 us | "
               "max us | misses | migrations |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (unsigned int i = 0; i < cfg->nr_doms; i++) {
        const struct sim_dom_result *dr = &res->dom[i];

        fprintf(f, "| %s | %s | %.2f | %.2f | %+.2f | ", cfg->doms[i].name,
                wl_name(&cfg->doms[i].wl), dr->share_pct, dr->promised_pct,
                clean(dr->deviation_pct));
        /* A hog wakes once, at creation: its "latency" says nothing. */
        if (plots_latency(cfg, res, i))
            fprintf(f, "%.1f | %.1f | %.1f | ", us(dr->lat_p50_ns), us(dr->lat_p99_ns),
                    us(dr->lat_max_ns));
        else
            fprintf(f, "- | - | - | ");
        fprintf(f, "%llu | %llu |\n", (unsigned long long)dr->deadline_misses,
                (unsigned long long)dr->migrations);
    }
    fprintf(f, "\nContext switches %llu, migrations %llu, idle %.2f%%.\n\n",
            (unsigned long long)res->ctx_switches, (unsigned long long)res->migrations,
            100.0 * (double)res->idle_ns / ((double)cfg->duration_ns * cfg->nr_cpus));
    fprintf(f, "![share over time](share.png)\n");
    if (cfg->slices)
        fprintf(f, "\n![timeline of the first %.0f ms](gantt.png)\n", GANTT_SPAN_MS);
    for (unsigned int i = 0; i < cfg->nr_doms; i++) {
        if (plots_latency(cfg, res, i)) {
            fprintf(f, "\n![latency](latency.png)\n");
            break;
        }
    }
}

int sim_write_report(const char *dir, const struct sim_cfg *cfg, const struct sim_result *res,
                     bool plots)
{
    FILE *f;

    if (make_dir(dir))
        return -1;
    if (!(f = open_report(dir, "summary.csv")))
        return -1;
    sim_print_summary_csv(f, cfg, res);
    fclose(f);
    if (!(f = open_report(dir, "timeline.csv")))
        return -1;
    write_timeline(f, cfg, res);
    fclose(f);
    if (!(f = open_report(dir, "latency.csv")))
        return -1;
    write_latency(f, cfg, res);
    fclose(f);
    if (!(f = open_report(dir, "plot.gp")))
        return -1;
    write_plot_script(f, cfg, res);
    fclose(f);
    if (!(f = open_report(dir, "summary.md")))
        return -1;
    write_markdown(f, cfg, res);
    fclose(f);
    if (cfg->slices) {
        const char *names[SIM_MAX_DOMS];
        char title[128];

        if (!(f = open_report(dir, "gantt.gp")))
            return -1;
        for (unsigned int i = 0; i < cfg->nr_doms; i++)
            names[i] = cfg->doms[i].name;
        snprintf(title, sizeof(title), "%s (%s)", cfg->name, sim_sched_name(cfg->sched_id));
        gantt_write_script(f, title, cfg->nr_cpus, names, cfg->nr_doms, 0.0,
                           MIN_MS((double)cfg->duration_ns / 1e6, GANTT_SPAN_MS));
        fclose(f);
    }
    if (plots)
        run_gnuplot(dir, "plot.gp");
    if (plots && cfg->slices)
        run_gnuplot(dir, "gantt.gp");
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double pct_of(const double *sorted, unsigned int n, unsigned int p)
{
    unsigned int rank = (n * p + 99) / 100;

    return n ? sorted[rank ? rank - 1 : 0] : 0;
}

/*
 * One row per sweep value for the swept domain: the target (promised share),
 * what it got, the relative error of the whole run, and the spread of the
 * relative error over sampling windows (ALERT-style).
 */
int sim_write_sweep(const char *dir, const struct sim_cfg *cfg, struct sim_result *results,
                    bool plots)
{
    unsigned int d = 0;
    FILE *f;

    while (strcmp(cfg->doms[d].name, cfg->sweep.dom))
        d++;
    if (make_dir(dir) || !(f = open_report(dir, "sweep.csv")))
        return -1;
    fprintf(f, "value,target_pct,share_pct,error_rel_pct,win_err_p5,win_err_p50,win_err_p95\n");
    for (unsigned int i = 0; i < cfg->sweep.nr_values; i++) {
        const struct sim_dom_result *dr = &results[i].dom[d];
        unsigned int n = results[i].nr_windows;
        double *err = calloc(n ? n : 1, sizeof(double));
        double target = dr->promised_pct;
        double v = (double)cfg->sweep.values[i];

        if (!err)
            abort();
        for (unsigned int w = 0; w < n; w++)
            err[w] = target > 0 ? 100.0 * (dr->window_pct[w] - target) / target : 0;
        qsort(err, n, sizeof(double), cmp_double);
        if (!strcmp(cfg->sweep.param, "slice") || !strcmp(cfg->sweep.param, "period"))
            v /= 1e6;
        fprintf(f, "%g,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f\n", v, target, dr->share_pct,
                target > 0 ? 100.0 * (dr->share_pct - target) / target : 0, pct_of(err, n, 5),
                pct_of(err, n, 50), pct_of(err, n, 95));
        free(err);
    }
    fclose(f);
    if (!(f = open_report(dir, "sweep.gp")))
        return -1;
    fprintf(f,
            "set datafile separator ','\nset terminal pngcairo size 900,500 noenhanced\n"
            "set output 'sweep.png'\nset grid\nset key top right\n"
            "set title '%s (%s): allocation error of %s per %.0f ms window'\n"
            "set xlabel 'target share (%% of one pCPU)'\nset ylabel 'relative error (%%)'\n"
            "plot 'sweep.csv' every ::1 using 2:6:5:7 with yerrorlines lw 2 "
            "title 'window error p50 (p5..p95)', "
            "'sweep.csv' every ::1 using 2:4 with linespoints lw 2 title 'whole-run error'\n",
            cfg->name, sim_sched_name(cfg->sched_id), cfg->sweep.dom, (double)cfg->window_ns / 1e6);
    fclose(f);
    if (plots)
        run_gnuplot(dir, "sweep.gp");
    return 0;
}
