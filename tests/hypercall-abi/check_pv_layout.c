/*
 * Check suite for the start-of-day layout (hypercall-abi/pv_layout.c) and
 * the bootstrap page tables (hypercall-abi/pv_pagetable.c).
 *
 * The property tests build the tables into simulated frames through the
 * writer, then walk them like the MMU would: every page of the region and
 * of a relocated p2m must be reached exactly once, to the right mfn, with
 * the right permissions, and nothing else may be mapped.
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

#define VB   0xffffffff80000000ull
#define MB   (1ull << 20)
#define PAGE 4096ull

static struct pv_image_info guest_info;

static void guest_setup(void)
{
    struct pvt_buf b = pvt_read_file(PVABI_TEST_GUEST);

    ck_assert_int_eq(pv_elf_parse(b.data, b.size, &guest_info), 0);
    pvt_free(&b);
}

/* An image description made by hand: only what the layout reads. */
static struct pv_image_info fake_image(uint64_t vb, uint64_t kstart, uint64_t kend)
{
    struct pv_image_info i;

    memset(&i, 0, sizeof(i));
    i.virt_base = vb;
    i.virt_kstart = kstart;
    i.virt_kend = kend;
    i.entry = kstart;
    i.init_p2m = PV_ADDR_UNSET;
    i.hypercall_page = PV_ADDR_UNSET;
    return i;
}

static int layout(const struct pv_image_info *img, uint64_t nr_pages, uint64_t initrd,
                  uint32_t flags, struct pv_layout *l)
{
    struct pv_layout_params p = {.nr_pages = nr_pages, .initrd_len = initrd, .flags = flags};

    return pv_layout_compute(img, &p, l);
}

START_TEST(test_guest_exact_layout)
{
    struct pv_layout l;

    ck_assert_int_eq(layout(&guest_info, 8192, 0, 0, &l), 0);
    ck_assert_uint_eq(l.kernel.pfn, 0x200);
    ck_assert_uint_eq(l.kernel.nr, 9);
    ck_assert_uint_eq(l.p2m.virt, VB + 0x209000);
    ck_assert_uint_eq(l.p2m.nr, 16);
    ck_assert_uint_eq(l.start_info.virt, VB + 0x219000);
    ck_assert_uint_eq(l.xenstore.nr, 0);
    ck_assert_uint_eq(l.pt.pfn, 0x21a);
    ck_assert_uint_eq(l.nr_l1, 2);
    ck_assert_uint_eq(l.pt.nr, 5);
    ck_assert_uint_eq(l.stack.pfn, 0x21f);
    ck_assert_uint_eq(l.stack_top, VB + 0x220000);
    ck_assert_uint_eq(l.virt_end, VB + 0x400000);
    ck_assert_uint_eq(l.region_pages, 0x400);
    ck_assert_uint_eq(l.entry, VB + 0x201000);
    build_and_walk(&l);
}
END_TEST

START_TEST(test_padding_pushes_to_next_4mb)
{
    /* Stack ends 256 KiB before a 4 MiB boundary: the region takes 4 MiB more. */
    struct pv_image_info img = fake_image(VB, VB, VB + 4 * MB - 256 * 1024 - 6 * PAGE);
    struct pv_layout l;

    ck_assert_int_eq(layout(&img, 1 << 16, 0, 0, &l), 0);
    ck_assert_uint_ge(l.virt_end, VB + 8 * MB);
    ck_assert_uint_ge(l.virt_end - l.stack_top, 512 * 1024);
}
END_TEST

