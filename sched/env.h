/*
 * sched/env.h - the one seam between the schedulers and their environment.
 *
 * the sched/ C files is freestanding: it includes only sched/ headers, the
 * hypercall-abi/ headers and this file. Whatever it needs from the world is
 * declared here and defined by whoever links it: the hypervisor (hyp/) with
 * real spinlocks, its heap and its console, or the host simulator and unit
 * tests (sched/sim/env.c) with a virtual clock and trivial locks. Only the
 * linked definitions differ; there is no #ifdef in the sched/ C files.
 *
 * What the environment does NOT provide, on purpose:
 *  - A clock. Every entry point in sched.h takes `now` (monotonic
 *    nanoseconds, never going backwards on one pCPU, the same timebase on
 *    all pCPUs). The scheduler never reads time itself, so the simulator is
 *    deterministic and the hypervisor reads the TSC once per event.
 *  - Timers. sched_schedule() returns the time slice: the environment arms
 *    its per-pCPU one-shot timer for now + slice and calls sched_schedule()
 *    on that pCPU again when it fires (slice SCHED_SLICE_FOREVER: no timer;
 *    the pCPU idles until tickled). The Credit tick and accounting period
 *    are folded into that slice, so one timer per pCPU is all there is.
 *
 * Locking: the scheduler instance has one lock (a sched_lock_t inside it).
 * Every sched_* entry point takes it and releases it before returning; no
 * callback below is made without it held, and none may re-enter sched_*.
 * In the hypervisor the lock must be taken with interrupts off (entry points
 * are called from the timer interrupt / schedule softirq as well as from
 * hypercalls).
 */
#ifndef SCHED_ENV_H
#define SCHED_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Lock storage, embedded in the instance. Opaque to the schedulers; the
 * environment casts it to its own lock type and must fit in 16 bytes
 * (the hypervisor's spinlock_t does; it should _Static_assert so).
 */
typedef struct sched_lock {
    uint64_t opaque[2];
} sched_lock_t;

/* Initialise an unlocked lock. Called from sched_create() only. */
void sched_env_lock_init(sched_lock_t *lock);
/* Acquire / release. Not recursive. May spin; never sleeps. */
void sched_env_lock(sched_lock_t *lock);
void sched_env_unlock(sched_lock_t *lock);
/* True if the calling pCPU holds the lock; used only in ASSERTs. */
bool sched_env_lock_held(const sched_lock_t *lock);

/*
 * Zeroed allocation / release. Called only from the create/destroy entry
 * points (sched_create, sched_dom_create, sched_vcpu_create and their
 * destroys), never with the instance lock held and never from the
 * scheduling, wake or sleep paths. Returns NULL when out of memory;
 * sched_env_free(NULL) is a no-op. Alignment: at least 16 bytes.
 */
void *sched_env_zalloc(size_t size);
void sched_env_free(void *ptr);

/*
 * Ask pCPU `cpu` to call sched_schedule() soon (Xen: raise
 * SCHEDULE_SOFTIRQ, an IPI if `cpu` is remote). `ctx` is the env_ctx given
 * in struct sched_config. Called with the instance lock held: it must only
 * set a flag or send the IPI, never call back into sched_*. It may be
 * called for the current pCPU, and several times for one pCPU.
 */
void sched_env_tickle(void *ctx, unsigned int cpu);

/*
 * Log a line (printf-style subset: %d %i %u %x %s %c %p with l/ll/z
 * length modifiers). Used by sched_dump() and for rare warnings. May be
 * called with the instance lock held: must not take that lock.
 */
#define SCHED_LOG_ERR  0
#define SCHED_LOG_WARN 1
#define SCHED_LOG_INFO 2
void sched_env_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A broken invariant: report and stop (panic in the hypervisor). */
__attribute__((noreturn)) void sched_env_assert_failed(const char *expr, const char *file,
                                                       int line);

#define ASSERT(cond)                                                                               \
    do {                                                                                           \
        if (__builtin_expect(!(cond), 0))                                                          \
            sched_env_assert_failed(#cond, __FILE__, __LINE__);                                    \
    } while (0)

#endif /* SCHED_ENV_H */
