/*
 * Device power: the D0 entry and exit sequences the PnP state machine and
 * device power IRPs share, the power policy owner's handling of system
 * power IRPs (a device power IRP requested with PoRequestPowerIrp, the
 * system IRP completed after it), and WdfDeviceStopIdle/ResumeIdle.
 *
 * Power-up (device to D0), in the documented order:
 *   EvtDeviceD0Entry(PreviousState)
 *   EvtDeviceD0EntryPostInterruptsEnabled(PreviousState)
 *   EvtChildListScanForChildren (bus FDOs, each child list)
 *   power-managed queues restart (fx_queues_power_up)
 *   EvtDeviceSelfManagedIoInit (first time) | EvtDeviceSelfManagedIoRestart
 * Power-down (device leaves D0):
 *   EvtDeviceSelfManagedIoSuspend
 *   power-managed queues stop (fx_queues_power_down)
 *   EvtDeviceD0ExitPreInterruptsDisabled(TargetState)
 *   EvtDeviceD0Exit(TargetState)
 * TargetState is WdfPowerDeviceD3Final for stop, removal and system
 * shutdown (S5); the D state of the device power IRP for sleep (S1-S4);
 * PreviousState on the way back is whatever TargetState was.
 *
 * Callbacks run at PASSIVE_LEVEL: a power IRP that arrives above it (a
 * device that is not power-pageable) is finished by a work item.
 * There is no idle timeout here: a started device stays in D0 until the
 * system sleeps, stops or removes it.
 */
#include "fx/device_private.h"
#include "verifier/verifier.h"

#include <stdlib.h>

static bool not_pageable(struct fx_pnp *pnp)
{
    return pnp->paging != FX_POWER_PAGEABLE;
}

void fx_power_set_d0(struct fx_device *device, bool in_d0)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    POWER_STATE state = { .DeviceState = in_d0 ? PowerDeviceD0 : PowerDeviceD3 };

    pthread_mutex_lock(&pnp->lock);
    InterlockedExchange(&device->in_d0, in_d0);
    if (in_d0)
        pnp->power_state = not_pageable(pnp) ? WdfDevStatePowerD0NP : WdfDevStatePowerD0;
    else
        pnp->power_state = not_pageable(pnp) ? WdfDevStatePowerDxNP : WdfDevStatePowerDx;
    pthread_mutex_unlock(&pnp->lock);
    if (in_d0)
        KeSetEvent(&pnp->d0_event, IO_NO_INCREMENT, FALSE);
    else
        KeClearEvent(&pnp->d0_event);
    PoSetPowerState(device->wdm_device, DevicePowerState, state);
}

static NTSTATUS self_managed_io_start(struct fx_device *device)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    WDFDEVICE handle = fx_device_handle(device);
    NTSTATUS status = STATUS_SUCCESS;

    if (!pnp->self_io_started) {
        if (pnp->cb.EvtDeviceSelfManagedIoInit)
            status = pnp->cb.EvtDeviceSelfManagedIoInit(handle);
        pnp->self_io_started = true;
    } else if (pnp->cb.EvtDeviceSelfManagedIoRestart) {
        status = pnp->cb.EvtDeviceSelfManagedIoRestart(handle);
    }
    pnp->self_io_running = NT_SUCCESS(status);
    return status;
}

NTSTATUS fx_power_up(struct fx_device *device, WDF_POWER_DEVICE_STATE previous)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    WDFDEVICE handle = fx_device_handle(device);
    NTSTATUS status = STATUS_SUCCESS;

    /* A failed D0 entry gets no D0 exit (documented); a failed
     * post-interrupt step undoes the entry. */
    if (pnp->cb.EvtDeviceD0Entry && !NT_SUCCESS(status = pnp->cb.EvtDeviceD0Entry(handle, previous)))
        return status;
    if (pnp->cb.EvtDeviceD0EntryPostInterruptsEnabled &&
        !NT_SUCCESS(status = pnp->cb.EvtDeviceD0EntryPostInterruptsEnabled(handle, previous))) {
        if (pnp->cb.EvtDeviceD0Exit)
            pnp->cb.EvtDeviceD0Exit(handle, WdfPowerDeviceD3Final);
        return status;
    }
    fx_power_set_d0(device, true);
    /* A bus FDO's EvtChildListScanForChildren, before its queues restart. */
    if (fx_device_has_lower(device))
        fx_child_lists_scan(device);
    fx_queues_power_up(device);
    return self_managed_io_start(device);
}

