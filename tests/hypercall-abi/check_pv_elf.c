/*
 * Check suite for the PV ELF-note parser and segment loader
 * (hypercall-abi/pv_elf.c), on pvguest.elf (assembled at build time from
 * pvguest.S, path in PVABI_TEST_GUEST), on synthetic images, and on
 * truncated, corrupted and randomly mutated copies. Images are exact-size
 * heap buffers, so ASan turns any out-of-bounds read into a failure.
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/features.h>

#include <paravane/pv_image.h>

#include "pvtest.h"

#define VB          0xffffffff80000000ull
#define GUEST_ENTRY (VB + 0x201000)
#define GUEST_KEND  (VB + 0x204000 + 0x407b)

static struct pvt_buf guest;

static void guest_setup(void)
{
    guest = pvt_read_file(PVABI_TEST_GUEST);
}

static void guest_teardown(void)
{
    pvt_free(&guest);
}

static int parse(const struct pvt_buf *b, struct pv_image_info *info)
{
    return pv_elf_parse(b->data, b->size, info);
}

/* Parse a copy of the guest after mutate() changed it; returns the rc. */
static int parse_mutated(void (*mutate)(struct pvt_buf *b), struct pv_image_info *info)
{
    struct pvt_buf c = pvt_copy(&guest, guest.size);
    int rc;

    mutate(&c);
    rc = parse(&c, info);
    pvt_free(&c);
    return rc;
}

/* Every invariant pv_image.h promises after a successful parse. */
static void assert_invariants(const struct pvt_buf *b, const struct pv_image_info *info)
{
    PVT_ge(info->nr_segs, 1);
    PVT_le(info->nr_segs, PV_MAX_LOAD_SEGS);
    PVT_eq(info->virt_base & 0xfff, 0);
    PVT_le(info->virt_base, info->virt_kstart);
    PVT_CHECK(info->entry >= info->virt_kstart && info->entry < info->virt_kend);
    for (unsigned int i = 0; i < info->nr_segs; i++) {
        const struct pv_load_seg *s = &info->segs[i];

        PVT_le(s->filesz, s->memsz);
        PVT_CHECK(s->offset <= b->size && s->filesz <= b->size - s->offset);
        PVT_ge(s->dest, info->virt_kstart);
        PVT_CHECK(s->dest + s->memsz >= s->dest && s->dest + s->memsz <= info->virt_kend);
        if (i > 0)
            PVT_le(info->segs[i - 1].dest + info->segs[i - 1].memsz, s->dest);
    }
}

START_TEST(test_guest_notes)
{
    struct pv_image_info info;

    ck_assert_int_eq(parse(&guest, &info), 0);
    assert_invariants(&guest, &info);
    ck_assert_str_eq(info.guest_os, "paravane-test");
    ck_assert_str_eq(info.guest_version, "1.0");
    ck_assert_str_eq(info.xen_version, "xen-3.0");
    ck_assert_str_eq(info.loader, "generic");
    ck_assert_str_eq(info.pae_mode, "yes");
    ck_assert_uint_eq(info.virt_base, VB);
    ck_assert_uint_eq(info.paddr_offset, 0);
    ck_assert_uint_eq(info.entry, GUEST_ENTRY);
    ck_assert_uint_eq(info.hypercall_page, VB + 0x200000);
    ck_assert_uint_eq(info.init_p2m, 0x8000000000ull);
    ck_assert_uint_eq(info.hv_start_low, 0xffff800000000000ull);
    ck_assert_uint_eq(info.phys32_entry, PV_ADDR_UNSET);
    ck_assert_uint_eq(info.f_supported[0],
                      (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_pae_pgdir_above_4gb) |
                          (1u << XENFEAT_dom0) | (1u << XENFEAT_linux_rsdp_unrestricted));
    ck_assert_uint_eq(info.f_required[0],
                      (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_dom0));
    ck_assert(pv_feature_test(info.f_required, XENFEAT_dom0));
    ck_assert(!pv_feature_test(info.f_required, XENFEAT_pae_pgdir_above_4gb));
    ck_assert(info.has_l1_mfn_valid);
    ck_assert_uint_eq(info.l1_mfn_valid_mask, 1);
    ck_assert_uint_eq(info.l1_mfn_valid_value, 1);
    ck_assert(info.suspend_cancel);
    ck_assert(info.mod_start_pfn);
    ck_assert(!info.bsd_symtab);
    ck_assert(info.notes_seen & PV_NOTE_SEEN(XEN_ELFNOTE_HYPERCALL_PAGE));
    ck_assert(!(info.notes_seen & PV_NOTE_SEEN(XEN_ELFNOTE_PHYS32_ENTRY)));
}
END_TEST

