/*
 * Small-object allocator for hypervisor data structures.
 */
#ifndef PARAVANE_MM_XMALLOC_H
#define PARAVANE_MM_XMALLOC_H

#include "types.h"

/* Allocate `size` bytes aligned to at least 16 (or to the size class); NULL on failure. */
void *xmalloc_bytes(size_t size);
/* The same, zero-filled. */
void *xzalloc_bytes(size_t size);
void xfree(void *p);

#define xmalloc(type)          ((type *)xmalloc_bytes(sizeof(type)))
#define xzalloc(type)          ((type *)xzalloc_bytes(sizeof(type)))
#define xzalloc_array(type, n) ((type *)xzalloc_array_bytes(sizeof(type), (n)))

void *xzalloc_array_bytes(size_t size, size_t n);

void xmalloc_dump(void);

#endif
