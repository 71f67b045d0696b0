/*
 * How requests get into queues and out to the driver. An IRP arrives
 * (fx_queue_dispatch_irp), becomes a request, and is either presented at
 * once — the fast path: the queue is empty and below its presentation
 * limit — or put on the pending list with a cancel routine in its IRP.
 * Whoever frees a presentation slot later (a completion, a forward, a
 * start) presents the next one from the list.
 *
 * Rules that keep this safe:
 *  - the queue lock is never held across a driver callback;
 *  - a thread never presents from a queue while it runs one of that
 *    queue's callbacks (completing inside EvtIoRead does not recurse into
 *    EvtIoRead): the outer presentation loop picks the next one up;
 *  - a thread that holds the scope's callback lock (the driver called in
 *    from a callback), or runs above PASSIVE_LEVEL for a passive queue,
 *    leaves presentation to a worker thread;
 *  - a queued request leaves the pending list only with its cancel routine
 *    reclaimed; if IoCancelIrp got there first, the cancel routine finishes
 *    it (counted in queue->cancelling until then).
 */
#include "fx/fx.h"
#include "fx/fxio.h"

#include <stdlib.h>

#define NEST_MAX 8

/* The queues whose callbacks this thread is running, outermost first. */
static __thread const struct fx_queue *nest[NEST_MAX];
static __thread int nest_depth;

bool fx_queue_in_callback(const struct fx_queue *queue)
{
    for (int i = 0; i < nest_depth && i < NEST_MAX; i++)
        if (nest[i] == queue)
            return true;
    return false;
}

static void pending_add(struct fx_queue *queue, LONG delta)
{
    __atomic_add_fetch(&queue->pending_count, delta, __ATOMIC_RELAXED);
}

static LONG pending_peek(const struct fx_queue *queue)
{
    return __atomic_load_n(&queue->pending_count, __ATOMIC_RELAXED);
}

static bool can_present(const struct fx_queue *queue)
{
    return queue->dispatching && !queue->deleting && !(queue->power_managed && queue->power_held) &&
           queue->presented < queue->max_presented;
}

enum present_where { PRESENT_NOW, PRESENT_BY_OUTER_FRAME, PRESENT_BY_WORKER };

static enum present_where present_where(const struct fx_queue *queue)
{
    if (fx_queue_in_callback(queue))
        return PRESENT_BY_OUTER_FRAME;
    if (queue->passive && KeGetCurrentIrql() > PASSIVE_LEVEL)
        return PRESENT_BY_WORKER;
    if (queue->cb_lock && __atomic_load_n(&queue->cb_lock->owner, __ATOMIC_RELAXED) == PsGetCurrentThread())
        return PRESENT_BY_WORKER;
    return PRESENT_NOW;
}

static void queue_worker(PVOID parameter)
{
    struct fx_queue *queue = parameter;
    KIRQL irql;

    fx_queue_lock(queue, &irql);
    queue->work_queued = false;
    fx_queue_run_locked(queue, &irql);
    fx_queue_unlock(queue, irql);
    fx_object_unref(&queue->object);
}

static void schedule_worker_locked(struct fx_queue *queue)
{
    if (queue->work_queued)
        return;
    queue->work_queued = true;
    fx_object_ref(&queue->object);
    ExInitializeWorkItem(&queue->work, queue_worker, queue);
    ExQueueWorkItem(&queue->work, DelayedWorkQueue);
}

