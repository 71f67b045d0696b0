/*
 * The power manager, as much as a process without hardware needs: power
 * IRPs travel like any other (PoCallDriver is IoCallDriver since Vista),
 * drivers request device power IRPs with PoRequestPowerIrp and record
 * their state with PoSetPowerState, and system shutdown sends every started
 * stack a system set-power to S5 so its power policy owner powers down.
 */
#include "pnp/pnp_private.h"

#include <stdlib.h>

KMH_EXPORT NTSTATUS PoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    return IofCallDriver(DeviceObject, Irp);
}

/* Power IRPs are no longer serialised per device (Vista and later), so
 * there is nothing to start; the call stays valid. */
KMH_EXPORT void PoStartNextPowerIrp(PIRP Irp)
{
    (void)Irp;
}

KMH_EXPORT POWER_STATE PoSetPowerState(PDEVICE_OBJECT DeviceObject, POWER_STATE_TYPE Type, POWER_STATE State)
{
    struct io_device *device = io_device_of(DeviceObject);
    POWER_STATE previous = Type == DevicePowerState ? device->device_power : device->system_power;
    if (Type == DevicePowerState)
        device->device_power = State;
    else
        device->system_power = State;
    return previous;
}

struct power_request {
    PREQUEST_POWER_COMPLETE callback;
    PVOID context;
    POWER_STATE state;
    UCHAR minor;
    PDEVICE_OBJECT target;
};

static IO_COMPLETION_ROUTINE power_request_done;

static NTSTATUS power_request_done(PDEVICE_OBJECT device, PIRP irp, PVOID context)
{
    struct power_request *request = context;
    (void)device;
    if (request->callback)
        request->callback(request->target, request->minor, request->state, request->context, &irp->IoStatus);
    ObfDereferenceObject(request->target);
    free(request);
    IoFreeIrp(irp);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

KMH_EXPORT NTSTATUS PoRequestPowerIrp(PDEVICE_OBJECT DeviceObject, UCHAR MinorFunction, POWER_STATE PowerState,
                                      PREQUEST_POWER_COMPLETE CompletionFunction, PVOID Context, PIRP *Irp)
{
    PDEVICE_OBJECT top = IoGetAttachedDeviceReference(DeviceObject);
    struct power_request *request = calloc(1, sizeof(*request));
    PIRP irp = IoAllocateIrp((CCHAR)(top->StackSize + 1), FALSE);

    if (MinorFunction != IRP_MN_SET_POWER && MinorFunction != IRP_MN_QUERY_POWER &&
        MinorFunction != IRP_MN_WAIT_WAKE) {
        free(request);
        if (irp)
            IoFreeIrp(irp);
        ObfDereferenceObject(top);
        return STATUS_INVALID_PARAMETER_2;
    }
    if (!request || !irp) {
        free(request);
        if (irp)
            IoFreeIrp(irp);
        ObfDereferenceObject(top);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *request = (struct power_request){ CompletionFunction, Context, PowerState, MinorFunction, DeviceObject };
    ObfReferenceObject(DeviceObject);
    /* The extra location is the requester's: its completion reports back. */
    IoSetCompletionRoutine(irp, power_request_done, request, TRUE, TRUE, TRUE);
    IoSetNextIrpStackLocation(irp);
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = IRP_MJ_POWER;
    sp->MinorFunction = MinorFunction;
    if (MinorFunction == IRP_MN_WAIT_WAKE) {
        sp->Parameters.WaitWake.PowerState = PowerState.SystemState;
    } else {
        sp->Parameters.Power.Type = DevicePowerState;
        sp->Parameters.Power.State = PowerState;
    }
    irp->IoStatus.Status = STATUS_NOT_SUPPORTED;
    irp->Tail.Overlay.Thread = PsGetCurrentThread();
    if (Irp)
        *Irp = irp;
    PoCallDriver(top, irp);
    ObfDereferenceObject(top);
    return STATUS_PENDING;
}

/* Devices are never idled here: the counter exists so drivers that call
 * PoSetDeviceBusy on it keep working. */
KMH_EXPORT PULONG PoRegisterDeviceForIdleDetection(PDEVICE_OBJECT DeviceObject, ULONG ConservationIdleTime,
                                                   ULONG PerformanceIdleTime, DEVICE_POWER_STATE State)
{
    (void)ConservationIdleTime;
    (void)PerformanceIdleTime;
    (void)State;
    return &io_device_of(DeviceObject)->idle_counter;
}

KMH_EXPORT void PoSetDeviceBusyEx(PULONG IdlePointer)
{
    *(volatile ULONG *)IdlePointer = 0;
}

KMH_EXPORT PVOID PoRegisterSystemState(PVOID StateHandle, EXECUTION_STATE Flags)
{
    (void)Flags;
    static char registration;
    return StateHandle ? StateHandle : &registration;
}

KMH_EXPORT void PoUnregisterSystemState(PVOID StateHandle)
{
    (void)StateHandle;
}

KMH_EXPORT void PoSetSystemState(EXECUTION_STATE Flags)
{
    (void)Flags;
}

/* pnp_lock held. IRP_MN_SET_POWER for S5 down the node's stack. */
void pnp_power_shutdown(struct pnp_node *node)
{
    PIRP irp = io_build_pnp_irp(node->pdo, IRP_MJ_POWER, IRP_MN_SET_POWER);
    if (!irp)
        return;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->Parameters.Power.Type = SystemPowerState;
    sp->Parameters.Power.State.SystemState = PowerSystemShutdown;
    sp->Parameters.Power.ShutdownType = PowerActionShutdown;
    io_call_and_wait(node->pdo, irp, NULL);
}
