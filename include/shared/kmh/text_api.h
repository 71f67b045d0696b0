/*
 * libkmhost's text functions under their own kmh_ names: the C runtime
 * pieces with Windows semantics (16-bit wchar_t, Microsoft printf formats)
 * and the one strsafe engine behind ntstrsafe.h and strsafe.h.
 *
 * Drivers and programs do not call these names: <kmh/crt_common.h> binds
 * the Windows names (wcslen, _snwprintf, ...) to them, and the strsafe
 * headers wrap the engine. Everything is compiled with -fshort-wchar, so
 * wchar_t here is the 16-bit WCHAR. Only compiler headers are included:
 * glibc's <wchar.h> must never be pulled in on the kernel side.
 */
#ifndef KMH_TEXT_API_H
#define KMH_TEXT_API_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- Wide strings (16-bit) ------------------------------------------------ */
size_t kmh_wcslen(const wchar_t *s);
size_t kmh_wcsnlen(const wchar_t *s, size_t max);
wchar_t *kmh_wcscpy(wchar_t *dst, const wchar_t *src);
wchar_t *kmh_wcsncpy(wchar_t *dst, const wchar_t *src, size_t n);
wchar_t *kmh_wcscat(wchar_t *dst, const wchar_t *src);
wchar_t *kmh_wcsncat(wchar_t *dst, const wchar_t *src, size_t n);
int kmh_wcscmp(const wchar_t *a, const wchar_t *b);
int kmh_wcsncmp(const wchar_t *a, const wchar_t *b, size_t n);
int kmh__wcsicmp(const wchar_t *a, const wchar_t *b);
int kmh__wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n);
wchar_t *kmh_wcschr(const wchar_t *s, wchar_t c);
wchar_t *kmh_wcsrchr(const wchar_t *s, wchar_t c);
wchar_t *kmh_wcsstr(const wchar_t *haystack, const wchar_t *needle);
wchar_t *kmh_wcspbrk(const wchar_t *s, const wchar_t *accept);
size_t kmh_wcsspn(const wchar_t *s, const wchar_t *accept);
size_t kmh_wcscspn(const wchar_t *s, const wchar_t *reject);
wchar_t *kmh_wcstok(wchar_t *s, const wchar_t *delim, wchar_t **save);
wchar_t *kmh__wcsupr(wchar_t *s);
wchar_t *kmh__wcslwr(wchar_t *s);
wchar_t *kmh__wcsdup(const wchar_t *s); /* malloc'd; user mode only */
wchar_t *kmh_wmemcpy(wchar_t *dst, const wchar_t *src, size_t n);
wchar_t *kmh_wmemmove(wchar_t *dst, const wchar_t *src, size_t n);
wchar_t *kmh_wmemset(wchar_t *dst, wchar_t c, size_t n);
int kmh_wmemcmp(const wchar_t *a, const wchar_t *b, size_t n);
wchar_t *kmh_wmemchr(const wchar_t *s, wchar_t c, size_t n);
/* wint_t is glibc's (unsigned int), so these declarations agree with it. */
unsigned int kmh_towupper(unsigned int c);
unsigned int kmh_towlower(unsigned int c);

/* --- Narrow strings: the Microsoft-only ones ----------------------------- */
int kmh__stricmp(const char *a, const char *b);
int kmh__strnicmp(const char *a, const char *b, size_t n);
char *kmh__strupr(char *s);
char *kmh__strlwr(char *s);

/* --- Numbers <-> text ------------------------------------------------------ */
long kmh_wcstol(const wchar_t *s, wchar_t **end, int base);
unsigned long kmh_wcstoul(const wchar_t *s, wchar_t **end, int base);
long long kmh_wcstoll(const wchar_t *s, wchar_t **end, int base);
unsigned long long kmh_wcstoull(const wchar_t *s, wchar_t **end, int base);
double kmh_wcstod(const wchar_t *s, wchar_t **end);
int kmh__wtoi(const wchar_t *s);
long kmh__wtol(const wchar_t *s);
long long kmh__wtoi64(const wchar_t *s);
char *kmh__itoa(int value, char *buf, int radix);
char *kmh__ltoa(long value, char *buf, int radix);
char *kmh__ultoa(unsigned long value, char *buf, int radix);
char *kmh__i64toa(long long value, char *buf, int radix);
char *kmh__ui64toa(unsigned long long value, char *buf, int radix);
wchar_t *kmh__itow(int value, wchar_t *buf, int radix);
wchar_t *kmh__ltow(long value, wchar_t *buf, int radix);
wchar_t *kmh__ultow(unsigned long value, wchar_t *buf, int radix);
wchar_t *kmh__i64tow(long long value, wchar_t *buf, int radix);
wchar_t *kmh__ui64tow(unsigned long long value, wchar_t *buf, int radix);
/* Multibyte text is UTF-8 (see docs in src/nt/text.h). */
size_t kmh_mbstowcs(wchar_t *dst, const char *src, size_t n);
size_t kmh_wcstombs(char *dst, const wchar_t *src, size_t n);
int kmh_mbtowc(wchar_t *dst, const char *src, size_t n);
int kmh_wctomb(char *dst, wchar_t wc);