START_TEST(test_domu_initrd_and_relocated_p2m)
{
    struct pv_layout_params p = {.nr_pages = 32768,
                                 .initrd_len = 3 * MB + 5,
                                 .flags = PV_LAYOUT_DOMU | PV_LAYOUT_P2M_AT_INIT_P2M};
    struct pv_layout l;

    ck_assert_int_eq(pv_layout_compute(&guest_info, &p, &l), 0);
    assert_layout(&guest_info, &p, &l);
    ck_assert_uint_eq(l.initrd.nr, 3 * 256 + 1);
    ck_assert_uint_eq(l.xenstore.virt, l.start_info.virt + PAGE);
    ck_assert_uint_eq(l.console.virt, l.start_info.virt + 2 * PAGE);
    ck_assert_uint_eq(l.p2m.virt, 0x8000000000ull);
    ck_assert_uint_eq(l.p2m.nr, 64);
    ck_assert_uint_eq(l.p2m_nr_l3, 1);
    ck_assert_uint_eq(l.p2m_nr_l2, 1);
    ck_assert_uint_eq(l.p2m_nr_l1, 1);
    ck_assert_uint_eq(l.nr_p2m_frames, 67);
    build_and_walk(&l);
}
END_TEST

START_TEST(test_unmapped_initrd)
{
    struct pv_layout_params p = {
        .nr_pages = 4096, .initrd_len = 10 * PAGE, .flags = PV_LAYOUT_INITRD_UNMAPPED};
    struct pv_layout l;

    ck_assert_int_eq(pv_layout_compute(&guest_info, &p, &l), 0);
    assert_layout(&guest_info, &p, &l);
    ck_assert_uint_eq(l.initrd.pfn, l.region_pages);
    ck_assert_uint_eq(l.initrd.nr, 10);
    ck_assert_uint_eq(l.p2m.virt, l.kernel.virt + l.kernel.nr * PAGE); /* no initrd between */
    /* The initrd needs its pfns: one page short is ENOMEM. */
    p.nr_pages = l.region_pages + 9;
    ck_assert_int_eq(pv_layout_compute(&guest_info, &p, &l), -XEN_ENOMEM);
    p.nr_pages = 1024 + 10; /* region is 4 MiB = 1024 pages at this size */
    ck_assert_int_eq(pv_layout_compute(&guest_info, &p, &l), 0);
}
END_TEST

START_TEST(test_errors)
{
    struct pv_image_info img = guest_info;
    struct pv_layout l;

    ck_assert_int_eq(layout(&guest_info, 4096, 0, 0x80, &l), -XEN_EINVAL);
    ck_assert_int_eq(layout(&guest_info, 100, 0, 0, &l), -XEN_ENOMEM);
    ck_assert_int_eq(layout(&guest_info, 1023, 0, 0, &l), -XEN_ENOMEM);
    ck_assert_int_eq(layout(&guest_info, 1024, 0, 0, &l), 0);
    ck_assert_int_eq(layout(&guest_info, 1ull << 41, 0, 0, &l), -XEN_EINVAL);
    /* An initrd or p2m too big for one L2. */
    ck_assert_int_eq(layout(&guest_info, 1 << 20, 1020 * MB, 0, &l), -XEN_E2BIG);
    ck_assert_int_eq(layout(&guest_info, 1ull << 27, 0, 0, &l), -XEN_E2BIG);
    /* ...unless they leave the region. */
    ck_assert_int_eq(layout(&guest_info, 1 << 20, 1020 * MB, PV_LAYOUT_INITRD_UNMAPPED, &l), 0);
    ck_assert_int_eq(layout(&guest_info, 1ull << 27, 0, PV_LAYOUT_P2M_AT_INIT_P2M, &l), 0);
    ck_assert_uint_eq(l.p2m_nr_l2, 1);
    ck_assert_uint_eq(l.p2m_nr_l1, 512);
    /* The flags need their notes. */
    img.mod_start_pfn = false;
    img.init_p2m = PV_ADDR_UNSET;
    ck_assert_int_eq(layout(&img, 4096, PAGE, PV_LAYOUT_INITRD_UNMAPPED, &l), -XEN_EINVAL);
    ck_assert_int_eq(layout(&img, 4096, 0, PV_LAYOUT_P2M_AT_INIT_P2M, &l), -XEN_EINVAL);
    /* INIT_P2M sharing the region's L4 slot, in the hypervisor's, non-canonical. */
    img = guest_info;
    img.init_p2m = 0xffffffffc0000000ull;
    ck_assert_int_eq(layout(&img, 4096, 0, PV_LAYOUT_P2M_AT_INIT_P2M, &l), -XEN_EINVAL);
    img.init_p2m = 0xffff804000000000ull;
    ck_assert_int_eq(layout(&img, 4096, 0, PV_LAYOUT_P2M_AT_INIT_P2M, &l), -XEN_EINVAL);
    img.init_p2m = 0x00007ffffffff000ull; /* 8 pages from here cross the hole */
    ck_assert_int_eq(layout(&img, 4096, 0, PV_LAYOUT_P2M_AT_INIT_P2M, &l), -XEN_EINVAL);
    img.init_p2m = 0x00007fffffff8000ull; /* exactly fits below the hole */
    ck_assert_int_eq(layout(&img, 4096, 0, PV_LAYOUT_P2M_AT_INIT_P2M, &l), 0);
    /* VIRT_BASE in the hypervisor's slots or non-canonical. */
    img = fake_image(0xffff800000000000ull, 0xffff800000200000ull, 0xffff800000300000ull);
    ck_assert_int_eq(layout(&img, 4096, 0, 0, &l), -XEN_EINVAL);
    img = fake_image(0x0000900000000000ull, 0x0000900000200000ull, 0x0000900000300000ull);
    ck_assert_int_eq(layout(&img, 4096, 0, 0, &l), -XEN_EINVAL);
}
END_TEST

