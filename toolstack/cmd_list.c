/*
 * vane list [-l] [-v] [DOM] and vane wait: the domains the hypervisor has,
 * from XEN_DOMCTL_getdomaininfo, in xl list's columns (-v adds the UUID
 * and the shutdown reason, -l prints JSON as `xl list -l` does, with what
 * Paravane knows of each domain), and waiting for one to go.
 */
#include "vane.h"
#include "names.h"
#include "xc.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xen/sched.h>

static void print_uuid(FILE *out, const uint8_t h[16])
{
    fprintf(out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[0], h[1],
            h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14],
            h[15]);
}

static void list_table(const struct xen_domctl_getdomaininfo *info, int n, bool verbose)
{
    printf("Name                                        ID   Mem VCPUs\tState\tTime(s)");
    if (verbose)
        printf("   UUID                            Reason-Code\tSecurity Label");
    printf("\n");
    for (int i = 0; i < n; i++) {
        char name[VANE_NAME_MAX], state[7];

        vane_domain_name(info[i].domain, name, sizeof(name));
        vane_state_string(info[i].flags, state);
        printf("%-40s %5d %5lu %5d     %s  %8.1f", name, info[i].domain,
               (unsigned long)(info[i].tot_pages * 4 / 1024), info[i].nr_online_vcpus, state,
               (double)info[i].cpu_time / 1e9);
        if (verbose) {
            putchar(' ');
            print_uuid(stdout, info[i].handle);
            if (info[i].flags & XEN_DOMINF_shutdown)
                printf(" %8x",
                       (info[i].flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask);
            else
                printf(" %8s", "-");
            printf(" %16s", "-");
        }
        putchar('\n');
    }
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/*
 * `xl list -l`'s shape (an array of {"domid", "config": {"c_info",
 * "b_info"}}, yajl's four-space indent), holding what the hypervisor and
 * the name records know: no stored configuration yet. target_memkb is
 * the memory the domain has now; state and cpu_time (ns) are Paravane's.
 */
static void list_json(const struct xen_domctl_getdomaininfo *info, int n)
{
    printf("[\n");
    for (int i = 0; i < n; i++) {
        char name[VANE_NAME_MAX], state[7];

        vane_domain_name(info[i].domain, name, sizeof(name));
        vane_state_string(info[i].flags, state);
        printf("    {\n        \"domid\": %u,\n        \"config\": {\n", info[i].domain);
        printf("            \"c_info\": {\n                \"type\": \"pv\",\n"
               "                \"name\": ");
        json_string(name);
        printf(",\n                \"uuid\": \"");
        print_uuid(stdout, info[i].handle);
        printf("\"\n            },\n            \"b_info\": {\n");
        printf("                \"max_vcpus\": %u,\n", info[i].max_vcpu_id + 1);
        printf("                \"max_memkb\": %llu,\n", (unsigned long long)info[i].max_pages * 4);
        printf("                \"target_memkb\": %llu\n",
               (unsigned long long)info[i].tot_pages * 4);
        printf("            }\n        },\n");
        printf("        \"vcpus_online\": %u,\n", info[i].nr_online_vcpus);
        printf("        \"state\": \"%s\",\n", state);
        printf("        \"cpu_time\": %llu\n", (unsigned long long)info[i].cpu_time);
        printf("    }%s\n", i + 1 < n ? "," : "");
    }
    printf("]\n");
}

int cmd_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"long", 0, 0, 'l'}, {"verbose", 0, 0, 'v'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    struct xen_domctl_getdomaininfo *info = NULL;
    bool details = false, verbose = false;
    struct xc xc;
    int opt, n;

    while ((opt = vane_getopt(argc, argv, "lv", opts, "list", 0)) != -1) {
        if (opt == 'l')
            details = true;
        else
            verbose = true;
    }
    if (argc - optind > 1)
        return vane_usage("list");
    if (xc_open(&xc))
        return 1;
    if (optind < argc) {
        uint16_t dom;

        info = malloc(sizeof(*info));
        if (!info || vane_find_domain(&xc, argv[optind], &dom) || xc_domain_info(&xc, dom, info)) {
            free(info);
            xc_close(&xc);
            return 1;
        }
        n = 1;
    } else {
        n = vane_list_domains(&xc, &info);
        if (n < 0) {
            fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(-n));
            xc_close(&xc);
            return 1;
        }
    }
    xc_close(&xc);
    if (details)
        list_json(info, n);
    else
        list_table(info, n, verbose);
    free(info);
    return 0;
}

int cmd_wait(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    unsigned long domid, timeout = 0;
    char *end;
    time_t until;
    struct xc xc;

    if (argc < 2 || argc > 3)
        return vane_usage("wait");
    domid = strtoul(argv[1], &end, 10);
    if (*end || domid >= DOMID_FIRST_RESERVED) {
        fprintf(stderr, "vane: '%s' is not a domain id\n", argv[1]);
        return 2;
    }
    if (argc == 3) {
        timeout = strtoul(argv[2], &end, 10);
        if (*end) {
            fprintf(stderr, "vane: '%s' is not a number of seconds\n", argv[2]);
            return 2;
        }
    }
    if (xc_open(&xc))
        return 1;
    until = time(NULL) + (time_t)timeout;
    for (;;) {
        int rc = xc_domain_info(&xc, (domid_t)domid, &info);

        if (rc == -ESRCH) {
            xc_close(&xc);
            return 0; /* gone */
        }
        if (rc) {
            fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(-rc));
            break;
        }
        if (timeout && time(NULL) >= until) {
            fprintf(stderr, "vane: domain %lu still there after %lu s\n", domid, timeout);
            break;
        }
        usleep(200000);
    }
    xc_close(&xc);
    return 1;
}
