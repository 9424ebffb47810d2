/*
 * Unit tests of the buddy allocator (hyp/mm/buddy.c) over a synthetic
 * frame table: splitting, coalescing, exhaustion, alignment, and the
 * detection of double and misaligned frees.
 */
#include "mm/buddy.h"
#include "check_main.h"
#include <check.h>
#include <stdlib.h>
#include <xen/errno.h>

#define NR_FRAMES 4096

static struct page_info *frames;
static struct buddy_heap heap;

static void setup(void)
{
    frames = calloc(NR_FRAMES, sizeof(*frames));
    ck_assert_ptr_nonnull(frames);
    buddy_init(&heap, frames, NR_FRAMES);
}

static void teardown(void)
{
    free(frames);
}

static unsigned long total_free_from_lists(void)
{
    unsigned long n = 0;
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        n += buddy_free_blocks(&heap, o) << o;
    return n;
}

START_TEST(add_range_builds_maximal_aligned_blocks)
{
    /* [3, 1030): 1 + 4 + 8 + ... blocks; lists must account for every frame. */
    ck_assert_int_eq(buddy_add_range(&heap, 3, 1030), 0);
    ck_assert_uint_eq(heap.free_pages, 1027);
    ck_assert_uint_eq(total_free_from_lists(), 1027);
    ck_assert_uint_eq(buddy_free_blocks(&heap, 9), 1); /* [512, 1024) */
    ck_assert_uint_eq(buddy_free_blocks(&heap, 0), 1); /* frame 3 */
}
END_TEST

START_TEST(add_range_rejects_bad_ranges)
{
    ck_assert_int_eq(buddy_add_range(&heap, 10, NR_FRAMES + 1), -XEN_EINVAL);
    ck_assert_int_eq(buddy_add_range(&heap, 20, 10), -XEN_EINVAL);
    ck_assert_int_eq(buddy_add_range(&heap, 0, 16), 0);
    /* Frames already in the heap are not RESERVED any more. */
    ck_assert_int_eq(buddy_add_range(&heap, 8, 24), -XEN_EINVAL);
    ck_assert_uint_eq(heap.free_pages, 16);
}
END_TEST

START_TEST(alloc_splits_and_free_coalesces)
{
    struct page_info *a, *b;

    ck_assert_int_eq(buddy_add_range(&heap, 0, 1024), 0);
    ck_assert_uint_eq(buddy_free_blocks(&heap, 10), 1);
    a = buddy_alloc(&heap, 0);
    ck_assert_ptr_nonnull(a);
    /* One order-10 block split into one free block of each order 0..9. */
    for (unsigned int o = 0; o < 10; o++)
        ck_assert_uint_eq(buddy_free_blocks(&heap, o), 1);
    ck_assert_uint_eq(buddy_free_blocks(&heap, 10), 0);
    b = buddy_alloc(&heap, 0);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(buddy_free(&heap, a, 0), 0);
    ck_assert_int_eq(buddy_free(&heap, b, 0), 0);
    /* Everything merged back into the one order-10 block. */
    ck_assert_uint_eq(buddy_free_blocks(&heap, 10), 1);
    for (unsigned int o = 0; o < 10; o++)
        ck_assert_uint_eq(buddy_free_blocks(&heap, o), 0);
    ck_assert_uint_eq(heap.free_pages, 1024);
}
END_TEST

START_TEST(blocks_are_naturally_aligned)
{
    ck_assert_int_eq(buddy_add_range(&heap, 1, NR_FRAMES), 0);
    for (unsigned int o = 0; o <= 8; o++) {
        struct page_info *p = buddy_alloc(&heap, o);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(buddy_mfn(&heap, p) % (1UL << o), 0);
        for (unsigned long i = 0; i < (1UL << o); i++)
            ck_assert_uint_eq(page_state(&p[i]), PGC_state_inuse);
    }
}
END_TEST

START_TEST(exhaustion_returns_null_and_recovers)
{
    struct page_info *pages[64];

    ck_assert_int_eq(buddy_add_range(&heap, 0, 64), 0);
    for (int i = 0; i < 64; i++) {
        pages[i] = buddy_alloc(&heap, 0);
        ck_assert_ptr_nonnull(pages[i]);
    }
    ck_assert_ptr_null(buddy_alloc(&heap, 0));
    ck_assert_uint_eq(heap.free_pages, 0);
    /* Larger than anything the heap holds, and beyond the maximum order. */
    ck_assert_int_eq(buddy_free(&heap, pages[7], 0), 0);
    ck_assert_ptr_null(buddy_alloc(&heap, 1));
    ck_assert_ptr_null(buddy_alloc(&heap, BUDDY_MAX_ORDER + 1));
    ck_assert_ptr_eq(buddy_alloc(&heap, 0), pages[7]);
    for (int i = 0; i < 64; i++)
        ck_assert_int_eq(buddy_free(&heap, pages[i], 0), 0);
    ck_assert_uint_eq(buddy_free_blocks(&heap, 6), 1);
}
END_TEST

