/*
 * Physical memory map arithmetic (see mm/memmap.h).
 *
 * Maps are small (tens of regions), so everything is a linear pass or an
 * insertion sort; clarity wins over cleverness here.
 */
#include "mm/memmap.h"
#include "compiler.h"
#include <xen/errno.h>

int memmap_add(struct memmap *m, paddr_t start, paddr_t end, uint32_t type)
{
    if (end <= start)
        return -XEN_EINVAL;
    if (m->nr >= MEMMAP_MAX)
        return -XEN_ENOSPC;
    m->r[m->nr].start = start;
    m->r[m->nr].end = end;
    m->r[m->nr].type = type;
    m->nr++;
    return 0;
}

static void remove_at(struct memmap *m, unsigned int i)
{
    for (unsigned int j = i + 1; j < m->nr; j++)
        m->r[j - 1] = m->r[j];
    m->nr--;
}

void memmap_normalise(struct memmap *m)
{
    for (unsigned int i = 1; i < m->nr; i++) {
        struct mem_region x = m->r[i];
        unsigned int j = i;
        while (j > 0 && m->r[j - 1].start > x.start) {
            m->r[j] = m->r[j - 1];
            j--;
        }
        m->r[j] = x;
    }
    for (unsigned int i = 1; i < m->nr;) {
        struct mem_region *prev = &m->r[i - 1], *cur = &m->r[i];
        if (prev->type == cur->type && cur->start <= prev->end) {
            prev->end = MAX(prev->end, cur->end);
            remove_at(m, i);
        } else {
            i++;
        }
    }
}

int memmap_reserve(struct memmap *m, paddr_t start, paddr_t end)
{
    if (end <= start)
        return 0;
    for (unsigned int i = 0; i < m->nr;) {
        struct mem_region *r = &m->r[i];

        if (r->end <= start || r->start >= end) {
            i++;
            continue;
        }
        if (r->start >= start && r->end <= end) {
            remove_at(m, i);
            continue;
        }
        if (r->start < start && r->end > end) {
            /* Split in two: the tail becomes a new region. */
            int rc = memmap_add(m, end, r->end, r->type);
            if (rc)
                return rc;
            r = &m->r[i];
            r->end = start;
        } else if (r->start < start) {
            r->end = start;
        } else {
            r->start = end;
        }
        i++;
    }
    return 0;
}

int memmap_free_ram(const struct memmap *fw, struct memmap *free)
{
    int rc;

    free->nr = 0;
    for (unsigned int i = 0; i < fw->nr; i++) {
        paddr_t s = PAGE_ALIGN(fw->r[i].start), e = fw->r[i].end & PAGE_MASK;
        if (fw->r[i].type != MEM_RAM || e <= s)
            continue;
        rc = memmap_add(free, s, e, MEM_RAM);
        if (rc)
            return rc;
    }
    /* Firmware maps may overlap; a non-RAM claim always wins. */
    for (unsigned int i = 0; i < fw->nr; i++) {
        if (fw->r[i].type == MEM_RAM)
            continue;
        rc = memmap_reserve(free, fw->r[i].start & PAGE_MASK, PAGE_ALIGN(fw->r[i].end));
        if (rc)
            return rc;
    }
    memmap_normalise(free);
    return 0;
}

uint64_t memmap_total(const struct memmap *m, uint32_t type)
{
    uint64_t t = 0;
    for (unsigned int i = 0; i < m->nr; i++)
        if (!type || m->r[i].type == type)
            t += m->r[i].end - m->r[i].start;
    return t;
}

paddr_t memmap_top(const struct memmap *m, uint32_t type)
{
    paddr_t top = 0;
    for (unsigned int i = 0; i < m->nr; i++)
        if (!type || m->r[i].type == type)
            top = MAX(top, m->r[i].end);
    return top;
}

paddr_t memmap_alloc(struct memmap *m, uint64_t size, uint64_t align, paddr_t limit)
{
    paddr_t best = 0;

    if (!size || !align || (align & (align - 1)))
        return 0;
    for (unsigned int i = 0; i < m->nr; i++) {
        paddr_t end = MIN(m->r[i].end, limit), s;
        if (end < size || end - size < m->r[i].start)
            continue;
        s = ROUNDDOWN(end - size, align);
        if (s < m->r[i].start || s == 0)
            continue;
        best = MAX(best, s);
    }
    if (best && memmap_reserve(m, best, best + size))
        return 0;
    return best;
}

const char *memmap_type_name(uint32_t type)
{
    switch (type) {
    case MEM_RAM:
        return "RAM";
    case MEM_RESERVED:
        return "reserved";
    case MEM_ACPI:
        return "ACPI data";
    case MEM_NVS:
        return "ACPI NVS";
    case MEM_UNUSABLE:
        return "unusable";
    default:
        return "unknown";
    }
}
