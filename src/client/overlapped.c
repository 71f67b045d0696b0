/*
 * Overlapped I/O after it was issued: GetOverlappedResult(Ex), cancelling
 * (CancelIo, CancelIoEx), and the small per-file calls FlushFileBuffers and
 * GetFileType.
 */
#include "client/client.h"

static NTSTATUS ov_status(const OVERLAPPED *ov)
{
    return (NTSTATUS)(ULONG)__atomic_load_n(&ov->Internal, __ATOMIC_ACQUIRE);
}

/* Waits for the request's event (or the file's, without one); 0 or the
 * Win32 error. */
static DWORD wait_for_request(HANDLE file, OVERLAPPED *ov, DWORD ms, BOOL alertable)
{
    HANDLE waitable = ov->hEvent ? (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1) : file;

    while (ov_status(ov) == STATUS_PENDING) {
        DWORD result = WaitForSingleObjectEx(waitable, ms, alertable);
        if (result == WAIT_TIMEOUT || result == WAIT_IO_COMPLETION)
            return result;
        if (result == WAIT_FAILED)
            return GetLastError();
        /* The file's event serves every request on the file: another
         * request's completion may have set it. Only a wait on it loops. */
        if (ov->hEvent)
            break;
    }
    return 0;
}

/* The outcome of an overlapped request: *lpNumberOfBytesTransferred and
 * TRUE for success, FALSE with the request's error. While it runs: FALSE
 * with ERROR_IO_INCOMPLETE (dwMilliseconds 0), or waits up to
 * dwMilliseconds on hEvent (or the file's own event when hEvent is NULL):
 * FALSE with WAIT_TIMEOUT, or WAIT_IO_COMPLETION when bAlertable and an
 * APC ran. */
KMH_EXPORT BOOL WINAPI GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                             LPDWORD lpNumberOfBytesTransferred, DWORD dwMilliseconds,
                                             BOOL bAlertable)
{
    if (ov_status(lpOverlapped) == STATUS_PENDING) {
        if (dwMilliseconds == 0)
            return client_fail(ERROR_IO_INCOMPLETE);
        DWORD error = wait_for_request(hFile, lpOverlapped, dwMilliseconds, bAlertable);
        if (error)
            return client_fail(error);
    }
    NTSTATUS status = ov_status(lpOverlapped);
    *lpNumberOfBytesTransferred = (DWORD)lpOverlapped->InternalHigh;
    if (status == STATUS_PENDING)
        return client_fail(ERROR_IO_INCOMPLETE);
    return NT_SUCCESS(status) ? TRUE : client_fail_status(status);
}

/* As GetOverlappedResultEx, waiting forever when bWait and not at all
 * otherwise. */
KMH_EXPORT BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                           LPDWORD lpNumberOfBytesTransferred, BOOL bWait)
{
    return GetOverlappedResultEx(hFile, lpOverlapped, lpNumberOfBytesTransferred, bWait ? INFINITE : 0, FALSE);
}

static bool file_has_requests(PFILE_OBJECT file)
{
    KIRQL irql;
    KeAcquireSpinLock(&file->IrpListLock, &irql);
    bool any = !IsListEmpty(&file->IrpList);
    KeReleaseSpinLock(&file->IrpListLock, irql);
    return any;
}

static DWORD cancel(HANDLE handle, LPOVERLAPPED ov, bool all_threads, bool must_find)
{
    void *body;

    if (client_handle_ref(handle, NULL, &body))
        return ERROR_INVALID_HANDLE;
    DWORD error = 0;
    if (nt_object_type_of(body) != &nt_file_type) {
        error = must_find ? ERROR_NOT_FOUND : 0; /* host files complete at once */
    } else if (must_find && (ov ? ov_status(ov) != STATUS_PENDING : !file_has_requests(body))) {
        error = ERROR_NOT_FOUND;
    } else {
        io_cancel_file_requests(body, all_threads);
    }
    nt_object_unref(body);
    return error;
}

/* Cancels the requests this thread issued on hFile; they complete with
 * ERROR_OPERATION_ABORTED (STATUS_CANCELLED) once their drivers' cancel
 * routines run. FALSE with ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI CancelIo(HANDLE hFile)
{
    DWORD error = cancel(hFile, NULL, false, false);
    return error ? client_fail(error) : TRUE;
}

/* Cancels every request on hFile, from any thread (lpOverlapped NULL), or
 * the one lpOverlapped names. FALSE with ERROR_NOT_FOUND when there is
 * nothing to cancel, ERROR_INVALID_HANDLE. kmhost's I/O manager cancels by
 * file, not by request: naming one request cancels all of the handle's. */
KMH_EXPORT BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped)
{
    DWORD error = cancel(hFile, lpOverlapped, true, true);
    return error ? client_fail(error) : TRUE;
}

/* Sends IRP_MJ_FLUSH_BUFFERS to a device (fsync for a host file). FALSE
 * with the driver's error (ERROR_INVALID_FUNCTION when it has no flush
 * routine) or ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI FlushFileBuffers(HANDLE hFile)
{
    struct io_request r = { .major = IRP_MJ_FLUSH_BUFFERS, .mode = UserMode };
    ULONG_PTR information;
    void *body;

    if (client_handle_ref(hFile, NULL, &body))
        return client_fail(ERROR_INVALID_HANDLE);
    BOOL ok = TRUE;
    if (nt_object_type_of(body) == &client_host_file_type) {
        ok = client_host_file_transfer(body, true, NULL, 0, NULL, NULL);
    } else if (nt_object_type_of(body) != &nt_file_type) {
        ok = client_fail(ERROR_INVALID_HANDLE);
    } else {
        NTSTATUS status = io_send_request(body, &r, &information);
        ok = NT_SUCCESS(status) ? TRUE : client_fail_status(status);
    }
    nt_object_unref(body);
    return ok;
}

/* FILE_TYPE_CHAR for a device, FILE_TYPE_DISK for a host file,
 * FILE_TYPE_UNKNOWN with ERROR_INVALID_HANDLE otherwise. */
KMH_EXPORT DWORD WINAPI GetFileType(HANDLE hFile)
{
    void *body;

    if (client_handle_ref(hFile, NULL, &body))
        return client_fail(ERROR_INVALID_HANDLE), FILE_TYPE_UNKNOWN;
    nt_object_type *type = nt_object_type_of(body);
    nt_object_unref(body);
    if (type == &nt_file_type)
        return FILE_TYPE_CHAR;
    if (type == &client_host_file_type)
        return FILE_TYPE_DISK;
    return client_fail(ERROR_INVALID_HANDLE), FILE_TYPE_UNKNOWN;
}
