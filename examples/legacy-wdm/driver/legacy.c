/*
 * A legacy (non-PnP) WDM driver, started as a service: DriverEntry creates
 * its device and a symbolic link for programs, DriverUnload takes them
 * away. It answers a buffered IOCTL and signals an event whose handle a
 * program passes in, the way drivers notify user mode.
 */
#include <ntddk.h>
#include "legacy_public.h"

#define LEGACY_NT_NAME L"\\Device\\KmhLegacy"
#define LEGACY_DOS_LINK L"\\DosDevices\\KmhLegacy"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD LegacyUnload;
_Dispatch_type_(IRP_MJ_CREATE) _Dispatch_type_(IRP_MJ_CLOSE) static DRIVER_DISPATCH LegacyCreateClose;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) static DRIVER_DISPATCH LegacyDeviceControl;

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, LegacyUnload)
#pragma alloc_text(PAGE, LegacyCreateClose)
#pragma alloc_text(PAGE, LegacyDeviceControl)
#endif

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name, link;
    PDEVICE_OBJECT device;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);
    KdPrint(("Legacy: DriverEntry\n"));
    RtlInitUnicodeString(&name, LEGACY_NT_NAME);
    status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    RtlInitUnicodeString(&link, LEGACY_DOS_LINK);
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    device->Flags |= DO_BUFFERED_IO;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = LegacyCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = LegacyCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = LegacyDeviceControl;
    DriverObject->DriverUnload = LegacyUnload;
    return STATUS_SUCCESS;
}

static VOID LegacyUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING link;
    PAGED_CODE();
    RtlInitUnicodeString(&link, LEGACY_DOS_LINK);
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(DriverObject->DeviceObject);
    KdPrint(("Legacy: DriverUnload\n"));
}

static NTSTATUS LegacyCreateClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    PAGED_CODE();
    KdPrint(("Legacy: %s\n", IoGetCurrentIrpStackLocation(Irp)->MajorFunction == IRP_MJ_CREATE ? "Create" : "Close"));
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static NTSTATUS LegacyHello(PIRP Irp, ULONG InLength, ULONG OutLength, ULONG_PTR *Information)
{
    static const char greeting[] = LEGACY_GREETING;
    ULONG prefix = sizeof(greeting) - 1;
    PUCHAR buffer = (PUCHAR)Irp->AssociatedIrp.SystemBuffer;

    if (OutLength < prefix + InLength)
        return STATUS_BUFFER_TOO_SMALL;
    /* Input and output share the system buffer: reverse the input where
     * it lies, then move it behind the greeting. */
    for (ULONG i = 0; i < InLength / 2; i++) {
        UCHAR c = buffer[i];
        buffer[i] = buffer[InLength - 1 - i];
        buffer[InLength - 1 - i] = c;
    }
    RtlMoveMemory(buffer + prefix, buffer, InLength);
    RtlCopyMemory(buffer, greeting, prefix);
    *Information = prefix + InLength;
    return STATUS_SUCCESS;
}

static NTSTATUS LegacySignal(PIRP Irp, ULONG InLength)
{
    PKEVENT event;
    NTSTATUS status;

    if (InLength < sizeof(HANDLE))
        return STATUS_BUFFER_TOO_SMALL;
    status = ObReferenceObjectByHandle(*(PHANDLE)Irp->AssociatedIrp.SystemBuffer, EVENT_MODIFY_STATE,
                                       *ExEventObjectType, Irp->RequestorMode, (PVOID *)&event, NULL);
    if (!NT_SUCCESS(status))
        return status;
    KeSetEvent(event, IO_NO_INCREMENT, FALSE);
    ObDereferenceObject(event);
    return STATUS_SUCCESS;
}

static NTSTATUS LegacyDeviceControl(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG_PTR information = 0;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(DeviceObject);
    PAGED_CODE();
    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_LEGACY_HELLO:
        status = LegacyHello(Irp, stack->Parameters.DeviceIoControl.InputBufferLength,
                             stack->Parameters.DeviceIoControl.OutputBufferLength, &information);
        break;
    case IOCTL_LEGACY_SIGNAL_EVENT:
        status = LegacySignal(Irp, stack->Parameters.DeviceIoControl.InputBufferLength);
        break;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}
