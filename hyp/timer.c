/*
 * Timer-event queues, one per CPU (see timer.h for the locking rules).
 *
 * A timer belongs to one CPU for its lifetime (t->cpu). Arming a timer of
 * another CPU inserts it under that CPU's lock and sends an event-check
 * IPI so that CPU reprograms its APIC for a possibly earlier deadline.
 */
#include "timer.h"
#include "asm/apic.h"
#include "asm/traps.h"
#include "console.h"
#include "lib.h"
#include "percpu.h"
#include "smp.h"
#include "time.h"

void init_timer(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu)
{
    ASSERT(cpu < NR_CPUS);
    list_init(&t->node);
    t->expires = 0;
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
    t->active = false;
}

void timer_init_cpu(void)
{
    struct percpu *pc = this_cpu();
    spin_lock_init(&pc->timer_lock);
    list_init(&pc->timers);
}

/* Program this CPU's APIC for its earliest timer. Timer lock held. */
static void program_locked(struct percpu *pc)
{
    struct timer *first;

    if (list_empty(&pc->timers)) {
        apic_timer_oneshot(0);
        return;
    }
    first = list_first_entry(&pc->timers, struct timer, node);
    apic_timer_oneshot(ns_to_apic_ticks(first->expires - NOW()));
}

void timer_reprogram(void)
{
    struct percpu *pc = this_cpu();
    unsigned long flags = spin_lock_irqsave(&pc->timer_lock);
    program_locked(pc);
    spin_unlock_irqrestore(&pc->timer_lock, flags);
}

static void remove_locked(struct timer *t)
{
    if (t->active) {
        list_del(&t->node);
        t->active = false;
    }
}

/*
 * Lock t's CPU queue. t->cpu changes only under both queues' locks
 * (migrate_timer), so it is read again once the lock is held.
 */
static struct percpu *lock_timer(struct timer *t, unsigned long *flags)
{
    for (;;) {
        unsigned int cpu = READ_ONCE(t->cpu);
        struct percpu *pc = &percpu[cpu];

        *flags = spin_lock_irqsave(&pc->timer_lock);
        if (READ_ONCE(t->cpu) == cpu)
            return pc;
        spin_unlock_irqrestore(&pc->timer_lock, *flags);
    }
}

/* Queue t on pc in expiry order; whether it is now the first. Lock held. */
static bool insert_locked(struct percpu *pc, struct timer *t)
{
    struct list_head *pos;

    list_for_each(pos, &pc->timers)
    {
        if (list_entry(pos, struct timer, node)->expires > t->expires)
            break;
    }
    list_add_tail(&t->node, pos); /* before the first later timer */
    t->active = true;
    return pc->timers.next == &t->node;
}

/* After queueing t first on its CPU: that CPU's APIC must learn of it. */
static void program_for(struct percpu *pc, unsigned int cpu, bool first)
{
    if (first && cpu == smp_processor_id())
        program_locked(pc);
}

static void kick_for(const struct percpu *pc, unsigned int cpu, bool first)
{
    if (first && cpu != smp_processor_id())
        apic_send_ipi(pc->apic_id, EVENT_CHECK_VECTOR);
}

void set_timer(struct timer *t, s_time_t expires)
{
    unsigned long flags;
    struct percpu *pc = lock_timer(t, &flags);
    unsigned int cpu = t->cpu;
    bool first;

    remove_locked(t);
    t->expires = expires;
    first = insert_locked(pc, t);
    program_for(pc, cpu, first);
    spin_unlock_irqrestore(&pc->timer_lock, flags);
    kick_for(pc, cpu, first);
}

/*
 * Move t to `cpu`, armed or not, keeping its expiry: a vCPU's guest
 * timers follow it to the pCPU it runs on (schedule.c), as on Xen, so
 * that arming them never costs an IPI to the pCPU it left. Both queues'
 * locks are taken, the lower-numbered first. The old CPU may take one
 * interrupt that finds nothing due.
 */
void migrate_timer(struct timer *t, unsigned int cpu)
{
    unsigned long flags = local_irq_save();
    unsigned int old;
    struct percpu *from, *to = &percpu[cpu];
    bool first = false;

    ASSERT(cpu < NR_CPUS);
    for (;;) {
        old = READ_ONCE(t->cpu);
        if (old == cpu) {
            local_irq_restore(flags);
            return;
        }
        from = &percpu[old];
        spin_lock(old < cpu ? &from->timer_lock : &to->timer_lock);
        spin_lock(old < cpu ? &to->timer_lock : &from->timer_lock);
        if (READ_ONCE(t->cpu) == old)
            break;
        spin_unlock(&to->timer_lock);
        spin_unlock(&from->timer_lock);
    }
    if (t->active) {
        remove_locked(t);
        WRITE_ONCE(t->cpu, cpu);
        first = insert_locked(to, t);
        program_for(to, cpu, first);
    } else {
        WRITE_ONCE(t->cpu, cpu);
    }
    spin_unlock(&to->timer_lock);
    spin_unlock(&from->timer_lock);
    local_irq_restore(flags);
    kick_for(to, cpu, first);
}

