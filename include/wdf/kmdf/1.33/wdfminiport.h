/*
 * wdfminiport.h: for miniport drivers whose port driver owns the
 * DRIVER_OBJECT (NDIS and the like): a framework device wrapped around a
 * device object the port driver created. Not included by wdf.h, as in the
 * WDK; miniports include it themselves.
 */
#ifndef _WDFMINIPORT_H_
#define _WDFMINIPORT_H_

WDF_EXTERN_C_START

KMH_WDF_IMPORT_DECL(WdfDeviceMiniportCreate);
typedef NTSTATUS (*PFN_WDFDEVICEMINIPORTCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver, PWDF_OBJECT_ATTRIBUTES Attributes, PDEVICE_OBJECT DeviceObject, PDEVICE_OBJECT AttachedDeviceObject, PDEVICE_OBJECT Pdo, WDFDEVICE *Device);
FORCEINLINE NTSTATUS WdfDeviceMiniportCreate(WDFDRIVER Driver, PWDF_OBJECT_ATTRIBUTES Attributes, PDEVICE_OBJECT DeviceObject, PDEVICE_OBJECT AttachedDeviceObject, PDEVICE_OBJECT Pdo, WDFDEVICE *Device)
{
    KMH_WDF_IMPORT(WdfDeviceMiniportCreate);
    return ((PFN_WDFDEVICEMINIPORTCREATE)WdfFunctions[WdfDeviceMiniportCreateTableIndex])(WdfDriverGlobals, Driver, Attributes, DeviceObject, AttachedDeviceObject, Pdo, Device);
}

KMH_WDF_IMPORT_DECL(WdfDriverMiniportUnload);
typedef VOID (*PFN_WDFDRIVERMINIPORTUNLOAD)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver);
FORCEINLINE VOID WdfDriverMiniportUnload(WDFDRIVER Driver)
{
    KMH_WDF_IMPORT(WdfDriverMiniportUnload);
    ((PFN_WDFDRIVERMINIPORTUNLOAD)WdfFunctions[WdfDriverMiniportUnloadTableIndex])(WdfDriverGlobals, Driver);
}

WDF_EXTERN_C_END

#endif /* _WDFMINIPORT_H_ */
