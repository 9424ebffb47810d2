/*
 * Grant tables, version 1 (grant_table.h in the Xen headers).
 *
 * A domain's table is a few hypervisor pages it maps and writes itself:
 * entry r says "domain D may map (or copy) my frame F, read-only or not".
 * The hypervisor keeps, per entry, how many mappings of it exist (readers,
 * writers) and mirrors that in the entry's GTF_reading/GTF_writing bits,
 * which the granter checks with a cmpxchg before ending a grant: a grant
 * that is mapped cannot be taken back. Each mapping a domain makes is
 * recorded in its maptrack under a handle, which unmap names.
 *
 * A host mapping is a PTE in the mapper's L1 carrying GNT_PTE_BIT, so the
 * ordinary PTE paths never take or drop its references: they belong to the
 * maptrack entry (the frame's general reference, and a writable type
 * reference unless read-only).
 *
 * A use of a grant holds a general reference on the frame (and a writable
 * type reference unless read-only), taken against the granter's id while
 * the granter's lock shows the entry valid, so the frame stays the
 * granter's (and counted against it) for as long as the use lasts, even if
 * the granter gives it back meanwhile. A copy holds its references across
 * the copy.
 *
 * Locking: a domain's maptrack_lock (one unmap of a handle at a time),
 * then page-table page locks (grant PTEs, mm/page_type.h), then a table's
 * lock (never the other way round). The table lock guards its active
 * counts, its entries' flags and its maptrack's slots; frame references
 * are atomic counts. A table's frames go at the domain's destruction,
 * its structure only with the domain (a pin still under way elsewhere
 * then finds no entries).
 */
#include "grant_table.h"
#include "grant_private.h"
#include "cmdline.h"
#include "console.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "mm/xmalloc.h"
#include "percpu.h"
#include "perfc.h"
#include "time.h"
#include <xen/errno.h>
#include <xen/grant_table.h>

#define MAPTRACK_MAX 4096

struct maptrack {
    bool in_use;
    domid_t granter;
    grant_ref_t ref;
    bool readonly;
    mfn_t frame;
    mfn_t l1; /* the PTE that maps it: table frame and index */
    unsigned int idx;
    bool host;        /* a host mapping exists */
    bool device;      /* a device (bus address) mapping exists: GNTMAP_device_map */
    bool by_pte_addr; /* GNTMAP_contains_pte: host_addr names the PTE itself */
};

/*
 * Test hook (grant_map_delay_ms=N): every grant use (map, copy) stalls N ms
 * between its look at the grant and its reference on the frame, so a guest
 * test can have the granter act in between (tests/guests/hostile.c). Both
 * happen under the granter's lock, so all the granter can do is wait.
 */
static unsigned int map_delay_ms;
OPTION_UINT("grant_map_delay_ms", map_delay_ms);

static void test_map_delay(void)
{
    s_time_t until;

    if (!map_delay_ms)
        return;
    until = NOW() + MILLISECS(map_delay_ms);
    while (NOW() < until)
        cpu_relax();
}

int grant_table_init(struct domain *d)
{
    d->grant = xzalloc(struct grant_table);
    if (!d->grant)
        return -XEN_ENOMEM;
    spin_lock_init(&d->grant->lock);
    spin_lock_init(&d->grant->maptrack_lock);
    d->grant->max_frames = GNT_MAX_FRAMES;
    d->grant->max_maptrack = MAPTRACK_MAX;
    d->grant->version = 1;
    d->grant->max_version = 2;
    return 0;
}

/* A maptrack frame's worth of handles, as Xen counts them (16-byte entries). */
#define MAPTRACK_PER_FRAME ((int)(PAGE_SIZE / 16))

