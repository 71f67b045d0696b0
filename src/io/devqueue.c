/*
 * Device queues and the StartIo model: IoStartPacket hands the IRP to the
 * driver's StartIo routine when the device is idle, or queues it (sorted
 * by key when one is given); IoStartNextPacket runs the next one. Queued
 * IRPs carry the driver's cancel routine.
 */
#include "io/io.h"
#include "verifier/verifier.h"

KMH_EXPORT void KeInitializeDeviceQueue(PKDEVICE_QUEUE DeviceQueue)
{
    DeviceQueue->Type = 0x14; /* DeviceQueueObject */
    DeviceQueue->Size = sizeof(KDEVICE_QUEUE);
    InitializeListHead(&DeviceQueue->DeviceListHead);
    KeInitializeSpinLock(&DeviceQueue->Lock);
    DeviceQueue->Busy = FALSE;
}

/* Returns FALSE (and marks the queue busy) when the queue was idle: the
 * caller starts the entry itself. */
KMH_EXPORT BOOLEAN KeInsertDeviceQueue(PKDEVICE_QUEUE DeviceQueue, PKDEVICE_QUEUE_ENTRY DeviceQueueEntry)
{
    KIRQL irql;
    BOOLEAN inserted = FALSE;

    KeAcquireSpinLock(&DeviceQueue->Lock, &irql);
    if (DeviceQueue->Busy) {
        InsertTailList(&DeviceQueue->DeviceListHead, &DeviceQueueEntry->DeviceListEntry);
        inserted = TRUE;
    } else {
        DeviceQueue->Busy = TRUE;
    }
    DeviceQueueEntry->Inserted = inserted;
    KeReleaseSpinLock(&DeviceQueue->Lock, irql);
    return inserted;
}

KMH_EXPORT BOOLEAN KeInsertByKeyDeviceQueue(PKDEVICE_QUEUE DeviceQueue, PKDEVICE_QUEUE_ENTRY DeviceQueueEntry,
                                            ULONG SortKey)
{
    KIRQL irql;
    BOOLEAN inserted = FALSE;

    DeviceQueueEntry->SortKey = SortKey;
    KeAcquireSpinLock(&DeviceQueue->Lock, &irql);
    if (DeviceQueue->Busy) {
        PLIST_ENTRY e = DeviceQueue->DeviceListHead.Flink;
        while (e != &DeviceQueue->DeviceListHead &&
               CONTAINING_RECORD(e, KDEVICE_QUEUE_ENTRY, DeviceListEntry)->SortKey <= SortKey)
            e = e->Flink;
        InsertTailList(e, &DeviceQueueEntry->DeviceListEntry); /* before e */
        inserted = TRUE;
    } else {
        DeviceQueue->Busy = TRUE;
    }
    DeviceQueueEntry->Inserted = inserted;
    KeReleaseSpinLock(&DeviceQueue->Lock, irql);
    return inserted;
}

/* The next entry, or NULL (and the queue goes idle) when there is none. */
KMH_EXPORT PKDEVICE_QUEUE_ENTRY KeRemoveDeviceQueue(PKDEVICE_QUEUE DeviceQueue)
{
    KIRQL irql;
    PKDEVICE_QUEUE_ENTRY entry = NULL;

    KeAcquireSpinLock(&DeviceQueue->Lock, &irql);
    if (IsListEmpty(&DeviceQueue->DeviceListHead)) {
        DeviceQueue->Busy = FALSE;
    } else {
        entry = CONTAINING_RECORD(RemoveHeadList(&DeviceQueue->DeviceListHead), KDEVICE_QUEUE_ENTRY, DeviceListEntry);
        entry->Inserted = FALSE;
    }
    KeReleaseSpinLock(&DeviceQueue->Lock, irql);
    return entry;
}

