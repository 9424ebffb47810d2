/*
 * Bootstrap page-table contents for a layout from pv_layout_compute().
 *
 * A "span" is one virtually contiguous run of 4 KiB leaf mappings with its
 * own L3, L2 and L1 frames, all hanging off the bootstrap L4: the region
 * [virt_base, virt_end) is one span, the relocated p2m (if any) another.
 * Inside a span, table k of a level covers the k-th aligned block that the
 * span touches, so every entry's table and index follow from arithmetic on
 * the virtual address; nothing is read back from the tables.
 *
 * Invariants checked before the first write (the layout is caller data):
 * every pfn used to index p2m[] is below nr_pages, each span's table counts
 * match its extent, spans do not wrap, and every mfn fits a PTE. So a bad
 * layout is an error, never a read past p2m[] or a half-written table set.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/errno.h>

#include <paravane/pv_layout.h>
#include "pv_lib.h"

#define L1_SHIFT 21 /* log2 of the bytes one L1 table maps */
#define L2_SHIFT 30
#define L3_SHIFT 39
#define MFN_MAX  (PV_PTE_MFN_MASK >> PV_PAGE_SHIFT)

struct span {
    uint64_t va;       /* first mapped address, 4 KiB aligned */
    uint64_t pages;    /* leaf mappings */
    uint64_t data_pfn; /* pfn mapped at va; the next ones follow */
    uint64_t l3_pfn, l2_pfn, l1_pfn;
    uint64_t nr_l3, nr_l2, nr_l1;
};

struct build {
    const struct pv_layout *l;
    const uint64_t *p2m;
    pv_pte_writer write;
    void *ctx;
};

/* Aligned blocks of 2^shift bytes that the span touches. */
static uint64_t span_blocks(const struct span *s, unsigned int shift)
{
    return ((s->va + (s->pages << PV_PAGE_SHIFT) - 1) >> shift) - (s->va >> shift) + 1;
}

static bool pfns_ok(uint64_t pfn, uint64_t nr, uint64_t nr_pages)
{
    return pv_range_ok(pfn, nr, nr_pages);
}

static int span_check(const struct build *b, const struct span *s)
{
    uint64_t n = b->l->nr_pages, last;

    if (s->pages == 0 || (s->va & (PV_PAGE_SIZE - 1)) || s->pages > (1ull << 40) ||
        !pv_add_ok(s->va, (s->pages << PV_PAGE_SHIFT) - 1, &last))
        return -XEN_EINVAL;
    if (s->nr_l3 != span_blocks(s, L3_SHIFT) || s->nr_l2 != span_blocks(s, L2_SHIFT) ||
        s->nr_l1 != span_blocks(s, L1_SHIFT) || s->nr_l3 != 1)
        return -XEN_EINVAL;
    if (!pfns_ok(s->data_pfn, s->pages, n) || !pfns_ok(s->l3_pfn, s->nr_l3, n) ||
        !pfns_ok(s->l2_pfn, s->nr_l2, n) || !pfns_ok(s->l1_pfn, s->nr_l1, n))
        return -XEN_EINVAL;
    return 0;
}

static int mfn_of(const struct build *b, uint64_t pfn, uint64_t *mfn)
{
    *mfn = b->p2m[pfn]; /* pfn < nr_pages: span_check() */
    return *mfn <= MFN_MAX ? 0 : -XEN_EINVAL;
}

/* All mfns a span's entries will hold, checked before anything is written. */
static int span_check_mfns(const struct build *b, const struct span *s)
{
    uint64_t i, mfn;
    int rc = 0;

    for (i = 0; i < s->pages && !rc; i++)
        rc = mfn_of(b, s->data_pfn + i, &mfn);
    for (i = 0; i < s->nr_l3 && !rc; i++)
        rc = mfn_of(b, s->l3_pfn + i, &mfn);
    for (i = 0; i < s->nr_l2 && !rc; i++)
        rc = mfn_of(b, s->l2_pfn + i, &mfn);
    for (i = 0; i < s->nr_l1 && !rc; i++)
        rc = mfn_of(b, s->l1_pfn + i, &mfn);
    return rc;
}

/* Entry index of table (pt_pfn) pointing at pfn with flags. */
static int emit(const struct build *b, uint64_t pt_pfn, uint64_t vblock, uint64_t pfn,
                uint64_t flags)
{
    uint64_t mfn;
    int rc = mfn_of(b, pfn, &mfn);

    if (rc)
        return rc;
    return b->write(b->ctx, pt_pfn, (unsigned int)(vblock & 511), (mfn << PV_PAGE_SHIFT) | flags);
}

