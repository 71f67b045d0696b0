/*
 * The toys: their identification (serial number) and address (port)
 * descriptions, and the PDO each one gets — from the default child list
 * for the toys a program plugs in (EvtChildListCreateDevice), as a static
 * child for the built-in one. Every toy PDO carries the same IDs and text,
 * can be ejected, and hands its function driver a KMHBUS_TOY_INTERFACE.
 */
#include "kmhbus.h"
#include <ntstrsafe.h>

VOID KmhBusInitToyId(KMHBUS_TOY_ID *Id, ULONG SerialNumber)
{
    WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER_INIT(&Id->Header, sizeof(*Id));
    Id->SerialNumber = SerialNumber;
}

/* --- The interface a toy's driver gets ---------------------------------------- */
static VOID KmhBusGetToyInfo(PVOID Context, PULONG SerialNumber, PULONG Port)
{
    KMHBUS_TOY_CONTEXT *toy = KmhBusGetToyContext((WDFDEVICE)Context);
    *SerialNumber = toy->SerialNumber;
    *Port = toy->Port;
}

/* The PDO stays (as an object) while a driver holds its interface. */
static VOID KmhBusToyReference(PVOID Context)
{
    WdfObjectReference((WDFOBJECT)Context);
}

static VOID KmhBusToyDereference(PVOID Context)
{
    WdfObjectDereference((WDFOBJECT)Context);
}

static NTSTATUS KmhBusExportToyInterface(WDFDEVICE Pdo)
{
    KMHBUS_TOY_INTERFACE iface;
    WDF_QUERY_INTERFACE_CONFIG config;

    RtlZeroMemory(&iface, sizeof(iface));
    iface.Header.Size = sizeof(iface);
    iface.Header.Version = 1;
    iface.Header.Context = Pdo;
    iface.Header.InterfaceReference = KmhBusToyReference;
    iface.Header.InterfaceDereference = KmhBusToyDereference;
    iface.GetToyInfo = KmhBusGetToyInfo;
    WDF_QUERY_INTERFACE_CONFIG_INIT(&config, &iface.Header, &GUID_KMHBUS_TOY_INTERFACE, NULL);
    return WdfDeviceAddQueryInterface(Pdo, &config);
}

/* --- A toy's PDO ------------------------------------------------------------------ */
static NTSTATUS KmhBusEvtEjectToy(WDFDEVICE Device)
{
    KMHBUS_TOY_CONTEXT *toy = KmhBusGetToyContext(Device);

    KdPrint(("KmhBus: toy %u ejected from port %u\n", toy->SerialNumber, toy->Port));
    KmhBusFreePort(toy->Bus, toy->SerialNumber);
    return STATUS_SUCCESS;
}

static NTSTATUS KmhBusDescribeToy(PWDFDEVICE_INIT Init, ULONG SerialNumber, ULONG Port, PCUNICODE_STRING Instance)
{
    DECLARE_CONST_UNICODE_STRING(deviceId, L"KMHBUS\\KmhToy");
    DECLARE_CONST_UNICODE_STRING(compatibleId, L"KMHBUS\\Toy");
    DECLARE_UNICODE_STRING_SIZE(text, 64);
    DECLARE_UNICODE_STRING_SIZE(location, 64);
    WDF_PDO_EVENT_CALLBACKS callbacks;
    NTSTATUS status;

    status = WdfPdoInitAssignDeviceID(Init, &deviceId);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAssignInstanceID(Init, Instance);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAddHardwareID(Init, &deviceId);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAddCompatibleID(Init, &compatibleId);
    if (NT_SUCCESS(status))
        status = RtlUnicodeStringPrintf(&text, L"kmhost toy %u", SerialNumber);
    if (NT_SUCCESS(status))
        status = RtlUnicodeStringPrintf(&location, L"kmhost bus, port %u", Port);
    if (NT_SUCCESS(status))
        status = WdfPdoInitAddDeviceText(Init, &text, &location, 0x409);
    if (!NT_SUCCESS(status))
        return status;
    WdfPdoInitSetDefaultLocale(Init, 0x409);
    WDF_PDO_EVENT_CALLBACKS_INIT(&callbacks);
    callbacks.EvtDeviceEject = KmhBusEvtEjectToy;
    WdfPdoInitSetEventCallbacks(Init, &callbacks);
    return STATUS_SUCCESS;
}

/* The PDO of a toy, from an init the caller got (WdfPdoInitAllocate or
 * EvtChildListCreateDevice's); WdfDeviceCreate consumes it on success. */
