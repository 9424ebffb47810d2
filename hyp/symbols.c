/*
 * Symbol lookup over the table the build generates (tools/gensyms.sh):
 * `symtab_count` entries sorted by address, each an address and an offset
 * into `symtab_names`. The first link of the image carries an empty table.
 */
#include "symbols.h"
#include "lib.h"

struct symtab_entry {
    uint64_t addr;
    uint64_t name;
};

extern const uint64_t symtab_count;
extern const struct symtab_entry symtab_entries[];
extern const char symtab_names[];
extern const char __image_start[], __etext[];

bool is_hyp_text(unsigned long addr)
{
    return addr >= (unsigned long)__image_start && addr < (unsigned long)__etext;
}

const char *symbol_lookup(unsigned long addr, unsigned long *offset, unsigned long *size)
{
    uint64_t lo = 0, hi = symtab_count;

    if (!is_hyp_text(addr) || !hi)
        return NULL;
    /* Last entry with entry.addr <= addr. */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (symtab_entries[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (symtab_entries[lo].addr > addr)
        return NULL;
    if (offset)
        *offset = addr - symtab_entries[lo].addr;
    if (size) {
        unsigned long end =
            lo + 1 < symtab_count ? symtab_entries[lo + 1].addr : (unsigned long)__etext;
        *size = end - symtab_entries[lo].addr;
    }
    return &symtab_names[symtab_entries[lo].name];
}