/* Is pfn one of the bootstrap page-table frames (mapped read-only)? */
static bool is_pt_frame(const struct pv_layout *l, uint64_t pfn)
{
    return pfn >= l->pt.pfn && pfn - l->pt.pfn < l->pt.nr;
}

static int span_build(const struct build *b, const struct span *s, uint64_t l4_pfn)
{
    uint64_t k, v3 = s->va >> L3_SHIFT, v2 = s->va >> L2_SHIFT, v1 = s->va >> L1_SHIFT;
    uint64_t v0 = s->va >> PV_PAGE_SHIFT;
    int rc = 0;

    /* L4 -> L3 (one: span_check), L3 -> L2s, L2 -> L1s, L1 -> pages. */
    rc = emit(b, l4_pfn, v3, s->l3_pfn, PV_PTE_TABLE);
    for (k = 0; k < s->nr_l2 && !rc; k++)
        rc = emit(b, s->l3_pfn + (((v2 + k) >> 9) - v3), v2 + k, s->l2_pfn + k, PV_PTE_TABLE);
    for (k = 0; k < s->nr_l1 && !rc; k++)
        rc = emit(b, s->l2_pfn + (((v1 + k) >> 9) - v2), v1 + k, s->l1_pfn + k, PV_PTE_TABLE);
    for (k = 0; k < s->pages && !rc; k++) {
        uint64_t pfn = s->data_pfn + k;
        uint64_t flags = is_pt_frame(b->l, pfn) ? PV_PTE_LEAF_RO : PV_PTE_LEAF_RW;

        rc = emit(b, s->l1_pfn + (((v0 + k) >> 9) - v1), v0 + k, pfn, flags);
    }
    return rc;
}

int pv_pagetable_build(const struct pv_layout *l, const uint64_t *p2m, pv_pte_writer write,
                       void *ctx)
{
    const struct build b = {.l = l, .p2m = p2m, .write = write, .ctx = ctx};
    struct span region, p2m_span;
    bool relocated = l->p2m_pt.nr != 0;
    uint64_t tables;
    int rc;

    /* The region: pfn n at virt_base + n pages; tables in pt, L4 first. */
    tables = (uint64_t)l->nr_l4 + l->nr_l3 + l->nr_l2 + l->nr_l1;
    if (l->nr_l4 != 1 || tables != l->pt.nr || l->virt_end <= l->virt_base ||
        l->region_pages != (l->virt_end - l->virt_base) >> PV_PAGE_SHIFT ||
        !pfns_ok(l->pt.pfn, l->pt.nr, l->region_pages))
        return -XEN_EINVAL;
    region = (struct span){
        .va = l->virt_base,
        .pages = l->region_pages,
        .data_pfn = 0,
        .l3_pfn = l->pt.pfn + 1,
        .l2_pfn = l->pt.pfn + 1 + l->nr_l3,
        .l1_pfn = l->pt.pfn + 1 + l->nr_l3 + l->nr_l2,
        .nr_l3 = l->nr_l3,
        .nr_l2 = l->nr_l2,
        .nr_l1 = l->nr_l1,
    };
    rc = span_check(&b, &region);
    if (!rc)
        rc = span_check_mfns(&b, &region);
    if (rc)
        return rc;

    if (relocated) {
        p2m_span = (struct span){
            .va = l->p2m.virt,
            .pages = l->p2m.nr,
            .data_pfn = l->p2m.pfn,
            .l3_pfn = l->p2m_pt.pfn,
            .l2_pfn = l->p2m_pt.pfn + l->p2m_nr_l3,
            .l1_pfn = l->p2m_pt.pfn + l->p2m_nr_l3 + l->p2m_nr_l2,
            .nr_l3 = l->p2m_nr_l3,
            .nr_l2 = l->p2m_nr_l2,
            .nr_l1 = l->p2m_nr_l1,
        };
        if (l->p2m_pt.nr != (uint64_t)l->p2m_nr_l3 + l->p2m_nr_l2 + l->p2m_nr_l1 ||
            ((l->p2m.virt >> L3_SHIFT) & 511) == ((l->virt_base >> L3_SHIFT) & 511))
            return -XEN_EINVAL; /* the spans would share (and clobber) an L3 */
        rc = span_check(&b, &p2m_span);
        if (!rc)
            rc = span_check_mfns(&b, &p2m_span);
        if (rc)
            return rc;
    }

    rc = span_build(&b, &region, l->pt.pfn);
    if (!rc && relocated)
        rc = span_build(&b, &p2m_span, l->pt.pfn);
    return rc;
}