START_TEST(test_guest_segments)
{
    struct pv_image_info info;

    ck_assert_int_eq(parse(&guest, &info), 0);
    ck_assert_uint_eq(info.nr_segs, 4);
    ck_assert_uint_eq(info.virt_kstart, VB + 0x200000);
    ck_assert_uint_eq(info.virt_kend, GUEST_KEND);
    /* The percpu segment has p_vaddr 0: p_paddr alone places it. */
    ck_assert_uint_eq(info.segs[2].vaddr, 0);
    ck_assert_uint_eq(info.segs[2].paddr, 0x203000);
    ck_assert_uint_eq(info.segs[2].dest, VB + 0x203000);
    ck_assert_uint_eq(info.segs[0].flags, PV_SEG_R | PV_SEG_X);
    ck_assert_uint_eq(info.segs[1].flags, PV_SEG_R | PV_SEG_W);
    ck_assert_uint_eq(info.segs[3].memsz, 0x407b);
    ck_assert_uint_eq(info.segs[3].filesz, 0x20);
}
END_TEST

/* A guest memory of 16 pages behind a pv_load_writer. */
struct fake_mem {
    uint8_t pages[16][4096];
    unsigned int calls;
};

static int mem_write(void *ctx, uint64_t pfn, size_t off, const void *src, size_t len)
{
    struct fake_mem *m = ctx;

    ck_assert_uint_lt(pfn - 0x200, 16);
    ck_assert_uint_le(off + len, 4096);
    ck_assert_uint_gt(len, 0);
    if (src)
        memcpy(&m->pages[pfn - 0x200][off], src, len);
    else
        memset(&m->pages[pfn - 0x200][off], 0, len);
    m->calls++;
    return 0;
}

static int failing_write(void *ctx, uint64_t pfn, size_t off, const void *src, size_t len)
{
    (void)ctx, (void)pfn, (void)off, (void)src, (void)len;
    return -XEN_EFAULT;
}

START_TEST(test_guest_load)
{
    static struct fake_mem m;
    struct pv_image_info info;

    memset(&m, 0xee, sizeof(m));
    m.calls = 0;
    ck_assert_int_eq(parse(&guest, &info), 0);
    ck_assert_int_eq(pv_elf_load(guest.data, guest.size, &info, mem_write, &m), 0);
    /* Text: the hypercall page is 0xcc filled, then ud2 at the entry. */
    ck_assert_uint_eq(m.pages[0][0], 0xcc);
    ck_assert_uint_eq(m.pages[1][0], 0x0f);
    ck_assert_uint_eq(m.pages[1][1], 0x0b);
    /* Data, percpu (placed by p_paddr), init text. */
    ck_assert_uint_eq(pvt_get64(m.pages[2]), 0x1122334455667788ull);
    ck_assert_uint_eq(m.pages[2][8], 0x5a);
    ck_assert_uint_eq(pvt_get64(m.pages[3]), 0xabcdef);
    ck_assert_uint_eq(m.pages[4][0], 0x90);
    /* bss zeroed up to memsz, not beyond. */
    for (size_t i = 0x20; i < 0x407b; i++)
        ck_assert_uint_eq(m.pages[4 + i / 4096][i % 4096], 0);
    ck_assert_uint_eq(m.pages[8][0x7b], 0xee);
    ck_assert_int_eq(pv_elf_load(guest.data, guest.size, &info, failing_write, NULL), -XEN_EFAULT);
    /* An info that does not belong to this image is refused. */
    info.segs[0].offset = guest.size;
    ck_assert_int_eq(pv_elf_load(guest.data, guest.size, &info, mem_write, &m), -XEN_EINVAL);
}
END_TEST

