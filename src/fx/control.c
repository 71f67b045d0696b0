/*
 * Control devices: a driver's devices outside any PnP stack (the only
 * devices of a non-PnP driver). Made with WdfControlDeviceInitAllocate and
 * WdfDeviceCreate, opened once WdfControlFinishInitializing clears
 * DO_DEVICE_INITIALIZING, told of system shutdown when they asked
 * (IRP_MJ_SHUTDOWN, dispatch.c), and deleted by the driver (WdfObjectDelete,
 * allowed for them alone) or with the driver at unload.
 */
#include "fx/device_private.h"

/* WdfControlFinishInitializing: the control device can be opened from now
 * on. PASSIVE_LEVEL. */
static void control_finish_initializing(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfControlFinishInitializing");
    if (!device)
        return;
    if (device->kind != FX_DEVICE_CONTROL) {
        fx_violation("WdfControlFinishInitializing", "the device is not a control device");
        return;
    }
    fx_check_irql(PASSIVE_LEVEL, "WdfControlFinishInitializing");
    fx_pnp_of(device)->control_finished = true;
    fx_pnp_set_state(device, WdfDevStatePnpStarted);
    device->wdm_device->Flags &= ~DO_DEVICE_INITIALIZING;
}
FX_EXPORT(WdfControlFinishInitializing, PFN_WDFCONTROLFINISHINITIALIZING, control_finish_initializing);
