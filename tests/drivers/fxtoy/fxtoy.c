/*
 * fxtoy: the function driver of the fxbus toys (FXBUS\Toy). Once its
 * device exists it asks its own stack for the bus's interface
 * (WdfFdoQueryForInterface), which the toy's PDO answers, and keeps the
 * serial number it reads through it; IOCTL_FXTOY_GET_SERIAL returns it,
 * IOCTL_FXTOY_GET_BUS_COOKIE asks the stack for the bus FDO's own
 * interface. Each toy registers a GUID_DEVINTERFACE_FXTOY interface.
 */
#include <ntddk.h>
#include <wdf.h>
#include <initguid.h>

#include "../fxbus/fxbus.h"

typedef struct _TOY {
    FXBUS_TOY_INTERFACE Bus;
    BOOLEAN HaveBus;
    ULONG Serial;
} TOY;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(TOY, ToyGet)

static NTSTATUS ReplyUlong(WDFREQUEST Request, ULONG Value)
{
    ULONG *out;
    NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, sizeof(*out), (PVOID *)&out, NULL);
    if (NT_SUCCESS(status))
        *out = Value;
    WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? sizeof(*out) : 0);
    return status;
}

static VOID IoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength, size_t InputBufferLength,
                            ULONG IoControlCode)
{
    WDFDEVICE device = WdfIoQueueGetDevice(Queue);
    TOY *toy = ToyGet(device);
    INTERFACE iface;
    NTSTATUS status;

    switch (IoControlCode) {
    case IOCTL_FXTOY_GET_SERIAL:
        if (!toy->HaveBus) {
            WdfRequestComplete(Request, STATUS_DEVICE_NOT_READY);
            return;
        }
        ReplyUlong(Request, toy->Serial);
        return;
    case IOCTL_FXTOY_GET_BUS_COOKIE:
        RtlZeroMemory(&iface, sizeof(iface));
        status = WdfFdoQueryForInterface(device, &GUID_FXBUS_FDO_INTERFACE, &iface, sizeof(iface), 1, NULL);
        if (!NT_SUCCESS(status)) {
            WdfRequestComplete(Request, status);
            return;
        }
        iface.InterfaceDereference(iface.Context);
        ReplyUlong(Request, (ULONG)(ULONG_PTR)iface.Context);
        return;
    default:
        WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
        return;
    }
}

static VOID ToyCleanup(WDFOBJECT Object)
{
    TOY *toy = ToyGet(Object);
    if (toy->HaveBus)
        toy->Bus.Header.InterfaceDereference(toy->Bus.Header.Context);
}

static NTSTATUS DeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT Init)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_IO_QUEUE_CONFIG queue;
    WDFDEVICE device;
    TOY *toy;

    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, TOY);
    attributes.EvtCleanupCallback = ToyCleanup;
    NTSTATUS status = WdfDeviceCreate(&Init, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    toy = ToyGet(device);
    status = WdfFdoQueryForInterface(device, &GUID_FXBUS_TOY_INTERFACE, &toy->Bus.Header, sizeof(toy->Bus), 1, NULL);
    if (NT_SUCCESS(status)) {
        toy->HaveBus = TRUE;
        toy->Serial = toy->Bus.GetSerial(toy->Bus.Header.Context);
    }
    status = WdfDeviceCreateDeviceInterface(device, &GUID_DEVINTERFACE_FXTOY, NULL);
    if (!NT_SUCCESS(status))
        return status;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&queue, WdfIoQueueDispatchParallel);
    queue.EvtIoDeviceControl = IoDeviceControl;
    return WdfIoQueueCreate(device, &queue, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;
    WDF_DRIVER_CONFIG_INIT(&config, DeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
