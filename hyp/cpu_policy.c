/*
 * CPU policies (cpu_policy.h): the CPUID leaves the hypervisor gives PV
 * guests, read and narrowed by the toolstack in Xen 4.17's serialised
 * form (xen_cpuid_leaf_t, xen_msr_entry_t), leaf for leaf in the order
 * and within the bounds of Xen's own policy library, so libxc can read
 * them back into its struct cpu_policy and send them again unchanged.
 *
 * Policies, by XEN_SYSCTL_cpu_policy_* index: raw and host are the CPU's
 * own leaves; pv_max and pv_default are guest_cpuid()'s; a domain's is
 * that narrowed by what its toolstack set. There is no HVM
 * (-EOPNOTSUPP). Fields that differ per CPU (APIC ids) read as zero.
 * MSRs: PLATFORM_INFO and ARCH_CAPABILITIES, both 0 for PV guests (reading
 * either faults in a guest here: no CPUID faulting, no exposed caps).
 */
#include "cpu_policy.h"
#include "asm/processor.h"
#include "asm/pv_traps.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "mm/xmalloc.h"
#include <xen/errno.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

/* The array sizes of Xen 4.17's struct cpu_policy (lib/x86/cpu-policy.h). */
#define NR_BASIC  (0xdu + 1)
#define NR_CACHE  (5u + 1)
#define NR_FEAT   (2u + 1)
#define NR_TOPO   (1u + 1)
#define NR_XSTATE (62u + 1)
#define NR_EXTD   (0x21u + 1)
#define MAX_SERIALISED_LEAVES                                                                      \
    (NR_BASIC + NR_FEAT - 1 + NR_CACHE - 1 + NR_TOPO - 1 + NR_XSTATE - 1 + NR_EXTD + 2)
#define MAX_SERIALISED_MSRS 2

#define NA                XEN_CPUID_NO_SUBLEAF
#define HV_BASE           0x40000000u
#define HV_MAX_LEAVES     5u /* XEN_CPUID_MAX_NUM_LEAVES in 4.17 */
#define MSR_PLATFORM_INFO 0xceu
#define MSR_ARCH_CAPS     0x10au

enum { EAX, EBX, ECX, EDX };

/* Where each featureset word lives (FEATURESET_* of Xen's library). */
static const struct fs_word {
    uint32_t leaf, sub;
    uint8_t reg;
    bool msr; /* words 16 and 17: MSR_ARCH_CAPABILITIES, not CPUID */
} fs_words[] = {
    {1, NA, EDX, false},
    {1, NA, ECX, false},
    {0x80000001, NA, EDX, false},
    {0x80000001, NA, ECX, false},
    {0xd, 1, EAX, false},
    {7, 0, EBX, false},
    {7, 0, ECX, false},
    {0x80000007, NA, EDX, false},
    {0x80000008, NA, EBX, false},
    {7, 0, EDX, false},
    {7, 1, EAX, false},
    {0x80000021, NA, EAX, false},
    {7, 1, EBX, false},
    {7, 2, EDX, false},
    {7, 1, ECX, false},
    {7, 1, EDX, false},
    {MSR_ARCH_CAPS, 0, EAX, true},
    {MSR_ARCH_CAPS, 0, EDX, true},
    {0x80000021, NA, ECX, false},
};
_Static_assert(ARRAY_SIZE(fs_words) >= CPU_POLICY_FS_WORDS, "a place for every featureset word");

/* Is (leaf, sub) a leaf with subleaves in Xen's layout? */
static bool has_subleaves(uint32_t leaf)
{
    return leaf == 4 || leaf == 7 || leaf == 0xb || leaf == 0xd;
}

