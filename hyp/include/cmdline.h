/*
 * Boot command-line options.
 *
 * Options are declared where they are used with one of the OPTION_* macros,
 * which place a descriptor in the .init.options section; cmdline_parse()
 * walks the section. The same parser serves the host unit tests, which pass
 * their own table to cmdline_parse_table().
 *
 * Syntax (Xen's): space-separated `name`, `name=value` or `no-name`; a bool
 * given as bare `name` is true, `no-name` false, and accepts
 * yes/no/on/off/true/false/1/0 as value. Sizes accept K, M, G suffixes
 * (default unit: bytes). Unknown options are reported and ignored.
 */
#ifndef PARAVANE_CMDLINE_H
#define PARAVANE_CMDLINE_H

#include "types.h"

enum option_type {
    OPT_BOOL,
    OPT_UINT, /* unsigned long, decimal or 0x hex */
    OPT_SIZE, /* bytes, with optional K/M/G suffix */
    OPT_STR,  /* copied into a fixed buffer of `size` bytes */
    OPT_CUSTOM,
};

struct boot_option {
    const char *name;
    enum option_type type;
    void *var;
    size_t size; /* OPT_STR: buffer size */
    /* OPT_CUSTOM: returns 0 or a negative Xen errno. */
    int (*parse)(const char *value);
};

#define __OPTION(n, t, v, s, p)                                                                    \
    static const struct boot_option __opt_##v                                                      \
        __attribute__((used, section(".init.options"), aligned(8))) = {n, t, &v, s, p}

#define OPTION_BOOL(name, var) __OPTION(name, OPT_BOOL, var, sizeof(var), NULL)
#define OPTION_UINT(name, var) __OPTION(name, OPT_UINT, var, sizeof(var), NULL)
#define OPTION_SIZE(name, var) __OPTION(name, OPT_SIZE, var, sizeof(var), NULL)
#define OPTION_STR(name, var)  __OPTION(name, OPT_STR, var, sizeof(var), NULL)
#define OPTION_CUSTOM(name, fn)                                                                    \
    static const struct boot_option __opt_##fn                                                     \
        __attribute__((used, section(".init.options"), aligned(8))) = {name, OPT_CUSTOM, NULL, 0,  \
                                                                       fn}

/* Report hook for unknown or malformed options (console in the hypervisor). */
typedef void (*cmdline_warn_fn)(const char *what, const char *name, const char *value);

/*
 * Parse `cmdline` against the options in [first, last).
 * Returns the number of options that could not be applied (unknown or
 * malformed); each is reported through `warn`.
 */
int cmdline_parse_table(const char *cmdline, const struct boot_option *first,
                        const struct boot_option *last, cmdline_warn_fn warn);

/* Number parsers shared with other option handlers. Return 0 or -XEN_EINVAL. */
int parse_ulong(const char *s, const char **end, unsigned long *out);
int parse_size(const char *s, const char **end, uint64_t *out);
int parse_bool(const char *s, bool *out);

/* Parse against every option compiled into the hypervisor. */
int cmdline_parse(const char *cmdline);

#endif
