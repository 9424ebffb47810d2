/*
 * vane pause DOM / vane unpause DOM: XEN_DOMCTL_pausedomain and
 * unpausedomain. Pauses by the controller count, as on Xen: each pause
 * needs its unpause.
 */
#include "vane.h"
#include "xc.h"
#include <stdio.h>
#include <string.h>

static int pause_or_unpause(int argc, char **argv, const char *cmd, uint32_t op)
{
    struct xen_domctl d = {0};
    struct xc xc;
    uint16_t dom;
    int rc;

    while (vane_getopt(argc, argv, "", NULL, cmd, 1) != -1)
        ;
    if (argc - optind != 1)
        return vane_usage(cmd);
    if (xc_open(&xc))
        return 1;
    if (vane_find_domain(&xc, argv[optind], &dom)) {
        xc_close(&xc);
        return 1;
    }
    rc = xc_domctl(&xc, &d, op, dom);
    xc_close(&xc);
    if (rc) {
        fprintf(stderr, "vane: %s %s: %s\n", cmd, argv[optind], strerror(-rc));
        return 1;
    }
    return 0;
}

int cmd_pause(int argc, char **argv)
{
    return pause_or_unpause(argc, argv, "pause", XEN_DOMCTL_pausedomain);
}

int cmd_unpause(int argc, char **argv)
{
    return pause_or_unpause(argc, argv, "unpause", XEN_DOMCTL_unpausedomain);
}
