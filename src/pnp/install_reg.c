/*
 * The installer's registry helpers: UTF-8 values in and out of the store
 * (which keeps Windows' UTF-16LE data), and the errors every install
 * reports in the caller's buffer.
 */
#include "pnp/install.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pnp_errorf(struct pnp_txn *t, int code, const char *fmt, ...)
{
    va_list ap;

    if (t->err && t->err_size) {
        va_start(ap, fmt);
        vsnprintf(t->err, t->err_size, fmt, ap);
        va_end(ap);
    }
    return code;
}

int pnp_reg_error(struct pnp_txn *t, int rc, const char *what)
{
    return pnp_errorf(t, rc, "%s: %s", what, regstore_last_error());
}

/* One code point of UTF-8; a byte that starts no valid sequence is taken
 * as Latin-1, as the INF parser takes it. */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
                 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    uint32_t cp = len == 1 ? s[0] : len == 2 ? s[0] & 0x1Fu : len == 3 ? s[0] & 0x0Fu
                : s[0] & 0x07u;

    for (unsigned i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            len = 0;
            break;
        }
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if (len == 0 || cp > 0x10FFFF) {
        *p = s + 1;
        return s[0];
    }
    *p = s + len;
    return cp;
}

static size_t put_unit(uint8_t *out, size_t at, uint32_t unit)
{
    if (out) {
        out[at] = (uint8_t)unit;
        out[at + 1] = (uint8_t)(unit >> 8);
    }
    return at + 2;
}

size_t pnp_utf16le_from_utf8(const char *s, uint8_t *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t at = 0;

    while (*p) {
        uint32_t cp = utf8_next(&p);
        if (cp >= 0x10000) {
            at = put_unit(out, at, 0xD800 + ((cp - 0x10000) >> 10));
            cp = 0xDC00 + ((cp - 0x10000) & 0x3FF);
        }
        at = put_unit(out, at, cp);
    }
    return at;
}

/* Units up to the first NUL (or the end) as UTF-8; *used says how many
 * bytes were read, the NUL included. */
