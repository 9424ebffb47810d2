/*
 * Check suite on Debian's stock kernel (linux-image-amd64, 6.1): the
 * bzImage payload locator on /boot/vmlinuz-*, and the parser, loader and
 * layout on the ELF extracted from it at build time (PVABI_DEBIAN_ELF).
 * The expected note values are LINUX-PV-REQUIREMENTS.md section 1.1.
 * Synthetic bzImage headers cover the locator's error paths.
 */
#include <check.h>
#include <glob.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/features.h>

#include <paravane/pv_image.h>
#include <paravane/pv_layout.h>

#include "layoutcheck.h"
#include "pvtest.h"

#define VB  0xffffffff80000000ull
#define MIB (1ull << 20)

static struct pvt_buf elf;
static struct pv_image_info info;

static void elf_setup(void)
{
    elf = pvt_read_file(PVABI_DEBIAN_ELF);
    ck_assert_int_eq(pv_elf_parse(elf.data, elf.size, &info), 0);
}

static void elf_teardown(void)
{
    pvt_free(&elf);
}

START_TEST(test_debian_notes)
{
    ck_assert_str_eq(info.guest_os, "linux");
    ck_assert_str_eq(info.guest_version, "2.6");
    ck_assert_str_eq(info.xen_version, "xen-3.0");
    ck_assert_str_eq(info.loader, "generic");
    ck_assert_str_eq(info.pae_mode, "yes");
    ck_assert_uint_eq(info.virt_base, VB);
    ck_assert(info.notes_seen & PV_NOTE_SEEN(XEN_ELFNOTE_PADDR_OFFSET));
    ck_assert_uint_eq(info.paddr_offset, 0);
    ck_assert_uint_eq(info.init_p2m, 0x8000000000ull);
    ck_assert_uint_eq(info.hv_start_low, 0xffff800000000000ull);
    /* 6.1.192 removed the hypercall page: no note, nothing to fill. */
    ck_assert(!(info.notes_seen & PV_NOTE_SEEN(XEN_ELFNOTE_HYPERCALL_PAGE)));
    ck_assert_uint_eq(info.hypercall_page, PV_ADDR_UNSET);
    /* "!writable_page_tables|pae_pgdir_above_4gb" + SUPPORTED_FEATURES. */
    ck_assert_uint_eq(info.f_required[0], 1u << XENFEAT_writable_page_tables);
    ck_assert_uint_eq(info.f_supported[0],
                      (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_pae_pgdir_above_4gb) |
                          (1u << XENFEAT_dom0) | (1u << XENFEAT_linux_rsdp_unrestricted));
    ck_assert(info.has_l1_mfn_valid);
    ck_assert_uint_eq(info.l1_mfn_valid_mask, 1);  /* _PAGE_PRESENT */
    ck_assert_uint_eq(info.l1_mfn_valid_value, 1); /* _PAGE_PRESENT */
    ck_assert(info.suspend_cancel);
    ck_assert(info.mod_start_pfn);
    ck_assert(!info.bsd_symtab);
    /* The PVH entry is recorded but means nothing to a PV loader. */
    ck_assert(info.notes_seen & PV_NOTE_SEEN(XEN_ELFNOTE_PHYS32_ENTRY));
    ck_assert_uint_lt(info.phys32_entry, 1ull << 32);
}
END_TEST

START_TEST(test_debian_segments)
{
    ck_assert_uint_eq(info.nr_segs, 4);
    ck_assert_uint_eq(info.segs[0].paddr, 0x1000000); /* CONFIG_PHYSICAL_START */
    ck_assert_uint_eq(info.virt_kstart, 0xffffffff81000000ull);
    ck_assert_uint_eq(info.segs[0].flags, PV_SEG_R | PV_SEG_X);
    /* The percpu segment: p_vaddr 0, placed by p_paddr after .data. */
    ck_assert_uint_eq(info.segs[2].vaddr, 0);
    ck_assert_uint_eq(info.segs[2].dest, VB + info.segs[2].paddr);
    ck_assert_uint_eq(info.segs[2].dest, info.segs[1].dest + info.segs[1].memsz);
    for (unsigned int i = 0; i < info.nr_segs; i++)
        if (i != 2)
            ck_assert_uint_eq(info.segs[i].dest, info.segs[i].vaddr);
    ck_assert(info.entry >= info.virt_kstart && info.entry < info.virt_kend);
    /* Everything the layout must map fits well inside one L2's GiB. */
    ck_assert_uint_lt(info.virt_kend - VB, 256 * MIB);
}
END_TEST

struct load_count {
    uint64_t bytes, zero_bytes, entry_pfn;
    size_t entry_off;
    uint8_t entry_byte;
};

