/*
 * The printf engine against Windows' documented format rules: integer
 * sizes (l is 32-bit), Microsoft's own conversions (%ws %S %Z %wZ %p
 * %I64d), NULL strings, flags, truncation reporting, %n refused, and the
 * four truncation conventions of the CRT. Last, the fuzz corpus replays.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nt/format.h"
#include "test-support.h"
#include <kmh/text_api.h>

#include "../fuzz/fuzz-format.c"

#define CORPUS_DIR KMH_TEST_DATA_DIR "/../../fuzz/corpus/format"

static char out[256];
static WCHAR wout[256];

/* Formats into out with the engine; returns its result. */
static long fmt(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    long n = nt_vformat_buffer(false, out, sizeof(out), format, ap, NULL);
    va_end(ap);
    return n;
}

static long wfmt(const WCHAR *format, ...)
{
    va_list ap;
    va_start(ap, format);
    long n = nt_vformat_buffer(true, wout, 256, format, ap, NULL);
    va_end(ap);
    return n;
}

static long fmt_into(char *buf, size_t cap, bool *truncated, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    long n = nt_vformat_buffer(false, buf, cap, format, ap, truncated);
    va_end(ap);
    return n;
}

static void assert_wide(const WCHAR *got, const char *want)
{
    size_t i = 0;
    for (; want[i]; i++)
        assert_int_equal(got[i], (unsigned char)want[i]);
    assert_int_equal(got[i], 0);
}

static void integer_sizes_are_windows_sizes(void **state)
{
    (void)state;
    /* LONG is 32-bit: %ld of -1 is -1 and %lx shows 8 digits. */
    fmt("%ld %lx %lu", -1, -1, 0xFFFFFFFFu);
    assert_string_equal(out, "-1 ffffffff 4294967295");
    fmt("%I64d %I64X %lld %llu", -5LL, 0x123456789ABCDEFULL, (long long)INT64_MIN, UINT64_MAX);
    assert_string_equal(out, "-5 123456789ABCDEF -9223372036854775808 18446744073709551615");
    fmt("%I32d %I32x %Id %Ix", -7, 0xABCDu, (long long)-8, (size_t)0x1234567890ULL);
    assert_string_equal(out, "-7 abcd -8 1234567890");
    fmt("%hd %hu %hhd %hhx", 65535, 65536 + 5, 255, 0x1FF);
    assert_string_equal(out, "-1 5 -1 ff");
    fmt("%zu %td %jd", (size_t)1 << 40, (ptrdiff_t)-3, (long long)9);
    assert_string_equal(out, "1099511627776 -3 9");
}

static void flags_width_and_precision(void **state)
{
    (void)state;
    fmt("[%5d][%-5d][%05d][%+d][% d][%+.3d]", 42, 42, -42, 7, 7, 7);
    assert_string_equal(out, "[   42][42   ][-0042][+7][ 7][+007]");
    fmt("[%#x][%#X][%#o][%#x][%.0d][%.0x]", 255, 255, 8, 0, 0, 0);
    assert_string_equal(out, "[0xff][0XFF][010][0][][]");
    fmt("[%*d][%-*d][%*d][%.*d][%.*d]", 4, 1, 4, 2, -4, 3, 3, 4, -1, 5);
    assert_string_equal(out, "[   1][2   ][3   ][004][5]");
    fmt("[%08.3d][%-08d]", 5, 6); /* precision and '-' both turn '0' off */
    assert_string_equal(out, "[     005][6       ]");
}

static void strings_of_either_width(void **state)
{
    (void)state;
    fmt("%s|%hs|%ws|%ls|%S|%wS", "a", "b", L"c", L"d", L"e", L"f");
    assert_string_equal(out, "a|b|c|d|e|f");
    wfmt(L"%s|%ws|%ls|%hs|%S|%hS", L"a", L"b", L"c", "d", "e", "f");
    assert_wide(wout, "a|b|c|d|e|f");
    fmt("[%5s][%-5s][%.2s][%6.3ws]", "ab", "ab", "abcdef", L"wxyz");
    assert_string_equal(out, "[   ab][ab   ][ab][   wxy]");
    fmt("[%05s][%03c][%-03s]", "ab", 'c', "d"); /* Microsoft pads strings with '0' too */
    assert_string_equal(out, "[000ab][00c][d  ]");
    fmt("%c%C%wc%hc%lc", 'a', L'b', L'c', 'd', L'e');
    assert_string_equal(out, "abcde");
    wfmt(L"%c%C%hc%wc", L'a', 'b', 'c', L'd');
    assert_wide(wout, "abcd");
}

