/*
 * wdfcommonbuffer.h: memory both the CPU and the device address (a DMA
 * common buffer), allocated through a DMA enabler.
 */
#ifndef _WDFCOMMONBUFFER_H_
#define _WDFCOMMONBUFFER_H_

WDF_EXTERN_C_START

typedef struct _WDF_COMMON_BUFFER_CONFIG {
    ULONG Size;
    /* Alignment minus one, as FILE_*_ALIGNMENT values are written. */
    ULONG AlignmentRequirement;
} WDF_COMMON_BUFFER_CONFIG, *PWDF_COMMON_BUFFER_CONFIG;

FORCEINLINE VOID WDF_COMMON_BUFFER_CONFIG_INIT(PWDF_COMMON_BUFFER_CONFIG Config, ULONG AlignmentRequirement)
{
    RtlZeroMemory(Config, sizeof(WDF_COMMON_BUFFER_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_COMMON_BUFFER_CONFIG);
    Config->AlignmentRequirement = AlignmentRequirement;
}

KMH_WDF_IMPORT_DECL(WdfCommonBufferCreate);
typedef NTSTATUS (*PFN_WDFCOMMONBUFFERCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMAENABLER DmaEnabler, size_t Length, PWDF_OBJECT_ATTRIBUTES Attributes, WDFCOMMONBUFFER *CommonBuffer);
FORCEINLINE NTSTATUS WdfCommonBufferCreate(WDFDMAENABLER DmaEnabler, size_t Length, PWDF_OBJECT_ATTRIBUTES Attributes, WDFCOMMONBUFFER *CommonBuffer)
{
    KMH_WDF_IMPORT(WdfCommonBufferCreate);
    return ((PFN_WDFCOMMONBUFFERCREATE)WdfFunctions[WdfCommonBufferCreateTableIndex])(WdfDriverGlobals, DmaEnabler, Length, Attributes, CommonBuffer);
}

KMH_WDF_IMPORT_DECL(WdfCommonBufferCreateWithConfig);
typedef NTSTATUS (*PFN_WDFCOMMONBUFFERCREATEWITHCONFIG)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMAENABLER DmaEnabler, size_t Length, PWDF_COMMON_BUFFER_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFCOMMONBUFFER *CommonBuffer);
FORCEINLINE NTSTATUS WdfCommonBufferCreateWithConfig(WDFDMAENABLER DmaEnabler, size_t Length, PWDF_COMMON_BUFFER_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFCOMMONBUFFER *CommonBuffer)
{
    KMH_WDF_IMPORT(WdfCommonBufferCreateWithConfig);
    return ((PFN_WDFCOMMONBUFFERCREATEWITHCONFIG)WdfFunctions[WdfCommonBufferCreateWithConfigTableIndex])(WdfDriverGlobals, DmaEnabler, Length, Config, Attributes, CommonBuffer);
}

KMH_WDF_IMPORT_DECL(WdfCommonBufferGetAlignedVirtualAddress);
typedef PVOID (*PFN_WDFCOMMONBUFFERGETALIGNEDVIRTUALADDRESS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOMMONBUFFER CommonBuffer);
FORCEINLINE PVOID WdfCommonBufferGetAlignedVirtualAddress(WDFCOMMONBUFFER CommonBuffer)
{
    KMH_WDF_IMPORT(WdfCommonBufferGetAlignedVirtualAddress);
    return ((PFN_WDFCOMMONBUFFERGETALIGNEDVIRTUALADDRESS)WdfFunctions[WdfCommonBufferGetAlignedVirtualAddressTableIndex])(WdfDriverGlobals, CommonBuffer);
}

KMH_WDF_IMPORT_DECL(WdfCommonBufferGetAlignedLogicalAddress);
typedef PHYSICAL_ADDRESS (*PFN_WDFCOMMONBUFFERGETALIGNEDLOGICALADDRESS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOMMONBUFFER CommonBuffer);
FORCEINLINE PHYSICAL_ADDRESS WdfCommonBufferGetAlignedLogicalAddress(WDFCOMMONBUFFER CommonBuffer)
{
    KMH_WDF_IMPORT(WdfCommonBufferGetAlignedLogicalAddress);
    return ((PFN_WDFCOMMONBUFFERGETALIGNEDLOGICALADDRESS)WdfFunctions[WdfCommonBufferGetAlignedLogicalAddressTableIndex])(WdfDriverGlobals, CommonBuffer);
}

KMH_WDF_IMPORT_DECL(WdfCommonBufferGetLength);
typedef size_t (*PFN_WDFCOMMONBUFFERGETLENGTH)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOMMONBUFFER CommonBuffer);
FORCEINLINE size_t WdfCommonBufferGetLength(WDFCOMMONBUFFER CommonBuffer)
{
    KMH_WDF_IMPORT(WdfCommonBufferGetLength);
    return ((PFN_WDFCOMMONBUFFERGETLENGTH)WdfFunctions[WdfCommonBufferGetLengthTableIndex])(WdfDriverGlobals, CommonBuffer);
}

WDF_EXTERN_C_END

#endif /* _WDFCOMMONBUFFER_H_ */
