/*
 * sched/sim/scenario.c - the scenario file format and its parser.
 *
 * One directive per line; '#' starts a comment. Times are milliseconds
 * (fractions allowed) and are turned into nanoseconds here, exactly, by
 * sim_parse_ms() - the one place the simulator converts units.
 *
 *   name      TEXT                      label for reports
 *   scheduler credit|sedf
 *   cpus      N                         1..64
 *   duration  MS
 *   window    MS                        share-over-time sampling (default 100)
 *   seed      N
 *   tslice    MS   ratelimit US   boost on|off      (Credit tunables)
 *   domain    NAME key=value...
 *       vcpus=N cpu=FIRST_PCPU weight=W cap=PCT
 *       period=MS slice=MS latency=MS extratime=0|1   (SEDF)
 *       start=MS stop=MS                              (lifetime)
 *       workload=cpu[:yield=MS]
 *               |io:interval=MS,service=MS[,jitter=MS]
 *               |onoff:run=MS,sleep=MS
 *               |bursty:run=MS,sleep=MS               (exponential means)
 *   sweep     DOMAIN cap|weight|slice|period V1 V2 ...  (one run per value)
 *
 * Errors name the file and line; nothing is half-applied to the caller.
 */
#define _GNU_SOURCE
#include "sim.h"

#include <paravane/sched_sedf.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct parse_ctx {
    const char *fname;
    unsigned int line;
    char *err;
    size_t errlen;
};

static int fail(struct parse_ctx *pc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parse_ctx *pc, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(pc->err, pc->errlen, "%s:%u: ", pc->fname, pc->line);

    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < pc->errlen)
        vsnprintf(pc->err + n, pc->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

int sim_parse_ms(const char *s, int64_t *ns_out)
{
    int64_t whole = 0, frac = 0, scale = SIM_NS_PER_MS;
    const char *p = s;

    if (!isdigit((unsigned char)*p) && *p != '.')
        return -1;
    for (; isdigit((unsigned char)*p); p++) {
        whole = whole * 10 + (*p - '0');
        if (whole > 1000000000LL) /* > 11 days: surely a typo */
            return -1;
    }
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++) {
            if (scale == 1)
                return -1; /* finer than a nanosecond */
            scale /= 10;
            frac += (*p - '0') * scale;
        }
    }
    if (*p)
        return -1;
    *ns_out = whole * SIM_NS_PER_MS + frac;
    return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (!isdigit((unsigned char)*s))
        return -1;
    v = strtoul(s, &end, 10);
    if (*end || v > max)
        return -1;
    *out = v;
    return 0;
}

const char *sim_sched_name(unsigned int sched_id)
{
    return sched_id == XEN_SCHEDULER_SEDF ? "sedf" : "credit";
}

/* "kind:key=v,key=v" */
static int parse_workload(struct parse_ctx *pc, char *spec, struct sim_workload *wl)
{
    char *args = strchr(spec, ':');
    char *kv, *save = NULL;

    memset(wl, 0, sizeof(*wl));
    if (args)
        *args++ = '\0';
    if (!strcmp(spec, "cpu"))
        wl->kind = SIM_WL_CPU;
    else if (!strcmp(spec, "io"))
        wl->kind = SIM_WL_IO;
    else if (!strcmp(spec, "onoff"))
        wl->kind = SIM_WL_ONOFF;
    else if (!strcmp(spec, "bursty"))
        wl->kind = SIM_WL_BURSTY;
    else
        return fail(pc, "unknown workload '%s' (cpu, io, onoff, bursty)", spec);

    for (kv = args ? strtok_r(args, ",", &save) : NULL; kv; kv = strtok_r(NULL, ",", &save)) {
        char *val = strchr(kv, '=');
        int64_t ns;

        if (!val)
            return fail(pc, "workload argument '%s' needs =MS", kv);
        *val++ = '\0';
        if (sim_parse_ms(val, &ns))
            return fail(pc, "workload %s=%s: not a time in ms", kv, val);
        if (!strcmp(kv, "interval") && wl->kind == SIM_WL_IO)
            wl->interval_ns = ns;
        else if (!strcmp(kv, "service") && wl->kind == SIM_WL_IO)
            wl->service_ns = ns;
        else if (!strcmp(kv, "jitter") && wl->kind == SIM_WL_IO)
            wl->jitter_ns = ns;
        else if (!strcmp(kv, "run") && (wl->kind == SIM_WL_ONOFF || wl->kind == SIM_WL_BURSTY))
            wl->run_ns = ns;
        else if (!strcmp(kv, "sleep") && (wl->kind == SIM_WL_ONOFF || wl->kind == SIM_WL_BURSTY))
            wl->sleep_ns = ns;
        else if (!strcmp(kv, "yield") && wl->kind == SIM_WL_CPU)
            wl->yield_ns = ns;
        else
            return fail(pc, "workload %s takes no '%s'", spec, kv);
    }
    switch (wl->kind) {
    case SIM_WL_IO:
        if (wl->interval_ns <= 0 || wl->service_ns <= 0 || wl->jitter_ns >= wl->interval_ns)
            return fail(pc, "io needs interval>0, service>0, jitter<interval");
        break;
    case SIM_WL_ONOFF:
    case SIM_WL_BURSTY:
        if (wl->run_ns <= 0 || wl->sleep_ns <= 0)
            return fail(pc, "%s needs run>0 and sleep>0", spec);
        break;
    case SIM_WL_CPU:
        break;
    }
    return 0;
}

