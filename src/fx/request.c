/*
 * WDFREQUEST: the framework's wrapper of an IRP. One allocation holds the
 * request and its context (the device's request attributes); a request
 * that goes back clean (no extra references, no children, no added
 * contexts) is recycled through its queue's cache instead of freed, with
 * its cleanup and destroy callbacks run as if it had been.
 *
 * The owner word (enum fx_request_owner) is what every DDI checks: the
 * driver may act on a request it owns, and completing one it does not —
 * twice, or one still in a queue — is a verifier report, never a crash.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

#include <stdlib.h>

static void request_dispose(struct fx_object *object)
{
    struct fx_request *request = (struct fx_request *)object;

    if (request->flags & FX_RQF_SENT)
        fx_violation("WdfObjectDelete", "request %p deleted while a target still has it",
                     (void *)object->handle);
    if (!(request->flags & FX_RQF_CREATED) && atomic_load(&request->owner) == FX_RQ_DRIVER) {
        /* The IRP and the queue still point at it: it stays until it is
         * completed (request_drop lets it go then). */
        fx_violation("WdfObjectDelete", "request %p came from the framework: complete it, do not delete it",
                     (void *)object->handle);
        fx_object_ref(object);
        return;
    }
    /* Memory children are gone already (children go first). */
    request->in_memory = request->out_memory = NULL;
    fx_request_unformat(request);
    fx_request_release_buffers(request);
}

static void request_destroy(struct fx_object *object)
{
    struct fx_request *request = (struct fx_request *)object;

    if ((request->flags & FX_RQF_FREES_IRP) && request->irp)
        IoFreeIrp(request->irp);
    request->irp = NULL;
    free(request->send.timer);
    request->send.timer = NULL;
}

const struct fx_type_ops fx_ops_request = {
    .name = "WDFREQUEST",
    .driver_may_delete = true,
    .dispose = request_dispose,
    .destroy = request_destroy,
};

/* --- Lookup ------------------------------------------------------------------- */
struct fx_request *fx_request_lookup_any(WDFREQUEST handle, const char *ddi)
{
    return FX_LOOKUP(fx_request, FX_TYPE_REQUEST, handle, ddi);
}

struct fx_request *fx_request_lookup(WDFREQUEST handle, const char *ddi)
{
    struct fx_request *request = fx_request_lookup_any(handle, ddi);
    if (!request)
        return NULL;
    int owner = atomic_load_explicit(&request->owner, memory_order_acquire);
    if (kmh_likely(owner == FX_RQ_DRIVER))
        return request;
    fx_violation(ddi, "request %p %s", (void *)handle,
                 owner == FX_RQ_QUEUED ? "is in a queue: the framework owns it" : "is completed");
    return NULL;
}

WDFREQUEST fx_request_handle(struct fx_request *request)
{
    return (WDFREQUEST)request->object.handle;
}

/* --- Making and recycling -------------------------------------------------------- */
/* Only what the I/O path uses is reset field by field; the send state
 * (most of the object) only when a send or format touched it. */
static void request_reset(struct fx_request *request)
{
    if (request->flags & FX_RQF_SEND_USED) {
        void *timer = request->send.timer;
        memset(&request->send, 0, sizeof(request->send));
        request->send.timer = timer;
        InitializeListHead(&request->send.target_link);
    }
    request->queue = NULL;
    InitializeListHead(&request->link);
    request->flags = 0;
    request->qflags = 0;
    request->status = STATUS_SUCCESS;
    request->information = 0;
    request->cancel_routine = NULL;
    atomic_store_explicit(&request->cancelable, FX_CANCEL_NONE, memory_order_relaxed);
    request->in_cancel_callback = false;
    request->in_memory = request->out_memory = NULL;
    request->in_mdl = request->out_mdl = NULL;
}

/* A recycled request gets its context zeroed and the attribute callbacks
 * back (they were disarmed when it was recycled). */
static void request_revive(struct fx_request *request, const WDF_OBJECT_ATTRIBUTES *attributes)
{
    struct fx_context *c = request->object.contexts;
    atomic_store_explicit(&request->object.refs, 1, memory_order_relaxed);
    if (!c)
        return;
    memset(c + 1, 0, c->size);
    c->cleanup = attributes->EvtCleanupCallback;
    c->destroy = attributes->EvtDestroyCallback;
}

struct fx_request *fx_request_new(struct fx_device *device, struct fx_queue *queue, PIRP irp, NTSTATUS *status)
{
    PWDF_OBJECT_ATTRIBUTES attributes = device->request_attributes.Size ? &device->request_attributes : NULL;
    struct fx_request *request = queue ? fx_queue_cache_take(queue) : NULL;

