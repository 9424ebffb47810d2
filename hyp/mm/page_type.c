/*
 * Frame reference counting and typing (see mm/page_type.h).
 *
 * Why two counts. A guest must never hold a writable mapping of a frame
 * the hypervisor trusts the contents of (a page table, a descriptor
 * table), and must never map a frame it does not own. The general count
 * answers "may this frame be freed?"; the type count answers "may this
 * frame change what it is used as?". Mapping a frame writable takes a
 * PGT_writable type reference; using it as an L1 table takes a PGT_l1 one;
 * both cannot be held at once. A page-table type reference is only handed
 * out after validating every entry, and validation takes the references
 * the entries need, recursively down the levels.
 *
 * Concurrency. No lock: each count is one word changed by compare-and-
 * exchange, so CPUs working on different frames never wait for each
 * other, whichever domains own them. The one wait is for a frame whose
 * type is in transition: while a page-table (or descriptor) type is being
 * validated (count 0 -> 1) or torn down (1 -> 0), its word reads "count
 * 1, that type, not validated", and whoever wants the same type spins
 * until it settles (anyone wanting another type is refused, as if it had
 * come first). The CPU doing the transition only waits, in turn, for
 * frames of a lower level than the one it works on (a level-n table's
 * entries are level n-1 tables, or data frames, which have no transition
 * to wait for), so the waits cannot form a cycle.
 *
 * Invariants (asserted where relied on):
 *  - type count > 0 with a page-table type and no transition under way
 *    implies PGT_validated;
 *  - a type count never exceeds the general count of the frame, since every
 *    holder of a type reference holds a general one too;
 *  - at type count 0 the type is PGT_none (devalidated eagerly).
 *
 * Pure logic over struct page_info: unit tested on the host, threads
 * included.
 */
#include "mm/page_type.h"
#include "compiler.h"
#include <xen/errno.h>

static const struct page_type_ops *ops;

void page_type_set_ops(const struct page_type_ops *o)
{
    ops = o;
}

static inline uint64_t load(const uint64_t *w)
{
    return __atomic_load_n(w, __ATOMIC_ACQUIRE);
}

