/*
 * xs_replay.c: replay a request script against any xenstore daemon on a
 * unix socket and print the transcript, so that the same script can be
 * run against xenstore-lite and against Xen's own xenstored and the two
 * transcripts compared (tests/xenstore-lite/differential.sh).
 *
 *   xs_replay SOCKET FILE [RINGDIR]
 *
 * FILE has the .in syntax of xs_transcript.c: clients dom0 and dom0b (two
 * connections of dom0's tools) and, given RINGDIR, guests gN. A guest's
 * ring is the file RINGDIR/ring-<N> (created here, then INTRODUCEd by
 * dom0), and it kicks the daemon by writing its port, N + 100, to the
 * FIFO RINGDIR/kick: the environment of the daemon's --file-rings and of
 * bench_shim.c for Xen's xenstored. Values that are the
 * daemon's own choice print as placeholders: a transaction id as <tx>,
 * DIRECTORY_PART's generation count as <gen>. After each request every
 * client does a READ of "/" to be sure all events the request caused
 * have reached it (a daemon handles requests in order), then its events
 * print as "  CLIENT event PATH|TOKEN|".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "type_names.h"
#include "xs_client.h"

#define MAX_CLIENTS 8
#define MAX_EVENTS  256

struct client {
    char name[16];
    struct xsc *h;                          /* dom0's tools */
    struct xenstore_domain_interface *ring; /* or a guest */
    unsigned domid;
    bool released; /* RELEASEd: no longer served, not synced */
    uint32_t tx, req_id;
    unsigned char acc[2 * (XENSTORE_PAYLOAD_MAX + 16)];
    size_t acc_len;
    char *events[MAX_EVENTS]; /* "path|token|" of a guest, in order */
    unsigned nevents;
};

static struct client cl[MAX_CLIENTS];
static unsigned ncl;
static const char *ringdir;
static int kick_fd = -1;

static const char *error_name(int err)
{
    size_t i;

    for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    return "E?";
}

static void print_text(const char *p, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        putchar(p[i] ? p[i] : '|');
}

static void pause_1ms(void)
{
    struct timespec ts = {0, 1000 * 1000};

    nanosleep(&ts, NULL);
}

static void kick(const struct client *c)
{
    uint32_t port = c->domid + 100;

    if (write(kick_fd, &port, sizeof(port)) != (ssize_t)sizeof(port))
        perror("xs_replay: kick");
}

/* Move what the daemon wrote to a guest's rsp ring into c->acc. */
static void ring_pull(struct client *c)
{
    struct xenstore_domain_interface *r = c->ring;
    XENSTORE_RING_IDX cons = r->rsp_cons;
    XENSTORE_RING_IDX prod = __atomic_load_n(&r->rsp_prod, __ATOMIC_ACQUIRE);

    while (cons != prod && c->acc_len < sizeof(c->acc))
        c->acc[c->acc_len++] = (unsigned char)r->rsp[MASK_XENSTORE_IDX(cons++)];
    __atomic_store_n(&r->rsp_cons, cons, __ATOMIC_RELEASE);
}

/*
 * A guest's request: returns 0 with the reply (malloc'd, NUL added) or
 * -1 with errno the daemon's error (ETIMEDOUT if it never answers).
 * Watch events met on the way are kept in c->events.
 */
