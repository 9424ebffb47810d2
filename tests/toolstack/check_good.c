/*
 * Configurations that parse: the example demo.cfg field by field, the
 * defaults, every value form the grammar has, and command-line overrides.
 */
#include "cfg_test.h"
#include <stdio.h>
#include <stdlib.h>

#ifndef DEMO_CFG
#define DEMO_CFG "toolstack/examples/demo.cfg"
#endif

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static const uint8_t mac1[6] = {0x00, 0x16, 0x3e, 0x00, 0x00, 0x01};

START_TEST(demo_every_field)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    static const uint8_t uuid[16] = {0x6f, 0x1c, 0x2a, 0x8e, 0x3b, 0x4d, 0x4e, 0x5f,
                                     0x9a, 0x0b, 0x1c, 0x2d, 0x3e, 0x4f, 0x5a, 0x6b};
    size_t len;
    char *text = read_file(DEMO_CFG, &len);
    unsigned int v;

    ck_assert_int_eq(xlcfg_parse("demo.cfg", text, len, NULL, 0, &dc, &diag), 0);
    free(text);
    ck_assert_uint_eq(diag.n, 0);
    ck_assert_str_eq(dc.name, "demo");
    ck_assert(dc.has_uuid);
    ck_assert_mem_eq(dc.uuid, uuid, 16);
    ck_assert_str_eq(dc.kernel, "/boot/vmlinuz-guest");
    ck_assert_str_eq(dc.ramdisk, "/boot/initrd-guest.img");
    ck_assert_str_eq(dc.cmdline, "root=/dev/xvda1 ro console=hvc0 earlyprintk=xen");
    ck_assert_uint_eq(dc.memory_mib, 256);
    ck_assert_uint_eq(dc.maxmem_mib, 512);
    ck_assert_uint_eq(dc.vcpus, 2);
    ck_assert_uint_eq(dc.max_vcpus, 4);
    ck_assert(dc.cpus_set);
    for (v = 0; v < 4; v++)
        ck_assert_uint_eq(dc.cpu_affinity[v], 0xb);
    ck_assert_uint_eq(dc.cpu_affinity[4], 0);
    ck_assert_uint_eq(dc.cpu_weight, 512);
    ck_assert_uint_eq(dc.cap, 150);
    ck_assert(dc.sedf_set);
    ck_assert(dc.sedf_time_driven);
    ck_assert_uint_eq(dc.sedf_period_ns, 100000000ULL);
    ck_assert_uint_eq(dc.sedf_slice_ns, 10000000ULL);
    ck_assert_uint_eq(dc.sedf_latency_ns, 0);
    ck_assert(dc.sedf_extratime);
    ck_assert_int_eq(dc.on_poweroff, XLCFG_ACTION_DESTROY);
    ck_assert_int_eq(dc.on_reboot, XLCFG_ACTION_RESTART);
    ck_assert_int_eq(dc.on_crash, XLCFG_ACTION_PRESERVE);

    ck_assert_uint_eq(dc.n_disks, 3);
    ck_assert_str_eq(dc.disks[0].target, "/images/demo-root.img");
    ck_assert_str_eq(dc.disks[0].vdev, "xvda");
    ck_assert_int_eq(dc.disks[0].format, XLCFG_DISK_RAW);
    ck_assert(!dc.disks[0].readonly);
    ck_assert_str_eq(dc.disks[1].target, "/images/demo-data.img");
    ck_assert_str_eq(dc.disks[1].vdev, "xvdb");
    ck_assert(!dc.disks[1].readonly);
    ck_assert_str_eq(dc.disks[2].target, "/dev/loop0");
    ck_assert_str_eq(dc.disks[2].vdev, "xvdc");
    ck_assert(dc.disks[2].readonly);

    ck_assert_uint_eq(dc.n_vifs, 2);
    ck_assert(dc.vifs[0].has_mac);
    ck_assert_mem_eq(dc.vifs[0].mac, mac1, 6);
    ck_assert_str_eq(dc.vifs[0].bridge, "xenbr0");
    ck_assert_str_eq(dc.vifs[0].ip, "10.0.0.2");
    ck_assert(!dc.vifs[1].has_mac);
    ck_assert_str_eq(dc.vifs[1].bridge, "xenbr1");
    ck_assert_ptr_null(dc.vifs[1].ip);
    domain_config_free(&dc);
    ck_assert_ptr_null(dc.name);
    ck_assert_uint_eq(dc.n_disks, 0);
}
END_TEST

