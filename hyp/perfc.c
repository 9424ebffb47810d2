/*
 * Performance counters: reading them (perfc.h says how they are kept).
 *
 * XEN_SYSCTL_perfc_op lays the machine's counters out as Xen's
 * perfc_control() does, so Xen's xenperf reads them: one description per
 * counter (name, number of values), then every counter's values, u32 each;
 * a null desc handle asks for the two counts only. An array counter
 * (hypercalls by number, exceptions by vector...) has one value per
 * element, the machine's total, as on Xen. A single counter Xen keeps per
 * pCPU has one value per online pCPU (the scheduler's); one that belongs
 * to domains has one value, the machine's total. Reset starts every
 * counter from zero again, as on Xen; the domains' own counters (`vane
 * stat`) are left alone: the machine's are kept relative to a base taken
 * at the reset.
 *
 * PARAVANE_DOMCTL_perfc sums one domain's vCPU blocks.
 *
 * Locking: perfc_lock serializes the sysctl's readers (one staging
 * buffer); `departed` and `base` are guarded by domlist_lock, which also
 * keeps the domain list still while it is summed. Order: perfc_lock, then
 * domlist_lock. The vCPUs that count never take either.
 */
#include "perfc.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "mm/xmalloc.h"
#include "smp.h"
#include "spinlock.h"
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/sysctl.h>

_Static_assert(sizeof(struct paravane_domctl_perfc) <= sizeof(((struct xen_domctl *)0)->u),
               "fits in the domctl payload");

#define NR_WORDS (sizeof(struct paravane_perfc) / sizeof(uint64_t))

struct perfc_cpu_row perfc_cpu_rows[NR_CPUS];

/* What the domains that left the list had counted; the totals at the last reset. */
static struct paravane_perfc departed, base;

/* How a counter's values come out of the domains' totals or the pCPU rows. */
enum perfc_source {
    DOM_ARRAY, /* `n` words from `at`, one value each */
    DOM_SUM,   /* `n` words from `at`, summed into one value */
    CPU_ROW,   /* pCPU row index `at`, one value per online pCPU */
};

#define W(field) (unsigned int)(__builtin_offsetof(struct paravane_perfc, field) / sizeof(uint64_t))

static const struct {
    const char *name;
    enum perfc_source src;
    unsigned int at, n;
} counters[] = {
    {"hypercalls", DOM_ARRAY, W(hypercalls), PARAVANE_PERFC_HYPERCALLS},
    {"calls from multicall", DOM_SUM, W(multicall_calls), PARAVANE_PERFC_HYPERCALLS},
    {"exceptions", DOM_ARRAY, W(exceptions), 32},
    {"privileged instructions", DOM_ARRAY, W(privops), PARAVANE_PERFC_PRIVOP_NR},
    {"privileged instructions refused", DOM_SUM, W(privops_refused), 1},
    {"page updates", DOM_SUM, W(mmu_update_entries), 1},
    {"calls to update_va_map", DOM_SUM, W(update_va_mapping), 1},
    {"writable pt emulations", DOM_SUM, W(ptwr_emulations), 1},
    {"mmuext ops", DOM_SUM, W(mmuext_ops), 1},
    {"event channel sends", DOM_SUM, W(evtchn_sends), 1},
    {"grant table ops", DOM_ARRAY, W(grant_ops), PARAVANE_PERFC_GRANT_OPS},
    {"event upcalls", DOM_SUM, W(event_upcalls), 1},
    {"sched: runs through scheduler", CPU_ROW, PERFC_sched_run, 1},
    {"sched: context switches", CPU_ROW, PERFC_sched_ctx, 1},
};
#define NR_PERFCTRS ARRAY_SIZE(counters)

/* Room for every value: the domain counters' words, and the rows for 64 pCPUs. */
#define MAX_VALS (NR_WORDS + NUM_PERFC_CPU * NR_CPUS)

static DEFINE_SPINLOCK(perfc_lock);
static struct paravane_perfc totals;
static xen_sysctl_perfc_val_t vals[MAX_VALS];

/* dst += every vCPU block of d (d held, or under domlist_lock). */
static unsigned int add_domain(uint64_t *dst, const struct domain *d)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < MAX_VCPUS; i++) {
        const struct vcpu *v = d->vcpu[i];
        const uint64_t *src;

        if (!v)
            continue;
        src = (const uint64_t *)&v->perfc;
        for (unsigned int k = 0; k < NR_WORDS; k++)
            dst[k] += READ_ONCE(src[k]);
        n++;
    }
    return n;
}

void perfc_domain_gone(const struct domain *d)
{
    add_domain((uint64_t *)&departed, d);
}

static unsigned int nr_vals_of(unsigned int i)
{
    if (counters[i].src == CPU_ROW)
        return num_online_cpus();
    return counters[i].src == DOM_ARRAY ? counters[i].n : 1;
}

