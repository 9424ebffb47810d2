/*
 * Basic types for the hypervisor. The compiler's freestanding headers give
 * the fixed-width integers; everything else is defined here once.
 */
#ifndef PARAVANE_TYPES_H
#define PARAVANE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef uint64_t paddr_t; /* machine physical address */
typedef uint64_t vaddr_t; /* hypervisor or guest virtual address */
typedef uint64_t mfn_t;   /* machine frame number */
typedef int64_t s_time_t; /* system time in nanoseconds since boot */

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define PFN_DOWN(x)   ((x) >> PAGE_SHIFT)
#define PFN_UP(x)     (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#endif