/* --- Calling the request handlers ---------------------------------------------- */
static bool call_handler(const WDF_IO_QUEUE_CONFIG *c, WDFQUEUE q, WDFREQUEST r, PIO_STACK_LOCATION sp)
{
    switch (sp->MajorFunction) {
    case IRP_MJ_READ:
        if (!c->EvtIoRead)
            break;
        c->EvtIoRead(q, r, sp->Parameters.Read.Length);
        return true;
    case IRP_MJ_WRITE:
        if (!c->EvtIoWrite)
            break;
        c->EvtIoWrite(q, r, sp->Parameters.Write.Length);
        return true;
    case IRP_MJ_DEVICE_CONTROL:
        if (!c->EvtIoDeviceControl)
            break;
        c->EvtIoDeviceControl(q, r, sp->Parameters.DeviceIoControl.OutputBufferLength,
                              sp->Parameters.DeviceIoControl.InputBufferLength,
                              sp->Parameters.DeviceIoControl.IoControlCode);
        return true;
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        if (!c->EvtIoInternalDeviceControl)
            break;
        c->EvtIoInternalDeviceControl(q, r, sp->Parameters.DeviceIoControl.OutputBufferLength,
                                      sp->Parameters.DeviceIoControl.InputBufferLength,
                                      sp->Parameters.DeviceIoControl.IoControlCode);
        return true;
    default:
        break;
    }
    if (!c->EvtIoDefault)
        return false;
    c->EvtIoDefault(q, r);
    return true;
}

/* Whether the queue has a handler for requests of this major function. */
static bool queue_takes(const struct fx_queue *queue, UCHAR major)
{
    const WDF_IO_QUEUE_CONFIG *c = &queue->config;
    if (c->DispatchType == WdfIoQueueDispatchManual || c->EvtIoDefault)
        return true;
    switch (major) {
    case IRP_MJ_READ:
        return c->EvtIoRead != NULL;
    case IRP_MJ_WRITE:
        return c->EvtIoWrite != NULL;
    case IRP_MJ_DEVICE_CONTROL:
        return c->EvtIoDeviceControl != NULL;
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        return c->EvtIoInternalDeviceControl != NULL;
    default:
        return false;
    }
}

static void invoke(struct fx_queue *queue, struct fx_request *request)
{
    bool locked = false;

    if (nest_depth < NEST_MAX)
        nest[nest_depth] = queue;
    nest_depth++;
    if (queue->cb_lock) {
        fx_callback_lock_acquire(queue->cb_lock);
        locked = true;
    }
    /* From here on the request may be completed and gone: touch only what
     * was read before the handler ran. */
    bool handled = call_handler(&queue->config, (WDFQUEUE)queue->object.handle,
                                (WDFREQUEST)request->object.handle, IoGetCurrentIrpStackLocation(request->irp));
    if (locked)
        fx_callback_lock_release(queue->cb_lock);
    nest_depth--;
    /* A forwarded or requeued request can land in a queue without a handler
     * for its type. */
    if (!handled)
        fx_request_finish(request, STATUS_INVALID_DEVICE_REQUEST, 0, IO_NO_INCREMENT);
}

/* Lock held on entry, released on return. */
static void present_and_unlock(struct fx_queue *queue, struct fx_request *request, KIRQL irql)
{
    fx_queue_own_locked(queue, request);
    request->qflags |= FX_RQQ_PRESENTED;
    queue->presented++;
    fx_queue_unlock(queue, irql);
    invoke(queue, request);
}

/* --- The pending list -------------------------------------------------------------- */
struct fx_request *fx_queue_take_locked(struct fx_queue *queue, struct fx_request *which)
{
    struct fx_request *request = which ? which : fx_request_of_link(queue->pending.Flink);

    RemoveEntryList(&request->link);
    InitializeListHead(&request->link);
    pending_add(queue, -1);
    if (!IoSetCancelRoutine(request->irp, NULL)) {
        /* IoCancelIrp owns it now; its routine will find it off the list. */
        queue->cancelling++;
        return NULL;
    }
    return request;
}

void fx_queue_own_locked(struct fx_queue *queue, struct fx_request *request)
{
    atomic_store_explicit(&request->owner, FX_RQ_DRIVER, memory_order_release);
    request->qflags |= FX_RQQ_DELIVERED;
    InsertTailList(&queue->owned, &request->link);
    queue->owned_count++;
}

void fx_queue_run_locked(struct fx_queue *queue, KIRQL *irql)
{
    while (pending_peek(queue) && can_present(queue)) {
        enum present_where where = present_where(queue);
        if (where == PRESENT_BY_OUTER_FRAME)
            return;
        if (where == PRESENT_BY_WORKER) {
            schedule_worker_locked(queue);
            return;
        }
        struct fx_request *request = fx_queue_take_locked(queue, NULL);
        if (!request)
            continue;
        present_and_unlock(queue, request, *irql);
        fx_queue_lock(queue, irql);
    }
}