int grant_table_set_limits(struct domain *d, int32_t frames, int32_t maptrack_frames)
{
    if (frames < 0)
        frames = GNT_MAX_FRAMES;
    if (maptrack_frames < 0)
        maptrack_frames = MAPTRACK_MAX / MAPTRACK_PER_FRAME;
    if (frames < 1 || frames > GNT_MAX_FRAMES ||
        maptrack_frames > MAPTRACK_MAX / MAPTRACK_PER_FRAME)
        return -XEN_EINVAL;
    if (!d)
        return 0;
    d->grant->max_frames = (unsigned int)frames;
    d->grant->max_maptrack = (unsigned int)maptrack_frames * MAPTRACK_PER_FRAME;
    return 0;
}

/* The domain an op names, held until domain_put_by_id(). */
static struct domain *named(domid_t id)
{
    return domain_get_by_id(id);
}

void grant_share_page(struct domain *d, void *page)
{
    struct page_info *pg = mfn_to_page(virt_to_mfn(page));

    clear_page(page);
    page_assign(pg, d->domain_id);
    page_flags_set(pg, PGC_xen_heap);
}

bool grant_shared_page_mapped(const void *page)
{
    return page_count(mfn_to_page(virt_to_mfn(page))) != 1; /* beyond the allocation's */
}

void grant_release_shared_page(void *page)
{
    struct page_info *pg = mfn_to_page(virt_to_mfn(page));

    page_flags_clear(pg, PGC_xen_heap);
    page_release(pg);
}

/* Grow d's table to `nr` frames (shared with d like its shared_info), and
 * its status frames with it under version 2. */
int grant_grow_table(struct domain *d, unsigned int nr)
{
    struct grant_table *gt = d->grant;

    while (gt->nr_frames < nr) {
        unsigned int f = gt->nr_frames;
        void *page = alloc_xenheap_pages(0);
        struct grant_active *act = xzalloc_array(struct grant_active, GNT_PER_FRAME);

        if (!page || !act) {
            free_xenheap_pages(page, 0);
            xfree(act);
            return -XEN_ENOMEM;
        }
        grant_share_page(d, page);
        gt->shared[f] = page;
        gt->active[f] = act;
        gt->nr_frames = f + 1;
    }
    return gt->version == 2 ? grant_v2_grow_status(d, gt->nr_frames) : 0;
}

