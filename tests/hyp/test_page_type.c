/*
 * Unit tests of the frame reference-count and type rules
 * (hyp/mm/page_type.c), over a model of page tables: each frame has a
 * small table of entries (target frame, writable bit), validated the way
 * the hypervisor validates real tables; then the same rules under
 * threads (several CPUs pinning, mapping writable, page-locking and
 * referencing the same frames at once), where a lost count, a frame that
 * is a validated table and writable at the same time, or two holders of
 * one page lock would show.
 */
#include "mm/page_type.h"
#include "check_main.h"
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#define NR    32
#define ENTS  4
#define DOM   7
#define OTHER 8

struct model_entry {
    int target; /* -1: not present */
    bool rw;
};

static struct page_info frames[NR];
static struct model_entry ents[NR][ENTS];
static int freed[NR], flushes, validations, gone[NR];
/* Per frame, as counted by the threads of the SMP tests themselves:
 * holders of a writable / a table type reference, of its page lock. */
static int held_writable[NR], held_table[NR], lock_holders[NR];
static int violations;

static void violation(void)
{
    __atomic_fetch_add(&violations, 1, __ATOMIC_SEQ_CST);
}

static int validate(struct page_info *pg, unsigned long type);
static void devalidate(struct page_info *pg, unsigned long type);

static int take_entry(const struct model_entry *e, unsigned int level)
{
    struct page_info *t = &frames[e->target];
    int rc;

    if (level > 1)
        return get_page_and_type(t, DOM, (unsigned long)(level - 1) << PGT_type_shift);
    if (!get_page(t, DOM))
        return -XEN_EINVAL;
    if (e->rw && (rc = get_page_type(t, PGT_writable))) {
        put_page(t);
        return rc;
    }
    return 0;
}

static void drop_entry(const struct model_entry *e, unsigned int level)
{
    struct page_info *t = &frames[e->target];

    if (level > 1) {
        put_page_and_type(t);
        return;
    }
    if (e->rw)
        put_page_type(t);
    put_page(t);
}

static int validate(struct page_info *pg, unsigned long type)
{
    unsigned int level = pt_level(type);
    int idx = (int)(pg - frames);

    __atomic_fetch_add(&validations, 1, __ATOMIC_SEQ_CST);
    /* Nobody may be writing a frame while it becomes a table. */
    if (__atomic_load_n(&held_writable[idx], __ATOMIC_SEQ_CST))
        violation();
    for (int i = 0; i < ENTS; i++) {
        int rc;
        if (ents[idx][i].target < 0)
            continue;
        rc = take_entry(&ents[idx][i], level);
        if (rc) {
            while (--i >= 0)
                if (ents[idx][i].target >= 0)
                    drop_entry(&ents[idx][i], level);
            return rc;
        }
    }
    return 0;
}

static void devalidate(struct page_info *pg, unsigned long type)
{
    int idx = (int)(pg - frames);

    if (__atomic_load_n(&lock_holders[idx], __ATOMIC_SEQ_CST))
        violation(); /* torn down while someone updates it */
    for (int i = 0; i < ENTS; i++)
        if (ents[idx][i].target >= 0)
            drop_entry(&ents[idx][i], pt_level(type));
}

static void do_free(struct page_info *pg)
{
    __atomic_fetch_add(&freed[pg - frames], 1, __ATOMIC_SEQ_CST);
}

static void flush_writable(struct page_info *pg)
{
    (void)pg;
    __atomic_fetch_add(&flushes, 1, __ATOMIC_SEQ_CST);
}

static void writable_gone(struct page_info *pg)
{
    __atomic_fetch_add(&gone[pg - frames], 1, __ATOMIC_SEQ_CST);
}

static const struct page_type_ops model_ops = {validate, devalidate, do_free, flush_writable,
                                               writable_gone};

static void setup(void)
{
    memset(frames, 0, sizeof(frames));
    memset(freed, 0, sizeof(freed));
    memset(gone, 0, sizeof(gone));
    memset(held_writable, 0, sizeof(held_writable));
    memset(held_table, 0, sizeof(held_table));
    memset(lock_holders, 0, sizeof(lock_holders));
    flushes = validations = violations = 0;
    for (int i = 0; i < NR; i++) {
        page_set_state(&frames[i], PGC_state_inuse);
        page_assign(&frames[i], i == NR - 1 ? OTHER : DOM);
        for (int j = 0; j < ENTS; j++)
            ents[i][j].target = -1;
    }
    page_type_set_ops(&model_ops);
}

