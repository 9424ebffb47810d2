/*
 * DEFLATE (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks of
 * literals and (length, distance) back-references into the last 32 KiB.
 *
 * Codes are canonical Huffman codes, read most significant bit first out
 * of a least-significant-bit-first stream. Decoding looks codes of up to
 * FAST_BITS bits up in one table indexed by the next input bits (read in
 * stream order, so each code's entry is at its bit-reversed value);
 * longer codes are rare and walk the canonical code one bit at a time.
 * Code sets must be complete, except the one-code set RFC 1951 allows for
 * distances (and zlib for literals): an unused code met there is corrupt.
 */
#include "private.h"

#define MAX_BITS   15
#define FAST_BITS  10
#define NR_LITLEN  288
#define NR_DIST    32
#define NR_CLEN    19
#define END_OF_BLK 256
#define WINDOW     32768u
#define STORED     0
#define FIXED      1
#define DYNAMIC    2

struct huff {
    uint16_t fast[1u << FAST_BITS]; /* sym << 4 | length, 0: longer than FAST_BITS or unused */
    uint16_t count[MAX_BITS + 1];   /* codes of each length */
    uint16_t sym[NR_LITLEN];        /* symbols in canonical code order */
};

struct inflate_state {
    struct huff lit, dist, clen;
    uint8_t lens[NR_LITLEN + NR_DIST];
};
_Static_assert(sizeof(struct inflate_state) <= INFLATE_STATE_SIZE,
               "inflate state outgrew its slot");

struct bits {
    const uint8_t *in;
    size_t len, i;
    uint64_t buf;
    unsigned int cnt;
};

static inline void refill(struct bits *b)
{
    while (b->cnt <= 56 && b->i < b->len) {
        b->buf |= (uint64_t)b->in[b->i++] << b->cnt;
        b->cnt += 8;
    }
}

static inline int getbits(struct bits *b, unsigned int n, uint32_t *v)
{
    if (b->cnt < n) {
        refill(b);
        if (b->cnt < n)
            return DECOMP_ETRUNC;
    }
    *v = (uint32_t)(b->buf & ((1ull << n) - 1));
    b->buf >>= n;
    b->cnt -= n;
    return 0;
}

/*
 * Build the decoding tables for n code lengths. Over-subscribed sets are
 * corrupt; incomplete ones only when `partial_ok` and at most one code.
 */
static int huff_build(struct huff *h, const uint8_t *lens, unsigned int n, bool partial_ok)
{
    uint16_t offs[MAX_BITS + 2];
    int32_t left = 1;
    unsigned int used = 0;

    for (unsigned int l = 0; l <= MAX_BITS; l++)
        h->count[l] = 0;
    for (unsigned int s = 0; s < n; s++)
        h->count[lens[s]]++;
    for (unsigned int l = 1; l <= MAX_BITS; l++) {
        left = left * 2 - h->count[l];
        if (left < 0)
            return DECOMP_ECORRUPT;
        used += h->count[l];
    }
    if (left > 0 && !(partial_ok && used <= 1))
        return DECOMP_ECORRUPT;
    offs[1] = 0;
    for (unsigned int l = 1; l <= MAX_BITS; l++)
        offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
    for (unsigned int s = 0; s < n; s++)
        if (lens[s])
            h->sym[offs[lens[s]]++] = (uint16_t)s;

    /* Walk the canonical codes in order, filling the table for short ones. */
    for (unsigned int k = 0; k < (1u << FAST_BITS); k++)
        h->fast[k] = 0;
    {
        uint32_t code = 0;
        unsigned int idx = 0;

        for (unsigned int l = 1; l <= FAST_BITS; l++) {
            for (unsigned int c = 0; c < h->count[l]; c++, idx++, code++) {
                uint32_t rev = 0;

                for (unsigned int b = 0; b < l; b++)
                    rev |= ((code >> b) & 1u) << (l - 1 - b);
                for (uint32_t k = rev; k < (1u << FAST_BITS); k += 1u << l)
                    h->fast[k] = (uint16_t)(h->sym[idx] << 4 | l);
            }
            code <<= 1;
        }
    }
    return 0;
}

/* One code longer than the table covers (or unused): the canonical walk. */
static int decode_slow(struct bits *b, const struct huff *h, unsigned int *sym)
{
    int32_t code = 0, first = 0, index = 0;

    for (unsigned int l = 1; l <= MAX_BITS; l++) {
        uint32_t bit;
        int rc = getbits(b, 1, &bit);

        if (rc)
            return rc;
        code |= (int32_t)bit;
        if (code - first < h->count[l]) {
            *sym = h->sym[index + code - first];
            return 0;
        }
        index += h->count[l];
        first = (first + h->count[l]) << 1;
        code <<= 1;
    }
    return DECOMP_ECORRUPT;
}

static inline int decode_sym(struct bits *b, const struct huff *h, unsigned int *sym)
{
    uint16_t e;

    if (b->cnt < MAX_BITS)
        refill(b);
    e = h->fast[b->buf & ((1u << FAST_BITS) - 1)];
    if (e == 0)
        return decode_slow(b, h, sym);
    if ((e & 15) > b->cnt)
        return DECOMP_ETRUNC;
    b->buf >>= e & 15;
    b->cnt -= e & 15;
    *sym = e >> 4;
    return 0;
}

static const uint16_t len_base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                      15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static int fixed_tables(struct inflate_state *s)
{
    unsigned int k = 0;
    int rc;

    while (k < 144)
        s->lens[k++] = 8;
    while (k < 256)
        s->lens[k++] = 9;
    while (k < 280)
        s->lens[k++] = 7;
    while (k < NR_LITLEN)
        s->lens[k++] = 8;
    rc = huff_build(&s->lit, s->lens, NR_LITLEN, false);
    for (k = 0; k < NR_DIST; k++)
        s->lens[k] = 5;
    return rc ? rc : huff_build(&s->dist, s->lens, NR_DIST, false);
}

