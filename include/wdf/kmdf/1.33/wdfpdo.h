/*
 * wdfpdo.h: physical device objects that a bus driver creates for its
 * children: the IDs and text the PnP manager asks for, ejection, and the
 * child's view of its parent.
 */
#ifndef _WDFPDO_H_
#define _WDFPDO_H_

WDF_EXTERN_C_START

typedef NTSTATUS NTAPI EVT_WDF_DEVICE_RESOURCES_QUERY(WDFDEVICE Device, WDFCMRESLIST Resources);
typedef EVT_WDF_DEVICE_RESOURCES_QUERY *PFN_WDF_DEVICE_RESOURCES_QUERY;

typedef NTSTATUS NTAPI EVT_WDF_DEVICE_RESOURCE_REQUIREMENTS_QUERY(WDFDEVICE Device,
                                                                  WDFIORESREQLIST IoResourceRequirementsList);
typedef EVT_WDF_DEVICE_RESOURCE_REQUIREMENTS_QUERY *PFN_WDF_DEVICE_RESOURCE_REQUIREMENTS_QUERY;

typedef NTSTATUS NTAPI EVT_WDF_DEVICE_EJECT(WDFDEVICE Device);
typedef EVT_WDF_DEVICE_EJECT *PFN_WDF_DEVICE_EJECT;

typedef NTSTATUS NTAPI EVT_WDF_DEVICE_SET_LOCK(WDFDEVICE Device, BOOLEAN IsLocked);
typedef EVT_WDF_DEVICE_SET_LOCK *PFN_WDF_DEVICE_SET_LOCK;

typedef NTSTATUS NTAPI EVT_WDF_DEVICE_ENABLE_WAKE_AT_BUS(WDFDEVICE Device, SYSTEM_POWER_STATE PowerState);
typedef EVT_WDF_DEVICE_ENABLE_WAKE_AT_BUS *PFN_WDF_DEVICE_ENABLE_WAKE_AT_BUS;

typedef VOID NTAPI EVT_WDF_DEVICE_DISABLE_WAKE_AT_BUS(WDFDEVICE Device);
typedef EVT_WDF_DEVICE_DISABLE_WAKE_AT_BUS *PFN_WDF_DEVICE_DISABLE_WAKE_AT_BUS;

typedef VOID NTAPI EVT_WDF_DEVICE_REPORTED_MISSING(WDFDEVICE Device);
typedef EVT_WDF_DEVICE_REPORTED_MISSING *PFN_WDF_DEVICE_REPORTED_MISSING;

typedef struct _WDF_PDO_EVENT_CALLBACKS {
    ULONG Size;
    PFN_WDF_DEVICE_RESOURCES_QUERY EvtDeviceResourcesQuery;
    PFN_WDF_DEVICE_RESOURCE_REQUIREMENTS_QUERY EvtDeviceResourceRequirementsQuery;
    PFN_WDF_DEVICE_EJECT EvtDeviceEject;
    PFN_WDF_DEVICE_SET_LOCK EvtDeviceSetLock;
    PFN_WDF_DEVICE_ENABLE_WAKE_AT_BUS EvtDeviceEnableWakeAtBus;
    PFN_WDF_DEVICE_DISABLE_WAKE_AT_BUS EvtDeviceDisableWakeAtBus;
    PFN_WDF_DEVICE_REPORTED_MISSING EvtDeviceReportedMissing;
} WDF_PDO_EVENT_CALLBACKS, *PWDF_PDO_EVENT_CALLBACKS;

FORCEINLINE VOID WDF_PDO_EVENT_CALLBACKS_INIT(PWDF_PDO_EVENT_CALLBACKS Callbacks)
{
    RtlZeroMemory(Callbacks, sizeof(WDF_PDO_EVENT_CALLBACKS));
    Callbacks->Size = WDF_STRUCTURE_SIZE(WDF_PDO_EVENT_CALLBACKS);
}

/* For a static child: the device-init block to fill in and create. */
KMH_WDF_IMPORT_DECL(WdfPdoInitAllocate);
typedef PWDFDEVICE_INIT (*PFN_WDFPDOINITALLOCATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE ParentDevice);
FORCEINLINE PWDFDEVICE_INIT WdfPdoInitAllocate(WDFDEVICE ParentDevice)
{
    KMH_WDF_IMPORT(WdfPdoInitAllocate);
    return ((PFN_WDFPDOINITALLOCATE)WdfFunctions[WdfPdoInitAllocateTableIndex])(WdfDriverGlobals, ParentDevice);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitSetEventCallbacks);