/* Everything back to just the allocation reference, no type. */
static void assert_quiescent(void)
{
    for (int i = 0; i < NR; i++) {
        ck_assert_uint_eq(page_count(&frames[i]), 1);
        ck_assert_uint_eq(page_type_count(&frames[i]), 0);
        ck_assert_uint_eq(page_type(&frames[i]), PGT_none);
    }
}

START_TEST(general_refs_need_ownership)
{
    ck_assert(get_page(&frames[0], DOM));
    ck_assert_uint_eq(page_count(&frames[0]), 2);
    ck_assert(!get_page(&frames[NR - 1], DOM));
    page_set_state(&frames[1], PGC_state_free);
    ck_assert(!get_page(&frames[1], DOM));
    page_set_state(&frames[1], PGC_state_inuse);
    put_page(&frames[0]);
    assert_quiescent();
}
END_TEST

START_TEST(writable_and_page_table_exclude_each_other)
{
    ck_assert_int_eq(get_page_and_type(&frames[2], DOM, PGT_writable), 0);
    ck_assert_int_eq(get_page_and_type(&frames[2], DOM, PGT_l1), -XEN_EBUSY);
    ck_assert_int_eq(get_page_and_type(&frames[2], DOM, PGT_writable), 0);
    ck_assert_uint_eq(page_type_count(&frames[2]), 2);
    put_page_and_type(&frames[2]);
    put_page_and_type(&frames[2]);
    /* Free of writable users: it may become a table, after a TLB flush. */
    ck_assert_int_eq(get_page_and_type(&frames[2], DOM, PGT_l1), 0);
    ck_assert_int_eq(flushes, 1);
    ck_assert(frames[2].type_info & PGT_validated);
    ck_assert_int_eq(get_page_and_type(&frames[2], DOM, PGT_writable), -XEN_EBUSY);
    put_page_and_type(&frames[2]);
    assert_quiescent();
}
END_TEST

/* The flush clock's stamp is taken when the last writable reference goes,
 * and only then: not on a drop that leaves one, not for another type. */
START_TEST(the_last_writable_reference_is_noted)
{
    ck_assert_int_eq(get_page_and_type(&frames[2], DOM, PGT_writable), 0);
    ck_assert_int_eq(get_page_and_type(&frames[2], DOM, PGT_writable), 0);
    put_page_and_type(&frames[2]);
    ck_assert_int_eq(gone[2], 0);
    put_page_and_type(&frames[2]);
    ck_assert_int_eq(gone[2], 1);
    ck_assert_int_eq(get_page_and_type(&frames[2], DOM, PGT_l1), 0);
    put_page_and_type(&frames[2]);
    ck_assert_int_eq(get_page_and_type(&frames[2], DOM, PGT_seg_desc), 0);
    put_page_and_type(&frames[2]);
    ck_assert_int_eq(gone[2], 1);
    assert_quiescent();
}
END_TEST

START_TEST(validation_takes_and_devalidation_drops_references)
{
    /* L2 (frame 3) -> L1 (frame 4) -> data 5 (rw) and 6 (ro). */
    ents[3][0] = (struct model_entry){4, true};
    ents[4][0] = (struct model_entry){5, true};
    ents[4][1] = (struct model_entry){6, false};
    ck_assert_int_eq(get_page_and_type(&frames[3], DOM, PGT_l2), 0);
    ck_assert_uint_eq(page_type(&frames[4]), PGT_l1);
    ck_assert_uint_eq(page_type(&frames[5]), PGT_writable);
    ck_assert_uint_eq(page_count(&frames[6]), 2);
    ck_assert_uint_eq(page_type(&frames[6]), PGT_none);
    /* A second user of the L2 does not validate it again. */
    ck_assert_int_eq(get_page_and_type(&frames[3], DOM, PGT_l2), 0);
    ck_assert_int_eq(validations, 2);
    put_page_and_type(&frames[3]);
    ck_assert_uint_eq(page_type(&frames[4]), PGT_l1);
    put_page_and_type(&frames[3]);
    assert_quiescent();
}
END_TEST

START_TEST(page_table_cannot_be_mapped_writable)
{
    /* L1 frame 8 maps frame 9, which is itself in use as an L1. */
    ents[8][0] = (struct model_entry){9, true};
    ck_assert_int_eq(get_page_and_type(&frames[9], DOM, PGT_l1), 0);
    ck_assert_int_eq(get_page_and_type(&frames[8], DOM, PGT_l1), -XEN_EBUSY);
    ck_assert_uint_eq(page_type(&frames[8]), PGT_none);
    /* Read-only is fine. */
    ents[8][0].rw = false;
    ck_assert_int_eq(get_page_and_type(&frames[8], DOM, PGT_l1), 0);
    put_page_and_type(&frames[8]);
    put_page_and_type(&frames[9]);
    assert_quiescent();
}
END_TEST

