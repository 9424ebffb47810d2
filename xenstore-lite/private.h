/*
 * xenstore-lite daemon internals: the types every daemon file shares.
 *
 * What: the node store (tree.c), per-domain accounting (domain.c),
 * connections (conn.c) with their watches (watch.c) and transactions
 * (transaction.c), and the request handlers (ops.c, handlers.c) that tie
 * them together. Clients outside the daemon use xs_client.h instead.
 *
 * Lifetime: one struct xs_daemon owns everything; a connection owns its
 * watches, transactions and queued output; the tree owns published nodes.
 *
 * Locking: the daemon is a single event loop thread, the only writer of
 * every structure here. The node index is an RCU hash table: that thread
 * holds rcu_read_lock() while it handles a request, and other threads may
 * look nodes up under their own rcu_read_lock() without blocking it.
 *
 * Errors: internal functions return 0 or a positive host errno (the
 * values xs_wire.h's xsd_errors table is keyed by), as xenstored does,
 * because that value is what goes on the wire.
 */
#ifndef XS_PRIVATE_H
#define XS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <urcu.h>
#include <urcu/rculfhash.h>
#include <xen/xen.h>
#include <xen/io/xs_wire.h>

#include "xenstored.h"

#define XS_DOMID_MAX  DOMID_FIRST_RESERVED /* domids are 0 .. XS_DOMID_MAX-1 */
#define XS_GEN_ABSENT UINT64_MAX           /* "node did not exist" in a read set */

/* Permission bits; the wire letters are n, r, w, b (see perms.c). */
#define XS_PERM_NONE  0u
#define XS_PERM_READ  1u
#define XS_PERM_WRITE 2u
#define XS_PERM_OWNER 4u
#define XS_PERM_BOTH  (XS_PERM_READ | XS_PERM_WRITE)

struct xs_perm {
    uint16_t domid;
    uint8_t bits; /* XS_PERM_READ | XS_PERM_WRITE */
};

/*
 * A node version. Immutable once published in the tree: a change builds a
 * new version and swaps it in, the old one is freed after a grace period,
 * so a reader holding rcu_read_lock() never sees it change under it.
 * One allocation holds the struct, the perms, the path, the value and the
 * child names (each NUL-terminated, concatenated).
 */
struct xs_node {
    struct cds_lfht_node hnode;
    struct rcu_head rcu;
    uint64_t generation; /* set when published; 0 while private */
    unsigned long hash;
    uint32_t datalen;
    uint32_t childlen;
    uint16_t nperms; /* >= 1; perms[0].domid is the owner */
    struct xs_perm *perms;
    char *path;
    char *data;
    char *children;
};

struct xs_tree {
    struct cds_lfht *ht;
    uint64_t generation; /* bumped on every published change */
    uint32_t count;
};

/* tree.c */
int xs_tree_init(struct xs_tree *t);
void xs_tree_fini(struct xs_tree *t);
const struct xs_node *xs_tree_lookup(struct xs_tree *t, const char *path);
int xs_tree_foreach(struct xs_tree *t, int (*fn)(const struct xs_node *n, void *arg), void *arg);
void xs_tree_publish(struct xs_tree *t, struct xs_node *n);
void xs_tree_unpublish(struct xs_tree *t, const char *path);
struct xs_node *xs_node_new(const char *path, const struct xs_perm *perms, unsigned nperms,
                            const void *data, uint32_t datalen, const char *children,
                            uint32_t childlen);
struct xs_node *xs_node_with_data(const struct xs_node *o, const void *data, uint32_t len);
struct xs_node *xs_node_with_perms(const struct xs_node *o, const struct xs_perm *p, unsigned n);
struct xs_node *xs_node_with_child(const struct xs_node *o, const char *name, bool add);
void xs_node_free(struct xs_node *n);
bool xs_node_has_child(const struct xs_node *n, const char *name);

/* perms.c */
int xs_perms_parse(const char *strings, size_t len, unsigned count, struct xs_perm *out);
size_t xs_perms_format(const struct xs_perm *p, unsigned n, char *buf, size_t bufsz);
unsigned xs_perm_for(const struct xs_conn *c, const struct xs_perm *p, unsigned n);
bool xs_conn_privileged(const struct xs_conn *c);

