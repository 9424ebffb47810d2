/*
 * The PV MMU hypercalls: mmu_update, mmuext_op, update_va_mapping and
 * update_va_mapping_otherdomain, plus the start and the end of a domain's
 * address spaces (adopting the builder's tables, relinquishing everything
 * at destruction).
 *
 * No lock is held across a batch: each entry takes what it changes (the
 * table's page lock, the frames' counts; mm/page_type.h), so vCPUs of one
 * domain update their tables in parallel. The guest's request list is read
 * one entry at a time with copy_from_guest, and the count of completed
 * entries is reported back as Xen does (success_count / pdone).
 *
 * A batch may be as long as the guest likes, but one invocation does at
 * most MMU_CHUNK entries, fewer if the pCPU is wanted, before it
 * continues itself (hypercall.h) with Xen's encoding: the
 * count left, MMU_UPDATE_PREEMPTED in it, the list advanced, and pdone
 * accumulating across the invocations.
 */
#include "asm/processor.h"
#include "console.h"
#include "context.h"
#include "flushstat.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "mm/tlbflush.h"
#include "percpu.h"
#include "perfc.h"
#include "smp.h"
#include <xen/errno.h>
#include <xen/xen.h>

#define MMU_CHUNK            256u
#define MMU_UPDATE_PREEMPTED (1u << 31)

/*
 * The domain a foreigndom argument names (privileged callers only), held
 * until domain_put_by_id().
 */
static struct domain *pg_owner_of(struct domain *cur, domid_t foreigndom, int *rc)
{
    struct domain *d;

    *rc = 0;
    if (foreigndom != DOMID_SELF && foreigndom != cur->domain_id && !cur->is_privileged) {
        *rc = -XEN_EPERM;
        return NULL;
    }
    /* The hypervisor's shared frames (xentrace maps its buffers so). */
    if (foreigndom == DOMID_XEN)
        return domain_get_xen();
    d = domain_get_by_id(foreigndom);
    if (!d)
        *rc = -XEN_ESRCH;
    return d;
}

static void flush_here(void *unused)
{
    (void)unused;
    flush_tlb_local();
}

void domain_flush_tlb(struct domain *d, bool all_vcpus, unsigned long vcpu_mask)
{
    cpumask_t mask = 0;
    unsigned int me = smp_processor_id();

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (!v || (!all_vcpus && !(i < 64 && (vcpu_mask & (1UL << i)))))
            continue;
        if (__atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE))
            mask |= 1ULL << v->processor;
    }
    /* Privileged domains may map any domain's frames: flush where they run. */
    {
        unsigned int cpu;
        for_each_online_cpu(cpu)
        {
            struct vcpu *v = stack_cpu_info(percpu[cpu].stack)->curr_vcpu;
            if (v && !is_idle_vcpu(v) && v->domain->is_privileged)
                mask |= 1ULL << cpu;
        }
    }
    mask |= 1ULL << me;
    on_selected_cpus(mask, flush_here, NULL, true);
}

static int pin_table(struct domain *owner, mfn_t mfn, unsigned long type)
{
    struct page_info *pg;
    int rc;

    if (mfn >= max_mfn)
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    rc = get_page_and_type(pg, owner->domain_id, type);
    if (rc)
        return -XEN_EINVAL; /* not its own, in use as something else, or invalid entries */
    if (!page_pin(pg)) {    /* pinned already: the reference is not needed */
        put_page_and_type(pg);
        return -XEN_EINVAL;
    }
    return 0;
}

static int unpin_table(struct domain *owner, mfn_t mfn)
{
    struct page_info *pg;
    int rc;

    if (mfn >= max_mfn)
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    /* Held for the look: its owner cannot change meanwhile. */
    if (!get_page(pg, owner->domain_id))
        return -XEN_EINVAL;
    /*
     * A table still in use as a base pointer may be unpinned (Linux 6.1
     * unpins the builder's L4 while it is still loaded, then switches):
     * the base pointer holds a type reference of its own, so the table
     * stays validated and read-only until the vCPU leaves it.
     */
    rc = page_unpin(pg) ? 0 : -XEN_EINVAL;
    put_page(pg);
    return rc;
}