static int parse_domain(struct parse_ctx *pc, struct sim_cfg *cfg, char *save)
{
    char *name = strtok_r(NULL, " \t\r\n", &save), *kv;
    struct sim_dom_cfg *d;
    unsigned long u;
    int64_t ns;

    if (!name)
        return fail(pc, "domain needs a name");
    if (strlen(name) >= SIM_NAME_LEN)
        return fail(pc, "domain name '%s' longer than %d", name, SIM_NAME_LEN - 1);
    if (cfg->nr_doms == SIM_MAX_DOMS)
        return fail(pc, "more than %d domains", SIM_MAX_DOMS);
    for (unsigned int i = 0; i < cfg->nr_doms; i++)
        if (!strcmp(cfg->doms[i].name, name))
            return fail(pc, "domain '%s' defined twice", name);
    d = &cfg->doms[cfg->nr_doms];
    memset(d, 0, sizeof(*d));
    strcpy(d->name, name);
    d->nr_vcpus = 1;
    d->first_cpu = -1;
    d->wl.kind = SIM_WL_CPU;

    while ((kv = strtok_r(NULL, " \t\r\n", &save))) {
        char *val = strchr(kv, '=');

        if (!val)
            return fail(pc, "'%s': expected key=value", kv);
        *val++ = '\0';
        if (!strcmp(kv, "vcpus")) {
            if (parse_uint(val, 64, &u) || u == 0)
                return fail(pc, "vcpus=%s: 1..64", val);
            d->nr_vcpus = (unsigned int)u;
        } else if (!strcmp(kv, "cpu")) {
            if (parse_uint(val, SIM_MAX_CPUS - 1, &u))
                return fail(pc, "cpu=%s: a pCPU number", val);
            d->first_cpu = (int)u;
        } else if (!strcmp(kv, "weight")) {
            if (parse_uint(val, 65535, &u) || u == 0)
                return fail(pc, "weight=%s: 1..65535", val);
            d->weight = (unsigned int)u;
        } else if (!strcmp(kv, "cap")) {
            if (parse_uint(val, 6400, &u))
                return fail(pc, "cap=%s: percent of one pCPU", val);
            d->cap = (unsigned int)u;
        } else if (!strcmp(kv, "extratime")) {
            if (parse_uint(val, 1, &u))
                return fail(pc, "extratime=%s: 0 or 1", val);
            d->extratime = u;
            d->sedf_set = true;
        } else if (!strcmp(kv, "workload")) {
            if (parse_workload(pc, val, &d->wl))
                return -1;
        } else {
            int64_t *dst = !strcmp(kv, "period")    ? &d->period_ns
                           : !strcmp(kv, "slice")   ? &d->slice_ns
                           : !strcmp(kv, "latency") ? &d->latency_ns
                           : !strcmp(kv, "start")   ? &d->start_ns
                           : !strcmp(kv, "stop")    ? &d->stop_ns
                                                    : NULL;

            if (!dst)
                return fail(pc, "unknown domain key '%s'", kv);
            if (sim_parse_ms(val, &ns))
                return fail(pc, "%s=%s: not a time in ms", kv, val);
            *dst = ns;
            if (dst != &d->start_ns && dst != &d->stop_ns)
                d->sedf_set = true;
        }
    }
    if (d->stop_ns && d->stop_ns <= d->start_ns)
        return fail(pc, "domain '%s': stop must be after start", name);
    cfg->nr_doms++;
    return 0;
}