/* The end of the last byte parsing must read: phdrs and PT_LOAD/PT_NOTE data. */
static size_t needed_size(const struct pvt_buf *b)
{
    size_t need = pvt_phdr(b, 5);

    for (unsigned int i = 0; i < 5; i++) {
        const uint8_t *ph = b->data + pvt_phdr(b, i);
        size_t end = (size_t)(pvt_get64(ph + 8) + pvt_get64(ph + 32));

        if (end > need)
            need = end;
    }
    return need;
}

START_TEST(test_truncated_everywhere)
{
    size_t need = needed_size(&guest);
    struct pv_image_info info;

    ck_assert_uint_le(need, guest.size);
    for (size_t cut = 0; cut <= guest.size; cut++) {
        struct pvt_buf c = pvt_copy(&guest, cut);
        int rc = parse(&c, &info);

        if (cut < need) {
            PVT_CHECK_MSG(rc < 0, "cut at %zu of %zu parsed", cut, guest.size);
            PVT_eq(info.nr_segs, 0);
        } else {
            PVT_CHECK_MSG(rc == 0, "cut at %zu: %d", cut, rc);
            assert_invariants(&c, &info);
        }
        pvt_free(&c);
    }
}
END_TEST

/* --- corruptions of the good guest, one per test -------------------------- */

#define MUTATION(name, body)                                                                       \
    static void name(struct pvt_buf *b)                                                            \
    {                                                                                              \
        body;                                                                                      \
    }

MUTATION(bad_magic, b->data[1] = 'e')
MUTATION(elf32, b->data[4] = 1)
MUTATION(big_endian, b->data[5] = 2)
MUTATION(et_dyn, pvt_put16(b->data + 16, 3))
MUTATION(i386, pvt_put16(b->data + 18, 3))
MUTATION(phoff_beyond, pvt_put64(b->data + 32, b->size))
MUTATION(phoff_wraps, pvt_put64(b->data + 32, UINT64_MAX - 8))
MUTATION(phnum_absurd, pvt_put16(b->data + 56, 0xffff))
MUTATION(phentsize_big, pvt_put16(b->data + 54, 0x4000))
MUTATION(phnum_zero, pvt_put16(b->data + 56, 0))
MUTATION(seg_filesz_beyond, pvt_put64(b->data + pvt_phdr(b, 1) + 32, b->size))
MUTATION(seg_offset_wraps, pvt_put64(b->data + pvt_phdr(b, 1) + 8, UINT64_MAX - 0x10))
MUTATION(seg_memsz_lt_filesz, pvt_put64(b->data + pvt_phdr(b, 1) + 40, 0x10))
MUTATION(seg_paddr_wraps, pvt_put64(b->data + pvt_phdr(b, 3) + 24, UINT64_MAX - 0x1000))
MUTATION(seg_memsz_wraps, pvt_put64(b->data + pvt_phdr(b, 3) + 40, 0x80000000ull))
MUTATION(seg_overlap, pvt_put64(b->data + pvt_phdr(b, 1) + 24, 0x201000))
MUTATION(note_seg_beyond, pvt_put64(b->data + pvt_phdr(b, 4) + 32, b->size))
MUTATION(note_seg_offset_wraps, pvt_put64(b->data + pvt_phdr(b, 4) + 8, UINT64_MAX - 2))
MUTATION(note_namesz_huge, pvt_put32(b->data + pvt_find_note(b, XEN_ELFNOTE_LOADER), 0xffffffff))
MUTATION(note_descsz_huge,
         pvt_put32(b->data + pvt_find_note(b, XEN_ELFNOTE_LOADER) + 4, 0xfffffffc))
