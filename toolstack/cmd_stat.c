/*
 * vane stat [-j] [-z] [Domain...]: what each domain has asked of the
 * hypervisor, from its counters (PARAVANE_DOMCTL_perfc, hypercall-abi/
 * include/paravane/perfc.h): hypercalls by name (direct, and inside
 * multicalls), exceptions bounced to it by vector, privileged
 * instructions trapped by kind, page-table updates, event-channel sends,
 * grant operations and event upcalls.
 *
 * With no domain, one line per domain with the totals; with domains, each
 * in full (non-zero entries of each table). -j prints JSON instead, every
 * domain in full: an array of objects, each table an object keyed by
 * name ("privileged_instructions" lists every kind, zeros too). -z resets
 * the domains' counters after reading them.
 */
#include "vane.h"
#include "xc.h"
#include <paravane/hypercall_names.h>
#include <paravane/perfc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/grant_table.h>

_Static_assert(PARAVANE_PERFC_HYPERCALLS <= PARAVANE_HYPERCALL_NAMES_MAX,
               "every counted hypercall has a name slot");

static const char *const vector_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor segment overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "vector 15",
    "#MF x87 floating point",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD floating point",
    "#VE virtualization",
    "#CP control protection",
};

static const char *const privop_names[PARAVANE_PERFC_PRIVOP_NR] = PARAVANE_PERFC_PRIVOP_NAMES;

static const char *const grant_names[PARAVANE_PERFC_GRANT_OPS] = {
    [GNTTABOP_map_grant_ref] = "map_grant_ref", [GNTTABOP_unmap_grant_ref] = "unmap_grant_ref",
    [GNTTABOP_setup_table] = "setup_table",     [GNTTABOP_dump_table] = "dump_table",
    [GNTTABOP_transfer] = "transfer",           [GNTTABOP_copy] = "copy",
    [GNTTABOP_query_size] = "query_size",       [GNTTABOP_unmap_and_replace] = "unmap_and_replace",
    [GNTTABOP_set_version] = "set_version",     [GNTTABOP_get_status_frames] = "get_status_frames",
    [GNTTABOP_get_version] = "get_version",     [GNTTABOP_swap_grant_ref] = "swap_grant_ref",
    [GNTTABOP_cache_flush] = "cache_flush",
};

/* A name for slot i of a table, "#i" where it has none. */
static const char *slot_name(const char *const *names, unsigned int n, unsigned int i, char *buf,
                             size_t len)
{
    if (i < n && names[i])
        return names[i];
    snprintf(buf, len, "#%u", i);
    return buf;
}

static uint64_t sum(const uint64_t *a, unsigned int n)
{
    uint64_t s = 0;

    for (unsigned int i = 0; i < n; i++)
        s += a[i];
    return s;
}

struct totals {
    uint64_t hypercalls, multicall, exceptions, privops, pt_updates, grant_ops;
};

static void totals_of(const struct paravane_perfc *c, struct totals *t)
{
    t->hypercalls = sum(c->hypercalls, PARAVANE_PERFC_HYPERCALLS);
    t->multicall = sum(c->multicall_calls, PARAVANE_PERFC_HYPERCALLS);
    t->exceptions = sum(c->exceptions, PARAVANE_PERFC_VECTORS);
    t->privops = sum(c->privops, PARAVANE_PERFC_PRIVOP_SLOTS);
    t->pt_updates = c->mmu_update_entries + c->update_va_mapping + c->ptwr_emulations;
    t->grant_ops = sum(c->grant_ops, PARAVANE_PERFC_GRANT_OPS);
}

/* dom's counters: 0 or -errno (said on stderr). */
static int read_counters(struct xc *xc, uint16_t dom, bool reset, struct paravane_perfc *c,
                         uint32_t *nr_vcpus)
{
    struct xen_domctl op = {0};
    struct paravane_domctl_perfc *p = (struct paravane_domctl_perfc *)&op.u;
    int rc;

    memset(c, 0, sizeof(*c)); /* the hypervisor writes pages that are there */
    p->cmd = reset ? PARAVANE_PERFC_reset : PARAVANE_PERFC_query;
    p->size = sizeof(*c);
    set_xen_guest_handle(p->buffer, (uint8_t *)c);
    rc = xc_domctl(xc, &op, PARAVANE_DOMCTL_perfc, dom);
    if (rc) {
        fprintf(stderr, "vane: reading the counters of domain %u: %s\n", dom, strerror(-rc));
        return rc;
    }
    if (p->version != PARAVANE_PERFC_VERSION)
        fprintf(stderr, "vane: domain %u: counters version %u, this vane knows %u\n", dom,
                p->version, PARAVANE_PERFC_VERSION);
    *nr_vcpus = p->nr_vcpus;
    return 0;
}

