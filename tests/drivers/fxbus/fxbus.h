/*
 * What the bus-driver tests (tests/test-fx-bus.c, test-fx-childlist.c)
 * share with their two KMDF test drivers:
 *   fxbus  a root-enumerated bus (ROOT\FxBusTest, service FxBusTest) with
 *          two static children made at start (FXBUS\StaticToy, driven by
 *          fxtoy through its compatible ID FXBUS\Toy, and FXBUS\RawChild, a
 *          raw PDO no INF matches) and dynamic children (FXBUS\Toy, one per
 *          serial number) in its default child list;
 *   fxtoy  the function driver of FXBUS\Toy: it asks its stack for the
 *          bus's interface (WdfFdoQueryForInterface) and answers
 *          IOCTL_FXTOY_GET_SERIAL with what the interface says.
 * fxbus keeps a struct fxbus_shared in its DRIVER_OBJECT's extension
 * (IoGetDriverObjectExtension(driver, FXBUS_ID)): counters of the
 * callbacks the framework made and entry points the test calls to act as
 * the bus hardware would (plugging, unplugging, scanning).
 */
#ifndef FXBUS_H
#define FXBUS_H

#include <guiddef.h>

#define FXBUS_ID ((PVOID)(ULONG_PTR)0x53554258) /* "XBUS" */
#define FXBUS_HARDWARE_ID "ROOT\\FxBusTest"
#define FXBUS_SERVICE "FxBusTest"
#define FXBUS_INF "fxbus.inf"
#define FXTOY_INF "fxtoy.inf"
#define FXTOY_SERVICE "FxToyTest"

#define FXBUS_STATIC_INSTANCE "FXBUS\\StaticToy\\static0"
#define FXBUS_RAW_INSTANCE "FXBUS\\RawChild\\raw0"
#define FXBUS_TOY_PREFIX "FXBUS\\Toy\\"

/* {3f1c2a7e-8b4d-4e2a-9f61-5d7c0b9e4a11}: the interface the bus exports on each toy PDO */
DEFINE_GUID(GUID_FXBUS_TOY_INTERFACE, 0x3f1c2a7e, 0x8b4d, 0x4e2a, 0x9f, 0x61, 0x5d, 0x7c, 0x0b, 0x9e, 0x4a, 0x11);
/* {3f1c2a7e-8b4d-4e2a-9f61-5d7c0b9e4a12}: exported by the bus FDO itself */
DEFINE_GUID(GUID_FXBUS_FDO_INTERFACE, 0x3f1c2a7e, 0x8b4d, 0x4e2a, 0x9f, 0x61, 0x5d, 0x7c, 0x0b, 0x9e, 0x4a, 0x12);
/* {3f1c2a7e-8b4d-4e2a-9f61-5d7c0b9e4a13}: the toys' device interface class */
DEFINE_GUID(GUID_DEVINTERFACE_FXTOY, 0x3f1c2a7e, 0x8b4d, 0x4e2a, 0x9f, 0x61, 0x5d, 0x7c, 0x0b, 0x9e, 0x4a, 0x13);
/* {3f1c2a7e-8b4d-4e2a-9f61-5d7c0b9e4a14}: the raw child's class */
DEFINE_GUID(GUID_DEVCLASS_FXBUS_RAW, 0x3f1c2a7e, 0x8b4d, 0x4e2a, 0x9f, 0x61, 0x5d, 0x7c, 0x0b, 0x9e, 0x4a, 0x14);

/* The serial number fxtoy read through the bus interface (ULONG out). */
#define IOCTL_FXTOY_GET_SERIAL CTL_CODE(FILE_DEVICE_UNKNOWN, 0xb00, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* fxtoy asks its stack for GUID_FXBUS_FDO_INTERFACE now; the static toy's
 * PDO sends that query to the bus FDO's stack (ULONG cookie out). */
#define IOCTL_FXTOY_GET_BUS_COOKIE CTL_CODE(FILE_DEVICE_UNKNOWN, 0xb01, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define FXBUS_FDO_COOKIE 0x1234

#ifdef _WDFDEVICE_H_
/* The interface a toy PDO exports (GUID_FXBUS_TOY_INTERFACE, version 1). */
typedef struct _FXBUS_TOY_INTERFACE {
    INTERFACE Header;
    ULONG (*GetSerial)(PVOID Context);
} FXBUS_TOY_INTERFACE;

struct fxbus_shared {
    /* Set by the test before it acts. */
    ULONG fail_serial;                   /* EvtChildListCreateDevice fails for this serial (0: none) */
    NTSTATUS eject_status;               /* what EvtDeviceEject returns */
    /* Counted by the driver. */
    LONG compares, duplicates, cleanups; /* identification description callbacks */
    LONG address_duplicates, address_cleanups;
    LONG creates;                        /* EvtChildListCreateDevice calls */
    LONG pdos_cleaned;                   /* EvtCleanupCallback of child PDOs */
    LONG ejects, reported_missing, scans;
    LONG names_live;                     /* pool names the Duplicate callback made and Cleanup has not freed */
    LONG fdo_removals;                   /* the bus FDO's EvtDeviceReleaseHardware */
    LONG toy_queries;                    /* the FDO interface's EvtDeviceProcessQueryInterfaceRequest */
    /* Driver code the test calls, as the bus hardware's events would. */
    NTSTATUS (*plug)(ULONG serial, ULONG slot);      /* WdfChildListAddOrUpdateChildDescriptionAsPresent */
    NTSTATUS (*unplug)(ULONG serial);                /* WdfChildListUpdateChildDescriptionAsMissing */
    void (*begin_scan)(void);
    void (*end_scan)(void);
    void (*all_present)(void);                        /* WdfChildListUpdateAllChildDescriptionsAsPresent */
    BOOLEAN (*eject)(ULONG serial);                  /* WdfChildListRequestChildEject */
    /* WdfPdoMarkMissing on the static toy, twice (*again: the second), with
     * the static list locked for iteration around both. */
    NTSTATUS (*static_missing)(NTSTATUS *again);
    /* Walks the default list with these WDF_RETRIEVE_CHILD_FLAGS: how many
     * children, and the last one's serial, retrieve status and slot. */
    ULONG (*count)(ULONG flags, ULONG *serial, WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS *status, ULONG *slot);
    /* WdfChildListRetrievePdo for a serial: the PDO (NULL), its status and slot. */
    WDFDEVICE (*retrieve)(ULONG serial, WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS *status, ULONG *slot);
    /* Static children seen between the lock and unlock of the static list. */
    ULONG (*count_static)(ULONG flags);
    /* WdfFdoQueryForInterface from the bus FDO for its own interface. */
    NTSTATUS (*query_fdo)(ULONG *cookie);
};
#endif

#endif /* FXBUS_H */
