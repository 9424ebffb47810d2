/*
 * CPU lists as xl.cfg's cpus= writes them: comma-separated terms, each
 * "all", a CPU "N" or a range "N-M", any of them prefixed with '^' to take
 * CPUs away again; applied left to right from the empty set, so "all,^7"
 * is every CPU but 7. NUMA node terms ("node:1", "nodes:0-3") are not
 * supported: Paravane's host has no node map.
 */
#include "private.h"
#include <stdio.h>
#include <string.h>

#define CPU_SATURATED 1000000U

static const char *parse_cpu(const char *p, unsigned int *cpu)
{
    unsigned int v = 0;

    if (*p < '0' || *p > '9')
        return NULL;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (unsigned int)(*p - '0');
        if (v >= CPU_SATURATED)
            v = CPU_SATURATED; /* no overflow; reported as out of range */
    }
    *cpu = v;
    return p;
}

static uint64_t range_mask(unsigned int lo, unsigned int hi)
{
    uint64_t upto_hi = hi == 63 ? ~0ULL : (1ULL << (hi + 1)) - 1;

    return upto_hi & ~((1ULL << lo) - 1);
}

/* One term, [TERM, TERM + LEN), into *MASK. */
static int apply_term(const char *term, size_t len, uint64_t *mask, char *err, size_t errlen)
{
    char t[40];
    const char *p;
    bool neg = false;
    unsigned int lo, hi;
    uint64_t bits;

    /* A term longer than any valid one is reported by its start. */
    snprintf(t, sizeof(t), "%.*s", (int)len, term);
    p = t;
    if (*p == '^') {
        neg = true;
        p++;
    }
    if (!strcmp(p, "all")) {
        bits = ~0ULL;
    } else if (!strncmp(p, "node", 4)) {
        snprintf(err, errlen, "NUMA node terms are not supported ('%s')", t);
        return -XEN_EINVAL;
    } else {
        p = parse_cpu(p, &lo);
        hi = lo;
        if (p && *p == '-')
            p = parse_cpu(p + 1, &hi);
        if (!p || *p || len >= sizeof(t)) {
            snprintf(err, errlen, "bad CPU list term '%s'", t);
            return -XEN_EINVAL;
        }
        if (lo >= CPU_SATURATED || hi >= CPU_SATURATED) {
            snprintf(err, errlen, "CPU number in '%s' is out of range (0..%d)", t,
                     XLCFG_MAX_CPUS - 1);
            return -XEN_EINVAL;
        }
        if (hi >= XLCFG_MAX_CPUS) {
            snprintf(err, errlen, "CPU %u is out of range (0..%d)", hi, XLCFG_MAX_CPUS - 1);
            return -XEN_EINVAL;
        }
        if (lo > hi) {
            snprintf(err, errlen, "bad CPU range '%s': %u > %u", t, lo, hi);
            return -XEN_EINVAL;
        }
        bits = range_mask(lo, hi);
    }
    if (neg)
        *mask &= ~bits;
    else
        *mask |= bits;
    return 0;
}

int xlcfg_parse_cpulist(const char *s, uint64_t *mask, char *err, size_t errlen)
{
    const char *p = s, *end, *a, *b;
    uint64_t m = 0;
    int rc;

    for (;;) {
        end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        for (a = p; a < end && (*a == ' ' || *a == '\t'); a++)
            ;
        for (b = end; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
            ;
        if (a == b) {
            snprintf(err, errlen, "empty term in CPU list '%s'", s);
            return -XEN_EINVAL;
        }
        if ((rc = apply_term(a, (size_t)(b - a), &m, err, errlen)))
            return rc;
        if (!*end)
            break;
        p = end + 1;
    }
    if (!m) {
        snprintf(err, errlen, "CPU list '%s' leaves no CPU", s);
        return -XEN_EINVAL;
    }
    *mask = m;
    return 0;
}
