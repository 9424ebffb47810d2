/*
 * From the parsed settings to struct domain_config: each known key read
 * with its type and range, unknown keys warned about (as xl does), the
 * required ones demanded, defaults filled in as xl and libxl choose them,
 * and the checks between keys made. Every message names the file, the line
 * and the key; list entries are named KEY[I] with the entry's own line.
 *
 * Errors do not stop the walk, so one run reports all that is wrong; the
 * checks between keys (maxmem against memory, ...) run only when every key
 * read cleanly, as they would otherwise judge values that are not there.
 */
#include "private.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum key_id {
    K_TYPE,
    K_BUILDER,
    K_NAME,
    K_UUID,
    K_KERNEL,
    K_RAMDISK,
    K_CMDLINE,
    K_ROOT,
    K_EXTRA,
    K_MEMORY,
    K_MAXMEM,
    K_VCPUS,
    K_MAXVCPUS,
    K_CPUS,
    K_ON_POWEROFF,
    K_ON_REBOOT,
    K_ON_CRASH,
    K_CPU_WEIGHT,
    K_CAP,
    K_SEDF_PERIOD,
    K_SEDF_SLICE,
    K_SEDF_LATENCY,
    K_SEDF_EXTRATIME,
    K_DISK,
    K_VIF,
    K_MAX_GRANT_VERSION,
    N_KEYS,
};

static const char *const key_names[N_KEYS] = {
    [K_TYPE] = "type",
    [K_BUILDER] = "builder",
    [K_NAME] = "name",
    [K_UUID] = "uuid",
    [K_KERNEL] = "kernel",
    [K_RAMDISK] = "ramdisk",
    [K_CMDLINE] = "cmdline",
    [K_ROOT] = "root",
    [K_EXTRA] = "extra",
    [K_MEMORY] = "memory",
    [K_MAXMEM] = "maxmem",
    [K_VCPUS] = "vcpus",
    [K_MAXVCPUS] = "maxvcpus",
    [K_CPUS] = "cpus",
    [K_ON_POWEROFF] = "on_poweroff",
    [K_ON_REBOOT] = "on_reboot",
    [K_ON_CRASH] = "on_crash",
    [K_CPU_WEIGHT] = "cpu_weight",
    [K_CAP] = "cap",
    [K_SEDF_PERIOD] = "sedf_period",
    [K_SEDF_SLICE] = "sedf_slice",
    [K_SEDF_LATENCY] = "sedf_latency",
    [K_SEDF_EXTRATIME] = "sedf_extratime",
    [K_DISK] = "disk",
    [K_VIF] = "vif",
    [K_MAX_GRANT_VERSION] = "max_grant_version",
};

