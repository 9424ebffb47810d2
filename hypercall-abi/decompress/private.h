/*
 * What the decompressor files share: the error codes (from the public
 * header), checksum tables and a bounds-checked input cursor.
 */
#ifndef PARAVANE_DECOMPRESS_PRIVATE_H
#define PARAVANE_DECOMPRESS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <paravane/decompress.h>

#define DC_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Tables for the reflected CRCs the containers use, built into work areas. */
#define DC_CRC32_SLICES 8
void dc_crc32_init(uint32_t table[DC_CRC32_SLICES][256]);
uint32_t dc_crc32(const uint32_t table[DC_CRC32_SLICES][256], uint32_t crc, const uint8_t *p,
                  size_t n);
void dc_crc64_init(uint64_t table[256]);
uint64_t dc_crc64(const uint64_t table[256], uint64_t crc, const uint8_t *p, size_t n);

/* xxHash64 with seed 0 over [p, p + n) (zstd's content checksum). */
uint64_t dc_xxh64(const uint8_t *p, size_t n);

/* LZMA2 (lzma2.c): decode the chunk sequence at in into out[*out_pos..cap). */
struct lzma2_state;
#define LZMA2_STATE_SIZE ((size_t)32 * 1024)
int lzma2_decode(struct lzma2_state *s, uint32_t dict_size, const uint8_t *in, size_t in_len,
                 size_t *in_used, uint8_t *out, size_t out_cap, size_t *out_pos);

/* The x86 branch converter, decoding direction, over a whole block. */
void bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start);

/* DEFLATE (inflate.c): one raw stream at in into out[*out_pos..cap). */
struct inflate_state;
#define INFLATE_STATE_SIZE ((size_t)12 * 1024)
int inflate_raw(struct inflate_state *s, const uint8_t *in, size_t in_len, size_t *in_used,
                uint8_t *out, size_t out_cap, size_t *out_pos);

static inline uint32_t dc_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t dc_le64(const uint8_t *p)
{
    return (uint64_t)dc_le32(p) | ((uint64_t)dc_le32(p + 4) << 32);
}

#endif /* PARAVANE_DECOMPRESS_PRIVATE_H */
