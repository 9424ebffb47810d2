/*
 * vane console [-n] [-w SECONDS] [-u TEXT] DOMID, vane console -l (the
 * domains served), vane console -r KIB (the daemon's rate limit), and the
 * other commands' side of the console daemon (consoled.c): create
 * announces a domain's ring to it, destroy takes it away first.
 *
 * The console relays both ways through the daemon: the guest's output
 * (after a replay of its recent output, unless -n) to stdout, stdin to
 * the guest's input ring. On a terminal, stdin is put in raw mode and
 * Ctrl-] (0x1d) detaches, as with xl console. Read from a pipe or file,
 * stdin's end is not the console's: the output is still relayed for
 * SECONDS more (-w, 2 by default), so `echo CMD | vane console DOMID`
 * prints what the guest answers. -u TEXT ends the relay as soon as TEXT
 * has appeared in the output (status 0), or with status 1 if the
 * console ends first; a script waits on a guest's answer with it.
 */
#define _GNU_SOURCE /* memmem */
#include "consoled_proto.h"
#include "vane.h"
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define DETACH_CHAR 0x1d /* Ctrl-] */

const char *vane_consoled_socket(void)
{
    const char *s = getenv("VANE_CONSOLED_SOCK");

    return s && *s ? s : VANE_CONSOLED_SOCK;
}

static int write_all(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

int vane_consoled_connect(const char *req)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    const char *path = vane_consoled_socket();
    int fd, rc;

    if (strlen(path) >= sizeof(a.sun_path))
        return -ENAMETOOLONG;
    strcpy(a.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
        rc = -errno;
        close(fd);
        return rc;
    }
    rc = write_all(fd, req, strlen(req));
    if (rc) {
        close(fd);
        return rc;
    }
    return fd;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The reply line, byte by byte so that nothing after it is consumed. */
static int read_reply(int fd, char *reply, size_t len, int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;
    size_t n = 0;

    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int64_t left = end - now_ms();
        char ch;
        ssize_t r;

        if (left <= 0)
            return -ETIMEDOUT;
        if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
            return -errno;
        if (!p.revents)
            continue;
        r = read(fd, &ch, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? -errno : -ECONNRESET;
        if (ch == '\n')
            break;
        if (n + 1 < len)
            reply[n++] = ch;
    }
    reply[n] = '\0';
    return strncmp(reply, "ok", 2) ? -EPROTO : 0;
}

int vane_consoled_request(const char *req, char *reply, size_t len, int timeout_ms)
{
    int fd = vane_consoled_connect(req);
    int rc;

    if (fd < 0)
        return fd;
    rc = read_reply(fd, reply, len, timeout_ms);
    close(fd);
    return rc;
}

int vane_console_announce(uint16_t dom, uint64_t mfn, uint32_t port)
{
    char req[96], reply[256];
    int rc;

    snprintf(req, sizeof(req), "add %u %#llx %u\n", dom, (unsigned long long)mfn, port);
    rc = vane_consoled_request(req, reply, sizeof(reply), 10000);
    if (rc == -EPROTO)
        fprintf(stderr, "vane: warning: the console daemon refused domain %u: %s\n", dom, reply);
    else if (rc)
        fprintf(stderr,
                "vane: warning: no console daemon (%s: %s): domain %u's console is not served\n",
                vane_consoled_socket(), strerror(-rc), dom);
    return rc;
}

void vane_console_forget(uint16_t dom)
{
    char req[32], reply[256];

    snprintf(req, sizeof(req), "del %u\n", dom);
    vane_consoled_request(req, reply, sizeof(reply), 10000); /* not served: nothing to do */
}

static struct termios saved_tty;
static bool tty_raw;

static void tty_restore(void)
{
    if (tty_raw)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
    tty_raw = false;
}

static void tty_make_raw(void)
{
    struct termios t;

    if (tcgetattr(STDIN_FILENO, &saved_tty))
        return;
    t = saved_tty;
    cfmakeraw(&t);
    if (!tcsetattr(STDIN_FILENO, TCSAFLUSH, &t)) {
        tty_raw = true;
        atexit(tty_restore);
    }
}

/* Does `text` appear in what was output so far? Keeps the tail it needs. */
struct matcher {
    const char *text;
    size_t tlen;
    char *win; /* the last tlen - 1 bytes seen, then the new chunk */
    size_t wlen;
    bool found;
};

static void match_feed(struct matcher *m, const char *buf, size_t n)
{
    if (!m->text || m->found)
        return;
    memcpy(m->win + m->wlen, buf, n);
    m->wlen += n;
    if (memmem(m->win, m->wlen, m->text, m->tlen)) {
        m->found = true;
        return;
    }
    if (m->wlen >= m->tlen) {
        memmove(m->win, m->win + m->wlen - (m->tlen - 1), m->tlen - 1);
        m->wlen = m->tlen - 1;
    }
}

int vane_console_attach(uint16_t dom, const struct console_opts *o)
{
    char req[48], reply[256], buf[4096];
    struct matcher m = {.text = o->until};
    bool interactive = isatty(STDIN_FILENO), stdin_open = true;
    int64_t deadline = -1;
    int fd, rc, status = 0;

    snprintf(req, sizeof(req), "attach %u%s\n", dom, o->no_replay ? " noreplay" : "");
    fd = vane_consoled_connect(req);
    if (fd < 0) {
        fprintf(stderr, "vane: console: no console daemon (%s: %s)\n", vane_consoled_socket(),
                strerror(-fd));
        return 1;
    }
    rc = read_reply(fd, reply, sizeof(reply), 10000);
    if (rc) {
        fprintf(stderr, "vane: console: %s\n", rc == -EPROTO ? reply : strerror(-rc));
        close(fd);
        return 1;
    }
    if (m.text) {
        m.tlen = strlen(m.text);
        m.win = malloc(m.tlen + sizeof(buf));
        if (!m.tlen || !m.win) {
            close(fd);
            free(m.win);
            return 2;
        }
    }
    if (interactive) {
        fprintf(stderr, "vane: console of domain %u; Ctrl-] detaches\r\n", dom);
        tty_make_raw();
    }
    for (;;) {
        struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
                              {.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN}};
        int timeout = -1;
        ssize_t n;

        if (deadline >= 0) {
            int64_t left = deadline - now_ms();
            if (left <= 0)
                break;
            timeout = (int)left;
        }
        if (poll(p, 2, timeout) < 0) {
            if (errno == EINTR)
                continue;
            status = 1;
            break;
        }
        if (p[0].revents) {
            n = read(fd, buf, sizeof(buf));
            if (n <= 0)
                break; /* the domain is gone, or the daemon */
            if (write_all(STDOUT_FILENO, buf, (size_t)n))
                break;
            match_feed(&m, buf, (size_t)n);
            if (m.found)
                break;
        }
        if (p[1].revents) {
            n = read(STDIN_FILENO, buf, sizeof(buf));
            if (n > 0 && interactive) {
                char *esc = memchr(buf, DETACH_CHAR, (size_t)n);
                if (esc) {
                    write_all(fd, buf, (size_t)(esc - buf));
                    break;
                }
            }
            if (n > 0) {
                write_all(fd, buf, (size_t)n);
            } else {
                /* Its input ends, not the console: relay what comes back a while. */
                stdin_open = false;
                shutdown(fd, SHUT_WR);
                if (interactive)
                    break;
                deadline = now_ms() + (int64_t)o->grace_ms;
            }
        }
    }
    tty_restore();
    close(fd);
    if (interactive)
        fprintf(stderr, "\nvane: detached from the console of domain %u\n", dom);
    if (m.text && !m.found) {
        fprintf(stderr, "vane: console: '%s' did not appear\n", m.text);
        status = 1;
    }
    free(m.win);
    return status;
}

