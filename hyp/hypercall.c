/*
 * Hypercall dispatch, multicall and continuations.
 *
 * The table is generated from hypercall-abi/hypercalls.def: for each
 * hypercall a wrapper unpacks the raw argument words into the handler's
 * typed parameters, so no handler reads registers. Numbers without a
 * handler return -ENOSYS and are logged once each.
 */
#include "hypercall.h"
#include "cmdline.h"
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "lib.h"
#include "percpu.h"
#include "perfc.h"
#include "softirq.h"
#include "trace.h"
#include <paravane/hypercall_names.h>
#include <xen/errno.h>
#include <xen/xen.h>

#define NR_HYPERCALLS 64

typedef long (*hypercall_wrapper_t)(const unsigned long *a);

#define HYPERCALL0(n)                                                                              \
    static long hc_##n(const unsigned long *a)                                                     \
    {                                                                                              \
        (void)a;                                                                                   \
        return do_##n();                                                                           \
    }
#define HYPERCALL1(n, t1)                                                                          \
    static long hc_##n(const unsigned long *a)                                                     \
    {                                                                                              \
        return do_##n((t1)a[0]);                                                                   \
    }
#define HYPERCALL2(n, t1, t2)                                                                      \
    static long hc_##n(const unsigned long *a)                                                     \
    {                                                                                              \
        return do_##n((t1)a[0], (t2)a[1]);                                                         \
    }
#define HYPERCALL3(n, t1, t2, t3)                                                                  \
    static long hc_##n(const unsigned long *a)                                                     \
    {                                                                                              \
        return do_##n((t1)a[0], (t2)a[1], (t3)a[2]);                                               \
    }
#define HYPERCALL4(n, t1, t2, t3, t4)                                                              \
    static long hc_##n(const unsigned long *a)                                                     \
    {                                                                                              \
        return do_##n((t1)a[0], (t2)a[1], (t3)a[2], (t4)a[3]);                                     \
    }
#define HYPERCALL5(n, t1, t2, t3, t4, t5)                                                          \
    static long hc_##n(const unsigned long *a)                                                     \
    {                                                                                              \
        return do_##n((t1)a[0], (t2)a[1], (t3)a[2], (t4)a[3], (t5)a[4]);                           \
    }
#include "../../hypercall-abi/hypercalls.def"

static const struct {
    hypercall_wrapper_t fn;
    const char *name;
} table[NR_HYPERCALLS] = {
#define HC_ENTRY(n)                  [__HYPERVISOR_##n] = {hc_##n, #n},
#define HYPERCALL0(n)                HC_ENTRY(n)
#define HYPERCALL1(n, a)             HC_ENTRY(n)
#define HYPERCALL2(n, a, b)          HC_ENTRY(n)
#define HYPERCALL3(n, a, b, c)       HC_ENTRY(n)
#define HYPERCALL4(n, a, b, c, d)    HC_ENTRY(n)
#define HYPERCALL5(n, a, b, c, d, e) HC_ENTRY(n)
#include "../../hypercall-abi/hypercalls.def"
};

/* Bit n: -ENOSYS for number n logged; bit 63 stands for every number >= 63. */
static uint64_t logged_unknown;
static bool noreturn_mark[NR_CPUS];

const char *hypercall_name(unsigned long nr)
{
    if (nr < NR_HYPERCALLS && table[nr].name)
        return table[nr].name;
    if (nr < PARAVANE_HYPERCALL_NAMES_MAX && paravane_hypercall_names[nr])
        return paravane_hypercall_names[nr];
    return "unknown";
}

void hypercall_set_noreturn(void)
{
    noreturn_mark[smp_processor_id()] = true;
}

bool hypercall_clear_noreturn(void)
{
    bool *m = &noreturn_mark[smp_processor_id()];
    bool was = *m;
    *m = false;
    return was;
}

/* hypercall_trace=N: log the first N hypercalls of every domain by name. */
static unsigned int trace_first;
OPTION_UINT("hypercall_trace", trace_first);

/*
 * Whether a hypercall takes the slow path (hypercall_trace=, or trace
 * buffers on): one flag, so the null hypercall pays one test for both.
 * Not static: the iret fast path (syscall_fast.S) tests it too.
 */
bool hypercall_slow_path;
static bool tracing;

void hypercall_set_tracing(bool on)
{
    tracing = on;
    WRITE_ONCE(hypercall_slow_path, on || trace_first);
}

static void trace(unsigned long n, unsigned long nr, const unsigned long args[5], long rc)
{
    pr_info("d%u: hypercall %lu: %s(%#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n",
            current->domain->domain_id, n, hypercall_name(nr), args[0], args[1], args[2], args[3],
            args[4], rc);
}

static long call(unsigned long nr, const unsigned long args[5], uint64_t *counts);

