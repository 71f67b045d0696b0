/*
 * Events and semaphores. Each is a kernel object of the executive's own
 * type (nt_event_type with a KEVENT body, nt_semaphore_type with a
 * KSEMAPHORE), so a driver handed the handle in an IOCTL can
 * ObReferenceObjectByHandle(..., *ExEventObjectType, UserMode, ...) it and
 * KeSetEvent it, and the program's waits are the dispatcher's.
 */
#include "client/client.h"

#include <stdlib.h>

/* Opens an existing named object, or names a fresh one; the handle is
 * created here. ERROR_ALREADY_EXISTS is left set when the name existed. */
static HANDLE handle_for(void *fresh, const WCHAR *name, const nt_object_type *type, ACCESS_MASK access)
{
    DWORD error = 0;
    HANDLE handle;
    void *body = name ? client_named_find(name, type, &error) : NULL;

    if (name && !body && error != ERROR_FILE_NOT_FOUND) {
        nt_object_unref(fresh);
        return client_fail(error), NULL;
    }
    if (!body && name && (error = client_named_add(name, fresh)) != 0) {
        nt_object_unref(fresh);
        return client_fail(error), NULL;
    }
    bool existed = body != NULL;
    if (body)
        nt_object_unref(fresh);
    else
        body = fresh;
    error = client_handle_new(body, access, CLIENT_HANDLE_OTHER, &handle);
    if (!error && name)
        client_named_handle_opened(body);
    nt_object_unref(body);
    if (error)
        return client_fail(error), NULL;
    SetLastError(existed ? ERROR_ALREADY_EXISTS : 0);
    return handle;
}

/* Creates an event (manual-reset: a notification event; auto-reset: a
 * synchronization event), or opens the existing one of that name (last
 * error ERROR_ALREADY_EXISTS; its state is left as it is). NULL with
 * ERROR_NOT_ENOUGH_MEMORY, or ERROR_INVALID_HANDLE when the name is a
 * semaphore's. */
KMH_EXPORT HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCWSTR lpName)
{
    (void)lpEventAttributes;
    PKEVENT event = nt_object_new(&nt_event_type, sizeof(KEVENT));
    if (!event)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL;
    KeInitializeEvent(event, bManualReset ? NotificationEvent : SynchronizationEvent, bInitialState ? TRUE : FALSE);
    return handle_for(event, lpName && *lpName ? lpName : NULL, &nt_event_type, EVENT_ALL_ACCESS);
}

/* CreateEventW with a UTF-8 name. */
KMH_EXPORT HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCSTR lpName)
{
    bool oom = false;
    WCHAR *name = client_wide_from_utf8(lpName, &oom);
    if (oom)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL;
    HANDLE handle = CreateEventW(lpEventAttributes, bManualReset, bInitialState, name);
    free(name);
    return handle;
}

/* Opens the named event. NULL with ERROR_FILE_NOT_FOUND when there is
 * none, ERROR_INVALID_HANDLE when the name is another kind of object. */
KMH_EXPORT HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    DWORD error = ERROR_INVALID_PARAMETER;
    HANDLE handle;

    (void)bInheritHandle;
    void *body = lpName ? client_named_find(lpName, &nt_event_type, &error) : NULL;
    if (!body)
        return client_fail(error), NULL;
    error = client_handle_new(body, dwDesiredAccess, CLIENT_HANDLE_OTHER, &handle);
    if (!error)
        client_named_handle_opened(body);
    nt_object_unref(body);
    return error ? (client_fail(error), NULL) : handle;
}

/* OpenEventW with a UTF-8 name. */
KMH_EXPORT HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    bool oom = false;
    WCHAR *name = client_wide_from_utf8(lpName, &oom);
    if (oom)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL;
    HANDLE handle = OpenEventW(dwDesiredAccess, bInheritHandle, name);
    free(name);
    return handle;
}

static BOOL event_apply(HANDLE handle, int op)
{
    void *body;
    if (client_handle_ref(handle, &nt_event_type, &body))
        return client_fail(ERROR_INVALID_HANDLE);
    if (op == 0)
        KeSetEvent(body, IO_NO_INCREMENT, FALSE);
    else if (op == 1)
        KeResetEvent(body);
    else
        KePulseEvent(body, IO_NO_INCREMENT, FALSE);
    nt_object_unref(body);
    return TRUE;
}

/* Signals the event. FALSE with ERROR_INVALID_HANDLE if it is not one. */
KMH_EXPORT BOOL WINAPI SetEvent(HANDLE hEvent)
{
    return event_apply(hEvent, 0);
}

/* Resets the event. FALSE with ERROR_INVALID_HANDLE if it is not one. */
KMH_EXPORT BOOL WINAPI ResetEvent(HANDLE hEvent)
{
    return event_apply(hEvent, 1);
}

/* Releases the event's current waiters and leaves it reset. FALSE with
 * ERROR_INVALID_HANDLE if it is not one. */
KMH_EXPORT BOOL WINAPI PulseEvent(HANDLE hEvent)
{
    return event_apply(hEvent, 2);
}

/* Creates a semaphore with lInitialCount of lMaximumCount, or opens the
 * named one. NULL with ERROR_INVALID_PARAMETER for a maximum below 1 or an
 * initial count outside 0..maximum. */
KMH_EXPORT HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                          LONG lMaximumCount, LPCWSTR lpName)
{
    (void)lpSemaphoreAttributes;
    if (lMaximumCount <= 0 || lInitialCount < 0 || lInitialCount > lMaximumCount)
        return client_fail(ERROR_INVALID_PARAMETER), NULL;
    PKSEMAPHORE semaphore = nt_object_new(&nt_semaphore_type, sizeof(KSEMAPHORE));
    if (!semaphore)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL;
    KeInitializeSemaphore(semaphore, lInitialCount, lMaximumCount);
    return handle_for(semaphore, lpName && *lpName ? lpName : NULL, &nt_semaphore_type, SEMAPHORE_ALL_ACCESS);
}

/* CreateSemaphoreW with a UTF-8 name. */
KMH_EXPORT HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                          LONG lMaximumCount, LPCSTR lpName)
{
    bool oom = false;
    WCHAR *name = client_wide_from_utf8(lpName, &oom);
    if (oom)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL;
    HANDLE handle = CreateSemaphoreW(lpSemaphoreAttributes, lInitialCount, lMaximumCount, name);
    free(name);
    return handle;
}

/* Adds lReleaseCount to the semaphore; *lpPreviousCount (may be NULL)
 * gets the count before. FALSE with ERROR_TOO_MANY_POSTS past the maximum
 * (nothing changes), ERROR_INVALID_PARAMETER for a count below 1,
 * ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount)
{
    volatile LONG previous = 0;
    volatile DWORD error = 0;
    void *body;

    if (lReleaseCount <= 0)
        return client_fail(ERROR_INVALID_PARAMETER);
    if (client_handle_ref(hSemaphore, &nt_semaphore_type, &body))
        return client_fail(ERROR_INVALID_HANDLE);
    /* KeReleaseSemaphore raises STATUS_SEMAPHORE_LIMIT_EXCEEDED, as the kernel does. */
    __try {
        previous = KeReleaseSemaphore(body, SEMAPHORE_INCREMENT, lReleaseCount, FALSE);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        error = ERROR_TOO_MANY_POSTS;
    }
    nt_object_unref(body);
    if (error)
        return client_fail(error);
    if (lpPreviousCount)
        *lpPreviousCount = previous;
    return TRUE;
}