START_TEST(demo_with_overrides)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    char *ov[] = {"memory=384", "name = \"demo2\"", "vif += ['mac=00:16:3e:00:00:09']",
                  "cpus=\"all,^0\""};
    size_t len;
    char *text = read_file(DEMO_CFG, &len);

    ck_assert_int_eq(xlcfg_parse("demo.cfg", text, len, ov, 4, &dc, &diag), 0);
    free(text);
    ck_assert_uint_eq(diag.n, 0);
    ck_assert_uint_eq(dc.memory_mib, 384);
    ck_assert_uint_eq(dc.maxmem_mib, 512);
    ck_assert_str_eq(dc.name, "demo2");
    ck_assert_uint_eq(dc.n_vifs, 3);
    ck_assert_uint_eq(dc.vifs[2].mac[5], 9);
    ck_assert_uint_eq(dc.cpu_affinity[0], ~1ULL);
    domain_config_free(&dc);
}
END_TEST

START_TEST(minimal_gets_xl_defaults)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    unsigned int v;

    ck_assert_int_eq(parse(MINIMAL, &dc, &diag), 0);
    ck_assert_uint_eq(diag.n, 0);
    ck_assert_str_eq(dc.name, "d1");
    ck_assert_str_eq(dc.kernel, "/boot/vmlinuz");
    ck_assert_ptr_null(dc.ramdisk);
    ck_assert_ptr_null(dc.cmdline);
    ck_assert(!dc.has_uuid);
    ck_assert_uint_eq(dc.memory_mib, XLCFG_DEFAULT_MEMORY_MIB);
    ck_assert_uint_eq(dc.maxmem_mib, XLCFG_DEFAULT_MEMORY_MIB);
    ck_assert_uint_eq(dc.vcpus, 1);
    ck_assert_uint_eq(dc.max_vcpus, 1);
    ck_assert(!dc.cpus_set);
    ck_assert_uint_eq(dc.cpu_affinity[0], ~0ULL);
    for (v = 1; v < XLCFG_MAX_VCPUS; v++)
        ck_assert_uint_eq(dc.cpu_affinity[v], 0);
    ck_assert_int_eq(dc.on_poweroff, XLCFG_ACTION_DESTROY);
    ck_assert_int_eq(dc.on_reboot, XLCFG_ACTION_RESTART);
    ck_assert_int_eq(dc.on_crash, XLCFG_ACTION_DESTROY);
    ck_assert_uint_eq(dc.cpu_weight, 256);
    ck_assert_uint_eq(dc.cap, 0);
    ck_assert(!dc.sedf_set);
    ck_assert(!dc.sedf_time_driven);
    ck_assert(!dc.sedf_extratime);
    ck_assert_uint_eq(dc.n_disks, 0);
    ck_assert_ptr_null(dc.disks);
    ck_assert_uint_eq(dc.n_vifs, 0);
    domain_config_free(&dc);
}
END_TEST

START_TEST(memory_and_vcpu_defaults_follow_each_other)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse(MINIMAL "memory = 300\nvcpus = 3\n", &dc, &diag), 0);
    ck_assert_uint_eq(dc.maxmem_mib, 300);
    ck_assert_uint_eq(dc.max_vcpus, 3);
    domain_config_free(&dc);
    /* maxmem= alone: the guest starts at it (libxl's target = max). */
    ck_assert_int_eq(parse(MINIMAL "maxmem = 1024\nmaxvcpus = 8\n", &dc, &diag), 0);
    ck_assert_uint_eq(dc.memory_mib, 1024);
    ck_assert_uint_eq(dc.maxmem_mib, 1024);
    ck_assert_uint_eq(dc.vcpus, 1);
    ck_assert_uint_eq(dc.max_vcpus, 8);
    domain_config_free(&dc);
}
END_TEST

