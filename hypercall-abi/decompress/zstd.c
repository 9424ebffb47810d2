/*
 * Zstandard frames (RFC 8878): a frame header, blocks (stored, one byte
 * repeated, or compressed), an optional XXH64 content checksum. A
 * compressed block is a literals section and a sequences section; each
 * sequence copies some literals, then a match from earlier output, with
 * lengths and offsets coded by three FSE tables read in one backward
 * bitstream. Tables, the Huffman tree and the three repeat offsets carry
 * from block to block within a frame.
 *
 * Dictionaries are not supported (a kernel never uses one).
 */
#include "zstd.h"

#define ZSTD_MAGIC      0xFD2FB528u
#define SKIP_MAGIC      0x184D2A50u /* low four bits free */
#define SKIP_MASK       0xFFFFFFF0u
#define BLK_RAW         0
#define BLK_RLE         1
#define BLK_COMPRESSED  2
#define LIT_RAW         0
#define LIT_RLE         1
#define LIT_COMPRESSED  2
#define LIT_TREELESS    3
#define MODE_PREDEFINED 0
#define MODE_RLE        1
#define MODE_FSE        2
#define MODE_REPEAT     3
#define LL_MAX          35
#define ML_MAX          52
#define OF_MAX          31
#define LL_LOG          9
#define ML_LOG          9
#define OF_LOG          8

struct zstd_work {
    uint8_t lit[ZSTD_BLOCK_MAX];
    struct huf_table huf;
    struct fse_table ll, of, ml, scratch;
    bool have_ll, have_of, have_ml;
    uint64_t rep[3];
};
_Static_assert(sizeof(struct zstd_work) <= DECOMP_WORK_SIZE, "zstd work outgrew the work area");

struct frame {
    struct zstd_work *w;
    uint8_t *out;
    size_t out_cap, start, pos; /* output of this frame: out[start..pos) */
    size_t block_max;
};

/* The predefined distributions (RFC 8878 3.1.1.3.2.2). */
static const int16_t ll_default[LL_MAX + 1] = {4, 3, 2, 2, 2, 2, 2, 2, 2,  2,  2,  2,
                                               2, 1, 1, 1, 2, 2, 2, 2, 2,  2,  2,  2,
                                               2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1};
static const int16_t ml_default[ML_MAX + 1] = {
    1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1,  1,  1,  1,  1,  1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1};
static const int16_t of_default[29] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 1,  1,  1,  1,  1, 1,
                                       1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1};

/* Literal-length codes 16 and up: baseline and extra bits. */
static const uint32_t ll_base[LL_MAX + 1 - 16] = {16,   18,   20,   22,    24,    28,   32,
                                                  40,   48,   64,   128,   256,   512,  1024,
                                                  2048, 4096, 8192, 16384, 32768, 65536};
