/*
 * check_tree.c: the RCU node index on its own — node versions, and readers
 * in other threads looking nodes up while the writer replaces and removes
 * them: readers never block the writer, never see a torn node, and (under
 * ASan) never touch a freed one.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "private.h"
#include "suites.h"

static const struct xs_perm perm0 = {0, XS_PERM_NONE};

START_TEST(node_versions)
{
    struct xs_node *n = xs_node_new("/a", &perm0, 1, "v", 1, NULL, 0), *m, *k;

    ck_assert_str_eq(n->path, "/a");
    ck_assert_uint_eq(n->childlen, 0);
    m = xs_node_with_child(n, "x", true);
    k = xs_node_with_child(m, "y", true);
    ck_assert_uint_eq(k->childlen, 4);
    ck_assert_mem_eq(k->children, "x\0y\0", 4);
    ck_assert(xs_node_has_child(k, "y"));
    xs_node_free(m);
    m = xs_node_with_child(k, "x", false);
    ck_assert_uint_eq(m->childlen, 2);
    ck_assert_str_eq(m->children, "y");
    ck_assert(!xs_node_has_child(m, "x"));
    ck_assert_mem_eq(m->data, "v", 1);
    xs_node_free(m);
    xs_node_free(k);
    xs_node_free(n);
}
END_TEST

#define NKEYS 64

static struct xs_tree tree;
static volatile int done;

struct reader {
    pthread_t th;
    unsigned long lookups, hits, torn;
};

/* Each value is "<path>=<n>": a reader checks it belongs to the path. */
static void *reader_main(void *arg)
{
    struct reader *r = arg;
    unsigned i = 0;

    rcu_register_thread();
    while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
        char path[16];
        const struct xs_node *n;

        snprintf(path, sizeof(path), "/k%u", i++ % NKEYS);
        rcu_read_lock();
        n = xs_tree_lookup(&tree, path);
        if (n) {
            size_t pl = strlen(path);

            r->hits++;
            if (n->datalen < pl + 2 || memcmp(n->data, path, pl) != 0 || n->data[pl] != '=')
                r->torn++;
        }
        rcu_read_unlock();
        __atomic_add_fetch(&r->lookups, 1, __ATOMIC_RELAXED);
    }
    rcu_unregister_thread();
    return NULL;
}

START_TEST(readers_run_beside_the_writer)
{
    struct reader rd[2];
    unsigned i, round;

    rcu_register_thread();
    ck_assert_int_eq(xs_tree_init(&tree), 0);
    done = 0;
    memset(rd, 0, sizeof(rd));
    for (i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&rd[i].th, NULL, reader_main, &rd[i]), 0);
    /*
     * Write at least 3000 rounds, and on until each reader has done 2000
     * lookups while writes were going on: on a loaded machine a reader may
     * not run at once, and the point is that readers and writer overlap.
     */
    for (round = 0; round < 3000 || __atomic_load_n(&rd[0].lookups, __ATOMIC_RELAXED) < 2000 ||
                    __atomic_load_n(&rd[1].lookups, __ATOMIC_RELAXED) < 2000;
         round++) {
        char path[16], val[48];
        struct xs_node *n;
        int len;

        i = round % NKEYS;
        snprintf(path, sizeof(path), "/k%u", i);
        len = snprintf(val, sizeof(val), "%s=%u", path, round);
        rcu_read_lock();
        if (round % 7 == 3) {
            xs_tree_unpublish(&tree, path);
        } else {
            n = xs_node_new(path, &perm0, 1, val, (uint32_t)len, NULL, 0);
            ck_assert_ptr_nonnull(n);
            xs_tree_publish(&tree, n);
        }
        rcu_read_unlock();
    }
    __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
    for (i = 0; i < 2; i++) {
        pthread_join(rd[i].th, NULL);
        ck_assert_uint_ge(rd[i].lookups, 2000);
        ck_assert_uint_eq(rd[i].torn, 0);
    }
    ck_assert_uint_gt(rd[0].hits + rd[1].hits, 0);
    xs_tree_fini(&tree);
    rcu_unregister_thread();
}
END_TEST

Suite *suite_tree(void)
{
    Suite *s = suite_create("tree");
    TCase *tc = tcase_create("tree");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, node_versions);
    tcase_add_test(tc, readers_run_beside_the_writer);
    suite_add_tcase(s, tc);
    return s;
}
