/*
 * A domain's TSC mode, as Xen's toolstack sets and reads it (tsc_mode.c).
 */
#ifndef PARAVANE_TSC_MODE_H
#define PARAVANE_TSC_MODE_H

#include "types.h"
#include <xen/xen.h>
#include <xen/domctl.h>

struct domain;
/* XEN_DOMCTL_settscinfo on d (not the caller's own domain). 0 or -errno. */
int tsc_mode_set(struct domain *d, const struct xen_domctl_tsc_info *t);
/* XEN_DOMCTL_gettscinfo. */
void tsc_mode_get(const struct domain *d, struct xen_domctl_tsc_info *t);

#endif
