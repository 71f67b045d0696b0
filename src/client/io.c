/*
 * Device I/O: DeviceIoControl, ReadFile, WriteFile and their Ex forms, as
 * requests to the I/O manager (io_send_request) on the file object behind
 * the handle.
 *
 * On a file opened without FILE_FLAG_OVERLAPPED the call waits. On an
 * overlapped file the call returns as soon as the driver pends the IRP
 * (FALSE with ERROR_IO_PENDING); when it completes, in the completing
 * thread, the client writes OVERLAPPED.InternalHigh (bytes) and Internal
 * (the status) and then notifies, as the I/O manager does: the caller's
 * hEvent (reset when the request was issued) or else the file object's own
 * event, a packet to the file's completion port (unless hEvent has its low
 * bit set), and for ReadFileEx/WriteFileEx an APC to the issuing thread.
 * A request that completes at once notifies the same way unless it failed:
 * an immediate failure is only the call's return value, as on Windows.
 */
#include "client/client.h"

#include <stdlib.h>

enum io_kind { IO_IOCTL, IO_READ, IO_WRITE };

struct client_io {
    OVERLAPPED *ov;
    PFILE_OBJECT file;                       /* referenced */
    PKEVENT event;                           /* the caller's, referenced; NULL: the file's */
    struct client_iocp *port;                /* referenced, or NULL */
    ULONG_PTR key;
    struct client_apc_queue *apcs;           /* ReadFileEx/WriteFileEx: the issuer's */
    LPOVERLAPPED_COMPLETION_ROUTINE routine;
    WORK_QUEUE_ITEM release;
};

static void io_free(struct client_io *io)
{
    nt_object_unref(io->file);
    free(io);
}

static void io_release_work(PVOID context)
{
    io_free(context);
}

/* Dropping the file reference may be the last one, which sends IRP_MJ_CLOSE
 * and waits: never from a thread completing at raised IRQL or holding a
 * driver's lock. */
static void io_release(struct client_io *io)
{
    if (io->event)
        nt_object_unref(io->event);
    if (io->port)
        nt_object_unref(io->port);
    if (io->apcs)
        client_apc_queue_unref(io->apcs);
    if (KeGetCurrentIrql() == PASSIVE_LEVEL && !KeAreApcsDisabled()) {
        io_free(io);
        return;
    }
    ExInitializeWorkItem(&io->release, io_release_work, io);
    ExQueueWorkItem(&io->release, DelayedWorkQueue);
}

static void run_completion_routine(void *ov, ULONG_PTR routine, ULONG_PTR error_and_bytes)
{
    ((LPOVERLAPPED_COMPLETION_ROUTINE)routine)((DWORD)(error_and_bytes >> 32), (DWORD)error_and_bytes, ov);
}

static void io_write_status(OVERLAPPED *ov, NTSTATUS status, ULONG_PTR information)
{
    ov->InternalHigh = information;
    __atomic_store_n(&ov->Internal, (ULONG_PTR)(ULONG)status, __ATOMIC_RELEASE);
}

/* The request is over and did not fail at once: tell everyone who waits. */
static void io_notify(struct client_io *io, NTSTATUS status, ULONG_PTR information)
{
    io_write_status(io->ov, status, information);
    KeSetEvent(io->event ? io->event : &io->file->Event, IO_NO_INCREMENT, FALSE);
    if (io->port)
        client_iocp_post(io->port, io->key, (DWORD)information, io->ov, status);
    if (io->apcs) {
        ULONG_PTR packed = ((ULONG_PTR)RtlNtStatusToDosError(status) << 32) | (DWORD)information;
        client_apc_queue_push(io->apcs, run_completion_routine, io->ov, (ULONG_PTR)io->routine, packed);
    }
}

static void io_on_complete(void *ctx, NTSTATUS status, ULONG_PTR information)
{
    io_notify(ctx, status, information);
    io_release(ctx);
}

