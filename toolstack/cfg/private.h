/*
 * Inside the xl.cfg parser: tokens (lexer.c), the generic settings tree
 * the grammar produces (parse.c), messages (diag.c), and the step from
 * settings to struct domain_config (domain_config.c).
 */
#ifndef TOOLSTACK_CFG_PRIVATE_H
#define TOOLSTACK_CFG_PRIVATE_H

#include "xlcfg.h"
#include <stdarg.h>
#include <xen/errno.h>

/* --- diag.c ------------------------------------------------------------- */

/* Add one message; FMT already carries its "FILE:LINE: " prefix. */
void diag_add(struct xlcfg_diag *diag, enum xlcfg_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_vadd(struct xlcfg_diag *diag, enum xlcfg_severity sev, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* --- lexer.c ------------------------------------------------------------ */

enum tok_type {
    TOK_EOF,
    TOK_NEWLINE,
    TOK_SEMI,
    TOK_ASSIGN, /* = */
    TOK_APPEND, /* += */
    TOK_COMMA,
    TOK_LBRACKET,
    TOK_RBRACKET,
    TOK_IDENT,
    TOK_NUMBER,
    TOK_STRING,
};

struct token {
    enum tok_type type;
    int line;
    const char *start; /* IDENT and NUMBER: the text, in the source */
    size_t len;
    char *str; /* STRING: the unquoted value, malloc'd; whoever takes it
                  sets this to NULL, else lexer_next() frees it */
};

struct lexer {
    const char *file; /* for messages */
    const char *p;
    const char *end;
    int line;
    struct xlcfg_diag *diag;
};

void lexer_init(struct lexer *lx, const char *file, int first_line, const char *text, size_t len,
                struct xlcfg_diag *diag);
/* Release TOK's string (if still held) and read the next token into it.
 * 0, or -XEN_EINVAL (a lexical error, reported) or -XEN_ENOMEM. */
int lexer_next(struct lexer *lx, struct token *tok);
/* TOK in words for a message: "'memory'", "a string", "end of line". */
const char *token_describe(const struct token *tok, char *buf, size_t len);

/* --- parse.c ------------------------------------------------------------ */

enum value_type {
    VAL_STRING,
    VAL_NUMBER, /* text as written, checked by whoever reads it */
    VAL_LIST,
};

struct cfg_value {
    enum value_type type;
    int line;
    char *text;              /* STRING and NUMBER */
    struct cfg_value *items; /* LIST */
    size_t n_items, cap_items;
};

struct cfg_setting {
    char *key;
    const char *file; /* the file name or "<command line>" */
    int line;         /* of the last assignment */
    struct cfg_value value;
};

struct cfg_settings {
    struct cfg_setting *v;
    size_t n, cap;
};

/* Parse TEXT's statements into SETTINGS (later ones replace or, with +=,
 * extend earlier ones). Stops at the first syntax error. */
int cfg_parse_text(struct cfg_settings *settings, const char *file, int first_line,
                   const char *text, size_t len, struct xlcfg_diag *diag);
void cfg_settings_free(struct cfg_settings *settings);
void cfg_value_free(struct cfg_value *v);

/* --- domain_config.c ---------------------------------------------------- */

/* Map SETTINGS onto OUT (zeroed by the caller); FILE names the
 * configuration for errors that have no line. 0, -XEN_EINVAL or
 * -XEN_ENOMEM; on failure OUT may hold allocations (free it). */
int domain_config_from_settings(const struct cfg_settings *settings, const char *file,
                                struct domain_config *out, struct xlcfg_diag *diag);

/* The value of a hexadecimal digit, or -1 (string escapes, MAC addresses). */
static inline int cfg_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif /* TOOLSTACK_CFG_PRIVATE_H */