static int count_load(void *ctx, uint64_t pfn, size_t off, const void *src, size_t len)
{
    struct load_count *c = ctx;

    PVT_CHECK(off + len <= 4096 && len > 0);
    PVT_CHECK(pfn >= 0x1000 && pfn < (info.virt_kend - VB + 4095) / 4096);
    c->bytes += len;
    if (!src)
        c->zero_bytes += len;
    if (pfn == c->entry_pfn && src && off <= c->entry_off && c->entry_off < off + len)
        c->entry_byte = ((const uint8_t *)src)[c->entry_off - off];
    return 0;
}

START_TEST(test_debian_load)
{
    struct load_count c = {.entry_pfn = (info.entry - VB) >> 12,
                           .entry_off = (size_t)(info.entry & 0xfff)};
    uint64_t memsz = 0, filesz = 0;

    for (unsigned int i = 0; i < info.nr_segs; i++) {
        memsz += info.segs[i].memsz;
        filesz += info.segs[i].filesz;
    }
    ck_assert_int_eq(pv_elf_load(elf.data, elf.size, &info, count_load, &c), 0);
    ck_assert_uint_eq(c.bytes, memsz);
    ck_assert_uint_eq(c.zero_bytes, memsz - filesz);
    /* startup_xen begins with cld (0xfc). */
    ck_assert_uint_eq(c.entry_byte, 0xfc);
}
END_TEST

static void debian_layout(uint64_t mem, uint32_t flags, uint64_t initrd, bool walk)
{
    struct pv_layout_params p = {.nr_pages = mem / 4096, .initrd_len = initrd, .flags = flags};
    struct pv_layout l;

    ck_assert_int_eq(pv_layout_compute(&info, &p, &l), 0);
    assert_layout(&info, &p, &l);
    /* pfns 0-0xfff stay free RAM below the kernel at 0xffffffff81000000. */
    ck_assert_uint_eq(l.kernel.pfn, 0x1000);
    ck_assert_uint_eq(l.kernel.virt, 0xffffffff81000000ull);
    ck_assert_uint_eq(l.entry, info.entry);
    if (walk)
        build_and_walk(&l);
}

START_TEST(test_debian_layout_128m)
{
    debian_layout(128 * MIB, 0, 0, true);
}
END_TEST

START_TEST(test_debian_layout_512m)
{
    debian_layout(512 * MIB, 0, 20 * MIB, true);
    debian_layout(512 * MIB, PV_LAYOUT_DOMU | PV_LAYOUT_P2M_AT_INIT_P2M | PV_LAYOUT_INITRD_UNMAPPED,
                  20 * MIB, true);
    debian_layout(4096 * MIB, PV_LAYOUT_DOMU, 0, false);
}
END_TEST

START_TEST(test_debian_layout_too_small)
{
    struct pv_layout_params p = {.nr_pages = 64 * MIB / 4096};
    struct pv_layout l;

    /* The image alone ends at 74 MiB: 64 MiB cannot hold the region. */
    ck_assert_int_eq(pv_layout_compute(&info, &p, &l), -XEN_ENOMEM);
}
END_TEST

/* Truncations of the real kernel: any cut before its last segment's end fails. */
START_TEST(test_debian_truncated)
{
    const struct pv_load_seg *last = &info.segs[0];
    uint64_t need, x = 12345;
    struct pv_image_info i2;

    for (unsigned int i = 0; i < info.nr_segs; i++)
        if (info.segs[i].offset + info.segs[i].filesz > last->offset + last->filesz)
            last = &info.segs[i];
    need = last->offset + last->filesz;
    for (size_t cut = 0; cut < 8192; cut += 61) {
        struct pvt_buf c = pvt_copy(&elf, cut);

        ck_assert_int_lt(pv_elf_parse(c.data, c.size, &i2), 0);
        pvt_free(&c);
    }
    for (int k = 0; k < 12; k++) {
        struct pvt_buf c;

        x = x * 6364136223846793005ull + 1442695040888963407ull;
        c = pvt_copy(&elf, (size_t)((x >> 16) % need));
        ck_assert_int_lt(pv_elf_parse(c.data, c.size, &i2), 0);
        pvt_free(&c);
    }
    struct pvt_buf c = pvt_copy(&elf, (size_t)need);
    ck_assert_int_eq(pv_elf_parse(c.data, c.size, &i2), 0);
    pvt_free(&c);
}
END_TEST

/* --- bzImage ---------------------------------------------------------------- */

