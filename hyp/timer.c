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
    t->killed = false;
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

    if (t->killed) {
        spin_unlock_irqrestore(&pc->timer_lock, flags);
        return;
    }
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

void kill_timer(struct timer *t)
{
    unsigned long flags;
    struct percpu *pc = lock_timer(t, &flags);
    unsigned int cpu;

    remove_locked(t);
    t->killed = true;
    spin_unlock_irqrestore(&pc->timer_lock, flags);
    /* It may have left a queue for its callback just before (and moved
     * since): wherever that runs, wait for it to return. */
    for_each_online_cpu(cpu)
    {
        if (cpu == smp_processor_id())
            continue;
        while (__atomic_load_n(&percpu[cpu].timer_running, __ATOMIC_ACQUIRE) == t)
            cpu_relax();
    }
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
        __atomic_store_n(&pc->timer_running, t, __ATOMIC_RELEASE);
        spin_unlock_irqrestore(&pc->timer_lock, flags);
        fn(data);
        flags = spin_lock_irqsave(&pc->timer_lock);
        __atomic_store_n(&pc->timer_running, NULL, __ATOMIC_RELEASE);
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

/*
 * kill_timer against a callback running on another CPU that re-arms its
 * timer: kill_timer returns only once the callback has, and the timer
 * stays dead.
 */
struct kill_probe {
    struct timer t;
    int runs;
    bool finished;
};

static void kill_probe_fn(void *data)
{
    struct kill_probe *k = data;
    /* Long the first time: the other CPU kills it meanwhile (unless the
     * host stops that one for as long: then the test proves nothing). */
    s_time_t until = NOW() + (k->runs ? 0 : MILLISECS(20));

    __atomic_fetch_add(&k->runs, 1, __ATOMIC_RELEASE);
    while (NOW() < until)
        cpu_relax();
    set_timer(&k->t, NOW() + MICROSECS(100)); /* tries to come back */
    __atomic_store_n(&k->finished, true, __ATOMIC_RELEASE);
}

static int kill_selftest(unsigned int cpu)
{
    static struct kill_probe k;
    s_time_t give_up = NOW() + SECONDS(1);
    int runs;

    init_timer(&k.t, kill_probe_fn, &k, cpu);
    set_timer(&k.t, NOW() + MICROSECS(100));
    while (!__atomic_load_n(&k.runs, __ATOMIC_ACQUIRE) && NOW() < give_up)
        cpu_relax();
    kill_timer(&k.t);
    runs = __atomic_load_n(&k.runs, __ATOMIC_ACQUIRE);
    if (runs && !__atomic_load_n(&k.finished, __ATOMIC_ACQUIRE)) {
        pr_err("timer: self-test FAILED: kill_timer returned while its callback ran on CPU %u\n",
               cpu);
        return -1;
    }
    for (give_up = NOW() + MILLISECS(1); NOW() < give_up;)
        cpu_relax();
    if (__atomic_load_n(&k.runs, __ATOMIC_ACQUIRE) != runs || k.t.active) {
        pr_err("timer: self-test FAILED: a killed timer was armed again\n");
        return -1;
    }
    return 0;
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
        set_timer(&slot[cpu].t, deadline + SECONDS(1)); /* armed while it moves */
        migrate_timer(&slot[cpu].t, cpu);
        slot[cpu].moved = NOW();
        set_timer(&slot[cpu].t, deadline + (s_time_t)cpu * MICROSECS(100));
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
    for_each_online_cpu(cpu)
    {
        if (cpu != smp_processor_id()) {
            rc |= kill_selftest(cpu);
            break;
        }
    }
    if (!rc)
        pr_info("timer: self-test passed on %u CPUs, latest fired %ld us late\n", n, worst / 1000);
    return rc;
}
