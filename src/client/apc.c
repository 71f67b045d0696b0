/*
 * User APCs: each program thread that issues ReadFileEx/WriteFileEx or
 * waits alertably gets a queue; completion routines and QueueUserAPC
 * routines are queued to it from any thread and run in it when it next
 * waits alertably (SleepEx, WaitFor*Ex, GetQueuedCompletionStatusEx,
 * GetOverlappedResultEx with bAlertable TRUE), as Windows delivers user
 * APCs. The queue's event (a synchronization event) is what an alertable
 * wait adds to the objects it waits on. A queue outlives its thread while
 * requests still hold it; what is queued after the thread ended is
 * dropped, as Windows drops the APCs of a terminated thread.
 */
#include "client/client.h"

#include <pthread.h>
#include <stdlib.h>

struct client_apc {
    LIST_ENTRY link;
    void (*routine)(void *, ULONG_PTR, ULONG_PTR);
    void *arg1;
    ULONG_PTR arg2, arg3;
};

struct client_apc_queue {
    KEVENT event;
    pthread_mutex_t lock;
    LIST_ENTRY apcs;
    bool dead;          /* its thread ended */
    _Atomic long refs;
};

static __thread struct client_apc_queue *thread_queue;
static pthread_key_t queue_key;
static pthread_once_t queue_key_once = PTHREAD_ONCE_INIT;

static void free_entries(LIST_ENTRY *list)
{
    while (!IsListEmpty(list))
        free(CONTAINING_RECORD(RemoveHeadList(list), struct client_apc, link));
}

void client_apc_queue_ref(struct client_apc_queue *queue)
{
    queue->refs++;
}

void client_apc_queue_unref(struct client_apc_queue *queue)
{
    if (--queue->refs > 0)
        return;
    free_entries(&queue->apcs);
    pthread_mutex_destroy(&queue->lock);
    free(queue);
}

/* The thread ended: nothing queued from now on can run. */
static void thread_ended(void *value)
{
    struct client_apc_queue *queue = value;

    pthread_mutex_lock(&queue->lock);
    queue->dead = true;
    free_entries(&queue->apcs);
    pthread_mutex_unlock(&queue->lock);
    thread_queue = NULL;
    client_apc_queue_unref(queue);
}

static void make_key(void)
{
    if (pthread_key_create(&queue_key, thread_ended) != 0)
        abort();
}

struct client_apc_queue *client_apc_queue_current(void)
{
    struct client_apc_queue *queue = thread_queue;

    if (!queue) {
        pthread_once(&queue_key_once, make_key);
        if (!(queue = calloc(1, sizeof(*queue))))
            return NULL;
        KeInitializeEvent(&queue->event, SynchronizationEvent, FALSE);
        pthread_mutex_init(&queue->lock, NULL);
        InitializeListHead(&queue->apcs);
        queue->refs = 1; /* the thread's */
        thread_queue = queue;
        pthread_setspecific(queue_key, queue);
    }
    client_apc_queue_ref(queue);
    return queue;
}

PKEVENT client_apc_event(struct client_apc_queue *queue)
{
    return &queue->event;
}

DWORD client_apc_queue_push(struct client_apc_queue *queue, void (*routine)(void *, ULONG_PTR, ULONG_PTR),
                            void *arg1, ULONG_PTR arg2, ULONG_PTR arg3)
{
    struct client_apc *apc = malloc(sizeof(*apc));

    if (!apc)
        return ERROR_NOT_ENOUGH_MEMORY;
    *apc = (struct client_apc){ .routine = routine, .arg1 = arg1, .arg2 = arg2, .arg3 = arg3 };
    pthread_mutex_lock(&queue->lock);
    if (queue->dead) {
        pthread_mutex_unlock(&queue->lock);
        free(apc);
        return 0;
    }
    InsertTailList(&queue->apcs, &apc->link);
    pthread_mutex_unlock(&queue->lock);
    KeSetEvent(&queue->event, IO_NO_INCREMENT, FALSE);
    return 0;
}

bool client_apc_run_pending(void)
{
    struct client_apc_queue *queue = thread_queue;
    LIST_ENTRY batch;
    bool ran = false;

    if (!queue)
        return false;
    /* Routines may queue more APCs (another ReadFileEx): take what is
     * there now, run it, and look again. */
    for (;;) {
        InitializeListHead(&batch);
        pthread_mutex_lock(&queue->lock);
        while (!IsListEmpty(&queue->apcs))
            InsertTailList(&batch, RemoveHeadList(&queue->apcs));
        pthread_mutex_unlock(&queue->lock);
        if (IsListEmpty(&batch))
            return ran;
        while (!IsListEmpty(&batch)) {
            struct client_apc *apc = CONTAINING_RECORD(RemoveHeadList(&batch), struct client_apc, link);
            apc->routine(apc->arg1, apc->arg2, apc->arg3);
            free(apc);
            ran = true;
        }
    }
}

static void run_user_apc(void *unused, ULONG_PTR routine, ULONG_PTR data)
{
    (void)unused;
    ((PAPCFUNC)routine)(data);
}

/* Queues pfnAPC(dwData) to run in hThread at its next alertable wait.
 * Threads CreateThread started and the calling thread (GetCurrentThread)
 * can be reached. Returns non-zero; 0 with ERROR_INVALID_HANDLE or
 * ERROR_INVALID_PARAMETER (no routine). */
KMH_EXPORT DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData)
{
    struct client_apc_queue *queue = NULL;
    void *thread;

    if (!pfnAPC)
        return client_fail(ERROR_INVALID_PARAMETER);
    if (hThread == CLIENT_CURRENT_THREAD) {
        queue = client_apc_queue_current();
    } else if (client_handle_ref(hThread, &nt_thread_type, &thread) == 0) {
        queue = client_thread_apc_queue(thread);
        nt_object_unref(thread);
    }
    if (!queue)
        return client_fail(ERROR_INVALID_HANDLE);
    DWORD error = client_apc_queue_push(queue, run_user_apc, NULL, (ULONG_PTR)pfnAPC, dwData);
    client_apc_queue_unref(queue);
    return error ? client_fail(error) : 1;
}
