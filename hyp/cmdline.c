/*
 * Boot command-line parser.
 *
 * Pure string handling over a table of option descriptors, so it is unit
 * tested on the host. The hypervisor passes the table the linker gathered
 * from every OPTION_* declaration (see setup.c).
 *
 * The parser never writes outside an option's variable: strings are
 * truncated to the buffer (and reported), integers are range checked
 * against the variable's size.
 */
#include "cmdline.h"
#include "compiler.h"
#include <xen/errno.h>

#define MAX_TOKEN 256

static size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int parse_ulong(const char *s, const char **end, unsigned long *out)
{
    unsigned long v = 0, base = 10;
    const char *p = s;
    bool any = false;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    for (;; p++) {
        unsigned long d;
        if (*p >= '0' && *p <= '9')
            d = (unsigned long)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = (unsigned long)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = (unsigned long)(*p - 'A' + 10);
        else
            break;
        if (v > (~0UL - d) / base)
            return -XEN_ERANGE;
        v = v * base + d;
        any = true;
    }
    if (!any)
        return -XEN_EINVAL;
    *out = v;
    if (end)
        *end = p;
    else if (*p)
        return -XEN_EINVAL;
    return 0;
}

int parse_size(const char *s, const char **end, uint64_t *out)
{
    unsigned long v;
    const char *p;
    unsigned int shift = 0;
    int rc = parse_ulong(s, &p, &v);

    if (rc)
        return rc;
    switch (*p) {
    case 'k':
    case 'K':
        shift = 10;
        p++;
        break;
    case 'm':
    case 'M':
        shift = 20;
        p++;
        break;
    case 'g':
    case 'G':
        shift = 30;
        p++;
        break;
    case 't':
    case 'T':
        shift = 40;
        p++;
        break;
    default:
        break;
    }
    if (shift && v > (~0UL >> shift))
        return -XEN_ERANGE;
    if (end)
        *end = p;
    else if (*p)
        return -XEN_EINVAL;
    *out = (uint64_t)v << shift;
    return 0;
}

int parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"1", "yes", "on", "true", "enable"};
    static const char *const no[] = {"0", "no", "off", "false", "disable"};

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (str_eq(s, yes[i])) {
            *out = true;
            return 0;
        }
        if (str_eq(s, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -XEN_EINVAL;
}

/* Store an unsigned value in a variable of `size` bytes, refusing overflow. */
static int store_uint(void *var, size_t size, uint64_t v)
{
    switch (size) {
    case 1:
        if (v > UINT8_MAX)
            return -XEN_ERANGE;
        *(uint8_t *)var = (uint8_t)v;
        return 0;
    case 2:
        if (v > UINT16_MAX)
            return -XEN_ERANGE;
        *(uint16_t *)var = (uint16_t)v;
        return 0;
    case 4:
        if (v > UINT32_MAX)
            return -XEN_ERANGE;
        *(uint32_t *)var = (uint32_t)v;
        return 0;
    case 8:
        *(uint64_t *)var = v;
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

static int apply(const struct boot_option *opt, const char *value, bool negated)
{
    switch (opt->type) {
    case OPT_BOOL: {
        bool b = !negated;
        if (value) {
            if (negated)
                return -XEN_EINVAL;
            int rc = parse_bool(value, &b);
            if (rc)
                return rc;
        }
        *(bool *)opt->var = b;
        return 0;
    }
    case OPT_UINT: {
        unsigned long v;
        if (!value || negated)
            return -XEN_EINVAL;
        int rc = parse_ulong(value, NULL, &v);
        return rc ? rc : store_uint(opt->var, opt->size, v);
    }
    case OPT_SIZE: {
        uint64_t v;
        if (!value || negated)
            return -XEN_EINVAL;
        int rc = parse_size(value, NULL, &v);
        return rc ? rc : store_uint(opt->var, opt->size, v);
    }
    case OPT_STR: {
        char *dst = opt->var;
        size_t n = str_len(value ? value : "");
        if (negated || !value || opt->size == 0)
            return -XEN_EINVAL;
        if (n >= opt->size)
            return -XEN_E2BIG;
        for (size_t i = 0; i <= n; i++)
            dst[i] = value[i];
        return 0;
    }
    case OPT_CUSTOM:
        if (negated)
            return -XEN_EINVAL;
        return opt->parse(value ? value : "");
    }
    return -XEN_EINVAL;
}

static const struct boot_option *lookup(const char *name, const struct boot_option *first,
                                        const struct boot_option *last)
{
    for (const struct boot_option *o = first; o < last; o++)
        if (str_eq(o->name, name))
            return o;
    return NULL;
}

int cmdline_parse_table(const char *cmdline, const struct boot_option *first,
                        const struct boot_option *last, cmdline_warn_fn warn)
{
    char tok[MAX_TOKEN];
    int bad = 0;
    const char *p = cmdline;

    while (p && *p) {
        size_t n = 0;
        char *value = NULL;
        const struct boot_option *opt;
        bool negated = false;

        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        while (p[n] && p[n] != ' ' && p[n] != '\t')
            n++;
        if (n >= sizeof(tok)) {
            tok[0] = '\0';
            warn("option too long", "", "");
            bad++;
            p += n;
            continue;
        }
        for (size_t i = 0; i < n; i++)
            tok[i] = p[i];
        tok[n] = '\0';
        p += n;

        for (char *c = tok; *c; c++) {
            if (*c == '=') {
                *c = '\0';
                value = c + 1;
                break;
            }
        }
        opt = lookup(tok, first, last);
        if (!opt && tok[0] == 'n' && tok[1] == 'o' && tok[2] == '-') {
            opt = lookup(tok + 3, first, last);
            negated = opt != NULL;
        }
        if (!opt) {
            warn("unknown option", tok, value ? value : "");
            bad++;
            continue;
        }
        if (apply(opt, value, negated)) {
            warn("bad value for option", opt->name, value ? value : "");
            bad++;
        }
    }
    return bad;
}
