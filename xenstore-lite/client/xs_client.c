/*
 * xs_client.c: the client library (see xs_client.h).
 *
 * Each request gets a fresh req_id; replies are matched by it. Replies
 * are read whole: a header, then exactly len payload bytes. A reply that
 * announces more than XENSTORE_PAYLOAD_MAX bytes means the stream cannot
 * be trusted any more, and the handle fails every later call with EIO.
 *
 * The path is the daemon's unix socket, or a character device speaking
 * the same messages over read()/write(): /dev/xen/xenbus in Linux, where
 * the kernel forwards each request over its own xenstore ring and hands
 * back the reply (and watch events) with the caller's req_id, as
 * libxenstore uses it.
 *
 * Lifetime: the handle owns its socket or device and its queue of
 * pending events.
 * Locking: none; one thread per handle.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "xs_client.h"

struct xsc_event {
    struct xsc_event *next;
    char *path;
    char *token;
};

struct xsc {
    int fd;
    bool is_dev; /* a character device: read()/write(), not recv()/send() */
    uint32_t req_id;
    bool broken;
    struct xsc_event *events, **events_tail;
};

struct xsc *xsc_open(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct stat st;
    struct xsc *h;

    if (!path)
        path = getenv("XENSTORED_PATH");
    if (!path)
        path = "/run/xenstored/socket";
    h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->events_tail = &h->events;
    if (stat(path, &st) == 0 && S_ISCHR(st.st_mode)) {
        h->is_dev = true;
        h->fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
    } else if (strlen(path) >= sizeof(sa.sun_path)) {
        free(h);
        errno = ENAMETOOLONG;
        return NULL;
    } else {
        memcpy(sa.sun_path, path, strlen(path) + 1);
        h->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (h->fd >= 0 && connect(h->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            int e = errno;

            close(h->fd);
            h->fd = -1;
            errno = e;
        }
    }
    if (h->fd < 0) {
        int e = errno;

        free(h);
        errno = e;
        return NULL;
    }
    return h;
}

void xsc_close(struct xsc *h)
{
    if (!h)
        return;
    while (h->events) {
        struct xsc_event *ev = h->events;

        h->events = ev->next;
        free(ev->path);
        free(ev);
    }
    close(h->fd);
    free(h);
}

int xsc_fd(const struct xsc *h)
{
    return h->fd;
}

static int io_all(const struct xsc *h, void *buf, size_t len, bool out)
{
    size_t done = 0;

    while (done < len) {
        char *p = (char *)buf + done;
        ssize_t n;

        if (h->is_dev)
            n = out ? write(h->fd, p, len - done) : read(h->fd, p, len - done);
        else
            n = out ? send(h->fd, p, len - done, MSG_NOSIGNAL) : recv(h->fd, p, len - done, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ECONNRESET;
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

/* Read one message; payload returned NUL-terminated (malloc'd). */
static int read_msg(struct xsc *h, struct xsd_sockmsg *hdr, char **payload)
{
    if (io_all(h, hdr, sizeof(*hdr), false) < 0)
        goto broken;
    if (hdr->len > XENSTORE_PAYLOAD_MAX) {
        errno = EIO;
        goto broken;
    }
    *payload = malloc(hdr->len + 1);
    if (!*payload)
        return -1;
    if (io_all(h, *payload, hdr->len, false) < 0) {
        free(*payload);
        goto broken;
    }
    (*payload)[hdr->len] = '\0';
    return 0;
broken:
    h->broken = true;
    return -1;
}

/* Keep a WATCH_EVENT (<path>|<token>|) for xsc_read_watch(). */
static void queue_event(struct xsc *h, char *payload, size_t len)
{
    struct xsc_event *ev;
    size_t plen = strnlen(payload, len);

    if (plen + 1 >= len) {
        free(payload); /* malformed: no token */
        return;
    }
    ev = malloc(sizeof(*ev));
    if (!ev) {
        free(payload);
        return;
    }
    ev->next = NULL;
    ev->path = payload; /* one allocation holds both strings */
    ev->token = payload + plen + 1;
    *h->events_tail = ev;
    h->events_tail = &ev->next;
}

static int error_from_name(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (strcmp(xsd_errors[i].errstring, name) == 0)
            return xsd_errors[i].errnum;
    return EIO;
}

int xsc_request(struct xsc *h, uint32_t type, uint32_t tx, const void *payload, size_t len,
                char **reply, size_t *rlen)
{
    struct xsd_sockmsg hdr = {type, ++h->req_id, tx, (uint32_t)len};
    char *body;

    if (h->broken) {
        errno = EIO;
        return -1;
    }
    if (len > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG; /* the daemon would drop us: refuse here */
        return -1;
    }
    if (io_all(h, &hdr, sizeof(hdr), true) < 0 || io_all(h, (void *)payload, len, true))
        return -1;
    for (;;) {
        struct xsd_sockmsg r;

        if (read_msg(h, &r, &body) < 0)
            return -1;
        if (r.type == XS_WATCH_EVENT) {
            queue_event(h, body, r.len);
            continue;
        }
        if (r.req_id != hdr.req_id) {
            free(body); /* a stale reply: not ours */
            continue;
        }
        if (r.type == XS_ERROR) {
            errno = error_from_name(body);
            free(body);
            return -1;
        }
        if (r.type != type) {
            free(body);
            errno = EIO;
            return -1;
        }
        if (reply) {
            *reply = body;
            if (rlen)
                *rlen = r.len;
        } else {
            free(body);
        }
        return 0;
    }
}

/* Payload of one or two strings; the second may hold binary data. */
static int simple(struct xsc *h, uint32_t type, uint32_t tx, const char *a, const void *b,
                  size_t blen, bool b_is_string, char **reply, size_t *rlen)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    size_t alen = strlen(a) + 1, len = alen + blen + (b_is_string ? 1 : 0);

    if (len > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG;
        return -1;
    }
    memcpy(buf, a, alen);
    if (blen)
        memcpy(buf + alen, b, blen);
    if (b_is_string)
        buf[alen + blen] = '\0';
    return xsc_request(h, type, tx, buf, len, reply, rlen);
}

char *xsc_read(struct xsc *h, uint32_t tx, const char *path, size_t *len)
{
    char *r;

    return simple(h, XS_READ, tx, path, NULL, 0, false, &r, len) ? NULL : r;
}

int xsc_write(struct xsc *h, uint32_t tx, const char *path, const void *data, size_t len)
{
    return simple(h, XS_WRITE, tx, path, data, len, false, NULL, NULL);
}

int xsc_mkdir(struct xsc *h, uint32_t tx, const char *path)
{
    return simple(h, XS_MKDIR, tx, path, NULL, 0, false, NULL, NULL);
}

int xsc_rm(struct xsc *h, uint32_t tx, const char *path)
{
    return simple(h, XS_RM, tx, path, NULL, 0, false, NULL, NULL);
}

/* Split a NUL-separated list into a NULL-terminated array in one block. */
static char **split(char *list, size_t len, unsigned *num)
{
    unsigned n = 0, i = 0;
    size_t off;
    char **v;

    for (off = 0; off < len; off++)
        if (list[off] == '\0')
            n++;
    v = malloc((n + 1) * sizeof(*v) + len + 1);
    if (!v) {
        free(list);
        return NULL;
    }
    memcpy(v + n + 1, list, len + 1);
    for (off = 0; i < n; off += strlen((char *)(v + n + 1) + off) + 1)
        v[i++] = (char *)(v + n + 1) + off;
    v[n] = NULL;
    if (num)
        *num = n;
    free(list);
    return v;
}

char **xsc_directory(struct xsc *h, uint32_t tx, const char *path, unsigned *num)
{
    char *r;
    size_t len;

    if (simple(h, XS_DIRECTORY, tx, path, NULL, 0, false, &r, &len))
        return NULL;
    return split(r, len, num);
}

char **xsc_get_perms(struct xsc *h, uint32_t tx, const char *path, unsigned *num)
{
    char *r;
    size_t len;

    if (simple(h, XS_GET_PERMS, tx, path, NULL, 0, false, &r, &len))
        return NULL;
    return split(r, len, num);
}

int xsc_set_perms(struct xsc *h, uint32_t tx, const char *path, const char *const *perms,
                  unsigned num)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t len = 0, l;
    unsigned i;

    for (i = 0; i < num; i++) {
        l = strlen(perms[i]) + 1;
        if (len + l > sizeof(buf)) {
            errno = E2BIG;
            return -1;
        }
        memcpy(buf + len, perms[i], l);
        len += l;
    }
    return simple(h, XS_SET_PERMS, tx, path, buf, len, false, NULL, NULL);
}

int xsc_watch(struct xsc *h, const char *path, const char *token)
{
    return simple(h, XS_WATCH, 0, path, token, strlen(token), true, NULL, NULL);
}

int xsc_unwatch(struct xsc *h, const char *path, const char *token)
{
    return simple(h, XS_UNWATCH, 0, path, token, strlen(token), true, NULL, NULL);
}

int xsc_read_watch(struct xsc *h, int timeout_ms, char **path, char **token)
{
    while (!h->events) {
        struct pollfd p = {.fd = h->fd, .events = POLLIN};
        struct xsd_sockmsg r;
        char *body;
        int n;

        if (h->broken) {
            errno = EIO;
            return -1;
        }
        n = poll(&p, 1, timeout_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        if (read_msg(h, &r, &body) < 0)
            return -1;
        if (r.type == XS_WATCH_EVENT)
            queue_event(h, body, r.len);
        else
            free(body); /* no request is waiting for it */
    }
    {
        struct xsc_event *ev = h->events;

        h->events = ev->next;
        if (!h->events)
            h->events_tail = &h->events;
        *path = ev->path; /* caller frees *path; *token lives in it */
        *token = ev->token;
        free(ev);
    }
    return 0;
}

int xsc_transaction_start(struct xsc *h, uint32_t *tx)
{
    char *r, *end;
    unsigned long v;

    if (xsc_request(h, XS_TRANSACTION_START, 0, "", 1, &r, NULL))
        return -1;
    errno = 0;
    v = strtoul(r, &end, 10);
    if (errno || *end || end == r || v == 0 || v > UINT32_MAX) {
        free(r);
        errno = EIO;
        return -1;
    }
    free(r);
    *tx = (uint32_t)v;
    return 0;
}

int xsc_transaction_end(struct xsc *h, uint32_t tx, bool commit)
{
    return xsc_request(h, XS_TRANSACTION_END, tx, commit ? "T" : "F", 2, NULL, NULL);
}

int xsc_introduce(struct xsc *h, unsigned domid, unsigned long gfn, unsigned port)
{
    char buf[96];
    int n = snprintf(buf, sizeof(buf), "%u%c%lu%c%u", domid, 0, gfn, 0, port);

    return xsc_request(h, XS_INTRODUCE, 0, buf, (size_t)n + 1, NULL, NULL);
}

int xsc_release(struct xsc *h, unsigned domid)
{
    char buf[16];
    int n = snprintf(buf, sizeof(buf), "%u", domid);

    return xsc_request(h, XS_RELEASE, 0, buf, (size_t)n + 1, NULL, NULL);
}

char *xsc_get_domain_path(struct xsc *h, unsigned domid)
{
    char buf[16], *r;
    int n = snprintf(buf, sizeof(buf), "%u", domid);

    return xsc_request(h, XS_GET_DOMAIN_PATH, 0, buf, (size_t)n + 1, &r, NULL) ? NULL : r;
}
