/*
 * The flattened device tree reader (see paravane/fdt.h).
 *
 * Layout (Devicetree Specification v0.4, chapter 5): a 40-byte header of
 * big-endian words, a memory reservation map of (address, size) pairs
 * ended by a zero size, a structure block of 4-byte-aligned tags and a
 * strings block holding property names. Every read goes through
 * read_tag() or string_at(), which check the offset against the block
 * they read before touching a byte.
 */
#include <paravane/fdt.h>
#include <xen/errno.h>

#include "pv_lib.h"

#define TAG_BEGIN_NODE 1u
#define TAG_END_NODE   2u
#define TAG_PROP       3u
#define TAG_NOP        4u
#define TAG_END        9u

#define HDR_SIZE        40u /* version 17's header */
#define HDR_MAGIC       0
#define HDR_TOTALSIZE   4
#define HDR_OFF_STRUCT  8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP  16
#define HDR_VERSION     20
#define HDR_LAST_COMP   24
#define HDR_SIZE_STRS   32
#define HDR_SIZE_STRUCT 36
#define FDT_VERSION     17u
#define RSV_ENTRY_SIZE  16u
#define FDT_SIZE_MAX    0x7fffffffu /* offsets must fit an int, as libfdt's */

/* One tag of the structure block, decoded. */
struct tag {
    uint32_t type;
    uint32_t next;     /* offset of the following tag */
    uint32_t name_len; /* BEGIN_NODE: bytes of the name, NUL excluded */
    uint32_t len;      /* PROP: bytes of the value */
    uint32_t nameoff;  /* PROP: name's offset in the strings block */
};

bool pvfdt_is_fdt(const void *buf, size_t size)
{
    return size >= 4 && pv_be32(buf) == PVFDT_MAGIC;
}

static const uint8_t *sblock(const struct pvfdt *t)
{
    return t->blob + t->struct_off;
}

/* The NUL-terminated string at OFF in the strings block, or NULL. */
static const char *string_at(const struct pvfdt *t, uint32_t off)
{
    const uint8_t *s = t->blob + t->strings_off;

    for (uint32_t i = off; i < t->strings_size; i++)
        if (!s[i])
            return (const char *)s + off;
    return NULL;
}

/* Decode the tag at OFF; 0, or -XEN_EINVAL with *WHY said. */
static int read_tag(const struct pvfdt *t, uint32_t off, struct tag *tg, const char **why)
{
    const uint8_t *s = sblock(t);
    uint64_t end;

    if ((off & 3) || !pv_range_ok(off, 4, t->struct_size)) {
        *why = "the structure block ends before its END tag";
        return -XEN_EINVAL;
    }
    tg->type = pv_be32(s + off);
    switch (tg->type) {
    case TAG_BEGIN_NODE: {
        uint32_t i = off + 4;

        while (i < t->struct_size && s[i])
            i++;
        if (i >= t->struct_size) {
            *why = "a node name runs past the structure block";
            return -XEN_EINVAL;
        }
        tg->name_len = i - (off + 4);
        end = (uint64_t)i + 1;
        break;
    }
    case TAG_PROP:
        if (!pv_range_ok(off, 12, t->struct_size)) {
            *why = "a property header runs past the structure block";
            return -XEN_EINVAL;
        }
        tg->len = pv_be32(s + off + 4);
        tg->nameoff = pv_be32(s + off + 8);
        if (!pv_range_ok((uint64_t)off + 12, tg->len, t->struct_size)) {
            *why = "a property value runs past the structure block";
            return -XEN_EINVAL;
        }
        end = (uint64_t)off + 12 + tg->len;
        break;
    case TAG_END_NODE:
    case TAG_NOP:
    case TAG_END:
        end = (uint64_t)off + 4;
        break;
    default:
        *why = "an unknown tag in the structure block";
        return -XEN_EINVAL;
    }
    /* end <= struct_size < 2^31, so rounding up cannot wrap. */
    tg->next = (uint32_t)((end + 3) & ~(uint64_t)3);
    return 0;
}

/*
 * Node names hold only the specification's characters (2.2.1: letters,
 * digits, , . _ + - and one @ before the unit address): a name with a
 * '/' would make a path ambiguous, and names reach the hypervisor's log.
 */
static bool name_ok(const uint8_t *name, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = name[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ',' || c == '.' || c == '_' || c == '+' || c == '-' || c == '@'))
            return false;
    }
    return true;
}

