/*
 * The Rtl string DDIs and DbgPrint against their documented behaviour:
 * Length/MaximumLength rules, terminators only when there is room, the
 * exact statuses, locale-free case folding, conversions, integers, GUIDs,
 * and strings allocated for the caller coming back to the pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmhost.h"
#include "nt/nt.h"
#include "test-support.h"

static void assert_ustr(const UNICODE_STRING *us, const char *want)
{
    size_t n = strlen(want);
    assert_int_equal(us->Length, n * sizeof(WCHAR));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(us->Buffer[i], (unsigned char)want[i]);
}

static void init_sets_lengths_from_the_terminator(void **state)
{
    static WCHAR long_text[32768];
    UNICODE_STRING us;
    ANSI_STRING as;

    (void)state;
    RtlInitUnicodeString(&us, L"abc");
    assert_int_equal(us.Length, 6);
    assert_int_equal(us.MaximumLength, 8);
    RtlInitUnicodeString(&us, NULL);
    assert_int_equal(us.Length, 0);
    assert_int_equal(us.MaximumLength, 0);
    assert_null(us.Buffer);
    RtlInitAnsiString(&as, "abcd");
    assert_int_equal(as.Length, 4);
    assert_int_equal(as.MaximumLength, 5);
    RtlInitEmptyUnicodeString(&us, long_text, 10);
    assert_int_equal(us.Length, 0);
    assert_int_equal(us.MaximumLength, 10);
    /* 32766 characters fit a UNICODE_STRING with its terminator; one more does not. */
    for (size_t i = 0; i < 32766; i++)
        long_text[i] = 'x';
    assert_int_equal(RtlInitUnicodeStringEx(&us, long_text), STATUS_SUCCESS);
    assert_int_equal(us.Length, 65532);
    assert_int_equal(us.MaximumLength, 65534);
    long_text[32766] = 'x';
    assert_int_equal(RtlInitUnicodeStringEx(&us, long_text), STATUS_NAME_TOO_LONG);
}

static void copy_takes_what_fits_and_terminates_if_room(void **state)
{
    WCHAR buf[6] = { 9, 9, 9, 9, 9, 9 };
    UNICODE_STRING dest = { 0, 8, buf }, src;

    (void)state;
    RtlInitUnicodeString(&src, L"abcdef");
    RtlCopyUnicodeString(&dest, &src);
    assert_ustr(&dest, "abcd");
    assert_int_equal(buf[4], 9); /* no room for a terminator: none written */
    dest.MaximumLength = 12;
    RtlInitUnicodeString(&src, L"xy");
    RtlCopyUnicodeString(&dest, &src);
    assert_ustr(&dest, "xy");
    assert_int_equal(buf[2], 0);
    RtlCopyUnicodeString(&dest, NULL);
    assert_int_equal(dest.Length, 0);
}

static void append_refuses_what_does_not_fit(void **state)
{
    WCHAR buf[8];
    UNICODE_STRING dest = { 0, sizeof(buf), buf }, src;

    (void)state;
    RtlInitUnicodeString(&src, L"abc");
    assert_int_equal(RtlAppendUnicodeStringToString(&dest, &src), STATUS_SUCCESS);
    assert_int_equal(RtlAppendUnicodeToString(&dest, L"defg"), STATUS_SUCCESS);
    assert_ustr(&dest, "abcdefg");
    assert_int_equal(buf[7], 0);
    assert_int_equal(RtlAppendUnicodeToString(&dest, L"hi"), STATUS_BUFFER_TOO_SMALL);
    assert_ustr(&dest, "abcdefg");
    assert_int_equal(RtlAppendUnicodeToString(&dest, L"h"), STATUS_SUCCESS);
    assert_int_equal(dest.Length, dest.MaximumLength);
    assert_int_equal(RtlAppendUnicodeToString(&dest, NULL), STATUS_SUCCESS);
}

