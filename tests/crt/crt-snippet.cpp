/*
 * A Windows program's view of the C runtime, from C++: compiled into
 * test-client-crt (tests/CMakeLists.txt adds it), without KMHOST_BUILDING,
 * so the include/um shims bind every name. <cstdio> and <string> come
 * first on purpose: they #undef C macros and pull in <cwchar>, the hard
 * case for any renaming. tests/test-client-crt.c checks what this writes.
 */
#undef KMHOST_BUILDING
#include <cstdio>
#include <string>
#include <cwchar>
#include <cstdlib>
#include <stdio.h>
#include <wchar.h>
#include <string.h>
#include <stdlib.h>
#include <tchar.h>
#include <conio.h>
#include <strsafe.h>

extern "C" int kmh_test_cxx_crt(char *out, size_t n, FILE *stream);

int kmh_test_cxx_crt(char *out, size_t n, FILE *stream)
{
    wchar_t w[32];
    char safe[16];
    int len = std::swprintf(w, 32, L"%ls-%d", L"ab", 7); /* ISO swprintf, %ls wide */
    size_t lengths = std::wcslen(w) * 10 + wcslen(L"xyz");
    const wchar_t *hello = std::wcschr(L"hello", L'l');
    wchar_t *dash = wcschr(w, L'-');
    long number = std::wcstol(L"-42", nullptr, 10);

    StringCchPrintfA(safe, sizeof(safe), "%ws", L"safe");
    std::fprintf(stream, "%ws %S %ld|", L"std", L"fprintf", (long)-1);
    fwprintf(stream, L"%s %hs|", L"wide", "narrow");
    return std::snprintf(out, n, "%ws|%d|%zu|%ws|%ws|%s|%ld|%d|%d", w, len, lengths, hello, dash,
        safe, number, _wcsicmp(L"ABC", L"abc"), (int)_tcslen(_T("four")));
}
