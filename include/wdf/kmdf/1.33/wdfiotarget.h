/*
 * wdfiotarget.h: I/O targets, the framework's handle on "where requests
 * go": the next-lower device (the default target), another device opened by
 * object or by name, or the device itself. Sending synchronously or
 * formatting a request for later WdfRequestSend.
 */
#ifndef _WDFIOTARGET_H_
#define _WDFIOTARGET_H_

WDF_EXTERN_C_START

typedef enum _WDF_IO_TARGET_STATE {
    WdfIoTargetStateUndefined = 0,
    WdfIoTargetStarted,
    WdfIoTargetStopped,
    WdfIoTargetClosedForQueryRemove,
    WdfIoTargetClosed,
    WdfIoTargetDeleted,
    WdfIoTargetPurged,
} WDF_IO_TARGET_STATE, *PWDF_IO_TARGET_STATE;

typedef enum _WDF_IO_TARGET_OPEN_TYPE {
    WdfIoTargetOpenUndefined = 0,
    WdfIoTargetOpenUseExistingDevice = 1,
    WdfIoTargetOpenByName = 2,
    WdfIoTargetOpenReopen = 3,
    WdfIoTargetOpenLocalTargetByFile = 4,
} WDF_IO_TARGET_OPEN_TYPE;

/* What WdfIoTargetStop does with requests already sent. */
typedef enum _WDF_IO_TARGET_SENT_IO_ACTION {
    WdfIoTargetSentIoUndefined = 0,
    WdfIoTargetCancelSentIo,
    WdfIoTargetWaitForSentIoToComplete,
    WdfIoTargetLeaveSentIoPending,
} WDF_IO_TARGET_SENT_IO_ACTION;

typedef enum _WDF_IO_TARGET_PURGE_IO_ACTION {
    WdfIoTargetPurgeIoUndefined = 0,
    WdfIoTargetPurgeIoAndWait = 1,
    WdfIoTargetPurgeIo = 2,
} WDF_IO_TARGET_PURGE_IO_ACTION;

typedef NTSTATUS NTAPI EVT_WDF_IO_TARGET_QUERY_REMOVE(WDFIOTARGET IoTarget);
typedef EVT_WDF_IO_TARGET_QUERY_REMOVE *PFN_WDF_IO_TARGET_QUERY_REMOVE;

typedef VOID NTAPI EVT_WDF_IO_TARGET_REMOVE_CANCELED(WDFIOTARGET IoTarget);
typedef EVT_WDF_IO_TARGET_REMOVE_CANCELED *PFN_WDF_IO_TARGET_REMOVE_CANCELED;

typedef VOID NTAPI EVT_WDF_IO_TARGET_REMOVE_COMPLETE(WDFIOTARGET IoTarget);
typedef EVT_WDF_IO_TARGET_REMOVE_COMPLETE *PFN_WDF_IO_TARGET_REMOVE_COMPLETE;

typedef struct _WDF_IO_TARGET_OPEN_PARAMS {
    ULONG Size;
    WDF_IO_TARGET_OPEN_TYPE Type;
    PFN_WDF_IO_TARGET_QUERY_REMOVE EvtIoTargetQueryRemove;
    PFN_WDF_IO_TARGET_REMOVE_CANCELED EvtIoTargetRemoveCanceled;
    PFN_WDF_IO_TARGET_REMOVE_COMPLETE EvtIoTargetRemoveComplete;
    /* WdfIoTargetOpenUseExistingDevice */
    PDEVICE_OBJECT TargetDeviceObject;
    PFILE_OBJECT TargetFileObject;
    /* WdfIoTargetOpenByName: ZwCreateFile's arguments. */
    UNICODE_STRING TargetDeviceName;
    ACCESS_MASK DesiredAccess;
    ULONG ShareAccess;
    ULONG FileAttributes;
    ULONG CreateDisposition;
    ULONG CreateOptions;
    PVOID EaBuffer;
    ULONG EaBufferLength;
    PLONGLONG AllocationSize;
    /* Out: the IO_STATUS_BLOCK.Information of the create. */
    ULONG FileInformation;
    /* WdfIoTargetOpenLocalTargetByFile (UMDF only). */
    UNICODE_STRING FileName;
} WDF_IO_TARGET_OPEN_PARAMS, *PWDF_IO_TARGET_OPEN_PARAMS;

