/*
 * xentop's device columns (devstats.h), from the back-ends' sysfs
 * entries: /sys/bus/xen-backend/devices/{vbd,vif}-DOM-N.
 */
#include "devstats.h"
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#define BACKENDS "/sys/bus/xen-backend/devices"

static unsigned long long number(const char *dir, const char *file)
{
    char path[640];
    unsigned long long v = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%llu", &v) != 1)
            v = 0;
        fclose(f);
    }
    return v;
}

/* A vif's interface, whatever it was renamed to: the one directory under net/. */
static void vif_bytes(const char *dev /* < 128 chars */, struct vane_devstats *s)
{
    char net[192], stats[320];
    struct dirent *e;
    DIR *d;

    snprintf(net, sizeof(net), "%.128s/net", dev);
    d = opendir(net);
    if (!d)
        return;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(stats, sizeof(stats), "%s/%.64s/statistics", net, e->d_name);
        s->net_tx += number(stats, "rx_bytes");
        s->net_rx += number(stats, "tx_bytes");
    }
    closedir(d);
}

void vane_devstats(unsigned int dom, struct vane_devstats *s)
{
    char vbd[32], vif[32], dev[128];
    struct dirent *e;
    DIR *d = opendir(BACKENDS);

    memset(s, 0, sizeof(*s));
    if (!d)
        return;
    snprintf(vbd, sizeof(vbd), "vbd-%u-", dom);
    snprintf(vif, sizeof(vif), "vif-%u-", dom);
    while ((e = readdir(d))) {
        snprintf(dev, sizeof(dev), "%s/%.64s", BACKENDS, e->d_name);
        if (!strncmp(e->d_name, vbd, strlen(vbd))) {
            char st[160];

            snprintf(st, sizeof(st), "%s/statistics", dev);
            s->vbds++;
            s->oo += number(st, "oo_req");
            s->rd += number(st, "rd_req");
            s->wr += number(st, "wr_req");
            s->rsect += number(st, "rd_sect");
            s->wsect += number(st, "wr_sect");
        } else if (!strncmp(e->d_name, vif, strlen(vif))) {
            s->nets++;
            vif_bytes(dev, s);
        }
    }
    closedir(d);
}
