/*
 * The smaller I/O manager services: per-device one-second timers, shutdown
 * notification, the error log, share access, synchronous forwarding, and
 * the requestor queries.
 */
#include "io/io.h"
#include "io/io_private.h"
#include "verifier/verifier.h"

#include <stdlib.h>
#include <unistd.h>

/* --- Per-device timers: a one-second DISPATCH_LEVEL callback ------------- */
struct _IO_TIMER {
    KTIMER timer;
    KDPC dpc;
    PIO_TIMER_ROUTINE routine;
    PVOID context;
    PDEVICE_OBJECT device;
};

static KDEFERRED_ROUTINE io_timer_tick;

static void io_timer_tick(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    PIO_TIMER t = context;
    (void)dpc;
    (void)arg1;
    (void)arg2;
    t->routine(t->device, t->context);
}

KMH_EXPORT NTSTATUS IoInitializeTimer(PDEVICE_OBJECT DeviceObject, PIO_TIMER_ROUTINE TimerRoutine, PVOID Context)
{
    struct io_device *device = io_device_of(DeviceObject);
    if (!device->timer && !(device->timer = calloc(1, sizeof(*device->timer))))
        return STATUS_INSUFFICIENT_RESOURCES;
    device->timer->routine = TimerRoutine;
    device->timer->context = Context;
    device->timer->device = DeviceObject;
    KeInitializeTimer(&device->timer->timer);
    KeInitializeDpc(&device->timer->dpc, io_timer_tick, device->timer);
    DeviceObject->Timer = device->timer;
    return STATUS_SUCCESS;
}

KMH_EXPORT void IoStartTimer(PDEVICE_OBJECT DeviceObject)
{
    PIO_TIMER t = io_device_of(DeviceObject)->timer;
    LARGE_INTEGER due = { .QuadPart = -10000000LL };
    if (t)
        KeSetTimerEx(&t->timer, due, 1000, &t->dpc);
}

KMH_EXPORT void IoStopTimer(PDEVICE_OBJECT DeviceObject)
{
    struct io_device *device = io_device_of(DeviceObject);
    if (!device->timer)
        return;
    KeCancelTimer(&device->timer->timer);
    KeFlushQueuedDpcs();
}

/* --- Shutdown notification ------------------------------------------------ */
struct shutdown_entry {
    LIST_ENTRY link;
    PDEVICE_OBJECT device;
};
static LIST_ENTRY shutdown_list = { &shutdown_list, &shutdown_list };

