/*
 * wdfchildlist.h: dynamic enumeration for bus drivers. A child list holds
 * driver-defined descriptions (identification, which names a child, and
 * address, which says where it sits); the framework creates, reports and
 * removes child PDOs as descriptions appear and go missing.
 */
#ifndef _WDFCHILDLIST_H_
#define _WDFCHILDLIST_H_

WDF_EXTERN_C_START

typedef enum _WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS {
    WdfChildListRetrieveDeviceUndefined = 0,
    WdfChildListRetrieveDeviceSuccess,
    WdfChildListRetrieveDeviceNotYetCreated,
    WdfChildListRetrieveDeviceNoSuchDevice,
} WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS, *PWDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS;

/* Which children an iteration visits; the flags combine. */
typedef enum _WDF_RETRIEVE_CHILD_FLAGS {
    WdfRetrieveUnspecified = 0x0000,
    WdfRetrievePresentChildren = 0x0001,
    WdfRetrieveMissingChildren = 0x0002,
    WdfRetrievePendingChildren = 0x0004,
    WdfRetrieveAddedChildren = (WdfRetrievePresentChildren | WdfRetrievePendingChildren),
    WdfRetrieveAllChildren = (WdfRetrievePresentChildren | WdfRetrievePendingChildren | WdfRetrieveMissingChildren),
} WDF_RETRIEVE_CHILD_FLAGS;

/* Each description is a driver structure that begins with one of these
 * headers, whose size field covers the whole driver structure. */
typedef struct _WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER {
    ULONG IdentificationDescriptionSize;
} WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER, *PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER;

/* Zeroes the whole driver structure (IdentificationDescriptionSize bytes). */
FORCEINLINE VOID WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER_INIT(
    PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Header, ULONG IdentificationDescriptionSize)
{
    RtlZeroMemory(Header, IdentificationDescriptionSize);
    Header->IdentificationDescriptionSize = IdentificationDescriptionSize;
}

typedef struct _WDF_CHILD_ADDRESS_DESCRIPTION_HEADER {
    ULONG AddressDescriptionSize;
} WDF_CHILD_ADDRESS_DESCRIPTION_HEADER, *PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER;

FORCEINLINE VOID WDF_CHILD_ADDRESS_DESCRIPTION_HEADER_INIT(
    PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER Header, ULONG AddressDescriptionSize)
{
    RtlZeroMemory(Header, AddressDescriptionSize);
    Header->AddressDescriptionSize = AddressDescriptionSize;
}

typedef NTSTATUS NTAPI EVT_WDF_CHILD_LIST_CREATE_DEVICE(
    WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription,
    PWDFDEVICE_INIT ChildInit);
typedef EVT_WDF_CHILD_LIST_CREATE_DEVICE *PFN_WDF_CHILD_LIST_CREATE_DEVICE;

typedef VOID NTAPI EVT_WDF_CHILD_LIST_SCAN_FOR_CHILDREN(WDFCHILDLIST ChildList);
typedef EVT_WDF_CHILD_LIST_SCAN_FOR_CHILDREN *PFN_WDF_CHILD_LIST_SCAN_FOR_CHILDREN;

typedef VOID NTAPI EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COPY(
    WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER SourceIdentificationDescription,
    PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER DestinationIdentificationDescription);
typedef EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COPY *PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COPY;

typedef NTSTATUS NTAPI EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_DUPLICATE(
    WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER SourceIdentificationDescription,
    PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER DestinationIdentificationDescription);
typedef EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_DUPLICATE *PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_DUPLICATE;

typedef BOOLEAN NTAPI EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE(
    WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER FirstIdentificationDescription,
    PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER SecondIdentificationDescription);
typedef EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE *PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE;

typedef VOID NTAPI EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_CLEANUP(
    WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription);
typedef EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_CLEANUP *PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_CLEANUP;

typedef VOID NTAPI EVT_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_COPY(
    WDFCHILDLIST ChildList, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER SourceAddressDescription,
    PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER DestinationAddressDescription);
typedef EVT_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_COPY *PFN_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_COPY;

typedef NTSTATUS NTAPI EVT_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_DUPLICATE(
    WDFCHILDLIST ChildList, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER SourceAddressDescription,
    PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER DestinationAddressDescription);
typedef EVT_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_DUPLICATE *PFN_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_DUPLICATE;

typedef VOID NTAPI EVT_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_CLEANUP(
    WDFCHILDLIST ChildList, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription);