START_TEST(quotes_and_escapes)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    const char *text = "name = \"it's \\\"d1\\\"\"\n"
                       "kernel = '/boot/a\\'b\\\\c'\n"
                       "cmdline = 'x\\ty\\x41\\101\\7z\\n'\n";

    ck_assert_int_eq(parse(text, &dc, &diag), 0);
    ck_assert_str_eq(dc.name, "it's \"d1\"");
    ck_assert_str_eq(dc.kernel, "/boot/a'b\\c");
    ck_assert_str_eq(dc.cmdline, "x\tyAA\az\n");
    domain_config_free(&dc);
}
END_TEST

START_TEST(comments_semicolons_blank_lines)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    const char *text = "# a comment line\n"
                       "\n"
                       "   \t\n"
                       "name = 'd1'; kernel = \"/k\" ;memory=64 # trailing comment\n"
                       ";;\n"
                       "vcpus=2#no blank before the comment\n"
                       "cmdline = 'a # not a comment'\n";

    ck_assert_int_eq(parse(text, &dc, &diag), 0);
    ck_assert_uint_eq(diag.n, 0);
    ck_assert_str_eq(dc.name, "d1");
    ck_assert_str_eq(dc.kernel, "/k");
    ck_assert_uint_eq(dc.memory_mib, 64);
    ck_assert_uint_eq(dc.vcpus, 2);
    ck_assert_str_eq(dc.cmdline, "a # not a comment");
    domain_config_free(&dc);
}
END_TEST

START_TEST(crlf_and_no_final_newline)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse("name = 'd1'\r\nkernel = '/k'\r\nmemory = 96", &dc, &diag), 0);
    ck_assert_uint_eq(dc.memory_mib, 96);
    domain_config_free(&dc);
}
END_TEST

START_TEST(lists_span_lines_with_comments_and_trailing_comma)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    const char *text = MINIMAL "disk = [\n"
                               "  # the root disk\n"
                               "  'vdev=xvda, target=/a.img' ,\n"
                               "\n"
                               "  \"/b.img,raw,xvdb,r\"   # a data disk\n"
                               "  ,\n"
                               "]\n"
                               "vif = [ ]\n"
                               "cpus = [ '0', \"1-2\", 3, ]\n"
                               "vcpus = 3\n";

    ck_assert_int_eq(parse(text, &dc, &diag), 0);
    ck_assert_uint_eq(diag.n, 0);
    ck_assert_uint_eq(dc.n_disks, 2);
    ck_assert_str_eq(dc.disks[0].target, "/a.img");
    ck_assert_str_eq(dc.disks[1].vdev, "xvdb");
    ck_assert(dc.disks[1].readonly);
    ck_assert_uint_eq(dc.n_vifs, 0);
    ck_assert(dc.cpus_set);
    ck_assert_uint_eq(dc.cpu_affinity[0], 0x1);
    ck_assert_uint_eq(dc.cpu_affinity[1], 0x6);
    ck_assert_uint_eq(dc.cpu_affinity[2], 0x8);
    domain_config_free(&dc);
}
END_TEST

START_TEST(nested_lists_parse)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    /* xl's grammar nests lists (vnuma= uses it); an unknown key holding
     * one is only a warning. */
    ck_assert_int_eq(parse(MINIMAL "vnuma = [ ['pnode=0', 'size=512'], [ ] ]\n", &dc, &diag), 0);
    ck_assert_uint_eq(diag.warnings, 1);
    ck_assert_str_eq(first_msg(&diag, XLCFG_WARNING), "d1.cfg:3: warning: unknown key 'vnuma'");
    domain_config_free(&dc);
}
END_TEST

