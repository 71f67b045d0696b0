/*
 * Threads. CreateThread starts a pthread whose handle is the thread's own
 * kernel thread object (nt_thread_type): the executive gives every thread
 * that calls into kmhost one, and signals it when the thread ends, so a
 * program waits on a thread handle as on Windows and a driver may
 * reference it. The thread fetches its object itself (PsGetCurrentThread)
 * and hands it to its creator before running the program's routine.
 *
 * The client keeps a record per thread it started, for what the kernel
 * object does not carry: the Win32 exit code, the suspend count of
 * CREATE_SUSPENDED, and the thread's APC queue (QueueUserAPC). The record
 * goes when the thread has ended and its handle is closed.
 */
#include "client/client.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct client_thread {
    LIST_ENTRY link;
    PETHREAD thread;            /* referenced */
    LPTHREAD_START_ROUTINE routine;
    LPVOID parameter;
    DWORD exit_code;
    bool ended;
    bool handle_closed;
    LONG suspend_count;
    KEVENT started;             /* the thread object is known */
    KEVENT resumed;             /* CREATE_SUSPENDED: ResumeThread released it */
    struct client_apc_queue *apcs;
};

static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_ENTRY threads = { &threads, &threads };
static __thread struct client_thread *self;

/* Threads lock held. */
static struct client_thread *find(const void *thread_body)
{
    for (PLIST_ENTRY e = threads.Flink; e != &threads; e = e->Flink) {
        struct client_thread *t = CONTAINING_RECORD(e, struct client_thread, link);
        if ((void *)t->thread == thread_body)
            return t;
    }
    return NULL;
}

/* Threads lock held: frees the record once nothing needs it. */
static void maybe_free(struct client_thread *t)
{
    if (!t->ended || !t->handle_closed)
        return;
    RemoveEntryList(&t->link);
    if (t->apcs)
        client_apc_queue_unref(t->apcs);
    ObfDereferenceObject(t->thread);
    free(t);
}

static void thread_finish(struct client_thread *t, DWORD code)
{
    pthread_mutex_lock(&threads_lock);
    t->exit_code = code;
    t->ended = true;
    maybe_free(t);
    pthread_mutex_unlock(&threads_lock);
    self = NULL;
}

static void *thread_main(void *arg)
{
    struct client_thread *t = arg;

    self = t;
    t->thread = PsGetCurrentThread();
    ObfReferenceObject(t->thread);
    t->apcs = client_apc_queue_current();
    KeSetEvent(&t->started, IO_NO_INCREMENT, FALSE);
    if (t->suspend_count > 0)
        KeWaitForSingleObject(&t->resumed, UserRequest, UserMode, FALSE, NULL);
    thread_finish(t, t->routine(t->parameter));
    return NULL;
}

static int start_pthread(struct client_thread *t, SIZE_T stack_size)
{
    pthread_attr_t attr;
    pthread_t tid;

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (stack_size)
        pthread_attr_setstacksize(&attr, stack_size < (SIZE_T)PTHREAD_STACK_MIN ? (SIZE_T)PTHREAD_STACK_MIN : stack_size);
    int err = pthread_create(&tid, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    return err;
}

static struct client_thread *record_new(LPTHREAD_START_ROUTINE routine, LPVOID parameter, DWORD flags)
{
    struct client_thread *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->routine = routine;
    t->parameter = parameter;
    t->suspend_count = (flags & CREATE_SUSPENDED) ? 1 : 0;
    KeInitializeEvent(&t->started, NotificationEvent, FALSE);
    KeInitializeEvent(&t->resumed, NotificationEvent, FALSE);
    pthread_mutex_lock(&threads_lock);
    InsertTailList(&threads, &t->link);
    pthread_mutex_unlock(&threads_lock);
    return t;
}

/* No handle could be made: the thread runs on (released if suspended)
 * and its record goes when it ends. */
static void record_abandon(struct client_thread *t)
{
    pthread_mutex_lock(&threads_lock);
    t->suspend_count = 0;
    KeSetEvent(&t->resumed, IO_NO_INCREMENT, FALSE);
    t->handle_closed = true;
    maybe_free(t);
    pthread_mutex_unlock(&threads_lock);
}

/* Starts lpStartAddress(lpParameter) in a new thread; its ID goes to
 * *lpThreadId (may be NULL). CREATE_SUSPENDED holds it until ResumeThread.
 * The handle is signalled when the thread ends. NULL with
 * ERROR_INVALID_PARAMETER (no routine) or ERROR_NOT_ENOUGH_MEMORY. */
KMH_EXPORT HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                                      LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                                      DWORD dwCreationFlags, LPDWORD lpThreadId)
{
    struct client_thread *t;
    HANDLE handle;

    (void)lpThreadAttributes;
    if (!lpStartAddress)
        return client_fail(ERROR_INVALID_PARAMETER), NULL;
    if (!(t = record_new(lpStartAddress, lpParameter, dwCreationFlags)))
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL;
    if (start_pthread(t, dwStackSize)) {
        pthread_mutex_lock(&threads_lock);
        RemoveEntryList(&t->link);
        pthread_mutex_unlock(&threads_lock);
        free(t);
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL;
    }
    KeWaitForSingleObject(&t->started, UserRequest, UserMode, FALSE, NULL);
    DWORD id = HandleToULong(PsGetThreadId(t->thread));
    DWORD error = client_handle_new(t->thread, THREAD_ALL_ACCESS, CLIENT_HANDLE_OTHER, &handle);
    if (error) {
        record_abandon(t);
        return client_fail(error), NULL;
    }
    if (lpThreadId)
        *lpThreadId = id;
    return handle;
}

