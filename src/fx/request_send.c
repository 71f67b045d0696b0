/*
 * Requests the driver makes (WdfRequestCreate, WdfRequestCreateFromIrp)
 * and sending requests to I/O targets: WdfRequestSend with its options,
 * completion routines and parameters, timeouts, cancellation of sent
 * requests, and send-and-forget.
 *
 * A sent IRP comes back through sent_irp_completed, which always returns
 * STATUS_MORE_PROCESSING_REQUIRED: the IRP is the request's again, and a
 * received request goes up when the driver completes it. Cancellers of a
 * sent request (timeout, WdfRequestCancelSentRequest, target stop) take a
 * count in send.refs before calling IoCancelIrp, so whichever of them and
 * the completion lets go last finishes the send (fx_request_send_done):
 * the IRP is never cancelled after it went back up.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

#include <stdlib.h>

#define CREATED_STACK_SIZE 4

struct fx_request_timer {
    KTIMER timer;
    KDPC dpc;
    struct fx_request *request;
    uint32_t send_seq;
};

/* --- Driver-created requests ------------------------------------------------------ */
static struct fx_request *created_new(struct fx_globals *globals, PWDF_OBJECT_ATTRIBUTES attributes, PIRP irp,
                                      uint32_t flags, NTSTATUS *status)
{
    struct fx_object *parent = globals->driver ? &globals->driver->object : NULL;
    struct fx_request *request = fx_object_new(globals, FX_TYPE_REQUEST, sizeof(*request), attributes, parent,
                                               status);
    if (!request)
        return NULL;
    InitializeListHead(&request->link);
    InitializeListHead(&request->send.target_link);
    request->irp = irp;
    request->flags = FX_RQF_CREATED | flags;
    request->status = STATUS_SUCCESS;
    atomic_store(&request->owner, FX_RQ_DRIVER);
    if (irp)
        fx_request_tag_irp(irp, request);
    return request;
}

static PIRP created_irp(CCHAR stack_size)
{
    PIRP irp = io_irp_alloc(stack_size, IO_IRP_DRIVER);
    if (irp) {
        irp->RequestorMode = KernelMode;
        irp->Tail.Overlay.Thread = PsGetCurrentThread();
    }
    return irp;
}

/* A bigger IRP for a request the driver made, keeping what formatting put
 * in the old one. */
static NTSTATUS grow_irp(struct fx_request *request, CCHAR stack_size)
{
    PIRP old = request->irp, irp = created_irp(stack_size);
    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (old) {
        if (request->flags & FX_RQF_FORMATTED)
            *IoGetNextIrpStackLocation(irp) = *IoGetNextIrpStackLocation(old);
        irp->AssociatedIrp.SystemBuffer = old->AssociatedIrp.SystemBuffer;
        irp->MdlAddress = old->MdlAddress;
        irp->UserBuffer = old->UserBuffer;
        irp->Flags = old->Flags;
        irp->IoStatus = old->IoStatus;
        old->MdlAddress = NULL;
        IoFreeIrp(old);
    }
    request->irp = irp;
    fx_request_tag_irp(irp, request);
    return STATUS_SUCCESS;
}

NTSTATUS fx_request_fit_target(struct fx_request *request, struct fx_io_target *target)
{
    CCHAR needed = target ? fx_io_target_stack_size(target) : CREATED_STACK_SIZE;
    PIRP irp = request->irp;

    if ((request->flags & FX_RQF_CREATED) && (request->flags & FX_RQF_FREES_IRP) && !(request->flags & FX_RQF_SENT) &&
        (!irp || irp->StackCount < needed))
        return grow_irp(request, needed < CREATED_STACK_SIZE ? CREATED_STACK_SIZE : needed);
    if (!irp || irp->CurrentLocation - 1 < needed)
        return STATUS_REQUEST_NOT_ACCEPTED;
    return STATUS_SUCCESS;
}

struct fx_request *fx_request_create_internal(struct fx_globals *globals, struct fx_io_target *target,
                                              NTSTATUS *status)
{
    struct fx_request *request = created_new(globals, NULL, NULL, FX_RQF_FREES_IRP, status);
    if (request && !NT_SUCCESS(*status = fx_request_fit_target(request, target))) {
        fx_object_delete(&request->object);
        return NULL;
    }
    return request;
}

