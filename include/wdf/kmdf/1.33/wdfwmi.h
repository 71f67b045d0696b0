/*
 * wdfwmi.h: WMI data providers and their instances, with the framework
 * answering the IRP_MJ_SYSTEM_CONTROL traffic.
 */
#ifndef _WDFWMI_H_
#define _WDFWMI_H_

WDF_EXTERN_C_START

typedef enum _WDF_WMI_PROVIDER_CONTROL {
    WdfWmiControlInvalid = 0,
    WdfWmiEventControl,
    WdfWmiInstanceControl,
} WDF_WMI_PROVIDER_CONTROL;

typedef enum _WDF_WMI_PROVIDER_FLAGS {
    /* Only fires events; never queried or set. */
    WdfWmiProviderEventOnly = 0x0001,
    /* Collection is costly: the driver is told when someone is listening. */
    WdfWmiProviderExpensive = 0x0002,
    WdfWmiProviderTracing = 0x0004,
    WdfWmiProviderValidFlags = WdfWmiProviderEventOnly | WdfWmiProviderExpensive | WdfWmiProviderTracing,
} WDF_WMI_PROVIDER_FLAGS;

typedef NTSTATUS NTAPI EVT_WDF_WMI_INSTANCE_QUERY_INSTANCE(WDFWMIINSTANCE WmiInstance, ULONG OutBufferSize,
                                                           PVOID OutBuffer, PULONG BufferUsed);
typedef EVT_WDF_WMI_INSTANCE_QUERY_INSTANCE *PFN_WDF_WMI_INSTANCE_QUERY_INSTANCE;

typedef NTSTATUS NTAPI EVT_WDF_WMI_INSTANCE_SET_INSTANCE(WDFWMIINSTANCE WmiInstance, ULONG InBufferSize,
                                                         PVOID InBuffer);
typedef EVT_WDF_WMI_INSTANCE_SET_INSTANCE *PFN_WDF_WMI_INSTANCE_SET_INSTANCE;

typedef NTSTATUS NTAPI EVT_WDF_WMI_INSTANCE_SET_ITEM(WDFWMIINSTANCE WmiInstance, ULONG DataItemId,
                                                     ULONG InBufferSize, PVOID InBuffer);
typedef EVT_WDF_WMI_INSTANCE_SET_ITEM *PFN_WDF_WMI_INSTANCE_SET_ITEM;

/* Buffer holds the input and receives the output, so it is as large as the
 * larger of the two sizes. */
typedef NTSTATUS NTAPI EVT_WDF_WMI_INSTANCE_EXECUTE_METHOD(WDFWMIINSTANCE WmiInstance, ULONG MethodId,
                                                           ULONG InBufferSize, ULONG OutBufferSize,
                                                           PVOID Buffer, PULONG BufferUsed);
typedef EVT_WDF_WMI_INSTANCE_EXECUTE_METHOD *PFN_WDF_WMI_INSTANCE_EXECUTE_METHOD;

typedef NTSTATUS NTAPI EVT_WDF_WMI_PROVIDER_FUNCTION_CONTROL(WDFWMIPROVIDER WmiProvider,
                                                             WDF_WMI_PROVIDER_CONTROL Control, BOOLEAN Enable);
typedef EVT_WDF_WMI_PROVIDER_FUNCTION_CONTROL *PFN_WDF_WMI_PROVIDER_FUNCTION_CONTROL;

typedef struct _WDF_WMI_PROVIDER_CONFIG {
    ULONG Size;
    GUID Guid;
    /* WDF_WMI_PROVIDER_FLAGS */
    ULONG Flags;
    /* Smallest buffer a query or set may bring; ignored for event-only. */
    ULONG MinInstanceBufferSize;
    PFN_WDF_WMI_PROVIDER_FUNCTION_CONTROL EvtWmiProviderFunctionControl;
} WDF_WMI_PROVIDER_CONFIG, *PWDF_WMI_PROVIDER_CONFIG;

