/*
 * Queues and the device's power and PnP state, driven by the PnP/power
 * state machine at PASSIVE_LEVEL:
 *   power down  — power-managed queues stop presenting (requests keep
 *                 queueing); each request the driver holds from them gets
 *                 EvtIoStop(WdfRequestStopActionSuspend) and the call
 *                 returns once every one is completed, requeued or
 *                 acknowledged (without EvtIoStop: completed);
 *   power up    — EvtIoResume for the requests acknowledged without
 *                 requeue, then presenting resumes;
 *   remove      — every queue stops accepting, what waits is cancelled,
 *                 cancelable driver requests get EvtRequestCancel, the
 *                 others EvtIoStop(WdfRequestStopActionPurge), and the
 *                 call returns when the driver holds nothing.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

#include <stdlib.h>

/* The device's queues, each referenced; free() the array, unref each. */
static struct fx_queue **device_queues(struct fx_device *device, size_t *count)
{
    struct fx_queue **queues = NULL;
    size_t n = 0, capacity = 0;

    pthread_mutex_lock(&fx_tree_lock);
    for (PLIST_ENTRY e = device->queues.Flink; e != &device->queues; e = e->Flink)
        capacity++;
    if (capacity && (queues = malloc(capacity * sizeof(*queues)))) {
        for (PLIST_ENTRY e = device->queues.Flink; e != &device->queues; e = e->Flink) {
            queues[n] = CONTAINING_RECORD(e, struct fx_queue, device_link);
            fx_object_ref(&queues[n++]->object);
        }
    }
    pthread_mutex_unlock(&fx_tree_lock);
    *count = n;
    return queues;
}

static void queues_release(struct fx_queue **queues, size_t count)
{
    for (size_t i = 0; i < count; i++)
        fx_object_unref(&queues[i]->object);
    free(queues);
}

/* The driver's requests of the queue still to be told to stop: marked
 * STOP_PENDING (counted in stop_waits), referenced. Lock held. */
static struct fx_request **stop_list_locked(struct fx_queue *queue, size_t *count)
{
    struct fx_request **list = queue->owned_count ? malloc(queue->owned_count * sizeof(*list)) : NULL;

    *count = 0;
    for (PLIST_ENTRY e = queue->owned.Flink; list && e != &queue->owned; e = e->Flink) {
        struct fx_request *request = fx_request_of_link(e);
        /* Requests a purge just claimed for EvtRequestCancel get no EvtIoStop. */
        if ((request->qflags & FX_RQQ_STOP_PENDING) ||
            atomic_load(&request->cancelable) == FX_CANCEL_CLAIMED)
            continue;
        request->qflags = (request->qflags & ~FX_RQQ_STOP_ACKED) | FX_RQQ_STOP_PENDING;
        queue->stop_waits++;
        fx_object_ref(&request->object);
        list[(*count)++] = request;
    }
    if (queue->stop_waits)
        KeClearEvent(&queue->power_event);
    return list;
}

/* EvtIoStop for each request still waiting for it; references dropped. */
static void stop_callbacks(struct fx_queue *queue, struct fx_request **list, size_t count, ULONG action)
{
    for (size_t i = 0; i < count; i++) {
        struct fx_request *request = list[i];
        KIRQL irql;
        fx_queue_lock(queue, &irql);
        bool still = (request->qflags & FX_RQQ_STOP_PENDING) &&
                     atomic_load(&request->owner) == FX_RQ_DRIVER;
        fx_queue_unlock(queue, irql);
        if (still && queue->config.EvtIoStop) {
            ULONG flags = action;
            if (atomic_load(&request->cancelable) == FX_CANCEL_MARKED)
                flags |= WdfRequestStopRequestCancelable;
            fx_queue_call_stop(queue, request, flags);
        }
        fx_object_unref(&request->object);
    }
    free(list);
}

static void queue_suspend(struct fx_queue *queue)
{
    struct fx_request **list;
    size_t count;
    KIRQL irql;

    fx_queue_lock(queue, &irql);
    queue->power_held = true;
    list = stop_list_locked(queue, &count);
    fx_queue_unlock(queue, irql);
    stop_callbacks(queue, list, count, WdfRequestStopActionSuspend);
    KeWaitForSingleObject(&queue->power_event, Executive, KernelMode, FALSE, NULL);
}

void fx_queues_power_down(struct fx_device *device)
{
    size_t count;
    struct fx_queue **queues = device_queues(device, &count);

    for (size_t i = 0; i < count; i++)
        if (queues[i]->power_managed)
            queue_suspend(queues[i]);
    queues_release(queues, count);
}

static void queue_resume(struct fx_queue *queue)
{
    struct fx_request **list = NULL;
    size_t count = 0;
    KIRQL irql;

    fx_queue_lock(queue, &irql);
    queue->power_held = false;
    if (queue->owned_count && (list = malloc(queue->owned_count * sizeof(*list)))) {
        for (PLIST_ENTRY e = queue->owned.Flink; e != &queue->owned; e = e->Flink) {
            struct fx_request *request = fx_request_of_link(e);
            if (!(request->qflags & FX_RQQ_STOP_ACKED))
                continue;
            request->qflags &= ~FX_RQQ_STOP_ACKED;
            fx_object_ref(&request->object);
            list[count++] = request;
        }
    }
    if (queue->pending_count && queue->ready_fn)
        queue->ready_due = true;
    fx_queue_unlock(queue, irql);
    for (size_t i = 0; i < count; i++) {
        if (queue->config.EvtIoResume && atomic_load(&list[i]->owner) == FX_RQ_DRIVER) {
            bool locked = fx_queue_try_enter_callback(queue);
            queue->config.EvtIoResume((WDFQUEUE)queue->object.handle, (WDFREQUEST)list[i]->object.handle);
            if (locked)
                fx_queue_leave_callback(queue);
        }
        fx_object_unref(&list[i]->object);
    }
    free(list);
    fx_queue_lock(queue, &irql);
    fx_queue_run_locked(queue, &irql);
    fx_queue_unlock(queue, irql);
}

void fx_queues_power_up(struct fx_device *device)
{
    size_t count;
    struct fx_queue **queues = device_queues(device, &count);

    for (size_t i = 0; i < count; i++)
        if (queues[i]->power_managed)
            queue_resume(queues[i]);
    queues_release(queues, count);
}

static void queue_purge_for_remove(struct fx_queue *queue)
{
    struct fx_request **claimed, **stopping;
    size_t claimed_count, stopping_count;
    LIST_ENTRY taken;
    KEVENT empty;
    KIRQL irql;

    KeInitializeEvent(&empty, NotificationEvent, FALSE);
    fx_queue_lock(queue, &irql);
    queue->accepting = false;
    queue->purging = true;
    fx_queue_take_all_locked(queue, &taken);
    claimed = fx_queue_claim_cancelable_locked(queue, &claimed_count);
    stopping = stop_list_locked(queue, &stopping_count);
    queue->empty_waiter = &empty;
    fx_queue_unlock(queue, irql);
    fx_queue_cancel_taken(queue, &taken);
    fx_queue_cancel_claimed(claimed, claimed_count);
    stop_callbacks(queue, stopping, stopping_count, WdfRequestStopActionPurge);
    KeWaitForSingleObject(&empty, Executive, KernelMode, FALSE, NULL);
}

void fx_queues_purge_for_remove(struct fx_device *device)
{
    size_t count;
    struct fx_queue **queues = device_queues(device, &count);

    for (size_t i = 0; i < count; i++)
        queue_purge_for_remove(queues[i]);
    queues_release(queues, count);
}
