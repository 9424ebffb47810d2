/*
 * The .xz container (The .xz File Format 1.1.0): stream header, blocks,
 * index, stream footer. Each block names its filter chain; the chains
 * decoded here are LZMA2 alone and BCJ x86 before LZMA2, which is what
 * Linux's kernel compression produces.
 *
 * Every size the container states is checked against what decoding found:
 * a block's own header sizes, the index's record of every block (compared
 * through a running CRC of the records, so no list of blocks is kept),
 * and the footer's backward size. Checks: none, CRC32 and CRC64; SHA-256
 * is refused as unsupported rather than skipped, so nothing passes
 * unchecked.
 */
#include "private.h"

#define HEADER_SIZE     12
#define FOOTER_SIZE     12
#define CHECK_NONE      0x0
#define CHECK_CRC32     0x1
#define CHECK_CRC64     0x4
#define FILTER_BCJ_X86  0x04
#define FILTER_LZMA2    0x21
#define MAX_FILTERS     4
#define VLI_MAX_BYTES   9
#define BLOCK_HAS_CSIZE 0x40
#define BLOCK_HAS_USIZE 0x80

static const uint8_t magic[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};

struct xz_work {
    uint32_t crc32[DC_CRC32_SLICES][256];
    uint64_t crc64[256];
    _Alignas(16) uint8_t lzma2[LZMA2_STATE_SIZE];
};
_Static_assert(sizeof(struct xz_work) <= DECOMP_WORK_SIZE, "xz work outgrew the work area");

struct xz_stream {
    struct xz_work *w;
    const uint8_t *in;
    size_t in_len, i;
    unsigned int check;
    uint64_t blocks;
    uint32_t records_crc;  /* CRC32 over each block's (unpadded, uncompressed) */
    uint64_t unpadded_sum; /* over all blocks, to match the index's sums */
    uint64_t out_sum;
};

static size_t check_size(unsigned int check)
{
    /* Sizes of all sixteen check IDs: 0, then 4, 8, 16, 32, 64 bytes in threes. */
    return check == 0 ? 0 : (size_t)4 << ((check - 1) / 3);
}

/* A variable-length integer: 7 bits a byte, low first, at most 63 bits, no redundant zero byte. */
static int read_vli(const uint8_t *p, size_t len, size_t *i, uint64_t *val)
{
    uint64_t v = 0;

    for (unsigned int n = 0; n < VLI_MAX_BYTES; n++) {
        uint8_t b;

        if (*i == len)
            return DECOMP_ETRUNC;
        b = p[(*i)++];
        v |= (uint64_t)(b & 0x7f) << (7 * n);
        if (!(b & 0x80)) {
            if (n && b == 0)
                return DECOMP_ECORRUPT;
            *val = v;
            return 0;
        }
    }
    return DECOMP_ECORRUPT;
}

static void record_block(struct xz_stream *s, uint64_t unpadded, uint64_t usize)
{
    uint8_t rec[16];

    for (int k = 0; k < 8; k++) {
        rec[k] = (uint8_t)(unpadded >> (8 * k));
        rec[8 + k] = (uint8_t)(usize >> (8 * k));
    }
    s->records_crc = dc_crc32(s->w->crc32, s->records_crc, rec, sizeof(rec));
    s->blocks++;
    s->unpadded_sum += unpadded;
    s->out_sum += usize;
}

struct block_header {
    size_t size;
    uint64_t csize, usize; /* UINT64_MAX when not stated */
    uint32_t dict_size;
    bool bcj;
    uint32_t bcj_start;
};

