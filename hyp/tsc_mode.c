/*
 * A domain's TSC mode (XEN_DOMCTL_settscinfo / gettscinfo, Xen 4.17's
 * tsc_set_info() and tsc_get_info() semantics).
 *
 * Paravane never emulates RDTSC: guests read the TSC natively, and all of
 * its time keeping assumes the TSC is constant and synchronised across
 * CPUs (what Xen calls a safe host TSC). So the modes Xen runs natively
 * are accepted: "never emulate" (2), and "default" (0) at the host's
 * frequency, which is how Xen runs a new domain on such a host. What
 * would need emulation (mode 1, or a guest frequency other than the
 * host's) is refused with -EOPNOTSUPP rather than recorded and ignored.
 * The control domain's mode cannot change (Xen: a PV hardware domain
 * never emulates); the call succeeds and changes nothing, as on Xen.
 */
#include "tsc_mode.h"
#include "asm/processor.h"
#include "domain.h"
#include "time.h"
#include <xen/errno.h>

#define TSC_MODE_DEFAULT        0
#define TSC_MODE_ALWAYS_EMULATE 1
#define TSC_MODE_NEVER_EMULATE  2

int tsc_mode_set(struct domain *d, const struct xen_domctl_tsc_info *t)
{
    if (d->is_privileged)
        return 0;
    switch (t->tsc_mode) {
    case TSC_MODE_DEFAULT:
        if (t->gtsc_khz && t->gtsc_khz != tsc_khz())
            return -XEN_EOPNOTSUPP; /* a scaled TSC: Xen would emulate it */
        break;
    case TSC_MODE_NEVER_EMULATE:
        break;
    case TSC_MODE_ALWAYS_EMULATE:
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_EINVAL;
    }
    d->tsc_mode = t->tsc_mode;
    d->tsc_incarnation = t->incarnation + 1;
    return 0;
}

void tsc_mode_get(const struct domain *d, struct xen_domctl_tsc_info *t)
{
    t->tsc_mode = d->tsc_mode;
    t->incarnation = d->tsc_incarnation;
    t->pad = 0;
    if (d->tsc_mode == TSC_MODE_NEVER_EMULATE) {
        t->elapsed_nsec = 0;
        t->gtsc_khz = 0;
        return;
    }
    /* Native default mode: the TSC as nanoseconds, at the host's rate. */
    t->gtsc_khz = (uint32_t)tsc_khz();
    if (t->gtsc_khz) {
        uint64_t tsc = rdtsc();

        t->elapsed_nsec = tsc / t->gtsc_khz * 1000000u + tsc % t->gtsc_khz * 1000000u / t->gtsc_khz;
    } else {
        t->elapsed_nsec = 0;
    }
}
