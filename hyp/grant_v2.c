/*
 * Grant tables, version 2 (grant_entry_v2_t in the Xen headers), and the
 * switch between the versions (GNTTABOP_set_version).
 *
 * A version 2 entry keeps what the granter writes (type, grantee, frame;
 * or a part of a frame, GTF_sub_page; or another domain's grant,
 * GTF_transitive) apart from what the hypervisor writes: GTF_reading and
 * GTF_writing live in a separate array of 16-bit status words, in status
 * frames the domain maps by machine frame (GNTTABOP_get_status_frames),
 * one frame per 2048 entries. A granter ends a grant by clearing its
 * flags, then reads the status word; so a use sets the status bits first
 * and only then takes a second look at the flags, and gives up (clearing
 * what it set) if the grant changed under it. With the granter doing the
 * mirror image, either the use sees the grant gone or the granter sees
 * it in use.
 *
 * A sub-page grant may be copied within its bounds but not mapped, as on
 * Xen. A transitive grant cannot be mapped either; nor is it followed for
 * a copy: Xen's answer with transitive grants turned off (transitive=0),
 * GNTST_general_error.
 *
 * Switching versions clears the table, but for its first 8 entries (the
 * toolstack's reserved grants: console, xenstore), which are carried
 * over, and it is refused while any other entry is in use. Going back to
 * version 1 gives the status frames back, so it is refused while the
 * domain (or anyone) still maps one, and for a reserved entry version 1
 * cannot hold (a transitive one, a frame above 32 bits).
 *
 * Locking: as grant_table.c: the table lock guards the status frames.
 */
#include "grant_private.h"
#include "grant_table.h"
#include "guest_access.h"
#include "hypercall.h"
#include "mm/page_alloc.h"
#include "mm/page_type.h"
#include "mm/pv_mm.h"
#include "percpu.h"
#include <xen/errno.h>

static grant_entry_v2_t *v2_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &((grant_entry_v2_t *)gt->shared[ref / GNT_V2_PER_FRAME])[ref % GNT_V2_PER_FRAME];
}

static grant_status_t *status_of(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->status[ref / GNT_STATUS_PER_FRAME][ref % GNT_STATUS_PER_FRAME];
}

static unsigned int status_frames_for(unsigned int grant_frames)
{
    return (unsigned int)((grant_frames * GNT_V2_PER_FRAME + GNT_STATUS_PER_FRAME - 1) /
                          GNT_STATUS_PER_FRAME);
}

/* May `user` take this use of the entry (map: whole-frame grants only)? */
static bool grant_allows(uint16_t flags, domid_t domid, domid_t user, bool readonly, bool map)
{
    uint16_t mask = GTF_type_mask | (map ? GTF_sub_page : 0);

    return (flags & mask) == GTF_permit_access && domid == user &&
           (readonly || !(flags & GTF_readonly));
}

int grant_v2_claim(struct grant_table *gt, grant_ref_t ref, domid_t user, bool readonly, bool map,
                   struct grant_span *span)
{
    grant_entry_v2_t *e = v2_entry(gt, ref);
    uint16_t flags = READ_ONCE(e->hdr.flags);

    /* A write use of a read-only grant is Xen's general error here too. */
    if (!grant_allows(flags, READ_ONCE(e->hdr.domid), user, readonly, map))
        return GNTST_general_error;
    __atomic_fetch_or(status_of(gt, ref), (uint16_t)(GTF_reading | (readonly ? 0 : GTF_writing)),
                      __ATOMIC_SEQ_CST);
    flags = __atomic_load_n(&e->hdr.flags, __ATOMIC_SEQ_CST);
    if (!grant_allows(flags, READ_ONCE(e->hdr.domid), user, readonly, map)) {
        grant_v2_sync_status(gt, ref); /* ended under us: take back what we set */
        return GNTST_general_error;
    }
    if (flags & GTF_sub_page) {
        span->frame = READ_ONCE(e->sub_page.frame);
        span->offset = READ_ONCE(e->sub_page.page_off);
        span->length = READ_ONCE(e->sub_page.length);
    } else {
        span->frame = READ_ONCE(e->full_page.frame);
        span->offset = 0;
        span->length = PAGE_SIZE;
    }
    return GNTST_okay;
}

