/*
 * WDFFILEOBJECT: the framework's object for each FILE_OBJECT opened on a
 * device (unless the device's FileObjectClass is WdfFileObjectNotRequired,
 * the default without WdfDeviceInitSetFileObjectConfig), and the create,
 * cleanup and close IRPs around it:
 *   IRP_MJ_CREATE  file object made (the config's attributes, parent the
 *                  device); EvtDeviceFileCreate gets a WDFREQUEST it must
 *                  complete (a failure deletes the file object), or the
 *                  create queue gets it (WdfDeviceConfigureRequestDispatching),
 *                  or the framework completes it with STATUS_SUCCESS (a
 *                  filter forwards it instead, AutoForwardCleanupClose).
 *   IRP_MJ_CLEANUP EvtFileCleanup; completed (or forwarded) by the framework.
 *   IRP_MJ_CLOSE   EvtFileClose, then the file object is deleted; completed
 *                  (or forwarded) by the framework.
 * The callbacks run at PASSIVE_LEVEL, in the opener's thread, under the
 * device's lock when the file objects' scope is the device.
 */
#include "fx/device_private.h"

struct fx_file_object {
    struct fx_object object;
    LIST_ENTRY link;                         /* struct fx_pnp.files, under its lock */
    struct fx_device *device;
    PFILE_OBJECT file;
    ULONG initiator_pid;
};

static void file_object_dispose(struct fx_object *object)
{
    struct fx_file_object *f = (struct fx_file_object *)object;
    struct fx_pnp *pnp = fx_pnp_of(f->device);

    pthread_mutex_lock(&pnp->lock);
    RemoveEntryList(&f->link);
    InitializeListHead(&f->link);
    pthread_mutex_unlock(&pnp->lock);
    if (f->file && f->file->FsContext == f)
        f->file->FsContext = NULL;
    if (f->file && f->file->FsContext2 == f)
        f->file->FsContext2 = NULL;
}

const struct fx_type_ops fx_ops_fileobject = {
    .name = "WDFFILEOBJECT",
    .driver_may_delete = false,
    .cleanup_at_passive = true,
    .dispose = file_object_dispose,
};

static ULONG file_class(struct fx_device *device)
{
    if (!device->has_file_config)
        return WdfFileObjectNotRequired;
    return (ULONG)device->file_config.FileObjectClass & ~(ULONG)WdfFileObjectCanBeOptional;
}

/* Cleanup and close go down from filters, and wherever the driver asked. */
static bool forwards_files(struct fx_device *device)
{
    WDF_TRI_STATE f = device->has_file_config ? device->file_config.AutoForwardCleanupClose : WdfUseDefault;
    if (!fx_device_has_lower(device))
        return false;
    return f == WdfTrue || (f == WdfUseDefault && device->kind == FX_DEVICE_FILTER);
}

static struct fx_file_object *file_object_find(struct fx_device *device, PFILE_OBJECT file)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    struct fx_file_object *found = NULL;

    if (!file)
        return NULL;
    pthread_mutex_lock(&pnp->lock);
    for (PLIST_ENTRY e = pnp->files.Flink; e != &pnp->files; e = e->Flink) {
        struct fx_file_object *f = CONTAINING_RECORD(e, struct fx_file_object, link);
        if (f->file == file) {
            found = f;
            break;
        }
    }
    pthread_mutex_unlock(&pnp->lock);
    return found;
}

WDFFILEOBJECT fx_file_object_of(struct fx_device *device, PFILE_OBJECT file)
{
    struct fx_file_object *f = file_object_find(device, file);
    return f ? (WDFFILEOBJECT)f->object.handle : NULL;
}

static struct fx_file_object *file_object_new(struct fx_device *device, PIRP irp, NTSTATUS *status)
{
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(irp)->FileObject;
    PWDF_OBJECT_ATTRIBUTES attributes = device->file_attributes.Size ? &device->file_attributes : NULL;
    WDF_OBJECT_ATTRIBUTES a;