/* Tracing or logging: apart, so the common path saves no registers for it. */
static long __attribute__((noinline))
dispatch_slow(unsigned long nr, const unsigned long args[5], uint64_t *counts)
{
    unsigned long n;
    long rc;

    if (tracing)
        trace_hypercall(current->mc_current ? TRC_PV_HYPERCALL_SUBCALL : TRC_PV_HYPERCALL_V2, nr,
                        args);
    if (!trace_first)
        return call(nr, args, counts);
    n = __atomic_add_fetch(&current->domain->hypercalls_made, 1, __ATOMIC_RELAXED);
    rc = call(nr, args, counts);
    if (n <= trace_first)
        trace(n, nr, args, rc);
    return rc;
}

long hypercall_dispatch(unsigned long nr, const unsigned long args[5], uint64_t *counts)
{
    if (__builtin_expect(!READ_ONCE(hypercall_slow_path), 1))
        return call(nr, args, counts);
    return dispatch_slow(nr, args, counts);
}

_Static_assert(NR_HYPERCALLS == PARAVANE_PERFC_HYPERCALLS, "a count for every number");

static long call(unsigned long nr, const unsigned long args[5], uint64_t *counts)
{
    /* The count rides on the table's own bounds check (perfc.h). */
    if (nr < NR_HYPERCALLS && table[nr].fn) {
        counts[nr]++;
        return table[nr].fn(args);
    }
    counts[MIN(nr, NR_HYPERCALLS - 1UL)]++;
    unsigned long bit = 1UL << MIN(nr, 63UL);
    if (!(__atomic_fetch_or(&logged_unknown, bit, __ATOMIC_RELAXED) & bit))
        pr_warn("d%u: unimplemented hypercall %lu (%s): -ENOSYS\n", current->domain->domain_id, nr,
                hypercall_name(nr));
    return -XEN_ENOSYS;
}

bool hypercall_preempt_check(void)
{
    const struct vcpu_info *vi = current->vcpu_info;

    /* Work for this pCPU (the scheduler, a timer's wake-up), or an event
     * the guest itself is waiting to take. */
    return softirq_pending(smp_processor_id()) ||
           (READ_ONCE(vi->evtchn_upcall_pending) && !READ_ONCE(vi->evtchn_upcall_mask));
}

void hypercall_create_continuation(unsigned long op, unsigned int nr_args,
                                   const unsigned long *args)
{
    struct vcpu *v = current;
    struct cpu_user_regs *regs;

    v->hcall_preempted = true;
    if (v->mc_current) {
        /* do_multicall() writes the entry back and resumes the batch at it. */
        for (unsigned int i = 0; i < nr_args && i < 6; i++)
            v->mc_current->args[i] = args[i];
        return;
    }
    regs = guest_cpu_user_regs();
    regs->rax = op;
    for (unsigned int i = 0; i < nr_args; i++) {
        switch (i) {
        case 0:
            regs->rdi = args[i];
            break;
        case 1:
            regs->rsi = args[i];
            break;
        case 2:
            regs->rdx = args[i];
            break;
        case 3:
            regs->r10 = args[i];
            break;
        case 4:
            regs->r8 = args[i];
            break;
        default:
            ASSERT(!"at most 5 hypercall arguments");
        }
    }
}

/* Hypercalls a multicall may not contain: they do not return normally. */
static bool multicall_allowed(unsigned long op)
{
    return op != __HYPERVISOR_multicall && op != __HYPERVISOR_iret;
}

/*
 * Calls one multicall invocation runs at most before continuing itself,
 * preemption or not: each call is bounded on its own, so the pCPU is.
 */
#define MULTICALL_CHUNK 64

static void continue_multicall(guest_ptr_t at, unsigned int left)
{
    const unsigned long args[2] = {at, left};
    hypercall_create_continuation(__HYPERVISOR_multicall, 2, args);
}

long do_multicall(guest_ptr_t list, unsigned int nr_calls)
{
    struct vcpu *v = current;
    struct multicall_entry mc;

    for (unsigned int i = 0; i < nr_calls; i++) {
        unsigned long slot = list + (unsigned long)i * sizeof(mc);
        if (i && (i >= MULTICALL_CHUNK || hypercall_preempt_check())) {
            continue_multicall(slot, nr_calls - i);
            return 0;
        }
        if (copy_from_guest(&mc, slot, sizeof(mc)))
            return -XEN_EFAULT;
        if (!multicall_allowed(mc.op)) {
            mc.result = (xen_ulong_t)-XEN_EINVAL;
        } else {
            v->mc_current = &mc;
            mc.result = (xen_ulong_t)hypercall_dispatch(mc.op, mc.args, VPERFC(v).multicall_calls);
            v->mc_current = NULL;
        }
        if (v->hcall_preempted) {
            /* The call continues itself: its entry now holds what is left
             * of it, and the batch resumes there. */
            v->hcall_preempted = false;
            if (copy_to_guest(slot, &mc, sizeof(mc)))
                return -XEN_EFAULT;
            continue_multicall(slot, nr_calls - i);
            return 0;
        }
        if (copy_to_guest(slot + __builtin_offsetof(struct multicall_entry, result), &mc.result,
                          sizeof(mc.result)))
            return -XEN_EFAULT;
        /* A call that shut the domain down ends the batch. */
        if (current->domain->state != DOMAIN_RUNNING)
            break;
    }
    return 0;
}
