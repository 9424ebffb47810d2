/*
 * Unit tests of the physical memory map arithmetic (hyp/mm/memmap.c) and
 * the frame-table helpers (hyp/include/mm/frame.h): the boot path turns
 * the firmware map into free RAM with these.
 */
#include "mm/frame.h"
#include "mm/memmap.h"
#include "check_main.h"
#include <check.h>
#include <stdlib.h>
#include <xen/errno.h>

/* The map QEMU's BIOS reports for -m 512. */
static void qemu_512m(struct memmap *m)
{
    m->nr = 0;
    memmap_add(m, 0, 0x9fc00, MEM_RAM);
    memmap_add(m, 0x9fc00, 0xa0000, MEM_RESERVED);
    memmap_add(m, 0xf0000, 0x100000, MEM_RESERVED);
    memmap_add(m, 0x100000, 0x1ffe0000, MEM_RAM);
    memmap_add(m, 0x1ffe0000, 0x20000000, MEM_RESERVED);
    memmap_add(m, 0xfffc0000, 0x100000000, MEM_RESERVED);
}

START_TEST(free_ram_from_firmware_map)
{
    struct memmap fw, free;

    qemu_512m(&fw);
    ck_assert_int_eq(memmap_free_ram(&fw, &free), 0);
    ck_assert_uint_eq(free.nr, 2);
    ck_assert_uint_eq(free.r[0].start, 0);
    ck_assert_uint_eq(free.r[0].end, 0x9f000); /* shrunk to whole pages */
    ck_assert_uint_eq(free.r[1].start, 0x100000);
    ck_assert_uint_eq(free.r[1].end, 0x1ffe0000);
    ck_assert_uint_eq(memmap_total(&fw, MEM_RAM), 0x9fc00 + 0x1fee0000);
    ck_assert_uint_eq(memmap_top(&fw, MEM_RAM), 0x1ffe0000);
}
END_TEST

START_TEST(overlapping_reserved_region_wins)
{
    struct memmap fw = {0}, free;

    memmap_add(&fw, 0x100000, 0x800000, MEM_RAM);
    memmap_add(&fw, 0x300800, 0x301000, MEM_ACPI); /* inside RAM, unaligned */
    ck_assert_int_eq(memmap_free_ram(&fw, &free), 0);
    ck_assert_uint_eq(free.nr, 2);
    ck_assert_uint_eq(free.r[0].end, 0x300000);
    ck_assert_uint_eq(free.r[1].start, 0x301000);
}
END_TEST

START_TEST(reserve_splits_trims_and_removes)
{
    struct memmap m = {0};

    memmap_add(&m, 0x1000, 0x10000, MEM_RAM);
    ck_assert_int_eq(memmap_reserve(&m, 0x4000, 0x5000), 0);  /* split */
    ck_assert_int_eq(memmap_reserve(&m, 0x0, 0x2000), 0);     /* trim front */
    ck_assert_int_eq(memmap_reserve(&m, 0xf000, 0x20000), 0); /* trim back */
    memmap_normalise(&m);
    ck_assert_uint_eq(m.nr, 2);
    ck_assert_uint_eq(m.r[0].start, 0x2000);
    ck_assert_uint_eq(m.r[0].end, 0x4000);
    ck_assert_uint_eq(m.r[1].start, 0x5000);
    ck_assert_uint_eq(m.r[1].end, 0xf000);
    ck_assert_int_eq(memmap_reserve(&m, 0, 0x100000), 0); /* remove all */
    ck_assert_uint_eq(m.nr, 0);
}
END_TEST