/* WdfRequestCreate: an empty request the driver formats and sends, with an
 * IRP big enough for IoTarget when given. Parent: the driver unless the
 * attributes say otherwise. Deleted, never completed. STATUS_INVALID_PARAMETER,
 * STATUS_INSUFFICIENT_RESOURCES, STATUS_WDF_*_INVALID. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_request_create(PWDF_DRIVER_GLOBALS g, PWDF_OBJECT_ATTRIBUTES RequestAttributes,
                                   WDFIOTARGET IoTarget, WDFREQUEST *Request)
{
    struct fx_io_target *target = NULL;
    NTSTATUS status;

    if (Request)
        *Request = NULL;
    if (IoTarget && !(target = FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, IoTarget, "WdfRequestCreate")))
        return STATUS_INVALID_PARAMETER;
    if (!Request)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(RequestAttributes, false, "WdfRequestCreate")))
        return status;
    struct fx_request *request = created_new(fx_globals_of(g), RequestAttributes, NULL, FX_RQF_FREES_IRP, &status);
    if (!request)
        return status;
    if (!NT_SUCCESS(status = fx_request_fit_target(request, target))) {
        fx_object_delete(&request->object);
        return status;
    }
    request->device = target ? target->device : NULL;
    *Request = (WDFREQUEST)request->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfRequestCreate, PFN_WDFREQUESTCREATE, ddi_request_create);

/* WdfRequestCreateFromIrp: a request around an IRP the driver has (freed
 * with the request when RequestFreesIrp). STATUS_INVALID_PARAMETER,
 * STATUS_INSUFFICIENT_RESOURCES. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_request_create_from_irp(PWDF_DRIVER_GLOBALS g, PWDF_OBJECT_ATTRIBUTES RequestAttributes, PIRP Irp,
                                            BOOLEAN RequestFreesIrp, WDFREQUEST *Request)
{
    NTSTATUS status;

    if (Request)
        *Request = NULL;
    if (!Irp || !Request)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(RequestAttributes, false, "WdfRequestCreateFromIrp")))
        return status;
    struct fx_request *request = created_new(fx_globals_of(g), RequestAttributes, Irp,
                                             FX_RQF_FROM_IRP | (RequestFreesIrp ? FX_RQF_FREES_IRP : 0), &status);
    if (!request)
        return status;
    *Request = (WDFREQUEST)request->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfRequestCreateFromIrp, PFN_WDFREQUESTCREATEFROMIRP, ddi_request_create_from_irp);

/* WdfRequestReuse: readies a completed request for another send: status,
 * completion routine and formatting cleared; a new IRP for requests made
 * from IRPs. STATUS_INVALID_PARAMETER, STATUS_WDF_REQUEST_INVALID_STATE
 * (a new IRP for a request not made from one, or the request is at a
 * target). IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_request_reuse(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, PWDF_REQUEST_REUSE_PARAMS ReuseParams)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestReuse");
    bool new_irp = ReuseParams && (ReuseParams->Flags & WDF_REQUEST_REUSE_SET_NEW_IRP);

    if (!request || !ReuseParams || ReuseParams->Size != sizeof(*ReuseParams) || (new_irp && !ReuseParams->NewIrp))
        return STATUS_INVALID_PARAMETER;
    if ((request->flags & FX_RQF_SENT) || (new_irp && !(request->flags & FX_RQF_FROM_IRP))) {
        fx_violation("WdfRequestReuse", "request %p cannot be reused this way now", (void *)Request);
        return STATUS_WDF_REQUEST_INVALID_STATE;
    }
    fx_request_unformat(request);
    if (new_irp) {
        if (request->flags & FX_RQF_FREES_IRP)
            IoFreeIrp(request->irp);
        request->irp = ReuseParams->NewIrp;
        fx_request_tag_irp(request->irp, request);
    } else if ((request->flags & FX_RQF_CREATED) && request->irp) {
        IoReuseIrp(request->irp, ReuseParams->Status);
    }
    request->status = ReuseParams->Status;
    request->send.routine = NULL;
    request->send.context = NULL;
    request->flags &= ~FX_RQF_SENT_ONCE;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfRequestReuse, PFN_WDFREQUESTREUSE, ddi_request_reuse);

/* --- Formatting without a target ------------------------------------------------------ */
/* Clears the previous format and, for a request that arrived, remembers
 * the IRP's own buffer fields so they go back before the IRP goes up. */
