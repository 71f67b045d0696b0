/*
 * wdfdriver.h: the driver object: WDF_DRIVER_CONFIG and WdfDriverCreate,
 * which a KMDF DriverEntry calls first, plus the driver-wide queries.
 */
#ifndef _WDFDRIVER_H_
#define _WDFDRIVER_H_

WDF_EXTERN_C_START

typedef enum _WDF_DRIVER_INIT_FLAGS {
    /* No EvtDriverDeviceAdd: the driver creates control devices itself. */
    WdfDriverInitNonPnpDriver = 0x00000001,
    /* The framework leaves DRIVER_OBJECT dispatch entries alone (miniports). */
    WdfDriverInitNoDispatchOverride = 0x00000002,
    /* Set by the framework when WDFVERIFY checks are enabled. */
    WdfVerifyOn = 0x00000004,
    /* Set by the framework when its verifier is on for this driver. */
    WdfVerifierOn = 0x00000008,
    WdfDriverInitCompanion = 0x00000010,
} WDF_DRIVER_INIT_FLAGS;

typedef NTSTATUS NTAPI EVT_WDF_DRIVER_DEVICE_ADD(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit);
typedef EVT_WDF_DRIVER_DEVICE_ADD *PFN_WDF_DRIVER_DEVICE_ADD;

typedef VOID NTAPI EVT_WDF_DRIVER_UNLOAD(WDFDRIVER Driver);
typedef EVT_WDF_DRIVER_UNLOAD *PFN_WDF_DRIVER_UNLOAD;

typedef NTSTATUS NTAPI EVT_WDF_TRACE_CALLBACK(UCHAR minorFunction, PVOID dataPath, ULONG bufferLength,
                                              PVOID buffer, PVOID context, PULONG size);
typedef EVT_WDF_TRACE_CALLBACK *PFN_WDF_TRACE_CALLBACK;

typedef struct _WDF_DRIVER_CONFIG {
    ULONG Size;
    PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd;
    PFN_WDF_DRIVER_UNLOAD EvtDriverUnload;
    /* WDF_DRIVER_INIT_FLAGS */
    ULONG DriverInitFlags;
    /* Tag for the framework's allocations on this driver's behalf; 0 lets
     * the framework derive one from the driver's name. */
    ULONG DriverPoolTag;
} WDF_DRIVER_CONFIG, *PWDF_DRIVER_CONFIG;

FORCEINLINE VOID WDF_DRIVER_CONFIG_INIT(PWDF_DRIVER_CONFIG Config, PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd)
{
    RtlZeroMemory(Config, sizeof(WDF_DRIVER_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_DRIVER_CONFIG);
    Config->EvtDriverDeviceAdd = EvtDriverDeviceAdd;
}

typedef struct _WDF_DRIVER_VERSION_AVAILABLE_PARAMS {
    ULONG Size;
    ULONG MajorVersion;
    ULONG MinorVersion;
} WDF_DRIVER_VERSION_AVAILABLE_PARAMS, *PWDF_DRIVER_VERSION_AVAILABLE_PARAMS;

FORCEINLINE VOID WDF_DRIVER_VERSION_AVAILABLE_PARAMS_INIT(PWDF_DRIVER_VERSION_AVAILABLE_PARAMS Params,
                                                          ULONG MajorVersion, ULONG MinorVersion)
{
    RtlZeroMemory(Params, sizeof(WDF_DRIVER_VERSION_AVAILABLE_PARAMS));
    Params->Size = WDF_STRUCTURE_SIZE(WDF_DRIVER_VERSION_AVAILABLE_PARAMS);
    Params->MajorVersion = MajorVersion;
    Params->MinorVersion = MinorVersion;
}

/* The driver's WDFDRIVER, read straight from the globals: no table call. */
FORCEINLINE WDFDRIVER WdfGetDriver(VOID)
{
    return WdfDriverGlobals->Driver;
}

KMH_WDF_IMPORT_DECL(WdfDriverCreate);
typedef NTSTATUS (*PFN_WDFDRIVERCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PDRIVER_OBJECT DriverObject, PCUNICODE_STRING RegistryPath, PWDF_OBJECT_ATTRIBUTES DriverAttributes, PWDF_DRIVER_CONFIG DriverConfig, WDFDRIVER *Driver);
FORCEINLINE NTSTATUS WdfDriverCreate(PDRIVER_OBJECT DriverObject, PCUNICODE_STRING RegistryPath, PWDF_OBJECT_ATTRIBUTES DriverAttributes, PWDF_DRIVER_CONFIG DriverConfig, WDFDRIVER *Driver)
{
    KMH_WDF_IMPORT(WdfDriverCreate);
    return ((PFN_WDFDRIVERCREATE)WdfFunctions[WdfDriverCreateTableIndex])(WdfDriverGlobals, DriverObject, RegistryPath, DriverAttributes, DriverConfig, Driver);
}

KMH_WDF_IMPORT_DECL(WdfDriverGetRegistryPath);
typedef PWSTR (*PFN_WDFDRIVERGETREGISTRYPATH)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver);
FORCEINLINE PWSTR WdfDriverGetRegistryPath(WDFDRIVER Driver)
{
    KMH_WDF_IMPORT(WdfDriverGetRegistryPath);
    return ((PFN_WDFDRIVERGETREGISTRYPATH)WdfFunctions[WdfDriverGetRegistryPathTableIndex])(WdfDriverGlobals, Driver);
}