/* "/a/b" from the offsets of the nodes on a path, root first. */
static void path_of(const struct pvfdt *t, const uint32_t *stack, unsigned int depth, char *buf,
                    size_t cap)
{
    size_t n = 0;

    if (!cap)
        return;
    for (unsigned int d = 1; d < depth; d++) {
        const uint8_t *name = sblock(t) + stack[d] + 4; /* checked by the caller's walk */

        if (n + 1 < cap)
            buf[n++] = '/';
        for (; *name && n + 1 < cap; name++)
            buf[n++] = (char)*name;
    }
    if (!n && cap > 1)
        buf[n++] = '/';
    buf[n] = 0;
}

static void set_error(const struct pvfdt *t, struct pvfdt_error *err, const uint32_t *stack,
                      unsigned int depth, uint32_t off, const char *what)
{
    if (!err)
        return;
    err->what = what;
    err->offset = t->struct_off + off;
    err->prop[0] = 0;
    path_of(t, stack, depth, err->node, sizeof(err->node));
}

static int header_error(struct pvfdt_error *err, uint32_t off, const char *what)
{
    if (err) {
        err->what = what;
        err->offset = off;
        err->node[0] = 0;
        err->prop[0] = 0;
    }
    return -XEN_EINVAL;
}

/* Is [off, off + len) inside the blob, after the header? */
static bool block_ok(uint32_t off, uint32_t len, uint32_t total)
{
    return off >= HDR_SIZE && pv_range_ok(off, len, total);
}

static int check_header(struct pvfdt *t, size_t size, struct pvfdt_error *err)
{
    const uint8_t *b = t->blob;
    uint32_t total, rsv;

    if (size < HDR_SIZE)
        return header_error(err, 0, "shorter than a device tree header");
    if (pv_be32(b + HDR_MAGIC) != PVFDT_MAGIC)
        return header_error(err, HDR_MAGIC, "no device tree magic");
    total = pv_be32(b + HDR_TOTALSIZE);
    if (total < HDR_SIZE || total > FDT_SIZE_MAX || total > size)
        return header_error(err, HDR_TOTALSIZE, "totalsize does not fit the module");
    if (pv_be32(b + HDR_VERSION) < FDT_VERSION || pv_be32(b + HDR_LAST_COMP) > FDT_VERSION)
        return header_error(err, HDR_VERSION, "not a version 17 device tree");
    t->size = total;
    t->struct_off = pv_be32(b + HDR_OFF_STRUCT);
    t->struct_size = pv_be32(b + HDR_SIZE_STRUCT);
    t->strings_off = pv_be32(b + HDR_OFF_STRINGS);
    t->strings_size = pv_be32(b + HDR_SIZE_STRS);
    if ((t->struct_off & 3) || !block_ok(t->struct_off, t->struct_size, total))
        return header_error(err, HDR_OFF_STRUCT, "the structure block is outside the blob");
    if (!block_ok(t->strings_off, t->strings_size, total))
        return header_error(err, HDR_OFF_STRINGS, "the strings block is outside the blob");
    rsv = pv_be32(b + HDR_OFF_RSVMAP);
    if ((rsv & 7) || !block_ok(rsv, 0, total))
        return header_error(err, HDR_OFF_RSVMAP, "the reservation map is outside the blob");
    for (;; rsv += RSV_ENTRY_SIZE) {
        if (!pv_range_ok(rsv, RSV_ENTRY_SIZE, total))
            return header_error(err, rsv, "the reservation map has no end");
        if (!pv_be64(b + rsv + 8))
            break;
    }
    return 0;
}

/*
 * One pass over the structure block: tags in bounds, nodes balanced under
 * one unnamed root, properties named from the strings block and placed
 * before subnodes, then END.
 */
