/*
 * Check suite for the device tree reader (hypercall-abi/fdt.c) and the
 * boot-time domain descriptions read with it (hypercall-abi/boot_fdt.c),
 * with Debian's libfdt as the oracle: random trees written by libfdt are
 * read by both and must read the same; truncated and mutated copies must
 * never make ours read out of bounds (every blob is an exact-size heap
 * buffer, under ASan), and a blob ours accepts must be one libfdt's
 * fdt_check_full() accepts too, read identically. (libfdt is only asked
 * about blobs ours accepted: Debian's 1.6.1 fdt_check_full() itself reads
 * through a NULL name on some refused ones, a root node whose name runs
 * off the structure block.)
 */
#include <check.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include <paravane/boot_fdt.h>
#include <paravane/fdt.h>

#include "pvtest.h"

#define TREE_CAP 16384

/* --- dumps: the same text from both readers ------------------------------ */

struct dump {
    char *s;
    size_t n, cap;
};

static void put(struct dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct dump *d, const char *fmt, ...)
{
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (d->n + (size_t)len + 1 > d->cap) {
        d->cap = (d->n + (size_t)len + 1) * 2;
        d->s = realloc(d->s, d->cap);
        ck_assert_ptr_nonnull(d->s);
    }
    va_start(ap, fmt);
    vsnprintf(d->s + d->n, d->cap - d->n, fmt, ap);
    va_end(ap);
    d->n += (size_t)len;
}

static void put_value(struct dump *d, const char *name, const uint8_t *v, uint32_t len)
{
    put(d, "  %s[%u]=", name, len);
    for (uint32_t i = 0; i < len; i++)
        put(d, "%02x", v[i]);
    put(d, "\n");
}

/* PARENT's child NAME; the root's path (no parent) is "/". */
static void child_path(char *buf, size_t cap, const char *parent, const char *name)
{
    if (!parent)
        snprintf(buf, cap, "/");
    else
        snprintf(buf, cap, "%s/%s", strcmp(parent, "/") ? parent : "", name);
}

/* Paths are built by the recursion (libfdt's fdt_get_path() is not used:
 * it assumes no '/' in a name, which a mutated blob can have). */
static void ours_node(const struct pvfdt *t, int node, const char *parent, struct dump *d)
{
    char path[PVFDT_PATH_MAX], ours[PVFDT_PATH_MAX];

    child_path(path, sizeof(path), parent, pvfdt_name(t, node));
    PVT_eq(pvfdt_path(t, node, ours, sizeof(ours)), 0);
    /* (A path too long for the buffer is cut, perhaps not the same way.) */
    PVT_CHECK(strlen(path) + 1 >= sizeof(path) || !strcmp(ours, path));
    put(d, "node %s\n", path);
    for (int p = pvfdt_first_prop(t, node); p >= 0; p = pvfdt_next_prop(t, p)) {
        const char *name;
        const uint8_t *v;
        uint32_t len;

        PVT_eq(pvfdt_prop(t, p, &name, &v, &len), 0);
        put_value(d, name, v, len);
    }
    for (int c = pvfdt_first_child(t, node); c >= 0; c = pvfdt_next_sibling(t, c))
        ours_node(t, c, path, d);
}

static void libfdt_node(const void *fdt, int node, const char *parent, struct dump *d)
{
    char path[PVFDT_PATH_MAX];
    int p, c;

    child_path(path, sizeof(path), parent, fdt_get_name(fdt, node, NULL));
    put(d, "node %s\n", path);
    for (p = fdt_first_property_offset(fdt, node); p >= 0; p = fdt_next_property_offset(fdt, p)) {
        const char *name;
        int len;
        const void *v = fdt_getprop_by_offset(fdt, p, &name, &len);

        PVT_CHECK(v != NULL);
        put_value(d, name, v, (uint32_t)len);
    }
    for (c = fdt_first_subnode(fdt, node); c >= 0; c = fdt_next_subnode(fdt, c))
        libfdt_node(fdt, c, path, d);
}

