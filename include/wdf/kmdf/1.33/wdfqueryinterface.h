/*
 * wdfqueryinterface.h: exposing a driver-defined INTERFACE to other drivers
 * through IRP_MN_QUERY_INTERFACE, with the framework answering the IRP.
 */
#ifndef _WDFQUERYINTERFACE_H_
#define _WDFQUERYINTERFACE_H_

WDF_EXTERN_C_START

/* Lets the driver adjust ExposedInterface (already a copy of the registered
 * interface) for one particular requester before it is returned. */
typedef NTSTATUS NTAPI EVT_WDF_DEVICE_PROCESS_QUERY_INTERFACE_REQUEST(
    WDFDEVICE Device, LPGUID InterfaceType, PINTERFACE ExposedInterface, PVOID ExposedInterfaceSpecificData);
typedef EVT_WDF_DEVICE_PROCESS_QUERY_INTERFACE_REQUEST *PFN_WDF_DEVICE_PROCESS_QUERY_INTERFACE_REQUEST;

typedef struct _WDF_QUERY_INTERFACE_CONFIG {
    ULONG Size;
    /* The interface to hand out; Size and Version say how much to copy. */
    PINTERFACE Interface;
    CONST GUID *InterfaceType;
    /* TRUE: pass the query down instead of answering it (filters). */
    BOOLEAN SendQueryToParentStack;
    PFN_WDF_DEVICE_PROCESS_QUERY_INTERFACE_REQUEST EvtDeviceProcessQueryInterfaceRequest;
    /* TRUE: the requester fills the interface in, the driver consumes it. */
    BOOLEAN ImportInterface;
} WDF_QUERY_INTERFACE_CONFIG, *PWDF_QUERY_INTERFACE_CONFIG;

FORCEINLINE VOID WDF_QUERY_INTERFACE_CONFIG_INIT(
    PWDF_QUERY_INTERFACE_CONFIG InterfaceConfig, PINTERFACE Interface, CONST GUID *InterfaceType,
    PFN_WDF_DEVICE_PROCESS_QUERY_INTERFACE_REQUEST EvtDeviceProcessQueryInterfaceRequest)
{
    RtlZeroMemory(InterfaceConfig, sizeof(WDF_QUERY_INTERFACE_CONFIG));
    InterfaceConfig->Size = WDF_STRUCTURE_SIZE(WDF_QUERY_INTERFACE_CONFIG);
    InterfaceConfig->Interface = Interface;
    InterfaceConfig->InterfaceType = InterfaceType;
    InterfaceConfig->EvtDeviceProcessQueryInterfaceRequest = EvtDeviceProcessQueryInterfaceRequest;
}

KMH_WDF_IMPORT_DECL(WdfDeviceAddQueryInterface);
typedef NTSTATUS (*PFN_WDFDEVICEADDQUERYINTERFACE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_QUERY_INTERFACE_CONFIG InterfaceConfig);
FORCEINLINE NTSTATUS WdfDeviceAddQueryInterface(WDFDEVICE Device, PWDF_QUERY_INTERFACE_CONFIG InterfaceConfig)
{
    KMH_WDF_IMPORT(WdfDeviceAddQueryInterface);
    return ((PFN_WDFDEVICEADDQUERYINTERFACE)WdfFunctions[WdfDeviceAddQueryInterfaceTableIndex])(WdfDriverGlobals, Device, InterfaceConfig);
}

/* For INTERFACE.InterfaceReference/InterfaceDereference when the exposed
 * interface needs no reference counting of its own. */
FORCEINLINE VOID WdfDeviceInterfaceReferenceNoOp(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
}

FORCEINLINE VOID WdfDeviceInterfaceDereferenceNoOp(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
}

WDF_EXTERN_C_END

#endif /* _WDFQUERYINTERFACE_H_ */