static int ring_request(struct client *c, uint32_t type, uint32_t tx, const char *p, size_t len,
                        char **reply, size_t *rlen)
{
    struct xsd_sockmsg h = {type, ++c->req_id, tx, (uint32_t)len};
    struct xenstore_domain_interface *r = c->ring;
    unsigned char msg[sizeof(h) + XENSTORE_PAYLOAD_MAX];
    size_t done = 0, total = sizeof(h) + len;
    unsigned waited = 0;

    memcpy(msg, &h, sizeof(h));
    memcpy(msg + sizeof(h), p, len);
    while (waited < 10000) { /* 10 s: a loaded machine, not a slow daemon */
        while (done < total && r->req_prod - r->req_cons < XENSTORE_RING_SIZE) {
            r->req[MASK_XENSTORE_IDX(r->req_prod)] = (char)msg[done++];
            __atomic_store_n(&r->req_prod, r->req_prod + 1, __ATOMIC_RELEASE);
        }
        kick(c);
        ring_pull(c);
        while (c->acc_len >= sizeof(h)) {
            struct xsd_sockmsg m;
            char *body;

            memcpy(&m, c->acc, sizeof(m));
            if (c->acc_len < sizeof(m) + m.len)
                break;
            body = malloc(m.len + 1);
            memcpy(body, c->acc + sizeof(m), m.len);
            body[m.len] = '\0';
            memmove(c->acc, c->acc + sizeof(m) + m.len, c->acc_len - sizeof(m) - m.len);
            c->acc_len -= sizeof(m) + m.len;
            if (m.type == XS_WATCH_EVENT) {
                size_t k;

                for (k = 0; k < m.len; k++)
                    if (!body[k])
                        body[k] = '|';
                if (c->nevents < MAX_EVENTS)
                    c->events[c->nevents++] = body;
                else
                    free(body);
                continue;
            }
            if (m.req_id != h.req_id) {
                free(body);
                continue;
            }
            if (m.type == XS_ERROR) {
                size_t i;

                errno = EIO;
                for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
                    if (strcmp(xsd_errors[i].errstring, body) == 0)
                        errno = xsd_errors[i].errnum;
                free(body);
                return -1;
            }
            *reply = body;
            *rlen = m.len;
            return 0;
        }
        pause_1ms();
        waited++;
    }
    errno = ETIMEDOUT;
    return -1;
}

static int request(struct client *c, uint32_t type, uint32_t tx, const char *p, size_t len,
                   char **reply, size_t *rlen)
{
    if (c->h)
        return xsc_request(c->h, type, tx, p, len, reply, rlen);
    return ring_request(c, type, tx, p, len, reply, rlen);
}

static void drain_events(void)
{
    unsigned i, k;

    for (i = 0; i < ncl; i++) {
        char *path, *token, *reply = NULL;
        size_t rlen;

        if (cl[i].released)
            continue;
        /* sync: see the header (a guest may get EACCES; it is still an answer) */
        if (request(&cl[i], XS_READ, 0, "/", 2, &reply, &rlen) == 0)
            free(reply);
        if (cl[i].h) {
            while (xsc_read_watch(cl[i].h, 0, &path, &token) == 0) {
                printf("  %s event %s|%s|\n", cl[i].name, path, token);
                free(path);
            }
            continue;
        }
        for (k = 0; k < cl[i].nevents; k++) {
            printf("  %s event %s\n", cl[i].name, cl[i].events[k]);
            free(cl[i].events[k]);
        }
        cl[i].nevents = 0;
    }
}

/* The client called name, connected (a guest: ring made and introduced). */
static struct client *client(const char *name, const char *sock)
{
    struct client *c;
    unsigned i, domid;

    for (i = 0; i < ncl; i++)
        if (strcmp(cl[i].name, name) == 0)
            return &cl[i];
    if (ncl == MAX_CLIENTS || strlen(name) >= sizeof(cl[0].name))
        return NULL;
    c = &cl[ncl];
    memset(c, 0, sizeof(*c));
    memcpy(c->name, name, strlen(name) + 1);
    if (strcmp(name, "dom0") == 0 || strcmp(name, "dom0b") == 0) {
        c->h = xsc_open(sock);
        if (!c->h)
            return NULL;
    } else if (ringdir && sscanf(name, "g%u", &domid) == 1 && domid > 0 && domid < 100) {
        struct client *d0 = client("dom0", sock);
        char path[512], intro[64];
        int fd, n;

        if (!d0)
            return NULL;
        c = &cl[ncl]; /* client() may have added dom0 */
        memset(c, 0, sizeof(*c));
        memcpy(c->name, name, strlen(name) + 1);
        snprintf(path, sizeof(path), "%s/ring-%u", ringdir, domid);
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || ftruncate(fd, 4096) < 0)
            return NULL;
        c->ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (c->ring == MAP_FAILED)
            return NULL;
        c->domid = domid;
        n = snprintf(intro, sizeof(intro), "%u%c1%c1", domid, 0, 0);
        if (xsc_request(d0->h, XS_INTRODUCE, 0, intro, (size_t)n + 1, NULL, NULL) < 0)
            return NULL;
    } else {
        return NULL;
    }
    ncl++;
    return c;
}