START_TEST(number_forms)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(
        parse(MINIMAL "memory = 0x100\nmaxmem = 01000\ncpu_weight = 65535\n", &dc, &diag), 0);
    ck_assert_uint_eq(dc.memory_mib, 256);
    ck_assert_uint_eq(dc.maxmem_mib, 512); /* octal, as strtol base 0 and xl */
    ck_assert_uint_eq(dc.cpu_weight, 65535);
    ck_assert_uint_eq(dc.max_grant_version, 0); /* absent: the toolstack's choice */
    domain_config_free(&dc);
    ck_assert_int_eq(parse(MINIMAL "max_grant_version = 1\n", &dc, &diag), 0);
    ck_assert_uint_eq(dc.max_grant_version, 1);
    domain_config_free(&dc);
    ck_assert_int_eq(parse(MINIMAL "memory = 0\n"
                                   "memory = 16777216\n",
                           &dc, &diag),
                     0);
    ck_assert_uint_eq(dc.memory_mib, XLCFG_MAX_MEMORY_MIB);
    domain_config_free(&dc);
}
END_TEST

START_TEST(later_assignment_replaces)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse(MINIMAL "memory = 'lots'\nmemory = 128\nname = 'd2'\n", &dc, &diag), 0);
    ck_assert_uint_eq(dc.memory_mib, 128);
    ck_assert_str_eq(dc.name, "d2");
    domain_config_free(&dc);
}
END_TEST

START_TEST(overrides_replace_and_append)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    char *ov[] = {"memory=512", "extra+=' quiet'", "disk += [ 'vdev=xvdb,target=/b' ]",
                  "vcpus=2;maxvcpus=2", "cpu_weight=0x200"};

    ck_assert_int_eq(parse_ov(MINIMAL "memory = 128\nextra = 'console=hvc0'\n"
                                      "disk = [ 'vdev=xvda,target=/a' ]\n",
                              ov, 5, &dc, &diag),
                     0);
    ck_assert_uint_eq(diag.n, 0);
    ck_assert_uint_eq(dc.memory_mib, 512);
    ck_assert_uint_eq(dc.maxmem_mib, 512);
    ck_assert_str_eq(dc.cmdline, "console=hvc0 quiet");
    ck_assert_uint_eq(dc.n_disks, 2);
    ck_assert_str_eq(dc.disks[1].target, "/b");
    ck_assert_uint_eq(dc.vcpus, 2);
    ck_assert_uint_eq(dc.cpu_weight, 512);
    domain_config_free(&dc);
}
END_TEST

START_TEST(override_supplies_a_missing_key)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    char *ov[] = {"kernel='/boot/other'"};

    ck_assert_int_eq(parse_ov("name='d1'\n", ov, 1, &dc, &diag), 0);
    ck_assert_str_eq(dc.kernel, "/boot/other");
    domain_config_free(&dc);
}
END_TEST

START_TEST(append_in_the_file_and_to_nothing)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse(MINIMAL "extra += 'a'\nextra += 'b'\n"
                                   "vif += ['bridge=br1']\nvif += ['bridge=br2']\n",
                           &dc, &diag),
                     0);
    ck_assert_str_eq(dc.cmdline, "ab");
    ck_assert_uint_eq(dc.n_vifs, 2);
    ck_assert_str_eq(dc.vifs[1].bridge, "br2");
    domain_config_free(&dc);
}
END_TEST

START_TEST(cmdline_root_extra_as_xl)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse(MINIMAL "root = '/dev/xvda1'\n", &dc, &diag), 0);
    ck_assert_str_eq(dc.cmdline, "root=/dev/xvda1");
    domain_config_free(&dc);
    ck_assert_int_eq(parse(MINIMAL "extra = 'quiet'\n", &dc, &diag), 0);
    ck_assert_str_eq(dc.cmdline, "quiet");
    domain_config_free(&dc);
    ck_assert_int_eq(
        parse(MINIMAL "root = '/dev/xvda1'\nextra = 'quiet'\ncmdline = 'single'\n", &dc, &diag), 0);
    ck_assert_str_eq(dc.cmdline, "single");
    ck_assert_uint_eq(diag.warnings, 1);
    ck_assert_uint_eq(diag.errors, 0);
    ck_assert_str_eq(first_msg(&diag, XLCFG_WARNING),
                     "d1.cfg:5: warning: cmdline: root= and extra= are ignored in favour of "
                     "cmdline=");
    domain_config_free(&dc);
}
END_TEST