/* The first entry whose key is at least SortKey (wrapping to the first). */
KMH_EXPORT PKDEVICE_QUEUE_ENTRY KeRemoveByKeyDeviceQueue(PKDEVICE_QUEUE DeviceQueue, ULONG SortKey)
{
    KIRQL irql;
    PKDEVICE_QUEUE_ENTRY entry = NULL;

    KeAcquireSpinLock(&DeviceQueue->Lock, &irql);
    if (IsListEmpty(&DeviceQueue->DeviceListHead)) {
        DeviceQueue->Busy = FALSE;
    } else {
        PLIST_ENTRY e = DeviceQueue->DeviceListHead.Flink;
        while (e != &DeviceQueue->DeviceListHead &&
               CONTAINING_RECORD(e, KDEVICE_QUEUE_ENTRY, DeviceListEntry)->SortKey < SortKey)
            e = e->Flink;
        if (e == &DeviceQueue->DeviceListHead)
            e = DeviceQueue->DeviceListHead.Flink;
        RemoveEntryList(e);
        entry = CONTAINING_RECORD(e, KDEVICE_QUEUE_ENTRY, DeviceListEntry);
        entry->Inserted = FALSE;
    }
    KeReleaseSpinLock(&DeviceQueue->Lock, irql);
    return entry;
}

KMH_EXPORT BOOLEAN KeRemoveEntryDeviceQueue(PKDEVICE_QUEUE DeviceQueue, PKDEVICE_QUEUE_ENTRY DeviceQueueEntry)
{
    KIRQL irql;
    BOOLEAN removed = FALSE;

    KeAcquireSpinLock(&DeviceQueue->Lock, &irql);
    if (DeviceQueueEntry->Inserted) {
        RemoveEntryList(&DeviceQueueEntry->DeviceListEntry);
        DeviceQueueEntry->Inserted = FALSE;
        removed = TRUE;
    }
    KeReleaseSpinLock(&DeviceQueue->Lock, irql);
    return removed;
}

static void start_io(PDEVICE_OBJECT device, PIRP irp)
{
    device->CurrentIrp = irp;
    device->DriverObject->DriverStartIo(device, irp);
}

KMH_EXPORT void IoStartPacket(PDEVICE_OBJECT DeviceObject, PIRP Irp, PULONG Key, PDRIVER_CANCEL CancelFunction)
{
    KIRQL irql, cancel_irql;
    BOOLEAN queued;

    KeRaiseIrql(DISPATCH_LEVEL, &irql);
    IoAcquireCancelSpinLock(&cancel_irql);
    if (CancelFunction)
        IoSetCancelRoutine(Irp, CancelFunction);
    queued = Key ? KeInsertByKeyDeviceQueue(&DeviceObject->DeviceQueue, &Irp->Tail.Overlay.DeviceQueueEntry, *Key)
                 : KeInsertDeviceQueue(&DeviceObject->DeviceQueue, &Irp->Tail.Overlay.DeviceQueueEntry);
    IoReleaseCancelSpinLock(cancel_irql);
    if (!queued)
        start_io(DeviceObject, Irp);
    KeLowerIrql(irql);
}

static void start_next(PDEVICE_OBJECT device, BOOLEAN cancelable, const ULONG *key)
{
    KIRQL cancel_irql = PASSIVE_LEVEL;
    PKDEVICE_QUEUE_ENTRY entry;

    device->CurrentIrp = NULL;
    if (cancelable)
        IoAcquireCancelSpinLock(&cancel_irql);
    entry = key ? KeRemoveByKeyDeviceQueue(&device->DeviceQueue, *key) : KeRemoveDeviceQueue(&device->DeviceQueue);
    if (cancelable)
        IoReleaseCancelSpinLock(cancel_irql);
    if (entry)
        start_io(device, CONTAINING_RECORD(entry, IRP, Tail.Overlay.DeviceQueueEntry));
}

KMH_EXPORT void IoStartNextPacket(PDEVICE_OBJECT DeviceObject, BOOLEAN Cancelable)
{
    start_next(DeviceObject, Cancelable, NULL);
}

KMH_EXPORT void IoStartNextPacketByKey(PDEVICE_OBJECT DeviceObject, BOOLEAN Cancelable, ULONG Key)
{
    start_next(DeviceObject, Cancelable, &Key);
}

KMH_EXPORT void IoSetStartIoAttributes(PDEVICE_OBJECT DeviceObject, BOOLEAN DeferredStartIo, BOOLEAN NonCancelable)
{
    io_device_of(DeviceObject)->start_io_deferred = DeferredStartIo;
    io_device_of(DeviceObject)->start_io_noncancelable = NonCancelable;
}
