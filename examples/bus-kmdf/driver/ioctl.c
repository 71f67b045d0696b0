/*
 * The bus's IOCTLs (IOCTL_KMHBUS_*), what a program uses in place of a
 * hand at the ports: plugging a toy in reports it present in the default
 * child list, unplugging reports it missing, the eject button asks the PnP
 * manager to eject it (the built-in toy, a static child, included).
 */
#include "kmhbus.h"

static NTSTATUS KmhBusPlugIn(WDFDEVICE Bus, ULONG SerialNumber)
{
    KMHBUS_CONTEXT *bus = KmhBusGetContext(Bus);
    KMHBUS_TOY_ID id;
    KMHBUS_TOY_ADDRESS address;
    ULONG port = 0;
    NTSTATUS status = STATUS_SUCCESS;

    if (SerialNumber == 0 || SerialNumber == KMHBUS_BUILTIN_SERIAL)
        return STATUS_INVALID_PARAMETER;
    WdfWaitLockAcquire(bus->PortsLock, NULL);
    for (ULONG i = 1; i < KMHBUS_PORTS && NT_SUCCESS(status); i++) {
        if (bus->Ports[i] == SerialNumber)
            status = STATUS_OBJECT_NAME_COLLISION;
        else if (!bus->Ports[i] && !port)
            port = i;
    }
    if (NT_SUCCESS(status) && !port)
        status = STATUS_INSUFFICIENT_RESOURCES;
    if (NT_SUCCESS(status))
        bus->Ports[port] = SerialNumber;
    WdfWaitLockRelease(bus->PortsLock);
    if (!NT_SUCCESS(status))
        return status;
    KmhBusInitToyId(&id, SerialNumber);
    WDF_CHILD_ADDRESS_DESCRIPTION_HEADER_INIT(&address.Header, sizeof(address));
    address.Port = port;
    status = WdfChildListAddOrUpdateChildDescriptionAsPresent(WdfFdoGetDefaultChildList(Bus), &id.Header,
                                                              &address.Header);
    if (!NT_SUCCESS(status))
        KmhBusFreePort(Bus, SerialNumber);
    KdPrint(("KmhBus: toy %u plugged into port %u: 0x%08x\n", SerialNumber, port, status));
    return NT_SUCCESS(status) ? STATUS_SUCCESS : status;
}

static NTSTATUS KmhBusUnplug(WDFDEVICE Bus, ULONG SerialNumber)
{
    KMHBUS_TOY_ID id;

    KmhBusInitToyId(&id, SerialNumber);
    NTSTATUS status = WdfChildListUpdateChildDescriptionAsMissing(WdfFdoGetDefaultChildList(Bus), &id.Header);
    if (NT_SUCCESS(status))
        KmhBusFreePort(Bus, SerialNumber);
    KdPrint(("KmhBus: toy %u unplugged: 0x%08x\n", SerialNumber, status));
    return status;
}

/* The built-in toy is found among the static children. */
static NTSTATUS KmhBusEjectBuiltin(WDFDEVICE Bus)
{
    NTSTATUS status = STATUS_NO_SUCH_DEVICE;
    WDFDEVICE child = NULL;

    WdfFdoLockStaticChildListForIteration(Bus);
    while ((child = WdfFdoRetrieveNextStaticChild(Bus, child, WdfRetrievePresentChildren)) != NULL) {
        if (KmhBusGetToyContext(child)->SerialNumber == KMHBUS_BUILTIN_SERIAL) {
            WdfPdoRequestEject(child);
            status = STATUS_SUCCESS;
        }
    }
    WdfFdoUnlockStaticChildListFromIteration(Bus);
    return status;
}

static NTSTATUS KmhBusEject(WDFDEVICE Bus, ULONG SerialNumber)
{
    KMHBUS_TOY_ID id;

    KdPrint(("KmhBus: eject button of toy %u\n", SerialNumber));
    if (SerialNumber == KMHBUS_BUILTIN_SERIAL)
        return KmhBusEjectBuiltin(Bus);
    KmhBusInitToyId(&id, SerialNumber);
    return WdfChildListRequestChildEject(WdfFdoGetDefaultChildList(Bus), &id.Header) ? STATUS_SUCCESS
                                                                                       : STATUS_NO_SUCH_DEVICE;
}

static VOID KmhBusEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength,
                                     size_t InputBufferLength, ULONG IoControlCode)
{
    WDFDEVICE bus = WdfIoQueueGetDevice(Queue);
    ULONG *serial;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(OutputBufferLength);
    UNREFERENCED_PARAMETER(InputBufferLength);
    status = WdfRequestRetrieveInputBuffer(Request, sizeof(*serial), (PVOID *)&serial, NULL);
    if (NT_SUCCESS(status)) {
        switch (IoControlCode) {
        case IOCTL_KMHBUS_PLUG_IN: status = KmhBusPlugIn(bus, *serial); break;
        case IOCTL_KMHBUS_UNPLUG: status = KmhBusUnplug(bus, *serial); break;
        case IOCTL_KMHBUS_EJECT: status = KmhBusEject(bus, *serial); break;
        default: status = STATUS_INVALID_DEVICE_REQUEST; break;
        }
    }
    WdfRequestComplete(Request, status);
}

NTSTATUS KmhBusCreateQueue(WDFDEVICE Bus)
{
    WDF_IO_QUEUE_CONFIG config;

    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchSequential);
    config.EvtIoDeviceControl = KmhBusEvtIoDeviceControl;
    return WdfIoQueueCreate(Bus, &config, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
}
