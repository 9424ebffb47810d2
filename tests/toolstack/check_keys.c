/*
 * Well-formed text with wrong values: types, ranges, the checks between
 * keys, required keys. Each message names file, line and key.
 */
#include "cfg_test.h"
#include <stdio.h>

START_TEST(string_where_a_number_is_wanted)
{
    ck_fails(MINIMAL "\n\n\n\nmemory = 'lots'\n",
             "d1.cfg:7: memory: expected a number, got 'lots'");
    /* Stricter than xl: a quoted number is still a string. */
    ck_fails(MINIMAL "vcpus = \"2\"\n", "d1.cfg:3: vcpus: expected a number, got '2'");
    ck_fails(MINIMAL "cpu_weight = [ 1 ]\n", "d1.cfg:3: cpu_weight: expected a number, got a list");
}
END_TEST

START_TEST(malformed_numbers)
{
    ck_fails(MINIMAL "memory = 512M\n", "d1.cfg:3: memory: '512M' is not a number");
    ck_fails(MINIMAL "memory = 1.5\n", "d1.cfg:3: memory: '1.5' is not a number");
    ck_fails(MINIMAL "memory = 0x\n", "d1.cfg:3: memory: '0x' is not a number");
    ck_fails(MINIMAL "memory = 09\n", "d1.cfg:3: memory: '09' is not a number");
    ck_fails(MINIMAL "memory = 12abc\n", "d1.cfg:3: memory: '12abc' is not a number");
}
END_TEST

START_TEST(number_too_big)
{
    ck_fails(MINIMAL "memory = 99999999999999999999\n",
             "d1.cfg:3: memory: number '99999999999999999999' is too big");
    ck_fails(MINIMAL "memory = 0x10000000000000000\n",
             "d1.cfg:3: memory: number '0x10000000000000000' is too big");
    ck_fails(MINIMAL "cap = -9223372036854775809\n",
             "d1.cfg:3: cap: number '-9223372036854775809' is too big");
    ck_fails(MINIMAL "memory = 16777217\n",
             "d1.cfg:3: memory: 16777217 is out of range (1..16777216)");
    ck_fails(MINIMAL "memory = 9223372036854775807\n",
             "d1.cfg:3: memory: 9223372036854775807 is out of range (1..16777216)");
}
END_TEST

START_TEST(numbers_out_of_range)
{
    ck_fails(MINIMAL "memory = 0\n", "d1.cfg:3: memory: 0 is out of range (1..16777216)");
    ck_fails(MINIMAL "maxmem = -1\n", "d1.cfg:3: maxmem: -1 is out of range (1..16777216)");
    ck_fails(MINIMAL "vcpus = 0\n", "d1.cfg:3: vcpus: 0 is out of range (1..32)");
    ck_fails(MINIMAL "maxvcpus = 33\n", "d1.cfg:3: maxvcpus: 33 is out of range (1..32)");
    ck_fails(MINIMAL "cpu_weight = 0\n", "d1.cfg:3: cpu_weight: 0 is out of range (1..65535)");
    ck_fails(MINIMAL "cpu_weight = 65536\n",
             "d1.cfg:3: cpu_weight: 65536 is out of range (1..65535)");
    ck_fails(MINIMAL "cap = -5\n", "d1.cfg:3: cap: -5 is out of range (0..3200)");
    ck_fails(MINIMAL "sedf_period = 0\n", "d1.cfg:3: sedf_period: 0 is out of range (1..10000)");
    ck_fails(MINIMAL "sedf_slice = 10001\n",
             "d1.cfg:3: sedf_slice: 10001 is out of range (1..10000)");
    ck_fails(MINIMAL "sedf_latency = -1\n",
             "d1.cfg:3: sedf_latency: -1 is out of range (0..10000)");
    ck_fails(MINIMAL "max_grant_version = 3\n",
             "d1.cfg:3: max_grant_version: 3 is out of range (1..2)");
}
END_TEST

START_TEST(list_where_a_string_is_wanted)
{
    ck_fails(MINIMAL "extra = [ 'a' ]\n", "d1.cfg:3: extra: expected a string, got a list");
    ck_fails("name = ['d1']\nkernel = '/k'\n", "d1.cfg:1: name: expected a string, got a list");
    ck_fails(MINIMAL "on_crash = []\n", "d1.cfg:3: on_crash: expected a string, got a list");
}
END_TEST

