/*
 * kmhfilt: a WDM upper filter over the toaster. It passes every request
 * down, counts the IOCTLs it passes and answers IOCTL_KMHFILT_COUNT
 * itself, and inverts IOCTL_TOASTER_SET_DARKNESS values (v becomes
 * TOASTER_MAX_DARKNESS - v) on their way down, so a program sees through
 * GET_INFO that its requests went through the filter first. It logs its
 * AddDevice with the driver it attached above, so a test sees the order.
 */
#include <ntddk.h>
#include <initguid.h>
#include "toaster_public.h"
#include "kmhfilt.h"

struct kmhfilt {
    PDEVICE_OBJECT self, lower;
    LONG ioctls;
};

DRIVER_INITIALIZE DriverEntry;
static DRIVER_ADD_DEVICE kmhfilt_add_device;
static DRIVER_UNLOAD kmhfilt_unload;
static DRIVER_DISPATCH kmhfilt_pass, kmhfilt_ioctl, kmhfilt_pnp, kmhfilt_power;

static NTSTATUS kmhfilt_pass(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhfilt *ext = device->DeviceExtension;
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(ext->lower, irp);
}

static NTSTATUS kmhfilt_ioctl(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhfilt *ext = device->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ULONG code = sp->Parameters.DeviceIoControl.IoControlCode;
    PULONG buffer = irp->AssociatedIrp.SystemBuffer;

    if (code == IOCTL_KMHFILT_COUNT) {
        if (sp->Parameters.DeviceIoControl.OutputBufferLength < sizeof(ULONG)) {
            irp->IoStatus.Status = STATUS_BUFFER_TOO_SMALL;
            irp->IoStatus.Information = 0;
        } else {
            *buffer = (ULONG)ext->ioctls;
            irp->IoStatus.Status = STATUS_SUCCESS;
            irp->IoStatus.Information = sizeof(ULONG);
        }
        NTSTATUS status = irp->IoStatus.Status;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        return status;
    }
    if (code == IOCTL_TOASTER_SET_DARKNESS && sp->Parameters.DeviceIoControl.InputBufferLength >= sizeof(ULONG) &&
        *buffer <= TOASTER_MAX_DARKNESS)
        *buffer = TOASTER_MAX_DARKNESS - *buffer;
    InterlockedIncrement(&ext->ioctls);
    return kmhfilt_pass(device, irp);
}

static NTSTATUS kmhfilt_pnp(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhfilt *ext = device->DeviceExtension;
    UCHAR minor = IoGetCurrentIrpStackLocation(irp)->MinorFunction;

    if (minor != IRP_MN_REMOVE_DEVICE)
        return kmhfilt_pass(device, irp);
    /* Below us the toaster deletes its device; then we go. */
    DbgPrint("kmhfilt: RemoveDevice\n");
    NTSTATUS status = kmhfilt_pass(device, irp);
    IoDetachDevice(ext->lower);
    IoDeleteDevice(device);
    return status;
}

static NTSTATUS kmhfilt_power(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhfilt *ext = device->DeviceExtension;
    PoStartNextPowerIrp(irp);
    IoSkipCurrentIrpStackLocation(irp);
    return PoCallDriver(ext->lower, irp);
}

static NTSTATUS kmhfilt_add_device(PDRIVER_OBJECT driver, PDEVICE_OBJECT pdo)
{
    PDEVICE_OBJECT device;
    struct kmhfilt *ext;

    NTSTATUS status = IoCreateDevice(driver, sizeof(*ext), NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    ext = device->DeviceExtension;
    ext->self = device;
    ext->ioctls = 0;
    ext->lower = IoAttachDeviceToDeviceStack(device, pdo);
    if (ext->lower == NULL) {
        IoDeleteDevice(device);
        return STATUS_NO_SUCH_DEVICE;
    }
    /* An upper filter takes on the I/O method and type of what it covers. */
    device->Flags |= ext->lower->Flags & (DO_BUFFERED_IO | DO_DIRECT_IO | DO_POWER_PAGABLE);
    device->DeviceType = ext->lower->DeviceType;
    device->Characteristics = ext->lower->Characteristics;
    DbgPrint("kmhfilt: AddDevice above %wZ\n", &ext->lower->DriverObject->DriverName);
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

static void kmhfilt_unload(PDRIVER_OBJECT driver)
{
    UNREFERENCED_PARAMETER(driver);
    DbgPrint("kmhfilt: Unload\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNREFERENCED_PARAMETER(registry_path);
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        driver->MajorFunction[i] = kmhfilt_pass;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = kmhfilt_ioctl;
    driver->MajorFunction[IRP_MJ_PNP] = kmhfilt_pnp;
    driver->MajorFunction[IRP_MJ_POWER] = kmhfilt_power;
    driver->DriverExtension->AddDevice = kmhfilt_add_device;
    driver->DriverUnload = kmhfilt_unload;
    return STATUS_SUCCESS;
}
