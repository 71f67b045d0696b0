/*
 * The PnP state machine of a framework device: what each IRP_MJ_PNP minor
 * does to an FDO, a filter or a PDO, and which driver callbacks it runs.
 * The order is KMDF's documented one (PnP and Power Management Scenarios);
 * tests/test-fx-pnp*.c assert it callback by callback.
 *
 *  IRP (state after)            callbacks, in order                          IRP goes
 *  ---------------------------  -------------------------------------------  -------------------
 *  START_DEVICE (Started)       [lower stack first]                          down first, waited
 *                               EvtDevicePrepareHardware(raw, translated)
 *                               EvtDeviceD0Entry(prev)                        prev: D3Final
 *                               EvtDeviceD0EntryPostInterruptsEnabled(prev)
 *                               power-managed queues start
 *                               EvtDeviceSelfManagedIoInit (first start) or
 *                               EvtDeviceSelfManagedIoRestart (restart)
 *                               device interfaces enabled
 *    PrepareHardware fails      EvtDeviceReleaseHardware; start fails (Failed)
 *    D0Entry fails              EvtDeviceReleaseHardware; start fails (Failed)
 *    SelfManagedIo fails        EvtDeviceSelfManagedIoFlush, ...Cleanup, power-down (D3Final),
 *                               EvtDeviceReleaseHardware; start fails (Failed)
 *  QUERY_STOP (QueryStopPending) EvtDeviceQueryStop (failure vetoes: IRP fails) down
 *  CANCEL_STOP (Started)        -                                            down first
 *  STOP_DEVICE (Stopped)        EvtDeviceSelfManagedIoSuspend                down after
 *                               power-managed queues stop
 *                               EvtDeviceD0ExitPreInterruptsDisabled(D3Final)
 *                               EvtDeviceD0Exit(D3Final)
 *                               EvtDeviceReleaseHardware
 *  QUERY_REMOVE (QueryRemovePending) EvtDeviceQueryRemove (failure vetoes)  down
 *  CANCEL_REMOVE (Started)      -                                            down first
 *  SURPRISE_REMOVAL             EvtDeviceSurpriseRemoval                     down after
 *                               power-down as STOP (if in D0), D3Final
 *                               EvtDeviceReleaseHardware (if prepared)
 *                               interfaces disabled, queues purged, targets stopped
 *                               EvtDeviceSelfManagedIoFlush
 *  REMOVE_DEVICE (Removed)      power-down as STOP (if in D0), D3Final       down after;
 *                               EvtDeviceReleaseHardware (if prepared)       then detach and
 *                               interfaces disabled, queues purged,          delete
 *                               targets stopped
 *                               EvtDeviceSelfManagedIoFlush (unless done at surprise removal)
 *                               EvtDeviceSelfManagedIoCleanup (if self-managed I/O started)
 *                               WDFDEVICE deleted, children first (EvtCleanupCallback ...)
 *  QUERY_CAPABILITIES           -                                            down first; then
 *                               WdfDeviceSetPnp/PowerCapabilities applied
 *  QUERY_PNP_DEVICE_STATE       -                                            down first; then
 *                               WdfDeviceSetDeviceState / WdfDeviceSetFailed bits
 *  QUERY_DEVICE_RELATIONS       EvtDeviceRelationsQuery; BusRelations from the bus
 *                               family's hook; RemovalRelations from
 *                               WdfDeviceAddRemovalRelationsPhysicalDevice
 *  DEVICE_USAGE_NOTIFICATION    EvtDeviceUsageNotification(Ex)               down
 *  anything else                -                                            down (PDO: completed as is)
 *
 * A PDO runs the same sequences but completes every IRP itself; the
 * queries only the bus can answer (IDs, text, resources, bus information,
 * capabilities) come from its struct fx_pdo_ops (src/fx/pdo.c).
 */
#include "fx/device_private.h"

void fx_pnp_set_state(struct fx_device *device, WDF_DEVICE_PNP_STATE state)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    pthread_mutex_lock(&pnp->lock);
    pnp->pnp_state = state;
    pthread_mutex_unlock(&pnp->lock);
}

/* Down the stack with no interest in the result; a PDO completes with
 * the status it is given. */
static NTSTATUS pnp_pass(struct fx_device *device, PIRP irp, NTSTATUS pdo_status)
{
    if (fx_device_has_lower(device))
        return fx_dispatch_forward(device, irp);
    return fx_dispatch_complete(irp, pdo_status, irp->IoStatus.Information);
}

/* Down the stack and back (the lower drivers go first); returns the status
 * the stack below set. A PDO is its own bottom: STATUS_SUCCESS. */