MUTATION(note_descsz_past_segment,
         pvt_put32(b->data + pvt_find_note(b, XEN_ELFNOTE_BSD_SYMTAB) + 4, 0x10))
MUTATION(note_segment_cut, {
    uint8_t *ph = b->data + pvt_phdr(b, 4);
    pvt_put64(ph + 32, pvt_get64(ph + 32) - 6);
})
MUTATION(entry_past_end, pvt_put64(b->data + pvt_find_note(b, XEN_ELFNOTE_ENTRY) + 16, GUEST_KEND))
MUTATION(entry_below, pvt_put64(b->data + pvt_find_note(b, XEN_ELFNOTE_ENTRY) + 16, VB))
MUTATION(hypercall_unaligned,
         pvt_put64(b->data + pvt_find_note(b, XEN_ELFNOTE_HYPERCALL_PAGE) + 16, VB + 0x200800))
MUTATION(hypercall_outside,
         pvt_put64(b->data + pvt_find_note(b, XEN_ELFNOTE_HYPERCALL_PAGE) + 16, VB + 0x208000))
MUTATION(init_p2m_inside,
         pvt_put64(b->data + pvt_find_note(b, XEN_ELFNOTE_INIT_P2M) + 16, VB + 0x202000))
MUTATION(xen_version_2, b->data[pvt_find_note(b, XEN_ELFNOTE_XEN_VERSION) + 16 + 4] = '2')
MUTATION(loader_other, b->data[pvt_find_note(b, XEN_ELFNOTE_LOADER) + 16] = 'G')
MUTATION(numeric_bad_size,
         pvt_put32(b->data + pvt_find_note(b, XEN_ELFNOTE_GUEST_OS) + 8, XEN_ELFNOTE_VIRT_BASE))
MUTATION(required_unknown, {
    size_t d = pvt_find_note(b, XEN_ELFNOTE_FEATURES) + 16;
    ck_assert_int_eq(memcmp(b->data + d + 42, "!dom0", 5), 0);
    b->data[d + 46] = '9';
})
MUTATION(no_xen_notes, {
    uint8_t *ph = b->data + pvt_phdr(b, 4);
    /* Rename every note's owner: Xen -> Xem (in segment and sections alike). */
    for (size_t o = pvt_get64(ph + 8); o + 4 <= pvt_get64(ph + 8) + pvt_get64(ph + 32); o++)
        if (memcmp(b->data + o, "Xen", 4) == 0)
            b->data[o + 2] = 'm';
})
MUTATION(paddr_offset_without_base,
         pvt_put32(b->data + pvt_find_note(b, XEN_ELFNOTE_VIRT_BASE) + 8, 0x100))
MUTATION(paddr_offset_above_paddr,
         pvt_put64(b->data + pvt_find_note(b, XEN_ELFNOTE_PADDR_OFFSET) + 16, 0x300000))
MUTATION(virt_base_unaligned,
         pvt_put64(b->data + pvt_find_note(b, XEN_ELFNOTE_VIRT_BASE) + 16, VB + 0x10))
MUTATION(virt_base_wraps,
         pvt_put64(b->data + pvt_find_note(b, XEN_ELFNOTE_VIRT_BASE) + 16, 0xfffffffffff00000ull))

