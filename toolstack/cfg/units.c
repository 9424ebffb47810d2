/*
 * Sizes as xl's command line takes them (xl's parse_mem_size_kb): a
 * whole number and at most one suffix letter.
 */
#include "xlcfg.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int64_t xlcfg_parse_mem_size_kb(const char *s)
{
    char *end;
    long long n;
    int shift; /* to KiB: left by this much, or right by 10 for bytes */

    if (!s || !isdigit((unsigned char)*s))
        return -1; /* no sign, no space: strtoll would take them */
    errno = 0;
    n = strtoll(s, &end, 10);
    if (errno == ERANGE || strlen(end) > 1)
        return -1;
    switch (tolower((unsigned char)*end)) {
    case 't':
        shift = 30;
        break;
    case 'g':
        shift = 20;
        break;
    case '\0':
    case 'm':
        shift = 10;
        break;
    case 'k':
        shift = 0;
        break;
    case 'b':
        return n >> 10;
    default:
        return -1;
    }
    if (n > (INT64_MAX >> shift))
        return -1; /* would not fit */
    return (int64_t)n << shift;
}
