/*
 * Format detection by magic number and dispatch to the decoders.
 */
#include "private.h"

enum decomp_format decomp_detect(const void *in, size_t in_len)
{
    const uint8_t *p = in;

    if (in_len >= 6 && p[0] == 0xFD && p[1] == '7' && p[2] == 'z' && p[3] == 'X' && p[4] == 'Z' &&
        p[5] == 0)
        return DECOMP_XZ;
    if (in_len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)
        return DECOMP_GZIP;
    /* A zstd frame, or a skippable frame (0x184D2A5?) that comes before one. */
    if (in_len >= 4 && ((dc_le32(p) == 0xFD2FB528u) || (dc_le32(p) & 0xFFFFFFF0u) == 0x184D2A50u))
        return DECOMP_ZSTD;
    return DECOMP_NONE;
}

const char *decomp_format_name(enum decomp_format f)
{
    switch (f) {
    case DECOMP_XZ:
        return "xz";
    case DECOMP_GZIP:
        return "gzip";
    case DECOMP_ZSTD:
        return "zstd";
    default:
        return "none";
    }
}

const char *decomp_strerror(int rc)
{
    switch (rc) {
    case 0:
        return "ok";
    case DECOMP_ETRUNC:
        return "input truncated";
    case DECOMP_ECORRUPT:
        return "corrupt data";
    case DECOMP_ECHECK:
        return "integrity check failed";
    case DECOMP_ENOSPACE:
        return "output larger than its buffer";
    case DECOMP_EUNSUPP:
        return "unsupported feature";
    case DECOMP_EFORMAT:
        return "unknown format";
    default:
        return "unknown error";
    }
}

int decomp_run(enum decomp_format f, const void *in, size_t in_len, void *out, size_t out_cap,
               void *work, struct decomp_result *res)
{
    switch (f) {
    case DECOMP_XZ:
        return xz_decode(in, in_len, out, out_cap, work, res);
    case DECOMP_GZIP:
        return gzip_decode(in, in_len, out, out_cap, work, res);
    case DECOMP_ZSTD:
        return zstd_decode(in, in_len, out, out_cap, work, res);
    default:
        return DECOMP_EFORMAT;
    }
}