static int parse_filters(const uint8_t *h, size_t end, size_t *i, unsigned int n,
                         struct block_header *bh)
{
    for (unsigned int f = 0; f < n; f++) {
        uint64_t id, psize;
        int rc = read_vli(h, end, i, &id);

        if (!rc)
            rc = read_vli(h, end, i, &psize);
        if (rc)
            return rc == DECOMP_ETRUNC ? DECOMP_ECORRUPT : rc;
        if (psize > end - *i)
            return DECOMP_ECORRUPT;
        if (f + 1 < n) { /* only the last filter may be LZMA2; before it only BCJ x86 */
            if (id != FILTER_BCJ_X86 || f != 0)
                return id == FILTER_LZMA2 ? DECOMP_ECORRUPT : DECOMP_EUNSUPP;
            if (psize == 4)
                bh->bcj_start = dc_le32(h + *i);
            else if (psize != 0)
                return DECOMP_EUNSUPP;
            bh->bcj = true;
        } else {
            uint8_t b;

            if (id != FILTER_LZMA2)
                return DECOMP_EUNSUPP;
            if (psize != 1)
                return DECOMP_ECORRUPT;
            b = h[*i];
            if (b > 40)
                return DECOMP_ECORRUPT;
            bh->dict_size = b == 40 ? 0xFFFFFFFFu : (2u | (b & 1u)) << (b / 2 + 11);
        }
        *i += (size_t)psize;
    }
    return 0;
}

static int parse_block_header(struct xz_stream *s, struct block_header *bh)
{
    const uint8_t *h = s->in + s->i;
    size_t avail = s->in_len - s->i, i = 2, end;
    uint8_t flags;
    int rc;

    bh->size = ((size_t)h[0] + 1) * 4;
    if (bh->size > avail)
        return DECOMP_ETRUNC;
    end = bh->size - 4;
    if (dc_crc32(s->w->crc32, 0, h, end) != dc_le32(h + end))
        return DECOMP_ECHECK;
    flags = h[1];
    if (flags & 0x3c)
        return DECOMP_EUNSUPP; /* reserved bits: a newer format version */
    bh->csize = bh->usize = UINT64_MAX;
    bh->bcj = false;
    bh->bcj_start = 0;
    if (flags & BLOCK_HAS_CSIZE) {
        rc = read_vli(h, end, &i, &bh->csize);
        if (rc || bh->csize == 0)
            return DECOMP_ECORRUPT;
    }
    if (flags & BLOCK_HAS_USIZE) {
        rc = read_vli(h, end, &i, &bh->usize);
        if (rc)
            return DECOMP_ECORRUPT;
    }
    rc = parse_filters(h, end, &i, (flags & 3u) + 1, bh);
    if (rc)
        return rc;
    while (i < end)
        if (h[i++] != 0)
            return DECOMP_EUNSUPP; /* header padding is zero in this version */
    return 0;
}

static int verify_check(struct xz_stream *s, const uint8_t *data, size_t len)
{
    const uint8_t *stored = s->in + s->i;

    switch (s->check) {
    case CHECK_CRC32:
        if (dc_crc32(s->w->crc32, 0, data, len) != dc_le32(stored))
            return DECOMP_ECHECK;
        break;
    case CHECK_CRC64:
        if (dc_crc64(s->w->crc64, 0, data, len) != dc_le64(stored))
            return DECOMP_ECHECK;
        break;
    default:
        break;
    }
    s->i += check_size(s->check);
    return 0;
}

static int decode_block(struct xz_stream *s, uint8_t *out, size_t out_cap, size_t *out_pos)
{
    struct block_header bh;
    size_t start = *out_pos, used = 0, csize, pad;
    int rc = parse_block_header(s, &bh);

    if (rc)
        return rc;
    s->i += bh.size;
    rc = lzma2_decode((struct lzma2_state *)s->w->lzma2, bh.dict_size, s->in + s->i,
                      s->in_len - s->i, &used, out, out_cap, out_pos);
    if (rc)
        return rc;
    csize = used;
    if ((bh.csize != UINT64_MAX && bh.csize != csize) ||
        (bh.usize != UINT64_MAX && bh.usize != *out_pos - start))
        return DECOMP_ECORRUPT;
    s->i += csize;
    for (pad = 0; (csize + pad) & 3; pad++) {
        if (s->i == s->in_len)
            return DECOMP_ETRUNC;
        if (s->in[s->i++] != 0)
            return DECOMP_ECORRUPT;
    }
    if (bh.bcj)
        bcj_x86_decode(out + start, *out_pos - start, bh.bcj_start);
    if (s->in_len - s->i < check_size(s->check))
        return DECOMP_ETRUNC;
    rc = verify_check(s, out + start, *out_pos - start);
    if (rc)
        return rc;
    record_block(s, bh.size + csize + check_size(s->check), *out_pos - start);
    return 0;
}

