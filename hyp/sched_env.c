/*
 * The hypervisor's implementation of the sched/ environment seam
 * (sched/env.h): spinlocks taken with interrupts off, the heap, the
 * console, and tickles as schedule softirqs.
 */
#include "console.h"
#include "lib.h"
#include "mm/xmalloc.h"
#include "softirq.h"
#include "spinlock.h"
#undef ASSERT /* the seam defines its own; this file uses neither */
#include "../sched/env.h"

/* The scheduler's lock: our spinlock plus the interrupt state to restore. */
struct hyp_sched_lock {
    spinlock_t lock;
    unsigned long flags; /* written by the holder only */
};
_Static_assert(sizeof(struct hyp_sched_lock) <= sizeof(sched_lock_t), "sched lock fits");

void sched_env_lock_init(sched_lock_t *l)
{
    struct hyp_sched_lock *h = (struct hyp_sched_lock *)l;
    spin_lock_init(&h->lock);
    h->flags = 0;
}

void sched_env_lock(sched_lock_t *l)
{
    struct hyp_sched_lock *h = (struct hyp_sched_lock *)l;
    unsigned long flags = spin_lock_irqsave(&h->lock);
    h->flags = flags;
}

void sched_env_unlock(sched_lock_t *l)
{
    struct hyp_sched_lock *h = (struct hyp_sched_lock *)l;
    spin_unlock_irqrestore(&h->lock, h->flags);
}

bool sched_env_lock_held(const sched_lock_t *l)
{
    return spin_is_locked(&((const struct hyp_sched_lock *)l)->lock);
}

void *sched_env_zalloc(size_t size)
{
    return xzalloc_bytes(size);
}

void sched_env_free(void *ptr)
{
    xfree(ptr);
}

void sched_env_tickle(void *ctx, unsigned int cpu)
{
    (void)ctx;
    cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}

void sched_env_log(int level, const char *fmt, ...)
{
    va_list ap;
    enum log_level lvl = level == SCHED_LOG_ERR    ? LOG_ERR
                         : level == SCHED_LOG_WARN ? LOG_WARN
                                                   : LOG_INFO;
    va_start(ap, fmt);
    vprintk_lvl(lvl, fmt, ap);
    va_end(ap);
}

void sched_env_assert_failed(const char *expr, const char *file, int line)
{
    assert_failed(expr, file, line);
}