int grant_table_seed(struct domain *d, grant_ref_t ref, domid_t grantee, mfn_t frame)
{
    unsigned long irq = spin_lock_irqsave(&d->grant->lock);
    int rc = grant_grow_table(d, 1);

    if (!rc && (ref >= GNT_PER_FRAME || frame != (uint32_t)frame))
        rc = -XEN_EINVAL; /* v1 entries hold 32-bit frame numbers */
    if (!rc) {
        grant_entry_v1_t *e = &d->grant->shared[0][ref];

        e->domid = grantee;
        e->frame = (uint32_t)frame;
        __atomic_store_n(&e->flags, (uint16_t)GTF_permit_access, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&d->grant->lock, irq);
    return rc;
}

static long setup_table(guest_ptr_t arg)
{
    struct gnttab_setup_table op;
    struct domain *d;
    unsigned long irq;

    if (copy_from_guest(&op, arg, sizeof(op)))
        return -XEN_EFAULT;
    d = named(op.dom);
    op.status = GNTST_okay;
    if (!d)
        op.status = GNTST_bad_domain;
    else if (d != current->domain && !current->domain->is_privileged)
        op.status = GNTST_permission_denied; /* Xen's XSM_TARGET */
    else if (op.nr_frames > d->grant->max_frames)
        op.status = GNTST_general_error;
    if (op.status == GNTST_okay) {
        irq = spin_lock_irqsave(&d->grant->lock);
        if (grant_grow_table(d, op.nr_frames))
            op.status = GNTST_no_space;
        for (unsigned int i = 0; op.status == GNTST_okay && i < op.nr_frames; i++) {
            xen_pfn_t f = virt_to_mfn(d->grant->shared[i]);
            if (copy_to_guest((guest_ptr_t)op.frame_list.p + i * sizeof(f), &f, sizeof(f)))
                op.status = GNTST_general_error;
        }
        spin_unlock_irqrestore(&d->grant->lock, irq);
    }
    domain_put_by_id(d);
    return copy_to_guest(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* Clear GTF_reading / GTF_writing once no mapping needs them. Lock held. */
static void sync_flags(grant_entry_v1_t *e, const struct grant_active *a)
{
    uint16_t clear = (a->readers || a->writers ? 0 : GTF_reading) | (a->writers ? 0 : GTF_writing);
    __atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

/*
 * Version 1's entry `ref`: granted to `user`, writable if asked. Lock held.
 * (Xen's answer to a write use of a read-only grant is
 * GNTST_general_error; this one predates version 2 and is left to the
 * map/copy work.)
 */
static int v1_claim(struct grant_table *gt, grant_ref_t ref, domid_t user, bool readonly,
                    struct grant_span *span)
{
    grant_entry_v1_t *e = &gt->shared[ref / GNT_PER_FRAME][ref % GNT_PER_FRAME];
    uint16_t flags = READ_ONCE(e->flags);

    /* Not granted (or ended), granted to someone else, or a write use of a
     * read-only grant: Xen's general error (its _set_status) for each. */
    if ((flags & GTF_type_mask) != GTF_permit_access || READ_ONCE(e->domid) != user ||
        (!readonly && (flags & GTF_readonly)))
        return GNTST_general_error;
    span->frame = READ_ONCE(e->frame);
    span->offset = 0;
    span->length = PAGE_SIZE;
    return GNTST_okay;
}

/* Make entry ref's in-use bits say what its active counts say. Lock held. */
static void sync_in_use(struct grant_table *gt, grant_ref_t ref)
{
    if (gt->version == 2)
        grant_v2_sync_status(gt, ref);
    else
        sync_flags(&gt->shared[ref / GNT_PER_FRAME][ref % GNT_PER_FRAME], grant_active_of(gt, ref));
}

/*
 * Pin grant `ref` of `granter` for `user` and take the frame references the
 * use needs: the entry must permit access to `user` (and be a whole-frame
 * grant if `map`), and not be read-only if a writable use is asked. The
 * references are taken here, under the
 * granter's lock and against the granter's id (get_page() checks the
 * owner once it holds the frame), so a frame the granter gives back
 * meanwhile (decrease_reservation) is either still its own, and held, or
 * refused.
 * Returns a GNTST_* status; on success *span is what was granted.
 */
static int pin_grant(struct domain *granter, grant_ref_t ref, struct domain *user, bool readonly,
                     bool map, struct grant_span *span)
{
    struct grant_table *gt = granter->grant;
    struct grant_active *a;
    struct page_info *pg, *drop = NULL;
    unsigned long irq;
    int st = GNTST_okay;

    irq = spin_lock_irqsave(&gt->lock);
    if (ref >= grant_nr_entries(gt)) {
        st = GNTST_bad_gntref;
        goto out;
    }
    a = grant_active_of(gt, ref);
    /* Version 2 marks the entry in use before its second look at it. */
    if (gt->version == 2)
        st = grant_v2_claim(gt, ref, user->domain_id, readonly, map, span);
    else
        st = v1_claim(gt, ref, user->domain_id, readonly, span);
    if (st != GNTST_okay)
        goto out;
    if (span->frame >= max_mfn) {
        st = GNTST_bad_page;
        goto undo;
    }
    pg = mfn_to_page(span->frame);
    test_map_delay();
    if (!get_page(pg, granter->domain_id)) {
        st = GNTST_bad_page; /* not the granter's to grant */
        goto undo;
    }
    if (!readonly && get_page_type(pg, PGT_writable)) {
        drop = pg;                /* after the lock: it may be the last reference */
        st = GNTST_general_error; /* a page table or descriptor page */
        goto undo;
    }
    if (readonly)
        a->readers++;
    else
        a->writers++;
    if (gt->version == 1)
        __atomic_fetch_or(&gt->shared[ref / GNT_PER_FRAME][ref % GNT_PER_FRAME].flags,
                          (uint16_t)(GTF_reading | (readonly ? 0 : GTF_writing)), __ATOMIC_SEQ_CST);
    goto out;
undo:
    if (gt->version == 2)
        grant_v2_sync_status(gt, ref);
out:
    spin_unlock_irqrestore(&gt->lock, irq);
    if (drop)
        put_page(drop);
    return st;
}

static void unpin_grant(struct domain *granter, grant_ref_t ref, bool readonly)
{
    struct grant_table *gt;
    unsigned long irq;

    if (!granter) /* gone: its table went with it */
        return;
    gt = granter->grant;
    irq = spin_lock_irqsave(&gt->lock);
    /* Below the v1 bound even if the version changed meanwhile: the pin
     * kept the count (and set_version allows that only for the reserved
     * entries, which both versions have). */
    if (ref < gt->nr_frames * GNT_PER_FRAME) {
        struct grant_active *a = grant_active_of(gt, ref);
        if (readonly && a->readers)
            a->readers--;
        else if (!readonly && a->writers)
            a->writers--;
        if (ref < grant_nr_entries(gt))
            sync_in_use(gt, ref);
    }
    spin_unlock_irqrestore(&gt->lock, irq);
}

/* Drop what pin_grant() (or a local copy operand) took. */
static void put_grant_refs(mfn_t frame, bool readonly)
{
    struct page_info *pg = mfn_to_page(frame);

    if (!readonly)
        put_page_type(pg);
    put_page(pg);
}

/* A maptrack handle for `m`, or -1. */
static int alloc_handle(struct domain *d, const struct maptrack *m)
{
    struct grant_table *gt = d->grant;
    unsigned long irq = spin_lock_irqsave(&gt->lock);
    int h = -1;

    if (!gt->maptrack)
        gt->maptrack = xzalloc_array(struct maptrack, MAPTRACK_MAX);
    for (int i = 0; gt->maptrack && i < (int)gt->max_maptrack; i++) {
        if (!gt->maptrack[i].in_use) {
            gt->maptrack[i] = *m;
            gt->maptrack[i].in_use = true;
            h = i;
            break;
        }
    }
    spin_unlock_irqrestore(&gt->lock, irq);
    return h;
}

static void map_one(struct gnttab_map_grant_ref *op)
{
    struct domain *mapper = current->domain, *granter;
    bool ro = op->flags & GNTMAP_readonly;
    struct maptrack m = {.ref = op->ref, .readonly = ro, .device = op->flags & GNTMAP_device_map};
    struct grant_span span;
    int h = -1;

    op->handle = (grant_handle_t)~0U;
    if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map))) {
        op->status = GNTST_general_error;
        return;
    }
    granter = domain_get_by_id(op->dom);
    if (!granter) {
        op->status = GNTST_bad_domain;
        return;
    }
    m.granter = granter->domain_id;
    op->status = (int16_t)pin_grant(granter, op->ref, mapper, ro, true, &span);
    if (op->status != GNTST_okay)
        goto out;
    m.frame = span.frame;
    if (op->flags & GNTMAP_host_map) {
        int rc;
        if (op->flags & GNTMAP_contains_pte) {
            m.l1 = op->host_addr >> PAGE_SHIFT;
            m.idx = (unsigned int)((op->host_addr & ~PAGE_MASK) >> 3);
            m.by_pte_addr = true;
            rc = (op->host_addr & 7) ? -XEN_EINVAL : 0;
        } else {
            rc = pt_find_l1e(current->arch.guest_table, op->host_addr, &m.l1, &m.idx);
        }
        if (!rc)
            rc = pt_install_grant(m.l1, m.idx, m.frame, ro, mapper);
        if (rc)
            op->status = GNTST_bad_virt_addr;
        m.host = !rc;
    }
    if (op->status == GNTST_okay) {
        h = alloc_handle(mapper, &m);
        if (h < 0) {
            if (m.host)
                pt_remove_grant(m.l1, m.idx, m.frame, mapper);
            op->status = GNTST_no_space;
        }
    }
    if (op->status != GNTST_okay) {
        put_grant_refs(m.frame, ro);
        unpin_grant(granter, op->ref, ro);
    }
out:
    domain_put_by_id(granter);
    if (h < 0)
        return;
    op->handle = (grant_handle_t)h;
    /* Linux reads the granted frame from here for every map (blkback). */
    op->dev_bus_addr = (uint64_t)m.frame << PAGE_SHIFT;
}

/* Does `host_addr` name the PTE of host mapping `m`, as the guest must say it? */
/* What a guest's unmap names: addresses of the parts to undo (0: not this part). */
struct unmap_req {
    uint64_t host_addr, dev_bus_addr, new_addr;
};

static bool names_mapping(const struct maptrack *m, uint64_t host_addr)
{
    mfn_t l1;
    unsigned int idx;

    if (m->by_pte_addr)
        return !(host_addr & 7) && host_addr >> PAGE_SHIFT == m->l1 &&
               ((host_addr & ~PAGE_MASK) >> 3) == m->idx;
    return pt_find_l1e(current->arch.guest_table, host_addr, &l1, &idx) == 0 && l1 == m->l1 &&
           idx == m->idx;
}

/* Drop what maptrack entry m held: the granter's pin and the references. */
static void release_grant(const struct maptrack *m)
{
    struct domain *g = domain_get_by_id(m->granter);

    put_grant_refs(m->frame, m->readonly);
    unpin_grant(g, m->ref, m->readonly); /* none left if the granter is gone */
    domain_put_by_id(g);
}

/*
 * Undo maptrack entry `h` of d, or the parts of it a guest's unmap names,
 * as Xen's unmap_common: a host mapping only by the address it was made
 * at (another is GNTST_general_error and changes nothing), a device
 * mapping only by its bus address (another is GNTST_bad_dev_addr); a part
 * not named stays, and so does the handle, until both are gone. With
 * `new_addr` (GNTTABOP_unmap_and_replace) the host mapping's PTE becomes
 * the one at new_addr, which is cleared. Not by the guest (the domain is
 * going): everything goes. Under d's maptrack_lock, so a handle is
 * undone once however many vCPUs ask.
 */
static int unmap_handle(struct domain *d, unsigned int h, const struct unmap_req *req)
{
    struct grant_table *gt = d->grant;
    struct maptrack m;
    unsigned long irq;
    int st = GNTST_okay;

    if (h >= MAPTRACK_MAX || !gt->maptrack)
        return GNTST_bad_handle;
    spin_lock(&gt->maptrack_lock);
    irq = spin_lock_irqsave(&gt->lock);
    m = gt->maptrack[h];
    spin_unlock_irqrestore(&gt->lock, irq);
    if (!m.in_use) {
        st = GNTST_bad_handle;
        goto out;
    }
    if (req) {
        if (req->dev_bus_addr && m.device && req->dev_bus_addr != (uint64_t)m.frame << PAGE_SHIFT) {
            st = GNTST_bad_dev_addr;
            goto out;
        }
        if (req->host_addr && m.host) {
            if (!names_mapping(&m, req->host_addr)) {
                st = GNTST_general_error;
                goto out;
            }
            if (req->new_addr) {
                mfn_t nl1;
                unsigned int nidx;

                /* Xen moves only an ordinary PTE onto a grant made by address. */
                if (m.by_pte_addr ||
                    pt_find_l1e(current->arch.guest_table, req->new_addr, &nl1, &nidx) ||
                    pt_move_into_grant(m.l1, m.idx, m.frame, nl1, nidx, d)) {
                    st = GNTST_general_error;
                    goto out;
                }
            } else {
                pt_remove_grant(m.l1, m.idx, m.frame, d);
            }
            m.host = false;
        }
        if (req->dev_bus_addr && m.device)
            m.device = false;
    } else {
        if (m.host)
            pt_remove_grant(m.l1, m.idx, m.frame, d);
        m.host = m.device = false;
    }
    irq = spin_lock_irqsave(&gt->lock);
    gt->maptrack[h].host = m.host;
    gt->maptrack[h].device = m.device;
    if (!m.host && !m.device)
        gt->maptrack[h].in_use = false;
    spin_unlock_irqrestore(&gt->lock, irq);
    if (!m.host && !m.device)
        release_grant(&m);
out:
    spin_unlock(&gt->maptrack_lock);
    return st;
}

/*
 * One operand of a copy: a grant (pinned, with its references) or a frame
 * of the caller's own (a local gmfn is a machine frame for PV), with a
 * general reference, and a writable type one if written.
 * GNTST_*; on success *granter is the granter, or NULL for a local frame.
 */
static int get_copy_operand(const struct gnttab_copy_ptr *p, bool is_gref, bool write,
                            struct grant_span *span, struct domain **granter)
{
    struct domain *cur = current->domain;
    struct page_info *pg;
    int st;

    *granter = NULL;
    if (is_gref) {
        struct domain *g = domain_get_by_id(p->domid);
        if (!g)
            return GNTST_bad_domain;
        st = pin_grant(g, p->u.ref, cur, !write, false, span);
        if (st == GNTST_okay)
            *granter = g; /* held until put_copy_operand() */
        else
            domain_put_by_id(g);
        return st;
    }
    if ((p->domid != DOMID_SELF && p->domid != cur->domain_id) || p->u.gmfn >= max_mfn)
        return GNTST_bad_page;
    pg = mfn_to_page(p->u.gmfn);
    if (!get_page(pg, cur->domain_id))
        return GNTST_bad_page;
    if (write && get_page_type(pg, PGT_writable)) {
        put_page(pg);
        return GNTST_bad_page; /* the destination is never a table */
    }
    *span = (struct grant_span){p->u.gmfn, 0, PAGE_SIZE};
    return GNTST_okay;
}

/* Does the copy stay inside what the operand grants (a sub-page grant)? */
static bool within(const struct grant_span *s, uint16_t offset, uint16_t len)
{
    return offset >= s->offset && (uint32_t)offset + len <= (uint32_t)s->offset + s->length;
}

static void put_copy_operand(const struct gnttab_copy_ptr *p, bool write, mfn_t frame,
                             struct domain *granter)
{
    put_grant_refs(frame, !write);
    if (granter)
        unpin_grant(granter, p->u.ref, !write);
    domain_put_by_id(granter);
}

static void copy_one(struct gnttab_copy *c)
{
    struct domain *sg, *dg;
    struct grant_span ss, ds;
    int st;

    if ((uint32_t)c->source.offset + c->len > PAGE_SIZE ||
        (uint32_t)c->dest.offset + c->len > PAGE_SIZE) {
        c->status = GNTST_bad_copy_arg;
        return;
    }
    st = get_copy_operand(&c->source, c->flags & GNTCOPY_source_gref, false, &ss, &sg);
    if (st == GNTST_okay) {
        st = get_copy_operand(&c->dest, c->flags & GNTCOPY_dest_gref, true, &ds, &dg);
        if (st != GNTST_okay)
            put_copy_operand(&c->source, false, ss.frame, sg);
    }
    /* Past a sub-page grant's bounds: Xen's general error, nothing copied. */
    if (st == GNTST_okay &&
        (!within(&ss, c->source.offset, c->len) || !within(&ds, c->dest.offset, c->len))) {
        put_copy_operand(&c->dest, true, ds.frame, dg);
        put_copy_operand(&c->source, false, ss.frame, sg);
        st = GNTST_general_error;
    }
    if (st != GNTST_okay) {
        c->status = (int16_t)st;
        return;
    }
    /* The references keep both frames where they are. */
    memmove((char *)mfn_to_virt(ds.frame) + c->dest.offset,
            (char *)mfn_to_virt(ss.frame) + c->source.offset, c->len);
    put_copy_operand(&c->dest, true, ds.frame, dg);
    put_copy_operand(&c->source, false, ss.frame, sg);
    c->status = GNTST_okay;
}

/*
 * The batched operations: each element is read, carried out (its status is
 * in the element) and written back in turn; a fault stops the batch. A
 * long batch is preempted as Xen's is: after a share of it, when something
 * else is due, the rest becomes a continuation (the same op on the
 * remaining elements), so no count holds the pCPU.
 */
#define GRANT_OP_CHUNK 64
union grant_op {
    struct gnttab_map_grant_ref map;
    struct gnttab_unmap_grant_ref unmap;
    struct gnttab_unmap_and_replace replace;
    struct gnttab_copy copy;
};

static void map_op(union grant_op *op)
{
    map_one(&op->map);
}

static void unmap_op(union grant_op *op)
{
    const struct unmap_req req = {op->unmap.host_addr, op->unmap.dev_bus_addr, 0};

    op->unmap.status = (int16_t)unmap_handle(current->domain, op->unmap.handle, &req);
}

/* The host mapping only, its PTE replaced by new_addr's (or cleared if 0). */
static void replace_op(union grant_op *op)
{
    const struct unmap_req req = {op->replace.host_addr, 0, op->replace.new_addr};
    struct grant_table *gt = current->domain->grant;
    unsigned int h = op->replace.handle;

    /* A handle with no host mapping to replace: Xen's GNTST_general_error. */
    if (h < MAPTRACK_MAX && gt->maptrack && gt->maptrack[h].in_use && !gt->maptrack[h].host) {
        op->replace.status = GNTST_general_error;
        return;
    }
    op->replace.status = (int16_t)unmap_handle(current->domain, h, &req);
}

static void copy_op(union grant_op *op)
{
    copy_one(&op->copy);
}

/*
 * What a batch reads and writes back per element: Xen writes a map's
 * whole element (handle, bus address, status) but only the status of an
 * unmap or a copy, so the rest of the guest's element (and whatever a
 * wrong count makes the list overlap) is left as the guest has it now.
 */
struct grant_batch {
    size_t size, out_off, out_len;
    void (*one)(union grant_op *);
};

#define BATCH(type, fn, field)                                                                     \
    {                                                                                              \
        sizeof(struct type), offsetof(struct type, field), sizeof(((struct type *)0)->field), fn   \
    }
static const struct grant_batch batch_map = {sizeof(struct gnttab_map_grant_ref), 0,
                                             sizeof(struct gnttab_map_grant_ref), map_op};
static const struct grant_batch batch_unmap = BATCH(gnttab_unmap_grant_ref, unmap_op, status);
static const struct grant_batch batch_replace = BATCH(gnttab_unmap_and_replace, replace_op, status);
static const struct grant_batch batch_copy = BATCH(gnttab_copy, copy_op, status);

static long for_each_op(unsigned int cmd, guest_ptr_t uop, unsigned int count,
                        const struct grant_batch *b)
{
    union grant_op op;

    for (unsigned int i = 0; i < count; i++) {
        guest_ptr_t p = uop + i * b->size;

        if (i && (i % GRANT_OP_CHUNK == 0) &&
            (i >= 4 * GRANT_OP_CHUNK || hypercall_preempt_check())) {
            const unsigned long args[3] = {cmd, p, count - i};
            hypercall_create_continuation(__HYPERVISOR_grant_table_op, 3, args);
            return 0;
        }
        if (copy_from_guest(&op, p, b->size))
            return -XEN_EFAULT;
        b->one(&op);
        perfc_grant_op(current, cmd);
        if (copy_to_guest(p + b->out_off, (char *)&op + b->out_off, b->out_len))
            return -XEN_EFAULT;
    }
    return 0;
}

/* Xen keeps cache_flush's continuation state in the command's upper bits. */
#define GNTTABOP_CMD_MASK 0xfffU

long do_grant_table_op(unsigned int cmd, guest_ptr_t uop, unsigned int count)
{
    if ((int)count < 0)
        return -XEN_EINVAL; /* as Xen: a negative count */
    /* Upper bits on any other command: Xen's -EINVAL. */
    if ((cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush && (cmd & ~GNTTABOP_CMD_MASK))
        return -XEN_EINVAL;
    /* A batch counts its entries as it runs them (for_each_op); the rest once. */
    if (cmd != GNTTABOP_map_grant_ref && cmd != GNTTABOP_unmap_grant_ref &&
        cmd != GNTTABOP_unmap_and_replace && cmd != GNTTABOP_copy)
        perfc_grant_op(current, cmd & GNTTABOP_CMD_MASK);
    switch (cmd) {
    case GNTTABOP_setup_table:
        return count == 1 ? setup_table(uop) : -XEN_EINVAL;
    case GNTTABOP_query_size: {
        struct gnttab_query_size q;
        struct domain *d;
        if (count != 1)
            return -XEN_EINVAL;
        if (copy_from_guest(&q, uop, sizeof(q)))
            return -XEN_EFAULT;
        d = named(q.dom);
        /* Xen's XSM_TARGET: the domain itself, or one that controls it. */
        if (!d)
            q.status = GNTST_bad_domain;
        else if (d != current->domain && !current->domain->is_privileged)
            q.status = GNTST_permission_denied;
        else
            q.status = GNTST_okay;
        q.nr_frames = q.status == GNTST_okay ? d->grant->nr_frames : 0;
        q.max_nr_frames = q.status == GNTST_okay ? d->grant->max_frames : 0;
        domain_put_by_id(d);
        return copy_to_guest(uop, &q, sizeof(q)) ? -XEN_EFAULT : 0;
    }
    case GNTTABOP_set_version:
        return grant_v2_set_version(uop);
    case GNTTABOP_get_version:
        return grant_v2_get_version(uop);
    case GNTTABOP_get_status_frames:
        return grant_v2_get_status_frames(uop, count);
    case GNTTABOP_map_grant_ref:
        return for_each_op(cmd, uop, count, &batch_map);
    case GNTTABOP_unmap_grant_ref: {
        long rc = for_each_op(cmd, uop, count, &batch_unmap);
        /* No stale mapping may survive the batch, even a failed one (the ABI promises it). */
        domain_flush_tlb(current->domain, true, 0);
        return rc;
    }
    case GNTTABOP_unmap_and_replace: {
        long rc = for_each_op(cmd, uop, count, &batch_replace);
        domain_flush_tlb(current->domain, true, 0); /* as after an unmap */
        return rc;
    }
    case GNTTABOP_copy:
        return for_each_op(cmd, uop, count, &batch_copy);
    /* GNTTABOP_cache_flush: Xen builds it for ARM only (CONFIG_HAS_GRANT_
     * CACHE_FLUSH), so an x86 guest gets -ENOSYS, with or without
     * continuation bits; transfer and swap_grant_ref are not provided. */
    default:
        return -XEN_ENOSYS;
    }
}

void grant_release_mappings(struct domain *d)
{
    struct grant_table *gt = d->grant;

    for (unsigned int h = 0; gt && gt->maptrack && h < MAPTRACK_MAX; h++)
        if (gt->maptrack[h].in_use)
            unmap_handle(d, h, NULL);
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant;
    unsigned long irq;
    unsigned int nr;

    if (!gt)
        return;
    grant_release_mappings(d);
    irq = spin_lock_irqsave(&gt->lock);
    nr = gt->nr_frames;
    gt->nr_frames = 0; /* a pin under way elsewhere finds no entry now */
    spin_unlock_irqrestore(&gt->lock, irq);
    for (unsigned int f = 0; f < nr; f++) {
        /* Freed now, or when the last mapping of it (dom0's, say) goes. */
        grant_release_shared_page(gt->shared[f]);
        xfree(gt->active[f]);
        gt->active[f] = NULL;
    }
    grant_v2_destroy(gt);
    xfree(gt->maptrack);
    gt->maptrack = NULL;
}

void grant_table_free(struct domain *d)
{
    grant_table_destroy(d);
    xfree(d->grant);
    d->grant = NULL;
}