FORCEINLINE VOID WDF_WMI_PROVIDER_CONFIG_INIT(PWDF_WMI_PROVIDER_CONFIG Config, CONST GUID *Guid)
{
    RtlZeroMemory(Config, sizeof(WDF_WMI_PROVIDER_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_WMI_PROVIDER_CONFIG);
    RtlCopyMemory(&Config->Guid, Guid, sizeof(GUID));
}

typedef struct _WDF_WMI_INSTANCE_CONFIG {
    ULONG Size;
    /* Exactly one of Provider and ProviderConfig: an existing provider, or
     * the configuration of one to create along with the instance. */
    WDFWMIPROVIDER Provider;
    PWDF_WMI_PROVIDER_CONFIG ProviderConfig;
    /* Answer queries by copying the instance's context, without a callback. */
    BOOLEAN UseContextForQuery;
    /* Register with WMI as part of creation. */
    BOOLEAN Register;
    PFN_WDF_WMI_INSTANCE_QUERY_INSTANCE EvtWmiInstanceQueryInstance;
    PFN_WDF_WMI_INSTANCE_SET_INSTANCE EvtWmiInstanceSetInstance;
    PFN_WDF_WMI_INSTANCE_SET_ITEM EvtWmiInstanceSetItem;
    PFN_WDF_WMI_INSTANCE_EXECUTE_METHOD EvtWmiInstanceExecuteMethod;
} WDF_WMI_INSTANCE_CONFIG, *PWDF_WMI_INSTANCE_CONFIG;

FORCEINLINE VOID WDF_WMI_INSTANCE_CONFIG_INIT_PROVIDER(PWDF_WMI_INSTANCE_CONFIG Config, WDFWMIPROVIDER Provider)
{
    RtlZeroMemory(Config, sizeof(WDF_WMI_INSTANCE_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_WMI_INSTANCE_CONFIG);
    Config->Provider = Provider;
}

FORCEINLINE VOID WDF_WMI_INSTANCE_CONFIG_INIT_PROVIDER_CONFIG(PWDF_WMI_INSTANCE_CONFIG Config,
                                                             PWDF_WMI_PROVIDER_CONFIG ProviderConfig)
{
    RtlZeroMemory(Config, sizeof(WDF_WMI_INSTANCE_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_WMI_INSTANCE_CONFIG);
    Config->ProviderConfig = ProviderConfig;
}

/*
 * Writes String in WMI's counted form (a USHORT byte count, then the
 * characters, no terminator). *RequiredSize is always set, so a caller that
 * gets STATUS_BUFFER_TOO_SMALL can report the size it needs.
 */
FORCEINLINE NTSTATUS WDF_WMI_BUFFER_APPEND_STRING(PVOID Buffer, ULONG BufferLength, PCUNICODE_STRING String,
                                                  PULONG RequiredSize)
{
    *RequiredSize = String->Length + sizeof(USHORT);
    if (BufferLength < (String->Length + sizeof(USHORT))) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    *(USHORT *)Buffer = String->Length;
    RtlCopyMemory(WDF_PTR_ADD_OFFSET(Buffer, sizeof(USHORT)), String->Buffer, String->Length);
    return STATUS_SUCCESS;
}

KMH_WDF_IMPORT_DECL(WdfWmiProviderCreate);
typedef NTSTATUS (*PFN_WDFWMIPROVIDERCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_WMI_PROVIDER_CONFIG WmiProviderConfig, PWDF_OBJECT_ATTRIBUTES ProviderAttributes, WDFWMIPROVIDER *WmiProvider);
FORCEINLINE NTSTATUS WdfWmiProviderCreate(WDFDEVICE Device, PWDF_WMI_PROVIDER_CONFIG WmiProviderConfig, PWDF_OBJECT_ATTRIBUTES ProviderAttributes, WDFWMIPROVIDER *WmiProvider)
{
    KMH_WDF_IMPORT(WdfWmiProviderCreate);
    return ((PFN_WDFWMIPROVIDERCREATE)WdfFunctions[WdfWmiProviderCreateTableIndex])(WdfDriverGlobals, Device, WmiProviderConfig, ProviderAttributes, WmiProvider);
}

KMH_WDF_IMPORT_DECL(WdfWmiProviderGetDevice);
typedef WDFDEVICE (*PFN_WDFWMIPROVIDERGETDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWMIPROVIDER WmiProvider);
FORCEINLINE WDFDEVICE WdfWmiProviderGetDevice(WDFWMIPROVIDER WmiProvider)
{
    KMH_WDF_IMPORT(WdfWmiProviderGetDevice);
    return ((PFN_WDFWMIPROVIDERGETDEVICE)WdfFunctions[WdfWmiProviderGetDeviceTableIndex])(WdfDriverGlobals, WmiProvider);
}

KMH_WDF_IMPORT_DECL(WdfWmiProviderIsEnabled);
typedef BOOLEAN (*PFN_WDFWMIPROVIDERISENABLED)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWMIPROVIDER WmiProvider, WDF_WMI_PROVIDER_CONTROL ProviderControl);
FORCEINLINE BOOLEAN WdfWmiProviderIsEnabled(WDFWMIPROVIDER WmiProvider, WDF_WMI_PROVIDER_CONTROL ProviderControl)
{
    KMH_WDF_IMPORT(WdfWmiProviderIsEnabled);
    return ((PFN_WDFWMIPROVIDERISENABLED)WdfFunctions[WdfWmiProviderIsEnabledTableIndex])(WdfDriverGlobals, WmiProvider, ProviderControl);
}

KMH_WDF_IMPORT_DECL(WdfWmiProviderGetTracingHandle);
typedef ULONGLONG (*PFN_WDFWMIPROVIDERGETTRACINGHANDLE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWMIPROVIDER WmiProvider);
FORCEINLINE ULONGLONG WdfWmiProviderGetTracingHandle(WDFWMIPROVIDER WmiProvider)
{
    KMH_WDF_IMPORT(WdfWmiProviderGetTracingHandle);
    return ((PFN_WDFWMIPROVIDERGETTRACINGHANDLE)WdfFunctions[WdfWmiProviderGetTracingHandleTableIndex])(WdfDriverGlobals, WmiProvider);
}

KMH_WDF_IMPORT_DECL(WdfWmiInstanceCreate);
typedef NTSTATUS (*PFN_WDFWMIINSTANCECREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_WMI_INSTANCE_CONFIG InstanceConfig, PWDF_OBJECT_ATTRIBUTES InstanceAttributes, WDFWMIINSTANCE *Instance);
FORCEINLINE NTSTATUS WdfWmiInstanceCreate(WDFDEVICE Device, PWDF_WMI_INSTANCE_CONFIG InstanceConfig, PWDF_OBJECT_ATTRIBUTES InstanceAttributes, WDFWMIINSTANCE *Instance)
{
    KMH_WDF_IMPORT(WdfWmiInstanceCreate);
    return ((PFN_WDFWMIINSTANCECREATE)WdfFunctions[WdfWmiInstanceCreateTableIndex])(WdfDriverGlobals, Device, InstanceConfig, InstanceAttributes, Instance);
}

KMH_WDF_IMPORT_DECL(WdfWmiInstanceRegister);
typedef NTSTATUS (*PFN_WDFWMIINSTANCEREGISTER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWMIINSTANCE WmiInstance);
FORCEINLINE NTSTATUS WdfWmiInstanceRegister(WDFWMIINSTANCE WmiInstance)
{
    KMH_WDF_IMPORT(WdfWmiInstanceRegister);
    return ((PFN_WDFWMIINSTANCEREGISTER)WdfFunctions[WdfWmiInstanceRegisterTableIndex])(WdfDriverGlobals, WmiInstance);
}

KMH_WDF_IMPORT_DECL(WdfWmiInstanceDeregister);
typedef VOID (*PFN_WDFWMIINSTANCEDEREGISTER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWMIINSTANCE WmiInstance);
FORCEINLINE VOID WdfWmiInstanceDeregister(WDFWMIINSTANCE WmiInstance)
{
    KMH_WDF_IMPORT(WdfWmiInstanceDeregister);
    ((PFN_WDFWMIINSTANCEDEREGISTER)WdfFunctions[WdfWmiInstanceDeregisterTableIndex])(WdfDriverGlobals, WmiInstance);
}

KMH_WDF_IMPORT_DECL(WdfWmiInstanceGetDevice);
typedef WDFDEVICE (*PFN_WDFWMIINSTANCEGETDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWMIINSTANCE WmiInstance);
FORCEINLINE WDFDEVICE WdfWmiInstanceGetDevice(WDFWMIINSTANCE WmiInstance)
{
    KMH_WDF_IMPORT(WdfWmiInstanceGetDevice);
    return ((PFN_WDFWMIINSTANCEGETDEVICE)WdfFunctions[WdfWmiInstanceGetDeviceTableIndex])(WdfDriverGlobals, WmiInstance);
}

KMH_WDF_IMPORT_DECL(WdfWmiInstanceGetProvider);
typedef WDFWMIPROVIDER (*PFN_WDFWMIINSTANCEGETPROVIDER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWMIINSTANCE WmiInstance);
FORCEINLINE WDFWMIPROVIDER WdfWmiInstanceGetProvider(WDFWMIINSTANCE WmiInstance)
{
    KMH_WDF_IMPORT(WdfWmiInstanceGetProvider);
    return ((PFN_WDFWMIINSTANCEGETPROVIDER)WdfFunctions[WdfWmiInstanceGetProviderTableIndex])(WdfDriverGlobals, WmiInstance);
}

KMH_WDF_IMPORT_DECL(WdfWmiInstanceFireEvent);
typedef NTSTATUS (*PFN_WDFWMIINSTANCEFIREEVENT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWMIINSTANCE WmiInstance, ULONG EventDataSize, PVOID EventData);
FORCEINLINE NTSTATUS WdfWmiInstanceFireEvent(WDFWMIINSTANCE WmiInstance, ULONG EventDataSize, PVOID EventData)
{
    KMH_WDF_IMPORT(WdfWmiInstanceFireEvent);
    return ((PFN_WDFWMIINSTANCEFIREEVENT)WdfFunctions[WdfWmiInstanceFireEventTableIndex])(WdfDriverGlobals, WmiInstance, EventDataSize, EventData);
}

WDF_EXTERN_C_END

#endif /* _WDFWMI_H_ */