static char *dump_ours(const struct pvfdt *t)
{
    struct dump d = {0};

    put(&d, "%s", "");
    ours_node(t, pvfdt_root(t), NULL, &d);
    return d.s;
}

static char *dump_libfdt(const void *fdt)
{
    struct dump d = {0};

    put(&d, "%s", "");
    libfdt_node(fdt, 0, NULL, &d);
    return d.s;
}

/* --- random trees, written by libfdt ------------------------------------- */

static const char *const prop_names[] = {
    "compatible", "reg",         "memory", "cpus", "bootargs",
    "mb-index",   "#size-cells", "status", "x",    "a-rather-long-property-name"};

static void random_node(void *fdt, unsigned int depth, unsigned int *serial)
{
    unsigned int nprops = (unsigned int)rand() % 5,
                 nkids = depth < 5 ? (unsigned int)rand() % 4 : 0;

    for (unsigned int i = 0; i < nprops; i++) {
        uint8_t val[40];
        unsigned int len = (unsigned int)rand() % sizeof(val);

        for (unsigned int j = 0; j < len; j++)
            val[j] = (uint8_t)rand();
        /* libfdt refuses a property name twice in one node: at most once each */
        if (fdt_property(fdt, prop_names[(i * 3 + (unsigned)rand() % 3) % 10], val, (int)len))
            break;
    }
    for (unsigned int i = 0; i < nkids; i++) {
        char name[32];

        snprintf(name, sizeof(name), "n%u@%x", (*serial)++, (unsigned)rand() % 256);
        ck_assert_int_eq(fdt_begin_node(fdt, name), 0);
        random_node(fdt, depth + 1, serial);
        ck_assert_int_eq(fdt_end_node(fdt), 0);
    }
}

/* A random tree in an exact-size heap buffer (*size bytes). */
static uint8_t *random_tree(size_t *size)
{
    static uint8_t work[TREE_CAP];
    unsigned int serial = 0;
    uint8_t *out;

    ck_assert_int_eq(fdt_create(work, sizeof(work)), 0);
    if (rand() % 2)
        ck_assert_int_eq(fdt_add_reservemap_entry(work, 0x1000, 0x2000), 0);
    ck_assert_int_eq(fdt_finish_reservemap(work), 0);
    ck_assert_int_eq(fdt_begin_node(work, ""), 0);
    random_node(work, 0, &serial);
    ck_assert_int_eq(fdt_end_node(work), 0);
    ck_assert_int_eq(fdt_finish(work), 0);
    /* NOPs where a node or property was (libfdt's fdt_nop_*). */
    if (rand() % 2) {
        int node = fdt_path_offset(work, "/n0@0") >= 0 ? fdt_first_subnode(work, 0) : -1;
        if (node >= 0 && rand() % 2)
            fdt_nop_node(work, node);
        else if (fdt_first_property_offset(work, 0) >= 0)
            fdt_nop_property(work, 0, fdt_get_name(work, 0, NULL));
    }
    *size = fdt_totalsize(work);
    out = malloc(*size);
    ck_assert_ptr_nonnull(out);
    memcpy(out, work, *size);
    return out;
}

START_TEST(test_random_trees_read_as_libfdt)
{
    srand(1);
    for (int i = 0; i < 300; i++) {
        size_t size;
        uint8_t *b = random_tree(&size);
        struct pvfdt_error err;
        struct pvfdt t;
        char *a, *o;

        ck_assert_int_eq(fdt_check_full(b, size), 0);
        ck_assert_msg(pvfdt_open(&t, b, size, &err) == 0, "tree %d refused: %s at %s", i, err.what,
                      err.node);
        a = dump_ours(&t);
        o = dump_libfdt(b);
        ck_assert_str_eq(a, o);
        free(a);
        free(o);
        free(b);
    }
}
END_TEST