START_TEST(maxmem_below_memory)
{
    ck_fails(MINIMAL "memory = 512\nmaxmem = 256\n",
             "d1.cfg:4: maxmem: 256 is less than memory (512)");
    /* An override that makes it so names the override. */
    {
        char *ov[] = {"memory = 1024"};

        ck_fails_ov(MINIMAL "memory = 512\nmaxmem = 768\n", ov, 1,
                    "d1.cfg:4: maxmem: 768 is less than memory (1024)");
    }
    {
        char *ov[] = {"memory = 1024", "maxmem=1000"};

        ck_fails_ov(MINIMAL "memory = 512\nmaxmem = 768\n", ov, 2,
                    "<command line>:2: maxmem: 1000 is less than memory (1024)");
    }
}
END_TEST

START_TEST(vcpus_above_maxvcpus)
{
    ck_fails(MINIMAL "maxvcpus = 2\nvcpus = 4\n", "d1.cfg:3: maxvcpus: 2 is less than vcpus (4)");
}
END_TEST

START_TEST(cap_above_the_vcpus)
{
    ck_fails(MINIMAL "vcpus = 2\ncap = 201\n",
             "d1.cfg:4: cap: 201 is more than 200 (100 for each of 2 vCPUs)");
    ck_fails(MINIMAL "cap = 101\n",
             "d1.cfg:3: cap: 101 is more than 100 (100 for each of 1 vCPUs)");
}
END_TEST

START_TEST(sedf_pairs)
{
    ck_fails(MINIMAL "sedf_slice = 5\n", "d1.cfg:3: sedf_slice: needs sedf_period too");
    ck_fails(MINIMAL "sedf_period = 5\n", "d1.cfg:3: sedf_period: needs sedf_slice too");
    ck_fails(MINIMAL "sedf_period = 20\nsedf_slice = 30\n",
             "d1.cfg:4: sedf_slice: 30 is more than sedf_period (20)");
    ck_fails(MINIMAL "sedf_extratime = 'yes'\n",
             "d1.cfg:3: sedf_extratime: expected a number, got 'yes'");
}
END_TEST

START_TEST(bad_cpus)
{
    ck_fails(MINIMAL "cpus = '0-3,^x'\n", "d1.cfg:3: cpus: bad CPU list term '^x'");
    ck_fails(MINIMAL "cpus = '64'\n", "d1.cfg:3: cpus: CPU 64 is out of range (0..63)");
    ck_fails(MINIMAL "cpus = '2-99999999999'\n",
             "d1.cfg:3: cpus: CPU number in '2-99999999999' is out of range (0..63)");
    ck_fails(MINIMAL "cpus = '5-3'\n", "d1.cfg:3: cpus: bad CPU range '5-3': 5 > 3");
    ck_fails(MINIMAL "cpus = '1,,2'\n", "d1.cfg:3: cpus: empty term in CPU list '1,,2'");
    ck_fails(MINIMAL "cpus = ''\n", "d1.cfg:3: cpus: empty term in CPU list ''");
    ck_fails(MINIMAL "cpus = '0-3,^0-3'\n", "d1.cfg:3: cpus: CPU list '0-3,^0-3' leaves no CPU");
    ck_fails(MINIMAL "cpus = '1-'\n", "d1.cfg:3: cpus: bad CPU list term '1-'");
    ck_fails(MINIMAL "cpus = 'node:1'\n",
             "d1.cfg:3: cpus: NUMA node terms are not supported ('node:1')");
    ck_fails(MINIMAL "cpus = []\n", "d1.cfg:3: cpus: the list is empty");
    ck_fails(MINIMAL "cpus = [ '1',\n  '2-x' ]\n", "d1.cfg:4: cpus[1]: bad CPU list term '2-x'");
    ck_fails(MINIMAL "cpus = [ ['1'] ]\n", "d1.cfg:3: cpus[0]: expected a string, got a list");
    ck_fails(MINIMAL "cpus = [ '1', '2' ]\n", "d1.cfg:3: cpus: 2 entries for 1 vCPUs");
}
END_TEST