START_TEST(test_window_edges)
{
    struct pv_image_info img;
    struct pv_layout l;

    /* 2 MiB left in the GiB is enough; 256 KiB leaves no room for padding. */
    img = fake_image(VB + 1022 * MB, VB + 1022 * MB, VB + 1022 * MB + PAGE);
    ck_assert_int_eq(layout(&img, 1 << 16, 0, 0, &l), 0);
    ck_assert_uint_eq(l.virt_end, VB + 1024 * MB);
    img = fake_image(VB + 1024 * MB - 256 * 1024, VB + 1024 * MB - 256 * 1024,
                     VB + 1024 * MB - 255 * 1024);
    ck_assert_int_eq(layout(&img, 1 << 16, 0, 0, &l), -XEN_E2BIG);
    /* The last GiB of the address space: a region ending at 2^64 is refused, */
    img =
        fake_image(0xffffffffc0000000ull, 0xffffffffc0000000ull, 0xffffffffc0000000ull + 1016 * MB);
    ck_assert_int_eq(layout(&img, 1 << 18, 0, 0, &l), -XEN_E2BIG);
    /* (the same image one GiB lower fills its window exactly) */
    img = fake_image(VB, VB, VB + 1016 * MB);
    ck_assert_int_eq(layout(&img, 1 << 18, 0, 0, &l), 0);
    ck_assert_uint_eq(l.virt_end, VB + 1024 * MB);
    /* one ending below it works and maps. */
    img = fake_image(0xffffffffc0000000ull, 0xffffffffc0000000ull, 0xffffffffc0100000ull);
    ck_assert_int_eq(layout(&img, 4096, 0, 0, &l), 0);
    ck_assert_uint_eq(l.virt_end, 0xffffffffc0400000ull);
    build_and_walk(&l);
    /* A low VIRT_BASE (0) is fine: L4 slot 0. */
    img = fake_image(0, 0x100000, 0x180000);
    ck_assert_int_eq(layout(&img, 4096, 0, PV_LAYOUT_DOMU, &l), 0);
    build_and_walk(&l);
    /* VIRT_BASE not 1 GiB aligned: the window is what is left of its GiB. */
    img = fake_image(VB + 512 * MB, VB + 512 * MB, VB + 600 * MB);
    ck_assert_int_eq(layout(&img, 1 << 18, 0, 0, &l), 0);
    ck_assert_int_eq(layout(&img, 1 << 18, 425 * MB, 0, &l), -XEN_E2BIG);
}
END_TEST

