/*
 * xenstored.c: the xenstore-lite daemon program — options, signals, loop.
 *
 *   xenstored [--socket PATH] [--quota NAME=N]... [--pid-file F] [-V]
 *             [--dom0[=DEVDIR]]
 *
 * --dom0 serves guests' rings and dom0's own through the Xen devices of
 * Linux dom0 (DEVDIR, default /dev/xen; see dom0.c). --file-rings DIR
 * takes guest rings from files instead, for tests (see filering.c).
 *
 * Startup errors are fatal (vmd style); at run time errors are per
 * request or per connection and never stop the daemon. SIGTERM/SIGINT end
 * the loop and remove the socket.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

#define DEFAULT_SOCKET "/run/xenstored/socket"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(void)
{
    fprintf(stderr, "usage: xenstored [--socket PATH] [--quota NAME=N]... [--pid-file FILE] [-V]\n"
                    "                 [--dom0[=DEVDIR] | --file-rings DIR]\n"
                    "quotas: nodes node-size watches transactions outstanding\n"
                    "        transaction-nodes permissions\n");
    exit(2);
}

/* --quota NAME=N */
static void set_quota(struct xs_quota *q, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char name[32];
    unsigned long v;
    unsigned *field;

    if (!eq || (size_t)(eq - arg) >= sizeof(name) || xs_wire_parse_uint(eq + 1, 1u << 30, &v)) {
        fprintf(stderr, "xenstored: bad quota '%s'\n", arg);
        exit(2);
    }
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = '\0';
    field = xs_quota_field(q, name);
    if (!field) {
        fprintf(stderr, "xenstored: unknown quota '%s'\n", name);
        exit(2);
    }
    *field = (unsigned)v;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"socket", required_argument, NULL, 's'},
        {"quota", required_argument, NULL, 'Q'},
        {"pid-file", required_argument, NULL, 'F'},
        {"verbose", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {"dom0", optional_argument, NULL, 'D'},
        {"file-rings", required_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    struct xs_daemon_opts o = {.socket_path = NULL, .quota = XS_QUOTA_DEFAULT};
    const char *pidfile = NULL, *env = getenv("XENSTORED_PATH"), *devdir = NULL, *ringdir = NULL;
    struct xs_ring_env dom0_env; /* or the file rings */
    struct xs_daemon *d;
    bool verbose = false;
    int opt;

    o.socket_path = env ? env : DEFAULT_SOCKET;
    while ((opt = getopt_long(argc, argv, "s:Q:F:Vh", longopts, NULL)) != -1) {
        switch (opt) {
        case 's':
            o.socket_path = optarg;
            break;
        case 'Q':
            set_quota(&o.quota, optarg);
            break;
        case 'F':
            pidfile = optarg;
            break;
        case 'V':
            verbose = true;
            break;
        case 'D':
            devdir = optarg ? optarg : "/dev/xen";
            break;
        case 'R':
            ringdir = optarg;
            break;
        default:
            usage();
        }
    }
    if (optind != argc || (devdir && ringdir))
        usage();
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    if (devdir) {
        if (xs_dom0_env_open(&dom0_env, devdir) < 0) {
            fprintf(stderr, "xenstored: cannot open Xen devices in %s: %s\n", devdir,
                    strerror(errno));
            return 1;
        }
        o.ring_env = &dom0_env;
    }
    if (ringdir) {
        if (xs_file_rings_open(&dom0_env, ringdir) < 0) {
            fprintf(stderr, "xenstored: cannot open %s/kick: %s\n", ringdir, strerror(errno));
            return 1;
        }
        o.ring_env = &dom0_env;
    }
    d = xs_daemon_create(&o);
    if (!d) {
        fprintf(stderr, "xenstored: cannot start on %s: %s\n", o.socket_path, strerror(errno));
        return 1;
    }
    if (devdir && xs_dom0_attach_self(d, &dom0_env) < 0) {
        fprintf(stderr, "xenstored: cannot serve dom0's ring: %s\n", strerror(errno));
        xs_daemon_destroy(d);
        return 1;
    }
    d->debug_log = verbose;
    if (pidfile) {
        FILE *f = fopen(pidfile, "w");

        if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
            fprintf(stderr, "xenstored: cannot write %s\n", pidfile);
            xs_daemon_destroy(d);
            return 1;
        }
    }
    while (!stop)
        if (xs_daemon_step(d, 1000) < 0) {
            fprintf(stderr, "xenstored: poll failed: %s\n", strerror(errno));
            break;
        }
    xs_daemon_destroy(d);
    return 0;
}
