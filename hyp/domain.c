/*
 * Domain objects: creation, memory, shutdown and destruction.
 *
 * See domain.h for the lifecycle, the references and the lock order.
 * Destruction is deferred to the reaper (DOMAIN_REAP_SOFTIRQ on CPU 0)
 * because a vCPU of a dying domain may still be mid-context-switch on
 * another pCPU; the reaper returns a domain's memory only once none of its
 * vCPUs is running anywhere, and the structure goes at the last reference.
 */
#include "domain.h"
#include "console.h"
#include "event.h"
#include "grant_table.h"
#include "time.h"
#include "hypercall.h"
#include "keyhandler.h"
#include "lib.h"
#include "machine.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "mm/xmalloc.h"
#include "percpu.h"
#include "perfc.h"
#include "pirq.h"
#include "schedule.h"
#include "smp.h"
#include "softirq.h"
#include <xen/errno.h>
#include <xen/sched.h>

struct list_head domain_list = LIST_HEAD_INIT(domain_list);
DEFINE_SPINLOCK(domlist_lock);

static const char *shutdown_reason(unsigned int code)
{
    switch (code) {
    case SHUTDOWN_poweroff:
        return "poweroff";
    case SHUTDOWN_reboot:
        return "reboot";
    case SHUTDOWN_suspend:
        return "suspend";
    case SHUTDOWN_crash:
        return "crash";
    case SHUTDOWN_watchdog:
        return "watchdog";
    case SHUTDOWN_soft_reset:
        return "soft_reset";
    default:
        return "unknown";
    }
}

struct domain *domain_find_locked(domid_t domid)
{
    struct list_head *p;

    list_for_each(p, &domain_list)
    {
        struct domain *d = list_entry(p, struct domain, list);

        if (d->domain_id == domid)
            return d;
    }
    return NULL;
}

struct domain *domain_get(domid_t domid)
{
    unsigned long irq = spin_lock_irqsave(&domlist_lock);
    struct domain *d = domain_find_locked(domid);

    /* On the list, it holds the list's reference: never 0 here. */
    if (d)
        __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_RELAXED);
    spin_unlock_irqrestore(&domlist_lock, irq);
    return d;
}

/*
 * Domains whose last reference is gone, for the reaper to free: a put may
 * come from under any lock (a page table's, a grant table's), and
 * freeing takes some of those, so it never happens in the put itself. Under
 * domlist_lock, linked through d->list (off domain_list by then).
 */
static struct list_head unreferenced = LIST_HEAD_INIT(unreferenced);

