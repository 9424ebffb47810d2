/*
 * check_perms.c: Xen's permission model as guests (ring connections) see
 * it — owner rights, per-domain r/w/b/n entries, the default entry,
 * inheritance, what errors reveal, owner changes, SET_TARGET, and
 * dom0-only requests.
 */
#include <check.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

static struct th *t;
static struct th_client *d0, *g3, *g4;

static void setup(void)
{
    t = th_new();
    d0 = th_dom0(t);
    g3 = th_guest(t, 3);
    g4 = th_guest(t, 4);
    ck_assert_str_eq(th_do(d0, XS_MKDIR, 0, "/local/domain/3|"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, "/local/domain/3|n3|"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_MKDIR, 0, "/local/domain/4|"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, "/local/domain/4|n4|"), "OK|");
}

static void teardown(void)
{
    th_client_free(g3);
    th_client_free(g4);
    th_client_free(d0);
    th_free(t);
}

START_TEST(guest_owns_its_home_and_what_it_creates)
{
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "/local/domain/3/x|1"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_GET_PERMS, 0, "/local/domain/3/x|"), "n3|");
    /* relative paths resolve under /local/domain/<self> */
    ck_assert_str_eq(th_do(g3, XS_READ, 0, "x|"), "1");
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "y/z|2"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_READ, 0, "/local/domain/3/y/z|"), "2");
    ck_assert_str_eq(th_do(g3, XS_GET_PERMS, 0, "y|"), "n3|");
}
END_TEST

START_TEST(other_guest_is_denied)
{
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "/local/domain/3/x|1"), "OK|");
    ck_assert_str_eq(th_do(g4, XS_READ, 0, "/local/domain/3/x|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g4, XS_WRITE, 0, "/local/domain/3/x|2"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g4, XS_RM, 0, "/local/domain/3/x|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g4, XS_DIRECTORY, 0, "/local/domain/3|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g4, XS_GET_PERMS, 0, "/local/domain/3/x|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g4, XS_SET_PERMS, 0, "/local/domain/3/x|b4|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(d0, XS_READ, 0, "/local/domain/3/x|"), "1");
}
END_TEST

START_TEST(missing_node_under_unreadable_parent_is_eacces)
{
    /* ENOENT would leak that the node does not exist */
    ck_assert_str_eq(th_do(g4, XS_READ, 0, "/local/domain/3/nope|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g3, XS_READ, 0, "/local/domain/3/nope|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(g4, XS_WRITE, 0, "/local/domain/3/new|v"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g4, XS_MKDIR, 0, "/elsewhere|"), "ERR:EACCES");
}
END_TEST

START_TEST(read_write_both_none_entries)
{
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "/local/domain/3/r|v"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "/local/domain/3/w|v"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "/local/domain/3/b|v"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_SET_PERMS, 0, "/local/domain/3/r|n3|r4|"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_SET_PERMS, 0, "/local/domain/3/w|n3|w4|"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_SET_PERMS, 0, "/local/domain/3/b|n3|b4|"), "OK|");
    ck_assert_str_eq(th_do(g4, XS_READ, 0, "/local/domain/3/r|"), "v");
    ck_assert_str_eq(th_do(g4, XS_WRITE, 0, "/local/domain/3/r|x"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g4, XS_READ, 0, "/local/domain/3/w|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g4, XS_WRITE, 0, "/local/domain/3/w|x"), "OK|");
    ck_assert_str_eq(th_do(g4, XS_READ, 0, "/local/domain/3/b|"), "v");
    ck_assert_str_eq(th_do(g4, XS_WRITE, 0, "/local/domain/3/b|x"), "OK|");
    /* writing does not make g4 the owner: still owned by 3 */
    ck_assert_str_eq(th_do(g4, XS_GET_PERMS, 0, "/local/domain/3/b|"), "n3|b4|");
    /* a child g4 creates under a node it may write is g4's */
    ck_assert_str_eq(th_do(g4, XS_WRITE, 0, "/local/domain/3/b/mine|m"), "OK|");
    ck_assert_str_eq(th_do(g4, XS_GET_PERMS, 0, "/local/domain/3/b/mine|"), "n4|b4|");
}
END_TEST

START_TEST(default_entry_applies_to_unlisted_domains)
{
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "/local/domain/3/pub|v"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_SET_PERMS, 0, "/local/domain/3/pub|r3|n4|"), "OK|");
    ck_assert_str_eq(th_do(g4, XS_READ, 0, "/local/domain/3/pub|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g3, XS_SET_PERMS, 0, "/local/domain/3/pub|r3|"), "OK|");
    ck_assert_str_eq(th_do(g4, XS_READ, 0, "/local/domain/3/pub|"), "v");
}
END_TEST

START_TEST(only_dom0_changes_owner)
{
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "/local/domain/3/o|v"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_SET_PERMS, 0, "/local/domain/3/o|n4|"), "ERR:EPERM");
    ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, "/local/domain/3/o|n4|"), "OK|");
    ck_assert_str_eq(th_do(g4, XS_READ, 0, "/local/domain/3/o|"), "v");
    ck_assert_str_eq(th_do(g3, XS_READ, 0, "/local/domain/3/o|"), "ERR:EACCES");
}
END_TEST

