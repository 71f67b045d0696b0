/*
 * The C runtime as a Windows program sees it through include/um: this
 * file is compiled as such a program (KMHOST_BUILDING undefined before
 * any header), and crt/crt-snippet.cpp is its C++ twin. Expected values
 * are Windows': 16-bit wide strings, %ld of a LONG, %ws, _wcsicmp,
 * _itoa in other radixes, the secure CRT's failures, sscanf_s sizes.
 */
#undef KMHOST_BUILDING
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <tchar.h>
#include <conio.h>
#include <errno.h>
#include <unistd.h>

#include <cmocka.h>

#include "test-support.h"

int kmh_test_cxx_crt(char *out, size_t n, FILE *stream);

/* A memory stream and its contents. */
struct capture {
    FILE *f;
    char *text;
    size_t size;
};

static void capture_begin(struct capture *c)
{
    c->f = open_memstream(&c->text, &c->size);
    assert_non_null(c->f);
}

static void capture_end(struct capture *c)
{
    fclose(c->f);
}

static void printf_family_follows_windows_rules(void **state)
{
    struct capture c;
    char buf[64];
    long v = -1; /* a LONG's bits, passed as a 32-bit value on Windows */

    (void)state;
    capture_begin(&c);
    assert_int_equal(fprintf(c.f, "%ws %S %ld %lx %I64d|", L"wide", L"S", (int)v, (int)v, -5LL), 22);
    capture_end(&c);
    assert_string_equal(c.text, "wide S -1 ffffffff -5|");
    free(c.text);
    assert_int_equal(sprintf(buf, "%wZ", (void *)NULL), 6);
    assert_string_equal(buf, "(null)");
    assert_int_equal(snprintf(buf, 4, "%p", (void *)0), 16);
    assert_string_equal(buf, "000");
    assert_int_equal(_snprintf(buf, 3, "abc"), 3); /* exact fit: no terminator */
    assert_int_equal(_scprintf("%05d", 1), 5);
}

static void printf_to_stdout(void **state)
{
    char *dir = kmh_test_tmpdir(), path[512];
    int saved = dup(STDOUT_FILENO);
    size_t size;
    char *text;

    (void)state;
    snprintf(path, sizeof(path), "%s/out", dir);
    fflush(stdout);
    assert_non_null(freopen(path, "w", stdout));
    printf("%ws=%ld\n", L"answer", 42);
    wprintf(L"%s \u20ac\n", L"euro");
    _putws(L"line");
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    text = kmh_test_read_file(path, &size);
    assert_string_equal(text, "answer=42\neuro \xE2\x82\xAC\nline\n");
    free(text);
    kmh_test_rmtree(dir);
    free(dir);
}

static void wide_strings_are_16_bit(void **state)
{
    wchar_t buf[16], *end;

    (void)state;
    assert_int_equal(sizeof(wchar_t), 2);
    assert_int_equal(wcslen(L"abc"), 3);
    wcscpy(buf, L"ab");
    wcscat(buf, L"cab");
    assert_int_equal(wcscmp(buf, L"abcab"), 0);
    assert_true(wcsncmp(buf, L"abd", 3) < 0);
    assert_ptr_equal(wcschr(buf, L'b'), buf + 1);
    assert_ptr_equal(wcsrchr(buf, L'b'), buf + 4);
    assert_ptr_equal(wcsstr(buf, L"ca"), buf + 2);
    assert_int_equal(_wcsicmp(L"\u00c4BC", L"\u00e4bc"), 0);
    assert_true(_wcsicmp(L"_", L"A") < 0); /* both folded to lowercase first */
    assert_int_equal(towupper(0xE9), 0xC9);
    assert_int_equal(wcstol(L"  -0x1f!", &end, 0), -31);
    assert_int_equal(*end, L'!');
    assert_int_equal(wcstoul(L"4294967296", NULL, 10), 4294967295u); /* a 32-bit ULONG */
    assert_int_equal(swprintf(buf, 16, L"%d%hs", 5, "x"), 2);
    assert_int_equal(wmemcmp(buf, L"5x", 3), 0);
    assert_int_equal(mbstowcs(buf, "\xC3\xA9t\xC3\xA9", 16), 3);
    assert_int_equal(buf[0], 0xE9);
}

static void microsoft_names(void **state)
{
    char buf[40];
    wchar_t wbuf[12];

    (void)state;
    assert_int_equal(_stricmp("Hello", "hELLO"), 0);
    assert_true(_strnicmp("abcX", "ABCY", 3) == 0);
    assert_string_equal(_itoa(-5, buf, 10), "-5");
    assert_string_equal(_itoa(-5, buf, 16), "fffffffb");
    assert_string_equal(_ultoa(255, buf, 2), "11111111");
    assert_string_equal(_i64toa(-1LL, buf, 16), "ffffffffffffffff");
    assert_int_equal(_wtoi(L"1234"), 1234);
    _itow(77, wbuf, 8);
    assert_int_equal(wcscmp(wbuf, L"115"), 0);
    assert_int_equal(_countof(wbuf), 12);
    assert_int_equal(_tcslen(_T("tchar")), 5);
}