/* The index repeats every block's sizes; it must agree with what was decoded. */
static int decode_index(struct xz_stream *s, size_t *index_size)
{
    size_t start = s->i, i = s->i + 1; /* past the zero indicator */
    uint64_t count, unpadded_sum = 0, out_sum = 0;
    uint32_t crc = 0;
    int rc = read_vli(s->in, s->in_len, &i, &count);

    if (rc)
        return rc;
    if (count != s->blocks)
        return DECOMP_ECORRUPT;
    for (uint64_t n = 0; n < count; n++) {
        uint64_t unpadded, usize;
        uint8_t rec[16];

        rc = read_vli(s->in, s->in_len, &i, &unpadded);
        if (!rc)
            rc = read_vli(s->in, s->in_len, &i, &usize);
        if (rc)
            return rc;
        for (int k = 0; k < 8; k++) {
            rec[k] = (uint8_t)(unpadded >> (8 * k));
            rec[8 + k] = (uint8_t)(usize >> (8 * k));
        }
        crc = dc_crc32(s->w->crc32, crc, rec, sizeof(rec));
        unpadded_sum += unpadded;
        out_sum += usize;
    }
    if (crc != s->records_crc || unpadded_sum != s->unpadded_sum || out_sum != s->out_sum)
        return DECOMP_ECORRUPT;
    while ((i - start) & 3) {
        if (i == s->in_len)
            return DECOMP_ETRUNC;
        if (s->in[i++] != 0)
            return DECOMP_ECORRUPT;
    }
    if (s->in_len - i < 4)
        return DECOMP_ETRUNC;
    if (dc_crc32(s->w->crc32, 0, s->in + start, i - start) != dc_le32(s->in + i))
        return DECOMP_ECHECK;
    i += 4;
    *index_size = i - start;
    s->i = i;
    return 0;
}

int xz_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, void *work,
              struct decomp_result *res)
{
    struct xz_stream s = {.w = work, .in = in, .in_len = in_len};
    size_t out_pos = 0, index_size = 0;
    const uint8_t *f;
    int rc;

    if (in_len < HEADER_SIZE) {
        for (size_t k = 0; k < in_len && k < sizeof(magic); k++)
            if (in[k] != magic[k])
                return DECOMP_EFORMAT;
        return DECOMP_ETRUNC;
    }
    for (size_t k = 0; k < sizeof(magic); k++)
        if (in[k] != magic[k])
            return DECOMP_EFORMAT;
    dc_crc32_init(s.w->crc32);
    if (dc_crc32(s.w->crc32, 0, in + 6, 2) != dc_le32(in + 8))
        return DECOMP_ECHECK;
    if (in[6] != 0 || (in[7] & 0xf0))
        return DECOMP_EUNSUPP;
    s.check = in[7];
    if (s.check != CHECK_NONE && s.check != CHECK_CRC32 && s.check != CHECK_CRC64)
        return DECOMP_EUNSUPP;
    if (s.check == CHECK_CRC64)
        dc_crc64_init(s.w->crc64);
    s.i = HEADER_SIZE;

    for (;;) {
        if (s.i == in_len)
            return DECOMP_ETRUNC;
        if (in[s.i] == 0)
            break;
        rc = decode_block(&s, out, out_cap, &out_pos);
        if (rc)
            return rc;
    }
    rc = decode_index(&s, &index_size);
    if (rc)
        return rc;

    if (in_len - s.i < FOOTER_SIZE)
        return DECOMP_ETRUNC;
    f = in + s.i;
    if (f[10] != 'Y' || f[11] != 'Z')
        return DECOMP_ECORRUPT;
    if (dc_crc32(s.w->crc32, 0, f + 4, 6) != dc_le32(f))
        return DECOMP_ECHECK;
    if (f[8] != in[6] || f[9] != in[7] || ((uint64_t)dc_le32(f + 4) + 1) * 4 != index_size)
        return DECOMP_ECORRUPT;
    res->in_used = s.i + FOOTER_SIZE;
    res->out_len = out_pos;
    return 0;
}
