/* suites.h: the Check suites of the xenstore-lite unit test binary. */
#ifndef XS_TEST_SUITES_H
#define XS_TEST_SUITES_H

#include <check.h>

Suite *suite_basic(void);
Suite *suite_perms(void);
Suite *suite_txn(void);
Suite *suite_watch(void);
Suite *suite_quota(void);
Suite *suite_malformed(void);
Suite *suite_ring(void);
Suite *suite_client(void);
Suite *suite_tree(void);

#endif
