/*
 * Taking requests out of queues on the driver's initiative (manual and
 * sequential queues), searching them, and moving requests the driver owns
 * between queues: WdfRequestForwardToIoQueue, WdfRequestRequeue,
 * WdfRequestForwardToParentDeviceIoQueue, and WdfRequestStopAcknowledge
 * (a requeue on the way into low power).
 */
#include "fx/fx.h"
#include "fx/fxio.h"

static bool paused_locked(const struct fx_queue *queue)
{
    return !queue->dispatching || (queue->power_managed && queue->power_held);
}

static NTSTATUS retrieve_check(struct fx_queue *queue, WDFREQUEST *out, const char *ddi)
{
    if (out)
        *out = NULL;
    if (!queue || !out)
        return STATUS_INVALID_PARAMETER;
    if (queue->config.DispatchType == WdfIoQueueDispatchParallel) {
        fx_violation(ddi, "queue %p presents in parallel: the driver cannot retrieve from it",
                     (void *)queue->object.handle);
        return STATUS_INVALID_DEVICE_STATE;
    }
    return STATUS_SUCCESS;
}

/* Takes the first queued request matching file (a FILE_OBJECT, or any when
 * NULL). Lock held. */
static NTSTATUS take_first_locked(struct fx_queue *queue, PFILE_OBJECT file, struct fx_request **out)
{
    for (;;) {
        PLIST_ENTRY e = queue->pending.Flink;
        while (e != &queue->pending &&
               file && IoGetCurrentIrpStackLocation(fx_request_of_link(e)->irp)->FileObject != file)
            e = e->Flink;
        if (e == &queue->pending)
            return STATUS_NO_MORE_ENTRIES;
        struct fx_request *request = fx_queue_take_locked(queue, fx_request_of_link(e));
        if (request) {
            fx_queue_own_locked(queue, request);
            *out = request;
            return STATUS_SUCCESS;
        }
    }
}

static NTSTATUS retrieve(struct fx_queue *queue, PFILE_OBJECT file, WDFREQUEST *out, const char *ddi)
{
    struct fx_request *request = NULL;
    NTSTATUS status = retrieve_check(queue, out, ddi);
    KIRQL irql;

    if (!NT_SUCCESS(status))
        return status;
    fx_queue_lock(queue, &irql);
    status = paused_locked(queue) ? STATUS_WDF_PAUSED : take_first_locked(queue, file, &request);
    fx_queue_unlock(queue, irql);
    if (request)
        *out = (WDFREQUEST)request->object.handle;
    return status;
}

/* WdfIoQueueRetrieveNextRequest: the oldest queued request, now the
 * driver's. STATUS_NO_MORE_ENTRIES (empty), STATUS_WDF_PAUSED (stopped,
 * or power-managed and out of D0), STATUS_INVALID_DEVICE_STATE (a parallel
 * queue). IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_io_queue_retrieve_next_request(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue, WDFREQUEST *OutRequest)
{
    (void)g;
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, Queue, "WdfIoQueueRetrieveNextRequest");
    return retrieve(queue, NULL, OutRequest, "WdfIoQueueRetrieveNextRequest");
}
FX_EXPORT(WdfIoQueueRetrieveNextRequest, PFN_WDFIOQUEUERETRIEVENEXTREQUEST, ddi_io_queue_retrieve_next_request);

static PFILE_OBJECT wdm_file_of(PWDF_DRIVER_GLOBALS g, WDFFILEOBJECT file)
{
    PFN_WDFFILEOBJECTWDMGETFILEOBJECT get =
        (PFN_WDFFILEOBJECTWDMGETFILEOBJECT)fx_function_table()[WdfFileObjectWdmGetFileObjectTableIndex];
    return file ? get(g, file) : NULL;
}

/* WdfIoQueueRetrieveRequestByFileObject: the oldest queued request made on
 * that file object. Statuses as WdfIoQueueRetrieveNextRequest. */
