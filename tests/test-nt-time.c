/*
 * Time (src/nt/time.c, rtltime.c, bugcheck.c): the clocks and their units,
 * calendar conversions against known dates, local time, stalls, RtlRandom
 * and bug checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nt/nt.h"
#include "verifier/verifier.h"
#include "test-support.h"

#define TICKS_PER_SECOND 10000000ll
#define UNIX_EPOCH 116444736000000000ll /* 1970-01-01 in 100 ns units since 1601 */

static void bug_check_reports_and_aborts(void **state)
{
    (void)state;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        KeBugCheckEx(0xE2, 1, 2, 3, 4);
        _exit(0); /* not reached */
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void system_time_is_since_1601(void **state)
{
    LARGE_INTEGER now, precise;

    (void)state;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts); /* not time(): it may lag a tick behind */
    time_t before = ts.tv_sec;
    KeQuerySystemTime(&now);
    KeQuerySystemTimePrecise(&precise);
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t after = ts.tv_sec;
    LONGLONG seconds = (now.QuadPart - UNIX_EPOCH) / TICKS_PER_SECOND;
    assert_true(seconds >= before && seconds <= after);
    assert_true(precise.QuadPart >= now.QuadPart);
}

static void clocks_and_their_units(void **state)
{
    LARGE_INTEGER frequency, ticks;

    (void)state;
    assert_int_equal(KeQueryTimeIncrement(), 156250);
    assert_int_equal(ExSetTimerResolution(10000, TRUE), 156250);
    LARGE_INTEGER c1 = KeQueryPerformanceCounter(&frequency);
    assert_int_equal(frequency.QuadPart, TICKS_PER_SECOND);
    ULONGLONG interrupt = KeQueryInterruptTime();
    KeQueryTickCount(&ticks);
    assert_true((ULONGLONG)ticks.QuadPart * 156250 <= KeQueryInterruptTime());
    assert_true((ULONGLONG)(ticks.QuadPart + 2) * 156250 > interrupt);
    KeStallExecutionProcessor(2000);
    LARGE_INTEGER c2 = KeQueryPerformanceCounter(NULL);
    assert_true(c2.QuadPart - c1.QuadPart >= 20000); /* at least the 2 ms stall */
    ULONG64 qpc;
    ULONGLONG precise = KeQueryInterruptTimePrecise(&qpc);
    assert_true(precise >= interrupt && qpc >= (ULONG64)c2.QuadPart);
    assert_true(KeQueryUnbiasedInterruptTime() >= interrupt);
}

static void check_fields(LONGLONG t, int y, int mo, int d, int h, int mi, int s, int ms, int wd)
{
    LARGE_INTEGER time = { .QuadPart = t }, back;
    TIME_FIELDS f;

    RtlTimeToTimeFields(&time, &f);
    assert_int_equal(f.Year, y);
    assert_int_equal(f.Month, mo);
    assert_int_equal(f.Day, d);
    assert_int_equal(f.Hour, h);
    assert_int_equal(f.Minute, mi);
    assert_int_equal(f.Second, s);
    assert_int_equal(f.Milliseconds, ms);
    assert_int_equal(f.Weekday, wd);
    assert_true(RtlTimeFieldsToTime(&f, &back));
    assert_int_equal(back.QuadPart, t - t % 10000); /* milliseconds are kept */
}

static void calendar_of_known_dates(void **state)
{
    (void)state;
    check_fields(0, 1601, 1, 1, 0, 0, 0, 0, 1);                 /* a Monday */
    check_fields(UNIX_EPOCH, 1970, 1, 1, 0, 0, 0, 0, 4);        /* a Thursday */
    /* 2000-02-29 12:34:56.789, a Tuesday: 951827696 s after 1970. */
    check_fields(UNIX_EPOCH + 951827696ll * TICKS_PER_SECOND + 7891234, 2000, 2, 29, 12, 34, 56, 789, 2);
    /* 2024-12-31 23:59:59, a Tuesday: 1735689599 s after 1970. */
    check_fields(UNIX_EPOCH + 1735689599ll * TICKS_PER_SECOND, 2024, 12, 31, 23, 59, 59, 0, 2);
    /* 2100-03-01, a Monday (2100 is not a leap year): 4107542400 s after 1970. */
    check_fields(UNIX_EPOCH + 4107542400ll * TICKS_PER_SECOND, 2100, 3, 1, 0, 0, 0, 0, 1);
}

static void invalid_fields_are_refused(void **state)
{
    TIME_FIELDS f = { .Year = 1900, .Month = 2, .Day = 29 };
    LARGE_INTEGER t;

    (void)state;
    assert_false(RtlTimeFieldsToTime(&f, &t)); /* 1900 was not a leap year */
    f.Year = 2000;
    assert_true(RtlTimeFieldsToTime(&f, &t));
    f.Month = 13;
    assert_false(RtlTimeFieldsToTime(&f, &t));
    f = (TIME_FIELDS){ .Year = 1600, .Month = 12, .Day = 31 };
    assert_false(RtlTimeFieldsToTime(&f, &t));
    f = (TIME_FIELDS){ .Year = 2020, .Month = 1, .Day = 1, .Hour = 24 };
    assert_false(RtlTimeFieldsToTime(&f, &t));
}

static void every_day_round_trips(void **state)
{
    (void)state;
    for (LONGLONG day = 0; day < 400 * 366; day += 7) {
        LARGE_INTEGER t = { .QuadPart = UNIX_EPOCH + day * 86400 * TICKS_PER_SECOND + 12345670000ll }, back;
        TIME_FIELDS f;
        RtlTimeToTimeFields(&t, &f);
        assert_true(RtlTimeFieldsToTime(&f, &back));
        assert_int_equal(back.QuadPart, t.QuadPart);
    }
}

static void local_time_follows_tz(void **state)
{
    LARGE_INTEGER sys, local, back;

    (void)state;
    setenv("TZ", "EST5", 1); /* five hours behind UTC, no daylight saving */
    tzset();
    KeQuerySystemTime(&sys);
    ExSystemTimeToLocalTime(&sys, &local);
    assert_int_equal(sys.QuadPart - local.QuadPart, 5 * 3600 * TICKS_PER_SECOND);
    ExLocalTimeToSystemTime(&local, &back);
    assert_int_equal(back.QuadPart, sys.QuadPart);
    unsetenv("TZ");
    tzset();
}

static void random_numbers(void **state)
{
    ULONG seed = 42, again = 42, previous = 0;
    int changes = 0;

    (void)state;
    for (int i = 0; i < 1000; i++) {
        ULONG value = RtlRandom(&seed);
        assert_true(value < MAXLONG);
        assert_int_equal(value, seed);
        assert_int_equal(RtlRandomEx(&again), value); /* same seed, same sequence */
        changes += value != previous;
        previous = value;
    }
    assert_true(changes > 990);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bug_check_reports_and_aborts), /* first: before any thread exists */
        cmocka_unit_test(system_time_is_since_1601),
        cmocka_unit_test(clocks_and_their_units),
        cmocka_unit_test(calendar_of_known_dates),
        cmocka_unit_test(invalid_fields_are_refused),
        cmocka_unit_test(every_day_round_trips),
        cmocka_unit_test(local_time_follows_tz),
        cmocka_unit_test(random_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