NTSTATUS fx_request_format_begin(struct fx_request *request, struct fx_io_target *target)
{
    NTSTATUS status;

    if (request->flags & FX_RQF_SENT) {
        fx_violation("WdfIoTargetFormatRequest", "request %p is at a target", (void *)request->object.handle);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    fx_request_unformat(request);
    if (!NT_SUCCESS(status = fx_request_fit_target(request, target)))
        return status;
    request->flags |= FX_RQF_SEND_USED;
    PIRP irp = request->irp;
    struct fx_request_send *s = &request->send;
    s->saved = true;
    s->saved_system_buffer = irp->AssociatedIrp.SystemBuffer;
    s->saved_mdl = irp->MdlAddress;
    s->saved_user_buffer = irp->UserBuffer;
    s->saved_flags = irp->Flags;
    memset(IoGetNextIrpStackLocation(irp), 0, sizeof(IO_STACK_LOCATION));
    return STATUS_SUCCESS;
}

void fx_request_unformat(struct fx_request *request)
{
    struct fx_request_send *s = &request->send;
    PIRP irp = request->irp;

    if (!(request->flags & FX_RQF_SEND_USED))
        return;

    if (s->saved && irp) {
        irp->AssociatedIrp.SystemBuffer = s->saved_system_buffer;
        irp->MdlAddress = s->saved_mdl;
        irp->UserBuffer = s->saved_user_buffer;
        irp->Flags = s->saved_flags;
    }
    s->saved = false;
    if (s->built_mdl) {
        IoFreeMdl(s->built_mdl);
        s->built_mdl = NULL;
    }
    free(s->bounce);
    s->bounce = NULL;
    s->bounce_out = NULL;
    for (int i = 0; i < 3; i++) {
        if (s->memory[i])
            fx_object_unref(&s->memory[i]->object);
        s->memory[i] = NULL;
    }
    request->flags &= ~FX_RQF_FORMATTED;
}

/* WdfRequestFormatRequestUsingCurrentType: the next stack location becomes
 * a copy of the current one, to pass the request down as it came.
 * IRQL <= DISPATCH_LEVEL. */
static void ddi_request_format_request_using_current_type(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestFormatRequestUsingCurrentType");
    if (!request)
        return;
    if (request->flags & FX_RQF_CREATED) {
        fx_violation("WdfRequestFormatRequestUsingCurrentType", "request %p has no current stack location to copy",
                     (void *)Request);
        return;
    }
    if (request->irp->CurrentLocation <= 1) {
        /* No location left below: WdfRequestSend will say so
         * (STATUS_REQUEST_NOT_ACCEPTED). */
        request->flags |= FX_RQF_FORMATTED;
        return;
    }
    fx_request_unformat(request);
    IoCopyCurrentIrpStackLocationToNext(request->irp);
    request->send.type = (WDF_REQUEST_TYPE)IoGetCurrentIrpStackLocation(request->irp)->MajorFunction;
    request->flags |= FX_RQF_FORMATTED | FX_RQF_SEND_USED;
}
FX_EXPORT(WdfRequestFormatRequestUsingCurrentType, PFN_WDFREQUESTFORMATREQUESTUSINGCURRENTTYPE,
          ddi_request_format_request_using_current_type);

/* WdfRequestWdmFormatUsingStackLocation: the next stack location becomes a
 * copy of Stack (its completion routine fields aside). */
static void ddi_request_wdm_format_using_stack_location(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                                        PIO_STACK_LOCATION Stack)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestWdmFormatUsingStackLocation");
    if (!request || !Stack || !NT_SUCCESS(fx_request_format_begin(request, NULL)))
        return;
    PIO_STACK_LOCATION next = IoGetNextIrpStackLocation(request->irp);
    *next = *Stack;
    next->CompletionRoutine = NULL;
    next->Context = NULL;
    next->Control = 0;
    request->send.type = (WDF_REQUEST_TYPE)Stack->MajorFunction;
    request->flags |= FX_RQF_FORMATTED;
}
FX_EXPORT(WdfRequestWdmFormatUsingStackLocation, PFN_WDFREQUESTWDMFORMATUSINGSTACKLOCATION,
          ddi_request_wdm_format_using_stack_location);

