/*
 * One disk= entry, in the syntax of xl-disk-configuration(5):
 *
 *   [KEY=VALUE|FLAG,]* [TARGET[, FORMAT[, VDEV[, ACCESS]]]] [,KEY=VALUE|FLAG]* [,target=...]
 *
 * Comma-separated parameters, blanks around each ignored. KEY=VALUE names
 * a parameter (format, vdev, access, devtype, backend, backendtype,
 * script; target= takes the whole rest of the string, commas and all, so
 * it comes last); FLAGs are cdrom, direct-io-safe, discard, no-discard,
 * trusted, untrusted; anything else fills the next unset positional
 * parameter: target, format, vdev, access. Each parameter at most once;
 * an empty value means the default.
 *
 * The deprecated xend form is accepted too: a first positional parameter
 * prefixed with "file:", "phy:", "aio:", "tap:", "tap2:", "tapdisk:",
 * "ioemu:" (dropped), "raw:", "qcow:", "qcow2:", "vhd:" (the format) or
 * "iscsi:", "nbd:", "enbd:", "drbd:" (script block-NAME); with a prefix
 * the positional parameters are target, vdev[:cdrom], access, as in
 * 'file:/images/d1.img,xvda,w'. Likewise ',hdc:cdrom,r' is an empty cdrom.
 */
#include "private.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct disk_parse {
    struct xlcfg_disk *d;
    char *err;
    size_t errlen;
    bool format_set, access_set, devtype_set, had_prefix;
};

static const char *const format_names[] = {
    [XLCFG_DISK_RAW] = "raw", [XLCFG_DISK_QCOW] = "qcow", [XLCFG_DISK_QCOW2] = "qcow2",
    [XLCFG_DISK_VHD] = "vhd", [XLCFG_DISK_QED] = "qed",   [XLCFG_DISK_EMPTY] = "empty",
};

static const char *const backendtype_names[] = {
    [XLCFG_BACKEND_PHY] = "phy",
    [XLCFG_BACKEND_QDISK] = "qdisk",
    [XLCFG_BACKEND_TAP] = "tap",
    [XLCFG_BACKEND_STANDALONE] = "standalone",
};

static int fail(struct disk_parse *dp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct disk_parse *dp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(dp->err, dp->errlen, fmt, ap);
    va_end(ap);
    return -XEN_EINVAL;
}

void xlcfg_disk_free(struct xlcfg_disk *disk)
{
    free(disk->target);
    free(disk->vdev);
    free(disk->backend);
    free(disk->script);
    memset(disk, 0, sizeof(*disk));
}

/* Save V as parameter NAME into *SLOT, once. */
static int save(struct disk_parse *dp, const char *name, char **slot, const char *v)
{
    if (*slot)
        return fail(dp, "%s is given twice", name);
    *slot = strdup(v);
    return *slot ? 0 : -XEN_ENOMEM;
}

static int set_format(struct disk_parse *dp, const char *v)
{
    size_t i;

    if (dp->format_set)
        return fail(dp, "format is given twice");
    dp->format_set = true;
    if (!*v)
        return 0;
    for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
        if (!strcmp(v, format_names[i])) {
            dp->d->format = (enum xlcfg_disk_format)i;
            return 0;
        }
    }
    return fail(dp, "unknown format '%s' (raw, qcow, qcow2, vhd, qed or empty)", v);
}

static int set_access(struct disk_parse *dp, const char *v)
{
    if (dp->access_set)
        return fail(dp, "access is given twice");
    dp->access_set = true;
    if (!*v)
        dp->access_set = false; /* the default, decided at the end */
    else if (!strcmp(v, "r") || !strcmp(v, "ro"))
        dp->d->readonly = true;
    else if (!strcmp(v, "w") || !strcmp(v, "rw"))
        dp->d->readonly = false;
    else
        return fail(dp, "unknown access '%s' (r, ro, w or rw)", v);
    return 0;
}

static int set_devtype(struct disk_parse *dp, const char *v)
{
    if (dp->devtype_set)
        return fail(dp, "devtype is given twice");
    dp->devtype_set = true;
    if (!strcmp(v, "cdrom"))
        dp->d->cdrom = true;
    else if (strcmp(v, "disk") && *v)
        return fail(dp, "unknown devtype '%s' (disk or cdrom)", v);
    return 0;
}

