/*
 * One vif= entry, in the syntax of xl-network-configuration(5):
 * comma-separated KEY=VALUE pairs, all optional ('' is a default vif).
 * Keys: mac, bridge, ip, script, backend, vifname, gatewaydev (netdev is
 * its deprecated alias), rate, mtu. xl's HVM-only keys (type, model) and
 * COLO's are not accepted: Paravane runs PV guests.
 *
 * Checked here, so `vane create` fails before any hypercall: mac is six
 * hex bytes and not a multicast address; ip is IPv4 or IPv6 addresses,
 * each with an optional /prefix, separated by blanks; rate is
 * NUMBER[GB|MB|KB|B|Gb|Mb|Kb|b]/s[@NUMBER[s|ms|us]]; mtu is 68..65535;
 * vifname fits a Linux interface name (15 characters).
 */
#include "private.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IFNAME_MAX 15

void xlcfg_vif_free(struct xlcfg_vif *vif)
{
    free(vif->bridge);
    free(vif->ip);
    free(vif->script);
    free(vif->backend);
    free(vif->vifname);
    free(vif->gatewaydev);
    free(vif->rate);
    memset(vif, 0, sizeof(*vif));
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
    int i, hi, lo;

    for (i = 0; i < 6; i++) {
        hi = cfg_hex_digit(s[0]);
        lo = hi < 0 ? -1 : cfg_hex_digit(s[1]);
        if (lo < 0)
            return false;
        mac[i] = (uint8_t)(hi * 16 + lo);
        s += 2;
        if (*s != (i == 5 ? '\0' : ':'))
            return false;
        if (i < 5)
            s++;
    }
    return true;
}

/* One address, optionally with /PREFIX. */
static bool ip_valid(const char *a, size_t len)
{
    char buf[64];
    unsigned char bin[16];
    char *slash, *end;
    unsigned long plen;
    int af;

    if (len >= sizeof(buf))
        return false;
    memcpy(buf, a, len);
    buf[len] = '\0';
    slash = strchr(buf, '/');
    if (slash)
        *slash = '\0';
    af = strchr(buf, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(af, buf, bin) != 1)
        return false;
    if (!slash)
        return true;
    if (slash[1] < '0' || slash[1] > '9')
        return false;
    plen = strtoul(slash + 1, &end, 10);
    return !*end && plen <= (af == AF_INET6 ? 128U : 32U);
}

static bool ips_valid(const char *s, const char **bad, size_t *bad_len)
{
    const char *p = s, *q;
    unsigned int n = 0;

    for (;; n++) {
        while (*p == ' ')
            p++;
        if (!*p)
            return n > 0;
        for (q = p; *q && *q != ' '; q++)
            ;
        if (!ip_valid(p, (size_t)(q - p))) {
            *bad = p;
            *bad_len = (size_t)(q - p);
            return false;
        }
        p = q;
    }
}

/* Digits then one of UNITS (or none); the rest at *END. */
static bool number_unit(const char *p, const char *const *units, const char **end)
{
    size_t i, n;

    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    for (i = 0; units[i]; i++) {
        n = strlen(units[i]);
        if (!strncmp(p, units[i], n)) {
            p += n;
            break;
        }
    }
    *end = p;
    return true;
}

static bool rate_valid(const char *s)
{
    static const char *const size_units[] = {"GB", "MB", "KB", "B", "Gb", "Mb", "Kb", "b", NULL};
    static const char *const time_units[] = {"ms", "us", "s", NULL};
    const char *p;

    if (!number_unit(s, size_units, &p) || strncmp(p, "/s", 2))
        return false;
    p += 2;
    if (!*p)
        return true;
    return *p == '@' && number_unit(p + 1, time_units, &p) && !*p;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -XEN_EINVAL;
}

static int save(char **slot, const char *key, const char *v, char *err, size_t errlen)
{
    if (*slot)
        return fail(err, errlen, "%s is given twice", key);
    *slot = strdup(v);
    return *slot ? 0 : -XEN_ENOMEM;
}

