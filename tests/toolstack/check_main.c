/*
 * Every Check suite of the xl.cfg parser (toolstack/cfg/) in one binary;
 * exits non-zero on any failure after Check's summary line.
 */
#include "cfg_test.h"
#include <stdlib.h>

int main(void)
{
    SRunner *sr = srunner_create(suite_good());
    int failed;

    srunner_add_suite(sr, suite_syntax());
    srunner_add_suite(sr, suite_keys());
    srunner_add_suite(sr, suite_devices());
    srunner_add_suite(sr, suite_units());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
