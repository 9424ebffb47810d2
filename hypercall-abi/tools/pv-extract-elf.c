/*
 * pv-extract-elf: host helper of extract-vmlinux.sh.
 *
 *   pv-extract-elf payload BZIMAGE OUT   write the compressed kernel found
 *                                        through the bzImage setup header
 *   pv-extract-elf trim IN OUT           IN is a decompressed vmlinux.bin
 *                                        (an ELF, possibly followed by
 *                                        relocation data): write just the
 *                                        ELF, after pv_elf_parse() accepts it
 *
 * The ELF's extent is the furthest byte any header, program header,
 * segment, section header or section names. Exits 0 on success, 1 with a
 * message on stderr otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <paravane/pv_image.h>

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

int main(int argc, char **argv)
{
    struct pv_image_info info;
    size_t size, off, len;
    uint64_t end;
    uint8_t *img;
    int rc;

    if (argc != 4 || (strcmp(argv[1], "payload") != 0 && strcmp(argv[1], "trim") != 0)) {
        fprintf(stderr, "usage: pv-extract-elf payload BZIMAGE OUT | trim IN OUT\n");
        return 1;
    }
    img = read_all(argv[2], &size);
    if (strcmp(argv[1], "payload") == 0) {
        rc = pv_bzimage_payload(img, size, &off, &len);
        if (rc) {
            fprintf(stderr, "pv-extract-elf: %s: not a bzImage with a payload (%d)\n", argv[2], rc);
            return 1;
        }
        write_all(argv[3], img + off, len);
    } else {
        rc = pv_elf_parse(img, size, &info);
        if (rc) {
            fprintf(stderr, "pv-extract-elf: %s: not a PV kernel ELF (%d)\n", argv[2], rc);
            return 1;
        }
        if (elf_extent(img, size, &end)) {
            fprintf(stderr, "pv-extract-elf: %s: section table out of bounds\n", argv[2]);
            return 1;
        }
        write_all(argv[3], img, (size_t)end);
    }
    free(img);
    return 0;
}
