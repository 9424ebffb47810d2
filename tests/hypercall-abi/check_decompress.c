/*
 * The decompressors (hypercall-abi/decompress/) against the reference
 * tools: xz, gzip and zstd compress generated inputs with a spread of
 * options, and Debian's kernel; every result must decode to the same
 * bytes. Then 1,000 mutated or truncated streams per format, each decoded
 * from an exact-size heap copy into an exact-size buffer (ASan catches
 * any access outside), must give 0 or one of the DECOMP_E* codes; a
 * truncation or a damaged checksum must give an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <paravane/decompress.h>
#include <paravane/pv_image.h>

#include "pvtest.h"

static char tmpdir[] = "/tmp/check_decompress.XXXXXX";
static void *work;

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    work = malloc(DECOMP_WORK_SIZE);
    ck_assert_ptr_nonnull(work);
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "check_decompress: could not remove %s\n", tmpdir);
    free(work);
}

static void write_file(const char *path, const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

/*
 * Run "TOOL ARGS in > out" in the scratch directory and read out. (A file
 * argument, not stdin: gzip then stores the name, a header field to parse.)
 */
static struct pvt_buf tool(const char *cmdline, const struct pvt_buf *in)
{
    char inp[96], outp[96], cmd[512];

    snprintf(inp, sizeof(inp), "%s/in", tmpdir);
    snprintf(outp, sizeof(outp), "%s/out", tmpdir);
    write_file(inp, in->data, in->size);
    snprintf(cmd, sizeof(cmd), "%s %s > %s", cmdline, inp, outp);
    ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
    return pvt_read_file(outp);
}

/* Decode from an exact-size copy into an exact-size buffer of cap bytes. */
static int decode(enum decomp_format f, const struct pvt_buf *in, size_t cap, struct pvt_buf *out,
                  struct decomp_result *res)
{
    struct pvt_buf copy = pvt_copy(in, in->size);
    int rc;

    out->data = malloc(cap ? cap : 1);
    out->size = cap;
    ck_assert_ptr_nonnull(out->data);
    rc = decomp_run(f, copy.data, copy.size, out->data, cap, work, res);
    pvt_free(&copy);
    return rc;
}

static void expect_roundtrip(enum decomp_format f, const char *cmd, const struct pvt_buf *plain)
{
    struct pvt_buf z = tool(cmd, plain), out;
    struct decomp_result res;
    int rc;

    ck_assert_int_eq(decomp_detect(z.data, z.size), f);
    rc = decode(f, &z, plain->size, &out, &res);
    ck_assert_msg(rc == 0, "%s on %zu bytes: %s", cmd, plain->size, decomp_strerror(rc));
    ck_assert_uint_eq(res.out_len, plain->size);
    ck_assert_uint_eq(res.in_used, z.size);
    ck_assert_msg(memcmp(out.data, plain->data, plain->size) == 0, "%s: output differs", cmd);
    pvt_free(&out);
    pvt_free(&z);
}

/* Generated inputs: the shapes that reach different coder paths. */
static struct pvt_buf make_input(unsigned int kind, size_t n)
{
    struct pvt_buf b = {malloc(n ? n : 1), n};
    static const char *words[] = {"paravane ", "hypervisor ", "xen ", "\n", "grant ", "0000"};
    uint64_t x = 0x9E3779B97F4A7C15ull * (kind + 1);

    ck_assert_ptr_nonnull(b.data);
    for (size_t i = 0; i < n;) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        switch (kind) {
        case 0: /* incompressible */
            b.data[i++] = (uint8_t)x;
            break;
        case 1: /* one byte repeated: runs and RLE blocks */
            b.data[i++] = 'z';
            break;
        default: { /* text: words, with long repeats */
            const char *w = words[x % 6];

            while (*w && i < n)
                b.data[i++] = (uint8_t)*w++;
        }
        }
    }
    return b;
}

/* A slice of Debian's kernel: real x86 code, what BCJ and Huffman see in practice. */
static struct pvt_buf kernel_slice(size_t off, size_t n)
{
    struct pvt_buf elf = pvt_read_file(PVABI_DEBIAN_ELF), s;

    ck_assert_uint_ge(elf.size, off + n);
    s.data = malloc(n);
    s.size = n;
    memcpy(s.data, elf.data + off, n);
    pvt_free(&elf);
    return s;
}

