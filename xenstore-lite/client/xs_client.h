/*
 * xs_client.h: the xenstore-lite client library, for the toolstack and the
 * CLI tools. Speaks io/xs_wire.h over the daemon's unix socket, or over a
 * character device such as dom0 Linux's /dev/xen/xenbus (the kernel then
 * carries each request over its xenstore ring).
 *
 * Lifetime: xsc_open() .. xsc_close(); one handle per thread (a handle
 * is not locked). Calls are synchronous; watch events that arrive while
 * waiting for a reply are kept for xsc_read_watch().
 *
 * Errors: functions return 0 (or a pointer) on success, -1 (or NULL) with
 * errno set on failure — the daemon's error name mapped back to its errno
 * through xs_wire.h's table, or the errno of the failed socket or device
 * call.
 * Returned memory is the caller's to free().
 */
#ifndef XS_CLIENT_H
#define XS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xsc;

/*
 * path NULL: $XENSTORED_PATH, else /run/xenstored/socket. A character
 * device is opened and spoken to with read()/write(); anything else is
 * connect()ed to as a unix socket.
 */
struct xsc *xsc_open(const char *path);
void xsc_close(struct xsc *h);
int xsc_fd(const struct xsc *h);

/* Any request: payload in, reply payload out (NUL appended, not counted). */
int xsc_request(struct xsc *h, uint32_t type, uint32_t tx, const void *payload, size_t len,
                char **reply, size_t *rlen);

char *xsc_read(struct xsc *h, uint32_t tx, const char *path, size_t *len);
int xsc_write(struct xsc *h, uint32_t tx, const char *path, const void *data, size_t len);
int xsc_mkdir(struct xsc *h, uint32_t tx, const char *path);
int xsc_rm(struct xsc *h, uint32_t tx, const char *path);
/* Child names: a NULL-terminated array in one allocation. */
char **xsc_directory(struct xsc *h, uint32_t tx, const char *path, unsigned *num);
/* Perms as strings ("b0", "r5"...): NULL-terminated array, one allocation. */
char **xsc_get_perms(struct xsc *h, uint32_t tx, const char *path, unsigned *num);
int xsc_set_perms(struct xsc *h, uint32_t tx, const char *path, const char *const *perms,
                  unsigned num);

int xsc_watch(struct xsc *h, const char *path, const char *token);
int xsc_unwatch(struct xsc *h, const char *path, const char *token);
/* Next event; waits up to timeout_ms (-1: forever). ETIMEDOUT if none. */
int xsc_read_watch(struct xsc *h, int timeout_ms, char **path, char **token);

int xsc_transaction_start(struct xsc *h, uint32_t *tx);
/* commit false aborts; EAGAIN: conflict, start again. */
int xsc_transaction_end(struct xsc *h, uint32_t tx, bool commit);

int xsc_introduce(struct xsc *h, unsigned domid, unsigned long gfn, unsigned port);
int xsc_release(struct xsc *h, unsigned domid);
char *xsc_get_domain_path(struct xsc *h, unsigned domid);

#endif
