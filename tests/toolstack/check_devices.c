/*
 * disk= and vif= entries: xl's spec syntaxes, one by one through the
 * exported readers, and in a configuration, where errors carry
 * file:line and the entry's index.
 */
#include "cfg_test.h"

static void disk_ok(const char *spec, struct xlcfg_disk *d)
{
    char err[XLCFG_DIAG_MSG_LEN] = "";

    ck_assert_msg(xlcfg_parse_disk(spec, d, err, sizeof(err)) == 0, "%s: %s", spec, err);
}

START_TEST(disk_named)
{
    struct xlcfg_disk d;

    disk_ok("format=raw, vdev=xvda, access=rw, target=/images/d1.img", &d);
    ck_assert_str_eq(d.target, "/images/d1.img");
    ck_assert_str_eq(d.vdev, "xvda");
    ck_assert_int_eq(d.format, XLCFG_DISK_RAW);
    ck_assert(!d.readonly);
    ck_assert(!d.cdrom);
    ck_assert(d.discard);
    ck_assert(d.trusted);
    ck_assert_int_eq(d.backendtype, XLCFG_BACKEND_AUTO);
    ck_assert_ptr_null(d.backend);
    ck_assert_ptr_null(d.script);
    xlcfg_disk_free(&d);

    /* target= takes the rest: commas, '=' and trailing blanks. */
    disk_ok("vdev=xvdb,access=r,backend=drv,backendtype=phy,script=block-iscsi,"
            "direct-io-safe,no-discard,untrusted,format=qcow2,target=/a,b=c ",
            &d);
    ck_assert_str_eq(d.target, "/a,b=c ");
    ck_assert(d.readonly);
    ck_assert_str_eq(d.backend, "drv");
    ck_assert_int_eq(d.backendtype, XLCFG_BACKEND_PHY);
    ck_assert_str_eq(d.script, "block-iscsi");
    ck_assert(d.direct_io_safe);
    ck_assert(!d.discard);
    ck_assert(!d.trusted);
    ck_assert_int_eq(d.format, XLCFG_DISK_QCOW2);
    xlcfg_disk_free(&d);
}
END_TEST

START_TEST(disk_positional)
{
    struct xlcfg_disk d;

    disk_ok("/dev/vg/guest-volume,,xvda", &d);
    ck_assert_str_eq(d.target, "/dev/vg/guest-volume");
    ck_assert_int_eq(d.format, XLCFG_DISK_RAW);
    ck_assert_str_eq(d.vdev, "xvda");
    ck_assert(!d.readonly);
    xlcfg_disk_free(&d);

    disk_ok("  /img/x.qcow , qcow , xvdc , ro ", &d);
    ck_assert_str_eq(d.target, "/img/x.qcow");
    ck_assert_int_eq(d.format, XLCFG_DISK_QCOW);
    ck_assert_str_eq(d.vdev, "xvdc");
    ck_assert(d.readonly);
    xlcfg_disk_free(&d);

    /* Positional and named mixed; a trailing comma is nothing. */
    disk_ok("/img/y,vhd,access=w,vdev=sdb1,", &d);
    ck_assert_int_eq(d.format, XLCFG_DISK_VHD);
    ck_assert_str_eq(d.vdev, "sdb1");
    xlcfg_disk_free(&d);
}
END_TEST