    /* The parent is always the device, whatever the attributes say. */
    if (attributes) {
        a = *attributes;
        a.ParentObject = NULL;
        attributes = &a;
    }
    struct fx_file_object *f = fx_object_new(device->object.globals, FX_TYPE_FILEOBJECT, sizeof(*f), attributes,
                                             &device->object, status);
    if (!f)
        return NULL;
    f->device = device;
    f->file = file;
    f->initiator_pid = IoGetRequestorProcessId(irp);
    ULONG class = file_class(device);
    if (class == WdfFileObjectWdfCanUseFsContext)
        file->FsContext = f;
    else if (class == WdfFileObjectWdfCanUseFsContext2)
        file->FsContext2 = f;
    struct fx_pnp *pnp = fx_pnp_of(device);
    pthread_mutex_lock(&pnp->lock);
    InsertTailList(&pnp->files, &f->link);
    pthread_mutex_unlock(&pnp->lock);
    return f;
}

void fx_file_objects_release(struct fx_device *device)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    for (;;) {
        pthread_mutex_lock(&pnp->lock);
        struct fx_file_object *f = IsListEmpty(&pnp->files)
                                       ? NULL
                                       : CONTAINING_RECORD(pnp->files.Flink, struct fx_file_object, link);
        pthread_mutex_unlock(&pnp->lock);
        if (!f)
            return;
        fx_object_delete(&f->object);
    }
}

void fx_file_create_completed(struct fx_device *device, PIRP irp, NTSTATUS status)
{
    if (NT_SUCCESS(status))
        return;
    struct fx_file_object *f = file_object_find(device, IoGetCurrentIrpStackLocation(irp)->FileObject);
    if (f)
        fx_object_delete(&f->object);
}

/* --- IRPs ---------------------------------------------------------------------- */
static IO_COMPLETION_ROUTINE create_forwarded;

static NTSTATUS create_forwarded(PDEVICE_OBJECT wdm, PIRP irp, PVOID context)
{
    (void)wdm;
    if (irp->PendingReturned)
        IoMarkIrpPending(irp);
    fx_file_create_completed(context, irp, irp->IoStatus.Status);
    return STATUS_SUCCESS; /* continue completion */
}

static NTSTATUS create_forward(struct fx_device *device, PIRP irp)
{
    IoCopyCurrentIrpStackLocationToNext(irp);
    IoSetCompletionRoutine(irp, create_forwarded, device, TRUE, TRUE, TRUE);
    return IoCallDriver(device->attached_to, irp);
}

static void call_locked(struct fx_object *object, void (*fn)(WDFFILEOBJECT), WDFFILEOBJECT handle)
{
    struct fx_callback_lock *lock = fx_object_callback_lock(object);
    if (lock)
        fx_callback_lock_acquire(lock);
    fn(handle);
    if (lock)
        fx_callback_lock_release(lock);
}

static NTSTATUS create_to_driver(struct fx_device *device, PIRP irp, struct fx_file_object *f)
{
    NTSTATUS status;
    struct fx_request *request = fx_request_from_irp(device, irp, &status);
    if (!request) {
        if (f)
            fx_object_delete(&f->object);
        return fx_dispatch_complete(irp, status, 0);
    }
    struct fx_callback_lock *lock = f ? fx_object_callback_lock(&f->object) : NULL;
    IoMarkIrpPending(irp);
    if (lock)
        fx_callback_lock_acquire(lock);
    device->file_config.EvtDeviceFileCreate(fx_device_handle(device), fx_request_handle(request),
                                            f ? (WDFFILEOBJECT)f->object.handle : NULL);
    if (lock)
        fx_callback_lock_release(lock);
    return STATUS_PENDING;
}

NTSTATUS fx_file_dispatch_create(struct fx_device *device, PIRP irp)
{
    struct fx_file_object *f = NULL;
    NTSTATUS status;

    if (file_class(device) != WdfFileObjectNotRequired && IoGetCurrentIrpStackLocation(irp)->FileObject &&
        !(f = file_object_new(device, irp, &status)))
        return fx_dispatch_complete(irp, status, 0);
    if (device->dispatch_queues[IRP_MJ_CREATE])
        return fx_queue_dispatch_irp(device, irp);
    if (device->has_file_config && device->file_config.EvtDeviceFileCreate)
        return create_to_driver(device, irp, f);
    if (forwards_files(device))
        return create_forward(device, irp);
    return fx_dispatch_complete(irp, STATUS_SUCCESS, 0);
}

