/*
 * Layout checkers shared by the layout and Debian-kernel suites: the
 * promises of pv_layout.h asserted on a computed layout, and a full build
 * of its page tables into simulated frames followed by an MMU-style walk
 * of every page (see layoutcheck.h).
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include <paravane/pv_image.h>
#include <paravane/pv_layout.h>

#include "layoutcheck.h"
#include "pvtest.h"

#define MB      (1ull << 20)
#define PAGE    4096ull
#define MFN_OFF 0x12345ull /* mfn = MFN_OFF + 3 * pfn: a non-identity bijection */

/* --- simulated frames behind the pte writer ------------------------------ */

static int64_t table_index(const struct sim *s, uint64_t pfn)
{
    if (pfn >= s->l->pt.pfn && pfn < s->l->pt.pfn + s->l->pt.nr)
        return (int64_t)(pfn - s->l->pt.pfn);
    if (pfn >= s->l->p2m_pt.pfn && pfn < s->l->p2m_pt.pfn + s->l->p2m_pt.nr)
        return (int64_t)(s->l->pt.nr + pfn - s->l->p2m_pt.pfn);
    return -1;
}

int sim_write(void *ctx, uint64_t pt_pfn, unsigned int index, uint64_t pte)
{
    struct sim *s = ctx;
    int64_t t = table_index(s, pt_pfn);

    if (s->fail_next)
        return -XEN_EFAULT;
    PVT_CHECK_MSG(t >= 0, "write to pfn %#llx, not a table frame", (unsigned long long)pt_pfn);
    PVT_lt(index, 512);
    PVT_CHECK_MSG(s->tables[t][index] == 0, "entry %u of pfn %#llx written twice", index,
                  (unsigned long long)pt_pfn);
    PVT_ne(pte, 0);
    s->tables[t][index] = pte;
    s->writes++;
    return 0;
}

static uint64_t mfn_to_pfn(uint64_t mfn)
{
    PVT_ge(mfn, MFN_OFF);
    PVT_eq((mfn - MFN_OFF) % 3, 0);
    return (mfn - MFN_OFF) / 3;
}

/* Follow one entry down to the table frame it names (flags: table flags). */
static int64_t next_table(const struct sim *s, uint64_t pte)
{
    PVT_eq(pte & ~PV_PTE_MFN_MASK, PV_PTE_TABLE);
    return table_index(s, mfn_to_pfn((pte & PV_PTE_MFN_MASK) >> 12));
}

/* Walk va; returns the leaf pte (0 if unmapped). */
static uint64_t walk(const struct sim *s, uint64_t va)
{
    int64_t t = table_index(s, s->l->pt.pfn);
    unsigned int shift;

    for (shift = 39; shift >= 21; shift -= 9) {
        uint64_t pte = s->tables[t][(va >> shift) & 511];

        if (pte == 0)
            return 0;
        t = next_table(s, pte);
        PVT_ge(t, 0);
    }
    return s->tables[t][(va >> 12) & 511];
}

/* Build l's tables, then check every mapping and that there are no others. */
void build_and_walk(const struct pv_layout *l)
{
    uint64_t nr_tables = l->pt.nr + l->p2m_pt.nr, leaves = 0;
    uint64_t *p2m = malloc(l->nr_pages * sizeof(*p2m));
    struct sim s = {.l = l};

    ck_assert_ptr_nonnull(p2m);
    s.tables = calloc(nr_tables, sizeof(*s.tables));
    ck_assert_ptr_nonnull(s.tables);
    for (uint64_t pfn = 0; pfn < l->nr_pages; pfn++)
        p2m[pfn] = MFN_OFF + 3 * pfn;
    PVT_eq(pv_pagetable_build(l, p2m, sim_write, &s), 0);

    for (uint64_t pfn = 0; pfn < l->region_pages; pfn++) {
        uint64_t pte = walk(&s, l->virt_base + pfn * PAGE);
        bool is_pt = pfn >= l->pt.pfn && pfn < l->pt.pfn + l->pt.nr;

        PVT_eq((pte & PV_PTE_MFN_MASK) >> 12, p2m[pfn]);
        PVT_eq(pte & ~PV_PTE_MFN_MASK, is_pt ? PV_PTE_LEAF_RO : PV_PTE_LEAF_RW);
    }
    for (uint64_t i = 0; i < l->p2m.nr && l->p2m_pt.nr; i++) {
        uint64_t pte = walk(&s, l->p2m.virt + i * PAGE);

        PVT_eq((pte & PV_PTE_MFN_MASK) >> 12, p2m[l->p2m.pfn + i]);
        PVT_eq(pte & ~PV_PTE_MFN_MASK, PV_PTE_LEAF_RW);
    }
    /* Just past each end: nothing. */
    PVT_eq(walk(&s, l->virt_end), 0);
    if (l->virt_base >= PAGE)
        PVT_eq(walk(&s, l->virt_base - PAGE), 0);
    /* Leaf entries are all the mappings there are: count L1 entries. */
    for (uint64_t t = 0; t < nr_tables; t++) {
        bool is_l1 = (t >= 1 + l->nr_l3 + l->nr_l2 && t < l->pt.nr) ||
                     (t >= l->pt.nr + l->p2m_nr_l3 + l->p2m_nr_l2);

        for (unsigned int e = 0; e < 512 && is_l1; e++)
            leaves += s.tables[t][e] != 0;
    }
    PVT_eq(leaves, l->region_pages + (l->p2m_pt.nr ? l->p2m.nr : 0));
    PVT_eq(s.writes, leaves + nr_tables - 1); /* every table but the L4 is linked */
    free(s.tables);
    free(p2m);
}

