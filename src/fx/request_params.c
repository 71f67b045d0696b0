/*
 * What a request says about itself: WDF_REQUEST_PARAMETERS from its stack
 * location, its queue, file object, requestor, IRP, and cancellation
 * state. A request the driver made describes the stack location it
 * formatted for its target.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

/* The location that describes the request: the current one for a request
 * that arrived, the formatted next one for a request the driver made. */
static PIO_STACK_LOCATION request_location(const struct fx_request *request)
{
    PIRP irp = request->irp;
    if (request->flags & FX_RQF_CREATED) {
        if (!(request->flags & FX_RQF_FORMATTED) || irp->CurrentLocation <= 1)
            return NULL;
        return IoGetNextIrpStackLocation(irp);
    }
    return IoGetCurrentIrpStackLocation(irp);
}

static void parameters_from_location(PWDF_REQUEST_PARAMETERS p, const IO_STACK_LOCATION *sp)
{
    p->MinorFunction = sp->MinorFunction;
    p->Type = (WDF_REQUEST_TYPE)sp->MajorFunction;
    switch (sp->MajorFunction) {
    case IRP_MJ_CREATE:
        p->Parameters.Create.SecurityContext = sp->Parameters.Create.SecurityContext;
        p->Parameters.Create.Options = sp->Parameters.Create.Options;
        p->Parameters.Create.FileAttributes = sp->Parameters.Create.FileAttributes;
        p->Parameters.Create.ShareAccess = sp->Parameters.Create.ShareAccess;
        p->Parameters.Create.EaLength = sp->Parameters.Create.EaLength;
        break;
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        /* Read and Write share a layout in both structures. */
        p->Parameters.Read.Length = sp->Parameters.Read.Length;
        p->Parameters.Read.Key = sp->Parameters.Read.Key;
        p->Parameters.Read.DeviceOffset = sp->Parameters.Read.ByteOffset.QuadPart;
        break;
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        p->Parameters.DeviceIoControl.OutputBufferLength = sp->Parameters.DeviceIoControl.OutputBufferLength;
        p->Parameters.DeviceIoControl.InputBufferLength = sp->Parameters.DeviceIoControl.InputBufferLength;
        p->Parameters.DeviceIoControl.IoControlCode = sp->Parameters.DeviceIoControl.IoControlCode;
        p->Parameters.DeviceIoControl.Type3InputBuffer = sp->Parameters.DeviceIoControl.Type3InputBuffer;
        break;
    default:
        p->Parameters.Others.Arg1 = sp->Parameters.Others.Argument1;
        p->Parameters.Others.Arg2 = sp->Parameters.Others.Argument2;
        p->Parameters.Others.IoControlCode = (ULONG)(ULONG_PTR)sp->Parameters.Others.Argument3;
        p->Parameters.Others.Arg4 = sp->Parameters.Others.Argument4;
        break;
    }
}

/* Fills Parameters for any request object the caller may look at (found
 * requests included): used by WdfIoQueueFindRequest too. */
void fx_request_get_parameters(struct fx_request *request, PWDF_REQUEST_PARAMETERS parameters)
{
    USHORT size = parameters->Size;
    memset(parameters, 0, sizeof(*parameters));
    parameters->Size = size;
    PIO_STACK_LOCATION sp = request->irp ? request_location(request) : NULL;
    if (sp)
        parameters_from_location(parameters, sp);
    else
        parameters->Type = WdfRequestTypeNoFormat;
}

/* WdfRequestGetParameters: the request's type and parameters.
 * IRQL <= DISPATCH_LEVEL. A wrong Parameters->Size is reported. */
