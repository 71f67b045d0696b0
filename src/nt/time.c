/*
 * Clocks: system time (100 ns units since 1601-01-01 UTC, from
 * CLOCK_REALTIME), interrupt time (100 ns units of CLOCK_MONOTONIC), the
 * tick count, the performance counter (10 MHz), and conversions of the
 * due times waits and timers take.
 */
#include "nt/kernel.h"

#include <time.h>

/* Seconds from 1601-01-01 to 1970-01-01. */
#define EPOCH_1601_TO_1970 11644473600ll
#define NS_PER_TICK 100

static LONGLONG ticks_of(const struct timespec *ts)
{
    return (LONGLONG)ts->tv_sec * NT_TICKS_PER_SECOND + ts->tv_nsec / NS_PER_TICK;
}

LONGLONG nt_system_time(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ticks_of(&ts) + EPOCH_1601_TO_1970 * NT_TICKS_PER_SECOND;
}

uint64_t nt_interrupt_time(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ticks_of(&ts);
}

/* Absolute due times are converted once, when the wait or timer starts:
 * a change of the system clock afterwards does not move them (Windows
 * would). A time already past is due now. */
uint64_t nt_deadline_from(const LARGE_INTEGER *due)
{
    if (!due)
        return NT_WAIT_FOREVER;
    if (due->QuadPart == 0)
        return NT_WAIT_POLL;
    uint64_t now = nt_interrupt_time();
    if (due->QuadPart < 0) {
        uint64_t delta = (uint64_t)0 - (uint64_t)due->QuadPart;
        return delta > NT_WAIT_FOREVER - 1 - now ? NT_WAIT_FOREVER - 1 : now + delta;
    }
    LONGLONG ahead = due->QuadPart - nt_system_time();
    return ahead <= 0 ? now : now + (uint64_t)ahead;
}

struct timespec nt_timespec_from_interrupt_time(uint64_t t)
{
    /* Deadlines thousands of years away mean forever; clamp them so the
     * seconds fit time_t. */
    if (t > (uint64_t)INT64_MAX / 2)
        t = (uint64_t)INT64_MAX / 2;
    struct timespec ts = {
        .tv_sec = (time_t)(t / NT_TICKS_PER_SECOND),
        .tv_nsec = (long)(t % NT_TICKS_PER_SECOND) * NS_PER_TICK,
    };
    return ts;
}

/* Stores the system time (100 ns units since 1601, UTC). Any IRQL. */
KMH_EXPORT void KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = nt_system_time();
}

/* As KeQuerySystemTime (kmhost's is always precise). Any IRQL. */
KMH_EXPORT void KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = nt_system_time();
}

/* Stores the ticks (of KeQueryTimeIncrement() 100 ns units) since boot.
 * Any IRQL. */
KMH_EXPORT void KeQueryTickCount(PLARGE_INTEGER TickCount)
{
    TickCount->QuadPart = (LONGLONG)(nt_interrupt_time() / NT_TIME_INCREMENT);
}

/* Returns the interrupt time: 100 ns units since boot. Any IRQL. */
KMH_EXPORT ULONGLONG KeQueryInterruptTime(void)
{
    return nt_interrupt_time();
}

/* Returns the interrupt time and, if QpcTimeStamp is given, the matching
 * performance counter value. Any IRQL. */
KMH_EXPORT ULONGLONG KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp)
{
    uint64_t now = nt_interrupt_time();
    if (QpcTimeStamp)
        *QpcTimeStamp = now; /* the counter runs at 10 MHz on the same clock */
    return now;
}

/* Returns the interrupt time without time spent suspended. Any IRQL. */
KMH_EXPORT ULONGLONG KeQueryUnbiasedInterruptTime(void)
{
    return nt_interrupt_time();
}

/* Returns the clock tick length in 100 ns units (156250: 15.625 ms). Any IRQL. */
KMH_EXPORT ULONG KeQueryTimeIncrement(void)
{
    return NT_TIME_INCREMENT;
}

/* Returns the performance counter and, if asked, its frequency (10 MHz).
 * Any IRQL. */
KMH_EXPORT LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER counter;

    if (PerformanceFrequency)
        PerformanceFrequency->QuadPart = NT_TICKS_PER_SECOND;
    counter.QuadPart = (LONGLONG)nt_interrupt_time();
    return counter;
}

/* Busy-waits MicroSeconds without giving up the processor. Any IRQL. */
KMH_EXPORT void KeStallExecutionProcessor(ULONG MicroSeconds)
{
    uint64_t until = nt_interrupt_time() + (uint64_t)MicroSeconds * 10;
    while (nt_interrupt_time() < until)
        __builtin_ia32_pause();
}

/* Returns the clock resolution in 100 ns units. kmhost's waits and timers
 * are as precise as the host allows whatever is asked, so the resolution
 * neither changes nor needs to. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT ULONG ExSetTimerResolution(ULONG DesiredTime, BOOLEAN SetResolution)
{
    (void)DesiredTime, (void)SetResolution;
    return NT_TIME_INCREMENT;
}
