/*
 * Split devices' xenstore directories (xsdev.h). States are polled: a
 * watch would do, but a device comes up in tens of milliseconds and vane
 * runs one command at a time.
 */
#include "xsdev.h"
#include "xsdom.h"
#include "xs_client.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int vane_dev_fail(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return -1;
}

void vane_xsdev_init(struct vane_xsdev *d, const char *kind, unsigned int dom, int devid)
{
    d->kind = kind;
    d->dom = dom;
    d->devid = devid;
    snprintf(d->back, sizeof(d->back), "/local/domain/0/backend/%s/%u/%d", kind, dom, devid);
    snprintf(d->front, sizeof(d->front), "/local/domain/%u/device/%s/%d", dom, kind, devid);
}

static int put(struct xsc *xs, uint32_t tx, const char *dir, const char *key, const char *value)
{
    char path[192];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    return xsc_write(xs, tx, path, value, strlen(value)) < 0 ? -errno : 0;
}

static int put_all(struct xsc *xs, uint32_t tx, const char *dir, const char *const *kv)
{
    int rc = 0;

    for (; !rc && kv[0] && kv[1]; kv += 2)
        rc = put(xs, tx, dir, kv[0], kv[1]);
    return rc;
}

struct add_args {
    const struct vane_xsdev *d;
    const char *const *back_kv, *const *front_kv;
};

static int add_body(struct xsc *xs, uint32_t tx, void *arg)
{
    const struct add_args *a = arg;
    const struct vane_xsdev *d = a->d;
    char guest[16], reader[16], id[16];
    const char *back_perms[] = {"n0", reader}, *front_perms[] = {guest, "r0"};
    int rc;

    snprintf(guest, sizeof(guest), "n%u", d->dom);
    snprintf(reader, sizeof(reader), "r%u", d->dom);
    snprintf(id, sizeof(id), "%u", d->dom);
    if (xsc_mkdir(xs, tx, d->back) < 0 || xsc_set_perms(xs, tx, d->back, back_perms, 2) < 0 ||
        xsc_mkdir(xs, tx, d->front) < 0 || xsc_set_perms(xs, tx, d->front, front_perms, 2) < 0)
        return errno ? -errno : -EIO;
    rc = put(xs, tx, d->back, "frontend", d->front);
    rc = rc ? rc : put(xs, tx, d->back, "frontend-id", id);
    rc = rc ? rc : put_all(xs, tx, d->back, a->back_kv);
    rc = rc ? rc : put(xs, tx, d->front, "backend", d->back);
    rc = rc ? rc : put(xs, tx, d->front, "backend-id", "0");
    return rc ? rc : put_all(xs, tx, d->front, a->front_kv);
}

int vane_xsdev_add(struct xsc *xs, const struct vane_xsdev *d, const char *const *back_kv,
                   const char *const *front_kv)
{
    struct add_args a = {d, back_kv, front_kv};

    return vane_xs_transact(xs, add_body, &a);
}

char *vane_xsdev_back_read(struct xsc *xs, const struct vane_xsdev *d, const char *key)
{
    char path[192];

    snprintf(path, sizeof(path), "%s/%s", d->back, key);
    return xsc_read(xs, 0, path, NULL);
}

bool vane_xsdev_exists(struct xsc *xs, const struct vane_xsdev *d)
{
    char *state = vane_xsdev_back_read(xs, d, "state");

    free(state);
    return state != NULL;
}

int vane_xsdev_back_write(struct xsc *xs, const struct vane_xsdev *d, const char *key,
                          const char *value)
{
    return put(xs, 0, d->back, key, value);
}

int vane_xsdev_wait(struct xsc *xs, const struct vane_xsdev *d, int want, int ms, int *seen)
{
    for (int waited = 0;; waited += 20) {
        char *s = vane_xsdev_back_read(xs, d, "state");

        *seen = s ? atoi(s) : 0;
        free(s);
        if (*seen == want)
            return 0;
        if (waited >= ms)
            return -ETIMEDOUT;
        usleep(20000);
    }
}

int vane_xsdev_close(struct xsc *xs, const struct vane_xsdev *d, int ms, char *why, size_t len)
{
    char path[160], *e;
    int seen;

    vane_xsdev_back_write(xs, d, "online", "0");
    vane_xsdev_back_write(xs, d, "state", "5"); /* XenbusStateClosing */
    if (!vane_xsdev_wait(xs, d, 6 /* XenbusStateClosed */, ms, &seen))
        return 0;
    snprintf(path, sizeof(path), "/local/domain/%u/error/device/%s/%d/error", d->dom, d->kind,
             d->devid);
    e = xsc_read(xs, 0, path, NULL);
    snprintf(why, len, "%s", e ? e : "it did not close it");
    free(e);
    vane_xsdev_back_write(xs, d, "online", "1");
    vane_xsdev_back_write(xs, d, "state", "4"); /* XenbusStateConnected, as before */
    return -EBUSY;
}

/* dir, if nothing is left in it (libxl leaves no empty parents either). */
static void rm_if_empty(struct xsc *xs, const char *dir)
{
    unsigned int n = 1;
    char **names = xsc_directory(xs, 0, dir, &n);

    free(names);
    if (names && !n)
        xsc_rm(xs, 0, dir);
}

void vane_xsdev_remove(struct xsc *xs, const struct vane_xsdev *d)
{
    char parent[96];

    xsc_rm(xs, 0, d->front);
    xsc_rm(xs, 0, d->back);
    snprintf(parent, sizeof(parent), "/local/domain/0/backend/%s/%u", d->kind, d->dom);
    rm_if_empty(xs, parent);
}

int vane_xsdev_list(struct xsc *xs, const char *kind, unsigned int dom, int *ids, int max)
{
    char path[96], **names;
    unsigned int n = 0;
    int k = 0;

    snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u", kind, dom);
    names = xsc_directory(xs, 0, path, &n);
    if (!names)
        return 0;
    for (unsigned int i = 0; i < n && k < max; i++)
        ids[k++] = atoi(names[i]);
    free(names);
    return k;
}
