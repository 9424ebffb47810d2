/*
 * The LZMA decoder proper: a binary range decoder driving adaptive bit
 * models, as LZMA2 chunks use it (no end marker; the chunk header gives
 * both sizes). Described in the LZMA SDK's lzma-specification.txt.
 *
 * Each symbol is a literal, a match (length and a fresh distance), or a
 * repeat of one of the last four distances. A 12-value state remembers
 * the kinds of the last few symbols and selects the models.
 */
#include "lzma.h"

#define PROB_BITS   11
#define PROB_INIT   (1u << (PROB_BITS - 1))
#define MOVE_BITS   5
#define TOP         (1u << 24)
#define STATE_LIT_N 7 /* states below this follow a literal */
#define MATCH_MIN   2

struct rc {
    uint32_t range, code;
    const uint8_t *in, *end;
    bool overrun; /* a byte was wanted past `end`: the chunk lied */
};

static inline void rc_normalize(struct rc *rc)
{
    if (rc->range < TOP) {
        rc->range <<= 8;
        if (DC_UNLIKELY(rc->in == rc->end))
            rc->overrun = true; /* shift in a zero; the caller fails the chunk */
        else
            rc->code = (rc->code << 8) | *rc->in++;
    }
}

static inline unsigned int rc_bit(struct rc *rc, lzma_prob *p)
{
    uint32_t bound;

    rc_normalize(rc);
    bound = (rc->range >> PROB_BITS) * *p;
    if (rc->code < bound) {
        rc->range = bound;
        *p = (lzma_prob)(*p + (((1u << PROB_BITS) - *p) >> MOVE_BITS));
        return 0;
    }
    rc->range -= bound;
    rc->code -= bound;
    *p = (lzma_prob)(*p - (*p >> MOVE_BITS));
    return 1;
}

/* A bits-deep tree, most significant bit first; the symbol without its leading 1. */
static inline uint32_t rc_tree(struct rc *rc, lzma_prob *probs, unsigned int bits)
{
    uint32_t sym = 1;

    for (unsigned int i = 0; i < bits; i++)
        sym = (sym << 1) | rc_bit(rc, &probs[sym]);
    return sym - (1u << bits);
}

/* The same tree walked least significant bit first. */
static inline uint32_t rc_tree_rev(struct rc *rc, lzma_prob *probs, unsigned int bits)
{
    uint32_t sym = 1, val = 0;

    for (unsigned int i = 0; i < bits; i++) {
        unsigned int b = rc_bit(rc, &probs[sym]);
        sym = (sym << 1) | b;
        val |= (uint32_t)b << i;
    }
    return val;
}

/* Bits with probability one half, no model. */
static inline uint32_t rc_direct(struct rc *rc, unsigned int bits)
{
    uint32_t val = 0;

    while (bits--) {
        uint32_t mask;

        rc_normalize(rc);
        rc->range >>= 1;
        mask = 0u - (rc->code >= rc->range ? 1u : 0u);
        rc->code -= rc->range & mask;
        val = (val << 1) | (mask & 1);
    }
    return val;
}

int lzma_set_props(struct lzma_dec *d, uint8_t props)
{
    unsigned int v = props;

    if (v >= 9 * 5 * 5)
        return DECOMP_ECORRUPT;
    d->lc = v % 9;
    v /= 9;
    d->lp = v % 5;
    d->pb = v / 5;
    /* LZMA2 caps the literal context at 16 coders (the model's size). */
    if (d->lc + d->lp > 4)
        return DECOMP_ECORRUPT;
    return 0;
}

void lzma_reset(struct lzma_dec *d)
{
    lzma_prob *p = (lzma_prob *)&d->m;

    for (size_t i = 0; i < sizeof(d->m) / sizeof(lzma_prob); i++)
        p[i] = PROB_INIT;
    d->state = 0;
    d->rep[0] = d->rep[1] = d->rep[2] = d->rep[3] = 0;
}

static uint32_t decode_len(struct rc *rc, struct lzma_len_model *lm, unsigned int pos_state)
{
    if (!rc_bit(rc, &lm->choice))
        return MATCH_MIN + rc_tree(rc, lm->low[pos_state], 3);
    if (!rc_bit(rc, &lm->choice2))
        return MATCH_MIN + LZMA_LEN_LOW + rc_tree(rc, lm->mid[pos_state], 3);
    return MATCH_MIN + 2 * LZMA_LEN_LOW + rc_tree(rc, lm->high, 8);
}

/* A fresh match distance (minus one) for a match of length len. */
static uint32_t decode_dist(struct rc *rc, struct lzma_model *m, uint32_t len)
{
    unsigned int ls =
        len - MATCH_MIN < LZMA_DIST_STATES - 1 ? len - MATCH_MIN : LZMA_DIST_STATES - 1;
    uint32_t slot = rc_tree(rc, m->dist_slot[ls], 6), footer, dist;

    if (slot < 4)
        return slot;
    /* The slot gives the top two bits and the bit count of the rest. */
    footer = (slot >> 1) - 1;
    dist = (2 | (slot & 1)) << footer;
    if (slot < 14) /* the model is indexed so each slot's tree starts at dist - slot */
        return dist + rc_tree_rev(rc, m->dist_modeled + dist - slot - 1, footer);
    dist += rc_direct(rc, footer - 4) << 4;
    return dist + rc_tree_rev(rc, m->dist_align, 4);
}