/* Make `mfn` (0: none, user table only) the kernel or user base of v. */
static int set_base(struct vcpu *v, mfn_t mfn, bool user)
{
    mfn_t *slot = user ? &v->arch.guest_table_user : &v->arch.guest_table;
    mfn_t old = *slot;

    if (mfn) {
        int rc;
        if (mfn >= max_mfn)
            return -XEN_EINVAL;
        rc = get_page_and_type(mfn_to_page(mfn), v->domain->domain_id, PGT_l4);
        if (rc)
            return rc;
    } else if (!user) {
        return -XEN_EINVAL;
    }
    *slot = mfn;
    /* Only the table the vCPU runs on now is reloaded: Linux sets the
     * user base on every switch of address space, from kernel mode,
     * where it is not loaded (the next return to user mode loads it), and
     * a CR3 write costs a TLB's worth of refills. Xen skips it too. */
    if (v == current &&
        (user ? !v->arch.kernel_mode : v->arch.kernel_mode || !v->arch.guest_table_user))
        pv_load_cr3(v);
    if (old)
        put_page_and_type(mfn_to_page(old));
    return 0;
}

static int rw_frame(struct domain *d, mfn_t mfn, struct page_info **pg)
{
    if (mfn >= max_mfn)
        return -XEN_EINVAL;
    *pg = mfn_to_page(mfn);
    /* Not its own, or a table: either way not a page it may write. */
    return get_page_and_type(*pg, d->domain_id, PGT_writable) ? -XEN_EINVAL : 0;
}

static unsigned long read_vcpumask(guest_ptr_t p, int *rc)
{
    unsigned long mask = 0;
    *rc = copy_from_guest(&mask, p, sizeof(mask));
    return mask;
}

static int do_one_mmuext(struct vcpu *v, struct domain *pg_owner, const struct mmuext_op *op)
{
    struct domain *d = v->domain;
    struct page_info *dst, *src;
    int rc = 0;
    unsigned long mask;

    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
        return pin_table(pg_owner, op->arg1.mfn, PGT_l1);
    case MMUEXT_PIN_L2_TABLE:
        return pin_table(pg_owner, op->arg1.mfn, PGT_l2);
    case MMUEXT_PIN_L3_TABLE:
        return pin_table(pg_owner, op->arg1.mfn, PGT_l3);
    case MMUEXT_PIN_L4_TABLE:
        return pin_table(pg_owner, op->arg1.mfn, PGT_l4);
    case MMUEXT_UNPIN_TABLE:
        return unpin_table(pg_owner, op->arg1.mfn);
    case MMUEXT_NEW_BASEPTR:
        return set_base(v, op->arg1.mfn, false);
    case MMUEXT_NEW_USER_BASEPTR:
        return set_base(v, op->arg1.mfn, true);
    case MMUEXT_TLB_FLUSH_LOCAL:
        flush_tlb_local();
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if (!guest_range_ok(op->arg1.linear_addr, 1))
            return -XEN_EINVAL;
        flushstat_count(FS_INVLPG);
        __asm__ volatile("invlpg (%0)" ::"r"(op->arg1.linear_addr) : "memory");
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
        mask = read_vcpumask((guest_ptr_t)op->arg2.vcpumask.p, &rc);
        if (rc)
            return -XEN_EFAULT;
        domain_flush_tlb(d, false, mask);
        return 0;
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        domain_flush_tlb(d, true, 0);
        return 0;
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        if (!d->is_privileged)
            return -XEN_EPERM;
        __asm__ volatile("wbinvd" ::: "memory");
        return 0;
    case MMUEXT_SET_LDT:
        return pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    case MMUEXT_CLEAR_PAGE:
        if ((rc = rw_frame(d, op->arg1.mfn, &dst)))
            return rc;
        clear_page(mfn_to_virt(op->arg1.mfn));
        put_page_and_type(dst);
        return 0;
    case MMUEXT_COPY_PAGE:
        if ((rc = rw_frame(d, op->arg1.mfn, &dst)))
            return rc;
        if (op->arg2.src_mfn >= max_mfn ||
            !get_page(src = mfn_to_page(op->arg2.src_mfn), d->domain_id)) {
            put_page_and_type(dst);
            return -XEN_EINVAL;
        }
        memcpy(mfn_to_virt(op->arg1.mfn), mfn_to_virt(op->arg2.src_mfn), PAGE_SIZE);
        put_page(src);
        put_page_and_type(dst);
        return 0;
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:
        return -XEN_EOPNOTSUPP; /* no superpage support */
    default:
        return -XEN_ENOSYS;
    }
}