static void print_table(const char *title, const uint64_t *a, unsigned int n,
                        const char *const *names, unsigned int nr_names)
{
    char buf[16];

    printf("%-36s %12llu\n", title, (unsigned long long)sum(a, n));
    for (unsigned int i = 0; i < n; i++)
        if (a[i])
            printf("  %-34s %12llu\n", slot_name(names, nr_names, i, buf, sizeof(buf)),
                   (unsigned long long)a[i]);
}

static void print_full(uint16_t dom, const char *name, uint32_t nr_vcpus,
                       const struct paravane_perfc *c)
{
    char buf[32];
    struct totals t;

    totals_of(c, &t);
    printf("Domain %u (%s), %u vCPU%s\n", dom, name, nr_vcpus, nr_vcpus == 1 ? "" : "s");
    print_table("hypercalls", c->hypercalls, PARAVANE_PERFC_HYPERCALLS, paravane_hypercall_names,
                PARAVANE_PERFC_HYPERCALLS);
    print_table("hypercalls in multicalls", c->multicall_calls, PARAVANE_PERFC_HYPERCALLS,
                paravane_hypercall_names, PARAVANE_PERFC_HYPERCALLS);
    printf("%-36s %12llu\n", "exceptions bounced", (unsigned long long)t.exceptions);
    for (unsigned int i = 0; i < PARAVANE_PERFC_VECTORS; i++) {
        if (!c->exceptions[i])
            continue;
        if (i < 32 && vector_names[i])
            snprintf(buf, sizeof(buf), "%u %s", i, vector_names[i]);
        else
            snprintf(buf, sizeof(buf), "%u int $%#x", i, i);
        printf("  %-34s %12llu\n", buf, (unsigned long long)c->exceptions[i]);
    }
    print_table("privileged instructions", c->privops, PARAVANE_PERFC_PRIVOP_SLOTS, privop_names,
                PARAVANE_PERFC_PRIVOP_NR);
    printf("  %-34s %12llu\n", "(refused: the guest took #GP)",
           (unsigned long long)c->privops_refused);
    printf("%-36s %12llu\n", "page-table updates", (unsigned long long)t.pt_updates);
    printf("  %-34s %12llu\n", "mmu_update entries", (unsigned long long)c->mmu_update_entries);
    printf("  %-34s %12llu\n", "update_va_mapping", (unsigned long long)c->update_va_mapping);
    printf("  %-34s %12llu\n", "writable page tables", (unsigned long long)c->ptwr_emulations);
    printf("%-36s %12llu\n", "mmuext ops", (unsigned long long)c->mmuext_ops);
    printf("%-36s %12llu\n", "event-channel sends", (unsigned long long)c->evtchn_sends);
    print_table("grant-table ops", c->grant_ops, PARAVANE_PERFC_GRANT_OPS, grant_names,
                PARAVANE_PERFC_GRANT_OPS);
    printf("%-36s %12llu\n", "event upcalls", (unsigned long long)c->event_upcalls);
}

/* "key": {"name": n, ...} with the non-zero slots (or all, with `all`). */
static void json_table(const char *key, const uint64_t *a, unsigned int n, const char *const *names,
                       unsigned int nr_names, bool all, bool last)
{
    char buf[16];
    bool first = true;

    printf("    \"%s\": {", key);
    for (unsigned int i = 0; i < n; i++) {
        if (!a[i] && !(all && i < nr_names))
            continue;
        printf("%s\n      \"%s\": %llu", first ? "" : ",",
               slot_name(names, nr_names, i, buf, sizeof(buf)), (unsigned long long)a[i]);
        first = false;
    }
    printf("%s}%s\n", first ? "" : "\n    ", last ? "" : ",");
}

