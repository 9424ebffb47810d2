/*
 * sched/core.c - the generic half of the scheduler: instance, domain and
 * vCPU lifetime, the awake/running bookkeeping, parameter get/put, and the
 * sched_* entry points that lock the instance and call the policy hooks.
 *
 * Lifetime: sched_create() -> domains -> vCPUs -> ... -> vCPUs destroyed ->
 * domains destroyed -> sched_destroy(). Objects are allocated before the
 * lock is taken and published under it; they are unlinked under the lock
 * and freed after it is dropped, so no allocation happens under the lock.
 *
 * Locking: one lock per instance (s->lock), taken by every entry point. It
 * serialises all scheduler state of the instance: the policies' queues,
 * credits and deadlines, the per-pCPU `curr`, and the domain lists. One
 * lock keeps the first version simple to reason about; the hot path
 * (sched_schedule on one pCPU) holds it for O(queue) work at most. Splitting
 * it per pCPU, as Xen does, is the later optimisation if contention shows.
 *
 * Invariants (checked by ASSERTs where relied on):
 *  - v->running  <=>  s->pcpu[v->cpu].curr == v
 *  - a vCPU is destroyed only when asleep and not running
 */
#include "private.h"

#include <xen/errno.h>

static const struct sched_ops *const sched_policies[] = {
    &sched_credit_ops,
    &sched_sedf_ops,
};

#define NR_POLICIES (sizeof(sched_policies) / sizeof(sched_policies[0]))

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static const struct sched_ops *ops_by_id(unsigned int id)
{
    for (size_t i = 0; i < NR_POLICIES; i++)
        if (sched_policies[i]->sched_id == id)
            return sched_policies[i];
    return NULL;
}

int sched_id_from_name(const char *name)
{
    for (size_t i = 0; i < NR_POLICIES; i++)
        if (str_eq(sched_policies[i]->opt_name, name))
            return (int)sched_policies[i]->sched_id;
    return -XEN_EINVAL;
}

static sched_cpumask_t all_cpus(const struct sched *s)
{
    return s->nr_cpus == SCHED_MAX_CPUS ? ~(sched_cpumask_t)0
                                        : ((sched_cpumask_t)1 << s->nr_cpus) - 1;
}

int sched_create(const struct sched_config *cfg, struct sched **out)
{
    const struct sched_ops *ops = ops_by_id(cfg->sched_id);
    struct sched *s;
    int rc;

    if (!ops || cfg->nr_cpus == 0 || cfg->nr_cpus > SCHED_MAX_CPUS || cfg->tslice_ms > 1000)
        return -XEN_EINVAL;
    if (cfg->ratelimit_us > 500000 || (cfg->ratelimit_us && cfg->ratelimit_us < 100))
        return -XEN_EINVAL;

    s = sched_env_zalloc(sizeof(*s));
    if (!s)
        return -XEN_ENOMEM;
    s->pcpu = sched_env_zalloc(sizeof(*s->pcpu) * cfg->nr_cpus);
    if (!s->pcpu) {
        rc = -XEN_ENOMEM;
        goto fail;
    }
    s->ops = ops;
    s->cfg = *cfg;
    if (s->cfg.tslice_ms == 0)
        s->cfg.tslice_ms = 30;
    s->nr_cpus = cfg->nr_cpus;
    link_init(&s->domains);
    sched_env_lock_init(&s->lock);
    rc = ops->init(s);
    if (rc)
        goto fail;
    *out = s;
    return 0;

fail:
    sched_env_free(s->pcpu);
    sched_env_free(s);
    return rc;
}

void sched_destroy(struct sched *s)
{
    if (!s)
        return;
    ASSERT(link_empty(&s->domains));
    s->ops->deinit(s);
    sched_env_free(s->pcpu);
    sched_env_free(s);
}

unsigned int sched_id(const struct sched *s)
{
    return s->ops->sched_id;
}

const char *sched_name(const struct sched *s)
{
    return s->ops->opt_name;
}

unsigned int sched_nr_cpus(const struct sched *s)
{
    return s->nr_cpus;
}