START_TEST(disk_deprecated_prefixes)
{
    struct xlcfg_disk d;

    disk_ok("file:/images/d1.img,xvda,w", &d);
    ck_assert_str_eq(d.target, "/images/d1.img");
    ck_assert_str_eq(d.vdev, "xvda");
    ck_assert(!d.readonly);
    xlcfg_disk_free(&d);

    disk_ok("phy:/dev/loop0,xvdb,r", &d);
    ck_assert_str_eq(d.target, "/dev/loop0");
    ck_assert_str_eq(d.vdev, "xvdb");
    ck_assert(d.readonly);
    xlcfg_disk_free(&d);

    disk_ok("tap:aio:qcow2:/images/q.img,xvdc:cdrom,r", &d);
    ck_assert_str_eq(d.target, "/images/q.img");
    ck_assert_int_eq(d.format, XLCFG_DISK_QCOW2);
    ck_assert_str_eq(d.vdev, "xvdc");
    ck_assert(d.cdrom);
    xlcfg_disk_free(&d);

    disk_ok("iscsi:iqn.2001-05.com.example:vol,xvdd,w", &d);
    ck_assert_str_eq(d.script, "block-iscsi");
    ck_assert_str_eq(d.target, "iqn.2001-05.com.example:vol");
    xlcfg_disk_free(&d);
}
END_TEST

START_TEST(disk_cdroms)
{
    struct xlcfg_disk d;

    /* xend's empty cdrom. */
    disk_ok(",hdc:cdrom,r", &d);
    ck_assert_ptr_null(d.target);
    ck_assert_int_eq(d.format, XLCFG_DISK_EMPTY);
    ck_assert_str_eq(d.vdev, "hdc");
    ck_assert(d.cdrom);
    ck_assert(d.readonly);
    xlcfg_disk_free(&d);

    /* A cdrom is read-only by default. */
    disk_ok("/root/image.iso,,hdc,cdrom", &d);
    ck_assert_str_eq(d.target, "/root/image.iso");
    ck_assert(d.cdrom);
    ck_assert(d.readonly);
    xlcfg_disk_free(&d);

    disk_ok("vdev=xvdd, devtype=cdrom", &d);
    ck_assert_ptr_null(d.target);
    ck_assert_int_eq(d.format, XLCFG_DISK_EMPTY);
    xlcfg_disk_free(&d);
}
END_TEST

START_TEST(disk_malformed)
{
    ck_disk_fails("colour=red, vdev=xvda, target=/a", "unknown parameter 'colour'");
    ck_disk_fails("/a,raw,xvda,rw,extra", "too many positional parameters ('extra')");
    ck_disk_fails("/images/d1.img,xvda,w",
                  "unknown format 'xvda' (raw, qcow, qcow2, vhd, qed or empty)");
    ck_disk_fails("/a,raw,xvda,rx", "unknown access 'rx' (r, ro, w or rw)");
    ck_disk_fails("/a,raw", "no vdev given");
    ck_disk_fails("target=/a", "no vdev given");
    ck_disk_fails("", "no vdev given");
    ck_disk_fails("/a,raw,vda", "bad vdev 'vda' (xvdN, hdN, sdN or a device number)");
    ck_disk_fails("vdev=xvd,target=/a", "bad vdev 'xvd' (xvdN, hdN, sdN or a device number)");
    ck_disk_fails("vdev=xvda1b,target=/a", "bad vdev 'xvda1b' (xvdN, hdN, sdN or a device number)");
    ck_disk_fails("foo:/a,xvda,w", "unknown deprecated disk prefix 'foo:'");
    ck_disk_fails("vdev=xvda,vdev=xvdb,target=/a", "vdev is given twice");
    ck_disk_fails("/a,raw,xvda,format=raw", "format is given twice");
    ck_disk_fails("/a,raw,xvda,r,access=w", "access is given twice");
    ck_disk_fails("/a,target=/b,xvda", "target is given twice");
    ck_disk_fails("vdev=xvda", "no target given (only a cdrom may be empty)");
    ck_disk_fails(",,xvda", "no target given (only a cdrom may be empty)");
    ck_disk_fails("vdev=xvda,devtype=floppy,target=/a", "unknown devtype 'floppy' (disk or cdrom)");
    ck_disk_fails("vdev=xvda,backendtype=nfs,target=/a",
                  "unknown backendtype 'nfs' (phy, qdisk, tap or standalone)");
    ck_disk_fails("phy:/a,xvda:floppy,r", "unknown device type in 'xvda:floppy' (only ':cdrom')");
    ck_disk_fails("/a.iso,,hdc,rw,cdrom", "a cdrom cannot be writable");
    ck_disk_fails("/a,empty,xvda", "format 'empty' with a target");
}
END_TEST

