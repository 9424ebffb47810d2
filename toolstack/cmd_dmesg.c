/*
 * vane dmesg [-c]: the hypervisor's console ring (XEN_SYSCTL_readconsole),
 * read incrementally from the oldest byte it still has, in 16 KiB reads as
 * xl's console reader does; -c clears what was read. It stops at the first
 * short read rather than at an empty one (xl's rule): Paravane keeps
 * dom0's own console output in the ring too, so printing what was read
 * to dom0's console would otherwise feed the loop for ever.
 */
#include "vane.h"
#include "xc.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int cmd_dmesg(int argc, char **argv)
{
    static const struct option opts[] = {{"clear", 0, 0, 'c'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    enum { SIZE = 16384 };
    static char buf[SIZE];
    bool clear = false;
    uint32_t index = 0;
    struct xc xc;
    int opt;

    while ((opt = vane_getopt(argc, argv, "c", opts, "dmesg", 0)) != -1)
        clear = opt == 'c';
    if (optind != argc)
        return vane_usage("dmesg");
    if (xc_open(&xc))
        return 1;
    /* The hypervisor writes into buf with dom0's page tables, and a page
     * Linux has not faulted in yet is a -EFAULT (as on Xen: libxc's
     * hypercall buffers are locked for this). Written once, every page of
     * it is there; a ring of more than a page's worth once failed here. */
    memset(buf, 0, sizeof(buf));
    for (;;) {
        struct xen_sysctl s = {0};
        int rc;

        set_xen_guest_handle(s.u.readconsole.buffer, buf);
        s.u.readconsole.count = SIZE;
        s.u.readconsole.clear = clear;
        s.u.readconsole.incremental = 1;
        s.u.readconsole.index = index;
        rc = xc_sysctl(&xc, &s, XEN_SYSCTL_readconsole);
        if (rc) {
            fprintf(stderr, "vane: reading console ring buffer: %s\n", strerror(-rc));
            xc_close(&xc);
            return 1;
        }
        fwrite(buf, 1, s.u.readconsole.count, stdout);
        index = s.u.readconsole.index;
        if (s.u.readconsole.count < SIZE)
            break; /* caught up */
    }
    xc_close(&xc);
    return 0;
}