int sched_dom_create(struct sched *s, uint16_t domid, struct sched_dom **out)
{
    struct sched_dom *d = sched_env_zalloc(s->ops->dom_size);

    if (!d)
        return -XEN_ENOMEM;
    d->domid = domid;
    link_init(&d->vcpus);
    s->ops->dom_init(s, d);

    sched_env_lock(&s->lock);
    link_add_tail(&d->node, &s->domains);
    s->ops->dom_insert(s, d);
    sched_env_unlock(&s->lock);
    *out = d;
    return 0;
}

int sched_dom_destroy(struct sched *s, struct sched_dom *d)
{
    sched_env_lock(&s->lock);
    if (d->nr_vcpus) {
        sched_env_unlock(&s->lock);
        return -XEN_EBUSY;
    }
    s->ops->dom_remove(s, d);
    link_del(&d->node);
    sched_env_unlock(&s->lock);
    sched_env_free(d);
    return 0;
}

int sched_adjust(struct sched *s, struct sched_dom *d, struct paravane_domctl_scheduler_op *op,
                 sched_time_t now)
{
    int rc = -XEN_EINVAL;

    if (op->sched_id != s->ops->sched_id)
        return rc;
    sched_env_lock(&s->lock);
    switch (op->cmd) {
    case XEN_DOMCTL_SCHEDOP_putinfo:
        rc = s->ops->adjust_check(s, d, op);
        if (rc == 0)
            s->ops->adjust_apply(s, d, op, now);
        break;
    case XEN_DOMCTL_SCHEDOP_getinfo:
        s->ops->adjust_get(s, d, op);
        rc = 0;
        break;
    default: /* per-vCPU parameters: neither policy has them */
        break;
    }
    sched_env_unlock(&s->lock);
    return rc;
}

int sched_vcpu_create(struct sched *s, struct sched_dom *d, unsigned int vcpu_id, unsigned int cpu,
                      void *owner, sched_time_t now, struct sched_vcpu **out)
{
    struct sched_vcpu *v;

    if (cpu >= s->nr_cpus)
        return -XEN_EINVAL;
    v = sched_env_zalloc(s->ops->vcpu_size);
    if (!v)
        return -XEN_ENOMEM;
    v->dom = d;
    v->owner = owner;
    v->vcpu_id = vcpu_id;
    v->cpu = v->migrate_to = cpu;
    v->affinity = all_cpus(s);

    sched_env_lock(&s->lock);
    link_add_tail(&v->dom_node, &d->vcpus);
    d->nr_vcpus++;
    s->ops->vcpu_insert(s, v, now);
    sched_env_unlock(&s->lock);
    *out = v;
    return 0;
}

int sched_vcpu_destroy(struct sched *s, struct sched_vcpu *v)
{
    sched_env_lock(&s->lock);
    if (v->awake || v->running) {
        sched_env_unlock(&s->lock);
        return -XEN_EBUSY;
    }
    s->ops->vcpu_remove(s, v);
    link_del(&v->dom_node);
    v->dom->nr_vcpus--;
    sched_env_unlock(&s->lock);
    sched_env_free(v);
    return 0;
}

void *sched_vcpu_owner(const struct sched_vcpu *v)
{
    return v->owner;
}

unsigned int sched_vcpu_cpu(const struct sched_vcpu *v)
{
    return v->cpu;
}

void sched_vcpu_get_stats(struct sched *s, const struct sched_vcpu *v, struct sched_vcpu_stats *out)
{
    sched_env_lock(&s->lock);
    *out = v->stats;
    sched_env_unlock(&s->lock);
}

void sched_sleep(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    sched_env_lock(&s->lock);
    if (v->awake) {
        v->awake = false;
        s->ops->sleep(s, v, now);
    }
    sched_env_unlock(&s->lock);
}

void sched_wake(struct sched *s, struct sched_vcpu *v, sched_time_t now)
{
    sched_env_lock(&s->lock);
    if (!v->awake) {
        v->awake = true;
        s->ops->wake(s, v, now);
    }
    sched_env_unlock(&s->lock);
}

void sched_vcpu_yield(struct sched *s, struct sched_vcpu *v)
{
    sched_env_lock(&s->lock);
    if (v->running)
        s->ops->yield(s, v);
    sched_env_unlock(&s->lock);
}

struct sched_decision sched_schedule(struct sched *s, unsigned int cpu, sched_time_t now)
{
    struct sched_decision dec;
    struct sched_vcpu *prev;
    bool moving;

