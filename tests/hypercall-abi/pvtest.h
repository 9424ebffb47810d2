/*
 * Helpers shared by the hypercall-abi unit tests: reading test images,
 * finding a Xen note inside a known-good image so a test can corrupt it,
 * and building small synthetic ELF files field by field.
 *
 * Every buffer handed to the code under test is malloc'ed at its exact size,
 * so ASan reports any read beyond the image.
 */
#ifndef PVTEST_H
#define PVTEST_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

/*
 * A cheap assertion for hot loops: Check's ck_assert_* record a
 * checkpoint (a write to the runner) on every call, this only on failure.
 */
#define PVT_CHECK(cond)                                                                            \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #cond);                                  \
    } while (0)

#define PVT_CHECK_MSG(cond, ...)                                                                   \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)
#define PVT_eq(a, b) PVT_CHECK((a) == (b))
#define PVT_ne(a, b) PVT_CHECK((a) != (b))
#define PVT_lt(a, b) PVT_CHECK((a) < (b))
#define PVT_le(a, b) PVT_CHECK((a) <= (b))
#define PVT_ge(a, b) PVT_CHECK((a) >= (b))
#define PVT_gt(a, b) PVT_CHECK((a) > (b))

struct pvt_buf {
    uint8_t *data;
    size_t size;
};

/* Read a whole file (aborts the test on failure). */
struct pvt_buf pvt_read_file(const char *path);
/* A fresh exact-size copy of the first n bytes of b. */
struct pvt_buf pvt_copy(const struct pvt_buf *b, size_t n);
void pvt_free(struct pvt_buf *b);

/* Offset of ELF program header i / of the note header of the first Xen
 * note of type in the PT_NOTE segment (the image must be well formed). */
size_t pvt_phdr(const struct pvt_buf *b, unsigned int i);
size_t pvt_find_note(const struct pvt_buf *b, uint32_t type);

void pvt_put16(uint8_t *p, uint16_t v);
void pvt_put32(uint8_t *p, uint32_t v);
void pvt_put64(uint8_t *p, uint64_t v);
uint64_t pvt_get64(const uint8_t *p);
uint32_t pvt_get32(const uint8_t *p);

/* Synthetic images: PT_LOAD segments plus one PT_NOTE holding notes. */
struct pvt_seg {
    uint64_t paddr, vaddr, filesz, memsz;
};

struct pvt_notes {
    uint8_t data[4096];
    size_t len;
    unsigned int align; /* 4 or 8 */
};

void pvt_note(struct pvt_notes *n, const char *name, uint32_t type, const void *desc,
              size_t descsz);
void pvt_note_str(struct pvt_notes *n, uint32_t type, const char *s);
void pvt_note_u64(struct pvt_notes *n, uint32_t type, uint64_t v);
/* The notes a minimal valid image needs (entry at 0xffffffff80001000). */
void pvt_notes_minimal(struct pvt_notes *n);

struct pvt_buf pvt_synth_elf(const struct pvt_seg *segs, unsigned int nr,
                             const struct pvt_notes *n);

#endif
