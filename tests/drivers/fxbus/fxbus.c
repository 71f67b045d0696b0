/*
 * fxbus: the bus-driver tests' KMDF bus (see fxbus.h). Its "hardware" is
 * a table of plugged serial numbers the test changes through the entry
 * points in struct fxbus_shared; the driver reports it with the child-list
 * methods and counts every callback the framework makes.
 */
#include <ntddk.h>
#include <wdf.h>
#include <ntstrsafe.h>
#include <initguid.h>

#include "fxbus.h"

#define FXBUS_TAG 'suBF'
#define MAX_TOYS 16

typedef struct _TOY_ID {
    WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Header;
    ULONG Serial;
    PWCHAR Name;                         /* pool, made by the Duplicate callback */
} TOY_ID;

typedef struct _TOY_ADDRESS {
    WDF_CHILD_ADDRESS_DESCRIPTION_HEADER Header;
    ULONG Slot;
} TOY_ADDRESS;

typedef struct _TOY_PDO {
    ULONG Serial;
} TOY_PDO;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(TOY_PDO, ToyPdo)

static struct fxbus_shared *shared;
static WDFDEVICE bus;
static WDFDEVICE static_toy;
static WCHAR toy_name[] = L"toy";

/* --- Descriptions ---------------------------------------------------------- */
static BOOLEAN IdCompare(WDFCHILDLIST List, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER A,
                         PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER B)
{
    InterlockedIncrement(&shared->compares);
    return ((TOY_ID *)A)->Serial == ((TOY_ID *)B)->Serial;
}

static NTSTATUS IdDuplicate(WDFCHILDLIST List, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Source,
                            PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Destination)
{
    TOY_ID *from = (TOY_ID *)Source, *to = (TOY_ID *)Destination;
    size_t bytes = sizeof(toy_name);

    InterlockedIncrement(&shared->duplicates);
    to->Serial = from->Serial;
    to->Name = ExAllocatePool2(POOL_FLAG_NON_PAGED, bytes, FXBUS_TAG);
    if (!to->Name)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlCopyMemory(to->Name, from->Name, bytes);
    InterlockedIncrement(&shared->names_live);
    return STATUS_SUCCESS;
}

static VOID IdCopy(WDFCHILDLIST List, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Source,
                   PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Destination)
{
    ((TOY_ID *)Destination)->Serial = ((TOY_ID *)Source)->Serial;
    ((TOY_ID *)Destination)->Name = ((TOY_ID *)Source)->Name;
}

static VOID IdCleanup(WDFCHILDLIST List, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Id)
{
    TOY_ID *id = (TOY_ID *)Id;
    InterlockedIncrement(&shared->cleanups);
    if (id->Name) {
        ExFreePool(id->Name);
        id->Name = NULL;
        InterlockedDecrement(&shared->names_live);
    }
}

static NTSTATUS AddressDuplicate(WDFCHILDLIST List, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER Source,
                                 PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER Destination)
{
    InterlockedIncrement(&shared->address_duplicates);
    ((TOY_ADDRESS *)Destination)->Slot = ((TOY_ADDRESS *)Source)->Slot;
    return STATUS_SUCCESS;
}

static VOID AddressCleanup(WDFCHILDLIST List, PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER Address)
{
    InterlockedIncrement(&shared->address_cleanups);
}

/* --- Child PDOs -------------------------------------------------------------- */
static ULONG GetSerial(PVOID Context)
{
    return (ULONG)(ULONG_PTR)Context;
}

static NTSTATUS Eject(WDFDEVICE Device)
{
    InterlockedIncrement(&shared->ejects);
    return shared->eject_status;
}

static VOID ReportedMissing(WDFDEVICE Device)
{
    InterlockedIncrement(&shared->reported_missing);
}

static VOID PdoCleanup(WDFOBJECT Object)
{
    InterlockedIncrement(&shared->pdos_cleaned);
}

