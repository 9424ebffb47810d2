/*
 * pv-extract-elf IN OUT: write the PV kernel ELF contained in IN to OUT.
 *
 * IN is a Linux bzImage (Debian's /boot/vmlinuz-*) or already an ELF. A
 * bzImage's payload is decompressed with the decoders the hypervisor
 * itself uses (hypercall-abi/decompress/); the result, an ELF followed by
 * relocation data, is cut to the ELF, written only once pv_elf_parse()
 * accepts it. The ELF's extent is the furthest byte any header, program
 * header, segment, section header or section names. Exits 0 on success,
 * 1 with a message on stderr otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <paravane/decompress.h>
#include <paravane/pv_image.h>
#include <xen/errno.h>

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (!f) {
        perror(path);
        exit(1);
    }
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            buf = realloc(buf, cap);
            if (!buf) {
                fprintf(stderr, "pv-extract-elf: out of memory\n");
                exit(1);
            }
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        perror(path);
        exit(1);
    }
    fclose(f);
    *size = n;
    return buf;
}

static void write_all(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static uint64_t le(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    while (n--)
        v = v << 8 | p[n];
    return v;
}

/* Grow *end to off + len, refusing ranges beyond size. */
static int extend(uint64_t off, uint64_t len, size_t size, uint64_t *end)
{
    if (off > size || len > size - off)
        return -1;
    if (off + len > *end)
        *end = off + len;
    return 0;
}

/* The ELF's extent; its headers were validated by pv_elf_parse(). */
static int elf_extent(const uint8_t *b, size_t size, uint64_t *end)
{
    uint64_t phoff = le(b + 32, 8), shoff = le(b + 40, 8);
    unsigned int phnum = (unsigned int)le(b + 56, 2), shnum = (unsigned int)le(b + 60, 2);
    unsigned int i;

    *end = 64;
    if (extend(phoff, (uint64_t)phnum * 56, size, end))
        return -1;
    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = b + phoff + 56ull * i;

        if (extend(le(ph + 8, 8), le(ph + 32, 8), size, end))
            return -1;
    }
    if (shnum == 0)
        return 0;
    if (le(b + 58, 2) != 64 || extend(shoff, (uint64_t)shnum * 64, size, end))
        return -1;
    for (i = 0; i < shnum; i++) {
        const uint8_t *sh = b + shoff + 64ull * i;

        if (le(sh + 4, 4) != 8 /* SHT_NOBITS */ &&
            extend(le(sh + 24, 8), le(sh + 32, 8), size, end))
            return -1;
    }
    return 0;
}

/* A bzImage's kernel, decompressed; the image itself when it is not one. */
static uint8_t *unpack(const char *path, uint8_t *img, size_t *size)
{
    struct pv_bzimage bz;
    uint8_t *out;
    void *work;
    int rc = pv_bzimage_inspect(img, *size, &bz);

    if (rc == -XEN_ENOEXEC)
        return img;
    if (rc) {
        fprintf(stderr, "pv-extract-elf: %s: bzImage without a payload we can decompress (%d)\n",
                path, rc);
        exit(1);
    }
    out = malloc(bz.kernel_size);
    work = aligned_alloc(16, DECOMP_WORK_SIZE);
    if (!out || !work) {
        fprintf(stderr, "pv-extract-elf: out of memory\n");
        exit(1);
    }
    rc = pv_bzimage_decompress(img, &bz, out, work);
    if (rc) {
        fprintf(stderr, "pv-extract-elf: %s: %s payload: %s\n", path, decomp_format_name(bz.format),
                decomp_strerror(rc));
        exit(1);
    }
    free(work);
    free(img);
    *size = bz.kernel_size;
    return out;
}

int main(int argc, char **argv)
{
    struct pv_image_info info;
    size_t size;
    uint64_t end;
    uint8_t *img;
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: pv-extract-elf BZIMAGE-OR-ELF OUT\n");
        return 1;
    }
    img = unpack(argv[1], read_all(argv[1], &size), &size);
    rc = pv_elf_parse(img, size, &info);
    if (rc) {
        fprintf(stderr, "pv-extract-elf: %s: not a PV kernel (%d)\n", argv[1], rc);
        return 1;
    }
    if (elf_extent(img, size, &end)) {
        fprintf(stderr, "pv-extract-elf: %s: section table out of bounds\n", argv[1]);
        return 1;
    }
    write_all(argv[2], img, (size_t)end);
    free(img);
    return 0;
}
