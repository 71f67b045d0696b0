/*
 * ntstrsafe.h and strsafe.h against their documentation: the results
 * (STATUS_BUFFER_OVERFLOW with a cut, terminated string;
 * STATUS_INVALID_PARAMETER for bad sizes, pointers, flags), what the
 * buffer holds under each flag, the end pointer and remaining count,
 * the UNICODE_STRING forms (no terminator), and the same rules seen as
 * HRESULTs through the user-mode header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ntdef.h>
#include <ntstatus.h>
#include <ntstrsafe.h>
#include <strsafe.h>

#include "test-support.h"

static void assert_wstr(const WCHAR *got, const char *want)
{
    size_t i = 0;
    for (; want[i]; i++)
        assert_int_equal(got[i], (unsigned char)want[i]);
    assert_int_equal(got[i], 0);
}

static void copy_cuts_and_reports_overflow(void **state)
{
    WCHAR buf[4];
    char a[4];

    (void)state;
    assert_int_equal(RtlStringCchCopyW(buf, 4, L"abc"), STATUS_SUCCESS);
    assert_wstr(buf, "abc");
    assert_int_equal(RtlStringCchCopyW(buf, 4, L"abcdef"), STATUS_BUFFER_OVERFLOW);
    assert_wstr(buf, "abc");
    assert_int_equal(RtlStringCbCopyW(buf, sizeof(buf), L"wxyz"), STATUS_BUFFER_OVERFLOW);
    assert_wstr(buf, "wxy");
    assert_int_equal(RtlStringCchCopyNA(a, 4, "abcdef", 2), STATUS_SUCCESS);
    assert_string_equal(a, "ab");
    assert_int_equal(RtlStringCbCopyNA(a, 4, "abcdef", 5), STATUS_BUFFER_OVERFLOW);
    assert_string_equal(a, "abc");
    assert_int_equal(RtlStringCchCopyNW(buf, 4, L"ab", 10), STATUS_SUCCESS); /* stops at the NUL */
    assert_wstr(buf, "ab");
}

