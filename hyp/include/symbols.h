/*
 * Function-symbol lookup for backtraces. The table is generated from the
 * first link of the image (tools/gensyms.sh) and linked into the second.
 */
#ifndef PARAVANE_SYMBOLS_H
#define PARAVANE_SYMBOLS_H

#include "types.h"

/*
 * Find the function containing `addr`. Returns its name (and the offset
 * into it and the function's size through the pointers), or NULL.
 */
const char *symbol_lookup(unsigned long addr, unsigned long *offset, unsigned long *size);

/* Is `addr` inside the hypervisor's text? */
bool is_hyp_text(unsigned long addr);

#endif