/* Every prefix of a tree is refused, cleanly, but the whole. */
START_TEST(test_truncated_everywhere)
{
    size_t size;
    uint8_t *b;

    srand(2);
    b = random_tree(&size);
    for (size_t n = 0; n < size; n++) {
        uint8_t *c = malloc(n ? n : 1);
        struct pvfdt_error err;
        struct pvfdt t;

        memcpy(c, b, n);
        PVT_eq(pvfdt_open(&t, c, n, &err), -XEN_EINVAL);
        PVT_CHECK(err.what != NULL);
        PVT_eq(pvfdt_root(&t), -XEN_EINVAL); /* a refused tree reads as nothing */
        free(c);
    }
    free(b);
}
END_TEST

/* Words worth writing over a tree's: tags, sizes at the edges, offsets. */
static uint32_t nasty_word(void)
{
    static const uint32_t w[] = {0,          1,          2,          3,          4,
                                 9,          0xffffffff, 0x7fffffff, 0x80000000, 0xfffffffc,
                                 0xd00dfeed, 16,         17,         40,         0x1000};
    return rand() % 3 ? w[(unsigned)rand() % (sizeof(w) / sizeof(w[0]))] : (uint32_t)rand();
}

static void mutate(uint8_t *b, size_t size)
{
    unsigned int n = 1 + (unsigned)rand() % 3;

    while (n--) {
        size_t at = (size_t)rand() % size;

        if (rand() % 2 && size >= 4) {
            uint32_t v = nasty_word();

            at &= ~(size_t)3;
            if (at + 4 > size)
                at = size - 4;
            b[at] = (uint8_t)(v >> 24);
            b[at + 1] = (uint8_t)(v >> 16);
            b[at + 2] = (uint8_t)(v >> 8);
            b[at + 3] = (uint8_t)v;
        } else {
            b[at] ^= (uint8_t)(1u << (rand() % 8));
        }
    }
}

/*
 * 5,000 mutated trees: ours never reads past the buffer (ASan), and what
 * it accepts libfdt accepts and reads the same; the boot-domain reader
 * runs on each accepted one as well.
 */
START_TEST(test_mutations_libfdt_oracle)
{
    unsigned int accepted = 0, refused = 0;

    srand(3);
    for (int i = 0; i < 5000; i++) {
        size_t size;
        uint8_t *b = random_tree(&size);
        struct pv_boot_domain_desc doms[PV_BOOT_MAX_DOMAINS];
        struct pvfdt_error err;
        struct pvfdt t;
        unsigned int n;

        mutate(b, size);
        if (rand() % 8 == 0) /* and sometimes cut short as well */
            size -= (size_t)rand() % size;
        {
            uint8_t *shorter = realloc(b, size ? size : 1); /* exact size again, for ASan */

            ck_assert_ptr_nonnull(shorter);
            b = shorter;
        }
        if (pvfdt_open(&t, b, size, &err)) {
            PVT_CHECK(err.what != NULL);
            refused++;
            free(b);
            continue;
        }
        accepted++;
        PVT_CHECK_MSG(fdt_check_full(b, size) == 0, "mutation %d: accepted, libfdt says %s", i,
                      fdt_strerror(fdt_check_full(b, size)));
        char *a = dump_ours(&t), *o = dump_libfdt(b);
        if (strcmp(a, o))
            fprintf(stderr, "mutation %d, ours:\n%s--- libfdt:\n%s", i, a, o);
        PVT_CHECK_MSG(!strcmp(a, o), "mutation %d read differently (dumps above)", i);
        free(a);
        free(o);
        pv_boot_fdt_domains(&t, 16, 0xfffe, 8, doms, PV_BOOT_MAX_DOMAINS, &n, &err);
        free(b);
    }
    fprintf(stderr, "check_fdt: mutations: %u accepted, %u refused\n", accepted, refused);
    ck_assert_uint_gt(accepted, 100);
    ck_assert_uint_gt(refused, 1000); /* about 2 in 3 */
}
END_TEST

/* --- refusals, each with its node named ---------------------------------- */

/* Start a tree in W: no reservations, the root and /chosen open. */
static void begin_chosen(uint8_t *w, size_t cap)
{
    ck_assert_int_eq(fdt_create(w, (int)cap), 0);
    ck_assert_int_eq(fdt_finish_reservemap(w), 0);
    ck_assert_int_eq(fdt_begin_node(w, ""), 0);
    ck_assert_int_eq(fdt_begin_node(w, "chosen"), 0);
}