START_TEST(bad_uuid)
{
    ck_fails(MINIMAL "uuid = '6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6'\n",
             "d1.cfg:3: uuid: '6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6' is not a UUID "
             "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    ck_fails(MINIMAL "uuid = '6f1c2a8e3b4d4e5f9a0b1c2d3e4f5a6b'\n",
             "d1.cfg:3: uuid: '6f1c2a8e3b4d4e5f9a0b1c2d3e4f5a6b' is not a UUID "
             "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    ck_fails(MINIMAL "uuid = '6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6bb'\n",
             "d1.cfg:3: uuid: '6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6bb' is not a UUID "
             "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
}
END_TEST

START_TEST(only_pv_guests)
{
    ck_fails(MINIMAL "type = 'hvm'\n",
             "d1.cfg:3: type: 'hvm' guests are not supported: Paravane runs PV guests only");
    ck_fails(MINIMAL "type = 'pvh'\n",
             "d1.cfg:3: type: 'pvh' guests are not supported: Paravane runs PV guests only");
    ck_fails(MINIMAL "type = 'hvn'\n", "d1.cfg:3: type: unknown guest type 'hvn' (only 'pv')");
    ck_fails(MINIMAL "builder = 'hvm'\n",
             "d1.cfg:3: builder: 'hvm' guests are not supported: Paravane runs PV guests only");
    ck_fails(MINIMAL "builder = 'linux'\n",
             "d1.cfg:3: builder: unknown builder 'linux' (only 'generic', which is PV)");
}
END_TEST

START_TEST(bad_actions)
{
    ck_fails(MINIMAL "on_reboot = 'reboot'\n",
             "d1.cfg:3: on_reboot: unknown action 'reboot' (destroy, restart, rename-restart, "
             "preserve, coredump-destroy or coredump-restart)");
    ck_fails(MINIMAL "on_poweroff = 'soft-reset'\n",
             "d1.cfg:3: on_poweroff: 'soft-reset' is for HVM guests, not PV");
}
END_TEST

START_TEST(bad_strings)
{
    ck_fails("name = ''\nkernel = '/k'\n", "d1.cfg:1: name: must not be empty");
    ck_fails("name = 42\nkernel = '/k'\n",
             "d1.cfg:1: name: '42' is all digits, which commands would read as a domain id");
    ck_fails("name = 'a\\tb'\nkernel = '/k'\n", "d1.cfg:1: name: contains a control character");
    ck_fails("name = 'd1'\nkernel = ''\n", "d1.cfg:2: kernel: must not be empty");
    ck_fails(MINIMAL "ramdisk = \"\"\n", "d1.cfg:3: ramdisk: must not be empty");
}
END_TEST

START_TEST(missing_required_keys)
{
    ck_fails("kernel = '/k'\nmemory = 64\n", "d1.cfg: missing required key 'name'");
    ck_fails("name = 'd1'\nmemory = 64\n", "d1.cfg: missing required key 'kernel'");
}
END_TEST

START_TEST(all_key_errors_are_reported)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    const char *text = "memory = 'a'\n"
                       "vcpus = 99\n"
                       "foo = 1\n"
                       "on_crash = 'x'\n"
                       "maxmem = 1\n";

    ck_assert_int_eq(parse(text, &dc, &diag), -XEN_EINVAL);
    ck_assert_uint_eq(diag.warnings, 1);
    ck_assert_uint_eq(diag.errors, 5);
    ck_assert_str_eq(diag.msg[0].text, "d1.cfg:3: warning: unknown key 'foo'");
    ck_assert_str_eq(diag.msg[1].text, "d1.cfg:1: memory: expected a number, got 'a'");
    ck_assert_str_eq(diag.msg[2].text, "d1.cfg:2: vcpus: 99 is out of range (1..32)");
    ck_assert_str_eq(diag.msg[3].text,
                     "d1.cfg:4: on_crash: unknown action 'x' (destroy, restart, rename-restart, "
                     "preserve, coredump-destroy or coredump-restart)");
    ck_assert_str_eq(diag.msg[4].text, "d1.cfg: missing required key 'name'");
    ck_assert_str_eq(diag.msg[5].text, "d1.cfg: missing required key 'kernel'");
    /* maxmem < memory is not judged: memory has no value. */
    ck_assert_uint_eq(diag.n, 6);
    ck_assert_ptr_null(dc.kernel);
}
END_TEST

Suite *suite_keys(void)
{
    Suite *s = suite_create("xlcfg-keys");
    TCase *tc = tcase_create("keys");

    tcase_add_test(tc, string_where_a_number_is_wanted);
    tcase_add_test(tc, malformed_numbers);
    tcase_add_test(tc, number_too_big);
    tcase_add_test(tc, numbers_out_of_range);
    tcase_add_test(tc, list_where_a_string_is_wanted);
    tcase_add_test(tc, maxmem_below_memory);
    tcase_add_test(tc, vcpus_above_maxvcpus);
    tcase_add_test(tc, cap_above_the_vcpus);
    tcase_add_test(tc, sedf_pairs);
    tcase_add_test(tc, bad_cpus);
    tcase_add_test(tc, bad_uuid);
    tcase_add_test(tc, only_pv_guests);
    tcase_add_test(tc, bad_actions);
    tcase_add_test(tc, bad_strings);
    tcase_add_test(tc, missing_required_keys);
    tcase_add_test(tc, all_key_errors_are_reported);
    suite_add_tcase(s, tc);
    return s;
}
