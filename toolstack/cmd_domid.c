/*
 * vane domid NAME / vane domname ID: a domain's id from its name and back,
 * with xl's messages when there is no such domain.
 */
#include "names.h"
#include "vane.h"
#include "xc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_domid(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo *all;
    const char *want;
    struct xc xc;
    int n, found = -1;

    while (vane_getopt(argc, argv, "", NULL, "domid", 1) != -1)
        ;
    if (argc - optind != 1)
        return vane_usage("domid");
    want = argv[optind];
    if (xc_open(&xc))
        return 1;
    n = vane_list_domains(&xc, &all);
    xc_close(&xc);
    if (n < 0) {
        fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(-n));
        return 1;
    }
    /* By name only, as libxl_name_to_domid: "3" is a name here, not an id. */
    for (int i = 0; i < n && found < 0; i++) {
        char name[VANE_NAME_MAX];

        vane_domain_name(all[i].domain, name, sizeof(name));
        if (!strcmp(name, want))
            found = all[i].domain;
    }
    free(all);
    if (found < 0) {
        fprintf(stderr, "Can't get domid of domain name '%s', maybe this domain does not exist.\n",
                want);
        return 1;
    }
    printf("%d\n", found);
    return 0;
}

int cmd_domname(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    char name[VANE_NAME_MAX], *end;
    unsigned long id;
    struct xc xc;
    int rc;

    while (vane_getopt(argc, argv, "", NULL, "domname", 1) != -1)
        ;
    if (argc - optind != 1)
        return vane_usage("domname");
    id = strtoul(argv[optind], &end, 10);
    if (end == argv[optind] || *end) {
        fprintf(stderr, "Invalid domain id.\n\n");
        return 1;
    }
    if (xc_open(&xc))
        return 1;
    rc = id < DOMID_FIRST_RESERVED ? xc_domain_info(&xc, (domid_t)id, &info) : -ESRCH;
    xc_close(&xc);
    if (rc) {
        fprintf(stderr,
                "Can't get domain name of domain id '%lu', maybe this domain does not exist.\n",
                id);
        return 1;
    }
    vane_domain_name((uint16_t)id, name, sizeof(name));
    printf("%s\n", name);
    return 0;
}
