/*
 * sched/private.h - what the generic core (core.c) and the policies
 * (credit.c, sedf.c) share. Only conforming schedulers include this; the
 * rest of Paravane uses sched.h.
 *
 * Each policy fills in one `const struct sched_ops` and embeds the generic
 * objects (struct sched_dom, struct sched_vcpu) as the first member of its
 * own, so one allocation holds both and container_of() gets back.
 *
 * Locking: every hook is called by core.c with the instance lock (s->lock)
 * held, except alloc/free hooks, which run unlocked on objects not yet (or
 * no longer) visible. Hooks never allocate and never take another lock.
 *
 * vCPU state, owned by core.c (policies read it, never write it):
 *   awake    - runnable as far as the guest is concerned (not blocked/paused)
 *   running  - current on pCPU `cpu` (between two sched_schedule() calls)
 * A vCPU that is awake and not running is queued by its policy on `cpu`
 * (or deliberately held off, e.g. parked by a Credit cap).
 */
#ifndef SCHED_PRIVATE_H
#define SCHED_PRIVATE_H

#include "sched.h"

#define SCHED_US(x) ((sched_time_t)(x)*1000)
#define SCHED_MS(x) ((sched_time_t)(x)*1000000)

#define container_of(ptr, type, member)                                                            \
    ((type *)(void *)((char *)(ptr) - __builtin_offsetof(type, member)))

/* ---- Intrusive circular doubly linked list ---------------------------- */

struct sched_link {
    struct sched_link *next, *prev;
};

static inline void link_init(struct sched_link *head)
{
    head->next = head->prev = head;
}

static inline bool link_empty(const struct sched_link *head)
{
    return head->next == head;
}

/* Is this node on some list? Nodes are re-initialised when removed. */
static inline bool link_linked(const struct sched_link *node)
{
    return node->next != node;
}

/* Insert `node` just before `pos` (at the tail when pos is the head). */
static inline void link_add_before(struct sched_link *node, struct sched_link *pos)
{
    node->prev = pos->prev;
    node->next = pos;
    pos->prev->next = node;
    pos->prev = node;
}

static inline void link_add_tail(struct sched_link *node, struct sched_link *head)
{
    link_add_before(node, head);
}

static inline void link_del(struct sched_link *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    link_init(node);
}

#define link_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)
#define link_for_each_safe(pos, tmp, head)                                                         \
    for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);                               \
         (pos) = (tmp), (tmp) = (pos)->next)

/* ---- Generic objects -------------------------------------------------- */

struct sched_dom {
    struct sched_link node;  /* on sched.domains */
    struct sched_link vcpus; /* sched_vcpu.dom_node */
    unsigned int nr_vcpus;
    uint16_t domid;
};

struct sched_vcpu {
    struct sched_link dom_node; /* on sched_dom.vcpus */
    struct sched_dom *dom;
    void *owner;
    unsigned int vcpu_id;
    unsigned int cpu;         /* pCPU it runs or queues on */
    unsigned int migrate_to;  /* pending move while running; == cpu if none */
    sched_cpumask_t affinity; /* hard: the pCPUs it may run on, never empty */
    bool awake;
    bool running;
    struct sched_vcpu_stats stats;
};

struct sched_pcpu {
    struct sched_vcpu *curr; /* NULL = idle */
};

struct sched_ops;

struct sched {
    sched_lock_t lock;
    const struct sched_ops *ops;
    struct sched_config cfg;
    unsigned int nr_cpus;
    struct sched_pcpu *pcpu; /* [nr_cpus] */
    struct sched_link domains;
    void *priv; /* the policy's instance data */
};

/*
 * The policy table. `schedule` returns the decision for `cpu`; core.c has
 * already cleared prev->running and sets next->running from the result.
 */
struct sched_ops {
    const char *name;     /* for dumps */
    const char *opt_name; /* sched= value */
    unsigned int sched_id;
    int (*init)(struct sched *s);                           /* allocate s->priv; unlocked */
    void (*deinit)(struct sched *s);                        /* free s->priv; unlocked */
    size_t dom_size;                                        /* sizeof the policy's domain struct */
    size_t vcpu_size;                                       /* sizeof the policy's vCPU struct */
    void (*dom_init)(struct sched *s, struct sched_dom *d); /* defaults; unlocked */
    void (*dom_insert)(struct sched *s, struct sched_dom *d);
    void (*dom_remove)(struct sched *s, struct sched_dom *d);
    void (*vcpu_insert)(struct sched *s, struct sched_vcpu *v, sched_time_t now); /* asleep */
    void (*vcpu_remove)(struct sched *s, struct sched_vcpu *v); /* asleep, not running */
    void (*sleep)(struct sched *s, struct sched_vcpu *v, sched_time_t now); /* awake cleared */
    void (*wake)(struct sched *s, struct sched_vcpu *v, sched_time_t now);  /* awake set */
    void (*yield)(struct sched *s, struct sched_vcpu *v);                   /* v running */
    struct sched_decision (*schedule)(struct sched *s, unsigned int cpu, struct sched_vcpu *prev,
                                      sched_time_t now);
    /* Move a vCPU that is not running to `cpu` (asleep or queued). */
    void (*migrate)(struct sched *s, struct sched_vcpu *v, unsigned int cpu, sched_time_t now);
    int (*adjust_check)(struct sched *s, struct sched_dom *d,
                        const struct paravane_domctl_scheduler_op *op); /* pure */
    void (*adjust_apply)(struct sched *s, struct sched_dom *d,
                         const struct paravane_domctl_scheduler_op *op, sched_time_t now);
    void (*adjust_get)(struct sched *s, struct sched_dom *d,
                       struct paravane_domctl_scheduler_op *op);
    void (*dump_vcpu)(struct sched *s, struct sched_vcpu *v, sched_time_t now);
};

extern const struct sched_ops sched_credit_ops;
extern const struct sched_ops sched_sedf_ops;

/* Helpers for policies (core.c). */
static inline struct sched_vcpu *sched_curr(const struct sched *s, unsigned int cpu)
{
    return s->pcpu[cpu].curr;
}

static inline bool sched_vcpu_allowed(const struct sched_vcpu *v, unsigned int cpu)
{
    return (v->affinity >> cpu) & 1;
}

static inline bool sched_vcpu_queueable(const struct sched_vcpu *v)
{
    return v->awake && !v->running;
}

static inline void sched_tickle(struct sched *s, unsigned int cpu)
{
    sched_env_tickle(s->cfg.env_ctx, cpu);
}

#define for_each_dom(s, d)                                                                         \
    for (struct sched_link *d##_l = (s)->domains.next;                                             \
         (d##_l != &(s)->domains) && ((d) = container_of(d##_l, struct sched_dom, node), 1);       \
         d##_l = d##_l->next)

#define for_each_dom_vcpu(d, v)                                                                    \
    for (struct sched_link *v##_l = (d)->vcpus.next;                                               \
         (v##_l != &(d)->vcpus) && ((v) = container_of(v##_l, struct sched_vcpu, dom_node), 1);    \
         v##_l = v##_l->next)

#endif /* SCHED_PRIVATE_H */