static void null_strings_print_null(void **state)
{
    (void)state;
    fmt("%s|%ws|%S|%Z|%wZ", (char *)NULL, (WCHAR *)NULL, (WCHAR *)NULL, (void *)NULL, (void *)NULL);
    assert_string_equal(out, "(null)|(null)|(null)|(null)|(null)");
    fmt("[%.3s][%8s]", (char *)NULL, (char *)NULL);
    assert_string_equal(out, "[(nu][  (null)]");
    wfmt(L"%s", (WCHAR *)NULL);
    assert_wide(wout, "(null)");
}

static void counted_strings_use_their_length(void **state)
{
    WCHAR wbuf[] = { 'D', 'e', 'v', 'X', 'X' };
    char abuf[] = { 'a', 'n', 's', 'i', '!' };
    UNICODE_STRING us = { 3 * sizeof(WCHAR), sizeof(wbuf), wbuf }; /* not terminated */
    ANSI_STRING as = { 4, sizeof(abuf), abuf };
    UNICODE_STRING no_buffer = { 0, 0, NULL };

    (void)state;
    fmt("[%wZ][%Z][%8wZ][%-6Z][%.2wZ][%wZ]", &us, &as, &us, &as, &us, &no_buffer);
    assert_string_equal(out, "[Dev][ansi][     Dev][ansi  ][De][(null)]");
    wfmt(L"[%wZ][%hZ]", &us, &as);
    assert_wide(wout, "[Dev][ansi]");
}

static void pointers_are_sixteen_uppercase_digits(void **state)
{
    (void)state;
    fmt("%p|%p", (void *)0xABCDEF12ULL, (void *)NULL);
    assert_string_equal(out, "00000000ABCDEF12|0000000000000000");
    fmt("[%20p][%-18p]", (void *)1, (void *)0x10);
    assert_string_equal(out, "[    0000000000000001][0000000000000010  ]");
}

static void floating_point(void **state)
{
    (void)state;
    fmt("%f %.2f %e %E %g %G", 1.5, 2.345, 1234.5, 0.00012, 0.0001, 1e20);
    assert_string_equal(out, "1.500000 2.35 1.234500e+03 1.200000E-04 0.0001 1E+20");
    fmt("[%010.3f][%-9.1f][%+.0f][%08.2e]", -3.14159, 2.5, 3.0, 12.0);
    assert_string_equal(out, "[-00003.142][2.5      ][+3][1.20e+01]");
    fmt("[%6.1f][%Lf]", -0.05, (long double)0.25);
    assert_string_equal(out, "[  -0.1][0.250000]");
    fmt("%a|%A|%.1a", 1.0, -2.5, 1.0); /* all 13 fraction digits unless told */
    assert_string_equal(out, "0x1.0000000000000p+0|-0X1.4000000000000P+1|0x1.0p+0");
}

static void percent_n_is_refused(void **state)
{
    int written = 1234;

    (void)state;
    assert_int_equal(fmt("abc%n", &written), -1);
    assert_int_equal(written, 1234);
    assert_string_equal(out, "abc");
    assert_int_equal(fmt("%d%%%y", 5), 3); /* %% and an unknown conversion print themselves */
    assert_string_equal(out, "5%y");
}

static void truncation_keeps_the_would_be_length(void **state)
{
    char small[5];
    WCHAR wsmall[3];
    bool truncated = false;

    (void)state;
    assert_int_equal(kmh_snprintf(small, sizeof(small), "%s-%d", "abcdef", 12), 9);
    assert_string_equal(small, "abcd");
    assert_int_equal(kmh_snprintf(NULL, 0, "%08x", 1), 8);
    assert_int_equal(kmh__scwprintf(L"%ws%ws", L"abc", L"de"), 5);
    assert_int_equal(kmh__snwprintf(wsmall, 3, L"xy%c", L'z'), 3); /* exact: no NUL, count */
    assert_int_equal(wsmall[2], L'z');
    assert_int_equal(kmh__snwprintf(wsmall, 3, L"wxyz"), -1);
    assert_int_equal(kmh_swprintf(wsmall, 3, L"wxyz"), -1); /* ISO: -1, cut and terminated */
    assert_int_equal(wsmall[2], 0);
    assert_int_equal(fmt_into(small, sizeof(small), &truncated, "%d", 12345), 5);
    assert_true(truncated);
    assert_string_equal(small, "1234");
    assert_int_equal(fmt_into(small, sizeof(small), &truncated, "%d", 1234), 4);
    assert_false(truncated);
}