    if (request) {
        request_revive(request, &device->request_attributes);
    } else {
        request = fx_object_new(device->object.globals, FX_TYPE_REQUEST, sizeof(*request), attributes, NULL,
                                status);
        if (!request)
            return NULL;
    }
    request_reset(request);
    request->irp = irp;
    request->device = device;
    request->alloc_device = device;
    atomic_store_explicit(&request->owner, FX_RQ_DRIVER, memory_order_relaxed);
    fx_request_tag_irp(irp, request);
    *status = STATUS_SUCCESS;
    return request;
}

struct fx_request *fx_request_from_irp(struct fx_device *device, PIRP irp, NTSTATUS *status)
{
    return fx_request_new(device, NULL, irp, status);
}

static bool request_recyclable(struct fx_request *request)
{
    struct fx_object *o = &request->object;
    struct fx_context *c = o->contexts;
    PLIST_ENTRY first = __atomic_load_n(&o->children.Flink, __ATOMIC_ACQUIRE);

    return atomic_load_explicit(&o->refs, memory_order_acquire) == 1 && first == &o->children &&
           (!c || (c->inline_storage && !c->next)) && !(request->flags & FX_RQF_CREATED);
}

/* What deleting would have done: cleanup, then destroy (no reference is
 * left), and the callbacks disarmed for the cached object. */
static void request_run_callbacks(struct fx_request *request)
{
    WDFOBJECT handle = request->object.handle;
    struct fx_context *c = request->object.contexts;
    if (!c)
        return;
    if (c->cleanup)
        c->cleanup(handle);
    if (c->destroy)
        c->destroy(handle);
    c->cleanup = NULL;
    c->destroy = NULL;
}

/* The framework is done with a completed request: back to the cache of
 * queue (the queue the caller still holds a reference on), or deleted. */
static void request_drop(struct fx_request *request, struct fx_queue *queue)
{
    /* The driver deleted it while it owned it: the reference dispose kept
     * is the last one now. */
    if (!fx_object_is_live(&request->object)) {
        fx_object_unref(&request->object);
        return;
    }
    if (queue && queue->device == request->alloc_device && request_recyclable(request)) {
        request_run_callbacks(request);
        atomic_store_explicit(&request->owner, FX_RQ_FREE, memory_order_release);
        if (fx_queue_cache_give(queue, request))
            return;
    }
    fx_object_delete(&request->object);
}

void fx_request_dispose_object(struct fx_request *request)
{
    fx_object_delete(&request->object);
}

/* --- Completion ---------------------------------------------------------------------- */
static bool request_take_for_completion(struct fx_request *request, const char *ddi)
{
    int expected = FX_RQ_DRIVER;

    if (request->flags & FX_RQF_CREATED) {
        fx_violation(ddi, "request %p was created by the driver: delete it with WdfObjectDelete instead",
                     (void *)request->object.handle);
        return false;
    }
    if (request->flags & FX_RQF_SENT) {
        fx_violation(ddi, "request %p is still at an I/O target", (void *)request->object.handle);
        return false;
    }
    if (!atomic_compare_exchange_strong(&request->owner, &expected, FX_RQ_COMPLETED)) {
        fx_violation(ddi, "request %p %s", (void *)request->object.handle,
                     expected == FX_RQ_QUEUED ? "is in a queue" : "is already completed");
        return false;
    }
    if (fx_request_reclaim_cancel(request))
        fx_violation(ddi, "request %p completed while cancelable (call WdfRequestUnmarkCancelable first)",
                     (void *)request->object.handle);
    return true;
}

/* Unlinks a request the framework is letting go of from its queue; true
 * when that freed a presentation slot. */
static bool request_detach(struct fx_request *request)
{
    struct fx_queue *queue = request->queue;
    bool slot_freed = false;
    KIRQL irql;

    fx_request_unformat(request);
    if (queue) {
        fx_queue_lock(queue, &irql);
        slot_freed = fx_queue_release_locked(queue, request);
        fx_queue_unlock(queue, irql);
    }
    fx_request_release_buffers(request);
    return slot_freed;
}

/* After the IRP is gone: the object goes back or away, the queue moves on. */
static void request_let_go(struct fx_request *request, bool slot_freed)
{
    struct fx_queue *queue = request->queue;

    request->irp = NULL;
    request_drop(request, queue);
    if (queue) {
        if (slot_freed)
            fx_queue_kick(queue);
        fx_object_unref(&queue->object);
    }
}