/* Narrow one answer of guest_cpuid() to a policy (nothing if it is unset). */
static void narrow(const struct domain_cpu_policy *p, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    if (!p->set)
        return;
    if (leaf >= HV_BASE && leaf < HV_BASE + 0x10000) {
        /* Xen's rule: 0 is every leaf, else clamped to [2, all]. */
        uint32_t limit = p->hv_limit ? MIN(MAX(p->hv_limit, 2u), HV_MAX_LEAVES) : HV_MAX_LEAVES;

        if (leaf - HV_BASE > limit)
            r[EAX] = r[EBX] = r[ECX] = r[EDX] = 0;
        else if (leaf == HV_BASE)
            r[EAX] = HV_BASE + limit;
        return;
    }
    if ((leaf < HV_BASE && leaf > p->basic_max) || (leaf >= 0x80000000u && leaf > p->extd_max) ||
        (leaf == 7 && sub > p->feat_max)) {
        r[EAX] = r[EBX] = r[ECX] = r[EDX] = 0;
        return;
    }
    if (leaf == 0)
        r[EAX] = p->basic_max;
    else if (leaf == 7 && sub == 0)
        r[EAX] = p->feat_max;
    else if (leaf == 0x80000000u)
        r[EAX] = p->extd_max;
    for (unsigned int w = 0; w < CPU_POLICY_FS_WORDS; w++) {
        const struct fs_word *f = &fs_words[w];

        if (!f->msr && f->leaf == leaf && (f->sub == NA || f->sub == sub))
            r[f->reg] &= p->fs[w];
    }
}

/* A leaf of one of the system policies, or of a domain's. */
struct source {
    bool raw;                            /* the CPU's own leaves */
    const struct domain_cpu_policy *dom; /* else guest_cpuid(), narrowed if set */
};

static void read_leaf(const struct source *s, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    if (s->raw) {
        uint32_t max, x;

        cpuid(leaf & 0x80000000u, 0, &max, &x, &x, &x);
        if (leaf > max)
            r[EAX] = r[EBX] = r[ECX] = r[EDX] = 0;
        else
            cpuid(leaf, sub, &r[EAX], &r[EBX], &r[ECX], &r[EDX]);
    } else {
        guest_cpuid(leaf, sub, &r[EAX], &r[EBX], &r[ECX], &r[EDX]);
    }
    /* Per-CPU values: the initial (x2)APIC ids. */
    if (leaf == 1)
        r[EBX] &= 0x00ffffffu;
    else if (leaf == 0xb)
        r[EDX] = 0;
    else if (leaf == 0x8000001e)
        r[EAX] = 0;
    if (s->dom)
        narrow(s->dom, leaf, sub, r);
}

/* The featureset of a source, in Xen's word order. */
static void featureset_of(const struct source *s, uint32_t fs[CPU_POLICY_FS_WORDS])
{
    uint32_t r[4];

    for (unsigned int w = 0; w < CPU_POLICY_FS_WORDS; w++) {
        const struct fs_word *f = &fs_words[w];

        fs[w] = 0;
        if (f->msr) {
            /* Only the CPU's own, when it has them (CPUID 7.0 EDX[29]). */
            read_leaf(s, 7, 0, r);
            if (s->raw && (r[EDX] & (1u << 29)))
                fs[w] = (uint32_t)(rdmsr(MSR_ARCH_CAPS) >> (f->reg == EDX ? 32 : 0));
            continue;
        }
        read_leaf(s, f->leaf, f->sub == NA ? 0 : f->sub, r);
        fs[w] = r[f->reg];
    }
}

/*
 * A whole policy as Xen's library holds it: every leaf its arrays have
 * room for, beyond the maxima zero.
 */
struct leaf_table {
    uint32_t basic[NR_BASIC][4], cache[NR_CACHE][4], feat[NR_FEAT][4], topo[NR_TOPO][4];
    uint32_t xstate[NR_XSTATE][4], extd[NR_EXTD][4];
    uint32_t hv_limit, hv2_limit;
};

/* The slot of (leaf, sub) in a table, or NULL when Xen's layout has none. */
static uint32_t *slot(struct leaf_table *t, uint32_t leaf, uint32_t sub)
{
    if (leaf < NR_BASIC) {
        switch (leaf) {
        case 4:
            return sub < NR_CACHE ? t->cache[sub] : NULL;
        case 7:
            return sub < NR_FEAT ? t->feat[sub] : NULL;
        case 0xb:
            return sub < NR_TOPO ? t->topo[sub] : NULL;
        case 0xd:
            return sub < NR_XSTATE ? t->xstate[sub] : NULL;
        default:
            return sub == NA ? t->basic[leaf] : NULL;
        }
    }
    if (leaf >= 0x80000000u && leaf - 0x80000000u < NR_EXTD)
        return sub == NA ? t->extd[leaf - 0x80000000u] : NULL;
    return NULL;
}

/*
 * Walk the leaves of a table in Xen's serialisation order (the one
 * x86_cpuid_copy_to_buffer() writes): fn(leaf, sub, regs) for each, stop
 * at the first non-zero answer.
 */