typedef EVT_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_CLEANUP *PFN_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_CLEANUP;

/* Return TRUE to keep OldDevice for a description reported again. */
typedef BOOLEAN NTAPI EVT_WDF_CHILD_LIST_DEVICE_REENUMERATED(
    WDFCHILDLIST ChildList, WDFDEVICE OldDevice, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER OldAddressDescription,
    PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER NewAddressDescription);
typedef EVT_WDF_CHILD_LIST_DEVICE_REENUMERATED *PFN_WDF_CHILD_LIST_DEVICE_REENUMERATED;

typedef struct _WDF_CHILD_RETRIEVE_INFO {
    ULONG Size;
    /* In: the child to look for; Out: its stored description. */
    PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription;
    PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription;
    WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS Status;
    /* Overrides the list's compare callback for this lookup. */
    PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE EvtChildListIdentificationDescriptionCompare;
} WDF_CHILD_RETRIEVE_INFO, *PWDF_CHILD_RETRIEVE_INFO;

FORCEINLINE VOID WDF_CHILD_RETRIEVE_INFO_INIT(
    PWDF_CHILD_RETRIEVE_INFO Info, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription)
{
    RtlZeroMemory(Info, sizeof(WDF_CHILD_RETRIEVE_INFO));
    Info->Size = WDF_STRUCTURE_SIZE(WDF_CHILD_RETRIEVE_INFO);
    Info->IdentificationDescription = IdentificationDescription;
}

typedef struct _WDF_CHILD_LIST_CONFIG {
    ULONG Size;
    /* Size of the driver's identification structure (header included). */
    ULONG IdentificationDescriptionSize;
    /* Size of the driver's address structure; 0 if it has none. */
    ULONG AddressDescriptionSize;
    PFN_WDF_CHILD_LIST_CREATE_DEVICE EvtChildListCreateDevice;
    PFN_WDF_CHILD_LIST_SCAN_FOR_CHILDREN EvtChildListScanForChildren;
    PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COPY EvtChildListIdentificationDescriptionCopy;
    PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_DUPLICATE EvtChildListIdentificationDescriptionDuplicate;
    PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_CLEANUP EvtChildListIdentificationDescriptionCleanup;
    PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE EvtChildListIdentificationDescriptionCompare;
    PFN_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_COPY EvtChildListAddressDescriptionCopy;
    PFN_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_DUPLICATE EvtChildListAddressDescriptionDuplicate;
    PFN_WDF_CHILD_LIST_ADDRESS_DESCRIPTION_CLEANUP EvtChildListAddressDescriptionCleanup;
    PFN_WDF_CHILD_LIST_DEVICE_REENUMERATED EvtChildListDeviceReenumerated;
} WDF_CHILD_LIST_CONFIG, *PWDF_CHILD_LIST_CONFIG;

