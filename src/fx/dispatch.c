/*
 * The framework's dispatch routine, in every MajorFunction slot of a KMDF
 * driver: finds the WDFDEVICE the IRP is for, gives a WDM preprocess
 * routine its turn, and routes the IRP — PnP and power to the state
 * machine, create/cleanup/close to file objects, I/O to the queues (after
 * EvtIoInCallerContext when the driver has one). What no part of the
 * framework takes goes down the stack from a filter and fails with
 * STATUS_INVALID_DEVICE_REQUEST elsewhere, as KMDF documents.
 */
#include "fx/device_private.h"

NTSTATUS fx_dispatch_complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

NTSTATUS fx_dispatch_forward(struct fx_device *device, PIRP irp)
{
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(device->attached_to, irp);
}

static bool is_io_major(UCHAR major)
{
    return major == IRP_MJ_READ || major == IRP_MJ_WRITE || major == IRP_MJ_DEVICE_CONTROL ||
           major == IRP_MJ_INTERNAL_DEVICE_CONTROL;
}

/* Nothing in the framework handles it. */
static NTSTATUS unhandled(struct fx_device *device, PIRP irp)
{
    if (device->kind == FX_DEVICE_FILTER)
        return fx_dispatch_forward(device, irp);
    return fx_dispatch_complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}

/* EvtIoInCallerContext gets the request in the requester's thread; it
 * queues it with WdfDeviceEnqueueRequest (or completes it). */
static NTSTATUS in_caller_context(struct fx_device *device, PIRP irp)
{
    NTSTATUS status;
    struct fx_request *request = fx_request_from_irp(device, irp, &status);
    if (!request)
        return fx_dispatch_complete(irp, status, 0);
    IoMarkIrpPending(irp);
    device->in_caller_context(fx_device_handle(device), fx_request_handle(request));
    return STATUS_PENDING;
}

static NTSTATUS dispatch_io(struct fx_device *device, PIRP irp, UCHAR major)
{
    if (!device->dispatch_queues[major] && !device->default_queue)
        return unhandled(device, irp);
    if (device->in_caller_context)
        return in_caller_context(device, irp);
    return fx_queue_dispatch_irp(device, irp);
}

static NTSTATUS dispatch_shutdown(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    if (device->kind == FX_DEVICE_CONTROL && pnp->shutdown)
        pnp->shutdown(fx_device_handle(device));
    if (device->kind == FX_DEVICE_FILTER)
        return fx_dispatch_forward(device, irp);
    return fx_dispatch_complete(irp, STATUS_SUCCESS, 0);
}

/* WMI belongs to the WMI family; without a provider, an FDO passes the
 * IRP down as KMDF does and a PDO leaves it as it came. */
static NTSTATUS dispatch_system_control(struct fx_device *device, PIRP irp)
{
    if (fx_device_has_lower(device))
        return fx_dispatch_forward(device, irp);
    return fx_dispatch_complete(irp, irp->IoStatus.Status, irp->IoStatus.Information);
}

static NTSTATUS dispatch_framework(struct fx_device *device, PIRP irp)
{
    UCHAR major = IoGetCurrentIrpStackLocation(irp)->MajorFunction;

    switch (major) {
    case IRP_MJ_PNP: return fx_pnp_dispatch(device, irp);
    case IRP_MJ_POWER: return fx_power_dispatch(device, irp);
    case IRP_MJ_CREATE: return fx_file_dispatch_create(device, irp);
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE: return fx_file_dispatch_cleanup_close(device, irp);
    case IRP_MJ_SHUTDOWN: return dispatch_shutdown(device, irp);
    case IRP_MJ_SYSTEM_CONTROL: return dispatch_system_control(device, irp);
    default: break;
    }
    if (is_io_major(major))
        return dispatch_io(device, irp, major);
    return unhandled(device, irp);
}

static bool preprocess_wants(const struct fx_preprocess *p, UCHAR minor)
{
    if (!p->callback)
        return false;
    if (!p->minor_count)
        return true;
    for (ULONG i = 0; i < p->minor_count; i++)
        if (p->minors[i] == minor)
            return true;
    return false;
}