FORCEINLINE VOID WDF_IO_TARGET_OPEN_PARAMS_INIT_EXISTING_DEVICE(PWDF_IO_TARGET_OPEN_PARAMS Params,
                                                               PDEVICE_OBJECT DeviceObject)
{
    RtlZeroMemory(Params, sizeof(WDF_IO_TARGET_OPEN_PARAMS));
    Params->Size = WDF_STRUCTURE_SIZE(WDF_IO_TARGET_OPEN_PARAMS);
    Params->Type = WdfIoTargetOpenUseExistingDevice;
    Params->TargetDeviceObject = DeviceObject;
}

/* CreateDisposition stays 0 (FILE_SUPERSEDE) here; OPEN_BY_NAME sets FILE_OPEN. */
FORCEINLINE VOID WDF_IO_TARGET_OPEN_PARAMS_INIT_CREATE_BY_NAME(PWDF_IO_TARGET_OPEN_PARAMS Params,
                                                              PCUNICODE_STRING TargetDeviceName,
                                                              ACCESS_MASK DesiredAccess)
{
    RtlZeroMemory(Params, sizeof(WDF_IO_TARGET_OPEN_PARAMS));
    Params->Size = WDF_STRUCTURE_SIZE(WDF_IO_TARGET_OPEN_PARAMS);
    Params->Type = WdfIoTargetOpenByName;
    RtlCopyMemory(&Params->TargetDeviceName, TargetDeviceName, sizeof(UNICODE_STRING));
    Params->DesiredAccess = DesiredAccess;
    Params->CreateOptions = FILE_NON_DIRECTORY_FILE;
}

FORCEINLINE VOID WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(PWDF_IO_TARGET_OPEN_PARAMS Params,
                                                            PCUNICODE_STRING TargetDeviceName,
                                                            ACCESS_MASK DesiredAccess)
{
    WDF_IO_TARGET_OPEN_PARAMS_INIT_CREATE_BY_NAME(Params, TargetDeviceName, DesiredAccess);
    Params->CreateDisposition = FILE_OPEN;
}

/* Reopens a target closed for query-remove, with its earlier parameters. */
FORCEINLINE VOID WDF_IO_TARGET_OPEN_PARAMS_INIT_REOPEN(PWDF_IO_TARGET_OPEN_PARAMS Params)
{
    RtlZeroMemory(Params, sizeof(WDF_IO_TARGET_OPEN_PARAMS));
    Params->Size = WDF_STRUCTURE_SIZE(WDF_IO_TARGET_OPEN_PARAMS);
    Params->Type = WdfIoTargetOpenReopen;
}

KMH_WDF_IMPORT_DECL(WdfIoTargetCreate);
typedef NTSTATUS (*PFN_WDFIOTARGETCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_OBJECT_ATTRIBUTES IoTargetAttributes, WDFIOTARGET *IoTarget);
FORCEINLINE NTSTATUS WdfIoTargetCreate(WDFDEVICE Device, PWDF_OBJECT_ATTRIBUTES IoTargetAttributes, WDFIOTARGET *IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetCreate);
    return ((PFN_WDFIOTARGETCREATE)WdfFunctions[WdfIoTargetCreateTableIndex])(WdfDriverGlobals, Device, IoTargetAttributes, IoTarget);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetOpen);
typedef NTSTATUS (*PFN_WDFIOTARGETOPEN)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, PWDF_IO_TARGET_OPEN_PARAMS OpenParams);
FORCEINLINE NTSTATUS WdfIoTargetOpen(WDFIOTARGET IoTarget, PWDF_IO_TARGET_OPEN_PARAMS OpenParams)
{
    KMH_WDF_IMPORT(WdfIoTargetOpen);
    return ((PFN_WDFIOTARGETOPEN)WdfFunctions[WdfIoTargetOpenTableIndex])(WdfDriverGlobals, IoTarget, OpenParams);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetCloseForQueryRemove);
