/*
 * The kmhost bus example's driver (kmhbus): a root-enumerated KMDF bus.
 * bus.c     DriverEntry, the bus FDO, its ports and the built-in toy
 * toys.c    the toys' descriptions and PDOs (static and dynamic)
 * ioctl.c   the bus's IOCTLs: plug in, unplug, eject
 */
#ifndef KMHBUS_H
#define KMHBUS_H

#include <ntddk.h>
#include <wdf.h>
#include "kmhbus_public.h"

/* A toy's identification on the bus: its serial number. */
typedef struct _KMHBUS_TOY_ID {
    WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Header;
    ULONG SerialNumber;
} KMHBUS_TOY_ID;

/* Where it is plugged in. */
typedef struct _KMHBUS_TOY_ADDRESS {
    WDF_CHILD_ADDRESS_DESCRIPTION_HEADER Header;
    ULONG Port;
} KMHBUS_TOY_ADDRESS;

/* The bus FDO: which serial number each port holds (0: empty). */
typedef struct _KMHBUS_CONTEXT {
    WDFWAITLOCK PortsLock;
    ULONG Ports[KMHBUS_PORTS];
    BOOLEAN BuiltinReported;
} KMHBUS_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(KMHBUS_CONTEXT, KmhBusGetContext)

/* A toy's PDO. */
typedef struct _KMHBUS_TOY_CONTEXT {
    ULONG SerialNumber;
    ULONG Port;
    WDFDEVICE Bus;
} KMHBUS_TOY_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(KMHBUS_TOY_CONTEXT, KmhBusGetToyContext)

/* bus.c */
ULONG KmhBusFindPort(WDFDEVICE Bus, ULONG SerialNumber);
VOID KmhBusFreePort(WDFDEVICE Bus, ULONG SerialNumber);

/* toys.c */
EVT_WDF_CHILD_LIST_CREATE_DEVICE KmhBusEvtCreateToy;
EVT_WDF_CHILD_LIST_SCAN_FOR_CHILDREN KmhBusEvtScanPorts;
VOID KmhBusInitToyId(KMHBUS_TOY_ID *Id, ULONG SerialNumber);
NTSTATUS KmhBusAddBuiltinToy(WDFDEVICE Bus);

/* ioctl.c */
NTSTATUS KmhBusCreateQueue(WDFDEVICE Bus);

#endif /* KMHBUS_H */
