/*
 * Loading an INF: read, decode, stamp (.inx), lex, substitute strings,
 * check [Version]. Also the section table and the look-ups everyone else
 * uses. Sections are found by name through an open hash, so a hostile file
 * of a million sections still loads in linear time.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inf.h"

#define INF_MAX_SIZE ((size_t)64 << 20)

static int table_rehash(struct inf *inf)
{
    size_t size = inf->tablesize ? inf->tablesize * 2 : 64;
    size_t *t = inf_arena_alloc(inf->arena, size * sizeof(*t));
    if (!t)
        return -ENOMEM;
    for (size_t i = 0; i < inf->nsections; i++) {
        size_t h = inf_hash_caseless(inf->sections[i]->name) & (size - 1);
        while (t[h])
            h = (h + 1) & (size - 1);
        t[h] = i + 1;
    }
    inf->table = t;
    inf->tablesize = size;
    return 0;
}

static struct inf_section *table_find(const struct inf *inf, const char *name)
{
    if (!inf->tablesize)
        return NULL;
    size_t mask = inf->tablesize - 1;
    for (size_t h = inf_hash_caseless(name) & mask; inf->table[h]; h = (h + 1) & mask) {
        struct inf_section *s = inf->sections[inf->table[h] - 1];
        if (inf_strcaseeq(s->name, name))
            return s;
    }
    return NULL;
}

struct inf_section *inf_section_open(struct inf *inf, const char *name, unsigned lineno)
{
    struct inf_section *s = table_find(inf, name);
    if (s)
        return s; /* a second [Name] continues the first, as on Windows */
    if ((inf->nsections + 1) * 2 > inf->tablesize && table_rehash(inf) < 0)
        return NULL;
    s = inf_arena_alloc(inf->arena, sizeof(*s));
    struct inf_section **slot = s ? inf_arena_grow(inf->arena, &inf->sections, &inf->nsections,
                                                   &inf->capsections, sizeof(*slot))
                                  : NULL;
    if (!slot)
        return NULL;
    s->name = name;
    s->lineno = lineno;
    *slot = s;
    size_t mask = inf->tablesize - 1, h = inf_hash_caseless(name) & mask;
    while (inf->table[h])
        h = (h + 1) & mask;
    inf->table[h] = inf->nsections;
    return s;
}

struct inf_line *inf_section_add_line(struct inf *inf, struct inf_section *section)
{
    return inf_arena_grow(inf->arena, &section->lines, &section->nlines, &section->cap,
                          sizeof(struct inf_line));
}

const char *inf_path(const struct inf *inf)
{
    return inf->path;
}

size_t inf_section_count(const struct inf *inf)
{
    return inf->nsections;
}

const struct inf_section *inf_section_at(const struct inf *inf, size_t index)
{
    return index < inf->nsections ? inf->sections[index] : NULL;
}

const struct inf_section *inf_section_find(const struct inf *inf, const char *name)
{
    return table_find(inf, name);
}

const struct inf_line *inf_section_find_key(const struct inf_section *section, const char *key)
{
    if (!section)
        return NULL;
    for (size_t i = 0; i < section->nlines; i++) {
        const struct inf_line *l = &section->lines[i];
        if (l->key && inf_strcaseeq(l->key, key))
            return l;
    }
    return NULL;
}

const char *inf_value(const struct inf *inf, const char *section, const char *key)
{
    const struct inf_line *l = inf_section_find_key(inf_section_find(inf, section), key);
    return l && l->nfields ? l->fields[0] : NULL;
}

static int check_version(const struct inf *inf, struct inf_error *err)
{
    const struct inf_section *v = inf_section_find(inf, "Version");
    if (!v)
        return inf_error_set(err, inf->path, 0, -EINVAL, "missing [Version] section");
    const struct inf_line *sig = inf_section_find_key(v, "Signature");
    if (!sig || !sig->nfields)
        return inf_error_set(err, inf->path, v->lineno, -EINVAL,
                             "[Version] has no Signature");
    const char *s = sig->fields[0];
    if (!inf_strcaseeq(s, "$Windows NT$") && !inf_strcaseeq(s, "$Chicago$"))
        return inf_error_set(err, inf->path, sig->lineno, -EINVAL,
                             "Signature \"%s\" is not $Windows NT$ or $Chicago$", s);
    return 0;
}

static bool name_is_inx(const char *name)
{
    size_t n = strlen(name);
    return n >= 4 && inf_strcaseeq(name + n - 4, ".inx");
}

static int parse_text(struct inf *inf, const char *text, size_t len, unsigned flags,
                      struct inf_error *err)
{
    char *stamped = NULL;
    int r;

    if (flags & INF_LOAD_INX) {
        if ((r = inf_stamp_text(text, len, &stamped, &len)) < 0)
            return r;
        text = stamped;
    }
    r = inf_lex(inf, text, len, err);
    free(stamped);
    if (r == 0)
        r = inf_strings_substitute(inf, err);
    if (r == 0 && (flags & INF_LOAD_INX))
        r = inf_stamp_driver_ver(inf);
    if (r == 0)
        r = check_version(inf, err);
    return r;
}

int inf_load_buffer(const char *name, const void *data, size_t size, unsigned flags,
                    struct inf **out, struct inf_error *err)
{
    char *text = NULL;
    size_t len;
    int r;

    *out = NULL;
    if (size > INF_MAX_SIZE)
        return inf_error_set(err, name, 0, -EFBIG, "larger than 64 MiB");
    struct inf *inf = calloc(1, sizeof(*inf));
    if (!inf || !(inf->arena = inf_arena_new())) {
        free(inf);
        return -ENOMEM;
    }
    if (!(inf->path = inf_arena_strdup(inf->arena, name))) {
        r = -ENOMEM;
        goto err_free_inf;
    }
    if ((r = inf_decode(name, data, size, &text, &len, err)) < 0)
        goto err_free_inf;
    r = parse_text(inf, text, len, flags, err);
    free(text);
    if (r < 0)
        goto err_free_inf;
    *out = inf;
    return 0;

err_free_inf:
    if (r == -ENOMEM)
        inf_error_set(err, name, 0, r, "out of memory");
    inf_free(inf);
    return r;
}

static int read_file(const char *path, uint8_t **data, size_t *size, struct inf_error *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return inf_error_set(err, path, 0, -e, "cannot open: %s", strerror(e));
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > INF_MAX_SIZE) {
        close(fd);
        return inf_error_set(err, path, 0, -EFBIG, "not a regular file under 64 MiB");
    }
    uint8_t *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n <= 0) {
            free(buf);
            close(fd);
            return inf_error_set(err, path, 0, -EIO, "read failed");
        }
        got += (size_t)n;
    }
    close(fd);
    if (!buf)
        return -ENOMEM;
    *data = buf;
    *size = got;
    return 0;
}

int inf_load(const char *path, struct inf **out, struct inf_error *err)
{
    uint8_t *data = NULL;
    size_t size = 0;

    *out = NULL;
    int r = read_file(path, &data, &size, err);
    if (r < 0)
        return r;
    r = inf_load_buffer(path, data, size, name_is_inx(path) ? INF_LOAD_INX : 0, out, err);
    free(data);
    return r;
}

void inf_free(struct inf *inf)
{
    if (!inf)
        return;
    inf_arena_delete(inf->arena);
    free(inf);
}
