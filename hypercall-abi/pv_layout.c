/*
 * Start-of-day layout of a 64-bit PV domain (see pv_layout.h for the
 * shape, LINUX-PV-REQUIREMENTS.md section 1.2 for why).
 *
 * All placement is done in byte offsets from virt_base, and the rounding
 * to 4 MiB in offsets from the start of virt_base's 1 GiB window (which is
 * 4 MiB aligned, so rounding there equals rounding the absolute address).
 * Every offset is checked against the room left in that window before it
 * grows further, so no sum can wrap, even for a window ending at 2^64.
 *
 * The number of bootstrap page-table frames depends on the region's size,
 * which depends on that number: it is found by iterating from one L1 up to
 * the least fixpoint (each step can only grow the region, and the window
 * bounds it).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/errno.h>
#include <xen/xen.h>

#include <paravane/pv_image.h>
#include <paravane/pv_layout.h>
#include "pv_lib.h"

#define L1_SPAN     (1ull << 21) /* bytes one L1 table maps */
#define L2_SPAN     (1ull << 30)
#define L3_SPAN     (1ull << 39)
#define MAX_PAGES   (1ull << 40) /* 52-bit physical addresses */
#define HYP_SLOT_LO 256u         /* L4 slots 256-271 are the hypervisor's */
#define HYP_SLOT_HI 271u

_Static_assert(PV_LAYOUT_L2_SPAN == L2_SPAN, "one L2 maps 1 GiB");

static bool canonical(uint64_t va)
{
    uint64_t top = va >> 47; /* bits 63..47 must all equal bit 47 */

    return top == 0 || top == 0x1ffff;
}

static unsigned int l4_slot(uint64_t va)
{
    return (unsigned int)((va >> 39) & 511);
}

static uint64_t pages_of(uint64_t bytes)
{
    return (bytes >> 12) + ((bytes & 0xfff) != 0);
}

/* Number of aligned span-sized blocks that [va, va + len) touches (len > 0). */
static uint64_t blocks(uint64_t va, uint64_t len, uint64_t span)
{
    return (va + (len - 1)) / span - va / span + 1;
}

/* Place an element of nr pages at *cur (offset from virt_base). */
static void place(struct pv_layout_elem *e, uint64_t vb, uint64_t *cur, uint64_t nr)
{
    e->virt = vb + *cur;
    e->pfn = *cur >> 12;
    e->nr = nr;
    *cur += nr << 12;
}

static int check_params(const struct pv_image_info *img, const struct pv_layout_params *p)
{
    uint64_t vb = img->virt_base;

    if (p->flags & ~PV_LAYOUT_FLAGS_ALL)
        return -XEN_EINVAL;
    if ((p->flags & PV_LAYOUT_INITRD_UNMAPPED) && !img->mod_start_pfn)
        return -XEN_EINVAL;
    if ((p->flags & PV_LAYOUT_P2M_AT_INIT_P2M) && img->init_p2m == PV_ADDR_UNSET)
        return -XEN_EINVAL;
    if (p->nr_pages > MAX_PAGES)
        return -XEN_EINVAL;
    if ((vb & 0xfff) || !canonical(vb) ||
        (l4_slot(vb) >= HYP_SLOT_LO && l4_slot(vb) <= HYP_SLOT_HI))
        return -XEN_EINVAL;
    if (img->virt_kstart < vb || img->virt_kend <= img->virt_kstart)
        return -XEN_EINVAL;
    return 0;
}

/*
 * The p2m at the INIT_P2M address: its frames, then its tables (one L3,
 * L2s, L1s), both from pfn *next on. It must stay canonical, out of the
 * hypervisor's slots and inside one L4 slot other than the region's.
 */
static int place_p2m_relocated(const struct pv_image_info *img, uint64_t p2m_pages,
                               struct pv_layout *l, uint64_t *next)
{
    uint64_t va = img->init_p2m, len = p2m_pages << 12, last;

    if ((va & 0xfff) || !pv_add_ok(va, len - 1, &last) || !canonical(va) || !canonical(last) ||
        l4_slot(va) != l4_slot(last) || l4_slot(va) == l4_slot(l->virt_base) ||
        (l4_slot(va) >= HYP_SLOT_LO && l4_slot(va) <= HYP_SLOT_HI))
        return -XEN_EINVAL;
    l->p2m.virt = va;
    l->p2m.pfn = *next;
    l->p2m.nr = p2m_pages;
    *next += p2m_pages;
    l->p2m_nr_l3 = 1;
    l->p2m_nr_l2 = (uint32_t)blocks(va, len, L2_SPAN);
    l->p2m_nr_l1 = (uint32_t)blocks(va, len, L1_SPAN);
    l->p2m_pt.virt = 0;
    l->p2m_pt.pfn = *next;
    l->p2m_pt.nr = (uint64_t)l->p2m_nr_l3 + l->p2m_nr_l2 + l->p2m_nr_l1;
    *next += l->p2m_pt.nr;
    l->mfn_list = va;
    l->first_p2m_pfn = l->p2m.pfn;
    l->nr_p2m_frames = l->p2m.nr + l->p2m_pt.nr;
    return 0;
}

/*
 * Page tables, stack and padding, from offset cur. Returns the region end
 * offset in *end_off, or -XEN_E2BIG if the window is exceeded.
 */