static NTSTATUS ExportSerial(WDFDEVICE Pdo, ULONG Serial)
{
    FXBUS_TOY_INTERFACE iface;
    WDF_QUERY_INTERFACE_CONFIG config;

    RtlZeroMemory(&iface, sizeof(iface));
    iface.Header.Size = sizeof(iface);
    iface.Header.Version = 1;
    iface.Header.Context = (PVOID)(ULONG_PTR)Serial;
    iface.Header.InterfaceReference = WdfDeviceInterfaceReferenceNoOp;
    iface.Header.InterfaceDereference = WdfDeviceInterfaceDereferenceNoOp;
    iface.GetSerial = GetSerial;
    WDF_QUERY_INTERFACE_CONFIG_INIT(&config, &iface.Header, &GUID_FXBUS_TOY_INTERFACE, NULL);
    return WdfDeviceAddQueryInterface(Pdo, &config);
}

static NTSTATUS SetText(PWDFDEVICE_INIT Init, PCWSTR Format, ULONG Number, PCWSTR LocationFormat, ULONG Where,
                        LCID Locale)
{
    DECLARE_UNICODE_STRING_SIZE(text, 64);
    DECLARE_UNICODE_STRING_SIZE(location, 64);
    NTSTATUS status = RtlUnicodeStringPrintf(&text, Format, Number);
    if (NT_SUCCESS(status))
        status = RtlUnicodeStringPrintf(&location, LocationFormat, Where);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAddDeviceText(Init, &text, &location, Locale);
    return status;
}

static NTSTATUS CreateToy(WDFCHILDLIST List, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Id, PWDFDEVICE_INIT Init)
{
    TOY_ID *id = (TOY_ID *)Id;
    TOY_ADDRESS address;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_PDO_EVENT_CALLBACKS callbacks;
    WDF_DEVICE_PNP_CAPABILITIES caps;
    DECLARE_CONST_UNICODE_STRING(deviceId, L"FXBUS\\Toy");
    DECLARE_CONST_UNICODE_STRING(hardwareId, L"FXBUS\\Toy&Rev1");
    DECLARE_CONST_UNICODE_STRING(compatibleId, L"FXBUS\\Generic");
    DECLARE_UNICODE_STRING_SIZE(instance, 16);
    WDFDEVICE pdo;
    NTSTATUS status;

    InterlockedIncrement(&shared->creates);
    if (id->Serial == shared->fail_serial)
        return STATUS_INSUFFICIENT_RESOURCES;
    WDF_CHILD_ADDRESS_DESCRIPTION_HEADER_INIT(&address.Header, sizeof(address));
    status = WdfChildListRetrieveAddressDescription(List, Id, &address.Header);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAssignDeviceID(Init, &deviceId);
    if (NT_SUCCESS(status))
        status = RtlUnicodeStringPrintf(&instance, L"%u", id->Serial);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAssignInstanceID(Init, &instance);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAddHardwareID(Init, &hardwareId);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAddHardwareID(Init, &deviceId);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAddCompatibleID(Init, &compatibleId);
    if (NT_SUCCESS(status))
        status = SetText(Init, L"fxbus toy %u", id->Serial, L"fxbus slot %u", address.Slot, 0x409);
    if (NT_SUCCESS(status))
        status = SetText(Init, L"fxbus Spielzeug %u", id->Serial, L"fxbus Steckplatz %u", address.Slot, 0x407);
    if (!NT_SUCCESS(status))
        return status;
    WdfPdoInitSetDefaultLocale(Init, 0x409);
    WDF_PDO_EVENT_CALLBACKS_INIT(&callbacks);
    callbacks.EvtDeviceEject = Eject;
    callbacks.EvtDeviceReportedMissing = ReportedMissing;
    WdfPdoInitSetEventCallbacks(Init, &callbacks);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, TOY_PDO);
    attributes.EvtCleanupCallback = PdoCleanup;
    status = WdfDeviceCreate(&Init, &attributes, &pdo);
    if (!NT_SUCCESS(status))
        return status;
    ToyPdo(pdo)->Serial = id->Serial;
    WDF_DEVICE_PNP_CAPABILITIES_INIT(&caps);
    caps.EjectSupported = WdfTrue;
    caps.Removable = WdfTrue;
    caps.UniqueID = WdfTrue;
    caps.Address = address.Slot;
    caps.UINumber = id->Serial;
    WdfDeviceSetPnpCapabilities(pdo, &caps);
    return ExportSerial(pdo, id->Serial);
}

