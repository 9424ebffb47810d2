/*
 * The frame reference-count and type rules (hyp/mm/page_type.c) under
 * threads: several CPUs pinning and unpinning page tables that share
 * lower-level tables, mapping their frames writable, locking tables for
 * updates and taking plain references, all at once and on the same
 * frames. With a lock-free page_type.c this is where a lost count, a
 * frame that is a validated table and writable at the same time, or two
 * holders of one page lock would show.
 *
 * The model: NR_L2 level-2 tables, each mapping two of NR_L1 level-1
 * tables (shared between them), each L1 mapping data frames, some
 * writable. Every thread holds what it takes only briefly and checks,
 * while it holds it, what the rules promise.
 */
#include "mm/page_type.h"
#include "check_main.h"
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#define NR_L2   4
#define NR_L1   6
#define NR_DATA 8
#define NR      (NR_L2 + NR_L1 + NR_DATA)
#define L2(i)   (i)
#define L1(i)   (NR_L2 + (i))
#define DATA(i) (NR_L2 + NR_L1 + (i))
#define ENTS    3
#define DOM     7
#define THREADS 4
#define ROUNDS  40000

struct model_entry {
    int target;
    bool rw;
};

static struct page_info frames[NR];
static struct model_entry ents[NR][ENTS];
/* Per frame: threads holding a writable / a table type reference, or its
 * page lock, as counted by the threads themselves. */
static int held_writable[NR], held_table[NR], lock_holders[NR];
static int freed, violations;

static void violation(void)
{
    __atomic_fetch_add(&violations, 1, __ATOMIC_SEQ_CST);
}

static int take(const struct model_entry *e, unsigned int level)
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

static void drop(const struct model_entry *e, unsigned int level)
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
    int idx = (int)(pg - frames);

    /* Nobody may be writing a frame while it becomes a table. */
    if (__atomic_load_n(&held_writable[idx], __ATOMIC_SEQ_CST))
        violation();
    for (int i = 0; i < ENTS; i++) {
        int rc;
        if (ents[idx][i].target < 0)
            continue;
        rc = take(&ents[idx][i], pt_level(type));
        if (rc) {
            while (--i >= 0)
                if (ents[idx][i].target >= 0)
                    drop(&ents[idx][i], pt_level(type));
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
            drop(&ents[idx][i], pt_level(type));
}

static void do_free(struct page_info *pg)
{
    (void)pg;
    __atomic_fetch_add(&freed, 1, __ATOMIC_SEQ_CST);
}

static void flush_writable(struct page_info *pg)
{
    (void)pg;
}

static const struct page_type_ops smp_ops = {validate, devalidate, do_free, flush_writable, NULL};

static void setup(void)
{
    memset(frames, 0, sizeof(frames));
    memset(held_writable, 0, sizeof(held_writable));
    memset(held_table, 0, sizeof(held_table));
    memset(lock_holders, 0, sizeof(lock_holders));
    freed = violations = 0;
    for (int i = 0; i < NR; i++) {
        page_set_state(&frames[i], PGC_state_inuse);
        page_assign(&frames[i], DOM);
        for (int j = 0; j < ENTS; j++)
            ents[i][j].target = -1;
    }
    for (int i = 0; i < NR_L2; i++) {
        ents[L2(i)][0] = (struct model_entry){L1(i % NR_L1), true};
        ents[L2(i)][1] = (struct model_entry){L1((i + 1) % NR_L1), true};
    }
    for (int i = 0; i < NR_L1; i++)
        for (int j = 0; j < ENTS; j++)
            ents[L1(i)][j] = (struct model_entry){DATA((i + j) % NR_DATA), (i + j) % 3 != 0};
    page_type_set_ops(&smp_ops);
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
        int l2 = L2(r % NR_L2), l1 = L1(r % NR_L1), any = r % NR;

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

    for (uintptr_t i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker, (void *)(i * 7919 + 1)), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    ck_assert_int_eq(violations, 0);
    ck_assert_int_eq(freed, 0);
    for (int i = 0; i < NR; i++) {
        ck_assert_uint_eq(page_count(&frames[i]), 1);
        ck_assert_uint_eq(frames[i].type_info, PGT_none);
    }
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
    ck_assert_int_eq(freed, 1);
    ck_assert_uint_eq(page_count(&frames[DATA(0)]), 0);
    ck_assert(!get_page(&frames[DATA(0)], DOM)); /* on its way to the heap */
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("page_type_smp");

    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, many_cpus_one_set_of_tables);
    tcase_add_test(tc, release_races_with_references);
    return run_tcase("page_type_smp", tc);
}
