/*
 * Turning a boot module into the ELF image the PV builder loads: a Linux
 * bzImage, as /boot/vmlinuz-* is installed, is decompressed here.
 */
#ifndef PARAVANE_KERNEL_UNPACK_H
#define PARAVANE_KERNEL_UNPACK_H

#include "types.h"

/*
 * kernel_unpack: if image is a bzImage, decompress its payload into a new
 * buffer and return it in *elf (the caller xfree()s it once loaded) with
 * its size in *elf_size; otherwise leave *elf NULL (the image is taken as
 * it is). Logs the format, sizes and time, or why it failed, under the
 * name d<id>.
 *
 * Returns 0, -XEN_ENOMEM, or -XEN_EINVAL/-XEN_EOPNOTSUPP/-XEN_E2BIG for an
 * image that is a bzImage but cannot be unpacked.
 */
int kernel_unpack(unsigned int id, const void *image, size_t size, void **elf, size_t *elf_size);

#endif
