/*
 * control.c: the CONTROL (alias DEBUG) request, dom0 only. The command
 * set is implementation specific (xenstore.txt); we offer:
 *
 *   check            verify the tree's invariants, "OK" or what is wrong
 *   quota            print the quotas as "name value" lines
 *   quota|set <name> <value>
 *                    change one quota (a bounded decimal)
 *   log|on, log|off  per-connection diagnostics to stderr
 *   print|<string>   write <string> to stderr
 *   help             list these commands
 *
 * Lifetime/locking: daemon thread, inside the request's rcu_read_lock().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ops.h"

static const struct {
    const char *name;
    size_t off;
} quota_names[] = {
    {"nodes", offsetof(struct xs_quota, nodes)},
    {"node-size", offsetof(struct xs_quota, node_size)},
    {"watches", offsetof(struct xs_quota, watches)},
    {"transactions", offsetof(struct xs_quota, transactions)},
    {"outstanding", offsetof(struct xs_quota, outstanding)},
    {"transaction-nodes", offsetof(struct xs_quota, txn_nodes)},
    {"permissions", offsetof(struct xs_quota, perms)},
};

#define NQUOTA (sizeof(quota_names) / sizeof(quota_names[0]))

/* The quota called name (as CONTROL and --quota spell it), or NULL. */
unsigned *xs_quota_field(struct xs_quota *q, const char *name)
{
    size_t i;

    for (i = 0; i < NQUOTA; i++)
        if (strcmp(quota_names[i].name, name) == 0)
            return (unsigned *)((char *)q + quota_names[i].off);
    return NULL;
}

struct check_state {
    struct xs_tree *tree;
    char *msg;
    size_t msgsz;
};

/* Every child a node lists exists, and its parent lists it. */
static int check_node(const struct xs_node *n, void *arg)
{
    char parent[XENSTORE_ABS_PATH_MAX + 1], child[XENSTORE_ABS_PATH_MAX + 1];
    const struct check_state *st = arg;
    const struct xs_node *p;
    uint32_t off;

    if (n->path[0] == '@')
        return 0;
    if (strcmp(n->path, "/") != 0) {
        xs_path_parent(n->path, parent, sizeof(parent));
        p = xs_tree_lookup(st->tree, parent);
        if (!p || !xs_node_has_child(p, xs_path_base(n->path))) {
            snprintf(st->msg, st->msgsz, "%s: not listed by its parent", n->path);
            return 1;
        }
    }
    for (off = 0; off < n->childlen; off += (uint32_t)strlen(n->children + off) + 1) {
        snprintf(child, sizeof(child), "%s/%s", strcmp(n->path, "/") ? n->path : "",
                 n->children + off);
        if (!xs_tree_lookup(st->tree, child)) {
            snprintf(st->msg, st->msgsz, "%s: lists missing child %s", n->path, child);
            return 1;
        }
    }
    return 0;
}

/* 0 if the tree is consistent; else 1 with what is wrong in msg. */
int xs_tree_check(struct xs_daemon *d, char *msg, size_t msgsz)
{
    struct check_state st = {&d->tree, msg, msgsz};

    return xs_tree_foreach(&d->tree, check_node, &st);
}

int xs_control(struct xs_req *r)
{
    const char *v[3] = {NULL, NULL, NULL};
    unsigned n = xs_wire_count_strings(r->buf, r->len), i;
    char out[XENSTORE_PAYLOAD_MAX];
    size_t used = 0;

    if (n == 0 || r->buf[r->len - 1] != '\0')
        return EINVAL;
    v[0] = r->buf;
    for (i = 1; i < n && i < 3; i++)
        v[i] = v[i - 1] + strlen(v[i - 1]) + 1;

    if (strcmp(v[0], "check") == 0) {
        if (xs_tree_check(r->c->d, out, sizeof(out)) == 0)
            snprintf(out, sizeof(out), "OK");
        return xs_conn_reply(r->c, XS_CONTROL, out, strlen(out) + 1, NULL, 0);
    }
    if (strcmp(v[0], "quota") == 0 && n == 1) {
        for (i = 0; i < NQUOTA; i++)
            used +=
                (size_t)snprintf(out + used, sizeof(out) - used, "%-18s %u\n", quota_names[i].name,
                                 *xs_quota_field(&r->c->d->quota, quota_names[i].name));
        return xs_conn_reply(r->c, XS_CONTROL, out, used + 1, NULL, 0);
    }
    if (strcmp(v[0], "quota") == 0 && n == 2) {
        char name[32];
        unsigned long val;
        unsigned *f;

        if (sscanf(v[1], "set %31s", name) != 1)
            return EINVAL;
        f = xs_quota_field(&r->c->d->quota, name);
        if (!f || xs_wire_parse_uint(v[1] + strlen("set ") + strlen(name) + 1, 1u << 30, &val))
            return EINVAL;
        *f = (unsigned)val;
        return xs_conn_reply(r->c, XS_CONTROL, "OK", 3, NULL, 0);
    }
    if (strcmp(v[0], "log") == 0 && n == 2) {
        if (strcmp(v[1], "on") != 0 && strcmp(v[1], "off") != 0)
            return EINVAL;
        r->c->d->debug_log = strcmp(v[1], "on") == 0;
        return xs_conn_reply(r->c, XS_CONTROL, "OK", 3, NULL, 0);
    }
    if (strcmp(v[0], "print") == 0 && n == 2) {
        fprintf(stderr, "xenstored: %s\n", v[1]);
        return xs_conn_reply(r->c, XS_CONTROL, "OK", 3, NULL, 0);
    }
    if (strcmp(v[0], "help") == 0) {
        static const char help[] = "check\nquota [set <name> <val>]\nlog on|off\nprint\nhelp\n";

        return xs_conn_reply(r->c, XS_CONTROL, help, sizeof(help), NULL, 0);
    }
    return EINVAL;
}