static NTSTATUS KmhBusCreateToyPdo(WDFDEVICE Bus, PWDFDEVICE_INIT *Init, ULONG SerialNumber, ULONG Port,
                                   PCUNICODE_STRING Instance, WDFDEVICE *Pdo)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_DEVICE_PNP_CAPABILITIES caps;
    KMHBUS_TOY_CONTEXT *toy;
    NTSTATUS status = KmhBusDescribeToy(*Init, SerialNumber, Port, Instance);

    if (!NT_SUCCESS(status))
        return status;
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, KMHBUS_TOY_CONTEXT);
    status = WdfDeviceCreate(Init, &attributes, Pdo);
    if (!NT_SUCCESS(status))
        return status;
    toy = KmhBusGetToyContext(*Pdo);
    toy->SerialNumber = SerialNumber;
    toy->Port = Port;
    toy->Bus = Bus;
    WDF_DEVICE_PNP_CAPABILITIES_INIT(&caps);
    caps.EjectSupported = WdfTrue;
    caps.Removable = WdfTrue;
    caps.SurpriseRemovalOK = WdfTrue;
    caps.UniqueID = WdfTrue;
    caps.Address = Port;
    caps.UINumber = SerialNumber;
    WdfDeviceSetPnpCapabilities(*Pdo, &caps);
    return KmhBusExportToyInterface(*Pdo);
}

/* --- Dynamic toys ---------------------------------------------------------------- */
/* A toy plugged in: its PDO, during the bus's next enumeration. */
NTSTATUS KmhBusEvtCreateToy(WDFCHILDLIST List, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Id,
                            PWDFDEVICE_INIT ChildInit)
{
    KMHBUS_TOY_ID *id = CONTAINING_RECORD(Id, KMHBUS_TOY_ID, Header);
    KMHBUS_TOY_ADDRESS address;
    DECLARE_UNICODE_STRING_SIZE(instance, 16);
    WDFDEVICE pdo;

    WDF_CHILD_ADDRESS_DESCRIPTION_HEADER_INIT(&address.Header, sizeof(address));
    NTSTATUS status = WdfChildListRetrieveAddressDescription(List, Id, &address.Header);
    if (NT_SUCCESS(status))
        status = RtlUnicodeStringPrintf(&instance, L"%u", id->SerialNumber);
    if (!NT_SUCCESS(status))
        return status;
    KdPrint(("KmhBus: creating the PDO of toy %u (port %u)\n", id->SerialNumber, address.Port));
    return KmhBusCreateToyPdo(WdfChildListGetDevice(List), &ChildInit, id->SerialNumber, address.Port, &instance,
                              &pdo);
}

/* Each time the bus enters D0: every toy in a port is reported again, the
 * others go missing. */
VOID KmhBusEvtScanPorts(WDFCHILDLIST List)
{
    KMHBUS_CONTEXT *bus = KmhBusGetContext(WdfChildListGetDevice(List));
    KMHBUS_TOY_ID id;
    KMHBUS_TOY_ADDRESS address;

    WdfChildListBeginScan(List);
    WdfWaitLockAcquire(bus->PortsLock, NULL);
    for (ULONG port = 1; port < KMHBUS_PORTS; port++) {
        if (!bus->Ports[port])
            continue;
        KmhBusInitToyId(&id, bus->Ports[port]);
        WDF_CHILD_ADDRESS_DESCRIPTION_HEADER_INIT(&address.Header, sizeof(address));
        address.Port = port;
        WdfChildListAddOrUpdateChildDescriptionAsPresent(List, &id.Header, &address.Header);
    }
    WdfWaitLockRelease(bus->PortsLock);
    WdfChildListEndScan(List);
}

/* --- The built-in toy ------------------------------------------------------------- */
NTSTATUS KmhBusAddBuiltinToy(WDFDEVICE Bus)
{
    DECLARE_CONST_UNICODE_STRING(instance, L"builtin");
    PWDFDEVICE_INIT init = WdfPdoInitAllocate(Bus);
    WDFDEVICE pdo;
    NTSTATUS status;

    if (!init)
        return STATUS_INSUFFICIENT_RESOURCES;
    status = KmhBusCreateToyPdo(Bus, &init, KMHBUS_BUILTIN_SERIAL, 0, &instance, &pdo);
    if (!NT_SUCCESS(status)) {
        if (init)
            WdfDeviceInitFree(init);
        else
            WdfObjectDelete(pdo);
        return status;
    }
    status = WdfFdoAddStaticChild(Bus, pdo);
    if (!NT_SUCCESS(status))
        WdfObjectDelete(pdo);
    return status;
}
