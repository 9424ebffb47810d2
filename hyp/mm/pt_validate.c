/*
 * Page-table entries: what each level may point at, and the references
 * each present entry holds.
 *
 *   L1 entry -> a data frame: a general reference, plus a PGT_writable
 *               type reference if the entry is writable. The frame must
 *               belong to the mapping domain (or, for a privileged domain,
 *               to any live domain). No frame beyond RAM, except the
 *               device frames dom0 is given (iomem.c), which hold no
 *               reference and are read-only if mmio_ro.c says so.
 *   L2 entry -> an L1 table (general + PGT_l1), owned by the table's owner;
 *   L3 entry -> an L2 table, L4 entry -> an L3 table, likewise.
 *   No superpages (PSE), no linear (recursive) tables: a table of level n
 *   can only be referenced as level n.
 *   L4 slots 256-271 are the hypervisor's: never validated, always
 *   rewritten with the hypervisor's entries.
 *
 * Every present guest entry gets _PAGE_USER: the guest kernel runs in ring
 * 3, so its mappings must be user-accessible; isolation from its own user
 * space comes from the separate user L4.
 *
 * validate()/devalidate() of whole tables plug into page_type.c; entry
 * updates (pt_mod_entry) serve mmu_update, update_va_mapping and the
 * writable page-table assist, each under the table's page lock.
 */
#include "asm/processor.h"
#include "console.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "mm/tlbflush.h"
#include "paging.h"
#include <xen/errno.h>

#define HYP_L4_FIRST L4_SLOT(HYP_VIRT_START)
#define HYP_L4_LAST  (L4_SLOT(HYP_VIRT_END) - 1)

/* Flags a guest entry may carry at an upper level (PSE never). */
#define UPPER_ALLOWED                                                                              \
    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT | _PAGE_PCD | _PAGE_ACCESSED |              \
     _PAGE_DIRTY | 0xe00UL | _PAGE_NX)

static inline bool hyp_slot(unsigned int level, unsigned int idx)
{
    return level == 4 && idx >= HYP_L4_FIRST && idx <= HYP_L4_LAST;
}

/*
 * The owner of a frame, without a reference: only for a table being
 * validated, whose owner the caller holds (its own domain, or the foreign
 * domain of a privileged request, held for the call). Taking one here
 * could drop the last reference from inside a validation, which the
 * reaper's freeing must not be reached from.
 */
struct domain *frame_owner(const struct page_info *pg)
{
    if (pg->owner == DOMID_INVALID_OWNER || page_state(pg) != PGC_state_inuse)
        return NULL;
    return domain_lookup((domid_t)pg->owner);
}

/*
 * May `mapper` map frame `pg` (asked for `pg_owner`'s frames)? Its own
 * frames always; another live domain's only for a privileged mapper, and
 * so are the frames the hypervisor shares (DOMID_XEN's: trace buffers).
 * `owner` is the frame's owner as read once: the reference is then taken
 * against it, so a frame that changes hands in between is refused.
 */
static bool may_map(const struct page_info *pg, uint32_t owner, const struct domain *mapper,
                    const struct domain *pg_owner)
{
    if (owner == DOMID_XEN)
        return mapper->is_privileged && (pg->count_info & PGC_xen_heap);
    if (owner == pg_owner->domain_id)
        return true;
    return mapper->is_privileged && pg_owner == mapper && owner != DOMID_INVALID_OWNER &&
           page_state(pg) == PGC_state_inuse && domain_alive((domid_t)owner);
}

/*
 * Take what a present L1 entry needs. Errors as Xen's get_page_from_l1e:
 * -EPERM for device space the mapper was not given (a frame past RAM is
 * that), -EBUSY for a frame it may not have (not its own, or a table or
 * descriptor page asked for writable), -EINVAL for a malformed entry.
 */
