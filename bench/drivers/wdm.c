/*
 * kmhbenchwdm: the WDM benchmark driver. A root-enumerated function driver
 * whose FDO is \Device\KmhBenchWdm (link \DosDevices\KmhBenchWdm) and
 * completes IOCTL_KMHBENCH_BUFFERED and IOCTL_KMHBENCH_OUT_DIRECT in its
 * dispatch routine, doing no more than the request asks.
 */
#include <ntddk.h>
#include "kmhbench.h"

struct fdo {
    PDEVICE_OBJECT lower;
};

DRIVER_INITIALIZE DriverEntry;
static DRIVER_ADD_DEVICE bench_add_device;
static DRIVER_UNLOAD bench_unload;
static DRIVER_DISPATCH bench_pnp, bench_power, bench_create_close, bench_ioctl;

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS pass_down(struct fdo *fdo, PIRP irp)
{
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(fdo->lower, irp);
}

static NTSTATUS bench_pnp(PDEVICE_OBJECT device, PIRP irp)
{
    struct fdo *fdo = device->DeviceExtension;
    UNICODE_STRING link;
    NTSTATUS status;

    switch (IoGetCurrentIrpStackLocation(irp)->MinorFunction) {
    case IRP_MN_START_DEVICE:
        IoForwardIrpSynchronously(fdo->lower, irp);
        return complete(irp, irp->IoStatus.Status, irp->IoStatus.Information);
    case IRP_MN_REMOVE_DEVICE:
        irp->IoStatus.Status = STATUS_SUCCESS;
        status = pass_down(fdo, irp);
        RtlInitUnicodeString(&link, L"\\DosDevices\\KmhBenchWdm");
        IoDeleteSymbolicLink(&link);
        IoDetachDevice(fdo->lower);
        IoDeleteDevice(device);
        return status;
    case IRP_MN_SURPRISE_REMOVAL:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_STOP_DEVICE:
        irp->IoStatus.Status = STATUS_SUCCESS;
        return pass_down(fdo, irp);
    default:
        return pass_down(fdo, irp);
    }
}

static NTSTATUS bench_power(PDEVICE_OBJECT device, PIRP irp)
{
    struct fdo *fdo = device->DeviceExtension;

    PoStartNextPowerIrp(irp);
    IoSkipCurrentIrpStackLocation(irp);
    return PoCallDriver(fdo->lower, irp);
}

static NTSTATUS bench_create_close(PDEVICE_OBJECT device, PIRP irp)
{
    UNREFERENCED_PARAMETER(device);
    return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS bench_ioctl(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ULONG in = sp->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID mapped;

    UNREFERENCED_PARAMETER(device);
    switch (sp->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_KMHBENCH_BUFFERED:
        return complete(irp, STATUS_SUCCESS, out);
    case IOCTL_KMHBENCH_OUT_DIRECT:
        if (!irp->MdlAddress)
            return complete(irp, STATUS_SUCCESS, 0);
        mapped = MmGetSystemAddressForMdlSafe(irp->MdlAddress, NormalPagePriority);
        if (!mapped)
            return complete(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        RtlCopyMemory(mapped, irp->AssociatedIrp.SystemBuffer, min(in, out));
        return complete(irp, STATUS_SUCCESS, min(in, out));
    default:
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static NTSTATUS bench_add_device(PDRIVER_OBJECT driver, PDEVICE_OBJECT pdo)
{
    UNICODE_STRING name, link;
    PDEVICE_OBJECT device;
    struct fdo *fdo;
    NTSTATUS status;

    RtlInitUnicodeString(&name, L"\\Device\\KmhBenchWdm");
    RtlInitUnicodeString(&link, L"\\DosDevices\\KmhBenchWdm");
    status = IoCreateDevice(driver, sizeof(struct fdo), &name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN,
                            FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status))
        goto err_delete_device;
    fdo = device->DeviceExtension;
    fdo->lower = IoAttachDeviceToDeviceStack(device, pdo);
    if (!fdo->lower) {
        status = STATUS_NO_SUCH_DEVICE;
        goto err_delete_link;
    }
    device->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;

err_delete_link:
    IoDeleteSymbolicLink(&link);
err_delete_device:
    IoDeleteDevice(device);
    return status;
}

static void bench_unload(PDRIVER_OBJECT driver)
{
    UNREFERENCED_PARAMETER(driver);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNREFERENCED_PARAMETER(registry_path);
    driver->DriverExtension->AddDevice = bench_add_device;
    driver->DriverUnload = bench_unload;
    driver->MajorFunction[IRP_MJ_PNP] = bench_pnp;
    driver->MajorFunction[IRP_MJ_POWER] = bench_power;
    driver->MajorFunction[IRP_MJ_CREATE] = bench_create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = bench_create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = bench_ioctl;
    return STATUS_SUCCESS;
}
