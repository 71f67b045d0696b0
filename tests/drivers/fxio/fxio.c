/*
 * fxio: a KMDF function driver as a real one is written — a named device
 * with buffered I/O, a request context, a parallel default queue
 * (power-managed by default) with EvtIoStop/EvtIoResume, and IOCTLs that
 * echo, go down to the default I/O target three ways, or wait for the
 * test. What it sees goes into struct fxio_shared.
 */
#include <ntddk.h>
#include <wdf.h>

#include "fxio.h"

typedef struct {
    ULONG code;
} REQUEST_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE(REQUEST_CONTEXT);

static struct fxio_shared *shared;

static void RequestContextCleanup(WDFOBJECT Object)
{
    (void)Object;
    InterlockedIncrement(&shared->contexts_cleaned);
}

static void Echo(WDFREQUEST Request)
{
    PVOID in, out;
    size_t in_length, out_length;
    NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, &in, &in_length);
    if (NT_SUCCESS(status))
        status = WdfRequestRetrieveOutputBuffer(Request, in_length, &out, &out_length);
    if (NT_SUCCESS(status) && out != in)
        RtlCopyMemory(out, in, in_length);
    WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? in_length : 0);
}

static void DownDone(WDFREQUEST Request, WDFIOTARGET Target, PWDF_REQUEST_COMPLETION_PARAMS Params,
                     WDFCONTEXT Context)
{
    (void)Target;
    (void)Context;
    InterlockedIncrement(&shared->routines);
    WdfRequestCompleteWithInformation(Request, Params->IoStatus.Status, Params->IoStatus.Information);
}

/* The bus below answers IOCTL_FXIO_BUS_ECHO: the request becomes one. */
static void RetypeForBus(WDFREQUEST Request)
{
    PIO_STACK_LOCATION next = IoGetNextIrpStackLocation(WdfRequestWdmGetIrp(Request));
    next->Parameters.DeviceIoControl.IoControlCode = IOCTL_FXIO_BUS_ECHO;
}

static void Down(WDFQUEUE Queue, WDFREQUEST Request, ULONG Code)
{
    WDFIOTARGET target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
    WDF_REQUEST_SEND_OPTIONS options;
    WDF_MEMORY_DESCRIPTOR in, out;
    WDFMEMORY in_memory, out_memory;
    ULONG_PTR bytes = 0;

    if (Code == IOCTL_FXIO_DOWN_SYNC) {
        NTSTATUS status = WdfRequestRetrieveInputMemory(Request, &in_memory);
        if (NT_SUCCESS(status))
            status = WdfRequestRetrieveOutputMemory(Request, &out_memory);
        WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(&in, in_memory, NULL);
        WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(&out, out_memory, NULL);
        if (NT_SUCCESS(status))
            status = WdfIoTargetSendIoctlSynchronously(target, NULL, IOCTL_FXIO_BUS_ECHO, &in, &out, NULL, &bytes);
        WdfRequestCompleteWithInformation(Request, status, bytes);
        return;
    }
    WdfRequestFormatRequestUsingCurrentType(Request);
    RetypeForBus(Request);
    WDF_REQUEST_SEND_OPTIONS_INIT(&options, 0);
    if (Code == IOCTL_FXIO_DOWN_FORGET)
        options.Flags = WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET;
    else
        WdfRequestSetCompletionRoutine(Request, DownDone, NULL);
    if (!WdfRequestSend(Request, target, &options))
        WdfRequestComplete(Request, WdfRequestGetStatus(Request));
}

static void Release(NTSTATUS Status)
{
    WDFREQUEST request = shared->hold;
    shared->hold = NULL;
    if (request)
        WdfRequestComplete(request, Status);
}

static void IoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength, size_t InputBufferLength,
                            ULONG IoControlCode)
{
    (void)OutputBufferLength;
    (void)InputBufferLength;
    WdfObjectGet_REQUEST_CONTEXT(Request)->code = IoControlCode;
    switch (IoControlCode) {
    case IOCTL_FXIO_ECHO:
        Echo(Request);
        break;
    case IOCTL_FXIO_DOWN:
    case IOCTL_FXIO_DOWN_SYNC:
    case IOCTL_FXIO_DOWN_FORGET:
        Down(Queue, Request, IoControlCode);
        break;
    case IOCTL_FXIO_HOLD:
        InterlockedIncrement(&shared->held);
        shared->hold = Request;
        break;
    default:
        WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
        break;
    }
}

static void IoStop(WDFQUEUE Queue, WDFREQUEST Request, ULONG ActionFlags)
{
    (void)Queue;
    InterlockedIncrement(&shared->stops);
    if (ActionFlags & WdfRequestStopActionPurge) {
        shared->hold = NULL;
        WdfRequestComplete(Request, STATUS_CANCELLED);
        return;
    }
    WdfRequestStopAcknowledge(Request, FALSE); /* kept; EvtIoResume picks it up */
}

static void IoResume(WDFQUEUE Queue, WDFREQUEST Request)
{
    (void)Queue;
    (void)Request;
    InterlockedIncrement(&shared->resumes);
}

static NTSTATUS DeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit)
{
    DECLARE_CONST_UNICODE_STRING(name, L"\\Device\\FxIo");
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_IO_QUEUE_CONFIG config;
    WDFDEVICE device;
    NTSTATUS status;

    (void)Driver;
    InterlockedIncrement(&shared->adds);
    WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);
    status = WdfDeviceInitAssignName(DeviceInit, &name);
    if (!NT_SUCCESS(status))
        return status;
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, REQUEST_CONTEXT);
    attributes.EvtCleanupCallback = RequestContextCleanup;
    WdfDeviceInitSetRequestAttributes(DeviceInit, &attributes);
    status = WdfDeviceCreate(&DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, &device);
    if (!NT_SUCCESS(status))
        return status;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchParallel);
    config.EvtIoDeviceControl = IoDeviceControl;
    config.EvtIoStop = IoStop;
    config.EvtIoResume = IoResume;
    return WdfIoQueueCreate(device, &config, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;
    NTSTATUS status = IoAllocateDriverObjectExtension(DriverObject, FXIO_ID, sizeof(*shared), (PVOID *)&shared);
    if (!NT_SUCCESS(status))
        return status;
    RtlZeroMemory(shared, sizeof(*shared));
    shared->release = Release;
    WDF_DRIVER_CONFIG_INIT(&config, DeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
