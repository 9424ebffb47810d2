/*
 * check_main.c: runs every xenstore-lite Check suite; exits non-zero on
 * any failure after printing Check's summary line.
 */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_basic());
    int failed;

    srunner_add_suite(sr, suite_perms());
    srunner_add_suite(sr, suite_txn());
    srunner_add_suite(sr, suite_watch());
    srunner_add_suite(sr, suite_quota());
    srunner_add_suite(sr, suite_malformed());
    srunner_add_suite(sr, suite_ring());
    srunner_add_suite(sr, suite_client());
    srunner_add_suite(sr, suite_tree());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
