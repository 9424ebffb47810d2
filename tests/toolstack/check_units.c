/*
 * xlcfg_parse_mem_size_kb: the sizes vane mem-set and mem-max take, in
 * xl's units.
 */
#include "cfg_test.h"

START_TEST(sizes_in_xl_units)
{
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("256"), 256 * 1024);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("256m"), 256 * 1024);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("256M"), 256 * 1024);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("131072k"), 131072);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("2g"), 2 * 1024 * 1024);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("1T"), 1LL << 30);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("4096b"), 4);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("1023b"), 0);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("0"), 0);
}
END_TEST

START_TEST(not_sizes)
{
    const char *bad[] = {"", "m", "-1", "+5", " 5", "5x", "5mb", "5 m", "1.5g", "abc", NULL};

    for (int i = 0; bad[i]; i++)
        ck_assert_msg(xlcfg_parse_mem_size_kb(bad[i]) == -1, "'%s' taken", bad[i]);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb(NULL), -1);
}
END_TEST

START_TEST(too_big)
{
    /* 2^63 - 1 KiB is the most; beyond it, or overflowing a shift, is refused. */
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("9223372036854775807k"), INT64_MAX);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("9223372036854775808k"), -1);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("8589934591t"), 8589934591LL << 30);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("8589934592t"), -1);
    ck_assert_int_eq(xlcfg_parse_mem_size_kb("99999999999999999999"), -1);
}
END_TEST

Suite *suite_units(void)
{
    Suite *s = suite_create("units");
    TCase *tc = tcase_create("mem_size_kb");

    tcase_add_test(tc, sizes_in_xl_units);
    tcase_add_test(tc, not_sizes);
    tcase_add_test(tc, too_big);
    suite_add_tcase(s, tc);
    return s;
}