/* A batch's end: how many were done goes back to the guest (if it asked). */
static long report_done(guest_ptr_t pdone, unsigned int done, long rc)
{
    if (pdone && copy_to_guest(pdone, &done, sizeof(done)))
        return -XEN_EFAULT;
    return rc;
}

/*
 * A continued batch (MMU_UPDATE_PREEMPTED in *count): strip the flag and
 * fetch the count done by the earlier invocations, which pdone holds.
 */
static unsigned int resume_batch(unsigned int *count, guest_ptr_t pdone)
{
    unsigned int done = 0;

    if (!(*count & MMU_UPDATE_PREEMPTED))
        return 0;
    *count &= ~MMU_UPDATE_PREEMPTED;
    if (pdone && copy_from_guest(&done, pdone, sizeof(done)))
        done = 0;
    return done;
}

/* May entry `i` of this invocation start, or must the batch continue later? */
static bool batch_must_yield(unsigned int i)
{
    return i && (i >= MMU_CHUNK || hypercall_preempt_check());
}

static void continue_batch(unsigned long op, guest_ptr_t next, unsigned int left, guest_ptr_t pdone,
                           unsigned int foreigndom)
{
    const unsigned long args[4] = {next, left | MMU_UPDATE_PREEMPTED, pdone, foreigndom};
    hypercall_create_continuation(op, 4, args);
}

