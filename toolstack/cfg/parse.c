/*
 * The xl.cfg grammar, by recursive descent over lexer.c's tokens:
 *
 *   file      := { statement }
 *   statement := NEWLINE | ';' | IDENT ('=' | '+=') value (NEWLINE | ';' | EOF)
 *   value     := STRING | NUMBER | '[' {NEWLINE} [items] ']'
 *   items     := value {NEWLINE} { ',' {NEWLINE} value {NEWLINE} } [',' {NEWLINE}]
 *
 * The result is a flat table of settings, one per key, holding untyped
 * values; domain_config.c gives them meaning. The first syntax error ends
 * the parse: what follows it would only be misread.
 *
 * Also here: xlcfg_parse(), which runs the file and then the overrides
 * through the grammar into one table, and maps the table.
 */
#include "private.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than any real configuration nests; keeps the recursion bounded. */
#define MAX_LIST_DEPTH 8

struct parser {
    struct lexer lx;
    struct token tok;
    struct xlcfg_diag *diag;
    const char *file;
};

void cfg_value_free(struct cfg_value *v)
{
    size_t i;

    free(v->text);
    for (i = 0; i < v->n_items; i++)
        cfg_value_free(&v->items[i]);
    free(v->items);
    memset(v, 0, sizeof(*v));
}

void cfg_settings_free(struct cfg_settings *settings)
{
    size_t i;

    for (i = 0; i < settings->n; i++) {
        free(settings->v[i].key);
        cfg_value_free(&settings->v[i].value);
    }
    free(settings->v);
    memset(settings, 0, sizeof(*settings));
}

static int advance(struct parser *ps)
{
    return lexer_next(&ps->lx, &ps->tok);
}