typedef VOID (*PFN_WDFIOTARGETCLOSEFORQUERYREMOVE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget);
FORCEINLINE VOID WdfIoTargetCloseForQueryRemove(WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetCloseForQueryRemove);
    ((PFN_WDFIOTARGETCLOSEFORQUERYREMOVE)WdfFunctions[WdfIoTargetCloseForQueryRemoveTableIndex])(WdfDriverGlobals, IoTarget);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetClose);
typedef VOID (*PFN_WDFIOTARGETCLOSE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget);
FORCEINLINE VOID WdfIoTargetClose(WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetClose);
    ((PFN_WDFIOTARGETCLOSE)WdfFunctions[WdfIoTargetCloseTableIndex])(WdfDriverGlobals, IoTarget);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetStart);
typedef NTSTATUS (*PFN_WDFIOTARGETSTART)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget);
FORCEINLINE NTSTATUS WdfIoTargetStart(WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetStart);
    return ((PFN_WDFIOTARGETSTART)WdfFunctions[WdfIoTargetStartTableIndex])(WdfDriverGlobals, IoTarget);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetStop);
typedef VOID (*PFN_WDFIOTARGETSTOP)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDF_IO_TARGET_SENT_IO_ACTION Action);
FORCEINLINE VOID WdfIoTargetStop(WDFIOTARGET IoTarget, WDF_IO_TARGET_SENT_IO_ACTION Action)
{
    KMH_WDF_IMPORT(WdfIoTargetStop);
    ((PFN_WDFIOTARGETSTOP)WdfFunctions[WdfIoTargetStopTableIndex])(WdfDriverGlobals, IoTarget, Action);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetPurge);
typedef VOID (*PFN_WDFIOTARGETPURGE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDF_IO_TARGET_PURGE_IO_ACTION Action);
FORCEINLINE VOID WdfIoTargetPurge(WDFIOTARGET IoTarget, WDF_IO_TARGET_PURGE_IO_ACTION Action)
{
    KMH_WDF_IMPORT(WdfIoTargetPurge);
    ((PFN_WDFIOTARGETPURGE)WdfFunctions[WdfIoTargetPurgeTableIndex])(WdfDriverGlobals, IoTarget, Action);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetGetState);
typedef WDF_IO_TARGET_STATE (*PFN_WDFIOTARGETGETSTATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget);
FORCEINLINE WDF_IO_TARGET_STATE WdfIoTargetGetState(WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetGetState);
    return ((PFN_WDFIOTARGETGETSTATE)WdfFunctions[WdfIoTargetGetStateTableIndex])(WdfDriverGlobals, IoTarget);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetGetDevice);
typedef WDFDEVICE (*PFN_WDFIOTARGETGETDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget);
FORCEINLINE WDFDEVICE WdfIoTargetGetDevice(WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetGetDevice);
    return ((PFN_WDFIOTARGETGETDEVICE)WdfFunctions[WdfIoTargetGetDeviceTableIndex])(WdfDriverGlobals, IoTarget);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetQueryTargetProperty);
typedef NTSTATUS (*PFN_WDFIOTARGETQUERYTARGETPROPERTY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, DEVICE_REGISTRY_PROPERTY DeviceProperty, ULONG BufferLength, PVOID PropertyBuffer, PULONG ResultLength);
FORCEINLINE NTSTATUS WdfIoTargetQueryTargetProperty(WDFIOTARGET IoTarget, DEVICE_REGISTRY_PROPERTY DeviceProperty, ULONG BufferLength, PVOID PropertyBuffer, PULONG ResultLength)
{
    KMH_WDF_IMPORT(WdfIoTargetQueryTargetProperty);
    return ((PFN_WDFIOTARGETQUERYTARGETPROPERTY)WdfFunctions[WdfIoTargetQueryTargetPropertyTableIndex])(WdfDriverGlobals, IoTarget, DeviceProperty, BufferLength, PropertyBuffer, ResultLength);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetAllocAndQueryTargetProperty);
