/*
 * libFuzzer target for the printf engine (src/nt/format.c). An input is
 * one control byte and a format: bit 0 of the control byte picks wide
 * output (the format's bytes are then read as UTF-16 units), the other
 * bits the buffer size (0..127 units). The engine must never read past
 * the format, never write past the buffer, and must report the length it
 * would have produced. Its seeds are fuzz/corpus/format;
 * tests/test-nt-format.c replays them through this same function.
 *
 * Arguments: a format reads whatever its conversions ask for, so every
 * call passes plenty of them, each valid whatever it is read as: a
 * pointer to an object that is at once a short narrow string, a short
 * wide string and a STRING/UNICODE_STRING whose Buffer is valid, and
 * doubles for the floating conversions. Formats with more conversions
 * than that covers are skipped.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nt/format.h"

#define MAX_CONVERSIONS 16

static WCHAR fuzz_text[] = { 'k', 'm', 'h', 0xD83D, 0xDE00, 0 };
static STRING fuzz_arg = { 4, 8, (PCHAR)fuzz_text }; /* bytes 04 00 08 00: "\x04", L"\x04\x08" */

static long format_into(bool wide, void *buf, size_t cap, const void *fmt, ...)
{
    va_list ap;
    bool truncated;
    long n;

    va_start(ap, fmt);
    n = nt_vformat_buffer(wide, buf, cap, fmt, ap, &truncated);
    va_end(ap);
    return n;
}

#define P &fuzz_arg
#define P8 P, P, P, P, P, P, P, P
#define D8 0.5, -1e300, 3.25, 1e-310, 2.0, -0.0, 123456.789, 7.0

static void check_terminated(bool wide, const void *buf, size_t cap, long n)
{
    size_t len = 0;

    if (cap == 0)
        return;
    while (wide ? ((const WCHAR *)buf)[len] : ((const char *)buf)[len])
        len++;
    /* Units before the NUL may themselves be NULs (%c of 0), so the
     * string can be shorter than what was stored, never longer. */
    if (len >= cap || (n >= 0 && len > (size_t)n))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool wide;
    size_t cap, unit, count, uses = 0;
    void *fmt, *buf;
    long n;

    if (size < 1)
        return 0;
    wide = data[0] & 1;
    cap = data[0] >> 1;
    unit = wide ? sizeof(WCHAR) : 1;
    count = (size - 1) / unit;
    for (size_t i = 0; i < size - 1; i++)
        uses += data[1 + i] == '%' || data[1 + i] == '*';
    if (uses > MAX_CONVERSIONS)
        return 0;
    /* Exactly sized copies, so ASan sees any read or write past them. */
    fmt = malloc((count + 1) * unit);
    buf = malloc(cap ? cap * unit : 1);
    if (!fmt || !buf)
        abort();
    memcpy(fmt, data + 1, count * unit);
    memset((char *)fmt + count * unit, 0, unit);
    n = format_into(wide, cap ? buf : NULL, cap, fmt, P8, P8, P8, P8, P8, P8, D8, D8);
    check_terminated(wide, buf, cap, n);
    free(fmt);
    free(buf);
    return 0;
}