/* --- Static children ------------------------------------------------------------ */
static NTSTATUS AddStatic(WDFDEVICE Fdo, PCWSTR DeviceId, PCWSTR Instance, PCWSTR CompatibleId, BOOLEAN Raw,
                          WDFDEVICE *Child)
{
    PWDFDEVICE_INIT init = WdfPdoInitAllocate(Fdo);
    WDF_OBJECT_ATTRIBUTES attributes;
    UNICODE_STRING id, instance, compatible;
    NTSTATUS status;

    if (!init)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlInitUnicodeString(&id, DeviceId);
    RtlInitUnicodeString(&instance, Instance);
    status = WdfPdoInitAssignDeviceID(init, &id);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAssignInstanceID(init, &instance);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAddHardwareID(init, &id);
    if (NT_SUCCESS(status) && CompatibleId) {
        RtlInitUnicodeString(&compatible, CompatibleId);
        status = WdfPdoInitAddCompatibleID(init, &compatible);
    }
    if (NT_SUCCESS(status) && Raw)
        status = WdfPdoInitAssignRawDevice(init, &GUID_DEVCLASS_FXBUS_RAW);
    if (NT_SUCCESS(status))
        status = SetText(init, L"fxbus static child %u", Raw ? 2 : 1, L"fxbus static slot %u", Raw ? 2 : 1, 0x409);
    if (!NT_SUCCESS(status)) {
        WdfDeviceInitFree(init);
        return status;
    }
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.EvtCleanupCallback = PdoCleanup;
    status = WdfDeviceCreate(&init, &attributes, Child);
    if (!NT_SUCCESS(status)) {
        WdfDeviceInitFree(init);
        return status;
    }
    if (!Raw)
        status = ExportSerial(*Child, 1000);
    if (NT_SUCCESS(status) && !Raw) {
        /* The bus FDO's own interface, asked of its stack for the child. */
        WDF_QUERY_INTERFACE_CONFIG config;
        WDF_QUERY_INTERFACE_CONFIG_INIT(&config, NULL, &GUID_FXBUS_FDO_INTERFACE, NULL);
        config.SendQueryToParentStack = TRUE;
        status = WdfDeviceAddQueryInterface(*Child, &config);
    }
    if (NT_SUCCESS(status))
        status = WdfFdoAddStaticChild(Fdo, *Child);
    if (!NT_SUCCESS(status))
        WdfObjectDelete(*Child);
    return status;
}

/* --- What the test calls --------------------------------------------------------- */
static void MakeId(TOY_ID *id, ULONG serial)
{
    WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER_INIT(&id->Header, sizeof(*id));
    id->Serial = serial;
    id->Name = toy_name;
}

static WDFCHILDLIST List(void)
{
    return WdfFdoGetDefaultChildList(bus);
}

static NTSTATUS Plug(ULONG serial, ULONG slot)
{
    TOY_ID id;
    TOY_ADDRESS address;
    MakeId(&id, serial);
    WDF_CHILD_ADDRESS_DESCRIPTION_HEADER_INIT(&address.Header, sizeof(address));
    address.Slot = slot;
    return WdfChildListAddOrUpdateChildDescriptionAsPresent(List(), &id.Header, &address.Header);
}

static NTSTATUS Unplug(ULONG serial)
{
    TOY_ID id;
    MakeId(&id, serial);
    return WdfChildListUpdateChildDescriptionAsMissing(List(), &id.Header);
}

static void BeginScan(void)
{
    WdfChildListBeginScan(List());
}

