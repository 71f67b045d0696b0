/*
 * The toaster's pending requests — reads waiting for bytes and
 * IOCTL_TOASTER_WAIT_TOAST — in a cancel-safe queue: the I/O manager's
 * IoCsq routines own the race between a request being cancelled and the
 * driver taking it out to complete it.
 */
#include "toaster.h"

#define QUEUE_EXT(csq) CONTAINING_RECORD(csq, TOASTER_EXTENSION, PendingQueue)

static IO_CSQ_INSERT_IRP QueueInsert;
static IO_CSQ_REMOVE_IRP QueueRemove;
static IO_CSQ_PEEK_NEXT_IRP QueuePeekNext;
static IO_CSQ_ACQUIRE_LOCK QueueAcquireLock;
static IO_CSQ_RELEASE_LOCK QueueReleaseLock;
static IO_CSQ_COMPLETE_CANCELED_IRP QueueCompleteCanceled;

static VOID QueueInsert(PIO_CSQ Csq, PIRP Irp)
{
    InsertTailList(&QUEUE_EXT(Csq)->PendingIrps, &Irp->Tail.Overlay.ListEntry);
}

static VOID QueueRemove(PIO_CSQ Csq, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Csq);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
}

/* The next IRP after Irp (or the first) whose file object matches the
 * peek context (NULL matches all). */
static PIRP QueuePeekNext(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext)
{
    PTOASTER_EXTENSION ext = QUEUE_EXT(Csq);
    PLIST_ENTRY next = Irp ? Irp->Tail.Overlay.ListEntry.Flink : ext->PendingIrps.Flink;

    for (; next != &ext->PendingIrps; next = next->Flink) {
        PIRP candidate = CONTAINING_RECORD(next, IRP, Tail.Overlay.ListEntry);
        if (PeekContext == NULL || IoGetCurrentIrpStackLocation(candidate)->FileObject == PeekContext)
            return candidate;
    }
    return NULL;
}

_IRQL_raises_(DISPATCH_LEVEL)
static VOID QueueAcquireLock(PIO_CSQ Csq, PKIRQL Irql)
{
    KeAcquireSpinLock(&QUEUE_EXT(Csq)->PendingLock, Irql);
}

static VOID QueueReleaseLock(PIO_CSQ Csq, KIRQL Irql)
{
    KeReleaseSpinLock(&QUEUE_EXT(Csq)->PendingLock, Irql);
}

static VOID QueueCompleteCanceled(PIO_CSQ Csq, PIRP Irp)
{
    PTOASTER_EXTENSION ext = QUEUE_EXT(Csq);
    KdPrint(("Toaster: request cancelled\n"));
    ToasterCompleteRequest(Irp, STATUS_CANCELLED, 0);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
}

VOID ToasterQueueInitialize(PTOASTER_EXTENSION Ext)
{
    InitializeListHead(&Ext->PendingIrps);
    KeInitializeSpinLock(&Ext->PendingLock);
    IoCsqInitialize(&Ext->PendingQueue, QueueInsert, QueueRemove, QueuePeekNext, QueueAcquireLock,
                    QueueReleaseLock, QueueCompleteCanceled);
}

VOID ToasterQueueFlush(PTOASTER_EXTENSION Ext, PFILE_OBJECT FileObject, NTSTATUS Status)
{
    PIRP irp;
    while ((irp = IoCsqRemoveNextIrp(&Ext->PendingQueue, FileObject)) != NULL) {
        ToasterCompleteRequest(irp, Status, 0);
        IoReleaseRemoveLock(&Ext->RemoveLock, irp);
    }
}

/* Completes a waiting read with what the buffer holds now, or puts it back
 * when another read took the bytes first. */
static BOOLEAN ToasterSatisfyRead(PTOASTER_EXTENSION Ext, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG taken = ToasterTakeBytes(Ext, (PUCHAR)Irp->AssociatedIrp.SystemBuffer, stack->Parameters.Read.Length);
    if (taken == 0)
        return FALSE;
    ToasterCompleteRequest(Irp, STATUS_SUCCESS, taken);
    return TRUE;
}

VOID ToasterQueueToastReady(PTOASTER_EXTENSION Ext)
{
    LIST_ENTRY requeue;
    PIRP irp;
    PLIST_ENTRY entry;

    InitializeListHead(&requeue);
    while ((irp = IoCsqRemoveNextIrp(&Ext->PendingQueue, NULL)) != NULL) {
        PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
        if (stack->MajorFunction == IRP_MJ_READ) {
            if (!ToasterSatisfyRead(Ext, irp)) {
                InsertTailList(&requeue, &irp->Tail.Overlay.ListEntry);
                continue;
            }
        } else {
            *(PULONG)irp->AssociatedIrp.SystemBuffer = Ext->ToastsMade;
            ToasterCompleteRequest(irp, STATUS_SUCCESS, sizeof(ULONG));
        }
        IoReleaseRemoveLock(&Ext->RemoveLock, irp);
    }
    /* Reads that found nothing wait for the next toast. */
    while (!IsListEmpty(&requeue)) {
        entry = RemoveHeadList(&requeue);
        IoCsqInsertIrp(&Ext->PendingQueue, CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry), NULL);
    }
}