/* Many sizes and flag combinations: layout invariants and a full table walk. */
START_TEST(test_layout_property)
{
    static const uint64_t initrds[] = {0, 1, PAGE, 5 * MB + 17};
    unsigned int runs = 0;

    for (uint64_t nr = 1024; nr <= (1ull << 18); nr += nr / 3 + 37) {
        for (uint32_t flags = 0; flags <= PV_LAYOUT_FLAGS_ALL; flags++) {
            for (unsigned int k = 0; k < sizeof(initrds) / sizeof(initrds[0]); k++) {
                struct pv_layout_params p = {
                    .nr_pages = nr, .initrd_len = initrds[k], .flags = flags};
                struct pv_layout l;
                int rc = pv_layout_compute(&guest_info, &p, &l);

                if (rc == -XEN_ENOMEM)
                    continue; /* small nr with a big initrd */
                ck_assert_msg(rc == 0, "nr %llu flags %u initrd %llu: %d", (unsigned long long)nr,
                              flags, (unsigned long long)initrds[k], rc);
                assert_layout(&guest_info, &p, &l);
                if (k % 2 == 0)
                    build_and_walk(&l);
                runs++;
            }
        }
    }
    ck_assert_uint_gt(runs, 500);
}
END_TEST

static int count_write(void *ctx, uint64_t pt_pfn, unsigned int index, uint64_t pte)
{
    (void)pt_pfn, (void)index, (void)pte;
    (*(unsigned int *)ctx)++;
    return 0;
}

START_TEST(test_pagetable_rejects_bad_input)
{
    struct pv_layout l, bad;
    uint64_t *p2m;
    unsigned int writes = 0;
    struct sim s;

    ck_assert_int_eq(layout(&guest_info, 4096, 0, PV_LAYOUT_P2M_AT_INIT_P2M, &l), 0);
    p2m = calloc(4096, sizeof(*p2m));
    ck_assert_ptr_nonnull(p2m);
    for (unsigned int i = 0; i < 4096; i++)
        p2m[i] = i + 1;
    /* An mfn that does not fit a PTE: refused before any write. */
    p2m[4095] = 1ull << 40;
    bad = l;
    bad.nr_pages = 4096;
    ck_assert_int_eq(pv_pagetable_build(&bad, p2m, count_write, &writes), 0);
    p2m[l.p2m.pfn] = 1ull << 40;
    ck_assert_int_eq(pv_pagetable_build(&l, p2m, count_write, &writes), -XEN_EINVAL);
    p2m[l.p2m.pfn] = 7;
    /* Inconsistent layouts. */
    writes = 0;
    bad = l;
    bad.pt.nr++;
    ck_assert_int_eq(pv_pagetable_build(&bad, p2m, count_write, &writes), -XEN_EINVAL);
    bad = l;
    bad.nr_l1++, bad.pt.nr++;
    ck_assert_int_eq(pv_pagetable_build(&bad, p2m, count_write, &writes), -XEN_EINVAL);
    bad = l;
    bad.nr_pages = l.region_pages - 1; /* p2m[] too short for the region */
    ck_assert_int_eq(pv_pagetable_build(&bad, p2m, count_write, &writes), -XEN_EINVAL);
    bad = l;
    bad.pt.pfn = UINT64_MAX;
    ck_assert_int_eq(pv_pagetable_build(&bad, p2m, count_write, &writes), -XEN_EINVAL);
    bad = l;
    bad.p2m.virt = VB - 0x40000000ull; /* same L4 slot as the region */
    ck_assert_int_eq(pv_pagetable_build(&bad, p2m, count_write, &writes), -XEN_EINVAL);
    ck_assert_uint_eq(writes, 0);
    /* A failing writer stops the build with its error. */
    memset(&s, 0, sizeof(s));
    s.l = &l;
    s.fail_next = true;
    ck_assert_int_eq(pv_pagetable_build(&l, p2m, sim_write, &s), -XEN_EFAULT);
    free(p2m);
}
END_TEST

static Suite *pv_layout_suite(void)
{
    Suite *s = suite_create("pv_layout");
    TCase *tc = tcase_create("layout");

    tcase_add_unchecked_fixture(tc, guest_setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_guest_exact_layout);
    tcase_add_test(tc, test_padding_pushes_to_next_4mb);
    tcase_add_test(tc, test_domu_initrd_and_relocated_p2m);
    tcase_add_test(tc, test_unmapped_initrd);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_window_edges);
    tcase_add_test(tc, test_layout_property);
    tcase_add_test(tc, test_pagetable_rejects_bad_input);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pv_layout_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
