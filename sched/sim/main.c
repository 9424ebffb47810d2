/*
 * sched/sim/main.c - `sched-sim [-o DIR] [--no-plots] [--trace] SCENARIO`.
 *
 * --trace prints the schedule itself first: one line per change of what a
 * pCPU runs ("12.345 cpu0 web.0", ms), the golden tests' schedule.
 * Runs the scenario (every value of its sweep, if it has one), prints the
 * summary CSV (or the sweep CSV) on stdout, and with -o writes the CSVs,
 * gnuplot scripts, PNGs and a Markdown summary into DIR. Exit 0 on
 * success, 1 on a bad scenario or a failed run, 2 on bad usage.
 */
#include "sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(void)
{
    fprintf(stderr, "usage: sched-sim [-o OUTDIR] [--no-plots] [--trace] SCENARIO\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *path = NULL;
    static struct sim_cfg cfg, one;
    bool plots = true, trace = false;
    char err[256];
    FILE *f;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--no-plots"))
            plots = false;
        else if (!strcmp(argv[i], "--trace"))
            trace = true;
        else if (argv[i][0] == '-' || path)
            usage();
        else
            path = argv[i];
    }
    if (!path)
        usage();
    f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    if (sim_scenario_parse(f, path, &cfg, err, sizeof(err))) {
        fprintf(stderr, "sched-sim: %s\n", err);
        fclose(f);
        return 1;
    }
    fclose(f);
    if (trace)
        cfg.trace = stdout;

    if (!cfg.sweep.active) {
        static struct sim_result res;
        FILE *slices = NULL;

        /* The timeline of a single run goes beside its report. */
        if (out && (mkdir(out, 0777) == 0 || errno == EEXIST)) {
            char p[4096];

            snprintf(p, sizeof(p), "%s/schedule.csv", out);
            slices = fopen(p, "w");
            if (slices)
                gantt_csv_header(slices);
            cfg.slices = slices;
        }
        rc = sim_run(&cfg, &res);
        if (slices)
            fflush(slices); /* before gnuplot reads it */
        if (!rc) {
            sim_print_summary_csv(stdout, &cfg, &res);
            if (out && sim_write_report(out, &cfg, &res, plots))
                rc = 1;
        }
        if (slices)
            fclose(slices);
        sim_result_free(&res);
        return rc ? 1 : 0;
    }

    struct sim_result *results = calloc(cfg.sweep.nr_values, sizeof(*results));

    if (!results)
        return 1;
    for (unsigned int i = 0; i < cfg.sweep.nr_values && rc == 0; i++) {
        sim_sweep_apply(&cfg, i, &one);
        if (sim_run(&one, &results[i]))
            rc = 1;
        else
            sim_print_summary_csv(stdout, &one, &results[i]);
    }
    if (rc == 0 && out && sim_write_sweep(out, &cfg, results, plots))
        rc = 1;
    for (unsigned int i = 0; i < cfg.sweep.nr_values; i++)
        sim_result_free(&results[i]);
    free(results);
    return rc;
}