static int l1e_get(pte_t *e, struct domain *mapper, struct domain *pg_owner)
{
    pte_t v = *e;
    struct page_info *pg;
    uint32_t owner;
    mfn_t mfn;
    int rc;

    if (!(v & _PAGE_PRESENT))
        return 0;
    if (v & GNT_PTE_BIT)
        return -XEN_EINVAL; /* only the grant-table code makes those */
    mfn = pte_addr(v) >> PAGE_SHIFT;
    if (is_iomem_frame(mfn)) {
        if (!iomem_permitted(mapper, mfn))
            return -XEN_EPERM;
        /* As Xen: a writable mapping of a protected frame is made read-only. */
        if ((v & _PAGE_RW) && mmio_ro_frame(mfn))
            v &= ~_PAGE_RW;
        *e = v | _PAGE_USER;
        return 0; /* not memory we hand out: no reference to take */
    }
    if (mfn >= max_mfn)
        return -XEN_EPERM;
    pg = mfn_to_page(mfn);
    owner = __atomic_load_n(&pg->owner, __ATOMIC_ACQUIRE);
    if (!may_map(pg, owner, mapper, pg_owner) || !get_page(pg, owner))
        return -XEN_EBUSY;
    if ((v & _PAGE_RW) && (rc = get_page_type(pg, PGT_writable))) {
        put_page(pg);
        return -XEN_EBUSY; /* a table or descriptor page: never writable */
    }
    *e = v | _PAGE_USER;
    return 0;
}

static void l1e_put(pte_t v)
{
    struct page_info *pg;

    /* Grant mappings' references belong to their maptrack entry. */
    if (!(v & _PAGE_PRESENT) || (v & GNT_PTE_BIT) || is_iomem_frame(pte_addr(v) >> PAGE_SHIFT))
        return;
    pg = mfn_to_page(pte_addr(v) >> PAGE_SHIFT);
    if (v & _PAGE_RW)
        put_page_type(pg);
    put_page(pg);
}

/* An entry of a level-`level` table (2-4): the next table down. */
static int upper_get(pte_t *e, unsigned int level, uint32_t owner)
{
    pte_t v = *e;
    mfn_t mfn;

    if (!(v & _PAGE_PRESENT))
        return 0;
    if (v & ~(PTE_ADDR_MASK | UPPER_ALLOWED))
        return -XEN_EINVAL; /* PSE or reserved bits */
    mfn = pte_addr(v) >> PAGE_SHIFT;
    if (mfn >= max_mfn)
        return -XEN_EINVAL;
    if (get_page_and_type(mfn_to_page(mfn), owner, (unsigned long)(level - 1) << PGT_type_shift))
        return -XEN_EINVAL;
    *e = v | _PAGE_USER;
    return 0;
}

static void upper_put(pte_t v)
{
    if (v & _PAGE_PRESENT)
        put_page_and_type(mfn_to_page(pte_addr(v) >> PAGE_SHIFT));
}

static int entry_get(pte_t *e, unsigned int level, struct domain *mapper, struct domain *pg_owner)
{
    return level == 1 ? l1e_get(e, mapper, pg_owner) : upper_get(e, level, mapper->domain_id);
}

static void entry_put(pte_t v, unsigned int level)
{
    if (v & _PAGE_PRESENT)
        tlbflush_note_unmap();
    if (level == 1)
        l1e_put(v);
    else
        upper_put(v);
}

static int validate_table(struct page_info *pg, unsigned long type)
{
    unsigned int level = pt_level(type);
    pte_t *t = mfn_to_virt(page_to_mfn(pg));
    struct domain *d = frame_owner(pg);
    int rc = 0;
    unsigned int i;

    if (!d)
        return -XEN_EINVAL;
    for (i = 0; i < 512; i++) {
        if (hyp_slot(level, i))
            continue;
        rc = entry_get(&t[i], level, d, d);
        if (rc)
            break;
    }
    if (rc) {
        while (i-- > 0)
            if (!hyp_slot(level, i))
                entry_put(t[i], level);
        return rc;
    }
    if (level == 4)
        paging_install_hyp_slots(t);
    return 0;
}

static void devalidate_table(struct page_info *pg, unsigned long type)
{
    unsigned int level = pt_level(type);
    pte_t *t = mfn_to_virt(page_to_mfn(pg));

    for (unsigned int i = 0; i < 512; i++)
        if (!hyp_slot(level, i))
            entry_put(t[i], level);
}

