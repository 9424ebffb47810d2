/*
 * sched/sim/stats.c - what the parameters promise, and percentiles.
 *
 * The promised share is the idealised allocation the documented semantics
 * give each domain for the demand it actually had: CPU-bound domains want
 * every vCPU's full pCPU, all others are taken to want what they used.
 *   Credit: the pCPUs' capacity is water-filled by weight x vCPUs, each
 *           domain limited by its demand and its cap.
 *   SEDF:   per pCPU, each vCPU first gets its guarantee (slice/period, or
 *           its weight's part of 95 ms per 100 ms), up to its demand; what is
 *           left is water-filled among extratime vCPUs by extra weight.
 * A domain that lives only part of the run is treated as present
 * throughout, so its deviation is approximate.
 */
#include "sim.h"

#include <paravane/sched_sedf.h>

#include <string.h>

int64_t sim_percentile(const int64_t *sorted, uint64_t n, unsigned int pct)
{
    uint64_t rank;

    if (!n)
        return 0;
    /* Nearest rank: the smallest value with at least pct% of samples <= it. */
    rank = (n * pct + 99) / 100;
    if (rank == 0)
        rank = 1;
    return sorted[rank - 1];
}

/*
 * Share `capacity` among n claimants by weight, none above its limit;
 * what a limited claimant leaves goes to the others.
 */
static void water_fill(unsigned int n, const double *weight, const double *limit, double capacity,
                       double *out)
{
    bool settled[SIM_MAX_DOMS * SIM_MAX_CPUS];
    bool changed = true;

    memset(settled, 0, sizeof(bool) * n);
    for (unsigned int i = 0; i < n; i++)
        out[i] = 0;
    while (changed) {
        double wsum = 0;

        changed = false;
        for (unsigned int i = 0; i < n; i++)
            if (!settled[i])
                wsum += weight[i];
        if (wsum <= 0)
            break;
        for (unsigned int i = 0; i < n; i++) {
            if (!settled[i] && capacity * weight[i] / wsum >= limit[i]) {
                out[i] = limit[i];
                capacity -= limit[i];
                settled[i] = true;
                changed = true;
            }
        }
        if (!changed)
            for (unsigned int i = 0; i < n; i++)
                if (!settled[i])
                    out[i] = capacity * weight[i] / wsum;
    }
}

static bool cpu_bound(const struct sim_dom_cfg *dc)
{
    return dc->wl.kind == SIM_WL_CPU;
}

static void promised_credit(const struct sim_cfg *cfg, struct sim_result *res)
{
    double w[SIM_MAX_DOMS] = {0}, lim[SIM_MAX_DOMS] = {0}, out[SIM_MAX_DOMS];

    for (unsigned int i = 0; i < cfg->nr_doms; i++) {
        const struct sim_dom_cfg *dc = &cfg->doms[i];
        double demand = cpu_bound(dc) ? 100.0 * dc->nr_vcpus : res->dom[i].share_pct;

        w[i] = (double)(dc->weight ? dc->weight : 256) * dc->nr_vcpus;
        lim[i] = dc->cap && dc->cap < demand ? dc->cap : demand;
    }
    water_fill(cfg->nr_doms, w, lim, 100.0 * cfg->nr_cpus, out);
    for (unsigned int i = 0; i < cfg->nr_doms; i++)
        res->dom[i].promised_pct = out[i];
}

/* Best-effort: the SEDF default, or weight with extratime and no period. */
static bool sedf_extra_only(const struct sim_dom_cfg *dc)
{
    return (!dc->sedf_set && !dc->weight) || (dc->weight && dc->extratime && !dc->period_ns);
}

struct sedf_vc {
    unsigned int dom, cpu;
    double guarantee, demand, eweight;
};

