/*
 * Plug and Play and power for the WDM toaster. Start and the power-up half
 * of set-power go down the stack first (the bus must be ready before the
 * function driver); everything else is handled and passed down. The remove
 * lock keeps IRP_MN_REMOVE_DEVICE from deleting the device while requests
 * are still inside the driver.
 */
#include "toaster.h"

static IO_COMPLETION_ROUTINE ToasterSignalCompletion;

static NTSTATUS ToasterSignalCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Irp);
    KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* Sends the IRP down and waits for the lower drivers to finish with it. */
static NTSTATUS ToasterForwardAndWait(PTOASTER_EXTENSION Ext, PIRP Irp)
{
    KEVENT event;
    NTSTATUS status;

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, ToasterSignalCompletion, &event, TRUE, TRUE, TRUE);
    status = IoCallDriver(Ext->LowerDevice, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = Irp->IoStatus.Status;
    }
    return status;
}

static NTSTATUS ToasterPassDown(PTOASTER_EXTENSION Ext, PIRP Irp)
{
    IoSkipCurrentIrpStackLocation(Irp);
    return IoCallDriver(Ext->LowerDevice, Irp);
}

static NTSTATUS ToasterStartDevice(PTOASTER_EXTENSION Ext, PIRP Irp)
{
    NTSTATUS status = ToasterForwardAndWait(Ext, Irp);
    if (NT_SUCCESS(status)) {
        Ext->State = Started;
        Ext->DevicePower = PowerDeviceD0;
        KdPrint(("Toaster: StartDevice\n"));
        status = IoSetDeviceInterfaceState(&Ext->InterfaceName, TRUE);
    }
    return ToasterCompleteRequest(Irp, status, 0);
}

static NTSTATUS ToasterQueryCapabilities(PTOASTER_EXTENSION Ext, PIRP Irp)
{
    NTSTATUS status = ToasterForwardAndWait(Ext, Irp);
    if (NT_SUCCESS(status)) {
        PDEVICE_CAPABILITIES caps = IoGetCurrentIrpStackLocation(Irp)->Parameters.DeviceCapabilities.Capabilities;
        caps->SurpriseRemovalOK = TRUE;
        Ext->Capabilities = *caps;
    }
    return ToasterCompleteRequest(Irp, status, Irp->IoStatus.Information);
}

/* The device goes: no new requests, none left waiting, then detach. */
static NTSTATUS ToasterRemoveDevice(PTOASTER_EXTENSION Ext, PIRP Irp)
{
    NTSTATUS status;

    KdPrint(("Toaster: RemoveDevice\n"));
    if (Ext->State != SurpriseRemoved)
        IoSetDeviceInterfaceState(&Ext->InterfaceName, FALSE);
    Ext->State = Deleted;
    ToasterQueueFlush(Ext, NULL, STATUS_DELETE_PENDING);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    status = ToasterPassDown(Ext, Irp);
    IoReleaseRemoveLockAndWait(&Ext->RemoveLock, Irp);
    IoDetachDevice(Ext->LowerDevice);
    RtlFreeUnicodeString(&Ext->InterfaceName);
    IoDeleteDevice(Ext->Self);
    return status;
}

static NTSTATUS ToasterStateChange(PTOASTER_EXTENSION Ext, PIRP Irp, UCHAR Minor)
{
    switch (Minor) {
    case IRP_MN_QUERY_STOP_DEVICE:
        Ext->PreviousState = Ext->State;
        Ext->State = StopPending;
        break;
    case IRP_MN_CANCEL_STOP_DEVICE:
        if (Ext->State == StopPending)
            Ext->State = Ext->PreviousState;
        break;
    case IRP_MN_STOP_DEVICE:
        Ext->State = Stopped;
        break;
    case IRP_MN_QUERY_REMOVE_DEVICE:
        Ext->PreviousState = Ext->State;
        Ext->State = RemovePending;
        break;
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        if (Ext->State == RemovePending)
            Ext->State = Ext->PreviousState;
        break;
    case IRP_MN_SURPRISE_REMOVAL:
        KdPrint(("Toaster: SurpriseRemoval\n"));
        Ext->State = SurpriseRemoved;
        IoSetDeviceInterfaceState(&Ext->InterfaceName, FALSE);
        ToasterQueueFlush(Ext, NULL, STATUS_NO_SUCH_DEVICE);
        break;
    }
    Irp->IoStatus.Status = STATUS_SUCCESS;
    return ToasterPassDown(Ext, Irp);
}

NTSTATUS ToasterPnp(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PTOASTER_EXTENSION ext = (PTOASTER_EXTENSION)DeviceObject->DeviceExtension;
    UCHAR minor = IoGetCurrentIrpStackLocation(Irp)->MinorFunction;
    NTSTATUS status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);

    if (!NT_SUCCESS(status))
        return ToasterCompleteRequest(Irp, status, 0);
    switch (minor) {
    case IRP_MN_START_DEVICE:
        status = ToasterStartDevice(ext, Irp);
        break;
    case IRP_MN_REMOVE_DEVICE:
        return ToasterRemoveDevice(ext, Irp); /* released the lock itself */
    case IRP_MN_QUERY_CAPABILITIES:
        status = ToasterQueryCapabilities(ext, Irp);
        break;
    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
        status = ToasterStateChange(ext, Irp, minor);
        break;
    default:
        status = ToasterPassDown(ext, Irp);
        break;
    }
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

