/*
 * What the INF parser and planner share: an arena (an INF, a plan or a model
 * list is freed in one go, so no error path can leak), errors, caseless
 * names, INF numbers and UTF-16LE for registry strings.
 */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inf.h"

#define INF_ARENA_BLOCK ((size_t)16384)
/* No INF under the 64 MiB load limit needs this much; an INF that names
 * one huge section a million times does, and gets -ENOMEM instead of
 * the OOM killer. */
#define INF_ARENA_LIMIT ((size_t)256 << 20)

struct inf_arena_block {
    struct inf_arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

struct inf_arena {
    struct inf_arena_block *head;
    size_t total;
};

struct inf_arena *inf_arena_new(void)
{
    return calloc(1, sizeof(struct inf_arena));
}

void inf_arena_delete(struct inf_arena *arena)
{
    if (!arena)
        return;
    while (arena->head) {
        struct inf_arena_block *next = arena->head->next;
        free(arena->head);
        arena->head = next;
    }
    free(arena);
}

void *inf_arena_alloc(struct inf_arena *arena, size_t size)
{
    const size_t align = sizeof(max_align_t);
    struct inf_arena_block *b = arena->head;

    if (size > SIZE_MAX / 2)
        return NULL;
    size = (size + align - 1) / align * align;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > INF_ARENA_BLOCK ? size : INF_ARENA_BLOCK;
        if (cap > INF_ARENA_LIMIT - arena->total)
            return NULL;
        arena->total += cap;
        b = malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        /* A big allocation gets its own block behind the head, so the
         * head's free space stays usable. */
        if (arena->head && cap > INF_ARENA_BLOCK) {
            b->next = arena->head->next;
            arena->head->next = b;
        } else {
            b->next = arena->head;
            arena->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return memset(p, 0, size);
}

char *inf_arena_strndup(struct inf_arena *arena, const char *s, size_t n)
{
    char *p = inf_arena_alloc(arena, n + 1);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *inf_arena_strdup(struct inf_arena *arena, const char *s)
{
    return inf_arena_strndup(arena, s, strlen(s));
}

char *inf_arena_printf(struct inf_arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = inf_arena_alloc(arena, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *inf_arena_grow(struct inf_arena *arena, void *items_ptr, size_t *count,
                     size_t *cap, size_t elem_size)
{
    char **items = items_ptr;

    if (*count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        if (ncap > SIZE_MAX / 2 / elem_size)
            return NULL;
        char *n = inf_arena_alloc(arena, ncap * elem_size);
        if (!n)
            return NULL;
        if (*count)
            memcpy(n, *items, *count * elem_size);
        *items = n;
        *cap = ncap;
    }
    return *items + (*count)++ * elem_size;
}

int inf_error_set(struct inf_error *err, const char *file, unsigned line, int code,
                  const char *fmt, ...)
{
    if (!err)
        return code;
    snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return code;
}

int inf_error_format(const struct inf_error *err, char *buf, size_t size)
{
    if (err->line)
        return snprintf(buf, size, "%s:%u: %s", err->file, err->line, err->message);
    return snprintf(buf, size, "%s: %s", err->file, err->message);
}

/* ASCII only: INF names are ASCII, and the C locale must not matter. */
static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool inf_strncaseeq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return false;
        if (!a[i])
            return true;
    }
    return true;
}

bool inf_strcaseeq(const char *a, const char *b)
{
    return inf_strncaseeq(a, b, SIZE_MAX);
}

size_t inf_hash_caseless(const char *s)
{
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (size_t)lower((unsigned char)*s)) * 1099511628211u;
    return h;
}

int inf_parse_u64(const char *s, uint64_t *out)
{
    bool neg = false;
    unsigned base = 10;
    uint64_t v = 0;

    if (*s == '-') {
        neg = true;
        s++;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return -EINVAL;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && lower((unsigned char)*s) >= 'a' && lower((unsigned char)*s) <= 'f')
            d = (unsigned)(lower((unsigned char)*s) - 'a' + 10);
        else
            return -EINVAL;
        if (v > (UINT64_MAX - d) / base)
            return -ERANGE;
        v = v * base + d;
    }
    *out = neg ? (uint64_t)0 - v : v;
    return 0;
}

int inf_parse_u32(const char *s, uint32_t *out)
{
    uint64_t v;
    int r = inf_parse_u64(s, &v);
    if (r < 0)
        return r;
    /* -1 is 0xffffffff, as SetupGetIntField reads it. */
    if (v > UINT32_MAX && v < (uint64_t)0 - UINT32_MAX - 1)
        return -ERANGE;
    *out = (uint32_t)v;
    return 0;
}

/* Decodes one UTF-8 sequence at s; a byte that does not start a valid one
 * is taken alone as Latin-1, the likeliest meaning in an ANSI INF. */
static uint32_t utf8_next(const unsigned char **sp)
{
    const unsigned char *s = *sp;
    uint32_t c = s[0];
    int n = 0;

    if (c >= 0xc2 && c <= 0xdf)
        n = 1;
    else if (c >= 0xe0 && c <= 0xef)
        n = 2;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 3;
    if (n == 0)
        goto single;
    uint32_t v = c & (0x3fu >> n);
    /* The NUL that ends s fails the continuation test, so this stops
     * before reading past it. */
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            goto single;
        v = v << 6 | (s[i] & 0x3fu);
    }
    if ((n == 2 && (v < 0x800 || (v >= 0xd800 && v < 0xe000))) ||
        (n == 3 && (v < 0x10000 || v > 0x10ffff)))
        goto single;
    *sp = s + n + 1;
    return v;
single:
    *sp = s + 1;
    return c;
}

static size_t put_unit(uint8_t *out, size_t at, uint32_t u)
{
    if (out) {
        out[at] = (uint8_t)(u & 0xff);
        out[at + 1] = (uint8_t)(u >> 8);
    }
    return at + 2;
}

size_t inf_utf16le_encode(const char *s, uint8_t *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;

    while (*p) {
        uint32_t c = utf8_next(&p);
        if (c >= 0x10000) {
            c -= 0x10000;
            n = put_unit(out, n, 0xd800 | (c >> 10));
            n = put_unit(out, n, 0xdc00 | (c & 0x3ff));
        } else {
            n = put_unit(out, n, c);
        }
    }
    return n;
}
