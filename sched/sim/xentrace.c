/*
 * sched/sim/xentrace.c - `xentrace-convert`: a trace in xentrace's binary
 * format (written by `vane trace` or Xen's own xentrace) into CSV and a
 * Gantt chart drawn as the simulator draws its own (gantt.c).
 *
 *   xentrace-convert --cpu-khz KHZ [-o DIR] [--name ID=NAME]... [--title T]
 *                    [--no-plots] FILE
 *
 * The file is a sequence of windows, each a TRC_TRACE_CPU_CHANGE record
 * (the pCPU, the window's byte size) followed by that pCPU's records as
 * the hypervisor wrote them (struct t_rec: a header word with the event,
 * the number of data words and whether the TSC follows; the TSC; the data
 * words). Wrap records are padding and skipped. Times are the TSC since
 * the first record, in ms at KHZ (`vane info`'s cpu_mhz * 1000).
 *
 * With -o DIR: DIR/records.csv (every record: cpu, tsc, time_ms, event
 * number and name, data words), DIR/schedule.csv (a slice per stretch a
 * vCPU ran on a pCPU, from the TRC_SCHED_SWITCH records; the idle vCPU
 * left out), DIR/summary.csv (per domain: switches to it, ms run, share
 * of the traced time), DIR/gantt.gp and, with gnuplot, DIR/gantt.png over
 * the trace's first 300 ms. The summary also goes to standard output.
 * Exit 0, or 1 on a malformed file or an I/O error (said on stderr).
 */
#define _GNU_SOURCE
#include "sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xen/trace.h>

#define CPU_CHANGE_HEADER (TRC_TRACE_CPU_CHANGE | (2u << TRACE_EXTRA_SHIFT))
#define MIGRATE_PARAVANE  (TRC_SCHED_VERBOSE + 0x101)
#define IDLE_DOMID        0x7fffu
#define MAX_CPUS          64
#define MAX_DOMS          256

struct rec {
    unsigned int cpu;
    uint32_t event;
    unsigned int nr;
    bool has_tsc;
    uint64_t tsc;
    uint32_t d[7];
};

struct dom_stat {
    bool seen;
    unsigned int id;
    char name[48];
    uint64_t switches_in;
    double run_ms;
};

static struct {
    double khz;
    uint64_t tsc0, tsc_end;
    bool have_tsc0;
    struct dom_stat dom[MAX_DOMS];
    unsigned int nr_doms;
    char names[MAX_DOMS][48]; /* --name */
    unsigned int name_ids[MAX_DOMS], nr_names;
    struct {
        bool known;
        unsigned int dom, vcpu;
        uint64_t since;
    } cpu[MAX_CPUS];
    unsigned int max_cpu;
    uint64_t records, lost;
    FILE *records_csv, *slices;
} st;

static const char *event_name(uint32_t e)
{
    switch (e & ~0x3f0u) { /* runstate changes carry their states in bits 4-9 */
    case TRC_SCHED_RUNSTATE_CHANGE:
        if (e != TRC_SCHED_RUNSTATE_CHANGE)
            return "runstate_change";
        break;
    default:
        break;
    }
    switch (e) {
    case TRC_LOST_RECORDS:
        return "lost_records";
    case TRC_SCHED_RUNSTATE_CHANGE:
        return "runstate_change";
    case TRC_SCHED_CONTINUE_RUNNING:
        return "continue_running";
    case TRC_SCHED_SLEEP:
        return "sleep";
    case TRC_SCHED_WAKE:
        return "wake";
    case TRC_SCHED_YIELD:
        return "yield";
    case TRC_SCHED_BLOCK:
        return "block";
    case TRC_SCHED_SWITCH:
        return "switch";
    case TRC_SCHED_SWITCH_INFPREV:
        return "switch_infprev";
    case TRC_SCHED_SWITCH_INFNEXT:
        return "switch_infnext";
    case MIGRATE_PARAVANE:
        return "migrate";
    case TRC_PV_HYPERCALL_V2:
        return "hypercall";
    case TRC_PV_HYPERCALL_SUBCALL:
        return "hypercall_subcall";
    case TRC_PV_TRAP | TRC_64_FLAG:
        return "trap";
    case TRC_PV_PAGE_FAULT | TRC_64_FLAG:
        return "page_fault";
    case TRC_PV_EMULATE_PRIVOP | TRC_64_FLAG:
        return "emulate_privop";
    default:
        return "";
    }
}

static struct dom_stat *dom_of(unsigned int id)
{
    for (unsigned int i = 0; i < st.nr_doms; i++)
        if (st.dom[i].id == id)
            return &st.dom[i];
    if (st.nr_doms == MAX_DOMS)
        return NULL;
    struct dom_stat *d = &st.dom[st.nr_doms++];