/* The machine's totals since the last reset (perfc_lock held); with `reset`, a new base. */
static void sum_machine(bool reset)
{
    uint64_t *t = (uint64_t *)&totals;
    unsigned long irq = spin_lock_irqsave(&domlist_lock);
    struct list_head *p;

    memcpy(&totals, &departed, sizeof(totals));
    list_for_each(p, &domain_list) add_domain(t, list_entry(p, struct domain, list));
    for (unsigned int k = 0; k < NR_WORDS; k++) {
        uint64_t now = t[k];

        t[k] -= ((uint64_t *)&base)[k];
        if (reset)
            ((uint64_t *)&base)[k] = now;
    }
    spin_unlock_irqrestore(&domlist_lock, irq);
}

/* The values in the order of `counters` (perfc_lock held); their count. */
static unsigned int lay_out(void)
{
    const uint64_t *t = (const uint64_t *)&totals;
    unsigned int v = 0, cpu;

    for (unsigned int i = 0; i < NR_PERFCTRS; i++) {
        uint64_t s = 0;

        switch (counters[i].src) {
        case DOM_ARRAY:
            for (unsigned int k = 0; k < counters[i].n; k++)
                vals[v++] = (xen_sysctl_perfc_val_t)t[counters[i].at + k];
            break;
        case DOM_SUM:
            for (unsigned int k = 0; k < counters[i].n; k++)
                s += t[counters[i].at + k];
            vals[v++] = (xen_sysctl_perfc_val_t)s;
            break;
        case CPU_ROW:
            for_each_online_cpu(cpu) vals[v++] = READ_ONCE(perfc_cpu_rows[cpu].c[counters[i].at]);
            break;
        }
    }
    return v;
}

static long copy_out(const struct xen_sysctl_perfc_op *pc, unsigned int nr_vals)
{
    for (unsigned int i = 0; i < NR_PERFCTRS; i++) {
        struct xen_sysctl_perfc_desc d = {.nr_vals = nr_vals_of(i)};

        strlcpy(d.name, counters[i].name, sizeof(d.name));
        if (copy_to_guest((unsigned long)pc->desc.p + i * sizeof(d), &d, sizeof(d)))
            return -XEN_EFAULT;
    }
    if (pc->val.p &&
        copy_to_guest((unsigned long)pc->val.p, vals, nr_vals * sizeof(xen_sysctl_perfc_val_t)))
        return -XEN_EFAULT;
    return 0;
}

long perfc_sysctl(struct xen_sysctl_perfc_op *pc)
{
    bool reset = pc->cmd == XEN_SYSCTL_PERFCOP_reset;
    unsigned int nr_vals = 0, cpu;
    long rc = 0;

    if (pc->cmd != XEN_SYSCTL_PERFCOP_query && !reset)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < NR_PERFCTRS; i++)
        nr_vals += nr_vals_of(i);
    ASSERT(nr_vals <= MAX_VALS);
    spin_lock(&perfc_lock);
    /* As Xen: a reset first hands out what is being cleared, if asked. */
    if (pc->desc.p || reset)
        sum_machine(reset);
    if (pc->desc.p) {
        unsigned int n = lay_out();

        ASSERT(n == nr_vals);
        (void)n;
        rc = copy_out(pc, nr_vals);
    }
    if (reset)
        for_each_online_cpu(cpu) memset(&perfc_cpu_rows[cpu], 0, sizeof(perfc_cpu_rows[cpu]));
    spin_unlock(&perfc_lock);
    pc->nr_counters = NR_PERFCTRS;
    pc->nr_vals = nr_vals;
    return rc;
}

long perfc_domctl(struct domain *d, void *payload)
{
    struct paravane_domctl_perfc *op = payload;
    struct paravane_perfc *sum;
    unsigned int n;
    long rc = 0;

    if ((op->cmd != PARAVANE_PERFC_query && op->cmd != PARAVANE_PERFC_reset) || op->pad)
        return -XEN_EINVAL;
    sum = xzalloc(struct paravane_perfc);
    if (!sum)
        return -XEN_ENOMEM;
    /* The vCPUs stay until the domain's last reference goes (ours holds). */
    n = add_domain((uint64_t *)sum, d);
    if (op->cmd == PARAVANE_PERFC_reset) {
        unsigned long irq = spin_lock_irqsave(&domlist_lock);

        /* The machine's totals keep what is cleared here. */
        for (unsigned int k = 0; k < NR_WORDS; k++)
            ((uint64_t *)&departed)[k] += ((const uint64_t *)sum)[k];
        for (unsigned int i = 0; i < MAX_VCPUS; i++)
            if (d->vcpu[i])
                memset(&d->vcpu[i]->perfc, 0, sizeof(d->vcpu[i]->perfc));
        spin_unlock_irqrestore(&domlist_lock, irq);
    }
    if (op->buffer.p &&
        copy_to_guest((unsigned long)op->buffer.p, sum, MIN(op->size, (uint32_t)sizeof(*sum))))
        rc = -XEN_EFAULT;
    xfree(sum);
    op->size = sizeof(*sum);
    op->version = PARAVANE_PERFC_VERSION;
    op->nr_vcpus = n;
    return rc;
}
