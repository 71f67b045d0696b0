/*
 * The C runtime names drivers and programs share, bound to libkmhost's
 * implementations. Included by <kmh/crt.h> (kernel side, through wdm.h)
 * and by the shim headers of include/um (user side); not by anyone else.
 *
 * Why asm labels: each declaration below gives the Windows name
 * (wcslen, _snwprintf, ...) the symbol of kmhost's implementation
 * (kmh_wcslen, ...). Unlike a macro, a label survives what C++ headers do
 * (<cwchar> #undefs every name and then says `using ::wcslen;`), binds
 * std::wcslen too, and does not care whether glibc declared the name
 * before or after: a later declaration keeps the label. The wide
 * functions must never reach glibc, whose wchar_t is 32-bit.
 *
 * The narrow standard printf family is the exception, handled by each
 * side (see crt.h and um/kmh/um_crt.h): GCC knows sprintf as a builtin
 * and would check formats by glibc's rules (%ld is 64-bit, %ws is an
 * error) and fold calls, so those are renamed with macros to kmh_
 * functions GCC does not know.
 */
#ifndef KMH_CRT_COMMON_H
#define KMH_CRT_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <kmh/text_api.h>

#ifdef __cplusplus
/* glibc declares these noexcept in C++; a redeclaration must agree. */
#define KMH_CRT_NOTHROW noexcept(true)
extern "C" {
#else
#define KMH_CRT_NOTHROW
#endif
#define KMH_CRT(name) KMH_CRT_NOTHROW __asm__("kmh_" #name)

#ifndef _ERRNO_T_DEFINED
#define _ERRNO_T_DEFINED
typedef int errno_t;
#endif
#ifndef _RSIZE_T_DEFINED
#define _RSIZE_T_DEFINED
typedef size_t rsize_t;
#endif
#ifndef _TRUNCATE
#define _TRUNCATE ((size_t)-1)
#endif
#ifndef STRUNCATE
#define STRUNCATE 80
#endif
#ifndef _countof
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* --- Wide strings ------------------------------------------------------ */
size_t wcslen(const wchar_t *s) KMH_CRT(wcslen);
size_t wcsnlen(const wchar_t *s, size_t max) KMH_CRT(wcsnlen);
wchar_t *wcscpy(wchar_t *dst, const wchar_t *src) KMH_CRT(wcscpy);
wchar_t *wcsncpy(wchar_t *dst, const wchar_t *src, size_t n) KMH_CRT(wcsncpy);
wchar_t *wcscat(wchar_t *dst, const wchar_t *src) KMH_CRT(wcscat);
wchar_t *wcsncat(wchar_t *dst, const wchar_t *src, size_t n) KMH_CRT(wcsncat);
int wcscmp(const wchar_t *a, const wchar_t *b) KMH_CRT(wcscmp);
int wcsncmp(const wchar_t *a, const wchar_t *b, size_t n) KMH_CRT(wcsncmp);
wchar_t *wcschr(const wchar_t *s, wchar_t c) KMH_CRT(wcschr);
wchar_t *wcsrchr(const wchar_t *s, wchar_t c) KMH_CRT(wcsrchr);
wchar_t *wcsstr(const wchar_t *haystack, const wchar_t *needle) KMH_CRT(wcsstr);
wchar_t *wcspbrk(const wchar_t *s, const wchar_t *accept) KMH_CRT(wcspbrk);
size_t wcsspn(const wchar_t *s, const wchar_t *accept) KMH_CRT(wcsspn);
size_t wcscspn(const wchar_t *s, const wchar_t *reject) KMH_CRT(wcscspn);
wchar_t *wcstok(wchar_t *s, const wchar_t *delim, wchar_t **save) KMH_CRT(wcstok);
wchar_t *wmemcpy(wchar_t *dst, const wchar_t *src, size_t n) KMH_CRT(wmemcpy);
wchar_t *wmemmove(wchar_t *dst, const wchar_t *src, size_t n) KMH_CRT(wmemmove);
wchar_t *wmemset(wchar_t *dst, wchar_t c, size_t n) KMH_CRT(wmemset);
int wmemcmp(const wchar_t *a, const wchar_t *b, size_t n) KMH_CRT(wmemcmp);
wchar_t *wmemchr(const wchar_t *s, wchar_t c, size_t n) KMH_CRT(wmemchr);
unsigned int towupper(unsigned int c) KMH_CRT(towupper);
unsigned int towlower(unsigned int c) KMH_CRT(towlower);
int _wcsicmp(const wchar_t *a, const wchar_t *b) KMH_CRT(_wcsicmp);
int _wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n) KMH_CRT(_wcsnicmp);
wchar_t *_wcsupr(wchar_t *s) KMH_CRT(_wcsupr);
wchar_t *_wcslwr(wchar_t *s) KMH_CRT(_wcslwr);

