/*
 * xs_replay.c: replay a request script against any xenstore daemon on a
 * unix socket and print the transcript, so that the same script can be
 * run against xenstore-lite and against Xen's own xenstored and the two
 * transcripts compared (tests/xenstore-lite/differential.sh).
 *
 *   xs_replay SOCKET FILE
 *
 * FILE has the .in syntax of xs_transcript.c, with dom0 and dom0b (two
 * connections of dom0's tools) as the only clients. Values that are the
 * daemon's own choice print as placeholders: a transaction id as <tx>,
 * DIRECTORY_PART's generation count as <gen>. After each request every
 * client does a READ of "/" to be sure all events the request caused
 * have reached it (a daemon handles requests in order), then its events
 * print as "  CLIENT event PATH|TOKEN|".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/io/xs_wire.h>

#include "xs_client.h"

static const struct {
    const char *name;
    uint32_t type;
} types[] = {
    {"DIRECTORY", XS_DIRECTORY},
    {"READ", XS_READ},
    {"GET_PERMS", XS_GET_PERMS},
    {"WATCH", XS_WATCH},
    {"UNWATCH", XS_UNWATCH},
    {"TRANSACTION_START", XS_TRANSACTION_START},
    {"TRANSACTION_END", XS_TRANSACTION_END},
    {"GET_DOMAIN_PATH", XS_GET_DOMAIN_PATH},
    {"WRITE", XS_WRITE},
    {"MKDIR", XS_MKDIR},
    {"RM", XS_RM},
    {"SET_PERMS", XS_SET_PERMS},
    {"IS_DOMAIN_INTRODUCED", XS_IS_DOMAIN_INTRODUCED},
    {"RESET_WATCHES", XS_RESET_WATCHES},
    {"DIRECTORY_PART", XS_DIRECTORY_PART},
};

struct client {
    const char *name;
    struct xsc *h;
    uint32_t tx;
};

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

static void drain_events(struct client *cl, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        char *path, *token;

        free(xsc_read(cl[i].h, 0, "/", NULL)); /* sync: see the header */
        while (xsc_read_watch(cl[i].h, 0, &path, &token) == 0) {
            printf("  %s event %s|%s|\n", cl[i].name, path, token);
            free(path);
        }
    }
}

int main(int argc, char **argv)
{
    struct client cl[2] = {{"dom0", NULL, 0}, {"dom0b", NULL, 0}};
    char line[8192];
    FILE *in;
    unsigned i;

    if (argc != 3) {
        fprintf(stderr, "usage: xs_replay SOCKET FILE\n");
        return 2;
    }
    in = fopen(argv[2], "r");
    if (!in) {
        perror(argv[2]);
        return 2;
    }
    for (i = 0; i < 2; i++) {
        cl[i].h = xsc_open(argv[1]);
        if (!cl[i].h) {
            perror(argv[1]);
            return 2;
        }
    }
    while (fgets(line, sizeof(line), in)) {
        char who[32], tname[32], payload[XENSTORE_PAYLOAD_MAX], *args, *reply = NULL;
        uint32_t type = XS_INVALID;
        size_t len, rlen = 0, k;
        struct client *c = NULL;
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
        for (i = 0; i < 2; i++)
            if (strcmp(who, cl[i].name) == 0)
                c = &cl[i];
        for (k = 0; k < sizeof(types) / sizeof(types[0]); k++)
            if (strcmp(types[k].name, tname) == 0)
                type = types[k].type;
        if (!c || type == XS_INVALID) {
            fprintf(stderr, "xs_replay: unknown client or type in '%s'\n", line);
            return 2;
        }
        args = strstr(line, tname) + strlen(tname);
        args += *args == ' ';
        len = strlen(args);
        for (k = 0; k < len; k++)
            payload[k] = args[k] == '|' ? '\0' : args[k];
        printf("%s -> ", line);
        if (xsc_request(c->h, type, in_tx ? c->tx : 0, payload, len, &reply, &rlen) < 0) {
            printf("ERR:%s\n", error_name(errno));
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
        drain_events(cl, 2);
    }
    fclose(in);
    for (i = 0; i < 2; i++)
        xsc_close(cl[i].h);
    return 0;
}
