/*
 * Registry text: the DDIs take UTF-16 names, the store keeps UTF-8; and the
 * environment-style expansion of REG_EXPAND_SZ data.
 *
 * Names are converted strictly (an unpaired surrogate or a NUL makes the
 * name invalid) so that a name always maps to one store name and back to
 * the same UTF-16. What comes back from the store is converted leniently,
 * since another tool may have written bytes that are not UTF-8.
 */
#define NT_REGISTRY_IMPL
#include "nt/registry.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool is_high_surrogate(uint32_t c)
{
    return c >= 0xD800 && c <= 0xDBFF;
}

static bool is_low_surrogate(uint32_t c)
{
    return c >= 0xDC00 && c <= 0xDFFF;
}

static size_t utf8_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

int nt_reg_utf8_from_utf16(const WCHAR *s, size_t units, char **out)
{
    /* A lone unit takes at most 3 bytes, a pair (two units) 4. */
    char *buf = malloc(units * 3 + 1);
    size_t n = 0;

    if (!buf)
        return -ENOMEM;
    for (size_t i = 0; i < units; i++) {
        uint32_t c = s[i];
        if (is_high_surrogate(c) && i + 1 < units && is_low_surrogate(s[i + 1]))
            c = 0x10000 + ((c - 0xD800) << 10) + (s[++i] - 0xDC00u);
        else if (c == 0 || is_high_surrogate(c) || is_low_surrogate(c))
            goto err_invalid;
        n += utf8_encode(c, buf + n);
    }
    buf[n] = '\0';
    *out = buf;
    return 0;

err_invalid:
    free(buf);
    return -EINVAL;
}

int nt_reg_name_from_ustr(const UNICODE_STRING *name, char **out)
{
    if (!name || (name->Length & 1) || (name->Length && !name->Buffer))
        return -EINVAL;
    return nt_reg_utf8_from_utf16(name->Buffer, name->Length / sizeof(WCHAR), out);
}

/* One code point from UTF-8 at s[*i]; invalid or truncated sequences and
 * overlong forms yield U+FFFD for their first byte. */
static uint32_t utf8_next(const unsigned char *s, size_t *i)
{
    static const uint32_t min_of_len[] = { 0, 0, 0x80, 0x800, 0x10000 };
    uint32_t c = s[*i];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;

    if (len == 1) {
        (*i)++;
        return c;
    }
    if (len) {
        c &= 0x3F >> (len - 1);
        for (size_t k = 1; k < len; k++) {
            if ((s[*i + k] & 0xC0) != 0x80)
                goto bad;
            c = (c << 6) | (s[*i + k] & 0x3F);
        }
        if (c >= min_of_len[len] && c <= 0x10FFFF && !is_high_surrogate(c) && !is_low_surrogate(c)) {
            *i += len;
            return c;
        }
    }
bad:
    (*i)++;
    return 0xFFFD;
}

size_t nt_reg_utf16_from_utf8(const char *s, WCHAR *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;

    for (size_t i = 0; u[i];) {
        uint32_t c = utf8_next(u, &i);
        if (c >= 0x10000) {
            if (out) {
                out[n] = (WCHAR)(0xD800 + ((c - 0x10000) >> 10));
                out[n + 1] = (WCHAR)(0xDC00 + ((c - 0x10000) & 0x3FF));
            }
            n += 2;
        } else {
            if (out)
                out[n] = (WCHAR)c;
            n++;
        }
    }
    return n;
}

/* glibc's wcslen assumes a 32-bit wchar_t; WCHAR is 16 bits here. */
size_t nt_reg_wcslen(const WCHAR *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

/* --- REG_EXPAND_SZ ------------------------------------------------------------ */

/* The system variables a driver's expandable strings use, with Windows'
 * default values: paths name the Windows side, as the registry's own
 * paths do (ImagePath "\SystemRoot\System32\drivers\x.sys"); the loader
 * maps C:\Windows\System32\drivers to the root's drivers folder. */
static const struct {
    const char *name, *value;
} system_variables[] = {
    { "SystemRoot", "C:\\Windows" },
    { "windir", "C:\\Windows" },
    { "SystemDrive", "C:" },
    { "ProgramFiles", "C:\\Program Files" },
    { "CommonProgramFiles", "C:\\Program Files\\Common Files" },
    { "ProgramData", "C:\\ProgramData" },
    { "ALLUSERSPROFILE", "C:\\ProgramData" },
    { "TEMP", "C:\\Windows\\TEMP" },
    { "TMP", "C:\\Windows\\TEMP" },
    { "ComSpec", "C:\\Windows\\system32\\cmd.exe" },
    { "OS", "Windows_NT" },
    { "PROCESSOR_ARCHITECTURE", "AMD64" },
};

struct wbuf {
    WCHAR *data;
    size_t len, cap;
    bool failed;
};

static void wbuf_put(struct wbuf *b, WCHAR c)
{
    if (b->len + 1 >= b->cap && !b->failed) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        WCHAR *more = realloc(b->data, cap * sizeof(WCHAR));
        if (!more) {
            b->failed = true;
            return;
        }
        b->data = more;
        b->cap = cap;
    }
    if (!b->failed)
        b->data[b->len++] = c;
}

static WCHAR ascii_fold(WCHAR c)
{
    return c >= 'a' && c <= 'z' ? (WCHAR)(c - 'a' + 'A') : c;
}

/* Whether name[0..len) equals the start of s up to `end` (case-insensitively). */
static bool name_is(const WCHAR *name, size_t len, const WCHAR *s, WCHAR end)
{
    for (size_t i = 0; i < len; i++)
        if (!s[i] || ascii_fold(s[i]) != ascii_fold(name[i]))
            return false;
    return s[len] == end;
}

static bool ascii_name_is(const WCHAR *name, size_t len, const char *s)
{
    for (size_t i = 0; i < len; i++)
        if (!s[i] || ascii_fold((unsigned char)s[i]) != ascii_fold(name[i]))
            return false;
    return s[len] == '\0';
}

/* Appends the variable's value; false if it is not defined. */
static bool put_variable(struct wbuf *b, const WCHAR *name, size_t len, const WCHAR *environment)
{
    for (const WCHAR *e = environment; e && *e; e += nt_reg_wcslen(e) + 1) {
        if (name_is(name, len, e, '=')) {
            for (const WCHAR *v = e + len + 1; *v; v++)
                wbuf_put(b, *v);
            return true;
        }
    }
    for (size_t i = 0; i < KMH_ARRAY_SIZE(system_variables); i++) {
        if (ascii_name_is(name, len, system_variables[i].name)) {
            for (const char *v = system_variables[i].value; *v; v++)
                wbuf_put(b, (WCHAR)(unsigned char)*v);
            return true;
        }
    }
    return false;
}

WCHAR *nt_reg_expand(const WCHAR *in, size_t units, const WCHAR *environment, size_t *out_units)
{
    struct wbuf b = { 0 };

    for (size_t i = 0; i < units; i++) {
        size_t end = i + 1;
        while (in[i] == '%' && end < units && in[end] != '%')
            end++;
        /* "%NAME%" with a known NAME becomes its value; anything else,
         * including "%%" and a lone '%', stays as written. */
        if (in[i] == '%' && end < units && end > i + 1 && put_variable(&b, in + i + 1, end - i - 1, environment)) {
            i = end;
            continue;
        }
        wbuf_put(&b, in[i]);
    }
    wbuf_put(&b, 0);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    *out_units = b.len - 1;
    return b.data;
}
