/*
 * harness.h: drive an in-process xenstore-lite daemon from Check tests.
 *
 * A test client is either dom0's tools (one end of a socketpair the daemon
 * adopted) or a guest domain (a xenstore_domain_interface ring in host
 * memory that dom0 INTRODUCEs). The daemon runs in the test's own thread:
 * every call below drives it until the answer is there, so tests are
 * deterministic and need no sleeps.
 *
 * Requests and replies are written as text with '|' standing for NUL:
 * th_do(c, XS_WRITE, 0, "/a|hello") sends "/a\0hello", and a reply
 * "a\0b\0" reads back "a|b|". An error reply reads back as "ERR:ENOENT".
 */
#ifndef XS_TEST_HARNESS_H
#define XS_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

#include "xenstored.h"

#define TH_MAX_DOMS 8

struct th_client;

struct th {
    struct xs_daemon *d;
    struct xs_ring_env env;
    struct {
        unsigned domid;
        struct xenstore_domain_interface *page;
        enum xs_domain_state state; /* what the "hypervisor" says of it */
    } doms[TH_MAX_DOMS];
    unsigned ndoms;
    unsigned notifies;
    char tmpdir[64];
};

struct th *th_new(void);
struct th *th_new_quota(const struct xs_quota *q);
void th_free(struct th *t);

/* dom0 tools over a socketpair (privileged). */
struct th_client *th_dom0(struct th *t);
/* A guest: ring allocated, INTRODUCEd by dom0 (asserts it worked). */
struct th_client *th_guest(struct th *t, unsigned domid);
struct xenstore_domain_interface *th_ring(struct th_client *c);
void th_client_free(struct th_client *c);

/* Raw message I/O. */
void th_send(struct th_client *c, uint32_t type, uint32_t req_id, uint32_t tx, const void *p,
             size_t len);
void th_send_raw(struct th_client *c, const void *p, size_t len);
/* Next non-event message for this client; false if none arrives. */
bool th_recv(struct th_client *c, struct xsd_sockmsg *hdr, char *buf, size_t bufsz);

/* Text-form request; returns a static buffer valid until the next call. */
const char *th_do(struct th_client *c, uint32_t type, uint32_t tx, const char *args);
/* Next watch event as "path|token|", or NULL. */
const char *th_event(struct th_client *c);
/* Number of events waiting. */
unsigned th_pending_events(struct th_client *c);
/* Drive the daemon until nothing changes. */
void th_settle(struct th *t);
/* True once the daemon closed this client's socket. */
bool th_closed(struct th_client *c);
/* Arrival number of the last reply (or event) taken by th_recv/th_event. */
unsigned th_last_seq(struct th_client *c, bool event);
/* TRANSACTION_START, returning the id (asserts success). */
uint32_t th_txn(struct th_client *c);

#endif
