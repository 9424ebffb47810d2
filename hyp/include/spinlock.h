/*
 * Ticket spinlocks. Fair (FIFO) so no CPU starves under contention.
 *
 * A lock taken from interrupt context must always be taken with the
 * _irqsave variant elsewhere, or an interrupt on the holder's CPU deadlocks.
 */
#ifndef PARAVANE_SPINLOCK_H
#define PARAVANE_SPINLOCK_H

#include "types.h"
#include "asm/processor.h"

typedef struct {
    uint16_t head; /* ticket being served */
    uint16_t tail; /* next ticket to hand out */
} spinlock_t;

#define SPIN_LOCK_UNLOCKED                                                                         \
    {                                                                                              \
        0, 0                                                                                       \
    }
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *l)
{
    l->head = l->tail = 0;
}

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->tail, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != me)
        cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t head = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
    spinlock_t old = {head, head}, new = {head, (uint16_t)(head + 1)};
    uint32_t o, n;

    __builtin_memcpy(&o, &old, sizeof(o));
    __builtin_memcpy(&n, &new, sizeof(n));
    return __atomic_compare_exchange_n((uint32_t *)l, &o, n, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->head, (uint16_t)(l->head + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return __atomic_load_n(&l->head, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->tail, __ATOMIC_RELAXED);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
    unsigned long flags = local_irq_save();
    spin_lock(l);
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    spin_unlock(l);
    local_irq_restore(flags);
}

#endif
