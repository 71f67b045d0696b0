/*
 * From the bytes of an INF to sections of lines. Decoding turns UTF-16
 * (what most INFs are) and UTF-8 into one NUL-free UTF-8 text; the lexer
 * then cuts it into [sections], entries, "key =" and comma-separated
 * fields, with quotes, "" escapes, ; comments and \ continuations handled
 * as setupapi does. %strkey% tokens are left for inf_strings.c.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "inf.h"

static unsigned line_of(const uint8_t *data, size_t at)
{
    unsigned line = 1;
    for (size_t i = 0; i < at; i++)
        line += data[i] == '\n';
    return line;
}

static size_t put_utf8(char *out, size_t n, uint32_t c)
{
    if (c < 0x80) {
        out[n++] = (char)c;
    } else if (c < 0x800) {
        out[n++] = (char)(0xc0 | c >> 6);
        out[n++] = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out[n++] = (char)(0xe0 | c >> 12);
        out[n++] = (char)(0x80 | (c >> 6 & 0x3f));
        out[n++] = (char)(0x80 | (c & 0x3f));
    } else {
        out[n++] = (char)(0xf0 | c >> 18);
        out[n++] = (char)(0x80 | (c >> 12 & 0x3f));
        out[n++] = (char)(0x80 | (c >> 6 & 0x3f));
        out[n++] = (char)(0x80 | (c & 0x3f));
    }
    return n;
}

static int decode_utf16(const char *name, const uint8_t *d, size_t size, bool be,
                        char **text, size_t *len, struct inf_error *err)
{
    if (size % 2)
        return inf_error_set(err, name, 0, -EINVAL, "UTF-16 file has an odd number of bytes");
    /* Each unit becomes at most 3 bytes; a pair, 4 bytes for 2 units. */
    char *out = malloc(size / 2 * 3 + 1);
    size_t n = 0;
    unsigned line = 1;
    if (!out)
        return -ENOMEM;
    for (size_t i = 0; i < size; i += 2) {
        uint32_t c = be ? (uint32_t)d[i] << 8 | d[i + 1] : (uint32_t)d[i + 1] << 8 | d[i];
        if (c == 0) {
            free(out);
            return inf_error_set(err, name, line, -EINVAL, "NUL character");
        }
        line += c == '\n';
        if (c >= 0xd800 && c < 0xdc00 && i + 3 < size) {
            uint32_t lo = be ? (uint32_t)d[i + 2] << 8 | d[i + 3]
                             : (uint32_t)d[i + 3] << 8 | d[i + 2];
            if (lo >= 0xdc00 && lo < 0xe000) {
                c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                i += 2;
            }
        }
        if (c >= 0xd800 && c < 0xe000)
            c = 0xfffd; /* an unpaired surrogate */
        n = put_utf8(out, n, c);
    }
    out[n] = 0;
    *text = out;
    *len = n;
    return 0;
}

int inf_decode(const char *name, const uint8_t *data, size_t size, char **text,
               size_t *len, struct inf_error *err)
{
    if (size >= 2 && data[0] == 0xff && data[1] == 0xfe)
        return decode_utf16(name, data + 2, size - 2, false, text, len, err);
    if (size >= 2 && data[0] == 0xfe && data[1] == 0xff)
        return decode_utf16(name, data + 2, size - 2, true, text, len, err);
    if (size >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf) {
        data += 3;
        size -= 3;
    }
    const uint8_t *nul = memchr(data, 0, size);
    if (nul)
        return inf_error_set(err, name, line_of(data, (size_t)(nul - data)), -EINVAL,
                             "NUL character (UTF-16 without a byte order mark?)");
    char *out = malloc(size + 1);
    if (!out)
        return -ENOMEM;
    memcpy(out, data, size);
    out[size] = 0;
    *text = out;
    *len = size;
    return 0;
}

