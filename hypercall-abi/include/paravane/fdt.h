/*
 * A read-only reader of flattened device trees (the DTB format of the
 * Devicetree Specification, chapter 5; what dtc and libfdt write).
 *
 * Freestanding code shared by the hypervisor (boot-time domains from a
 * multiboot module) and the host tools and tests. A blob handed in is
 * untrusted input: pvfdt_open() checks the header and walks the whole
 * structure block once before anything else reads it, and every accessor
 * still checks the offset it is given, so no call reads outside the
 * buffer whatever the bytes are. Nothing is allocated; state lives in the
 * caller's struct pvfdt.
 *
 * A tree pvfdt_open() accepts is one libfdt's fdt_check_full() also
 * accepts, read the same way (tests/hypercall-abi/check_fdt.c holds the
 * two readers side by side). It is stricter in places, each refused with
 * its own message:
 *   - version 17 only (what dtc and libfdt have written since 2008), with
 *     last_comp_version at most 17;
 *   - the reservation map 8-byte aligned, the structure block 4-byte
 *     aligned, the blocks inside the blob;
 *   - a property name must be a NUL-terminated string inside the strings
 *     block; a node's properties come before its subnodes (as the
 *     specification says; libfdt would not see properties placed after);
 *   - a non-root node has a non-empty name; nesting is at most
 *     PVFDT_MAX_DEPTH deep.
 *
 * Nodes and properties are named by their offset in the structure block
 * (as libfdt's are). All errors are negative Xen errnos: -XEN_EINVAL for a
 * malformed blob (open) or a bad offset or value (accessors), -XEN_ENOENT
 * for something absent.
 */
#ifndef PARAVANE_FDT_H
#define PARAVANE_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PVFDT_MAGIC     0xd00dfeedu
#define PVFDT_MAX_DEPTH 16
#define PVFDT_PATH_MAX  128 /* an error's node path, NUL included (longer: cut) */

struct pvfdt {
    const uint8_t *blob;
    uint32_t size; /* the header's totalsize, <= the buffer */
    uint32_t struct_off, struct_size;
    uint32_t strings_off, strings_size;
};

/* Why a blob (or a description in it) was refused, for a log line. */
struct pvfdt_error {
    const char *what;          /* static text */
    uint32_t offset;           /* in the blob, of the offending bytes */
    char node[PVFDT_PATH_MAX]; /* path of the node concerned; "" for the header */
    char prop[32];             /* property concerned, or "" */
};

/* Does the buffer start like a device tree (its magic)? */
bool pvfdt_is_fdt(const void *buf, size_t size);

/*
 * Check SIZE bytes at BLOB as a device tree and set T up to read it.
 * 0, or -XEN_EINVAL with ERR filled (ERR may be NULL).
 */
int pvfdt_open(struct pvfdt *t, const void *blob, size_t size, struct pvfdt_error *err);

/* The root node (always offset of the first BEGIN_NODE). */
int pvfdt_root(const struct pvfdt *t);
/* A node's first subnode / next sibling: an offset, or -XEN_ENOENT. */
int pvfdt_first_child(const struct pvfdt *t, int node);
int pvfdt_next_sibling(const struct pvfdt *t, int node);
/* The subnode called NAME (unit address included), or -XEN_ENOENT. */
int pvfdt_subnode(const struct pvfdt *t, int node, const char *name);
/* A node's name ("" for the root), or NULL for a bad offset. */
const char *pvfdt_name(const struct pvfdt *t, int node);
/* "/chosen/domU1" into BUF (cut to CAP); 0 or -XEN_EINVAL. */
int pvfdt_path(const struct pvfdt *t, int node, char *buf, size_t cap);

/* A node's properties in order: an offset, or -XEN_ENOENT. */
int pvfdt_first_prop(const struct pvfdt *t, int node);
int pvfdt_next_prop(const struct pvfdt *t, int prop);
/* A property's name, value and length; 0 or -XEN_EINVAL. */
int pvfdt_prop(const struct pvfdt *t, int prop, const char **name, const uint8_t **val,
               uint32_t *len);
/* The property NAME of NODE: its value (LEN set), or NULL when absent. */
const uint8_t *pvfdt_getprop(const struct pvfdt *t, int node, const char *name, uint32_t *len);

/*
 * Typed reads of NODE's property NAME: 0, -XEN_ENOENT (absent) or
 * -XEN_EINVAL (wrong size or shape). An integer is one 32-bit cell or,
 * for _u64, one or two cells (high first). A string is one
 * NUL-terminated string filling the value.
 */
int pvfdt_prop_u32(const struct pvfdt *t, int node, const char *name, uint32_t *out);
int pvfdt_prop_u64(const struct pvfdt *t, int node, const char *name, uint64_t *out);
int pvfdt_prop_string(const struct pvfdt *t, int node, const char *name, const char **out);
/* Is COMPAT one of the strings of NODE's "compatible"? */
bool pvfdt_compatible(const struct pvfdt *t, int node, const char *compat);

/* Fill ERR for NODE (path), PROP (may be NULL) and WHAT. */
void pvfdt_set_error(const struct pvfdt *t, struct pvfdt_error *err, int node, const char *prop,
                     const char *what);

#endif /* PARAVANE_FDT_H */