KMH_WDF_IMPORT_DECL(WdfDriverWdmGetDriverObject);
typedef PDRIVER_OBJECT (*PFN_WDFDRIVERWDMGETDRIVEROBJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver);
FORCEINLINE PDRIVER_OBJECT WdfDriverWdmGetDriverObject(WDFDRIVER Driver)
{
    KMH_WDF_IMPORT(WdfDriverWdmGetDriverObject);
    return ((PFN_WDFDRIVERWDMGETDRIVEROBJECT)WdfFunctions[WdfDriverWdmGetDriverObjectTableIndex])(WdfDriverGlobals, Driver);
}

KMH_WDF_IMPORT_DECL(WdfDriverOpenParametersRegistryKey);
typedef NTSTATUS (*PFN_WDFDRIVEROPENPARAMETERSREGISTRYKEY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver, ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key);
FORCEINLINE NTSTATUS WdfDriverOpenParametersRegistryKey(WDFDRIVER Driver, ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key)
{
    KMH_WDF_IMPORT(WdfDriverOpenParametersRegistryKey);
    return ((PFN_WDFDRIVEROPENPARAMETERSREGISTRYKEY)WdfFunctions[WdfDriverOpenParametersRegistryKeyTableIndex])(WdfDriverGlobals, Driver, DesiredAccess, KeyAttributes, Key);
}

KMH_WDF_IMPORT_DECL(WdfWdmDriverGetWdfDriverHandle);
typedef WDFDRIVER (*PFN_WDFWDMDRIVERGETWDFDRIVERHANDLE)(PWDF_DRIVER_GLOBALS DriverGlobals, PDRIVER_OBJECT DriverObject);
FORCEINLINE WDFDRIVER WdfWdmDriverGetWdfDriverHandle(PDRIVER_OBJECT DriverObject)
{
    KMH_WDF_IMPORT(WdfWdmDriverGetWdfDriverHandle);
    return ((PFN_WDFWDMDRIVERGETWDFDRIVERHANDLE)WdfFunctions[WdfWdmDriverGetWdfDriverHandleTableIndex])(WdfDriverGlobals, DriverObject);
}

