/*
 * Unit tests of the boot command-line parser (hyp/cmdline.c).
 */
#include "cmdline.h"
#include "check_main.h"
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

static bool flag;
static uint32_t count;
static uint8_t small;
static uint64_t size;
static char name[8];
static char custom_seen[32];
static int warnings;
static char last_warning[128];

static int custom(const char *v)
{
    if (!strcmp(v, "bad"))
        return -XEN_EINVAL;
    strncpy(custom_seen, v, sizeof(custom_seen) - 1);
    return 0;
}

static const struct boot_option opts[] = {
    {"flag", OPT_BOOL, &flag, sizeof(flag), NULL},
    {"count", OPT_UINT, &count, sizeof(count), NULL},
    {"small", OPT_UINT, &small, sizeof(small), NULL},
    {"dom0_mem", OPT_SIZE, &size, sizeof(size), NULL},
    {"sched", OPT_STR, name, sizeof(name), NULL},
    {"console", OPT_CUSTOM, NULL, 0, custom},
};

static void warn(const char *what, const char *n, const char *v)
{
    warnings++;
    snprintf(last_warning, sizeof(last_warning), "%s %s=%s", what, n, v);
}

static int parse(const char *s)
{
    return cmdline_parse_table(s, opts, opts + sizeof(opts) / sizeof(opts[0]), warn);
}

static void setup(void)
{
    flag = false;
    count = 7;
    small = 0;
    size = 0;
    memset(name, 0, sizeof(name));
    memset(custom_seen, 0, sizeof(custom_seen));
    warnings = 0;
    last_warning[0] = '\0';
}

START_TEST(parses_every_type)
{
    ck_assert_int_eq(parse("flag count=42 dom0_mem=512M sched=sedf console=com1"), 0);
    ck_assert(flag);
    ck_assert_uint_eq(count, 42);
    ck_assert_uint_eq(size, 512ULL << 20);
    ck_assert_str_eq(name, "sedf");
    ck_assert_str_eq(custom_seen, "com1");
    ck_assert_int_eq(warnings, 0);
}
END_TEST

START_TEST(booleans)
{
    ck_assert_int_eq(parse("flag=on"), 0);
    ck_assert(flag);
    ck_assert_int_eq(parse("no-flag"), 0);
    ck_assert(!flag);
    ck_assert_int_eq(parse("flag=true flag=0"), 0);
    ck_assert(!flag);
    ck_assert_int_eq(parse("flag=maybe"), 1);
    ck_assert_int_eq(parse("no-flag=1"), 1);
}
END_TEST

START_TEST(numbers_and_sizes)
{
    ck_assert_int_eq(parse("count=0x10 dom0_mem=4G"), 0);
    ck_assert_uint_eq(count, 16);
    ck_assert_uint_eq(size, 4ULL << 30);
    ck_assert_int_eq(parse("dom0_mem=1024"), 0);
    ck_assert_uint_eq(size, 1024);
    ck_assert_int_eq(parse("dom0_mem=64k"), 0);
    ck_assert_uint_eq(size, 65536);
}
END_TEST

START_TEST(malformed_values_leave_variables_alone)
{
    ck_assert_int_eq(parse("count=12abc count= count count=-1 dom0_mem=5Q"), 5);
    ck_assert_uint_eq(count, 7);
    ck_assert_uint_eq(size, 0);
    ck_assert_int_eq(warnings, 5);
}
END_TEST

START_TEST(overflow_is_refused)
{
    ck_assert_int_eq(parse("small=256"), 1);
    ck_assert_uint_eq(small, 0);
    ck_assert_int_eq(parse("small=255"), 0);
    ck_assert_uint_eq(small, 255);
    ck_assert_int_eq(parse("count=4294967296"), 1);
    ck_assert_uint_eq(count, 7);
    ck_assert_int_eq(parse("count=99999999999999999999999"), 1);
    ck_assert_int_eq(parse("dom0_mem=17179869184G"), 1);
}
END_TEST

START_TEST(strings_never_overflow_their_buffer)
{
    ck_assert_int_eq(parse("sched=credit2x"), 1); /* 8 chars + NUL > 8 */
    ck_assert_str_eq(name, "");
    ck_assert_int_eq(parse("sched=credit2"), 0);
    ck_assert_str_eq(name, "credit2");
}
END_TEST

START_TEST(unknown_options_are_reported)
{
    ck_assert_int_eq(parse("  flag   bogus=3 count=1\tno-such "), 2);
    ck_assert(flag);
    ck_assert_uint_eq(count, 1);
    ck_assert_int_eq(warnings, 2);
    ck_assert_str_eq(last_warning, "unknown option no-such=");
}
END_TEST

START_TEST(custom_handler_errors_are_reported)
{
    ck_assert_int_eq(parse("console=bad"), 1);
    ck_assert_str_eq(last_warning, "bad value for option console=bad");
}
END_TEST

START_TEST(overlong_token_is_skipped)
{
    char buf[600];
    memset(buf, 'x', sizeof(buf));
    memcpy(buf + sizeof(buf) - 8, " flag", 6);
    buf[sizeof(buf) - 2] = '\0';
    ck_assert_int_eq(parse(buf), 1);
    ck_assert(flag);
}
END_TEST

START_TEST(empty_and_null_lines)
{
    ck_assert_int_eq(parse(""), 0);
    ck_assert_int_eq(parse(NULL), 0);
    ck_assert_int_eq(parse("   "), 0);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("cmdline");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, parses_every_type);
    tcase_add_test(tc, booleans);
    tcase_add_test(tc, numbers_and_sizes);
    tcase_add_test(tc, malformed_values_leave_variables_alone);
    tcase_add_test(tc, overflow_is_refused);
    tcase_add_test(tc, strings_never_overflow_their_buffer);
    tcase_add_test(tc, unknown_options_are_reported);
    tcase_add_test(tc, custom_handler_errors_are_reported);
    tcase_add_test(tc, overlong_token_is_skipped);
    tcase_add_test(tc, empty_and_null_lines);
    return run_tcase("cmdline", tc);
}