void fx_power_down(struct fx_device *device, WDF_POWER_DEVICE_STATE target)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    WDFDEVICE handle = fx_device_handle(device);

    if (pnp->self_io_running && pnp->cb.EvtDeviceSelfManagedIoSuspend)
        (void)pnp->cb.EvtDeviceSelfManagedIoSuspend(handle);
    pnp->self_io_running = false;
    fx_queues_power_down(device);
    if (pnp->cb.EvtDeviceD0ExitPreInterruptsDisabled)
        (void)pnp->cb.EvtDeviceD0ExitPreInterruptsDisabled(handle, target);
    if (pnp->cb.EvtDeviceD0Exit)
        (void)pnp->cb.EvtDeviceD0Exit(handle, target);
    pnp->dx = target;
    fx_power_set_d0(device, false);
}

/* --- Passing power IRPs on ------------------------------------------------- */
static NTSTATUS power_pass(struct fx_device *device, PIRP irp)
{
    PoStartNextPowerIrp(irp);
    if (fx_device_has_lower(device)) {
        IoSkipCurrentIrpStackLocation(irp);
        return PoCallDriver(device->attached_to, irp);
    }
    /* The bottom of the stack: set and query power succeed, the rest is
     * left as the IRP came. */
    UCHAR minor = IoGetCurrentIrpStackLocation(irp)->MinorFunction;
    NTSTATUS status = minor == IRP_MN_SET_POWER || minor == IRP_MN_QUERY_POWER ? STATUS_SUCCESS : irp->IoStatus.Status;
    return fx_dispatch_complete(irp, status, irp->IoStatus.Information);
}

static WDF_POWER_DEVICE_STATE wdf_target(struct fx_pnp *pnp, DEVICE_POWER_STATE d)
{
    if (pnp->system_state == PowerSystemShutdown || pnp->system_action == PowerActionShutdown ||
        pnp->system_action == PowerActionShutdownOff || pnp->system_action == PowerActionShutdownReset)
        return WdfPowerDeviceD3Final;
    switch (d) {
    case PowerDeviceD1: return WdfPowerDeviceD1;
    case PowerDeviceD2: return WdfPowerDeviceD2;
    default: return WdfPowerDeviceD3;
    }
}

/* A device power IRP (D-IRP). Going up, the lower stack powers up first;
 * going down, this device does first. */
static NTSTATUS power_device(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    DEVICE_POWER_STATE d = IoGetCurrentIrpStackLocation(irp)->Parameters.Power.State.DeviceState;
    bool lower = fx_device_has_lower(device);
    bool active = pnp->ever_started && !pnp->removed && !pnp->surprise_removed && pnp->hardware_prepared;

    if (d != PowerDeviceD0) {
        if (active && device->in_d0)
            fx_power_down(device, wdf_target(pnp, d));
        return power_pass(device, irp);
    }
    if (!active || device->in_d0)
        return power_pass(device, irp);
    if (lower) {
        IoForwardIrpSynchronously(device->attached_to, irp);
        if (!NT_SUCCESS(irp->IoStatus.Status))
            return fx_dispatch_complete(irp, irp->IoStatus.Status, 0);
    }
    NTSTATUS status = fx_power_up(device, pnp->dx);
    PoStartNextPowerIrp(irp);
    return fx_dispatch_complete(irp, status, 0);
}

/* --- System power IRPs (the policy owner's) ---------------------------------- */
static REQUEST_POWER_COMPLETE dirp_done;

