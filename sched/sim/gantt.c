/*
 * sched/sim/gantt.c - the timeline of what ran where: schedule.csv (one
 * row per slice: pCPU, start and end in ms, domain, vCPU) and the gnuplot
 * script that draws it as a Gantt chart (one bar per slice, a colour per
 * domain, a row per pCPU). The simulator writes it from its own decisions
 * (sim_cfg.slices) and xentrace-convert from a trace of the hypervisor
 * (TRC_SCHED_SWITCH records), so the two draw the same way, side by side.
 */
#include "sim.h"

void gantt_csv_header(FILE *f)
{
    fprintf(f, "cpu,start_ms,end_ms,domain,vcpu\n");
}

void gantt_csv_row(FILE *f, unsigned int cpu, double start_ms, double end_ms, const char *dom,
                   unsigned int vcpu)
{
    if (end_ms > start_ms)
        fprintf(f, "%u,%.3f,%.3f,%s,%u\n", cpu, start_ms, end_ms, dom, vcpu);
}

void gantt_write_script(FILE *f, const char *title, unsigned int nr_cpus, const char *const *doms,
                        unsigned int nr_doms, double from_ms, double to_ms)
{
    fprintf(f,
            "set datafile separator ','\nset terminal pngcairo size 900,500 noenhanced\n"
            "set key outside right\nset grid x\n"
            "set output 'gantt.png'\nset title '%s: who ran on which pCPU'\n"
            "set xlabel 'time (ms)'\nset ylabel 'pCPU'\nset xrange [%.3f:%.3f]\n"
            "set yrange [-0.6:%u.6]\nset ytics 1\nset style fill solid 0.9 noborder\n",
            title, from_ms, to_ms, nr_cpus ? nr_cpus - 1 : 0);
    fprintf(f, "plot ");
    for (unsigned int i = 0; i < nr_doms; i++)
        fprintf(f,
                "%s'schedule.csv' using (strcol(4) eq '%s' ? ($2 + $3) / 2 : 1/0):1:2:3:"
                "($1 - 0.35):($1 + 0.35) with boxxyerror title '%s'",
                i ? ", " : "", doms[i], doms[i]);
    fprintf(f, "\n");
}
