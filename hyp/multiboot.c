/*
 * Multiboot information parsing: multiboot 1 (QEMU's -kernel, GRUB's
 * `multiboot`) and multiboot2 (GRUB's `multiboot2`/`module2`, as Xen is
 * booted), told apart by the magic the loader leaves in EAX.
 *
 * The loader's structures live in memory the allocator will reuse, so
 * everything is copied into boot_info here; strings are bounded and
 * truncated with a warning, never overrun. Command lines: most loaders
 * put the file's path first, GRUB 2 does not (as Xen's cmdline_cook()
 * knows), so the first word is dropped unless the loader names itself GRUB.
 */
#include "multiboot.h"
#include "asm/page.h"
#include "console.h"
#include "lib.h"
#include <xen/errno.h>

struct boot_info boot_info;

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
} __packed;

struct mb_module {
    uint32_t mod_start, mod_end;
    uint32_t string;
    uint32_t reserved;
} __packed;

struct mb_mmap {
    uint32_t size; /* of the rest of the entry */
    uint64_t addr, len;
    uint32_t type;
} __packed;

#define MBI_CMDLINE (1u << 2)
#define MBI_MODS    (1u << 3)
#define MBI_MMAP    (1u << 6)
#define MBI_MEM     (1u << 0)
#define MBI_LOADER  (1u << 9)

struct mb2_tag {
    uint32_t type, size; /* size: of the tag, header included, unpadded */
};

#define MB2_TAG_END     0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER  2
#define MB2_TAG_MODULE  3
#define MB2_TAG_MEMINFO 4
#define MB2_TAG_MMAP    6
#define MB2_INFO_MAX    MiB(1) /* a sanity bound on total_size */

static void copy_string(char *dst, size_t size, paddr_t src, const char *what)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    if (strlcpy(dst, __va(src), size) >= size)
        pr_warn("multiboot: %s truncated to %zu bytes\n", what, size - 1);
}

/* A string inside a multiboot2 tag: at most n bytes, NUL or not. */
static void copy_bounded(char *dst, size_t size, const char *src, size_t n, const char *what)
{
    size_t i;

    for (i = 0; i < n && i + 1 < size && src[i]; i++)
        dst[i] = src[i];
    dst[i] = '\0';
    if (i + 1 == size && i < n && src[i])
        pr_warn("multiboot: %s truncated to %zu bytes\n", what, size - 1);
}

static bool loader_is_grub(const char *name)
{
    return strncmp(name, "GRUB", 4) == 0;
}

/* Loaders pass "<file path> <options>" for the image and each module:
 * keep the options. */
static void strip_image_name(char *s)
{
    char *p = s;

    while (*p && *p != ' ')
        p++;
    while (*p == ' ')
        p++;
    memmove(s, p, strlen(p) + 1);
}

static void strip_image_names(void)
{
    strip_image_name(boot_info.cmdline);
    for (unsigned int i = 0; i < boot_info.nr_modules; i++)
        strip_image_name(boot_info.mod[i].cmdline);
}

static void add_module(paddr_t start, paddr_t end)
{
    struct boot_module *bm = &boot_info.mod[boot_info.nr_modules++];

    bm->start = start;
    bm->end = end;
}

static int mb1_parse(paddr_t mbi_pa)
{
    const struct mb_info *mbi = __va(mbi_pa);

    if (mbi->flags & MBI_CMDLINE)
        copy_string(boot_info.cmdline, sizeof(boot_info.cmdline), mbi->cmdline, "command line");

    if (mbi->flags & MBI_MMAP) {
        paddr_t p = mbi->mmap_addr, end = p + mbi->mmap_length;
        while (p + sizeof(struct mb_mmap) <= end) {
            const struct mb_mmap *e = __va(p);
            if (e->len && memmap_add(&boot_info.fw_map, e->addr, e->addr + e->len, e->type))
                pr_warn("multiboot: memory map entry dropped (map full)\n");
            p += e->size + sizeof(e->size);
        }
    } else if (mbi->flags & MBI_MEM) {
        memmap_add(&boot_info.fw_map, 0, KiB(mbi->mem_lower), MEM_RAM);
        memmap_add(&boot_info.fw_map, MiB(1), MiB(1) + KiB(mbi->mem_upper), MEM_RAM);
    } else {
        pr_err("multiboot: the loader gave no memory map\n");
        return -XEN_EINVAL;
    }
    memmap_normalise(&boot_info.fw_map);

    if (mbi->flags & MBI_MODS) {
        const struct mb_module *m = __va(mbi->mods_addr);
        unsigned int n = mbi->mods_count;

        if (n > MAX_BOOT_MODULES) {
            pr_warn("multiboot: %u modules, only the first %u are used\n", n, MAX_BOOT_MODULES);
            n = MAX_BOOT_MODULES;
        }
        for (unsigned int i = 0; i < n; i++) {
            if (m[i].mod_end < m[i].mod_start) {
                pr_warn("multiboot: module %u has a negative size, ignored\n", i);
                continue;
            }
            add_module(m[i].mod_start, m[i].mod_end);
            copy_string(boot_info.mod[boot_info.nr_modules - 1].cmdline,
                        sizeof(boot_info.mod[0].cmdline), m[i].string, "module command line");
        }
    }
    if (!(mbi->flags & MBI_LOADER) || !mbi->boot_loader_name ||
        !loader_is_grub(__va(mbi->boot_loader_name)))
        strip_image_names();
    return 0;
}