    d->seen = true;
    d->id = id;
    for (unsigned int i = 0; i < st.nr_names; i++)
        if (st.name_ids[i] == id)
            snprintf(d->name, sizeof(d->name), "%s", st.names[i]);
    if (!d->name[0])
        snprintf(d->name, sizeof(d->name), id ? "d%u" : "Domain-0", id);
    return d;
}

static double ms(uint64_t tsc)
{
    return tsc < st.tsc0 ? 0.0 : (double)(tsc - st.tsc0) / st.khz;
}

/* The slice pCPU c's vCPU ran, up to `tsc`. */
static void close_slice(unsigned int c, uint64_t tsc)
{
    struct dom_stat *d;

    if (!st.cpu[c].known || st.cpu[c].dom == IDLE_DOMID)
        return;
    d = dom_of(st.cpu[c].dom);
    if (!d)
        return;
    d->run_ms += ms(tsc) - ms(st.cpu[c].since);
    if (st.slices)
        gantt_csv_row(st.slices, c, ms(st.cpu[c].since), ms(tsc), d->name, st.cpu[c].vcpu);
}

static void on_record(const struct rec *r)
{
    st.records++;
    if (r->has_tsc) {
        if (!st.have_tsc0) {
            st.tsc0 = r->tsc;
            st.have_tsc0 = true;
        }
        if (r->tsc > st.tsc_end)
            st.tsc_end = r->tsc;
    }
    if (r->cpu > st.max_cpu)
        st.max_cpu = r->cpu;
    if (st.records_csv) {
        fprintf(st.records_csv, "%u,%llu,%.6f,%#x,%s", r->cpu, (unsigned long long)r->tsc,
                r->has_tsc ? ms(r->tsc) : 0.0, r->event, event_name(r->event));
        for (unsigned int i = 0; i < 7; i++)
            if (i < r->nr)
                fprintf(st.records_csv, ",%u", r->d[i]);
            else
                fprintf(st.records_csv, ",");
        fprintf(st.records_csv, "\n");
    }
    if (r->event == TRC_LOST_RECORDS && r->nr >= 1)
        st.lost += r->d[0];
    if (r->event == TRC_SCHED_SWITCH && r->nr >= 4 && r->has_tsc && r->cpu < MAX_CPUS) {
        unsigned int c = r->cpu;

        if (!st.cpu[c].known) {
            /* It ran since before the trace began. */
            st.cpu[c].known = true;
            st.cpu[c].dom = r->d[0];
            st.cpu[c].vcpu = r->d[1];
            st.cpu[c].since = st.tsc0;
        }
        close_slice(c, r->tsc);
        st.cpu[c].dom = r->d[2];
        st.cpu[c].vcpu = r->d[3];
        st.cpu[c].since = r->tsc;
        if (r->d[2] != IDLE_DOMID) {
            struct dom_stat *d = dom_of(r->d[2]);
            if (d)
                d->switches_in++;
        }
    }
}

/* One window of pCPU `cpu`'s records: 0, or -1 if it does not parse. */
static int parse_window(const uint8_t *p, size_t n, unsigned int cpu)
{
    size_t off = 0;

    while (off + 4 <= n) {
        struct rec r = {.cpu = cpu};
        uint32_t h;
        size_t size;

        memcpy(&h, p + off, 4);
        r.event = h & 0x0fffffffu;
        r.nr = (h >> TRACE_EXTRA_SHIFT) & TRACE_EXTRA_MAX;
        r.has_tsc = h >> 31;
        size = 4 + (r.has_tsc ? 8 : 0) + 4 * r.nr;
        if (off + size > n)
            return -1;
        if (r.has_tsc)
            memcpy(&r.tsc, p + off + 4, 8);
        memcpy(r.d, p + off + 4 + (r.has_tsc ? 8 : 0), 4 * r.nr);
        off += size;
        if (r.event != TRC_TRACE_WRAP_BUFFER)
            on_record(&r);
    }
    return off == n ? 0 : -1;
}

