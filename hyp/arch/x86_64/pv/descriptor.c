/*
 * Guest segment descriptors and segment bases: set_gdt,
 * update_descriptor, set_segment_base.
 *
 * A guest's GDT lives in frames it owns. The hypervisor copies it into the
 * running CPU's own GDT (pages 0-13; pages 14-15 are the hypervisor's,
 * with the ABI's flat selectors) each time the vCPU is loaded, and runs
 * every descriptor through check_descriptor() on the way, so whatever the
 * guest wrote, the CPU only ever sees: the null descriptor, non-present
 * descriptors, and code/data segments with DPL 3 that are not conforming.
 * No gates, no system descriptors, nothing usable at ring 0.
 */
#include "asm/desc.h"
#include "asm/page.h"
#include "asm/pv_traps.h"
#include "context.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/page_type.h"
#include "mm/pv_mm.h"
#include "mm/xmalloc.h"
#include "percpu.h"
#include <xen/errno.h>

#define DESC_P       (1u << 15) /* in the high word */
#define DESC_S       (1u << 12) /* code/data (not system) */
#define DESC_CODE    (1u << 11)
#define DESC_CONFORM (1u << 10)
#define DESC_DPL(hi) (((hi) >> 13) & 3)

/*
 * Validate one descriptor, raising a code/data segment's DPL to 3 (Linux's
 * GDT holds its kernel segments at DPL 0; a PV kernel runs at ring 3).
 * Returns false for anything a guest may not have.
 */
bool check_descriptor(struct desc *d)
{
    if (!d->lo && !d->hi)
        return true;
    if (!(d->hi & DESC_P))
        return true; /* the CPU refuses to load it: harmless */
    if (!(d->hi & DESC_S))
        return false; /* gates, TSS, LDT descriptors */
    if ((d->hi & (DESC_CODE | DESC_CONFORM)) == (DESC_CODE | DESC_CONFORM))
        return false;
    d->hi |= 3u << 13;
    return true;
}

/*
 * Make `frames` (nr_frames_for(entries) of them) v's GDT. Each frame must
 * be v's domain's, and every descriptor in use must pass
 * check_descriptor(). The GDT holds a general reference on each of its
 * frames while it is installed, so the guest cannot give one back (and
 * have it reach another domain, whose data the next reload would copy into
 * the CPU's GDT); the previous GDT's references are dropped. The contents
 * are re-checked at every load, so the frames may stay writable.
 * 0 or -XEN_EINVAL, with the old GDT kept.
 */
int pv_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int entries)
{
    unsigned int nr = (entries + 511) / 512, got = 0;
    domid_t owner = v->domain->domain_id;
    int rc = 0;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    for (; got < nr; got++) {
        const struct desc *src;
        /* Xen would take a descriptor-page type, which a page table
         * cannot give: refuse those the same way. */
        if (frames[got] >= max_mfn || !get_page(mfn_to_page(frames[got]), owner)) {
            rc = -XEN_EINVAL;
            break;
        }
        if (is_pt_type(page_type(mfn_to_page(frames[got]))) &&
            page_type_count(mfn_to_page(frames[got]))) {
            put_page(mfn_to_page(frames[got]));
            rc = -XEN_EINVAL;
            break;
        }
        src = mfn_to_virt(frames[got]);
        for (unsigned int i = 0; i < 512 && got * 512 + i < entries; i++) {
            struct desc d = src[i];
            if (!check_descriptor(&d))
                rc = -XEN_EINVAL;
        }
        if (rc) {
            put_page(mfn_to_page(frames[got]));
            break;
        }
    }
    if (rc) {
        while (got--)
            put_page(mfn_to_page(frames[got]));
    } else {
        pv_put_gdt_frames(v);
        for (unsigned int f = 0; f < nr; f++)
            v->arch.gdt_frames[f] = frames[f];
        v->arch.gdt_ents = entries;
    }
    if (!rc)
        pv_reload_gdt(v);
    return rc;
}

/* Drop the references v's GDT holds. */
void pv_put_gdt_frames(struct vcpu *v)
{
    for (unsigned int f = 0; f * 512 < v->arch.gdt_ents; f++)
        put_page(mfn_to_page(v->arch.gdt_frames[f]));
    v->arch.gdt_ents = 0;
}

long do_set_gdt(guest_ptr_t frame_list, unsigned int entries)
{
    unsigned long frames[PV_GDT_MAX_FRAMES];
    unsigned int nr = (entries + 511) / 512;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    if (nr && copy_from_guest(frames, frame_list, nr * sizeof(frames[0])))
        return -XEN_EFAULT;
    return pv_set_gdt(current, frames, entries);
}

/*
 * Write one descriptor into a frame of the caller's. As on Xen, the write
 * holds a type reference on the frame for its duration: a descriptor
 * page's, or a writable one, which a frame in use as a page table cannot
 * give. Otherwise this would be a way to write a page-table entry that no
 * validation sees (a not-present descriptor passes check_descriptor()
 * with any bits in it).
 */
