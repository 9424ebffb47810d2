/*
 * vane domid NAME / vane domname ID: a domain's id from its name and back,
 * with xl's messages when there is no such domain; vane rename DOM NAME.
 */
#include "names.h"
#include "vane.h"
#include "xc.h"
#include "xsdom.h"
#include <errno.h>
#include <stdbool.h>
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

/*
 * vane rename DOM NEWNAME, as libxl_domain_rename: a name another domain
 * goes by is refused; the new name goes to vane's record (names.h, the
 * start time kept) and to /local/domain/N/name and /vm/UUID/name. If the
 * store cannot take it, the record is put back as it was.
 */
int cmd_rename(int argc, char **argv)
{
    char old[VANE_NAME_MAX];
    const char *arg, *name;
    bool had_record;
    struct xc xc;
    uint16_t dom, other;
    int rc;

    while (vane_getopt(argc, argv, "", NULL, "rename", 2) != -1)
        ;
    if (argc - optind != 2)
        return vane_usage("rename");
    arg = argv[optind];
    name = argv[optind + 1];
    if (!*name || strlen(name) >= VANE_NAME_MAX || strchr(name, '\n')) {
        fprintf(stderr, "vane: '%s': a name is 1 to %d characters, on one line\n", name,
                VANE_NAME_MAX - 1);
        fprintf(stderr, "Can't rename domain '%s'.\n", arg);
        return 1;
    }
    if (xc_open(&xc))
        return 1;
    if (vane_find_domain(&xc, arg, &dom)) {
        xc_close(&xc);
        return 1;
    }
    rc = vane_name_in_use(&xc, name, &other);
    xc_close(&xc);
    if (rc < 0) {
        fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(-rc));
        return 1;
    }
    if (rc && other != dom) {
        fprintf(stderr, "Domain with name \"%s\" already exists.\n", name);
        fprintf(stderr, "Can't rename domain '%s'.\n", arg);
        return 1;
    }
    had_record = vane_name_get(dom, old, sizeof(old)) == 0;
    rc = vane_name_rename(dom, name);
    if (rc) {
        fprintf(stderr, "vane: recording the name of domain %u: %s\n", dom, strerror(-rc));
        fprintf(stderr, "Can't rename domain '%s'.\n", arg);
        return 1;
    }
    rc = vane_xs_rename(dom, name);
    if (rc && rc != -ENOENT) {
        fprintf(stderr, "vane: writing the name of domain %u to xenstore: %s\n", dom,
                strerror(-rc));
        fprintf(stderr, "Can't rename domain '%s'.\n", arg);
        if (had_record)
            vane_name_rename(dom, old);
        else
            vane_name_clear(dom);
        return 1;
    }
    return 0;
}