static void free_frame(struct page_info *pg)
{
    domain_page_freed(pg); /* it counted against its owner until now */
    m2p_set(page_to_mfn(pg), M2P_INVALID);
    pg->owner = DOMID_INVALID_OWNER;
    pg->type_info = 0;
    pg->count_info &= ~(PGC_allocated | PGC_xen_heap | PGC_counted | PGC_count_mask);
    /* A translation of it may outlive its last entry in some TLB. */
    tlbflush_before_reuse();
    free_domheap_pages(pg, 0);
}

/*
 * With its writable type count at 0, every writable entry of the frame is
 * gone, and writable_gone() noted the tick when the last one went: a pCPU
 * whose last full flush is newer holds no writable translation of it.
 * Only the others are flushed (usually none: Linux flushes after making
 * a page read-only and before pinning it), where the clock's last drop of
 * any entry at all would flush after nearly every pin (mm/tlbflush.h).
 */
static void flush_writable(struct page_info *pg)
{
    tlbflush_since(pg->tlbflush_timestamp);
}

static void writable_gone(struct page_info *pg)
{
    pg->tlbflush_timestamp = tlbflush_now();
}

static const struct page_type_ops hyp_ops = {
    .validate = validate_table,
    .devalidate = devalidate_table,
    .free = free_frame,
    .flush_writable = flush_writable,
    .writable_gone = writable_gone,
};

void m2p_init(void);

void pv_mm_init(void)
{
    page_type_set_ops(&hyp_ops);
    m2p_init();
}

int pt_mod_entry(mfn_t table, unsigned int idx, pte_t val, struct domain *pt_owner,
                 struct domain *pg_owner, bool preserve_ad)
{
    struct page_info *pg;
    unsigned int level;
    pte_t *slot, old;
    int rc;

    if (table >= max_mfn || idx >= 512)
        return -XEN_EINVAL;
    pg = mfn_to_page(table);
    /* Held for the update: the frame stays pt_owner's. */
    if (!get_page(pg, pt_owner->domain_id))
        return -XEN_EINVAL;
    slot = (pte_t *)mfn_to_virt(table) + idx;
    if (!page_lock(pg)) {
        /* Not a page table in use: a plain write, if the page may be written. */
        rc = get_page_type(pg, PGT_writable);
        if (!rc) {
            WRITE_ONCE(*slot, val);
            put_page_type(pg);
        }
        goto out;
    }
    level = pt_level(page_type(pg));
    rc = -XEN_EINVAL;
    if (hyp_slot(level, idx))
        goto unlock; /* as Xen: an update in its private area */
    old = READ_ONCE(*slot);
    if (preserve_ad && level == 1 && pte_addr(old) == pte_addr(val) && (old & _PAGE_PRESENT))
        val |= old & (_PAGE_ACCESSED | _PAGE_DIRTY);
    rc = entry_get(&val, level, pt_owner, pg_owner);
    if (rc)
        goto unlock;
    /* The CPU may set A/D in the old entry meanwhile: swap atomically. */
    old = __atomic_exchange_n(slot, val, __ATOMIC_SEQ_CST);
    entry_put(old, level);
unlock:
    page_unlock(pg);
out:
    put_page(pg);
    return rc;
}

/* The L1 table `l1`, `mapper`'s and in use as one, held and page-locked (or NULL). */
static struct page_info *lock_own_l1(mfn_t l1, const struct domain *mapper)
{
    struct page_info *pg;

    if (l1 >= max_mfn)
        return NULL;
    pg = mfn_to_page(l1);
    if (!get_page(pg, mapper->domain_id))
        return NULL;
    if (page_lock(pg)) {
        if (page_type(pg) == PGT_l1)
            return pg;
        page_unlock(pg);
    }
    put_page(pg);
    return NULL;
}

static void unlock_l1(struct page_info *pg)
{
    page_unlock(pg);
    put_page(pg);
}

