/*
 * Waiting: WaitForSingleObject(Ex), WaitForMultipleObjects(Ex), Sleep and
 * SleepEx. Every waitable handle is a kernel dispatcher object, so waits
 * are the dispatcher's (KeWaitForMultipleObjects) and a driver that sets an
 * event it was handed wakes the program. Alertable waits add the thread's
 * APC event to the objects: when it fires, the queued routines run and the
 * wait returns WAIT_IO_COMPLETION.
 */
#include "client/client.h"

#include <sched.h>

#define ALERT_SLICE_MS 10 /* how often a WaitAll that is alertable looks for APCs */

void *client_waitable(void *body)
{
    nt_object_type *type = nt_object_type_of(body);

    if (type == &nt_event_type || type == &nt_semaphore_type || type == &nt_thread_type ||
        type == &nt_process_type)
        return body; /* the body begins with its DISPATCHER_HEADER */
    if (type == &nt_file_type)
        return &((PFILE_OBJECT)body)->Event;
    return NULL;
}

static DWORD wait_result(NTSTATUS status, DWORD count)
{
    if ((ULONG)status < count)
        return WAIT_OBJECT_0 + (DWORD)status;
    if ((ULONG)status >= (ULONG)STATUS_ABANDONED_WAIT_0 && (ULONG)status < (ULONG)STATUS_ABANDONED_WAIT_0 + count)
        return WAIT_ABANDONED_0 + ((DWORD)status - (DWORD)STATUS_ABANDONED_WAIT_0);
    if (status == STATUS_TIMEOUT)
        return WAIT_TIMEOUT;
    client_fail_status(status);
    return WAIT_FAILED;
}

static NTSTATUS wait_once(DWORD count, void **objects, bool wait_all, ULONGLONG deadline)
{
    KWAIT_BLOCK blocks[MAXIMUM_WAIT_OBJECTS + 1];
    LARGE_INTEGER timeout;
    ULONGLONG now = KeQueryInterruptTime();

    timeout.QuadPart = deadline == ~0ull ? 0 : -(LONGLONG)(deadline > now ? deadline - now : 0);
    return KeWaitForMultipleObjects(count, objects, wait_all ? WaitAll : WaitAny, UserRequest, UserMode,
                                    FALSE, deadline == ~0ull ? NULL : &timeout, blocks);
}

static ULONGLONG deadline_after(DWORD ms)
{
    return ms == INFINITE ? ~0ull : KeQueryInterruptTime() + (ULONGLONG)ms * 10000;
}

/* An alertable wait the APC event can join: any of the objects, or an APC. */
static DWORD wait_alertable_any(DWORD count, void **objects, struct client_apc_queue *queue, ULONGLONG deadline)
{
    void *all[MAXIMUM_WAIT_OBJECTS + 1];

    if (count)
        memcpy(all, objects, count * sizeof(*objects));
    all[count] = client_apc_event(queue);
    for (;;) {
        NTSTATUS status = wait_once(count + 1, all, false, deadline);
        if ((ULONG)status != count)
            return wait_result(status, count);
        if (client_apc_run_pending())
            return WAIT_IO_COMPLETION;
    }
}

/* WaitAll (or a full array) cannot take the APC event along: wait in
 * slices and look for APCs between them. */
static DWORD wait_alertable_sliced(DWORD count, void **objects, bool wait_all, ULONGLONG deadline)
{
    for (;;) {
        ULONGLONG slice = KeQueryInterruptTime() + ALERT_SLICE_MS * 10000ull;
        NTSTATUS status = wait_once(count, objects, wait_all, slice < deadline ? slice : deadline);
        if (status != STATUS_TIMEOUT || KeQueryInterruptTime() >= deadline)
            return wait_result(status, count);
        if (client_apc_run_pending())
            return WAIT_IO_COMPLETION;
    }
}

DWORD client_wait_objects(DWORD count, void **objects, bool wait_all, DWORD ms, bool alertable)
{
    ULONGLONG deadline = deadline_after(ms);

    if (!alertable)
        return count ? wait_result(wait_once(count, objects, wait_all, deadline), count) : WAIT_TIMEOUT;
    if (client_apc_run_pending())
        return WAIT_IO_COMPLETION;
    if (wait_all || count == MAXIMUM_WAIT_OBJECTS)
        return wait_alertable_sliced(count, objects, wait_all, deadline);
    struct client_apc_queue *queue = client_apc_queue_current();
    if (!queue) {
        client_fail(ERROR_NOT_ENOUGH_MEMORY);
        return WAIT_FAILED;
    }
    DWORD result = wait_alertable_any(count, objects, queue, deadline);
    client_apc_queue_unref(queue);
    return result;
}