static NTSTATUS pnp_down_and_wait(struct fx_device *device, PIRP irp)
{
    if (!fx_device_has_lower(device))
        return STATUS_SUCCESS;
    irp->IoStatus.Status = STATUS_SUCCESS;
    IoForwardIrpSynchronously(device->attached_to, irp);
    return irp->IoStatus.Status;
}

/* --- Start ----------------------------------------------------------------- */
static void release_hardware(struct fx_device *device)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    if (!pnp->hardware_prepared)
        return;
    pnp->hardware_prepared = false;
    if (pnp->cb.EvtDeviceReleaseHardware)
        (void)pnp->cb.EvtDeviceReleaseHardware(fx_device_handle(device), pnp->translated);
    fx_cmreslists_delete(device);
}

static void self_managed_io_end(struct fx_device *device, bool flush, bool cleanup)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    if (!pnp->self_io_started)
        return;
    if (flush && pnp->cb.EvtDeviceSelfManagedIoFlush)
        pnp->cb.EvtDeviceSelfManagedIoFlush(fx_device_handle(device));
    if (cleanup) {
        if (pnp->cb.EvtDeviceSelfManagedIoCleanup)
            pnp->cb.EvtDeviceSelfManagedIoCleanup(fx_device_handle(device));
        pnp->self_io_started = false;
    }
}

static NTSTATUS prepare_hardware(struct fx_device *device, PIO_STACK_LOCATION sp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    NTSTATUS status = fx_cmreslists_new(device, sp->Parameters.StartDevice.AllocatedResources,
                                        sp->Parameters.StartDevice.AllocatedResourcesTranslated);
    if (!NT_SUCCESS(status))
        return status;
    pnp->hardware_prepared = true;
    if (pnp->cb.EvtDevicePrepareHardware)
        status = pnp->cb.EvtDevicePrepareHardware(fx_device_handle(device), pnp->raw, pnp->translated);
    return status;
}

/* Everything after the lower stack started; a failure leaves the device
 * as it was before (hardware released) and failed. */
static NTSTATUS start_sequence(struct fx_device *device, PIO_STACK_LOCATION sp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    bool first = !pnp->self_io_started;
    NTSTATUS status = prepare_hardware(device, sp);

    if (NT_SUCCESS(status))
        status = fx_power_up(device, pnp->dx);
    if (!NT_SUCCESS(status) && device->in_d0) {
        /* D0 was reached but self-managed I/O failed to start. */
        self_managed_io_end(device, true, first);
        fx_power_down(device, WdfPowerDeviceD3Final);
    }
    if (!NT_SUCCESS(status)) {
        release_hardware(device);
        pnp->failed = true;
        fx_pnp_set_state(device, WdfDevStatePnpFailed);
        return status;
    }
    pnp->ever_started = true;
    pnp->policy_state = WdfDevStatePwrPolStarted;
    fx_device_interfaces_set_all(device, true);
    fx_pnp_set_state(device, WdfDevStatePnpStarted);
    return STATUS_SUCCESS;
}

static NTSTATUS pnp_start(struct fx_device *device, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    fx_pnp_set_state(device, fx_pnp_of(device)->ever_started ? WdfDevStatePnpStartingFromStopped
                                                             : WdfDevStatePnpInitStarting);
    NTSTATUS status = pnp_down_and_wait(device, irp);
    if (NT_SUCCESS(status))
        status = start_sequence(device, sp);
    else
        fx_pnp_set_state(device, WdfDevStatePnpFailed);
    return fx_dispatch_complete(irp, status, 0);
}

/* --- Stop ------------------------------------------------------------------ */
static NTSTATUS pnp_query_stop(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    NTSTATUS status = STATUS_SUCCESS;

    if (pnp->static_not_stoppable)
        status = STATUS_INVALID_DEVICE_REQUEST;
    else if (pnp->cb.EvtDeviceQueryStop)
        status = pnp->cb.EvtDeviceQueryStop(fx_device_handle(device));
    if (!NT_SUCCESS(status))
        return fx_dispatch_complete(irp, status, 0);
    fx_pnp_set_state(device, WdfDevStatePnpQueryStopPending);
    irp->IoStatus.Status = STATUS_SUCCESS;
    return pnp_pass(device, irp, STATUS_SUCCESS);
}

static NTSTATUS pnp_cancel(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    NTSTATUS status = pnp_down_and_wait(device, irp);
    if (pnp->ever_started && !pnp->failed && device->in_d0)
        fx_pnp_set_state(device, WdfDevStatePnpStarted);
    return fx_dispatch_complete(irp, NT_SUCCESS(status) ? STATUS_SUCCESS : status, 0);
}

/* Leaves D0 for good (stop, removal): the device will see PrepareHardware
 * again before it runs. */