static int check_structure(const struct pvfdt *t, struct pvfdt_error *err)
{
    uint32_t stack[PVFDT_MAX_DEPTH];
    bool had_child[PVFDT_MAX_DEPTH];
    unsigned int depth = 0;
    bool root_seen = false;
    const char *why = NULL;
    uint32_t off = 0;
    struct tag tg;

    for (;; off = tg.next) {
        if (read_tag(t, off, &tg, &why))
            break;
        if (tg.type == TAG_NOP)
            continue;
        if (tg.type == TAG_END) {
            if (depth || !root_seen) {
                why = root_seen ? "END inside a node" : "no root node";
                break;
            }
            return 0;
        }
        if (tg.type == TAG_END_NODE) {
            if (!depth) {
                why = "END_NODE outside any node";
                break;
            }
            depth--;
            continue;
        }
        if (tg.type == TAG_PROP) {
            if (!depth) {
                why = "a property outside any node";
                break;
            }
            if (had_child[depth - 1]) {
                why = "a property after a subnode";
                break;
            }
            if (!string_at(t, tg.nameoff)) {
                why = "a property name outside the strings block";
                break;
            }
            continue;
        }
        /* TAG_BEGIN_NODE */
        if (root_seen && !depth) {
            why = "a second root node";
            break;
        }
        if (depth == PVFDT_MAX_DEPTH) {
            why = "nodes nested too deep";
            break;
        }
        if (!depth != !tg.name_len) {
            why = depth ? "a node without a name" : "the root node has a name";
            break;
        }
        if (!name_ok(sblock(t) + off + 4, tg.name_len)) {
            why = "a node name with characters the specification does not allow";
            break;
        }
        if (depth)
            had_child[depth - 1] = true;
        root_seen = true;
        stack[depth] = off;
        had_child[depth] = false;
        depth++;
    }
    set_error(t, err, stack, depth, off, why);
    return -XEN_EINVAL;
}

int pvfdt_open(struct pvfdt *t, const void *blob, size_t size, struct pvfdt_error *err)
{
    int rc;

    pv_memzero(t, sizeof(*t));
    t->blob = blob;
    rc = check_header(t, size, err);
    if (!rc)
        rc = check_structure(t, err);
    if (rc)
        t->blob = NULL; /* unusable: every accessor now refuses */
    return rc;
}

/* The tag at OFF if it is of type TYPE on an opened tree. */
static int tag_of(const struct pvfdt *t, int off, uint32_t type, struct tag *tg)
{
    const char *why;

    if (!t->blob || off < 0 || read_tag(t, (uint32_t)off, tg, &why) || tg->type != type)
        return -XEN_EINVAL;
    return 0;
}

/* From OFF, skip NOPs (and properties, if SKIP_PROPS) to a tag of type WANT. */
static int seek(const struct pvfdt *t, uint32_t off, bool skip_props, uint32_t want)
{
    struct tag tg;
    const char *why;

    for (; !read_tag(t, off, &tg, &why); off = tg.next) {
        if (tg.type == want)
            return (int)off;
        if (tg.type != TAG_NOP && !(skip_props && tg.type == TAG_PROP))
            return -XEN_ENOENT;
    }
    return -XEN_EINVAL;
}

int pvfdt_root(const struct pvfdt *t)
{
    return t->blob ? seek(t, 0, false, TAG_BEGIN_NODE) : -XEN_EINVAL;
}

int pvfdt_first_child(const struct pvfdt *t, int node)
{
    struct tag tg;

    if (tag_of(t, node, TAG_BEGIN_NODE, &tg))
        return -XEN_EINVAL;
    return seek(t, tg.next, true, TAG_BEGIN_NODE);
}

int pvfdt_next_sibling(const struct pvfdt *t, int node)
{
    unsigned int depth = 0;
    uint32_t off = (uint32_t)node;
    const char *why;
    struct tag tg;

    if (tag_of(t, node, TAG_BEGIN_NODE, &tg))
        return -XEN_EINVAL;
    /* Past the node's subtree: each step moves on by 4 bytes or more. */
    for (; !read_tag(t, off, &tg, &why); off = tg.next) {
        if (tg.type == TAG_BEGIN_NODE)
            depth++;
        else if (tg.type == TAG_END_NODE && !--depth)
            return seek(t, tg.next, false, TAG_BEGIN_NODE);
        else if (tg.type == TAG_END)
            return -XEN_EINVAL;
    }
    return -XEN_EINVAL;
}

const char *pvfdt_name(const struct pvfdt *t, int node)
{
    struct tag tg;

    if (tag_of(t, node, TAG_BEGIN_NODE, &tg))
        return NULL;
    return (const char *)sblock(t) + node + 4;
}

int pvfdt_subnode(const struct pvfdt *t, int node, const char *name)
{
    int c;

    for (c = pvfdt_first_child(t, node); c >= 0; c = pvfdt_next_sibling(t, c))
        if (pv_str_eq(pvfdt_name(t, c), name))
            return c;
    return c;
}

