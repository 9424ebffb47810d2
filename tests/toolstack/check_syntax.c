/*
 * Malformed text: each case names the line and what was expected, and the
 * parse stops there (nothing is returned, nothing leaks).
 */
#include "cfg_test.h"

START_TEST(unterminated_string)
{
    ck_fails(MINIMAL "cmdline = 'console=hvc0\nmemory = 5\n",
             "d1.cfg:3: syntax error: unterminated string");
    ck_fails(MINIMAL "cmdline = \"abc", "d1.cfg:3: syntax error: unterminated string");
    ck_fails(MINIMAL "cmdline = 'ends in a backslash\\\n'",
             "d1.cfg:3: syntax error: unterminated string");
    /* The other quote kind does not close it. */
    ck_fails(MINIMAL "name = 'd1\"\n", "d1.cfg:3: syntax error: unterminated string");
}
END_TEST

START_TEST(missing_equals)
{
    ck_fails(MINIMAL "memory 512\n",
             "d1.cfg:3: syntax error: expected '=' after 'memory', got '512'");
    ck_fails("name 'd1'\n", "d1.cfg:1: syntax error: expected '=' after 'name', got a string");
    ck_fails(MINIMAL "vcpus\n",
             "d1.cfg:3: syntax error: expected '=' after 'vcpus', got end of line");
    ck_fails(MINIMAL "vcpus",
             "d1.cfg:3: syntax error: expected '=' after 'vcpus', got end of file");
    ck_fails(MINIMAL "memory == 5\n",
             "d1.cfg:3: syntax error: expected a value after 'memory =', got '='");
}
END_TEST

START_TEST(missing_value)
{
    ck_fails(MINIMAL "memory =\nvcpus = 1\n",
             "d1.cfg:3: syntax error: expected a value after 'memory =', got end of line");
    ck_fails(MINIMAL "memory = ;\n",
             "d1.cfg:3: syntax error: expected a value after 'memory =', got ';'");
    ck_fails(MINIMAL "extra +=",
             "d1.cfg:3: syntax error: expected a value after 'extra +=', got end of file");
    ck_fails(MINIMAL "on_crash = preserve\n",
             "d1.cfg:3: syntax error: expected a value after 'on_crash =', got 'preserve' "
             "(strings need quotes)");
}
END_TEST

START_TEST(unterminated_list)
{
    ck_fails(MINIMAL "disk = [ 'vdev=xvda,target=/a',\n  'vdev=xvdb,target=/b'\n",
             "d1.cfg:3: syntax error: unterminated list: no ']' before end of file");
    ck_fails(MINIMAL "vif = [\n",
             "d1.cfg:3: syntax error: unterminated list: no ']' before end of file");
    ck_fails(MINIMAL "vif = [ 'a', [ 'b' ]",
             "d1.cfg:3: syntax error: unterminated list: no ']' before end of file");
    /* The next statement is not a value: the list was never closed. */
    ck_fails(MINIMAL "disk = [ 'vdev=xvda,target=/a',\nmemory = 5\n",
             "d1.cfg:4: syntax error: expected a value or ']' in the list opened at line 3, got "
             "'memory'");
}
END_TEST

START_TEST(list_items_need_commas)
{
    ck_fails(
        MINIMAL "disk = [ 'a'\n 'b' ]\n",
        "d1.cfg:4: syntax error: expected ',' or ']' in the list opened at line 3, got a string");
    ck_fails(MINIMAL "cpus = [ 1 2 ]\n",
             "d1.cfg:3: syntax error: expected ',' or ']' in the list opened at line 3, got '2'");
    ck_fails(MINIMAL "cpus = [ , ]\n",
             "d1.cfg:3: syntax error: expected a value or ']' in the list opened at line 3, got "
             "','");
    ck_fails(MINIMAL "cpus = [ 1,, ]\n",
             "d1.cfg:3: syntax error: expected a value or ']' in the list opened at line 3, got "
             "','");
}
END_TEST

START_TEST(one_statement_per_line)
{
    ck_fails(MINIMAL "memory = 5 vcpus = 1\n",
             "d1.cfg:3: syntax error: expected ';' or end of line after the value of 'memory', "
             "got 'vcpus'");
    ck_fails(MINIMAL "name = 'a' 'b'\n",
             "d1.cfg:3: syntax error: expected ';' or end of line after the value of 'name', got "
             "a string");
    ck_fails(MINIMAL "vif = [] ]\n",
             "d1.cfg:3: syntax error: expected ';' or end of line after the value of 'vif', got "
             "']'");
}
END_TEST

START_TEST(statement_must_start_with_a_key)
{
    ck_fails(MINIMAL "'memory' = 5\n", "d1.cfg:3: syntax error: expected a key, got a string");
    ck_fails(MINIMAL "= 5\n", "d1.cfg:3: syntax error: expected a key, got '='");
    ck_fails(MINIMAL "512\n", "d1.cfg:3: syntax error: expected a key, got '512'");
    ck_fails(MINIMAL "]\n", "d1.cfg:3: syntax error: expected a key, got ']'");
}
END_TEST