typedef VOID (*PFN_WDFPDOINITSETEVENTCALLBACKS)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PWDF_PDO_EVENT_CALLBACKS DispatchTable);
FORCEINLINE VOID WdfPdoInitSetEventCallbacks(PWDFDEVICE_INIT DeviceInit, PWDF_PDO_EVENT_CALLBACKS DispatchTable)
{
    KMH_WDF_IMPORT(WdfPdoInitSetEventCallbacks);
    ((PFN_WDFPDOINITSETEVENTCALLBACKS)WdfFunctions[WdfPdoInitSetEventCallbacksTableIndex])(WdfDriverGlobals, DeviceInit, DispatchTable);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitAssignDeviceID);
typedef NTSTATUS (*PFN_WDFPDOINITASSIGNDEVICEID)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING DeviceID);
FORCEINLINE NTSTATUS WdfPdoInitAssignDeviceID(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING DeviceID)
{
    KMH_WDF_IMPORT(WdfPdoInitAssignDeviceID);
    return ((PFN_WDFPDOINITASSIGNDEVICEID)WdfFunctions[WdfPdoInitAssignDeviceIDTableIndex])(WdfDriverGlobals, DeviceInit, DeviceID);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitAssignInstanceID);
typedef NTSTATUS (*PFN_WDFPDOINITASSIGNINSTANCEID)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING InstanceID);
FORCEINLINE NTSTATUS WdfPdoInitAssignInstanceID(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING InstanceID)
{
    KMH_WDF_IMPORT(WdfPdoInitAssignInstanceID);
    return ((PFN_WDFPDOINITASSIGNINSTANCEID)WdfFunctions[WdfPdoInitAssignInstanceIDTableIndex])(WdfDriverGlobals, DeviceInit, InstanceID);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitAddHardwareID);
typedef NTSTATUS (*PFN_WDFPDOINITADDHARDWAREID)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING HardwareID);
FORCEINLINE NTSTATUS WdfPdoInitAddHardwareID(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING HardwareID)
{
    KMH_WDF_IMPORT(WdfPdoInitAddHardwareID);
    return ((PFN_WDFPDOINITADDHARDWAREID)WdfFunctions[WdfPdoInitAddHardwareIDTableIndex])(WdfDriverGlobals, DeviceInit, HardwareID);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitAddCompatibleID);
typedef NTSTATUS (*PFN_WDFPDOINITADDCOMPATIBLEID)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING CompatibleID);
FORCEINLINE NTSTATUS WdfPdoInitAddCompatibleID(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING CompatibleID)
{
    KMH_WDF_IMPORT(WdfPdoInitAddCompatibleID);
    return ((PFN_WDFPDOINITADDCOMPATIBLEID)WdfFunctions[WdfPdoInitAddCompatibleIDTableIndex])(WdfDriverGlobals, DeviceInit, CompatibleID);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitAssignContainerID);
typedef NTSTATUS (*PFN_WDFPDOINITASSIGNCONTAINERID)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING ContainerID);
FORCEINLINE NTSTATUS WdfPdoInitAssignContainerID(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING ContainerID)
{
    KMH_WDF_IMPORT(WdfPdoInitAssignContainerID);
    return ((PFN_WDFPDOINITASSIGNCONTAINERID)WdfFunctions[WdfPdoInitAssignContainerIDTableIndex])(WdfDriverGlobals, DeviceInit, ContainerID);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitAddDeviceText);
typedef NTSTATUS (*PFN_WDFPDOINITADDDEVICETEXT)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING DeviceDescription, PCUNICODE_STRING DeviceLocation, LCID LocaleId);
FORCEINLINE NTSTATUS WdfPdoInitAddDeviceText(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING DeviceDescription, PCUNICODE_STRING DeviceLocation, LCID LocaleId)
{
    KMH_WDF_IMPORT(WdfPdoInitAddDeviceText);
    return ((PFN_WDFPDOINITADDDEVICETEXT)WdfFunctions[WdfPdoInitAddDeviceTextTableIndex])(WdfDriverGlobals, DeviceInit, DeviceDescription, DeviceLocation, LocaleId);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitSetDefaultLocale);