static void dirp_done(PDEVICE_OBJECT device, UCHAR minor, POWER_STATE state, PVOID context, PIO_STATUS_BLOCK io)
{
    PIRP sirp = context;
    (void)device;
    (void)minor;
    (void)state;
    PoStartNextPowerIrp(sirp);
    sirp->IoStatus.Status = io->Status;
    IoCompleteRequest(sirp, IO_NO_INCREMENT);
}

/* Requests the D-IRP that goes with the S-IRP; the S-IRP completes when
 * it does. false when none is needed (or could be sent). */
static bool request_dirp(struct fx_device *device, PIRP sirp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    POWER_STATE d = { .DeviceState = pnp->system_state == PowerSystemWorking ? PowerDeviceD0 : PowerDeviceD3 };

    if (!pnp->ever_started || pnp->removed || pnp->surprise_removed || !pnp->hardware_prepared)
        return false;
    if ((d.DeviceState == PowerDeviceD0) == (device->in_d0 != 0))
        return false;
    return PoRequestPowerIrp(device->pdo, IRP_MN_SET_POWER, d, dirp_done, sirp, NULL) == STATUS_PENDING;
}

static IO_COMPLETION_ROUTINE sirp_done;

static NTSTATUS sirp_done(PDEVICE_OBJECT wdm, PIRP irp, PVOID context)
{
    struct fx_device *device = context;
    (void)wdm;
    if (irp->PendingReturned)
        IoMarkIrpPending(irp);
    if (!NT_SUCCESS(irp->IoStatus.Status) || !request_dirp(device, irp))
        return STATUS_SUCCESS; /* continue completion */
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static NTSTATUS power_system(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);

    pnp->system_state = sp->Parameters.Power.State.SystemState;
    pnp->system_action = sp->Parameters.Power.ShutdownType;
    pnp->policy_state = pnp->system_state == PowerSystemWorking ? WdfDevStatePwrPolStarted
                                                                 : WdfDevStatePwrPolSystemAsleepNoWake;
    if (!device->power_policy_owner)
        return power_pass(device, irp);
    if (!fx_device_has_lower(device)) {
        IoMarkIrpPending(irp);
        if (!request_dirp(device, irp))
            fx_dispatch_complete(irp, STATUS_SUCCESS, 0);
        return STATUS_PENDING;
    }
    IoMarkIrpPending(irp);
    IoCopyCurrentIrpStackLocationToNext(irp);
    IoSetCompletionRoutine(irp, sirp_done, device, TRUE, TRUE, TRUE);
    PoCallDriver(device->attached_to, irp);
    return STATUS_PENDING;
}

/* --- Dispatch -------------------------------------------------------------- */
struct power_work {
    WORK_QUEUE_ITEM item;
    struct fx_device *device;
    PIRP irp;
};

static NTSTATUS power_set(struct fx_device *device, PIRP irp)
{
    if (IoGetCurrentIrpStackLocation(irp)->Parameters.Power.Type == SystemPowerState)
        return power_system(device, irp);
    return power_device(device, irp);
}

static void power_work_run(PVOID parameter)
{
    struct power_work *work = parameter;
    (void)power_set(work->device, work->irp);
    fx_object_unref(&work->device->object);
    free(work);
}

