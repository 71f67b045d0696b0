/*
 * I/O completion ports. A port is an object of the client's own type
 * holding a queue of completion packets; a file is associated with one
 * port (and a key) through io_file's completion_port field, which holds a
 * reference to the port until the file's handle is closed. Waiters block
 * on the port's "not empty" notification event through the dispatcher, so
 * GetQueuedCompletionStatusEx can also be alertable. Closing the port's
 * last handle wakes its waiters with ERROR_ABANDONED_WAIT_0.
 */
#include "client/client.h"

#include <pthread.h>
#include <stdlib.h>

struct packet {
    LIST_ENTRY link;
    ULONG_PTR key;
    DWORD bytes;
    OVERLAPPED *ov;
    NTSTATUS status;
};

struct client_iocp {
    KEVENT not_empty;          /* notification: set while packets wait */
    pthread_mutex_t lock;
    LIST_ENTRY packets;
    bool closed;               /* its last handle is gone */
};

static void iocp_last_handle_closed(void *body)
{
    struct client_iocp *port = body;
    pthread_mutex_lock(&port->lock);
    port->closed = true;
    KeSetEvent(&port->not_empty, IO_NO_INCREMENT, FALSE);
    pthread_mutex_unlock(&port->lock);
}

static void iocp_delete(void *body)
{
    struct client_iocp *port = body;
    while (!IsListEmpty(&port->packets))
        free(CONTAINING_RECORD(RemoveHeadList(&port->packets), struct packet, link));
    pthread_mutex_destroy(&port->lock);
}

nt_object_type client_iocp_type = {
    .name = "IoCompletion",
    .pool_tag = 'pCoI',
    .last_handle_closed = iocp_last_handle_closed,
    .delete_body = iocp_delete,
};

static pthread_mutex_t association_lock = PTHREAD_MUTEX_INITIALIZER;

void client_iocp_post(struct client_iocp *port, ULONG_PTR key, DWORD bytes, OVERLAPPED *ov, NTSTATUS status)
{
    struct packet *p = malloc(sizeof(*p));
    if (!p)
        return; /* out of memory: the packet is lost, as a port out of quota loses it */
    *p = (struct packet){ .key = key, .bytes = bytes, .ov = ov, .status = status };
    pthread_mutex_lock(&port->lock);
    InsertTailList(&port->packets, &p->link);
    KeSetEvent(&port->not_empty, IO_NO_INCREMENT, FALSE);
    pthread_mutex_unlock(&port->lock);
}

struct client_iocp *client_iocp_of_file(PFILE_OBJECT file, ULONG_PTR *key)
{
    struct io_file *f = io_file_of(file);
    struct client_iocp *port;

    if (!__atomic_load_n(&f->completion_port, __ATOMIC_ACQUIRE))
        return NULL;
    pthread_mutex_lock(&association_lock);
    port = f->completion_port;
    *key = f->completion_key;
    if (port)
        nt_object_ref(port);
    pthread_mutex_unlock(&association_lock);
    return port;
}

void client_iocp_detach_file(PFILE_OBJECT file)
{
    struct io_file *f = io_file_of(file);

    pthread_mutex_lock(&association_lock);
    struct client_iocp *port = f->completion_port;
    f->completion_port = NULL;
    pthread_mutex_unlock(&association_lock);
    if (port)
        nt_object_unref(port);
}

static DWORD associate(HANDLE file_handle, struct client_iocp *port, ULONG_PTR key)
{
    void *body;
    DWORD error = 0;

    if (client_handle_ref(file_handle, &nt_file_type, &body))
        return ERROR_INVALID_HANDLE;
    struct io_file *f = io_file_of(body);
    pthread_mutex_lock(&association_lock);
    if (f->completion_port) {
        error = ERROR_INVALID_PARAMETER;
    } else {
        nt_object_ref(port);
        f->completion_key = key;
        __atomic_store_n(&f->completion_port, port, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&association_lock);
    nt_object_unref(body);
    return error;
}

static DWORD port_new(HANDLE *handle, struct client_iocp **out)
{
    struct client_iocp *port = nt_object_new(&client_iocp_type, sizeof(*port));
    if (!port)
        return ERROR_NOT_ENOUGH_MEMORY;
    KeInitializeEvent(&port->not_empty, NotificationEvent, FALSE);
    pthread_mutex_init(&port->lock, NULL);
    InitializeListHead(&port->packets);
    DWORD error = client_handle_new(port, GENERIC_ALL, CLIENT_HANDLE_OTHER, handle);
    *out = port; /* valid while the handle is open: it holds the reference now */
    nt_object_unref(port);
    return error;
}

/* Creates a port (ExistingCompletionPort NULL) and/or associates FileHandle
 * (INVALID_HANDLE_VALUE: none) with it and CompletionKey. Returns the
 * port. NULL with ERROR_INVALID_PARAMETER (a file already associated, or a
 * port without a file), ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY.
 * NumberOfConcurrentThreads is not enforced. */
KMH_EXPORT HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads)
{
    struct client_iocp *port;
    HANDLE handle = ExistingCompletionPort;
    DWORD error;

    (void)NumberOfConcurrentThreads;
    if (FileHandle == INVALID_HANDLE_VALUE && ExistingCompletionPort)
        return client_fail(ERROR_INVALID_PARAMETER), NULL;
    if (!ExistingCompletionPort) {
        if ((error = port_new(&handle, &port)) != 0)
            return client_fail(error), NULL;
    } else if (client_handle_ref(ExistingCompletionPort, &client_iocp_type, (void **)&port)) {
        return client_fail(ERROR_INVALID_HANDLE), NULL;
    }
    error = FileHandle == INVALID_HANDLE_VALUE ? 0 : associate(FileHandle, port, CompletionKey);
    if (ExistingCompletionPort)
        nt_object_unref(port);
    else if (error)
        CloseHandle(handle);
    return error ? (client_fail(error), NULL) : handle;
}

