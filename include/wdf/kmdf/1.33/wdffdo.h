/*
 * wdffdo.h: function and filter device objects: what a function or filter
 * driver sets in the device-init block before WdfDeviceCreate (filter mode,
 * resource-requirement callbacks, the default child list), and the FDO's
 * static child list for bus drivers that enumerate PDOs themselves.
 */
#ifndef _WDFFDO_H_
#define _WDFFDO_H_

WDF_EXTERN_C_START

typedef NTSTATUS NTAPI EVT_WDF_DEVICE_FILTER_RESOURCE_REQUIREMENTS(WDFDEVICE Device,
                                                                   WDFIORESREQLIST IoResourceRequirementsList);
typedef EVT_WDF_DEVICE_FILTER_RESOURCE_REQUIREMENTS *PFN_WDF_DEVICE_FILTER_RESOURCE_REQUIREMENTS;

typedef NTSTATUS NTAPI EVT_WDF_DEVICE_REMOVE_ADDED_RESOURCES(WDFDEVICE Device, WDFCMRESLIST ResourcesRaw,
                                                             WDFCMRESLIST ResourcesTranslated);
typedef EVT_WDF_DEVICE_REMOVE_ADDED_RESOURCES *PFN_WDF_DEVICE_REMOVE_ADDED_RESOURCES;

typedef struct _WDF_FDO_EVENT_CALLBACKS {
    ULONG Size;
    PFN_WDF_DEVICE_FILTER_RESOURCE_REQUIREMENTS EvtDeviceFilterAddResourceRequirements;
    PFN_WDF_DEVICE_FILTER_RESOURCE_REQUIREMENTS EvtDeviceFilterRemoveResourceRequirements;
    PFN_WDF_DEVICE_REMOVE_ADDED_RESOURCES EvtDeviceRemoveAddedResources;
} WDF_FDO_EVENT_CALLBACKS, *PWDF_FDO_EVENT_CALLBACKS;

FORCEINLINE VOID WDF_FDO_EVENT_CALLBACKS_INIT(PWDF_FDO_EVENT_CALLBACKS Callbacks)
{
    RtlZeroMemory(Callbacks, sizeof(WDF_FDO_EVENT_CALLBACKS));
    Callbacks->Size = WDF_STRUCTURE_SIZE(WDF_FDO_EVENT_CALLBACKS);
}

KMH_WDF_IMPORT_DECL(WdfFdoInitWdmGetPhysicalDevice);
typedef PDEVICE_OBJECT (*PFN_WDFFDOINITWDMGETPHYSICALDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit);
FORCEINLINE PDEVICE_OBJECT WdfFdoInitWdmGetPhysicalDevice(PWDFDEVICE_INIT DeviceInit)
{
    KMH_WDF_IMPORT(WdfFdoInitWdmGetPhysicalDevice);
    return ((PFN_WDFFDOINITWDMGETPHYSICALDEVICE)WdfFunctions[WdfFdoInitWdmGetPhysicalDeviceTableIndex])(WdfDriverGlobals, DeviceInit);
}

KMH_WDF_IMPORT_DECL(WdfFdoInitOpenRegistryKey);
typedef NTSTATUS (*PFN_WDFFDOINITOPENREGISTRYKEY)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, ULONG DeviceInstanceKeyType, ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key);
FORCEINLINE NTSTATUS WdfFdoInitOpenRegistryKey(PWDFDEVICE_INIT DeviceInit, ULONG DeviceInstanceKeyType, ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key)
{
    KMH_WDF_IMPORT(WdfFdoInitOpenRegistryKey);
    return ((PFN_WDFFDOINITOPENREGISTRYKEY)WdfFunctions[WdfFdoInitOpenRegistryKeyTableIndex])(WdfDriverGlobals, DeviceInit, DeviceInstanceKeyType, DesiredAccess, KeyAttributes, Key);
}

KMH_WDF_IMPORT_DECL(WdfFdoInitQueryProperty);
typedef NTSTATUS (*PFN_WDFFDOINITQUERYPROPERTY)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, DEVICE_REGISTRY_PROPERTY DeviceProperty, ULONG BufferLength, PVOID PropertyBuffer, PULONG ResultLength);
FORCEINLINE NTSTATUS WdfFdoInitQueryProperty(PWDFDEVICE_INIT DeviceInit, DEVICE_REGISTRY_PROPERTY DeviceProperty, ULONG BufferLength, PVOID PropertyBuffer, PULONG ResultLength)
{
    KMH_WDF_IMPORT(WdfFdoInitQueryProperty);
    return ((PFN_WDFFDOINITQUERYPROPERTY)WdfFunctions[WdfFdoInitQueryPropertyTableIndex])(WdfDriverGlobals, DeviceInit, DeviceProperty, BufferLength, PropertyBuffer, ResultLength);
}