/* Close /chosen and the root, finish, and copy W to an exact-size buffer. */
static uint8_t *end_chosen(uint8_t *w, size_t *size)
{
    uint8_t *out;

    fdt_end_node(w);
    fdt_end_node(w);
    ck_assert_int_eq(fdt_finish(w), 0);
    *size = fdt_totalsize(w);
    out = malloc(*size);
    ck_assert_ptr_nonnull(out);
    memcpy(out, w, *size);
    return out;
}

/* A small tree with /chosen/good and /chosen/bad (which has a memory property). */
static uint8_t *chosen_tree(size_t *size)
{
    static uint8_t w[4096];

    begin_chosen(w, sizeof(w));
    fdt_begin_node(w, "good");
    fdt_property_u32(w, "cpus", 1);
    fdt_end_node(w);
    fdt_begin_node(w, "bad");
    fdt_property_u32(w, "memory", 0x12345678);
    fdt_end_node(w);
    return end_chosen(w, size);
}

/* The offset of the PROP tag of "memory" in the tree's blob. */
static size_t memory_prop_at(const uint8_t *b)
{
    int node = fdt_path_offset(b, "/chosen/bad");
    int prop = fdt_first_property_offset(b, node);

    ck_assert_int_ge(prop, 0);
    return fdt_off_dt_struct(b) + (size_t)prop;
}

static void be32_put(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

START_TEST(test_refusals_name_the_node)
{
    static const struct {
        unsigned int word; /* from the memory PROP tag, in words */
        uint32_t value;
        const char *what;
    } cases[] = {
        {0, 7, "an unknown tag in the structure block"},
        {1, 0x7ffffff0, "a property value runs past the structure block"},
        {2, 0x7ffffff0, "a property name outside the strings block"},
    };
    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t size;
        uint8_t *b = chosen_tree(&size);
        struct pvfdt_error err;
        struct pvfdt t;

        be32_put(b + memory_prop_at(b) + 4 * cases[i].word, cases[i].value);
        ck_assert_int_eq(pvfdt_open(&t, b, size, &err), -XEN_EINVAL);
        ck_assert_str_eq(err.what, cases[i].what);
        ck_assert_str_eq(err.node, "/chosen/bad");
        free(b);
    }
}
END_TEST

/* libfdt's writer lets a property follow a subnode; the specification does not. */
START_TEST(test_property_after_subnode)
{
    static uint8_t w[1024];
    struct pvfdt_error err;
    struct pvfdt t;
    size_t size;
    uint8_t *b;

    begin_chosen(w, sizeof(w));
    fdt_begin_node(w, "kid");
    fdt_end_node(w);
    fdt_property_u32(w, "late", 1);
    b = end_chosen(w, &size);
    ck_assert_int_eq(pvfdt_open(&t, b, size, &err), -XEN_EINVAL);
    ck_assert_str_eq(err.what, "a property after a subnode");
    ck_assert_str_eq(err.node, "/chosen");
    free(b);
}
END_TEST

START_TEST(test_header_refusals)
{
    size_t size;
    uint8_t *b = chosen_tree(&size);
    struct pvfdt_error err;
    struct pvfdt t;

    ck_assert_int_eq(pvfdt_open(&t, b, size, &err), 0);
    be32_put(b + 20, 16); /* version 16 */
    ck_assert_int_eq(pvfdt_open(&t, b, size, &err), -XEN_EINVAL);
    ck_assert_str_eq(err.what, "not a version 17 device tree");
    ck_assert_str_eq(err.node, "");
    be32_put(b + 20, 17);
    ck_assert_int_eq(pvfdt_open(&t, b, size - 1, &err), -XEN_EINVAL);
    ck_assert_str_eq(err.what, "totalsize does not fit the module");
    b[0] = 0;
    ck_assert(!pvfdt_is_fdt(b, size));
    ck_assert_int_eq(pvfdt_open(&t, b, size, &err), -XEN_EINVAL);
    ck_assert_str_eq(err.what, "no device tree magic");
    free(b);
}
END_TEST