static void promised_sedf(const struct sim_cfg *cfg, struct sim_result *res)
{
    static struct sedf_vc vc[SIM_MAX_DOMS * 64];
    unsigned int n = 0, rr = 0;
    double sumw[SIM_MAX_CPUS] = {0}, sumt[SIM_MAX_CPUS] = {0};
    bool placed[SIM_MAX_DOMS] = {false};

    /* Place vCPUs in the order domains start (as the engine does). */
    for (unsigned int round = 0; round < cfg->nr_doms; round++) {
        unsigned int pick = cfg->nr_doms;

        for (unsigned int i = 0; i < cfg->nr_doms; i++)
            if (!placed[i] &&
                (pick == cfg->nr_doms || cfg->doms[i].start_ns < cfg->doms[pick].start_ns))
                pick = i;
        if (pick == cfg->nr_doms)
            break;
        placed[pick] = true;
        for (unsigned int k = 0; k < cfg->doms[pick].nr_vcpus; k++) {
            const struct sim_dom_cfg *dc = &cfg->doms[pick];

            vc[n].dom = pick;
            vc[n].cpu = dc->first_cpu >= 0 ? ((unsigned int)dc->first_cpu + k) % cfg->nr_cpus
                                           : rr++ % cfg->nr_cpus;
            vc[n].demand = cpu_bound(dc) ? 100.0 : res->dom[pick].share_pct / dc->nr_vcpus;
            n++;
        }
    }
    for (unsigned int j = 0; j < n; j++) {
        const struct sim_dom_cfg *dc = &cfg->doms[vc[j].dom];
        if (dc->sedf_set && !dc->weight)
            sumt[vc[j].cpu] += 100.0 * (double)dc->slice_ns / (double)dc->period_ns;
        else if (!sedf_extra_only(dc) && dc->weight)
            sumw[vc[j].cpu] += dc->weight;
    }
    for (unsigned int j = 0; j < n; j++) {
        const struct sim_dom_cfg *dc = &cfg->doms[vc[j].dom];
        double util = 0;

        if (sedf_extra_only(dc))
            util = 0;
        else if (dc->weight)
            util = (95.0 - sumt[vc[j].cpu]) * dc->weight / sumw[vc[j].cpu];
        else
            util = 100.0 * (double)dc->slice_ns / (double)dc->period_ns;
        vc[j].guarantee = util < vc[j].demand ? util : vc[j].demand;
        if ((!dc->sedf_set && !dc->weight) || dc->extratime)
            vc[j].eweight =
                dc->weight ? dc->weight : (util * 1024 / 100 > 1 ? util * 1024 / 100 : 1);
        else
            vc[j].eweight = 0;
    }
    for (unsigned int i = 0; i < cfg->nr_doms; i++)
        res->dom[i].promised_pct = 0;
    for (unsigned int c = 0; c < cfg->nr_cpus; c++) {
        double w[SIM_MAX_DOMS * 8] = {0}, lim[SIM_MAX_DOMS * 8] = {0}, out[SIM_MAX_DOMS * 8];
        unsigned int idx[SIM_MAX_DOMS * 8], m = 0;
        double left = 100.0;

        for (unsigned int j = 0; j < n && m < SIM_MAX_DOMS * 8; j++) {
            if (vc[j].cpu != c)
                continue;
            left -= vc[j].guarantee;
            res->dom[vc[j].dom].promised_pct += vc[j].guarantee;
            if (vc[j].eweight > 0 && vc[j].demand > vc[j].guarantee) {
                idx[m] = j;
                w[m] = vc[j].eweight;
                lim[m] = vc[j].demand - vc[j].guarantee;
                m++;
            }
        }
        if (left > 0 && m) {
            water_fill(m, w, lim, left, out);
            for (unsigned int k = 0; k < m; k++)
                res->dom[vc[idx[k]].dom].promised_pct += out[k];
        }
    }
}

void sim_promised_shares(const struct sim_cfg *cfg, struct sim_result *res)
{
    if (cfg->sched_id == XEN_SCHEDULER_SEDF)
        promised_sedf(cfg, res);
    else
        promised_credit(cfg, res);
    for (unsigned int i = 0; i < cfg->nr_doms; i++)
        res->dom[i].deviation_pct = res->dom[i].share_pct - res->dom[i].promised_pct;
}