static NTSTATUS ddi_io_queue_retrieve_request_by_file_object(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue,
                                                             WDFFILEOBJECT FileObject, WDFREQUEST *OutRequest)
{
    const char *ddi = "WdfIoQueueRetrieveRequestByFileObject";
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, Queue, ddi);
    PFILE_OBJECT file = wdm_file_of(g, FileObject);
    if (!file) {
        if (OutRequest)
            *OutRequest = NULL;
        return STATUS_INVALID_PARAMETER;
    }
    return retrieve(queue, file, OutRequest, ddi);
}
FX_EXPORT(WdfIoQueueRetrieveRequestByFileObject, PFN_WDFIOQUEUERETRIEVEREQUESTBYFILEOBJECT,
          ddi_io_queue_retrieve_request_by_file_object);

/* Where a search continues: after found, or from the head. NULL when found
 * is no longer queued here. Lock held. */
static PLIST_ENTRY search_start_locked(struct fx_queue *queue, struct fx_request *found)
{
    if (!found)
        return queue->pending.Flink;
    if (found->queue != queue || atomic_load(&found->owner) != FX_RQ_QUEUED || IsListEmpty(&found->link))
        return NULL;
    return found->link.Flink;
}

/* WdfIoQueueFindRequest: the next queued request after FoundRequest (from
 * the head when NULL) made on FileObject (any when NULL), referenced but
 * still the framework's; its parameters if asked. STATUS_NO_MORE_ENTRIES,
 * STATUS_NOT_FOUND (FoundRequest left the queue), STATUS_INVALID_PARAMETER.
 * IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_io_queue_find_request(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue, WDFREQUEST FoundRequest,
                                          WDFFILEOBJECT FileObject, PWDF_REQUEST_PARAMETERS Parameters,
                                          WDFREQUEST *OutRequest)
{
    const char *ddi = "WdfIoQueueFindRequest";
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, Queue, ddi);
    struct fx_request *found = FoundRequest ? fx_request_lookup_any(FoundRequest, ddi) : NULL;
    PFILE_OBJECT file = wdm_file_of(g, FileObject);
    NTSTATUS status = STATUS_NO_MORE_ENTRIES;
    KIRQL irql;

    if (OutRequest)
        *OutRequest = NULL;
    if (!queue || !OutRequest || (FoundRequest && !found) || (FileObject && !file))
        return STATUS_INVALID_PARAMETER;
    fx_queue_lock(queue, &irql);
    PLIST_ENTRY e = search_start_locked(queue, found);
    if (!e)
        status = STATUS_NOT_FOUND;
    for (; e && e != &queue->pending; e = e->Flink) {
        struct fx_request *request = fx_request_of_link(e);
        if (file && IoGetCurrentIrpStackLocation(request->irp)->FileObject != file)
            continue;
        fx_object_ref(&request->object);
        if (Parameters)
            fx_request_get_parameters(request, Parameters);
        *OutRequest = (WDFREQUEST)request->object.handle;
        status = STATUS_SUCCESS;
        break;
    }
    fx_queue_unlock(queue, irql);
    return status;
}
FX_EXPORT(WdfIoQueueFindRequest, PFN_WDFIOQUEUEFINDREQUEST, ddi_io_queue_find_request);

/* WdfIoQueueRetrieveFoundRequest: takes a request WdfIoQueueFindRequest
 * found, if it is still queued here. STATUS_NOT_FOUND, STATUS_WDF_PAUSED,
 * STATUS_INVALID_PARAMETER. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_io_queue_retrieve_found_request(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue, WDFREQUEST FoundRequest,
                                                    WDFREQUEST *OutRequest)
{
    (void)g;
    const char *ddi = "WdfIoQueueRetrieveFoundRequest";
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, Queue, ddi);
    struct fx_request *found = fx_request_lookup_any(FoundRequest, ddi);
    struct fx_request *request = NULL;
    NTSTATUS status = retrieve_check(queue, OutRequest, ddi);
    KIRQL irql;

    if (!NT_SUCCESS(status))
        return status;
    if (!found)
        return STATUS_INVALID_PARAMETER;
    fx_queue_lock(queue, &irql);
    if (paused_locked(queue))
        status = STATUS_WDF_PAUSED;
    else if (!search_start_locked(queue, found) || !(request = fx_queue_take_locked(queue, found)))
        status = STATUS_NOT_FOUND;
    else
        fx_queue_own_locked(queue, request);
    fx_queue_unlock(queue, irql);
    if (request)
        *OutRequest = FoundRequest;
    return status;
}
FX_EXPORT(WdfIoQueueRetrieveFoundRequest, PFN_WDFIOQUEUERETRIEVEFOUNDREQUEST, ddi_io_queue_retrieve_found_request);

/* --- Moving the driver's requests ---------------------------------------------------- */
static NTSTATUS movable(struct fx_request *request, const char *ddi)
{
    if (!(request->flags & FX_RQF_FROM_QUEUE) || !request->queue) {
        fx_violation(ddi, "request %p did not come from a queue", (void *)request->object.handle);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (atomic_load(&request->cancelable) != FX_CANCEL_NONE || (request->flags & FX_RQF_SENT)) {
        fx_violation(ddi, "request %p is %s", (void *)request->object.handle,
                     (request->flags & FX_RQF_SENT) ? "at an I/O target" : "cancelable (unmark it first)");
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    return STATUS_SUCCESS;
}

/* Moves a request the driver owns from its queue into destination. */
static NTSTATUS move_to(struct fx_request *request, struct fx_queue *destination, bool head)
{
    struct fx_queue *source = request->queue;
    KIRQL irql;

    fx_object_ref(&destination->object);
    fx_queue_lock(source, &irql);
    bool was_presented = request->qflags & FX_RQQ_PRESENTED;
    bool slot_freed = fx_queue_release_locked(source, request);
    fx_queue_unlock(source, irql);
    request->queue = destination;
    NTSTATUS status = fx_queue_insert(destination, request, head);
    if (!NT_SUCCESS(status)) {
        /* Refused: it stays where it was, the driver's. */
        request->queue = source;
        fx_queue_lock(source, &irql);
        fx_queue_own_locked(source, request);
        if (was_presented) {
            request->qflags |= FX_RQQ_PRESENTED;
            source->presented++;
        }
        fx_queue_unlock(source, irql);
        fx_object_unref(&destination->object);
        return STATUS_WDF_BUSY;
    }
    if (slot_freed && source != destination)
        fx_queue_kick(source);
    fx_object_unref(&source->object);
    return STATUS_SUCCESS;
}

/* WdfRequestForwardToIoQueue: puts a request the driver got from a queue
 * at the tail of another queue of the same device (which may present it
 * before this returns). STATUS_INVALID_DEVICE_REQUEST (same queue, another
 * device, not from a queue, cancelable), STATUS_WDF_BUSY (the destination
 * does not accept requests). IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_request_forward_to_io_queue(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, WDFQUEUE DestinationQueue)
{
    (void)g;
    const char *ddi = "WdfRequestForwardToIoQueue";
    struct fx_request *request = fx_request_lookup(Request, ddi);
    struct fx_queue *destination = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, DestinationQueue, ddi);
    NTSTATUS status;

    if (!request || !destination)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!NT_SUCCESS(status = movable(request, ddi)))
        return status;
    if (destination == request->queue || destination->device != request->queue->device) {
        fx_violation(ddi, "the destination must be another queue of the same device");
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    return move_to(request, destination, false);
}
FX_EXPORT(WdfRequestForwardToIoQueue, PFN_WDFREQUESTFORWARDTOIOQUEUE, ddi_request_forward_to_io_queue);

/* WdfRequestRequeue: puts the request back at the head of the queue it
 * came from. Statuses as WdfRequestForwardToIoQueue. */
static NTSTATUS ddi_request_requeue(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestRequeue");
    NTSTATUS status;

    if (!request)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!NT_SUCCESS(status = movable(request, "WdfRequestRequeue")))
        return status;
    return move_to(request, request->queue, true);
}
FX_EXPORT(WdfRequestRequeue, PFN_WDFREQUESTREQUEUE, ddi_request_requeue);

/* WdfRequestForwardToParentDeviceIoQueue: a PDO's request goes to a queue
 * of its parent device, in the stack location the child set aside for it
 * (WdfPdoInitAllowForwardingRequestToParent). Statuses as
 * WdfRequestForwardToIoQueue; STATUS_INVALID_PARAMETER for bad options. */
static NTSTATUS ddi_request_forward_to_parent_device_io_queue(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                                              WDFQUEUE ParentDeviceQueue,
                                                              PWDF_REQUEST_FORWARD_OPTIONS ForwardOptions)
{
    (void)g;
    const char *ddi = "WdfRequestForwardToParentDeviceIoQueue";
    struct fx_request *request = fx_request_lookup(Request, ddi);
    struct fx_queue *destination = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, ParentDeviceQueue, ddi);
    NTSTATUS status;

    if (!request || !destination)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!ForwardOptions || ForwardOptions->Size != sizeof(*ForwardOptions))
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = movable(request, ddi)))
        return status;
    struct fx_device *child = request->queue->device;
    if (child->kind != FX_DEVICE_PDO ||
        fx_object_ancestor(child->object.parent, FX_TYPE_DEVICE) != &destination->device->object ||
        request->irp->CurrentLocation <= 1) {
        fx_violation(ddi, "the queue is not the parent device's, or the PDO left no stack location for it");
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    /* The parent sees the request in a location of its own. */
    IoCopyCurrentIrpStackLocationToNext(request->irp);
    IoSetNextIrpStackLocation(request->irp);
    IoGetCurrentIrpStackLocation(request->irp)->DeviceObject = destination->device->wdm_device;
    request->device = destination->device;
    if (!NT_SUCCESS(status = move_to(request, destination, false))) {
        IoSkipCurrentIrpStackLocation(request->irp);
        request->device = child;
    }
    return status;
}
FX_EXPORT(WdfRequestForwardToParentDeviceIoQueue, PFN_WDFREQUESTFORWARDTOPARENTDEVICEIOQUEUE,
          ddi_request_forward_to_parent_device_io_queue);