typedef int (*leaf_visit)(void *ctx, uint32_t leaf, uint32_t sub, const uint32_t r[4]);

static int walk(const struct leaf_table *t, leaf_visit fn, void *ctx)
{
    uint32_t hv[4] = {0};
    int rc;

#define VISIT(l, s, r)                                                                             \
    do {                                                                                           \
        if ((rc = fn(ctx, (l), (s), (r))) != 0)                                                    \
            return rc;                                                                             \
    } while (0)
    for (uint32_t leaf = 0; leaf <= MIN(t->basic[0][EAX], NR_BASIC - 1); leaf++) {
        switch (leaf) {
        case 4:
            for (uint32_t s = 0; s < NR_CACHE; s++) {
                VISIT(leaf, s, t->cache[s]);
                if ((t->cache[s][EAX] & 0x1f) == 0)
                    break;
            }
            break;
        case 7:
            for (uint32_t s = 0; s <= MIN(t->feat[0][EAX], NR_FEAT - 1); s++)
                VISIT(leaf, s, t->feat[s]);
            break;
        case 0xb:
            for (uint32_t s = 0; s < NR_TOPO; s++) {
                VISIT(leaf, s, t->topo[s]);
                if (((t->topo[s][ECX] >> 8) & 0xff) == 0)
                    break;
            }
            break;
        case 0xd: {
            uint64_t xstates = ((uint64_t)t->xstate[0][EDX] << 32 | t->xstate[0][EAX]) |
                               ((uint64_t)t->xstate[1][EDX] << 32 | t->xstate[1][ECX]);

            VISIT(leaf, 0, t->xstate[0]);
            VISIT(leaf, 1, t->xstate[1]);
            xstates >>= 2;
            for (uint32_t s = 2; xstates && s < NR_XSTATE; s++, xstates >>= 1)
                VISIT(leaf, s, t->xstate[s]);
            break;
        }
        default:
            VISIT(leaf, NA, t->basic[leaf]);
            break;
        }
    }
    hv[EAX] = t->hv_limit;
    VISIT(HV_BASE, NA, hv);
    hv[EAX] = t->hv2_limit;
    VISIT(HV_BASE + 0x100, NA, hv);
    for (uint32_t i = 0; i <= MIN(t->extd[0][EAX] & 0xffffu, NR_EXTD - 1); i++)
        VISIT(0x80000000u | i, NA, t->extd[i]);
#undef VISIT
    return 0;
}

/* Fill a table from a source: its leaves up to its maxima, the rest zero. */
static void fill(struct leaf_table *t, const struct source *s)
{
    struct leaf_table *z = t;

    memset(z, 0, sizeof(*z));
    read_leaf(s, 0, 0, t->basic[0]);
    for (uint32_t leaf = 1; leaf <= MIN(t->basic[0][EAX], NR_BASIC - 1); leaf++) {
        if (!has_subleaves(leaf)) {
            read_leaf(s, leaf, 0, t->basic[leaf]);
            continue;
        }
        for (uint32_t sub = 0; sub < NR_XSTATE; sub++) {
            uint32_t *r = slot(t, leaf, sub);

            if (!r)
                break;
            if (leaf == 7 && sub > t->feat[0][EAX])
                break;
            read_leaf(s, leaf, sub, r);
        }
    }
    read_leaf(s, 0x80000000u, 0, t->extd[0]);
    for (uint32_t i = 1; i <= MIN(t->extd[0][EAX] & 0xffffu, NR_EXTD - 1); i++)
        if (t->extd[0][EAX] >= 0x80000000u)
            read_leaf(s, 0x80000000u | i, 0, t->extd[i]);
    if (s->dom && s->dom->set) {
        t->hv_limit = s->dom->hv_limit;
        t->hv2_limit = s->dom->hv2_limit;
    }
}

struct out_buf {
    unsigned long guest; /* xen_cpuid_leaf_t array */
    uint32_t room, used;
};

static int put_leaf(void *ctx, uint32_t leaf, uint32_t sub, const uint32_t r[4])
{
    struct out_buf *o = ctx;
    xen_cpuid_leaf_t l = {
        .leaf = leaf, .subleaf = sub, .a = r[EAX], .b = r[EBX], .c = r[ECX], .d = r[EDX]};

    if (o->used == o->room)
        return -XEN_ENOBUFS;
    if (copy_to_guest(o->guest + o->used * sizeof(l), &l, sizeof(l)))
        return -XEN_EFAULT;
    o->used++;
    return 0;
}