/* An event queued by a change, fired when the change is visible. */
enum xs_match { XS_MATCH_SUBTREE, XS_MATCH_EXACT };
struct xs_event {
    struct xs_event *next;
    enum xs_match match;
    unsigned nnew, nold;   /* perms after, before the change */
    struct xs_perm *perms; /* new perms, then old ones (same allocation) */
    char path[];
};
struct xs_events {
    struct xs_event *head, **tail;
};
void xs_events_init(struct xs_events *e);
struct xs_event *xs_event_new(const char *path, enum xs_match m, const struct xs_perm *now,
                              unsigned nnew, const struct xs_perm *before, unsigned nold);
int xs_events_add(struct xs_events *e, const char *path, enum xs_match m, const struct xs_node *now,
                  const struct xs_node *before);
void xs_events_clear(struct xs_events *e);

/* One entry of a transaction's private view of a path. */
struct xs_txn_ent {
    struct xs_txn_ent *hnext;
    struct xs_txn_ent *onext; /* in the order the transaction first touched paths */
    struct xs_event *ev;      /* the one event its changes fire at commit, or NULL */
    uint64_t read_gen;        /* generation seen in the tree, XS_GEN_ABSENT if none */
    bool written;             /* node below is the transaction's version */
    struct xs_node *node;     /* private version; NULL with written = deleted */
    struct xs_node *seen;     /* copy of the version first seen, NULL if absent */
    char path[];
};

struct xs_txn {
    struct xs_txn *next;
    uint32_t id;
    bool failed; /* a step could not be undone; commit must fail */
    unsigned nents;
    unsigned nbuckets;
    struct xs_txn_ent **buckets;
    struct xs_txn_ent *ohead, **otail; /* first-touch order */
    struct xs_delta {
        uint16_t domid;
        int32_t nodes;
    } * deltas; /* node count changes per owner, applied at commit */
    unsigned ndeltas, cap_deltas;
    uint32_t created; /* nodes it created (its owner's quota counts them) */
};

/* transaction.c */
int xs_txn_start(struct xs_conn *c, uint32_t *id);
struct xs_txn *xs_txn_find(struct xs_conn *c, uint32_t id);
int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit);
void xs_txn_free_all(struct xs_conn *c);
struct xs_txn_ent *xs_txn_ent_get(struct xs_txn *t, const char *path, bool create);
void xs_txn_queue_events(struct xs_txn *t, struct xs_events *e);

/*
 * The store seen by one request: the live tree, or a transaction's view of
 * it. Handlers are written once against this (view.c).
 */
struct xs_view {
    struct xs_daemon *d;
    struct xs_txn *txn; /* NULL: the live tree */
};
int xs_view_get(struct xs_view *v, const char *path, const struct xs_node **out);
int xs_view_set(struct xs_view *v, struct xs_node *n, const struct xs_node *old);
int xs_view_remove(struct xs_view *v, const struct xs_node *old);
int32_t xs_view_owned(struct xs_view *v, unsigned domid);

/* domain.c */
struct xs_domain {
    uint16_t domid;
    bool introduced;
    bool shutdown_reported;
    uint16_t target; /* XS_DOMID_MAX: none */
    uint32_t nodes;  /* nodes owned, committed */
    struct xs_conn *conn;
};
struct xs_domain *xs_domain_get(struct xs_daemon *d, unsigned domid, bool create);
void xs_domain_nodes_adjust(struct xs_daemon *d, unsigned domid, int32_t delta);
int xs_domain_introduce(struct xs_daemon *d, unsigned domid, unsigned long gfn, unsigned port);
int xs_domain_release(struct xs_daemon *d, unsigned domid);
void xs_domain_fini(struct xs_daemon *d);

/* watch.c */
struct xs_watch {
    struct xs_watch *next;
    size_t prefix_len; /* chars stripped from event paths (relative watch) */
    char *token;
    char path[]; /* canonical absolute path or @special */
};
int xs_watch_add(struct xs_conn *c, const char *path, const char *token, bool relative);
int xs_watch_remove(struct xs_conn *c, const char *path, const char *token);
void xs_watch_free_all(struct xs_conn *c);
void xs_watch_fire(struct xs_daemon *d, struct xs_events *e);
void xs_watch_fire_special(struct xs_daemon *d, const char *special, unsigned domid);