/* --- Formatting into buffers (Microsoft format semantics) ---------------- */
int kmh_sprintf(char *buf, const char *fmt, ...);
int kmh_vsprintf(char *buf, const char *fmt, va_list ap);
int kmh_snprintf(char *buf, size_t n, const char *fmt, ...);
int kmh_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int kmh__snprintf(char *buf, size_t n, const char *fmt, ...);
int kmh__vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int kmh__scprintf(const char *fmt, ...);
int kmh__vscprintf(const char *fmt, va_list ap);
int kmh_swprintf(wchar_t *buf, size_t n, const wchar_t *fmt, ...);   /* ISO */
int kmh_vswprintf(wchar_t *buf, size_t n, const wchar_t *fmt, va_list ap);
int kmh__swprintf(wchar_t *buf, const wchar_t *fmt, ...);            /* legacy */
int kmh__vswprintf(wchar_t *buf, const wchar_t *fmt, va_list ap);
int kmh__snwprintf(wchar_t *buf, size_t n, const wchar_t *fmt, ...);
int kmh__vsnwprintf(wchar_t *buf, size_t n, const wchar_t *fmt, va_list ap);
int kmh__scwprintf(const wchar_t *fmt, ...);
int kmh__vscwprintf(const wchar_t *fmt, va_list ap);

/* --- The secure CRT's bounded forms (errno_t is int) --------------------- */
#define KMH_TRUNCATE ((size_t)-1)
int kmh_sprintf_s(char *buf, size_t size, const char *fmt, ...);
int kmh_vsprintf_s(char *buf, size_t size, const char *fmt, va_list ap);
int kmh__snprintf_s(char *buf, size_t size, size_t count, const char *fmt, ...);
int kmh__vsnprintf_s(char *buf, size_t size, size_t count, const char *fmt, va_list ap);
int kmh_swprintf_s(wchar_t *buf, size_t size, const wchar_t *fmt, ...);
int kmh_vswprintf_s(wchar_t *buf, size_t size, const wchar_t *fmt, va_list ap);
int kmh__snwprintf_s(wchar_t *buf, size_t size, size_t count, const wchar_t *fmt, ...);
int kmh__vsnwprintf_s(wchar_t *buf, size_t size, size_t count, const wchar_t *fmt, va_list ap);
int kmh_strcpy_s(char *dst, size_t size, const char *src);
int kmh_strcat_s(char *dst, size_t size, const char *src);
int kmh_strncpy_s(char *dst, size_t size, const char *src, size_t count);
int kmh_strncat_s(char *dst, size_t size, const char *src, size_t count);
int kmh_wcscpy_s(wchar_t *dst, size_t size, const wchar_t *src);
int kmh_wcscat_s(wchar_t *dst, size_t size, const wchar_t *src);
int kmh_wcsncpy_s(wchar_t *dst, size_t size, const wchar_t *src, size_t count);
int kmh_wcsncat_s(wchar_t *dst, size_t size, const wchar_t *src, size_t count);
size_t kmh_strnlen_s(const char *s, size_t max);
size_t kmh_wcsnlen_s(const wchar_t *s, size_t max);

/* --- The strsafe engine ----------------------------------------------------
 * One implementation for ntstrsafe.h (NTSTATUS) and strsafe.h (HRESULT):
 * results are NTSTATUS values (STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW,
 * STATUS_INVALID_PARAMETER, STATUS_END_OF_FILE) returned as int. The mode
 * says the character size (1 or 2) and what to do. Counts are characters.
 * end and remaining may be NULL; they are set on success and truncation. */
#define KMH_SS_UNIT_MASK 0x3u
#define KMH_SS_CAT 0x10u      /* append to the string already in dest */
#define KMH_SS_COUNTED 0x20u  /* src holds exactly src_max characters, no NUL */
#define KMH_SS_N 0x40u        /* src_max is the caller's limit (the N forms): checked */
#define KMH_SS_ALL ((size_t)-1)
#define KMH_SS_MAX_CCH 2147483647u
#define KMH_SS_USTR_MAX_CCH 32767u
/* The results, by value, so that strsafe.h needs no ntstatus.h. */
#define KMH_SS_SUCCESS 0
#define KMH_SS_OVERFLOW ((int)0x80000005u)      /* STATUS_BUFFER_OVERFLOW */
#define KMH_SS_INVALID ((int)0xC000000Du)       /* STATUS_INVALID_PARAMETER */
#define KMH_SS_END_OF_FILE ((int)0xC0000011u)   /* STATUS_END_OF_FILE */
int kmh_strsafe_put(unsigned mode, void *dest, size_t cch_dest, const void *src, size_t src_max,
    void **end, size_t *remaining, unsigned flags);
int kmh_strsafe_vprintf(unsigned mode, void *dest, size_t cch_dest, void **end, size_t *remaining,
    unsigned flags, const void *format, va_list ap);
int kmh_strsafe_length(unsigned mode, const void *s, size_t cch_max, size_t *length);
/* Reads one line from stdin without its newline (user mode only). */
int kmh_strsafe_gets(unsigned mode, void *dest, size_t cch_dest, void **end, size_t *remaining,
    unsigned flags);

/* The UNICODE_STRING forms (kernel mode): dest and remaining are
 * UNICODE_STRING pointers; a UNICODE_STRING source is passed as its Buffer
 * and Length / 2 with KMH_SS_COUNTED, after kmh_ustr_validate. */
struct _UNICODE_STRING;
int kmh_ustr_validate(const struct _UNICODE_STRING *s, unsigned flags);
int kmh_ustr_init(struct _UNICODE_STRING *dest, const wchar_t *src, unsigned flags);
int kmh_ustr_put(unsigned mode, struct _UNICODE_STRING *dest, const wchar_t *src, size_t src_max,
    struct _UNICODE_STRING *remaining, unsigned flags);
int kmh_ustr_vprintf(struct _UNICODE_STRING *dest, struct _UNICODE_STRING *remaining,
    unsigned flags, const wchar_t *format, va_list ap);

#ifdef __cplusplus
}
#endif

#endif /* KMH_TEXT_API_H */