/* Serialise a source's leaves and MSRs into a caller's arrays (Xen's rules). */
static long serialise(const struct source *s, unsigned long leaves, uint32_t *nr_leaves,
                      unsigned long msrs, uint32_t *nr_msrs)
{
    struct leaf_table *t;
    long rc = 0;

    if (!leaves) {
        *nr_leaves = MAX_SERIALISED_LEAVES;
    } else {
        struct out_buf o = {.guest = leaves, .room = *nr_leaves};

        t = xmalloc(struct leaf_table);
        if (!t)
            return -XEN_ENOMEM;
        fill(t, s);
        rc = walk(t, put_leaf, &o);
        xfree(t);
        if (rc)
            return rc;
        *nr_leaves = o.used;
    }
    if (!msrs) {
        *nr_msrs = MAX_SERIALISED_MSRS;
    } else {
        uint32_t fs[CPU_POLICY_FS_WORDS];
        xen_msr_entry_t m[MAX_SERIALISED_MSRS] = {
            {.idx = MSR_PLATFORM_INFO},
            {.idx = MSR_ARCH_CAPS},
        };

        if (*nr_msrs < MAX_SERIALISED_MSRS)
            return -XEN_ENOBUFS;
        featureset_of(s, fs);
        if (CPU_POLICY_FS_WORDS > 17)
            m[1].val = (uint64_t)fs[17] << 32 | fs[16];
        if (copy_to_guest(msrs, m, sizeof(m)))
            return -XEN_EFAULT;
        *nr_msrs = MAX_SERIALISED_MSRS;
    }
    return 0;
}

void cpu_policy_apply(const struct domain *d, uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                      uint32_t *c, uint32_t *dx)
{
    uint32_t r[4] = {*a, *b, *c, *dx};

    narrow(&d->cpu_policy, leaf, sub, r);
    *a = r[EAX];
    *b = r[EBX];
    *c = r[ECX];
    *dx = r[EDX];
}

/* The default PV policy, narrowed by nothing. */
static const struct source pv_source = {.raw = false, .dom = NULL};

long cpu_policy_get_system(struct xen_sysctl_cpu_policy *p)
{
    static const struct source raw = {.raw = true};

    if (p->_rsvd || p->index > XEN_SYSCTL_cpu_policy_hvm_default)
        return -XEN_EINVAL;
    if (p->index == XEN_SYSCTL_cpu_policy_hvm_max || p->index == XEN_SYSCTL_cpu_policy_hvm_default)
        return -XEN_EOPNOTSUPP;
    return serialise(p->index <= XEN_SYSCTL_cpu_policy_host ? &raw : &pv_source,
                     (unsigned long)p->leaves.p, &p->nr_leaves, (unsigned long)p->msrs.p,
                     &p->nr_msrs);
}

long cpu_featureset_get(struct xen_sysctl_cpu_featureset *f)
{
    static const struct source raw = {.raw = true};
    uint32_t fs[CPU_POLICY_FS_WORDS];
    uint32_t nr;

    if (!f->features.p) {
        f->nr_features = CPU_POLICY_FS_WORDS;
        return 0;
    }
    nr = MIN(f->nr_features, (uint32_t)CPU_POLICY_FS_WORDS);
    if (f->index > XEN_SYSCTL_cpu_featureset_hvm_max)
        return -XEN_EINVAL;
    if (f->index == XEN_SYSCTL_cpu_featureset_hvm || f->index == XEN_SYSCTL_cpu_featureset_hvm_max)
        return -XEN_EOPNOTSUPP;
    featureset_of(f->index <= XEN_SYSCTL_cpu_featureset_host ? &raw : &pv_source, fs);
    if (copy_to_guest((unsigned long)f->features.p, fs, nr * sizeof(fs[0])))
        return -XEN_EFAULT;
    f->nr_features = nr;
    return nr < CPU_POLICY_FS_WORDS ? -XEN_ENOBUFS : 0;
}

