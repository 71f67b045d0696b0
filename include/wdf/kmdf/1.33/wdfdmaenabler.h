/*
 * wdfdmaenabler.h: DMA enablers: a device's DMA capabilities (profile,
 * maximum transfer length) and its WDM DMA adapters.
 */
#ifndef _WDFDMAENABLER_H_
#define _WDFDMAENABLER_H_

WDF_EXTERN_C_START

typedef enum _WDF_DMA_PROFILE {
    WdfDmaProfileInvalid = 0,
    WdfDmaProfilePacket,
    WdfDmaProfileScatterGather,
    WdfDmaProfilePacket64,
    WdfDmaProfileScatterGather64,
    WdfDmaProfileScatterGatherDuplex,
    WdfDmaProfileScatterGather64Duplex,
    WdfDmaProfileSystem,
    WdfDmaProfileSystemDuplex,
} WDF_DMA_PROFILE;

typedef enum _WDF_DMA_DIRECTION {
    WdfDmaDirectionReadFromDevice = FALSE,
    WdfDmaDirectionWriteToDevice = TRUE,
} WDF_DMA_DIRECTION;

typedef NTSTATUS NTAPI EVT_WDF_DMA_ENABLER_FILL(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_FILL *PFN_WDF_DMA_ENABLER_FILL;

typedef NTSTATUS NTAPI EVT_WDF_DMA_ENABLER_FLUSH(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_FLUSH *PFN_WDF_DMA_ENABLER_FLUSH;

typedef NTSTATUS NTAPI EVT_WDF_DMA_ENABLER_ENABLE(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_ENABLE *PFN_WDF_DMA_ENABLER_ENABLE;

typedef NTSTATUS NTAPI EVT_WDF_DMA_ENABLER_DISABLE(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_DISABLE *PFN_WDF_DMA_ENABLER_DISABLE;

typedef NTSTATUS NTAPI EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_START(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_START *PFN_WDF_DMA_ENABLER_SELFMANAGED_IO_START;

typedef NTSTATUS NTAPI EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_STOP(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_STOP *PFN_WDF_DMA_ENABLER_SELFMANAGED_IO_STOP;

typedef enum _WDF_DMA_ENABLER_CONFIG_FLAGS {
    WDF_DMA_ENABLER_CONFIG_NO_SGLIST_PREALLOCATION = 0x00000001,
    WDF_DMA_ENABLER_CONFIG_REQUIRE_SINGLE_TRANSFER = 0x00000002,
} WDF_DMA_ENABLER_CONFIG_FLAGS;

typedef struct _WDF_DMA_ENABLER_CONFIG {
    ULONG Size;
    WDF_DMA_PROFILE Profile;
    size_t MaximumLength;
    PFN_WDF_DMA_ENABLER_FILL EvtDmaEnablerFill;
    PFN_WDF_DMA_ENABLER_FLUSH EvtDmaEnablerFlush;
    PFN_WDF_DMA_ENABLER_DISABLE EvtDmaEnablerDisable;
    PFN_WDF_DMA_ENABLER_ENABLE EvtDmaEnablerEnable;
    PFN_WDF_DMA_ENABLER_SELFMANAGED_IO_START EvtDmaEnablerSelfManagedIoStart;
    PFN_WDF_DMA_ENABLER_SELFMANAGED_IO_STOP EvtDmaEnablerSelfManagedIoStop;
    /* Non-zero: the device's real address width, overriding the profile's. */
    ULONG AddressWidthOverride;
    ULONG WdmDmaVersionOverride;
    /* WDF_DMA_ENABLER_CONFIG_FLAGS */
    ULONG Flags;
} WDF_DMA_ENABLER_CONFIG, *PWDF_DMA_ENABLER_CONFIG;

FORCEINLINE VOID WDF_DMA_ENABLER_CONFIG_INIT(PWDF_DMA_ENABLER_CONFIG Config, WDF_DMA_PROFILE Profile,
                                             size_t MaximumLength)
{
    RtlZeroMemory(Config, sizeof(WDF_DMA_ENABLER_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_DMA_ENABLER_CONFIG);
    Config->Profile = Profile;
    Config->MaximumLength = MaximumLength;
}

/* For system-mode (slave) DMA through a platform DMA controller. */
typedef struct _WDF_DMA_SYSTEM_PROFILE_CONFIG {
    ULONG Size;
    BOOLEAN DemandMode;
    BOOLEAN LoopedTransfer;
    DMA_WIDTH DmaWidth;
    PHYSICAL_ADDRESS DeviceAddress;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR DmaDescriptor;
} WDF_DMA_SYSTEM_PROFILE_CONFIG, *PWDF_DMA_SYSTEM_PROFILE_CONFIG;

FORCEINLINE VOID WDF_DMA_SYSTEM_PROFILE_CONFIG_INIT(PWDF_DMA_SYSTEM_PROFILE_CONFIG DmaConfig, PHYSICAL_ADDRESS Address,
                                                    DMA_WIDTH DmaWidth, PCM_PARTIAL_RESOURCE_DESCRIPTOR DmaDescriptor)
{
    RtlZeroMemory(DmaConfig, sizeof(WDF_DMA_SYSTEM_PROFILE_CONFIG));
    DmaConfig->Size = WDF_STRUCTURE_SIZE(WDF_DMA_SYSTEM_PROFILE_CONFIG);
    DmaConfig->DeviceAddress = Address;
    DmaConfig->DmaWidth = DmaWidth;
    DmaConfig->DmaDescriptor = DmaDescriptor;
}

KMH_WDF_IMPORT_DECL(WdfDmaEnablerCreate);
typedef NTSTATUS (*PFN_WDFDMAENABLERCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_DMA_ENABLER_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFDMAENABLER *DmaEnablerHandle);
FORCEINLINE NTSTATUS WdfDmaEnablerCreate(WDFDEVICE Device, PWDF_DMA_ENABLER_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFDMAENABLER *DmaEnablerHandle)
{
    KMH_WDF_IMPORT(WdfDmaEnablerCreate);
    return ((PFN_WDFDMAENABLERCREATE)WdfFunctions[WdfDmaEnablerCreateTableIndex])(WdfDriverGlobals, Device, Config, Attributes, DmaEnablerHandle);
}

KMH_WDF_IMPORT_DECL(WdfDmaEnablerConfigureSystemProfile);
typedef NTSTATUS (*PFN_WDFDMAENABLERCONFIGURESYSTEMPROFILE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMAENABLER DmaEnabler, PWDF_DMA_SYSTEM_PROFILE_CONFIG ProfileConfig, WDF_DMA_DIRECTION ConfigDirection);
FORCEINLINE NTSTATUS WdfDmaEnablerConfigureSystemProfile(WDFDMAENABLER DmaEnabler, PWDF_DMA_SYSTEM_PROFILE_CONFIG ProfileConfig, WDF_DMA_DIRECTION ConfigDirection)
{
    KMH_WDF_IMPORT(WdfDmaEnablerConfigureSystemProfile);
    return ((PFN_WDFDMAENABLERCONFIGURESYSTEMPROFILE)WdfFunctions[WdfDmaEnablerConfigureSystemProfileTableIndex])(WdfDriverGlobals, DmaEnabler, ProfileConfig, ConfigDirection);
}

KMH_WDF_IMPORT_DECL(WdfDmaEnablerGetMaximumLength);
typedef size_t (*PFN_WDFDMAENABLERGETMAXIMUMLENGTH)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMAENABLER DmaEnabler);
FORCEINLINE size_t WdfDmaEnablerGetMaximumLength(WDFDMAENABLER DmaEnabler)
{
    KMH_WDF_IMPORT(WdfDmaEnablerGetMaximumLength);
    return ((PFN_WDFDMAENABLERGETMAXIMUMLENGTH)WdfFunctions[WdfDmaEnablerGetMaximumLengthTableIndex])(WdfDriverGlobals, DmaEnabler);
}

KMH_WDF_IMPORT_DECL(WdfDmaEnablerGetMaximumScatterGatherElements);
typedef size_t (*PFN_WDFDMAENABLERGETMAXIMUMSCATTERGATHERELEMENTS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMAENABLER DmaEnabler);
FORCEINLINE size_t WdfDmaEnablerGetMaximumScatterGatherElements(WDFDMAENABLER DmaEnabler)
{
    KMH_WDF_IMPORT(WdfDmaEnablerGetMaximumScatterGatherElements);
    return ((PFN_WDFDMAENABLERGETMAXIMUMSCATTERGATHERELEMENTS)WdfFunctions[WdfDmaEnablerGetMaximumScatterGatherElementsTableIndex])(WdfDriverGlobals, DmaEnabler);
}

KMH_WDF_IMPORT_DECL(WdfDmaEnablerSetMaximumScatterGatherElements);
typedef VOID (*PFN_WDFDMAENABLERSETMAXIMUMSCATTERGATHERELEMENTS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMAENABLER DmaEnabler, size_t MaximumFragments);
FORCEINLINE VOID WdfDmaEnablerSetMaximumScatterGatherElements(WDFDMAENABLER DmaEnabler, size_t MaximumFragments)
{
    KMH_WDF_IMPORT(WdfDmaEnablerSetMaximumScatterGatherElements);
    ((PFN_WDFDMAENABLERSETMAXIMUMSCATTERGATHERELEMENTS)WdfFunctions[WdfDmaEnablerSetMaximumScatterGatherElementsTableIndex])(WdfDriverGlobals, DmaEnabler, MaximumFragments);
}

KMH_WDF_IMPORT_DECL(WdfDmaEnablerGetFragmentLength);
typedef size_t (*PFN_WDFDMAENABLERGETFRAGMENTLENGTH)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMAENABLER DmaEnabler, WDF_DMA_DIRECTION DmaDirection);
FORCEINLINE size_t WdfDmaEnablerGetFragmentLength(WDFDMAENABLER DmaEnabler, WDF_DMA_DIRECTION DmaDirection)
{
    KMH_WDF_IMPORT(WdfDmaEnablerGetFragmentLength);
    return ((PFN_WDFDMAENABLERGETFRAGMENTLENGTH)WdfFunctions[WdfDmaEnablerGetFragmentLengthTableIndex])(WdfDriverGlobals, DmaEnabler, DmaDirection);
}

KMH_WDF_IMPORT_DECL(WdfDmaEnablerWdmGetDmaAdapter);
typedef PDMA_ADAPTER (*PFN_WDFDMAENABLERWDMGETDMAADAPTER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMAENABLER DmaEnabler, WDF_DMA_DIRECTION DmaDirection);
FORCEINLINE PDMA_ADAPTER WdfDmaEnablerWdmGetDmaAdapter(WDFDMAENABLER DmaEnabler, WDF_DMA_DIRECTION DmaDirection)
{
    KMH_WDF_IMPORT(WdfDmaEnablerWdmGetDmaAdapter);
    return ((PFN_WDFDMAENABLERWDMGETDMAADAPTER)WdfFunctions[WdfDmaEnablerWdmGetDmaAdapterTableIndex])(WdfDriverGlobals, DmaEnabler, DmaDirection);
}

WDF_EXTERN_C_END

#endif /* _WDFDMAENABLER_H_ */
