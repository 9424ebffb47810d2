/*
 * perms.c: Xen's node permission model.
 *
 * A node carries 1..XS_PERMS_MAX entries. Entry 0 names the owner, who
 * always has full access, and its bits are what every domain not listed
 * gets. Later entries grant listed domains their own bits. dom0 (and any
 * socket connection, which is dom0's tools) may do anything. A domain with
 * a target (SET_TARGET, e.g. a device model) acts as its target too.
 *
 * Lifetime/locking: stateless; called from the daemon thread.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

bool xs_conn_privileged(const struct xs_conn *c)
{
    return !c || c->domid == 0;
}

static unsigned conn_target(const struct xs_conn *c)
{
    const struct xs_domain *dom = c->d->domains ? c->d->domains[c->domid] : NULL;

    return dom ? dom->target : XS_DOMID_MAX;
}

static bool perm_is_conn(const struct xs_conn *c, unsigned target, const struct xs_perm *p)
{
    return p->domid == c->domid || p->domid == target;
}

/* The XS_PERM_* bits connection c has on a node with perms p[0..n). */
unsigned xs_perm_for(const struct xs_conn *c, const struct xs_perm *p, unsigned n)
{
    const unsigned all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
    unsigned target, i;

    if (xs_conn_privileged(c))
        return all;
    target = conn_target(c);
    if (perm_is_conn(c, target, &p[0]))
        return all;
    for (i = 1; i < n; i++)
        if (perm_is_conn(c, target, &p[i]))
            return p[i].bits;
    return p[0].bits;
}

/*
 * Parse count perm strings ("r5", "b0", ...) packed NUL-separated in
 * strings[0..len). Returns 0 or EINVAL for a bad letter or domid.
 */
int xs_perms_parse(const char *strings, size_t len, unsigned count, struct xs_perm *out)
{
    const char *s = strings;
    unsigned i;

    for (i = 0; i < count; i++) {
        const char *nul = memchr(s, '\0', len - (size_t)(s - strings));
        unsigned long domid;

        if (!nul)
            return EINVAL;
        switch (s[0]) {
        case 'n':
            out[i].bits = XS_PERM_NONE;
            break;
        case 'r':
            out[i].bits = XS_PERM_READ;
            break;
        case 'w':
            out[i].bits = XS_PERM_WRITE;
            break;
        case 'b':
            out[i].bits = XS_PERM_BOTH;
            break;
        default:
            return EINVAL;
        }
        /* Any 16-bit id, as xenstored: special ids simply never match. */
        if (xs_wire_parse_uint(s + 1, UINT16_MAX, &domid))
            return EINVAL;
        out[i].domid = (uint16_t)domid;
        s = nul + 1;
    }
    return 0;
}

/* Wire form of a perm list: "b0\0r5\0"; returns bytes used, 0 if it won't fit. */
size_t xs_perms_format(const struct xs_perm *p, unsigned n, char *buf, size_t bufsz)
{
    static const char letter[] = {'n', 'r', 'w', 'b'};
    size_t used = 0;
    unsigned i;

    for (i = 0; i < n; i++) {
        int w = snprintf(buf + used, bufsz - used, "%c%u", letter[p[i].bits & XS_PERM_BOTH],
                         (unsigned)p[i].domid);

        if (w < 0 || (size_t)w + 1 > bufsz - used)
            return 0;
        used += (size_t)w + 1; /* keep the NUL snprintf wrote */
    }
    return used;
}