static int dynamic_tables(struct inflate_state *s, struct bits *b)
{
    static const uint8_t order[NR_CLEN] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                           11, 4,  12, 3, 13, 2, 14, 1, 15};
    uint32_t hlit, hdist, hclen, v;
    unsigned int n = 0;
    int rc;

    if ((rc = getbits(b, 5, &hlit)) || (rc = getbits(b, 5, &hdist)) || (rc = getbits(b, 4, &hclen)))
        return rc;
    hlit += 257;
    hdist += 1;
    if (hlit > 286 || hdist > 30)
        return DECOMP_ECORRUPT;
    for (unsigned int k = 0; k < NR_CLEN; k++) {
        v = 0;
        if (k < hclen + 4 && (rc = getbits(b, 3, &v)))
            return rc;
        s->lens[order[k]] = (uint8_t)v;
    }
    rc = huff_build(&s->clen, s->lens, NR_CLEN, false);
    if (rc)
        return rc;
    while (n < hlit + hdist) {
        unsigned int sym, rep;
        uint8_t val = 0;

        if ((rc = decode_sym(b, &s->clen, &sym)))
            return rc;
        if (sym < 16) {
            s->lens[n++] = (uint8_t)sym;
            continue;
        }
        if (sym == 16) {
            if (n == 0)
                return DECOMP_ECORRUPT; /* nothing to repeat */
            val = s->lens[n - 1];
            rc = getbits(b, 2, &v);
            rep = 3 + v;
        } else if (sym == 17) {
            rc = getbits(b, 3, &v);
            rep = 3 + v;
        } else {
            rc = getbits(b, 7, &v);
            rep = 11 + v;
        }
        if (rc)
            return rc;
        if (rep > hlit + hdist - n)
            return DECOMP_ECORRUPT;
        while (rep--)
            s->lens[n++] = val;
    }
    if (s->lens[END_OF_BLK] == 0)
        return DECOMP_ECORRUPT; /* a block that could never end */
    rc = huff_build(&s->lit, s->lens, hlit, true);
    return rc ? rc : huff_build(&s->dist, s->lens + hlit, hdist, true);
}

static int inflate_codes(struct inflate_state *s, struct bits *b, uint8_t *out, size_t out_cap,
                         size_t start, size_t *pos)
{
    size_t p = *pos;

    for (;;) {
        unsigned int sym, dsym;
        uint32_t extra;
        size_t len, dist;
        int rc = decode_sym(b, &s->lit, &sym);

        if (rc)
            return rc;
        if (sym < END_OF_BLK) {
            if (p == out_cap)
                return DECOMP_ENOSPACE;
            out[p++] = (uint8_t)sym;
            continue;
        }
        if (sym == END_OF_BLK)
            break;
        sym -= END_OF_BLK + 1;
        if (sym >= 29)
            return DECOMP_ECORRUPT;
        if ((rc = getbits(b, len_extra[sym], &extra)))
            return rc;
        len = len_base[sym] + extra;
        if ((rc = decode_sym(b, &s->dist, &dsym)))
            return rc;
        if (dsym >= 30)
            return DECOMP_ECORRUPT;
        if ((rc = getbits(b, dist_extra[dsym], &extra)))
            return rc;
        dist = dist_base[dsym] + extra;
        if (dist > p - start || dist > WINDOW)
            return DECOMP_ECORRUPT;
        if (len > out_cap - p)
            return DECOMP_ENOSPACE;
        for (const uint8_t *src = out + p - dist; len--;)
            out[p++] = *src++;
    }
    *pos = p;
    return 0;
}

static int inflate_stored(struct bits *b, uint8_t *out, size_t out_cap, size_t *pos)
{
    uint32_t len, nlen;
    int rc;

    /* To a byte boundary; the bytes already in the bit buffer come first. */
    b->buf >>= b->cnt & 7;
    b->cnt &= ~7u;
    if ((rc = getbits(b, 16, &len)) || (rc = getbits(b, 16, &nlen)))
        return rc;
    if ((len ^ 0xffffu) != nlen)
        return DECOMP_ECORRUPT;
    if (len > out_cap - *pos)
        return DECOMP_ENOSPACE;
    while (len && b->cnt) {
        out[(*pos)++] = (uint8_t)b->buf;
        b->buf >>= 8;
        b->cnt -= 8;
        len--;
    }
    if (len > b->len - b->i)
        return DECOMP_ETRUNC;
    for (; len; len--)
        out[(*pos)++] = b->in[b->i++];
    return 0;
}

int inflate_raw(struct inflate_state *s, const uint8_t *in, size_t in_len, size_t *in_used,
                uint8_t *out, size_t out_cap, size_t *out_pos)
{
    struct bits b = {.in = in, .len = in_len};
    size_t start = *out_pos, pos = *out_pos;
    uint32_t last = 0, type;
    int rc;

    while (!last) {
        if ((rc = getbits(&b, 1, &last)) || (rc = getbits(&b, 2, &type)))
            return rc;
        if (type == STORED)
            rc = inflate_stored(&b, out, out_cap, &pos);
        else if (type == FIXED)
            rc = fixed_tables(s);
        else if (type == DYNAMIC)
            rc = dynamic_tables(s, &b);
        else
            rc = DECOMP_ECORRUPT;
        if (!rc && type != STORED)
            rc = inflate_codes(s, &b, out, out_cap, start, &pos);
        if (rc)
            return rc;
    }
    /* Whole bytes still buffered belong to whatever follows the stream. */
    *in_used = b.i - b.cnt / 8;
    *out_pos = pos;
    return 0;
}