typedef NTSTATUS (*PFN_WDFIOTARGETALLOCANDQUERYTARGETPROPERTY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, DEVICE_REGISTRY_PROPERTY DeviceProperty, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES PropertyMemoryAttributes, WDFMEMORY *PropertyMemory);
FORCEINLINE NTSTATUS WdfIoTargetAllocAndQueryTargetProperty(WDFIOTARGET IoTarget, DEVICE_REGISTRY_PROPERTY DeviceProperty, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES PropertyMemoryAttributes, WDFMEMORY *PropertyMemory)
{
    KMH_WDF_IMPORT(WdfIoTargetAllocAndQueryTargetProperty);
    return ((PFN_WDFIOTARGETALLOCANDQUERYTARGETPROPERTY)WdfFunctions[WdfIoTargetAllocAndQueryTargetPropertyTableIndex])(WdfDriverGlobals, IoTarget, DeviceProperty, PoolType, PropertyMemoryAttributes, PropertyMemory);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetQueryForInterface);
typedef NTSTATUS (*PFN_WDFIOTARGETQUERYFORINTERFACE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, LPCGUID InterfaceType, PINTERFACE Interface, USHORT Size, USHORT Version, PVOID InterfaceSpecificData);
FORCEINLINE NTSTATUS WdfIoTargetQueryForInterface(WDFIOTARGET IoTarget, LPCGUID InterfaceType, PINTERFACE Interface, USHORT Size, USHORT Version, PVOID InterfaceSpecificData)
{
    KMH_WDF_IMPORT(WdfIoTargetQueryForInterface);
    return ((PFN_WDFIOTARGETQUERYFORINTERFACE)WdfFunctions[WdfIoTargetQueryForInterfaceTableIndex])(WdfDriverGlobals, IoTarget, InterfaceType, Interface, Size, Version, InterfaceSpecificData);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetWdmGetTargetDeviceObject);
typedef PDEVICE_OBJECT (*PFN_WDFIOTARGETWDMGETTARGETDEVICEOBJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget);
FORCEINLINE PDEVICE_OBJECT WdfIoTargetWdmGetTargetDeviceObject(WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetWdmGetTargetDeviceObject);
    return ((PFN_WDFIOTARGETWDMGETTARGETDEVICEOBJECT)WdfFunctions[WdfIoTargetWdmGetTargetDeviceObjectTableIndex])(WdfDriverGlobals, IoTarget);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetWdmGetTargetPhysicalDevice);
typedef PDEVICE_OBJECT (*PFN_WDFIOTARGETWDMGETTARGETPHYSICALDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget);
FORCEINLINE PDEVICE_OBJECT WdfIoTargetWdmGetTargetPhysicalDevice(WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetWdmGetTargetPhysicalDevice);
    return ((PFN_WDFIOTARGETWDMGETTARGETPHYSICALDEVICE)WdfFunctions[WdfIoTargetWdmGetTargetPhysicalDeviceTableIndex])(WdfDriverGlobals, IoTarget);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetWdmGetTargetFileObject);
typedef PFILE_OBJECT (*PFN_WDFIOTARGETWDMGETTARGETFILEOBJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget);
FORCEINLINE PFILE_OBJECT WdfIoTargetWdmGetTargetFileObject(WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetWdmGetTargetFileObject);
    return ((PFN_WDFIOTARGETWDMGETTARGETFILEOBJECT)WdfFunctions[WdfIoTargetWdmGetTargetFileObjectTableIndex])(WdfDriverGlobals, IoTarget);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetWdmGetTargetFileHandle);
typedef HANDLE (*PFN_WDFIOTARGETWDMGETTARGETFILEHANDLE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget);
FORCEINLINE HANDLE WdfIoTargetWdmGetTargetFileHandle(WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfIoTargetWdmGetTargetFileHandle);
    return ((PFN_WDFIOTARGETWDMGETTARGETFILEHANDLE)WdfFunctions[WdfIoTargetWdmGetTargetFileHandleTableIndex])(WdfDriverGlobals, IoTarget);
}

