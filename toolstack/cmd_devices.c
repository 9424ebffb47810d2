/*
 * Hot plug, with xl's arguments and output: block-attach DOM SPEC...,
 * block-detach [-f] DOM VDEV, block-list DOM..., network-attach DOM
 * [KEY=VALUE...], network-detach DOM DEVID|MAC, network-list DOM....
 * A spec given as several words is one disk= (or vif=) entry, the words
 * joined by commas, as xl reads them.
 */
#include "vane.h"
#include "vbd.h"
#include "vnet.h"
#include "xc.h"
#include "xs_client.h"
#include "xsdev.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The words from argv[from] on, joined by commas (malloc'd). */
static char *joined(int argc, char **argv, int from)
{
    size_t len = 1;
    char *s;

    for (int i = from; i < argc; i++)
        len += strlen(argv[i]) + 1;
    s = calloc(1, len);
    for (int i = from; s && i < argc; i++) {
        if (i > from)
            strcat(s, ",");
        strcat(s, argv[i]);
    }
    return s;
}

/* Options, then the domain named by argv[optind] (at least `min` words after it). */
static int setup(int argc, char **argv, const char *cmd, int min, uint16_t *dom, struct xsc **xs)
{
    struct xc xc;
    int rc;

    if (argc - optind < 1 + min)
        return vane_usage(cmd);
    if (xc_open(&xc))
        return 1;
    rc = vane_find_domain(&xc, argv[optind], dom);
    xc_close(&xc);
    if (rc)
        return 1;
    *xs = xsc_open(NULL);
    if (!*xs) {
        fprintf(stderr, "vane: xenstored: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

int cmd_block_attach(int argc, char **argv)
{
    struct xlcfg_disk disk;
    struct vane_xsdev dev;
    struct xsc *xs;
    char err[256], *spec;
    bool there;
    uint16_t dom;
    int rc;

    while (vane_getopt(argc, argv, "", NULL, "block-attach", 2) != -1)
        ;
    if ((rc = setup(argc, argv, "block-attach", 1, &dom, &xs)))
        return rc;
    spec = joined(argc, argv, optind + 1);
    rc = spec ? xlcfg_parse_disk(spec, &disk, err, sizeof(err)) : -ENOMEM;
    free(spec);
    if (rc) {
        fprintf(stderr, "vane: %s\n", rc == -ENOMEM ? strerror(ENOMEM) : err);
        xsc_close(xs);
        return 1;
    }
    vane_xsdev_init(&dev, "vbd", dom, xlcfg_vdev_number(disk.vdev));
    there = vane_xsdev_exists(xs, &dev);
    if (there)
        snprintf(err, sizeof(err), "disk %s: domain %u has it already", disk.vdev, dom);
    rc = there || vane_vbd_check(&disk, err, sizeof(err)) ||
         vane_vbd_add(xs, dom, &disk, err, sizeof(err));
    if (rc)
        fprintf(stderr, "vane: %s\nlibxl_device_disk_add failed.\n", err);
    xlcfg_disk_free(&disk);
    xsc_close(xs);
    return rc ? 1 : 0;
}

int cmd_block_detach(int argc, char **argv)
{
    static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {0}};
    struct vane_xsdev dev;
    struct xsc *xs;
    char err[256];
    bool force = false;
    uint16_t dom;
    int opt, rc, devid;

    while ((opt = vane_getopt(argc, argv, "f", opts, "block-detach", 2)) != -1)
        force |= opt == 'f';
    if ((rc = setup(argc, argv, "block-detach", 1, &dom, &xs)))
        return rc;
    devid = xlcfg_vdev_number(argv[optind + 1]);
    vane_xsdev_init(&dev, "vbd", dom, devid);
    if (devid < 0 || !vane_xsdev_exists(xs, &dev)) {
        fprintf(stderr, "Error: Device %s not connected.\n", argv[optind + 1]);
        xsc_close(xs);
        return 1;
    }
    if (force) /* as libxl_device_disk_destroy: the guest is not asked */
        vane_vbd_release_one(xs, dom, devid);
    else if (vane_vbd_remove(xs, dom, devid, err, sizeof(err))) {
        fprintf(stderr, "vane: %s\nlibxl_device_disk_safe_remove failed.\n", err);
        xsc_close(xs);
        return 1;
    }
    xsc_close(xs);
    return 0;
}

/* A front-end key as a number, -1 if it has none (as xl shows it). */
static int front_int(struct xsc *xs, const struct vane_xsdev *d, const char *key)
{
    char path[192], *v;
    int n;

    snprintf(path, sizeof(path), "%s/%s", d->front, key);
    v = xsc_read(xs, 0, path, NULL);
    n = v ? atoi(v) : -1;
    free(v);
    return n;
}

/* Each domain named (an unknown one said and skipped), its devices of a kind. */
static int list_each(int argc, char **argv, const char *cmd, const char *kind, const char *header,
                     void (*row)(struct xsc *, const struct vane_xsdev *))
{
    struct xsc *xs;
    struct xc xc;

    while (vane_getopt(argc, argv, "", NULL, cmd, 1) != -1)
        ;
    if (argc - optind < 1)
        return vane_usage(cmd);
    if (xc_open(&xc))
        return 1;
    xs = xsc_open(NULL);
    if (!xs) {
        fprintf(stderr, "vane: xenstored: %s\n", strerror(errno));
        xc_close(&xc);
        return 1;
    }
    printf("%s\n", header);
    for (int i = optind; i < argc; i++) {
        int ids[64], n;
        uint16_t dom;

        if (vane_find_domain(&xc, argv[i], &dom))
            continue;
        n = vane_xsdev_list(xs, kind, dom, ids, 64);
        for (int k = 0; k < n; k++) {
            struct vane_xsdev d;

            vane_xsdev_init(&d, kind, dom, ids[k]);
            row(xs, &d);
        }
    }
    xsc_close(xs);
    xc_close(&xc);
    return 0;
}

static void block_row(struct xsc *xs, const struct vane_xsdev *d)
{
    printf("%-5d %-3d %-6u %-5d %-6d %-8d %-30s\n", d->devid, 0, d->dom, front_int(xs, d, "state"),
           front_int(xs, d, "event-channel"), front_int(xs, d, "ring-ref"), d->back);
}

int cmd_block_list(int argc, char **argv)
{
    char header[96];

    snprintf(header, sizeof(header), "%-5s %-3s %-6s %-5s %-6s %-8s %-30s", "Vdev", "BE", "handle",
             "state", "evt-ch", "ring-ref", "BE-path");
    return list_each(argc, argv, "block-list", "vbd", header, block_row);
}

static void network_row(struct xsc *xs, const struct vane_xsdev *d)
{
    char *mac = vane_xsdev_back_read(xs, d, "mac");

    printf("%-3d %-2d %-17s %6d %5d %6d %5d/%-11d %-30s\n", d->devid, 0, mac ? mac : "-", d->devid,
           front_int(xs, d, "state"), front_int(xs, d, "event-channel"),
           front_int(xs, d, "tx-ring-ref"), front_int(xs, d, "rx-ring-ref"), d->back);
    free(mac);
}

int cmd_network_list(int argc, char **argv)
{
    char header[96];

    snprintf(header, sizeof(header), "%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s", "Idx", "BE",
             "Mac Addr.", "handle", "state", "evt-ch", "tx-", "rx-ring-ref", "BE-path");
    return list_each(argc, argv, "network-list", "vif", header, network_row);
}

int cmd_network_attach(int argc, char **argv)
{
    struct xlcfg_vif vif;
    struct xsc *xs;
    char err[256], *spec;
    int ids[64], n, devid = 0, rc;
    uint16_t dom;

    while (vane_getopt(argc, argv, "", NULL, "network-attach", 1) != -1)
        ;
    if ((rc = setup(argc, argv, "network-attach", 0, &dom, &xs)))
        return rc;
    spec = joined(argc, argv, optind + 1);
    rc = spec ? xlcfg_parse_vif(spec, &vif, err, sizeof(err)) : -ENOMEM;
    free(spec);
    if (rc) {
        fprintf(stderr, "vane: %s\n", rc == -ENOMEM ? strerror(ENOMEM) : err);
        xsc_close(xs);
        return 1;
    }
    n = vane_xsdev_list(xs, "vif", dom, ids, 64); /* the next index, as libxl picks it */
    for (int i = 0; i < n; i++)
        devid = ids[i] >= devid ? ids[i] + 1 : devid;
    rc = vane_vif_check(&vif, devid, err, sizeof(err)) ||
         vane_vif_add(xs, dom, devid, &vif, err, sizeof(err));
    if (rc)
        fprintf(stderr, "vane: %s\nlibxl_device_nic_add failed.\n", err);
    xlcfg_vif_free(&vif);
    xsc_close(xs);
    return rc ? 1 : 0;
}

/*
 * The interface of dom's that arg names, by index or by MAC address (any
 * case), or -1 if it has none such.
 */
static int nic_devid(struct xsc *xs, uint16_t dom, const char *arg)
{
    int ids[64], n = vane_xsdev_list(xs, "vif", dom, ids, 64), found = -1;
    bool by_mac = strchr(arg, ':') != NULL;
    char *end;
    long v = strtol(arg, &end, 10);

    if (!by_mac && (!*arg || *end))
        return -1;
    for (int i = 0; i < n && found < 0; i++) {
        struct vane_xsdev d;
        char *mac;

        if (!by_mac) {
            found = ids[i] == v ? ids[i] : -1;
            continue;
        }
        vane_xsdev_init(&d, "vif", dom, ids[i]);
        mac = vane_xsdev_back_read(xs, &d, "mac");
        if (mac && !strcasecmp(mac, arg))
            found = ids[i];
        free(mac);
    }
    return found;
}

int cmd_network_detach(int argc, char **argv)
{
    struct xsc *xs;
    char err[256];
    uint16_t dom;
    int rc, devid;

    while (vane_getopt(argc, argv, "", NULL, "network-detach", 2) != -1)
        ;
    if ((rc = setup(argc, argv, "network-detach", 1, &dom, &xs)))
        return rc;
    devid = nic_devid(xs, dom, argv[optind + 1]);
    rc = devid < 0 ? -1 : vane_vif_remove(xs, dom, devid, err, sizeof(err));
    if (devid < 0)
        fprintf(stderr, "Unknown device %s.\n", argv[optind + 1]);
    else if (rc)
        fprintf(stderr, "vane: %s\nlibxl_device_nic_del failed.\n", err);
    xsc_close(xs);
    return rc ? 1 : 0;
}
