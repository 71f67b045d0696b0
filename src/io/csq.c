/*
 * Cancel-safe IRP queues: the driver keeps the queue and its lock; these
 * routines own the race between removing an IRP and cancelling it, by
 * clearing the IRP's cancel routine under the driver's lock. Whoever
 * clears it owns the IRP.
 *
 * Irp->Tail.Overlay.DriverContext[3] points at the IO_CSQ_IRP_CONTEXT when
 * the driver passed one, else at the IO_CSQ; both start with their Type.
 */
#include "io/io.h"

static void csq_of(PIRP irp, PIO_CSQ *csq, PIO_CSQ_IRP_CONTEXT *context)
{
    PVOID slot = irp->Tail.Overlay.DriverContext[3];
    if (*(PULONG)slot == IO_TYPE_CSQ_IRP_CONTEXT) {
        *context = slot;
        *csq = (*context)->Csq;
    } else {
        *context = NULL;
        *csq = slot;
    }
}

static void csq_forget(PIRP irp, PIO_CSQ_IRP_CONTEXT context)
{
    if (context)
        context->Irp = NULL;
    irp->Tail.Overlay.DriverContext[3] = NULL;
}

static DRIVER_CANCEL csq_cancel;

static void csq_cancel(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_CSQ csq;
    PIO_CSQ_IRP_CONTEXT context;
    KIRQL irql;

    (void)DeviceObject;
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    csq_of(Irp, &csq, &context);
    csq->CsqAcquireLock(csq, &irql);
    csq->CsqRemoveIrp(csq, Irp);
    csq_forget(Irp, context);
    csq->CsqReleaseLock(csq, irql);
    csq->CsqCompleteCanceledIrp(csq, Irp);
}

static NTSTATUS csq_init(PIO_CSQ Csq, ULONG type, PVOID insert, PIO_CSQ_REMOVE_IRP remove, PIO_CSQ_PEEK_NEXT_IRP peek,
                         PIO_CSQ_ACQUIRE_LOCK acquire, PIO_CSQ_RELEASE_LOCK release,
                         PIO_CSQ_COMPLETE_CANCELED_IRP complete)
{
    Csq->Type = type;
    Csq->CsqInsertIrp = (PIO_CSQ_INSERT_IRP)insert;
    Csq->CsqRemoveIrp = remove;
    Csq->CsqPeekNextIrp = peek;
    Csq->CsqAcquireLock = acquire;
    Csq->CsqReleaseLock = release;
    Csq->CsqCompleteCanceledIrp = complete;
    Csq->ReservePointer = NULL;
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS IoCsqInitialize(PIO_CSQ Csq, PIO_CSQ_INSERT_IRP CsqInsertIrp, PIO_CSQ_REMOVE_IRP CsqRemoveIrp,
                                    PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp, PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock,
                                    PIO_CSQ_RELEASE_LOCK CsqReleaseLock,
                                    PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp)
{
    return csq_init(Csq, IO_TYPE_CSQ, (PVOID)CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock,
                    CsqReleaseLock, CsqCompleteCanceledIrp);
}

KMH_EXPORT NTSTATUS IoCsqInitializeEx(PIO_CSQ Csq, PIO_CSQ_INSERT_IRP_EX CsqInsertIrp,
                                      PIO_CSQ_REMOVE_IRP CsqRemoveIrp, PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp,
                                      PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock, PIO_CSQ_RELEASE_LOCK CsqReleaseLock,
                                      PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp)
{
    return csq_init(Csq, IO_TYPE_CSQ_EX, (PVOID)CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock,
                    CsqReleaseLock, CsqCompleteCanceledIrp);
}

KMH_EXPORT NTSTATUS IoCsqInsertIrpEx(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context, PVOID InsertContext)
{
    NTSTATUS status = STATUS_SUCCESS;
    KIRQL irql;

    if (Context) {
        Context->Type = IO_TYPE_CSQ_IRP_CONTEXT;
        Context->Irp = Irp;
        Context->Csq = Csq;
    }
    Irp->Tail.Overlay.DriverContext[3] = Context ? (PVOID)Context : (PVOID)Csq;
    Csq->CsqAcquireLock(Csq, &irql);
    if (Csq->Type == IO_TYPE_CSQ_EX)
        status = ((PIO_CSQ_INSERT_IRP_EX)(PVOID)Csq->CsqInsertIrp)(Csq, Irp, InsertContext);
    else
        Csq->CsqInsertIrp(Csq, Irp);
    if (!NT_SUCCESS(status)) {
        csq_forget(Irp, Context);
        Csq->CsqReleaseLock(Csq, irql);
        return status;
    }
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, csq_cancel);
    /* Cancelled before the routine was set: if we can still take the
     * routine back, nobody else will cancel it — we do. */
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL)) {
        Csq->CsqRemoveIrp(Csq, Irp);
        csq_forget(Irp, Context);
        Csq->CsqReleaseLock(Csq, irql);
        Csq->CsqCompleteCanceledIrp(Csq, Irp);
        return status;
    }
    Csq->CsqReleaseLock(Csq, irql);
    return status;
}

KMH_EXPORT void IoCsqInsertIrp(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context)
{
    IoCsqInsertIrpEx(Csq, Irp, Context, NULL);
}

KMH_EXPORT PIRP IoCsqRemoveNextIrp(PIO_CSQ Csq, PVOID PeekContext)
{
    PIO_CSQ owner;
    PIO_CSQ_IRP_CONTEXT context;
    KIRQL irql;
    PIRP irp;

    Csq->CsqAcquireLock(Csq, &irql);
    for (irp = Csq->CsqPeekNextIrp(Csq, NULL, PeekContext); irp;
         irp = Csq->CsqPeekNextIrp(Csq, irp, PeekContext)) {
        /* An IRP whose cancel routine is already running belongs to it. */
        if (IoSetCancelRoutine(irp, NULL)) {
            csq_of(irp, &owner, &context);
            Csq->CsqRemoveIrp(Csq, irp);
            csq_forget(irp, context);
            break;
        }
    }
    Csq->CsqReleaseLock(Csq, irql);
    return irp;
}

KMH_EXPORT PIRP IoCsqRemoveIrp(PIO_CSQ Csq, PIO_CSQ_IRP_CONTEXT Context)
{
    KIRQL irql;
    PIRP irp = NULL;

    Csq->CsqAcquireLock(Csq, &irql);
    if (Context->Irp && IoSetCancelRoutine(Context->Irp, NULL)) {
        irp = Context->Irp;
        Csq->CsqRemoveIrp(Csq, irp);
        csq_forget(irp, Context);
    }
    Csq->CsqReleaseLock(Csq, irql);
    return irp;
}