/* The synchronous senders take an optional Request to reuse (NULL lets
 * the framework allocate one) and block until completion or timeout. */
KMH_WDF_IMPORT_DECL(WdfIoTargetSendReadSynchronously);
typedef NTSTATUS (*PFN_WDFIOTARGETSENDREADSYNCHRONOUSLY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, PWDF_MEMORY_DESCRIPTOR OutputBuffer, PLONGLONG DeviceOffset, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesRead);
FORCEINLINE NTSTATUS WdfIoTargetSendReadSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, PWDF_MEMORY_DESCRIPTOR OutputBuffer, PLONGLONG DeviceOffset, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesRead)
{
    KMH_WDF_IMPORT(WdfIoTargetSendReadSynchronously);
    return ((PFN_WDFIOTARGETSENDREADSYNCHRONOUSLY)WdfFunctions[WdfIoTargetSendReadSynchronouslyTableIndex])(WdfDriverGlobals, IoTarget, Request, OutputBuffer, DeviceOffset, RequestOptions, BytesRead);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetFormatRequestForRead);
typedef NTSTATUS (*PFN_WDFIOTARGETFORMATREQUESTFORREAD)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, WDFMEMORY OutputBuffer, PWDFMEMORY_OFFSET OutputBufferOffset, PLONGLONG DeviceOffset);
FORCEINLINE NTSTATUS WdfIoTargetFormatRequestForRead(WDFIOTARGET IoTarget, WDFREQUEST Request, WDFMEMORY OutputBuffer, PWDFMEMORY_OFFSET OutputBufferOffset, PLONGLONG DeviceOffset)
{
    KMH_WDF_IMPORT(WdfIoTargetFormatRequestForRead);
    return ((PFN_WDFIOTARGETFORMATREQUESTFORREAD)WdfFunctions[WdfIoTargetFormatRequestForReadTableIndex])(WdfDriverGlobals, IoTarget, Request, OutputBuffer, OutputBufferOffset, DeviceOffset);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetSendWriteSynchronously);
typedef NTSTATUS (*PFN_WDFIOTARGETSENDWRITESYNCHRONOUSLY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, PWDF_MEMORY_DESCRIPTOR InputBuffer, PLONGLONG DeviceOffset, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesWritten);
FORCEINLINE NTSTATUS WdfIoTargetSendWriteSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, PWDF_MEMORY_DESCRIPTOR InputBuffer, PLONGLONG DeviceOffset, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesWritten)
{
    KMH_WDF_IMPORT(WdfIoTargetSendWriteSynchronously);
    return ((PFN_WDFIOTARGETSENDWRITESYNCHRONOUSLY)WdfFunctions[WdfIoTargetSendWriteSynchronouslyTableIndex])(WdfDriverGlobals, IoTarget, Request, InputBuffer, DeviceOffset, RequestOptions, BytesWritten);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetFormatRequestForWrite);
typedef NTSTATUS (*PFN_WDFIOTARGETFORMATREQUESTFORWRITE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, WDFMEMORY InputBuffer, PWDFMEMORY_OFFSET InputBufferOffset, PLONGLONG DeviceOffset);
FORCEINLINE NTSTATUS WdfIoTargetFormatRequestForWrite(WDFIOTARGET IoTarget, WDFREQUEST Request, WDFMEMORY InputBuffer, PWDFMEMORY_OFFSET InputBufferOffset, PLONGLONG DeviceOffset)
{
    KMH_WDF_IMPORT(WdfIoTargetFormatRequestForWrite);
    return ((PFN_WDFIOTARGETFORMATREQUESTFORWRITE)WdfFunctions[WdfIoTargetFormatRequestForWriteTableIndex])(WdfDriverGlobals, IoTarget, Request, InputBuffer, InputBufferOffset, DeviceOffset);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetSendIoctlSynchronously);