/* Replace *w by `new` if it still holds *seen; else *seen is refreshed. */
static inline bool swap(uint64_t *w, uint64_t *seen, uint64_t new)
{
    return __atomic_compare_exchange_n(w, seen, new, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static inline void wait_a_little(void)
{
    __builtin_ia32_pause();
}

bool get_page(struct page_info *pg, uint32_t owner)
{
    uint64_t x = load(&pg->count_info);

    do {
        if ((x & PGC_STATE_MASK) != PGC_state_inuse)
            return false;
        /* Count 0 is a frame on its way to the heap (a shared hypervisor
         * page alone stays at 0 without being freed). */
        if ((x & PGC_count_mask) == 0 && !(x & PGC_xen_heap))
            return false;
        if ((x & PGC_count_mask) == PGC_count_mask)
            return false; /* would overflow */
    } while (!swap(&pg->count_info, &x, x + 1));
    /* Held now, it cannot be freed and handed to someone else: only now
     * does its owner say something. */
    if (__atomic_load_n(&pg->owner, __ATOMIC_ACQUIRE) != owner) {
        put_page(pg);
        return false;
    }
    return true;
}

void put_page(struct page_info *pg)
{
    uint64_t x = load(&pg->count_info);

    do {
        if ((x & PGC_count_mask) == 0)
            __builtin_trap(); /* more puts than gets: a hypervisor bug */
    } while (!swap(&pg->count_info, &x, x - 1));
    if ((x & PGC_count_mask) == 1 && !(x & PGC_xen_heap))
        ops->free(pg);
}

static bool validated_type(unsigned long type)
{
    return is_pt_type(type) || type == PGT_seg_desc;
}

int get_page_type(struct page_info *pg, unsigned long type)
{
    uint64_t x = load(&pg->type_info);
    int rc;

    for (;;) {
        unsigned long count = x & PGT_count_mask;

        if (count == PGT_count_mask)
            return -XEN_EBUSY;
        if (count > 0) {
            if ((x & PGT_type_mask) != type)
                return -XEN_EBUSY;
            if (validated_type(type) && !(x & PGT_validated)) {
                wait_a_little(); /* in transition on another CPU */
                x = load(&pg->type_info);
                continue;
            }
            if (swap(&pg->type_info, &x, x + 1))
                return 0;
            continue;
        }
        /* Count 0: the frame becomes `type`. A page the hypervisor shares
         * with the guest (shared_info, grant frames) is written by the
         * hypervisor behind any validation: never a table or descriptor page. */
        if (validated_type(type) && (load(&pg->count_info) & PGC_xen_heap))
            return -XEN_EINVAL;
        /* Taken with count 1 and no PGT_validated: ours to validate. */
        if (swap(&pg->type_info, &x, type | 1))
            break;
    }
    if (!validated_type(type))
        return 0;
    /* It may still be writable in a stale TLB entry somewhere (a frame
     * that never was has a timestamp no flush is older than). */
    ops->flush_writable(pg);
    rc = is_pt_type(type) ? ops->validate(pg, type) : 0;
    __atomic_store_n(&pg->type_info, rc ? PGT_none : type | PGT_validated | 1, __ATOMIC_RELEASE);
    return rc;
}

void put_page_type(struct page_info *pg)
{
    uint64_t x = load(&pg->type_info);

    for (;;) {
        unsigned long type = x & PGT_type_mask;

        if ((x & PGT_count_mask) == 0)
            __builtin_trap(); /* more puts than gets: a hypervisor bug */
        if ((x & PGT_count_mask) > 1) {
            if (swap(&pg->type_info, &x, x - 1))
                return;
            continue;
        }
        if (x & PGT_locked)
            __builtin_trap(); /* the lock's own reference is the last */
        if (is_pt_type(type)) {
            /* The last user of a table: its entries' references go with
             * the count held at 1, so no one takes the table meanwhile. */
            if (!swap(&pg->type_info, &x, type | 1))
                continue;
            ops->devalidate(pg, type);
            __atomic_store_n(&pg->type_info, PGT_none, __ATOMIC_RELEASE);
            return;
        }
        /* Noted before the count drops, so whoever makes the frame a
         * table next sees when its last writable mapping went. */
        if (type == PGT_writable && ops->writable_gone)
            ops->writable_gone(pg);
        if (swap(&pg->type_info, &x, PGT_none))
            return;
    }
}

int get_page_and_type(struct page_info *pg, uint32_t owner, unsigned long type)
{
    int rc;

    if (!get_page(pg, owner))
        return -XEN_EINVAL;
    rc = get_page_type(pg, type);
    if (rc)
        put_page(pg);
    return rc;
}

void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}

bool page_pin(struct page_info *pg)
{
    return !(__atomic_fetch_or(&pg->type_info, PGT_pinned, __ATOMIC_ACQ_REL) & PGT_pinned);
}

bool page_unpin(struct page_info *pg)
{
    if (!(__atomic_fetch_and(&pg->type_info, ~PGT_pinned, __ATOMIC_ACQ_REL) & PGT_pinned))
        return false;
    put_page_and_type(pg);
    return true;
}

bool page_lock(struct page_info *pg)
{
    uint64_t x = load(&pg->type_info);

    for (;;) {
        if (!is_pt_type(x & PGT_type_mask) || !(x & PGT_validated) || (x & PGT_count_mask) == 0 ||
            (x & PGT_count_mask) == PGT_count_mask)
            return false;
        if (x & PGT_locked) {
            wait_a_little();
            x = load(&pg->type_info);
            continue;
        }
        if (swap(&pg->type_info, &x, (x + 1) | PGT_locked))
            return true;
    }
}

void page_unlock(struct page_info *pg)
{
    uint64_t x = load(&pg->type_info);

    /* Unlocked and its reference dropped in one step, unless that is the
     * last type reference (the table is torn down then: put_page_type). */
    while ((x & PGT_count_mask) > 1)
        if (swap(&pg->type_info, &x, (x - 1) & ~PGT_locked))
            return;
    __atomic_fetch_and(&pg->type_info, ~PGT_locked, __ATOMIC_RELEASE);
    put_page_type(pg);
}

void page_flags_set(struct page_info *pg, uint64_t flags)
{
    __atomic_fetch_or(&pg->count_info, flags, __ATOMIC_ACQ_REL);
}

uint64_t page_flags_clear(struct page_info *pg, uint64_t flags)
{
    return __atomic_fetch_and(&pg->count_info, ~flags, __ATOMIC_ACQ_REL) & flags;
}

void page_assign(struct page_info *pg, uint32_t owner)
{
    /* Nobody can take a reference before the count says 1, and whoever
     * does then must see the owner. */
    __atomic_store_n(&pg->owner, owner, __ATOMIC_RELAXED);
    __atomic_store_n(&pg->type_info, PGT_none, __ATOMIC_RELAXED);
    __atomic_store_n(&pg->count_info, (pg->count_info & ~PGC_count_mask) | PGC_allocated | 1,
                     __ATOMIC_RELEASE);
}

bool page_release(struct page_info *pg)
{
    if (!page_flags_clear(pg, PGC_allocated))
        return false;
    put_page(pg);
    return true;
}
