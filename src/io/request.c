/*
 * The request path: a program's read, write or IOCTL on an open file
 * becomes an IRP sent to the top of the device's stack; completion copies
 * output back and either wakes the waiting caller or reports to its
 * asynchronous callback. This is the hot path of every benchmark: no lock
 * on the way down, one atomic exchange on the way back.
 */
#include "io/io.h"
#include "io/io_private.h"
#include "io/buffers.h"
#include "verifier/verifier.h"

enum { REQ_RUNNING, REQ_COMPLETED, REQ_WAITING, REQ_ASYNC };

static void file_track(struct io_file *file, PIRP irp)
{
    KIRQL irql;
    KeAcquireSpinLock(&file->object.IrpListLock, &irql);
    InsertTailList(&file->object.IrpList, &io_irp_private(irp)->file_link);
    KeReleaseSpinLock(&file->object.IrpListLock, irql);
}

static void file_untrack(struct io_file *file, PIRP irp)
{
    KIRQL irql;
    KeAcquireSpinLock(&file->object.IrpListLock, &irql);
    RemoveEntryList(&io_irp_private(irp)->file_link);
    KeReleaseSpinLock(&file->object.IrpListLock, irql);
}

static void request_report(struct io_irp_private *priv, NTSTATUS status, ULONG_PTR information)
{
    priv->final_status = status;
    priv->final_information = information;
    int previous = atomic_exchange_explicit(&priv->wait_state, REQ_COMPLETED, memory_order_acq_rel);
    if (previous == REQ_WAITING)
        KeSetEvent(priv->waiter_event, IO_NO_INCREMENT, FALSE);
    else if (previous == REQ_ASYNC)
        priv->on_complete(priv->ctx, status, information);
}

void io_irp_finish(PIRP irp)
{
    struct io_irp_private *priv = io_irp_private(irp);
    NTSTATUS status = irp->IoStatus.Status;
    ULONG_PTR information = irp->IoStatus.Information;

    priv->completed = 1;
    io_buffers_copy_back(irp);
    io_buffers_release(irp);
    io_mdls_release(irp);
    if (priv->origin == IO_IRP_THREAD) {
        if (irp->UserIosb)
            *irp->UserIosb = irp->IoStatus;
        if (irp->UserEvent)
            KeSetEvent(irp->UserEvent, IO_NO_INCREMENT, FALSE);
        if (priv->file)
            ObfDereferenceObject(&priv->file->object);
        io_irp_free(irp);
        return;
    }
    file_untrack(priv->file, irp);
    request_report(priv, status, information);
    io_irp_unref(irp);
}

static PIRP request_irp(struct io_file *file, PDEVICE_OBJECT top, const struct io_request *r, NTSTATUS *status)
{
    PIRP irp = io_irp_alloc(top->StackSize, IO_IRP_REQUEST);
    if (!irp) {
        *status = STATUS_INSUFFICIENT_RESOURCES;
        return NULL;
    }
    struct io_irp_private *priv = io_irp_private(irp);
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    priv->file = file;
    priv->thread = PsGetCurrentThread();
    irp->RequestorMode = r->mode;
    irp->Tail.Overlay.OriginalFileObject = &file->object;
    irp->Tail.Overlay.Thread = priv->thread;
    sp->MajorFunction = r->major;
    sp->FileObject = &file->object;
    if (r->major == IRP_MJ_DEVICE_CONTROL || r->major == IRP_MJ_INTERNAL_DEVICE_CONTROL) {
        *status = io_buffers_for_ioctl(irp, r->code, r->in, r->in_length, r->out, r->out_length, r->mode);
    } else {
        sp->Parameters.Read.Length = r->out_length;
        sp->Parameters.Read.ByteOffset = r->offset;
        *status = io_buffers_for_transfer(irp, top, r->major, r->out, r->out_length, r->mode);
    }
    if (!NT_SUCCESS(*status)) {
        io_buffers_release(irp);
        io_mdls_release(irp);
        io_irp_free(irp);
        return NULL;
    }
    return irp;
}

/* The caller waits for a request still running; returns its outcome. */
static NTSTATUS request_wait(struct io_irp_private *priv, ULONG_PTR *information)
{
    KEVENT done;
    int expected = REQ_RUNNING;

    KeInitializeEvent(&done, NotificationEvent, FALSE);
    priv->waiter_event = &done;
    if (atomic_compare_exchange_strong(&priv->wait_state, &expected, REQ_WAITING))
        KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
    *information = priv->final_information;
    return priv->final_status;
}

