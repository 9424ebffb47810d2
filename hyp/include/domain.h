/*
 * Domains and vCPUs.
 *
 * A domain owns memory (its page list), a shared_info page and a fixed set
 * of vCPUs created with it. Domains live on domain_list from creation until
 * they are reaped.
 *
 * References: the list holds one; domain_get() hands out more (every
 * operation on a domain named by id holds one for its duration) and the
 * structure is freed at the last domain_put(). So a domain found by id
 * stays readable however the reaper races with the caller: by then it may
 * be DEAD (its memory returned), which callers check where it matters.
 *
 * Lifecycle: RUNNING -> SHUTDOWN (sched_op shutdown, or crashed: every vCPU
 * paused, reason logged) or DYING (destroydomain) -> DEAD (memory being
 * returned; still listed, as dying, while frames of it are in use
 * elsewhere; then off the list) -> freed at the last reference. A SHUTDOWN
 * domain is reaped by itself only if it is a boot-time one (auto_reap):
 * one the control domain made stays until the control domain destroys it,
 * so its toolstack can read why it ended (as on Xen).
 *
 * Locking order: domlist_lock, then d->lock, then the heap lock.
 */
#ifndef PARAVANE_DOMAIN_H
#define PARAVANE_DOMAIN_H

#include "asm/pv.h"
#include "cpu_policy.h"
#include "list.h"
#include "spinlock.h"
#include "timer.h"
#include "types.h"
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include <xen/xen.h>
#include <paravane/perfc.h>

struct sched_vcpu;
struct sched_dom;
struct evtchn;

/* vCPU pause reasons (bits of vcpu->pause_flags): runnable when all clear. */
#define VPF_blocked (1UL << 0) /* SCHEDOP_block: waiting for an event */
#define VPF_down    (1UL << 1) /* not brought up (VCPUOP_up) or shut down */
#define VPF_dying   (1UL << 2) /* domain shut down or crashed */
#define VPF_paused  (1UL << 3) /* paused by the control domain (pausedomain) */

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    unsigned int processor;    /* pCPU it runs on (the scheduler's choice) */
    struct sched_vcpu *sched;  /* the scheduler's view of it */
    spinlock_t pause_lock;     /* guards pause_flags and the wake/sleep calls */
    unsigned long pause_flags; /* VPF_*: runnable when 0 */
    bool is_running;           /* its context is loaded on `processor` */
    struct vcpu_info *vcpu_info;
    mfn_t vcpu_info_mfn; /* frame of a registered vcpu_info, 0 if in shared_info */

    evtchn_port_t virq_to_port[24]; /* under d->event_lock */
    unsigned int poll_ports;        /* ports SCHEDOP_poll waits on (0: not polling) */

    /* Guest time: timers and the runstate area (time.c, vcpu_op.c). */
    struct timer singleshot_timer;
    struct timer periodic_timer;
    struct timer poll_timer; /* SCHEDOP_poll's timeout, apart from the guest's own */
    s_time_t periodic_period;
    struct vcpu_runstate_info runstate;
    unsigned int runstate_seq;    /* odd while runstate changes (vcpu_runstate_get) */
    unsigned long runstate_guest; /* guest VA of its runstate copy, 0 = none */
    bool initialised;             /* has a context (boot vCPU, or VCPUOP_initialise) */

    /* Hypercall continuations (hypercall.c). */
    bool hcall_preempted;               /* the current hypercall is to be re-issued */
    struct multicall_entry *mc_current; /* the multicall entry being run, if any */

    /* Its counters (perfc.h): written only by this vCPU, as it runs. */
    struct paravane_perfc perfc;

    struct pv_vcpu arch;
};

enum domain_state {
    DOMAIN_RUNNING,
    DOMAIN_SHUTDOWN, /* vCPUs paused; shutdown_code says why */
    DOMAIN_DYING,    /* destroydomain: vCPUs paused, waiting for the reaper */
    DOMAIN_DEAD,     /* memory returned (but frames lent out); freed at the last put */
};

#define MAX_VCPUS XEN_LEGACY_MAX_VCPUS /* vcpu_info in shared_info only, for now */

struct domain {
    domid_t domain_id;
    bool is_privileged;
    bool is_idle;
    bool auto_reap;                /* boot-time: reaped when it shuts down */
    bool relinquished;             /* DEAD and its memory handed back (d->lock) */
    unsigned int refcnt;           /* domain_get()/domain_put(); the list holds one */
    xen_domain_handle_t handle;    /* the toolstack's UUID (setdomainhandle) */
    int64_t time_offset_seconds;   /* wallclock offset (settimeoffset) */
    unsigned int ctrl_pause_count; /* pausedomain nesting, under d->lock */

    /* What the toolstack set before it ran (cpu_policy.c, tsc_mode.c). */
    struct domain_cpu_policy cpu_policy;
    uint32_t tsc_mode;            /* XEN_DOMCTL_settscinfo's */
    uint32_t tsc_incarnation;     /* settscinfo's, plus one (as Xen) */
    unsigned int max_evtchn_port; /* the highest port it may bind */

    spinlock_t lock; /* guards the fields below up to vcpu[] */
    enum domain_state state;
    unsigned int shutdown_code; /* SHUTDOWN_* */
    struct list_head page_list; /* frames the domain owns */
    unsigned long tot_pages;
    unsigned long max_pages;
    unsigned long max_gpfn; /* highest pfn the domain has been given */

    struct shared_info *shared_info; /* hypervisor page, shared with the guest */
    struct grant_table *grant;       /* grant_table.c */
    spinlock_t event_lock;           /* guards evtchn[] and virq_to_port */
    struct evtchn *evtchn;           /* NR_EVTCHN_PORTS ports */
    unsigned long vm_assist;         /* VMASST_* bits enabled */
    uint8_t cmos_idx;                /* the RTC index it last wrote (rtc.c) */
    unsigned int max_vcpus;
    struct vcpu *vcpu[MAX_VCPUS];
    struct sched_dom *sched;