    ASSERT(cpu < s->nr_cpus);
    sched_env_lock(&s->lock);
    prev = s->pcpu[cpu].curr;
    ASSERT(!prev || (prev->running && prev->cpu == cpu));
    if (prev)
        prev->running = false;
    s->pcpu[cpu].curr = NULL;
    /*
     * A vCPU that must leave this pCPU is taken off it as if it had blocked
     * and woken again on its new pCPU (Xen's _VPF_migrating), so no policy
     * can pick it here again in the meantime.
     */
    moving = prev && prev->awake && prev->migrate_to != cpu;
    if (moving)
        prev->awake = false;

    dec = s->ops->schedule(s, cpu, prev, now);

    ASSERT(dec.slice > 0);
    if (dec.next) {
        ASSERT(dec.next->awake && !dec.next->running && dec.next->cpu == cpu);
        dec.next->running = true;
        s->pcpu[cpu].curr = dec.next;
    }
    /* A move requested while prev was running happens now it is off the pCPU. */
    if (prev && prev != dec.next && prev->migrate_to != prev->cpu)
        s->ops->migrate(s, prev, prev->migrate_to, now);
    if (moving) {
        prev->awake = true;
        s->ops->wake(s, prev, now);
    }
    sched_env_unlock(&s->lock);
    return dec;
}

/* Record a move to `cpu`; done now unless v is current somewhere. Locked. */
static void move_to(struct sched *s, struct sched_vcpu *v, unsigned int cpu, sched_time_t now)
{
    v->migrate_to = cpu;
    if (v->running) {
        if (v->cpu != cpu)
            sched_tickle(s, v->cpu); /* deschedule it so the move happens */
    } else if (v->cpu != cpu) {
        s->ops->migrate(s, v, cpu, now);
    }
}

int sched_set_affinity(struct sched *s, struct sched_vcpu *v, sched_cpumask_t mask,
                       sched_time_t now)
{
    mask &= all_cpus(s);
    if (!mask)
        return -XEN_EINVAL;
    sched_env_lock(&s->lock);
    v->affinity = mask;
    if (!sched_vcpu_allowed(v, v->migrate_to))
        move_to(s, v, (unsigned int)__builtin_ctzll(mask), now);
    sched_env_unlock(&s->lock);
    return 0;
}

sched_cpumask_t sched_get_affinity(struct sched *s, const struct sched_vcpu *v)
{
    sched_cpumask_t mask;

    sched_env_lock(&s->lock);
    mask = v->affinity;
    sched_env_unlock(&s->lock);
    return mask;
}

int sched_migrate(struct sched *s, struct sched_vcpu *v, unsigned int cpu, sched_time_t now)
{
    int rc = 0;

    if (cpu >= s->nr_cpus)
        return -XEN_EINVAL;
    sched_env_lock(&s->lock);
    if (sched_vcpu_allowed(v, cpu))
        move_to(s, v, cpu, now);
    else
        rc = -XEN_EINVAL;
    sched_env_unlock(&s->lock);
    return rc;
}

void sched_dump(struct sched *s, sched_time_t now)
{
    struct sched_dom *d;
    struct sched_vcpu *v;

    sched_env_lock(&s->lock);
    sched_env_log(SCHED_LOG_INFO, "sched %s: %u pCPUs, now %lld ns\n", s->ops->name, s->nr_cpus,
                  (long long)now);
    for (unsigned int cpu = 0; cpu < s->nr_cpus; cpu++) {
        v = s->pcpu[cpu].curr;
        if (v)
            sched_env_log(SCHED_LOG_INFO, " cpu%u: d%uv%u\n", cpu, v->dom->domid, v->vcpu_id);
        else
            sched_env_log(SCHED_LOG_INFO, " cpu%u: idle\n", cpu);
    }
    for_each_dom(s, d)
    {
        for_each_dom_vcpu(d, v)
        {
            sched_env_log(SCHED_LOG_INFO, " d%uv%u cpu%u %s%s ", d->domid, v->vcpu_id, v->cpu,
                          v->awake ? "awake" : "asleep", v->running ? " running" : "");
            s->ops->dump_vcpu(s, v, now);
        }
    }
    sched_env_unlock(&s->lock);
}
