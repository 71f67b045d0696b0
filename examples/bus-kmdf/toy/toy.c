/*
 * kmhtoy: the function driver of the kmhost bus example's toys
 * (KMHBUS\KmhToy). A toy learns who it is from its bus: once its device
 * exists it asks its stack for the bus's KMHBUS_TOY_INTERFACE
 * (WdfFdoQueryForInterface, answered by the toy's PDO), and keeps it until
 * the device goes. Programs find it by GUID_DEVINTERFACE_KMHTOY and ask it
 * IOCTL_KMHTOY_HELLO.
 */
#include <ntddk.h>
#include <wdf.h>
#include <initguid.h> /* this file defines the GUIDs */
#include "kmhbus_public.h"

typedef struct _KMHTOY_CONTEXT {
    KMHBUS_TOY_INTERFACE Bus;
    BOOLEAN HaveBus;
    LONG Hellos;
} KMHTOY_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(KMHTOY_CONTEXT, KmhToyGetContext)

static VOID KmhToyEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength,
                                     size_t InputBufferLength, ULONG IoControlCode)
{
    KMHTOY_CONTEXT *toy = KmhToyGetContext(WdfIoQueueGetDevice(Queue));
    KMHTOY_HELLO *hello;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(OutputBufferLength);
    UNREFERENCED_PARAMETER(InputBufferLength);
    if (IoControlCode != IOCTL_KMHTOY_HELLO) {
        WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
        return;
    }
    status = WdfRequestRetrieveOutputBuffer(Request, sizeof(*hello), (PVOID *)&hello, NULL);
    if (!NT_SUCCESS(status)) {
        WdfRequestComplete(Request, status);
        return;
    }
    toy->Bus.GetToyInfo(toy->Bus.Header.Context, &hello->SerialNumber, &hello->Port);
    hello->Hellos = (ULONG)InterlockedIncrement(&toy->Hellos);
    WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(*hello));
}

/* The bus interface is let go with the device. */
static VOID KmhToyEvtCleanup(WDFOBJECT Object)
{
    KMHTOY_CONTEXT *toy = KmhToyGetContext(Object);
    if (toy->HaveBus)
        toy->Bus.Header.InterfaceDereference(toy->Bus.Header.Context);
}

static NTSTATUS KmhToyEvtDeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_IO_QUEUE_CONFIG queue;
    KMHTOY_CONTEXT *toy;
    WDFDEVICE device;
    ULONG serial, port;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Driver);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, KMHTOY_CONTEXT);
    attributes.EvtCleanupCallback = KmhToyEvtCleanup;
    status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    toy = KmhToyGetContext(device);
    status = WdfFdoQueryForInterface(device, &GUID_KMHBUS_TOY_INTERFACE, &toy->Bus.Header, sizeof(toy->Bus), 1,
                                     NULL);
    if (!NT_SUCCESS(status)) {
        KdPrint(("KmhToy: the bus did not hand out its interface: 0x%08x\n", status));
        return status;
    }
    toy->HaveBus = TRUE;
    toy->Bus.GetToyInfo(toy->Bus.Header.Context, &serial, &port);
    KdPrint(("KmhToy: toy %u on port %u\n", serial, port));
    status = WdfDeviceCreateDeviceInterface(device, &GUID_DEVINTERFACE_KMHTOY, NULL);
    if (!NT_SUCCESS(status))
        return status;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&queue, WdfIoQueueDispatchParallel);
    queue.EvtIoDeviceControl = KmhToyEvtIoDeviceControl;
    return WdfIoQueueCreate(device, &queue, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;

    WDF_DRIVER_CONFIG_INIT(&config, KmhToyEvtDeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