KMH_EXPORT NTSTATUS IoRegisterShutdownNotification(PDEVICE_OBJECT DeviceObject)
{
    struct shutdown_entry *entry = malloc(sizeof(*entry));
    if (!entry)
        return STATUS_INSUFFICIENT_RESOURCES;
    entry->device = DeviceObject;
    ObfReferenceObject(DeviceObject);
    pthread_mutex_lock(&io_lock);
    InsertHeadList(&shutdown_list, &entry->link); /* last registered, first told */
    io_device_of(DeviceObject)->shutdown_registered = true;
    pthread_mutex_unlock(&io_lock);
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS IoRegisterLastChanceShutdownNotification(PDEVICE_OBJECT DeviceObject)
{
    return IoRegisterShutdownNotification(DeviceObject);
}

KMH_EXPORT void IoUnregisterShutdownNotification(PDEVICE_OBJECT DeviceObject)
{
    struct shutdown_entry *found = NULL;

    pthread_mutex_lock(&io_lock);
    for (PLIST_ENTRY e = shutdown_list.Flink; e != &shutdown_list; e = e->Flink) {
        struct shutdown_entry *entry = CONTAINING_RECORD(e, struct shutdown_entry, link);
        if (entry->device == DeviceObject) {
            RemoveEntryList(e);
            found = entry;
            break;
        }
    }
    io_device_of(DeviceObject)->shutdown_registered = false;
    pthread_mutex_unlock(&io_lock);
    if (found) {
        ObfDereferenceObject(found->device);
        free(found);
    }
}

/* Sends IRP_MJ_SHUTDOWN to every registered device, as system shutdown does. */
void io_shutdown_notify_all(void)
{
    for (;;) {
        pthread_mutex_lock(&io_lock);
        PDEVICE_OBJECT device = IsListEmpty(&shutdown_list)
                                    ? NULL
                                    : CONTAINING_RECORD(shutdown_list.Flink, struct shutdown_entry, link)->device;
        if (device)
            ObfReferenceObject(device);
        pthread_mutex_unlock(&io_lock);
        if (!device)
            return;
        PIRP irp = io_build_pnp_irp(device, IRP_MJ_SHUTDOWN, 0);
        if (irp) {
            irp->IoStatus.Status = STATUS_SUCCESS;
            /* Sent to the registered device itself, not the stack top. */
            IoGetNextIrpStackLocation(irp)->DeviceObject = device;
            io_call_and_wait(device, irp, NULL);
        }
        IoUnregisterShutdownNotification(device);
        ObfDereferenceObject(device);
    }
}

/* --- Error log: entries go to the log, as the event log would show them --- */
KMH_EXPORT PVOID IoAllocateErrorLogEntry(PVOID IoObject, UCHAR EntrySize)
{
    (void)IoObject;
    if (EntrySize > ERROR_LOG_MAXIMUM_SIZE || EntrySize < sizeof(IO_ERROR_LOG_PACKET))
        return NULL;
    return calloc(1, EntrySize);
}

KMH_EXPORT void IoFreeErrorLogEntry(PVOID ElEntry)
{
    free(ElEntry);
}

KMH_EXPORT void IoWriteErrorLogEntry(PVOID ElEntry)
{
    PIO_ERROR_LOG_PACKET packet = ElEntry;
    kmh_log(KMH_LOG_WARNING, "eventlog", "error log entry: code 0x%08x, final status 0x%08x, unique value %u",
            (unsigned)packet->ErrorCode, (unsigned)packet->FinalStatus, (unsigned)packet->UniqueErrorValue);
    free(ElEntry);
}

/* --- Share access ----------------------------------------------------------- */
static void share_flags(ACCESS_MASK access, ULONG share, bool *r, bool *w, bool *d, bool *sr, bool *sw, bool *sd)
{
    *r = (access & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    *w = (access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    *d = (access & DELETE) != 0;
    *sr = (share & FILE_SHARE_READ) != 0;
    *sw = (share & FILE_SHARE_WRITE) != 0;
    *sd = (share & FILE_SHARE_DELETE) != 0;
}

static void share_add(PSHARE_ACCESS s, bool r, bool w, bool d, bool sr, bool sw, bool sd)
{
    s->OpenCount++;
    s->Readers += r;
    s->Writers += w;
    s->Deleters += d;
    s->SharedRead += sr;
    s->SharedWrite += sw;
    s->SharedDelete += sd;
}

KMH_EXPORT NTSTATUS IoCheckShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess, PFILE_OBJECT FileObject,
                                       PSHARE_ACCESS ShareAccess, BOOLEAN Update)
{
    bool r, w, d, sr, sw, sd;
    share_flags(DesiredAccess, DesiredShareAccess, &r, &w, &d, &sr, &sw, &sd);
    FileObject->ReadAccess = r;
    FileObject->WriteAccess = w;
    FileObject->DeleteAccess = d;
    if (!r && !w && !d)
        return STATUS_SUCCESS;
    ULONG open = ShareAccess->OpenCount;
    if ((r && ShareAccess->SharedRead < open) || (w && ShareAccess->SharedWrite < open) ||
        (d && ShareAccess->SharedDelete < open) || (ShareAccess->Readers && !sr) ||
        (ShareAccess->Writers && !sw) || (ShareAccess->Deleters && !sd))
        return STATUS_SHARING_VIOLATION;
    FileObject->SharedRead = sr;
    FileObject->SharedWrite = sw;
    FileObject->SharedDelete = sd;
    if (Update)
        share_add(ShareAccess, r, w, d, sr, sw, sd);
    return STATUS_SUCCESS;
}

KMH_EXPORT void IoSetShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess, PFILE_OBJECT FileObject,
                                 PSHARE_ACCESS ShareAccess)
{
    bool r, w, d, sr, sw, sd;
    share_flags(DesiredAccess, DesiredShareAccess, &r, &w, &d, &sr, &sw, &sd);
    FileObject->ReadAccess = r;
    FileObject->WriteAccess = w;
    FileObject->DeleteAccess = d;
    FileObject->SharedRead = sr;
    FileObject->SharedWrite = sw;
    FileObject->SharedDelete = sd;
    memset(ShareAccess, 0, sizeof(*ShareAccess));
    if (r || w || d)
        share_add(ShareAccess, r, w, d, sr, sw, sd);
}

KMH_EXPORT void IoRemoveShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    PFILE_OBJECT f = FileObject;
    if (!f->ReadAccess && !f->WriteAccess && !f->DeleteAccess)
        return;
    ShareAccess->OpenCount--;
    ShareAccess->Readers -= f->ReadAccess;
    ShareAccess->Writers -= f->WriteAccess;
    ShareAccess->Deleters -= f->DeleteAccess;
    ShareAccess->SharedRead -= f->SharedRead;
    ShareAccess->SharedWrite -= f->SharedWrite;
    ShareAccess->SharedDelete -= f->SharedDelete;
}