/* Returns false when the IRP turned out to be cancelled already and the
 * request came straight back off the list (the caller cancels it). */
static bool insert_locked(struct fx_queue *queue, struct fx_request *request, bool head)
{
    atomic_store_explicit(&request->owner, FX_RQ_QUEUED, memory_order_release);
    fx_request_tag_irp(request->irp, request);
    if (head)
        InsertHeadList(&queue->pending, &request->link);
    else
        InsertTailList(&queue->pending, &request->link);
    pending_add(queue, 1);
    if (queue->config.DispatchType == WdfIoQueueDispatchManual && pending_peek(queue) == 1 && queue->ready_fn)
        queue->ready_due = true;
    IoSetCancelRoutine(request->irp, fx_request_queued_cancel);
    if (request->irp->Cancel && IoSetCancelRoutine(request->irp, NULL)) {
        RemoveEntryList(&request->link);
        InitializeListHead(&request->link);
        pending_add(queue, -1);
        queue->cancelling++;
        return false;
    }
    return true;
}

/* The framework takes a request it owns: forwarded (tail) or put back by
 * WdfRequestRequeue or a stop acknowledgement (head). The caller gave
 * request->queue a reference to queue. A queue that does not accept new
 * requests refuses forwarded ones (STATUS_INVALID_DEVICE_STATE); a request
 * put back while the queue is purged or deleted is cancelled at once. */
NTSTATUS fx_queue_insert(struct fx_queue *queue, struct fx_request *request, bool head)
{
    KIRQL irql;
    bool cancel_now;

    fx_queue_lock(queue, &irql);
    if (!head && !queue->accepting) {
        fx_queue_unlock(queue, irql);
        return STATUS_INVALID_DEVICE_STATE;
    }
    if (queue->purging || queue->deleting) {
        atomic_store_explicit(&request->owner, FX_RQ_QUEUED, memory_order_release);
        queue->cancelling++;
        cancel_now = true;
    } else {
        cancel_now = !insert_locked(queue, request, head);
        fx_queue_run_locked(queue, &irql);
    }
    fx_queue_unlock(queue, irql);
    if (cancel_now)
        fx_queue_cancelled_request(queue, request);
    return STATUS_SUCCESS;
}

/* --- Leaving the driver ---------------------------------------------------------------- */
bool fx_queue_release_locked(struct fx_queue *queue, struct fx_request *request)
{
    bool slot_freed = false;

    RemoveEntryList(&request->link);
    InitializeListHead(&request->link);
    queue->owned_count--;
    if (request->qflags & FX_RQQ_PRESENTED) {
        queue->presented--;
        slot_freed = true;
    }
    if (request->qflags & FX_RQQ_STOP_PENDING && --queue->stop_waits == 0)
        KeSetEvent(&queue->power_event, IO_NO_INCREMENT, FALSE);
    request->qflags &= ~(FX_RQQ_PRESENTED | FX_RQQ_STOP_PENDING | FX_RQQ_STOP_ACKED);
    return slot_freed;
}

void fx_queue_release(struct fx_queue *queue, struct fx_request *request)
{
    KIRQL irql;
    fx_queue_lock(queue, &irql);
    fx_queue_release_locked(queue, request);
    fx_queue_unlock(queue, irql);
}

void fx_queue_kick(struct fx_queue *queue)
{
    KIRQL irql;
    if (!pending_peek(queue) || fx_queue_in_callback(queue))
        return;
    fx_queue_lock(queue, &irql);
    fx_queue_run_locked(queue, &irql);
    fx_queue_unlock(queue, irql);
}

/* --- Cancellation in the queue ------------------------------------------------------------ */
static void call_canceled_on_queue(void *ctx)
{
    struct fx_request *request = ctx;
    struct fx_queue *queue = request->queue;
    bool locked = fx_queue_try_enter_callback(queue);
    queue->config.EvtIoCanceledOnQueue((WDFQUEUE)queue->object.handle, (WDFREQUEST)request->object.handle);
    if (locked)
        fx_queue_leave_callback(queue);
}

