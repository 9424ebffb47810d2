/*
 * A domain's split devices as xentop counts them: its vbds' request and
 * sector counters (blkback's statistics in sysfs) and its vifs' bytes
 * (netback's interfaces; what dom0 receives on one the domain sent).
 */
#ifndef VANE_DEVSTATS_H
#define VANE_DEVSTATS_H

struct vane_devstats {
    unsigned int nets, vbds;
    unsigned long long net_tx, net_rx; /* bytes, from the domain's side */
    unsigned long long oo, rd, wr, rsect, wsect;
};

void vane_devstats(unsigned int dom, struct vane_devstats *s);

#endif