long do_mmuext_op(guest_ptr_t ops, unsigned int count, guest_ptr_t pdone, unsigned int foreigndom)
{
    struct vcpu *v = current;
    struct domain *pg_owner;
    struct mmuext_op op;
    unsigned int done = resume_batch(&count, pdone), i;
    int rc;

    pg_owner = pg_owner_of(v->domain, (domid_t)foreigndom, &rc);
    if (!pg_owner)
        return rc;
    for (i = 0; i < count; i++) {
        if (batch_must_yield(i))
            break;
        if (copy_from_guest(&op, ops + (unsigned long)i * sizeof(op), sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = do_one_mmuext(v, pg_owner, &op);
        if (rc)
            break;
    }
    perfc_event_add(v, mmuext_ops, i);
    if (!rc && i < count)
        continue_batch(__HYPERVISOR_mmuext_op, ops + (unsigned long)i * sizeof(op), count - i,
                       pdone, foreigndom);
    domain_put_by_id(pg_owner);
    return report_done(pdone, done + i, rc);
}

long do_mmu_update(guest_ptr_t reqs, unsigned int count, guest_ptr_t pdone, unsigned int foreigndom)
{
    struct domain *d = current->domain, *pg_owner;
    struct mmu_update req;
    unsigned int done = resume_batch(&count, pdone), i;
    int rc;

    pg_owner = pg_owner_of(d, (domid_t)foreigndom, &rc);
    if (!pg_owner)
        return rc;
    for (i = 0; i < count; i++) {
        unsigned int cmd;
        mfn_t mfn;

        if (batch_must_yield(i))
            break;
        if (copy_from_guest(&req, reqs + (unsigned long)i * sizeof(req), sizeof(req))) {
            rc = -XEN_EFAULT;
            break;
        }
        cmd = req.ptr & 3;
        mfn = req.ptr >> PAGE_SHIFT;
        switch (cmd) {
        case MMU_NORMAL_PT_UPDATE:
        case MMU_PT_UPDATE_PRESERVE_AD:
        case MMU_PT_UPDATE_NO_TRANSLATE:
            if (req.ptr & 4) { /* entries are 8-byte aligned */
                rc = -XEN_EINVAL;
                break;
            }
            rc = pt_mod_entry(mfn, (req.ptr & ~PAGE_MASK) >> 3, req.val, d, pg_owner,
                              cmd == MMU_PT_UPDATE_PRESERVE_AD);
            break;
        case MMU_MACHPHYS_UPDATE:
            /* Held: the frame cannot pass to another domain under the write. */
            if (mfn >= max_mfn || !get_page(mfn_to_page(mfn), pg_owner->domain_id)) {
                rc = -XEN_EPERM;
                break;
            }
            m2p_set(mfn, req.val);
            put_page(mfn_to_page(mfn));
            rc = 0;
            break;
        default:
            rc = -XEN_ENOSYS;
            break;
        }
        if (rc)
            break;
    }
    perfc_event_add(current, mmu_update_entries, i);
    if (!rc && i < count)
        continue_batch(__HYPERVISOR_mmu_update, reqs + (unsigned long)i * sizeof(req), count - i,
                       pdone, foreigndom);
    domain_put_by_id(pg_owner);
    return report_done(pdone, done + i, rc);
}

/* UVMF_* flags: a flush type, then LOCAL, ALL, or a guest pointer to a vCPU mask. */
static int uvm_flush(struct domain *d, unsigned long va, unsigned long flags)
{
    unsigned long target = flags & ~UVMF_FLUSHTYPE_MASK;
    int rc = 0;

    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_NONE:
        return 0;
    case UVMF_TLB_FLUSH:
    case UVMF_INVLPG:
        break;
    default:
        return -XEN_EINVAL;
    }
    if (target == UVMF_LOCAL) {
        if ((flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG) {
            flushstat_count(FS_INVLPG);
            __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
        } else {
            flush_tlb_local();
        }
    } else if (target == UVMF_ALL) {
        domain_flush_tlb(d, true, 0);
    } else {
        unsigned long mask = read_vcpumask(target, &rc);
        if (rc)
            return -XEN_EFAULT;
        domain_flush_tlb(d, false, mask);
    }
    return 0;
}

static long update_va_mapping(unsigned long va, uint64_t val, unsigned long flags,
                              struct domain *pg_owner)
{
    struct vcpu *v = current;
    mfn_t l1;
    unsigned int idx;
    long rc;

    if (!guest_range_ok(va, 1))
        return -XEN_EINVAL;
    rc = pt_find_l1e(v->arch.guest_table, va, &l1, &idx);
    if (!rc)
        rc = pt_mod_entry(l1, idx, val, v->domain, pg_owner, false);
    if (!rc) {
        perfc_event(v, update_va_mapping);
        rc = uvm_flush(v->domain, va, flags);
    }
    return rc;
}

long do_update_va_mapping(unsigned long va, uint64_t val, unsigned long flags)
{
    return update_va_mapping(va, val, flags, current->domain);
}

long do_update_va_mapping_otherdomain(unsigned long va, uint64_t val, unsigned long flags,
                                      unsigned int domid)
{
    struct domain *pg_owner;
    int rc;

    pg_owner = pg_owner_of(current->domain, (domid_t)domid, &rc);
    if (!pg_owner)
        return rc;
    rc = (int)update_va_mapping(va, val, flags, pg_owner);
    domain_put_by_id(pg_owner);
    return rc;
}

int pv_mm_adopt_boot_tables(struct domain *d, mfn_t l4)
{
    struct vcpu *v = d->vcpu[0];
    int rc;

    /* As Xen hands it over: the L4 pinned, and vCPU 0's kernel base. */
    rc = pin_table(d, l4, PGT_l4);
    if (!rc) {
        rc = get_page_and_type(mfn_to_page(l4), d->domain_id, PGT_l4);
        if (rc)
            unpin_table(d, l4);
        else
            v->arch.guest_table = l4;
    }
    return rc;
}

static void unpin_one(struct page_info *pg)
{
    page_unpin(pg);
}

void pv_mm_relinquish(struct domain *d)
{
    for (unsigned int i = 0; i < MAX_VCPUS; i++) {
        struct vcpu *v = d->vcpu[i];
        if (!v)
            continue;
        if (v->arch.guest_table)
            put_page_and_type(mfn_to_page(v->arch.guest_table));
        if (v->arch.guest_table_user)
            put_page_and_type(mfn_to_page(v->arch.guest_table_user));
        v->arch.guest_table = v->arch.guest_table_user = 0;
        pv_put_gdt_frames(v);
        vcpu_info_release(v);
    }
    /* Unpinning cascades: every table's entries drop their references,
     * and a frame given back earlier is freed when its last one goes. */
    domain_for_each_page(d, unpin_one);
}
