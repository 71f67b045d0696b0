/*
 * Program handles: which entries of kmhost's handle table belong to the
 * program, and CloseHandle. A program may only use the handles the client
 * gave it (as a Windows program cannot reach kernel handles), and what it
 * leaves open is closed at exit, files first so that their drivers see
 * cleanup and close before the devices go.
 */
#include "client/client.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t *kinds;  /* by handle value / 4; 0: not the program's */
static size_t nkinds;

static size_t slot_of(HANDLE handle)
{
    return (size_t)((ULONG_PTR)handle / 4);
}

/* Handles lock held. */
static int track(HANDLE handle, enum client_handle_kind kind)
{
    size_t slot = slot_of(handle);
    if (slot >= nkinds) {
        size_t n = nkinds ? nkinds : 256;
        while (n <= slot)
            n *= 2;
        uint8_t *more = realloc(kinds, n);
        if (!more)
            return -ENOMEM;
        memset(more + nkinds, 0, n - nkinds);
        kinds = more;
        nkinds = n;
    }
    kinds[slot] = (uint8_t)kind;
    return 0;
}

static enum client_handle_kind tracked_kind(HANDLE handle)
{
    size_t slot = slot_of(handle);
    enum client_handle_kind kind = 0;

    if (((ULONG_PTR)handle & 3) || !handle)
        return 0;
    pthread_mutex_lock(&handles_lock);
    if (slot < nkinds)
        kind = kinds[slot];
    pthread_mutex_unlock(&handles_lock);
    return kind;
}

DWORD client_handle_new(void *body, ACCESS_MASK granted, enum client_handle_kind kind, HANDLE *out)
{
    int err = nt_handle_new(body, granted, out);
    if (err)
        return client_error_from_errno(err);
    pthread_mutex_lock(&handles_lock);
    err = track(*out, kind);
    pthread_mutex_unlock(&handles_lock);
    if (err) {
        nt_handle_close(*out);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    return 0;
}

DWORD client_handle_ref(HANDLE handle, const nt_object_type *type, void **body)
{
    if (!tracked_kind(handle))
        return ERROR_INVALID_HANDLE;
    return nt_handle_ref(handle, type, body, NULL) ? ERROR_INVALID_HANDLE : 0;
}

/* What the client must forget about an object before its handle goes. */
static void before_close(void *body)
{
    nt_object_type *type = nt_object_type_of(body);

    if (type == &nt_file_type)
        client_iocp_detach_file(body);
    else if (type == &nt_thread_type)
        client_thread_handle_closed(body);
    else if (type == &nt_event_type || type == &nt_semaphore_type)
        client_named_handle_closed(body);
}

/* Untracks and closes; 0 or ERROR_INVALID_HANDLE. */
static DWORD close_tracked(HANDLE handle)
{
    void *body;

    pthread_mutex_lock(&handles_lock);
    size_t slot = slot_of(handle);
    bool ours = slot < nkinds && kinds[slot] && !((ULONG_PTR)handle & 3) && handle;
    if (ours)
        kinds[slot] = 0;
    pthread_mutex_unlock(&handles_lock);
    if (!ours || nt_handle_ref(handle, NULL, &body, NULL))
        return ERROR_INVALID_HANDLE;
    before_close(body);
    nt_object_unref(body);
    return nt_handle_close(handle) ? ERROR_INVALID_HANDLE : 0;
}

/* Closes a handle: files send IRP_MJ_CLEANUP when their last handle goes
 * (and IRP_MJ_CLOSE when their last reference does); pseudo handles are
 * left alone. FALSE with ERROR_INVALID_HANDLE for anything not open. */
KMH_EXPORT BOOL WINAPI CloseHandle(HANDLE hObject)
{
    if (hObject == CLIENT_CURRENT_PROCESS || hObject == CLIENT_CURRENT_THREAD)
        return TRUE;
    DWORD error = close_tracked(hObject);
    return error ? client_fail(error) : TRUE;
}

static void close_kind(enum client_handle_kind kind)
{
    for (;;) {
        HANDLE handle = NULL;
        pthread_mutex_lock(&handles_lock);
        for (size_t i = 0; i < nkinds && !handle; i++)
            if (kinds[i] == kind)
                handle = (HANDLE)(ULONG_PTR)(i * 4);
        pthread_mutex_unlock(&handles_lock);
        if (!handle)
            return;
        close_tracked(handle);
    }
}

void client_handle_close_all(void)
{
    close_kind(CLIENT_HANDLE_FILE);
    close_kind(CLIENT_HANDLE_OTHER);
    pthread_mutex_lock(&handles_lock);
    free(kinds);
    kinds = NULL;
    nkinds = 0;
    pthread_mutex_unlock(&handles_lock);
}