START_TEST(unknown_keys_only_warn)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(
        parse("name = 'd1'\nkernel = '/k'\nfoo = 1\nbootloader = 'pygrub'\nfoo = 2\n", &dc, &diag),
        0);
    ck_assert_uint_eq(diag.errors, 0);
    ck_assert_uint_eq(diag.warnings, 2);
    ck_assert_str_eq(diag.msg[0].text, "d1.cfg:5: warning: unknown key 'foo'");
    ck_assert_str_eq(diag.msg[1].text, "d1.cfg:4: warning: unknown key 'bootloader'");
    ck_assert_int_eq(diag.msg[0].severity, XLCFG_WARNING);
    domain_config_free(&dc);
}
END_TEST

START_TEST(type_and_builder_pv)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse(MINIMAL "type = 'pv'\nbuilder = 'generic'\n", &dc, &diag), 0);
    ck_assert_uint_eq(diag.n, 0);
    domain_config_free(&dc);
}
END_TEST

START_TEST(every_action)
{
    static const char *const names[] = {"destroy",  "restart",          "rename-restart",
                                        "preserve", "coredump-destroy", "coredump-restart"};
    struct domain_config dc;
    struct xlcfg_diag diag;
    char text[160];
    unsigned int i;

    for (i = 0; i < 6; i++) {
        snprintf(text, sizeof(text), MINIMAL "on_poweroff='%s'\non_reboot=\"%s\"\non_crash='%s'\n",
                 names[i], names[i], names[i]);
        ck_assert_int_eq(parse(text, &dc, &diag), 0);
        ck_assert_int_eq(dc.on_poweroff, XLCFG_ACTION_DESTROY + (int)i);
        ck_assert_int_eq(dc.on_reboot, XLCFG_ACTION_DESTROY + (int)i);
        ck_assert_int_eq(dc.on_crash, XLCFG_ACTION_DESTROY + (int)i);
        ck_assert_str_eq(xlcfg_action_name(dc.on_crash), names[i]);
        domain_config_free(&dc);
    }
    ck_assert_ptr_null(xlcfg_action_name((enum xlcfg_action)0));
    ck_assert_ptr_null(xlcfg_action_name((enum xlcfg_action)7));
}
END_TEST

START_TEST(cpus_forms)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse(MINIMAL "cpus = 'all,^7'\nvcpus = 2\n", &dc, &diag), 0);
    ck_assert_uint_eq(dc.cpu_affinity[0], ~0x80ULL);
    ck_assert_uint_eq(dc.cpu_affinity[1], ~0x80ULL);
    domain_config_free(&dc);
    ck_assert_int_eq(parse(MINIMAL "cpus = 5\n", &dc, &diag), 0); /* a bare number, as xl */
    ck_assert_uint_eq(dc.cpu_affinity[0], 0x20);
    domain_config_free(&dc);
    ck_assert_int_eq(parse(MINIMAL "cpus = ' 0 , 63 , 8-9 '\n", &dc, &diag), 0);
    ck_assert_uint_eq(dc.cpu_affinity[0], (1ULL << 63) | 0x301);
    domain_config_free(&dc);
    /* A list shorter than the vCPUs pins only the first ones. */
    ck_assert_int_eq(parse(MINIMAL "cpus = ['2']\nvcpus = 2\n", &dc, &diag), 0);
    ck_assert_uint_eq(dc.cpu_affinity[0], 0x4);
    ck_assert_uint_eq(dc.cpu_affinity[1], ~0ULL);
    domain_config_free(&dc);
}
END_TEST