long do_update_descriptor(uint64_t maddr, uint64_t desc)
{
    struct vcpu *v = current;
    mfn_t mfn = maddr >> PAGE_SHIFT;
    struct desc d = {(uint32_t)desc, (uint32_t)(desc >> 32)};
    struct page_info *pg;
    struct desc *slot;
    int rc;

    if ((maddr & 7) || mfn >= max_mfn || !check_descriptor(&d))
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    rc = get_page_and_type(pg, v->domain->domain_id,
                           page_type(pg) == PGT_seg_desc ? PGT_seg_desc : PGT_writable);
    if (!rc) {
        slot = (struct desc *)((char *)mfn_to_virt(mfn) + (maddr & ~PAGE_MASK));
        *slot = d;
        put_page_and_type(pg);
    }
    if (rc)
        return -XEN_EINVAL;
    for (unsigned int f = 0; f * 512 < v->arch.gdt_ents; f++)
        if (v->arch.gdt_frames[f] == mfn)
            pv_reload_gdt(v);
    return 0;
}

#define LDT_MAX_ENTS 8192

/*
 * Load v's LDT on this CPU: its descriptors are read from the guest's
 * linear address (we run on its page tables), each through
 * check_descriptor(), into this CPU's LDT buffer. An unreadable or invalid
 * entry becomes a null one.
 */
void pv_load_ldt(struct vcpu *v)
{
    struct percpu *pc = this_cpu();
    unsigned int n = v->arch.ldt_ents;

    if (!n) {
        __asm__ volatile("lldt %w0" ::"r"(0));
        return;
    }
    if (!pc->ldt) {
        pc->ldt = xzalloc_array(struct desc, LDT_MAX_ENTS);
        if (!pc->ldt) {
            __asm__ volatile("lldt %w0" ::"r"(0));
            return;
        }
    }
    for (unsigned int i = 0; i < n; i++) {
        struct desc d;
        if (copy_from_guest(&d, v->arch.ldt_base + i * sizeof(d), sizeof(d)) ||
            !check_descriptor(&d))
            d = (struct desc){0, 0};
        pc->ldt[i] = d;
    }
    set_ldt_descriptor(pc->gdt, (unsigned long)pc->ldt, n * sizeof(struct desc) - 1);
    __asm__ volatile("lldt %w0" ::"r"(LDT_SEL));
}

int pv_set_ldt(struct vcpu *v, unsigned long base, unsigned int ents)
{
    if (ents > LDT_MAX_ENTS || (base & ~PAGE_MASK) ||
        (ents && !guest_range_ok(base, ents * sizeof(struct desc))))
        return -XEN_EINVAL;
    v->arch.ldt_base = base;
    v->arch.ldt_ents = ents;
    if (v == current)
        pv_load_ldt(v);
    return 0;
}

long do_set_segment_base(unsigned int which, unsigned long base)
{
    struct vcpu *v = current;
    unsigned int sel;

    switch (which) {
    case SEGBASE_FS:
    case SEGBASE_GS_USER:
    case SEGBASE_GS_KERNEL:
        /* Any canonical base, as on Xen: the hypervisor uses neither %fs
         * nor %gs, and the guest reaches nothing through a base it could
         * not reach through an address. */
        if ((unsigned long)((long)(base << 16) >> 16) != base)
            return -XEN_EINVAL;
        if (which == SEGBASE_FS) {
            v->arch.fs_base = base;
            wrmsr(MSR_FS_BASE, base);
        } else if (which == SEGBASE_GS_USER) {
            v->arch.gs_base_user = base;
            wrmsr(MSR_SHADOW_GS_BASE, base); /* we are in kernel mode */
        } else {
            v->arch.gs_base_kernel = base;
            wrmsr(MSR_GS_BASE, base);
        }
        return 0;
    case SEGBASE_GS_USER_SEL:
        /* Linux's load_gs_index(): %gs takes the selector (it is the
         * vCPU's, saved and restored with it), the user base becomes the
         * descriptor's, the kernel's stays. As on Xen, only the low 16
         * bits count, a non-null selector gets RPL 3 and one the GDT or
         * LDT refuses leaves %gs null (the guest reads %gs back to know):
         * never an error, since Linux BUG()s on one. */
        sel = (uint16_t)base;
        if (sel > 3)
            sel |= 3;
        v->arch.gs_base_kernel = rdmsr(MSR_GS_BASE);
        (void)LOAD_SREG(gs, sel); /* sets the active base: the user's, now */
        v->arch.gs_base_user = rdmsr(MSR_GS_BASE);
        wrmsr(MSR_GS_BASE, v->arch.gs_base_kernel);
        wrmsr(MSR_SHADOW_GS_BASE, v->arch.gs_base_user);
        return 0;
    default:
        return -XEN_EINVAL;
    }
}