int pt_install_grant(mfn_t l1, unsigned int idx, mfn_t frame, bool readonly, struct domain *mapper)
{
    struct page_info *pg;
    pte_t *slot, new, old;
    int rc = 0;

    if (idx >= 512 || !(pg = lock_own_l1(l1, mapper)))
        return -XEN_EINVAL;
    slot = (pte_t *)mfn_to_virt(l1) + idx;
    if (READ_ONCE(*slot) & GNT_PTE_BIT) {
        rc = -XEN_EBUSY; /* already a grant mapping: unmap it first */
    } else {
        new = (frame << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY |
              (readonly ? 0 : _PAGE_RW) | GNT_PTE_BIT;
        old = __atomic_exchange_n(slot, new, __ATOMIC_SEQ_CST);
        l1e_put(old);
    }
    unlock_l1(pg);
    return rc;
}

void pt_remove_grant(mfn_t l1, unsigned int idx, mfn_t frame, struct domain *mapper)
{
    struct page_info *pg;
    pte_t *slot;
    pte_t v;

    /* Gone with its table if that is no longer mapper's L1 (a grant PTE
     * left in a page never validates again: l1e_get refuses it). */
    if (idx >= 512 || !(pg = lock_own_l1(l1, mapper)))
        return;
    slot = (pte_t *)mfn_to_virt(l1) + idx;
    v = READ_ONCE(*slot);
    /* Only if it is still that grant mapping (the guest may have replaced
     * it); the exchange keeps an A/D bit the CPU sets meanwhile from
     * being lost. */
    if ((v & GNT_PTE_BIT) && pte_addr(v) >> PAGE_SHIFT == frame)
        __atomic_compare_exchange_n(slot, &v, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    unlock_l1(pg);
}

/*
 * GNTTABOP_unmap_and_replace: the grant mapping of `frame` at (l1, idx)
 * gives way to the entry at (nl1, nidx), which moves there (with the
 * references it holds) and leaves its own slot empty. Both tables must be
 * mapper's L1s; the moved entry may not be a grant mapping itself. The
 * grant mapping's references are the caller's to drop. Two tables are
 * locked in frame order, so two such moves cannot wait for each other.
 */
int pt_move_into_grant(mfn_t l1, unsigned int idx, mfn_t frame, mfn_t nl1, unsigned int nidx,
                       struct domain *mapper)
{
    struct page_info *first = NULL, *second = NULL;
    pte_t *slot, *nslot, v, nv;
    int rc = -XEN_EINVAL;

    if (idx >= 512 || nidx >= 512 || (l1 == nl1 && idx == nidx))
        return -XEN_EINVAL;
    if (!(first = lock_own_l1(l1 < nl1 ? l1 : nl1, mapper)))
        return -XEN_EINVAL;
    if (l1 != nl1 && !(second = lock_own_l1(l1 < nl1 ? nl1 : l1, mapper)))
        goto out;
    slot = (pte_t *)mfn_to_virt(l1) + idx;
    nslot = (pte_t *)mfn_to_virt(nl1) + nidx;
    v = READ_ONCE(*slot);
    if (!(v & GNT_PTE_BIT) || pte_addr(v) >> PAGE_SHIFT != frame ||
        (READ_ONCE(*nslot) & GNT_PTE_BIT))
        goto out;
    /* Both tables are locked, but the CPU may still set A/D bits: take
     * the entry with an exchange so none is lost. */
    nv = __atomic_exchange_n(nslot, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(slot, nv, __ATOMIC_SEQ_CST);
    rc = 0;
out:
    if (second)
        unlock_l1(second);
    unlock_l1(first);
    return rc;
}

int pt_find_l1e(mfn_t l4, unsigned long va, mfn_t *l1, unsigned int *idx)
{
    mfn_t t = l4;

    for (unsigned int level = 4; level > 1; level--) {
        pte_t e = READ_ONCE(((pte_t *)mfn_to_virt(t))[PT_INDEX(va, level)]);
        if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE) || pte_addr(e) >> PAGE_SHIFT >= max_mfn)
            return -XEN_EINVAL;
        t = pte_addr(e) >> PAGE_SHIFT;
        /* Read without locks, so a table may change under the walk: never
         * follow an entry out of RAM (a device's registers). Whoever uses
         * the result checks and locks the table it names. */
        if (page_state(mfn_to_page(t)) != PGC_state_inuse)
            return -XEN_EINVAL;
    }
    *l1 = t;
    *idx = PT_INDEX(va, 1);
    return 0;
}