static void request_complete_irp(struct fx_request *request, NTSTATUS status, ULONG_PTR information, CCHAR boost)
{
    PIRP irp = request->irp;
    bool slot_freed = request_detach(request);

    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    if (IoGetCurrentIrpStackLocation(irp)->MajorFunction == IRP_MJ_CREATE)
        fx_file_create_completed(request->device, irp, status);
    IoCompleteRequest(irp, boost);
    request_let_go(request, slot_freed);
}

bool fx_request_forget(struct fx_request *request, const char *ddi)
{
    if (!request_take_for_completion(request, ddi))
        return false;
    request_let_go(request, request_detach(request));
    return true;
}

void fx_request_finish(struct fx_request *request, NTSTATUS status, ULONG_PTR information, CCHAR boost)
{
    if (request_take_for_completion(request, "WdfRequestComplete"))
        request_complete_irp(request, status, information, boost);
}

void fx_request_complete_internal(struct fx_request *request, NTSTATUS status, ULONG_PTR information)
{
    fx_request_finish(request, status, information, IO_NO_INCREMENT);
}

static void complete_checked(WDFREQUEST handle, NTSTATUS status, bool with_info, ULONG_PTR information, CCHAR boost,
                             const char *ddi)
{
    struct fx_request *request = fx_request_lookup_any(handle, ddi);
    if (!request || !request_take_for_completion(request, ddi))
        return;
    if (status == STATUS_PENDING)
        fx_violation(ddi, "request %p completed with STATUS_PENDING", (void *)handle);
    request_complete_irp(request, status, with_info ? information : request->irp->IoStatus.Information, boost);
}

/* WdfRequestComplete: completes a request the driver owns with status and
 * the information WdfRequestSetInformation set. IRQL <= DISPATCH_LEVEL.
 * Completing twice, or a request the driver does not own, is reported. */
static void ddi_request_complete(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, NTSTATUS Status)
{
    (void)g;
    complete_checked(Request, Status, false, 0, IO_NO_INCREMENT, "WdfRequestComplete");
}
FX_EXPORT(WdfRequestComplete, PFN_WDFREQUESTCOMPLETE, ddi_request_complete);

/* WdfRequestCompleteWithInformation: as WdfRequestComplete, with the
 * number of bytes (or other information) the request returns. */
static void ddi_request_complete_with_information(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, NTSTATUS Status,
                                                  ULONG_PTR Information)
{
    (void)g;
    complete_checked(Request, Status, true, Information, IO_NO_INCREMENT, "WdfRequestCompleteWithInformation");
}
FX_EXPORT(WdfRequestCompleteWithInformation, PFN_WDFREQUESTCOMPLETEWITHINFORMATION,
          ddi_request_complete_with_information);

/* WdfRequestCompleteWithPriorityBoost: as WdfRequestComplete, with a
 * priority boost for the requesting thread. */
static void ddi_request_complete_with_priority_boost(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, NTSTATUS Status,
                                                     CCHAR PriorityBoost)
{
    (void)g;
    complete_checked(Request, Status, false, 0, PriorityBoost, "WdfRequestCompleteWithPriorityBoost");
}
FX_EXPORT(WdfRequestCompleteWithPriorityBoost, PFN_WDFREQUESTCOMPLETEWITHPRIORITYBOOST,
          ddi_request_complete_with_priority_boost);

/* WdfRequestSetInformation: what completion will report as Information.
 * IRQL <= DISPATCH_LEVEL. */
static void ddi_request_set_information(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, ULONG_PTR Information)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestSetInformation");
    if (request && request->irp)
        request->irp->IoStatus.Information = Information;
}
FX_EXPORT(WdfRequestSetInformation, PFN_WDFREQUESTSETINFORMATION, ddi_request_set_information);

/* WdfRequestGetInformation: the IRP's Information (a target's answer after
 * a send). 0 for a bad handle. */
static ULONG_PTR ddi_request_get_information(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestGetInformation");
    return request && request->irp ? request->irp->IoStatus.Information : 0;
}
FX_EXPORT(WdfRequestGetInformation, PFN_WDFREQUESTGETINFORMATION, ddi_request_get_information);

/* WdfRequestGetStatus: the outcome of the last send (or why it could not
 * go), else the status the request was created or reused with. */
static NTSTATUS ddi_request_get_status(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestGetStatus");
    return request ? request->status : STATUS_INVALID_PARAMETER;
}
FX_EXPORT(WdfRequestGetStatus, PFN_WDFREQUESTGETSTATUS, ddi_request_get_status);