void stop_timer(struct timer *t)
{
    unsigned long flags;
    struct percpu *pc = lock_timer(t, &flags);

    remove_locked(t);
    spin_unlock_irqrestore(&pc->timer_lock, flags);
}

void timer_interrupt(void)
{
    struct percpu *pc = this_cpu();
    unsigned long flags = spin_lock_irqsave(&pc->timer_lock);

    pc->timer_irqs++;
    while (!list_empty(&pc->timers)) {
        struct timer *t = list_first_entry(&pc->timers, struct timer, node);
        void (*fn)(void *) = t->fn;
        void *data = t->data;

        if (t->expires > NOW())
            break;
        remove_locked(t);
        spin_unlock_irqrestore(&pc->timer_lock, flags);
        fn(data);
        flags = spin_lock_irqsave(&pc->timer_lock);
    }
    program_locked(pc);
    spin_unlock_irqrestore(&pc->timer_lock, flags);
}

void timer_dump(void)
{
    unsigned int cpu;
    s_time_t t = NOW();

    printk_lvl(LOG_ERR, "timers at %ld ns:\n", t);
    for_each_online_cpu(cpu)
    {
        struct percpu *pc = &percpu[cpu];
        struct list_head *pos;
        unsigned long flags = spin_lock_irqsave(&pc->timer_lock);

        printk_lvl(LOG_ERR, "  CPU %u: %lu interrupts\n", cpu, pc->timer_irqs);
        list_for_each(pos, &pc->timers)
        {
            struct timer *tm = list_entry(pos, struct timer, node);
            printk_lvl(LOG_ERR, "    in %ld ns: %p(%p)\n", tm->expires - t, (void *)tm->fn,
                       tm->data);
        }
        spin_unlock_irqrestore(&pc->timer_lock, flags);
    }
}

/*
 * Boot self-check of the timer path on every online CPU: the BSP arms one
 * timer per CPU on its own queue and moves it to that CPU (migrate_timer,
 * remote ones through the event-check IPI), each must fire
 * on its own CPU, not before its deadline, and within a second.
 */
struct selftest_slot {
    struct timer t;
    s_time_t fired, moved;
    unsigned int on_cpu;
};

static void selftest_fn(void *data)
{
    struct selftest_slot *s = data;
    s->on_cpu = smp_processor_id();
    __atomic_store_n(&s->fired, NOW(), __ATOMIC_RELEASE);
}

int timer_selftest(void)
{
    static struct selftest_slot slot[NR_CPUS];
    const s_time_t delay = MILLISECS(5);
    s_time_t deadline = NOW() + delay, worst = 0;
    unsigned int cpu, n = 0;
    int rc = 0;

    ASSERT(local_irq_is_enabled());
    for_each_online_cpu(cpu)
    {
        slot[cpu].fired = 0;
        /* Armed here, then moved (as a vCPU's timers follow it): it must
         * fire where it was moved to, and not here. */
        init_timer(&slot[cpu].t, selftest_fn, &slot[cpu], smp_processor_id());
        set_timer(&slot[cpu].t, deadline + (s_time_t)cpu * MICROSECS(100));
        migrate_timer(&slot[cpu].t, cpu);
        slot[cpu].moved = NOW();
    }
    for_each_online_cpu(cpu)
    {
        struct selftest_slot *s = &slot[cpu];
        s_time_t expires = deadline + (s_time_t)cpu * MICROSECS(100);

        s_time_t limit = expires + SECONDS(1);
        bool grace = false;

        /*
         * Under emulation the host may stop this machine for longer than
         * the limit: its clock jumps past it before the overdue interrupt
         * is delivered. So the limit, once reached, is checked again a
         * little later before the timer is called lost.
         */
        while (!__atomic_load_n(&s->fired, __ATOMIC_ACQUIRE)) {
            if (NOW() >= limit) {
                if (grace)
                    break;
                grace = true;
                limit = NOW() + MILLISECS(50);
            }
            cpu_relax();
        }
        stop_timer(&s->t);
        /* Fired here before the move could happen only if the host stopped
         * this machine past the deadline between arming and moving: not
         * the timer's fault, and not a test of migrate_timer either. */
        if (s->fired && s->on_cpu != cpu && s->fired < s->moved) {
            pr_warn("timer: self-test on CPU %u inconclusive: fired before it was moved\n", cpu);
            continue;
        }
        if (!s->fired || s->fired < expires || s->on_cpu != cpu) {
            pr_err("timer: self-test FAILED on CPU %u (fired %ld ns after arming, on CPU %u)\n",
                   cpu, s->fired ? s->fired - (expires - delay) : -1L, s->on_cpu);
            rc = -1;
            continue;
        }
        worst = MAX(worst, s->fired - expires);
        n++;
    }
    if (!rc)
        pr_info("timer: self-test passed on %u CPUs, latest fired %ld us late\n", n, worst / 1000);
    return rc;
}
