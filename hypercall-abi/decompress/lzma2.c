/*
 * LZMA2: a sequence of chunks, each either stored bytes or one LZMA run,
 * whose control byte says what to reset first (the .xz format's filter
 * 0x21). Chunk sizes are explicit, so a run never needs an end marker.
 *
 * Control byte: 0x00 ends the stream; 0x01 stored bytes after a
 * dictionary reset, 0x02 stored bytes; 0x80 | r << 5 | size bits an LZMA
 * run with reset level r (0 none, 1 state, 2 state and new properties,
 * 3 everything and the dictionary).
 */
#include "lzma.h"

#define CHUNK_END       0x00
#define CHUNK_STORED_DR 0x01
#define CHUNK_STORED    0x02
#define RESET_STATE     1
#define RESET_PROPS     2
#define RESET_DICT      3

struct lzma2_state {
    struct lzma_dec lz;
};
_Static_assert(sizeof(struct lzma2_state) <= LZMA2_STATE_SIZE, "LZMA2 state outgrew its slot");

int lzma2_decode(struct lzma2_state *s, uint32_t dict_size, const uint8_t *in, size_t in_len,
                 size_t *in_used, uint8_t *out, size_t out_cap, size_t *out_pos)
{
    size_t i = 0, pos = *out_pos, dict_start = pos;
    bool need_dict = true, need_props = true;

    for (;;) {
        uint8_t ctl;
        size_t unpacked, packed;
        int rc;

        if (i == in_len)
            return DECOMP_ETRUNC;
        ctl = in[i++];
        if (ctl == CHUNK_END)
            break;
        if (ctl == CHUNK_STORED_DR || (ctl >= 0x80 && (ctl >> 5 & 3) == RESET_DICT)) {
            dict_start = pos;
            need_dict = false;
            need_props = true; /* a new dictionary starts a new model too */
        } else if (need_dict) {
            return DECOMP_ECORRUPT;
        }
        if (ctl < 0x80) {
            if (ctl > CHUNK_STORED)
                return DECOMP_ECORRUPT;
            if (in_len - i < 2)
                return DECOMP_ETRUNC;
            unpacked = ((size_t)in[i] << 8 | in[i + 1]) + 1;
            i += 2;
            if (in_len - i < unpacked)
                return DECOMP_ETRUNC;
            if (out_cap - pos < unpacked)
                return DECOMP_ENOSPACE;
            for (size_t k = 0; k < unpacked; k++)
                out[pos + k] = in[i + k];
            i += unpacked;
            pos += unpacked;
            continue;
        }
        if (in_len - i < 4)
            return DECOMP_ETRUNC;
        unpacked = ((size_t)(ctl & 0x1f) << 16 | (size_t)in[i] << 8 | in[i + 1]) + 1;
        packed = ((size_t)in[i + 2] << 8 | in[i + 3]) + 1;
        i += 4;
        if ((ctl >> 5 & 3) >= RESET_PROPS) {
            if (i == in_len)
                return DECOMP_ETRUNC;
            rc = lzma_set_props(&s->lz, in[i++]);
            if (rc)
                return rc;
            need_props = false;
        } else if (need_props) {
            return DECOMP_ECORRUPT;
        }
        if ((ctl >> 5 & 3) >= RESET_STATE)
            lzma_reset(&s->lz);
        if (in_len - i < packed)
            return DECOMP_ETRUNC;
        if (out_cap - pos < unpacked)
            return DECOMP_ENOSPACE;
        rc = lzma_run(&s->lz, in + i, packed, out, &pos, unpacked, dict_start, dict_size);
        if (rc)
            return rc;
        i += packed;
    }
    *in_used = i;
    *out_pos = pos;
    return 0;
}
