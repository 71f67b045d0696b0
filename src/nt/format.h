/*
 * The Microsoft-compatible printf engine. Private to libkmhost: the CRT
 * pieces (crt_printf.c, src/client/crt_stdio.c), DbgPrint, strsafe and
 * the Rtl DDIs format through it; nothing else should.
 *
 * Semantics are Windows x64's: l is 32-bit for integers and wide for
 * c/s; h narrow; w wide (%ws %wc %wZ); I, I32, I64, ll, z, t, j sized;
 * %S/%C take the other width than the output; %Z prints an ANSI_STRING,
 * %wZ a UNICODE_STRING; NULL strings print "(null)"; %p prints 16
 * uppercase hex digits; %n is refused. Narrow output is UTF-8 (text.h).
 */
#ifndef KMHOST_NT_FORMAT_H
#define KMHOST_NT_FORMAT_H

#include "internal.h"
#include <stdarg.h>

/* Where formatted units go: a buffer of cap units (char, or WCHAR when
 * wide), with an optional flush that empties it into a stream. Units
 * past cap are counted, not stored, so total is the would-be length. */
struct nt_sink {
    void *buf;
    size_t cap;
    size_t pos;   /* units in buf */
    size_t total; /* units produced, stored or not */
    bool wide;
    /* Called when buf is full (and at the end by the caller); it consumes
     * buf[0..pos) and resets pos. NULL for a plain buffer. */
    void (*flush)(struct nt_sink *sink);
    void *ctx;
};

/* Formats format (char, or WCHAR when sink->wide) into sink. Returns 0, or
 * -EINVAL when the format asks for %n, in which case output stops there. */
int nt_vformat(struct nt_sink *sink, const void *format, va_list ap);

/* vsnprintf for either width: stores at most cap - 1 units and a NUL
 * (nothing when cap is 0) and returns the would-be length, or -1 (EINVAL)
 * for a refused format. *truncated (may be NULL) tells whether units were
 * dropped. */
long nt_vformat_buffer(bool wide, void *buf, size_t cap, const void *format, va_list ap,
    bool *truncated);

#endif /* KMHOST_NT_FORMAT_H */