/* WdfRequestChangeTarget: whether the request can go to IoTarget (a
 * request the driver made gets a bigger IRP if it needs one).
 * STATUS_REQUEST_NOT_ACCEPTED (too few stack locations),
 * STATUS_INVALID_PARAMETER. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_request_change_target(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestChangeTarget");
    struct fx_io_target *target = FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, IoTarget, "WdfRequestChangeTarget");
    if (!request || !target)
        return STATUS_INVALID_PARAMETER;
    return fx_request_fit_target(request, target);
}
FX_EXPORT(WdfRequestChangeTarget, PFN_WDFREQUESTCHANGETARGET, ddi_request_change_target);

/* --- Completion routines and parameters --------------------------------------------------- */
/* WdfRequestSetCompletionRoutine: what runs when a sent request comes back
 * (NULL removes it). IRQL <= DISPATCH_LEVEL. */
static void ddi_request_set_completion_routine(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                               PFN_WDF_REQUEST_COMPLETION_ROUTINE CompletionRoutine,
                                               WDFCONTEXT CompletionContext)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestSetCompletionRoutine");
    if (!request)
        return;
    request->flags |= FX_RQF_SEND_USED;
    request->send.routine = CompletionRoutine;
    request->send.context = CompletionContext;
}
FX_EXPORT(WdfRequestSetCompletionRoutine, PFN_WDFREQUESTSETCOMPLETIONROUTINE, ddi_request_set_completion_routine);

/* WdfRequestGetCompletionParams: how the last send ended. */
static void ddi_request_get_completion_params(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                              PWDF_REQUEST_COMPLETION_PARAMS Params)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestGetCompletionParams");
    if (!request || !Params)
        return;
    if (request->flags & FX_RQF_SENT_ONCE) {
        *Params = request->send.params;
    } else {
        memset(Params, 0, sizeof(*Params));
        Params->Size = sizeof(*Params);
        Params->Type = WdfRequestTypeNoFormat;
        Params->IoStatus.Status = request->status;
    }
}
FX_EXPORT(WdfRequestGetCompletionParams, PFN_WDFREQUESTGETCOMPLETIONPARAMS, ddi_request_get_completion_params);

static WDFMEMORY memory_handle(struct fx_memory *memory)
{
    return memory ? (WDFMEMORY)memory->object.handle : NULL;
}

static void completion_params_fill(struct fx_request *request)
{
    struct fx_request_send *s = &request->send;
    PWDF_REQUEST_COMPLETION_PARAMS p = &s->params;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(request->irp);

    memset(p, 0, sizeof(*p));
    p->Size = sizeof(*p);
    p->Type = s->type;
    p->IoStatus = request->irp->IoStatus;
    switch (s->type) {
    case WdfRequestTypeRead:
    case WdfRequestTypeWrite:
        p->Parameters.Read.Buffer = memory_handle(s->memory[0]);
        p->Parameters.Read.Offset = s->offsets[0];
        p->Parameters.Read.Length = p->IoStatus.Information;
        break;
    case WdfRequestTypeDeviceControl:
    case WdfRequestTypeDeviceControlInternal:
        p->Parameters.Ioctl.IoControlCode = sp->Parameters.DeviceIoControl.IoControlCode;
        p->Parameters.Ioctl.Input.Buffer = memory_handle(s->memory[0]);
        p->Parameters.Ioctl.Input.Offset = s->offsets[0];
        p->Parameters.Ioctl.Output.Buffer = memory_handle(s->memory[1]);
        p->Parameters.Ioctl.Output.Offset = s->offsets[1];
        p->Parameters.Ioctl.Output.Length = p->IoStatus.Information;
        break;
    default:
        p->Parameters.Others.Argument1.Ptr = sp->Parameters.Others.Argument1;
        p->Parameters.Others.Argument2.Ptr = sp->Parameters.Others.Argument2;
        p->Parameters.Others.Argument3.Ptr = sp->Parameters.Others.Argument3;
        p->Parameters.Others.Argument4.Ptr = sp->Parameters.Others.Argument4;
        break;
    }
}

