/*
 * The reflected CRC-32 (polynomial 0xEDB88320, as in gzip and xz) and
 * CRC-64 (ECMA-182 reflected, 0xC96C5795D7870F42, xz's check type 4),
 * table driven. The tables are built into the caller's work area: the
 * decoders keep no mutable globals, and a constant table in the source
 * would be 3 KiB of numbers no reader can check.
 */
#include "private.h"

void dc_crc32_init(uint32_t table[DC_CRC32_SLICES][256])
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t r = i;
        for (int k = 0; k < 8; k++)
            r = (r >> 1) ^ (0xEDB88320u & (0u - (r & 1)));
        table[0][i] = r;
    }
    /* table[k][i]: the CRC of byte i followed by k zero bytes. */
    for (int k = 1; k < DC_CRC32_SLICES; k++)
        for (uint32_t i = 0; i < 256; i++)
            table[k][i] = (table[k - 1][i] >> 8) ^ table[0][table[k - 1][i] & 0xff];
}

/*
 * crc is the running value as the formats store it (pre/post inverted).
 * Eight bytes a step, each through its own table (so the lookups do not
 * wait on each other): a 63 MiB kernel is checked at boot.
 */
uint32_t dc_crc32(const uint32_t table[DC_CRC32_SLICES][256], uint32_t crc, const uint8_t *p,
                  size_t n)
{
    crc = ~crc;
    for (; n >= 8; n -= 8, p += 8) {
        uint32_t a = crc ^ dc_le32(p), b = dc_le32(p + 4);

        crc = table[7][a & 0xff] ^ table[6][(a >> 8) & 0xff] ^ table[5][(a >> 16) & 0xff] ^
              table[4][a >> 24] ^ table[3][b & 0xff] ^ table[2][(b >> 8) & 0xff] ^
              table[1][(b >> 16) & 0xff] ^ table[0][b >> 24];
    }
    while (n--)
        crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

void dc_crc64_init(uint64_t table[256])
{
    for (uint64_t i = 0; i < 256; i++) {
        uint64_t r = i;
        for (int k = 0; k < 8; k++)
            r = (r >> 1) ^ (0xC96C5795D7870F42ull & (0ull - (r & 1)));
        table[i] = r;
    }
}

uint64_t dc_crc64(const uint64_t table[256], uint64_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}
