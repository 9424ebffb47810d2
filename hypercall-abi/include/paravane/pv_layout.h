/*
 * Start-of-day layout of a 64-bit PV domain and its bootstrap page tables.
 *
 * pv_layout_compute() decides where everything goes, following the
 * "Start-of-day memory layout" of xen.h and what Linux 6.1 additionally
 * relies on (LINUX-PV-REQUIREMENTS.md section 1.2):
 *
 *   - one contiguous region [virt_base, virt_end) maps pfn n at
 *     virt_base + n * 4 KiB (pfn 0 is the region's first page);
 *   - inside it, in this order, each 4 KiB aligned: kernel image (bss
 *     included), initrd (unless passed unmapped as a pfn), p2m list (unless
 *     relocated to the INIT_P2M address), start_info, xenstore ring and
 *     console ring (domU only), the bootstrap page tables (L4, L3, L2, L1s),
 *     the boot stack;
 *   - then at least 512 KiB of mapped free padding, virt_end 4 MiB aligned;
 *   - the whole region lies inside the 1 GiB one L2 table covers;
 *   - pfns beyond the region, in this order: the relocated p2m frames and
 *     the page tables mapping them (INIT_P2M case), then the unmapped
 *     initrd (MOD_START_PFN case).
 *
 * pv_pagetable_build() then emits every entry of those tables through a
 * caller-supplied writer. The caller adds the hypervisor's own L4 slots.
 *
 * Freestanding: no allocation, no mutable globals. Errors are negative Xen
 * errnos (<xen/errno.h>).
 */
#ifndef PARAVANE_PV_LAYOUT_H
#define PARAVANE_PV_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <paravane/pv_image.h>

#define PV_PAGE_SHIFT 12
#define PV_PAGE_SIZE  (1ull << PV_PAGE_SHIFT)

/* Page-table entry bits used by the builder (x86-64 4-level paging). */
#define PV_PTE_PRESENT  0x001ull
#define PV_PTE_RW       0x002ull
#define PV_PTE_USER     0x004ull
#define PV_PTE_ACCESSED 0x020ull
#define PV_PTE_DIRTY    0x040ull
#define PV_PTE_MFN_MASK 0x000ffffffffff000ull

/* Flags of an L4/L3/L2 entry pointing at the next table. */
#define PV_PTE_TABLE (PV_PTE_PRESENT | PV_PTE_RW | PV_PTE_USER | PV_PTE_ACCESSED)
/* Flags of a leaf mapping ordinary guest memory. */
#define PV_PTE_LEAF_RW (PV_PTE_PRESENT | PV_PTE_RW | PV_PTE_USER | PV_PTE_ACCESSED | PV_PTE_DIRTY)
/* Flags of a leaf mapping a bootstrap page-table frame (read-only). */
#define PV_PTE_LEAF_RO (PV_PTE_PRESENT | PV_PTE_USER | PV_PTE_ACCESSED)

/* Minimum free mapped padding after the last element, and the end alignment. */
#define PV_LAYOUT_PAD_MIN   (512ull << 10)
#define PV_LAYOUT_END_ALIGN (4ull << 20)
/* Everything in the region must fit the 1 GiB one L2 table maps. */
#define PV_LAYOUT_L2_SPAN (1ull << 30)

/* pv_layout_params.flags */
#define PV_LAYOUT_DOMU            0x1u /* add the xenstore and console ring pages */
#define PV_LAYOUT_INITRD_UNMAPPED 0x2u /* initrd as pfns (needs the MOD_START_PFN note) */
#define PV_LAYOUT_P2M_AT_INIT_P2M 0x4u /* p2m at the INIT_P2M address (needs that note) */
#define PV_LAYOUT_FLAGS_ALL       0x7u

struct pv_layout_params {
    uint64_t nr_pages;   /* the domain's memory in pages: the p2m's length */
    uint64_t initrd_len; /* bytes; 0 = no initrd */
    uint32_t flags;      /* PV_LAYOUT_*; other bits are -XEN_EINVAL */
};

/* One element: nr pages from pfn, mapped at virt (0 if not mapped). */
struct pv_layout_elem {
    uint64_t virt;
    uint64_t pfn;
    uint64_t nr; /* pages; 0 = element absent */
};

struct pv_layout {
    uint64_t nr_pages;     /* copied from the params */
    uint64_t virt_base;    /* region start (= VIRT_BASE note): pfn 0 */
    uint64_t virt_end;     /* region end, exclusive, 4 MiB aligned */
    uint64_t region_pages; /* (virt_end - virt_base) / 4 KiB */

