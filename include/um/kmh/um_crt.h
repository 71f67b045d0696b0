/*
 * What the C runtime shims of include/um (stdio.h, wchar.h, wctype.h,
 * string.h, stdlib.h) add after glibc's header: the Microsoft CRT as a
 * Windows program sees it, with 16-bit wchar_t and Windows printf rules.
 * Each shim includes glibc's header first, then this; this pulls in the
 * other C headers too (through the shims, in any order, in C or C++), so
 * that every glibc declaration exists before any renaming happens.
 *
 * How names are bound: see <kmh/crt_common.h>. The narrow printf family
 * (printf ... vsnprintf, sscanf) is renamed here: in C by macros to
 * kmh_ functions GCC has no builtin knowledge of; in C++, where <cstdio>
 * #undefs such macros, stdio.h declares glibc's under other names and
 * this header declares these with C++ linkage (so not builtins either)
 * and asm labels. Neither way is checked against glibc's format rules,
 * which are not Windows' (%ld is 32-bit, %ws is a string).
 *
 * Inside libkmhost (KMHOST_BUILDING) only the wide names are bound: the
 * library's own narrow output keeps Linux semantics.
 */
#ifndef KMH_UM_CRT_H
#define KMH_UM_CRT_H

#ifndef KMHOST_BUILDING
#include <stdio.h>
#include <wchar.h>
#include <wctype.h>
#include <string.h>
#include <stdlib.h>
#endif
#include <kmh/crt_common.h>

#ifndef KMHOST_BUILDING
#ifdef __cplusplus
extern "C" {
#endif

/* Names glibc declares without noexcept (stream I/O may be cancelled). */
#define KMH_CRT_IO(name) __asm__("kmh_" #name)

int swprintf(wchar_t *buf, size_t n, const wchar_t *fmt, ...) KMH_CRT(swprintf);
int vswprintf(wchar_t *buf, size_t n, const wchar_t *fmt, va_list ap) KMH_CRT(vswprintf);
wchar_t *wcsdup(const wchar_t *s) KMH_CRT(_wcsdup);
wchar_t *_wcsdup(const wchar_t *s) KMH_CRT(_wcsdup);
char *_strdup(const char *s) KMH_CRT_NOTHROW __asm__("strdup");

/* --- rand (src/client/crt_rand.c): 15 bits, per-thread seed --------------- */
#undef RAND_MAX
#define RAND_MAX 0x7fff
int rand(void) KMH_CRT(rand);
void srand(unsigned int seed) KMH_CRT(srand);

/* --- Streams (src/client/crt_stdio.c) ------------------------------------ */
int kmh_printf(const char *fmt, ...);
int kmh_vprintf(const char *fmt, va_list ap);
int kmh_fprintf(FILE *f, const char *fmt, ...);
int kmh_vfprintf(FILE *f, const char *fmt, va_list ap);
int kmh_sscanf(const char *s, const char *fmt, ...);
int wprintf(const wchar_t *fmt, ...) KMH_CRT_IO(wprintf);
int vwprintf(const wchar_t *fmt, va_list ap) KMH_CRT_IO(vwprintf);
int fwprintf(FILE *f, const wchar_t *fmt, ...) KMH_CRT_IO(fwprintf);
int vfwprintf(FILE *f, const wchar_t *fmt, va_list ap) KMH_CRT_IO(vfwprintf);
int fputws(const wchar_t *s, FILE *f) KMH_CRT_IO(fputws);
wint_t fputwc(wchar_t c, FILE *f) KMH_CRT_IO(fputwc);
wint_t putwchar(wchar_t c) KMH_CRT_IO(putwchar);
int _putws(const wchar_t *s) KMH_CRT_IO(_putws);
int printf_s(const char *fmt, ...) KMH_CRT_IO(printf);
int vprintf_s(const char *fmt, va_list ap) KMH_CRT_IO(vprintf);
int fprintf_s(FILE *f, const char *fmt, ...) KMH_CRT_IO(fprintf);
int vfprintf_s(FILE *f, const char *fmt, va_list ap) KMH_CRT_IO(vfprintf);
int wprintf_s(const wchar_t *fmt, ...) KMH_CRT_IO(wprintf);
int fwprintf_s(FILE *f, const wchar_t *fmt, ...) KMH_CRT_IO(fwprintf);
/* sscanf_s: %s, %c and %[ take a buffer and its size in characters. */
int sscanf_s(const char *s, const char *fmt, ...) KMH_CRT_IO(sscanf_s);

#ifdef __cplusplus
}
extern "C++" {
int printf(const char *fmt, ...) __asm__("kmh_printf");
int vprintf(const char *fmt, va_list ap) __asm__("kmh_vprintf");
int fprintf(FILE *f, const char *fmt, ...) __asm__("kmh_fprintf");
int vfprintf(FILE *f, const char *fmt, va_list ap) __asm__("kmh_vfprintf");
int sprintf(char *buf, const char *fmt, ...) __asm__("kmh_sprintf");
int vsprintf(char *buf, const char *fmt, va_list ap) __asm__("kmh_vsprintf");
int snprintf(char *buf, size_t n, const char *fmt, ...) __asm__("kmh_snprintf");
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap) __asm__("kmh_vsnprintf");
int sscanf(const char *s, const char *fmt, ...) __asm__("kmh_sscanf");
}
#else
#undef printf
#undef vprintf
#undef fprintf
#undef vfprintf
#undef sprintf
#undef vsprintf
#undef snprintf
#undef vsnprintf
#undef sscanf
#define printf kmh_printf
#define vprintf kmh_vprintf
#define fprintf kmh_fprintf
#define vfprintf kmh_vfprintf
#define sprintf kmh_sprintf
#define vsprintf kmh_vsprintf
#define snprintf kmh_snprintf
#define vsnprintf kmh_vsnprintf
#define sscanf kmh_sscanf
#endif
#endif /* !KMHOST_BUILDING */

#endif /* KMH_UM_CRT_H */
