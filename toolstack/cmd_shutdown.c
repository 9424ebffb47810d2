/*
 * vane shutdown [-w] -a|DOM and vane reboot [-w] -a|DOM: ask the guest, as xl
 * does for a PV guest, by writing "poweroff" or "reboot" to its
 * control/shutdown key in xenstore; its kernel acts on it (Linux watches
 * the key once it has written control/feature-poweroff), and the domain's
 * keeper then does what its configuration says (destroy, or restart under
 * a new id). A guest without that interface gets xl's message. -w waits
 * until the domain is gone, for at most WAIT_SECONDS: a guest that does
 * not answer gets a clear message, not a hang. -a asks every domain but
 * dom0.
 */
#include "vane.h"
#include "xc.h"
#include "xs_client.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WAIT_SECONDS 300

static int ask(uint16_t dom, const char *what)
{
    struct xsc *xs = xsc_open(NULL);
    char path[64], *feature;
    int rc = 0;

    if (!xs) {
        fprintf(stderr, "vane: no xenstored: cannot ask domain %u to %s\n", dom, what);
        return -1;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/control/feature-poweroff", dom);
    feature = xsc_read(xs, 0, path, NULL);
    if (!feature || strcmp(feature, "1")) {
        /* xl's words for a guest without PV drivers. */
        fprintf(stderr, "PV control interface not available for domain %u\n", dom);
        rc = -1;
    } else {
        snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", dom);
        if (xsc_write(xs, 0, path, what, strlen(what)) < 0) {
            fprintf(stderr, "vane: writing %s: %s\n", path, strerror(errno));
            rc = -1;
        }
    }
    free(feature);
    xsc_close(xs);
    return rc;
}

/* Until the domain is gone (0), or the time is up (-1, said). */
static int wait_gone(struct xc *xc, uint16_t dom)
{
    struct xen_domctl_getdomaininfo info;
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 100000000L};

    for (int i = 0; i < WAIT_SECONDS * 10; i++) {
        if (xc_domain_info(xc, dom, &info) == -ESRCH)
            return 0;
        nanosleep(&ts, NULL);
    }
    fprintf(stderr,
            "vane: domain %u is still there after %d s: its guest did not act on the request\n",
            dom, WAIT_SECONDS);
    return -1;
}

/* Ask one domain (xl's line first), and wait for it if asked: 0 or -1. */
static int one(struct xc *xc, uint16_t dom, const char *label, const char *what, bool wait)
{
    int rc;

    fprintf(stderr, "%s domain %u\n", strcmp(what, "reboot") ? "Shutting down" : "Rebooting", dom);
    rc = ask(dom, what);
    if (!rc && wait) {
        printf("Waiting for domain %s (domid %u) to die [pid %ld]\n", label, dom, (long)getpid());
        fflush(stdout);
        rc = wait_gone(xc, dom);
        if (!rc)
            printf("Domain %u has been shut down%s.\n", dom,
                   strcmp(what, "reboot") ? "" : " (its keeper restarts it)");
    }
    return rc;
}

/*
 * -a: every domain but dom0, as xl: all are asked first, then (-w) waited
 * for. Where xl stops at the first that cannot be asked, the others are
 * still asked here; the status then says one failed.
 */
static int all_domains(struct xc *xc, const char *what, bool wait)
{
    struct xen_domctl_getdomaininfo *all;
    int n = vane_list_domains(xc, &all), rc = 0;
    bool *asked;

    if (n < 0) {
        fprintf(stderr, "vane: getdomaininfo: %s\n", strerror(-n));
        return -1;
    }
    asked = calloc(n ? (size_t)n : 1, sizeof(*asked));
    if (!asked) {
        free(all);
        fprintf(stderr, "vane: %s\n", strerror(ENOMEM));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (all[i].domain == 0)
            continue;
        asked[i] = one(xc, all[i].domain, NULL, what, false) == 0;
        if (!asked[i])
            rc = -1;
    }
    /* Only those that were asked are waited for: the others would never go. */
    for (int i = 0; i < n && wait; i++) {
        if (!asked[i])
            continue;
        printf("Waiting for domain %u to die\n", all[i].domain);
        fflush(stdout);
        if (wait_gone(xc, all[i].domain))
            rc = -1;
        else
            printf("Domain %u has been shut down%s.\n", all[i].domain,
                   strcmp(what, "reboot") ? "" : " (its keeper restarts it)");
    }
    free(asked);
    free(all);
    return rc;
}

static int shutdown_or_reboot(int argc, char **argv, const char *cmd, const char *what)
{
    static const struct option opts[] = {
        {"all", 0, 0, 'a'}, {"wait", 0, 0, 'w'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    bool wait = false, every = false;
    struct xc xc;
    uint16_t dom;
    int opt, rc;

    while ((opt = vane_getopt(argc, argv, "aw", opts, cmd, 0)) != -1) {
        if (opt == 'w')
            wait = true;
        else if (opt == 'a')
            every = true;
    }
    if (optind == argc && !every) {
        fprintf(stderr, "You must specify -a or a domain id.\n\n");
        return 1;
    }
    if (argc - optind > (every ? 0 : 1))
        return vane_usage(cmd);
    if (xc_open(&xc))
        return 1;
    if (every) {
        rc = all_domains(&xc, what, wait);
        xc_close(&xc);
        return rc ? 1 : 0;
    }
    if (vane_find_domain(&xc, argv[optind], &dom)) {
        xc_close(&xc);
        return 1;
    }
    if (dom == 0) {
        fprintf(stderr, "vane: %s of Domain-0: use the shell's poweroff\n", cmd);
        xc_close(&xc);
        return 1;
    }
    rc = one(&xc, dom, argv[optind], what, wait);
    xc_close(&xc);
    return rc ? 1 : 0;
}

int cmd_shutdown(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, "shutdown", "poweroff");
}

int cmd_reboot(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, "reboot", "reboot");
}