/* --- Power ------------------------------------------------------------- */
typedef struct _TOASTER_SIRP_CONTEXT {
    PTOASTER_EXTENSION Ext;
    PIRP SystemIrp;
} TOASTER_SIRP_CONTEXT;

static REQUEST_POWER_COMPLETE ToasterDeviceIrpDone;

/* The device power IRP we asked for is done: the system IRP can finish. */
static VOID ToasterDeviceIrpDone(PDEVICE_OBJECT DeviceObject, UCHAR MinorFunction, POWER_STATE PowerState,
                                 PVOID Context, PIO_STATUS_BLOCK IoStatus)
{
    TOASTER_SIRP_CONTEXT *sirp = (TOASTER_SIRP_CONTEXT *)Context;
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(MinorFunction);
    UNREFERENCED_PARAMETER(PowerState);
    sirp->SystemIrp->IoStatus.Status = IoStatus->Status;
    PoStartNextPowerIrp(sirp->SystemIrp);
    IoSkipCurrentIrpStackLocation(sirp->SystemIrp);
    PoCallDriver(sirp->Ext->LowerDevice, sirp->SystemIrp);
    IoReleaseRemoveLock(&sirp->Ext->RemoveLock, sirp->SystemIrp);
    ExFreePoolWithTag(sirp, TOASTER_TAG);
}

/* A system power change: as power policy owner, ask for the device state
 * the capabilities map it to, and pass the S-IRP on once that is done. */
static NTSTATUS ToasterSystemPower(PTOASTER_EXTENSION Ext, PIRP Irp, SYSTEM_POWER_STATE State)
{
    POWER_STATE device;
    TOASTER_SIRP_CONTEXT *sirp;

    Ext->SystemPower = State;
    device.DeviceState = State == PowerSystemWorking ? PowerDeviceD0 : PowerDeviceD3;
    if (Ext->Capabilities.Size && State < PowerSystemMaximum && Ext->Capabilities.DeviceState[State])
        device.DeviceState = Ext->Capabilities.DeviceState[State];
    sirp = (TOASTER_SIRP_CONTEXT *)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*sirp), TOASTER_TAG);
    if (sirp == NULL) {
        PoStartNextPowerIrp(Irp);
        IoReleaseRemoveLock(&Ext->RemoveLock, Irp);
        return ToasterCompleteRequest(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    }
    sirp->Ext = Ext;
    sirp->SystemIrp = Irp;
    IoMarkIrpPending(Irp);
    PoRequestPowerIrp(Ext->Pdo, IRP_MN_SET_POWER, device, ToasterDeviceIrpDone, sirp, NULL);
    return STATUS_PENDING;
}

static NTSTATUS ToasterDevicePower(PTOASTER_EXTENSION Ext, PIRP Irp, POWER_STATE State)
{
    NTSTATUS status;

    if (State.DeviceState == PowerDeviceD0) {
        /* Powering up: the bus first. */
        status = ToasterForwardAndWait(Ext, Irp);
        Ext->DevicePower = PowerDeviceD0;
        PoSetPowerState(Ext->Self, DevicePowerState, State);
        KdPrint(("Toaster: D0\n"));
        PoStartNextPowerIrp(Irp);
        ToasterCompleteRequest(Irp, status, 0);
    } else {
        KdPrint(("Toaster: D%d\n", (int)State.DeviceState - 1));
        PoSetPowerState(Ext->Self, DevicePowerState, State);
        Ext->DevicePower = State.DeviceState;
        PoStartNextPowerIrp(Irp);
        IoSkipCurrentIrpStackLocation(Irp);
        status = PoCallDriver(Ext->LowerDevice, Irp);
    }
    IoReleaseRemoveLock(&Ext->RemoveLock, Irp);
    return status;
}

NTSTATUS ToasterPower(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PTOASTER_EXTENSION ext = (PTOASTER_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);

    if (!NT_SUCCESS(status)) {
        PoStartNextPowerIrp(Irp);
        return ToasterCompleteRequest(Irp, status, 0);
    }
    if (stack->MinorFunction == IRP_MN_SET_POWER && stack->Parameters.Power.Type == SystemPowerState)
        return ToasterSystemPower(ext, Irp, stack->Parameters.Power.State.SystemState);
    if (stack->MinorFunction == IRP_MN_SET_POWER && stack->Parameters.Power.Type == DevicePowerState)
        return ToasterDevicePower(ext, Irp, stack->Parameters.Power.State);
    /* Query-power and the rest: nothing to object to. */
    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    status = PoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}