/* --- boot-time domain descriptions --------------------------------------- */

struct dom_spec {
    const char *name;
    int memory_cells; /* 0: none, 1 or 2 */
    uint64_t memory_kib;
    int cpus; /* <0: absent */
    int kernel, ramdisk;
    const char *bootargs;
    bool second_kernel;
    int weight; /* <0: absent */
};

static uint8_t *domains_tree(const struct dom_spec *d, unsigned int n, size_t *size)
{
    static uint8_t w[TREE_CAP];
    char name[32];

    begin_chosen(w, sizeof(w));
    fdt_property_string(w, "bootargs", "not a domain");
    fdt_begin_node(w, "other");
    fdt_property_string(w, "compatible", "vendor,thing");
    fdt_end_node(w);
    for (unsigned int i = 0; i < n; i++) {
        fdt_begin_node(w, d[i].name);
        fdt_property(w, "compatible", "xen,domain\0", 11);
        if (d[i].memory_cells == 1)
            fdt_property_u32(w, "memory", (uint32_t)d[i].memory_kib);
        else if (d[i].memory_cells == 2)
            fdt_property_u64(w, "memory", d[i].memory_kib);
        if (d[i].cpus >= 0)
            fdt_property_u32(w, "cpus", (uint32_t)d[i].cpus);
        if (d[i].weight >= 0)
            fdt_property_u32(w, "sched-weight", (uint32_t)d[i].weight);
        for (int k = 0; k < (d[i].second_kernel ? 2 : 1); k++) {
            snprintf(name, sizeof(name), "module@%d", d[i].kernel + k);
            fdt_begin_node(w, name);
            fdt_property(w, "compatible", "multiboot,kernel\0multiboot,module", 34);
            fdt_property_u32(w, "mb-index", (uint32_t)d[i].kernel);
            if (d[i].bootargs)
                fdt_property_string(w, "bootargs", d[i].bootargs);
            fdt_end_node(w);
        }
        if (d[i].ramdisk >= 0) {
            fdt_begin_node(w, "ramdisk");
            fdt_property(w, "compatible", "multiboot,ramdisk\0multiboot,module", 35);
            fdt_property_u32(w, "mb-index", (uint32_t)d[i].ramdisk);
            fdt_end_node(w);
        }
        fdt_end_node(w);
    }
    return end_chosen(w, size);
}

static int read_domains(const struct dom_spec *d, unsigned int n, struct pv_boot_domain_desc *out,
                        unsigned int *got, struct pvfdt_error *err)
{
    size_t size;
    uint8_t *b = domains_tree(d, n, &size);
    struct pvfdt t;
    int rc;

    ck_assert_int_eq(pvfdt_open(&t, b, size, err), 0);
    rc = pv_boot_fdt_domains(&t, 8, 0xfc /* modules 2..7 */, 4, out, 3, got, err);
    if (!rc)
        for (unsigned int i = 0; i < *got; i++)
            out[i].bootargs = out[i].bootargs ? strdup(out[i].bootargs) : NULL;
    free(b);
    return rc;
}