static char *utf8_from_units(const uint8_t *data, size_t size, size_t *used)
{
    size_t units = size / 2, n = 0, i = 0;
    char *out = malloc(units * 3 + 1);

    if (!out)
        return NULL;
    for (; i < units; i++) {
        uint32_t c = data[2 * i] | (uint32_t)data[2 * i + 1] << 8;
        if (c == 0) {
            i++;
            break;
        }
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < units) {
            uint32_t lo = data[2 * i + 2] | (uint32_t)data[2 * i + 3] << 8;
            if (lo >= 0xDC00 && lo < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            }
        }
        if (c < 0x80) {
            out[n++] = (char)c;
        } else if (c < 0x800) {
            out[n++] = (char)(0xC0 | c >> 6);
            out[n++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[n++] = (char)(0xE0 | c >> 12);
            out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            /* Four bytes for three units' room: a pair of units took 6. */
            out[n++] = (char)(0xF0 | c >> 18);
            out[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[n++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[n] = 0;
    if (used)
        *used = 2 * i;
    return out;
}

char *pnp_utf8_from_utf16le(const uint8_t *data, size_t size)
{
    return utf8_from_units(data, size, NULL);
}

static int reg_call(struct pnp_txn *t, int rc, const char *verb, const char *name)
{
    if (rc >= 0)
        return rc;
    return pnp_errorf(t, rc, "cannot %s %s: %s", verb, name && *name ? name : "(default)",
                      regstore_last_error());
}

int pnp_key_create(struct pnp_txn *t, const char *path, struct regstore_key *key)
{
    int rc = regstore_key_create(t->rs, REGSTORE_KEY_NONE, path, 0, key, NULL);
    return reg_call(t, rc, "create", path);
}

int pnp_key_createf(struct pnp_txn *t, struct regstore_key *key, const char *fmt, ...)
{
    char path[PNP_KEY_PATH_MAX * 2];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(path))
        return pnp_errorf(t, -ENAMETOOLONG, "registry path too long: %.80s...", path);
    return pnp_key_create(t, path, key);
}

int pnp_set_string(struct pnp_txn *t, struct regstore_key key, const char *name,
                   uint32_t type, const char *value)
{
    size_t size = pnp_utf16le_from_utf8(value, NULL) + 2;
    uint8_t *data = calloc(1, size);

    if (!data)
        return pnp_errorf(t, -ENOMEM, "out of memory");
    pnp_utf16le_from_utf8(value, data);
    int rc = regstore_value_set(t->rs, key, name, type, data, size);
    free(data);
    return reg_call(t, rc, "set value", name);
}

int pnp_set_dword(struct pnp_txn *t, struct regstore_key key, const char *name,
                  uint32_t value)
{
    uint8_t data[4] = { (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16),
                        (uint8_t)(value >> 24) };
    return reg_call(t, regstore_value_set(t->rs, key, name, INF_REG_DWORD, data, 4),
                    "set value", name);
}

int pnp_set_multi(struct pnp_txn *t, struct regstore_key key, const char *name,
                  const char *const *list, size_t n)
{
    size_t size = 2, at = 0;

    for (size_t i = 0; i < n; i++)
        size += pnp_utf16le_from_utf8(list[i], NULL) + 2;
    uint8_t *data = calloc(1, size);
    if (!data)
        return pnp_errorf(t, -ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        at += pnp_utf16le_from_utf8(list[i], data + at) + 2; /* calloc'd NUL */
    int rc = regstore_value_set(t->rs, key, name, INF_REG_MULTI_SZ, data, size);
    free(data);
    return reg_call(t, rc, "set value", name);
}

int pnp_delete_value(struct pnp_txn *t, struct regstore_key key, const char *name)
{
    int rc = regstore_value_delete(t->rs, key, name);
    return rc == -ENOENT ? 0 : reg_call(t, rc, "delete value", name);
}

int pnp_get_string(struct regstore *rs, struct regstore_key key, const char *name,
                   char *out, size_t size)
{
    struct regstore_value v = { 0 };
    int rc = regstore_value_query(rs, key, name, &v);

    if (rc < 0)
        return rc;
    if (v.type != INF_REG_SZ && v.type != INF_REG_EXPAND_SZ) {
        regstore_value_clear(&v);
        return -EPROTOTYPE;
    }
    char *s = utf8_from_units(v.data, v.size, NULL);
    regstore_value_clear(&v);
    if (!s)
        return -ENOMEM;
    rc = strlen(s) < size ? 0 : -ENAMETOOLONG;
    if (rc == 0)
        memcpy(out, s, strlen(s) + 1);
    free(s);
    return rc;
}

/* The strings of REG_MULTI_SZ data, up to the empty one that ends it. */
char **pnp_multi_parse(const uint8_t *data, size_t size)
{
    size_t n = 0, cap = 4, at = 0;
    char **list = calloc(cap + 1, sizeof(*list));

    while (list && at + 2 <= size && (data[at] || data[at + 1])) {
        size_t used;
        char *s = utf8_from_units(data + at, size - at, &used);
        if (n == cap) {
            char **more = s ? realloc(list, (2 * cap + 1) * sizeof(*list)) : NULL;
            if (more)
                cap *= 2, list = more;
            else
                s = (free(s), NULL);
        }
        if (!s) {
            pnp_strv_free(list);
            return NULL;
        }
        list[n++] = s;
        list[n] = NULL;
        at += used;
    }
    return list;
}

int pnp_get_multi(struct regstore *rs, struct regstore_key key, const char *name,
                  char ***out)
{
    struct regstore_value v = { 0 };
    int rc = regstore_value_query(rs, key, name, &v);

    *out = NULL;
    if (rc < 0)
        return rc;
    if (v.type != INF_REG_MULTI_SZ && v.type != INF_REG_SZ) {
        regstore_value_clear(&v);
        return -EPROTOTYPE;
    }
    *out = pnp_multi_parse(v.data, v.size);
    regstore_value_clear(&v);
    return *out ? 0 : -ENOMEM;
}

void pnp_strv_free(char **strv)
{
    for (size_t i = 0; strv && strv[i]; i++)
        free(strv[i]);
    free(strv);
}