FORCEINLINE VOID WDF_CHILD_LIST_CONFIG_INIT(PWDF_CHILD_LIST_CONFIG Config, ULONG IdentificationDescriptionSize,
                                            PFN_WDF_CHILD_LIST_CREATE_DEVICE EvtChildListCreateDevice)
{
    RtlZeroMemory(Config, sizeof(WDF_CHILD_LIST_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_CHILD_LIST_CONFIG);
    Config->IdentificationDescriptionSize = IdentificationDescriptionSize;
    Config->EvtChildListCreateDevice = EvtChildListCreateDevice;
}

typedef struct _WDF_CHILD_LIST_ITERATOR {
    ULONG Size;
    /* WDF_RETRIEVE_CHILD_FLAGS */
    ULONG Flags;
    /* The framework's iteration state. */
    PVOID Reserved[4];
} WDF_CHILD_LIST_ITERATOR, *PWDF_CHILD_LIST_ITERATOR;

FORCEINLINE VOID WDF_CHILD_LIST_ITERATOR_INIT(PWDF_CHILD_LIST_ITERATOR Iterator, ULONG Flags)
{
    RtlZeroMemory(Iterator, sizeof(WDF_CHILD_LIST_ITERATOR));
    Iterator->Size = WDF_STRUCTURE_SIZE(WDF_CHILD_LIST_ITERATOR);
    Iterator->Flags = Flags;
}

KMH_WDF_IMPORT_DECL(WdfChildListCreate);
typedef NTSTATUS (*PFN_WDFCHILDLISTCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_CHILD_LIST_CONFIG Config, PWDF_OBJECT_ATTRIBUTES ChildListAttributes, WDFCHILDLIST *ChildList);
FORCEINLINE NTSTATUS WdfChildListCreate(WDFDEVICE Device, PWDF_CHILD_LIST_CONFIG Config, PWDF_OBJECT_ATTRIBUTES ChildListAttributes, WDFCHILDLIST *ChildList)
{
    KMH_WDF_IMPORT(WdfChildListCreate);
    return ((PFN_WDFCHILDLISTCREATE)WdfFunctions[WdfChildListCreateTableIndex])(WdfDriverGlobals, Device, Config, ChildListAttributes, ChildList);
}

KMH_WDF_IMPORT_DECL(WdfChildListGetDevice);
typedef WDFDEVICE (*PFN_WDFCHILDLISTGETDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList);
FORCEINLINE WDFDEVICE WdfChildListGetDevice(WDFCHILDLIST ChildList)
{
    KMH_WDF_IMPORT(WdfChildListGetDevice);
    return ((PFN_WDFCHILDLISTGETDEVICE)WdfFunctions[WdfChildListGetDeviceTableIndex])(WdfDriverGlobals, ChildList);
}

KMH_WDF_IMPORT_DECL(WdfChildListRetrievePdo);
typedef WDFDEVICE (*PFN_WDFCHILDLISTRETRIEVEPDO)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList, PWDF_CHILD_RETRIEVE_INFO RetrieveInfo);
FORCEINLINE WDFDEVICE WdfChildListRetrievePdo(WDFCHILDLIST ChildList, PWDF_CHILD_RETRIEVE_INFO RetrieveInfo)
{
    KMH_WDF_IMPORT(WdfChildListRetrievePdo);
    return ((PFN_WDFCHILDLISTRETRIEVEPDO)WdfFunctions[WdfChildListRetrievePdoTableIndex])(WdfDriverGlobals, ChildList, RetrieveInfo);
}

KMH_WDF_IMPORT_DECL(WdfChildListRetrieveAddressDescription);
typedef NTSTATUS (*PFN_WDFCHILDLISTRETRIEVEADDRESSDESCRIPTION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription);
FORCEINLINE NTSTATUS WdfChildListRetrieveAddressDescription(WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription)
{
    KMH_WDF_IMPORT(WdfChildListRetrieveAddressDescription);
    return ((PFN_WDFCHILDLISTRETRIEVEADDRESSDESCRIPTION)WdfFunctions[WdfChildListRetrieveAddressDescriptionTableIndex])(WdfDriverGlobals, ChildList, IdentificationDescription, AddressDescription);
}

/* Between BeginScan and EndScan, every child not reported again as present
 * is considered gone when the scan ends. */
KMH_WDF_IMPORT_DECL(WdfChildListBeginScan);
typedef VOID (*PFN_WDFCHILDLISTBEGINSCAN)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList);
FORCEINLINE VOID WdfChildListBeginScan(WDFCHILDLIST ChildList)
{
    KMH_WDF_IMPORT(WdfChildListBeginScan);
    ((PFN_WDFCHILDLISTBEGINSCAN)WdfFunctions[WdfChildListBeginScanTableIndex])(WdfDriverGlobals, ChildList);
}

KMH_WDF_IMPORT_DECL(WdfChildListEndScan);
typedef VOID (*PFN_WDFCHILDLISTENDSCAN)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList);
FORCEINLINE VOID WdfChildListEndScan(WDFCHILDLIST ChildList)
{
    KMH_WDF_IMPORT(WdfChildListEndScan);
    ((PFN_WDFCHILDLISTENDSCAN)WdfFunctions[WdfChildListEndScanTableIndex])(WdfDriverGlobals, ChildList);
}

KMH_WDF_IMPORT_DECL(WdfChildListBeginIteration);
typedef VOID (*PFN_WDFCHILDLISTBEGINITERATION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList, PWDF_CHILD_LIST_ITERATOR Iterator);
FORCEINLINE VOID WdfChildListBeginIteration(WDFCHILDLIST ChildList, PWDF_CHILD_LIST_ITERATOR Iterator)
{
    KMH_WDF_IMPORT(WdfChildListBeginIteration);
    ((PFN_WDFCHILDLISTBEGINITERATION)WdfFunctions[WdfChildListBeginIterationTableIndex])(WdfDriverGlobals, ChildList, Iterator);
}