static void wide_text_becomes_utf8(void **state)
{
    static const WCHAR text[] = { 'h', 0xE9, ' ', 0x20AC, ' ', 0xD83D, 0xDE00, 0xD800, 'x', 0 };

    (void)state;
    assert_int_equal(fmt("%ws", text), 16);
    assert_string_equal(out, "h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\xEF\xBF\xBDx");
    /* Precision counts output bytes and never splits a character. */
    fmt("[%.2ws][%.4ws]", text, text);
    assert_string_equal(out, "[h][h\xC3\xA9 ]");
    wfmt(L"%hs", "\xE2\x82\xAC\xFF!");
    assert_int_equal(wout[0], 0x20AC);
    assert_int_equal(wout[1], 0xFFFD);
    assert_int_equal(wout[2], '!');
}

static void secure_forms_empty_the_buffer(void **state)
{
    char buf[6] = "zzzzz";
    WCHAR wbuf[4];

    (void)state;
    assert_int_equal(kmh_sprintf_s(buf, sizeof(buf), "%d", 123456), -1);
    assert_string_equal(buf, "");
    assert_int_equal(kmh_sprintf_s(buf, sizeof(buf), "%d", 12345), 5);
    assert_int_equal(kmh__snprintf_s(buf, sizeof(buf), KMH_TRUNCATE, "%s", "abcdefgh"), -1);
    assert_string_equal(buf, "abcde");
    assert_int_equal(kmh__snprintf_s(buf, sizeof(buf), 2, "%s", "abcdefgh"), -1);
    assert_string_equal(buf, "ab");
    assert_int_equal(kmh_swprintf_s(wbuf, 4, L"%ws", L"abc"), 3);
    assert_int_equal(kmh_swprintf_s(wbuf, 4, L"%ws", L"abcd"), -1);
    assert_int_equal(wbuf[0], 0);
}

/* Not Windows behaviour but the engine's own guarantees: a format cut
 * short ends the output, and a huge width is counted, not written. */
static void format_ends_and_huge_widths_are_safe(void **state)
{
    (void)state;
    assert_int_equal(fmt("abc%"), 3);
    assert_string_equal(out, "abc");
    assert_int_equal(fmt("x%-"), 1);
    assert_int_equal(fmt("%I"), 0);
    assert_int_equal(fmt("%1000000d|", 1), 1000001);
    assert_int_equal(strlen(out), sizeof(out) - 1);
    assert_int_equal(out[0], ' ');
}

static void fuzz_corpus_replays(void **state)
{
    DIR *dir = opendir(CORPUS_DIR);
    struct dirent *de;
    char path[1024];
    size_t n = 0;

    (void)state;
    assert_non_null(dir);
    while ((de = readdir(dir))) {
        size_t size;
        void *data;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, de->d_name);
        data = kmh_test_read_file(path, &size);
        assert_non_null(data);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        n++;
    }
    closedir(dir);
    assert_true(n >= 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integer_sizes_are_windows_sizes),
        cmocka_unit_test(flags_width_and_precision),
        cmocka_unit_test(strings_of_either_width),
        cmocka_unit_test(null_strings_print_null),
        cmocka_unit_test(counted_strings_use_their_length),
        cmocka_unit_test(pointers_are_sixteen_uppercase_digits),
        cmocka_unit_test(floating_point),
        cmocka_unit_test(percent_n_is_refused),
        cmocka_unit_test(truncation_keeps_the_would_be_length),
        cmocka_unit_test(wide_text_becomes_utf8),
        cmocka_unit_test(secure_forms_empty_the_buffer),
        cmocka_unit_test(format_ends_and_huge_widths_are_safe),
        cmocka_unit_test(fuzz_corpus_replays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