static const struct {
    const char *name;
    void (*mutate)(struct pvt_buf *b);
    int rc;
} bad[] = {
    {"bad_magic", bad_magic, -XEN_ENOEXEC},
    {"elf32", elf32, -XEN_ENOEXEC},
    {"big_endian", big_endian, -XEN_ENOEXEC},
    {"et_dyn", et_dyn, -XEN_ENOEXEC},
    {"i386", i386, -XEN_ENOEXEC},
    {"phoff_beyond", phoff_beyond, -XEN_EINVAL},
    {"phoff_wraps", phoff_wraps, -XEN_EINVAL},
    {"phnum_absurd", phnum_absurd, -XEN_EINVAL},
    {"phentsize_big", phentsize_big, -XEN_EINVAL},
    {"phnum_zero", phnum_zero, -XEN_EINVAL},
    {"seg_filesz_beyond", seg_filesz_beyond, -XEN_EINVAL},
    {"seg_offset_wraps", seg_offset_wraps, -XEN_EINVAL},
    {"seg_memsz_lt_filesz", seg_memsz_lt_filesz, -XEN_EINVAL},
    {"seg_paddr_wraps", seg_paddr_wraps, -XEN_EINVAL},
    {"seg_memsz_wraps", seg_memsz_wraps, -XEN_EINVAL},
    {"seg_overlap", seg_overlap, -XEN_EINVAL},
    {"note_seg_beyond", note_seg_beyond, -XEN_EINVAL},
    {"note_seg_offset_wraps", note_seg_offset_wraps, -XEN_EINVAL},
    {"note_namesz_huge", note_namesz_huge, -XEN_EINVAL},
    {"note_descsz_huge", note_descsz_huge, -XEN_EINVAL},
    {"note_descsz_past_segment", note_descsz_past_segment, -XEN_EINVAL},
    {"note_segment_cut", note_segment_cut, -XEN_EINVAL},
    {"entry_past_end", entry_past_end, -XEN_EINVAL},
    {"entry_below", entry_below, -XEN_EINVAL},
    {"hypercall_unaligned", hypercall_unaligned, -XEN_EINVAL},
    {"hypercall_outside", hypercall_outside, -XEN_EINVAL},
    {"init_p2m_inside", init_p2m_inside, -XEN_EINVAL},
    {"xen_version_2", xen_version_2, -XEN_ENOEXEC},
    {"loader_other", loader_other, -XEN_ENOEXEC},
    {"numeric_bad_size", numeric_bad_size, -XEN_EINVAL},
    {"required_unknown", required_unknown, -XEN_EINVAL},
    {"paddr_offset_without_base", paddr_offset_without_base, -XEN_EINVAL},
    {"paddr_offset_above_paddr", paddr_offset_above_paddr, -XEN_EINVAL},
    {"virt_base_unaligned", virt_base_unaligned, -XEN_EINVAL},
    {"virt_base_wraps", virt_base_wraps, -XEN_EINVAL},
};

START_TEST(test_malicious)
{
    struct pv_image_info info;
    int rc = parse_mutated(bad[_i].mutate, &info);

    ck_assert_msg(rc == bad[_i].rc, "%s: got %d, want %d", bad[_i].name, rc, bad[_i].rc);
    ck_assert_uint_eq(info.nr_segs, 0);
}
END_TEST

/* no_xen_notes is special: sections still hold Xen notes unless renamed too. */
START_TEST(test_section_fallback)
{
    struct pvt_buf c = pvt_copy(&guest, guest.size);
    struct pv_image_info info;

    /* PT_NOTE turned into PT_NULL: the .notes SHT_NOTE section is used. */
    pvt_put32(c.data + pvt_phdr(&c, 4), 0);
    ck_assert_int_eq(parse(&c, &info), 0);
    ck_assert_uint_eq(info.entry, GUEST_ENTRY);
    /* Owner renamed (segment and section share the bytes): not a PV image. */
    memcpy(c.data, guest.data, guest.size);
    no_xen_notes(&c);
    ck_assert_int_eq(parse(&c, &info), -XEN_ENOEXEC);
    /* Section table offset past the file, when it is needed. */
    memcpy(c.data, guest.data, guest.size);
    pvt_put32(c.data + pvt_phdr(&c, 4), 0);
    pvt_put64(c.data + 40, c.size - 10);
    ck_assert_int_eq(parse(&c, &info), -XEN_EINVAL);
    pvt_free(&c);
}
END_TEST

