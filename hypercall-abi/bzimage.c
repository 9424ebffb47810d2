/*
 * Locate the compressed kernel inside a Linux bzImage (x86 boot protocol,
 * Documentation/x86/boot.rst): the real-mode setup occupies
 * (setup_sects + 1) sectors of 512 bytes (setup_sects 0 means 4), the
 * protected-mode part follows, and from protocol 2.08 on the setup header
 * says where in that part the compressed payload lies.
 *
 * Only locating happens here: decompression is the host's job (the
 * extract-vmlinux.sh script), never the hypervisor's. The image is
 * untrusted; every field is range-checked before use.
 */
#include <stddef.h>
#include <stdint.h>

#include <xen/errno.h>

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