static int set_backendtype(struct disk_parse *dp, const char *v)
{
    size_t i;

    if (dp->d->backendtype != XLCFG_BACKEND_AUTO)
        return fail(dp, "backendtype is given twice");
    for (i = 1; i < sizeof(backendtype_names) / sizeof(backendtype_names[0]); i++) {
        if (!strcmp(v, backendtype_names[i])) {
            dp->d->backendtype = (enum xlcfg_disk_backendtype)i;
            return 0;
        }
    }
    return fail(dp, "unknown backendtype '%s' (phy, qdisk, tap or standalone)", v);
}

/* "hdc:cdrom", the deprecated vdev form: true if V is one (and taken). */
static int vdev_with_devtype(struct disk_parse *dp, const char *v, bool *taken)
{
    const char *colon = strchr(v, ':');
    int rc;

    *taken = false;
    if (!colon)
        return 0;
    if (strcmp(colon + 1, "cdrom"))
        return fail(dp, "unknown device type in '%s' (only ':cdrom')", v);
    if (dp->d->vdev)
        return fail(dp, "vdev is given twice");
    dp->d->vdev = strndup(v, (size_t)(colon - v));
    if (!dp->d->vdev)
        return -XEN_ENOMEM;
    if ((rc = set_devtype(dp, "cdrom")))
        return rc;
    *taken = true;
    return 0;
}

/* Strip deprecated "prefix:" words from the front of *V. */
static int strip_prefixes(struct disk_parse *dp, const char **v)
{
    static const char *const ignored[] = {"file", "phy", "aio", "tap", "tap2", "tapdisk", "ioemu"};
    static const char *const scripts[] = {"iscsi", "nbd", "enbd", "drbd"};
    const char *p = *v, *q;
    char word[16], script[24];
    size_t i, n;
    int rc;

    for (;;) {
        for (q = p; (*q >= 'a' && *q <= 'z') || (q > p && *q >= '0' && *q <= '9'); q++)
            ;
        /* A lower-case word and a colon: a known prefix whatever follows;
         * an unknown one is an error when no letter or digit follows (so
         * "hdc:cdrom" or "iqn.2001-05.com.example:vol" are targets). */
        if (q == p || *q != ':')
            break;
        n = (size_t)(q - p);
        snprintf(word, sizeof(word), "%.*s", (int)n, p);
        for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
            if (!strcmp(word, ignored[i]))
                goto next;
        }
        for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
            if (!strcmp(word, scripts[i])) {
                snprintf(script, sizeof(script), "block-%s", word);
                if ((rc = save(dp, "script", &dp->d->script, script)))
                    return rc;
                goto next;
            }
        }
        if (!strcmp(word, "raw") || !strcmp(word, "qcow") || !strcmp(word, "qcow2") ||
            !strcmp(word, "vhd")) {
            if ((rc = set_format(dp, word)))
                return rc;
            goto next;
        }
        if ((q[1] >= 'a' && q[1] <= 'z') || (q[1] >= '0' && q[1] <= '9'))
            break;
        return fail(dp, "unknown deprecated disk prefix '%.*s:'", (int)n, p);
    next:
        dp->had_prefix = true;
        p = q + 1;
    }
    *v = p;
    return 0;
}

static int positional(struct disk_parse *dp, const char *v)
{
    bool taken;
    int rc;

    if (!dp->d->target) {
        if ((rc = strip_prefixes(dp, &v)))
            return rc;
        return save(dp, "target", &dp->d->target, v);
    }
    if (!dp->had_prefix && !dp->format_set) {
        /* ",hdc:cdrom,r": no target, and the vdev where the format goes. */
        if (!*dp->d->target) {
            if ((rc = vdev_with_devtype(dp, v, &taken)))
                return rc;
            if (taken) {
                dp->format_set = true;
                dp->d->format = XLCFG_DISK_EMPTY;
                return 0;
            }
        }
        return set_format(dp, v);
    }
    if (!dp->d->vdev) {
        if ((rc = vdev_with_devtype(dp, v, &taken)))
            return rc;
        return taken ? 0 : save(dp, "vdev", &dp->d->vdev, v);
    }
    if (!dp->access_set)
        return set_access(dp, v);
    return fail(dp, "too many positional parameters ('%s')", v);
}