NTSTATUS fx_file_dispatch_cleanup_close(struct fx_device *device, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    struct fx_file_object *f = file_object_find(device, sp->FileObject);
    WDF_FILEOBJECT_CONFIG *config = &device->file_config;

    if (f && sp->MajorFunction == IRP_MJ_CLEANUP && config->EvtFileCleanup)
        call_locked(&f->object, config->EvtFileCleanup, (WDFFILEOBJECT)f->object.handle);
    if (f && sp->MajorFunction == IRP_MJ_CLOSE) {
        if (config->EvtFileClose)
            call_locked(&f->object, config->EvtFileClose, (WDFFILEOBJECT)f->object.handle);
        fx_object_delete(&f->object);
    }
    if (forwards_files(device))
        return fx_dispatch_forward(device, irp);
    return fx_dispatch_complete(irp, STATUS_SUCCESS, 0);
}

/* --- Methods ------------------------------------------------------------------ */
static struct fx_file_object *file_lookup(WDFFILEOBJECT handle, const char *ddi)
{
    return FX_LOOKUP(fx_file_object, FX_TYPE_FILEOBJECT, handle, ddi);
}

/* WdfFileObjectGetDevice: the device the file is open on. <= DISPATCH_LEVEL. */
static WDFDEVICE file_object_get_device(PWDF_DRIVER_GLOBALS g, WDFFILEOBJECT FileObject)
{
    (void)g;
    struct fx_file_object *f = file_lookup(FileObject, "WdfFileObjectGetDevice");
    return f ? fx_device_handle(f->device) : NULL;
}
FX_EXPORT(WdfFileObjectGetDevice, PFN_WDFFILEOBJECTGETDEVICE, file_object_get_device);

/* WdfFileObjectGetFileName: what followed the device's name in the path
 * opened (Length 0 for none). PASSIVE_LEVEL. */
static PUNICODE_STRING file_object_get_file_name(PWDF_DRIVER_GLOBALS g, WDFFILEOBJECT FileObject)
{
    (void)g;
    struct fx_file_object *f = file_lookup(FileObject, "WdfFileObjectGetFileName");
    return f && f->file ? &f->file->FileName : NULL;
}
FX_EXPORT(WdfFileObjectGetFileName, PFN_WDFFILEOBJECTGETFILENAME, file_object_get_file_name);

/* WdfFileObjectGetFlags: the FILE_OBJECT's FO_* flags. <= DISPATCH_LEVEL. */
static ULONG file_object_get_flags(PWDF_DRIVER_GLOBALS g, WDFFILEOBJECT FileObject)
{
    (void)g;
    struct fx_file_object *f = file_lookup(FileObject, "WdfFileObjectGetFlags");
    return f && f->file ? f->file->Flags : 0;
}
FX_EXPORT(WdfFileObjectGetFlags, PFN_WDFFILEOBJECTGETFLAGS, file_object_get_flags);

/* WdfFileObjectWdmGetFileObject: the FILE_OBJECT. <= DISPATCH_LEVEL. */
static PFILE_OBJECT file_object_wdm_get_file_object(PWDF_DRIVER_GLOBALS g, WDFFILEOBJECT FileObject)
{
    (void)g;
    struct fx_file_object *f = file_lookup(FileObject, "WdfFileObjectWdmGetFileObject");
    return f ? f->file : NULL;
}
FX_EXPORT(WdfFileObjectWdmGetFileObject, PFN_WDFFILEOBJECTWDMGETFILEOBJECT, file_object_wdm_get_file_object);

/* WdfFileObjectGetInitiatorProcessId: the process that opened the file. PASSIVE_LEVEL. */
static ULONG file_object_get_initiator_process_id(PWDF_DRIVER_GLOBALS g, WDFFILEOBJECT FileObject)
{
    (void)g;
    struct fx_file_object *f = file_lookup(FileObject, "WdfFileObjectGetInitiatorProcessId");
    return f ? f->initiator_pid : 0;
}
FX_EXPORT(WdfFileObjectGetInitiatorProcessId, PFN_WDFFILEOBJECTGETINITIATORPROCESSID,
          file_object_get_initiator_process_id);

/* WdfDeviceGetFileObject: the WDFFILEOBJECT of a FILE_OBJECT open on the
 * device, or NULL. <= DISPATCH_LEVEL. */
static WDFFILEOBJECT device_get_file_object(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PFILE_OBJECT FileObject)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetFileObject");
    return device ? fx_file_object_of(device, FileObject) : NULL;
}
FX_EXPORT(WdfDeviceGetFileObject, PFN_WDFDEVICEGETFILEOBJECT, device_get_file_object);
