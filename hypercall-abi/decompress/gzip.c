/*
 * The gzip member format (RFC 1952) around a DEFLATE stream: a header with
 * optional extra field, name, comment and header CRC; after the data, the
 * CRC-32 of the output and its length modulo 2^32.
 */
#include "private.h"

#define FTEXT      0x01
#define FHCRC      0x02
#define FEXTRA     0x04
#define FNAME      0x08
#define FCOMMENT   0x10
#define FRESERVED  0xe0
#define CM_DEFLATE 8

struct gzip_work {
    uint32_t crc32[DC_CRC32_SLICES][256];
    _Alignas(16) uint8_t inflate[INFLATE_STATE_SIZE];
};
_Static_assert(sizeof(struct gzip_work) <= DECOMP_WORK_SIZE, "gzip work outgrew the work area");

static int skip_string(const uint8_t *in, size_t in_len, size_t *i)
{
    while (*i < in_len)
        if (in[(*i)++] == 0)
            return 0;
    return DECOMP_ETRUNC;
}

int gzip_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, void *work,
                struct decomp_result *res)
{
    struct gzip_work *w = work;
    size_t i = 10, used = 0, pos = 0;
    uint8_t flg;
    int rc;

    if ((in_len >= 1 && in[0] != 0x1f) || (in_len >= 2 && in[1] != 0x8b))
        return DECOMP_EFORMAT;
    if (in_len < 10)
        return DECOMP_ETRUNC;
    if (in[2] != CM_DEFLATE)
        return DECOMP_EUNSUPP;
    flg = in[3];
    if (flg & FRESERVED)
        return DECOMP_ECORRUPT;
    if (flg & FEXTRA) {
        size_t xlen;

        if (in_len - i < 2)
            return DECOMP_ETRUNC;
        xlen = (size_t)in[i] | (size_t)in[i + 1] << 8;
        i += 2;
        if (in_len - i < xlen)
            return DECOMP_ETRUNC;
        i += xlen;
    }
    if ((flg & FNAME) && (rc = skip_string(in, in_len, &i)))
        return rc;
    if ((flg & FCOMMENT) && (rc = skip_string(in, in_len, &i)))
        return rc;
    dc_crc32_init(w->crc32);
    if (flg & FHCRC) {
        if (in_len - i < 2)
            return DECOMP_ETRUNC;
        if ((dc_crc32(w->crc32, 0, in, i) & 0xffff) != ((uint32_t)in[i] | (uint32_t)in[i + 1] << 8))
            return DECOMP_ECHECK;
        i += 2;
    }
    rc = inflate_raw((struct inflate_state *)w->inflate, in + i, in_len - i, &used, out, out_cap,
                     &pos);
    if (rc)
        return rc;
    i += used;
    if (in_len - i < 8)
        return DECOMP_ETRUNC;
    if (dc_crc32(w->crc32, 0, out, pos) != dc_le32(in + i) || (uint32_t)pos != dc_le32(in + i + 4))
        return DECOMP_ECHECK;
    res->in_used = i + 8;
    res->out_len = pos;
    return 0;
}
