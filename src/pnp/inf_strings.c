/*
 * %strkey% substitution. The table merges every [Strings] section by the
 * order an en-US Windows prefers them: [Strings.0409] over [Strings] over
 * other English locales over any other locale, so an INF localized only
 * for, say, German still loads. %% is a literal percent; %12% and other
 * numbers are dirids and stay as written for the plan to read.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "inf.h"

struct strtab_entry {
    const char *key, *value;
    int priority;
};

struct strtab {
    struct strtab_entry *slots;
    size_t size;
};

bool inf_is_strings_section(const char *name)
{
    return inf_strncaseeq(name, "Strings", 7) && (name[7] == 0 || name[7] == '.');
}

static int strings_priority(const char *name)
{
    uint32_t lang = 0;

    if (name[7] == 0)
        return 2;
    /* The suffix is a hex LANGID without "0x": Strings.0409. */
    const char *p = name + 8;
    for (; *p && lang <= 0xffff; p++) {
        int c = *p | 0x20;
        if (*p >= '0' && *p <= '9')
            lang = lang * 16 + (uint32_t)(*p - '0');
        else if (c >= 'a' && c <= 'f')
            lang = lang * 16 + (uint32_t)(c - 'a' + 10);
        else
            return 0;
    }
    if (*p || p == name + 8)
        return 0;
    if (lang == 0x409)
        return 3;
    return (lang & 0x3ff) == 0x09 ? 1 : 0;
}

static struct strtab_entry *strtab_slot(const struct strtab *t, const char *key)
{
    size_t mask = t->size - 1;
    size_t h = inf_hash_caseless(key) & mask;
    while (t->slots[h].key && !inf_strcaseeq(t->slots[h].key, key))
        h = (h + 1) & mask;
    return &t->slots[h];
}

/* A [Strings] value with unquoted commas is all of its fields. */
static const char *line_value(struct inf *inf, const struct inf_line *l)
{
    if (l->nfields == 1)
        return l->fields[0];
    size_t n = 0;
    for (size_t i = 0; i < l->nfields; i++)
        n += strlen(l->fields[i]) + 1;
    char *v = inf_arena_alloc(inf->arena, n + 1);
    if (!v)
        return NULL;
    for (size_t i = 0; i < l->nfields; i++) {
        if (i)
            strcat(v, ",");
        strcat(v, l->fields[i]);
    }
    return v;
}

static int strtab_add_section(struct inf *inf, struct strtab *t, const struct inf_section *s)
{
    int priority = strings_priority(s->name);
    for (size_t i = 0; i < s->nlines; i++) {
        const struct inf_line *l = &s->lines[i];
        if (!l->key)
            continue;
        struct strtab_entry *e = strtab_slot(t, l->key);
        if (e->key && e->priority >= priority)
            continue; /* the first definition at the best priority wins */
        const char *v = line_value(inf, l);
        if (!v)
            return -ENOMEM;
        *e = (struct strtab_entry){ l->key, v, priority };
    }
    return 0;
}

static int strtab_build(struct inf *inf, struct strtab *t)
{
    size_t count = 0;
    for (size_t i = 0; i < inf->nsections; i++)
        if (inf_is_strings_section(inf->sections[i]->name))
            count += inf->sections[i]->nlines;
    for (t->size = 16; t->size < count * 2; t->size *= 2)
        ;
    t->slots = calloc(t->size, sizeof(*t->slots));
    if (!t->slots)
        return -ENOMEM;
    for (size_t i = 0; i < inf->nsections; i++) {
        const struct inf_section *s = inf->sections[i];
        int r = inf_is_strings_section(s->name) ? strtab_add_section(inf, t, s) : 0;
        if (r < 0)
            return r;
    }
    return 0;
}

struct subst {
    struct inf *inf;
    const struct strtab *table;
    struct inf_error *err;
    char *buf;
    size_t len, cap;
};

static int put(struct subst *s, const char *p, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t ncap = s->cap ? s->cap : 128;
        while (ncap < s->len + n + 1)
            ncap *= 2;
        char *b = realloc(s->buf, ncap);
        if (!b)
            return -ENOMEM;
        s->buf = b;
        s->cap = ncap;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return 0;
}

static bool is_dirid(const char *p, size_t n)
{
    size_t i = n > 0 && p[0] == '-';
    if (i == n)
        return false;
    for (; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

/* One %token% at p (which points at its first '%'); returns how much of
 * the input it used, or a negative errno. */
static long subst_token(struct subst *s, const char *p, unsigned line)
{
    const char *close = strchr(p + 1, '%');
    if (close == p + 1)
        return put(s, "%", 1) < 0 ? -ENOMEM : 2;
    size_t n = close ? (size_t)(close - p - 1) : 0;
    /* String keys have no blanks: "50% of 100%" holds no token. */
    if (!close || strcspn(p + 1, " \t") < n)
        return put(s, "%", 1) < 0 ? -ENOMEM : 1;
    if (is_dirid(p + 1, n))
        return put(s, p, n + 2) < 0 ? -ENOMEM : (long)(n + 2);
    char *key = strndup(p + 1, n);
    if (!key)
        return -ENOMEM;
    struct strtab_entry *e = strtab_slot(s->table, key);
    if (!e->key) {
        int r = inf_error_set(s->err, s->inf->path, line, -EINVAL, "undefined string %%%s%%", key);
        free(key);
        return r;
    }
    free(key);
    return put(s, e->value, strlen(e->value)) < 0 ? -ENOMEM : (long)(n + 2);
}

static int subst_one(struct subst *s, const char **text, unsigned line)
{
    const char *p = *text;
    if (!p || !strchr(p, '%'))
        return 0;
    s->len = 0;
    while (*p) {
        size_t plain = strcspn(p, "%");
        if (put(s, p, plain) < 0)
            return -ENOMEM;
        p += plain;
        if (!*p)
            break;
        long used = subst_token(s, p, line);
        if (used < 0)
            return (int)used;
        p += used;
    }
    *text = inf_arena_strndup(s->inf->arena, s->buf ? s->buf : "", s->len);
    return *text ? 0 : -ENOMEM;
}

static int subst_section(struct subst *s, struct inf_section *section)
{
    for (size_t i = 0; i < section->nlines; i++) {
        struct inf_line *l = &section->lines[i];
        int r = subst_one(s, &l->key, l->lineno);
        for (size_t f = 0; r == 0 && f < l->nfields; f++)
            r = subst_one(s, &l->fields[f], l->lineno);
        if (r < 0)
            return r;
    }
    return 0;
}

int inf_strings_substitute(struct inf *inf, struct inf_error *err)
{
    struct strtab table = { 0 };
    struct subst s = { .inf = inf, .table = &table, .err = err };
    int r = strtab_build(inf, &table);

    for (size_t i = 0; r == 0 && i < inf->nsections; i++)
        if (!inf_is_strings_section(inf->sections[i]->name))
            r = subst_section(&s, inf->sections[i]);
    free(s.buf);
    free(table.slots);
    return r;
}