static const char *xz_opts[] = {
    "xz -zc -0",
    "xz -zc -6",
    "xz -zc -9e",
    "xz -zc --check=crc32",
    "xz -zc --check=none",
    "xz -zc --check=crc64 --block-size=40000",
    "xz -zc --x86 --lzma2=preset=6 --check=crc32",
    "xz -zc --x86=start=4096 --lzma2=preset=1",
    "xz -zc --lzma2=lc=0,lp=4,pb=0",
    "xz -zc --lzma2=dict=4KiB,lc=4,pb=4",
};
static const char *gzip_opts[] = {"gzip -c -1", "gzip -c -6", "gzip -c -9"};
static const char *zstd_opts[] = {
    "zstd -qc -1",
    "zstd -qc -3",
    "zstd -qc -19",
    "zstd -qc --no-check",
    "zstd -qc --no-content-size -5",
    "zstd -qc -3 --long=24",
    "zstd -qc -12 -B4096",
};

static void roundtrip_all(enum decomp_format f, const char **opts, size_t nopts)
{
    /* Empty, one byte, short text, runs, noise, and 200 KB of kernel code. */
    static const struct {
        unsigned int kind;
        size_t size;
    } gen[] = {{2, 0}, {0, 1}, {2, 100}, {1, 70000}, {0, 70000}, {2, 150000}};
    struct pvt_buf k = kernel_slice(2 << 20, 200000);

    for (size_t o = 0; o < nopts; o++) {
        for (size_t g = 0; g < sizeof(gen) / sizeof(gen[0]); g++) {
            struct pvt_buf in = make_input(gen[g].kind, gen[g].size);

            expect_roundtrip(f, opts[o], &in);
            pvt_free(&in);
        }
        expect_roundtrip(f, opts[o], &k);
    }
    pvt_free(&k);
}

START_TEST(test_xz_reference)
{
    roundtrip_all(DECOMP_XZ, xz_opts, sizeof(xz_opts) / sizeof(xz_opts[0]));
}
END_TEST

START_TEST(test_gzip_reference)
{
    roundtrip_all(DECOMP_GZIP, gzip_opts, sizeof(gzip_opts) / sizeof(gzip_opts[0]));
}
END_TEST

START_TEST(test_zstd_reference)
{
    roundtrip_all(DECOMP_ZSTD, zstd_opts, sizeof(zstd_opts) / sizeof(zstd_opts[0]));
}
END_TEST

/* gzip's optional header fields: the stored name. */
START_TEST(test_gzip_header_fields)
{
    struct pvt_buf in = make_input(2, 5000), z = tool("gzip -c -N", &in), out;
    struct decomp_result res;

    ck_assert_uint_ne(z.data[3] & 0x08, 0); /* FNAME */
    ck_assert_int_eq(decode(DECOMP_GZIP, &z, in.size, &out, &res), 0);
    ck_assert_mem_eq(out.data, in.data, in.size);
    pvt_free(&out);
    pvt_free(&z);
    pvt_free(&in);
}
END_TEST

/* The real thing: /boot/vmlinuz's xz payload, and its ELF through gzip and zstd. */
START_TEST(test_debian_kernel)
{
    struct pvt_buf bz = pvt_read_file(PVABI_VMLINUZ), payload, ref, out, z;
    struct pv_bzimage info;
    struct decomp_result res;

    ck_assert_int_eq(pv_bzimage_inspect(bz.data, bz.size, &info), 0);
    ck_assert_int_eq(info.format, DECOMP_XZ);
    payload.data = bz.data + info.payload_off;
    payload.size = info.payload_len;
    ref = tool("xz -dc --single-stream", &payload);
    ck_assert_uint_eq(info.kernel_size, ref.size);

    out.data = malloc(info.kernel_size);
    ck_assert_int_eq(pv_bzimage_decompress(bz.data, &info, out.data, work), 0);
    ck_assert_mem_eq(out.data, ref.data, ref.size);
    free(out.data);
    /* The stream ends 4 bytes before the payload does: the appended size. */
    ck_assert_int_eq(decode(DECOMP_XZ, &payload, ref.size, &out, &res), 0);
    ck_assert_uint_eq(res.in_used, payload.size - 4);
    pvt_free(&out);

    /* Its first 16 MiB (code and data) as gzip and zstd would pack them. */
    ref.size = 16u << 20;
    z = tool("gzip -c -6", &ref);
    ck_assert_int_eq(decode(DECOMP_GZIP, &z, ref.size, &out, &res), 0);
    ck_assert_mem_eq(out.data, ref.data, ref.size);
    pvt_free(&out);
    pvt_free(&z);
    z = tool("zstd -qc -3", &ref);
    ck_assert_int_eq(decode(DECOMP_ZSTD, &z, ref.size, &out, &res), 0);
    ck_assert_mem_eq(out.data, ref.data, ref.size);
    pvt_free(&out);
    pvt_free(&z);
    pvt_free(&ref);
    pvt_free(&bz);
}
END_TEST

static uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static bool known_code(int rc)
{
    return rc == 0 || rc == DECOMP_ETRUNC || rc == DECOMP_ECORRUPT || rc == DECOMP_ECHECK ||
           rc == DECOMP_ENOSPACE || rc == DECOMP_EUNSUPP || rc == DECOMP_EFORMAT;
}

/*
 * 1,000 damaged copies of one stream: bit flips, byte overwrites, short
 * copies, zeroed or swapped runs, and some decoded into a short buffer.
 * Every one must return a known code and stay inside its buffers.
 */
static void mutate_all(enum decomp_format f, const char *cmd, bool checksummed)
{
    /* CHECK_DECOMPRESS_MUTATIONS=N runs a longer soak by hand. */
    const char *env = getenv("CHECK_DECOMPRESS_MUTATIONS");
    int total = env ? atoi(env) : 1000;
    struct pvt_buf plain = kernel_slice(5 << 20, 60000), z = tool(cmd, &plain);
    unsigned int count[8] = {0};
    uint64_t x = 0x2545F4914F6CDD1Dull ^ (uint64_t)f ^ (env ? (uint64_t)total << 20 : 0);

    for (int n = 0; n < total; n++) {
        struct pvt_buf m = pvt_copy(&z, z.size), out;
        struct decomp_result res;
        size_t cap = plain.size;
        bool truncated = false, damaged = true;
        int rc;

        switch (rnd(&x) % 6) {
        case 0: /* a few bit flips anywhere */
            for (uint64_t k = 1 + rnd(&x) % 4; k; k--)
                m.data[rnd(&x) % m.size] ^= (uint8_t)(1u << (rnd(&x) % 8));
            break;
        case 1: /* header and first block: where the structure is */
            m.data[rnd(&x) % (m.size < 64 ? m.size : 64)] = (uint8_t)rnd(&x);
            break;
        case 2: /* truncation */
            m.size = rnd(&x) % z.size;
            truncated = true;
            break;
        case 3: /* a zeroed run */
        {
            size_t at = rnd(&x) % m.size, len = 1 + rnd(&x) % 64;

            for (size_t k = at; k < m.size && k < at + len; k++)
                m.data[k] = 0;
            break;
        }
        case 4: /* the tail: checks, index, footer */
            m.data[m.size - 1 - rnd(&x) % (m.size < 24 ? m.size : 24)] ^=
                (uint8_t)(1 + rnd(&x) % 255);
            break;
        default: /* intact stream, output buffer too short */
            cap = rnd(&x) % plain.size;
            damaged = false;
            break;
        }
        rc = decode(f, &m, cap, &out, &res);
        PVT_CHECK_MSG(known_code(rc), "%s mutation %d: unknown code %d", cmd, n, rc);
        if (truncated || !damaged)
            PVT_CHECK_MSG(rc < 0, "%s mutation %d: a short stream or buffer decoded", cmd, n);
        if (rc == 0 && checksummed) /* whatever passes a checksum is the original */
            PVT_CHECK_MSG(res.out_len == plain.size && !memcmp(out.data, plain.data, plain.size),
                          "%s mutation %d: wrong output passed the check", cmd, n);
        count[-rc < 8 ? -rc : 7]++;
        pvt_free(&out);
        pvt_free(&m);
    }
    printf("%s: %d mutations: %u ok, %u truncated, %u corrupt, %u check, %u nospace, %u unsupp, "
           "%u format\n",
           cmd, total, count[0], count[1], count[2], count[3], count[4], count[5], count[6]);
    pvt_free(&z);
    pvt_free(&plain);
}

START_TEST(test_xz_mutations)
{
    mutate_all(DECOMP_XZ, "xz -zc --x86 --lzma2=preset=6 --check=crc32", true);
}
END_TEST

START_TEST(test_gzip_mutations)
{
    mutate_all(DECOMP_GZIP, "gzip -c -9", true);
}
END_TEST

START_TEST(test_zstd_mutations)
{
    mutate_all(DECOMP_ZSTD, "zstd -qc -19", true);
}
END_TEST