static void comparisons_fold_case_beyond_ascii(void **state)
{
    UNICODE_STRING a, b, c;
    STRING x, y;

    (void)state;
    RtlInitUnicodeString(&a, L"Stra\u00dfe-\u00e4\u044f");
    RtlInitUnicodeString(&b, L"STRA\u00dfE-\u00c4\u042f");
    RtlInitUnicodeString(&c, L"STRA");
    assert_true(RtlEqualUnicodeString(&a, &b, TRUE));
    assert_false(RtlEqualUnicodeString(&a, &b, FALSE));
    assert_int_equal(RtlCompareUnicodeString(&a, &b, TRUE), 0);
    assert_true(RtlCompareUnicodeString(&a, &b, FALSE) > 0);
    assert_true(RtlCompareUnicodeString(&c, &b, TRUE) < 0); /* a prefix sorts first */
    assert_true(RtlPrefixUnicodeString(&c, &a, TRUE));
    assert_false(RtlPrefixUnicodeString(&c, &a, FALSE));
    assert_false(RtlPrefixUnicodeString(&a, &c, TRUE));
    RtlInitString(&x, "Hello");
    RtlInitString(&y, "hELLO");
    assert_true(RtlEqualString(&x, &y, TRUE));
    assert_true(RtlCompareString(&x, &y, FALSE) < 0);
}