/* STATUS_NO_MORE_ENTRIES once the iteration is done. */
KMH_WDF_IMPORT_DECL(WdfChildListRetrieveNextDevice);
typedef NTSTATUS (*PFN_WDFCHILDLISTRETRIEVENEXTDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList, PWDF_CHILD_LIST_ITERATOR Iterator, WDFDEVICE *Device, PWDF_CHILD_RETRIEVE_INFO Info);
FORCEINLINE NTSTATUS WdfChildListRetrieveNextDevice(WDFCHILDLIST ChildList, PWDF_CHILD_LIST_ITERATOR Iterator, WDFDEVICE *Device, PWDF_CHILD_RETRIEVE_INFO Info)
{
    KMH_WDF_IMPORT(WdfChildListRetrieveNextDevice);
    return ((PFN_WDFCHILDLISTRETRIEVENEXTDEVICE)WdfFunctions[WdfChildListRetrieveNextDeviceTableIndex])(WdfDriverGlobals, ChildList, Iterator, Device, Info);
}

KMH_WDF_IMPORT_DECL(WdfChildListEndIteration);
typedef VOID (*PFN_WDFCHILDLISTENDITERATION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList, PWDF_CHILD_LIST_ITERATOR Iterator);
FORCEINLINE VOID WdfChildListEndIteration(WDFCHILDLIST ChildList, PWDF_CHILD_LIST_ITERATOR Iterator)
{
    KMH_WDF_IMPORT(WdfChildListEndIteration);
    ((PFN_WDFCHILDLISTENDITERATION)WdfFunctions[WdfChildListEndIterationTableIndex])(WdfDriverGlobals, ChildList, Iterator);
}

KMH_WDF_IMPORT_DECL(WdfChildListAddOrUpdateChildDescriptionAsPresent);
typedef NTSTATUS (*PFN_WDFCHILDLISTADDORUPDATECHILDDESCRIPTIONASPRESENT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription);
FORCEINLINE NTSTATUS WdfChildListAddOrUpdateChildDescriptionAsPresent(WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription)
{
    KMH_WDF_IMPORT(WdfChildListAddOrUpdateChildDescriptionAsPresent);
    return ((PFN_WDFCHILDLISTADDORUPDATECHILDDESCRIPTIONASPRESENT)WdfFunctions[WdfChildListAddOrUpdateChildDescriptionAsPresentTableIndex])(WdfDriverGlobals, ChildList, IdentificationDescription, AddressDescription);
}

KMH_WDF_IMPORT_DECL(WdfChildListUpdateChildDescriptionAsMissing);
typedef NTSTATUS (*PFN_WDFCHILDLISTUPDATECHILDDESCRIPTIONASMISSING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription);
FORCEINLINE NTSTATUS WdfChildListUpdateChildDescriptionAsMissing(WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription)
{
    KMH_WDF_IMPORT(WdfChildListUpdateChildDescriptionAsMissing);
    return ((PFN_WDFCHILDLISTUPDATECHILDDESCRIPTIONASMISSING)WdfFunctions[WdfChildListUpdateChildDescriptionAsMissingTableIndex])(WdfDriverGlobals, ChildList, IdentificationDescription);
}

KMH_WDF_IMPORT_DECL(WdfChildListUpdateAllChildDescriptionsAsPresent);
typedef VOID (*PFN_WDFCHILDLISTUPDATEALLCHILDDESCRIPTIONSASPRESENT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList);
FORCEINLINE VOID WdfChildListUpdateAllChildDescriptionsAsPresent(WDFCHILDLIST ChildList)
{
    KMH_WDF_IMPORT(WdfChildListUpdateAllChildDescriptionsAsPresent);
    ((PFN_WDFCHILDLISTUPDATEALLCHILDDESCRIPTIONSASPRESENT)WdfFunctions[WdfChildListUpdateAllChildDescriptionsAsPresentTableIndex])(WdfDriverGlobals, ChildList);
}

KMH_WDF_IMPORT_DECL(WdfChildListRequestChildEject);
typedef BOOLEAN (*PFN_WDFCHILDLISTREQUESTCHILDEJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription);
FORCEINLINE BOOLEAN WdfChildListRequestChildEject(WDFCHILDLIST ChildList, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription)
{
    KMH_WDF_IMPORT(WdfChildListRequestChildEject);
    return ((PFN_WDFCHILDLISTREQUESTCHILDEJECT)WdfFunctions[WdfChildListRequestChildEjectTableIndex])(WdfDriverGlobals, ChildList, IdentificationDescription);
}

WDF_EXTERN_C_END

#endif /* _WDFCHILDLIST_H_ */