START_TEST(test_linux_loader_rule)
{
    struct pvt_buf c = pvt_copy(&guest, guest.size);
    size_t os = pvt_find_note(&c, XEN_ELFNOTE_GUEST_OS) + 16;
    struct pv_image_info info;

    /* A non-generic loader is fine for GUEST_OS "linux*" (libelf's rule). */
    loader_other(&c);
    memcpy(c.data + os, "linux", 6);
    ck_assert_int_eq(parse(&c, &info), 0);
    ck_assert_str_eq(info.loader, "Generic");
    pvt_free(&c);
}
END_TEST

START_TEST(test_unknown_supported_feature_ignored)
{
    struct pvt_buf c = pvt_copy(&guest, guest.size);
    size_t d = pvt_find_note(&c, XEN_ELFNOTE_FEATURES) + 16;
    struct pv_image_info info;

    c.data[d + 40] = 'c'; /* "pae_pgdir_above_4gc" */
    ck_assert_int_eq(parse(&c, &info), 0);
    ck_assert(!pv_feature_test(info.f_supported, XENFEAT_pae_pgdir_above_4gb));
    ck_assert(pv_feature_test(info.f_required, XENFEAT_dom0));
    pvt_free(&c);
}
END_TEST

/* --- synthetic images ----------------------------------------------------- */

START_TEST(test_synth_minimal_defaults)
{
    struct pvt_seg seg = {.paddr = 0x1000, .vaddr = 0x1000, .filesz = 0x100, .memsz = 0x2000};
    struct pvt_notes n = {.align = 4};
    struct pv_image_info info;
    struct pvt_buf b;

    /* No VIRT_BASE, no ENTRY: virt_base 0, entry = e_entry (patched). */
    pvt_note_str(&n, XEN_ELFNOTE_XEN_VERSION, "xen-3.0.4");
    pvt_note_str(&n, XEN_ELFNOTE_LOADER, "generic");
    b = pvt_synth_elf(&seg, 1, &n);
    pvt_put64(b.data + 24, 0x1800);
    ck_assert_int_eq(parse(&b, &info), 0);
    ck_assert_uint_eq(info.virt_base, 0);
    ck_assert_uint_eq(info.paddr_offset, 0);
    ck_assert_uint_eq(info.entry, 0x1800);
    ck_assert_uint_eq(info.virt_kstart, 0x1000);
    ck_assert_uint_eq(info.virt_kend, 0x3000);
    ck_assert_uint_eq(info.hypercall_page, PV_ADDR_UNSET);
    ck_assert_uint_eq(info.init_p2m, PV_ADDR_UNSET);
    ck_assert(!info.mod_start_pfn);
    pvt_free(&b);
}
END_TEST

START_TEST(test_synth_numeric_widths_and_align8)
{
    struct pvt_seg seg = {.paddr = 0x1000, .filesz = 0x1000, .memsz = 0x1000};
    struct pvt_notes n = {.align = 8};
    uint8_t one = 1, two[2] = {1, 0}, four[4] = {0, 0x10, 0, 0};
    struct pv_image_info info;
    struct pvt_buf b;

    pvt_notes_minimal(&n);
    pvt_note(&n, "Xen", XEN_ELFNOTE_SUSPEND_CANCEL, &one, 1);
    pvt_note(&n, "Xen", XEN_ELFNOTE_MOD_START_PFN, two, 2);
    pvt_note(&n, "GNU", XEN_ELFNOTE_ENTRY, four, 4); /* not Xen's: ignored */
    pvt_note_str(&n, XEN_ELFNOTE_BSD_SYMTAB, "yes");
    b = pvt_synth_elf(&seg, 1, &n);
    ck_assert_int_eq(parse(&b, &info), 0);
    ck_assert(info.suspend_cancel);
    ck_assert(info.mod_start_pfn);
    ck_assert(info.bsd_symtab);
    ck_assert_uint_eq(info.entry, 0xffffffff80001000ull);
    pvt_free(&b);
}
END_TEST

