/*
 * wire.c: payload parsing for the xs_wire.h protocol — argument splitting,
 * bounded numbers, error names, and the path grammar.
 *
 * Lifetime: stateless helpers; nothing here allocates.
 * Locking: none needed (pure functions).
 * Invariants: every function is bounded by the length it is given and never
 * reads past it; a payload is guest-controlled and may hold anything.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

/* Count NUL-terminated strings in buf; trailing bytes without NUL are not one. */
unsigned xs_wire_count_strings(const char *buf, size_t len)
{
    unsigned n = 0;
    size_t i;

    for (i = 0; i < len; i++)
        if (buf[i] == '\0')
            n++;
    return n;
}

/*
 * The payload must be exactly one string: one NUL, at the very end.
 * Returns it, or NULL (the caller answers EINVAL).
 */
const char *xs_wire_onearg(const char *buf, size_t len)
{
    if (len == 0 || memchr(buf, '\0', len) != buf + len - 1)
        return NULL;
    return buf;
}

/* Errors go on the wire by name; one xs_wire.h does not know becomes EINVAL. */
const char *xs_wire_error_name(int err)
{
    size_t i;

    for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    return "EINVAL";
}

/*
 * Strict decimal: digits only, no sign or blanks, value <= max.
 * xenstored's atoi() accepts garbage; we answer EINVAL instead.
 */
int xs_wire_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;

    if (!s || !*s)
        return EINVAL;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return EINVAL;
        if (v > (max - (unsigned long)(*s - '0')) / 10)
            return EINVAL;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *out = v;
    return 0;
}

static bool valid_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '/' || ch == '_' || ch == '@';
}

/* Length of a leading "/local/domain/<1-5 digits>/", else 0. */
static size_t local_prefix(const char *p)
{
    static const char pre[] = "/local/domain/";
    size_t i = sizeof(pre) - 1, digits = 0;

    if (strncmp(p, pre, i) != 0)
        return 0;
    while (p[i] >= '0' && p[i] <= '9' && digits < 5) {
        i++;
        digits++;
    }
    return digits && p[i] == '/' ? i + 1 : 0;
}

/*
 * Validate a path from a request and make it absolute. Domain connections
 * may send paths relative to /local/domain/<domid>. Special watch paths
 * (@...) are accepted only where allow_special says so.
 * Returns 0, or EINVAL for anything outside the grammar of xenstore.txt
 * or longer than xenstored 4.17 allows: XENSTORE_REL_PATH_MAX characters
 * after "/local/domain/<id>/", or in all for other paths.
 */
int xs_path_canonical(const struct xs_conn *c, const char *in, bool allow_special, char *out,
                      size_t outsz)
{
    size_t len, i;
    int n;

    if (!in || !*in)
        return EINVAL;
    len = strlen(in);
    for (i = 0; i < len; i++)
        if (!valid_char(in[i]))
            return EINVAL;
    if (in[0] == '@') {
        if (!allow_special)
            return EINVAL;
        n = snprintf(out, outsz, "%s", in);
    } else if (in[0] == '/') {
        n = snprintf(out, outsz, "%s", in);
    } else {
        /* Relative: only meaningful for a domain (xenstore.txt). */
        if (len > XENSTORE_REL_PATH_MAX)
            return EINVAL;
        n = snprintf(out, outsz, "/local/domain/%u/%s", c ? c->domid : 0u, in);
    }
    if (n < 0 || (size_t)n >= outsz || (size_t)n > XENSTORE_ABS_PATH_MAX)
        return EINVAL;
    if (out[0] == '@')
        return 0;
    if (strstr(out, "//"))
        return EINVAL;
    if ((size_t)n - local_prefix(out) > XENSTORE_REL_PATH_MAX)
        return EINVAL;
    if (n > 1 && out[n - 1] == '/')
        return EINVAL;
    return 0;
}

/* Parent of a canonical absolute path other than "/"; returns its length. */
size_t xs_path_parent(const char *path, char *out, size_t outsz)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash && slash != path ? (size_t)(slash - path) : 1;

    if (n >= outsz)
        n = outsz - 1;
    memmove(out, path, n); /* callers may pass out == path */
    out[n] = '\0';
    return n;
}

/* Last component of a canonical path other than "/". */
const char *xs_path_base(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* True if child is parent or lies below it (xenstore.txt's definition). */
bool xs_path_is_child(const char *child, const char *parent)
{
    size_t len = strlen(parent);

    if (strcmp(parent, "/") == 0)
        return child[0] == '/';
    if (strncmp(child, parent, len) != 0)
        return false;
    return child[len] == '\0' || child[len] == '/';
}