/* METHOD_BUFFERED through a bounce buffer: the answer goes where the
 * driver asked for it. */
static void bounce_copy_back(struct fx_request *request)
{
    struct fx_request_send *s = &request->send;
    ULONG_PTR length = request->irp->IoStatus.Information;

    if (!s->bounce || !s->bounce_out || NT_ERROR(request->irp->IoStatus.Status))
        return;
    memcpy(s->bounce_out, s->bounce, length < s->bounce_out_length ? length : s->bounce_out_length);
}

/* --- Timeouts ------------------------------------------------------------------------------ */
static void timeout_expired(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    struct fx_request_timer *t = context;
    struct fx_request *request = t->request;

    (void)dpc, (void)arg1, (void)arg2;
    if (request->send.seq_now == t->send_seq) {
        __atomic_store_n(&request->send.timed_out, true, __ATOMIC_RELEASE);
        fx_request_cancel_sent(request);
    }
    fx_object_unref(&request->object);
}

static struct fx_request_timer *timer_get(struct fx_request *request)
{
    struct fx_request_timer *t = request->send.timer;
    if (t)
        return t;
    if (!(t = calloc(1, sizeof(*t))))
        return NULL;
    KeInitializeTimer(&t->timer);
    KeInitializeDpc(&t->dpc, timeout_expired, t);
    t->request = request;
    request->send.timer = t;
    request->flags |= FX_RQF_SEND_USED;
    return t;
}

/* WdfRequestAllocateTimer: makes sure a timed send cannot fail for want of
 * a timer. STATUS_SUCCESS, STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS ddi_request_allocate_timer(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestAllocateTimer");
    if (!request)
        return STATUS_INVALID_PARAMETER;
    return timer_get(request) ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}
FX_EXPORT(WdfRequestAllocateTimer, PFN_WDFREQUESTALLOCATETIMER, ddi_request_allocate_timer);

NTSTATUS fx_request_arm_timeout(struct fx_request *request, LONGLONG timeout)
{
    struct fx_request_timer *t = timer_get(request);
    if (!t)
        return STATUS_INSUFFICIENT_RESOURCES;
    t->send_seq = request->send.seq_now;
    request->send.timer_armed = true;
    fx_object_ref(&request->object); /* the DPC's, unless the timer is cancelled */
    KeSetTimer(&t->timer, (LARGE_INTEGER){ .QuadPart = timeout }, &t->dpc);
    return STATUS_SUCCESS;
}

void fx_request_disarm_timeout(struct fx_request *request)
{
    if (!request->send.timer_armed)
        return;
    request->send.timer_armed = false;
    if (KeCancelTimer(&request->send.timer->timer))
        fx_object_unref(&request->object);
}

/* --- Coming back ------------------------------------------------------------------------------- */
void fx_request_send_done(struct fx_request *request)
{
    struct fx_request_send *s = &request->send;
    struct fx_io_target *target = s->target;
    PIRP irp = request->irp;

    fx_request_disarm_timeout(request);
    if (__atomic_load_n(&s->timed_out, __ATOMIC_ACQUIRE) && irp->IoStatus.Status == STATUS_CANCELLED)
        irp->IoStatus.Status = STATUS_IO_TIMEOUT;
    bounce_copy_back(request);
    request->status = irp->IoStatus.Status;
    completion_params_fill(request);
    request->flags = (request->flags & ~FX_RQF_SENT) | FX_RQF_SENT_ONCE;
    s->target = NULL;
    bool created = request->flags & FX_RQF_CREATED;
    if (s->synchronous) {
        KEVENT *done = s->done; /* the waiter may reuse the request at once */
        fx_object_unref(&target->object);
        if (created)
            fx_object_unref(&request->object); /* the waiter holds its own */
        KeSetEvent(done, IO_NO_INCREMENT, FALSE);
        return;
    }
    if (s->routine)
        s->routine((WDFREQUEST)request->object.handle, (WDFIOTARGET)target->object.handle, &s->params, s->context);
    else if (!created)
        fx_request_finish(request, irp->IoStatus.Status, irp->IoStatus.Information, IO_NO_INCREMENT);
    fx_object_unref(&target->object);
    if (created)
        fx_object_unref(&request->object); /* taken at send */
}

