/*
 * The small C library the hypervisor carries (it links nothing from the
 * host), plus the assertion and panic primitives every file uses.
 */
#ifndef PARAVANE_LIB_H
#define PARAVANE_LIB_H

#include "types.h"
#include "compiler.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);

static inline void clear_page(void *p)
{
    memset(p, 0, 4096);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
__noreturn void assert_failed(const char *expr, const char *file, int line);

/* An invariant the code relies on; a failure is a hypervisor bug. */
#define ASSERT(p)                                                                                  \
    do {                                                                                           \
        if (unlikely(!(p)))                                                                        \
            assert_failed(#p, __FILE__, __LINE__);                                                 \
    } while (0)

#define BUG() assert_failed("BUG", __FILE__, __LINE__)

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#endif
