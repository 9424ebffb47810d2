/*
 * The xen_version hypercall: who we say we are to guests. We implement
 * the Xen 4.17 PV interface, so we report 4.17 with "-paravane" as the
 * extra version, and the feature bits this hypervisor actually provides.
 */
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/version.h>

#define VERSION_MAJOR 4
#define VERSION_MINOR 17

static uint32_t features(unsigned int submap, const struct domain *d)
{
    uint32_t f = 0;

    if (submap != 0)
        return 0;
    /* Linux panics without these two. */
    f |= 1u << XENFEAT_mmu_pt_update_preserve_ad;
    f |= 1u << XENFEAT_gnttab_map_avail_bits;
    if (d->is_privileged)
        f |= 1u << XENFEAT_dom0;
    return f;
}

/* Fill a fixed-size string field of the guest's (NUL-padded, as Xen does). */
static long copy_string(guest_ptr_t arg, const char *s, size_t size)
{
    char buf[sizeof(xen_commandline_t)];

    ASSERT(size <= sizeof(buf));
    memset(buf, 0, size);
    strlcpy(buf, s, size);
    return copy_to_guest(arg, buf, size) ? -XEN_EFAULT : 0;
}

long do_xen_version(int cmd, guest_ptr_t arg)
{
    const struct domain *d = current->domain;

    switch (cmd) {
    case XENVER_version:
        return (VERSION_MAJOR << 16) | VERSION_MINOR;
    case XENVER_extraversion:
        return copy_string(arg, "-paravane", sizeof(xen_extraversion_t));
    case XENVER_compile_info: {
        struct xen_compile_info ci;
        memset(&ci, 0, sizeof(ci));
        strlcpy(ci.compiler, "gcc", sizeof(ci.compiler));
        strlcpy(ci.compile_by, "paravane", sizeof(ci.compile_by));
        strlcpy(ci.compile_domain, "paravane", sizeof(ci.compile_domain));
        strlcpy(ci.compile_date, __DATE__, sizeof(ci.compile_date));
        return copy_to_guest(arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
    }
    case XENVER_capabilities:
        return copy_string(arg, "xen-3.0-x86_64", sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_string(arg, "paravane", sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters: {
        struct xen_platform_parameters p = {.virt_start = HYPERVISOR_VIRT_START};
        return copy_to_guest(arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
    }
    case XENVER_get_features: {
        struct xen_feature_info fi;
        if (copy_from_guest(&fi, arg, sizeof(fi)))
            return -XEN_EFAULT;
        fi.submap = features(fi.submap_idx, d);
        return copy_to_guest(arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle:
        return copy_to_guest(arg, (xen_domain_handle_t){0}, sizeof(xen_domain_handle_t))
                   ? -XEN_EFAULT
                   : 0;
    case XENVER_commandline:
        return copy_string(arg, "", sizeof(xen_commandline_t));
    default:
        return -XEN_ENOSYS;
    }
}
