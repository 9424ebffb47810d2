/*
 * What the commands share about domains: their names (lib/names.c's
 * records, Domain-0, or dN for a domain nobody named), finding one from
 * an id or a name as xl's find_domain does, listing them all, and xl's
 * state letters.
 */
#include "names.h"
#include "vane.h"
#include "xc.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/sched.h>

void vane_domain_name(uint16_t dom, char *buf, size_t len)
{
    if (vane_name_get(dom, buf, len) == 0)
        return;
    if (dom == 0)
        snprintf(buf, len, "Domain-0");
    else
        snprintf(buf, len, "d%u", dom);
}

int vane_list_domains(struct xc *xc, struct xen_domctl_getdomaininfo **list)
{
    struct xen_domctl_getdomaininfo *all = NULL;
    unsigned int n = 0, cap = 0, next = 0;

    while (next < DOMID_FIRST_RESERVED) {
        struct xen_domctl op = {0};
        int rc = xc_domctl(xc, &op, XEN_DOMCTL_getdomaininfo, (domid_t)next);

        if (rc == -ESRCH)
            break; /* no domain at or above `next` */
        if (rc) {
            free(all);
            return rc;
        }
        if (n == cap) {
            struct xen_domctl_getdomaininfo *more;

            cap = cap ? 2 * cap : 16;
            more = realloc(all, cap * sizeof(*all));
            if (!more) {
                free(all);
                return -ENOMEM;
            }
            all = more;
        }
        all[n++] = op.u.getdomaininfo;
        next = op.u.getdomaininfo.domain + 1u;
    }
    *list = all;
    return (int)n;
}

int vane_find_domain(struct xc *xc, const char *arg, uint16_t *dom)
{
    struct xen_domctl_getdomaininfo info, *all;
    const char *p = arg;
    int n;

    while (*p && isdigit((unsigned char)*p))
        p++;
    if (*arg && !*p) { /* all digits: an id, as libxl reads it */
        unsigned long id = strtoul(arg, NULL, 10);

        if (id < DOMID_FIRST_RESERVED && xc_domain_info(xc, (domid_t)id, &info) == 0) {
            *dom = (uint16_t)id;
            return 0;
        }
        fprintf(stderr, "Error: Domain '%s' does not exist.\n", arg);
        return -1;
    }
    n = vane_list_domains(xc, &all);
    if (n < 0) {
        fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(-n));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char name[VANE_NAME_MAX];

        vane_domain_name(all[i].domain, name, sizeof(name));
        if (!strcmp(name, arg)) {
            *dom = all[i].domain;
            free(all);
            return 0;
        }
    }
    free(all);
    /* libxl's ERROR_INVAL, as xl reports a name it does not know. */
    fprintf(stderr, "%s is an invalid domain identifier (rc=-6)\n", arg);
    return -1;
}

int vane_name_in_use(struct xc *xc, const char *name, uint16_t *dom)
{
    struct xen_domctl_getdomaininfo *all;
    int n = vane_list_domains(xc, &all), rc = 0;

    if (n < 0)
        return n;
    for (int i = 0; i < n && !rc; i++) {
        char have[VANE_NAME_MAX];

        vane_domain_name(all[i].domain, have, sizeof(have));
        if (!strcmp(have, name)) {
            *dom = all[i].domain;
            rc = 1;
        }
    }
    free(all);
    return rc;
}

void vane_state_string(uint32_t flags, char out[7])
{
    static const char reason_letters[] = "-rscwS"; /* SHUTDOWN_poweroff ... soft_reset */
    unsigned int code = (flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    int shut = (flags & XEN_DOMINF_shutdown) != 0;

    out[0] = flags & XEN_DOMINF_running ? 'r' : '-';
    out[1] = flags & XEN_DOMINF_blocked ? 'b' : '-';
    out[2] = flags & XEN_DOMINF_paused ? 'p' : '-';
    out[3] = shut ? 's' : '-';
    out[4] = !shut ? '-' : code < sizeof(reason_letters) - 1 ? reason_letters[code] : '?';
    out[5] = flags & XEN_DOMINF_dying ? 'd' : '-';
    out[6] = '\0';
}
