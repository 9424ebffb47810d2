/*
 * PV kernel ELF parser: the ELF64 headers, the PT_LOAD segments and the
 * "Xen" notes of <xen/elfnote.h>, with the checks Xen's libelf applies.
 *
 * The image is untrusted input. Every field is read through pv_le*() from
 * a range proven to lie inside [image, image + size) first, and every sum
 * of two image-supplied numbers is overflow-checked before use. Nothing is
 * written but *info, which is fully initialised before anything else.
 *
 * Semantics (following libelf's elf_xen_parse() and addr_calc_check()):
 *   - notes are read from PT_NOTE segments (those with p_offset 0 are
 *     skipped, a binutils bug Xen also tolerates); only if they hold no Xen
 *     note are SHT_NOTE sections tried; no Xen note at all: not a PV image;
 *   - notes are 4-byte aligned, or 8-byte when the segment/section says so
 *     (the rule readelf uses); numeric values are 1, 2, 4 or 8 bytes LE;
 *   - XEN_VERSION must start with "xen-3.0"; LOADER must start with
 *     "generic" unless GUEST_OS starts with "linux";
 *   - VIRT_BASE defaults to 0 and PADDR_OFFSET to 0 (an image giving
 *     PADDR_OFFSET without VIRT_BASE is refused, as Xen does); ENTRY
 *     defaults to e_entry;
 *   - FEATURES names are those of <xen/features.h>; an unknown (or over
 *     63-character) name is ignored unless marked required ('!'), which is
 *     an error;
 *   - segments go to virt_base + p_paddr - paddr_offset (p_paddr, never
 *     p_vaddr); memsz 0 segments are dropped.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/errno.h>
#include <xen/elfnote.h>
#include <xen/features.h>

#include <paravane/pv_image.h>
#include "pv_lib.h"

/* ELF64 layout (no <elf.h> in a freestanding build: our own names). */
#define EHDR_SIZE    64
#define PHDR_SIZE    56
#define SHDR_SIZE    64
#define NOTE_HDR     12
#define ELFCLASS64   2
#define ELFDATA2LSB  1
#define EV_CURRENT   1
#define ET_EXEC      2
#define EM_X86_64    62
#define PT_LOAD      1
#define PT_NOTE      4
#define SHT_NOTE     7
#define PF_ALL       0x7u
#define MAX_PHNUM    64   /* anything larger is not a kernel */
#define MAX_SHNUM    4096 /* ditto for sections */
#define MAX_FEAT_LEN 63   /* longest feature name, as libelf */

static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
    [XENFEAT_highmem_assist] = "highmem_assist",
    [XENFEAT_gnttab_map_avail_bits] = "gnttab_map_avail_bits",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
    [XENFEAT_hvm_pirqs] = "hvm_pirqs",
    [XENFEAT_dom0] = "dom0",
    [XENFEAT_memory_op_vnode_supported] = "memory_op_vnode_supported",
    [XENFEAT_ARM_SMCCC_supported] = "ARM_SMCCC_supported",
    [XENFEAT_linux_rsdp_unrestricted] = "linux_rsdp_unrestricted",
    [XENFEAT_not_direct_mapped] = "not_direct_mapped",
    [XENFEAT_direct_mapped] = "direct_mapped",
};
#define NR_FEATURE_NAMES (sizeof(feature_names) / sizeof(feature_names[0]))
_Static_assert(NR_FEATURE_NAMES <= 32 * XENFEAT_NR_SUBMAPS, "feature table exceeds the bitmap");

/* Parsing state beyond *info: which address notes were given. */
struct parse_state {
    const uint8_t *img;
    uint64_t size;
    unsigned int xen_notes;
    bool have_virt_base, have_paddr_offset, have_entry;
};

/* Does name (len bytes, not NUL-terminated) equal the feature s? */
static bool feat_name_eq(const uint8_t *name, size_t len, const char *s)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (s[i] == 0 || (uint8_t)s[i] != name[i])
            return false;
    return s[len] == 0;
}

