/*
 * kmhcpnp: the client tests' root-enumerated WDM function driver. Its FDO
 * registers GUID_DEVINTERFACE_KMHCPNP, enables it once the device started
 * and disables it at removal, so SetupDi and CM enumeration have an
 * interface to find; opening the interface and IOCTL_KMHCT_ECHO prove the
 * path leads to the device.
 */
#include <ntddk.h>
#include <initguid.h>
#include "kmhcpnp.h"
#include "../kmhct/kmhct.h"

struct fdo {
    PDEVICE_OBJECT lower;
    UNICODE_STRING link;
};

DRIVER_INITIALIZE DriverEntry;
static DRIVER_ADD_DEVICE kmhcpnp_add_device;
static DRIVER_UNLOAD kmhcpnp_unload;
static DRIVER_DISPATCH kmhcpnp_pnp, kmhcpnp_power, kmhcpnp_create_close, kmhcpnp_ioctl;

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

static NTSTATUS kmhcpnp_pnp(PDEVICE_OBJECT device, PIRP irp)
{
    struct fdo *fdo = device->DeviceExtension;
    NTSTATUS status;

    switch (IoGetCurrentIrpStackLocation(irp)->MinorFunction) {
    case IRP_MN_START_DEVICE:
        IoForwardIrpSynchronously(fdo->lower, irp);
        status = irp->IoStatus.Status;
        if (NT_SUCCESS(status))
            IoSetDeviceInterfaceState(&fdo->link, TRUE);
        return complete(irp, status, irp->IoStatus.Information);
    case IRP_MN_SURPRISE_REMOVAL:
        IoSetDeviceInterfaceState(&fdo->link, FALSE);
        irp->IoStatus.Status = STATUS_SUCCESS;
        return pass_down(fdo, irp);
    case IRP_MN_REMOVE_DEVICE:
        IoSetDeviceInterfaceState(&fdo->link, FALSE);
        irp->IoStatus.Status = STATUS_SUCCESS;
        status = pass_down(fdo, irp);
        IoDetachDevice(fdo->lower);
        RtlFreeUnicodeString(&fdo->link);
        IoDeleteDevice(device);
        return status;
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

static NTSTATUS kmhcpnp_power(PDEVICE_OBJECT device, PIRP irp)
{
    struct fdo *fdo = device->DeviceExtension;

    PoStartNextPowerIrp(irp);
    IoSkipCurrentIrpStackLocation(irp);
    return PoCallDriver(fdo->lower, irp);
}

static NTSTATUS kmhcpnp_create_close(PDEVICE_OBJECT device, PIRP irp)
{
    UNREFERENCED_PARAMETER(device);
    return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS kmhcpnp_ioctl(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ULONG in = sp->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;

    UNREFERENCED_PARAMETER(device);
    if (sp->Parameters.DeviceIoControl.IoControlCode != IOCTL_KMHCT_ECHO)
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    return complete(irp, STATUS_SUCCESS, min(in, out));
}

static NTSTATUS kmhcpnp_add_device(PDRIVER_OBJECT driver, PDEVICE_OBJECT pdo)
{
    PDEVICE_OBJECT device;
    NTSTATUS status = IoCreateDevice(driver, sizeof(struct fdo), NULL, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN,
                                     FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    struct fdo *fdo = device->DeviceExtension;
    status = IoRegisterDeviceInterface(pdo, &GUID_DEVINTERFACE_KMHCPNP, NULL, &fdo->link);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    fdo->lower = IoAttachDeviceToDeviceStack(device, pdo);
    if (!fdo->lower) {
        RtlFreeUnicodeString(&fdo->link);
        IoDeleteDevice(device);
        return STATUS_NO_SUCH_DEVICE;
    }
    device->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

static void kmhcpnp_unload(PDRIVER_OBJECT driver)
{
    UNREFERENCED_PARAMETER(driver);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNREFERENCED_PARAMETER(registry_path);
    driver->DriverExtension->AddDevice = kmhcpnp_add_device;
    driver->DriverUnload = kmhcpnp_unload;
    driver->MajorFunction[IRP_MJ_PNP] = kmhcpnp_pnp;
    driver->MajorFunction[IRP_MJ_POWER] = kmhcpnp_power;
    driver->MajorFunction[IRP_MJ_CREATE] = kmhcpnp_create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = kmhcpnp_create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = kmhcpnp_ioctl;
    return STATUS_SUCCESS;
}