int main(int argc, char **argv)
{
    char line[8192];
    FILE *in;
    unsigned i;

    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: xs_replay SOCKET FILE [RINGDIR]\n");
        return 2;
    }
    in = fopen(argv[2], "r");
    if (!in) {
        perror(argv[2]);
        return 2;
    }
    if (argc == 4) {
        char kick_path[512];

        ringdir = argv[3];
        snprintf(kick_path, sizeof(kick_path), "%s/kick", ringdir);
        kick_fd = open(kick_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (kick_fd < 0) {
            perror(kick_path);
            fclose(in);
            return 2;
        }
    }
    while (fgets(line, sizeof(line), in)) {
        char who[32], tname[32], payload[XENSTORE_PAYLOAD_MAX + 1], *args, *reply = NULL;
        uint32_t type = XS_INVALID;
        size_t len, rlen = 0, k;
        struct client *c;
        bool in_tx;

        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0') {
            printf("%s\n", line);
            continue;
        }
        if (sscanf(line, "%31s %31s", who, tname) != 2) {
            fprintf(stderr, "xs_replay: cannot parse '%s'\n", line);
            return 2;
        }
        in_tx = strchr(who, '@') != NULL;
        if (in_tx)
            *strchr(who, '@') = '\0';
        c = client(who, argv[1]);
        if (!c || xs_type_by_name(tname, &type) < 0) {
            fprintf(stderr, "xs_replay: unknown client or type in '%s'\n", line);
            return 2;
        }
        args = strstr(line, tname) + strlen(tname);
        args += *args == ' ';
        len = strlen(args);
        if (len > XENSTORE_PAYLOAD_MAX) {
            fprintf(stderr, "xs_replay: payload too long in '%.40s...'\n", line);
            return 2;
        }
        for (k = 0; k < len; k++)
            payload[k] = args[k] == '|' ? '\0' : args[k];
        payload[len] = '\0';
        printf("%s -> ", line);
        if (request(c, type, in_tx ? c->tx : 0, payload, len, &reply, &rlen) < 0) {
            printf("ERR:%s\n", errno == ETIMEDOUT ? "NO-REPLY" : error_name(errno));
        } else if (type == XS_TRANSACTION_START) {
            c->tx = (uint32_t)strtoul(reply, NULL, 10);
            printf("<tx>|\n");
        } else if (type == XS_DIRECTORY_PART) {
            size_t g = strnlen(reply, rlen);

            printf("<gen>|");
            print_text(reply + g + 1, rlen - g - 1);
            putchar('\n');
        } else {
            print_text(reply, rlen);
            putchar('\n');
        }
        free(reply);
        if (type == XS_RELEASE && c->h) {
            char gname[16];

            snprintf(gname, sizeof(gname), "g%.8s", payload);
            for (i = 0; i < ncl; i++)
                if (strcmp(cl[i].name, gname) == 0)
                    cl[i].released = true;
        }
        fflush(stdout);
        drain_events();
    }
    fclose(in);
    for (i = 0; i < ncl; i++)
        if (cl[i].h)
            xsc_close(cl[i].h);
    return 0;
}