/* The driver's callbacks must not run above PASSIVE_LEVEL. */
static NTSTATUS power_defer(struct fx_device *device, PIRP irp)
{
    struct power_work *work = malloc(sizeof(*work));
    if (!work)
        return fx_dispatch_complete(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    work->device = device;
    work->irp = irp;
    fx_object_ref(&device->object);
    IoMarkIrpPending(irp);
    ExInitializeWorkItem(&work->item, power_work_run, work);
    ExQueueWorkItem(&work->item, CriticalWorkQueue);
    return STATUS_PENDING;
}

NTSTATUS fx_power_dispatch(struct fx_device *device, PIRP irp)
{
    UCHAR minor = IoGetCurrentIrpStackLocation(irp)->MinorFunction;

    if (device->kind == FX_DEVICE_CONTROL)
        return fx_dispatch_complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    if (minor != IRP_MN_SET_POWER)
        return power_pass(device, irp);
    if (KeGetCurrentIrql() > PASSIVE_LEVEL)
        return power_defer(device, irp);
    return power_set(device, irp);
}

/* --- Idle references ----------------------------------------------------------- */
/* WdfDeviceStopIdle: keeps the device in D0 until the matching
 * WdfDeviceResumeIdle; with WaitForD0 it waits until the device is there.
 * PASSIVE_LEVEL with WaitForD0, else <= DISPATCH_LEVEL. STATUS_SUCCESS (in
 * D0), STATUS_PENDING (not yet, no wait asked), STATUS_INVALID_DEVICE_STATE
 * (not started or being removed: no reference is taken). */
static NTSTATUS stop_idle(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, BOOLEAN WaitForD0, const char *ddi)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, ddi);
    if (!device)
        return STATUS_INVALID_PARAMETER;
    struct fx_pnp *pnp = fx_pnp_of(device);
    if (!fx_check_irql(WaitForD0 ? PASSIVE_LEVEL : DISPATCH_LEVEL, ddi))
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!pnp->ever_started || pnp->removed || pnp->surprise_removed)
        return STATUS_INVALID_DEVICE_STATE;
    InterlockedIncrement(&pnp->idle_refs);
    if (device->in_d0)
        return STATUS_SUCCESS;
    if (!WaitForD0)
        return STATUS_PENDING;
    KeWaitForSingleObject(&pnp->d0_event, Executive, KernelMode, FALSE, NULL);
    return STATUS_SUCCESS;
}

static NTSTATUS device_stop_idle_no_track(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, BOOLEAN WaitForD0)
{
    return stop_idle(g, Device, WaitForD0, "WdfDeviceStopIdle");
}
FX_EXPORT(WdfDeviceStopIdleNoTrack, PFN_WDFDEVICESTOPIDLENOTRACK, device_stop_idle_no_track);

static NTSTATUS device_stop_idle_actual(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, BOOLEAN WaitForD0, PVOID Tag,
                                        LONG Line, PCCH File)
{
    (void)Tag;
    (void)Line;
    (void)File;
    return stop_idle(g, Device, WaitForD0, "WdfDeviceStopIdle");
}
FX_EXPORT(WdfDeviceStopIdleActual, PFN_WDFDEVICESTOPIDLEACTUAL, device_stop_idle_actual);

/* WdfDeviceResumeIdle: drops a WdfDeviceStopIdle reference. <= DISPATCH_LEVEL. */
static void resume_idle(WDFDEVICE Device)
{
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceResumeIdle");
    if (!device)
        return;
    if (InterlockedDecrement(&fx_pnp_of(device)->idle_refs) < 0) {
        InterlockedIncrement(&fx_pnp_of(device)->idle_refs);
        fx_violation("WdfDeviceResumeIdle", "called more often than WdfDeviceStopIdle");
    }
}

static void device_resume_idle_no_track(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    resume_idle(Device);
}
FX_EXPORT(WdfDeviceResumeIdleNoTrack, PFN_WDFDEVICERESUMEIDLENOTRACK, device_resume_idle_no_track);

static void device_resume_idle_actual(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PVOID Tag, LONG Line, PCCH File)
{
    (void)g;
    (void)Tag;
    (void)Line;
    (void)File;
    resume_idle(Device);
}
FX_EXPORT(WdfDeviceResumeIdleActual, PFN_WDFDEVICERESUMEIDLEACTUAL, device_resume_idle_actual);

/* WdfDeviceGetSystemPowerAction: the POWER_ACTION of the system power
 * change in progress (PowerActionNone when none). <= DISPATCH_LEVEL. */
static POWER_ACTION device_get_system_power_action(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetSystemPowerAction");
    return device ? fx_pnp_of(device)->system_action : PowerActionNone;
}
FX_EXPORT(WdfDeviceGetSystemPowerAction, PFN_WDFDEVICEGETSYSTEMPOWERACTION, device_get_system_power_action);
