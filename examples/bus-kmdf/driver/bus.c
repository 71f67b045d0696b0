/*
 * The kmhost bus: DriverEntry and EvtDriverDeviceAdd of the bus FDO,
 * which exposes GUID_DEVINTERFACE_KMHBUS for programs, keeps the table of
 * its ports, enumerates the toys plugged into them through its default
 * child list, and reports its built-in toy as a static child once it has
 * started.
 */
#include <initguid.h> /* this file defines the GUIDs */
#include "kmhbus.h"

ULONG KmhBusFindPort(WDFDEVICE Bus, ULONG SerialNumber)
{
    KMHBUS_CONTEXT *bus = KmhBusGetContext(Bus);
    ULONG port = KMHBUS_PORTS;

    WdfWaitLockAcquire(bus->PortsLock, NULL);
    for (ULONG i = 1; i < KMHBUS_PORTS && port == KMHBUS_PORTS; i++)
        if (bus->Ports[i] == SerialNumber)
            port = i;
    WdfWaitLockRelease(bus->PortsLock);
    return port;
}

VOID KmhBusFreePort(WDFDEVICE Bus, ULONG SerialNumber)
{
    KMHBUS_CONTEXT *bus = KmhBusGetContext(Bus);

    WdfWaitLockAcquire(bus->PortsLock, NULL);
    for (ULONG i = 1; i < KMHBUS_PORTS; i++)
        if (bus->Ports[i] == SerialNumber)
            bus->Ports[i] = 0;
    WdfWaitLockRelease(bus->PortsLock);
}

/* The first start: the built-in toy is there from now on. */
static NTSTATUS KmhBusEvtSelfManagedIoInit(WDFDEVICE Device)
{
    KdPrint(("KmhBus: started; reporting the built-in toy\n"));
    return KmhBusAddBuiltinToy(Device);
}

static VOID KmhBusSetChildListConfig(PWDFDEVICE_INIT DeviceInit)
{
    WDF_CHILD_LIST_CONFIG config;

    WDF_CHILD_LIST_CONFIG_INIT(&config, sizeof(KMHBUS_TOY_ID), KmhBusEvtCreateToy);
    config.AddressDescriptionSize = sizeof(KMHBUS_TOY_ADDRESS);
    config.EvtChildListScanForChildren = KmhBusEvtScanPorts;
    WdfFdoInitSetDefaultChildListConfig(DeviceInit, &config, WDF_NO_OBJECT_ATTRIBUTES);
}

static NTSTATUS KmhBusEvtDeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit)
{
    WDF_PNPPOWER_EVENT_CALLBACKS pnp;
    WDF_OBJECT_ATTRIBUTES attributes;
    PNP_BUS_INFORMATION busInfo;
    WDFDEVICE device;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Driver);
    KdPrint(("KmhBus: AddDevice\n"));
    WdfDeviceInitSetDeviceType(DeviceInit, FILE_DEVICE_BUS_EXTENDER);
    WDF_PNPPOWER_EVENT_CALLBACKS_INIT(&pnp);
    pnp.EvtDeviceSelfManagedIoInit = KmhBusEvtSelfManagedIoInit;
    WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, &pnp);
    KmhBusSetChildListConfig(DeviceInit);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, KMHBUS_CONTEXT);
    status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = device;
    status = WdfWaitLockCreate(&attributes, &KmhBusGetContext(device)->PortsLock);
    if (!NT_SUCCESS(status))
        return status;
    busInfo.BusTypeGuid = GUID_DEVINTERFACE_KMHBUS;
    busInfo.LegacyBusType = PNPBus;
    busInfo.BusNumber = 0;
    WdfDeviceSetBusInformationForChildren(device, &busInfo);
    status = WdfDeviceCreateDeviceInterface(device, &GUID_DEVINTERFACE_KMHBUS, NULL);
    if (!NT_SUCCESS(status))
        return status;
    return KmhBusCreateQueue(device);
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;

    KdPrint(("KmhBus: DriverEntry\n"));
    WDF_DRIVER_CONFIG_INIT(&config, KmhBusEvtDeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