/* Indexed by enum xlcfg_action, as xl.cfg(5) spells them. */
static const char *const action_names[] = {
    [XLCFG_ACTION_DESTROY] = "destroy",
    [XLCFG_ACTION_RESTART] = "restart",
    [XLCFG_ACTION_RENAME_RESTART] = "rename-restart",
    [XLCFG_ACTION_PRESERVE] = "preserve",
    [XLCFG_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
    [XLCFG_ACTION_COREDUMP_RESTART] = "coredump-restart",
};

struct mapper {
    const char *file;
    struct domain_config *dc;
    struct xlcfg_diag *diag;
    const struct cfg_setting *set[N_KEYS]; /* NULL: not given */
    int nomem;                             /* an allocation failed */
    /* Numbers as read, before defaults. */
    int64_t num[N_KEYS];
    /* cpus=: one mask (string form) or one per vCPU (list form). */
    uint64_t cpus_mask[XLCFG_MAX_VCPUS];
    size_t n_cpus_masks;
    bool cpus_is_list;
};

const char *xlcfg_action_name(enum xlcfg_action a)
{
    if ((size_t)a >= sizeof(action_names) / sizeof(action_names[0]))
        return NULL;
    return action_names[a];
}

void domain_config_free(struct domain_config *dc)
{
    size_t i;

    free(dc->name);
    free(dc->kernel);
    free(dc->ramdisk);
    free(dc->cmdline);
    for (i = 0; i < dc->n_disks; i++)
        xlcfg_disk_free(&dc->disks[i]);
    free(dc->disks);
    for (i = 0; i < dc->n_vifs; i++)
        xlcfg_vif_free(&dc->vifs[i]);
    free(dc->vifs);
    memset(dc, 0, sizeof(*dc));
}

/* --- messages -------------------------------------------------------- */

static void report(struct mapper *m, enum xlcfg_severity sev, const struct cfg_setting *s,
                   const struct cfg_value *item, size_t idx, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

static void report(struct mapper *m, enum xlcfg_severity sev, const struct cfg_setting *s,
                   const struct cfg_value *item, size_t idx, const char *fmt, va_list ap)
{
    char what[XLCFG_DIAG_MSG_LEN];
    const char *w = sev == XLCFG_WARNING ? "warning: " : "";

    vsnprintf(what, sizeof(what), fmt, ap);
    if (item)
        diag_add(m->diag, sev, "%s:%d: %s%s[%zu]: %s", s->file, item->line, w, s->key, idx, what);
    else
        diag_add(m->diag, sev, "%s:%d: %s%s: %s", s->file, s->line, w, s->key, what);
}

static void error_at(struct mapper *m, const struct cfg_setting *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(struct mapper *m, const struct cfg_setting *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(m, XLCFG_ERROR, s, NULL, 0, fmt, ap);
    va_end(ap);
}

static void error_item(struct mapper *m, const struct cfg_setting *s, const struct cfg_value *item,
                       size_t idx, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void error_item(struct mapper *m, const struct cfg_setting *s, const struct cfg_value *item,
                       size_t idx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(m, XLCFG_ERROR, s, item, idx, fmt, ap);
    va_end(ap);
}

static void warn_at(struct mapper *m, const struct cfg_setting *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warn_at(struct mapper *m, const struct cfg_setting *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(m, XLCFG_WARNING, s, NULL, 0, fmt, ap);
    va_end(ap);
}

/* --- typed readers ------------------------------------------------------ */

/* TEXT as C's strtoll base 0 would take it (decimal, 0x hex, 0 octal,
 * optional '-'), but whole and strict: 0, 1 (not a number), 2 (too big). */
static int to_int64(const char *text, int64_t *out)
{
    const char *p = text;
    bool neg = false;
    unsigned int base = 10;
    uint64_t v = 0, limit;
    int d;

    if (*p == '-') {
        neg = true;
        p++;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && p[1]) {
        base = 8;
        p++;
    }
    if (!*p)
        return 1;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else
            return 1;
        if ((unsigned int)d >= base)
            return 1;
        if (v > (limit - (uint64_t)d) / base)
            return 2;
        v = v * base + (uint64_t)d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static bool get_number(struct mapper *m, const struct cfg_setting *s, int64_t min, int64_t max,
                       int64_t *out)
{
    const struct cfg_value *v = &s->value;
    int rc;

    if (v->type == VAL_LIST) {
        error_at(m, s, "expected a number, got a list");
        return false;
    }
    if (v->type == VAL_STRING) {
        error_at(m, s, "expected a number, got '%s'", v->text);
        return false;
    }
    rc = to_int64(v->text, out);
    if (rc == 1) {
        error_at(m, s, "'%s' is not a number", v->text);
        return false;
    }
    if (rc == 2) {
        error_at(m, s, "number '%s' is too big", v->text);
        return false;
    }
    if (*out < min || *out > max) {
        error_at(m, s, "%" PRId64 " is out of range (%" PRId64 "..%" PRId64 ")", *out, min, max);
        return false;
    }
    return true;
}

/* A string value; a bare number counts as its text (as in xl). */
static const char *get_string(struct mapper *m, const struct cfg_setting *s)
{
    if (s->value.type == VAL_LIST) {
        error_at(m, s, "expected a string, got a list");
        return NULL;
    }
    return s->value.text;
}

static char *dup_or_flag(struct mapper *m, const char *v)
{
    char *d = strdup(v);

    if (!d)
        m->nomem = 1;
    return d;
}

/* A non-empty string key copied into *SLOT. */
static void read_nonempty(struct mapper *m, enum key_id k, char **slot)
{
    const struct cfg_setting *s = m->set[k];
    const char *v;

    if (!s || !(v = get_string(m, s)))
        return;
    if (!*v) {
        error_at(m, s, "must not be empty");
        return;
    }
    *slot = dup_or_flag(m, v);
}

static void read_number(struct mapper *m, enum key_id k, int64_t min, int64_t max)
{
    if (m->set[k] && !get_number(m, m->set[k], min, max, &m->num[k]))
        m->set[k] = NULL; /* reported; later checks see it as absent */
}

/* --- keys ----------------------------------------------------------------- */

static void read_type(struct mapper *m)
{
    const struct cfg_setting *t = m->set[K_TYPE], *b = m->set[K_BUILDER];
    const char *v;

    if (t && (v = get_string(m, t))) {
        if (!strcmp(v, "hvm") || !strcmp(v, "pvh"))
            error_at(m, t, "'%s' guests are not supported: Paravane runs PV guests only", v);
        else if (strcmp(v, "pv"))
            error_at(m, t, "unknown guest type '%s' (only 'pv')", v);
    }
    /* builder= is xl's deprecated spelling: "generic" is PV. */
    if (b && (v = get_string(m, b))) {
        if (!strcmp(v, "hvm"))
            error_at(m, b, "'hvm' guests are not supported: Paravane runs PV guests only");
        else if (strcmp(v, "generic") && strcmp(v, "pv"))
            error_at(m, b, "unknown builder '%s' (only 'generic', which is PV)", v);
    }
}

static void read_name(struct mapper *m)
{
    const struct cfg_setting *s = m->set[K_NAME];
    const char *v, *p;

    if (!s || !(v = get_string(m, s)))
        return;
    if (!*v) {
        error_at(m, s, "must not be empty");
        return;
    }
    for (p = v; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            error_at(m, s, "contains a control character");
            return;
        }
    }
    if (strspn(v, "0123456789") == strlen(v)) {
        error_at(m, s, "'%s' is all digits, which commands would read as a domain id", v);
        return;
    }
    m->dc->name = dup_or_flag(m, v);
}

static void read_uuid(struct mapper *m)
{
    const struct cfg_setting *s = m->set[K_UUID];
    const char *v, *p;
    int i, hi, lo;

    if (!s || !(v = get_string(m, s)))
        return;
    p = v;
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            if (*p++ != '-')
                goto bad;
        }
        hi = (p[0] >= '0' && p[0] <= '9')   ? p[0] - '0'
             : (p[0] >= 'a' && p[0] <= 'f') ? p[0] - 'a' + 10
             : (p[0] >= 'A' && p[0] <= 'F') ? p[0] - 'A' + 10
                                            : -1;
        lo = hi < 0                         ? -1
             : (p[1] >= '0' && p[1] <= '9') ? p[1] - '0'
             : (p[1] >= 'a' && p[1] <= 'f') ? p[1] - 'a' + 10
             : (p[1] >= 'A' && p[1] <= 'F') ? p[1] - 'A' + 10
                                            : -1;
        if (lo < 0)
            goto bad;
        m->dc->uuid[i] = (uint8_t)(hi * 16 + lo);
        p += 2;
    }
    if (*p)
        goto bad;
    m->dc->has_uuid = true;
    return;
bad:
    error_at(m, s, "'%s' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", v);
}

/* cmdline=, else root= and extra= as xl puts them together. */
static void read_cmdline(struct mapper *m)
{
    const struct cfg_setting *c = m->set[K_CMDLINE];
    const char *cmdline = NULL, *root = NULL, *extra = NULL;
    char *out;
    size_t n;

    if (c)
        cmdline = get_string(m, c);
    if (m->set[K_ROOT])
        root = get_string(m, m->set[K_ROOT]);
    if (m->set[K_EXTRA])
        extra = get_string(m, m->set[K_EXTRA]);
    if (cmdline) {
        if (root || extra)
            warn_at(m, c, "root= and extra= are ignored in favour of cmdline=");
        m->dc->cmdline = dup_or_flag(m, cmdline);
        return;
    }
    if (!root && !extra)
        return;
    n = (root ? strlen("root=") + strlen(root) + 1 : 0) + (extra ? strlen(extra) : 0) + 1;
    out = malloc(n);
    if (!out) {
        m->nomem = 1;
        return;
    }
    if (root && extra)
        snprintf(out, n, "root=%s %s", root, extra);
    else if (root)
        snprintf(out, n, "root=%s", root);
    else
        snprintf(out, n, "%s", extra);
    m->dc->cmdline = out;
}

static void read_action(struct mapper *m, enum key_id k, enum xlcfg_action *out)
{
    const struct cfg_setting *s = m->set[k];
    const char *v;
    size_t i;

    if (!s || !(v = get_string(m, s)))
        return;
    for (i = 1; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
        if (action_names[i] && !strcmp(v, action_names[i])) {
            *out = (enum xlcfg_action)i;
            return;
        }
    }
    if (!strcmp(v, "soft-reset"))
        error_at(m, s, "'soft-reset' is for HVM guests, not PV");
    else
        error_at(m, s,
                 "unknown action '%s' (destroy, restart, rename-restart, preserve, "
                 "coredump-destroy or coredump-restart)",
                 v);
}

static void read_cpus(struct mapper *m)
{
    const struct cfg_setting *s = m->set[K_CPUS];
    const struct cfg_value *item;
    char err[XLCFG_DIAG_MSG_LEN];
    size_t i;

    if (!s)
        return;
    if (s->value.type != VAL_LIST) {
        if (xlcfg_parse_cpulist(s->value.text, &m->cpus_mask[0], err, sizeof(err)))
            error_at(m, s, "%s", err);
        else
            m->n_cpus_masks = 1;
        return;
    }
    m->cpus_is_list = true;
    if (s->value.n_items == 0) {
        error_at(m, s, "the list is empty");
        return;
    }
    if (s->value.n_items > XLCFG_MAX_VCPUS) {
        error_at(m, s, "%zu entries, more than the %d vCPUs a domain can have", s->value.n_items,
                 XLCFG_MAX_VCPUS);
        return;
    }
    for (i = 0; i < s->value.n_items; i++) {
        item = &s->value.items[i];
        if (item->type == VAL_LIST)
            error_item(m, s, item, i, "expected a string, got a list");
        else if (xlcfg_parse_cpulist(item->text, &m->cpus_mask[i], err, sizeof(err)))
            error_item(m, s, item, i, "%s", err);
    }
    m->n_cpus_masks = s->value.n_items;
}

/* The entries of a device list, or NULL (reported) if S is not a list. */
static const struct cfg_value *device_list(struct mapper *m, const struct cfg_setting *s)
{
    if (s->value.type != VAL_LIST) {
        error_at(m, s, "expected a list, got %s",
                 s->value.type == VAL_STRING ? "a string" : "a number");
        return NULL;
    }
    return s->value.items;
}

static void read_disks(struct mapper *m)
{
    const struct cfg_setting *s = m->set[K_DISK];
    const struct cfg_value *items;
    struct xlcfg_disk disk;
    size_t *from; /* disks[j] came from entry from[j] */
    char err[XLCFG_DIAG_MSG_LEN];
    size_t i, j;
    int rc;

    if (!s || !(items = device_list(m, s)) || !s->value.n_items)
        return;
    m->dc->disks = calloc(s->value.n_items, sizeof(*m->dc->disks));
    from = calloc(s->value.n_items, sizeof(*from));
    if (!m->dc->disks || !from) {
        free(from);
        m->nomem = 1;
        return;
    }
    for (i = 0; i < s->value.n_items; i++) {
        if (items[i].type == VAL_LIST) {
            error_item(m, s, &items[i], i, "expected a string, got a list");
            continue;
        }
        rc = xlcfg_parse_disk(items[i].text, &disk, err, sizeof(err));
        if (rc == -XEN_ENOMEM) {
            m->nomem = 1;
            break;
        }
        if (rc) {
            error_item(m, s, &items[i], i, "%s", err);
            continue;
        }
        /* Two names of one device (xvda and d0p0) are a duplicate too. */
        for (j = 0; j < m->dc->n_disks; j++) {
            if (xlcfg_vdev_number(m->dc->disks[j].vdev) == xlcfg_vdev_number(disk.vdev))
                break;
        }
        if (j < m->dc->n_disks) {
            error_item(m, s, &items[i], i, "vdev '%s' is already used by disk[%zu]",
                       m->dc->disks[j].vdev, from[j]);
            xlcfg_disk_free(&disk);
            continue;
        }
        from[m->dc->n_disks] = i;
        m->dc->disks[m->dc->n_disks++] = disk;
    }
    free(from);
}

static void read_vifs(struct mapper *m)
{
    const struct cfg_setting *s = m->set[K_VIF];
    const struct cfg_value *items;
    struct xlcfg_vif vif;
    const struct xlcfg_vif *o;
    size_t *from; /* vifs[j] came from entry from[j] */
    char err[XLCFG_DIAG_MSG_LEN];
    size_t i, j;
    int rc;

    if (!s || !(items = device_list(m, s)) || !s->value.n_items)
        return;
    m->dc->vifs = calloc(s->value.n_items, sizeof(*m->dc->vifs));
    from = calloc(s->value.n_items, sizeof(*from));
    if (!m->dc->vifs || !from) {
        free(from);
        m->nomem = 1;
        return;
    }
    for (i = 0; i < s->value.n_items; i++) {
        if (items[i].type == VAL_LIST) {
            error_item(m, s, &items[i], i, "expected a string, got a list");
            continue;
        }
        rc = xlcfg_parse_vif(items[i].text, &vif, err, sizeof(err));
        if (rc == -XEN_ENOMEM) {
            m->nomem = 1;
            break;
        }
        if (rc) {
            error_item(m, s, &items[i], i, "%s", err);
            continue;
        }
        for (j = 0; j < m->dc->n_vifs; j++) {
            o = &m->dc->vifs[j];
            if (vif.has_mac && o->has_mac && !memcmp(vif.mac, o->mac, sizeof(vif.mac))) {
                error_item(m, s, &items[i], i,
                           "mac %02x:%02x:%02x:%02x:%02x:%02x is already used by vif[%zu]",
                           vif.mac[0], vif.mac[1], vif.mac[2], vif.mac[3], vif.mac[4], vif.mac[5],
                           from[j]);
                break;
            }
            if (vif.vifname && o->vifname && !strcmp(vif.vifname, o->vifname)) {
                error_item(m, s, &items[i], i, "vifname '%s' is already used by vif[%zu]",
                           vif.vifname, from[j]);
                break;
            }
        }
        if (j < m->dc->n_vifs) {
            xlcfg_vif_free(&vif);
            continue;
        }
        from[m->dc->n_vifs] = i;
        m->dc->vifs[m->dc->n_vifs++] = vif;
    }
    free(from);
}

/* --- defaults and the checks between keys -------------------------------- */

static void finish_memory(struct mapper *m)
{
    struct domain_config *dc = m->dc;
    bool mem = m->set[K_MEMORY], max = m->set[K_MAXMEM];

    dc->memory_mib = mem ? (uint64_t)m->num[K_MEMORY] : 0;
    dc->maxmem_mib = max ? (uint64_t)m->num[K_MAXMEM] : 0;
    if (!mem && !max)
        dc->memory_mib = dc->maxmem_mib = XLCFG_DEFAULT_MEMORY_MIB;
    else if (!max)
        dc->maxmem_mib = dc->memory_mib;
    else if (!mem)
        dc->memory_mib = dc->maxmem_mib;
    else if (dc->maxmem_mib < dc->memory_mib)
        error_at(m, m->set[K_MAXMEM], "%" PRIu64 " is less than memory (%" PRIu64 ")",
                 dc->maxmem_mib, dc->memory_mib);
}

static void finish_cpu(struct mapper *m)
{
    struct domain_config *dc = m->dc;
    unsigned int v;

    dc->vcpus = m->set[K_VCPUS] ? (unsigned int)m->num[K_VCPUS] : 1;
    dc->max_vcpus = m->set[K_MAXVCPUS] ? (unsigned int)m->num[K_MAXVCPUS] : dc->vcpus;
    if (dc->max_vcpus < dc->vcpus) {
        error_at(m, m->set[K_MAXVCPUS], "%u is less than vcpus (%u)", dc->max_vcpus, dc->vcpus);
        return;
    }
    if (m->cpus_is_list && m->n_cpus_masks > dc->max_vcpus) {
        error_at(m, m->set[K_CPUS], "%zu entries for %u vCPUs", m->n_cpus_masks, dc->max_vcpus);
        return;
    }
    dc->cpus_set = m->n_cpus_masks > 0;
    for (v = 0; v < XLCFG_MAX_VCPUS; v++) {
        if (v >= dc->max_vcpus)
            dc->cpu_affinity[v] = 0;
        else if (!m->cpus_is_list && m->n_cpus_masks)
            dc->cpu_affinity[v] = m->cpus_mask[0];
        else if (v < m->n_cpus_masks)
            dc->cpu_affinity[v] = m->cpus_mask[v];
        else
            dc->cpu_affinity[v] = ~0ULL; /* not pinned */
    }
    /* Xen's Credit bounds the cap by all the domain's vCPUs, online or not. */
    if (dc->cap > 100 * dc->max_vcpus)
        error_at(m, m->set[K_CAP], "%u is more than %u (100 for each of %u vCPUs)", dc->cap,
                 100 * dc->max_vcpus, dc->max_vcpus);
}

static void finish_sedf(struct mapper *m)
{
    const struct cfg_setting *period = m->set[K_SEDF_PERIOD], *slice = m->set[K_SEDF_SLICE];
    struct domain_config *dc = m->dc;

    if (slice && !period) {
        error_at(m, slice, "needs sedf_period too");
        return;
    }
    if (period && !slice) {
        error_at(m, period, "needs sedf_slice too");
        return;
    }
    if (period && m->num[K_SEDF_SLICE] > m->num[K_SEDF_PERIOD]) {
        error_at(m, slice, "%" PRId64 " is more than sedf_period (%" PRId64 ")",
                 m->num[K_SEDF_SLICE], m->num[K_SEDF_PERIOD]);
        return;
    }
    dc->sedf_time_driven = period != NULL;
    if (period) {
        dc->sedf_period_ns = (uint64_t)m->num[K_SEDF_PERIOD] * 1000000ULL;
        dc->sedf_slice_ns = (uint64_t)m->num[K_SEDF_SLICE] * 1000000ULL;
    }
}

/* --- the walk ------------------------------------------------------------- */

static void classify(struct mapper *m, const struct cfg_settings *settings)
{
    size_t i, k;

    for (i = 0; i < settings->n; i++) {
        for (k = 0; k < N_KEYS; k++) {
            if (!strcmp(settings->v[i].key, key_names[k]))
                break;
        }
        if (k < N_KEYS)
            m->set[k] = &settings->v[i];
        else
            diag_add(m->diag, XLCFG_WARNING, "%s:%d: warning: unknown key '%s'",
                     settings->v[i].file, settings->v[i].line, settings->v[i].key);
    }
}

int domain_config_from_settings(const struct cfg_settings *settings, const char *file,
                                struct domain_config *out, struct xlcfg_diag *diag)
{
    struct mapper m;
    unsigned int errors_before = diag->errors;

    memset(&m, 0, sizeof(m));
    m.file = file;
    m.dc = out;
    m.diag = diag;
    out->on_poweroff = XLCFG_ACTION_DESTROY;
    out->on_reboot = XLCFG_ACTION_RESTART;
    out->on_crash = XLCFG_ACTION_DESTROY;

    classify(&m, settings);
    read_type(&m);
    read_name(&m);
    read_uuid(&m);
    read_nonempty(&m, K_KERNEL, &out->kernel);
    read_nonempty(&m, K_RAMDISK, &out->ramdisk);
    read_cmdline(&m);
    read_number(&m, K_MEMORY, 1, (int64_t)XLCFG_MAX_MEMORY_MIB);
    read_number(&m, K_MAXMEM, 1, (int64_t)XLCFG_MAX_MEMORY_MIB);
    read_number(&m, K_VCPUS, 1, XLCFG_MAX_VCPUS);
    read_number(&m, K_MAXVCPUS, 1, XLCFG_MAX_VCPUS);
    read_cpus(&m);
    read_action(&m, K_ON_POWEROFF, &out->on_poweroff);
    read_action(&m, K_ON_REBOOT, &out->on_reboot);
    read_action(&m, K_ON_CRASH, &out->on_crash);
    read_number(&m, K_CPU_WEIGHT, 1, 65535);
    read_number(&m, K_CAP, 0, 100 * XLCFG_MAX_VCPUS);
    read_number(&m, K_SEDF_PERIOD, 1, XLCFG_SEDF_MAX_MS);
    read_number(&m, K_SEDF_SLICE, 1, XLCFG_SEDF_MAX_MS);
    read_number(&m, K_SEDF_LATENCY, 0, XLCFG_SEDF_MAX_MS);
    read_number(&m, K_SEDF_EXTRATIME, INT64_MIN, INT64_MAX); /* a boolean: 0 or not */
    read_disks(&m);
    read_vifs(&m);
    read_number(&m, K_MAX_GRANT_VERSION, 1, 2);
    if (m.nomem)
        return -XEN_ENOMEM;

    out->cpu_weight =
        m.set[K_CPU_WEIGHT] ? (unsigned int)m.num[K_CPU_WEIGHT] : XLCFG_DEFAULT_WEIGHT;
    out->cap = m.set[K_CAP] ? (unsigned int)m.num[K_CAP] : 0;
    out->max_grant_version =
        m.set[K_MAX_GRANT_VERSION] ? (unsigned int)m.num[K_MAX_GRANT_VERSION] : 0;
    out->sedf_latency_ns = (uint64_t)m.num[K_SEDF_LATENCY] * 1000000ULL;
    out->sedf_extratime = m.num[K_SEDF_EXTRATIME] != 0;
    out->sedf_set = m.set[K_SEDF_PERIOD] || m.set[K_SEDF_SLICE] || m.set[K_SEDF_LATENCY] ||
                    m.set[K_SEDF_EXTRATIME];

    /* xl insists on a name; a PV guest without a bootloader (Paravane has
     * none) needs a kernel. memory= may be left out: libxl's 32 MiB. */
    if (!m.set[K_NAME])
        diag_add(diag, XLCFG_ERROR, "%s: missing required key 'name'", file);
    if (!m.set[K_KERNEL])
        diag_add(diag, XLCFG_ERROR, "%s: missing required key 'kernel'", file);

    if (diag->errors != errors_before)
        return -XEN_EINVAL;
    finish_memory(&m);
    finish_cpu(&m);
    finish_sedf(&m);
    return diag->errors != errors_before ? -XEN_EINVAL : 0;
}
