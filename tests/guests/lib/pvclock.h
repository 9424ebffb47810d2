/*
 * Time and events from a test kernel's mapped shared_info: the pvclock of
 * vCPU 0 (the tsc scaled as xen.h's vcpu_time_info describes, read under
 * its version) and taking one pending event-channel bit.
 */
#ifndef PVTEST_PVCLOCK_H
#define PVTEST_PVCLOCK_H

#include "pvtest.h"

/* The TSC, as a guest kernel reads it. */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* System time in ns, by vCPU 0's pvclock. */
static inline uint64_t pvclock_now(const struct shared_info *si)
{
    const vcpu_time_info_t *t = &si->vcpu_info[0].time;
    uint32_t v;
    uint64_t ns;

    do {
        uint64_t delta;
        v = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
        delta = rdtsc() - t->tsc_timestamp;
        if (t->tsc_shift >= 0)
            delta <<= t->tsc_shift;
        else
            delta >>= -t->tsc_shift;
        ns = t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((v & 1) || v != __atomic_load_n(&t->version, __ATOMIC_ACQUIRE));
    return ns;
}

/* Clear port p's pending bit; whether it was set. */
static inline bool evtchn_take_pending(struct shared_info *si, evtchn_port_t p)
{
    return __atomic_fetch_and(&si->evtchn_pending[p / 64], ~(1UL << (p % 64)), __ATOMIC_SEQ_CST) &
           (1UL << (p % 64));
}

/*
 * Bind to the first port of domain `dom` (among its first few) left
 * unbound for us, retrying while it has not made one yet: our new local
 * port, or 0 if none came.
 */
static inline evtchn_port_t evtchn_bind_offered(domid_t dom)
{
    for (int tries = 0; tries < 100000; tries++) {
        for (evtchn_port_t p = 1; p < 8; p++) {
            struct evtchn_status s = {.dom = dom, .port = p};
            if (hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_status, &s) == 0 &&
                s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == 0) {
                struct evtchn_bind_interdomain b = {.remote_dom = dom, .remote_port = p};
                if (hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, &b))
                    return 0;
                return b.local_port;
            }
        }
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return 0;
}

#endif
