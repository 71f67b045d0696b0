/*
 * Cancellation of requests the driver owns. Marking a request cancelable
 * puts the framework's cancel routine in the IRP and takes a reference on
 * the request; exactly one of these ends it, by taking the routine back
 * out of the IRP (an atomic exchange, so there is one winner):
 *   - WdfRequestUnmarkCancelable: STATUS_SUCCESS, EvtRequestCancel will
 *     not run; or STATUS_CANCELLED when IoCancelIrp won (the callback runs
 *     or is about to, and it completes the request);
 *   - IoCancelIrp: runs EvtRequestCancel (under the queue's callback lock,
 *     at PASSIVE_LEVEL for a passive queue) unless the driver completed
 *     the request first, which is reported;
 *   - completion with the routine still set: reported, and the routine
 *     taken back so no callback follows.
 * The cancelable word (FX_CANCEL_*): not cancelable, marked, or claimed
 * by the cancel routine — which it stays: the request is cancelled, and
 * unmarking says so, marking again says so too.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

static void run_cancel_callback(void *ctx)
{
    struct fx_request *request = ctx;
    struct fx_queue *queue = request->queue;

    if (atomic_load_explicit(&request->owner, memory_order_acquire) == FX_RQ_DRIVER) {
        bool locked = queue && fx_queue_try_enter_callback(queue);
        request->in_cancel_callback = true;
        request->cancel_routine((WDFREQUEST)request->object.handle);
        request->in_cancel_callback = false;
        if (locked)
            fx_queue_leave_callback(queue);
    }
    fx_object_unref(&request->object);
}

/* Consumes the reference marking took. */
void fx_request_call_cancel(struct fx_request *request)
{
    struct fx_queue *queue = request->queue;
    if (queue && queue->passive && KeGetCurrentIrql() > PASSIVE_LEVEL)
        fx_call_at_passive(run_cancel_callback, request);
    else
        run_cancel_callback(request);
}

static void request_cancel_routine(PDEVICE_OBJECT device, PIRP irp)
{
    struct fx_request *request = fx_request_from_tag(irp);

    (void)device;
    IoReleaseCancelSpinLock(irp->CancelIrql);
    atomic_store_explicit(&request->cancelable, FX_CANCEL_CLAIMED, memory_order_release);
    fx_request_call_cancel(request);
}

bool fx_request_reclaim_cancel(struct fx_request *request)
{
    if (atomic_load_explicit(&request->cancelable, memory_order_acquire) != FX_CANCEL_MARKED)
        return false;
    if (!IoSetCancelRoutine(request->irp, NULL))
        return false; /* the cancel routine has it, and will see the request done */
    atomic_store_explicit(&request->cancelable, FX_CANCEL_NONE, memory_order_release);
    fx_object_unref(&request->object);
    return true;
}

