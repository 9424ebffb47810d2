/*
 * Private helpers of the freestanding PV loader files: little-endian loads
 * from unaligned image bytes, overflow-checked range tests and byte loops.
 *
 * These files are compiled inside the hypervisor (no libc) and on the host
 * (with libc), so nothing here may call memcpy/memset/str* by name: every
 * helper is a static inline loop under a pv_ name.
 */
#ifndef PARAVANE_PV_LIB_H
#define PARAVANE_PV_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline uint16_t pv_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t pv_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t pv_le64(const uint8_t *p)
{
    return (uint64_t)pv_le32(p) | ((uint64_t)pv_le32(p + 4) << 32);
}

/* Big-endian loads (flattened device trees are big-endian). */
static inline uint32_t pv_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline uint64_t pv_be64(const uint8_t *p)
{
    return ((uint64_t)pv_be32(p) << 32) | pv_be32(p + 4);
}

/* Is [off, off + len) inside an object of size bytes? (No wrap possible.) */
static inline bool pv_range_ok(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* a + b without wrapping; false (and *sum untouched) when it would wrap. */
static inline bool pv_add_ok(uint64_t a, uint64_t b, uint64_t *sum)
{
    if (a > UINT64_MAX - b)
        return false;
    *sum = a + b;
    return true;
}

/* Round x up to a multiple of the power of two a; false if that wraps. */
static inline bool pv_roundup_ok(uint64_t x, uint64_t a, uint64_t *out)
{
    uint64_t t;

    if (!pv_add_ok(x, a - 1, &t))
        return false;
    *out = t & ~(a - 1);
    return true;
}

static inline void pv_memzero(void *dst, size_t n)
{
    volatile uint8_t *d = dst; /* volatile: keep the compiler from emitting memset() */

    while (n--)
        *d++ = 0;
}

/* Bounded string copy into dst[cap]: at most n source bytes, stop at NUL. */
static inline void pv_strlcpy_n(char *dst, size_t cap, const uint8_t *src, size_t n)
{
    size_t i;

    for (i = 0; i + 1 < cap && i < n && src[i] != 0; i++)
        dst[i] = (char)src[i];
    dst[i] = 0;
}

/* Does the NUL-terminated s start with prefix? */
static inline bool pv_str_starts(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return false;
    return true;
}

static inline bool pv_str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

#endif /* PARAVANE_PV_LIB_H */