static void vif_ok(const char *spec, struct xlcfg_vif *v)
{
    char err[XLCFG_DIAG_MSG_LEN] = "";

    ck_assert_msg(xlcfg_parse_vif(spec, v, err, sizeof(err)) == 0, "%s: %s", spec, err);
}

START_TEST(vif_every_key)
{
    static const uint8_t mac[6] = {0x00, 0x16, 0x3e, 0xab, 0xCD, 0x0f};
    struct xlcfg_vif v;

    vif_ok(" mac=00:16:3e:AB:cd:0f , bridge=xenbr1, ip=10.0.0.2 fe80::1/64 10.1.0.0/16,"
           "script=vif-route, backend=netdom, vifname=web0, gatewaydev=eth0, rate=10Mb/s@20ms,"
           "mtu=9000",
           &v);
    ck_assert(v.has_mac);
    ck_assert_mem_eq(v.mac, mac, 6);
    ck_assert_str_eq(v.bridge, "xenbr1");
    ck_assert_str_eq(v.ip, "10.0.0.2 fe80::1/64 10.1.0.0/16");
    ck_assert_str_eq(v.script, "vif-route");
    ck_assert_str_eq(v.backend, "netdom");
    ck_assert_str_eq(v.vifname, "web0");
    ck_assert_str_eq(v.gatewaydev, "eth0");
    ck_assert_str_eq(v.rate, "10Mb/s@20ms");
    ck_assert_uint_eq(v.mtu, 9000);
    xlcfg_vif_free(&v);

    /* The empty spec is a vif with every default. */
    vif_ok("", &v);
    ck_assert(!v.has_mac);
    ck_assert_str_eq(v.bridge, "xenbr0");
    ck_assert_ptr_null(v.ip);
    ck_assert_uint_eq(v.mtu, 0);
    xlcfg_vif_free(&v);

    vif_ok("netdev=eth1,rate=250KB/s,", &v);
    ck_assert_str_eq(v.gatewaydev, "eth1");
    xlcfg_vif_free(&v);
}
END_TEST

START_TEST(vif_malformed)
{
    ck_vif_fails("mac=00:16:3e:zz:00:01",
                 "bad mac '00:16:3e:zz:00:01' (six hex bytes, as 00:16:3e:12:34:56)");
    ck_vif_fails("mac=00:16:3e:00:01",
                 "bad mac '00:16:3e:00:01' (six hex bytes, as 00:16:3e:12:34:56)");
    ck_vif_fails("mac=00:16:3e:00:00:01:02",
                 "bad mac '00:16:3e:00:00:01:02' (six hex bytes, as 00:16:3e:12:34:56)");
    ck_vif_fails("mac=0:16:3e:00:00:01",
                 "bad mac '0:16:3e:00:00:01' (six hex bytes, as 00:16:3e:12:34:56)");
    ck_vif_fails("mac=00-16-3e-00-00-01",
                 "bad mac '00-16-3e-00-00-01' (six hex bytes, as 00:16:3e:12:34:56)");
    ck_vif_fails("mac=", "bad mac '' (six hex bytes, as 00:16:3e:12:34:56)");
    ck_vif_fails("mac=01:16:3e:00:00:01", "mac '01:16:3e:00:00:01' is a multicast address");
    ck_vif_fails("mac=00:16:3e:00:00:01,mac=00:16:3e:00:00:02", "mac is given twice");
    ck_vif_fails("ip=10.0.0.256", "bad ip address '10.0.0.256'");
    ck_vif_fails("ip=10.0.0.1 bogus", "bad ip address 'bogus'");
    ck_vif_fails("ip=10.0.0.1/33", "bad ip address '10.0.0.1/33'");
    ck_vif_fails("ip=", "ip is empty");
    ck_vif_fails("mtu=20", "bad mtu '20' (68..65535)");
    ck_vif_fails("mtu=1500x", "bad mtu '1500x' (68..65535)");
    ck_vif_fails("rate=fast", "bad rate 'fast' (as 10Mb/s or 1MB/s@20ms)");
    ck_vif_fails("rate=10Mb/s@", "bad rate '10Mb/s@' (as 10Mb/s or 1MB/s@20ms)");
    ck_vif_fails("vifname=a-very-long-interface", "bad vifname 'a-very-long-interface' (1..15 "
                                                  "characters, no '/', ':' or blanks)");
    ck_vif_fails("bridge=br0,bridge=br1", "bridge is given twice");
    ck_vif_fails("model=e1000", "unknown parameter 'model'");
    ck_vif_fails("xenbr0", "expected KEY=VALUE, got 'xenbr0'");
    ck_vif_fails("=xenbr0", "expected KEY=VALUE, got '=xenbr0'");
}
END_TEST

