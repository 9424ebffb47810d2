/*
 * A run-time domain in xenstore, as libxl keeps it: its home
 * /local/domain/N (dom0's, readable by N) with what the guest reads
 * (name, domid, vm, memory/target and static-max, cpu/K/availability,
 * console/ and store/ ring references and ports), the directories the
 * guest writes (control, device, data, drivers, feature, attr, error)
 * owned by N, and /vm/UUID; then XS_INTRODUCE, so xenstored serves N's
 * ring (mapped through the grant the builder seeded). When the domain is
 * gone: XS_RELEASE and both trees removed.
 */
#include "xsdom.h"
#include "names.h"
#include "xs_client.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Write one key (printf-style value) under `base`. 0 or -1 (errno). */
static int put(struct xsc *xs, uint32_t tx, const char *base, const char *key, const char *fmt, ...)
{
    char path[256], val[128];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    snprintf(path, sizeof(path), "%s/%s", base, key);
    return xsc_write(xs, tx, path, val, strlen(val));
}

static int set_perms(struct xsc *xs, uint32_t tx, const char *path, const char *owner,
                     const char *reader)
{
    const char *perms[] = {owner, reader};
    return xsc_set_perms(xs, tx, path, perms, reader ? 2 : 1);
}

static void uuid_string(const uint8_t u[16], char out[37])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
}

