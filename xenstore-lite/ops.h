/*
 * ops.h: node operations shared by the request handlers (ops.c). Each
 * returns 0 or a positive errno for the wire, and queues the watch events
 * of its changes in ev.
 */
#ifndef XS_OPS_H
#define XS_OPS_H

#include "private.h"

/* One request being handled (handlers.c, control.c). */
struct xs_req {
    struct xs_conn *c;
    const char *buf; /* payload, NUL at buf[len] as well */
    size_t len;
    struct xs_view view;
    struct xs_events ev; /* changes made by this request */
    bool ack;            /* send "OK" once the events are out */
};

int xs_control(struct xs_req *r);

int xs_op_get(struct xs_view *v, const struct xs_conn *c, const char *path, unsigned perm,
              const struct xs_node **out);
int xs_op_write(struct xs_view *v, const struct xs_conn *c, const char *path, const void *data,
                uint32_t len, struct xs_events *ev);
int xs_op_mkdir(struct xs_view *v, const struct xs_conn *c, const char *path, struct xs_events *ev);
int xs_op_rm(struct xs_view *v, const struct xs_conn *c, const char *path, struct xs_events *ev);
int xs_op_set_perms(struct xs_view *v, const struct xs_conn *c, const char *path,
                    const struct xs_perm *perms, unsigned nperms, struct xs_events *ev);

#endif
