/*
 * What zstd's files share (zstd.c frames and sequences, zstd_fse.c
 * finite-state entropy tables, zstd_huf.c Huffman literals): the
 * backward bit reader both entropy coders use and the decoding tables.
 */
#ifndef PARAVANE_DECOMPRESS_ZSTD_H
#define PARAVANE_DECOMPRESS_ZSTD_H

#include "private.h"

#define ZSTD_BLOCK_MAX (128u * 1024)
#define HUF_MAX_BITS   11
#define HUF_MAX_SYMS   256
#define FSE_MAX_LOG    9 /* the largest accuracy any zstd table may use */

/*
 * A bitstream written forwards and read from its end: the last byte's
 * highest set bit marks where the data starts, and each read takes the
 * next bits below it. Reads past the beginning give zeros and are counted
 * in `over`, which the callers decide about.
 */
struct rbits {
    const uint8_t *p;
    size_t left; /* bytes p[0..left) not yet in buf */
    uint64_t buf;
    unsigned int cnt; /* valid bits, the low cnt of buf */
    unsigned int over;
};

static inline void rb_refill(struct rbits *r)
{
    while (r->cnt <= 56 && r->left) {
        r->buf = (r->buf << 8) | r->p[--r->left];
        r->cnt += 8;
    }
}

static inline int rb_init(struct rbits *r, const uint8_t *p, size_t len)
{
    unsigned int hb = 7;

    if (len == 0 || p[len - 1] == 0)
        return DECOMP_ECORRUPT;
    while (!(p[len - 1] >> hb))
        hb--;
    r->p = p;
    r->left = len;
    r->buf = 0;
    r->cnt = 0;
    r->over = 0;
    rb_refill(r);
    r->cnt -= 8 - hb; /* the zero padding and the marker bit */
    return 0;
}

static inline uint32_t rb_peek(struct rbits *r, unsigned int n)
{
    if (r->cnt < n)
        rb_refill(r);
    if (r->cnt >= n)
        return (uint32_t)((r->buf >> (r->cnt - n)) & ((1ull << n) - 1));
    return (uint32_t)((r->buf << (n - r->cnt)) & ((1ull << n) - 1));
}

static inline void rb_skip(struct rbits *r, unsigned int n)
{
    if (n <= r->cnt) {
        r->cnt -= n;
    } else {
        r->over += n - r->cnt;
        r->cnt = 0;
    }
}

static inline uint32_t rb_read(struct rbits *r, unsigned int n)
{
    uint32_t v = rb_peek(r, n);

    rb_skip(r, n);
    return v;
}

/* Every bit read, none invented. */
static inline bool rb_done(const struct rbits *r)
{
    return r->left == 0 && r->cnt == 0 && r->over == 0;
}

struct fse_entry {
    uint16_t next; /* base of the next state */
    uint8_t sym;
    uint8_t bits;
};

struct fse_table {
    unsigned int log;
    struct fse_entry e[1u << FSE_MAX_LOG];
};

/*
 * Read a table description (RFC 8878 4.1.1) from in[0..len) with accuracy
 * at most max_log and symbols up to max_sym, and build its decoding table.
 * *used gets the description's size in bytes.
 */
int fse_read_table(struct fse_table *t, const uint8_t *in, size_t len, unsigned int max_log,
                   unsigned int max_sym, size_t *used);

/* A table from known normalized counts (a predefined distribution). */
int fse_build(struct fse_table *t, const int16_t *norm, unsigned int nsym, unsigned int log);

/* A one-symbol table (RLE mode). */
void fse_single(struct fse_table *t, uint8_t sym);

static inline unsigned int fse_init_state(const struct fse_table *t, struct rbits *r)
{
    return rb_read(r, t->log);
}

static inline unsigned int fse_sym(const struct fse_table *t, unsigned int state)
{
    return t->e[state].sym;
}

static inline unsigned int fse_next(const struct fse_table *t, unsigned int state, struct rbits *r)
{
    return t->e[state].next + rb_read(r, t->e[state].bits);
}

struct huf_table {
    bool valid;
    unsigned int max_bits;
    uint8_t sym[1u << HUF_MAX_BITS];
    uint8_t bits[1u << HUF_MAX_BITS];
};

/* Read a Huffman tree description; *used gets its size. */
int huf_read_table(struct huf_table *h, struct fse_table *scratch, const uint8_t *in, size_t len,
                   size_t *used);

/* Decode n literals from 1 or 4 streams in in[0..len) with table h. */
int huf_decode(const struct huf_table *h, const uint8_t *in, size_t len, bool four, uint8_t *out,
               size_t n);

#endif /* PARAVANE_DECOMPRESS_ZSTD_H */