    unsigned long hypercalls_made; /* for hypercall_trace= */

    /* The hardware domain's devices (ioport.c, irq_pirq.c). */
    uint32_t pci_cf8;          /* its last write to port 0xcf8 */
    struct pirq *pirqs;        /* NR_PIRQS, allocated on first map */
    mfn_t pirq_eoi_mfn;        /* PHYSDEVOP_pirq_eoi_gmfn's page, 0 if none */
    bool pirq_eoi_auto_unmask; /* set by the v2 call: eoi unmasks the port */

    /* Console output of an unprivileged domain, printed by lines. */
    char console_line[160];
    unsigned int console_len;
    struct console_ring *console_ring; /* boot-time domU: console_ring.c */

    struct list_head list; /* on domain_list, under domlist_lock */
};

extern struct list_head domain_list;
extern spinlock_t domlist_lock;
extern struct domain *idle_domain;

static inline bool is_idle_vcpu(const struct vcpu *v)
{
    return v->domain->is_idle;
}

/*
 * Create a domain with `max_vcpus` vCPUs (all down). Returns the domain
 * or NULL (logged): out of memory, or the id is in use.
 */
struct domain *domain_create(domid_t domid, bool privileged, unsigned int max_vcpus);

/*
 * The domain with this id (not idle, not yet reaped) with a reference, or
 * NULL. Drop it with domain_put().
 */
struct domain *domain_get(domid_t domid);
void domain_put(struct domain *d);

/*
 * The domain a hypercall names: DOMID_SELF or the caller's own id gives
 * the caller's domain (no reference: it cannot go while one of its vCPUs
 * runs this), any other a live one (not dying) with a reference, or NULL.
 * Release with domain_put_by_id(), which knows which it was.
 */
struct domain *domain_get_by_id(domid_t domid);
void domain_put_by_id(struct domain *d);
/*
 * The DOMID_XEN pseudo-domain (owner of the frames the hypervisor shares
 * with the control domain), with a reference: drop it with domain_put_by_id().
 */
struct domain *domain_get_xen(void);

/*
 * The same without a reference: only safe for domains that cannot be
 * reaped meanwhile (dom0, the caller's own) or under domlist_lock.
 */
struct domain *domain_lookup(domid_t domid);
/* Whether a domain with this id exists and is not dying. */
bool domain_alive(domid_t domid);
/* The same with domlist_lock held by the caller: the domain stays until it drops it. */
struct domain *domain_find_locked(domid_t domid);

/* Give the domain `nr` fresh frames. 0 or -XEN_ENOMEM (then none). */
int domain_alloc_pages(struct domain *d, unsigned long nr);
/*
 * A frame of a domain's is being freed (its last reference went): if it
 * was counted (PGC_counted), take it off its owner's list and tot_pages
 * (under d->lock, which guards both).
 */
struct page_info;
void domain_page_freed(struct page_info *pg);
/*
 * fn(pg) for each frame on d's list, with a reference held across the
 * call and no lock (fn may free frames: any of d's, this one included),
 * for a domain whose list no longer grows (it is dying).
 */
void domain_for_each_page(struct domain *d, void (*fn)(struct page_info *pg));

/* Start shutting the domain down for `reason` (SHUTDOWN_*). */
void domain_shutdown(struct domain *d, unsigned int reason);
/* A guest error the guest cannot be told about: log and shut it down. */
void domain_crash(struct domain *d, const char *why);

/* destroydomain: stop it for good and hand it to the reaper. */
int domain_kill(struct domain *d);

/* pausedomain / unpausedomain (nesting; -EINVAL for an unpause too many). */
int domain_pause_by_controller(struct domain *d);
int domain_unpause_by_controller(struct domain *d);

/* Bring vCPU 0 up once the builder has set its registers. */
void domain_unpause_boot_vcpu(struct domain *d);

/* Set up domain handling (the reaper softirq). */
void domains_init(void);

/* A boot-time domain is gone (boot_domains.c: the domain_cycles test hook). */
void boot_domain_reaped(domid_t id);

/* What getdomaininfo reports of d: d held by reference or domlist_lock. */
struct xen_domctl_getdomaininfo;
void domain_getinfo(const struct domain *d, struct xen_domctl_getdomaininfo *info);

/* Print every domain (debug key). */
void domain_dump_all(void);

/* vCPUs (vcpu.c). */
struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu);
void vcpu_destroy(struct vcpu *v);
/* vcpu_op.c: runstate bookkeeping, registered vcpu_info. */
void vcpu_runstate_change(struct vcpu *v, int state);
void vcpu_runstate_publish(struct vcpu *v);
/* v's runstate as of now, its current state's time included (any CPU). */
void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *r);
void vcpu_info_release(struct vcpu *v);
/* A vCPU's first context (VCPUOP_initialise, XEN_DOMCTL_setvcpucontext), and back. */
long vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c);
void vcpu_get_context(const struct vcpu *v, struct vcpu_guest_context *c);

/* Set or clear a pause reason; wakes the vCPU when the last one clears. */
void vcpu_pause_flag_set(struct vcpu *v, unsigned long flag);
void vcpu_pause_flag_clear(struct vcpu *v, unsigned long flag);

/* Whether d asked for assist `type` (VMASST_TYPE_*, do_vm_assist). */
static inline bool vm_assist(const struct domain *d, unsigned int type)
{
    return __atomic_load_n(&d->vm_assist, __ATOMIC_RELAXED) & (1UL << type);
}

#endif