static void ddi_request_get_parameters(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, PWDF_REQUEST_PARAMETERS Parameters)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestGetParameters");
    if (!request || !Parameters)
        return;
    if (Parameters->Size != sizeof(WDF_REQUEST_PARAMETERS)) {
        fx_violation("WdfRequestGetParameters", "WDF_REQUEST_PARAMETERS.Size is %u (use WDF_REQUEST_PARAMETERS_INIT)",
                     (unsigned)Parameters->Size);
        return;
    }
    fx_request_get_parameters(request, Parameters);
}
FX_EXPORT(WdfRequestGetParameters, PFN_WDFREQUESTGETPARAMETERS, ddi_request_get_parameters);

/* WdfRequestGetIoQueue: the queue that delivered the request, or NULL for
 * a request that came from no queue. IRQL <= DISPATCH_LEVEL. */
static WDFQUEUE ddi_request_get_io_queue(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestGetIoQueue");
    return request && request->queue ? (WDFQUEUE)request->queue->object.handle : NULL;
}
FX_EXPORT(WdfRequestGetIoQueue, PFN_WDFREQUESTGETIOQUEUE, ddi_request_get_io_queue);

/* WdfRequestGetFileObject: the WDFFILEOBJECT the request was made on, or
 * NULL (no file object, or the device does not track them). */
static WDFFILEOBJECT ddi_request_get_file_object(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestGetFileObject");
    if (!request || !request->device || !request->irp || (request->flags & FX_RQF_CREATED))
        return NULL;
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(request->irp)->FileObject;
    return file ? fx_file_object_of(request->device, file) : NULL;
}
FX_EXPORT(WdfRequestGetFileObject, PFN_WDFREQUESTGETFILEOBJECT, ddi_request_get_file_object);

/* WdfRequestGetRequestorMode: UserMode for a program's request. */
static KPROCESSOR_MODE ddi_request_get_requestor_mode(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestGetRequestorMode");
    return request && request->irp ? request->irp->RequestorMode : KernelMode;
}
FX_EXPORT(WdfRequestGetRequestorMode, PFN_WDFREQUESTGETREQUESTORMODE, ddi_request_get_requestor_mode);

/* WdfRequestIsFrom32BitProcess: kmhost runs 64-bit programs only. */
static BOOLEAN ddi_request_is_from_32bit_process(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    (void)fx_request_lookup(Request, "WdfRequestIsFrom32BitProcess");
    return FALSE;
}
FX_EXPORT(WdfRequestIsFrom32BitProcess, PFN_WDFREQUESTISFROM32BITPROCESS, ddi_request_is_from_32bit_process);

/* WdfRequestWdmGetIrp: the IRP, while the driver owns the request. */
static PIRP ddi_request_wdm_get_irp(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestWdmGetIrp");
    return request ? request->irp : NULL;
}
FX_EXPORT(WdfRequestWdmGetIrp, PFN_WDFREQUESTWDMGETIRP, ddi_request_wdm_get_irp);

/* WdfRequestIsCanceled: whether the I/O manager tried to cancel it. */
static BOOLEAN ddi_request_is_canceled(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestIsCanceled");
    return request && request->irp && request->irp->Cancel;
}
FX_EXPORT(WdfRequestIsCanceled, PFN_WDFREQUESTISCANCELED, ddi_request_is_canceled);

/* WdfRequestIsReserved: kmhost keeps no forward-progress reserve. */
static BOOLEAN ddi_request_is_reserved(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    (void)fx_request_lookup(Request, "WdfRequestIsReserved");
    return FALSE;
}
FX_EXPORT(WdfRequestIsReserved, PFN_WDFREQUESTISRESERVED, ddi_request_is_reserved);

/* WdfRequestGetRequestorProcessId: the process that sent the request. */
static ULONG ddi_request_get_requestor_process_id(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request)
{
    (void)g;
    struct fx_request *request = fx_request_lookup(Request, "WdfRequestGetRequestorProcessId");
    return request && request->irp ? IoGetRequestorProcessId(request->irp) : 0;
}
FX_EXPORT(WdfRequestGetRequestorProcessId, PFN_WDFREQUESTGETREQUESTORPROCESSID, ddi_request_get_requestor_process_id);