void domain_put(struct domain *d)
{
    unsigned long irq;

    if (__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    irq = spin_lock_irqsave(&domlist_lock);
    list_add_tail(&d->list, &unreferenced);
    spin_unlock_irqrestore(&domlist_lock, irq);
    cpu_raise_softirq(0, DOMAIN_REAP_SOFTIRQ);
}

struct domain *domain_get_by_id(domid_t domid)
{
    struct domain *cur = current->domain;
    struct domain *d;

    if (domid == DOMID_SELF || domid == cur->domain_id)
        return cur;
    d = domain_get(domid);
    if (d && (d->state == DOMAIN_DYING || d->state == DOMAIN_DEAD)) {
        domain_put(d);
        return NULL;
    }
    return d;
}

/*
 * DOMID_XEN: the owner of the hypervisor's frames it shares with the
 * control domain (the trace buffers), as Xen's dom_xen. Never on the
 * list, never freed: it starts with a reference nobody drops.
 */
static struct domain dom_xen = {.domain_id = DOMID_XEN, .refcnt = 1};

struct domain *domain_get_xen(void)
{
    __atomic_add_fetch(&dom_xen.refcnt, 1, __ATOMIC_RELAXED);
    return &dom_xen;
}

void domain_put_by_id(struct domain *d)
{
    if (d && d != current->domain)
        domain_put(d);
}

bool domain_alive(domid_t domid)
{
    unsigned long irq = spin_lock_irqsave(&domlist_lock);
    const struct domain *d = domain_find_locked(domid);
    bool alive = d && d->state != DOMAIN_DYING && d->state != DOMAIN_DEAD;

    spin_unlock_irqrestore(&domlist_lock, irq);
    return alive;
}

struct domain *domain_lookup(domid_t domid)
{
    unsigned long irq = spin_lock_irqsave(&domlist_lock);
    struct domain *found = domain_find_locked(domid);

    spin_unlock_irqrestore(&domlist_lock, irq);
    return found;
}

static void free_shared_info(struct domain *d)
{
    struct page_info *si;

    if (!d->shared_info)
        return;
    /* Freed now, or when the last mapping of it goes. */
    si = mfn_to_page(virt_to_mfn(d->shared_info));
    page_flags_clear(si, PGC_xen_heap);
    page_release(si);
}

struct domain *domain_create(domid_t domid, bool privileged, unsigned int max_vcpus)
{
    struct domain *d;
    unsigned long irq;

    if (max_vcpus == 0 || max_vcpus > MAX_VCPUS || domain_lookup(domid)) {
        pr_err("domain %u: cannot create with %u vCPUs (id in use or bad count)\n", domid,
               max_vcpus);
        return NULL;
    }
    d = xzalloc(struct domain);
    if (!d)
        goto nomem;
    d->domain_id = domid;
    d->refcnt = 1; /* the list's */
    d->auto_reap = true;
    d->is_privileged = privileged;
    d->max_vcpus = max_vcpus;
    d->state = DOMAIN_RUNNING;
    spin_lock_init(&d->lock);
    list_init(&d->page_list);
    d->shared_info = alloc_xenheap_pages(0);
    if (!d->shared_info)
        goto nomem;
    memset(d->shared_info, 0, PAGE_SIZE);
    /* The guest maps it like one of its own frames (it is not freed that way). */
    {
        struct page_info *si = mfn_to_page(virt_to_mfn(d->shared_info));
        page_assign(si, domid);
        page_flags_set(si, PGC_xen_heap);
    }
    if (sched_init_domain(d) || evtchn_init_domain(d) || grant_table_init(d))
        goto nomem;
    guest_time_init_domain(d);
    for (unsigned int i = 0; i < max_vcpus; i++)
        if (!vcpu_create(d, i, i % num_online_cpus()))
            goto nomem;

    irq = spin_lock_irqsave(&domlist_lock);
    list_add_tail(&d->list, &domain_list);
    spin_unlock_irqrestore(&domlist_lock, irq);
    return d;

nomem:
    pr_err("domain %u: out of memory while creating it\n", domid);
    if (d) {
        for (unsigned int i = 0; i < MAX_VCPUS; i++)
            if (d->vcpu[i])
                vcpu_destroy(d->vcpu[i]);
        sched_destroy_domain(d);
        evtchn_destroy_domain(d);
        grant_table_free(d);
        free_shared_info(d);
        xfree(d);
    }
    return NULL;
}

int domain_alloc_pages(struct domain *d, unsigned long nr)
{
    struct list_head fresh = LIST_HEAD_INIT(fresh);
    unsigned long irq;

    for (unsigned long i = 0; i < nr; i++) {
        struct page_info *pg = alloc_domheap_pages(0);
        if (!pg) {
            while (!list_empty(&fresh)) {
                pg = list_first_entry(&fresh, struct page_info, list);
                list_del(&pg->list);
                page_release(pg);
            }
            return -XEN_ENOMEM;
        }
        page_assign(pg, d->domain_id);
        list_add_tail(&pg->list, &fresh);
    }
    irq = spin_lock_irqsave(&d->lock);
    while (!list_empty(&fresh)) {
        struct page_info *pg = list_first_entry(&fresh, struct page_info, list);
        list_del(&pg->list);
        list_add_tail(&pg->list, &d->page_list);
        page_flags_set(pg, PGC_counted);
    }
    d->tot_pages += nr;
    spin_unlock_irqrestore(&d->lock, irq);
    return 0;
}

void domain_page_freed(struct page_info *pg)
{
    struct domain *d;
    unsigned long irq;
    domid_t id;
    bool last;

    if (!page_flags_clear(pg, PGC_counted))
        return;
    d = domain_lookup((domid_t)pg->owner);
    if (!d) {
        /* Cannot be: a domain leaves the list only once nothing counts. */
        pr_warn("frame %#lx counted against a domain that is gone\n", page_to_mfn(pg));
        return;
    }
    irq = spin_lock_irqsave(&d->lock);
    list_del(&pg->list);
    last = --d->tot_pages == 0 && d->relinquished;
    id = d->domain_id;
    /* Not a look at d after this: the reaper may free it once we unlock. */
    spin_unlock_irqrestore(&d->lock, irq);
    if (last) {
        pr_info("domain %u: the last of its frames in use elsewhere is back\n", id);
        cpu_raise_softirq(0, DOMAIN_REAP_SOFTIRQ);
    }
}

/* Domains taken off the list and not yet destroyed (domain_reap). */
static unsigned int being_destroyed;

static void wait_for_reaper(void)
{
    s_time_t give_up = NOW() + SECONDS(1);

    while (__atomic_load_n(&being_destroyed, __ATOMIC_ACQUIRE) && NOW() < give_up)
        cpu_relax();
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    unsigned long irq = spin_lock_irqsave(&d->lock);

    if (d->state != DOMAIN_RUNNING) {
        spin_unlock_irqrestore(&d->lock, irq);
        return;
    }
    d->state = DOMAIN_SHUTDOWN;
    d->shutdown_code = reason;
    spin_unlock_irqrestore(&d->lock, irq);

    printk_raw("paravane: domain %u shut down (%s)\n", d->domain_id, shutdown_reason(reason));
    if (d->is_privileged) {
        /* The control domain's end is the machine's, once the teardowns
         * already under way (on other CPUs) have finished and reported. */
        wait_for_reaper();
        if (reason == SHUTDOWN_reboot)
            machine_restart();
        machine_halt(reason == SHUTDOWN_crash ? EXIT_FAILURE_STATUS : EXIT_SUCCESS_STATUS);
    }
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            vcpu_pause_flag_set(d->vcpu[i], VPF_dying);
    notify_dom_exc();
    cpu_raise_softirq(0, DOMAIN_REAP_SOFTIRQ);
}

void domain_crash(struct domain *d, const char *why)
{
    pr_err("domain %u crashed: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}

void domain_unpause_boot_vcpu(struct domain *d)
{
    vcpu_pause_flag_clear(d->vcpu[0], VPF_down);
}

int domain_kill(struct domain *d)
{
    unsigned long irq = spin_lock_irqsave(&d->lock);

    if (d->is_privileged) {
        spin_unlock_irqrestore(&d->lock, irq);
        return -XEN_EINVAL; /* the control domain ends the machine, not this */
    }
    if (d->state == DOMAIN_DYING || d->state == DOMAIN_DEAD) {
        spin_unlock_irqrestore(&d->lock, irq);
        return 0; /* already on its way: as Xen, destroying twice is no error */
    }
    d->state = DOMAIN_DYING;
    spin_unlock_irqrestore(&d->lock, irq);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            vcpu_pause_flag_set(d->vcpu[i], VPF_dying);
    cpu_raise_softirq(0, DOMAIN_REAP_SOFTIRQ);
    return 0;
}

int domain_pause_by_controller(struct domain *d)
{
    unsigned long irq = spin_lock_irqsave(&d->lock);
    bool first = d->ctrl_pause_count++ == 0;

    if (d->ctrl_pause_count > 255) { /* Xen's bound on the nesting */
        d->ctrl_pause_count--;
        spin_unlock_irqrestore(&d->lock, irq);
        return -XEN_EBUSY;
    }
    spin_unlock_irqrestore(&d->lock, irq);
    if (first)
        for (unsigned int i = 0; i < d->max_vcpus; i++)
            if (d->vcpu[i])
                vcpu_pause_flag_set(d->vcpu[i], VPF_paused);
    return 0;
}

int domain_unpause_by_controller(struct domain *d)
{
    unsigned long irq = spin_lock_irqsave(&d->lock);
    bool last;

    if (!d->ctrl_pause_count) {
        spin_unlock_irqrestore(&d->lock, irq);
        return -XEN_EINVAL;
    }
    last = --d->ctrl_pause_count == 0;
    spin_unlock_irqrestore(&d->lock, irq);
    if (last)
        for (unsigned int i = 0; i < d->max_vcpus; i++)
            if (d->vcpu[i])
                vcpu_pause_flag_clear(d->vcpu[i], VPF_paused);
    return 0;
}

void domain_for_each_page(struct domain *d, void (*fn)(struct page_info *pg))
{
    struct list_head done = LIST_HEAD_INIT(done);
    unsigned long irq;

    for (;;) {
        struct page_info *pg = NULL;
        bool ours = false;

        /* Parked on `done`, which d->lock guards as it does the list: a
         * frame freed meanwhile (by fn or elsewhere) leaves it from there. */
        irq = spin_lock_irqsave(&d->lock);
        if (!list_empty(&d->page_list)) {
            pg = list_first_entry(&d->page_list, struct page_info, list);
            list_del(&pg->list);
            list_add_tail(&pg->list, &done);
            ours = get_page(pg, d->domain_id); /* fails only for one being freed */
        }
        spin_unlock_irqrestore(&d->lock, irq);
        if (!pg)
            break;
        if (ours) {
            fn(pg);
            put_page(pg);
        }
    }
    irq = spin_lock_irqsave(&d->lock);
    while (!list_empty(&done)) {
        struct page_info *pg = list_first_entry(&done, struct page_info, list);
        list_del(&pg->list);
        list_add_tail(&pg->list, &d->page_list);
    }
    spin_unlock_irqrestore(&d->lock, irq);
}

static void release_one(struct page_info *pg)
{
    page_release(pg); /* if that was the last reference, our put frees it */
}

/*
 * Return every frame and object of a dead domain that others could reach
 * (memory, ports, grants, timers). Its vCPUs are all off-CPU. Whatever
 * state its page tables were in, dropping its base pointers and pins
 * devalidates every table, so each frame is left with just its allocation
 * reference, dropped here; a frame another domain still maps is freed when
 * that mapping goes. What stays (the structure, its vCPUs, its scheduler
 * state) is for holders of a reference to read, until domain_free().
 */
/*
 * Give back everything the domain holds. A frame someone else still uses
 * (a foreign or grant mapping in the control domain) stays d's, counted
 * in tot_pages, until that use ends (domain_page_freed); meanwhile d stays
 * on the list as dying, as a Xen domain does until its last page goes.
 */
static void domain_relinquish(struct domain *d)
{
    unsigned long had, freed, irq;

    evtchn_destroy_domain(d);
    pirq_destroy_domain(d);    /* after its ports: they unbind their pirqs */
    grant_release_mappings(d); /* its mappings of other domains' grants first */
    console_ring_detach(d);
    pv_mm_relinquish(d);
    irq = spin_lock_irqsave(&d->lock);
    had = d->tot_pages;
    spin_unlock_irqrestore(&d->lock, irq);
    domain_for_each_page(d, release_one);
    irq = spin_lock_irqsave(&d->lock);
    freed = had - d->tot_pages;
    d->relinquished = true; /* from now on, its last frame's release finishes it */
    spin_unlock_irqrestore(&d->lock, irq);
    grant_table_destroy(d);
    for (unsigned int i = 0; i < MAX_VCPUS; i++)
        if (d->vcpu[i])
            guest_timers_stop(d->vcpu[i]);
    if (d->tot_pages)
        pr_info("domain %u destroyed, %lu pages returned, %lu still in use elsewhere "
                "(dying until they are released)\n",
                d->domain_id, freed, d->tot_pages);
    else
        pr_info("domain %u destroyed, %lu pages returned\n", d->domain_id, freed);
}

/* The last reference is gone: nothing can reach d any more. */
static void domain_free(struct domain *d)
{
    for (unsigned int i = 0; i < MAX_VCPUS; i++)
        if (d->vcpu[i])
            vcpu_destroy(d->vcpu[i]);
    sched_destroy_domain(d);
    grant_table_free(d);
    free_shared_info(d);
    xfree(d);
}

static bool domain_quiescent(const struct domain *d)
{
    for (unsigned int i = 0; i < MAX_VCPUS; i++)
        if (d->vcpu[i] && __atomic_load_n(&d->vcpu[i]->is_running, __ATOMIC_ACQUIRE))
            return false;
    return true;
}

/*
 * One domain that has ended and no longer runs anywhere, marked DEAD and
 * with a reference for the reaper, or NULL.
 */
static struct domain *next_to_reap(void)
{
    struct list_head *p;
    struct domain *found = NULL;
    unsigned long irq = spin_lock_irqsave(&domlist_lock);

    list_for_each(p, &domain_list)
    {
        struct domain *d = list_entry(p, struct domain, list);
        bool ended = (d->state == DOMAIN_SHUTDOWN && d->auto_reap) || d->state == DOMAIN_DYING;
        /* Relinquished, and the frames it lent out are all back now (under
         * d->lock: domain_page_freed is done with d once it lets go). */
        bool drained = false;

        if (d->state == DOMAIN_DEAD && d->relinquished) {
            spin_lock(&d->lock);
            drained = !d->tot_pages;
            spin_unlock(&d->lock);
        }

        if (drained || (ended && domain_quiescent(d))) {
            d->state = DOMAIN_DEAD;
            __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_RELAXED);
            __atomic_fetch_add(&being_destroyed, 1, __ATOMIC_RELAXED);
            found = d;
            break;
        }
    }
    spin_unlock_irqrestore(&domlist_lock, irq);
    return found;
}

/*
 * Return each ended domain's memory while it is still on the list (seen
 * as dying), so that once it is gone from getdomaininfo every frame it
 * could give back is back; then drop the list's reference.
 */
static void domain_free(struct domain *d);

static void free_unreferenced(void)
{
    struct domain *d;

    for (;;) {
        unsigned long irq = spin_lock_irqsave(&domlist_lock);

        d = list_empty(&unreferenced) ? NULL : list_first_entry(&unreferenced, struct domain, list);
        if (d)
            list_del(&d->list);
        spin_unlock_irqrestore(&domlist_lock, irq);
        if (!d)
            break;
        domain_free(d);
    }
}

static void domain_reap(void)
{
    struct domain *d;

    while ((d = next_to_reap())) {
        domid_t id = d->domain_id;
        unsigned long irq;

        if (!d->relinquished)
            domain_relinquish(d);
        if (__atomic_load_n(&d->tot_pages, __ATOMIC_ACQUIRE)) {
            /* Dying until its frames come back; domain_page_freed calls us.
             * As Xen's domain_kill once the domain is dead: tell dom0. */
            notify_dom_exc();
            domain_put(d);
            __atomic_fetch_sub(&being_destroyed, 1, __ATOMIC_RELEASE);
            continue;
        }
        irq = spin_lock_irqsave(&domlist_lock);
        list_del(&d->list);
        perfc_domain_gone(d);
        spin_unlock_irqrestore(&domlist_lock, irq);
        domain_put(d);       /* the list's reference */
        domain_put(d);       /* ours */
        free_unreferenced(); /* unless someone still holds it */
        __atomic_fetch_sub(&being_destroyed, 1, __ATOMIC_RELEASE);
        notify_dom_exc(); /* as Xen: once at shutdown, once when it is gone */
        boot_domain_reaped(id);
    }
    free_unreferenced();
}

void domains_init(void)
{
    open_softirq(DOMAIN_REAP_SOFTIRQ, domain_reap);
}

void domain_dump_all(void)
{
    struct list_head *p;
    unsigned long irq = spin_lock_irqsave(&domlist_lock);

    list_for_each(p, &domain_list)
    {
        struct domain *d = list_entry(p, struct domain, list);
        printk_lvl(LOG_ERR, "domain %u:%s state %d, %lu pages, %u vCPUs\n", d->domain_id,
                   d->is_privileged ? " privileged," : "", d->state, d->tot_pages, d->max_vcpus);
        for (unsigned int i = 0; i < d->max_vcpus; i++) {
            struct vcpu *v = d->vcpu[i];
            printk_lvl(LOG_ERR, "  vCPU %u: pCPU %u, pause flags %#lx, %s mode, rip %016lx\n", i,
                       v->processor, v->pause_flags, v->arch.kernel_mode ? "kernel" : "user",
                       v->arch.user_regs.rip);
        }
    }
    spin_unlock_irqrestore(&domlist_lock, irq);
}

static void key_domains(char key, const struct cpu_user_regs *regs)
{
    (void)key;
    (void)regs;
    domain_dump_all();
}
KEYHANDLER('q', key_domains, "dump domain (and guest debug) info");

/*
 * The assists a 64-bit PV guest may ask for here, each of which changes
 * what the hypervisor does (the others are refused with -EINVAL, as Xen
 * refuses what it does not know, rather than accepted and ignored):
 * writable_pagetables turns the in-place page-table write emulation on
 * (mm/ptwr.c), runstate_update_flag marks runstate copies being written
 * (vcpu_op.c), architectural_iopl gives RFLAGS.IOPL its hardware meaning
 * (arch/x86_64/pv/iopl.c). Linux 6.1 asks for the first two.
 */
long do_vm_assist(unsigned int cmd, unsigned int type)
{
    struct domain *d = current->domain;
    const unsigned long known = (1UL << VMASST_TYPE_writable_pagetables) |
                                (1UL << VMASST_TYPE_runstate_update_flag) |
                                (1UL << VMASST_TYPE_architectural_iopl);

    if (type >= 8 * sizeof(unsigned long) || !(known & (1UL << type)))
        return -XEN_EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        __atomic_fetch_or(&d->vm_assist, 1UL << type, __ATOMIC_SEQ_CST);
        return 0;
    case VMASST_CMD_disable:
        __atomic_fetch_and(&d->vm_assist, ~(1UL << type), __ATOMIC_SEQ_CST);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