START_TEST(foreign_frame_refused_and_partial_validation_undone)
{
    ents[10][0] = (struct model_entry){11, true};
    ents[10][1] = (struct model_entry){12, false};
    ents[10][2] = (struct model_entry){NR - 1, false}; /* another domain's */
    ck_assert_int_eq(get_page_and_type(&frames[10], DOM, PGT_l1), -XEN_EINVAL);
    assert_quiescent();
}
END_TEST

START_TEST(self_mapping_read_only_table)
{
    ents[13][0] = (struct model_entry){13, false};
    ck_assert_int_eq(get_page_and_type(&frames[13], DOM, PGT_l1), 0);
    ck_assert_uint_eq(page_count(&frames[13]), 3);
    put_page_and_type(&frames[13]);
    assert_quiescent();
}
END_TEST

START_TEST(wrong_level_below_is_refused)
{
    /* An L2 entry must point at an L1; frame 15 is already an L2. */
    ents[14][0] = (struct model_entry){15, true};
    ck_assert_int_eq(get_page_and_type(&frames[15], DOM, PGT_l2), 0);
    ck_assert_int_eq(get_page_and_type(&frames[14], DOM, PGT_l2), -XEN_EBUSY);
    put_page_and_type(&frames[15]);
    assert_quiescent();
}
END_TEST

START_TEST(release_frees_on_last_reference)
{
    ck_assert(get_page(&frames[16], DOM)); /* e.g. a mapping */
    page_release(&frames[16]);
    ck_assert_int_eq(freed[16], 0);
    page_release(&frames[16]); /* idempotent: no second allocation ref */
    ck_assert_int_eq(freed[16], 0);
    put_page(&frames[16]);
    ck_assert_int_eq(freed[16], 1);
    /* A hypervisor page shared with the domain is never freed this way. */
    frames[17].count_info |= PGC_xen_heap;
    page_release(&frames[17]);
    ck_assert_int_eq(freed[17], 0);
}
END_TEST

START_TEST(deep_tree_tears_down_completely)
{
    /* L4 20 -> L3 21 -> L2 22 -> two L1s 23, 24 -> data 25..28. */
    ents[20][0] = (struct model_entry){21, true};
    ents[21][0] = (struct model_entry){22, true};
    ents[22][0] = (struct model_entry){23, true};
    ents[22][1] = (struct model_entry){24, true};
    ents[23][0] = (struct model_entry){25, true};
    ents[23][1] = (struct model_entry){26, true};
    ents[24][0] = (struct model_entry){27, false};
    ents[24][1] = (struct model_entry){28, true};
    ck_assert_int_eq(get_page_and_type(&frames[20], DOM, PGT_l4), 0);
    ck_assert_uint_eq(page_type(&frames[24]), PGT_l1);
    ck_assert_int_eq(get_page_and_type(&frames[25], DOM, PGT_l1), -XEN_EBUSY);
    put_page_and_type(&frames[20]);
    assert_quiescent();
}
END_TEST

/*
 * The SMP tests' tables: NR_L2 level-2 tables, each mapping two of NR_L1
 * level-1 tables (shared between them), each L1 mapping data frames,
 * some writable.
 */
#define NR_L2   4
#define NR_L1   6
#define NR_DATA 8
#define L2(i)   (i)
#define L1(i)   (NR_L2 + (i))
#define DATA(i) (NR_L2 + NR_L1 + (i))
#define THREADS 4
#define ROUNDS  40000

static void smp_tables(void)
{
    for (int i = 0; i < NR_L2; i++) {
        ents[L2(i)][0] = (struct model_entry){L1(i % NR_L1), true};
        ents[L2(i)][1] = (struct model_entry){L1((i + 1) % NR_L1), true};
    }
    for (int i = 0; i < NR_L1; i++)
        for (int j = 0; j < 3; j++)
            ents[L1(i)][j] = (struct model_entry){DATA((i + j) % NR_DATA), (i + j) % 3 != 0};
}

/* Hold on a little, so that other threads come by meanwhile. */
static void linger(void)
{
    for (int i = 0; i < 64; i++)
        __builtin_ia32_pause();
}

static void hold(int *counter, int idx, const int *excluded)
{
    __atomic_fetch_add(&counter[idx], 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&excluded[idx], __ATOMIC_SEQ_CST))
        violation();
}

static void let_go(int *counter, int idx)
{
    __atomic_fetch_sub(&counter[idx], 1, __ATOMIC_SEQ_CST);
}