typedef NTSTATUS (*PFN_WDFIOTARGETSENDIOCTLSYNCHRONOUSLY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, PWDF_MEMORY_DESCRIPTOR InputBuffer, PWDF_MEMORY_DESCRIPTOR OutputBuffer, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesReturned);
FORCEINLINE NTSTATUS WdfIoTargetSendIoctlSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, PWDF_MEMORY_DESCRIPTOR InputBuffer, PWDF_MEMORY_DESCRIPTOR OutputBuffer, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesReturned)
{
    KMH_WDF_IMPORT(WdfIoTargetSendIoctlSynchronously);
    return ((PFN_WDFIOTARGETSENDIOCTLSYNCHRONOUSLY)WdfFunctions[WdfIoTargetSendIoctlSynchronouslyTableIndex])(WdfDriverGlobals, IoTarget, Request, IoctlCode, InputBuffer, OutputBuffer, RequestOptions, BytesReturned);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetFormatRequestForIoctl);
typedef NTSTATUS (*PFN_WDFIOTARGETFORMATREQUESTFORIOCTL)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, WDFMEMORY InputBuffer, PWDFMEMORY_OFFSET InputBufferOffset, WDFMEMORY OutputBuffer, PWDFMEMORY_OFFSET OutputBufferOffset);
FORCEINLINE NTSTATUS WdfIoTargetFormatRequestForIoctl(WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, WDFMEMORY InputBuffer, PWDFMEMORY_OFFSET InputBufferOffset, WDFMEMORY OutputBuffer, PWDFMEMORY_OFFSET OutputBufferOffset)
{
    KMH_WDF_IMPORT(WdfIoTargetFormatRequestForIoctl);
    return ((PFN_WDFIOTARGETFORMATREQUESTFORIOCTL)WdfFunctions[WdfIoTargetFormatRequestForIoctlTableIndex])(WdfDriverGlobals, IoTarget, Request, IoctlCode, InputBuffer, InputBufferOffset, OutputBuffer, OutputBufferOffset);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetSendInternalIoctlSynchronously);
typedef NTSTATUS (*PFN_WDFIOTARGETSENDINTERNALIOCTLSYNCHRONOUSLY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, PWDF_MEMORY_DESCRIPTOR InputBuffer, PWDF_MEMORY_DESCRIPTOR OutputBuffer, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesReturned);
FORCEINLINE NTSTATUS WdfIoTargetSendInternalIoctlSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, PWDF_MEMORY_DESCRIPTOR InputBuffer, PWDF_MEMORY_DESCRIPTOR OutputBuffer, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesReturned)
{
    KMH_WDF_IMPORT(WdfIoTargetSendInternalIoctlSynchronously);
    return ((PFN_WDFIOTARGETSENDINTERNALIOCTLSYNCHRONOUSLY)WdfFunctions[WdfIoTargetSendInternalIoctlSynchronouslyTableIndex])(WdfDriverGlobals, IoTarget, Request, IoctlCode, InputBuffer, OutputBuffer, RequestOptions, BytesReturned);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetFormatRequestForInternalIoctl);
typedef NTSTATUS (*PFN_WDFIOTARGETFORMATREQUESTFORINTERNALIOCTL)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, WDFMEMORY InputBuffer, PWDFMEMORY_OFFSET InputBufferOffset, WDFMEMORY OutputBuffer, PWDFMEMORY_OFFSET OutputBufferOffset);
FORCEINLINE NTSTATUS WdfIoTargetFormatRequestForInternalIoctl(WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, WDFMEMORY InputBuffer, PWDFMEMORY_OFFSET InputBufferOffset, WDFMEMORY OutputBuffer, PWDFMEMORY_OFFSET OutputBufferOffset)
{
    KMH_WDF_IMPORT(WdfIoTargetFormatRequestForInternalIoctl);
    return ((PFN_WDFIOTARGETFORMATREQUESTFORINTERNALIOCTL)WdfFunctions[WdfIoTargetFormatRequestForInternalIoctlTableIndex])(WdfDriverGlobals, IoTarget, Request, IoctlCode, InputBuffer, InputBufferOffset, OutputBuffer, OutputBufferOffset);
}