/* The dispatch routine returned; decide who reports the outcome. */
static NTSTATUS request_settle(PIRP irp, NTSTATUS dispatched, bool async, ULONG_PTR *information)
{
    struct io_irp_private *priv = io_irp_private(irp);
    int expected = REQ_RUNNING;
    NTSTATUS status;

    if (dispatched != STATUS_PENDING && atomic_load(&priv->wait_state) != REQ_COMPLETED)
        vf_report(VF_IRP, "IoCallDriver", NULL,
                  "dispatch returned 0x%08x for IRP %p without completing it or returning STATUS_PENDING",
                  (unsigned)dispatched, (void *)irp);
    if (!async) {
        status = request_wait(priv, information);
    } else if (atomic_compare_exchange_strong(&priv->wait_state, &expected, REQ_ASYNC)) {
        status = STATUS_PENDING; /* on_complete reports from the completing thread */
    } else if (dispatched == STATUS_PENDING) {
        /* Completed already, but the driver said pending: the caller sees
         * pending and a callback, as on Windows. */
        priv->on_complete(priv->ctx, priv->final_status, priv->final_information);
        status = STATUS_PENDING;
    } else {
        *information = priv->final_information;
        status = priv->final_status;
    }
    io_irp_unref(irp);
    return status;
}

NTSTATUS io_send_request(PFILE_OBJECT file_object, const struct io_request *request, ULONG_PTR *information)
{
    struct io_file *file = io_file_of(file_object);
    PDEVICE_OBJECT top = io_device_stack_top(file_object->DeviceObject);
    NTSTATUS status;
    PIRP irp;

    *information = 0;
    if (!(irp = request_irp(file, top, request, &status)))
        return status;
    struct io_irp_private *priv = io_irp_private(irp);
    priv->on_complete = request->on_complete;
    priv->ctx = request->ctx;
    atomic_store(&priv->refs, 2); /* the requester's and the completion's */
    file_track(file, irp);
    KPROCESSOR_MODE previous = nt_thread_set_previous_mode(request->mode);
    status = IoCallDriver(top, irp);
    nt_thread_set_previous_mode(previous);
    return request_settle(irp, status, request->on_complete != NULL, information);
}

void io_cancel_file_requests(PFILE_OBJECT file_object, bool all_threads)
{
    PETHREAD self = PsGetCurrentThread();
    PIRP batch[32];
    size_t count;
    KIRQL irql;

    /* Cancel in batches: an IRP's cancel routine may complete it, which
     * takes the list lock, so the lock is not held while cancelling. */
    do {
        count = 0;
        KeAcquireSpinLock(&file_object->IrpListLock, &irql);
        for (PLIST_ENTRY e = file_object->IrpList.Flink; e != &file_object->IrpList && count < 32; e = e->Flink) {
            struct io_irp_private *priv = CONTAINING_RECORD(e, struct io_irp_private, file_link);
            PIRP irp = (PIRP)(priv + 1);
            if ((all_threads || priv->thread == self) && !irp->Cancel) {
                atomic_fetch_add(&priv->refs, 1);
                batch[count++] = irp;
            }
        }
        KeReleaseSpinLock(&file_object->IrpListLock, irql);
        for (size_t i = 0; i < count; i++) {
            IoCancelIrp(batch[i]);
            io_irp_unref(batch[i]);
        }
    } while (count == 32);
}

/* --- Synchronous IRPs from the PnP and power managers ---------------------- */
PIRP io_build_pnp_irp(PDEVICE_OBJECT target, UCHAR major, UCHAR minor)
{
    PDEVICE_OBJECT top = io_device_stack_top(target);
    PIRP irp = io_irp_alloc(top->StackSize, IO_IRP_THREAD);
    if (!irp)
        return NULL;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = major;
    sp->MinorFunction = minor;
    irp->IoStatus.Status = STATUS_NOT_SUPPORTED;
    irp->RequestorMode = KernelMode;
    irp->Tail.Overlay.Thread = PsGetCurrentThread();
    return irp;
}

NTSTATUS io_call_and_wait(PDEVICE_OBJECT device, PIRP irp, ULONG_PTR *information)
{
    KEVENT done;
    IO_STATUS_BLOCK iosb = { .Status = STATUS_PENDING };

    KeInitializeEvent(&done, NotificationEvent, FALSE);
    irp->UserEvent = &done;
    irp->UserIosb = &iosb;
    /* Wait whatever dispatch returned: the event is set already when the
     * IRP completed inline. */
    (void)IoCallDriver(io_device_stack_top(device), irp);
    KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
    if (information)
        *information = iosb.Information;
    return iosb.Status;
}