int pvfdt_path(const struct pvfdt *t, int node, char *buf, size_t cap)
{
    uint32_t stack[PVFDT_MAX_DEPTH];
    unsigned int depth = 0;
    uint32_t off = 0;
    const char *why;
    struct tag tg;

    if (tag_of(t, node, TAG_BEGIN_NODE, &tg))
        return -XEN_EINVAL;
    for (; !read_tag(t, off, &tg, &why); off = tg.next) {
        if (tg.type == TAG_BEGIN_NODE) {
            if (depth == PVFDT_MAX_DEPTH)
                break;
            stack[depth++] = off;
            if (off == (uint32_t)node) {
                path_of(t, stack, depth, buf, cap);
                return 0;
            }
        } else if (tg.type == TAG_END_NODE && depth) {
            depth--;
        } else if (tg.type == TAG_END) {
            break;
        }
    }
    return -XEN_EINVAL; /* NODE is not on the tree's walk */
}

int pvfdt_first_prop(const struct pvfdt *t, int node)
{
    struct tag tg;

    if (tag_of(t, node, TAG_BEGIN_NODE, &tg))
        return -XEN_EINVAL;
    return seek(t, tg.next, false, TAG_PROP);
}

int pvfdt_next_prop(const struct pvfdt *t, int prop)
{
    struct tag tg;

    if (tag_of(t, prop, TAG_PROP, &tg))
        return -XEN_EINVAL;
    return seek(t, tg.next, false, TAG_PROP);
}

int pvfdt_prop(const struct pvfdt *t, int prop, const char **name, const uint8_t **val,
               uint32_t *len)
{
    struct tag tg;
    const char *n;

    if (tag_of(t, prop, TAG_PROP, &tg) || !(n = string_at(t, tg.nameoff)))
        return -XEN_EINVAL;
    *name = n;
    *val = sblock(t) + prop + 12;
    *len = tg.len;
    return 0;
}

const uint8_t *pvfdt_getprop(const struct pvfdt *t, int node, const char *name, uint32_t *len)
{
    for (int p = pvfdt_first_prop(t, node); p >= 0; p = pvfdt_next_prop(t, p)) {
        const uint8_t *val;
        const char *n;

        if (!pvfdt_prop(t, p, &n, &val, len) && pv_str_eq(n, name))
            return val;
    }
    return NULL;
}

int pvfdt_prop_u32(const struct pvfdt *t, int node, const char *name, uint32_t *out)
{
    uint32_t len;
    const uint8_t *v = pvfdt_getprop(t, node, name, &len);

    if (!v)
        return -XEN_ENOENT;
    if (len != 4)
        return -XEN_EINVAL;
    *out = pv_be32(v);
    return 0;
}

int pvfdt_prop_u64(const struct pvfdt *t, int node, const char *name, uint64_t *out)
{
    uint32_t len;
    const uint8_t *v = pvfdt_getprop(t, node, name, &len);

    if (!v)
        return -XEN_ENOENT;
    if (len == 4)
        *out = pv_be32(v);
    else if (len == 8)
        *out = pv_be64(v);
    else
        return -XEN_EINVAL;
    return 0;
}

int pvfdt_prop_string(const struct pvfdt *t, int node, const char *name, const char **out)
{
    uint32_t len;
    const uint8_t *v = pvfdt_getprop(t, node, name, &len);

    if (!v)
        return -XEN_ENOENT;
    if (!len || v[len - 1])
        return -XEN_EINVAL;
    for (uint32_t i = 0; i + 1 < len; i++)
        if (!v[i])
            return -XEN_EINVAL;
    *out = (const char *)v;
    return 0;
}

bool pvfdt_compatible(const struct pvfdt *t, int node, const char *compat)
{
    uint32_t len, i = 0;
    const uint8_t *v = pvfdt_getprop(t, node, "compatible", &len);

    if (!v)
        return false;
    while (i < len) {
        uint32_t start = i;

        while (i < len && v[i])
            i++;
        if (i == len)
            return false; /* the last string is not terminated */
        if (pv_str_eq((const char *)v + start, compat))
            return true;
        i++;
    }
    return false;
}

void pvfdt_set_error(const struct pvfdt *t, struct pvfdt_error *err, int node, const char *prop,
                     const char *what)
{
    err->what = what;
    err->offset = t->struct_off + (node > 0 ? (uint32_t)node : 0);
    if (pvfdt_path(t, node, err->node, sizeof(err->node)))
        err->node[0] = 0;
    pv_strlcpy_n(err->prop, sizeof(err->prop), (const uint8_t *)(prop ? prop : ""),
                 sizeof(err->prop));
}