KMH_WDF_IMPORT_DECL(WdfFdoInitAllocAndQueryProperty);
typedef NTSTATUS (*PFN_WDFFDOINITALLOCANDQUERYPROPERTY)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, DEVICE_REGISTRY_PROPERTY DeviceProperty, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES PropertyMemoryAttributes, WDFMEMORY *PropertyMemory);
FORCEINLINE NTSTATUS WdfFdoInitAllocAndQueryProperty(PWDFDEVICE_INIT DeviceInit, DEVICE_REGISTRY_PROPERTY DeviceProperty, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES PropertyMemoryAttributes, WDFMEMORY *PropertyMemory)
{
    KMH_WDF_IMPORT(WdfFdoInitAllocAndQueryProperty);
    return ((PFN_WDFFDOINITALLOCANDQUERYPROPERTY)WdfFunctions[WdfFdoInitAllocAndQueryPropertyTableIndex])(WdfDriverGlobals, DeviceInit, DeviceProperty, PoolType, PropertyMemoryAttributes, PropertyMemory);
}

KMH_WDF_IMPORT_DECL(WdfFdoInitQueryPropertyEx);
typedef NTSTATUS (*PFN_WDFFDOINITQUERYPROPERTYEX)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PWDF_DEVICE_PROPERTY_DATA DeviceProperty, ULONG BufferLength, PVOID PropertyBuffer, PULONG ResultLength, PDEVPROPTYPE Type);
FORCEINLINE NTSTATUS WdfFdoInitQueryPropertyEx(PWDFDEVICE_INIT DeviceInit, PWDF_DEVICE_PROPERTY_DATA DeviceProperty, ULONG BufferLength, PVOID PropertyBuffer, PULONG ResultLength, PDEVPROPTYPE Type)
{
    KMH_WDF_IMPORT(WdfFdoInitQueryPropertyEx);
    return ((PFN_WDFFDOINITQUERYPROPERTYEX)WdfFunctions[WdfFdoInitQueryPropertyExTableIndex])(WdfDriverGlobals, DeviceInit, DeviceProperty, BufferLength, PropertyBuffer, ResultLength, Type);
}

KMH_WDF_IMPORT_DECL(WdfFdoInitAllocAndQueryPropertyEx);
typedef NTSTATUS (*PFN_WDFFDOINITALLOCANDQUERYPROPERTYEX)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PWDF_DEVICE_PROPERTY_DATA DeviceProperty, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES PropertyMemoryAttributes, WDFMEMORY *PropertyMemory, PDEVPROPTYPE Type);
FORCEINLINE NTSTATUS WdfFdoInitAllocAndQueryPropertyEx(PWDFDEVICE_INIT DeviceInit, PWDF_DEVICE_PROPERTY_DATA DeviceProperty, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES PropertyMemoryAttributes, WDFMEMORY *PropertyMemory, PDEVPROPTYPE Type)
{
    KMH_WDF_IMPORT(WdfFdoInitAllocAndQueryPropertyEx);
    return ((PFN_WDFFDOINITALLOCANDQUERYPROPERTYEX)WdfFunctions[WdfFdoInitAllocAndQueryPropertyExTableIndex])(WdfDriverGlobals, DeviceInit, DeviceProperty, PoolType, PropertyMemoryAttributes, PropertyMemory, Type);
}

KMH_WDF_IMPORT_DECL(WdfFdoInitSetEventCallbacks);
typedef VOID (*PFN_WDFFDOINITSETEVENTCALLBACKS)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PWDF_FDO_EVENT_CALLBACKS FdoEventCallbacks);
FORCEINLINE VOID WdfFdoInitSetEventCallbacks(PWDFDEVICE_INIT DeviceInit, PWDF_FDO_EVENT_CALLBACKS FdoEventCallbacks)
{
    KMH_WDF_IMPORT(WdfFdoInitSetEventCallbacks);
    ((PFN_WDFFDOINITSETEVENTCALLBACKS)WdfFunctions[WdfFdoInitSetEventCallbacksTableIndex])(WdfDriverGlobals, DeviceInit, FdoEventCallbacks);
}

/* Makes the device a filter: requests the driver does not take are passed
 * down, and it is not the power policy owner by default. */
KMH_WDF_IMPORT_DECL(WdfFdoInitSetFilter);
typedef VOID (*PFN_WDFFDOINITSETFILTER)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit);
FORCEINLINE VOID WdfFdoInitSetFilter(PWDFDEVICE_INIT DeviceInit)
{
    KMH_WDF_IMPORT(WdfFdoInitSetFilter);
    ((PFN_WDFFDOINITSETFILTER)WdfFunctions[WdfFdoInitSetFilterTableIndex])(WdfDriverGlobals, DeviceInit);
}