static int set_key(struct xlcfg_vif *vif, const char *key, const char *v, char *err, size_t errlen)
{
    const char *bad = NULL;
    size_t bad_len = 0;
    char *end;
    unsigned long mtu;

    if (!strcmp(key, "mac")) {
        if (vif->has_mac)
            return fail(err, errlen, "mac is given twice");
        if (!parse_mac(v, vif->mac))
            return fail(err, errlen, "bad mac '%s' (six hex bytes, as 00:16:3e:12:34:56)", v);
        if (vif->mac[0] & 1)
            return fail(err, errlen, "mac '%s' is a multicast address", v);
        vif->has_mac = true;
        return 0;
    }
    if (!strcmp(key, "bridge"))
        return save(&vif->bridge, key, v, err, errlen);
    if (!strcmp(key, "ip")) {
        if (!ips_valid(v, &bad, &bad_len)) {
            if (bad)
                return fail(err, errlen, "bad ip address '%.*s'", (int)bad_len, bad);
            return fail(err, errlen, "ip is empty");
        }
        return save(&vif->ip, key, v, err, errlen);
    }
    if (!strcmp(key, "script"))
        return save(&vif->script, key, v, err, errlen);
    if (!strcmp(key, "backend"))
        return save(&vif->backend, key, v, err, errlen);
    if (!strcmp(key, "vifname")) {
        if (!*v || strlen(v) > IFNAME_MAX || strpbrk(v, "/: \t"))
            return fail(err, errlen, "bad vifname '%s' (1..%d characters, no '/', ':' or blanks)",
                        v, IFNAME_MAX);
        return save(&vif->vifname, key, v, err, errlen);
    }
    if (!strcmp(key, "gatewaydev") || !strcmp(key, "netdev"))
        return save(&vif->gatewaydev, "gatewaydev", v, err, errlen);
    if (!strcmp(key, "rate")) {
        if (!rate_valid(v))
            return fail(err, errlen, "bad rate '%s' (as 10Mb/s or 1MB/s@20ms)", v);
        return save(&vif->rate, key, v, err, errlen);
    }
    if (!strcmp(key, "mtu")) {
        if (vif->mtu)
            return fail(err, errlen, "mtu is given twice");
        mtu = (*v >= '0' && *v <= '9') ? strtoul(v, &end, 10) : 0;
        if (!mtu || *end || mtu < 68 || mtu > 65535)
            return fail(err, errlen, "bad mtu '%s' (68..65535)", v);
        vif->mtu = (unsigned int)mtu;
        return 0;
    }
    return fail(err, errlen, "unknown parameter '%s'", key);
}

int xlcfg_parse_vif(const char *spec, struct xlcfg_vif *vif, char *err, size_t errlen)
{
    char *copy, *p, *end, *a, *b, *eq;
    bool last;
    int rc = 0;

    memset(vif, 0, sizeof(*vif));
    copy = strdup(spec);
    if (!copy)
        return -XEN_ENOMEM;
    for (p = copy; !rc;) {
        end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        last = !*end;
        for (a = p; a < end && (*a == ' ' || *a == '\t'); a++)
            ;
        for (b = end; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
            ;
        *b = '\0';
        if (a != b) {
            eq = strchr(a, '=');
            if (!eq || eq == a) {
                rc = fail(err, errlen, "expected KEY=VALUE, got '%s'", a);
                break;
            }
            *eq = '\0';
            rc = set_key(vif, a, eq + 1, err, errlen);
        }
        if (last)
            break;
        p = end + 1;
    }
    free(copy);
    if (!rc && !vif->bridge) {
        vif->bridge = strdup("xenbr0");
        if (!vif->bridge)
            rc = -XEN_ENOMEM;
    }
    if (rc)
        xlcfg_vif_free(vif);
    return rc;
}