/* Every prefix of a small stream of each format is an error, never a crash. */
START_TEST(test_every_truncation)
{
    static const char *cmds[] = {"xz -zc --check=crc64", "gzip -c", "zstd -qc"};
    static const enum decomp_format fmts[] = {DECOMP_XZ, DECOMP_GZIP, DECOMP_ZSTD};
    struct pvt_buf in = make_input(2, 3000);

    for (int k = 0; k < 3; k++) {
        struct pvt_buf z = tool(cmds[k], &in);

        for (size_t n = 0; n < z.size; n++) {
            struct pvt_buf t = pvt_copy(&z, n), out;
            struct decomp_result res;
            int rc = decode(fmts[k], &t, in.size, &out, &res);

            PVT_CHECK_MSG(rc < 0 && known_code(rc), "%s cut to %zu: %d", cmds[k], n, rc);
            pvt_free(&out);
            pvt_free(&t);
        }
        pvt_free(&z);
    }
    pvt_free(&in);
}
END_TEST

/* Each failure names its cause. */
START_TEST(test_error_codes)
{
    struct pvt_buf in = make_input(2, 20000), z, out;
    struct decomp_result res;

    /* Unknown magic. */
    ck_assert_int_eq(decode(DECOMP_XZ, &in, in.size, &out, &res), DECOMP_EFORMAT);
    pvt_free(&out);
    ck_assert_int_eq(decomp_detect(in.data, in.size), DECOMP_NONE);

    /* xz: a SHA-256 check is unsupported; a damaged CRC32 check fails; output too big. */
    z = tool("xz -zc --check=sha256", &in);
    ck_assert_int_eq(decode(DECOMP_XZ, &z, in.size, &out, &res), DECOMP_EUNSUPP);
    pvt_free(&out);
    pvt_free(&z);
    z = tool("xz -zc --check=crc32", &in);
    ck_assert_int_eq(decode(DECOMP_XZ, &z, in.size - 1, &out, &res), DECOMP_ENOSPACE);
    pvt_free(&out);
    /* The block's check is the 4 bytes before the index (0x00 indicator, 1 record). */
    z.data[z.size - 12 - 12 - 1] ^= 1;
    ck_assert_int_eq(decode(DECOMP_XZ, &z, in.size, &out, &res), DECOMP_ECHECK);
    pvt_free(&out);
    pvt_free(&z);

    /* gzip: the trailer's CRC32. */
    z = tool("gzip -c", &in);
    z.data[z.size - 8] ^= 0x80;
    ck_assert_int_eq(decode(DECOMP_GZIP, &z, in.size, &out, &res), DECOMP_ECHECK);
    pvt_free(&out);
    pvt_free(&z);

    /* zstd: the content checksum; a dictionary is unsupported. */
    z = tool("zstd -qc", &in);
    z.data[z.size - 1] ^= 0x01;
    ck_assert_int_eq(decode(DECOMP_ZSTD, &z, in.size, &out, &res), DECOMP_ECHECK);
    pvt_free(&out);
    pvt_free(&z);
    {
        /* A frame header naming dictionary 7 (one-byte ID), single segment, then an RLE block. */
        uint8_t frame[] = {0x28, 0xB5, 0x2F, 0xFD, 0x21, 0x07, 0x05, 0x2B, 0x00, 0x00, 'a'};
        struct pvt_buf d = {frame, sizeof(frame)};

        ck_assert_int_eq(decode(DECOMP_ZSTD, &d, 5, &out, &res), DECOMP_EUNSUPP);
        pvt_free(&out);
        frame[5] = 0; /* dictionary ID 0 means none */
        ck_assert_int_eq(decode(DECOMP_ZSTD, &d, 5, &out, &res), 0);
        ck_assert_mem_eq(out.data, "aaaaa", 5);
        pvt_free(&out);
    }
    ck_assert_str_eq(decomp_strerror(DECOMP_ECHECK), "integrity check failed");
    pvt_free(&in);
}
END_TEST

static Suite *decompress_suite(void)
{
    Suite *s = suite_create("decompress");
    TCase *tc = tcase_create("decompress");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_xz_reference);
    tcase_add_test(tc, test_gzip_reference);
    tcase_add_test(tc, test_zstd_reference);
    tcase_add_test(tc, test_gzip_header_fields);
    tcase_add_test(tc, test_error_codes);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_xz_mutations);
    tcase_add_test(tc, test_gzip_mutations);
    tcase_add_test(tc, test_zstd_mutations);
    tcase_add_test(tc, test_debian_kernel);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(decompress_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