static void EndScan(void)
{
    WdfChildListEndScan(List());
}

static void AllPresent(void)
{
    WdfChildListUpdateAllChildDescriptionsAsPresent(List());
}

static BOOLEAN EjectToy(ULONG serial)
{
    TOY_ID id;
    MakeId(&id, serial);
    return WdfChildListRequestChildEject(List(), &id.Header);
}

static NTSTATUS StaticMissing(NTSTATUS *again)
{
    WdfFdoLockStaticChildListForIteration(bus);
    NTSTATUS status = WdfPdoMarkMissing(static_toy);
    *again = WdfPdoMarkMissing(static_toy);
    WdfFdoUnlockStaticChildListFromIteration(bus);
    return status;
}

static ULONG Count(ULONG flags, ULONG *serial, WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS *status, ULONG *slot)
{
    WDF_CHILD_LIST_ITERATOR iterator;
    WDF_CHILD_RETRIEVE_INFO info;
    TOY_ID id;
    TOY_ADDRESS address;
    WDFDEVICE device;
    ULONG n = 0;

    WDF_CHILD_LIST_ITERATOR_INIT(&iterator, flags);
    WdfChildListBeginIteration(List(), &iterator);
    for (;;) {
        MakeId(&id, 0);
        WDF_CHILD_ADDRESS_DESCRIPTION_HEADER_INIT(&address.Header, sizeof(address));
        WDF_CHILD_RETRIEVE_INFO_INIT(&info, &id.Header);
        info.AddressDescription = &address.Header;
        NTSTATUS result = WdfChildListRetrieveNextDevice(List(), &iterator, &device, &info);
        if (!NT_SUCCESS(result) || result == STATUS_NO_MORE_ENTRIES)
            break;
        n++;
        *serial = id.Serial;
        *status = info.Status;
        *slot = address.Slot;
    }
    WdfChildListEndIteration(List(), &iterator);
    return n;
}

static WDFDEVICE Retrieve(ULONG serial, WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS *status, ULONG *slot)
{
    WDF_CHILD_RETRIEVE_INFO info;
    TOY_ID id;
    TOY_ADDRESS address;

    MakeId(&id, serial);
    WDF_CHILD_ADDRESS_DESCRIPTION_HEADER_INIT(&address.Header, sizeof(address));
    WDF_CHILD_RETRIEVE_INFO_INIT(&info, &id.Header);
    info.AddressDescription = &address.Header;
    WDFDEVICE pdo = WdfChildListRetrievePdo(List(), &info);
    *status = info.Status;
    *slot = address.Slot;
    return pdo;
}

static ULONG CountStatic(ULONG flags)
{
    WDFDEVICE child = NULL;
    ULONG n = 0;

    WdfFdoLockStaticChildListForIteration(bus);
    while ((child = WdfFdoRetrieveNextStaticChild(bus, child, flags)) != NULL)
        n++;
    WdfFdoUnlockStaticChildListFromIteration(bus);
    return n;
}

static NTSTATUS QueryFdo(ULONG *cookie)
{
    INTERFACE iface;
    RtlZeroMemory(&iface, sizeof(iface));
    NTSTATUS status = WdfFdoQueryForInterface(bus, &GUID_FXBUS_FDO_INTERFACE, &iface, sizeof(iface), 1, NULL);
    if (NT_SUCCESS(status)) {
        *cookie = (ULONG)(ULONG_PTR)iface.Context;
        iface.InterfaceDereference(iface.Context);
    }
    return status;
}

/* --- The bus FDO ---------------------------------------------------------------- */
static NTSTATUS FdoQueryInterface(WDFDEVICE Device, LPGUID InterfaceType, PINTERFACE ExposedInterface,
                                  PVOID ExposedInterfaceSpecificData)
{
    InterlockedIncrement(&shared->toy_queries);
    return STATUS_SUCCESS;
}

static VOID ScanForChildren(WDFCHILDLIST ChildList)
{
    InterlockedIncrement(&shared->scans);
}

