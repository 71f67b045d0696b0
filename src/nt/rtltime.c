/*
 * Calendar conversions of system time (RtlTimeToTimeFields and back), local
 * time in the process's time zone, and the run-time library's pseudo-random
 * numbers.
 */
#include "nt/kernel.h"

#include <time.h>

#define TICKS_PER_MS 10000ll
#define TICKS_PER_DAY (86400ll * NT_TICKS_PER_SECOND)
#define DAYS_PER_400_YEARS 146097
#define DAYS_PER_100_YEARS 36524
#define DAYS_PER_4_YEARS 1461
#define EPOCH_1601_TO_1970 11644473600ll

static const SHORT days_before_month[2][13] = {
    { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365 },
    { 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366 },
};

static bool is_leap(LONG year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* 1601 starts a 400-year Gregorian cycle, so days since 1601-01-01 split
 * into cycles, centuries, four-year runs and years; the last century and
 * the last year of a run are one day longer, hence the clamps. */
static LONG year_of_day(LONGLONG *days)
{
    LONGLONG d = *days;
    LONG cycles = (LONG)(d / DAYS_PER_400_YEARS);
    d %= DAYS_PER_400_YEARS;
    LONG centuries = (LONG)(d / DAYS_PER_100_YEARS);
    if (centuries == 4)
        centuries = 3;
    d -= (LONGLONG)centuries * DAYS_PER_100_YEARS;
    LONG runs = (LONG)(d / DAYS_PER_4_YEARS);
    d %= DAYS_PER_4_YEARS;
    LONG years = (LONG)(d / 365);
    if (years == 4)
        years = 3;
    *days = d - (LONGLONG)years * 365;
    return 1601 + 400 * cycles + 100 * centuries + 4 * runs + years;
}

static LONGLONG days_before_year(LONG year)
{
    LONGLONG y = year - 1601;
    return 365 * y + y / 4 - y / 100 + y / 400;
}

/* Splits a system time into calendar fields (Weekday 0 is Sunday). Any IRQL. */
KMH_EXPORT void RtlTimeToTimeFields(PLARGE_INTEGER Time, PTIME_FIELDS TimeFields)
{
    LONGLONG t = Time->QuadPart < 0 ? 0 : Time->QuadPart;
    LONGLONG days = t / TICKS_PER_DAY, in_day = t % TICKS_PER_DAY;

    TimeFields->Weekday = (SHORT)((days + 1) % 7); /* 1601-01-01 was a Monday */
    LONG year = year_of_day(&days);
    const SHORT *before = days_before_month[is_leap(year)];
    SHORT month = 1;
    while (days >= before[month])
        month++;
    TimeFields->Year = (SHORT)year;
    TimeFields->Month = month;
    TimeFields->Day = (SHORT)(days - before[month - 1] + 1);
    TimeFields->Hour = (SHORT)(in_day / (3600 * NT_TICKS_PER_SECOND));
    TimeFields->Minute = (SHORT)(in_day / (60 * NT_TICKS_PER_SECOND) % 60);
    TimeFields->Second = (SHORT)(in_day / NT_TICKS_PER_SECOND % 60);
    TimeFields->Milliseconds = (SHORT)(in_day / TICKS_PER_MS % 1000);
}

static bool fields_valid(const TIME_FIELDS *f)
{
    if (f->Year < 1601 || f->Month < 1 || f->Month > 12 || f->Day < 1)
        return false;
    const SHORT *before = days_before_month[is_leap(f->Year)];
    if (f->Day > before[f->Month] - before[f->Month - 1])
        return false;
    return f->Hour >= 0 && f->Hour < 24 && f->Minute >= 0 && f->Minute < 60 && f->Second >= 0 &&
           f->Second < 60 && f->Milliseconds >= 0 && f->Milliseconds < 1000;
}

/* Joins calendar fields (Weekday ignored) into a system time; FALSE if a
 * field is out of range or the date precedes 1601. Any IRQL. */
KMH_EXPORT BOOLEAN RtlTimeFieldsToTime(PTIME_FIELDS TimeFields, PLARGE_INTEGER Time)
{
    if (!fields_valid(TimeFields))
        return FALSE;
    LONGLONG days = days_before_year(TimeFields->Year) +
                    days_before_month[is_leap(TimeFields->Year)][TimeFields->Month - 1] +
                    TimeFields->Day - 1;
    LONGLONG seconds = days * 86400 + TimeFields->Hour * 3600 + TimeFields->Minute * 60 +
                       TimeFields->Second;
    Time->QuadPart = seconds * NT_TICKS_PER_SECOND + TimeFields->Milliseconds * TICKS_PER_MS;
    return TRUE;
}

/* The process time zone's offset from UTC at a system time, in ticks. */
static LONGLONG zone_offset_at(LONGLONG system_time)
{
    time_t t = (time_t)(system_time / NT_TICKS_PER_SECOND - EPOCH_1601_TO_1970);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return 0;
    return (LONGLONG)tm.tm_gmtoff * NT_TICKS_PER_SECOND;
}

/* Converts a UTC system time to local time (the process's TZ). Any IRQL. */
KMH_EXPORT void ExSystemTimeToLocalTime(PLARGE_INTEGER SystemTime, PLARGE_INTEGER LocalTime)
{
    LocalTime->QuadPart = SystemTime->QuadPart + zone_offset_at(SystemTime->QuadPart);
}

/* Converts a local time (the process's TZ) to UTC system time. Any IRQL. */
KMH_EXPORT void ExLocalTimeToSystemTime(PLARGE_INTEGER LocalTime, PLARGE_INTEGER SystemTime)
{
    /* The offset depends on the UTC time being sought: guess with the
     * offset at the local value, then use the offset at the guess. */
    LONGLONG guess = LocalTime->QuadPart - zone_offset_at(LocalTime->QuadPart);
    SystemTime->QuadPart = LocalTime->QuadPart - zone_offset_at(guess);
}

/* Linear congruential step modulo 2^31 - 1; results are in [0, MAXLONG). */
static ULONG lcg_next(PULONG Seed)
{
    ULONG next = (ULONG)(((ULONG64)*Seed * 0x7fffffedu + 0x7fffffc3u) % 0x7fffffffu);
    *Seed = next;
    return next;
}

/* Returns a pseudo-random number in [0, MAXLONG) and updates *Seed. Any IRQL. */
KMH_EXPORT ULONG RtlRandom(PULONG Seed)
{
    return lcg_next(Seed);
}

/* As RtlRandom. Any IRQL. */
KMH_EXPORT ULONG RtlRandomEx(PULONG Seed)
{
    return lcg_next(Seed);
}