/* "a|!b|c": set supported (and required for '!') bits by feature name. */
static int parse_features(const uint8_t *s, uint64_t n, struct pv_image_info *info)
{
    uint64_t pos = 0;

    while (pos < n && s[pos] != 0) {
        uint64_t len = 0;
        bool required = false;
        unsigned int i;

        if (s[pos] == '!') {
            required = true;
            pos++;
        }
        while (pos + len < n && s[pos + len] != 0 && s[pos + len] != '|')
            len++;
        /* A name longer than libelf's buffer matches nothing, as there. */
        i = NR_FEATURE_NAMES;
        if (len <= MAX_FEAT_LEN)
            for (i = 0; i < NR_FEATURE_NAMES; i++)
                if (feature_names[i] && feat_name_eq(s + pos, (size_t)len, feature_names[i]))
                    break;
        if (i < NR_FEATURE_NAMES) {
            info->f_supported[i / 32] |= 1u << (i % 32);
            if (required)
                info->f_required[i / 32] |= 1u << (i % 32);
        } else if (required && len > 0) {
            return -XEN_EINVAL; /* the kernel needs something we cannot name */
        }
        pos += len;
        if (pos < n && s[pos] == '|')
            pos++;
    }
    return 0;
}

/* A numeric note: 1, 2, 4 or 8 little-endian bytes. */
static int note_number(const uint8_t *d, uint64_t n, uint64_t *val)
{
    switch (n) {
    case 1:
        *val = d[0];
        return 0;
    case 2:
        *val = pv_le16(d);
        return 0;
    case 4:
        *val = pv_le32(d);
        return 0;
    case 8:
        *val = pv_le64(d);
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

static int note_string(char *dst, const uint8_t *d, uint64_t n)
{
    pv_strlcpy_n(dst, PV_NOTE_STR_MAX, d, (size_t)n);
    return 0;
}

/* Record one Xen note of the given type; d/n is its (bounds-checked) desc. */
static int xen_note(struct parse_state *st, struct pv_image_info *info, uint32_t type,
                    const uint8_t *d, uint64_t n)
{
    uint64_t v = 0;
    unsigned int i;
    int rc;

    if (type < 32)
        info->notes_seen |= PV_NOTE_SEEN(type);

    switch (type) {
    case XEN_ELFNOTE_GUEST_OS:
        return note_string(info->guest_os, d, n);
    case XEN_ELFNOTE_GUEST_VERSION:
        return note_string(info->guest_version, d, n);
    case XEN_ELFNOTE_XEN_VERSION:
        return note_string(info->xen_version, d, n);
    case XEN_ELFNOTE_LOADER:
        return note_string(info->loader, d, n);
    case XEN_ELFNOTE_PAE_MODE:
        return note_string(info->pae_mode, d, n);
    case XEN_ELFNOTE_FEATURES:
        return parse_features(d, n, info);
    case XEN_ELFNOTE_BSD_SYMTAB: {
        char s[PV_NOTE_STR_MAX];

        note_string(s, d, n);
        info->bsd_symtab = pv_str_eq(s, "yes");
        return 0;
    }
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        /* An array of 32-bit submaps; extra words beyond ours are ignored. */
        if (n == 0 || n % 4 != 0)
            return -XEN_EINVAL;
        for (i = 0; i < XENFEAT_NR_SUBMAPS && (uint64_t)(i + 1) * 4 <= n; i++)
            info->f_supported[i] |= pv_le32(d + 4 * i);
        return 0;
    case XEN_ELFNOTE_L1_MFN_VALID:
        /* 64-bit mask/value pairs; the first pair is what a builder uses. */
        if (n < 16 || n % 16 != 0)
            return -XEN_EINVAL;
        info->has_l1_mfn_valid = true;
        info->l1_mfn_valid_mask = pv_le64(d);
        info->l1_mfn_valid_value = pv_le64(d + 8);
        return 0;
    case XEN_ELFNOTE_ENTRY:
    case XEN_ELFNOTE_HYPERCALL_PAGE:
    case XEN_ELFNOTE_VIRT_BASE:
    case XEN_ELFNOTE_PADDR_OFFSET:
    case XEN_ELFNOTE_HV_START_LOW:
    case XEN_ELFNOTE_SUSPEND_CANCEL:
    case XEN_ELFNOTE_INIT_P2M:
    case XEN_ELFNOTE_MOD_START_PFN:
    case XEN_ELFNOTE_PHYS32_ENTRY:
        rc = note_number(d, n, &v);
        if (rc)
            return rc;
        break;
    default:
        return 0; /* INFO and unknown types carry nothing a PV builder needs */
    }

    switch (type) {
    case XEN_ELFNOTE_ENTRY:
        info->entry = v;
        st->have_entry = true;
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        info->hypercall_page = v;
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        info->virt_base = v;
        st->have_virt_base = true;
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        info->paddr_offset = v;
        st->have_paddr_offset = true;
        break;
    case XEN_ELFNOTE_HV_START_LOW:
        info->hv_start_low = v;
        break;
    case XEN_ELFNOTE_SUSPEND_CANCEL:
        info->suspend_cancel = v != 0;
        break;
    case XEN_ELFNOTE_INIT_P2M:
        info->init_p2m = v;
        break;
    case XEN_ELFNOTE_MOD_START_PFN:
        info->mod_start_pfn = v != 0;
        break;
    default: /* XEN_ELFNOTE_PHYS32_ENTRY: PVH only */
        info->phys32_entry = v;
        break;
    }
    return 0;
}

/*
 * Walk the notes in [off, off + len) of the image. Every note must fit
 * entirely; trailing bytes too short for a note header are padding.
 */
static int scan_notes(struct parse_state *st, struct pv_image_info *info, uint64_t off,
                      uint64_t len, uint64_t align)
{
    const uint8_t *base;
    uint64_t a = align == 8 ? 8 : 4;
    uint64_t pos = 0;
    int rc;

    if (!pv_range_ok(off, len, st->size))
        return -XEN_EINVAL;
    base = st->img + off;

    while (len - pos >= NOTE_HDR) {
        const uint8_t *h = base + pos;
        uint64_t namesz = pv_le32(h), descsz = pv_le32(h + 4);
        uint32_t type = pv_le32(h + 8);
        uint64_t name_off = pos + NOTE_HDR, desc_off, next;

        /* namesz/descsz are < 2^32, so the roundings below cannot wrap. */
        if (namesz > len - name_off)
            return -XEN_EINVAL;
        desc_off = name_off + ((namesz + a - 1) & ~(a - 1));
        if (desc_off > len || descsz > len - desc_off)
            return -XEN_EINVAL;
        next = desc_off + ((descsz + a - 1) & ~(a - 1));

        if (namesz == 4 && base[name_off] == 'X' && base[name_off + 1] == 'e' &&
            base[name_off + 2] == 'n' && base[name_off + 3] == 0) {
            rc = xen_note(st, info, type, base + desc_off, descsz);
            if (rc)
                return rc;
            st->xen_notes++;
        }
        if (next >= len)
            break; /* the last note's padding may be cut off */
        pos = next;
    }
    return 0;
}

/* Notes from SHT_NOTE sections, the fallback when no PT_NOTE had any. */
static int scan_sections(struct parse_state *st, struct pv_image_info *info)
{
    const uint8_t *eh = st->img;
    uint64_t shoff = pv_le64(eh + 40);
    unsigned int shentsize = pv_le16(eh + 58), shnum = pv_le16(eh + 60);
    unsigned int i;
    int rc;

    if (shnum == 0)
        return 0; /* none (or extended numbering, which no kernel needs) */
    if (shentsize != SHDR_SIZE || shnum > MAX_SHNUM ||
        !pv_range_ok(shoff, (uint64_t)shnum * SHDR_SIZE, st->size))
        return -XEN_EINVAL;
    for (i = 1; i < shnum; i++) {
        const uint8_t *sh = st->img + shoff + (uint64_t)i * SHDR_SIZE;

        if (pv_le32(sh + 4) != SHT_NOTE)
            continue;
        rc = scan_notes(st, info, pv_le64(sh + 24), pv_le64(sh + 32), pv_le64(sh + 48));
        if (rc)
            return rc;
    }
    return 0;
}

/* Insert one PT_LOAD segment (destination not known yet: notes first). */
static int add_segment(struct pv_image_info *info, const uint8_t *ph, uint64_t size)
{
    struct pv_load_seg *s;
    uint64_t offset = pv_le64(ph + 8), filesz = pv_le64(ph + 32), memsz = pv_le64(ph + 40);

    if (filesz > memsz || !pv_range_ok(offset, filesz, size))
        return -XEN_EINVAL;
    if (memsz == 0)
        return 0;
    if (info->nr_segs == PV_MAX_LOAD_SEGS)
        return -XEN_E2BIG;
    s = &info->segs[info->nr_segs++];
    s->flags = pv_le32(ph + 4) & PF_ALL;
    s->offset = offset;
    s->vaddr = pv_le64(ph + 16);
    s->paddr = pv_le64(ph + 24);
    s->filesz = filesz;
    s->memsz = memsz;
    return 0;
}

/* Apply the load rule, sort by destination and refuse overlaps/wraps. */
static int place_segments(struct pv_image_info *info)
{
    unsigned int i, j;
    uint64_t end;

    for (i = 0; i < info->nr_segs; i++) {
        struct pv_load_seg *s = &info->segs[i];

        if (s->paddr < info->paddr_offset ||
            !pv_add_ok(info->virt_base, s->paddr - info->paddr_offset, &s->dest) ||
            !pv_add_ok(s->dest, s->memsz, &end))
            return -XEN_EINVAL;
    }
    /* Insertion sort: at most PV_MAX_LOAD_SEGS entries. */
    for (i = 1; i < info->nr_segs; i++) {
        struct pv_load_seg tmp = info->segs[i];

        for (j = i; j > 0 && info->segs[j - 1].dest > tmp.dest; j--)
            info->segs[j] = info->segs[j - 1];
        info->segs[j] = tmp;
    }
    for (i = 1; i < info->nr_segs; i++)
        if (info->segs[i - 1].dest + info->segs[i - 1].memsz > info->segs[i].dest)
            return -XEN_EINVAL;
    info->virt_kstart = info->segs[0].dest;
    info->virt_kend = info->segs[info->nr_segs - 1].dest + info->segs[info->nr_segs - 1].memsz;
    return 0;
}

static void info_init(struct pv_image_info *info)
{
    pv_memzero(info, sizeof(*info));
    info->hypercall_page = PV_ADDR_UNSET;
    info->init_p2m = PV_ADDR_UNSET;
    info->hv_start_low = PV_ADDR_UNSET;
    info->phys32_entry = PV_ADDR_UNSET;
}

/* The ELF header: a little-endian x86-64 executable with a sane phdr table. */
static int check_ehdr(const uint8_t *eh, uint64_t size)
{
    if (size < 4 || eh[0] != 0x7f || eh[1] != 'E' || eh[2] != 'L' || eh[3] != 'F')
        return -XEN_ENOEXEC;
    if (size < EHDR_SIZE)
        return -XEN_EINVAL;
    if (eh[4] != ELFCLASS64 || eh[5] != ELFDATA2LSB || eh[6] != EV_CURRENT ||
        pv_le16(eh + 16) != ET_EXEC || pv_le16(eh + 18) != EM_X86_64)
        return -XEN_ENOEXEC;
    if (pv_le16(eh + 54) != PHDR_SIZE || pv_le16(eh + 56) == 0 || pv_le16(eh + 56) > MAX_PHNUM ||
        !pv_range_ok(pv_le64(eh + 32), (uint64_t)pv_le16(eh + 56) * PHDR_SIZE, size))
        return -XEN_EINVAL;
    return 0;
}

/* Identification and address checks once all notes and segments are in. */
static int check_image(const struct parse_state *st, struct pv_image_info *info)
{
    uint64_t end;

    if (!pv_str_starts(info->xen_version, "xen-3.0"))
        return -XEN_ENOEXEC;
    if (!pv_str_starts(info->loader, "generic") && !pv_str_starts(info->guest_os, "linux"))
        return -XEN_ENOEXEC;
    if (st->have_paddr_offset && !st->have_virt_base)
        return -XEN_EINVAL;
    if (info->virt_base & 0xfff)
        return -XEN_EINVAL;
    if (!st->have_entry)
        info->entry = pv_le64(st->img + 24);
    if (info->entry < info->virt_kstart || info->entry >= info->virt_kend)
        return -XEN_EINVAL;
    if (info->hypercall_page != PV_ADDR_UNSET &&
        ((info->hypercall_page & 0xfff) || info->hypercall_page < info->virt_kstart ||
         !pv_add_ok(info->hypercall_page, 0x1000, &end) || end > info->virt_kend))
        return -XEN_EINVAL;
    if (info->init_p2m != PV_ADDR_UNSET &&
        ((info->init_p2m & 0xfff) ||
         (info->init_p2m >= info->virt_kstart && info->init_p2m < info->virt_kend)))
        return -XEN_EINVAL;
    return 0;
}

int pv_elf_parse(const void *image, size_t size, struct pv_image_info *info)
{
    struct parse_state st = {.img = image, .size = size};
    const uint8_t *eh = image;
    uint64_t phoff;
    unsigned int phnum, i;
    int rc;

    info_init(info);
    rc = check_ehdr(eh, size);
    if (rc)
        goto out;
    phoff = pv_le64(eh + 32);
    phnum = pv_le16(eh + 56);

    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = eh + phoff + (uint64_t)i * PHDR_SIZE;
        uint32_t type = pv_le32(ph);

        rc = 0;
        if (type == PT_LOAD)
            rc = add_segment(info, ph, size);
        else if (type == PT_NOTE && pv_le64(ph + 8) != 0)
            rc = scan_notes(&st, info, pv_le64(ph + 8), pv_le64(ph + 32), pv_le64(ph + 48));
        if (rc)
            goto out;
    }
    if (st.xen_notes == 0) {
        rc = scan_sections(&st, info);
        if (rc)
            goto out;
    }
    rc = -XEN_ENOEXEC;
    if (st.xen_notes == 0 || info->nr_segs == 0)
        goto out;
    rc = place_segments(info);
    if (rc)
        goto out;
    rc = check_image(&st, info);
out:
    if (rc)
        info->nr_segs = 0; /* nothing half-parsed can be loaded by mistake */
    return rc;
}

/* Emit [v, v + len) of one segment: file bytes from src, or zeroes if NULL. */
static int load_range(const struct pv_image_info *info, uint64_t v, const uint8_t *src,
                      uint64_t len, pv_load_writer write, void *ctx)
{
    int rc;

    while (len) {
        uint64_t page_off = v & 0xfff;
        uint64_t chunk = 0x1000 - page_off;

        if (chunk > len)
            chunk = len;
        rc = write(ctx, (v - info->virt_base) >> 12, (size_t)page_off, src, (size_t)chunk);
        if (rc)
            return rc;
        v += chunk;
        len -= chunk;
        if (src)
            src += chunk;
    }
    return 0;
}

int pv_elf_load(const void *image, size_t size, const struct pv_image_info *info,
                pv_load_writer write, void *ctx)
{
    const uint8_t *img = image;
    uint64_t end;
    unsigned int i;
    int rc;

    /* info may come from elsewhere than this image: re-check what we touch. */
    if (info->nr_segs > PV_MAX_LOAD_SEGS)
        return -XEN_EINVAL;
    for (i = 0; i < info->nr_segs; i++) {
        const struct pv_load_seg *s = &info->segs[i];

        if (s->filesz > s->memsz || !pv_range_ok(s->offset, s->filesz, size) ||
            s->dest < info->virt_base || !pv_add_ok(s->dest, s->memsz, &end))
            return -XEN_EINVAL;
    }
    for (i = 0; i < info->nr_segs; i++) {
        const struct pv_load_seg *s = &info->segs[i];

        rc = load_range(info, s->dest, img + s->offset, s->filesz, write, ctx);
        if (rc)
            return rc;
        rc = load_range(info, s->dest + s->filesz, NULL, s->memsz - s->filesz, write, ctx);
        if (rc)
            return rc;
    }
    return 0;
}
