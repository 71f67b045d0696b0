/*
 * kmhload: a minimal root-enumerated WDM function driver that goes wrong in
 * one chosen way (see CMakeLists.txt), for the loader's error tests. Each
 * variant is what a driver writer gets wrong in practice: a static or
 * misspelled DriverEntry, a DDI kmhost lacks, a failing DriverEntry,
 * AddDevice or start, pool never freed, and the WMI library's routines.
 */
#include <ntddk.h>

#define KMHLOAD_TAG 'dLmK'

struct fdo {
    PDEVICE_OBJECT lower;
};

static DRIVER_ADD_DEVICE kmhload_add_device;
static DRIVER_UNLOAD kmhload_unload;
static DRIVER_DISPATCH kmhload_pnp, kmhload_power;

#ifdef KMHLOAD_UNKNOWN_DDI
/* Declared by the driver itself, as a newer WDK header would: kmhost has
 * neither, and the loader must name both before running any code. */
NTSTATUS KmhTestNotADdi(ULONG value);
VOID IoKmhTestNotADdiEither(PDEVICE_OBJECT device);
#endif

#ifdef KMHLOAD_LEAKS
static PVOID leaked_block;
#endif

#ifdef KMHLOAD_WMILIB
#include <wmilib.h>
/* A WDM driver answering WMI through the WMI library: its registration
 * block compiles against wmilib.h, and the library routines it calls, which
 * kmhost does not provide, are named at load. */
static WMI_QUERY_REGINFO_CALLBACK kmhload_wmi_reginfo;
static WMI_QUERY_DATABLOCK_CALLBACK kmhload_wmi_query;
static WMIGUIDREGINFO kmhload_wmi_guids[] = { { NULL, 1, 0 } };
static WMILIB_CONTEXT kmhload_wmi = {
    .GuidCount = ARRAYSIZE(kmhload_wmi_guids),
    .GuidList = kmhload_wmi_guids,
    .QueryWmiRegInfo = kmhload_wmi_reginfo,
    .QueryWmiDataBlock = kmhload_wmi_query,
};

static NTSTATUS kmhload_wmi_reginfo(PDEVICE_OBJECT device, PULONG flags, PUNICODE_STRING instance_name,
                                    PUNICODE_STRING *registry_path, PUNICODE_STRING mof_name, PDEVICE_OBJECT *pdo)
{
    UNREFERENCED_PARAMETER(device);
    UNREFERENCED_PARAMETER(instance_name);
    UNREFERENCED_PARAMETER(mof_name);
    *flags = 0;
    *registry_path = NULL;
    *pdo = NULL;
    return STATUS_SUCCESS;
}

static NTSTATUS kmhload_wmi_query(PDEVICE_OBJECT device, PIRP irp, ULONG guid_index, ULONG instance_index,
                                  ULONG instance_count, PULONG instance_lengths, ULONG available, PUCHAR buffer)
{
    UNREFERENCED_PARAMETER(guid_index);
    UNREFERENCED_PARAMETER(instance_index);
    UNREFERENCED_PARAMETER(instance_count);
    UNREFERENCED_PARAMETER(instance_lengths);
    UNREFERENCED_PARAMETER(available);
    UNREFERENCED_PARAMETER(buffer);
    return WmiCompleteRequest(device, irp, STATUS_WMI_GUID_NOT_FOUND, 0, IO_NO_INCREMENT);
}

static NTSTATUS kmhload_system_control(PDEVICE_OBJECT device, PIRP irp)
{
    SYSCTL_IRP_DISPOSITION disposition;
    NTSTATUS status = WmiSystemControl(&kmhload_wmi, device, irp, &disposition);
    if (disposition == IrpNotCompleted)
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}
#endif

static NTSTATUS kmhload_pnp(PDEVICE_OBJECT device, PIRP irp)
{
    struct fdo *fdo = device->DeviceExtension;
    PDEVICE_OBJECT lower = fdo->lower;
    NTSTATUS status;

    switch (IoGetCurrentIrpStackLocation(irp)->MinorFunction) {
    case IRP_MN_START_DEVICE:
        if (!IoForwardIrpSynchronously(lower, irp))
            status = STATUS_UNSUCCESSFUL;
        else
            status = irp->IoStatus.Status;
#ifdef KMHLOAD_START_FAILS
        status = STATUS_DEVICE_POWER_FAILURE;
#endif
        irp->IoStatus.Status = status;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        return status;
    case IRP_MN_REMOVE_DEVICE:
        irp->IoStatus.Status = STATUS_SUCCESS;
        IoSkipCurrentIrpStackLocation(irp);
        status = IoCallDriver(lower, irp);
        IoDetachDevice(lower);
        IoDeleteDevice(device);
        return status;
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_STOP_DEVICE:
        irp->IoStatus.Status = STATUS_SUCCESS;
        break;
    default:
        break;
    }
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(lower, irp);
}

static NTSTATUS kmhload_power(PDEVICE_OBJECT device, PIRP irp)
{
    struct fdo *fdo = device->DeviceExtension;

    PoStartNextPowerIrp(irp);
    IoSkipCurrentIrpStackLocation(irp);
    return PoCallDriver(fdo->lower, irp);
}

static NTSTATUS kmhload_add_device(PDRIVER_OBJECT driver, PDEVICE_OBJECT pdo)
{
    PDEVICE_OBJECT device;
    NTSTATUS status;

#ifdef KMHLOAD_ADD_FAILS
    if (pdo)
        return STATUS_INSUFFICIENT_RESOURCES;
#endif
    status = IoCreateDevice(driver, sizeof(struct fdo), NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    struct fdo *fdo = device->DeviceExtension;
    fdo->lower = IoAttachDeviceToDeviceStack(device, pdo);
    if (!fdo->lower) {
        IoDeleteDevice(device);
        return STATUS_NO_SUCH_DEVICE;
    }
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

static VOID kmhload_unload(PDRIVER_OBJECT driver)
{
    UNREFERENCED_PARAMETER(driver);
}

#ifdef KMHLOAD_NO_ENTRY
/* The mistake: a driver whose entry point is misspelled exports no
 * DriverEntry at all. */
NTSTATUS KmhLoadEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path);
NTSTATUS KmhLoadEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
#else
DRIVER_INITIALIZE DriverEntry;
NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
#endif
{
    UNREFERENCED_PARAMETER(registry_path);
#ifdef KMHLOAD_UNKNOWN_DDI
    if (KmhTestNotADdi(1) != STATUS_SUCCESS)
        IoKmhTestNotADdiEither(NULL);
#endif
#ifdef KMHLOAD_LEAKS
    leaked_block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 48, KMHLOAD_TAG);
    if (!leaked_block)
        return STATUS_INSUFFICIENT_RESOURCES;
#endif
    driver->DriverExtension->AddDevice = kmhload_add_device;
    driver->DriverUnload = kmhload_unload;
    driver->MajorFunction[IRP_MJ_PNP] = kmhload_pnp;
    driver->MajorFunction[IRP_MJ_POWER] = kmhload_power;
#ifdef KMHLOAD_WMILIB
    driver->MajorFunction[IRP_MJ_SYSTEM_CONTROL] = kmhload_system_control;
#endif
#ifdef KMHLOAD_ENTRY_FAILS
    /* As a driver that finds its configuration unusable after setting up. */
    return STATUS_DEVICE_CONFIGURATION_ERROR;
#else
    return STATUS_SUCCESS;
#endif
}