START_TEST(sedf_and_credit_bounds)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse(MINIMAL "sedf_period = 10000\nsedf_slice = 10000\n"
                                   "sedf_latency = 5\nsedf_extratime = 0\n"
                                   "cap = 400\nmaxvcpus = 4\ncpu_weight = 1\n",
                           &dc, &diag),
                     0);
    ck_assert_uint_eq(dc.sedf_period_ns, 10000000000ULL);
    ck_assert_uint_eq(dc.sedf_slice_ns, 10000000000ULL);
    ck_assert_uint_eq(dc.sedf_latency_ns, 5000000ULL);
    ck_assert(!dc.sedf_extratime);
    ck_assert_uint_eq(dc.cap, 400);
    ck_assert_uint_eq(dc.cpu_weight, 1);
    domain_config_free(&dc);
    /* Latency and extratime alone: a weight-driven domain. */
    ck_assert_int_eq(parse(MINIMAL "sedf_latency = 2\nsedf_extratime = 7\n", &dc, &diag), 0);
    ck_assert(dc.sedf_set);
    ck_assert(!dc.sedf_time_driven);
    ck_assert(dc.sedf_extratime);
    domain_config_free(&dc);
    /* Any one sedf_ key counts as given, even at SEDF's own default. */
    ck_assert_int_eq(parse(MINIMAL "sedf_extratime = 0\n", &dc, &diag), 0);
    ck_assert(dc.sedf_set);
    domain_config_free(&dc);
}
END_TEST

START_TEST(empty_text_reports_both_required_keys)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(xlcfg_parse("e.cfg", "", 0, NULL, 0, &dc, &diag), -XEN_EINVAL);
    ck_assert_uint_eq(diag.errors, 2);
    ck_assert_str_eq(diag.msg[0].text, "e.cfg: missing required key 'name'");
    ck_assert_str_eq(diag.msg[1].text, "e.cfg: missing required key 'kernel'");
    domain_config_free(&dc);
}
END_TEST

START_TEST(text_need_not_be_terminated)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    const char text[] = MINIMAL "memory = 64garbage";

    /* Only LEN bytes are read: the "garbage" after them is not seen. */
    ck_assert_int_eq(xlcfg_parse("d1.cfg", text, strlen(MINIMAL) + 11, NULL, 0, &dc, &diag), 0);
    ck_assert_uint_eq(dc.memory_mib, 64);
    domain_config_free(&dc);
}
END_TEST

START_TEST(diag_keeps_count_beyond_capacity)
{
    struct domain_config dc;
    struct xlcfg_diag diag;
    char text[2048];
    size_t n = 0;
    int i;

    n += (size_t)snprintf(text + n, sizeof(text) - n, MINIMAL);
    for (i = 0; i < XLCFG_DIAG_MAX + 5; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "unknown%d = 1\n", i);
    ck_assert_int_eq(parse(text, &dc, &diag), 0);
    ck_assert_uint_eq(diag.n, XLCFG_DIAG_MAX);
    ck_assert_uint_eq(diag.warnings, XLCFG_DIAG_MAX + 5);
    ck_assert_uint_eq(diag.dropped, 5);
    domain_config_free(&dc);
}
END_TEST

Suite *suite_good(void)
{
    Suite *s = suite_create("xlcfg-good");
    TCase *tc = tcase_create("good");

    tcase_add_test(tc, demo_every_field);
    tcase_add_test(tc, demo_with_overrides);
    tcase_add_test(tc, minimal_gets_xl_defaults);
    tcase_add_test(tc, memory_and_vcpu_defaults_follow_each_other);
    tcase_add_test(tc, quotes_and_escapes);
    tcase_add_test(tc, comments_semicolons_blank_lines);
    tcase_add_test(tc, crlf_and_no_final_newline);
    tcase_add_test(tc, lists_span_lines_with_comments_and_trailing_comma);
    tcase_add_test(tc, nested_lists_parse);
    tcase_add_test(tc, number_forms);
    tcase_add_test(tc, later_assignment_replaces);
    tcase_add_test(tc, overrides_replace_and_append);
    tcase_add_test(tc, override_supplies_a_missing_key);
    tcase_add_test(tc, append_in_the_file_and_to_nothing);
    tcase_add_test(tc, cmdline_root_extra_as_xl);
    tcase_add_test(tc, unknown_keys_only_warn);
    tcase_add_test(tc, type_and_builder_pv);
    tcase_add_test(tc, every_action);
    tcase_add_test(tc, cpus_forms);
    tcase_add_test(tc, sedf_and_credit_bounds);
    tcase_add_test(tc, empty_text_reports_both_required_keys);
    tcase_add_test(tc, text_need_not_be_terminated);
    tcase_add_test(tc, diag_keeps_count_beyond_capacity);
    suite_add_tcase(s, tc);
    return s;
}
