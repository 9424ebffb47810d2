/*
 * Locate the compressed kernel inside a Linux bzImage (x86 boot protocol,
 * Documentation/x86/boot.rst): the real-mode setup occupies
 * (setup_sects + 1) sectors of 512 bytes (setup_sects 0 means 4), the
 * protected-mode part follows, and from protocol 2.08 on the setup header
 * says where in that part the compressed payload lies.
 *
 * The payload is an xz, gzip or zstd stream (as the kernel was configured)
 * followed by, or ending with, the decompressed size; the builders (the
 * hypervisor's and the toolstack's) allocate that much and decompress
 * with hypercall-abi/decompress/. The image is untrusted; every field is
 * range-checked before use.
 */
#include <stddef.h>
#include <stdint.h>

#include <xen/errno.h>

#include <paravane/decompress.h>
#include <paravane/pv_image.h>
#include "pv_lib.h"

#define OFF_SETUP_SECTS    0x1f1
#define OFF_BOOT_FLAG      0x1fe
#define OFF_HEADER         0x202
#define OFF_VERSION        0x206
#define OFF_PAYLOAD_OFFSET 0x248
#define OFF_PAYLOAD_LENGTH 0x24c
#define HDR_END            0x250 /* end of the fields read here */
#define BOOT_FLAG          0xaa55
#define HDRS_MAGIC         0x53726448u /* "HdrS" */
#define MIN_VERSION        0x0208      /* first protocol with payload_offset */

int pv_bzimage_payload(const void *image, size_t size, size_t *off, size_t *len)
{
    const uint8_t *b = image;
    uint64_t setup, poff, plen, start;

    if (size < HDR_END || pv_le16(b + OFF_BOOT_FLAG) != BOOT_FLAG ||
        pv_le32(b + OFF_HEADER) != HDRS_MAGIC || pv_le16(b + OFF_VERSION) < MIN_VERSION)
        return -XEN_ENOEXEC;
    setup = b[OFF_SETUP_SECTS] ? b[OFF_SETUP_SECTS] : 4;
    setup = (setup + 1) * 512;
    poff = pv_le32(b + OFF_PAYLOAD_OFFSET);
    plen = pv_le32(b + OFF_PAYLOAD_LENGTH);
    start = setup + poff; /* both < 2^32: no wrap */
    if (plen == 0 || !pv_range_ok(start, plen, size))
        return -XEN_EINVAL;
    *off = (size_t)start;
    *len = (size_t)plen;
    return 0;
}

int pv_bzimage_inspect(const void *image, size_t size, struct pv_bzimage *bz)
{
    const uint8_t *p;
    size_t stated;
    int rc = pv_bzimage_payload(image, size, &bz->payload_off, &bz->payload_len);

    if (rc)
        return rc;
    if (bz->payload_len < 4)
        return -XEN_EINVAL;
    p = (const uint8_t *)image + bz->payload_off;
    bz->format = decomp_detect(p, bz->payload_len);
    if (bz->format == DECOMP_NONE)
        return -XEN_EOPNOTSUPP;
    stated = pv_le32(p + bz->payload_len - 4);
    if (stated == 0 || stated > PV_BZIMAGE_MAX_KERNEL)
        return -XEN_E2BIG;
    bz->kernel_size = stated;
    return 0;
}

int pv_bzimage_decompress(const void *image, const struct pv_bzimage *bz, void *out, void *work)
{
    struct decomp_result res;
    int rc = decomp_run((enum decomp_format)bz->format, (const uint8_t *)image + bz->payload_off,
                        bz->payload_len, out, bz->kernel_size, work, &res);

    if (rc)
        return rc;
    return res.out_len == bz->kernel_size ? 0 : DECOMP_ECORRUPT;
}
