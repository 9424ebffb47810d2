/*
 * Multiboot 1 information parsing.
 *
 * The loader's structures live in memory the allocator will reuse, so
 * everything is copied into boot_info here; strings are bounded and
 * truncated with a warning, never overrun.
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

static void copy_string(char *dst, size_t size, paddr_t src, const char *what)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    if (strlcpy(dst, __va(src), size) >= size)
        pr_warn("multiboot: %s truncated to %zu bytes\n", what, size - 1);
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

int multiboot_parse(uint32_t magic, paddr_t mbi_pa)
{
    const struct mb_info *mbi = __va(mbi_pa);

    if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
        pr_err("multiboot: bad magic %#x\n", magic);
        return -XEN_EINVAL;
    }
    if (mbi->flags & MBI_CMDLINE) {
        copy_string(boot_info.cmdline, sizeof(boot_info.cmdline), mbi->cmdline, "command line");
        strip_image_name(boot_info.cmdline);
    }

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
            struct boot_module *bm = &boot_info.mod[boot_info.nr_modules++];
            bm->start = m[i].mod_start;
            bm->end = m[i].mod_end;
            copy_string(bm->cmdline, sizeof(bm->cmdline), m[i].string, "module command line");
            strip_image_name(bm->cmdline);
        }
    }
    return 0;
}