static int parse_sweep(struct parse_ctx *pc, struct sim_cfg *cfg, char *save)
{
    struct sim_sweep *sw = &cfg->sweep;
    char *dom = strtok_r(NULL, " \t\r\n", &save);
    char *param = strtok_r(NULL, " \t\r\n", &save);
    char *v;
    bool is_time;

    if (!dom || !param)
        return fail(pc, "sweep DOMAIN PARAM VALUES...");
    if (strlen(dom) >= SIM_NAME_LEN)
        return fail(pc, "sweep: domain name too long");
    is_time = !strcmp(param, "slice") || !strcmp(param, "period");
    if (!is_time && strcmp(param, "cap") && strcmp(param, "weight"))
        return fail(pc, "sweep: parameter '%s' (cap, weight, slice, period)", param);
    strcpy(sw->dom, dom);
    strcpy(sw->param, param);
    sw->nr_values = 0;
    while ((v = strtok_r(NULL, " \t\r\n", &save))) {
        int64_t x;
        unsigned long u;

        if (sw->nr_values == SIM_MAX_SWEEP)
            return fail(pc, "sweep: more than %d values", SIM_MAX_SWEEP);
        if (is_time ? sim_parse_ms(v, &x) : parse_uint(v, 65535, &u))
            return fail(pc, "sweep value '%s'", v);
        sw->values[sw->nr_values++] = is_time ? x : (int64_t)u;
    }
    if (!sw->nr_values)
        return fail(pc, "sweep: no values");
    sw->active = true;
    return 0;
}

static int parse_line(struct parse_ctx *pc, struct sim_cfg *cfg, char *line)
{
    char *save = NULL, *kw, *arg;
    unsigned long u;
    int64_t ns;
    char *hash = strchr(line, '#');

    if (hash)
        *hash = '\0';
    kw = strtok_r(line, " \t\r\n", &save);
    if (!kw)
        return 0;
    if (!strcmp(kw, "domain"))
        return parse_domain(pc, cfg, save);
    if (!strcmp(kw, "sweep"))
        return parse_sweep(pc, cfg, save);
    arg = strtok_r(NULL, " \t\r\n", &save);
    if (!arg)
        return fail(pc, "'%s' needs a value", kw);
    if (strtok_r(NULL, " \t\r\n", &save))
        return fail(pc, "'%s' takes one value", kw);

    if (!strcmp(kw, "name")) {
        snprintf(cfg->name, sizeof(cfg->name), "%s", arg);
    } else if (!strcmp(kw, "scheduler")) {
        if (!strcmp(arg, "credit"))
            cfg->sched_id = XEN_SCHEDULER_CREDIT;
        else if (!strcmp(arg, "sedf"))
            cfg->sched_id = XEN_SCHEDULER_SEDF;
        else
            return fail(pc, "scheduler '%s' (credit, sedf)", arg);
    } else if (!strcmp(kw, "cpus")) {
        if (parse_uint(arg, SIM_MAX_CPUS, &u) || u == 0)
            return fail(pc, "cpus=%s: 1..%d", arg, SIM_MAX_CPUS);
        cfg->nr_cpus = (unsigned int)u;
    } else if (!strcmp(kw, "duration") || !strcmp(kw, "window")) {
        if (sim_parse_ms(arg, &ns) || ns <= 0)
            return fail(pc, "%s %s: a positive time in ms", kw, arg);
        *(kw[0] == 'd' ? &cfg->duration_ns : &cfg->window_ns) = ns;
    } else if (!strcmp(kw, "seed")) {
        if (parse_uint(arg, ~0UL, &u))
            return fail(pc, "seed %s", arg);
        cfg->seed = u;
    } else if (!strcmp(kw, "tslice")) {
        if (parse_uint(arg, 1000, &u) || u == 0)
            return fail(pc, "tslice %s: 1..1000 ms", arg);
        cfg->tslice_ms = (unsigned int)u;
    } else if (!strcmp(kw, "ratelimit")) {
        if (parse_uint(arg, 500000, &u) || (u && u < 100))
            return fail(pc, "ratelimit %s: 0 or 100..500000 us", arg);
        cfg->ratelimit_us = (unsigned int)u;
    } else if (!strcmp(kw, "boost")) {
        if (strcmp(arg, "on") && strcmp(arg, "off"))
            return fail(pc, "boost on|off");
        cfg->no_boost = !strcmp(arg, "off");
    } else {
        return fail(pc, "unknown directive '%s'", kw);
    }
    return 0;
}