/* Sets up the notifications of an overlapped request. */
static DWORD io_prepare(struct client_io *io, LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    HANDLE event = routine ? NULL : (HANDLE)((ULONG_PTR)io->ov->hEvent & ~(ULONG_PTR)1);
    bool skip_port = routine || ((ULONG_PTR)io->ov->hEvent & 1);

    if (event && client_handle_ref(event, &nt_event_type, (void **)&io->event))
        return ERROR_INVALID_HANDLE;
    if (!skip_port)
        io->port = client_iocp_of_file(io->file, &io->key);
    if (routine) {
        io->routine = routine;
        if (!(io->apcs = client_apc_queue_current()))
            return ERROR_NOT_ENOUGH_MEMORY;
    }
    KeResetEvent(io->event ? io->event : &io->file->Event);
    io->ov->InternalHigh = 0;
    __atomic_store_n(&io->ov->Internal, (ULONG_PTR)STATUS_PENDING, __ATOMIC_RELEASE);
    return 0;
}

/* What the call returns for a request that did not pend (Windows' rules:
 * DeviceIoControl succeeds on a warning when overlapped; ReadFile at the
 * end of a synchronous file reads 0 bytes successfully). */
static BOOL io_result(enum io_kind kind, bool overlapped, NTSTATUS status, ULONG_PTR information, DWORD *done)
{
    bool ok = kind == IO_IOCTL && overlapped ? !NT_ERROR(status) : NT_SUCCESS(status);

    if (done)
        *done = ok || NT_WARNING(status) ? (DWORD)information : 0;
    if (ok)
        return TRUE;
    if (kind == IO_READ && status == STATUS_END_OF_FILE && !overlapped) {
        if (done)
            *done = 0;
        return TRUE;
    }
    return client_fail_status(status);
}

/* An overlapped request on an overlapped file. */
static BOOL io_submit_async(struct client_io *io, enum io_kind kind, struct io_request *r, DWORD *done,
                            LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    ULONG_PTR information;
    DWORD error = io_prepare(io, routine);

    if (error) {
        io_release(io);
        return client_fail(error);
    }
    r->on_complete = io_on_complete;
    r->ctx = io;
    NTSTATUS status = io_send_request(io->file, r, &information);
    if (status == STATUS_PENDING)
        return routine ? (SetLastError(0), TRUE) : client_fail(ERROR_IO_PENDING);
    if (NT_ERROR(status))
        io_write_status(io->ov, status, information);
    else
        io_notify(io, status, information);
    io_release(io);
    return routine ? (NT_ERROR(status) ? client_fail_status(status) : TRUE)
                   : io_result(kind, true, status, information, done);
}

/* A request that waits: a synchronous file, or no OVERLAPPED. */
static BOOL io_submit_sync(struct client_io *io, enum io_kind kind, struct io_request *r, DWORD *done)
{
    ULONG_PTR information;
    NTSTATUS status = io_send_request(io->file, r, &information);
    void *event;

    if (io->ov) {
        io_write_status(io->ov, status, information);
        if (io->ov->hEvent && !client_handle_ref((HANDLE)((ULONG_PTR)io->ov->hEvent & ~(ULONG_PTR)1),
                                                 &nt_event_type, &event)) {
            KeSetEvent(event, IO_NO_INCREMENT, FALSE);
            nt_object_unref(event);
        }
    }
    io_release(io);
    return io_result(kind, false, status, information, done);
}

static BOOL io_submit(HANDLE handle, enum io_kind kind, struct io_request *r, OVERLAPPED *ov, DWORD *done,
                      LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    void *body;
    struct client_io *io;

    if (done)
        *done = 0;
    if (client_handle_ref(handle, NULL, &body))
        return client_fail(ERROR_INVALID_HANDLE);
    if (nt_object_type_of(body) == &client_host_file_type && kind != IO_IOCTL) {
        BOOL ok = client_host_file_transfer(body, kind == IO_WRITE, r->out, r->out_length, done, ov);
        nt_object_unref(body);
        return ok;
    }
    if (nt_object_type_of(body) != &nt_file_type) {
        nt_object_unref(body);
        return client_fail(kind == IO_IOCTL ? ERROR_INVALID_FUNCTION : ERROR_INVALID_HANDLE);
    }
    if (!(io = calloc(1, sizeof(*io)))) {
        nt_object_unref(body);
        return client_fail(ERROR_NOT_ENOUGH_MEMORY);
    }
    io->file = body;
    io->ov = ov;
    r->mode = UserMode;
    r->offset.QuadPart = ov ? (LONGLONG)(((ULONGLONG)ov->OffsetHigh << 32) | ov->Offset) : -2;
    if (ov && !io_file_of(body)->synchronous)
        return io_submit_async(io, kind, r, done, routine);
    if (routine) { /* completion routines need an overlapped file */
        io_release(io);
        return client_fail(ERROR_INVALID_PARAMETER);
    }
    return io_submit_sync(io, kind, r, done);
}

