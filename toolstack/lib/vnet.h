/*
 * Virtual network interfaces (vif): a domain's vif= entries served by
 * dom0's netback, each back-end interface (vifDOM.N) added to its bridge,
 * the job of Xen's vif-bridge hotplug script.
 */
#ifndef VANE_VNET_H
#define VANE_VNET_H

#include "cfg/xlcfg.h"
#include <stddef.h>

struct xsc;

/* Whether dom0 can serve it: its bridge exists, netback is loaded. 0 or -1 with err. */
int vane_vif_check(const struct xlcfg_vif *v, int devid, char *err, size_t len);

/* Attach vif number devid to dom (a MAC picked in 00:16:3e if none). 0 or -1 with err. */
int vane_vif_add(struct xsc *xs, unsigned int dom, int devid, const struct xlcfg_vif *v, char *err,
                 size_t len);

/* Detach: the front-end asked to close, then the entries go. 0 or -1 with err. */
int vane_vif_remove(struct xsc *xs, unsigned int dom, int devid, char *err, size_t len);

/* A destroyed domain's interfaces: entries removed (netback lets them go). */
void vane_vif_release_all(struct xsc *xs, unsigned int dom);

#endif