/* WdfRequestStopAcknowledge: EvtIoStop's answer. Requeue: the request
 * goes back to the head of its queue for redelivery after D0 entry (it
 * must not be cancelable). Otherwise the driver keeps it and gets
 * EvtIoResume. Only for a request EvtIoStop received. */
static void ddi_request_stop_acknowledge(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, BOOLEAN Requeue)
{
    (void)g;
    const char *ddi = "WdfRequestStopAcknowledge";
    struct fx_request *request = fx_request_lookup(Request, ddi);
    KIRQL irql;

    if (!request || !request->queue)
        return;
    struct fx_queue *queue = request->queue;
    /* A requeue the rules forbid still answers EvtIoStop, as a keep. */
    bool requeue = Requeue && NT_SUCCESS(movable(request, ddi));
    fx_queue_lock(queue, &irql);
    bool stopping = request->qflags & FX_RQQ_STOP_PENDING;
    if (stopping && !requeue) {
        request->qflags = (request->qflags & ~FX_RQQ_STOP_PENDING) | FX_RQQ_STOP_ACKED;
        if (--queue->stop_waits == 0)
            KeSetEvent(&queue->power_event, IO_NO_INCREMENT, FALSE);
    }
    fx_queue_unlock(queue, irql);
    if (!stopping)
        fx_violation(ddi, "request %p is not in EvtIoStop", (void *)Request);
    else if (requeue)
        (void)move_to(request, queue, true);
}
FX_EXPORT(WdfRequestStopAcknowledge, PFN_WDFREQUESTSTOPACKNOWLEDGE, ddi_request_stop_acknowledge);