/* Sends IOCTL dwIoControlCode with the buffers as its transfer method says
 * (buffered, direct, neither). Synchronous: TRUE with *lpBytesReturned, or
 * FALSE with the driver's status as a Win32 error (a warning such as
 * STATUS_BUFFER_OVERFLOW still reports the bytes: ERROR_MORE_DATA).
 * Overlapped: FALSE with ERROR_IO_PENDING while the driver holds it.
 * ERROR_INVALID_HANDLE for a handle that is not a device's. */
KMH_EXPORT BOOL WINAPI DeviceIoControl(HANDLE hDevice, DWORD dwIoControlCode, LPVOID lpInBuffer,
                                       DWORD nInBufferSize, LPVOID lpOutBuffer, DWORD nOutBufferSize,
                                       LPDWORD lpBytesReturned, LPOVERLAPPED lpOverlapped)
{
    struct io_request r = {
        .major = IRP_MJ_DEVICE_CONTROL, .code = dwIoControlCode,
        .in = lpInBuffer, .in_length = nInBufferSize, .out = lpOutBuffer, .out_length = nOutBufferSize,
    };
    return io_submit(hDevice, IO_IOCTL, &r, lpOverlapped, lpBytesReturned, NULL);
}

/* Reads up to nNumberOfBytesToRead (IRP_MJ_READ; OVERLAPPED's Offset is the
 * byte offset). Results as DeviceIoControl; a synchronous read at the end
 * of file succeeds with 0 bytes, an overlapped one fails with
 * ERROR_HANDLE_EOF. */
KMH_EXPORT BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped)
{
    struct io_request r = { .major = IRP_MJ_READ, .out = lpBuffer, .out_length = nNumberOfBytesToRead };
    return io_submit(hFile, IO_READ, &r, lpOverlapped, lpNumberOfBytesRead, NULL);
}

/* Writes nNumberOfBytesToWrite (IRP_MJ_WRITE). Results as ReadFile. */
KMH_EXPORT BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                 LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped)
{
    struct io_request r = { .major = IRP_MJ_WRITE, .out = (void *)lpBuffer, .out_length = nNumberOfBytesToWrite };
    return io_submit(hFile, IO_WRITE, &r, lpOverlapped, lpNumberOfBytesWritten, NULL);
}

/* Reads as ReadFile on an overlapped handle; when the read completes (at
 * once or later), lpCompletionRoutine(error, bytes, lpOverlapped) is
 * queued to this thread and runs at its next alertable wait. hEvent is the
 * caller's to use. TRUE when the read is under way or done; FALSE with
 * ERROR_INVALID_PARAMETER (no OVERLAPPED or routine) or the driver's
 * immediate failure (then no routine runs). */
KMH_EXPORT BOOL WINAPI ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                  LPOVERLAPPED lpOverlapped, LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct io_request r = { .major = IRP_MJ_READ, .out = lpBuffer, .out_length = nNumberOfBytesToRead };
    if (!lpOverlapped || !lpCompletionRoutine)
        return client_fail(ERROR_INVALID_PARAMETER);
    return io_submit(hFile, IO_READ, &r, lpOverlapped, NULL, lpCompletionRoutine);
}

/* Writes as WriteFile, completing as ReadFileEx does. */
KMH_EXPORT BOOL WINAPI WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                   LPOVERLAPPED lpOverlapped, LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct io_request r = { .major = IRP_MJ_WRITE, .out = (void *)lpBuffer, .out_length = nNumberOfBytesToWrite };
    if (!lpOverlapped || !lpCompletionRoutine)
        return client_fail(ERROR_INVALID_PARAMETER);
    return io_submit(hFile, IO_WRITE, &r, lpOverlapped, NULL, lpCompletionRoutine);
}