static void secure_crt_failures(void **state)
{
    char small[4] = "zz";
    wchar_t wsmall[3];

    (void)state;
    assert_int_equal(strcpy_s(small, sizeof(small), "abc"), 0);
    assert_int_equal(strcpy_s(small, sizeof(small), "abcd"), ERANGE);
    assert_string_equal(small, "");
    assert_int_equal(strcat_s(small, sizeof(small), NULL), EINVAL);
    strcpy_s(small, sizeof(small), "ab");
    assert_int_equal(strncat_s(small, sizeof(small), "xyz", _TRUNCATE), STRUNCATE);
    assert_string_equal(small, "abx");
    assert_int_equal(wcscpy_s(wsmall, 3, L"ab"), 0);
    assert_int_equal(wcscat_s(wsmall, 3, L"c"), ERANGE);
    assert_int_equal(wsmall[0], 0);
    assert_int_equal(sprintf_s(small, sizeof(small), "%d", 1234), -1);
    assert_string_equal(small, "");
}

static void sscanf_uses_windows_sizes(void **state)
{
    struct {
        int value; /* a LONG */
        int guard;
    } l = { 0, 0x5A5A5A5A };
    char word[4], tail[8];
    unsigned long long big = 0;
    double d = 0;

    (void)state;
    assert_int_equal(sscanf("-7 123456789012", "%ld %I64u", &l.value, &big), 2);
    assert_int_equal(l.value, -7);
    assert_int_equal(l.guard, 0x5A5A5A5A); /* %ld wrote 32 bits, not 64 */
    assert_int_equal(big, 123456789012ULL);
    assert_int_equal(sscanf_s("ab 2.5 rest", "%s %lf %[a-z]", word, (unsigned)sizeof(word), &d,
                         tail, (unsigned)sizeof(tail)), 3);
    assert_string_equal(word, "ab");
    assert_true(d == 2.5);
    assert_string_equal(tail, "rest");
    assert_int_equal(sscanf_s("toolong", "%s", word, (unsigned)sizeof(word)), 0);
    assert_string_equal(word, "");
    assert_int_equal(sscanf_s("", "%d", &l.value), EOF);
}

static void conio_reads_keys_from_a_pipe_or_file(void **state)
{
    char *dir = kmh_test_tmpdir(), path[512];
    FILE *f;

    (void)state;
    snprintf(path, sizeof(path), "%s/keys", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("ky", f);
    fclose(f);
    assert_non_null(freopen(path, "r", stdin));
    assert_true(_kbhit());
    assert_int_equal(_getch(), 'k');
    assert_true(_kbhit());
    assert_int_equal(_getch(), 'y');
    assert_true(_kbhit()); /* the end of the input does not block a waiting program */
    assert_int_equal(_getch(), EOF);
    kmh_test_rmtree(dir);
    free(dir);
}

static void rand_has_the_microsoft_range_and_sequence(void **state)
{
    (void)state;
    assert_int_equal(RAND_MAX, 0x7fff);
    srand(1);
    assert_int_equal(rand(), 41); /* the Microsoft CRT's first value after srand(1) */
    int first = rand();
    srand(1);
    assert_int_equal(rand(), 41);
    assert_int_equal(rand(), first);
    srand(12345);
    for (int i = 0; i < 100000; i++) {
        int v = rand();
        assert_true(v >= 0 && v <= RAND_MAX);
    }
}

static void cxx_program_sees_the_same_crt(void **state)
{
    struct capture c;
    char out[128];

    (void)state;
    capture_begin(&c);
    kmh_test_cxx_crt(out, sizeof(out), c.f);
    capture_end(&c);
    assert_string_equal(out, "ab-7|4|43|llo|-7|safe|-42|0|4");
    assert_string_equal(c.text, "std fprintf -1|wide narrow|");
    free(c.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(printf_family_follows_windows_rules),
        cmocka_unit_test(printf_to_stdout),
        cmocka_unit_test(wide_strings_are_16_bit),
        cmocka_unit_test(microsoft_names),
        cmocka_unit_test(secure_crt_failures),
        cmocka_unit_test(sscanf_uses_windows_sizes),
        cmocka_unit_test(conio_reads_keys_from_a_pipe_or_file),
        cmocka_unit_test(rand_has_the_microsoft_range_and_sequence),
        cmocka_unit_test(cxx_program_sees_the_same_crt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