static uint8_t decode_literal(struct rc *rc, struct lzma_dec *d, const uint8_t *out, size_t pos,
                              size_t dict_start)
{
    size_t rel = pos - dict_start;
    unsigned int prev = rel ? out[pos - 1] : 0;
    unsigned int ctx =
        (unsigned int)(((rel & ((1u << d->lp) - 1)) << d->lc) + (prev >> (8 - d->lc)));
    lzma_prob *probs = d->m.literal[ctx];
    uint32_t sym = 1;

    if (d->state >= STATE_LIT_N) {
        /*
         * After a match the byte at the last distance predicts this one:
         * its bits select a second set of models until the first bit that
         * differs, and the plain models from there on.
         */
        uint32_t match = d->rep[0] < rel ? out[pos - d->rep[0] - 1] : 0, follow = 0x100;

        while (sym < 0x100) {
            uint32_t mbit, b;

            match <<= 1;
            mbit = match & follow;
            b = rc_bit(rc, &probs[follow + mbit + sym]);
            sym = (sym << 1) | b;
            follow &= b ? mbit : ~mbit;
        }
    } else {
        while (sym < 0x100)
            sym = (sym << 1) | rc_bit(rc, &probs[sym]);
    }
    return (uint8_t)sym;
}

static unsigned int after_literal(unsigned int s)
{
    return s < 4 ? 0 : s < 10 ? s - 3 : s - 6;
}

int lzma_run(struct lzma_dec *d, const uint8_t *in, size_t packed, uint8_t *out, size_t *pos,
             size_t unpacked, size_t dict_start, uint32_t dict_size)
{
    struct rc rc = {.range = 0xFFFFFFFFu, .in = in + 5, .end = in + packed};
    struct lzma_model *m = &d->m;
    size_t p = *pos, end = *pos + unpacked;
    unsigned int pb_mask = (1u << d->pb) - 1;

    /* Five bytes prime the decoder; the first is always zero. */
    if (packed < 5 || in[0] != 0)
        return DECOMP_ECORRUPT;
    rc.code = (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 8 | in[4];

    while (p < end && !rc.overrun) {
        unsigned int ps = (unsigned int)((p - dict_start) & pb_mask);
        unsigned int s = d->state;
        uint32_t len, dist;

        if (!rc_bit(&rc, &m->is_match[s][ps])) {
            out[p] = decode_literal(&rc, d, out, p, dict_start);
            p++;
            d->state = after_literal(s);
            continue;
        }
        if (!rc_bit(&rc, &m->is_rep[s])) {
            len = decode_len(&rc, &m->match_len, ps);
            dist = decode_dist(&rc, m, len);
            d->rep[3] = d->rep[2];
            d->rep[2] = d->rep[1];
            d->rep[1] = d->rep[0];
            d->rep[0] = dist;
            d->state = s < STATE_LIT_N ? 7 : 10;
        } else {
            if (p == dict_start)
                return DECOMP_ECORRUPT; /* a repeat with nothing to repeat */
            if (!rc_bit(&rc, &m->is_rep0[s])) {
                if (!rc_bit(&rc, &m->is_rep0_long[s][ps])) {
                    /* One byte from the last distance. */
                    d->state = s < STATE_LIT_N ? 9 : 11;
                    if (d->rep[0] >= p - dict_start)
                        return DECOMP_ECORRUPT;
                    out[p] = out[p - d->rep[0] - 1];
                    p++;
                    continue;
                }
            } else {
                if (!rc_bit(&rc, &m->is_rep1[s])) {
                    dist = d->rep[1];
                } else if (!rc_bit(&rc, &m->is_rep2[s])) {
                    dist = d->rep[2];
                    d->rep[2] = d->rep[1];
                } else {
                    dist = d->rep[3];
                    d->rep[3] = d->rep[2];
                    d->rep[2] = d->rep[1];
                }
                d->rep[1] = d->rep[0];
                d->rep[0] = dist;
            }
            len = decode_len(&rc, &m->rep_len, ps);
            d->state = s < STATE_LIT_N ? 8 : 11;
        }
        /* The history reaches back to the dictionary's start and its size. */
        dist = d->rep[0];
        if (dist >= p - dict_start || dist >= dict_size || len > end - p)
            return DECOMP_ECORRUPT;
        for (const uint8_t *src = out + p - dist - 1; len--; p++)
            out[p] = *src++;
    }
    /* A run ends with its last byte consumed and the code back at zero. */
    rc_normalize(&rc);
    if (rc.overrun || rc.in != rc.end || rc.code != 0)
        return DECOMP_ECORRUPT;
    *pos = p;
    return 0;
}