/* "Others": the internal IOCTL's Argument1, 2 and 4 (3 is the code). */
KMH_WDF_IMPORT_DECL(WdfIoTargetSendInternalIoctlOthersSynchronously);
typedef NTSTATUS (*PFN_WDFIOTARGETSENDINTERNALIOCTLOTHERSSYNCHRONOUSLY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, PWDF_MEMORY_DESCRIPTOR OtherArg1, PWDF_MEMORY_DESCRIPTOR OtherArg2, PWDF_MEMORY_DESCRIPTOR OtherArg4, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesReturned);
FORCEINLINE NTSTATUS WdfIoTargetSendInternalIoctlOthersSynchronously(WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, PWDF_MEMORY_DESCRIPTOR OtherArg1, PWDF_MEMORY_DESCRIPTOR OtherArg2, PWDF_MEMORY_DESCRIPTOR OtherArg4, PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesReturned)
{
    KMH_WDF_IMPORT(WdfIoTargetSendInternalIoctlOthersSynchronously);
    return ((PFN_WDFIOTARGETSENDINTERNALIOCTLOTHERSSYNCHRONOUSLY)WdfFunctions[WdfIoTargetSendInternalIoctlOthersSynchronouslyTableIndex])(WdfDriverGlobals, IoTarget, Request, IoctlCode, OtherArg1, OtherArg2, OtherArg4, RequestOptions, BytesReturned);
}

KMH_WDF_IMPORT_DECL(WdfIoTargetFormatRequestForInternalIoctlOthers);
typedef NTSTATUS (*PFN_WDFIOTARGETFORMATREQUESTFORINTERNALIOCTLOTHERS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, WDFMEMORY OtherArg1, PWDFMEMORY_OFFSET OtherArg1Offset, WDFMEMORY OtherArg2, PWDFMEMORY_OFFSET OtherArg2Offset, WDFMEMORY OtherArg4, PWDFMEMORY_OFFSET OtherArg4Offset);
FORCEINLINE NTSTATUS WdfIoTargetFormatRequestForInternalIoctlOthers(WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, WDFMEMORY OtherArg1, PWDFMEMORY_OFFSET OtherArg1Offset, WDFMEMORY OtherArg2, PWDFMEMORY_OFFSET OtherArg2Offset, WDFMEMORY OtherArg4, PWDFMEMORY_OFFSET OtherArg4Offset)
{
    KMH_WDF_IMPORT(WdfIoTargetFormatRequestForInternalIoctlOthers);
    return ((PFN_WDFIOTARGETFORMATREQUESTFORINTERNALIOCTLOTHERS)WdfFunctions[WdfIoTargetFormatRequestForInternalIoctlOthersTableIndex])(WdfDriverGlobals, IoTarget, Request, IoctlCode, OtherArg1, OtherArg1Offset, OtherArg2, OtherArg2Offset, OtherArg4, OtherArg4Offset);
}

/* Routes requests sent to the device's self target into Queue instead of
 * the default queue. */
KMH_WDF_IMPORT_DECL(WdfIoTargetSelfAssignDefaultIoQueue);
typedef NTSTATUS (*PFN_WDFIOTARGETSELFASSIGNDEFAULTIOQUEUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIOTARGET IoTarget, WDFQUEUE Queue);
FORCEINLINE NTSTATUS WdfIoTargetSelfAssignDefaultIoQueue(WDFIOTARGET IoTarget, WDFQUEUE Queue)
{
    KMH_WDF_IMPORT(WdfIoTargetSelfAssignDefaultIoQueue);
    return ((PFN_WDFIOTARGETSELFASSIGNDEFAULTIOQUEUE)WdfFunctions[WdfIoTargetSelfAssignDefaultIoQueueTableIndex])(WdfDriverGlobals, IoTarget, Queue);
}

WDF_EXTERN_C_END

#endif /* _WDFIOTARGET_H_ */
