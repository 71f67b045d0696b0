/*
 * The KMDF port of the WDM toaster (examples/toaster-wdm): the same device
 * interface, IOCTLs and behaviour, written the KMDF way — the framework
 * owns PnP, power and cancellation; the driver supplies callbacks and
 * queues. Pending reads and toast waits sit in manual queues, which the
 * framework cancels for us.
 */
#ifndef TOASTER_KMDF_H
#define TOASTER_KMDF_H

#include <ntddk.h>
#include <wdf.h>
#include "toaster_public.h"

typedef struct _TOASTER_CONTEXT {
    WDFQUEUE PendingReads;
    WDFQUEUE PendingWaits;
    WDFSPINLOCK Lock;
    ULONG Darkness;
    ULONG ToastsMade;
    ULONG LastChecksum;
    LONG OpenCount;
    UCHAR Buffer[TOASTER_BUFFER_SIZE];
    ULONG Head, Count;
} TOASTER_CONTEXT, *PTOASTER_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(TOASTER_CONTEXT, ToasterGetContext)

/* METHOD_NEITHER buffers, locked in the caller's context. */
typedef struct _REVERSE_CONTEXT {
    WDFMEMORY In;
    WDFMEMORY Out;
} REVERSE_CONTEXT, *PREVERSE_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(REVERSE_CONTEXT, ReverseGetContext)

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_DEVICE_ADD ToasterEvtDeviceAdd;
EVT_WDF_DRIVER_UNLOAD ToasterEvtDriverUnload;
EVT_WDF_DEVICE_PREPARE_HARDWARE ToasterEvtPrepareHardware;
EVT_WDF_DEVICE_D0_ENTRY ToasterEvtD0Entry;
EVT_WDF_DEVICE_D0_EXIT ToasterEvtD0Exit;
EVT_WDF_DEVICE_FILE_CREATE ToasterEvtFileCreate;
EVT_WDF_FILE_CLEANUP ToasterEvtFileCleanup;
EVT_WDF_FILE_CLOSE ToasterEvtFileClose;
EVT_WDF_IO_IN_CALLER_CONTEXT ToasterEvtIoInCallerContext;
EVT_WDF_IO_QUEUE_IO_READ ToasterEvtIoRead;
EVT_WDF_IO_QUEUE_IO_WRITE ToasterEvtIoWrite;
EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL ToasterEvtIoDeviceControl;

NTSTATUS ToasterQueuesCreate(WDFDEVICE Device);
ULONG ToasterTakeBytes(PTOASTER_CONTEXT Context, PUCHAR Out, ULONG Length);
VOID ToasterToastReady(PTOASTER_CONTEXT Context);

#endif /* TOASTER_KMDF_H */