/* The IRP is back from the target. */
NTSTATUS fx_request_sent_completed(PDEVICE_OBJECT device, PIRP irp, PVOID context)
{
    struct fx_request *request = context;
    struct fx_io_target *target = request->send.target;
    KIRQL irql;

    (void)device;
    (void)irp;
    KeAcquireSpinLock(&target->lock, &irql);
    fx_io_target_unlink_locked(target, request);
    KeReleaseSpinLock(&target->lock, irql);
    if (atomic_fetch_sub(&request->send.refs, 1) == 1)
        fx_request_send_done(request);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* WdfRequestCancelSentRequest: tries to cancel a request at a target (or
 * held by a stopped one). TRUE if it was cancelled there. The IRP's own
 * completion still decides the outcome. IRQL <= DISPATCH_LEVEL. */
static BOOLEAN ddi_request_cancel_sent_request(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestCancelSentRequest");
    return request && fx_request_cancel_sent(request);
}
FX_EXPORT(WdfRequestCancelSentRequest, PFN_WDFREQUESTCANCELSENTREQUEST, ddi_request_cancel_sent_request);

/* --- Sending -------------------------------------------------------------------------------------- */
/* Send-and-forget: the IRP goes down as it came (or as formatted with the
 * current type) and the framework lets go of the request at once: no
 * completion routine, no EvtIoStop. */
static BOOLEAN send_and_forget(struct fx_request *request, struct fx_io_target *target, ULONG flags)
{
    const char *ddi = "WdfRequestSend";
    PIRP irp = request->irp;
    bool formatted = request->flags & FX_RQF_FORMATTED;

    if ((request->flags & FX_RQF_CREATED) || flags != WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET || target->file ||
        !target->target_device) {
        fx_violation(ddi, "send-and-forget takes a received request, to a local target, with no other option");
        request->status = STATUS_INVALID_DEVICE_REQUEST;
        return FALSE;
    }
    if (irp->CurrentLocation - (formatted ? 1 : 0) < fx_io_target_stack_size(target)) {
        request->status = STATUS_REQUEST_NOT_ACCEPTED;
        return FALSE;
    }
    if (!fx_request_forget(request, ddi))
        return FALSE;
    if (formatted)
        IoSetCompletionRoutine(irp, NULL, NULL, FALSE, FALSE, FALSE);
    else
        IoSkipCurrentIrpStackLocation(irp);
    (void)IoCallDriver(target->target_device, irp);
    return TRUE;
}

/* WdfRequestSend: sends a formatted request to IoTarget, asynchronously
 * (the completion routine reports) or, with
 * WDF_REQUEST_SEND_OPTION_SYNCHRONOUS, waiting (PASSIVE_LEVEL). FALSE if
 * it could not be sent: WdfRequestGetStatus says why
 * (STATUS_INVALID_DEVICE_STATE: the target is closed, purged or removed;
 * STATUS_REQUEST_NOT_ACCEPTED: not enough stack locations).
 * IRQL <= DISPATCH_LEVEL. */
static BOOLEAN ddi_request_send(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, WDFIOTARGET Target,
                                PWDF_REQUEST_SEND_OPTIONS Options)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestSend");
    struct fx_io_target *target = FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, Target, "WdfRequestSend");

    if (!request)
        return FALSE;
    if (!target || (Options && Options->Size != sizeof(*Options))) {
        request->status = STATUS_INVALID_PARAMETER;
        return FALSE;
    }
    if (Options && (Options->Flags & WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET))
        return send_and_forget(request, target, Options->Flags);
    if (!(request->flags & FX_RQF_FORMATTED)) {
        fx_violation("WdfRequestSend", "request %p was not formatted for a target", (void *)Request);
        request->status = STATUS_INVALID_DEVICE_REQUEST;
        return FALSE;
    }
    return fx_io_target_send(target, request, Options);
}
FX_EXPORT(WdfRequestSend, PFN_WDFREQUESTSEND, ddi_request_send);