static const uint8_t ll_bits[LL_MAX + 1 - 16] = {1, 1, 1, 1,  2,  2,  3,  3,  4,  6,
                                                 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
/* Match-length codes 32 and up. */
static const uint32_t ml_base[ML_MAX + 1 - 32] = {35,   37,   39,   41,   43,    47,    51,
                                                  59,   67,   83,   99,   131,   259,   515,
                                                  1027, 2051, 4099, 8195, 16387, 32771, 65539};
static const uint8_t ml_bits[ML_MAX + 1 - 32] = {1, 1, 1, 1,  2,  2,  3,  3,  4,  4, 5,
                                                 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

/*
 * The literals section: its header, then the literals raw, as one byte
 * repeated, or Huffman coded (with a new tree, or the last one).
 */
static int read_literals(struct frame *f, const uint8_t *in, size_t len, const uint8_t **lit,
                         size_t *nlit, size_t *used)
{
    struct zstd_work *w = f->w;
    unsigned int type = in[0] & 3, fmt = in[0] >> 2 & 3;
    size_t regen, csize, hdr, tree = 0;
    bool four;
    int rc;

    if (type == LIT_RAW || type == LIT_RLE) {
        hdr = (fmt & 1) ? fmt == 1 ? 2 : 3 : 1;
        if (len < hdr)
            return DECOMP_ECORRUPT;
        if (hdr == 1)
            regen = in[0] >> 3;
        else if (hdr == 2)
            regen = (in[0] >> 4) | (size_t)in[1] << 4;
        else
            regen = (in[0] >> 4) | (size_t)in[1] << 4 | (size_t)in[2] << 12;
        if (regen > f->block_max)
            return DECOMP_ECORRUPT;
        if (type == LIT_RAW) {
            if (len - hdr < regen)
                return DECOMP_ECORRUPT;
            *lit = in + hdr;
            *used = hdr + regen;
        } else {
            if (len - hdr < 1)
                return DECOMP_ECORRUPT;
            for (size_t k = 0; k < regen; k++)
                w->lit[k] = in[hdr];
            *lit = w->lit;
            *used = hdr + 1;
        }
        *nlit = regen;
        return 0;
    }
    /* Sizes: 10 bits each in 3 bytes (one or four streams), 14 in 4, 18 in 5. */
    {
        static const uint8_t hdr_len[4] = {3, 3, 4, 5}, size_bits[4] = {10, 10, 14, 18};
        uint64_t v = 0;

        hdr = hdr_len[fmt];
        if (len < hdr)
            return DECOMP_ECORRUPT;
        for (size_t k = 0; k < hdr; k++)
            v |= (uint64_t)in[k] << (8 * k);
        regen = (size_t)(v >> 4) & ((1u << size_bits[fmt]) - 1);
        csize = (size_t)(v >> (4 + size_bits[fmt])) & ((1u << size_bits[fmt]) - 1);
        four = fmt != 0;
    }
    if (regen > f->block_max || csize > len - hdr)
        return DECOMP_ECORRUPT;
    if (type == LIT_COMPRESSED) {
        rc = huf_read_table(&w->huf, &w->scratch, in + hdr, csize, &tree);
        if (rc)
            return rc == DECOMP_ETRUNC ? DECOMP_ECORRUPT : rc;
    } else if (!w->huf.valid) {
        return DECOMP_ECORRUPT; /* a tree to reuse before any was sent */
    }
    rc = huf_decode(&w->huf, in + hdr + tree, csize - tree, four, w->lit, regen);
    if (rc)
        return rc;
    *lit = w->lit;
    *nlit = regen;
    *used = hdr + csize;
    return 0;
}

static int read_table(struct frame *f, unsigned int mode, struct fse_table *t, bool *have,
                      const int16_t *def, unsigned int ndef, unsigned int def_log,
                      unsigned int max_log, unsigned int max_sym, const uint8_t *in, size_t len,
                      size_t *i)
{
    size_t used = 0;
    int rc = 0;

    (void)f;
    switch (mode) {
    case MODE_PREDEFINED:
        rc = fse_build(t, def, ndef, def_log);
        break;
    case MODE_RLE:
        if (*i == len)
            return DECOMP_ECORRUPT;
        if (in[*i] > max_sym)
            return DECOMP_ECORRUPT;
        fse_single(t, in[(*i)++]);
        break;
    case MODE_FSE:
        rc = fse_read_table(t, in + *i, len - *i, max_log, max_sym, &used);
        if (rc == DECOMP_ETRUNC)
            rc = DECOMP_ECORRUPT;
        *i += used;
        break;
    default:
        if (!*have)
            return DECOMP_ECORRUPT;
        break;
    }
    if (!rc)
        *have = true;
    return rc;
}

/* The offset a sequence means, and the repeat offsets after it. */
static uint64_t resolve_offset(uint64_t *rep, uint64_t value, uint32_t ll)
{
    uint64_t off;
    unsigned int idx;

    if (value > 3) {
        off = value - 3;
        rep[2] = rep[1];
        rep[1] = rep[0];
        rep[0] = off;
        return off;
    }
    /* Values 1-3 name a repeat offset; with no literals before, shifted by one. */
    idx = (unsigned int)value - 1 + (ll == 0);
    if (idx == 0)
        return rep[0];
    off = idx == 3 ? rep[0] - 1 : rep[idx];
    if (idx != 1)
        rep[2] = rep[1];
    rep[1] = rep[0];
    rep[0] = off;
    return off;
}

static int run_sequences(struct frame *f, const uint8_t *in, size_t len, const uint8_t *lit,
                         size_t nlit)
{
    struct zstd_work *w = f->w;
    size_t i = 0, nseq, lp = 0;
    unsigned int modes;
    struct rbits r;
    unsigned int sll, sof, sml;
    int rc;

    if (len == 0)
        return DECOMP_ECORRUPT;
    if (in[0] < 128) {
        nseq = in[0];
        i = 1;
    } else if (in[0] < 255) {
        if (len < 2)
            return DECOMP_ECORRUPT;
        nseq = ((size_t)(in[0] - 128) << 8) + in[1];
        i = 2;
    } else {
        if (len < 3)
            return DECOMP_ECORRUPT;
        nseq = in[1] + ((size_t)in[2] << 8) + 0x7F00;
        i = 3;
    }
    if (nseq == 0) {
        if (i != len)
            return DECOMP_ECORRUPT;
        goto literals;
    }
    if (i == len)
        return DECOMP_ECORRUPT;
    modes = in[i++];
    if (modes & 3)
        return DECOMP_ECORRUPT;
    if ((rc = read_table(f, modes >> 6, &w->ll, &w->have_ll, ll_default, LL_MAX + 1, 6, LL_LOG,
                         LL_MAX, in, len, &i)) ||
        (rc = read_table(f, modes >> 4 & 3, &w->of, &w->have_of, of_default, 29, 5, OF_LOG, OF_MAX,
                         in, len, &i)) ||
        (rc = read_table(f, modes >> 2 & 3, &w->ml, &w->have_ml, ml_default, ML_MAX + 1, 6, ML_LOG,
                         ML_MAX, in, len, &i)))
        return rc;
    if ((rc = rb_init(&r, in + i, len - i)))
        return rc;
    sll = fse_init_state(&w->ll, &r);
    sof = fse_init_state(&w->of, &r);
    sml = fse_init_state(&w->ml, &r);
    while (nseq--) {
        unsigned int llc = fse_sym(&w->ll, sll), ofc = fse_sym(&w->of, sof);
        unsigned int mlc = fse_sym(&w->ml, sml);
        uint64_t ofv, off;
        uint32_t ll, ml;

        if (ofc > OF_MAX || llc > LL_MAX || mlc > ML_MAX)
            return DECOMP_ECORRUPT;
        /* Extra bits in the order offset, match length, literal length. */
        ofv = ((uint64_t)1 << ofc) + rb_read(&r, ofc);
        ml = mlc < 32 ? mlc + 3 : ml_base[mlc - 32] + rb_read(&r, ml_bits[mlc - 32]);
        ll = llc < 16 ? llc : ll_base[llc - 16] + rb_read(&r, ll_bits[llc - 16]);
        if (nseq) { /* states advance between sequences, not after the last */
            sll = fse_next(&w->ll, sll, &r);
            sml = fse_next(&w->ml, sml, &r);
            sof = fse_next(&w->of, sof, &r);
        }
        if (r.over)
            return DECOMP_ECORRUPT;
        off = resolve_offset(w->rep, ofv, ll);
        if (ll > nlit - lp)
            return DECOMP_ECORRUPT;
        if ((uint64_t)ll + ml > f->out_cap - f->pos)
            return DECOMP_ENOSPACE;
        for (uint32_t k = 0; k < ll; k++)
            f->out[f->pos++] = lit[lp++];
        if (off == 0 || off > f->pos - f->start)
            return DECOMP_ECORRUPT;
        for (const uint8_t *src = f->out + f->pos - off; ml--;)
            f->out[f->pos++] = *src++;
    }
    if (!rb_done(&r))
        return DECOMP_ECORRUPT;
literals:
    if (nlit - lp > f->out_cap - f->pos)
        return DECOMP_ENOSPACE;
    while (lp < nlit)
        f->out[f->pos++] = lit[lp++];
    return 0;
}

static int compressed_block(struct frame *f, const uint8_t *in, size_t len)
{
    const uint8_t *lit;
    size_t nlit, used;
    int rc;

    if (len == 0)
        return DECOMP_ECORRUPT;
    rc = read_literals(f, in, len, &lit, &nlit, &used);
    if (rc)
        return rc;
    return run_sequences(f, in + used, len - used, lit, nlit);
}

static int decode_frame(struct frame *f, const uint8_t *in, size_t in_len, size_t *used)
{
    size_t i = 5, fcs_len, did_len;
    uint64_t fcs = UINT64_MAX, window = 0;
    uint8_t fhd;
    bool single, last = false;
    int rc;

    if (in_len < 6)
        return DECOMP_ETRUNC;
    fhd = in[4];
    single = fhd & 0x20;
    if (fhd & 0x08)
        return DECOMP_ECORRUPT; /* reserved bit */
    did_len = (size_t[]){0, 1, 2, 4}[fhd & 3];
    fcs_len = (size_t[]){single ? 1 : 0, 2, 4, 8}[fhd >> 6];
    if (in_len - i < (single ? 0 : 1) + did_len + fcs_len)
        return DECOMP_ETRUNC;
    if (!single) {
        unsigned int exp = in[i] >> 3, mant = in[i] & 7;

        window = (uint64_t)1 << (10 + exp);
        window += (window / 8) * mant;
        i++;
    }
    {
        uint64_t did = 0;

        for (size_t k = 0; k < did_len; k++)
            did |= (uint64_t)in[i + k] << (8 * k);
        if (did)
            return DECOMP_EUNSUPP;
        i += did_len;
    }
    if (fcs_len) {
        fcs = 0;
        for (size_t k = 0; k < fcs_len; k++)
            fcs |= (uint64_t)in[i + k] << (8 * k);
        if (fcs_len == 2)
            fcs += 256;
        i += fcs_len;
    }
    if (single)
        window = fcs;
    f->block_max = window < ZSTD_BLOCK_MAX ? (size_t)window : ZSTD_BLOCK_MAX;
    if (fcs != UINT64_MAX && fcs > f->out_cap - f->start)
        return DECOMP_ENOSPACE;
    f->w->huf.valid = false;
    f->w->have_ll = f->w->have_of = f->w->have_ml = false;
    f->w->rep[0] = 1;
    f->w->rep[1] = 4;
    f->w->rep[2] = 8;

    while (!last) {
        uint32_t bh;
        size_t bsize;

        if (in_len - i < 3)
            return DECOMP_ETRUNC;
        bh = (uint32_t)in[i] | (uint32_t)in[i + 1] << 8 | (uint32_t)in[i + 2] << 16;
        i += 3;
        last = bh & 1;
        bsize = bh >> 3;
        switch (bh >> 1 & 3) {
        case BLK_RAW:
            if (bsize > f->block_max)
                return DECOMP_ECORRUPT;
            if (in_len - i < bsize)
                return DECOMP_ETRUNC;
            if (bsize > f->out_cap - f->pos)
                return DECOMP_ENOSPACE;
            for (size_t k = 0; k < bsize; k++)
                f->out[f->pos++] = in[i + k];
            i += bsize;
            break;
        case BLK_RLE:
            if (bsize > f->block_max)
                return DECOMP_ECORRUPT;
            if (in_len - i < 1)
                return DECOMP_ETRUNC;
            if (bsize > f->out_cap - f->pos)
                return DECOMP_ENOSPACE;
            for (size_t k = 0; k < bsize; k++)
                f->out[f->pos++] = in[i];
            i += 1;
            break;
        case BLK_COMPRESSED:
            if (bsize > f->block_max)
                return DECOMP_ECORRUPT;
            if (in_len - i < bsize)
                return DECOMP_ETRUNC;
            rc = compressed_block(f, in + i, bsize);
            if (rc)
                return rc;
            i += bsize;
            break;
        default:
            return DECOMP_ECORRUPT;
        }
    }
    if (fcs != UINT64_MAX && fcs != f->pos - f->start)
        return DECOMP_ECORRUPT;
    if (fhd & 0x04) {
        if (in_len - i < 4)
            return DECOMP_ETRUNC;
        if ((uint32_t)dc_xxh64(f->out + f->start, f->pos - f->start) != dc_le32(in + i))
            return DECOMP_ECHECK;
        i += 4;
    }
    *used = i;
    return 0;
}

/* Could these few bytes start a frame or a skippable frame? */
static bool magic_prefix(const uint8_t *in, size_t n)
{
    static const uint8_t frame[4] = {0x28, 0xB5, 0x2F, 0xFD}, skip[4] = {0x50, 0x2A, 0x4D, 0x18};
    bool f = true, s = true;

    for (size_t k = 0; k < n && k < 4; k++) {
        f = f && in[k] == frame[k];
        s = s && (k ? in[k] == skip[k] : (in[k] & 0xF0) == skip[0]);
    }
    return f || s;
}

int zstd_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, void *work,
                struct decomp_result *res)
{
    struct frame f = {.w = work, .out = out, .out_cap = out_cap};
    size_t i = 0, used = 0;
    int rc;

    /* Skippable frames before the first real one carry no output. */
    for (;;) {
        uint32_t magic;

        if (in_len - i < 4)
            return i == 0 && !magic_prefix(in, in_len) ? DECOMP_EFORMAT : DECOMP_ETRUNC;
        magic = dc_le32(in + i);
        if (magic == ZSTD_MAGIC)
            break;
        if ((magic & SKIP_MASK) != SKIP_MAGIC)
            return i == 0 ? DECOMP_EFORMAT : DECOMP_ECORRUPT;
        if (in_len - i < 8)
            return DECOMP_ETRUNC;
        if (dc_le32(in + i + 4) > in_len - i - 8)
            return DECOMP_ETRUNC;
        i += 8 + (size_t)dc_le32(in + i + 4);
    }
    rc = decode_frame(&f, in + i, in_len - i, &used);
    if (rc)
        return rc;
    res->in_used = i + used;
    res->out_len = f.pos;
    return 0;
}