typedef VOID (*PFN_WDFPDOINITSETDEFAULTLOCALE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, LCID LocaleId);
FORCEINLINE VOID WdfPdoInitSetDefaultLocale(PWDFDEVICE_INIT DeviceInit, LCID LocaleId)
{
    KMH_WDF_IMPORT(WdfPdoInitSetDefaultLocale);
    ((PFN_WDFPDOINITSETDEFAULTLOCALE)WdfFunctions[WdfPdoInitSetDefaultLocaleTableIndex])(WdfDriverGlobals, DeviceInit, LocaleId);
}

/* A raw PDO runs without a function driver, in DeviceClassGuid's class. */
KMH_WDF_IMPORT_DECL(WdfPdoInitAssignRawDevice);
typedef NTSTATUS (*PFN_WDFPDOINITASSIGNRAWDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, CONST GUID *DeviceClassGuid);
FORCEINLINE NTSTATUS WdfPdoInitAssignRawDevice(PWDFDEVICE_INIT DeviceInit, CONST GUID *DeviceClassGuid)
{
    KMH_WDF_IMPORT(WdfPdoInitAssignRawDevice);
    return ((PFN_WDFPDOINITASSIGNRAWDEVICE)WdfFunctions[WdfPdoInitAssignRawDeviceTableIndex])(WdfDriverGlobals, DeviceInit, DeviceClassGuid);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitAllowForwardingRequestToParent);
typedef VOID (*PFN_WDFPDOINITALLOWFORWARDINGREQUESTTOPARENT)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit);
FORCEINLINE VOID WdfPdoInitAllowForwardingRequestToParent(PWDFDEVICE_INIT DeviceInit)
{
    KMH_WDF_IMPORT(WdfPdoInitAllowForwardingRequestToParent);
    ((PFN_WDFPDOINITALLOWFORWARDINGREQUESTTOPARENT)WdfFunctions[WdfPdoInitAllowForwardingRequestToParentTableIndex])(WdfDriverGlobals, DeviceInit);
}

KMH_WDF_IMPORT_DECL(WdfPdoMarkMissing);
typedef NTSTATUS (*PFN_WDFPDOMARKMISSING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device);
FORCEINLINE NTSTATUS WdfPdoMarkMissing(WDFDEVICE Device)
{
    KMH_WDF_IMPORT(WdfPdoMarkMissing);
    return ((PFN_WDFPDOMARKMISSING)WdfFunctions[WdfPdoMarkMissingTableIndex])(WdfDriverGlobals, Device);
}

KMH_WDF_IMPORT_DECL(WdfPdoRequestEject);
typedef VOID (*PFN_WDFPDOREQUESTEJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device);
FORCEINLINE VOID WdfPdoRequestEject(WDFDEVICE Device)
{
    KMH_WDF_IMPORT(WdfPdoRequestEject);
    ((PFN_WDFPDOREQUESTEJECT)WdfFunctions[WdfPdoRequestEjectTableIndex])(WdfDriverGlobals, Device);
}

KMH_WDF_IMPORT_DECL(WdfPdoGetParent);
typedef WDFDEVICE (*PFN_WDFPDOGETPARENT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device);
FORCEINLINE WDFDEVICE WdfPdoGetParent(WDFDEVICE Device)
{
    KMH_WDF_IMPORT(WdfPdoGetParent);
    return ((PFN_WDFPDOGETPARENT)WdfFunctions[WdfPdoGetParentTableIndex])(WdfDriverGlobals, Device);
}

KMH_WDF_IMPORT_DECL(WdfPdoRetrieveIdentificationDescription);
typedef NTSTATUS (*PFN_WDFPDORETRIEVEIDENTIFICATIONDESCRIPTION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription);
FORCEINLINE NTSTATUS WdfPdoRetrieveIdentificationDescription(WDFDEVICE Device, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription)
{
    KMH_WDF_IMPORT(WdfPdoRetrieveIdentificationDescription);
    return ((PFN_WDFPDORETRIEVEIDENTIFICATIONDESCRIPTION)WdfFunctions[WdfPdoRetrieveIdentificationDescriptionTableIndex])(WdfDriverGlobals, Device, IdentificationDescription);
}

KMH_WDF_IMPORT_DECL(WdfPdoRetrieveAddressDescription);
typedef NTSTATUS (*PFN_WDFPDORETRIEVEADDRESSDESCRIPTION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription);
FORCEINLINE NTSTATUS WdfPdoRetrieveAddressDescription(WDFDEVICE Device, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription)
{
    KMH_WDF_IMPORT(WdfPdoRetrieveAddressDescription);
    return ((PFN_WDFPDORETRIEVEADDRESSDESCRIPTION)WdfFunctions[WdfPdoRetrieveAddressDescriptionTableIndex])(WdfDriverGlobals, Device, AddressDescription);
}