/* The request is off the pending list and counted in cancelling: it
 * becomes the driver's again, for EvtIoCanceledOnQueue (if it was ever
 * delivered and the queue has one) or to be completed STATUS_CANCELLED. */
void fx_queue_cancelled_request(struct fx_queue *queue, struct fx_request *request)
{
    bool notify;
    KIRQL irql;

    fx_queue_lock(queue, &irql);
    notify = queue->config.EvtIoCanceledOnQueue && (request->qflags & FX_RQQ_DELIVERED);
    queue->cancelling--;
    atomic_store_explicit(&request->owner, FX_RQ_DRIVER, memory_order_release);
    InsertTailList(&queue->owned, &request->link);
    queue->owned_count++;
    fx_queue_unlock(queue, irql);
    if (!notify)
        fx_request_finish(request, STATUS_CANCELLED, 0, IO_NO_INCREMENT);
    else if (queue->passive && KeGetCurrentIrql() > PASSIVE_LEVEL)
        fx_call_at_passive(call_canceled_on_queue, request);
    else
        call_canceled_on_queue(request);
}

void fx_request_queued_cancel(PDEVICE_OBJECT device, PIRP irp)
{
    struct fx_request *request = fx_request_from_tag(irp);
    struct fx_queue *queue = request->queue;
    KIRQL irql;

    (void)device;
    IoReleaseCancelSpinLock(irp->CancelIrql);
    fx_queue_lock(queue, &irql);
    if (!IsListEmpty(&request->link)) {
        RemoveEntryList(&request->link);
        InitializeListHead(&request->link);
        pending_add(queue, -1);
        queue->cancelling++;
    }
    fx_queue_unlock(queue, irql);
    fx_queue_cancelled_request(queue, request);
}

void fx_queue_take_all_locked(struct fx_queue *queue, PLIST_ENTRY out)
{
    InitializeListHead(out);
    while (!IsListEmpty(&queue->pending)) {
        struct fx_request *request = fx_request_of_link(RemoveHeadList(&queue->pending));
        InitializeListHead(&request->link);
        pending_add(queue, -1);
        queue->cancelling++;
        if (IoSetCancelRoutine(request->irp, NULL))
            InsertTailList(out, &request->link);
    }
}

void fx_queue_cancel_taken(struct fx_queue *queue, PLIST_ENTRY taken)
{
    while (!IsListEmpty(taken)) {
        struct fx_request *request = fx_request_of_link(RemoveHeadList(taken));
        InitializeListHead(&request->link);
        fx_queue_cancelled_request(queue, request);
    }
}

struct fx_request **fx_queue_claim_cancelable_locked(struct fx_queue *queue, size_t *count)
{
    struct fx_request **claimed = queue->owned_count ? malloc(queue->owned_count * sizeof(*claimed)) : NULL;

    *count = 0;
    if (!claimed)
        return NULL;
    for (PLIST_ENTRY e = queue->owned.Flink; e != &queue->owned; e = e->Flink) {
        struct fx_request *request = fx_request_of_link(e);
        if (atomic_load_explicit(&request->cancelable, memory_order_acquire) != FX_CANCEL_MARKED ||
            !IoSetCancelRoutine(request->irp, NULL))
            continue;
        atomic_store_explicit(&request->cancelable, FX_CANCEL_CLAIMED, memory_order_release);
        claimed[(*count)++] = request; /* marking's reference keeps it */
    }
    return claimed;
}

void fx_queue_cancel_claimed(struct fx_request **claimed, size_t count)
{
    for (size_t i = 0; i < count; i++)
        fx_request_call_cancel(claimed[i]);
    free(claimed);
}

/* --- Arrival -------------------------------------------------------------------------------- */
static struct fx_queue *route(const struct fx_device *device, UCHAR major)
{
    struct fx_queue *queue = device->dispatch_queues[major];
    return queue ? queue : device->default_queue;
}

