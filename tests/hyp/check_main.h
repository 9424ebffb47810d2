/*
 * The tail of every tests/hyp main(): run one test case as its own suite
 * and turn Check's verdict into the exit status run-suites.sh reads.
 */
#ifndef TESTS_HYP_CHECK_MAIN_H
#define TESTS_HYP_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

static inline int run_tcase(const char *name, TCase *tc)
{
    Suite *s = suite_create(name);
    SRunner *sr;
    int failed;

    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