/* Everything pv_layout.h promises about a successful layout. */
void assert_layout(const struct pv_image_info *img, const struct pv_layout_params *p,
                   const struct pv_layout *l)
{
    const struct pv_layout_elem *order[] = {&l->kernel,   &l->initrd,  &l->p2m, &l->start_info,
                                            &l->xenstore, &l->console, &l->pt,  &l->stack};
    uint64_t prev_end = l->virt_base, p2m_pages = (p->nr_pages * 8 + PAGE - 1) / PAGE;
    bool domu = p->flags & PV_LAYOUT_DOMU;

    ck_assert_uint_eq(l->virt_base, img->virt_base);
    ck_assert_uint_eq(l->virt_end % (4 * MB), 0);
    ck_assert_uint_gt(l->virt_end, l->virt_base);
    ck_assert_uint_eq(l->region_pages, (l->virt_end - l->virt_base) / PAGE);
    ck_assert_uint_le(l->region_pages, p->nr_pages);
    /* One L2 covers it all. */
    ck_assert_uint_eq(l->virt_base >> 30, (l->virt_end - 1) >> 30);
    for (unsigned int i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const struct pv_layout_elem *e = order[i];

        if (e->nr == 0 || e->virt == 0 || (e == &l->p2m && l->p2m_pt.nr))
            continue; /* absent, or not in the region */
        ck_assert_uint_eq(e->virt % PAGE, 0);
        ck_assert_uint_ge(e->virt, prev_end);
        ck_assert_uint_eq(e->pfn, (e->virt - l->virt_base) / PAGE);
        prev_end = e->virt + e->nr * PAGE;
        ck_assert_uint_le(prev_end, l->virt_end);
    }
    /* Stack is last; then at least 512 KiB of padding. */
    ck_assert_uint_eq(prev_end, l->stack.virt + PAGE);
    ck_assert_uint_ge(l->virt_end - prev_end, 512 * 1024);
    ck_assert_uint_lt(l->virt_end - prev_end, 512 * 1024 + 4 * MB);
    /* The kernel element covers the image exactly (page granular). */
    ck_assert_uint_eq(l->kernel.virt, img->virt_kstart & ~(PAGE - 1));
    ck_assert_uint_eq(l->kernel.virt + l->kernel.nr * PAGE,
                      (img->virt_kend + PAGE - 1) & ~(PAGE - 1));
    /* Elements packed: each starts where the previous present one ended. */
    ck_assert_uint_eq(l->start_info.nr, 1);
    ck_assert_uint_eq(l->stack.nr, 1);
    ck_assert_uint_eq(l->xenstore.nr, domu);
    ck_assert_uint_eq(l->console.nr, domu);
    ck_assert_uint_eq(l->pt.virt, (domu ? l->console.virt : l->start_info.virt) + PAGE);
    ck_assert_uint_eq(l->stack.virt, l->pt.virt + l->pt.nr * PAGE);
    /* Table counts: one of each upper level, enough L1s for the region. */
    ck_assert_uint_eq(l->nr_l4, 1);
    ck_assert_uint_eq(l->nr_l3, 1);
    ck_assert_uint_eq(l->nr_l2, 1);
    ck_assert_uint_eq(l->nr_l1, ((l->virt_end - 1) >> 21) - (l->virt_base >> 21) + 1);
    ck_assert_uint_eq(l->pt.nr, 3 + l->nr_l1);
    ck_assert_uint_eq(l->nr_pt_frames, l->pt.nr);
    ck_assert_uint_eq(l->pt_base, l->pt.virt);
    ck_assert_uint_eq(l->start_info_va, l->start_info.virt);
    ck_assert_uint_eq(l->stack_top, l->stack.virt + PAGE);
    ck_assert_uint_eq(l->entry, img->entry);
    ck_assert_uint_eq(l->p2m.nr, p2m_pages);
    ck_assert_uint_eq(l->mod_len, p->initrd_len);
    if (p->flags & PV_LAYOUT_P2M_AT_INIT_P2M) {
        ck_assert_uint_eq(l->p2m.virt, img->init_p2m);
        ck_assert_uint_eq(l->mfn_list, img->init_p2m);
        ck_assert_uint_eq(l->p2m.pfn, l->region_pages);
        ck_assert_uint_eq(l->p2m_pt.pfn, l->p2m.pfn + l->p2m.nr);
        ck_assert_uint_eq(l->first_p2m_pfn, l->p2m.pfn);
        ck_assert_uint_eq(l->nr_p2m_frames, l->p2m.nr + l->p2m_pt.nr);
    } else {
        ck_assert_uint_eq(l->mfn_list, l->p2m.virt);
        ck_assert_uint_eq(l->first_p2m_pfn, 0);
        ck_assert_uint_eq(l->nr_p2m_frames, 0);
        ck_assert_uint_eq(l->p2m_pt.nr, 0);
    }
    if (p->initrd_len && (p->flags & PV_LAYOUT_INITRD_UNMAPPED)) {
        ck_assert(l->mod_start_is_pfn);
        ck_assert_uint_eq(l->initrd.virt, 0);
        ck_assert_uint_eq(l->mod_start, l->initrd.pfn);
        ck_assert_uint_ge(l->initrd.pfn,
                          l->region_pages + l->p2m_pt.nr + (l->p2m_pt.nr ? l->p2m.nr : 0));
        ck_assert_uint_le(l->initrd.pfn + l->initrd.nr, p->nr_pages);
    } else if (p->initrd_len) {
        ck_assert(!l->mod_start_is_pfn);
        ck_assert_uint_eq(l->mod_start, l->initrd.virt);
        ck_assert_uint_eq(l->initrd.virt, l->kernel.virt + l->kernel.nr * PAGE);
    }
}