/* Everything but the introduction, in one transaction. */
static int write_tree(struct xsc *xs, uint32_t tx, const struct domain_config *c, domid_t dom,
                      const char *uuid, const struct build_result *br)
{
    static const char *const guest_dirs[] = {"control", "device", "data",  "drivers",
                                             "feature", "attr",   "error", "memory"};
    char home[64], vm[64], owner[16], reader[16], path[128];
    int rc = 0;

    snprintf(home, sizeof(home), "/local/domain/%u", dom);
    snprintf(vm, sizeof(vm), "/vm/%s", uuid);
    snprintf(owner, sizeof(owner), "n%u", dom);
    snprintf(reader, sizeof(reader), "r%u", dom);
    rc |= xsc_mkdir(xs, tx, home) | set_perms(xs, tx, home, "n0", reader);
    rc |= xsc_mkdir(xs, tx, vm) | set_perms(xs, tx, vm, "n0", reader);
    for (size_t i = 0; i < sizeof(guest_dirs) / sizeof(guest_dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", home, guest_dirs[i]);
        rc |= xsc_mkdir(xs, tx, path) | set_perms(xs, tx, path, owner, NULL);
    }
    rc |= put(xs, tx, home, "name", "%s", c->name);
    rc |= put(xs, tx, home, "domid", "%u", dom);
    rc |= put(xs, tx, home, "vm", "%s", vm);
    rc |= put(xs, tx, home, "memory/static-max", "%lu", (unsigned long)(c->maxmem_mib << 10));
    rc |= put(xs, tx, home, "memory/target", "%lu", (unsigned long)(c->memory_mib << 10));
    for (unsigned int v = 0; v < c->max_vcpus; v++) {
        snprintf(path, sizeof(path), "cpu/%u/availability", v);
        rc |= put(xs, tx, home, path, "%s", v < c->vcpus ? "online" : "offline");
    }
    rc |= put(xs, tx, home, "console/ring-ref", "%lu", (unsigned long)br->console_mfn);
    rc |= put(xs, tx, home, "console/port", "%u", br->console_port);
    rc |= put(xs, tx, home, "console/type", "xenconsoled");
    rc |= put(xs, tx, home, "store/ring-ref", "%lu", (unsigned long)br->store_mfn);
    rc |= put(xs, tx, home, "store/port", "%u", br->store_port);
    rc |= put(xs, tx, home, "control/platform-feature-multiprocessor-suspend", "1");
    rc |= put(xs, tx, vm, "name", "%s", c->name);
    rc |= put(xs, tx, vm, "uuid", "%s", uuid);
    rc |= put(xs, tx, vm, "start_time", "%lu", (unsigned long)time(NULL));
    return rc ? -1 : 0;
}

int vane_xs_transact(struct xsc *xs, vane_xs_body body, void *arg)
{
    for (int tries = 0; tries < 10; tries++) {
        uint32_t tx;
        int rc;

        if (xsc_transaction_start(xs, &tx) < 0)
            return errno ? -errno : -EIO;
        rc = body(xs, tx, arg);
        if (rc) {
            xsc_transaction_end(xs, tx, false);
            return rc > 0 ? 0 : rc;
        }
        if (xsc_transaction_end(xs, tx, true) == 0)
            return 0;
        if (errno != EAGAIN)
            return errno ? -errno : -EIO;
    }
    return -EAGAIN;
}

struct tree_args {
    const struct domain_config *c;
    domid_t dom;
    const char *uuid;
    const struct build_result *br;
};

static int tree_body(struct xsc *xs, uint32_t tx, void *arg)
{
    const struct tree_args *a = arg;

    return write_tree(xs, tx, a->c, a->dom, a->uuid, a->br) ? (errno ? -errno : -EIO) : 0;
}

int vane_xs_introduce(const struct domain_config *c, domid_t dom, const struct build_result *br,
                      const uint8_t uuid[16])
{
    struct xsc *xs = xsc_open(NULL);
    char u[37];
    struct tree_args a = {c, dom, u, br};
    int rc;

    if (!xs)
        return -ENOENT; /* no xenstored: the domain runs without a store */
    uuid_string(uuid, u);
    rc = vane_xs_transact(xs, tree_body, &a);
    if (!rc && xsc_introduce(xs, dom, (unsigned long)br->store_mfn, br->store_port) < 0)
        rc = errno ? -errno : -EIO;
    xsc_close(xs);
    return rc;
}

struct write_all_args {
    const char *const *paths, *const *values;
    size_t n;
};

static int write_all_body(struct xsc *xs, uint32_t tx, void *arg)
{
    const struct write_all_args *a = arg;

    for (size_t i = 0; i < a->n; i++)
        if (xsc_write(xs, tx, a->paths[i], a->values[i], strlen(a->values[i])) < 0)
            return errno ? -errno : -EIO;
    return 0;
}

int vane_xs_write_all(const char *const *paths, const char *const *values, size_t n)
{
    struct xsc *xs = xsc_open(NULL);
    struct write_all_args a = {paths, values, n};
    int rc;

    if (!xs)
        return -ENOENT;
    rc = vane_xs_transact(xs, write_all_body, &a);
    xsc_close(xs);
    return rc;
}

char *vane_xs_read(const char *path, int *err)
{
    struct xsc *xs = xsc_open(NULL);
    char *v;

    if (!xs) {
        *err = -ENOTCONN;
        return NULL;
    }
    v = xsc_read(xs, 0, path, NULL);
    *err = v ? 0 : errno ? -errno : -EIO;
    xsc_close(xs);
    return v;
}

struct rename_args {
    domid_t dom;
    const char *name;
};

/* The name in the domain's home and in its /vm entry; never introduced: nothing. */
static int rename_body(struct xsc *xs, uint32_t tx, void *arg)
{
    const struct rename_args *a = arg;
    char path[96], *vm, *old;
    int rc = 0;

    snprintf(path, sizeof(path), "/local/domain/%u/name", a->dom);
    old = xsc_read(xs, tx, path, NULL);
    if (!old)
        return 1;
    free(old);
    if (xsc_write(xs, tx, path, a->name, strlen(a->name)) < 0)
        return errno ? -errno : -EIO;
    snprintf(path, sizeof(path), "/local/domain/%u/vm", a->dom);
    vm = xsc_read(xs, tx, path, NULL);
    if (vm && !strncmp(vm, "/vm/", 4)) {
        snprintf(path, sizeof(path), "%.80s/name", vm);
        if (xsc_write(xs, tx, path, a->name, strlen(a->name)) < 0)
            rc = errno ? -errno : -EIO;
    }
    free(vm);
    return rc;
}

int vane_xs_rename(domid_t dom, const char *name)
{
    struct xsc *xs = xsc_open(NULL);
    struct rename_args a = {dom, name};
    int rc;

    if (!xs)
        return -ENOENT;
    rc = vane_xs_transact(xs, rename_body, &a);
    xsc_close(xs);
    return rc;
}

void vane_xs_forget(domid_t dom)
{
    struct xsc *xs = xsc_open(NULL);
    char home[64], path[96];
    char *vm;

    if (!xs)
        return;
    snprintf(home, sizeof(home), "/local/domain/%u", dom);
    snprintf(path, sizeof(path), "%s/vm", home);
    vm = xsc_read(xs, 0, path, NULL);
    xsc_release(xs, dom); /* fails harmlessly if it was never introduced */
    if (vm && !strncmp(vm, "/vm/", 4))
        xsc_rm(xs, 0, vm);
    xsc_rm(xs, 0, home);
    free(vm);
    xsc_close(xs);
}