/* Nobody takes the request: a filter passes it down, anyone else fails it. */
static NTSTATUS no_queue(struct fx_device *device, PIRP irp)
{
    if (device->kind == FX_DEVICE_FILTER && device->attached_to) {
        IoSkipCurrentIrpStackLocation(irp);
        return IoCallDriver(device->attached_to, irp);
    }
    irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

static NTSTATUS complete_now(PIRP irp, NTSTATUS status)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static bool zero_length_refused(const struct fx_queue *queue, const IO_STACK_LOCATION *sp)
{
    if (queue->config.AllowZeroLengthRequests)
        return false;
    return (sp->MajorFunction == IRP_MJ_READ || sp->MajorFunction == IRP_MJ_WRITE) && sp->Parameters.Read.Length == 0;
}

/* A new request enters its queue: presented at once when the queue is
 * idle and may present, else queued. */
static void accept(struct fx_queue *queue, struct fx_request *request)
{
    KIRQL irql;

    fx_object_ref(&queue->object);
    request->queue = queue;
    request->flags |= FX_RQF_FROM_QUEUE;
    fx_queue_lock(queue, &irql);
    if (!queue->accepting) {
        fx_queue_unlock(queue, irql);
        request->queue = NULL;
        fx_object_unref(&queue->object);
        fx_request_finish(request, STATUS_INVALID_DEVICE_STATE, 0, IO_NO_INCREMENT);
        return;
    }
    if (!pending_peek(queue) && can_present(queue) && present_where(queue) == PRESENT_NOW) {
        present_and_unlock(queue, request, irql);
        fx_queue_kick(queue);
        return;
    }
    bool queued = insert_locked(queue, request, false);
    fx_queue_run_locked(queue, &irql);
    fx_queue_unlock(queue, irql);
    if (!queued)
        fx_queue_cancelled_request(queue, request);
}

NTSTATUS fx_queue_dispatch_irp(struct fx_device *device, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    struct fx_queue *queue = route(device, sp->MajorFunction);
    NTSTATUS status;

    if (!queue || !queue_takes(queue, sp->MajorFunction))
        return no_queue(device, irp);
    if (zero_length_refused(queue, sp))
        return complete_now(irp, STATUS_SUCCESS);
    struct fx_request *request = fx_request_new(device, queue, irp, &status);
    if (!request)
        return complete_now(irp, status);
    IoMarkIrpPending(irp);
    accept(queue, request);
    return STATUS_PENDING;
}

/* What WdfDeviceEnqueueRequest does with a request EvtIoInCallerContext
 * received: it joins the queue its type is routed to, as a request the
 * driver has had (EvtIoCanceledOnQueue applies). */
NTSTATUS fx_queue_enqueue_request(struct fx_device *device, WDFREQUEST handle)
{
    struct fx_request *request = fx_request_lookup(handle, "WdfDeviceEnqueueRequest");
    NTSTATUS status;

    if (!request)
        return STATUS_INVALID_PARAMETER;
    UCHAR major = IoGetCurrentIrpStackLocation(request->irp)->MajorFunction;
    struct fx_queue *queue = route(device, major);
    if (request->queue || (request->flags & (FX_RQF_CREATED | FX_RQF_FROM_QUEUE))) {
        fx_violation("WdfDeviceEnqueueRequest", "request %p did not come from EvtIoInCallerContext",
                     (void *)handle);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (!queue || !queue_takes(queue, major))
        return STATUS_INVALID_DEVICE_REQUEST;
    fx_object_ref(&queue->object);
    request->queue = queue;
    request->flags |= FX_RQF_FROM_QUEUE;
    request->qflags |= FX_RQQ_DELIVERED; /* not in any queue yet: nobody else looks */
    if (!NT_SUCCESS(status = fx_queue_insert(queue, request, false))) {
        request->queue = NULL;
        request->flags &= ~FX_RQF_FROM_QUEUE;
        request->qflags &= ~FX_RQQ_DELIVERED;
        fx_object_unref(&queue->object);
    }
    return status;
}