static void print_json(uint16_t dom, const char *name, uint32_t nr_vcpus,
                       const struct paravane_perfc *c, bool last)
{
    struct totals t;
    char vec[32 * 256];
    const char *vnames[PARAVANE_PERFC_VECTORS];

    for (unsigned int i = 0; i < PARAVANE_PERFC_VECTORS; i++) {
        snprintf(vec + 32 * i, 32, "%u", i);
        vnames[i] = vec + 32 * i;
    }
    totals_of(c, &t);
    printf("  {\n    \"domid\": %u,\n    \"name\": \"%s\",\n    \"vcpus\": %u,\n", dom, name,
           nr_vcpus);
    json_table("hypercalls", c->hypercalls, PARAVANE_PERFC_HYPERCALLS, paravane_hypercall_names,
               PARAVANE_PERFC_HYPERCALLS, false, false);
    json_table("multicall_calls", c->multicall_calls, PARAVANE_PERFC_HYPERCALLS,
               paravane_hypercall_names, PARAVANE_PERFC_HYPERCALLS, false, false);
    json_table("exceptions", c->exceptions, PARAVANE_PERFC_VECTORS, vnames, PARAVANE_PERFC_VECTORS,
               false, false);
    json_table("privileged_instructions", c->privops, PARAVANE_PERFC_PRIVOP_SLOTS, privop_names,
               PARAVANE_PERFC_PRIVOP_NR, true, false);
    printf("    \"privileged_refused\": %llu,\n", (unsigned long long)c->privops_refused);
    printf("    \"mmu_update_entries\": %llu,\n", (unsigned long long)c->mmu_update_entries);
    printf("    \"update_va_mapping\": %llu,\n", (unsigned long long)c->update_va_mapping);
    printf("    \"ptwr_emulations\": %llu,\n", (unsigned long long)c->ptwr_emulations);
    printf("    \"mmuext_ops\": %llu,\n", (unsigned long long)c->mmuext_ops);
    printf("    \"evtchn_sends\": %llu,\n", (unsigned long long)c->evtchn_sends);
    json_table("grant_ops", c->grant_ops, PARAVANE_PERFC_GRANT_OPS, grant_names,
               PARAVANE_PERFC_GRANT_OPS, false, false);
    printf("    \"event_upcalls\": %llu,\n", (unsigned long long)c->event_upcalls);
    printf("    \"totals\": {\n      \"hypercalls\": %llu,\n      \"multicall_calls\": %llu,\n"
           "      \"exceptions\": %llu,\n      \"privileged_instructions\": %llu,\n"
           "      \"page_table_updates\": %llu,\n      \"grant_ops\": %llu\n    }\n",
           (unsigned long long)t.hypercalls, (unsigned long long)t.multicall,
           (unsigned long long)t.exceptions, (unsigned long long)t.privops,
           (unsigned long long)t.pt_updates, (unsigned long long)t.grant_ops);
    printf("  }%s\n", last ? "" : ",");
}

static void print_header(void)
{
    printf("%-24s %5s %11s %10s %10s %10s %10s %9s %9s %9s\n", "Name", "ID", "Hypercalls",
           "Multicall", "Exceptions", "Privops", "PT-updates", "Sends", "Grant-ops", "Upcalls");
}

static void print_line(uint16_t dom, const char *name, const struct paravane_perfc *c)
{
    struct totals t;

    totals_of(c, &t);
    printf("%-24.24s %5u %11llu %10llu %10llu %10llu %10llu %9llu %9llu %9llu\n", name, dom,
           (unsigned long long)t.hypercalls, (unsigned long long)t.multicall,
           (unsigned long long)t.exceptions, (unsigned long long)t.privops,
           (unsigned long long)t.pt_updates, (unsigned long long)c->evtchn_sends,
           (unsigned long long)t.grant_ops, (unsigned long long)c->event_upcalls);
}

int cmd_stat(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'}, {"zero", 0, 0, 'z'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    struct xen_domctl_getdomaininfo *list = NULL;
    bool json = false, reset = false;
    uint16_t *doms;
    int opt, n = 0, rc = 0;
    struct xc xc;

    while ((opt = vane_getopt(argc, argv, "jz", opts, "stat", 0)) != -1) {
        if (opt == 'j')
            json = true;
        else if (opt == 'z')
            reset = true;
    }
    if (xc_open(&xc))
        return 1;
    doms = calloc((size_t)(argc > 1 ? argc : 1) + 65536, sizeof(*doms));
    if (!doms) {
        perror("vane");
        xc_close(&xc);
        return 1;
    }
    if (optind < argc) {
        for (int i = optind; i < argc; i++)
            if (vane_find_domain(&xc, argv[i], &doms[n++]))
                rc = 1;
    } else {
        int nr = vane_list_domains(&xc, &list);

        if (nr < 0) {
            fprintf(stderr, "vane: listing the domains: %s\n", strerror(-nr));
            rc = 1;
        }
        for (int i = 0; i < nr; i++)
            doms[n++] = list[i].domain;
        free(list);
    }
    if (rc)
        goto out;

    if (json)
        printf("[\n");
    else if (optind == argc)
        print_header();
    for (int i = 0; i < n; i++) {
        struct paravane_perfc c;
        char name[128];
        uint32_t nr_vcpus = 0;

        if (read_counters(&xc, doms[i], reset, &c, &nr_vcpus)) {
            rc = 1;
            continue;
        }
        vane_domain_name(doms[i], name, sizeof(name));
        if (json)
            print_json(doms[i], name, nr_vcpus, &c, i == n - 1);
        else if (optind == argc)
            print_line(doms[i], name, &c);
        else
            print_full(doms[i], name, nr_vcpus, &c);
        if (!json && optind < argc && i < n - 1)
            printf("\n");
    }
    if (json)
        printf("]\n");
out:
    free(doms);
    xc_close(&xc);
    return rc;
}
