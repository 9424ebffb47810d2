/*
 * Domain names in /run/vane (see names.h). A record is written to a
 * temporary file and renamed into place, so a reader sees the old record
 * or the new one, never half of one.
 */
#include "names.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *run_dir(void)
{
    const char *d = getenv("VANE_RUN_DIR");

    return d && *d ? d : "/run/vane";
}

static void record_path(uint16_t dom, char *buf, size_t len)
{
    snprintf(buf, len, "%s/dom%u", run_dir(), dom);
}

/* mkdir -p: 0 or -errno. */
static int make_dirs(const char *dir)
{
    char path[256];

    snprintf(path, sizeof(path), "%s", dir);
    for (char *p = path + 1;; p++) {
        if (*p && *p != '/')
            continue;
        char c = *p;

        *p = '\0';
        if (mkdir(path, 0755) && errno != EEXIST)
            return -errno;
        if (!c)
            return 0;
        *p = c;
    }
}

static int read_record(uint16_t dom, char *name, size_t len, time_t *when);

/* Write dom's record: its name and start time (none if `when` < 0). */
static int write_record(uint16_t dom, const char *name, time_t when)
{
    char path[256], tmp[272];
    FILE *f;
    int rc = 0;

    if (!*name || strlen(name) >= VANE_NAME_MAX || strchr(name, '\n'))
        return -EINVAL;
    rc = make_dirs(run_dir());
    if (rc)
        return rc;
    record_path(dom, path, sizeof(path));
    snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
    f = fopen(tmp, "w");
    if (!f)
        return -errno;
    if (when >= 0)
        fprintf(f, "%s\n%lld\n", name, (long long)when);
    else
        fprintf(f, "%s\n\n", name);
    if (fclose(f))
        rc = -errno;
    if (!rc && rename(tmp, path))
        rc = -errno;
    if (rc)
        unlink(tmp);
    return rc;
}

int vane_name_set(uint16_t dom, const char *name)
{
    return write_record(dom, name, time(NULL));
}

int vane_name_rename(uint16_t dom, const char *name)
{
    time_t when;

    if (read_record(dom, NULL, 0, &when))
        when = -1; /* a domain built at boot: no start time to keep */
    return write_record(dom, name, when);
}

/* Both lines of dom's record (*when -1 without a start time): 0 or -ENOENT. */
static int read_record(uint16_t dom, char *name, size_t len, time_t *when)
{
    char path[256], line[VANE_NAME_MAX + 2], stamp[32] = "";
    FILE *f;
    size_t n;

    record_path(dom, path, sizeof(path));
    f = fopen(path, "r");
    if (!f)
        return -ENOENT;
    if (!fgets(line, sizeof(line), f)) {
        fclose(f);
        return -ENOENT;
    }
    if (!fgets(stamp, sizeof(stamp), f))
        stamp[0] = '\0';
    fclose(f);
    n = strcspn(line, "\n");
    line[n] = '\0';
    if (!n)
        return -ENOENT;
    if (name)
        snprintf(name, len, "%s", line);
    if (when) {
        char *end;
        long long t = strtoll(stamp, &end, 10);

        *when = end == stamp ? -1 : (time_t)t;
    }
    return 0;
}

int vane_name_get(uint16_t dom, char *buf, size_t len)
{
    return read_record(dom, buf, len, NULL);
}

int vane_name_start_time(uint16_t dom, time_t *when)
{
    int rc = read_record(dom, NULL, 0, when);

    return rc ? rc : *when < 0 ? -ENOENT : 0;
}

int vane_name_find(const char *name)
{
    DIR *d = opendir(run_dir());
    const struct dirent *e;
    int best = -ENOENT;

    if (!d)
        return -ENOENT;
    while ((e = readdir(d))) {
        char buf[VANE_NAME_MAX], *end;
        unsigned long dom;

        if (strncmp(e->d_name, "dom", 3))
            continue;
        dom = strtoul(e->d_name + 3, &end, 10);
        if (*end || end == e->d_name + 3 || dom > UINT16_MAX)
            continue;
        if (read_record((uint16_t)dom, buf, sizeof(buf), NULL) || strcmp(buf, name))
            continue;
        if (best < 0 || (int)dom < best)
            best = (int)dom;
    }
    closedir(d);
    return best;
}

void vane_name_clear(uint16_t dom)
{
    char path[256];

    record_path(dom, path, sizeof(path));
    unlink(path);
}