START_TEST(test_synth_too_many_segments)
{
    struct pvt_seg segs[PV_MAX_LOAD_SEGS + 1];
    struct pvt_notes n = {.align = 4};
    struct pv_image_info info;
    struct pvt_buf b;

    pvt_notes_minimal(&n);
    for (unsigned int i = 0; i <= PV_MAX_LOAD_SEGS; i++)
        segs[i] = (struct pvt_seg){.paddr = 0x1000 * (i + 1), .filesz = 16, .memsz = 0x1000};
    b = pvt_synth_elf(segs, PV_MAX_LOAD_SEGS, &n);
    ck_assert_int_eq(parse(&b, &info), 0);
    ck_assert_uint_eq(info.nr_segs, PV_MAX_LOAD_SEGS);
    pvt_free(&b);
    b = pvt_synth_elf(segs, PV_MAX_LOAD_SEGS + 1, &n);
    ck_assert_int_eq(parse(&b, &info), -XEN_E2BIG);
    pvt_free(&b);
}
END_TEST

START_TEST(test_synth_segments_sorted_and_empty_dropped)
{
    struct pvt_seg segs[] = {
        {.paddr = 0x3000, .filesz = 8, .memsz = 0x1000},
        {.paddr = 0x9000, .filesz = 0, .memsz = 0}, /* empty: dropped */
        {.paddr = 0x1000, .filesz = 8, .memsz = 0x2000},
    };
    struct pvt_notes n = {.align = 4};
    struct pv_image_info info;
    struct pvt_buf b;

    pvt_notes_minimal(&n);
    b = pvt_synth_elf(segs, 3, &n);
    ck_assert_int_eq(parse(&b, &info), 0);
    ck_assert_uint_eq(info.nr_segs, 2);
    ck_assert_uint_eq(info.segs[0].paddr, 0x1000);
    ck_assert_uint_eq(info.segs[1].paddr, 0x3000);
    ck_assert_uint_eq(info.virt_kend, 0xffffffff80004000ull);
    pvt_free(&b);
    /* Touching but not overlapping is fine; one byte more is not. */
    segs[2].memsz = 0x2001;
    b = pvt_synth_elf(segs, 3, &n);
    ck_assert_int_eq(parse(&b, &info), -XEN_EINVAL);
    pvt_free(&b);
}
END_TEST

