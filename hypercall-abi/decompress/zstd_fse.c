/*
 * Finite State Entropy tables for zstd (RFC 8878 4.1): the compact
 * description of a distribution's normalized counts, and the decoding
 * table built from it, which maps a state to a symbol, the number of bits
 * to read, and the base those bits are added to for the next state.
 */
#include "zstd.h"

#define FSE_MIN_LOG 5

static unsigned int highbit(uint32_t v)
{
    unsigned int n = 0;

    while (v >>= 1)
        n++;
    return n;
}

int fse_build(struct fse_table *t, const int16_t *norm, unsigned int nsym, unsigned int log)
{
    uint32_t size = 1u << log, high = size - 1, pos = 0;
    uint32_t step = (size >> 1) + (size >> 3) + 3;
    uint16_t next[HUF_MAX_SYMS];

    if (log > FSE_MAX_LOG || nsym > HUF_MAX_SYMS)
        return DECOMP_ECORRUPT;
    t->log = log;
    /* "Less than one" symbols take the last cells, one each. */
    for (unsigned int s = 0; s < nsym; s++) {
        if (norm[s] == -1) {
            t->e[high--].sym = (uint8_t)s;
            next[s] = 1;
        } else {
            next[s] = (uint16_t)(norm[s] > 0 ? norm[s] : 0);
        }
    }
    /* The others are spread over the rest with an odd step, which visits every cell. */
    for (unsigned int s = 0; s < nsym; s++) {
        for (int k = 0; k < norm[s]; k++) {
            t->e[pos].sym = (uint8_t)s;
            do
                pos = (pos + step) & (size - 1);
            while (pos > high);
        }
    }
    if (pos != 0)
        return DECOMP_ECORRUPT;
    for (uint32_t u = 0; u < size; u++) {
        uint32_t n = next[t->e[u].sym]++;
        unsigned int bits = log - highbit(n);

        t->e[u].bits = (uint8_t)bits;
        t->e[u].next = (uint16_t)((n << bits) - size);
    }
    return 0;
}

void fse_single(struct fse_table *t, uint8_t sym)
{
    t->log = 0;
    t->e[0].sym = sym;
    t->e[0].bits = 0;
    t->e[0].next = 0;
}

/*
 * Little-endian bit reading, forwards. Bits past the end read as zero
 * (a width is read before it is known whether its top bit is used);
 * whether the bits actually consumed lie inside is checked by the caller.
 */
struct fbits {
    const uint8_t *in;
    size_t len;
    uint64_t pos; /* in bits */
};

static int fb_read(struct fbits *b, unsigned int n, uint32_t *v)
{
    uint32_t r = 0;

    for (unsigned int k = 0; k < n; k++, b->pos++)
        if (b->pos < (uint64_t)b->len * 8)
            r |= (uint32_t)((b->in[b->pos >> 3] >> (b->pos & 7)) & 1) << k;
    *v = r;
    return 0;
}

static bool fb_inside(const struct fbits *b)
{
    return b->pos <= (uint64_t)b->len * 8;
}

static void fb_unread(struct fbits *b, unsigned int n)
{
    b->pos -= n;
}

int fse_read_table(struct fse_table *t, const uint8_t *in, size_t len, unsigned int max_log,
                   unsigned int max_sym, size_t *used)
{
    struct fbits b = {.in = in, .len = len};
    int16_t norm[HUF_MAX_SYMS];
    uint32_t v, log;
    int32_t remaining, threshold;
    unsigned int nbits, s = 0;
    int rc;

    if ((rc = fb_read(&b, 4, &log)))
        return rc;
    log += FSE_MIN_LOG;
    if (log > max_log)
        return DECOMP_ECORRUPT;
    remaining = (1 << log) + 1;
    threshold = 1 << log;
    nbits = log + 1;
    while (remaining > 1) {
        int32_t max = (2 * threshold - 1) - remaining, count;

        if (s > max_sym)
            return DECOMP_ECORRUPT;
        /*
         * Values below `max` fit in one bit fewer; the rest take the full
         * width, those above the threshold shifted down by `max`.
         */
        if ((rc = fb_read(&b, nbits, &v)))
            return rc;
        if ((int32_t)(v & (uint32_t)(threshold - 1)) < max) {
            count = (int32_t)(v & (uint32_t)(threshold - 1));
            fb_unread(&b, 1);
        } else {
            count = (int32_t)v;
            if (count >= threshold)
                count -= max;
        }
        if (!fb_inside(&b))
            return DECOMP_ETRUNC;
        count--; /* -1 stands for "less than one" */
        remaining -= count < 0 ? -count : count;
        if (remaining < 1)
            return DECOMP_ECORRUPT;
        norm[s++] = (int16_t)count;
        if (count == 0) {
            /* Zero counts are followed by 2-bit repeat counts of further zeros; 3 means more. */
            do {
                if ((rc = fb_read(&b, 2, &v)))
                    return rc;
                for (uint32_t k = 0; k < v; k++) {
                    if (s > max_sym)
                        return DECOMP_ECORRUPT;
                    norm[s++] = 0;
                }
            } while (v == 3);
            if (!fb_inside(&b))
                return DECOMP_ETRUNC;
        }
        while (remaining < threshold) {
            nbits--;
            threshold >>= 1;
        }
    }
    if (remaining != 1)
        return DECOMP_ECORRUPT;
    *used = (size_t)((b.pos + 7) / 8);
    return fse_build(t, norm, s, log);
}