/* The lexer's state for one logical line. */
struct lexer {
    struct inf *inf;
    struct inf_error *err;
    const char *p, *end;
    unsigned lineno, start_line;
    struct inf_section *section;
    char *buf;       /* the field being built */
    size_t len, cap;
    size_t keep;     /* buf[0..keep) came from quotes: never trimmed */
    bool quoted;     /* the field has a quoted part */
    bool skip_ws;    /* after a continuation, until the next token */
    bool content;    /* the line has something besides blanks */
    const char *key;
    const char **fields;
    size_t nfields, capfields;
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int buf_put(struct lexer *lx, char c)
{
    if (lx->len + 1 >= lx->cap) {
        size_t ncap = lx->cap ? lx->cap * 2 : 256;
        char *n = realloc(lx->buf, ncap);
        if (!n)
            return -ENOMEM;
        lx->buf = n;
        lx->cap = ncap;
    }
    lx->buf[lx->len++] = c;
    return 0;
}

static void trim_tail(struct lexer *lx)
{
    while (lx->len > lx->keep && is_blank(lx->buf[lx->len - 1]))
        lx->len--;
}

/* Ends the field being built and returns it as an arena string. */
static const char *field_take(struct lexer *lx)
{
    trim_tail(lx);
    const char *s = inf_arena_strndup(lx->inf->arena, lx->buf ? lx->buf : "", lx->len);
    lx->len = lx->keep = 0;
    lx->quoted = false;
    return s;
}

static int field_end(struct lexer *lx)
{
    const char *s = field_take(lx);
    const char **slot = s ? inf_arena_grow(lx->inf->arena, &lx->fields, &lx->nfields,
                                           &lx->capfields, sizeof(*slot))
                          : NULL;
    if (!slot)
        return -ENOMEM;
    *slot = s;
    return 0;
}

static int line_end(struct lexer *lx)
{
    if (!lx->content)
        return 0;
    if (!lx->section)
        return inf_error_set(lx->err, lx->inf->path, lx->start_line, -EINVAL,
                             "line outside any section");
    int r = field_end(lx);
    if (r < 0)
        return r;
    struct inf_line *line = inf_section_add_line(lx->inf, lx->section);
    if (!line)
        return -ENOMEM;
    line->lineno = lx->start_line;
    line->key = lx->key;
    line->fields = lx->fields;
    line->nfields = lx->nfields;
    return 0;
}

static int lex_header(struct lexer *lx)
{
    const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
    const char *stop = nl ? nl : lx->end;
    const char *close = memchr(lx->p, ']', (size_t)(stop - lx->p));

    if (!close)
        return inf_error_set(lx->err, lx->inf->path, lx->lineno, -EINVAL,
                             "unterminated section name");
    const char *b = lx->p + 1, *e = close;
    while (b < e && is_blank(*b))
        b++;
    while (e > b && is_blank(e[-1]))
        e--;
    if (e - b >= 2 && *b == '"' && e[-1] == '"') {
        b++;
        e--;
    }
    if (b == e)
        return inf_error_set(lx->err, lx->inf->path, lx->lineno, -EINVAL,
                             "empty section name");
    char *name = inf_arena_strndup(lx->inf->arena, b, (size_t)(e - b));
    lx->section = name ? inf_section_open(lx->inf, name, lx->lineno) : NULL;
    if (!lx->section)
        return -ENOMEM;
    lx->p = stop; /* whatever follows "]" on the line is ignored */
    return 0;
}

/* At a newline inside quotes: only a backslash just before it continues
 * the string on the next line. */
static int lex_quote_newline(struct lexer *lx, size_t opened_at)
{
    if (lx->p < lx->end && lx->len > opened_at && lx->buf[lx->len - 1] == '\\') {
        lx->len--;
        lx->p++;
        lx->lineno++;
        return 0;
    }
    return inf_error_set(lx->err, lx->inf->path, lx->lineno, -EINVAL,
                         "unterminated quoted string");
}

static int lex_quote(struct lexer *lx)
{
    size_t opened_at = lx->len;
    int r;

    lx->p++;
    lx->quoted = lx->content = true;
    lx->skip_ws = false;
    for (;;) {
        if (lx->p == lx->end || *lx->p == '\n') {
            if ((r = lex_quote_newline(lx, opened_at)) < 0)
                return r;
            continue;
        }
        if (*lx->p == '"') {
            if (lx->p + 1 < lx->end && lx->p[1] == '"') {
                lx->p++; /* "" is a quote inside quotes */
            } else {
                lx->p++;
                lx->keep = lx->len;
                return 0;
            }
        }
        if ((r = buf_put(lx, *lx->p++)) < 0)
            return r;
    }
}

/* At a newline outside quotes. Returns 1 when a trailing backslash joins
 * the next line to this one. */
static int lex_newline(struct lexer *lx)
{
    trim_tail(lx);
    bool cont = lx->len > lx->keep && lx->buf[lx->len - 1] == '\\';
    if (lx->p < lx->end) {
        lx->p++;
        lx->lineno++;
    }
    if (cont) {
        lx->len--;
        trim_tail(lx);
        lx->skip_ws = true;
        return 1;
    }
    return 0;
}

static int lex_char(struct lexer *lx)
{
    char c = *lx->p;

    if (c == ';') {
        while (lx->p < lx->end && *lx->p != '\n')
            lx->p++;
        return 0;
    }
    if (c == '"')
        return lex_quote(lx);
    if (is_blank(c) && ((lx->len == 0 && !lx->quoted) || lx->skip_ws)) {
        lx->p++;
        return 0;
    }
    lx->skip_ws = false;
    lx->content = true;
    lx->p++;
    if (c == ',')
        return field_end(lx);
    if (c == '=' && !lx->key && lx->nfields == 0) {
        lx->key = field_take(lx);
        return lx->key ? 0 : -ENOMEM;
    }
    return buf_put(lx, c);
}

static int lex_line(struct lexer *lx)
{
    int r;

    lx->start_line = lx->lineno;
    lx->len = lx->keep = 0;
    lx->quoted = lx->skip_ws = lx->content = false;
    lx->key = NULL;
    lx->fields = NULL;
    lx->nfields = lx->capfields = 0;
    while (lx->p < lx->end && is_blank(*lx->p))
        lx->p++;
    if (lx->p < lx->end && *lx->p == '[') {
        if ((r = lex_header(lx)) < 0)
            return r;
    }
    for (;;) {
        if (lx->p == lx->end || *lx->p == '\n') {
            if (lex_newline(lx) == 1 && lx->p < lx->end)
                continue;
            return line_end(lx);
        }
        if ((r = lex_char(lx)) < 0)
            return r;
    }
}

int inf_lex(struct inf *inf, const char *text, size_t len, struct inf_error *err)
{
    struct lexer lx = {
        .inf = inf, .err = err, .p = text, .end = text + len, .lineno = 1,
    };
    int r = 0;

    while (lx.p < lx.end && r == 0)
        r = lex_line(&lx);
    free(lx.buf);
    return r;
}