/* --- Narrow, Microsoft-only -------------------------------------------- */
int _stricmp(const char *a, const char *b) KMH_CRT(_stricmp);
int _strnicmp(const char *a, const char *b, size_t n) KMH_CRT(_strnicmp);
char *_strupr(char *s) KMH_CRT(_strupr);
char *_strlwr(char *s) KMH_CRT(_strlwr);

/* --- Numbers ------------------------------------------------------------ */
long wcstol(const wchar_t *s, wchar_t **end, int base) KMH_CRT(wcstol);
unsigned long wcstoul(const wchar_t *s, wchar_t **end, int base) KMH_CRT(wcstoul);
long long wcstoll(const wchar_t *s, wchar_t **end, int base) KMH_CRT(wcstoll);
unsigned long long wcstoull(const wchar_t *s, wchar_t **end, int base) KMH_CRT(wcstoull);
long long _wcstoi64(const wchar_t *s, wchar_t **end, int base) KMH_CRT(wcstoll);
unsigned long long _wcstoui64(const wchar_t *s, wchar_t **end, int base) KMH_CRT(wcstoull);
double wcstod(const wchar_t *s, wchar_t **end) KMH_CRT(wcstod);
int _wtoi(const wchar_t *s) KMH_CRT(_wtoi);
long _wtol(const wchar_t *s) KMH_CRT(_wtol);
long long _wtoi64(const wchar_t *s) KMH_CRT(_wtoi64);
char *_itoa(int value, char *buf, int radix) KMH_CRT(_itoa);
char *_ltoa(long value, char *buf, int radix) KMH_CRT(_ltoa);
char *_ultoa(unsigned long value, char *buf, int radix) KMH_CRT(_ultoa);
char *_i64toa(long long value, char *buf, int radix) KMH_CRT(_i64toa);
char *_ui64toa(unsigned long long value, char *buf, int radix) KMH_CRT(_ui64toa);
wchar_t *_itow(int value, wchar_t *buf, int radix) KMH_CRT(_itow);
wchar_t *_ltow(long value, wchar_t *buf, int radix) KMH_CRT(_ltow);
wchar_t *_ultow(unsigned long value, wchar_t *buf, int radix) KMH_CRT(_ultow);
wchar_t *_i64tow(long long value, wchar_t *buf, int radix) KMH_CRT(_i64tow);
wchar_t *_ui64tow(unsigned long long value, wchar_t *buf, int radix) KMH_CRT(_ui64tow);
/* Already right in glibc (narrow, 64-bit): only the names are Microsoft's. */
long long _atoi64(const char *s) KMH_CRT_NOTHROW __asm__("atoll");
long long _strtoi64(const char *s, char **end, int base) KMH_CRT_NOTHROW __asm__("strtoll");
unsigned long long _strtoui64(const char *s, char **end, int base) KMH_CRT_NOTHROW __asm__("strtoull");
size_t mbstowcs(wchar_t *dst, const char *src, size_t n) KMH_CRT(mbstowcs);
size_t wcstombs(char *dst, const wchar_t *src, size_t n) KMH_CRT(wcstombs);
int mbtowc(wchar_t *dst, const char *src, size_t n) KMH_CRT(mbtowc);
int wctomb(char *dst, wchar_t wc) KMH_CRT(wctomb);

