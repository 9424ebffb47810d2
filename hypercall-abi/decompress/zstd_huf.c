/*
 * zstd's Huffman-coded literals (RFC 8878 4.2): the tree is sent as a
 * weight per symbol (the last one implied, since the weights must fill a
 * power of two), either 4 bits each or FSE-compressed; the literals then
 * come in one or four backward bitstreams.
 *
 * Codes are assigned by increasing weight, then symbol, so a table indexed
 * by the next max_bits bits holds each symbol over 2^(weight-1) cells.
 */
#include "zstd.h"

#define HUF_WEIGHT_LOG  6 /* accuracy limit of the weights' FSE table */
#define HUF_DIRECT      128
#define HUF_MAX_WEIGHTS 255 /* weights sent; the 256th is implied */

static int fse_weights(struct fse_table *t, const uint8_t *in, size_t len, uint8_t *w,
                       unsigned int *nw)
{
    struct rbits r;
    size_t used;
    unsigned int s1, s2, n = 0;
    int rc = fse_read_table(t, in, len, HUF_WEIGHT_LOG, HUF_MAX_WEIGHTS, &used);

    if (rc)
        return rc == DECOMP_ETRUNC ? DECOMP_ECORRUPT : rc;
    if ((rc = rb_init(&r, in + used, len - used)))
        return rc;
    /*
     * Two states take turns over one stream. When a state's update runs
     * past the stream's start, the other state's symbol is the last.
     */
    s1 = fse_init_state(t, &r);
    s2 = fse_init_state(t, &r);
    for (;;) {
        if (n > HUF_MAX_WEIGHTS - 2)
            return DECOMP_ECORRUPT;
        w[n++] = (uint8_t)fse_sym(t, s1);
        s1 = fse_next(t, s1, &r);
        if (r.over) {
            w[n++] = (uint8_t)fse_sym(t, s2);
            break;
        }
        if (n > HUF_MAX_WEIGHTS - 2)
            return DECOMP_ECORRUPT;
        w[n++] = (uint8_t)fse_sym(t, s2);
        s2 = fse_next(t, s2, &r);
        if (r.over) {
            w[n++] = (uint8_t)fse_sym(t, s1);
            break;
        }
    }
    *nw = n;
    return 0;
}

int huf_read_table(struct huf_table *h, struct fse_table *scratch, const uint8_t *in, size_t len,
                   size_t *used)
{
    uint8_t w[HUF_MAX_SYMS];
    unsigned int nw, count[HUF_MAX_BITS + 2] = {0}, max_bits = 0, start[HUF_MAX_BITS + 2];
    uint32_t total = 0, rest;
    int rc;

    h->valid = false;
    if (len == 0)
        return DECOMP_ETRUNC;
    if (in[0] >= HUF_DIRECT) {
        nw = in[0] - (HUF_DIRECT - 1);
        if (len - 1 < (nw + 1) / 2)
            return DECOMP_ETRUNC;
        for (unsigned int k = 0; k < nw; k++)
            w[k] = (uint8_t)(k & 1 ? in[1 + k / 2] & 15 : in[1 + k / 2] >> 4);
        *used = 1 + (nw + 1) / 2;
    } else {
        if (len - 1 < in[0])
            return DECOMP_ETRUNC;
        rc = fse_weights(scratch, in + 1, in[0], w, &nw);
        if (rc)
            return rc;
        *used = 1 + (size_t)in[0];
    }
    for (unsigned int k = 0; k < nw; k++) {
        if (w[k] > HUF_MAX_BITS)
            return DECOMP_ECORRUPT;
        if (w[k])
            total += 1u << (w[k] - 1);
    }
    if (total == 0)
        return DECOMP_ECORRUPT;
    while ((1u << max_bits) <= total)
        max_bits++;
    if (max_bits > HUF_MAX_BITS)
        return DECOMP_ECORRUPT;
    /* The implied weight makes the sum the next power of two exactly. */
    rest = (1u << max_bits) - total;
    if (rest & (rest - 1))
        return DECOMP_ECORRUPT;
    {
        unsigned int lw = 1;

        while ((1u << (lw - 1)) < rest)
            lw++;
        w[nw++] = (uint8_t)lw;
    }
    for (unsigned int k = 0; k < nw; k++)
        count[w[k]]++;
    /* A complete tree has an even number, at least two, of longest codes. */
    if (count[1] < 2 || (count[1] & 1))
        return DECOMP_ECORRUPT;
    start[1] = 0;
    for (unsigned int k = 1; k <= max_bits; k++)
        start[k + 1] = start[k] + (count[k] << (k - 1));
    for (unsigned int s = 0; s < nw; s++) {
        unsigned int wt = w[s];

        if (!wt)
            continue;
        for (unsigned int c = 0; c < (1u << (wt - 1)); c++) {
            h->sym[start[wt] + c] = (uint8_t)s;
            h->bits[start[wt] + c] = (uint8_t)(max_bits + 1 - wt);
        }
        start[wt] += 1u << (wt - 1);
    }
    h->max_bits = max_bits;
    h->valid = true;
    return 0;
}

static int huf_stream(const struct huf_table *h, const uint8_t *in, size_t len, uint8_t *out,
                      size_t n)
{
    struct rbits r;
    int rc = rb_init(&r, in, len);

    if (rc)
        return rc;
    for (size_t k = 0; k < n; k++) {
        uint32_t idx = rb_peek(&r, h->max_bits);

        out[k] = h->sym[idx];
        rb_skip(&r, h->bits[idx]);
        if (r.over)
            return DECOMP_ECORRUPT;
    }
    return rb_done(&r) ? 0 : DECOMP_ECORRUPT;
}

int huf_decode(const struct huf_table *h, const uint8_t *in, size_t len, bool four, uint8_t *out,
               size_t n)
{
    size_t sz[4], seg, off = 6;
    int rc;

    if (!four)
        return huf_stream(h, in, len, out, n);
    /* A jump table gives the first three streams' sizes; the fourth is the rest. */
    if (len < 6)
        return DECOMP_ECORRUPT;
    sz[0] = (size_t)in[0] | (size_t)in[1] << 8;
    sz[1] = (size_t)in[2] | (size_t)in[3] << 8;
    sz[2] = (size_t)in[4] | (size_t)in[5] << 8;
    if (sz[0] + sz[1] + sz[2] > len - 6)
        return DECOMP_ECORRUPT;
    sz[3] = len - 6 - sz[0] - sz[1] - sz[2];
    seg = (n + 3) / 4;
    if (3 * seg > n)
        return DECOMP_ECORRUPT;
    for (int k = 0; k < 4; k++) {
        size_t cnt = k < 3 ? seg : n - 3 * seg;

        rc = huf_stream(h, in + off, sz[k], out + (size_t)k * seg, cnt);
        if (rc)
            return rc;
        off += sz[k];
    }
    return 0;
}