/* The multiboot2 memory map: entries of entry_size bytes after a 16-byte head. */
static void mb2_mmap(const uint8_t *tag, uint32_t size)
{
    uint32_t esize = *(const uint32_t *)(tag + 8);

    if (esize < sizeof(struct mb_mmap) - sizeof(uint32_t)) {
        pr_warn("multiboot2: memory map entries of %u bytes ignored\n", esize);
        return;
    }
    for (uint32_t off = 16; off + esize <= size; off += esize) {
        const uint8_t *e = tag + off;
        uint64_t addr = *(const uint64_t *)e, len = *(const uint64_t *)(e + 8);
        uint32_t type = *(const uint32_t *)(e + 16);

        if (len && addr + len > addr && memmap_add(&boot_info.fw_map, addr, addr + len, type))
            pr_warn("multiboot2: memory map entry dropped (map full)\n");
    }
}

/*
 * The multiboot2 information: total size, reserved, then tags, each
 * 8-byte aligned, to an end tag. Every tag's size is checked against the
 * total before any of it is read.
 */
static int mb2_parse(paddr_t mbi_pa)
{
    const uint8_t *base = __va(mbi_pa);
    uint32_t total = *(const uint32_t *)base, off = 8;
    bool grub = false, have_map = false, ended = false;
    uint32_t mem_lower = 0, mem_upper = 0;
    bool have_meminfo = false;
    unsigned int seen = 0;

    if (total < 16 || total > MB2_INFO_MAX) {
        pr_err("multiboot2: implausible information size %u\n", total);
        return -XEN_EINVAL;
    }
    while (!ended && off + sizeof(struct mb2_tag) <= total) {
        const struct mb2_tag *t = (const void *)(base + off);
        const uint8_t *body = base + off + sizeof(*t);
        uint32_t blen;

        if (t->size < sizeof(*t) || t->size > total - off) {
            pr_err("multiboot2: tag %u at offset %u has a bad size %u\n", t->type, off, t->size);
            return -XEN_EINVAL;
        }
        blen = t->size - sizeof(*t);
        switch (t->type) {
        case MB2_TAG_END:
            ended = true;
            break;
        case MB2_TAG_CMDLINE:
            copy_bounded(boot_info.cmdline, sizeof(boot_info.cmdline), (const char *)body, blen,
                         "command line");
            break;
        case MB2_TAG_LOADER:
            grub = blen >= 4 && loader_is_grub((const char *)body);
            break;
        case MB2_TAG_MODULE: {
            uint32_t start, end;

            if (blen < 8)
                break;
            start = *(const uint32_t *)body;
            end = *(const uint32_t *)(body + 4);
            if (seen++ >= MAX_BOOT_MODULES) {
                pr_warn("multiboot2: more than %u modules, the rest are ignored\n",
                        MAX_BOOT_MODULES);
                break;
            }
            if (end < start) {
                pr_warn("multiboot2: module %u has a negative size, ignored\n", seen - 1);
                break;
            }
            add_module(start, end);
            copy_bounded(boot_info.mod[boot_info.nr_modules - 1].cmdline,
                         sizeof(boot_info.mod[0].cmdline), (const char *)body + 8, blen - 8,
                         "module command line");
            break;
        }
        case MB2_TAG_MEMINFO:
            if (blen >= 8) {
                mem_lower = *(const uint32_t *)body;
                mem_upper = *(const uint32_t *)(body + 4);
                have_meminfo = true;
            }
            break;
        case MB2_TAG_MMAP:
            if (blen >= 8) {
                mb2_mmap(base + off, t->size);
                have_map = true;
            }
            break;
        default:
            break; /* framebuffer, ACPI, EFI...: not needed here */
        }
        off += (t->size + 7) & ~7u;
    }
    if (!have_map && have_meminfo) {
        memmap_add(&boot_info.fw_map, 0, KiB(mem_lower), MEM_RAM);
        memmap_add(&boot_info.fw_map, MiB(1), MiB(1) + KiB(mem_upper), MEM_RAM);
    } else if (!have_map) {
        pr_err("multiboot2: the loader gave no memory map\n");
        return -XEN_EINVAL;
    }
    memmap_normalise(&boot_info.fw_map);
    if (!grub)
        strip_image_names();
    return 0;
}

int multiboot_parse(uint32_t magic, paddr_t mbi_pa)
{
    if (magic == MULTIBOOT_BOOTLOADER_MAGIC)
        return mb1_parse(mbi_pa);
    if (magic == MULTIBOOT2_BOOTLOADER_MAGIC) {
        pr_info("multiboot2: booted by a multiboot2 loader\n");
        return mb2_parse(mbi_pa);
    }
    pr_err("multiboot: bad magic %#x\n", magic);
    return -XEN_EINVAL;
}