/* A table type reference on f, checked while held. */
static void use_as_table(int f, unsigned long type)
{
    if (get_page_and_type(&frames[f], DOM, type))
        return;
    hold(held_table, f, held_writable);
    if (!(frames[f].type_info & PGT_validated) || page_type(&frames[f]) != type)
        violation();
    linger();
    let_go(held_table, f);
    put_page_and_type(&frames[f]);
}

static void use_writable(int f)
{
    if (get_page_and_type(&frames[f], DOM, PGT_writable))
        return;
    hold(held_writable, f, held_table);
    if (page_type(&frames[f]) != PGT_writable)
        violation();
    linger();
    let_go(held_writable, f);
    put_page_and_type(&frames[f]);
}

static void update_under_lock(int f)
{
    if (!get_page(&frames[f], DOM))
        violation();
    if (page_lock(&frames[f])) {
        if (__atomic_fetch_add(&lock_holders[f], 1, __ATOMIC_SEQ_CST))
            violation(); /* two holders of one page lock */
        if (!(frames[f].type_info & PGT_validated))
            violation();
        linger(); /* as long as an entry's update takes */
        __atomic_fetch_sub(&lock_holders[f], 1, __ATOMIC_SEQ_CST);
        page_unlock(&frames[f]);
    }
    put_page(&frames[f]);
}

static void *worker(void *arg)
{
    unsigned int seed = (unsigned int)(uintptr_t)arg;

    for (int round = 0; round < ROUNDS; round++) {
        int r = rand_r(&seed);
        int l2 = L2(r % NR_L2), l1 = L1(r % NR_L1), any = r % (NR_L2 + NR_L1 + NR_DATA);

        switch ((r >> 8) % 6) {
        case 0: /* pin an L2 (which validates its L1s), then unpin it */
            if (!get_page_and_type(&frames[l2], DOM, PGT_l2)) {
                if (page_pin(&frames[l2])) {
                    if (!page_unpin(&frames[l2]))
                        violation();
                } else {
                    put_page_and_type(&frames[l2]);
                }
            }
            break;
        case 1:
            use_as_table(l1, PGT_l1);
            break;
        case 2:
            use_as_table(l2, PGT_l2);
            break;
        case 3: /* writable: refused while it is a table, fine otherwise */
            use_writable(any);
            break;
        case 4:
            update_under_lock((r >> 12) & 1 ? l1 : l2);
            break;
        default:
            if (get_page(&frames[any], DOM))
                put_page(&frames[any]);
            else
                violation();
            break;
        }
    }
    return NULL;
}

START_TEST(many_cpus_one_set_of_tables)
{
    pthread_t t[THREADS];

    smp_tables();
    for (uintptr_t i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker, (void *)(i * 7919 + 1)), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    ck_assert_int_eq(violations, 0);
    for (int i = 0; i < NR; i++) {
        ck_assert_int_eq(freed[i], 0);
        ck_assert_uint_eq(frames[i].type_info, PGT_none);
    }
    assert_quiescent();
}
END_TEST

/* The allocation reference goes while others take and drop references:
 * the frame is freed exactly once, by whoever drops the last. */
static void *churn(void *arg)
{
    struct page_info *pg = arg;

    for (int i = 0; i < ROUNDS; i++)
        if (get_page(pg, DOM)) {
            if (get_page_type(pg, PGT_writable) == 0)
                put_page_type(pg);
            put_page(pg);
        }
    return NULL;
}

START_TEST(release_races_with_references)
{
    pthread_t t[THREADS];

    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, churn, &frames[DATA(0)]), 0);
    ck_assert(page_release(&frames[DATA(0)]));
    ck_assert(!page_release(&frames[DATA(0)]));
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    ck_assert_int_eq(freed[DATA(0)], 1);
    ck_assert_uint_eq(page_count(&frames[DATA(0)]), 0);
    ck_assert(!get_page(&frames[DATA(0)], DOM)); /* on its way to the heap */
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("page_type");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, general_refs_need_ownership);
    tcase_add_test(tc, writable_and_page_table_exclude_each_other);
    tcase_add_test(tc, the_last_writable_reference_is_noted);
    tcase_add_test(tc, validation_takes_and_devalidation_drops_references);
    tcase_add_test(tc, page_table_cannot_be_mapped_writable);
    tcase_add_test(tc, foreign_frame_refused_and_partial_validation_undone);
    tcase_add_test(tc, self_mapping_read_only_table);
    tcase_add_test(tc, wrong_level_below_is_refused);
    tcase_add_test(tc, release_frees_on_last_reference);
    tcase_add_test(tc, deep_tree_tears_down_completely);
    tcase_add_test(tc, many_cpus_one_set_of_tables);
    tcase_add_test(tc, release_races_with_references);
    tcase_set_timeout(tc, 120);
    return run_tcase("page_type", tc);
}