static void bad_sizes_and_pointers_are_invalid(void **state)
{
    char a[4] = "xyz";

    (void)state;
    assert_int_equal(RtlStringCchCopyA(a, 0, "q"), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlStringCchCopyA(a, (size_t)NTSTRSAFE_MAX_CCH + 1, "q"), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlStringCbCopyA(a, (size_t)NTSTRSAFE_MAX_CCH + 1, "q"), STATUS_INVALID_PARAMETER);
    assert_string_equal(a, "xyz"); /* never written */
    assert_int_equal(RtlStringCchCopyA(NULL, 4, "q"), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlStringCchCopyA(a, 4, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlStringCchCopyNA(a, 4, "q", (size_t)NTSTRSAFE_MAX_CCH + 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlStringCchCopyExA(a, 4, "q", NULL, NULL, 0x10000), STATUS_INVALID_PARAMETER);
    /* With STRSAFE_IGNORE_NULLS a NULL source is "", and a NULL buffer of
     * size 0 takes an empty string but nothing else. */
    assert_int_equal(RtlStringCchCopyExA(a, 4, NULL, NULL, NULL, STRSAFE_IGNORE_NULLS), STATUS_SUCCESS);
    assert_string_equal(a, "");
    assert_int_equal(RtlStringCchCopyExA(NULL, 0, "", NULL, NULL, STRSAFE_IGNORE_NULLS), STATUS_SUCCESS);
    assert_int_equal(RtlStringCchCopyExA(NULL, 0, "x", NULL, NULL, STRSAFE_IGNORE_NULLS), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlStringCchCopyExA(NULL, 4, "", NULL, NULL, STRSAFE_IGNORE_NULLS), STATUS_INVALID_PARAMETER);
}

static void cat_appends_to_a_terminated_string(void **state)
{
    WCHAR buf[8] = L"ab";
    char full[3] = { 'x', 'y', 'z' };

    (void)state;
    assert_int_equal(RtlStringCchCatW(buf, 8, L"cd"), STATUS_SUCCESS);
    assert_wstr(buf, "abcd");
    assert_int_equal(RtlStringCchCatNW(buf, 8, L"efgh", 1), STATUS_SUCCESS);
    assert_wstr(buf, "abcde");
    assert_int_equal(RtlStringCbCatW(buf, sizeof(buf), L"xyz"), STATUS_BUFFER_OVERFLOW);
    assert_wstr(buf, "abcdexy");
    assert_int_equal(RtlStringCchCatW(buf, 8, L"q"), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(RtlStringCchCatW(buf, 8, L""), STATUS_SUCCESS);
    /* No terminator within the size: "the destination buffer was already full". */
    assert_int_equal(RtlStringCchCatA(full, 3, "q"), STATUS_INVALID_PARAMETER);
}

static void ex_forms_report_end_and_remaining(void **state)
{
    WCHAR buf[10];
    WCHAR *end = NULL;
    size_t rem = 0;

    (void)state;
    assert_int_equal(RtlStringCchCopyExW(buf, 10, L"abc", &end, &rem, 0), STATUS_SUCCESS);
    assert_ptr_equal(end, buf + 3);
    assert_int_equal(rem, 7); /* unused characters, the terminator included */
    assert_int_equal(RtlStringCbCopyExW(buf, 20, L"abc", &end, &rem, 0), STATUS_SUCCESS);
    assert_int_equal(rem, 14);
    assert_int_equal(RtlStringCbCopyExW(buf, 19, L"abc", &end, &rem, 0), STATUS_SUCCESS);
    assert_int_equal(rem, 13); /* 9 characters fit 19 bytes; the odd byte is unused too */
    assert_int_equal(RtlStringCchCatExW(buf, 10, L"defghijk", &end, &rem, 0), STATUS_BUFFER_OVERFLOW);
    assert_ptr_equal(end, buf + 9);
    assert_int_equal(rem, 1);
    end = NULL;
    assert_int_equal(RtlStringCchCopyExW(buf, 0, L"x", &end, &rem, 0), STATUS_INVALID_PARAMETER);
    assert_null(end); /* outputs are not set on failure */
}

static void flags_decide_the_buffer_contents(void **state)
{
    char a[8];

    (void)state;
    assert_int_equal(RtlStringCchCopyExA(a, 8, "ab", NULL, NULL, STRSAFE_FILL_BYTE('@')), STATUS_SUCCESS);
    assert_memory_equal(a, "ab\0@@@@@", 8);
    assert_int_equal(RtlStringCchCopyExA(a, 8, "abcdefghij", NULL, NULL, STRSAFE_FAILURE_BYTE('#')),
        STATUS_BUFFER_OVERFLOW);
    assert_memory_equal(a, "#######\0", 8);
    assert_int_equal(RtlStringCchCopyExA(a, 8, "abcdefghij", NULL, NULL, STRSAFE_NULL_ON_FAILURE),
        STATUS_BUFFER_OVERFLOW);
    assert_string_equal(a, "");
    RtlStringCchCopyA(a, 8, "keep");
    assert_int_equal(RtlStringCchCatExA(a, 8, "toolong", NULL, NULL, STRSAFE_NO_TRUNCATION),
        STATUS_BUFFER_OVERFLOW);
    assert_string_equal(a, "keep"); /* nothing added to the original contents */
    assert_int_equal(RtlStringCchCopyExA(a, 8, "abcdefghij", NULL, NULL, STRSAFE_NO_TRUNCATION),
        STATUS_BUFFER_OVERFLOW);
    assert_string_equal(a, ""); /* a copy that cannot be whole leaves an empty string */
}

static void printf_cuts_like_copy(void **state)
{
    WCHAR buf[8];
    char a[6];
    char *end;
    size_t rem;

    (void)state;
    assert_int_equal(RtlStringCchPrintfW(buf, 8, L"%ws-%d", L"ab", 12), STATUS_SUCCESS);
    assert_wstr(buf, "ab-12");
    assert_int_equal(RtlStringCchPrintfW(buf, 8, L"%ws-%d", L"ab", 12345), STATUS_BUFFER_OVERFLOW);
    assert_wstr(buf, "ab-1234");
    assert_int_equal(RtlStringCbPrintfA(a, sizeof(a), "%lu", 0xFFFFFFFFu), STATUS_BUFFER_OVERFLOW);
    assert_string_equal(a, "42949");
    assert_int_equal(RtlStringCchPrintfExA(a, 6, &end, &rem, 0, "%c%c", 'x', 'y'), STATUS_SUCCESS);
    assert_ptr_equal(end, a + 2);
    assert_int_equal(rem, 4);
    assert_int_equal(RtlStringCchPrintfA(a, 0, "x"), STATUS_INVALID_PARAMETER);
}

static void length_needs_a_terminator_within_the_maximum(void **state)
{
    size_t n = 99;

    (void)state;
    assert_int_equal(RtlStringCchLengthW(L"abc", 4, &n), STATUS_SUCCESS);
    assert_int_equal(n, 3);
    assert_int_equal(RtlStringCbLengthW(L"abc", 8, &n), STATUS_SUCCESS);
    assert_int_equal(n, 6);
    assert_int_equal(RtlStringCchLengthA("abc", 3, &n), STATUS_INVALID_PARAMETER);
    assert_int_equal(n, 0);
    assert_int_equal(RtlStringCchLengthA(NULL, 3, &n), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlStringCchLengthA("a", (size_t)NTSTRSAFE_MAX_CCH + 1, &n), STATUS_INVALID_PARAMETER);
}

static void unicode_string_init_and_validate(void **state)
{
    static WCHAR long_text[32768];
    UNICODE_STRING us;
    WCHAR b[2];

    (void)state;
    assert_int_equal(RtlUnicodeStringInit(&us, L"abc"), STATUS_SUCCESS);
    assert_int_equal(us.Length, 6);
    assert_int_equal(us.MaximumLength, 8);
    assert_int_equal(RtlUnicodeStringInit(&us, NULL), STATUS_SUCCESS);
    assert_int_equal(us.MaximumLength, 0);
    for (size_t i = 0; i < 32767; i++)
        long_text[i] = 'x';
    assert_int_equal(RtlUnicodeStringInit(&us, long_text), STATUS_INVALID_PARAMETER);
    assert_int_equal(us.Length, 0);
    assert_int_equal(RtlUnicodeStringValidate(&(UNICODE_STRING){ 0, 0, NULL }), STATUS_SUCCESS);
    assert_int_equal(RtlUnicodeStringValidate(&(UNICODE_STRING){ 3, 4, b }), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlUnicodeStringValidate(&(UNICODE_STRING){ 4, 2, b }), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlUnicodeStringValidate(&(UNICODE_STRING){ 0, 65535, b }), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlUnicodeStringValidate(&(UNICODE_STRING){ 0, 4, NULL }), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlUnicodeStringValidate(NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlUnicodeStringValidateEx(NULL, STRSAFE_IGNORE_NULLS), STATUS_SUCCESS);
}

static void unicode_string_copy_and_cat_fill_without_terminator(void **state)
{
    WCHAR buf[5] = { 9, 9, 9, 9, 9 };
    UNICODE_STRING us = { 0, 8, buf }, src, rem;

    (void)state;
    assert_int_equal(RtlUnicodeStringCopyString(&us, L"ab"), STATUS_SUCCESS);
    assert_int_equal(us.Length, 4);
    assert_int_equal(buf[2], 9); /* no terminator */
    src = (UNICODE_STRING){ 8, 10, (PWCH)L"cdef" };
    assert_int_equal(RtlUnicodeStringCat(&us, &src), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(us.Length, 8);
    assert_memory_equal(buf, L"abcd", 8);
    assert_int_equal(buf[4], 9);
    assert_int_equal(RtlUnicodeStringCchCopyStringN(&us, L"xyz", 1), STATUS_SUCCESS);
    assert_int_equal(us.Length, 2);
    assert_int_equal(RtlUnicodeStringCatStringEx(&us, L"toolong", &rem, STRSAFE_NO_TRUNCATION),
        STATUS_BUFFER_OVERFLOW);
    assert_int_equal(us.Length, 2); /* unchanged */
    assert_int_equal(RtlUnicodeStringCatStringEx(&us, L"pq", &rem, 0), STATUS_SUCCESS);
    assert_ptr_equal(rem.Buffer, buf + 3);
    assert_int_equal(rem.Length, 0);
    assert_int_equal(rem.MaximumLength, 2);
    assert_int_equal(RtlUnicodeStringCopyStringEx(&us, L"abcdefgh", NULL, STRSAFE_ZERO_LENGTH_ON_FAILURE),
        STATUS_BUFFER_OVERFLOW);
    assert_int_equal(us.Length, 0);
    assert_int_equal(RtlUnicodeStringCchCopyStringN(&us, L"a", 32768), STATUS_INVALID_PARAMETER);
}

static void unicode_string_printf(void **state)
{
    WCHAR buf[6];
    UNICODE_STRING us = { 0, sizeof(buf), buf }, none = { 0, 0, NULL }, rem;
    WCHAR copy[16];

    (void)state;
    assert_int_equal(RtlUnicodeStringPrintf(&us, L"%ws%u", L"dev", 7u), STATUS_SUCCESS);
    assert_int_equal(us.Length, 8);
    assert_memory_equal(buf, L"dev7", 8);
    assert_int_equal(RtlUnicodeStringPrintf(&us, L"%ws", L"toaster"), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(us.Length, 12); /* the whole buffer, no terminator */
    assert_memory_equal(buf, L"toaste", 12);
    assert_int_equal(RtlUnicodeStringPrintfEx(&us, &rem, 0, L"%d", 42), STATUS_SUCCESS);
    assert_int_equal(rem.MaximumLength, 8);
    assert_int_equal(RtlUnicodeStringPrintf(&none, L"x"), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlStringCchCopyUnicodeString(copy, 16, &us), STATUS_SUCCESS);
    assert_wstr(copy, "42");
}

static void strsafe_h_speaks_hresult(void **state)
{
    char a[4];
    WCHAR w[4];

    (void)state;
    assert_int_equal(StringCchCopyA(a, 4, "abc"), S_OK);
    assert_int_equal(StringCchCopyA(a, 4, "abcd"), STRSAFE_E_INSUFFICIENT_BUFFER);
    assert_int_equal(StringCchCopyA(a, 4, "abcd"), (HRESULT)0x8007007A);
    assert_int_equal(StringCchCopyA(a, 0, "abcd"), STRSAFE_E_INVALID_PARAMETER);
    assert_int_equal(StringCchCopyA(a, 0, "abcd"), (HRESULT)0x80070057);
    assert_int_equal(StringCbCopyW(w, sizeof(w), L"ab"), S_OK);
    assert_int_equal(StringCbCatW(w, sizeof(w), L"c"), S_OK);
    assert_int_equal(StringCchPrintfW(w, 4, L"%d", 12345), STRSAFE_E_INSUFFICIENT_BUFFER);
    assert_int_equal(StringCchCopy(a, 4, "xy"), S_OK); /* no UNICODE: the A form */
    assert_string_equal(a, "xy");
}

static void gets_reads_lines_from_stdin(void **state)
{
    char *dir = kmh_test_tmpdir(), path[512], a[5];
    WCHAR w[8];
    FILE *f;

    (void)state;
    snprintf(path, sizeof(path), "%s/input", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("line one\ncaf\xC3\xA9\n", f);
    fclose(f);
    assert_non_null(freopen(path, "r", stdin));
    assert_int_equal(StringCchGetsA(a, sizeof(a)), STRSAFE_E_INSUFFICIENT_BUFFER);
    assert_string_equal(a, "line");
    assert_int_equal(StringCchGetsA(a, sizeof(a)), S_OK); /* the rest of that line */
    assert_string_equal(a, " one");
    assert_int_equal(StringCchGetsW(w, 8), S_OK);
    assert_wstr(w, "caf\xE9");
    assert_int_equal(StringCchGetsW(w, 8), STRSAFE_E_END_OF_FILE);
    kmh_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copy_cuts_and_reports_overflow),
        cmocka_unit_test(bad_sizes_and_pointers_are_invalid),
        cmocka_unit_test(cat_appends_to_a_terminated_string),
        cmocka_unit_test(ex_forms_report_end_and_remaining),
        cmocka_unit_test(flags_decide_the_buffer_contents),
        cmocka_unit_test(printf_cuts_like_copy),
        cmocka_unit_test(length_needs_a_terminator_within_the_maximum),
        cmocka_unit_test(unicode_string_init_and_validate),
        cmocka_unit_test(unicode_string_copy_and_cat_fill_without_terminator),
        cmocka_unit_test(unicode_string_printf),
        cmocka_unit_test(strsafe_h_speaks_hresult),
        cmocka_unit_test(gets_reads_lines_from_stdin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