static int list_consoles(void)
{
    char buf[4096];
    int fd = vane_consoled_connect("list\n");
    ssize_t n;

    if (fd < 0) {
        fprintf(stderr, "vane: console: no console daemon (%s: %s)\n", vane_consoled_socket(),
                strerror(-fd));
        return 1;
    }
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        write_all(STDOUT_FILENO, buf, (size_t)n);
    close(fd);
    return n < 0;
}

int cmd_console(int argc, char **argv)
{
    struct console_opts o = {.grace_ms = 2000};
    bool list = false;
    const char *rate = NULL;
    char *end;
    unsigned long dom;
    int opt;

    while ((opt = getopt(argc, argv, "lnr:w:u:")) != -1) {
        switch (opt) {
        case 'l':
            list = true;
            break;
        case 'r':
            rate = optarg;
            break;
        case 'n':
            o.no_replay = true;
            break;
        case 'w':
            o.grace_ms = (unsigned int)(strtod(optarg, NULL) * 1000);
            break;
        case 'u':
            o.until = optarg;
            break;
        default:
            goto usage;
        }
    }
    if (list && optind == argc)
        return list_consoles();
    if (rate && optind == argc) {
        char req[48], reply[256];
        int rc;
        snprintf(req, sizeof(req), "rate %.20s\n", rate);
        rc = vane_consoled_request(req, reply, sizeof(reply), 10000);
        if (rc)
            fprintf(stderr, "vane: console: %s\n", rc == -EPROTO ? reply : strerror(-rc));
        return rc ? 1 : 0;
    }
    if (list || rate || optind != argc - 1)
        goto usage;
    dom = strtoul(argv[optind], &end, 10);
    if (*end || end == argv[optind] || dom >= 0x7ff0) {
        fprintf(stderr, "vane: '%s' is not a domain id\n", argv[optind]);
        return 2;
    }
    return vane_console_attach((uint16_t)dom, &o);
usage:
    fprintf(stderr, "usage: vane console [-n] [-w SECONDS] [-u TEXT] DOMID | vane console -l | "
                    "vane console -r KIB_PER_SEC\n");
    return 2;
}