static int place_tables(struct pv_layout *l, uint64_t win_off, uint64_t cur, uint64_t *end_off)
{
    uint64_t nr_l1 = 1, need, stack_end, rel_end;

    for (;;) {
        /* One L4, one L3, one L2: the window check below guarantees it. */
        stack_end = cur + ((3 + nr_l1) << 12) + PV_PAGE_SIZE;
        rel_end = win_off + stack_end + PV_LAYOUT_PAD_MIN;
        rel_end = (rel_end + PV_LAYOUT_END_ALIGN - 1) & ~(PV_LAYOUT_END_ALIGN - 1);
        if (rel_end > L2_SPAN)
            return -XEN_E2BIG;
        need = (rel_end - 1) / L1_SPAN - win_off / L1_SPAN + 1;
        if (need <= nr_l1)
            break;
        nr_l1 = need;
    }
    l->nr_l4 = 1;
    l->nr_l3 = 1;
    l->nr_l2 = 1;
    l->nr_l1 = (uint32_t)nr_l1;
    place(&l->pt, l->virt_base, &cur, 3 + nr_l1);
    place(&l->stack, l->virt_base, &cur, 1);
    *end_off = rel_end - win_off;
    return 0;
}

int pv_layout_compute(const struct pv_image_info *img, const struct pv_layout_params *p,
                      struct pv_layout *l)
{
    uint64_t vb = img->virt_base, win_off, room, cur, end_off, next, ks, ke, p2m_pages;
    int rc;

    pv_memzero(l, sizeof(*l));
    rc = check_params(img, p);
    if (rc)
        return rc;
    l->nr_pages = p->nr_pages;
    l->virt_base = vb;
    l->entry = img->entry;

    /* Room from virt_base to the end of its 1 GiB window. */
    win_off = vb & (L2_SPAN - 1);
    room = L2_SPAN - win_off;

    /* a. The kernel image, bss included. */
    if (img->virt_kend - vb > room)
        return -XEN_E2BIG;
    ks = (img->virt_kstart - vb) & ~0xfffull;
    ke = (img->virt_kend - vb + 0xfff) & ~0xfffull;
    cur = ks;
    place(&l->kernel, vb, &cur, (ke - ks) >> 12);

    /* b. The initrd, unless passed as pfns beyond the region. */
    l->mod_len = p->initrd_len;
    if (p->initrd_len && !(p->flags & PV_LAYOUT_INITRD_UNMAPPED)) {
        if (p->initrd_len > room - cur)
            return -XEN_E2BIG;
        place(&l->initrd, vb, &cur, pages_of(p->initrd_len));
        l->mod_start = l->initrd.virt;
    }

    /* c. The p2m list, unless relocated to INIT_P2M. */
    p2m_pages = pages_of(p->nr_pages * 8);
    if (!(p->flags & PV_LAYOUT_P2M_AT_INIT_P2M) && p2m_pages) {
        if (p2m_pages > (room - cur) >> 12)
            return -XEN_E2BIG;
        place(&l->p2m, vb, &cur, p2m_pages);
        l->mfn_list = l->p2m.virt;
    }

    /* d-f. start_info, then the domU's xenstore and console rings. */
    if (cur + 3 * PV_PAGE_SIZE > room)
        return -XEN_E2BIG;
    place(&l->start_info, vb, &cur, 1);
    if (p->flags & PV_LAYOUT_DOMU) {
        place(&l->xenstore, vb, &cur, 1);
        place(&l->console, vb, &cur, 1);
    }

    /* g-h. Page tables and stack, then padding up to a 4 MiB boundary. */
    rc = place_tables(l, win_off, cur, &end_off);
    if (rc)
        return rc;
    /* A region reaching 2^64 exactly has no representable end: refuse it. */
    if (vb + end_off < vb)
        return -XEN_E2BIG;
    l->virt_end = vb + end_off;
    l->region_pages = end_off >> 12;

    /* Beyond the region: relocated p2m and its tables, unmapped initrd. */
    next = l->region_pages;
    if ((p->flags & PV_LAYOUT_P2M_AT_INIT_P2M) && p2m_pages) {
        rc = place_p2m_relocated(img, p2m_pages, l, &next);
        if (rc)
            return rc;
    }
    if (p->initrd_len && (p->flags & PV_LAYOUT_INITRD_UNMAPPED)) {
        l->initrd.pfn = next;
        l->initrd.nr = pages_of(p->initrd_len);
        next += l->initrd.nr;
        l->mod_start = l->initrd.pfn;
        l->mod_start_is_pfn = true;
    }
    if (next > p->nr_pages)
        return -XEN_ENOMEM;

    l->start_info_va = l->start_info.virt;
    l->stack_top = l->stack.virt + PV_PAGE_SIZE;
    l->pt_base = l->pt.virt;
    l->nr_pt_frames = l->pt.nr;
    return 0;
}

void pv_start_info_fill(struct start_info *si, const struct pv_layout *l,
                        uint64_t shared_info_maddr, uint32_t flags, const char *cmdline)
{
    static const char magic[] = "xen-3.0-x86_64";
    uint8_t *raw = (uint8_t *)si;
    size_t n = 0;

    for (size_t i = 0; i < sizeof(*si); i++)
        raw[i] = 0;
    for (size_t i = 0; i < sizeof(magic); i++)
        si->magic[i] = magic[i];
    si->nr_pages = l->nr_pages;
    si->shared_info = shared_info_maddr;
    si->flags = flags | (l->mod_start_is_pfn ? SIF_MOD_START_PFN : 0);
    si->pt_base = l->pt_base;
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = l->mfn_list;
    si->mod_start = l->mod_start;
    si->mod_len = l->mod_len;
    si->first_p2m_pfn = l->first_p2m_pfn;
    si->nr_p2m_frames = l->nr_p2m_frames;
    for (; cmdline && cmdline[n] && n < sizeof(si->cmd_line) - 1; n++)
        si->cmd_line[n] = (int8_t)cmdline[n];
}
