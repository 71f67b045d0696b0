/*
 * The wait DDIs: argument and IRQL checks in front of the dispatcher's one
 * wait (dispatcher.c), and KeDelayExecutionThread.
 */
#include "nt/kernel.h"

#include <errno.h>
#include <sched.h>
#include <time.h>

#define MAXIMUM_WAIT_OBJECTS_EXCEEDED 0x0000000C

/* Waiting above APC_LEVEL may only poll: a thread at DISPATCH_LEVEL cannot
 * be switched out on Windows. */
static void check_wait_irql(const LARGE_INTEGER *timeout, const char *ddi, void *caller)
{
    if (kmh_likely(nt_irql < DISPATCH_LEVEL))
        return;
    if (nt_irql > DISPATCH_LEVEL)
        nt_irql_report_above(DISPATCH_LEVEL, ddi, caller);
    else if (!timeout || timeout->QuadPart != 0)
        vf_report(VF_IRQL, ddi, caller, "waiting %s at DISPATCH_LEVEL",
                  timeout ? "with a non-zero timeout" : "without a timeout");
}

static bool check_object(DISPATCHER_HEADER *header, const char *ddi, void *caller)
{
    if (kmh_likely(nt_dispatcher_is_waitable(header)))
        return true;
    vf_report(VF_OBJECT, ddi, caller, "%p is not a dispatcher object (type %u)", (void *)header,
              header ? (unsigned)header->Type : 0u);
    return false;
}

/* Waits until Object (event, semaphore, mutex, timer, thread) is signalled
 * or Timeout passes (negative: relative, positive: absolute system time,
 * zero: poll, NULL: forever), consuming what the object gives. IRQL <=
 * APC_LEVEL, or DISPATCH_LEVEL with a zero timeout. Returns STATUS_SUCCESS,
 * STATUS_TIMEOUT, or STATUS_INVALID_PARAMETER for a non-waitable object.
 * WaitReason, WaitMode and Alertable change nothing: kmhost has no APCs. */
KMH_EXPORT NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
                                          KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                          PLARGE_INTEGER Timeout)
{
    void *caller = __builtin_return_address(0);
    DISPATCHER_HEADER *header = Object;

    (void)WaitReason, (void)WaitMode, (void)Alertable;
    check_wait_irql(Timeout, "KeWaitForSingleObject", caller);
    if (!check_object(header, "KeWaitForSingleObject", caller))
        return STATUS_INVALID_PARAMETER;
    if (nt_dispatcher_try_fast(header))
        return STATUS_SUCCESS;
    return nt_dispatcher_wait(1, &header, WaitAny, nt_tls.wait.builtin, nt_deadline_from(Timeout));
}

static bool has_duplicates(ULONG count, PVOID objects[])
{
    for (ULONG i = 1; i < count; i++)
        for (ULONG j = 0; j < i; j++)
            if (objects[i] == objects[j])
                return true;
    return false;
}

/* Waits until any (WaitAny) or all (WaitAll) of Count objects are
 * signalled, or Timeout passes (as KeWaitForSingleObject). Up to
 * THREAD_WAIT_OBJECTS objects without WaitBlockArray, up to
 * MAXIMUM_WAIT_OBJECTS with one (more is bug check 0xC). Same IRQL rules.
 * Returns STATUS_WAIT_0 + the index of the object that satisfied a WaitAny,
 * STATUS_SUCCESS for a WaitAll, STATUS_TIMEOUT, or STATUS_INVALID_PARAMETER
 * for a bad wait type, a non-waitable object or one listed twice in a
 * WaitAll. A WaitAll consumes all its objects at once or none. */
KMH_EXPORT NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                             KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                             BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                             PKWAIT_BLOCK WaitBlockArray)
{
    void *caller = __builtin_return_address(0);

    (void)WaitReason, (void)WaitMode, (void)Alertable;
    if (Count > MAXIMUM_WAIT_OBJECTS || (!WaitBlockArray && Count > THREAD_WAIT_OBJECTS))
        KeBugCheckEx(MAXIMUM_WAIT_OBJECTS_EXCEEDED, Count, (ULONG_PTR)WaitBlockArray, 0, 0);
    check_wait_irql(Timeout, "KeWaitForMultipleObjects", caller);
    if (WaitType != WaitAll && WaitType != WaitAny) {
        vf_report(VF_OBJECT, "KeWaitForMultipleObjects", caller, "wait type %d", (int)WaitType);
        return STATUS_INVALID_PARAMETER;
    }
    for (ULONG i = 0; i < Count; i++)
        if (!check_object(Object[i], "KeWaitForMultipleObjects", caller))
            return STATUS_INVALID_PARAMETER;
    if (WaitType == WaitAll && has_duplicates(Count, Object)) {
        vf_report(VF_OBJECT, "KeWaitForMultipleObjects", caller, "an object listed twice in a WaitAll");
        return STATUS_INVALID_PARAMETER;
    }
    return nt_dispatcher_wait(Count, (DISPATCHER_HEADER **)Object, WaitType,
                              WaitBlockArray ? WaitBlockArray : nt_tls.wait.builtin,
                              nt_deadline_from(Timeout));
}

/* Sleeps for Interval (negative: relative, positive: absolute system time;
 * zero yields the processor). IRQL <= APC_LEVEL. Returns STATUS_SUCCESS, or
 * STATUS_INVALID_PARAMETER without an interval. */
KMH_EXPORT NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                           PLARGE_INTEGER Interval)
{
    (void)WaitMode, (void)Alertable;
    NT_CHECK_IRQL(APC_LEVEL, "KeDelayExecutionThread");
    if (!Interval) {
        vf_report(VF_OBJECT, "KeDelayExecutionThread", __builtin_return_address(0), "no interval");
        return STATUS_INVALID_PARAMETER;
    }
    uint64_t deadline = nt_deadline_from(Interval);
    if (deadline == NT_WAIT_POLL) {
        sched_yield();
        return STATUS_SUCCESS;
    }
    struct timespec when = nt_timespec_from_interrupt_time(deadline);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, NULL) == EINTR)
        ;
    return STATUS_SUCCESS;
}
