/*
 * The KMDF echo example: a sequential queue presents one request at a
 * time; the driver holds it, cancelable, until a timer completes it. The
 * queue's synchronization scope serializes the I/O callbacks, the cancel
 * routine and the timer (parented to the queue), so none of them needs a
 * lock of its own.
 */
#include <ntddk.h>
#include <wdf.h>
#include <initguid.h>
#include "echo_public.h"

typedef struct _ECHO_QUEUE_CONTEXT {
    WDFTIMER Timer;
    WDFREQUEST Current;            /* the request being held, or NULL */
    ULONG_PTR CurrentInformation;  /* what it completes with */
    ULONG Length;                  /* what the last write stored */
    UCHAR Data[ECHO_MAX_LENGTH];
} ECHO_QUEUE_CONTEXT, *PECHO_QUEUE_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(ECHO_QUEUE_CONTEXT, EchoGetQueueContext)

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_DEVICE_ADD EchoEvtDeviceAdd;
EVT_WDF_IO_QUEUE_IO_READ EchoEvtIoRead;
EVT_WDF_IO_QUEUE_IO_WRITE EchoEvtIoWrite;
EVT_WDF_REQUEST_CANCEL EchoEvtRequestCancel;
EVT_WDF_TIMER EchoEvtTimer;

/* Holds the request until the timer fires; a request cancelled before it
 * could be marked cancelable completes now. */
static VOID EchoHold(WDFQUEUE Queue, WDFREQUEST Request, ULONG_PTR Information)
{
    PECHO_QUEUE_CONTEXT context = EchoGetQueueContext(Queue);
    NTSTATUS status = WdfRequestMarkCancelableEx(Request, EchoEvtRequestCancel);

    if (!NT_SUCCESS(status)) {
        WdfRequestComplete(Request, status);
        return;
    }
    context->Current = Request;
    context->CurrentInformation = Information;
    WdfTimerStart(context->Timer, WDF_REL_TIMEOUT_IN_MS(ECHO_HOLD_MS));
}

VOID EchoEvtIoWrite(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t Length)
{
    PECHO_QUEUE_CONTEXT context = EchoGetQueueContext(Queue);
    PVOID buffer;
    NTSTATUS status;

    if (Length > ECHO_MAX_LENGTH) {
        WdfRequestComplete(Request, STATUS_INVALID_BUFFER_SIZE);
        return;
    }
    status = WdfRequestRetrieveInputBuffer(Request, Length, &buffer, NULL);
    if (!NT_SUCCESS(status)) {
        WdfRequestComplete(Request, status);
        return;
    }
    RtlCopyMemory(context->Data, buffer, Length);
    context->Length = (ULONG)Length;
    KdPrint(("Echo: write %Iu bytes\n", Length));
    EchoHold(Queue, Request, Length);
}

VOID EchoEvtIoRead(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t Length)
{
    PECHO_QUEUE_CONTEXT context = EchoGetQueueContext(Queue);
    size_t count = Length < context->Length ? Length : context->Length;
    PVOID buffer;
    NTSTATUS status;

    if (count == 0) {
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);
        return;
    }
    status = WdfRequestRetrieveOutputBuffer(Request, count, &buffer, NULL);
    if (!NT_SUCCESS(status)) {
        WdfRequestComplete(Request, status);
        return;
    }
    RtlCopyMemory(buffer, context->Data, count);
    KdPrint(("Echo: read %Iu bytes\n", count));
    EchoHold(Queue, Request, count);
}

VOID EchoEvtRequestCancel(_In_ WDFREQUEST Request)
{
    PECHO_QUEUE_CONTEXT context = EchoGetQueueContext(WdfRequestGetIoQueue(Request));

    KdPrint(("Echo: request cancelled\n"));
    if (context->Current == Request)
        context->Current = NULL;
    WdfRequestCompleteWithInformation(Request, STATUS_CANCELLED, 0);
}

VOID EchoEvtTimer(_In_ WDFTIMER Timer)
{
    PECHO_QUEUE_CONTEXT context = EchoGetQueueContext(WdfTimerGetParentObject(Timer));
    WDFREQUEST request = context->Current;

    if (request == NULL)
        return;
    /* STATUS_CANCELLED: the cancel routine owns the request now. */
    if (WdfRequestUnmarkCancelable(request) == STATUS_CANCELLED)
        return;
    context->Current = NULL;
    WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, context->CurrentInformation);
}

static NTSTATUS EchoQueueCreate(WDFDEVICE Device)
{
    WDF_IO_QUEUE_CONFIG config;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_TIMER_CONFIG timer;
    WDFQUEUE queue;
    NTSTATUS status;

    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchSequential);
    config.EvtIoRead = EchoEvtIoRead;
    config.EvtIoWrite = EchoEvtIoWrite;
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, ECHO_QUEUE_CONTEXT);
    attributes.SynchronizationScope = WdfSynchronizationScopeQueue;
    status = WdfIoQueueCreate(Device, &config, &attributes, &queue);
    if (!NT_SUCCESS(status))
        return status;

    WDF_TIMER_CONFIG_INIT(&timer, EchoEvtTimer);
    timer.AutomaticSerialization = TRUE;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = queue;
    return WdfTimerCreate(&timer, &attributes, &EchoGetQueueContext(queue)->Timer);
}

NTSTATUS EchoEvtDeviceAdd(_In_ WDFDRIVER Driver, _Inout_ PWDFDEVICE_INIT DeviceInit)
{
    WDFDEVICE device;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Driver);
    KdPrint(("Echo: AddDevice\n"));
    WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);
    status = WdfDeviceCreate(&DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = WdfDeviceCreateDeviceInterface(device, &GUID_DEVINTERFACE_KMH_ECHO, NULL);
    if (!NT_SUCCESS(status))
        return status;
    return EchoQueueCreate(device);
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;

    KdPrint(("Echo: DriverEntry\n"));
    WDF_DRIVER_CONFIG_INIT(&config, EchoEvtDeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
