/*
 * sched/sim/env.c - the host implementation of the sched/env.h seam, used
 * by the simulator, the unit tests and the benchmark.
 *
 * Locks are a held flag: the simulator is single-threaded, so a lock that
 * is already held means a re-entry bug in the scheduler, which we abort on.
 * Tickles are forwarded to the struct sim_env_hooks given as env_ctx.
 * Allocation is calloc/free. Logging goes to stderr unless
 * PARAVANE_SCHED_LOG_QUIET is set (the benchmark sets it).
 */
#include "../env.h"
#include "sim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct host_lock {
    int held;
};

_Static_assert(sizeof(struct host_lock) <= sizeof(sched_lock_t), "host lock fits the seam");

void sched_env_lock_init(sched_lock_t *lock)
{
    ((struct host_lock *)lock)->held = 0;
}

void sched_env_lock(sched_lock_t *lock)
{
    struct host_lock *l = (struct host_lock *)lock;

    if (l->held)
        sched_env_assert_failed("lock not held (re-entry)", __FILE__, __LINE__);
    l->held = 1;
}

void sched_env_unlock(sched_lock_t *lock)
{
    struct host_lock *l = (struct host_lock *)lock;

    if (!l->held)
        sched_env_assert_failed("lock held at unlock", __FILE__, __LINE__);
    l->held = 0;
}

bool sched_env_lock_held(const sched_lock_t *lock)
{
    return ((const struct host_lock *)lock)->held != 0;
}

void *sched_env_zalloc(size_t size)
{
    return calloc(1, size);
}

void sched_env_free(void *ptr)
{
    free(ptr);
}

void sched_env_tickle(void *ctx, unsigned int cpu)
{
    struct sim_env_hooks *hooks = ctx;

    if (hooks && hooks->tickle)
        hooks->tickle(hooks, cpu);
}

void sched_env_log(int level, const char *fmt, ...)
{
    va_list ap;

    (void)level;
    if (getenv("PARAVANE_SCHED_LOG_QUIET"))
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void sched_env_assert_failed(const char *expr, const char *file, int line)
{
    fprintf(stderr, "sched: assertion failed: %s at %s:%d\n", expr, file, line);
    abort();
}