static void cfg_defaults(struct sim_cfg *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    strcpy(cfg->name, "scenario");
    cfg->sched_id = XEN_SCHEDULER_CREDIT;
    cfg->nr_cpus = 1;
    cfg->duration_ns = 3000 * SIM_NS_PER_MS;
    cfg->window_ns = 100 * SIM_NS_PER_MS;
    cfg->seed = 1;
    cfg->tslice_ms = 30;
    cfg->ratelimit_us = 1000;
}

static int check_cfg(struct parse_ctx *pc, struct sim_cfg *cfg)
{
    if (!cfg->nr_doms)
        return fail(pc, "no domains");
    for (unsigned int i = 0; i < cfg->nr_doms; i++)
        if (cfg->doms[i].first_cpu >= (int)cfg->nr_cpus)
            return fail(pc, "domain '%s': cpu=%d but only %u pCPUs", cfg->doms[i].name,
                        cfg->doms[i].first_cpu, cfg->nr_cpus);
    if (cfg->sweep.active) {
        unsigned int i;

        for (i = 0; i < cfg->nr_doms; i++)
            if (!strcmp(cfg->doms[i].name, cfg->sweep.dom))
                break;
        if (i == cfg->nr_doms)
            return fail(pc, "sweep: no domain '%s'", cfg->sweep.dom);
    }
    return 0;
}

int sim_scenario_parse(FILE *f, const char *fname, struct sim_cfg *cfg, char *err, size_t errlen)
{
    struct parse_ctx pc = {.fname = fname, .err = err, .errlen = errlen};
    char line[1024];

    cfg_defaults(cfg);
    while (fgets(line, sizeof(line), f)) {
        pc.line++;
        if (!strchr(line, '\n') && !feof(f))
            return fail(&pc, "line longer than %zu", sizeof(line) - 1);
        if (parse_line(&pc, cfg, line))
            return -1;
    }
    return check_cfg(&pc, cfg);
}

int sim_scenario_parse_string(const char *text, struct sim_cfg *cfg, char *err, size_t errlen)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    int rc;

    if (!f) {
        snprintf(err, errlen, "fmemopen failed");
        return -1;
    }
    rc = sim_scenario_parse(f, "<string>", cfg, err, errlen);
    fclose(f);
    return rc;
}

void sim_sweep_apply(const struct sim_cfg *cfg, unsigned int i, struct sim_cfg *out)
{
    const struct sim_sweep *sw = &cfg->sweep;

    *out = *cfg;
    out->sweep.active = false;
    for (unsigned int d = 0; d < out->nr_doms; d++) {
        struct sim_dom_cfg *dc = &out->doms[d];

        if (strcmp(dc->name, sw->dom))
            continue;
        if (!strcmp(sw->param, "cap"))
            dc->cap = (unsigned int)sw->values[i];
        else if (!strcmp(sw->param, "weight"))
            dc->weight = (unsigned int)sw->values[i];
        else if (!strcmp(sw->param, "slice"))
            dc->slice_ns = sw->values[i];
        else
            dc->period_ns = sw->values[i];
    }
}
