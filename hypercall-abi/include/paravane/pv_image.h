/*
 * PV kernel images: the Xen ELF-note parser, the segment loader and the
 * bzImage payload locator.
 *
 * Freestanding code shared by the hypervisor's boot-domain builder and the
 * toolstack's domU builder. It includes only compiler freestanding headers
 * and Xen public headers (reached as <xen/...>), allocates nothing and keeps
 * no mutable state: everything lives in the caller's struct pv_image_info.
 *
 * Invariants after a successful pv_elf_parse():
 *   - every segs[i] lies inside the file ([offset, offset + filesz) within
 *     the image) and filesz <= memsz;
 *   - the destination ranges [dest, dest + memsz) are sorted by dest, do not
 *     overlap, do not wrap, and all lie inside [virt_kstart, virt_kend);
 *   - virt_base <= virt_kstart, virt_base is 4 KiB aligned, and entry lies
 *     inside [virt_kstart, virt_kend);
 *   - hypercall_page, when present, is a 4 KiB-aligned page inside the image;
 *   - init_p2m, when present, is 4 KiB aligned and outside the image.
 * All errors are negative Xen errnos (<xen/errno.h>).
 */
#ifndef PARAVANE_PV_IMAGE_H
#define PARAVANE_PV_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/elfnote.h>
#include <xen/features.h>

/* Most PT_LOAD segments accepted (Linux has 4). More is -XEN_E2BIG. */
#define PV_MAX_LOAD_SEGS 16

/* Value of an address note that the image did not give. */
#define PV_ADDR_UNSET (~(uint64_t)0)

/* Room for each identification string, NUL included (longer: truncated). */
#define PV_NOTE_STR_MAX 64

/* p_flags bits of a segment (ELF PF_*). */
#define PV_SEG_X 0x1u
#define PV_SEG_W 0x2u
#define PV_SEG_R 0x4u

/* One PT_LOAD segment, as the ELF gives it plus where it goes. */
struct pv_load_seg {
    uint64_t paddr;  /* p_paddr: decides the destination (load rule) */
    uint64_t vaddr;  /* p_vaddr: informational (0 for Linux's percpu) */
    uint64_t offset; /* p_offset: file bytes start here */
    uint64_t filesz; /* bytes copied from the file */
    uint64_t memsz;  /* bytes occupied; [filesz, memsz) is zeroed */
    uint32_t flags;  /* PV_SEG_* */
    uint64_t dest;   /* virt_base + paddr - paddr_offset */
};

/* Bit n of pv_image_info.notes_seen: note type n was present. */
#define PV_NOTE_SEEN(type) (1u << (type))

struct pv_image_info {
    /* Identification (NUL-terminated; "" when absent). */
    char guest_os[PV_NOTE_STR_MAX];
    char guest_version[PV_NOTE_STR_MAX];
    char xen_version[PV_NOTE_STR_MAX];
    char loader[PV_NOTE_STR_MAX];
    char pae_mode[PV_NOTE_STR_MAX];

    uint32_t notes_seen; /* PV_NOTE_SEEN(XEN_ELFNOTE_*) of every Xen note found */

    /*
     * Addresses. virt_base and paddr_offset default to 0 (Xen's libelf
     * rule for images with notes); entry defaults to e_entry.
     */
    uint64_t virt_base;
    uint64_t paddr_offset;
    uint64_t entry;
    uint64_t hypercall_page; /* virtual address, or PV_ADDR_UNSET */
    uint64_t init_p2m;       /* virtual address, or PV_ADDR_UNSET */
    uint64_t hv_start_low;   /* or PV_ADDR_UNSET */
    uint64_t phys32_entry;   /* PVH only; recorded, ignored (or PV_ADDR_UNSET) */

    /* XENFEAT_* bitmaps: FEATURES string ("a|!b") plus SUPPORTED_FEATURES. */
    uint32_t f_supported[XENFEAT_NR_SUBMAPS];
    uint32_t f_required[XENFEAT_NR_SUBMAPS]; /* subset of f_supported */

    /* First L1_MFN_VALID mask/value pair (has_l1_mfn_valid says if given). */
    bool has_l1_mfn_valid;
    uint64_t l1_mfn_valid_mask;
    uint64_t l1_mfn_valid_value;

    bool suspend_cancel; /* SUSPEND_CANCEL != 0 */
    bool mod_start_pfn;  /* MOD_START_PFN != 0: initrd may be passed as a pfn */
    bool bsd_symtab;     /* BSD_SYMTAB == "yes" (symbols are not loaded) */

    /* The loaded image: [virt_kstart, virt_kend), bss included. */
    uint64_t virt_kstart;
    uint64_t virt_kend;

    unsigned int nr_segs;
    struct pv_load_seg segs[PV_MAX_LOAD_SEGS]; /* sorted by dest */
};

