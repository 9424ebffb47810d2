/*
 * type_names.h: request type names of io/xs_wire.h as the transcript
 * files spell them (READ, WRITE, ...), shared by xs_transcript and
 * xs_replay. Also accepts a number (e.g. 20 or 0xffff) for raw types.
 */
#ifndef XS_TEST_TYPE_NAMES_H
#define XS_TEST_TYPE_NAMES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/io/xs_wire.h>

/* 0 and *type set, or -1 for a name that is neither known nor a number. */
static inline int xs_type_by_name(const char *name, uint32_t *type)
{
    static const struct {
        const char *name;
        uint32_t type;
    } types[] = {
        {"CONTROL", XS_CONTROL},
        {"DIRECTORY", XS_DIRECTORY},
        {"READ", XS_READ},
        {"GET_PERMS", XS_GET_PERMS},
        {"WATCH", XS_WATCH},
        {"UNWATCH", XS_UNWATCH},
        {"TRANSACTION_START", XS_TRANSACTION_START},
        {"TRANSACTION_END", XS_TRANSACTION_END},
        {"INTRODUCE", XS_INTRODUCE},
        {"RELEASE", XS_RELEASE},
        {"GET_DOMAIN_PATH", XS_GET_DOMAIN_PATH},
        {"WRITE", XS_WRITE},
        {"MKDIR", XS_MKDIR},
        {"RM", XS_RM},
        {"SET_PERMS", XS_SET_PERMS},
        {"WATCH_EVENT", XS_WATCH_EVENT},
        {"ERROR", XS_ERROR},
        {"IS_DOMAIN_INTRODUCED", XS_IS_DOMAIN_INTRODUCED},
        {"RESUME", XS_RESUME},
        {"SET_TARGET", XS_SET_TARGET},
        {"RESET_WATCHES", XS_RESET_WATCHES},
        {"DIRECTORY_PART", XS_DIRECTORY_PART},
    };
    size_t i;
    char *end;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(types[i].name, name) == 0) {
            *type = types[i].type;
            return 0;
        }
    *type = (uint32_t)strtoul(name, &end, 0);
    return *end || end == name ? -1 : 0;
}

#endif