void grant_v2_sync_status(struct grant_table *gt, grant_ref_t ref)
{
    const struct grant_active *a = grant_active_of(gt, ref);
    uint16_t clear = (a->readers || a->writers ? 0 : GTF_reading) | (a->writers ? 0 : GTF_writing);

    __atomic_fetch_and(status_of(gt, ref), (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

int grant_v2_grow_status(struct domain *d, unsigned int nr_frames)
{
    struct grant_table *gt = d->grant;
    unsigned int want = status_frames_for(nr_frames), i;

    for (i = gt->nr_status_frames; i < want; i++) {
        gt->status[i] = alloc_xenheap_pages(0);
        if (!gt->status[i])
            goto fail;
    }
    for (i = gt->nr_status_frames; i < want; i++)
        grant_share_page(d, gt->status[i]);
    gt->nr_status_frames = want;
    return 0;
fail:
    while (i-- > gt->nr_status_frames) {
        free_xenheap_pages(gt->status[i], 0);
        gt->status[i] = NULL;
    }
    return -XEN_ENOMEM;
}

/*
 * Take the status frames off the table into `gone` (their count returned),
 * to be given back with release_status() once the table lock is dropped:
 * freeing a frame may wait for other pCPUs to flush their TLBs, which they
 * cannot while one spins for the lock with interrupts off.
 */
static unsigned int detach_status(struct grant_table *gt, grant_status_t **gone)
{
    unsigned int n = gt->nr_status_frames;

    for (unsigned int i = 0; i < n; i++) {
        gone[i] = gt->status[i];
        gt->status[i] = NULL;
    }
    gt->nr_status_frames = 0;
    return n;
}

/* Not under the table lock: a frame freed here may flush TLBs. */
static void release_status(grant_status_t **gone, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        grant_release_shared_page(gone[i]);
}

void grant_v2_destroy(struct grant_table *gt)
{
    grant_status_t *gone[GNT_MAX_STATUS_FRAMES];

    release_status(gone, detach_status(gt, gone));
}

/* The reserved entries, read in version 1's form from the current layout. */
static void save_reserved(struct grant_table *gt, grant_entry_v1_t *keep, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        grant_entry_v2_t *e;

        if (gt->version == 1) {
            keep[i] = gt->shared[0][i];
            continue;
        }
        e = v2_entry(gt, i);
        keep[i] = (grant_entry_v1_t){0};
        if ((e->hdr.flags & GTF_type_mask) == GTF_permit_access)
            keep[i] = (grant_entry_v1_t){(uint16_t)(e->hdr.flags | *status_of(gt, i)), e->hdr.domid,
                                         (uint32_t)e->full_page.frame};
    }
}

/* And written back in the new layout (gt->version already the new one). */
static void restore_reserved(struct grant_table *gt, const grant_entry_v1_t *keep, unsigned int n)
{
    const uint16_t in_use = GTF_reading | GTF_writing;

    for (unsigned int i = 0; i < n; i++) {
        grant_entry_v2_t *e;

        if (gt->version == 1) {
            gt->shared[0][i] = keep[i];
            continue;
        }
        e = v2_entry(gt, i);
        *status_of(gt, i) = keep[i].flags & in_use;
        e->hdr.domid = keep[i].domid;
        e->full_page.frame = keep[i].frame;
        e->hdr.flags = keep[i].flags & (uint16_t)~in_use;
    }
}

/* Would going back to version 1 lose something? -XEN_ERANGE, -XEN_EBUSY or 0. */
static int check_leaving_v2(struct grant_table *gt, unsigned int reserved)
{
    for (unsigned int i = 0; i < reserved; i++) {
        grant_entry_v2_t *e = v2_entry(gt, i);
        uint16_t type = e->hdr.flags & GTF_type_mask;

        if (type == GTF_transitive || (type == GTF_permit_access && e->full_page.frame >> 32))
            return -XEN_ERANGE;
    }
    for (unsigned int i = 0; i < gt->nr_status_frames; i++)
        if (grant_shared_page_mapped(gt->status[i]))
            return -XEN_EBUSY;
    return 0;
}

/*
 * Both locks held. 0 or a negative Xen errno, the table unchanged on
 * error; status frames no longer needed are left in gone[*nr_gone].
 */
static int switch_version(struct domain *d, unsigned int version, grant_status_t **gone,
                          unsigned int *nr_gone)
{
    struct grant_table *gt = d->grant;
    grant_entry_v1_t keep[GNTTAB_NR_RESERVED_ENTRIES];
    unsigned int n = grant_nr_entries(gt);
    unsigned int reserved = MIN(n, (unsigned int)GNTTAB_NR_RESERVED_ENTRIES);
    int rc;

    if (gt->version == version)
        return 0;
    for (grant_ref_t ref = GNTTAB_NR_RESERVED_ENTRIES; ref < n; ref++) {
        const struct grant_active *a = grant_active_of(gt, ref);
        if (a->readers || a->writers)
            return -XEN_EBUSY;
    }
    /*
     * Into version 2 with at least one frame: Xen's tables always have
     * one, and Linux asks for its status frames before its setup_table.
     */
    rc = gt->version == 2 ? check_leaving_v2(gt, reserved)
                          : grant_grow_table(d, MAX(gt->nr_frames, 1u));
    if (!rc && gt->version == 1)
        rc = grant_v2_grow_status(d, gt->nr_frames);
    if (rc)
        return rc;
    save_reserved(gt, keep, reserved);
    if (version == 1)
        *nr_gone = detach_status(gt, gone);
    for (unsigned int f = 0; f < gt->nr_frames; f++)
        memset(gt->shared[f], 0, PAGE_SIZE);
    gt->version = version;
    restore_reserved(gt, keep, reserved);
    return 0;
}

long grant_v2_set_version(guest_ptr_t uop)
{
    struct domain *d = current->domain;
    struct grant_table *gt = d->grant;
    grant_status_t *gone[GNT_MAX_STATUS_FRAMES];
    unsigned int nr_gone = 0;
    struct gnttab_set_version op;
    unsigned long irq;
    long rc;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    rc = -XEN_EINVAL;
    if (op.version != 1 && op.version != 2)
        goto out;
    /* A domain created for version 1 only: as before set_version existed. */
    rc = -XEN_ENOSYS;
    if (op.version == 2 && gt->max_version < 2)
        goto out;
    irq = spin_lock_irqsave(&gt->lock);
    rc = switch_version(d, op.version, gone, &nr_gone);
    spin_unlock_irqrestore(&gt->lock, irq);
    release_status(gone, nr_gone);
out:
    op.version = gt->version; /* the version in force, whatever the outcome */
    if (copy_to_guest(uop, &op, sizeof(op)))
        rc = -XEN_EFAULT;
    return rc;
}

/* The domain an op names, if the caller may look at its table (Xen's
 * XSM_TARGET: itself, or the control domain); held until domain_put_by_id. */
static struct domain *target(domid_t id, bool *denied)
{
    struct domain *d = domain_get_by_id(id);

    *denied = d && d != current->domain && !current->domain->is_privileged;
    if (*denied) {
        domain_put_by_id(d);
        d = NULL;
    }
    return d;
}

long grant_v2_get_version(guest_ptr_t uop)
{
    struct gnttab_get_version op;
    struct domain *d;
    bool denied;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    d = target(op.dom, &denied);
    if (!d)
        return denied ? -XEN_EPERM : -XEN_ESRCH;
    op.version = READ_ONCE(d->grant->version);
    domain_put_by_id(d);
    return copy_to_guest(uop + offsetof(struct gnttab_get_version, version), &op.version,
                         sizeof(op.version))
               ? -XEN_EFAULT
               : 0;
}

long grant_v2_get_status_frames(guest_ptr_t uop, unsigned int count)
{
    struct gnttab_get_status_frames op;
    uint64_t frames[GNT_MAX_STATUS_FRAMES];
    struct domain *d;
    unsigned long irq;
    bool denied;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (!guest_range_ok((unsigned long)op.frame_list.p, (size_t)op.nr_frames * sizeof(uint64_t)))
        return -XEN_EFAULT;
    d = target(op.dom, &denied);
    op.status = d ? GNTST_okay : denied ? GNTST_permission_denied : GNTST_bad_domain;
    if (d) {
        struct grant_table *gt = d->grant;

        irq = spin_lock_irqsave(&gt->lock);
        if (op.nr_frames > gt->nr_status_frames)
            op.status = GNTST_general_error; /* more than it has (none under version 1) */
        for (unsigned int i = 0; op.status == GNTST_okay && i < op.nr_frames; i++)
            frames[i] = virt_to_mfn(gt->status[i]);
        spin_unlock_irqrestore(&gt->lock, irq);
        domain_put_by_id(d);
    }
    /* Written outside the lock: a fault is the guest's, reported in status. */
    for (unsigned int i = 0; op.status == GNTST_okay && i < op.nr_frames; i++)
        if (copy_to_guest((guest_ptr_t)op.frame_list.p + i * sizeof(uint64_t), &frames[i],
                          sizeof(frames[i])))
            op.status = GNTST_bad_virt_addr;
    return copy_to_guest(uop + offsetof(struct gnttab_get_status_frames, status), &op.status,
                         sizeof(op.status))
               ? -XEN_EFAULT
               : 0;
}

int grant_table_set_max_version(struct domain *d, unsigned int max_version)
{
    if (max_version < 1 || max_version > 2)
        return -XEN_EINVAL;
    if (d)
        d->grant->max_version = max_version;
    return 0;
}