KMH_WDF_IMPORT_DECL(WdfDriverRegisterTraceInfo);
typedef NTSTATUS (*PFN_WDFDRIVERREGISTERTRACEINFO)(PWDF_DRIVER_GLOBALS DriverGlobals, PDRIVER_OBJECT DriverObject, PFN_WDF_TRACE_CALLBACK EvtTraceCallback, PVOID ControlBlock);
FORCEINLINE NTSTATUS WdfDriverRegisterTraceInfo(PDRIVER_OBJECT DriverObject, PFN_WDF_TRACE_CALLBACK EvtTraceCallback, PVOID ControlBlock)
{
    KMH_WDF_IMPORT(WdfDriverRegisterTraceInfo);
    return ((PFN_WDFDRIVERREGISTERTRACEINFO)WdfFunctions[WdfDriverRegisterTraceInfoTableIndex])(WdfDriverGlobals, DriverObject, EvtTraceCallback, ControlBlock);
}

KMH_WDF_IMPORT_DECL(WdfDriverRetrieveVersionString);
typedef NTSTATUS (*PFN_WDFDRIVERRETRIEVEVERSIONSTRING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver, WDFSTRING String);
FORCEINLINE NTSTATUS WdfDriverRetrieveVersionString(WDFDRIVER Driver, WDFSTRING String)
{
    KMH_WDF_IMPORT(WdfDriverRetrieveVersionString);
    return ((PFN_WDFDRIVERRETRIEVEVERSIONSTRING)WdfFunctions[WdfDriverRetrieveVersionStringTableIndex])(WdfDriverGlobals, Driver, String);
}

KMH_WDF_IMPORT_DECL(WdfDriverIsVersionAvailable);
typedef BOOLEAN (*PFN_WDFDRIVERISVERSIONAVAILABLE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver, PWDF_DRIVER_VERSION_AVAILABLE_PARAMS VersionAvailableParams);
FORCEINLINE BOOLEAN WdfDriverIsVersionAvailable(WDFDRIVER Driver, PWDF_DRIVER_VERSION_AVAILABLE_PARAMS VersionAvailableParams)
{
    KMH_WDF_IMPORT(WdfDriverIsVersionAvailable);
    return ((PFN_WDFDRIVERISVERSIONAVAILABLE)WdfFunctions[WdfDriverIsVersionAvailableTableIndex])(WdfDriverGlobals, Driver, VersionAvailableParams);
}

/* Called by the wrappers of methods newer than the running framework. */
KMH_WDF_IMPORT_DECL(WdfDriverErrorReportApiMissing);
typedef NTSTATUS (*PFN_WDFDRIVERERRORREPORTAPIMISSING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver, PCWSTR FrameworkExtensionName, ULONG ApiIndex, BOOLEAN DoesApiReturnNtstatus);
FORCEINLINE NTSTATUS WdfDriverErrorReportApiMissing(WDFDRIVER Driver, PCWSTR FrameworkExtensionName, ULONG ApiIndex, BOOLEAN DoesApiReturnNtstatus)
{
    KMH_WDF_IMPORT(WdfDriverErrorReportApiMissing);
    return ((PFN_WDFDRIVERERRORREPORTAPIMISSING)WdfFunctions[WdfDriverErrorReportApiMissingTableIndex])(WdfDriverGlobals, Driver, FrameworkExtensionName, ApiIndex, DoesApiReturnNtstatus);
}

KMH_WDF_IMPORT_DECL(WdfDriverOpenPersistentStateRegistryKey);
typedef NTSTATUS (*PFN_WDFDRIVEROPENPERSISTENTSTATEREGISTRYKEY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDRIVER Driver, ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key);
FORCEINLINE NTSTATUS WdfDriverOpenPersistentStateRegistryKey(WDFDRIVER Driver, ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key)
{
    KMH_WDF_IMPORT(WdfDriverOpenPersistentStateRegistryKey);
    return ((PFN_WDFDRIVEROPENPERSISTENTSTATEREGISTRYKEY)WdfFunctions[WdfDriverOpenPersistentStateRegistryKeyTableIndex])(WdfDriverGlobals, Driver, DesiredAccess, KeyAttributes, Key);
}

WDF_EXTERN_C_END

#endif /* _WDFDRIVER_H_ */
