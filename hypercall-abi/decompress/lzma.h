/*
 * The LZMA symbol decoder that LZMA2 chunks drive (lzma.c): its
 * probability model, its match state, and one range-coded run.
 */
#ifndef PARAVANE_DECOMPRESS_LZMA_H
#define PARAVANE_DECOMPRESS_LZMA_H

#include "private.h"

#define LZMA_STATES       12
#define LZMA_POS_MAX      16 /* 1 << pb, pb <= 4 */
#define LZMA_LEN_LOW      8
#define LZMA_LEN_HIGH     256
#define LZMA_DIST_STATES  4
#define LZMA_DIST_SLOTS   64
#define LZMA_DIST_MODELED 114 /* distances 4..127 coded with their own bit trees */
#define LZMA_ALIGN        16
#define LZMA_LIT_CODERS   16 /* 1 << (lc + lp), lc + lp <= 4 in LZMA2 */
#define LZMA_LIT_SIZE     0x300

typedef uint16_t lzma_prob;

struct lzma_len_model {
    lzma_prob choice, choice2;
    lzma_prob low[LZMA_POS_MAX][LZMA_LEN_LOW];
    lzma_prob mid[LZMA_POS_MAX][LZMA_LEN_LOW];
    lzma_prob high[LZMA_LEN_HIGH];
};

struct lzma_model {
    lzma_prob is_match[LZMA_STATES][LZMA_POS_MAX];
    lzma_prob is_rep[LZMA_STATES], is_rep0[LZMA_STATES];
    lzma_prob is_rep1[LZMA_STATES], is_rep2[LZMA_STATES];
    lzma_prob is_rep0_long[LZMA_STATES][LZMA_POS_MAX];
    lzma_prob dist_slot[LZMA_DIST_STATES][LZMA_DIST_SLOTS];
    lzma_prob dist_modeled[LZMA_DIST_MODELED];
    lzma_prob dist_align[LZMA_ALIGN];
    struct lzma_len_model match_len, rep_len;
    lzma_prob literal[LZMA_LIT_CODERS][LZMA_LIT_SIZE];
};

struct lzma_dec {
    struct lzma_model m;
    unsigned int lc, lp, pb;
    unsigned int state;
    uint32_t rep[4]; /* the last four match distances, minus one */
};

/* Validate and set lc/lp/pb from an LZMA properties byte. */
int lzma_set_props(struct lzma_dec *d, uint8_t props);

/* Probabilities to one half and the match state to its start. */
void lzma_reset(struct lzma_dec *d);

/*
 * Decode one range-coded run of exactly `unpacked` bytes from exactly
 * `packed` bytes of in into out[*pos..], with out[dict_start..*pos) the
 * history a match may reach, no further back than dict_size.
 */
int lzma_run(struct lzma_dec *d, const uint8_t *in, size_t packed, uint8_t *out, size_t *pos,
             size_t unpacked, size_t dict_start, uint32_t dict_size);

#endif /* PARAVANE_DECOMPRESS_LZMA_H */