START_TEST(normalise_sorts_and_merges)
{
    struct memmap m = {0};

    memmap_add(&m, 0x5000, 0x6000, MEM_RAM);
    memmap_add(&m, 0x1000, 0x3000, MEM_RAM);
    memmap_add(&m, 0x3000, 0x5000, MEM_RAM);
    memmap_add(&m, 0x6000, 0x7000, MEM_RESERVED);
    memmap_normalise(&m);
    ck_assert_uint_eq(m.nr, 2);
    ck_assert_uint_eq(m.r[0].start, 0x1000);
    ck_assert_uint_eq(m.r[0].end, 0x6000);
    ck_assert_uint_eq(m.r[1].type, MEM_RESERVED);
}
END_TEST

START_TEST(alloc_takes_from_the_top_below_limit)
{
    struct memmap fw, free;
    paddr_t a, b;

    qemu_512m(&fw);
    memmap_free_ram(&fw, &free);
    a = memmap_alloc(&free, 0x1000, 0x1000, 1ULL << 32);
    ck_assert_uint_eq(a, 0x1ffdf000);
    b = memmap_alloc(&free, 0x200000, 0x200000, 0x10000000);
    ck_assert_uint_eq(b, 0xfe00000);
    ck_assert_uint_eq(memmap_total(&free, 0), 0x9f000 + 0x1fee0000 - 0x1000 - 0x200000);
    /* Too big, bad alignment, nothing below the limit. */
    ck_assert_uint_eq(memmap_alloc(&free, 1ULL << 40, 0x1000, ~0ULL), 0);
    ck_assert_uint_eq(memmap_alloc(&free, 0x1000, 0x3000, ~0ULL), 0);
    ck_assert_uint_eq(memmap_alloc(&free, 0x1000, 0x1000, 0x1000), 0);
}
END_TEST

START_TEST(add_refuses_empty_and_overfull)
{
    struct memmap m = {0};

    ck_assert_int_eq(memmap_add(&m, 5, 5, MEM_RAM), -XEN_EINVAL);
    for (unsigned int i = 0; i < MEMMAP_MAX; i++)
        ck_assert_int_eq(memmap_add(&m, i * 0x2000, i * 0x2000 + 0x1000, MEM_RAM), 0);
    ck_assert_int_eq(memmap_add(&m, 1ULL << 40, (1ULL << 40) + 1, MEM_RAM), -XEN_ENOSPC);
    /* A split that needs one more slot fails cleanly. */
    ck_assert_int_eq(memmap_reserve(&m, 0x100, 0x200), -XEN_ENOSPC);
}
END_TEST

START_TEST(frame_arithmetic)
{
    ck_assert_uint_eq(order_for_bytes(1), 0);
    ck_assert_uint_eq(order_for_bytes(4096), 0);
    ck_assert_uint_eq(order_for_bytes(4097), 1);
    ck_assert_uint_eq(order_for_bytes(32768), 3);
    ck_assert_uint_eq(buddy_of(8, 3), 0);
    ck_assert_uint_eq(buddy_of(0, 3), 8);
    ck_assert_uint_eq(buddy_of(5, 0), 4);
    ck_assert_uint_eq(order_pages(10), 1024);
    ck_assert_uint_eq(PFN_UP(4097), 2);
    ck_assert_uint_eq(PFN_DOWN(4097), 1);

    struct page_info pg = {0};
    page_set_state(&pg, PGC_state_inuse);
    pg.count_info |= 5; /* a reference count lives in the low bits */
    page_set_state(&pg, PGC_state_free);
    ck_assert_uint_eq(page_state(&pg), PGC_state_free);
    ck_assert_uint_eq(pg.count_info & 0xff, 5);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("memmap");

    tcase_add_test(tc, free_ram_from_firmware_map);
    tcase_add_test(tc, overlapping_reserved_region_wins);
    tcase_add_test(tc, reserve_splits_trims_and_removes);
    tcase_add_test(tc, normalise_sorts_and_merges);
    tcase_add_test(tc, alloc_takes_from_the_top_below_limit);
    tcase_add_test(tc, add_refuses_empty_and_overfull);
    tcase_add_test(tc, frame_arithmetic);
    return run_tcase("memmap", tc);
}