/* Queues a packet as if an I/O had completed with these values. FALSE with
 * ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                                  ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped)
{
    struct client_iocp *port;

    if (client_handle_ref(CompletionPort, &client_iocp_type, (void **)&port))
        return client_fail(ERROR_INVALID_HANDLE);
    client_iocp_post(port, dwCompletionKey, dwNumberOfBytesTransferred, lpOverlapped, STATUS_SUCCESS);
    nt_object_unref(port);
    return TRUE;
}

/* Takes up to max packets; 0 when none wait. Port lock not held. */
static ULONG take_packets(struct client_iocp *port, struct packet **out, ULONG max, bool *closed)
{
    ULONG n = 0;

    pthread_mutex_lock(&port->lock);
    while (n < max && !IsListEmpty(&port->packets))
        out[n++] = CONTAINING_RECORD(RemoveHeadList(&port->packets), struct packet, link);
    if (IsListEmpty(&port->packets) && !port->closed)
        KeResetEvent(&port->not_empty);
    *closed = port->closed;
    pthread_mutex_unlock(&port->lock);
    return n;
}

/* Waits for packets: 0 with *n set, or the Win32 error (WAIT_TIMEOUT,
 * WAIT_IO_COMPLETION as an error, ERROR_ABANDONED_WAIT_0). */
static DWORD dequeue(struct client_iocp *port, struct packet **out, ULONG max, ULONG *n, DWORD ms, bool alertable)
{
    ULONGLONG deadline = ms == INFINITE ? ~0ull : KeQueryInterruptTime() + (ULONGLONG)ms * 10000;
    bool closed;

    for (;;) {
        if ((*n = take_packets(port, out, max, &closed)) != 0)
            return 0;
        if (closed)
            return ERROR_ABANDONED_WAIT_0;
        ULONGLONG now = KeQueryInterruptTime();
        DWORD left = deadline == ~0ull ? INFINITE : now >= deadline ? 0 : (DWORD)((deadline - now + 9999) / 10000);
        void *object = &port->not_empty;
        DWORD result = client_wait_objects(1, &object, false, left, alertable);
        if (result == WAIT_TIMEOUT || result == WAIT_IO_COMPLETION)
            return result;
        if (result == WAIT_FAILED)
            return GetLastError();
    }
}

/* Takes one packet. TRUE for a successful I/O (or a posted packet); FALSE
 * with *lpOverlapped set and the I/O's error for a failed one; FALSE with
 * *lpOverlapped NULL and WAIT_TIMEOUT, ERROR_ABANDONED_WAIT_0 (the port
 * closed) or ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                                 PULONG_PTR lpCompletionKey, LPOVERLAPPED *lpOverlapped,
                                                 DWORD dwMilliseconds)
{
    struct client_iocp *port;
    struct packet *p;
    ULONG n;

    *lpOverlapped = NULL;
    if (client_handle_ref(CompletionPort, &client_iocp_type, (void **)&port))
        return client_fail(ERROR_INVALID_HANDLE);
    DWORD error = dequeue(port, &p, 1, &n, dwMilliseconds, false);
    nt_object_unref(port);
    if (error)
        return client_fail(error);
    *lpNumberOfBytesTransferred = p->bytes;
    *lpCompletionKey = p->key;
    *lpOverlapped = p->ov;
    NTSTATUS status = p->status;
    free(p);
    return NT_SUCCESS(status) ? TRUE : client_fail_status(status);
}

/* Takes up to ulCount packets, whatever their I/O's status (each entry
 * carries it in Internal). FALSE with WAIT_TIMEOUT, WAIT_IO_COMPLETION
 * (fAlertable: APCs ran), ERROR_ABANDONED_WAIT_0, ERROR_INVALID_HANDLE or
 * ERROR_INVALID_PARAMETER (no entries). */
KMH_EXPORT BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort, LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                   ULONG ulCount, PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
                                                   BOOL fAlertable)
{
    struct client_iocp *port;
    struct packet *batch[64];
    ULONG n;

    *ulNumEntriesRemoved = 0;
    if (!lpCompletionPortEntries || ulCount == 0)
        return client_fail(ERROR_INVALID_PARAMETER);
    if (client_handle_ref(CompletionPort, &client_iocp_type, (void **)&port))
        return client_fail(ERROR_INVALID_HANDLE);
    DWORD error = dequeue(port, batch, ulCount < 64 ? ulCount : 64, &n, dwMilliseconds, fAlertable);
    nt_object_unref(port);
    if (error)
        return client_fail(error);
    for (ULONG i = 0; i < n; i++) {
        lpCompletionPortEntries[i] = (OVERLAPPED_ENTRY){
            .lpCompletionKey = batch[i]->key, .lpOverlapped = batch[i]->ov,
            .Internal = (ULONG_PTR)(ULONG)batch[i]->status, .dwNumberOfBytesTransferred = batch[i]->bytes,
        };
        free(batch[i]);
    }
    *ulNumEntriesRemoved = n;
    return TRUE;
}
