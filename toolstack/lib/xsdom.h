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
struct xsc;

/*
 * Run body in a transaction, again while the commit meets EAGAIN (another
 * writer came first), at most 10 times. body returns 0 to commit, > 0 to
 * end the transaction without writing (no error), or -errno to abandon it
 * with that error. 0 or -errno.
 */
typedef int (*vane_xs_body)(struct xsc *xs, uint32_t tx, void *arg);
int vane_xs_transact(struct xsc *xs, vane_xs_body body, void *arg);

int vane_xs_introduce(const struct domain_config *c, domid_t dom, const struct build_result *br,
                      const uint8_t uuid[16]);

/*
 * Write n keys (absolute paths) in one transaction, retried while
 * xenstored says EAGAIN: 0, -ENOENT when no xenstored runs, or -errno.
 */
int vane_xs_write_all(const char *const *paths, const char *const *values, size_t n);
/*
 * One key's value (malloc'd, NUL-terminated), or NULL with *err
 * -ENOTCONN when no xenstored runs, or the read's -errno (-ENOENT: no
 * such key).
 */
char *vane_xs_read(const char *path, int *err);

/*
 * A new name in /local/domain/N/name and /vm/UUID/name, in one
 * transaction (nothing if the domain has no entries): 0, -ENOENT when no
 * xenstored runs, or another -errno.
 */
int vane_xs_rename(domid_t dom, const char *name);

/* Release the domain in xenstored and remove its entries (if any). */
void vane_xs_forget(domid_t dom);

#endif