NTSTATUS fx_wdm_dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    struct fx_device *device = fx_device_from_wdm(DeviceObject);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);

    /* A device of a KMDF driver that the framework does not own (made
     * with IoCreateDevice behind its back) has no one to handle it. */
    if (!device)
        return fx_dispatch_complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    struct fx_preprocess *p = &fx_pnp_of(device)->preprocess[sp->MajorFunction];
    if (preprocess_wants(p, sp->MinorFunction))
        return p->callback(fx_device_handle(device), Irp);
    return dispatch_framework(device, Irp);
}

/* WdfDeviceWdmDispatchPreprocessedIrp: hands an IRP the preprocess routine
 * saw (and skipped its stack location for) back to the framework.
 * IRQL of the IRP. The framework's dispatch status. */
static NTSTATUS device_wdm_dispatch_preprocessed_irp(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PIRP Irp)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceWdmDispatchPreprocessedIrp");
    if (!device || !Irp)
        return STATUS_INVALID_PARAMETER;
    /* The routine skipped its location before calling, as documented. */
    IoSetNextIrpStackLocation(Irp);
    return dispatch_framework(device, Irp);
}
FX_EXPORT(WdfDeviceWdmDispatchPreprocessedIrp, PFN_WDFDEVICEWDMDISPATCHPREPROCESSEDIRP,
          device_wdm_dispatch_preprocessed_irp);

/* WdfDeviceEnqueueRequest: EvtIoInCallerContext hands its request to the
 * queue the request's type goes to. <= DISPATCH_LEVEL. STATUS_SUCCESS, or
 * the queue's failure (the request is then still the driver's to complete),
 * STATUS_INVALID_PARAMETER for a bad handle. */
static NTSTATUS device_enqueue_request(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, WDFREQUEST Request)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceEnqueueRequest");
    if (!device || !fx_handle_object(Request, FX_TYPE_REQUEST, "WdfDeviceEnqueueRequest"))
        return STATUS_INVALID_PARAMETER;
    if (!fx_check_irql(DISPATCH_LEVEL, "WdfDeviceEnqueueRequest"))
        return STATUS_INVALID_DEVICE_REQUEST;
    return fx_queue_enqueue_request(device, Request);
}
FX_EXPORT(WdfDeviceEnqueueRequest, PFN_WDFDEVICEENQUEUEREQUEST, device_enqueue_request);

/* WdfDeviceConfigureRequestDispatching: requests of one type (create,
 * read, write, device control, internal device control) go to this queue
 * instead of the default one. PASSIVE_LEVEL. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER (bad handle or type, or a queue of another
 * device), STATUS_INVALID_DEVICE_REQUEST (the type already has a queue). */
static NTSTATUS device_configure_request_dispatching(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, WDFQUEUE Queue,
                                                     WDF_REQUEST_TYPE RequestType)
{
    (void)g;
    const char *ddi = "WdfDeviceConfigureRequestDispatching";
    struct fx_device *device = fx_device_lookup(Device, ddi);
    struct fx_object *queue = fx_handle_object(Queue, FX_TYPE_QUEUE, ddi);

    if (!device || !queue)
        return STATUS_INVALID_PARAMETER;
    if (RequestType != WdfRequestTypeCreate && !is_io_major((UCHAR)RequestType)) {
        fx_violation(ddi, "requests of type %d cannot be dispatched to a queue", (int)RequestType);
        return STATUS_INVALID_PARAMETER;
    }
    if (fx_object_ancestor(queue, FX_TYPE_DEVICE) != &device->object) {
        fx_violation(ddi, "the queue belongs to another device");
        return STATUS_INVALID_PARAMETER;
    }
    if (device->dispatch_queues[RequestType])
        return STATUS_INVALID_DEVICE_REQUEST;
    device->dispatch_queues[RequestType] = (struct fx_queue *)queue;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDeviceConfigureRequestDispatching, PFN_WDFDEVICECONFIGUREREQUESTDISPATCHING,
          device_configure_request_dispatching);