static NTSTATUS mark_checks(struct fx_request *request, PFN_WDF_REQUEST_CANCEL routine, const char *ddi)
{
    if (!routine) {
        fx_violation(ddi, "EvtRequestCancel is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    if (request->flags & (FX_RQF_CREATED | FX_RQF_SENT)) {
        fx_violation(ddi, "request %p is %s", (void *)request->object.handle,
                     (request->flags & FX_RQF_CREATED) ? "one the driver created" : "at an I/O target");
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    switch (atomic_load_explicit(&request->cancelable, memory_order_acquire)) {
    case FX_CANCEL_NONE:
        return STATUS_SUCCESS;
    case FX_CANCEL_CLAIMED:
        return STATUS_CANCELLED; /* cancelled already, its callback has run */
    default:
        return STATUS_INVALID_DEVICE_REQUEST;
    }
}

/* Arms cancellation. STATUS_SUCCESS; STATUS_CANCELLED when the IRP was
 * cancelled already and the routine came straight back (nothing runs). */
static NTSTATUS mark(struct fx_request *request, PFN_WDF_REQUEST_CANCEL routine)
{
    request->cancel_routine = routine;
    fx_request_tag_irp(request->irp, request);
    fx_object_ref(&request->object);
    atomic_store_explicit(&request->cancelable, FX_CANCEL_MARKED, memory_order_release);
    IoSetCancelRoutine(request->irp, request_cancel_routine);
    if (request->irp->Cancel && IoSetCancelRoutine(request->irp, NULL)) {
        atomic_store_explicit(&request->cancelable, FX_CANCEL_CLAIMED, memory_order_release);
        return STATUS_CANCELLED;
    }
    return STATUS_SUCCESS;
}

/* WdfRequestMarkCancelable: EvtRequestCancel runs if the request is
 * cancelled while the driver owns it — at once, from here, if it was
 * cancelled already (the documented reason to prefer the Ex form).
 * IRQL <= DISPATCH_LEVEL. */
static void ddi_request_mark_cancelable(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL EvtRequestCancel)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestMarkCancelable");
    if (!request)
        return;
    NTSTATUS status = mark_checks(request, EvtRequestCancel, "WdfRequestMarkCancelable");
    if (status == STATUS_INVALID_DEVICE_REQUEST)
        fx_violation("WdfRequestMarkCancelable", "request %p is cancelable already", (void *)Request);
    if (status == STATUS_CANCELLED) {
        request->cancel_routine = EvtRequestCancel;
        fx_object_ref(&request->object);
        fx_request_call_cancel(request); /* consumes the reference */
        return;
    }
    if (!NT_SUCCESS(status))
        return;
    if (mark(request, EvtRequestCancel) == STATUS_CANCELLED)
        fx_request_call_cancel(request); /* consumes the reference */
}
FX_EXPORT(WdfRequestMarkCancelable, PFN_WDFREQUESTMARKCANCELABLE, ddi_request_mark_cancelable);

/* WdfRequestMarkCancelableEx: as WdfRequestMarkCancelable, but a request
 * cancelled already is not called back: STATUS_CANCELLED, and the driver
 * completes it. STATUS_INVALID_DEVICE_REQUEST (cancelable already, not the
 * driver's), STATUS_INVALID_PARAMETER. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_request_mark_cancelable_ex(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                               PFN_WDF_REQUEST_CANCEL EvtRequestCancel)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestMarkCancelableEx");
    if (!request)
        return STATUS_INVALID_DEVICE_REQUEST;
    NTSTATUS status = mark_checks(request, EvtRequestCancel, "WdfRequestMarkCancelableEx");
    if (!NT_SUCCESS(status))
        return status;
    if ((status = mark(request, EvtRequestCancel)) == STATUS_CANCELLED)
        fx_object_unref(&request->object);
    return status;
}
FX_EXPORT(WdfRequestMarkCancelableEx, PFN_WDFREQUESTMARKCANCELABLEEX, ddi_request_mark_cancelable_ex);

/* WdfRequestUnmarkCancelable: disarms cancellation. STATUS_SUCCESS (no
 * callback will run), STATUS_CANCELLED (EvtRequestCancel runs or will:
 * leave the request to it), STATUS_INVALID_PARAMETER (not cancelable),
 * STATUS_INVALID_DEVICE_REQUEST (not the driver's). IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_request_unmark_cancelable(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestUnmarkCancelable");
    if (!request)
        return STATUS_INVALID_DEVICE_REQUEST;
    int state = atomic_load_explicit(&request->cancelable, memory_order_acquire);
    if (state == FX_CANCEL_CLAIMED)
        return STATUS_CANCELLED;
    if (state == FX_CANCEL_NONE)
        return STATUS_INVALID_PARAMETER;
    if (!IoSetCancelRoutine(request->irp, NULL))
        return STATUS_CANCELLED;
    atomic_store_explicit(&request->cancelable, FX_CANCEL_NONE, memory_order_release);
    fx_object_unref(&request->object);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfRequestUnmarkCancelable, PFN_WDFREQUESTUNMARKCANCELABLE, ddi_request_unmark_cancelable);
