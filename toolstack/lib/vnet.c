/*
 * Virtual network interfaces (vnet.h). The bridge calls are the kernel's
 * (SIOCBRADDIF and the interface flags), no brctl or ip behind them.
 */
#include "vnet.h"
#include "xsdev.h"
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <xen/io/xenbus.h>

#define NETBACK_DRIVER "/sys/bus/xen-backend/drivers/vif"
#define READY_MS       10000

static bool is_bridge(const char *name)
{
    char path[96];

    snprintf(path, sizeof(path), "/sys/class/net/%s/bridge", name);
    return !access(path, F_OK);
}

int vane_vif_check(const struct xlcfg_vif *v, int devid, char *err, size_t len)
{
    if (v->backend && strcmp(v->backend, "0") && strcmp(v->backend, "Domain-0"))
        return vane_dev_fail(err, len, "vif %d: backend=%s: only dom0 serves networks", devid,
                             v->backend);
    if (v->script && strcmp(v->script, "vif-bridge") && !strstr(v->script, "/vif-bridge"))
        return vane_dev_fail(err, len,
                             "vif %d: script=%s: vane bridges interfaces itself (vif-bridge)",
                             devid, v->script);
    if (v->rate)
        return vane_dev_fail(err, len, "vif %d: rate=%s: rate limits are not supported", devid,
                             v->rate);
    if (!is_bridge(v->bridge))
        return vane_dev_fail(err, len, "vif %d: bridge %s does not exist in dom0", devid,
                             v->bridge);
    if (access(NETBACK_DRIVER, F_OK))
        return vane_dev_fail(err, len,
                             "vif %d: dom0's network back-end is not loaded (modprobe xen-netback)",
                             devid);
    return 0;
}

/* Interface `name` into `bridge` and up, as vif-bridge does. 0 or -errno. */
static int bridge_add(const char *bridge, const char *name)
{
    struct ifreq ifr = {0};
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), idx, rc = 0;

    if (s < 0)
        return -errno;
    idx = (int)if_nametoindex(name);
    if (!idx)
        rc = -errno;
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", bridge);
    ifr.ifr_ifindex = idx;
    if (!rc && ioctl(s, SIOCBRADDIF, &ifr))
        rc = -errno;
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (!rc && ioctl(s, SIOCGIFFLAGS, &ifr))
        rc = -errno;
    ifr.ifr_flags |= IFF_UP;
    if (!rc && ioctl(s, SIOCSIFFLAGS, &ifr))
        rc = -errno;
    close(s);
    return rc;
}

/* Rename a down interface (vifname=). 0 or -errno. */
static int rename_if(const char *from, const char *to)
{
    struct ifreq ifr = {0};
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

    if (s < 0)
        return -errno;
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", from);
    snprintf(ifr.ifr_newname, sizeof(ifr.ifr_newname), "%s", to);
    rc = ioctl(s, SIOCSIFNAME, &ifr) ? -errno : 0;
    close(s);
    return rc;
}

static void pick_mac(const struct xlcfg_vif *v, char out[18])
{
    uint8_t m[6] = {0x00, 0x16, 0x3e};
    int fd;

    if (v->has_mac) {
        memcpy(m, v->mac, 6);
    } else if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
        if (read(fd, m + 3, 3) != 3)
            m[3] = m[4] = m[5] = (uint8_t)getpid();
        close(fd);
        m[3] &= 0x7f; /* libxl keeps the top bit clear too */
    }
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

int vane_vif_add(struct xsc *xs, unsigned int dom, int devid, const struct xlcfg_vif *v, char *err,
                 size_t len)
{
    struct vane_xsdev dev;
    char mac[18], handle[16], mtu[16], ifname[IFNAMSIZ];
    int rc, seen;

    pick_mac(v, mac);
    snprintf(handle, sizeof(handle), "%d", devid);
    snprintf(mtu, sizeof(mtu), "%u", v->mtu ? v->mtu : 1500);
    vane_xsdev_init(&dev, "vif", dom, devid);
    {
        const char *back[] = {"online",
                              "1",
                              "state",
                              "1",
                              "script",
                              "vif-bridge",
                              "mac",
                              mac,
                              "bridge",
                              v->bridge,
                              "handle",
                              handle,
                              "type",
                              "vif",
                              "mtu",
                              mtu,
                              v->ip ? "ip" : NULL,
                              v->ip,
                              NULL};
        const char *front[] = {"state", "1", "handle", handle, "mac", mac, "mtu", mtu, NULL};

        rc = vane_xsdev_add(xs, &dev, back, front);
    }
    if (rc)
        return vane_dev_fail(err, len, "vif %d: xenstore: %s", devid, strerror(-rc));
    snprintf(ifname, sizeof(ifname), "vif%u.%d", dom, devid);
    if (vane_xsdev_wait(xs, &dev, XenbusStateInitWait, READY_MS, &seen)) {
        vane_dev_fail(err, len, "vif %d: netback did not answer (state %d after %d s)", devid, seen,
                      READY_MS / 1000);
        goto undo;
    }
    /* netback says InitWait before it makes the interface (the moment Xen's
     * hotplug script is started by the interface's uevent instead). */
    for (int i = 0; i < READY_MS / 20 && !if_nametoindex(ifname); i++)
        usleep(20000);
    if (v->vifname && (rc = rename_if(ifname, v->vifname))) {
        vane_dev_fail(err, len, "vif %d: renaming %s to %s: %s", devid, ifname, v->vifname,
                      strerror(-rc));
        goto undo;
    }
    if (v->vifname)
        snprintf(ifname, sizeof(ifname), "%s", v->vifname);
    if ((rc = bridge_add(v->bridge, ifname))) {
        vane_dev_fail(err, len, "vif %d: adding %s to bridge %s: %s", devid, ifname, v->bridge,
                      strerror(-rc));
        goto undo;
    }
    vane_xsdev_back_write(xs, &dev, "vifname", ifname);
    if ((rc = vane_xsdev_back_write(xs, &dev, "hotplug-status", "connected"))) {
        vane_dev_fail(err, len, "vif %d: xenstore: %s", devid, strerror(-rc));
        goto undo;
    }
    return 0;
undo:
    vane_xsdev_remove(xs, &dev);
    return -1;
}

int vane_vif_remove(struct xsc *xs, unsigned int dom, int devid, char *err, size_t len)
{
    struct vane_xsdev dev;
    char why[128];

    vane_xsdev_init(&dev, "vif", dom, devid);
    if (!vane_xsdev_exists(xs, &dev))
        return vane_dev_fail(err, len, "domain %u has no network interface %d", dom, devid);
    if (vane_xsdev_close(xs, &dev, READY_MS, why, sizeof(why)))
        return vane_dev_fail(err, len, "interface %d of domain %u did not close: %s", devid, dom,
                             why);
    vane_xsdev_remove(xs, &dev);
    return 0;
}

void vane_vif_release_all(struct xsc *xs, unsigned int dom)
{
    int ids[64], n = vane_xsdev_list(xs, "vif", dom, ids, 64);

    for (int i = 0; i < n; i++) {
        struct vane_xsdev dev;

        vane_xsdev_init(&dev, "vif", dom, ids[i]);
        vane_xsdev_remove(xs, &dev);
    }
}