KMH_EXPORT void IoUpdateShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    PFILE_OBJECT f = FileObject;
    if (f->ReadAccess || f->WriteAccess || f->DeleteAccess)
        share_add(ShareAccess, f->ReadAccess, f->WriteAccess, f->DeleteAccess, f->SharedRead, f->SharedWrite,
                  f->SharedDelete);
}

/* --- Forwarding and requestor queries ---------------------------------------- */
static IO_COMPLETION_ROUTINE forward_done;

static NTSTATUS forward_done(PDEVICE_OBJECT device, PIRP irp, PVOID context)
{
    (void)device;
    (void)irp;
    KeSetEvent(context, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

KMH_EXPORT BOOLEAN IoForwardIrpSynchronously(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, forward_done, &event, TRUE, TRUE, TRUE);
    if (IoCallDriver(DeviceObject, Irp) == STATUS_PENDING)
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
    return TRUE;
}

KMH_EXPORT NTSTATUS IoSetCompletionRoutineEx(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                             PIO_COMPLETION_ROUTINE CompletionRoutine, PVOID Context,
                                             BOOLEAN InvokeOnSuccess, BOOLEAN InvokeOnError, BOOLEAN InvokeOnCancel)
{
    /* The Ex variant exists so the driver cannot unload before its routine
     * runs; a loaded driver stays loaded here until its devices are gone,
     * which already guarantees that. */
    (void)DeviceObject;
    IoSetCompletionRoutine(Irp, CompletionRoutine, Context, InvokeOnSuccess, InvokeOnError, InvokeOnCancel);
    return STATUS_SUCCESS;
}

KMH_EXPORT BOOLEAN IoIsOperationSynchronous(PIRP Irp)
{
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    if (Irp->Flags & (IRP_SYNCHRONOUS_API | IRP_SYNCHRONOUS_PAGING_IO))
        return TRUE;
    return file && (file->Flags & FO_SYNCHRONOUS_IO) && !(Irp->Flags & (IRP_PAGING_IO));
}

static __thread PIRP top_level_irp;

KMH_EXPORT void IoSetTopLevelIrp(PIRP Irp)
{
    top_level_irp = Irp;
}

KMH_EXPORT PIRP IoGetTopLevelIrp(void)
{
    return top_level_irp;
}

KMH_EXPORT PEPROCESS IoGetRequestorProcess(PIRP Irp)
{
    (void)Irp;
    return PsGetCurrentProcess();
}

KMH_EXPORT ULONG IoGetRequestorProcessId(PIRP Irp)
{
    (void)Irp;
    return (ULONG)getpid();
}

KMH_EXPORT BOOLEAN IoIs32bitProcess(PIRP Irp)
{
    (void)Irp;
    return FALSE;
}

/* There is no WMI service in a kmhost process, so registration succeeds
 * and no WMI request will ever arrive; that is what a system with no WMI
 * consumer looks like. */
KMH_EXPORT NTSTATUS IoWMIRegistrationControl(PDEVICE_OBJECT DeviceObject, ULONG Action)
{
    (void)DeviceObject;
    if (Action < WMIREG_ACTION_REGISTER || Action > WMIREG_ACTION_BLOCK_IRPS)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}
