/*
 * unix.c: the unix socket transport. Every client of the socket is dom0's
 * tools and is privileged, as with xenstored's socket; Xen's own clients
 * (libxenstore honours XENSTORED_PATH) connect to it unchanged.
 *
 * Lifetime: the listening socket belongs to the daemon; each accepted fd
 * to its connection, closed in the close hook.
 * Locking: daemon thread only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "private.h"

static ssize_t unix_io(struct xs_conn *c, void *buf, size_t len, bool out)
{
    ssize_t n;

    do {
        n = out ? send(c->fd, buf, len, MSG_NOSIGNAL) : recv(c->fd, buf, len, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    if (n == 0 && !out && len)
        return -1; /* peer closed */
    return n;
}

static ssize_t unix_read(struct xs_conn *c, void *buf, size_t len)
{
    return unix_io(c, buf, len, false);
}

static ssize_t unix_write(struct xs_conn *c, const void *buf, size_t len)
{
    return unix_io(c, (void *)buf, len, true);
}

static void unix_close(struct xs_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

static const struct xs_transport_ops unix_ops = {
    .read = unix_read,
    .write = unix_write,
    .close = unix_close,
    .name = "unix",
};

/* Bind and listen on path (replacing a stale socket); -1 with errno set. */
int xs_unix_listen(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    unlink(path);
    /* Only root's tools talk to the daemon, as with xenstored's socket. */
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0600) < 0 ||
        listen(fd, 64) < 0) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Take over a connected stream fd (accepted, or one end of a socketpair). */
struct xs_conn *xs_unix_adopt(struct xs_daemon *d, int fd)
{
    struct xs_conn *c;
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return NULL;
    c = xs_conn_new(d, &unix_ops, NULL, fd, 0, false);
    return c;
}

struct xs_conn *xs_unix_accept(struct xs_daemon *d, int lfd)
{
    struct xs_conn *c;
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (fd < 0)
        return NULL;
    c = xs_unix_adopt(d, fd);
    if (!c)
        close(fd);
    return c;
}
