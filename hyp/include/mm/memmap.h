/*
 * Physical memory maps: the firmware's (e820-style, from multiboot) and the
 * derived map of RAM free for the allocator.
 *
 * Pure range arithmetic, unit tested on the host. Ranges are half-open,
 * [start, end), in bytes.
 */
#ifndef PARAVANE_MM_MEMMAP_H
#define PARAVANE_MM_MEMMAP_H

#include "types.h"

#define MEMMAP_MAX 128

/* The e820 types multiboot reports. */
enum mem_type {
    MEM_RAM = 1,
    MEM_RESERVED = 2,
    MEM_ACPI = 3,
    MEM_NVS = 4,
    MEM_UNUSABLE = 5,
};

struct mem_region {
    paddr_t start, end;
    uint32_t type;
};

struct memmap {
    unsigned int nr;
    struct mem_region r[MEMMAP_MAX];
};

/* Append a region. -XEN_ENOSPC when the map is full, -XEN_EINVAL if empty. */
int memmap_add(struct memmap *m, paddr_t start, paddr_t end, uint32_t type);

/*
 * Build the free-RAM map from a firmware map: RAM regions shrunk inward to
 * whole pages, anything any non-RAM region overlaps removed, sorted and
 * merged. Returns 0 or -XEN_ENOSPC.
 */
int memmap_free_ram(const struct memmap *fw, struct memmap *free);

/* Remove [start, end) from every region of `m` (splitting). 0 or -XEN_ENOSPC. */
int memmap_reserve(struct memmap *m, paddr_t start, paddr_t end);

/* Sort by start address and merge touching regions of the same type. */
void memmap_normalise(struct memmap *m);

/* Total bytes of regions of `type` (0 = every type). */
uint64_t memmap_total(const struct memmap *m, uint32_t type);

/* One past the highest address of any region of `type` (0 = every type). */
paddr_t memmap_top(const struct memmap *m, uint32_t type);

/*
 * Carve `size` bytes aligned to `align` (a power of two) from the highest
 * free region ending at or below `limit`, removing them from `m`.
 * Returns the start address, or 0 when nothing fits (address 0 is never
 * handed out: the first page is never free RAM here).
 */
paddr_t memmap_alloc(struct memmap *m, uint64_t size, uint64_t align, paddr_t limit);

const char *memmap_type_name(uint32_t type);

#endif
