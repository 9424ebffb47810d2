/*
 * The console daemon's socket (vane consoled, consoled.c) and its
 * clients' side (console.c). The socket is a unix stream socket,
 * /run/vane/consoled.sock unless VANE_CONSOLED_SOCK names another; a
 * client sends one request line and reads one reply line, "ok" or
 * "error MESSAGE":
 *
 *   add DOMID MFN PORT   serve this domain's console ring (its frame MFN,
 *                        its event channel PORT left unbound for dom0)
 *   adopt DOMID PORT     serve a boot-time domain's console, which the
 *                        hypervisor served until now: the ring through
 *                        the grant its builder made (GNTTAB_RESERVED_CONSOLE),
 *                        the port PORT (binding it takes the console over)
 *   del DOMID            stop serving it (before it is destroyed)
 *   attach DOMID [noreplay]
 *                        after "ok", the connection carries the console:
 *                        recent output first (unless noreplay), then the
 *                        guest's output as it comes; what the client
 *                        sends goes into the guest's input ring
 *   list                 a table of the domains served, then end of file
 *   rate KIB             the per-domain rate limit from now on, KiB/s
 */
#ifndef VANE_CONSOLED_PROTO_H
#define VANE_CONSOLED_PROTO_H

#include <stddef.h>

#define VANE_CONSOLED_SOCK "/run/vane/consoled.sock"

/* The socket's path (the environment's VANE_CONSOLED_SOCK, or the default). */
const char *vane_consoled_socket(void);

/*
 * Connect to the daemon and send `req` (one line, with its newline): the
 * connected socket, or -errno (-ENOENT or -ECONNREFUSED: no daemon).
 */
int vane_consoled_connect(const char *req);

/*
 * One request, one reply line (without its newline) into `reply`, waiting
 * at most `timeout_ms`: 0 if it says "ok", -EPROTO if it says otherwise,
 * or -errno.
 */
int vane_consoled_request(const char *req, char *reply, size_t len, int timeout_ms);

#endif
