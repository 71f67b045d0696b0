/*
 * wdfcontrol.h: control device objects: devices outside any PnP stack
 * (a legacy driver's only device, or a side channel next to a PnP one).
 */
#ifndef _WDFCONTROL_H_
#define _WDFCONTROL_H_

WDF_EXTERN_C_START

typedef VOID NTAPI EVT_WDF_DEVICE_SHUTDOWN_NOTIFICATION(WDFDEVICE Device);
typedef EVT_WDF_DEVICE_SHUTDOWN_NOTIFICATION *PFN_WDF_DEVICE_SHUTDOWN_NOTIFICATION;

typedef enum _WDF_DEVICE_SHUTDOWN_FLAGS {
    WdfDeviceShutdown = 0x01,
    WdfDeviceLastChanceShutdown = 0x02,
} WDF_DEVICE_SHUTDOWN_FLAGS;

/* SDDLString is required: control devices always carry a security
 * descriptor (see the SDDL_DEVOBJ_* strings). */
KMH_WDF_IMPORT_DECL(WdfControlDeviceInitAllocate);
typedef PWDFDEVICE_INIT (*PFN_WDFCONTROLDEVICEINITALLOCATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver, CONST UNICODE_STRING *SDDLString);
FORCEINLINE PWDFDEVICE_INIT WdfControlDeviceInitAllocate(WDFDRIVER Driver, CONST UNICODE_STRING *SDDLString)
{
    KMH_WDF_IMPORT(WdfControlDeviceInitAllocate);
    return ((PFN_WDFCONTROLDEVICEINITALLOCATE)WdfFunctions[WdfControlDeviceInitAllocateTableIndex])(WdfDriverGlobals, Driver, SDDLString);
}

/* Flags: WDF_DEVICE_SHUTDOWN_FLAGS. */
KMH_WDF_IMPORT_DECL(WdfControlDeviceInitSetShutdownNotification);
typedef VOID (*PFN_WDFCONTROLDEVICEINITSETSHUTDOWNNOTIFICATION)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PFN_WDF_DEVICE_SHUTDOWN_NOTIFICATION Notification, UCHAR Flags);
FORCEINLINE VOID WdfControlDeviceInitSetShutdownNotification(PWDFDEVICE_INIT DeviceInit, PFN_WDF_DEVICE_SHUTDOWN_NOTIFICATION Notification, UCHAR Flags)
{
    KMH_WDF_IMPORT(WdfControlDeviceInitSetShutdownNotification);
    ((PFN_WDFCONTROLDEVICEINITSETSHUTDOWNNOTIFICATION)WdfFunctions[WdfControlDeviceInitSetShutdownNotificationTableIndex])(WdfDriverGlobals, DeviceInit, Notification, Flags);
}

/* Clears DO_DEVICE_INITIALIZING: until then no one can open the device. */
KMH_WDF_IMPORT_DECL(WdfControlFinishInitializing);
typedef VOID (*PFN_WDFCONTROLFINISHINITIALIZING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device);
FORCEINLINE VOID WdfControlFinishInitializing(WDFDEVICE Device)
{
    KMH_WDF_IMPORT(WdfControlFinishInitializing);
    ((PFN_WDFCONTROLFINISHINITIALIZING)WdfFunctions[WdfControlFinishInitializingTableIndex])(WdfDriverGlobals, Device);
}

WDF_EXTERN_C_END

#endif /* _WDFCONTROL_H_ */