START_TEST(bad_characters)
{
    ck_fails(MINIMAL "memory = 5 * 2\n", "d1.cfg:3: syntax error: unexpected character '*'");
    ck_fails(MINIMAL "@x = 1\n", "d1.cfg:3: syntax error: unexpected character '@'");
    ck_fails(MINIMAL "memory = -\n", "d1.cfg:3: syntax error: unexpected character '-'");
    ck_fails(MINIMAL "x + 1\n", "d1.cfg:3: syntax error: unexpected character '+'");
    ck_fails(MINIMAL "name = \x01\n", "d1.cfg:3: syntax error: unexpected byte 0x01");
    /* Python, which old xend configurations were. */
    ck_fails(MINIMAL "memory = (512)\n", "d1.cfg:3: syntax error: unexpected character '('");
}
END_TEST

START_TEST(nul_byte_in_text)
{
    static const char text[] = "name = 'd1'\nkernel = '/k\0'\n";
    static const char text2[] = "name = 'd1'\n\0\n";
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(xlcfg_parse("d1.cfg", text, sizeof(text) - 1, NULL, 0, &dc, &diag),
                     -XEN_EINVAL);
    ck_assert_str_eq(first_msg(&diag, XLCFG_ERROR),
                     "d1.cfg:2: syntax error: a string may not contain a NUL character");
    ck_assert_int_eq(xlcfg_parse("d1.cfg", text2, sizeof(text2) - 1, NULL, 0, &dc, &diag),
                     -XEN_EINVAL);
    ck_assert_str_eq(first_msg(&diag, XLCFG_ERROR), "d1.cfg:2: syntax error: unexpected byte 0x00");
}
END_TEST

START_TEST(bad_escapes)
{
    ck_fails(MINIMAL "extra = 'a\\qb'\n",
             "d1.cfg:3: syntax error: unknown escape '\\q' in a string");
    ck_fails(MINIMAL "extra = 'a\\x4'\n",
             "d1.cfg:3: syntax error: \\x in a string needs two hex digits");
    ck_fails(MINIMAL "extra = 'a\\xg1'\n",
             "d1.cfg:3: syntax error: \\x in a string needs two hex digits");
    ck_fails(MINIMAL "extra = 'a\\0b'\n",
             "d1.cfg:3: syntax error: a string may not contain a NUL character");
    ck_fails(MINIMAL "extra = 'a\\x00'\n",
             "d1.cfg:3: syntax error: a string may not contain a NUL character");
    ck_fails(MINIMAL "extra = '\\777'\n",
             "d1.cfg:3: syntax error: octal escape in a string is above \\377");
}
END_TEST

START_TEST(lists_nest_only_so_deep)
{
    ck_fails(MINIMAL "x = [[[[[[[[[[ ]]]]]]]]]]\n",
             "d1.cfg:3: syntax error: lists nested more than 8 deep");
}
END_TEST

START_TEST(append_mixes_types)
{
    ck_fails(MINIMAL "extra = 'a'\nextra += ['b']\n",
             "d1.cfg:4: extra: '+=' can only add a string to a string or a list to a list");
    ck_fails(MINIMAL "memory = 5\nmemory += 6\n",
             "d1.cfg:4: memory: '+=' can only add a string to a string or a list to a list");
}
END_TEST

START_TEST(errors_in_overrides)
{
    char *ov1[] = {"memory=512", "vcpus"};
    char *ov2[] = {"memory='lots'"};
    char *ov3[] = {"extra='x"};

    ck_fails_ov(MINIMAL, ov1, 2,
                "<command line>:2: syntax error: expected '=' after 'vcpus', got end of file");
    ck_fails_ov(MINIMAL, ov2, 1, "<command line>:1: memory: expected a number, got 'lots'");
    ck_fails_ov(MINIMAL, ov3, 1, "<command line>:1: syntax error: unterminated string");
}
END_TEST

START_TEST(first_syntax_error_stops_the_parse)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    /* No further messages: not the bad line 4, not the missing kernel. */
    ck_assert_int_eq(parse("name = 'd1'\nmemory 5\nvcpus = 'x'\n", &dc, &diag), -XEN_EINVAL);
    ck_assert_uint_eq(diag.errors, 1);
    ck_assert_uint_eq(diag.n, 1);
    ck_assert_int_eq(diag.msg[0].severity, XLCFG_ERROR);
}
END_TEST

Suite *suite_syntax(void)
{
    Suite *s = suite_create("xlcfg-syntax");
    TCase *tc = tcase_create("syntax");

    tcase_add_test(tc, unterminated_string);
    tcase_add_test(tc, missing_equals);
    tcase_add_test(tc, missing_value);
    tcase_add_test(tc, unterminated_list);
    tcase_add_test(tc, list_items_need_commas);
    tcase_add_test(tc, one_statement_per_line);
    tcase_add_test(tc, statement_must_start_with_a_key);
    tcase_add_test(tc, bad_characters);
    tcase_add_test(tc, nul_byte_in_text);
    tcase_add_test(tc, bad_escapes);
    tcase_add_test(tc, lists_nest_only_so_deep);
    tcase_add_test(tc, append_mixes_types);
    tcase_add_test(tc, errors_in_overrides);
    tcase_add_test(tc, first_syntax_error_stops_the_parse);
    suite_add_tcase(s, tc);
    return s;
}