static void stop_sequence(struct fx_device *device)
{
    if (device->in_d0)
        fx_power_down(device, WdfPowerDeviceD3Final);
    fx_pnp_of(device)->dx = WdfPowerDeviceD3Final;
    release_hardware(device);
}

static NTSTATUS pnp_stop(struct fx_device *device, PIRP irp)
{
    stop_sequence(device);
    fx_pnp_set_state(device, WdfDevStatePnpStopped);
    irp->IoStatus.Status = STATUS_SUCCESS;
    return pnp_pass(device, irp, STATUS_SUCCESS);
}

/* --- Removal ---------------------------------------------------------------- */
static NTSTATUS pnp_query_remove(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    NTSTATUS status = STATUS_SUCCESS;

    if (pnp->static_not_stoppable)
        status = STATUS_INVALID_DEVICE_REQUEST;
    else if (pnp->cb.EvtDeviceQueryRemove)
        status = pnp->cb.EvtDeviceQueryRemove(fx_device_handle(device));
    if (!NT_SUCCESS(status))
        return fx_dispatch_complete(irp, status, 0);
    fx_pnp_set_state(device, WdfDevStatePnpQueryRemovePending);
    irp->IoStatus.Status = STATUS_SUCCESS;
    return pnp_pass(device, irp, STATUS_SUCCESS);
}

/* What removal (surprise or orderly) does before the IRP goes down. */
static void remove_sequence(struct fx_device *device)
{
    struct fx_pnp *pnp = fx_pnp_of(device);

    stop_sequence(device);
    fx_device_interfaces_set_all(device, false);
    fx_device_links_delete(device);
    fx_queues_purge_for_remove(device);
    if (fx_device_has_lower(device))
        fx_io_targets_stop_all(device, true);
    if (!pnp->surprise_removed)
        self_managed_io_end(device, true, false);
}

static NTSTATUS pnp_surprise_removal(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);

    fx_pnp_set_state(device, WdfDevStatePnpSurpriseRemove);
    if (pnp->cb.EvtDeviceSurpriseRemoval)
        pnp->cb.EvtDeviceSurpriseRemoval(fx_device_handle(device));
    remove_sequence(device);
    pnp->surprise_removed = true;
    fx_pnp_set_state(device, WdfDevStatePnpFailedWaitForRemove);
    irp->IoStatus.Status = STATUS_SUCCESS;
    return pnp_pass(device, irp, STATUS_SUCCESS);
}

static NTSTATUS pnp_remove(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    NTSTATUS status = STATUS_SUCCESS;

    fx_pnp_set_state(device, WdfDevStatePnpRemovingDisableInterfaces);
    remove_sequence(device);
    self_managed_io_end(device, false, true);
    pnp->removed = true;
    pnp->policy_state = WdfDevStatePwrPolRemoved;
    fx_pnp_set_state(device, WdfDevStatePnpRemoved);
    if (device->kind == FX_DEVICE_PDO && device->pdo_ops && device->pdo_ops->remove_deletes &&
        !device->pdo_ops->remove_deletes(device)) {
        /* Still on the bus: the PDO stays for its next start. */
        pnp->removed = false;
        pnp->ever_started = false;
        fx_pnp_set_state(device, WdfDevStatePnpInit);
        return fx_dispatch_complete(irp, STATUS_SUCCESS, 0);
    }
    irp->IoStatus.Status = STATUS_SUCCESS;
    if (fx_device_has_lower(device)) {
        IoSkipCurrentIrpStackLocation(irp);
        status = IoCallDriver(device->attached_to, irp);
    } else {
        fx_dispatch_complete(irp, STATUS_SUCCESS, 0);
    }
    fx_device_destroy(device);
    return status;
}

/* --- Dispatch ------------------------------------------------------------------ */
NTSTATUS fx_pnp_dispatch(struct fx_device *device, PIRP irp)
{
    switch (IoGetCurrentIrpStackLocation(irp)->MinorFunction) {
    case IRP_MN_START_DEVICE: return pnp_start(device, irp);
    case IRP_MN_QUERY_STOP_DEVICE: return pnp_query_stop(device, irp);
    case IRP_MN_CANCEL_STOP_DEVICE: return pnp_cancel(device, irp);
    case IRP_MN_STOP_DEVICE: return pnp_stop(device, irp);
    case IRP_MN_QUERY_REMOVE_DEVICE: return pnp_query_remove(device, irp);
    case IRP_MN_CANCEL_REMOVE_DEVICE: return pnp_cancel(device, irp);
    case IRP_MN_SURPRISE_REMOVAL: return pnp_surprise_removal(device, irp);
    case IRP_MN_REMOVE_DEVICE: return pnp_remove(device, irp);
    default: return fx_pnp_dispatch_query(device, irp);
    }
}
