/*
 * vane uptime [-s] [DOM...]: how long each domain has been up, in xl's
 * format. dom0's from /proc/uptime; a run-time domain's from the start
 * time `vane create` recorded with its name (xl reads /vm/UUID/start_time).
 * A domain with no record (built at boot) is left out, as xl leaves out
 * one without a start time.
 */
#include "names.h"
#include "vane.h"
#include "xc.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void uptime_string(unsigned long up, bool short_mode, char *out, size_t len)
{
    int day = (int)(up / 86400), hour = (int)(up % 86400 / 3600), min = (int)(up % 3600 / 60),
        sec = (int)(up % 60);
    const char *days = day > 1 ? "days" : "day";

    if (short_mode) {
        if (day)
            snprintf(out, len, "%d %s, %2d:%02d", day, days, hour, min);
        else
            snprintf(out, len, "%2d:%02d", hour, min);
    } else {
        if (day)
            snprintf(out, len, "%d %s, %2d:%02d:%02d", day, days, hour, min, sec);
        else
            snprintf(out, len, "%2d:%02d:%02d", hour, min, sec);
    }
}

/* Seconds dom has been up into *up: 0, or -1 if nobody knows. */
static int domain_uptime(uint16_t dom, time_t now, unsigned long *up)
{
    time_t start;

    if (dom == 0) {
        FILE *f = fopen("/proc/uptime", "r");
        double s = 0;
        int ok = f && fscanf(f, "%lf", &s) == 1;

        if (f)
            fclose(f);
        if (!ok) {
            fprintf(stderr, "Can not get Dom0 uptime.\n");
            return -1;
        }
        *up = (unsigned long)s;
        return 0;
    }
    if (vane_name_start_time(dom, &start) || start > now)
        return -1;
    *up = (unsigned long)(now - start);
    return 0;
}

static void print_one(uint16_t dom, bool short_mode, time_t now)
{
    char name[VANE_NAME_MAX], up_str[64];
    unsigned long up;

    if (domain_uptime(dom, now, &up))
        return;
    vane_domain_name(dom, name, sizeof(name));
    uptime_string(up, short_mode, up_str, sizeof(up_str));
    if (short_mode) {
        char now_str[16];
        const struct tm *tm = localtime(&now);

        if (!tm || !strftime(now_str, sizeof(now_str), "%H:%M:%S", tm))
            snprintf(now_str, sizeof(now_str), "??:??:??");
        printf(" %s up %s, %s (%d)\n", now_str, up_str, name, dom);
    } else {
        printf("%-33s %4d %s\n", name, dom, up_str);
    }
}

int cmd_uptime(int argc, char **argv)
{
    struct xen_domctl_getdomaininfo *all;
    bool short_mode = false;
    time_t now = time(NULL);
    struct xc xc;
    int opt, n;

    while ((opt = vane_getopt(argc, argv, "s", NULL, "uptime", 0)) != -1)
        short_mode = opt == 's';
    if (xc_open(&xc))
        return 1;
    if (!short_mode)
        printf("%-33s %4s %s\n", "Name", "ID", "Uptime");
    if (optind < argc) {
        for (int i = optind; i < argc; i++) {
            uint16_t dom;

            if (vane_find_domain(&xc, argv[i], &dom)) {
                xc_close(&xc);
                return 1;
            }
            print_one(dom, short_mode, now);
        }
        xc_close(&xc);
        return 0;
    }
    n = vane_list_domains(&xc, &all);
    xc_close(&xc);
    if (n < 0) {
        fprintf(stderr, "Could not list vms.\n");
        return 1;
    }
    for (int i = 0; i < n; i++)
        print_one(all[i].domain, short_mode, now);
    free(all);
    return 0;
}
