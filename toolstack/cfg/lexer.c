/*
 * xl.cfg tokens: identifiers, numbers, quoted strings (unescaped here),
 * the punctuation = += , [ ] ; and newlines (which end statements outside
 * lists). Spaces, tabs, carriage returns and # comments are skipped.
 *
 * Identifiers are [A-Za-z_][A-Za-z0-9_.]* (xl takes only lower case; an
 * upper-case key here just becomes an unknown-key warning). A number is
 * an optional '-' then a digit then any run of letters, digits, '_' and
 * '.', so that "512M" or "1.5" reach the key's reader whole and are
 * reported as bad numbers there, not as a stray character.
 */
#include "private.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lexer_init(struct lexer *lx, const char *file, int first_line, const char *text, size_t len,
                struct xlcfg_diag *diag)
{
    lx->file = file;
    lx->p = text;
    lx->end = text + len;
    lx->line = first_line;
    lx->diag = diag;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int lex_error(struct lexer *lx, const char *what)
{
    diag_add(lx->diag, XLCFG_ERROR, "%s:%d: syntax error: %s", lx->file, lx->line, what);
    return -XEN_EINVAL;
}

/* One escape after a backslash at *PP (which points past the backslash);
 * its byte goes to *OUT. */
static int lex_escape(struct lexer *lx, const char **pp, const char *close, char *out)
{
    static const char simple_in[] = "\"'\\abfnrtv";
    static const char simple_out[] = "\"'\\\a\b\f\n\r\t\v";
    const char *p = *pp;
    const char *hit;
    char msg[64];
    unsigned int v = 0;
    int n;

    if (p == close)
        return lex_error(lx, "unterminated string");
    hit = *p ? strchr(simple_in, *p) : NULL;
    if (hit) {
        *out = simple_out[hit - simple_in];
        *pp = p + 1;
        return 0;
    }
    if (*p == 'x') {
        if (close - p < 3 || cfg_hex_digit(p[1]) < 0 || cfg_hex_digit(p[2]) < 0)
            return lex_error(lx, "\\x in a string needs two hex digits");
        v = (unsigned int)(cfg_hex_digit(p[1]) * 16 + cfg_hex_digit(p[2]));
        p += 3;
    } else if (*p >= '0' && *p <= '7') {
        for (n = 0; n < 3 && p < close && *p >= '0' && *p <= '7'; n++, p++)
            v = v * 8 + (unsigned int)(*p - '0');
        if (v > 0xff)
            return lex_error(lx, "octal escape in a string is above \\377");
    } else {
        if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f)
            snprintf(msg, sizeof(msg), "unknown escape '\\%c' in a string", *p);
        else
            snprintf(msg, sizeof(msg), "unknown escape in a string");
        return lex_error(lx, msg);
    }
    if (v == 0)
        return lex_error(lx, "a string may not contain a NUL character");
    *out = (char)v;
    *pp = p;
    return 0;
}

/* A quoted string starting at lx->p (the quote). */
static int lex_string(struct lexer *lx, struct token *tok)
{
    char quote = *lx->p;
    const char *p = lx->p + 1;
    const char *close;
    char *q;
    int rc;

    /* Find the closing quote first: the value is never longer than the
     * text between the quotes. */
    for (close = p; close < lx->end && *close != quote && *close != '\n'; close++) {
        if (*close == '\\' && close + 1 < lx->end && close[1] != '\n')
            close++;
    }
    if (close == lx->end || *close != quote)
        return lex_error(lx, "unterminated string");

    tok->str = malloc((size_t)(close - p) + 1);
    if (!tok->str)
        return -XEN_ENOMEM;
    q = tok->str;
    while (p < close) {
        if (*p == '\\') {
            p++;
            rc = lex_escape(lx, &p, close, q);
            if (rc) {
                free(tok->str);
                tok->str = NULL;
                return rc;
            }
            q++;
        } else if (*p == '\0') {
            free(tok->str);
            tok->str = NULL;
            return lex_error(lx, "a string may not contain a NUL character");
        } else {
            *q++ = *p++;
        }
    }
    *q = '\0';
    tok->type = TOK_STRING;
    lx->p = close + 1;
    return 0;
}

int lexer_next(struct lexer *lx, struct token *tok)
{
    const char *p;
    char msg[64];

    free(tok->str);
    memset(tok, 0, sizeof(*tok));

    /* Blanks and comments; a comment ends before its newline. */
    for (;;) {
        while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r'))
            lx->p++;
        if (lx->p < lx->end && *lx->p == '#') {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
            continue;
        }
        break;
    }

    tok->line = lx->line;
    tok->start = lx->p;
    if (lx->p == lx->end) {
        tok->type = TOK_EOF;
        return 0;
    }

    p = lx->p;
    switch (*p) {
    case '\n':
        tok->type = TOK_NEWLINE;
        lx->line++;
        lx->p++;
        return 0;
    case ';':
        tok->type = TOK_SEMI;
        lx->p++;
        return 0;
    case '=':
        tok->type = TOK_ASSIGN;
        lx->p++;
        return 0;
    case ',':
        tok->type = TOK_COMMA;
        lx->p++;
        return 0;
    case '[':
        tok->type = TOK_LBRACKET;
        lx->p++;
        return 0;
    case ']':
        tok->type = TOK_RBRACKET;
        lx->p++;
        return 0;
    case '\'':
    case '"':
        return lex_string(lx, tok);
    case '+':
        if (p + 1 < lx->end && p[1] == '=') {
            tok->type = TOK_APPEND;
            lx->p += 2;
            tok->len = 2;
            return 0;
        }
        break;
    default:
        break;
    }

    if (is_alpha(*p)) {
        while (p < lx->end && (is_alpha(*p) || is_digit(*p) || *p == '.'))
            p++;
        tok->type = TOK_IDENT;
    } else if (is_digit(*p) || (*p == '-' && p + 1 < lx->end && is_digit(p[1]))) {
        p++;
        while (p < lx->end && (is_alpha(*p) || is_digit(*p) || *p == '.'))
            p++;
        tok->type = TOK_NUMBER;
    } else {
        if ((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f)
            snprintf(msg, sizeof(msg), "unexpected character '%c'", *p);
        else
            snprintf(msg, sizeof(msg), "unexpected byte 0x%02x", (unsigned char)*p);
        return lex_error(lx, msg);
    }
    tok->len = (size_t)(p - lx->p);
    lx->p = p;
    return 0;
}

const char *token_describe(const struct token *tok, char *buf, size_t len)
{
    switch (tok->type) {
    case TOK_EOF:
        return "end of file";
    case TOK_NEWLINE:
        return "end of line";
    case TOK_SEMI:
        return "';'";
    case TOK_ASSIGN:
        return "'='";
    case TOK_APPEND:
        return "'+='";
    case TOK_COMMA:
        return "','";
    case TOK_LBRACKET:
        return "'['";
    case TOK_RBRACKET:
        return "']'";
    case TOK_STRING:
        return "a string";
    case TOK_IDENT:
    case TOK_NUMBER:
        snprintf(buf, len, "'%.*s'", tok->len > 40 ? 40 : (int)tok->len, tok->start);
        return buf;
    }
    return "?";
}