START_TEST(test_bzimage_debian)
{
    glob_t g;
    struct pvt_buf bz;
    size_t off, len;

    ck_assert_int_eq(glob("/boot/vmlinuz-*", 0, NULL, &g), 0);
    bz = pvt_read_file(g.gl_pathv[g.gl_pathc - 1]);
    globfree(&g);
    ck_assert_int_eq(pv_bzimage_payload(bz.data, bz.size, &off, &len), 0);
    ck_assert_uint_eq(off, (bz.data[0x1f1] + 1u) * 512 + pvt_get32(bz.data + 0x248));
    ck_assert_uint_le(off + len, bz.size);
    ck_assert_int_eq(memcmp(bz.data + off,
                            "\xfd"
                            "7zXZ",
                            6),
                     0); /* CONFIG_KERNEL_XZ */
    /* Cut one byte short of the payload: refused. */
    ck_assert_int_eq(pv_bzimage_payload(bz.data, off + len - 1, &off, &len), -XEN_EINVAL);
    /* The ELF itself is not a bzImage. */
    ck_assert_int_eq(pv_bzimage_payload(elf.data, elf.size, &off, &len), -XEN_ENOEXEC);
    pvt_free(&bz);
}
END_TEST

static struct pvt_buf fake_bzimage(void)
{
    struct pvt_buf b = {calloc(1, 8192), 8192};

    ck_assert_ptr_nonnull(b.data);
    b.data[0x1f1] = 3; /* setup: 4 sectors */
    pvt_put16(b.data + 0x1fe, 0xaa55);
    memcpy(b.data + 0x202, "HdrS", 4);
    pvt_put16(b.data + 0x206, 0x020f);
    pvt_put32(b.data + 0x248, 0x100);
    pvt_put32(b.data + 0x24c, 0x1000);
    return b;
}

START_TEST(test_bzimage_synthetic)
{
    struct pvt_buf b = fake_bzimage(), c;
    size_t off = 0, len = 0;

    ck_assert_int_eq(pv_bzimage_payload(b.data, b.size, &off, &len), 0);
    ck_assert_uint_eq(off, 4 * 512 + 0x100);
    ck_assert_uint_eq(len, 0x1000);
    /* setup_sects 0 means 4. */
    b.data[0x1f1] = 0;
    ck_assert_int_eq(pv_bzimage_payload(b.data, b.size, &off, &len), 0);
    ck_assert_uint_eq(off, 5 * 512 + 0x100);
    /* Every truncation up to the payload's end fails, without reading past it. */
    for (size_t cut = 0; cut < 5 * 512 + 0x100 + 0x1000; cut++) {
        c = pvt_copy(&b, cut);
        PVT_CHECK(pv_bzimage_payload(c.data, c.size, &off, &len) < 0);
        pvt_free(&c);
    }
    /* Bad magic, old protocol, payload beyond the file, empty, wrapping. */
    b.data[0x1fe] = 0;
    ck_assert_int_eq(pv_bzimage_payload(b.data, b.size, &off, &len), -XEN_ENOEXEC);
    b.data[0x1fe] = 0x55;
    b.data[0x203] = 'D';
    ck_assert_int_eq(pv_bzimage_payload(b.data, b.size, &off, &len), -XEN_ENOEXEC);
    b.data[0x203] = 'd';
    pvt_put16(b.data + 0x206, 0x0207);
    ck_assert_int_eq(pv_bzimage_payload(b.data, b.size, &off, &len), -XEN_ENOEXEC);
    pvt_put16(b.data + 0x206, 0x0208);
    ck_assert_int_eq(pv_bzimage_payload(b.data, b.size, &off, &len), 0);
    pvt_put32(b.data + 0x24c, 0x2000);
    ck_assert_int_eq(pv_bzimage_payload(b.data, b.size, &off, &len), -XEN_EINVAL);
    pvt_put32(b.data + 0x24c, 0);
    ck_assert_int_eq(pv_bzimage_payload(b.data, b.size, &off, &len), -XEN_EINVAL);
    pvt_put32(b.data + 0x248, 0xffffffff);
    pvt_put32(b.data + 0x24c, 0xffffffff);
    ck_assert_int_eq(pv_bzimage_payload(b.data, b.size, &off, &len), -XEN_EINVAL);
    pvt_free(&b);
}
END_TEST

static Suite *pv_debian_suite(void)
{
    Suite *s = suite_create("pv_debian");
    TCase *tc = tcase_create("debian");

    /* Unchecked: read and parse the 62 MiB image once, not per test. */
    tcase_add_unchecked_fixture(tc, elf_setup, elf_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_debian_notes);
    tcase_add_test(tc, test_debian_segments);
    tcase_add_test(tc, test_debian_load);
    tcase_add_test(tc, test_debian_layout_128m);
    tcase_add_test(tc, test_debian_layout_512m);
    tcase_add_test(tc, test_debian_layout_too_small);
    tcase_add_test(tc, test_debian_truncated);
    tcase_add_test(tc, test_bzimage_debian);
    tcase_add_test(tc, test_bzimage_synthetic);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pv_debian_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