static int named(struct disk_parse *dp, const char *key, const char *v)
{
    if (!strcmp(key, "format"))
        return set_format(dp, v);
    if (!strcmp(key, "vdev"))
        return save(dp, "vdev", &dp->d->vdev, v);
    if (!strcmp(key, "access"))
        return set_access(dp, v);
    if (!strcmp(key, "devtype"))
        return set_devtype(dp, v);
    if (!strcmp(key, "backend"))
        return save(dp, "backend", &dp->d->backend, v);
    if (!strcmp(key, "backendtype"))
        return set_backendtype(dp, v);
    if (!strcmp(key, "script"))
        return save(dp, "script", &dp->d->script, v);
    return fail(dp, "unknown parameter '%s'", key);
}

static bool flag(struct disk_parse *dp, const char *w)
{
    if (!strcmp(w, "cdrom"))
        dp->d->cdrom = true;
    else if (!strcmp(w, "direct-io-safe"))
        dp->d->direct_io_safe = true;
    else if (!strcmp(w, "discard"))
        dp->d->discard = true;
    else if (!strcmp(w, "no-discard"))
        dp->d->discard = false;
    else if (!strcmp(w, "trusted"))
        dp->d->trusted = true;
    else if (!strcmp(w, "untrusted"))
        dp->d->trusted = false;
    else
        return false;
    return true;
}

static int finish(struct disk_parse *dp)
{
    struct xlcfg_disk *d = dp->d;

    if (!d->vdev || !*d->vdev)
        return fail(dp, "no vdev given");
    if (xlcfg_vdev_number(d->vdev) < 0)
        return fail(dp, "bad vdev '%s' (xvdN, hdN, sdN or a device number)", d->vdev);
    if (d->target && !*d->target) {
        free(d->target);
        d->target = NULL;
    }
    if (!d->target) {
        if (!d->cdrom)
            return fail(dp, "no target given (only a cdrom may be empty)");
        d->format = XLCFG_DISK_EMPTY;
    } else if (d->format == XLCFG_DISK_EMPTY) {
        return fail(dp, "format 'empty' with a target");
    }
    if (!dp->access_set)
        d->readonly = d->cdrom;
    if (d->cdrom && !d->readonly)
        return fail(dp, "a cdrom cannot be writable");
    return 0;
}

static void trim(char **a, char **b)
{
    while (*a < *b && (**a == ' ' || **a == '\t' || **a == '\n'))
        (*a)++;
    while (*b > *a && ((*b)[-1] == ' ' || (*b)[-1] == '\t' || (*b)[-1] == '\n'))
        (*b)--;
}

int xlcfg_parse_disk(const char *spec, struct xlcfg_disk *disk, char *err, size_t errlen)
{
    struct disk_parse dp = {.d = disk, .err = err, .errlen = errlen};
    char *copy, *p, *end, *a, *b, *eq;
    bool last;
    int rc = 0;

    memset(disk, 0, sizeof(*disk));
    disk->discard = true;
    disk->trusted = true;
    copy = strdup(spec);
    if (!copy)
        return -XEN_ENOMEM;

    for (p = copy; !rc;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!strncmp(p, "target=", 7)) {
            /* The rest, commas and trailing blanks included. An empty
             * positional target may come before it. */
            if (disk->target && *disk->target) {
                rc = fail(&dp, "target is given twice");
                break;
            }
            free(disk->target);
            disk->target = strdup(p + 7);
            rc = disk->target ? 0 : -XEN_ENOMEM;
            break;
        }
        end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        last = !*end;
        a = p;
        b = end;
        trim(&a, &b);
        p = last ? end : end + 1;
        /* Nothing after the last comma ends the string: "a,b," is "a,b". */
        if (a == b && last)
            break;
        *b = '\0';
        eq = strchr(a, '=');
        if (eq && eq != a) {
            *eq = '\0';
            rc = named(&dp, a, eq + 1);
        } else if (!flag(&dp, a)) {
            rc = positional(&dp, a);
        }
        if (last)
            break;
    }
    free(copy);
    if (!rc)
        rc = finish(&dp);
    if (rc)
        xlcfg_disk_free(disk);
    return rc;
}