void cpu_policy_host_featureset(uint32_t *fs, unsigned int nr)
{
    static const struct source raw = {.raw = true};
    uint32_t all[CPU_POLICY_FS_WORDS];

    featureset_of(&raw, all);
    for (unsigned int w = 0; w < nr; w++)
        fs[w] = w < CPU_POLICY_FS_WORDS ? all[w] : 0;
}

long cpu_policy_get_domain(struct domain *d, struct xen_domctl_cpu_policy *p)
{
    struct source s = {.raw = false, .dom = &d->cpu_policy};

    return serialise(&s, (unsigned long)p->leaves.p, &p->nr_leaves, (unsigned long)p->msrs.p,
                     &p->nr_msrs);
}

/* Read the toolstack's leaves over a table (x86_cpuid_copy_from_buffer). */
static long merge_leaves(struct leaf_table *t, struct xen_domctl_cpu_policy *p)
{
    if (p->nr_leaves > MAX_SERIALISED_LEAVES)
        return -XEN_E2BIG;
    for (uint32_t i = 0; i < p->nr_leaves; i++) {
        xen_cpuid_leaf_t l;
        uint32_t *r;

        if (copy_from_guest(&l, (unsigned long)p->leaves.p + i * sizeof(l), sizeof(l)))
            return -XEN_EFAULT;
        if ((l.leaf == HV_BASE || l.leaf == HV_BASE + 0x100) && l.subleaf == NA) {
            *(l.leaf == HV_BASE ? &t->hv_limit : &t->hv2_limit) = l.a;
            continue;
        }
        r = slot(t, l.leaf, l.subleaf);
        if (!r) {
            p->err_leaf = l.leaf;
            p->err_subleaf = l.subleaf;
            return -XEN_ERANGE;
        }
        r[EAX] = l.a;
        r[EBX] = l.b;
        r[ECX] = l.c;
        r[EDX] = l.d;
    }
    return 0;
}

/* Read the toolstack's MSRs (x86_msr_copy_from_buffer): only what PV has. */
static long merge_msrs(struct xen_domctl_cpu_policy *p)
{
    if (p->nr_msrs > MAX_SERIALISED_MSRS)
        return -XEN_E2BIG;
    for (uint32_t i = 0; i < p->nr_msrs; i++) {
        xen_msr_entry_t m;

        if (copy_from_guest(&m, (unsigned long)p->msrs.p + i * sizeof(m), sizeof(m)))
            return -XEN_EFAULT;
        p->err_msr = m.idx;
        if (m.flags)
            return -XEN_EINVAL;
        if (m.idx != MSR_PLATFORM_INFO && m.idx != MSR_ARCH_CAPS)
            return -XEN_ERANGE;
        if (m.val >> 32)
            return -XEN_EOVERFLOW;
        /* PLATFORM_INFO (CPUID faulting) is more than PV has here. */
        if (m.idx == MSR_PLATFORM_INFO && m.val)
            return -XEN_EINVAL;
        /* ARCH_CAPABILITIES: features, clamped to none like the others. */
        p->err_msr = ~0u;
    }
    return 0;
}

/* Zero what lies beyond a table's maxima (x86_cpu_policy_clear_out_of_range_leaves). */
static void clear_out_of_range(struct leaf_table *t)
{
    uint32_t bmax = t->basic[0][EAX];

    for (uint32_t l = bmax + 1; l < NR_BASIC && bmax < NR_BASIC; l++)
        memset(t->basic[l], 0, sizeof(t->basic[l]));
    if (bmax < 4)
        memset(t->cache, 0, sizeof(t->cache));
    if (bmax < 7)
        memset(t->feat, 0, sizeof(t->feat));
    else
        for (uint32_t s = t->feat[0][EAX] + 1; s < NR_FEAT && t->feat[0][EAX] < NR_FEAT; s++)
            memset(t->feat[s], 0, sizeof(t->feat[s]));
    if (bmax < 0xb)
        memset(t->topo, 0, sizeof(t->topo));
    if (bmax < 0xd)
        memset(t->xstate, 0, sizeof(t->xstate));
    for (uint32_t i = (t->extd[0][EAX] & 0xffffu) + 1; i < NR_EXTD; i++)
        memset(t->extd[i], 0, sizeof(t->extd[i]));
}

