/*
 * Timer events: a callback run on a given CPU at (or soon after) a given
 * system time.
 *
 * Each CPU keeps its pending timers in a list sorted by expiry, guarded by
 * its timer_lock (taken with interrupts off: the timer interrupt takes it),
 * and programs its local APIC one-shot for the earliest one. Callbacks run
 * in interrupt context on the timer's CPU with no lock held, so they may
 * re-arm their own timer.
 */
#ifndef PARAVANE_TIMER_H
#define PARAVANE_TIMER_H

#include "list.h"
#include "types.h"

struct timer {
    struct list_head node; /* on the CPU's list while active */
    s_time_t expires;
    void (*fn)(void *data);
    void *data;
    unsigned int cpu;
    bool active;
    bool killed; /* kill_timer(): never armed again */
};

void init_timer(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu);
/* (Re-)arm to fire at system time `expires` (a past time fires at once). */
void set_timer(struct timer *t, s_time_t expires);
/* Move to another CPU's queue, armed or not (a vCPU's timers follow it). */
void migrate_timer(struct timer *t, unsigned int cpu);
/* Disarm (a callback already running on another CPU may still finish). */
void stop_timer(struct timer *t);
/*
 * Disarm for good, before t's memory goes: set_timer and migrate_timer
 * leave it alone from now on (its own callback may try to re-arm it), and
 * a callback already running on another CPU has returned when this does.
 * Not from t's own callback.
 */
void kill_timer(struct timer *t);

/* Per-CPU set-up (before interrupts are enabled on that CPU). */
void timer_init_cpu(void);
/* Timer interrupt and event-check paths. */
void timer_interrupt(void);
void timer_reprogram(void);

/* Boot check that a timer armed here and moved fires on each CPU. 0 or -1. */
int timer_selftest(void);

/* Print every CPU's pending timers (debug key). */
void timer_dump(void);

#endif