static int syntax_error(struct parser *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int syntax_error(struct parser *ps, int line, const char *fmt, ...)
{
    char what[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    diag_add(ps->diag, XLCFG_ERROR, "%s:%d: syntax error: %s", ps->file, line, what);
    return -XEN_EINVAL;
}

static int skip_newlines(struct parser *ps)
{
    int rc = 0;

    while (!rc && ps->tok.type == TOK_NEWLINE)
        rc = advance(ps);
    return rc;
}

static int list_push(struct cfg_value *list, struct cfg_value *item)
{
    struct cfg_value *grown;
    size_t cap;

    if (list->n_items == list->cap_items) {
        cap = list->cap_items ? list->cap_items * 2 : 4;
        grown = realloc(list->items, cap * sizeof(*grown));
        if (!grown)
            return -XEN_ENOMEM;
        list->items = grown;
        list->cap_items = cap;
    }
    list->items[list->n_items++] = *item;
    memset(item, 0, sizeof(*item));
    return 0;
}

static int parse_value(struct parser *ps, struct cfg_value *out, int depth, const char *after);

/* After '[' (the current token is the one following it). */
static int parse_list(struct parser *ps, struct cfg_value *out, int open_line, int depth)
{
    struct cfg_value item;
    char buf[48];
    int rc;

    out->type = VAL_LIST;
    out->line = open_line;
    if (depth >= MAX_LIST_DEPTH)
        return syntax_error(ps, open_line, "lists nested more than %d deep", MAX_LIST_DEPTH);
    if ((rc = skip_newlines(ps)))
        return rc;
    for (;;) {
        if (ps->tok.type == TOK_RBRACKET)
            return advance(ps);
        if (ps->tok.type == TOK_EOF)
            return syntax_error(ps, open_line, "unterminated list: no ']' before end of file");
        if (ps->tok.type != TOK_STRING && ps->tok.type != TOK_NUMBER &&
            ps->tok.type != TOK_LBRACKET)
            return syntax_error(ps, ps->tok.line,
                                "expected a value or ']' in the list opened at line %d, got %s",
                                open_line, token_describe(&ps->tok, buf, sizeof(buf)));
        memset(&item, 0, sizeof(item));
        rc = parse_value(ps, &item, depth + 1, NULL);
        if (!rc)
            rc = list_push(out, &item);
        cfg_value_free(&item);
        if (rc || (rc = skip_newlines(ps)))
            return rc;
        if (ps->tok.type == TOK_COMMA) {
            if ((rc = advance(ps)) || (rc = skip_newlines(ps)))
                return rc;
        } else if (ps->tok.type == TOK_EOF) {
            return syntax_error(ps, open_line, "unterminated list: no ']' before end of file");
        } else if (ps->tok.type != TOK_RBRACKET) {
            return syntax_error(ps, ps->tok.line,
                                "expected ',' or ']' in the list opened at line %d, got %s",
                                open_line, token_describe(&ps->tok, buf, sizeof(buf)));
        }
    }
}

/* AFTER names what the value follows, for the message when it is missing
 * (NULL inside lists, whose caller has already looked). */
static int parse_value(struct parser *ps, struct cfg_value *out, int depth, const char *after)
{
    char buf[48];
    int line = ps->tok.line;

    memset(out, 0, sizeof(*out));
    out->line = line;
    switch (ps->tok.type) {
    case TOK_STRING:
        out->type = VAL_STRING;
        out->text = ps->tok.str;
        ps->tok.str = NULL;
        return advance(ps);
    case TOK_NUMBER:
        out->type = VAL_NUMBER;
        out->text = strndup(ps->tok.start, ps->tok.len);
        if (!out->text)
            return -XEN_ENOMEM;
        return advance(ps);
    case TOK_LBRACKET: {
        int rc = advance(ps);

        return rc ? rc : parse_list(ps, out, line, depth);
    }
    default:
        return syntax_error(ps, line, "expected a value after %s, got %s%s", after ? after : "','",
                            token_describe(&ps->tok, buf, sizeof(buf)),
                            ps->tok.type == TOK_IDENT ? " (strings need quotes)" : "");
    }
}

static struct cfg_setting *find_setting(struct cfg_settings *settings, const char *key)
{
    size_t i;

    for (i = 0; i < settings->n; i++) {
        if (!strcmp(settings->v[i].key, key))
            return &settings->v[i];
    }
    return NULL;
}

/* KEY += VALUE onto PREV: string to string, list to list (as xl). */
static int append_value(struct parser *ps, struct cfg_setting *prev, struct cfg_value *value,
                        int line)
{
    char *joined;
    size_t i;
    int rc;

    if (prev->value.type == VAL_STRING && value->type == VAL_STRING) {
        joined = malloc(strlen(prev->value.text) + strlen(value->text) + 1);
        if (!joined)
            return -XEN_ENOMEM;
        strcpy(joined, prev->value.text);
        strcat(joined, value->text);
        free(prev->value.text);
        prev->value.text = joined;
        return 0;
    }
    if (prev->value.type == VAL_LIST && value->type == VAL_LIST) {
        for (i = 0; i < value->n_items; i++) {
            if ((rc = list_push(&prev->value, &value->items[i])))
                return rc;
        }
        return 0;
    }
    diag_add(ps->diag, XLCFG_ERROR,
             "%s:%d: %s: '+=' can only add a string to a string or a list to a list", ps->file,
             line, prev->key);
    return -XEN_EINVAL;
}

static int store(struct parser *ps, struct cfg_settings *settings, char *key, bool append,
                 struct cfg_value *value, int line)
{
    struct cfg_setting *s = find_setting(settings, key);
    struct cfg_setting *grown;
    size_t cap;
    int rc;

    if (s && append) {
        if ((rc = append_value(ps, s, value, line)))
            return rc;
    } else if (s) {
        cfg_value_free(&s->value);
        s->value = *value;
        memset(value, 0, sizeof(*value));
    } else {
        if (settings->n == settings->cap) {
            cap = settings->cap ? settings->cap * 2 : 16;
            grown = realloc(settings->v, cap * sizeof(*grown));
            if (!grown)
                return -XEN_ENOMEM;
            settings->v = grown;
            settings->cap = cap;
        }
        s = &settings->v[settings->n];
        s->key = strdup(key);
        if (!s->key)
            return -XEN_ENOMEM;
        s->value = *value;
        memset(value, 0, sizeof(*value));
        settings->n++;
    }
    s->file = ps->file;
    s->line = line;
    return 0;
}

static int parse_statement(struct parser *ps, struct cfg_settings *settings)
{
    struct cfg_value value;
    char *key;
    char buf[48], after[64];
    bool append;
    int line = ps->tok.line;
    int rc;

    key = strndup(ps->tok.start, ps->tok.len);
    if (!key)
        return -XEN_ENOMEM;
    memset(&value, 0, sizeof(value));
    if ((rc = advance(ps)))
        goto out;
    if (ps->tok.type != TOK_ASSIGN && ps->tok.type != TOK_APPEND) {
        rc = syntax_error(ps, ps->tok.line, "expected '=' after '%s', got %s", key,
                          token_describe(&ps->tok, buf, sizeof(buf)));
        goto out;
    }
    append = ps->tok.type == TOK_APPEND;
    snprintf(after, sizeof(after), "'%s %s'", key, append ? "+=" : "=");
    if ((rc = advance(ps)) || (rc = parse_value(ps, &value, 0, after)))
        goto out;
    if (ps->tok.type != TOK_NEWLINE && ps->tok.type != TOK_SEMI && ps->tok.type != TOK_EOF) {
        rc = syntax_error(ps, ps->tok.line,
                          "expected ';' or end of line after the value of '%s', got %s", key,
                          token_describe(&ps->tok, buf, sizeof(buf)));
        goto out;
    }
    rc = store(ps, settings, key, append, &value, line);
out:
    cfg_value_free(&value);
    free(key);
    return rc;
}

int cfg_parse_text(struct cfg_settings *settings, const char *file, int first_line,
                   const char *text, size_t len, struct xlcfg_diag *diag)
{
    struct parser ps;
    char buf[48];
    int rc;

    memset(&ps, 0, sizeof(ps));
    ps.diag = diag;
    ps.file = file;
    lexer_init(&ps.lx, file, first_line, text, len, diag);
    rc = advance(&ps);
    while (!rc && ps.tok.type != TOK_EOF) {
        switch (ps.tok.type) {
        case TOK_NEWLINE:
        case TOK_SEMI:
            rc = advance(&ps);
            break;
        case TOK_IDENT:
            rc = parse_statement(&ps, settings);
            break;
        default:
            rc = syntax_error(&ps, ps.tok.line, "expected a key, got %s",
                              token_describe(&ps.tok, buf, sizeof(buf)));
            break;
        }
    }
    free(ps.tok.str);
    return rc;
}

#define OVERRIDE_SOURCE "<command line>"

int xlcfg_parse(const char *filename, const char *text, size_t len, char *const *overrides,
                int n_overrides, struct domain_config *out, struct xlcfg_diag *diag)
{
    struct cfg_settings settings;
    int i, rc;

    xlcfg_diag_init(diag);
    memset(out, 0, sizeof(*out));
    memset(&settings, 0, sizeof(settings));

    rc = cfg_parse_text(&settings, filename, 1, text, len, diag);
    /* Override I is line I of the command line, so each is named apart. */
    for (i = 0; !rc && i < n_overrides; i++)
        rc = cfg_parse_text(&settings, OVERRIDE_SOURCE, i + 1, overrides[i], strlen(overrides[i]),
                            diag);
    if (!rc)
        rc = domain_config_from_settings(&settings, filename, out, diag);
    cfg_settings_free(&settings);
    if (!rc && diag->errors)
        rc = -XEN_EINVAL; /* every path that reports an error returns one; be sure */
    if (rc)
        domain_config_free(out);
    return rc;
}