/* The bits of a leaf that are the policy's to narrow (features, maxima). */
static void policy_bits(uint32_t leaf, uint32_t sub, uint32_t mask[4])
{
    mask[EAX] = mask[EBX] = mask[ECX] = mask[EDX] = 0;
    if (leaf == 0 || leaf == 0x80000000u || (leaf == 7 && sub == 0))
        mask[EAX] = ~0u;
    for (unsigned int w = 0; w < CPU_POLICY_FS_WORDS; w++) {
        const struct fs_word *f = &fs_words[w];

        if (!f->msr && f->leaf == leaf && (f->sub == NA || f->sub == sub))
            mask[f->reg] = ~0u;
    }
}

struct compare {
    struct leaf_table *ours;
    uint32_t err_leaf, err_sub;
};

/* A leaf the toolstack may keep but not change: its data must be ours. */
static int same_data(void *ctx, uint32_t leaf, uint32_t sub, const uint32_t r[4])
{
    struct compare *c = ctx;
    uint32_t mask[4];
    const uint32_t *o;

    if (leaf == HV_BASE || leaf == HV_BASE + 0x100)
        return 0;
    o = slot(c->ours, leaf, sub);
    policy_bits(leaf, sub == NA ? 0 : sub, mask);
    for (unsigned int i = 0; i < 4; i++) {
        if ((r[i] & ~mask[i]) != (o[i] & ~mask[i])) {
            c->err_leaf = leaf;
            c->err_sub = sub;
            return -XEN_EINVAL;
        }
    }
    return 0;
}

/*
 * XEN_DOMCTL_set_cpu_policy: the domain's policy with the toolstack's
 * leaves merged in, audited against the maximum as Xen audits it (no
 * higher maxima), its features clamped to the maximum's (as Xen's
 * recalculation does), and its other data the same as ours. Only before
 * the domain first runs (-EEXIST after, as Xen).
 */
long cpu_policy_set_domain(struct domain *d, struct xen_domctl_cpu_policy *p)
{
    struct source cur = {.raw = false, .dom = &d->cpu_policy};
    struct leaf_table *t = xmalloc(struct leaf_table);
    struct compare cmp = {.ours = xmalloc(struct leaf_table)};
    struct domain_cpu_policy np = {.set = true, .settable = true};
    uint32_t fs_max[CPU_POLICY_FS_WORDS];
    long rc;

    p->err_leaf = p->err_subleaf = p->err_msr = ~0u;
    if (!t || !cmp.ours) {
        rc = -XEN_ENOMEM;
        goto out;
    }
    if (!d->cpu_policy.settable) {
        rc = -XEN_EEXIST;
        goto out;
    }
    fill(t, &cur);
    fill(cmp.ours, &pv_source);
    rc = merge_leaves(t, p);
    if (!rc)
        rc = merge_msrs(p);
    if (rc)
        goto out;
    clear_out_of_range(t);
    rc = -XEN_EINVAL;
    if (t->basic[0][EAX] > cmp.ours->basic[0][EAX]) {
        p->err_leaf = 0;
        p->err_subleaf = NA;
        goto out;
    }
    if (t->feat[0][EAX] > cmp.ours->feat[0][EAX]) {
        p->err_leaf = 7;
        p->err_subleaf = 0;
        goto out;
    }
    if (t->extd[0][EAX] > cmp.ours->extd[0][EAX] ||
        (t->extd[0][EAX] && t->extd[0][EAX] < 0x80000000u)) {
        p->err_leaf = 0x80000000u;
        p->err_subleaf = NA;
        goto out;
    }
    if (walk(t, same_data, &cmp)) {
        p->err_leaf = cmp.err_leaf;
        p->err_subleaf = cmp.err_sub;
        goto out;
    }
    np.basic_max = t->basic[0][EAX];
    np.feat_max = t->basic[0][EAX] >= 7 ? t->feat[0][EAX] : 0;
    np.extd_max = t->extd[0][EAX];
    np.hv_limit = t->hv_limit;
    np.hv2_limit = t->hv2_limit;
    featureset_of(&pv_source, fs_max);
    for (unsigned int w = 0; w < CPU_POLICY_FS_WORDS; w++) {
        const struct fs_word *f = &fs_words[w];
        const uint32_t *r = f->msr ? NULL : slot(t, f->leaf, f->sub);

        np.fs[w] = r ? r[f->reg] & fs_max[w] : 0;
    }
    d->cpu_policy = np;
    rc = 0;
out:
    xfree(cmp.ours);
    xfree(t);
    return rc;
}
