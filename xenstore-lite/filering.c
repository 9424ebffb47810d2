/*
 * filering.c: a ring environment made of files, for testing the daemon
 * from outside its process ("--file-rings DIR"): the ring page of guest d
 * is the file DIR/ring-<d> (4096 bytes, shared mapping), its event
 * channel is port d + 100, and kicks arrive as 4-byte port numbers in the
 * FIFO DIR/kick. bench_shim.c gives Xen's xenstored the same environment,
 * so differential.sh can replay guest requests against both daemons.
 *
 * Lifetime: opened at startup for the daemon's life. Locking: daemon
 * thread only.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "private.h"

struct file_rings {
    char dir[256];
    int kick;
};

static void *file_map(void *ctx, unsigned domid, unsigned long gfn)
{
    struct file_rings *f = ctx;
    char path[300];
    void *p;
    int fd;

    (void)gfn;
    snprintf(path, sizeof(path), "%s/ring-%u", f->dir, domid);
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static void file_unmap(void *ctx, unsigned domid, void *page)
{
    (void)ctx;
    (void)domid;
    munmap(page, 4096);
}

static int file_bind(void *ctx, unsigned domid, unsigned remote_port)
{
    (void)ctx;
    (void)remote_port;
    return (int)domid + 100;
}

static bool file_drain(void *ctx)
{
    struct file_rings *f = ctx;
    char buf[256];

    while (read(f->kick, buf, sizeof(buf)) > 0)
        ;
    return false; /* no hypervisor here to report domains */
}

static void file_fini(void *ctx)
{
    struct file_rings *f = ctx;

    close(f->kick);
    free(f);
}

/* Returns 0, or -1 with errno set (startup: the caller exits). */
int xs_file_rings_open(struct xs_ring_env *env, const char *dir)
{
    struct file_rings *f = calloc(1, sizeof(*f));
    char path[300];

    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "%s", dir);
    snprintf(path, sizeof(path), "%s/kick", dir);
    f->kick = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (f->kick < 0) {
        free(f);
        return -1;
    }
    *env = (struct xs_ring_env){
        .ctx = f,
        .map = file_map,
        .unmap = file_unmap,
        .bind = file_bind,
        .fd = f->kick,
        .drain = file_drain,
        .fini = file_fini,
    };
    return 0;
}