/* conn.c: input state, output queue, message dispatch. */
struct xs_outmsg {
    struct xs_outmsg *next;
    size_t off; /* bytes already written */
    size_t len; /* header + payload */
    bool event;
    unsigned char buf[];
};

struct xs_transport_ops {
    /* >0: bytes moved; 0: would block; -1: connection is dead. */
    ssize_t (*read)(struct xs_conn *c, void *buf, size_t len);
    ssize_t (*write)(struct xs_conn *c, const void *buf, size_t len);
    void (*close)(struct xs_conn *c);     /* release transport resources */
    void (*violation)(struct xs_conn *c); /* optional: tell the peer (ring error field) */
    const char *name;
};

struct xs_conn {
    struct xs_conn *next;
    struct xs_daemon *d;
    const struct xs_transport_ops *ops;
    void *tp; /* transport private */
    int fd;   /* pollable fd, or -1 */
    uint16_t domid;
    bool is_domain; /* ring connection: relative paths, quotas */
    bool dead;      /* to be destroyed by the loop */
    bool ignored;   /* protocol violation: no more I/O */
    /* Input: header then payload. */
    size_t in_used;
    struct xsd_sockmsg in_hdr;
    char in_buf[XENSTORE_PAYLOAD_MAX + 1];
    /* Sockets only: bytes read ahead, so one recv() serves many messages. */
    unsigned char ahead[8192];
    size_t ahead_off, ahead_len;
    /* Output queue. */
    struct xs_outmsg *out_head, **out_tail;
    unsigned out_count;
    size_t out_bytes;
    /* Watches and transactions owned by this connection. */
    struct xs_watch *watches;
    unsigned nwatches;
    struct xs_txn *txns;
    unsigned ntxns;
    uint32_t next_txid;
};

struct xs_conn *xs_conn_new(struct xs_daemon *d, const struct xs_transport_ops *ops, void *tp,
                            int fd, unsigned domid, bool is_domain);
void xs_conn_destroy(struct xs_conn *c);
void xs_conn_input(struct xs_conn *c);
void xs_conn_output(struct xs_conn *c);
bool xs_conn_wants_input(const struct xs_conn *c);
int xs_conn_reply(struct xs_conn *c, uint32_t type, const void *a, size_t alen, const void *b,
                  size_t blen);
int xs_conn_error(struct xs_conn *c, int err);
int xs_conn_event(struct xs_conn *c, const char *path, const char *token);
void xs_conn_reset(struct xs_conn *c);

/* ops.c (the rest is in ops.h, for the handlers) */
void xs_op_forget_domain(struct xs_daemon *d, unsigned domid);

/* control.c */
int xs_tree_check(struct xs_daemon *d, char *msg, size_t msgsz);

/* handlers.c */
void xs_handle_message(struct xs_conn *c);

/* wire.c */
unsigned xs_wire_count_strings(const char *buf, size_t len);
const char *xs_wire_onearg(const char *buf, size_t len);
const char *xs_wire_error_name(int err);
int xs_wire_parse_uint(const char *s, unsigned long max, unsigned long *out);
int xs_path_canonical(const struct xs_conn *c, const char *in, bool allow_special, char *out,
                      size_t outsz);
size_t xs_path_parent(const char *path, char *out, size_t outsz);
const char *xs_path_base(const char *path);
bool xs_path_is_child(const char *child, const char *parent);

/* ring.c */
struct xs_conn *xs_ring_connect(struct xs_daemon *d, unsigned domid, void *page, int port);
void xs_ring_poll_all(struct xs_daemon *d);

/* unix.c */
int xs_unix_listen(const char *path);
struct xs_conn *xs_unix_accept(struct xs_daemon *d, int lfd);
struct xs_conn *xs_unix_adopt(struct xs_daemon *d, int fd);

struct xs_daemon {
    struct xs_tree tree;
    struct xs_quota quota;
    struct xs_ring_env ring_env;
    struct xs_domain **domains; /* XS_DOMID_MAX slots, lazily filled */
    struct xs_conn *conns;
    int listen_fd;
    char *socket_path;
    bool debug_log;
};

#endif