void client_thread_handle_closed(void *thread_body)
{
    pthread_mutex_lock(&threads_lock);
    struct client_thread *t = find(thread_body);
    if (t) {
        t->handle_closed = true;
        maybe_free(t);
    }
    pthread_mutex_unlock(&threads_lock);
}

struct client_apc_queue *client_thread_apc_queue(void *thread_body)
{
    struct client_apc_queue *queue = NULL;

    if (thread_body == (void *)KeGetCurrentThread())
        return client_apc_queue_current();
    pthread_mutex_lock(&threads_lock);
    struct client_thread *t = find(thread_body);
    if (t && t->apcs) {
        queue = t->apcs;
        client_apc_queue_ref(queue);
    }
    pthread_mutex_unlock(&threads_lock);
    return queue;
}

/* Releases a CREATE_SUSPENDED thread: returns the previous suspend count
 * (1 when this resumed it, 0 when it was running), or (DWORD)-1 with
 * ERROR_INVALID_HANDLE. */
KMH_EXPORT DWORD WINAPI ResumeThread(HANDLE hThread)
{
    void *body;
    DWORD previous = (DWORD)-1;

    if (client_handle_ref(hThread, &nt_thread_type, &body))
        return client_fail(ERROR_INVALID_HANDLE), (DWORD)-1;
    pthread_mutex_lock(&threads_lock);
    struct client_thread *t = find(body);
    previous = t ? (DWORD)t->suspend_count : 0;
    if (t && t->suspend_count > 0 && --t->suspend_count == 0)
        KeSetEvent(&t->resumed, IO_NO_INCREMENT, FALSE);
    pthread_mutex_unlock(&threads_lock);
    nt_object_unref(body);
    return previous;
}

/* Ends the calling thread with dwExitCode (GetExitCodeThread reports it);
 * its handle is signalled. */
KMH_EXPORT DECLSPEC_NORETURN VOID WINAPI ExitThread(DWORD dwExitCode)
{
    if (self)
        thread_finish(self, dwExitCode);
    pthread_exit(NULL);
}

/* *lpExitCode gets STILL_ACTIVE while the thread runs, then its exit code
 * (0 for threads the client did not start). FALSE with
 * ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode)
{
    void *body;

    if (client_handle_ref(hThread, &nt_thread_type, &body))
        return client_fail(ERROR_INVALID_HANDLE);
    bool ended = KeReadStateEvent((PRKEVENT)body) != 0; /* the thread object's state */
    pthread_mutex_lock(&threads_lock);
    struct client_thread *t = find(body);
    DWORD code = t && t->ended ? t->exit_code : ended ? 0 : STILL_ACTIVE;
    pthread_mutex_unlock(&threads_lock);
    nt_object_unref(body);
    *lpExitCode = code;
    return TRUE;
}

/* The calling thread's pseudo handle ((HANDLE)-2). */
KMH_EXPORT HANDLE WINAPI GetCurrentThread(VOID)
{
    return CLIENT_CURRENT_THREAD;
}

/* The calling thread's ID, the one drivers see (PsGetCurrentThreadId). */
KMH_EXPORT DWORD WINAPI GetCurrentThreadId(VOID)
{
    return HandleToULong(PsGetCurrentThreadId());
}

/* The ID of a thread handle, or 0 with ERROR_INVALID_HANDLE. */
KMH_EXPORT DWORD WINAPI GetThreadId(HANDLE Thread)
{
    void *body;

    if (Thread == CLIENT_CURRENT_THREAD)
        return GetCurrentThreadId();
    if (client_handle_ref(Thread, &nt_thread_type, &body))
        return client_fail(ERROR_INVALID_HANDLE);
    DWORD id = HandleToULong(PsGetThreadId(body));
    nt_object_unref(body);
    return id;
}

/* The process pseudo handle ((HANDLE)-1). */
KMH_EXPORT HANDLE WINAPI GetCurrentProcess(VOID)
{
    return CLIENT_CURRENT_PROCESS;
}

/* The process ID (the Linux one, as drivers see it). */
KMH_EXPORT DWORD WINAPI GetCurrentProcessId(VOID)
{
    return (DWORD)getpid();
}

/* Ends the process with uExitCode: atexit handlers run, among them the
 * client's, which closes open handles and stops the devices. */
KMH_EXPORT DECLSPEC_NORETURN VOID WINAPI ExitProcess(UINT uExitCode)
{
    exit((int)uExitCode);
}
