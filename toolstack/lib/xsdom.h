/*
 * A run-time domain's xenstore entries, written and introduced as libxl
 * does, and removed when it is gone (xsdom.c).
 */
#ifndef VANE_XSDOM_H
#define VANE_XSDOM_H

#include "build.h"
#include "cfg/xlcfg.h"

/*
 * Write the domain's entries and introduce it to xenstored. 0, -ENOENT
 * when no xenstored runs (the domain then runs without a store), or
 * another -errno.
 */
int vane_xs_introduce(const struct domain_config *c, domid_t dom, const struct build_result *br,
                      const uint8_t uuid[16]);

/* Release the domain in xenstored and remove its entries (if any). */
void vane_xs_forget(domid_t dom);

#endif
