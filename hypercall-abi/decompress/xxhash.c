/*
 * XXH64 with seed 0 (the xxHash specification, version 0.1.1), which zstd
 * stores the low 32 bits of as a frame's content checksum.
 */
#include "private.h"

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static inline uint64_t rotl(uint64_t x, unsigned int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t lane(uint64_t acc, uint64_t in)
{
    return rotl(acc + in * P2, 31) * P1;
}

static inline uint64_t fold(uint64_t acc, uint64_t v)
{
    return (acc ^ lane(0, v)) * P1 + P4;
}

uint64_t dc_xxh64(const uint8_t *p, size_t n)
{
    const uint8_t *end = p + n;
    uint64_t h;

    if (n >= 32) {
        uint64_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = 0 - P1;

        for (; end - p >= 32; p += 32) {
            v1 = lane(v1, dc_le64(p));
            v2 = lane(v2, dc_le64(p + 8));
            v3 = lane(v3, dc_le64(p + 16));
            v4 = lane(v4, dc_le64(p + 24));
        }
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
        h = fold(fold(fold(fold(h, v1), v2), v3), v4);
    } else {
        h = P5;
    }
    h += n;
    for (; end - p >= 8; p += 8)
        h = rotl(h ^ lane(0, dc_le64(p)), 27) * P1 + P4;
    if (end - p >= 4) {
        h = rotl(h ^ ((uint64_t)dc_le32(p) * P1), 23) * P2 + P3;
        p += 4;
    }
    for (; p < end; p++)
        h = rotl(h ^ (*p * P5), 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}
