/*
 * The text module's private header: Unicode transcoding and case mapping
 * shared by the format engine (format.c), the Rtl string DDIs (rtl_*.c),
 * strsafe (strsafe*.c) and the C runtime pieces (crt_*.c, src/client/crt*.c).
 * Included by those files only.
 *
 * Encodings. WCHAR text is UTF-16. Every narrow ("ANSI", multibyte) text
 * kmhost produces or reads is UTF-8: Windows' code page 65001 used as the
 * ANSI code page, which is what a Linux terminal and log expect. Invalid
 * input becomes U+FFFD, one unit at a time.
 */
#ifndef KMHOST_NT_TEXT_H
#define KMHOST_NT_TEXT_H

#include "internal.h"
#include <ntstatus.h>
#include <stdint.h>
#include <kmh/text_api.h>

#define NT_REPLACEMENT_CHAR 0xFFFDu

/* Decodes the code point at s[*i], reading at most n units and stopping
 * before a NUL when n is SIZE_MAX; advances *i. Invalid or truncated
 * sequences yield NT_REPLACEMENT_CHAR and consume one unit; *bad (may be
 * NULL) is set when that happens. */
uint32_t nt_utf16_next(const WCHAR *s, size_t n, size_t *i, bool *bad);
uint32_t nt_utf8_next(const char *s, size_t n, size_t *i, bool *bad);
/* Encodes cp (at most U+10FFFF; surrogates become U+FFFD); returns units. */
size_t nt_utf8_encode(uint32_t cp, char out[4]);
size_t nt_utf16_encode(uint32_t cp, WCHAR out[2]);

/* Simple (one-to-one) case mapping of one UTF-16 unit, without locale.
 * Covered: ASCII, Latin-1, Latin Extended-A/B and Additional, Greek and
 * its extended block (unaccented), Cyrillic with its supplements, Armenian,
 * Georgian (Nuskhuri), Glagolitic, Coptic, Roman numerals, circled and
 * fullwidth Latin letters. Left alone on purpose: U+0130/U+0131 (Turkic
 * dotted/dotless i) and U+017F (long s), which would fold into ASCII, and
 * titlecase digraphs. Everything else maps to itself. */
WCHAR nt_upcase(WCHAR c);
WCHAR nt_downcase(WCHAR c);

/* Pool tag of the strings the Rtl DDIs allocate for a caller, who frees
 * them with RtlFreeUnicodeString / RtlFreeAnsiString ("Strg"). */
#define NT_STRING_POOL_TAG 0x67727453u

/* Debug print filter: whether DbgPrintEx(component, level) output is
 * wanted. kmhost runs drivers to test them, so everything is on; the
 * registry's "Debug Print Filter" key (Session Manager) will feed this. */
bool nt_debug_print_enabled(ULONG component, ULONG level);

#endif /* KMHOST_NT_TEXT_H */