/* References the waitable object behind a handle (pseudo handles too). */
static DWORD ref_waitable(HANDLE handle, void **body, void **object)
{
    if (handle == CLIENT_CURRENT_PROCESS || handle == CLIENT_CURRENT_THREAD) {
        *body = handle == CLIENT_CURRENT_PROCESS ? (void *)PsGetCurrentProcess() : (void *)KeGetCurrentThread();
        nt_object_ref(*body);
    } else if (client_handle_ref(handle, NULL, body)) {
        return ERROR_INVALID_HANDLE;
    }
    if (!(*object = client_waitable(*body))) {
        nt_object_unref(*body);
        return ERROR_INVALID_HANDLE;
    }
    return 0;
}

static bool has_duplicates(DWORD count, void **objects)
{
    for (DWORD i = 1; i < count; i++)
        for (DWORD j = 0; j < i; j++)
            if (objects[i] == objects[j])
                return true;
    return false;
}

/* Waits for any or all of nCount handles (1..MAXIMUM_WAIT_OBJECTS); see
 * WaitForMultipleObjects. WAIT_FAILED with ERROR_INVALID_PARAMETER for a
 * bad count or a handle listed twice in a WaitAll, ERROR_INVALID_HANDLE for
 * a handle that is not open or cannot be waited on. */
KMH_EXPORT DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, CONST HANDLE *lpHandles, BOOL bWaitAll,
                                                 DWORD dwMilliseconds, BOOL bAlertable)
{
    void *bodies[MAXIMUM_WAIT_OBJECTS], *objects[MAXIMUM_WAIT_OBJECTS];
    DWORD n = 0, error = 0, result = WAIT_FAILED;

    if (!lpHandles || nCount == 0 || nCount > MAXIMUM_WAIT_OBJECTS) {
        client_fail(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    for (; n < nCount && !error; n++)
        if ((error = ref_waitable(lpHandles[n], &bodies[n], &objects[n])) != 0)
            break;
    if (!error && bWaitAll && has_duplicates(nCount, objects))
        error = ERROR_INVALID_PARAMETER;
    if (!error)
        result = client_wait_objects(nCount, objects, bWaitAll, dwMilliseconds, bAlertable);
    else
        client_fail(error);
    while (n-- > 0)
        nt_object_unref(bodies[n]);
    return result;
}

/* As WaitForMultipleObjectsEx, not alertable. */
KMH_EXPORT DWORD WINAPI WaitForMultipleObjects(DWORD nCount, CONST HANDLE *lpHandles, BOOL bWaitAll,
                                               DWORD dwMilliseconds)
{
    return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE);
}

/* Waits for one handle (event, semaphore, thread, process, file). Returns
 * WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_IO_COMPLETION (bAlertable, after the
 * thread's APCs ran) or WAIT_FAILED with ERROR_INVALID_HANDLE. */
KMH_EXPORT DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable)
{
    return WaitForMultipleObjectsEx(1, &hHandle, FALSE, dwMilliseconds, bAlertable);
}

/* As WaitForSingleObjectEx, not alertable. */
KMH_EXPORT DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
    return WaitForMultipleObjectsEx(1, &hHandle, FALSE, dwMilliseconds, FALSE);
}

/* Sleeps dwMilliseconds (0 yields; INFINITE forever). */
KMH_EXPORT VOID WINAPI Sleep(DWORD dwMilliseconds)
{
    LARGE_INTEGER interval;

    if (dwMilliseconds == 0) {
        sched_yield();
        return;
    }
    do {
        interval.QuadPart = -(LONGLONG)(dwMilliseconds == INFINITE ? 3600000 : dwMilliseconds) * 10000;
        KeDelayExecutionThread(UserMode, FALSE, &interval);
    } while (dwMilliseconds == INFINITE);
}

/* Sleeps as Sleep; when bAlertable, returns early with WAIT_IO_COMPLETION
 * after running the thread's queued APCs. Returns 0 when the time passed. */
KMH_EXPORT DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable)
{
    if (!bAlertable) {
        Sleep(dwMilliseconds);
        return 0;
    }
    DWORD result = client_wait_objects(0, NULL, false, dwMilliseconds, true);
    return result == WAIT_IO_COMPLETION ? WAIT_IO_COMPLETION : 0;
}
