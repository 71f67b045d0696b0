/*
 * The WDM toaster: a function driver for a root-enumerated device with no
 * hardware. It shows the whole WDM contract: DriverEntry filling the
 * dispatch table, AddDevice attaching to the PDO, PnP and power handling
 * with a remove lock, create/cleanup/close, buffered reads and writes, one
 * IOCTL per transfer method, and a cancel-safe queue of pending requests.
 */
#ifndef TOASTER_H
#define TOASTER_H

#include <ntddk.h>
#include <wdmguid.h>
#include "toaster_public.h"

#define TOASTER_TAG 'tsoT'

typedef enum _TOASTER_PNP_STATE {
    NotStarted,
    Started,
    StopPending,
    Stopped,
    RemovePending,
    SurpriseRemoved,
    Deleted
} TOASTER_PNP_STATE;

typedef struct _TOASTER_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PDEVICE_OBJECT Pdo;
    IO_REMOVE_LOCK RemoveLock;
    TOASTER_PNP_STATE State;
    TOASTER_PNP_STATE PreviousState;
    UNICODE_STRING InterfaceName;
    DEVICE_POWER_STATE DevicePower;
    SYSTEM_POWER_STATE SystemPower;
    DEVICE_CAPABILITIES Capabilities;

    /* The toast state, under Lock. */
    KSPIN_LOCK Lock;
    ULONG Darkness;
    ULONG ToastsMade;
    ULONG LastChecksum;
    LONG OpenCount;
    UCHAR Buffer[TOASTER_BUFFER_SIZE];
    ULONG Head, Count;

    /* Reads and WAIT_TOAST IOCTLs waiting for a toast. */
    IO_CSQ PendingQueue;
    LIST_ENTRY PendingIrps;
    KSPIN_LOCK PendingLock;
} TOASTER_EXTENSION, *PTOASTER_EXTENSION;

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE ToasterAddDevice;
DRIVER_UNLOAD ToasterUnload;
_Dispatch_type_(IRP_MJ_CREATE) DRIVER_DISPATCH ToasterCreate;
_Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH ToasterClose;
_Dispatch_type_(IRP_MJ_CLEANUP) DRIVER_DISPATCH ToasterCleanup;
_Dispatch_type_(IRP_MJ_READ) DRIVER_DISPATCH ToasterRead;
_Dispatch_type_(IRP_MJ_WRITE) DRIVER_DISPATCH ToasterWrite;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) DRIVER_DISPATCH ToasterDeviceControl;
_Dispatch_type_(IRP_MJ_PNP) DRIVER_DISPATCH ToasterPnp;
_Dispatch_type_(IRP_MJ_POWER) DRIVER_DISPATCH ToasterPower;
_Dispatch_type_(IRP_MJ_SYSTEM_CONTROL) DRIVER_DISPATCH ToasterSystemControl;

/* queue.c */
VOID ToasterQueueInitialize(PTOASTER_EXTENSION Ext);
/* Cancels every pending request, or those of one file object. */
VOID ToasterQueueFlush(PTOASTER_EXTENSION Ext, PFILE_OBJECT FileObject, NTSTATUS Status);
/* A write made a toast: satisfy waiting reads and WAIT_TOASTs. */
VOID ToasterQueueToastReady(PTOASTER_EXTENSION Ext);

/* io.c */
ULONG ToasterTakeBytes(PTOASTER_EXTENSION Ext, PUCHAR Out, ULONG Length);

NTSTATUS ToasterCompleteRequest(PIRP Irp, NTSTATUS Status, ULONG_PTR Information);

#endif /* TOASTER_H */
