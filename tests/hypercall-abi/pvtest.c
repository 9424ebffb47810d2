/*
 * Test helpers: see pvtest.h.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/elfnote.h>

#include "pvtest.h"

struct pvt_buf pvt_read_file(const char *path)
{
    struct pvt_buf b = {0};
    FILE *f = fopen(path, "rb");
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    ck_assert_int_gt(n, 0);
    rewind(f);
    b.size = (size_t)n;
    b.data = malloc(b.size);
    ck_assert_ptr_nonnull(b.data);
    ck_assert_uint_eq(fread(b.data, 1, b.size, f), b.size);
    fclose(f);
    return b;
}

struct pvt_buf pvt_copy(const struct pvt_buf *b, size_t n)
{
    struct pvt_buf c = {malloc(n ? n : 1), n};

    PVT_CHECK(c.data != NULL);
    memcpy(c.data, b->data, n);
    return c;
}

void pvt_free(struct pvt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->size = 0;
}

void pvt_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void pvt_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void pvt_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t pvt_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t pvt_get64(const uint8_t *p)
{
    return pvt_get32(p) | (uint64_t)pvt_get32(p + 4) << 32;
}

size_t pvt_phdr(const struct pvt_buf *b, unsigned int i)
{
    return (size_t)pvt_get64(b->data + 32) + 56u * i;
}

size_t pvt_find_note(const struct pvt_buf *b, uint32_t type)
{
    unsigned int phnum = b->data[56] | b->data[57] << 8;

    for (unsigned int i = 0; i < phnum; i++) {
        const uint8_t *ph = b->data + pvt_phdr(b, i);
        size_t off, end;

        if (pvt_get32(ph) != 4)
            continue;
        off = (size_t)pvt_get64(ph + 8);
        end = off + (size_t)pvt_get64(ph + 32);
        while (off + 12 <= end) {
            uint32_t namesz = pvt_get32(b->data + off), descsz = pvt_get32(b->data + off + 4);

            if (pvt_get32(b->data + off + 8) == type && namesz == 4 &&
                memcmp(b->data + off + 12, "Xen", 4) == 0)
                return off;
            off += 12 + ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
        }
    }
    ck_abort_msg("note %u not found", type);
    return 0;
}

void pvt_note(struct pvt_notes *n, const char *name, uint32_t type, const void *desc, size_t descsz)
{
    size_t namesz = strlen(name) + 1, a = n->align ? n->align : 4;
    size_t name_pad = (namesz + a - 1) & ~(a - 1), desc_pad = (descsz + a - 1) & ~(a - 1);

    ck_assert_uint_le(n->len + 12 + name_pad + desc_pad, sizeof(n->data));
    pvt_put32(n->data + n->len, (uint32_t)namesz);
    pvt_put32(n->data + n->len + 4, (uint32_t)descsz);
    pvt_put32(n->data + n->len + 8, type);
    memset(n->data + n->len + 12, 0, name_pad + desc_pad);
    memcpy(n->data + n->len + 12, name, namesz);
    if (descsz)
        memcpy(n->data + n->len + 12 + name_pad, desc, descsz);
    n->len += 12 + name_pad + desc_pad;
}

void pvt_note_str(struct pvt_notes *n, uint32_t type, const char *s)
{
    pvt_note(n, "Xen", type, s, strlen(s) + 1);
}

void pvt_note_u64(struct pvt_notes *n, uint32_t type, uint64_t v)
{
    uint8_t d[8];

    pvt_put64(d, v);
    pvt_note(n, "Xen", type, d, 8);
}

void pvt_notes_minimal(struct pvt_notes *n)
{
    pvt_note_str(n, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    pvt_note_str(n, XEN_ELFNOTE_LOADER, "generic");
    pvt_note_u64(n, XEN_ELFNOTE_VIRT_BASE, 0xffffffff80000000ull);
    pvt_note_u64(n, XEN_ELFNOTE_ENTRY, 0xffffffff80001000ull);
}

/* Layout: ehdr, phdrs (loads then the note), notes, then each segment's
 * file bytes (filled with its index + 1), no section headers. */
struct pvt_buf pvt_synth_elf(const struct pvt_seg *segs, unsigned int nr, const struct pvt_notes *n)
{
    size_t phoff = 64, notes_off = phoff + 56u * (nr + 1), off, size = notes_off + n->len;
    struct pvt_buf b;

    for (unsigned int i = 0; i < nr; i++)
        size += segs[i].filesz;
    b.size = size;
    b.data = calloc(1, size);
    ck_assert_ptr_nonnull(b.data);
    memcpy(b.data,
           "\x7f"
           "ELF\x02\x01\x01",
           7);
    pvt_put16(b.data + 16, 2);  /* ET_EXEC */
    pvt_put16(b.data + 18, 62); /* EM_X86_64 */
    pvt_put32(b.data + 20, 1);
    pvt_put64(b.data + 24, 0xffffffff80001000ull);
    pvt_put64(b.data + 32, phoff);
    pvt_put16(b.data + 52, 64);
    pvt_put16(b.data + 54, 56);
    pvt_put16(b.data + 56, (uint16_t)(nr + 1));
    pvt_put16(b.data + 58, 64);
    off = notes_off + n->len;
    for (unsigned int i = 0; i < nr; i++) {
        uint8_t *ph = b.data + phoff + 56u * i;

        pvt_put32(ph, 1);
        pvt_put32(ph + 4, 6);
        pvt_put64(ph + 8, off);
        pvt_put64(ph + 16, segs[i].vaddr);
        pvt_put64(ph + 24, segs[i].paddr);
        pvt_put64(ph + 32, segs[i].filesz);
        pvt_put64(ph + 40, segs[i].memsz);
        pvt_put64(ph + 48, 4096);
        memset(b.data + off, (int)(i + 1), segs[i].filesz);
        off += segs[i].filesz;
    }
    uint8_t *ph = b.data + phoff + 56u * nr;
    pvt_put32(ph, 4);
    pvt_put32(ph + 4, 4);
    pvt_put64(ph + 8, notes_off);
    pvt_put64(ph + 32, n->len);
    pvt_put64(ph + 40, n->len);
    pvt_put64(ph + 48, n->align ? n->align : 4);
    memcpy(b.data + notes_off, n->data, n->len);
    return b;
}