    /* Elements in region order (then the ones beyond the region). */
    struct pv_layout_elem kernel;     /* pages [virt_kstart, virt_kend) touch */
    struct pv_layout_elem initrd;     /* virt 0 when unmapped */
    struct pv_layout_elem p2m;        /* virt = INIT_P2M when relocated */
    struct pv_layout_elem start_info; /* 1 page */
    struct pv_layout_elem xenstore;   /* 1 page, domU only */
    struct pv_layout_elem console;    /* 1 page, domU only */
    struct pv_layout_elem pt;         /* bootstrap tables: L4, L3s, L2s, L1s */
    struct pv_layout_elem stack;      /* 1 page */

    /* Bootstrap table frames of each level, laid out in pt in this order. */
    uint32_t nr_l4, nr_l3, nr_l2, nr_l1;

    /*
     * Relocated p2m only: the tables mapping it at INIT_P2M (4 KiB pages,
     * reached from the bootstrap L4), L3s then L2s then L1s from p2m_pt.pfn.
     * They are not mapped in the region.
     */
    struct pv_layout_elem p2m_pt;
    uint32_t p2m_nr_l3, p2m_nr_l2, p2m_nr_l1;

    /* Ready-made start_info and register values. */
    uint64_t entry;         /* initial rip */
    uint64_t stack_top;     /* initial rsp: end of the stack page */
    uint64_t start_info_va; /* initial rsi */
    uint64_t pt_base;       /* start_info.pt_base: virtual address of the L4 */
    uint64_t nr_pt_frames;  /* start_info.nr_pt_frames */
    uint64_t mfn_list;      /* start_info.mfn_list: virtual address of the p2m */
    uint64_t mod_start;     /* start_info.mod_start: virtual address or pfn */
    uint64_t mod_len;       /* start_info.mod_len */
    uint64_t first_p2m_pfn; /* start_info.first_p2m_pfn (0 unless relocated) */
    uint64_t nr_p2m_frames; /* start_info.nr_p2m_frames (0 unless relocated) */
    bool mod_start_is_pfn;  /* set SIF_MOD_START_PFN in start_info.flags */
};

/*
 * pv_layout_compute: lay out a domain of p->nr_pages pages for the image
 * img (from pv_elf_parse()).
 *
 * Returns 0, or
 *   -XEN_EINVAL  unknown flag, a flag whose note is missing (MOD_START_PFN,
 *                INIT_P2M), VIRT_BASE non-canonical or in the hypervisor's
 *                L4 slots 256-271, INIT_P2M range overlapping the region,
 *                sharing its L4 slot, non-canonical or in the hypervisor hole;
 *   -XEN_E2BIG   the region does not fit in the 1 GiB of one L2 table;
 *   -XEN_ENOMEM  nr_pages is smaller than the pfns the layout uses.
 */
int pv_layout_compute(const struct pv_image_info *img, const struct pv_layout_params *p,
                      struct pv_layout *l);

/*
 * pv_pte_writer: store pte at entry index (0-511) of the table frame whose
 * guest pfn is pt_pfn. Only non-zero entries are written; the caller starts
 * from zeroed frames. A non-zero return stops the build and is passed back.
 */
typedef int (*pv_pte_writer)(void *ctx, uint64_t pt_pfn, unsigned int index, uint64_t pte);

/*
 * pv_pagetable_build: emit the bootstrap tables of layout l: 4 KiB leaf
 * mappings of [virt_base, virt_end) (PV_PTE_LEAF_RW, except the pt frames
 * themselves: PV_PTE_LEAF_RO), and of the relocated p2m if any, with table
 * entries PV_PTE_TABLE. No large pages, no global bit; 4 levels. The
 * hypervisor's L4 slots 256-271 are left to the caller.
 *
 * p2m: pfn -> mfn for pfns [0, l->nr_pages).
 *
 * Returns 0, -XEN_EINVAL if an mfn does not fit a PTE or the layout is
 * inconsistent, or the writer's first non-zero return.
 */
int pv_pagetable_build(const struct pv_layout *l, const uint64_t *p2m, pv_pte_writer write,
                       void *ctx);

/*
 * pv_start_info_fill: the start_info both builders write (xen.h's
 * "start_info" for a layout l): magic, nr_pages, shared_info (machine
 * address), flags (plus SIF_MOD_START_PFN when l says so), page tables,
 * p2m, module and the command line (truncated to MAX_GUEST_CMDLINE - 1).
 * The xenstore and console fields are left 0 for the caller. si is a
 * struct start_info; written whole.
 */
struct start_info;
void pv_start_info_fill(struct start_info *si, const struct pv_layout *l,
                        uint64_t shared_info_maddr, uint32_t flags, const char *cmdline);

#endif /* PARAVANE_PV_LAYOUT_H */