KMH_WDF_IMPORT_DECL(WdfFdoInitSetDefaultChildListConfig);
typedef VOID (*PFN_WDFFDOINITSETDEFAULTCHILDLISTCONFIG)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDFDEVICE_INIT DeviceInit, PWDF_CHILD_LIST_CONFIG Config, PWDF_OBJECT_ATTRIBUTES DefaultChildListAttributes);
FORCEINLINE VOID WdfFdoInitSetDefaultChildListConfig(PWDFDEVICE_INIT DeviceInit, PWDF_CHILD_LIST_CONFIG Config, PWDF_OBJECT_ATTRIBUTES DefaultChildListAttributes)
{
    KMH_WDF_IMPORT(WdfFdoInitSetDefaultChildListConfig);
    ((PFN_WDFFDOINITSETDEFAULTCHILDLISTCONFIG)WdfFunctions[WdfFdoInitSetDefaultChildListConfigTableIndex])(WdfDriverGlobals, DeviceInit, Config, DefaultChildListAttributes);
}

KMH_WDF_IMPORT_DECL(WdfFdoQueryForInterface);
typedef NTSTATUS (*PFN_WDFFDOQUERYFORINTERFACE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Fdo, LPCGUID InterfaceType, PINTERFACE Interface, USHORT Size, USHORT Version, PVOID InterfaceSpecificData);
FORCEINLINE NTSTATUS WdfFdoQueryForInterface(WDFDEVICE Fdo, LPCGUID InterfaceType, PINTERFACE Interface, USHORT Size, USHORT Version, PVOID InterfaceSpecificData)
{
    KMH_WDF_IMPORT(WdfFdoQueryForInterface);
    return ((PFN_WDFFDOQUERYFORINTERFACE)WdfFunctions[WdfFdoQueryForInterfaceTableIndex])(WdfDriverGlobals, Fdo, InterfaceType, Interface, Size, Version, InterfaceSpecificData);
}

KMH_WDF_IMPORT_DECL(WdfFdoGetDefaultChildList);
typedef WDFCHILDLIST (*PFN_WDFFDOGETDEFAULTCHILDLIST)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Fdo);
FORCEINLINE WDFCHILDLIST WdfFdoGetDefaultChildList(WDFDEVICE Fdo)
{
    KMH_WDF_IMPORT(WdfFdoGetDefaultChildList);
    return ((PFN_WDFFDOGETDEFAULTCHILDLIST)WdfFunctions[WdfFdoGetDefaultChildListTableIndex])(WdfDriverGlobals, Fdo);
}

KMH_WDF_IMPORT_DECL(WdfFdoAddStaticChild);
typedef NTSTATUS (*PFN_WDFFDOADDSTATICCHILD)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Fdo, WDFDEVICE Child);
FORCEINLINE NTSTATUS WdfFdoAddStaticChild(WDFDEVICE Fdo, WDFDEVICE Child)
{
    KMH_WDF_IMPORT(WdfFdoAddStaticChild);
    return ((PFN_WDFFDOADDSTATICCHILD)WdfFunctions[WdfFdoAddStaticChildTableIndex])(WdfDriverGlobals, Fdo, Child);
}

KMH_WDF_IMPORT_DECL(WdfFdoLockStaticChildListForIteration);
typedef VOID (*PFN_WDFFDOLOCKSTATICCHILDLISTFORITERATION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Fdo);
FORCEINLINE VOID WdfFdoLockStaticChildListForIteration(WDFDEVICE Fdo)
{
    KMH_WDF_IMPORT(WdfFdoLockStaticChildListForIteration);
    ((PFN_WDFFDOLOCKSTATICCHILDLISTFORITERATION)WdfFunctions[WdfFdoLockStaticChildListForIterationTableIndex])(WdfDriverGlobals, Fdo);
}

/* Flags: WDF_RETRIEVE_CHILD_FLAGS; NULL PreviousChild starts over. */
KMH_WDF_IMPORT_DECL(WdfFdoRetrieveNextStaticChild);
typedef WDFDEVICE (*PFN_WDFFDORETRIEVENEXTSTATICCHILD)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Fdo, WDFDEVICE PreviousChild, ULONG Flags);
FORCEINLINE WDFDEVICE WdfFdoRetrieveNextStaticChild(WDFDEVICE Fdo, WDFDEVICE PreviousChild, ULONG Flags)
{
    KMH_WDF_IMPORT(WdfFdoRetrieveNextStaticChild);
    return ((PFN_WDFFDORETRIEVENEXTSTATICCHILD)WdfFunctions[WdfFdoRetrieveNextStaticChildTableIndex])(WdfDriverGlobals, Fdo, PreviousChild, Flags);
}

KMH_WDF_IMPORT_DECL(WdfFdoUnlockStaticChildListFromIteration);
typedef VOID (*PFN_WDFFDOUNLOCKSTATICCHILDLISTFROMITERATION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Fdo);
FORCEINLINE VOID WdfFdoUnlockStaticChildListFromIteration(WDFDEVICE Fdo)
{
    KMH_WDF_IMPORT(WdfFdoUnlockStaticChildListFromIteration);
    ((PFN_WDFFDOUNLOCKSTATICCHILDLISTFROMITERATION)WdfFunctions[WdfFdoUnlockStaticChildListFromIterationTableIndex])(WdfDriverGlobals, Fdo);
}

WDF_EXTERN_C_END

#endif /* _WDFFDO_H_ */
