/*
 * Asynchronous PnP work — re-enumeration after IoInvalidateDeviceRelations,
 * deferred removals, notifications — runs on system worker threads, as the
 * PnP manager's own worker does; pnp_wait_idle lets a caller wait for it.
 */
#include "pnp/pnp_private.h"

#include <stdlib.h>

struct pnp_work {
    WORK_QUEUE_ITEM item;
    void (*fn)(void *ctx);
    void *ctx;
};

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_idle = PTHREAD_COND_INITIALIZER;
static unsigned queued;

static void pnp_work_run(PVOID parameter)
{
    struct pnp_work *work = parameter;
    work->fn(work->ctx);
    free(work);
    pthread_mutex_lock(&queue_lock);
    if (--queued == 0)
        pthread_cond_broadcast(&queue_idle);
    pthread_mutex_unlock(&queue_lock);
}

void pnp_queue_work(void (*fn)(void *ctx), void *ctx)
{
    struct pnp_work *work = malloc(sizeof(*work));
    if (!work) {
        kmh_log(KMH_LOG_ERROR, "pnp", "out of memory queueing PnP work; running it inline");
        fn(ctx);
        return;
    }
    work->fn = fn;
    work->ctx = ctx;
    pthread_mutex_lock(&queue_lock);
    queued++;
    pthread_mutex_unlock(&queue_lock);
    ExInitializeWorkItem(&work->item, pnp_work_run, work);
    ExQueueWorkItem(&work->item, DelayedWorkQueue);
}

void pnp_wait_idle(void)
{
    pthread_mutex_lock(&queue_lock);
    while (queued)
        pthread_cond_wait(&queue_idle, &queue_lock);
    pthread_mutex_unlock(&queue_lock);
}