START_TEST(test_domains_read)
{
    struct dom_spec d[] = {
        {"domU1", 2, 131072, 2, 2, 3, "console=hvc0 quiet", false, 512},
        {"domU2", 1, 65536, -1, 4, -1, NULL, false, -1},
    };
    struct pv_boot_domain_desc out[3];
    struct pvfdt_error err;
    unsigned int n;

    ck_assert_int_eq(read_domains(d, 2, out, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(out[0].name, "domU1");
    ck_assert_uint_eq(out[0].memory_kib, 131072);
    ck_assert_uint_eq(out[0].cpus, 2);
    ck_assert_uint_eq(out[0].kernel, 2);
    ck_assert_uint_eq(out[0].ramdisk, 3);
    ck_assert_str_eq(out[0].bootargs, "console=hvc0 quiet");
    ck_assert_uint_eq(out[0].sched.given, PV_BOOT_SCHED_WEIGHT);
    ck_assert_uint_eq(out[0].sched.weight, 512);
    ck_assert_str_eq(out[1].name, "domU2");
    ck_assert_uint_eq(out[1].memory_kib, 65536);
    ck_assert_uint_eq(out[1].cpus, 1);
    ck_assert_uint_eq(out[1].ramdisk, PV_BOOT_NO_MODULE);
    ck_assert_ptr_null(out[1].bootargs);
    ck_assert_uint_eq(out[1].sched.given, 0);
    free((char *)out[0].bootargs);
}
END_TEST

static char long_args[1025]; /* 1024 x's: one too many for start_info */

START_TEST(test_domain_refusals_name_the_node)
{
    static const struct {
        struct dom_spec d;
        const char *node, *prop, *what;
    } cases[] = {
        {{"a", 0, 0, 1, 2, -1, NULL, false, -1}, "/chosen/a", "memory", "missing"},
        {{"b", 2, 0, 1, 2, -1, NULL, false, -1}, "/chosen/b", "memory", "out of range"},
        {{"c", 2, 1024, 5, 2, -1, NULL, false, -1}, "/chosen/c", "cpus", "out of range"},
        {{"d", 2, 1024, 1, 0, -1, NULL, false, -1},
         "/chosen/d/module@0",
         "mb-index",
         "names dom0's kernel or a device tree"},
        {{"e", 2, 1024, 1, 9, -1, NULL, false, -1},
         "/chosen/e/module@9",
         "mb-index",
         "names a module the loader did not give"},
        {{"f", 2, 1024, 1, 2, 1, NULL, false, -1},
         "/chosen/f/ramdisk",
         "mb-index",
         "names dom0's kernel or a device tree"},
        {{"g", 2, 1024, 1, 2, -1, NULL, true, -1},
         "/chosen/g/module@3",
         "compatible",
         "a second kernel module"},
        {{"h", 2, 1024, 1, 2, -1, NULL, false, 0}, "/chosen/h", "sched-weight", "out of range"},
        {{"i", 2, 1024, 1, 2, -1, long_args, false, -1},
         "/chosen/i/module@2",
         "bootargs",
         "longer than a guest command line (1023)"},
    };
    memset(long_args, 'x', sizeof(long_args) - 1);
    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pv_boot_domain_desc out[3];
        struct pvfdt_error err;
        unsigned int n;

        ck_assert_int_eq(read_domains(&cases[i].d, 1, out, &n, &err), -XEN_EINVAL);
        ck_assert_str_eq(err.node, cases[i].node);
        ck_assert_str_eq(err.prop, cases[i].prop);
        ck_assert_str_eq(err.what, cases[i].what);
    }
}
END_TEST

START_TEST(test_too_many_domains)
{
    struct dom_spec d[4];
    struct pv_boot_domain_desc out[3];
    struct pvfdt_error err;
    unsigned int n;

    for (unsigned int i = 0; i < 4; i++)
        d[i] = (struct dom_spec){"x", 2, 1024, 1, 2, -1, NULL, false, -1};
    d[3].name = "last";
    ck_assert_int_eq(read_domains(d, 4, out, &n, &err), -XEN_ENOSPC);
    ck_assert_str_eq(err.node, "/chosen/last");
}
END_TEST

/* What `vane mkboot` wrote for tests/guests/dt/domU{1,2}.cfg reads back whole. */
START_TEST(test_mkboot_tree)
{
    struct pvt_buf b = pvt_read_file(PVABI_MKBOOT_TREE);
    struct pv_boot_domain_desc d[PV_BOOT_MAX_DOMAINS];
    struct pvfdt_error err;
    struct pvfdt t;
    unsigned int n;

    ck_assert_int_eq(pvfdt_open(&t, b.data, b.size, &err), 0);
    ck_assert_int_eq(pv_boot_fdt_domains(&t, 5, 0x18, 32, d, PV_BOOT_MAX_DOMAINS, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(d[0].name, "domU1");
    ck_assert_uint_eq(d[0].memory_kib, 32 * 1024);
    ck_assert_uint_eq(d[0].cpus, 2);
    ck_assert_uint_eq(d[0].kernel, 3);
    ck_assert_uint_eq(d[0].ramdisk, 4);
    ck_assert_str_eq(d[0].bootargs, "from=tree pages=8192 vcpus=2 ramdisk=64 handshake=1");
    ck_assert_uint_eq(d[0].sched.given, PV_BOOT_SCHED_WEIGHT | PV_BOOT_SCHED_CAP);
    ck_assert_uint_eq(d[0].sched.weight, 512);
    ck_assert_uint_eq(d[0].sched.cap, 50);
    ck_assert_str_eq(d[1].name, "domU2");
    ck_assert_uint_eq(d[1].memory_kib, 16 * 1024);
    ck_assert_uint_eq(d[1].cpus, 1);
    ck_assert_uint_eq(d[1].kernel, 3); /* the same file, one module */
    ck_assert_uint_eq(d[1].ramdisk, PV_BOOT_NO_MODULE);
    ck_assert_uint_eq(d[1].sched.given, PV_BOOT_SCHED_WEIGHT);
    ck_assert_uint_eq(d[1].sched.weight, 256);
    /* And libfdt reads what ours does. */
    ck_assert_int_eq(fdt_check_full(b.data, b.size), 0);
    char *a = dump_ours(&t), *o = dump_libfdt(b.data);
    ck_assert_str_eq(a, o);
    free(a);
    free(o);
    pvt_free(&b);
}
END_TEST

/* tests/guests/dt/sedf.cfg: SEDF's keys in the domctl's nanoseconds. */
START_TEST(test_mkboot_sedf_tree)
{
    struct pvt_buf b = pvt_read_file(PVABI_MKBOOT_SEDF_TREE);
    struct pv_boot_domain_desc d[PV_BOOT_MAX_DOMAINS];
    struct pvfdt_error err;
    struct pvfdt t;
    unsigned int n;

    ck_assert_int_eq(pvfdt_open(&t, b.data, b.size, &err), 0);
    ck_assert_int_eq(pv_boot_fdt_domains(&t, 3, 0x4, 32, d, PV_BOOT_MAX_DOMAINS, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(d[0].name, "sedf1");
    ck_assert_uint_eq(d[0].kernel, 2);
    ck_assert_uint_eq(d[0].sched.given, PV_BOOT_SCHED_WEIGHT | PV_BOOT_SCHED_CAP |
                                            PV_BOOT_SCHED_PERIOD | PV_BOOT_SCHED_LATENCY |
                                            PV_BOOT_SCHED_EXTRATIME);
    ck_assert_uint_eq(d[0].sched.period_ns, 100000000);
    ck_assert_uint_eq(d[0].sched.slice_ns, 20000000);
    ck_assert_uint_eq(d[0].sched.latency_ns, 0);
    ck_assert_uint_eq(d[0].sched.extratime, 0);
    ck_assert_uint_eq(d[0].sched.cap, 10);
    pvt_free(&b);
}
END_TEST

static Suite *fdt_suite(void)
{
    Suite *s = suite_create("fdt");
    TCase *tc = tcase_create("reader");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_random_trees_read_as_libfdt);
    tcase_add_test(tc, test_truncated_everywhere);
    tcase_add_test(tc, test_mutations_libfdt_oracle);
    tcase_add_test(tc, test_refusals_name_the_node);
    tcase_add_test(tc, test_header_refusals);
    tcase_add_test(tc, test_property_after_subnode);
    suite_add_tcase(s, tc);
    tc = tcase_create("boot domains");
    tcase_add_test(tc, test_domains_read);
    tcase_add_test(tc, test_domain_refusals_name_the_node);
    tcase_add_test(tc, test_too_many_domains);
    tcase_add_test(tc, test_mkboot_tree);
    tcase_add_test(tc, test_mkboot_sedf_tree);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(fdt_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
