/*
 * DriverEntry, AddDevice, DriverUnload, and the file-object routines of
 * the WDM toaster.
 */
#include <ntddk.h>
#include <initguid.h> /* this file defines the interface GUID */
#include "toaster.h"

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, ToasterAddDevice)
#pragma alloc_text(PAGE, ToasterUnload)
#endif

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    KdPrint(("Toaster: DriverEntry %wZ\n", RegistryPath));
    DriverObject->DriverExtension->AddDevice = ToasterAddDevice;
    DriverObject->DriverUnload = ToasterUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = ToasterCreate;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = ToasterClose;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = ToasterCleanup;
    DriverObject->MajorFunction[IRP_MJ_READ] = ToasterRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = ToasterWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = ToasterDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_PNP] = ToasterPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = ToasterPower;
    DriverObject->MajorFunction[IRP_MJ_SYSTEM_CONTROL] = ToasterSystemControl;
    return STATUS_SUCCESS;
}

NTSTATUS ToasterAddDevice(_In_ PDRIVER_OBJECT DriverObject, _In_ PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT device;
    PTOASTER_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();
    KdPrint(("Toaster: AddDevice\n"));
    status = IoCreateDevice(DriverObject, sizeof(TOASTER_EXTENSION), NULL, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    ext = (PTOASTER_EXTENSION)device->DeviceExtension;
    RtlZeroMemory(ext, sizeof(*ext));
    ext->Self = device;
    ext->Pdo = PhysicalDeviceObject;
    ext->State = NotStarted;
    ext->DevicePower = PowerDeviceD3;
    ext->SystemPower = PowerSystemWorking;
    KeInitializeSpinLock(&ext->Lock);
    IoInitializeRemoveLock(&ext->RemoveLock, TOASTER_TAG, 0, 0);
    ToasterQueueInitialize(ext);

    status = IoRegisterDeviceInterface(PhysicalDeviceObject, &GUID_DEVINTERFACE_KMH_TOASTER, NULL,
                                       &ext->InterfaceName);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    ext->LowerDevice = IoAttachDeviceToDeviceStack(device, PhysicalDeviceObject);
    if (ext->LowerDevice == NULL) {
        RtlFreeUnicodeString(&ext->InterfaceName);
        IoDeleteDevice(device);
        return STATUS_NO_SUCH_DEVICE;
    }
    device->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

VOID ToasterUnload(_In_ PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    /* Every device went with its IRP_MN_REMOVE_DEVICE. */
    ASSERT(DriverObject->DeviceObject == NULL);
    UNREFERENCED_PARAMETER(DriverObject);
    KdPrint(("Toaster: DriverUnload\n"));
}

NTSTATUS ToasterCompleteRequest(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS ToasterCreate(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PTOASTER_EXTENSION ext = (PTOASTER_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);

    if (!NT_SUCCESS(status))
        return ToasterCompleteRequest(Irp, status, 0);
    if (ext->State != Started) {
        status = STATUS_DEVICE_NOT_READY;
    } else {
        InterlockedIncrement(&ext->OpenCount);
        KdPrint(("Toaster: Create (%d open)\n", ext->OpenCount));
    }
    ToasterCompleteRequest(Irp, status, 0);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

NTSTATUS ToasterCleanup(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PTOASTER_EXTENSION ext = (PTOASTER_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);

    /* The handle is gone: its pending requests can never be collected. */
    ToasterQueueFlush(ext, stack->FileObject, STATUS_CANCELLED);
    KdPrint(("Toaster: Cleanup\n"));
    return ToasterCompleteRequest(Irp, STATUS_SUCCESS, 0);
}

NTSTATUS ToasterClose(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PTOASTER_EXTENSION ext = (PTOASTER_EXTENSION)DeviceObject->DeviceExtension;
    InterlockedDecrement(&ext->OpenCount);
    KdPrint(("Toaster: Close (%d open)\n", ext->OpenCount));
    return ToasterCompleteRequest(Irp, STATUS_SUCCESS, 0);
}

NTSTATUS ToasterSystemControl(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PTOASTER_EXTENSION ext = (PTOASTER_EXTENSION)DeviceObject->DeviceExtension;
    IoSkipCurrentIrpStackLocation(Irp);
    return IoCallDriver(ext->LowerDevice, Irp);
}