static NTSTATUS ReleaseHardware(WDFDEVICE Device, WDFCMRESLIST Translated)
{
    InterlockedIncrement(&shared->fdo_removals);
    return STATUS_SUCCESS;
}

static NTSTATUS ExportFdoInterface(WDFDEVICE Fdo)
{
    INTERFACE iface;
    WDF_QUERY_INTERFACE_CONFIG config;

    RtlZeroMemory(&iface, sizeof(iface));
    iface.Size = sizeof(iface);
    iface.Version = 1;
    iface.Context = (PVOID)(ULONG_PTR)0x1234;
    iface.InterfaceReference = WdfDeviceInterfaceReferenceNoOp;
    iface.InterfaceDereference = WdfDeviceInterfaceDereferenceNoOp;
    WDF_QUERY_INTERFACE_CONFIG_INIT(&config, &iface, &GUID_FXBUS_FDO_INTERFACE, FdoQueryInterface);
    return WdfDeviceAddQueryInterface(Fdo, &config);
}

static NTSTATUS DeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT Init)
{
    WDF_CHILD_LIST_CONFIG list;
    WDF_PNPPOWER_EVENT_CALLBACKS pnp;
    PNP_BUS_INFORMATION info;
    WDFDEVICE raw;
    NTSTATUS status;

    WDF_PNPPOWER_EVENT_CALLBACKS_INIT(&pnp);
    pnp.EvtDeviceReleaseHardware = ReleaseHardware;
    WdfDeviceInitSetPnpPowerEventCallbacks(Init, &pnp);
    WDF_CHILD_LIST_CONFIG_INIT(&list, sizeof(TOY_ID), CreateToy);
    list.AddressDescriptionSize = sizeof(TOY_ADDRESS);
    list.EvtChildListScanForChildren = ScanForChildren;
    list.EvtChildListIdentificationDescriptionCompare = IdCompare;
    list.EvtChildListIdentificationDescriptionDuplicate = IdDuplicate;
    list.EvtChildListIdentificationDescriptionCopy = IdCopy;
    list.EvtChildListIdentificationDescriptionCleanup = IdCleanup;
    list.EvtChildListAddressDescriptionDuplicate = AddressDuplicate;
    list.EvtChildListAddressDescriptionCleanup = AddressCleanup;
    WdfFdoInitSetDefaultChildListConfig(Init, &list, WDF_NO_OBJECT_ATTRIBUTES);
    status = WdfDeviceCreate(&Init, WDF_NO_OBJECT_ATTRIBUTES, &bus);
    if (!NT_SUCCESS(status))
        return status;
    info.BusTypeGuid = GUID_FXBUS_TOY_INTERFACE;
    info.LegacyBusType = PNPBus;
    info.BusNumber = 7;
    WdfDeviceSetBusInformationForChildren(bus, &info);
    status = ExportFdoInterface(bus);
    if (NT_SUCCESS(status))
        status = AddStatic(bus, L"FXBUS\\StaticToy", L"static0", L"FXBUS\\Toy", FALSE, &static_toy);
    if (NT_SUCCESS(status))
        status = AddStatic(bus, L"FXBUS\\RawChild", L"raw0", NULL, TRUE, &raw);
    return status;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;
    NTSTATUS status = IoAllocateDriverObjectExtension(DriverObject, FXBUS_ID, sizeof(*shared), (PVOID *)&shared);
    if (!NT_SUCCESS(status))
        return status;
    RtlZeroMemory(shared, sizeof(*shared));
    shared->plug = Plug;
    shared->unplug = Unplug;
    shared->begin_scan = BeginScan;
    shared->end_scan = EndScan;
    shared->all_present = AllPresent;
    shared->eject = EjectToy;
    shared->static_missing = StaticMissing;
    shared->count = Count;
    shared->retrieve = Retrieve;
    shared->count_static = CountStatic;
    shared->query_fdo = QueryFdo;
    WDF_DRIVER_CONFIG_INIT(&config, DeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