/*
 * pv_elf_parse: validate a 64-bit x86 PV kernel ELF and fill *info.
 *
 * image/size: the whole ELF file (read only; never accessed outside
 * [image, image + size)). Notes come from PT_NOTE segments; if none of those
 * holds a "Xen" note, from SHT_NOTE sections.
 *
 * Returns 0, or
 *   -XEN_ENOEXEC  not an ELF64 little-endian x86-64 ET_EXEC, no Xen notes,
 *                 XEN_VERSION not "xen-3.0*", neither LOADER "generic" nor
 *                 GUEST_OS "linux", no loadable segment;
 *   -XEN_EINVAL   malformed: header/table/segment/note outside the file or
 *                 overflowing, filesz > memsz, overlapping segments, a
 *                 numeric note of a bad size, an unknown feature name, a
 *                 required feature not supported, PADDR_OFFSET above a
 *                 p_paddr, entry/hypercall page/INIT_P2M out of bounds,
 *                 virt_base unaligned or above the image;
 *   -XEN_E2BIG    more than PV_MAX_LOAD_SEGS loadable segments.
 */
int pv_elf_parse(const void *image, size_t size, struct pv_image_info *info);

/*
 * pv_load_writer: store len bytes at byte page_off of the guest's pfn
 * (page_off + len <= 4096). src == NULL means write zeroes. A non-zero
 * return stops the load and is passed back.
 */
typedef int (*pv_load_writer)(void *ctx, uint64_t pfn, size_t page_off, const void *src,
                              size_t len);

/*
 * pv_elf_load: copy the segments of an image parsed by pv_elf_parse() into
 * the guest, page by page, zero-filling bss. The guest pfn of a destination
 * address v is (v - virt_base) / 4096, the bootstrap mapping's rule.
 * image/size must be the ones given to pv_elf_parse().
 *
 * Returns 0, -XEN_EINVAL if info does not fit the image, or the writer's
 * first non-zero return.
 */
int pv_elf_load(const void *image, size_t size, const struct pv_image_info *info,
                pv_load_writer write, void *ctx);

/*
 * pv_bzimage_payload: locate the compressed kernel inside a Linux bzImage
 * (boot protocol >= 2.08). On success *off and *len give the payload's byte
 * range inside the image (bounds-checked).
 *
 * Returns 0, -XEN_ENOEXEC if the image is not a bzImage (no 0xAA55 boot
 * flag, no "HdrS", protocol too old), -XEN_EINVAL if the payload lies
 * outside the image or is empty.
 */
int pv_bzimage_payload(const void *image, size_t size, size_t *off, size_t *len);

/* What pv_bzimage_inspect() finds in a bzImage. */
struct pv_bzimage {
    size_t payload_off, payload_len; /* the compressed payload, inside the image */
    int format;                      /* enum decomp_format */
    size_t kernel_size;              /* the decompressed kernel's size, as the payload states it */
};

/* The largest decompressed kernel a builder will allocate for. */
#define PV_BZIMAGE_MAX_KERNEL ((size_t)512 << 20)

/*
 * pv_bzimage_inspect: locate a bzImage's payload, name its compression and
 * read the decompressed size that Linux's build appends to every payload
 * (its last four bytes, little-endian; gzip's own ISIZE field).
 *
 * Returns 0, -XEN_ENOEXEC if the image is not a bzImage, -XEN_EINVAL if the
 * payload lies outside the image or is shorter than its size field,
 * -XEN_EOPNOTSUPP for a compression without a decoder here (bzip2, lzma,
 * lzo, lz4), -XEN_E2BIG for a stated size of 0 or over
 * PV_BZIMAGE_MAX_KERNEL.
 */
int pv_bzimage_inspect(const void *image, size_t size, struct pv_bzimage *bz);

/*
 * pv_bzimage_decompress: decompress the payload bz describes into out,
 * which holds bz->kernel_size bytes, with a DECOMP_WORK_SIZE work area.
 *
 * Returns 0 when exactly bz->kernel_size bytes came out, else a DECOMP_E*
 * code (see <paravane/decompress.h>; DECOMP_ECORRUPT for a size that
 * differs from the stated one), for the caller to log with
 * decomp_strerror().
 */
int pv_bzimage_decompress(const void *image, const struct pv_bzimage *bz, void *out, void *work);

/* True when feature bit nr (XENFEAT_*) is set in bitmap map. */
static inline bool pv_feature_test(const uint32_t map[XENFEAT_NR_SUBMAPS], unsigned int nr)
{
    return nr < 32u * XENFEAT_NR_SUBMAPS && ((map[nr / 32] >> (nr % 32)) & 1u) != 0;
}

#endif /* PARAVANE_PV_IMAGE_H */