START_TEST(devices_in_a_config)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse(MINIMAL "disk = [ 'vdev=xvda,target=/a', 'phy:/dev/sdb,xvdb,r',\n"
                                   "         ',hdc:cdrom,r' ]\n"
                                   "vif = [ '', 'mac=00:16:3e:00:00:02' ]\n",
                           &dc, &diag),
                     0);
    ck_assert_uint_eq(dc.n_disks, 3);
    ck_assert_str_eq(dc.disks[2].vdev, "hdc");
    ck_assert_uint_eq(dc.n_vifs, 2);
    ck_assert(dc.vifs[1].has_mac);
    domain_config_free(&dc);
}
END_TEST

START_TEST(duplicate_vdev)
{
    ck_fails(MINIMAL "disk = [ 'vdev=xvda,target=/a',\n"
                     "         'file:/b,xvdb,w',\n"
                     "         'phy:/dev/sdc,xvda,r' ]\n",
             "d1.cfg:5: disk[2]: vdev 'xvda' is already used by disk[0]");
    ck_fails(MINIMAL "disk = [ 'vdev=xvda,target=/a', 'vdev=d0p0,target=/b' ]\n",
             "d1.cfg:3: disk[1]: vdev 'xvda' is already used by disk[0]");
    ck_fails(MINIMAL "disk = [ 'vdev=vda,target=/a' ]\n",
             "d1.cfg:3: disk[0]: bad vdev 'vda' (xvdN, hdN, sdN or a device number)");
    /* After a bad entry, indices still count every entry. */
    ck_fails(MINIMAL "disk = [ 'bad', 'vdev=xvda,target=/a', 'vdev=xvda,target=/b' ]\n",
             "d1.cfg:3: disk[0]: no vdev given");
}
END_TEST