START_TEST(double_free_is_detected)
{
    struct page_info *p;

    ck_assert_int_eq(buddy_add_range(&heap, 0, 256), 0);
    p = buddy_alloc(&heap, 2);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(buddy_free(&heap, p, 2), 0);
    ck_assert_int_eq(buddy_free(&heap, p, 2), -XEN_EINVAL);
    ck_assert_uint_eq(heap.free_pages, 256);
    ck_assert_uint_eq(total_free_from_lists(), 256);
}
END_TEST

START_TEST(partial_and_misaligned_frees_are_detected)
{
    struct page_info *p;

    ck_assert_int_eq(buddy_add_range(&heap, 0, 256), 0);
    p = buddy_alloc(&heap, 3);
    ck_assert_ptr_nonnull(p);
    /* The middle of a block is not a block of its own order. */
    ck_assert_int_eq(buddy_free(&heap, p + 1, 3), -XEN_EINVAL);
    /* A bigger order than was allocated covers free frames. */
    ck_assert_int_eq(buddy_free(&heap, p, 4), -XEN_EINVAL);
    /* A frame never handed to the heap. */
    ck_assert_int_eq(buddy_free(&heap, &frames[1000], 0), -XEN_EINVAL);
    ck_assert_int_eq(buddy_free(&heap, frames + NR_FRAMES, 0), -XEN_EINVAL);
    ck_assert_int_eq(buddy_free(&heap, p, 3), 0);
    ck_assert_uint_eq(heap.free_pages, 256);
}
END_TEST

START_TEST(no_merge_across_a_hole)
{
    struct page_info *a;

    /* Frames 0-7 and 16-23: buddies 0-7 and 8-15 must not merge. */
    ck_assert_int_eq(buddy_add_range(&heap, 0, 8), 0);
    ck_assert_int_eq(buddy_add_range(&heap, 16, 24), 0);
    ck_assert_uint_eq(buddy_free_blocks(&heap, 3), 2);
    ck_assert_uint_eq(buddy_free_blocks(&heap, 4), 0);
    a = buddy_alloc(&heap, 4);
    ck_assert_ptr_null(a);
}
END_TEST

START_TEST(random_alloc_free_keeps_accounting)
{
    struct page_info *held[200];
    unsigned int order[200];
    unsigned int seed = 12345;

    ck_assert_int_eq(buddy_add_range(&heap, 5, NR_FRAMES - 3), 0);
    unsigned long start = heap.free_pages;
    for (int i = 0; i < 200; i++)
        held[i] = NULL;
    for (int round = 0; round < 5000; round++) {
        int i = (int)(rand_r(&seed) % 200);
        if (held[i]) {
            ck_assert_int_eq(buddy_free(&heap, held[i], order[i]), 0);
            held[i] = NULL;
        } else {
            order[i] = (unsigned int)(rand_r(&seed) % 6);
            held[i] = buddy_alloc(&heap, order[i]);
        }
        ck_assert_uint_eq(total_free_from_lists(), heap.free_pages);
    }
    for (int i = 0; i < 200; i++)
        if (held[i])
            ck_assert_int_eq(buddy_free(&heap, held[i], order[i]), 0);
    ck_assert_uint_eq(heap.free_pages, start);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("buddy");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, add_range_builds_maximal_aligned_blocks);
    tcase_add_test(tc, add_range_rejects_bad_ranges);
    tcase_add_test(tc, alloc_splits_and_free_coalesces);
    tcase_add_test(tc, blocks_are_naturally_aligned);
    tcase_add_test(tc, exhaustion_returns_null_and_recovers);
    tcase_add_test(tc, double_free_is_detected);
    tcase_add_test(tc, partial_and_misaligned_frees_are_detected);
    tcase_add_test(tc, no_merge_across_a_hole);
    tcase_add_test(tc, random_alloc_free_keeps_accounting);
    return run_tcase("buddy", tc);
}
