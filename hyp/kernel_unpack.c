/*
 * bzImage boot modules (see kernel_unpack.h). The decompressed kernel is
 * large (Debian's is 63 MiB) and only needed until its segments are
 * copied into the domain, so it lives in one heap block for the length of
 * the build, as Xen's dom0 builder holds its own.
 */
#include "kernel_unpack.h"
#include "console.h"
#include "mm/xmalloc.h"
#include "time.h"
#include <paravane/decompress.h>
#include <paravane/pv_image.h>
#include <xen/errno.h>

int kernel_unpack(unsigned int id, const void *image, size_t size, void **elf, size_t *elf_size)
{
    struct pv_bzimage bz;
    void *out = NULL, *work = NULL;
    s_time_t t0;
    int rc = pv_bzimage_inspect(image, size, &bz), drc;

    *elf = NULL;
    if (rc == -XEN_ENOEXEC)
        return 0; /* not a bzImage: the ELF loader judges it */
    if (rc) {
        pr_err("d%u: bzImage refused: %s (%d)\n", id,
               rc == -XEN_EOPNOTSUPP ? "payload compression not supported"
               : rc == -XEN_E2BIG    ? "implausible decompressed size"
                                     : "payload outside the image",
               rc);
        return rc;
    }
    rc = -XEN_ENOMEM;
    out = xmalloc_bytes(bz.kernel_size);
    work = xmalloc_bytes(DECOMP_WORK_SIZE);
    if (!out || !work) {
        pr_err("d%u: no memory to decompress a %zu-byte kernel\n", id, bz.kernel_size);
        goto out;
    }
    t0 = NOW();
    drc = pv_bzimage_decompress(image, &bz, out, work);
    if (drc) {
        pr_err("d%u: bzImage's %s payload does not decompress: %s (%d)\n", id,
               decomp_format_name(bz.format), decomp_strerror(drc), drc);
        rc = -XEN_EINVAL;
        goto out;
    }
    pr_info("d%u: bzImage: %s payload, %zu bytes decompressed to %zu in %lu ms\n", id,
            decomp_format_name(bz.format), bz.payload_len, bz.kernel_size,
            (unsigned long)((NOW() - t0) / MILLISECS(1)));
    *elf = out;
    *elf_size = bz.kernel_size;
    out = NULL;
    rc = 0;
out:
    xfree(work);
    xfree(out);
    return rc;
}