/* libxl's numbers (xen-vbd-interface(7)); the names it refuses. */
START_TEST(vdev_numbers)
{
    ck_assert_int_eq(xlcfg_vdev_number("xvda"), 51712);
    ck_assert_int_eq(xlcfg_vdev_number("xvdb1"), 51729);
    ck_assert_int_eq(xlcfg_vdev_number("xvdp15"), (202 << 8) | (15 << 4) | 15);
    ck_assert_int_eq(xlcfg_vdev_number("xvdq"), (1 << 28) | (16 << 8));
    ck_assert_int_eq(xlcfg_vdev_number("xvda16"), (1 << 28) | 16);
    ck_assert_int_eq(xlcfg_vdev_number("xvdaa"), (1 << 28) | (26 << 8));
    ck_assert_int_eq(xlcfg_vdev_number("d0p0"), 51712);
    ck_assert_int_eq(xlcfg_vdev_number("d3p2"), 51762);
    ck_assert_int_eq(xlcfg_vdev_number("hda"), 3 << 8);
    ck_assert_int_eq(xlcfg_vdev_number("hdb2"), (3 << 8) | 64 | 2);
    ck_assert_int_eq(xlcfg_vdev_number("hdc"), 22 << 8);
    ck_assert_int_eq(xlcfg_vdev_number("sdb3"), (8 << 8) | 16 | 3);
    ck_assert_int_eq(xlcfg_vdev_number("51728"), 51728);
    ck_assert_int_eq(xlcfg_vdev_number("0xca00"), 51712);
    const char *bad[] = {"",    "xvd",   "xvdA", "xvda0", "xvda01", "xvda256", "hde", "hda64",
                         "sdq", "sda16", "d1",   "d1p",   "dxp1",   "d-1p1",   "vda", "12abc"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(xlcfg_vdev_number(bad[i]) == -1, "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(bad_disk_spec_in_config)
{
    ck_fails(MINIMAL "disk = [ 'vdev=xvda,target=/a',\n\n  'file:/b,xvdb,w,extra' ]\n",
             "d1.cfg:5: disk[1]: too many positional parameters ('extra')");
    ck_fails(MINIMAL "disk = 'vdev=xvda,target=/a'\n",
             "d1.cfg:3: disk: expected a list, got a string");
    ck_fails(MINIMAL "disk = [ [ 'vdev=xvda' ] ]\n",
             "d1.cfg:3: disk[0]: expected a string, got a list");
}
END_TEST

START_TEST(bad_vif_in_config)
{
    ck_fails(MINIMAL "vif = [ 'bridge=xenbr0',\n  'mac=00:16:3e:xx:00:01, bridge=xenbr0' ]\n",
             "d1.cfg:4: vif[1]: bad mac '00:16:3e:xx:00:01' (six hex bytes, as 00:16:3e:12:34:56)");
    ck_fails(MINIMAL "vif = [ 'mac=00:16:3e:00:00:01', 'mac=00:16:3E:00:00:01' ]\n",
             "d1.cfg:3: vif[1]: mac 00:16:3e:00:00:01 is already used by vif[0]");
    ck_fails(MINIMAL "vif = [ 'vifname=a', 'vifname=b', 'vifname=a' ]\n",
             "d1.cfg:3: vif[2]: vifname 'a' is already used by vif[0]");
    ck_fails(MINIMAL "vif = 5\n", "d1.cfg:3: vif: expected a list, got a number");
}
END_TEST

START_TEST(several_device_errors_reported)
{
    struct domain_config dc;
    struct xlcfg_diag diag;

    ck_assert_int_eq(parse(MINIMAL "disk = [ 'x', 'vdev=xvda,target=/a', 'y' ]\n"
                                   "vif = [ 'mac=1' ]\n",
                           &dc, &diag),
                     -XEN_EINVAL);
    ck_assert_uint_eq(diag.errors, 3);
    ck_assert_str_eq(diag.msg[0].text, "d1.cfg:3: disk[0]: no vdev given");
    ck_assert_str_eq(diag.msg[1].text, "d1.cfg:3: disk[2]: no vdev given");
    ck_assert_str_eq(diag.msg[2].text,
                     "d1.cfg:4: vif[0]: bad mac '1' (six hex bytes, as 00:16:3e:12:34:56)");
    ck_assert_uint_eq(dc.n_disks, 0);
}
END_TEST

Suite *suite_devices(void)
{
    Suite *s = suite_create("xlcfg-devices");
    TCase *tc = tcase_create("devices");

    tcase_add_test(tc, disk_named);
    tcase_add_test(tc, disk_positional);
    tcase_add_test(tc, disk_deprecated_prefixes);
    tcase_add_test(tc, disk_cdroms);
    tcase_add_test(tc, disk_malformed);
    tcase_add_test(tc, vif_every_key);
    tcase_add_test(tc, vif_malformed);
    tcase_add_test(tc, devices_in_a_config);
    tcase_add_test(tc, duplicate_vdev);
    tcase_add_test(tc, vdev_numbers);
    tcase_add_test(tc, bad_disk_spec_in_config);
    tcase_add_test(tc, bad_vif_in_config);
    tcase_add_test(tc, several_device_errors_reported);
    suite_add_tcase(s, tc);
    return s;
}