START_TEST(privileged_requests_are_dom0_only)
{
    ck_assert_str_eq(th_do(g3, XS_INTRODUCE, 0, "5|4101|7|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g3, XS_RELEASE, 0, "4|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g3, XS_RESUME, 0, "4|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g3, XS_SET_TARGET, 0, "3|4|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g3, XS_IS_DOMAIN_INTRODUCED, 0, "4|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g3, XS_CONTROL, 0, "check|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g3, XS_GET_DOMAIN_PATH, 0, "4|"), "/local/domain/4|");
}
END_TEST

START_TEST(target_acts_as_its_target)
{
    ck_assert_str_eq(th_do(g4, XS_WRITE, 0, "/local/domain/4/dev|d"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_READ, 0, "/local/domain/4/dev|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(d0, XS_SET_TARGET, 0, "3|4|"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_READ, 0, "/local/domain/4/dev|"), "d");
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "/local/domain/4/dev|e"), "OK|");
    ck_assert_str_eq(th_do(g4, XS_READ, 0, "/local/domain/4/dev|"), "e");
}
END_TEST

START_TEST(special_watch_nodes_need_permission)
{
    /* only their owner (dom0) sets their permissions; nobody reads them */
    ck_assert_str_eq(th_do(g3, XS_SET_PERMS, 0, "@introduceDomain|n0|r3|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, "@introduceDomain|n0|r3|"), "OK|");
    ck_assert_str_eq(th_do(g3, XS_SET_PERMS, 0, "@introduceDomain|n0|r3|"), "ERR:EACCES");
    ck_assert_str_eq(th_do(g3, XS_GET_PERMS, 0, "@introduceDomain|"), "ERR:EINVAL");
    ck_assert_str_eq(th_do(g3, XS_READ, 0, "@introduceDomain|"), "ERR:EINVAL");
}
END_TEST

START_TEST(release_removes_owned_nodes_and_grants)
{
    ck_assert_str_eq(th_do(g3, XS_WRITE, 0, "/local/domain/3/data/x|1"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_WRITE, 0, "/local/domain/3/data/by-dom0|2"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_WRITE, 0, "/shared|s"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_SET_PERMS, 0, "/shared|n0|r3|r4|"), "OK|");
    ck_assert_str_eq(th_do(d0, XS_WATCH, 0, "/local/domain/3|w|"), "OK|");
    ck_assert_str_eq(th_event(d0), "/local/domain/3|w|");
    ck_assert_str_eq(th_do(d0, XS_RELEASE, 0, "3|"), "OK|");
    /* everything 3 owned is gone, with what others put below it */
    ck_assert_str_eq(th_do(d0, XS_READ, 0, "/local/domain/3|"), "ERR:ENOENT");
    ck_assert_str_eq(th_do(d0, XS_DIRECTORY, 0, "/local/domain|"), "4|");
    ck_assert_str_eq(th_event(d0), "/local/domain/3|w|");
    /* a later domain 3 inherits no grant */
    ck_assert_str_eq(th_do(d0, XS_GET_PERMS, 0, "/shared|"), "n0|r4|");
    ck_assert_str_eq(th_do(d0, XS_CONTROL, 0, "check|"), "OK|");
}
END_TEST

Suite *suite_perms(void)
{
    Suite *s = suite_create("perms");
    TCase *tc = tcase_create("perms");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, guest_owns_its_home_and_what_it_creates);
    tcase_add_test(tc, other_guest_is_denied);
    tcase_add_test(tc, missing_node_under_unreadable_parent_is_eacces);
    tcase_add_test(tc, read_write_both_none_entries);
    tcase_add_test(tc, default_entry_applies_to_unlisted_domains);
    tcase_add_test(tc, only_dom0_changes_owner);
    tcase_add_test(tc, privileged_requests_are_dom0_only);
    tcase_add_test(tc, target_acts_as_its_target);
    tcase_add_test(tc, special_watch_nodes_need_permission);
    tcase_add_test(tc, release_removes_owned_nodes_and_grants);
    suite_add_tcase(s, tc);
    return s;
}