KMH_WDF_IMPORT_DECL(WdfPdoUpdateAddressDescription);
typedef NTSTATUS (*PFN_WDFPDOUPDATEADDRESSDESCRIPTION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription);
FORCEINLINE NTSTATUS WdfPdoUpdateAddressDescription(WDFDEVICE Device, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription)
{
    KMH_WDF_IMPORT(WdfPdoUpdateAddressDescription);
    return ((PFN_WDFPDOUPDATEADDRESSDESCRIPTION)WdfFunctions[WdfPdoUpdateAddressDescriptionTableIndex])(WdfDriverGlobals, Device, AddressDescription);
}

KMH_WDF_IMPORT_DECL(WdfPdoAddEjectionRelationsPhysicalDevice);
typedef NTSTATUS (*PFN_WDFPDOADDEJECTIONRELATIONSPHYSICALDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PDEVICE_OBJECT PhysicalDevice);
FORCEINLINE NTSTATUS WdfPdoAddEjectionRelationsPhysicalDevice(WDFDEVICE Device, PDEVICE_OBJECT PhysicalDevice)
{
    KMH_WDF_IMPORT(WdfPdoAddEjectionRelationsPhysicalDevice);
    return ((PFN_WDFPDOADDEJECTIONRELATIONSPHYSICALDEVICE)WdfFunctions[WdfPdoAddEjectionRelationsPhysicalDeviceTableIndex])(WdfDriverGlobals, Device, PhysicalDevice);
}

KMH_WDF_IMPORT_DECL(WdfPdoRemoveEjectionRelationsPhysicalDevice);
typedef VOID (*PFN_WDFPDOREMOVEEJECTIONRELATIONSPHYSICALDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PDEVICE_OBJECT PhysicalDevice);
FORCEINLINE VOID WdfPdoRemoveEjectionRelationsPhysicalDevice(WDFDEVICE Device, PDEVICE_OBJECT PhysicalDevice)
{
    KMH_WDF_IMPORT(WdfPdoRemoveEjectionRelationsPhysicalDevice);
    ((PFN_WDFPDOREMOVEEJECTIONRELATIONSPHYSICALDEVICE)WdfFunctions[WdfPdoRemoveEjectionRelationsPhysicalDeviceTableIndex])(WdfDriverGlobals, Device, PhysicalDevice);
}

KMH_WDF_IMPORT_DECL(WdfPdoClearEjectionRelationsDevices);
typedef VOID (*PFN_WDFPDOCLEAREJECTIONRELATIONSDEVICES)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device);
FORCEINLINE VOID WdfPdoClearEjectionRelationsDevices(WDFDEVICE Device)
{
    KMH_WDF_IMPORT(WdfPdoClearEjectionRelationsDevices);
    ((PFN_WDFPDOCLEAREJECTIONRELATIONSDEVICES)WdfFunctions[WdfPdoClearEjectionRelationsDevicesTableIndex])(WdfDriverGlobals, Device);
}

KMH_WDF_IMPORT_DECL(WdfPdoInitRemovePowerDependencyOnParent);
typedef VOID (*PFN_WDFPDOINITREMOVEPOWERDEPENDENCYONPARENT)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit);
FORCEINLINE VOID WdfPdoInitRemovePowerDependencyOnParent(PWDFDEVICE_INIT DeviceInit)
{
    KMH_WDF_IMPORT(WdfPdoInitRemovePowerDependencyOnParent);
    KMH_WDF_IMPORT(WdfDriverErrorReportApiMissing);
    if (WDF_IS_FUNCTION_AVAILABLE(WdfPdoInitRemovePowerDependencyOnParent)) {
        ((PFN_WDFPDOINITREMOVEPOWERDEPENDENCYONPARENT)WdfFunctions[WdfPdoInitRemovePowerDependencyOnParentTableIndex])(WdfDriverGlobals, DeviceInit);
    } else {
        ((PFN_WDFDRIVERERRORREPORTAPIMISSING)WdfFunctions[WdfDriverErrorReportApiMissingTableIndex])(WdfDriverGlobals, WdfGetDriver(), WDF_NULL_POINTER, WdfPdoInitRemovePowerDependencyOnParentTableIndex, FALSE);
    }
}

WDF_EXTERN_C_END

#endif /* _WDFPDO_H_ */