static void case_mapping_of_characters(void **state)
{
    static const WCHAR pairs[][2] = {
        { 'a', 'A' }, { 0xE4, 0xC4 }, { 0xFF, 0x178 }, { 0x101, 0x100 }, { 0x17E, 0x17D },
        { 0x3B1, 0x391 }, { 0x3CE, 0x38F }, { 0x44F, 0x42F }, { 0x45E, 0x40E }, { 0x561, 0x531 },
        { 0x1E01, 0x1E00 }, { 0xFF41, 0xFF21 }, { 0x24D0, 0x24B6 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        assert_int_equal(RtlUpcaseUnicodeChar(pairs[i][0]), pairs[i][1]);
        assert_int_equal(RtlDowncaseUnicodeChar(pairs[i][1]), pairs[i][0]);
    }
    assert_int_equal(RtlUpcaseUnicodeChar(0x3C2), 0x3A3);  /* final sigma */
    assert_int_equal(RtlDowncaseUnicodeChar(0x3A3), 0x3C3);
    assert_int_equal(RtlDowncaseUnicodeChar(0x39C), 0x3BC); /* not the micro sign */
    assert_int_equal(RtlUpcaseUnicodeChar('1'), '1');
    assert_int_equal(RtlUpcaseUnicodeChar(0x4E2D), 0x4E2D);
    assert_int_equal(RtlUpperChar('q'), 'Q');
}

static void upcase_string_allocates_or_checks_room(void **state)
{
    WCHAR buf[2];
    UNICODE_STRING src, dest = { 0, sizeof(buf), buf }, alloc;
    size_t live = nt_pool_live_count();

    (void)state;
    RtlInitUnicodeString(&src, L"m\u00fcnchen");
    assert_int_equal(RtlUpcaseUnicodeString(&dest, &src, FALSE), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(RtlUpcaseUnicodeString(&alloc, &src, TRUE), STATUS_SUCCESS);
    assert_int_equal(alloc.Length, src.Length);
    assert_int_equal(alloc.Buffer[1], 0xDC);
    assert_int_equal(RtlDowncaseUnicodeString(&alloc, &alloc, FALSE), STATUS_SUCCESS);
    assert_int_equal(alloc.Buffer[1], 0xFC);
    RtlFreeUnicodeString(&alloc);
    assert_null(alloc.Buffer);
    assert_int_equal(nt_pool_live_count(), live);
}

static void ansi_conversions(void **state)
{
    UNICODE_STRING us, small_us;
    ANSI_STRING as, small;
    WCHAR wbuf[2];
    char buf[4];
    size_t live = nt_pool_live_count();

    (void)state;
    RtlInitAnsiString(&as, "caf\xC3\xA9!"); /* ANSI is UTF-8 here */
    assert_int_equal(RtlxAnsiStringToUnicodeSize(&as), 6 * sizeof(WCHAR));
    assert_int_equal(RtlAnsiStringToUnicodeString(&us, &as, TRUE), STATUS_SUCCESS);
    assert_int_equal(us.Length, 5 * sizeof(WCHAR));
    assert_int_equal(us.Buffer[3], 0xE9);
    assert_int_equal(us.Buffer[5], 0);
    small_us = (UNICODE_STRING){ 0, sizeof(wbuf), wbuf };
    assert_int_equal(RtlAnsiStringToUnicodeString(&small_us, &as, FALSE), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(RtlxUnicodeStringToAnsiSize(&us), 7);
    small = (ANSI_STRING){ 0, sizeof(buf), buf };
    assert_int_equal(RtlUnicodeStringToAnsiString(&small, &us, FALSE), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(small.Length, 3);
    assert_string_equal(buf, "caf");
    assert_int_equal(RtlUnicodeStringToAnsiString(&as, &us, TRUE), STATUS_SUCCESS);
    assert_string_equal(as.Buffer, "caf\xC3\xA9!");
    RtlFreeAnsiString(&as);
    RtlFreeUnicodeString(&us);
    assert_int_equal(nt_pool_live_count(), live);
}

static void utf8_conversions_report_replacements(void **state)
{
    WCHAR w[8];
    char u[8];
    ULONG n = 0;
    static const WCHAR lone[] = { 'a', 0xD800, 'b' };

    (void)state;
    assert_int_equal(RtlUTF8ToUnicodeN(NULL, 0, &n, "a\xE2\x82\xAC", 4), STATUS_SUCCESS);
    assert_int_equal(n, 4);
    assert_int_equal(RtlUTF8ToUnicodeN(w, sizeof(w), &n, "a\xFF" "b", 3), STATUS_SOME_NOT_MAPPED);
    assert_int_equal(n, 6);
    assert_int_equal(w[1], 0xFFFD);
    assert_int_equal(RtlUTF8ToUnicodeN(w, 2, &n, "abc", 3), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(n, 2);
    assert_int_equal(RtlUTF8ToUnicodeN(NULL, 0, NULL, "abc", 3), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlUTF8ToUnicodeN(w, sizeof(w), &n, NULL, 3), STATUS_INVALID_PARAMETER_4);
    assert_int_equal(RtlUnicodeToUTF8N(u, sizeof(u), &n, lone, sizeof(lone)), STATUS_SOME_NOT_MAPPED);
    assert_int_equal(n, 5);
    assert_memory_equal(u, "a\xEF\xBF\xBD" "b", 5);
    assert_int_equal(RtlUnicodeToUTF8N(u, 2, &n, L"\u20ac", 2), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(n, 0); /* a character that does not fit whole is not written */
}

static void integers_to_and_from_text(void **state)
{
    WCHAR buf[12], tiny[2];
    UNICODE_STRING us = { 0, sizeof(buf), buf }, small = { 0, sizeof(tiny), tiny }, text;
    ULONG v = 0;

    (void)state;
    assert_int_equal(RtlIntegerToUnicodeString(255, 16, &us), STATUS_SUCCESS);
    assert_ustr(&us, "FF");
    assert_int_equal(buf[2], 0);
    assert_int_equal(RtlIntegerToUnicodeString(0xFFFFFFFF, 0, &us), STATUS_SUCCESS);
    assert_ustr(&us, "4294967295");
    assert_int_equal(RtlInt64ToUnicodeString(5, 2, &us), STATUS_SUCCESS);
    assert_ustr(&us, "101");
    assert_int_equal(RtlIntegerToUnicodeString(1, 3, &us), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlIntegerToUnicodeString(10, 10, &small), STATUS_BUFFER_OVERFLOW);
    RtlInitUnicodeString(&text, L"  -12xyz");
    assert_int_equal(RtlUnicodeStringToInteger(&text, 10, &v), STATUS_SUCCESS);
    assert_int_equal(v, (ULONG)-12);
    RtlInitUnicodeString(&text, L"0x1F");
    assert_int_equal(RtlUnicodeStringToInteger(&text, 0, &v), STATUS_SUCCESS);
    assert_int_equal(v, 31);
    assert_int_equal(RtlUnicodeStringToInteger(&text, 7, &v), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlCharToInteger("0b1011", 0, &v), STATUS_SUCCESS);
    assert_int_equal(v, 11);
    assert_int_equal(RtlCharToInteger("0o17", 0, &v), STATUS_SUCCESS);
    assert_int_equal(v, 15);
}

static void guids_round_trip(void **state)
{
    static const GUID g = { 0x12345678, 0x9ABC, 0xDEF0, { 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF } };
    UNICODE_STRING text, bad;
    GUID back;

    (void)state;
    assert_int_equal(RtlStringFromGUID(&g, &text), STATUS_SUCCESS);
    assert_ustr(&text, "{12345678-9ABC-DEF0-0123-456789ABCDEF}");
    assert_int_equal(text.MaximumLength, 78);
    assert_int_equal(text.Buffer[38], 0);
    text.Buffer[5] = 'a'; /* lowercase is accepted too */
    assert_int_equal(RtlGUIDFromString(&text, &back), STATUS_SUCCESS);
    assert_int_equal(back.Data1, 0x1234a678);
    assert_memory_equal(back.Data4, g.Data4, 8);
    RtlFreeUnicodeString(&text);
    RtlInitUnicodeString(&bad, L"12345678-9ABC-DEF0-0123-456789ABCDEF");
    assert_int_equal(RtlGUIDFromString(&bad, &back), STATUS_INVALID_PARAMETER);
    RtlInitUnicodeString(&bad, L"{12345678-9ABC-DEF0-0123-456789ABCDEG}");
    assert_int_equal(RtlGUIDFromString(&bad, &back), STATUS_INVALID_PARAMETER);
}

static void duplicate_hash_and_memory(void **state)
{
    UNICODE_STRING src, dup, empty = { 0, 0, NULL };
    ULONG h1 = 0, h2 = 0;
    size_t live = nt_pool_live_count();

    (void)state;
    RtlInitUnicodeString(&src, L"AB");
    assert_int_equal(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE, &src, &dup), STATUS_SUCCESS);
    assert_int_equal(dup.MaximumLength, 6);
    assert_int_equal(dup.Buffer[2], 0);
    RtlFreeUnicodeString(&dup);
    assert_int_equal(RtlDuplicateUnicodeString(0, &empty, &dup), STATUS_SUCCESS);
    assert_null(dup.Buffer);
    assert_int_equal(RtlDuplicateUnicodeString(4, &src, &dup), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlHashUnicodeString(&src, FALSE, HASH_STRING_ALGORITHM_X65599, &h1), STATUS_SUCCESS);
    assert_int_equal(h1, 'A' * 65599u + 'B');
    RtlInitUnicodeString(&src, L"ab");
    assert_int_equal(RtlHashUnicodeString(&src, TRUE, HASH_STRING_ALGORITHM_DEFAULT, &h2), STATUS_SUCCESS);
    assert_int_equal(h2, h1);
    assert_int_equal(RtlHashUnicodeString(&src, TRUE, 7, &h2), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlCompareMemory("abcd", "abxd", 4), 2);
    assert_int_equal(nt_pool_live_count(), live);
}

static char captured[1024];
static int captured_level;

static void capture(int level, const char *component, const char *message, void *ctx)
{
    (void)component;
    (void)ctx;
    captured_level = level;
    snprintf(captured, sizeof(captured), "%s", message);
}

static ULONG print_with_prefix(const char *prefix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ULONG r = vDbgPrintExWithPrefix(prefix, DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, fmt, ap);
    va_end(ap);
    return r;
}

static void dbgprint_goes_to_the_log(void **state)
{
    char big[700];

    (void)state;
    kmh_set_log_handler(capture, NULL);
    assert_int_equal(DbgPrint("dev %ws #%ld\n", L"toaster", -1), STATUS_SUCCESS);
    assert_int_equal(captured_level, KMH_LEVEL_DRIVER);
    assert_string_equal(captured, "dev toaster #-1\n");
    assert_int_equal(DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "%I64u", 1ULL << 40), STATUS_SUCCESS);
    assert_string_equal(captured, "1099511627776");
    assert_int_equal(print_with_prefix("drv: ", "%s", "up"), STATUS_SUCCESS);
    assert_string_equal(captured, "drv: up");
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    DbgPrint("%s", big);
    assert_int_equal(strlen(captured), 511); /* 512 bytes a call, as on Windows */
    captured[0] = 0;
    DbgBreakPoint(); /* logs and returns without KMHOST_BREAK=1 */
    assert_int_equal(captured_level, KMH_LEVEL_WARNING);
    kmh_set_log_handler(NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_sets_lengths_from_the_terminator),
        cmocka_unit_test(copy_takes_what_fits_and_terminates_if_room),
        cmocka_unit_test(append_refuses_what_does_not_fit),
        cmocka_unit_test(comparisons_fold_case_beyond_ascii),
        cmocka_unit_test(case_mapping_of_characters),
        cmocka_unit_test(upcase_string_allocates_or_checks_room),
        cmocka_unit_test(ansi_conversions),
        cmocka_unit_test(utf8_conversions_report_replacements),
        cmocka_unit_test(integers_to_and_from_text),
        cmocka_unit_test(guids_round_trip),
        cmocka_unit_test(duplicate_hash_and_memory),
        cmocka_unit_test(dbgprint_goes_to_the_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
