/*
 * Decompressors for Linux kernel payloads: xz (LZMA2, BCJ x86), gzip
 * (DEFLATE) and zstd, written from the formats' specifications (the .xz
 * file format 1.1.0, RFC 1951/1952, RFC 8878).
 *
 * Freestanding and single-shot: the whole input and an output buffer of
 * its final size are given at once, so the output doubles as every
 * format's history window and no decoder allocates. What state a decoder
 * needs lives in a caller-supplied work area of DECOMP_WORK_SIZE bytes
 * (16-byte aligned). The input is untrusted: no decoder reads outside
 * [in, in + in_len) or writes outside [out, out + out_cap), whatever the
 * bytes say.
 */
#ifndef PARAVANE_DECOMPRESS_H
#define PARAVANE_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum decomp_format {
    DECOMP_NONE = 0, /* not a compressed stream we know */
    DECOMP_XZ,
    DECOMP_GZIP,
    DECOMP_ZSTD,
};

/*
 * Errors, negative. They are not Xen errnos: a caller maps them to one
 * (the builders use -XEN_EINVAL) and logs decomp_strerror() so the log says
 * which rule the input broke.
 */
#define DECOMP_ETRUNC   (-1) /* the input ends inside the stream */
#define DECOMP_ECORRUPT (-2) /* a field, code or distance the format forbids */
#define DECOMP_ECHECK   (-3) /* the stream's CRC or checksum does not match */
#define DECOMP_ENOSPACE (-4) /* the output does not fit out_cap */
#define DECOMP_EUNSUPP  (-5) /* well formed but beyond these decoders */
#define DECOMP_EFORMAT  (-6) /* no known magic number */

#define DECOMP_WORK_SIZE ((size_t)192 * 1024)

struct decomp_result {
    size_t in_used; /* bytes of the first stream (trailing bytes are left) */
    size_t out_len; /* bytes written to out */
};

/* Which format the first bytes announce; DECOMP_NONE if none. */
enum decomp_format decomp_detect(const void *in, size_t in_len);

/* "xz", "gzip", "zstd" or "none". */
const char *decomp_format_name(enum decomp_format f);

/* A short phrase for a DECOMP_E* value (0 gives "ok"). */
const char *decomp_strerror(int rc);

/*
 * decomp_run: decode the first stream of format f (a gzip member, a zstd
 * frame with any skippable frames before it, an xz stream) from in into
 * out. Bytes after that stream are not looked at.
 *
 * Returns 0 with *res filled, or a DECOMP_E* error (out's contents are then
 * unspecified).
 */
int decomp_run(enum decomp_format f, const void *in, size_t in_len, void *out, size_t out_cap,
               void *work, struct decomp_result *res);

/* The same, one format each. */
int xz_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, void *work,
              struct decomp_result *res);
int gzip_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, void *work,
                struct decomp_result *res);
int zstd_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, void *work,
                struct decomp_result *res);

#endif /* PARAVANE_DECOMPRESS_H */
