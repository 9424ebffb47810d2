/*
 * What the boot loader handed over (multiboot 1 or 2), copied out of the
 * loader's structures into hypervisor memory before anything can overwrite
 * them.
 */
#ifndef PARAVANE_MULTIBOOT_H
#define PARAVANE_MULTIBOOT_H

#include "mm/memmap.h"
#include "types.h"

#define MULTIBOOT_BOOTLOADER_MAGIC  0x2badb002
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289
#define MAX_BOOT_MODULES            16
#define BOOT_CMDLINE_MAX            1024

struct boot_module {
    paddr_t start, end; /* [start, end) */
    /* A kernel's: "<path> " and a guest command line of up to Xen's
     * MAX_GUEST_CMDLINE (1024) bytes, kept whole. */
    char cmdline[BOOT_CMDLINE_MAX + 256];
};

struct boot_info {
    char cmdline[BOOT_CMDLINE_MAX]; /* hypervisor options (image path stripped) */
    unsigned int nr_modules;
    struct boot_module mod[MAX_BOOT_MODULES];
    struct memmap fw_map; /* firmware memory map */
};

extern struct boot_info boot_info;

/*
 * Parse the multiboot (magic MULTIBOOT_BOOTLOADER_MAGIC) or multiboot2
 * (MULTIBOOT2_BOOTLOADER_MAGIC) information at physical `mbi` (mapped by
 * the boot page tables). Returns 0 or a negative Xen errno; the reason is logged.
 */
int multiboot_parse(uint32_t magic, paddr_t mbi);

#endif
