/*
 * System work items (ExQueueWorkItem): routines run at PASSIVE_LEVEL on a
 * small pool of worker threads (role "worker N"). Each queue type keeps
 * its items in FIFO order; a free worker takes the oldest item of the most
 * urgent non-empty queue (hypercritical, then critical, then delayed).
 *
 * Work items often wait for one another (an item waits on an event that a
 * later item sets), so a fixed pool could deadlock: like Windows, the pool
 * grows when items wait and no worker is idle, up to MAX_WORKERS.
 */
#include "nt/kernel.h"

#include <errno.h>
#include <stdio.h>

#define MIN_WORKERS 2
#define MAX_WORKERS 16

enum { URGENT, NORMAL, DELAYED, QUEUE_COUNT };

static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;   /* items to run, or exit */
static pthread_cond_t idle_cond = PTHREAD_COND_INITIALIZER;   /* nothing queued or running */
static LIST_ENTRY work_queues[QUEUE_COUNT] = {
    { &work_queues[URGENT], &work_queues[URGENT] },
    { &work_queues[NORMAL], &work_queues[NORMAL] },
    { &work_queues[DELAYED], &work_queues[DELAYED] },
};
static unsigned queued, running, idle;
static unsigned worker_count;
static bool work_exit, pool_up;
static pthread_t workers[MAX_WORKERS];

static int queue_index(WORK_QUEUE_TYPE type)
{
    switch (type) {
    case HyperCriticalWorkQueue:
    case RealTimeWorkQueue:
    case SuperCriticalWorkQueue:
        return URGENT;
    case CriticalWorkQueue:
    case NormalWorkQueue:
        return NORMAL;
    default:
        return DELAYED;
    }
}

/* Work lock held. */
static PWORK_QUEUE_ITEM take_item(void)
{
    for (int i = 0; i < QUEUE_COUNT; i++)
        if (!IsListEmpty(&work_queues[i]))
            return kmh_container_of(RemoveHeadList(&work_queues[i]), WORK_QUEUE_ITEM, List);
    return NULL;
}

static void run_item(PWORK_QUEUE_ITEM item)
{
    PWORKER_THREAD_ROUTINE routine = item->WorkerRoutine;
    PVOID parameter = item->Parameter;

    /* The routine may free or requeue its item: nothing touches it after. */
    item->List.Flink = NULL;
    routine(parameter);
    nt_thread_check_return("work item", (void *)routine, PASSIVE_LEVEL);
}

static void *worker_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&work_lock);
    for (;;) {
        PWORK_QUEUE_ITEM item;
        while (!(item = take_item()) && !work_exit) {
            idle++;
            pthread_cond_wait(&work_cond, &work_lock);
            idle--;
        }
        if (!item)
            break;
        queued--;
        running++;
        pthread_mutex_unlock(&work_lock);
        run_item(item);
        pthread_mutex_lock(&work_lock);
        running--;
        if (!queued && !running)
            pthread_cond_broadcast(&idle_cond);
    }
    pthread_mutex_unlock(&work_lock);
    return NULL;
}

/* Work lock held. */
static int add_worker(void)
{
    char role[32];

    if (worker_count >= MAX_WORKERS)
        return -EAGAIN;
    snprintf(role, sizeof(role), "worker %u", worker_count + 1);
    int err = nt_thread_spawn(&workers[worker_count], role, worker_thread, NULL);
    if (!err)
        worker_count++;
    return err;
}

int nt_worker_start(void)
{
    int err = 0;

    pthread_mutex_lock(&work_lock);
    work_exit = false;
    pool_up = true;
    while (worker_count < MIN_WORKERS && !err)
        err = add_worker();
    pthread_mutex_unlock(&work_lock);
    if (err)
        nt_worker_stop();
    return err;
}

/* Workers run what is queued before they see the exit flag. */
void nt_worker_stop(void)
{
    pthread_mutex_lock(&work_lock);
    work_exit = true;
    pool_up = false;
    pthread_cond_broadcast(&work_cond);
    unsigned count = worker_count;
    pthread_mutex_unlock(&work_lock);
    for (unsigned i = 0; i < count; i++)
        pthread_join(workers[i], NULL);
    pthread_mutex_lock(&work_lock);
    worker_count = 0;
    pthread_mutex_unlock(&work_lock);
}

void nt_worker_wait_idle(void)
{
    pthread_mutex_lock(&work_lock);
    while (queued || running)
        pthread_cond_wait(&idle_cond, &work_lock);
    pthread_mutex_unlock(&work_lock);
}

bool nt_worker_is_idle(void)
{
    pthread_mutex_lock(&work_lock);
    bool is_idle = !queued && !running;
    pthread_mutex_unlock(&work_lock);
    return is_idle;
}

/* Queues WorkItem (prepared with ExInitializeWorkItem) to run its routine
 * at PASSIVE_LEVEL on a worker thread, after the items already in the
 * same queue type. IRQL <= DISPATCH_LEVEL. An item without a routine, or
 * still queued (List.Flink set: Windows bug checks WORKER_INVALID), is a
 * verifier report and is not queued. */
KMH_EXPORT void ExQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType)
{
    void *caller = __builtin_return_address(0);

    NT_CHECK_IRQL(DISPATCH_LEVEL, "ExQueueWorkItem");
    if (!WorkItem || !WorkItem->WorkerRoutine) {
        vf_report(VF_OBJECT, "ExQueueWorkItem", caller, "work item %p has no routine", (void *)WorkItem);
        return;
    }
    if (WorkItem->List.Flink) {
        vf_report(VF_OBJECT, "ExQueueWorkItem", caller, "work item %p is already queued",
                  (void *)WorkItem);
        return;
    }
    nt_runtime_ensure();
    pthread_mutex_lock(&work_lock);
    InsertTailList(&work_queues[queue_index(QueueType)], &WorkItem->List);
    queued++;
    if (pool_up && queued > idle)
        add_worker(); /* at the limit, the item waits for a worker */
    pthread_cond_signal(&work_cond);
    pthread_mutex_unlock(&work_lock);
}
