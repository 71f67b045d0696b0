/*
 * The KMDF toaster filter example: an upper filter that answers its own
 * IOCTL and sends every other one down to the toaster with a completion
 * routine, counting what comes back. Reads, writes, create and close it does
 * not handle; a filter's framework passes those down by itself.
 */
#include <ntddk.h>
#include <wdf.h>
#include "filter_public.h"

typedef struct _FILTER_CONTEXT {
    volatile LONG Forwarded, Completed, Failed;
} FILTER_CONTEXT, *PFILTER_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(FILTER_CONTEXT, FilterGetContext)

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_DEVICE_ADD FilterEvtDeviceAdd;
EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL FilterEvtIoDeviceControl;
EVT_WDF_REQUEST_COMPLETION_ROUTINE FilterCompletion;

VOID FilterCompletion(_In_ WDFREQUEST Request, _In_ WDFIOTARGET Target,
                      _In_ PWDF_REQUEST_COMPLETION_PARAMS Params, _In_ WDFCONTEXT Context)
{
    PFILTER_CONTEXT context = Context;

    UNREFERENCED_PARAMETER(Target);
    InterlockedIncrement(&context->Completed);
    if (!NT_SUCCESS(Params->IoStatus.Status))
        InterlockedIncrement(&context->Failed);
    WdfRequestCompleteWithInformation(Request, Params->IoStatus.Status, Params->IoStatus.Information);
}

static VOID FilterForward(WDFDEVICE Device, WDFREQUEST Request)
{
    PFILTER_CONTEXT context = FilterGetContext(Device);

    WdfRequestFormatRequestUsingCurrentType(Request);
    WdfRequestSetCompletionRoutine(Request, FilterCompletion, context);
    InterlockedIncrement(&context->Forwarded);
    if (!WdfRequestSend(Request, WdfDeviceGetIoTarget(Device), WDF_NO_SEND_OPTIONS)) {
        KdPrint(("ToasterFilter: WdfRequestSend failed 0x%x\n", WdfRequestGetStatus(Request)));
        WdfRequestComplete(Request, WdfRequestGetStatus(Request));
    }
}

VOID FilterEvtIoDeviceControl(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t OutputBufferLength,
                              _In_ size_t InputBufferLength, _In_ ULONG IoControlCode)
{
    WDFDEVICE device = WdfIoQueueGetDevice(Queue);
    PFILTER_CONTEXT context = FilterGetContext(device);
    KMH_FILTER_COUNTS *counts;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(OutputBufferLength);
    UNREFERENCED_PARAMETER(InputBufferLength);
    if (IoControlCode != IOCTL_KMH_FILTER_GET_COUNTS) {
        FilterForward(device, Request);
        return;
    }
    status = WdfRequestRetrieveOutputBuffer(Request, sizeof(*counts), (PVOID *)&counts, NULL);
    if (!NT_SUCCESS(status)) {
        WdfRequestComplete(Request, status);
        return;
    }
    counts->Forwarded = (ULONG)context->Forwarded;
    counts->Completed = (ULONG)context->Completed;
    counts->Failed = (ULONG)context->Failed;
    WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(*counts));
}

NTSTATUS FilterEvtDeviceAdd(_In_ WDFDRIVER Driver, _Inout_ PWDFDEVICE_INIT DeviceInit)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_IO_QUEUE_CONFIG queue;
    WDFDEVICE device;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Driver);
    KdPrint(("ToasterFilter: AddDevice\n"));
    WdfFdoInitSetFilter(DeviceInit);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, FILTER_CONTEXT);
    status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    /* Not power-managed: a filter passes requests on whatever the power state. */
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&queue, WdfIoQueueDispatchParallel);
    queue.EvtIoDeviceControl = FilterEvtIoDeviceControl;
    queue.PowerManaged = WdfFalse;
    return WdfIoQueueCreate(device, &queue, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;

    KdPrint(("ToasterFilter: DriverEntry\n"));
    WDF_DRIVER_CONFIG_INIT(&config, FilterEvtDeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