static int parse_file(FILE *f, const char *path)
{
    uint32_t hdr[3];
    uint8_t *buf = NULL;
    size_t cap = 0;

    while (fread(hdr, 4, 3, f) == 3) {
        if (hdr[0] != CPU_CHANGE_HEADER) {
            fprintf(stderr, "xentrace-convert: %s: no CPU change record at offset %ld\n", path,
                    ftell(f) - 12);
            free(buf);
            return -1;
        }
        if (hdr[2] > cap) {
            uint8_t *nb = realloc(buf, hdr[2]);

            if (!nb) {
                free(buf);
                return -1;
            }
            buf = nb;
            cap = hdr[2];
        }
        if (fread(buf, 1, hdr[2], f) != hdr[2] || parse_window(buf, hdr[2], hdr[1])) {
            fprintf(stderr, "xentrace-convert: %s: CPU %u's window of %u bytes is cut short\n",
                    path, hdr[1], hdr[2]);
            free(buf);
            return -1;
        }
    }
    free(buf);
    return ferror(f) ? -1 : 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: xentrace-convert --cpu-khz KHZ [-o DIR] [--name ID=NAME]... "
                    "[--title TITLE] [--no-plots] FILE\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *path = NULL, *title = "trace";
    bool plots = true;
    double span;
    FILE *f, *sum;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--cpu-khz") && i + 1 < argc) {
            st.khz = strtod(argv[++i], NULL);
        } else if (!strcmp(argv[i], "--title") && i + 1 < argc) {
            title = argv[++i];
        } else if (!strcmp(argv[i], "--no-plots")) {
            plots = false;
        } else if (!strcmp(argv[i], "--name") && i + 1 < argc && st.nr_names < MAX_DOMS) {
            const char *eq = strchr(argv[++i], '=');

            if (!eq)
                usage();
            st.name_ids[st.nr_names] = (unsigned int)strtoul(argv[i], NULL, 0);
            snprintf(st.names[st.nr_names++], sizeof(st.names[0]), "%s", eq + 1);
        } else if (argv[i][0] == '-' || path) {
            usage();
        } else {
            path = argv[i];
        }
    }
    if (!path || st.khz <= 0)
        usage();
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "xentrace-convert: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (out) {
        if (mkdir(out, 0777) && errno != EEXIST) {
            fprintf(stderr, "xentrace-convert: %s: %s\n", out, strerror(errno));
            return 1;
        }
        st.records_csv = sim_create_file("xentrace-convert", out, "records.csv");
        st.slices = sim_create_file("xentrace-convert", out, "schedule.csv");
        if (!st.records_csv || !st.slices)
            return 1;
        fprintf(st.records_csv, "cpu,tsc,time_ms,event,name,d1,d2,d3,d4,d5,d6,d7\n");
        gantt_csv_header(st.slices);
    }
    if (parse_file(f, path)) {
        fclose(f);
        return 1;
    }
    fclose(f);
    for (unsigned int c = 0; c <= st.max_cpu && c < MAX_CPUS; c++)
        close_slice(c, st.tsc_end);
    span = ms(st.tsc_end);
    printf("domain,id,switches_in,run_ms,share_pct\n");
    for (unsigned int i = 0; i < st.nr_doms; i++)
        printf("%s,%u,%llu,%.3f,%.2f\n", st.dom[i].name, st.dom[i].id,
               (unsigned long long)st.dom[i].switches_in, st.dom[i].run_ms,
               span > 0 ? 100.0 * st.dom[i].run_ms / span : 0.0);
    printf("# %llu records, %llu lost, %u pCPUs, %.3f ms\n", (unsigned long long)st.records,
           (unsigned long long)st.lost, st.max_cpu + 1, span);
    if (!out)
        return 0;
    fclose(st.records_csv);
    fclose(st.slices);
    sum = sim_create_file("xentrace-convert", out, "summary.csv");
    if (!sum)
        return 1;
    fprintf(sum, "domain,id,switches_in,run_ms,share_pct\n");
    for (unsigned int i = 0; i < st.nr_doms; i++)
        fprintf(sum, "%s,%u,%llu,%.3f,%.2f\n", st.dom[i].name, st.dom[i].id,
                (unsigned long long)st.dom[i].switches_in, st.dom[i].run_ms,
                span > 0 ? 100.0 * st.dom[i].run_ms / span : 0.0);
    fclose(sum);
    {
        const char *names[MAX_DOMS];
        FILE *gp = sim_create_file("xentrace-convert", out, "gantt.gp");
        char cmd[4200];

        if (!gp)
            return 1;
        for (unsigned int i = 0; i < st.nr_doms; i++)
            names[i] = st.dom[i].name;
        gantt_write_script(gp, title, st.max_cpu + 1, names, st.nr_doms, 0.0,
                           span < GANTT_SPAN_MS ? span : GANTT_SPAN_MS);
        fclose(gp);
        if (plots && system("command -v gnuplot >/dev/null 2>&1") == 0) {
            snprintf(cmd, sizeof(cmd), "cd '%s' && gnuplot gantt.gp", out);
            if (system(cmd) != 0)
                fprintf(stderr, "xentrace-convert: gnuplot failed in %s\n", out);
        }
    }
    return 0;
}