START_TEST(test_synth_bad_note_shapes)
{
    struct pvt_seg seg = {.paddr = 0x1000, .filesz = 0x1000, .memsz = 0x1000};
    uint8_t three[3] = {0}, l1[8] = {0}, feat[5] = {0};
    struct pv_image_info info;
    struct pvt_buf b;
    struct pvt_notes n;

    /* 3-byte numeric. */
    n = (struct pvt_notes){.align = 4};
    pvt_notes_minimal(&n);
    pvt_note(&n, "Xen", XEN_ELFNOTE_INIT_P2M, three, 3);
    b = pvt_synth_elf(&seg, 1, &n);
    ck_assert_int_eq(parse(&b, &info), -XEN_EINVAL);
    pvt_free(&b);
    /* L1_MFN_VALID without a whole 64-bit pair. */
    n = (struct pvt_notes){.align = 4};
    pvt_notes_minimal(&n);
    pvt_note(&n, "Xen", XEN_ELFNOTE_L1_MFN_VALID, l1, 8);
    b = pvt_synth_elf(&seg, 1, &n);
    ck_assert_int_eq(parse(&b, &info), -XEN_EINVAL);
    pvt_free(&b);
    /* SUPPORTED_FEATURES of 5 bytes. */
    n = (struct pvt_notes){.align = 4};
    pvt_notes_minimal(&n);
    pvt_note(&n, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, feat, 5);
    b = pvt_synth_elf(&seg, 1, &n);
    ck_assert_int_eq(parse(&b, &info), -XEN_EINVAL);
    pvt_free(&b);
    /* A FEATURES string without NUL, ending the note segment: bounded. */
    n = (struct pvt_notes){.align = 4};
    pvt_notes_minimal(&n);
    pvt_note(&n, "Xen", XEN_ELFNOTE_FEATURES, "!dom0", 5);
    b = pvt_synth_elf(&seg, 1, &n);
    ck_assert_int_eq(parse(&b, &info), 0);
    ck_assert(pv_feature_test(info.f_required, XENFEAT_dom0));
    pvt_free(&b);
    /* A name longer than libelf's 63 characters is unknown: fatal only if required. */
    n = (struct pvt_notes){.align = 4};
    pvt_notes_minimal(&n);
    pvt_note_str(&n, XEN_ELFNOTE_FEATURES,
                 "dom0|a_very_long_feature_name_that_goes_on_and_on_beyond_sixty_three_chars");
    b = pvt_synth_elf(&seg, 1, &n);
    ck_assert_int_eq(parse(&b, &info), 0);
    ck_assert_uint_eq(info.f_supported[0], 1u << XENFEAT_dom0);
    pvt_free(&b);
    n = (struct pvt_notes){.align = 4};
    pvt_notes_minimal(&n);
    pvt_note_str(&n, XEN_ELFNOTE_FEATURES,
                 "dom0|!a_very_long_feature_name_that_goes_on_and_on_beyond_sixty_three_chars");
    b = pvt_synth_elf(&seg, 1, &n);
    ck_assert_int_eq(parse(&b, &info), -XEN_EINVAL);
    pvt_free(&b);
}
END_TEST

/* Random byte mutations: never a crash; any success satisfies the invariants. */
START_TEST(test_random_mutations)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    unsigned int ok = 0;

    for (unsigned int iter = 0; iter < 20000; iter++) {
        struct pvt_buf c = pvt_copy(&guest, guest.size);
        struct pv_image_info info;
        unsigned int flips = 1 + iter % 4;

        for (unsigned int k = 0; k < flips; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* Aim at the headers and notes most of the time. */
            size_t span = (x >> 40) % 4 ? 0x2200 : c.size;
            c.data[(x >> 8) % span] ^= (uint8_t)(1u << (x % 8));
        }
        if (parse(&c, &info) == 0) {
            assert_invariants(&c, &info);
            ok++;
        }
        pvt_free(&c);
    }
    ck_assert_uint_gt(ok, 0); /* some flips land in padding */
}
END_TEST

static Suite *pv_elf_suite(void)
{
    Suite *s = suite_create("pv_elf");
    TCase *tc = tcase_create("guest");

    tcase_add_checked_fixture(tc, guest_setup, guest_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_guest_notes);
    tcase_add_test(tc, test_guest_segments);
    tcase_add_test(tc, test_guest_load);
    tcase_add_test(tc, test_truncated_everywhere);
    tcase_add_loop_test(tc, test_malicious, 0, (int)(sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(tc, test_section_fallback);
    tcase_add_test(tc, test_linux_loader_rule);
    tcase_add_test(tc, test_unknown_supported_feature_ignored);
    tcase_add_test(tc, test_random_mutations);
    suite_add_tcase(s, tc);

    tc = tcase_create("synthetic");
    tcase_add_test(tc, test_synth_minimal_defaults);
    tcase_add_test(tc, test_synth_numeric_widths_and_align8);
    tcase_add_test(tc, test_synth_too_many_segments);
    tcase_add_test(tc, test_synth_segments_sorted_and_empty_dropped);
    tcase_add_test(tc, test_synth_bad_note_shapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pv_elf_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