/* --- Formatting into buffers, Microsoft's own names ---------------------- */
int _snprintf(char *buf, size_t n, const char *fmt, ...) KMH_CRT(_snprintf);
int _vsnprintf(char *buf, size_t n, const char *fmt, va_list ap) KMH_CRT(_vsnprintf);
int _scprintf(const char *fmt, ...) KMH_CRT(_scprintf);
int _vscprintf(const char *fmt, va_list ap) KMH_CRT(_vscprintf);
int _swprintf(wchar_t *buf, const wchar_t *fmt, ...) KMH_CRT(_swprintf);
int _vswprintf(wchar_t *buf, const wchar_t *fmt, va_list ap) KMH_CRT(_vswprintf);
int _snwprintf(wchar_t *buf, size_t n, const wchar_t *fmt, ...) KMH_CRT(_snwprintf);
int _vsnwprintf(wchar_t *buf, size_t n, const wchar_t *fmt, va_list ap) KMH_CRT(_vsnwprintf);
int _scwprintf(const wchar_t *fmt, ...) KMH_CRT(_scwprintf);
int _vscwprintf(const wchar_t *fmt, va_list ap) KMH_CRT(_vscwprintf);

/* --- The secure CRT -------------------------------------------------------- */
int sprintf_s(char *buf, size_t size, const char *fmt, ...) KMH_CRT(sprintf_s);
int vsprintf_s(char *buf, size_t size, const char *fmt, va_list ap) KMH_CRT(vsprintf_s);
int _snprintf_s(char *buf, size_t size, size_t count, const char *fmt, ...) KMH_CRT(_snprintf_s);
int _vsnprintf_s(char *buf, size_t size, size_t count, const char *fmt, va_list ap) KMH_CRT(_vsnprintf_s);
int swprintf_s(wchar_t *buf, size_t size, const wchar_t *fmt, ...) KMH_CRT(swprintf_s);
int vswprintf_s(wchar_t *buf, size_t size, const wchar_t *fmt, va_list ap) KMH_CRT(vswprintf_s);
int _snwprintf_s(wchar_t *buf, size_t size, size_t count, const wchar_t *fmt, ...) KMH_CRT(_snwprintf_s);
int _vsnwprintf_s(wchar_t *buf, size_t size, size_t count, const wchar_t *fmt, va_list ap) KMH_CRT(_vsnwprintf_s);
errno_t strcpy_s(char *dst, rsize_t size, const char *src) KMH_CRT(strcpy_s);
errno_t strcat_s(char *dst, rsize_t size, const char *src) KMH_CRT(strcat_s);
errno_t strncpy_s(char *dst, rsize_t size, const char *src, rsize_t count) KMH_CRT(strncpy_s);
errno_t strncat_s(char *dst, rsize_t size, const char *src, rsize_t count) KMH_CRT(strncat_s);
errno_t wcscpy_s(wchar_t *dst, rsize_t size, const wchar_t *src) KMH_CRT(wcscpy_s);
errno_t wcscat_s(wchar_t *dst, rsize_t size, const wchar_t *src) KMH_CRT(wcscat_s);
errno_t wcsncpy_s(wchar_t *dst, rsize_t size, const wchar_t *src, rsize_t count) KMH_CRT(wcsncpy_s);
errno_t wcsncat_s(wchar_t *dst, rsize_t size, const wchar_t *src, rsize_t count) KMH_CRT(wcsncat_s);
size_t strnlen_s(const char *s, size_t max) KMH_CRT(strnlen_s);
size_t wcsnlen_s(const wchar_t *s, size_t max) KMH_CRT(wcsnlen_s);

#ifdef __cplusplus
}
#endif

#endif /* KMH_CRT_COMMON_H */
