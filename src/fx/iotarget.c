/*
 * WDFIOTARGET: where requests go. The default (local) target is the
 * device's lower stack; remote targets are opened by device object or by
 * name and follow their device's removal through target-device PnP
 * notifications (EvtIoTargetQueryRemove/RemoveCanceled/RemoveComplete,
 * or by default: close for the query, reopen if it is cancelled, close
 * when the device is gone).
 *
 * States, as KMDF has them: Started (requests go), Stopped (they wait in
 * the target), Purged (they fail), ClosedForQueryRemove, Closed, Deleted.
 * Requests at the target are on target->sent; those a stop holds on
 * target->waiting. Sending lives in iotarget_send.c.
 */
#include "fx/fx.h"
#include "fx/fxio.h"
#include <wdmguid.h>

#include <stdlib.h>

static LIST_ENTRY all_targets = { &all_targets, &all_targets };
static pthread_mutex_t all_targets_lock = PTHREAD_MUTEX_INITIALIZER;

CCHAR fx_io_target_stack_size(const struct fx_io_target *target)
{
    return target->target_device ? target->target_device->StackSize : 1;
}

/* State changes happen under the target lock: senders read it there. */
static void target_set_state(struct fx_io_target *target, WDF_IO_TARGET_STATE state)
{
    KIRQL irql;
    KeAcquireSpinLock(&target->lock, &irql);
    target->state = state;
    KeReleaseSpinLock(&target->lock, irql);
}

static WDF_IO_TARGET_STATE ddi_target_state(struct fx_io_target *target)
{
    KIRQL irql;
    KeAcquireSpinLock(&target->lock, &irql);
    WDF_IO_TARGET_STATE state = target->state;
    KeReleaseSpinLock(&target->lock, irql);
    return state;
}

/* Moves to state if the target is in one of from (a 0-terminated list). */
static void target_move_state(struct fx_io_target *target, const WDF_IO_TARGET_STATE *from, WDF_IO_TARGET_STATE state)
{
    KIRQL irql;
    KeAcquireSpinLock(&target->lock, &irql);
    for (; *from; from++)
        if (target->state == *from)
            target->state = state;
    KeReleaseSpinLock(&target->lock, irql);
}

static void target_release_device(struct fx_io_target *target);
static void target_drain(struct fx_io_target *target, bool cancel_sent, bool all);

static void target_dispose(struct fx_object *object)
{
    struct fx_io_target *target = (struct fx_io_target *)object;

    target_set_state(target, WdfIoTargetDeleted);
    target_drain(target, true, true);
    if (target->notification) {
        IoUnregisterPlugPlayNotification(target->notification);
        target->notification = NULL;
    }
    target_release_device(target);
    pthread_mutex_lock(&all_targets_lock);
    RemoveEntryList(&target->all_link);
    InitializeListHead(&target->all_link);
    pthread_mutex_unlock(&all_targets_lock);
}

static void target_destroy(struct fx_object *object)
{
    struct fx_io_target *target = (struct fx_io_target *)object;
    free(target->open.TargetDeviceName.Buffer);
    target->open.TargetDeviceName.Buffer = NULL;
}

const struct fx_type_ops fx_ops_iotarget = {
    .name = "WDFIOTARGET",
    .driver_may_delete = true,
    .cleanup_at_passive = true,
    .dispose = target_dispose,
    .destroy = target_destroy,
};

static struct fx_io_target *target_new(struct fx_device *device, PWDF_OBJECT_ATTRIBUTES attributes, NTSTATUS *status)
{
    struct fx_io_target *target = fx_object_new(device->object.globals, FX_TYPE_IOTARGET, sizeof(*target),
                                                attributes, &device->object, status);
    if (!target)
        return NULL;
    target->device = device;
    target->state = WdfIoTargetClosed;
    KeInitializeSpinLock(&target->lock);
    InitializeListHead(&target->sent);
    InitializeListHead(&target->waiting);
    KeInitializeEvent(&target->idle, NotificationEvent, TRUE);
    pthread_mutex_lock(&all_targets_lock);
    InsertTailList(&all_targets, &target->all_link);
    pthread_mutex_unlock(&all_targets_lock);
    return target;
}

NTSTATUS fx_io_target_new_default(struct fx_device *device, struct fx_io_target **out)
{
    NTSTATUS status;
    struct fx_io_target *target = target_new(device, NULL, &status);

    *out = target;
    if (!target)
        return status;
    target->local = true;
    target->target_device = device->attached_to;
    target->target_pdo = device->pdo;
    target->state = device->attached_to ? WdfIoTargetStarted : WdfIoTargetClosed;
    return STATUS_SUCCESS;
}

/* WdfIoTargetCreate: a remote target of the device, closed until
 * WdfIoTargetOpen. STATUS_INVALID_PARAMETER, STATUS_INSUFFICIENT_RESOURCES,
 * STATUS_WDF_*_INVALID. PASSIVE_LEVEL. */
static NTSTATUS ddi_io_target_create(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PWDF_OBJECT_ATTRIBUTES IoTargetAttributes,
                                     WDFIOTARGET *IoTarget)
{
    (void)g;
    struct fx_device *device = FX_LOOKUP(fx_device, FX_TYPE_DEVICE, Device, "WdfIoTargetCreate");
    NTSTATUS status;

    if (IoTarget)
        *IoTarget = NULL;
    if (!device || !IoTarget)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(IoTargetAttributes, false, "WdfIoTargetCreate")))
        return status;
    struct fx_io_target *target = target_new(device, IoTargetAttributes, &status);
    if (target)
        *IoTarget = (WDFIOTARGET)target->object.handle;
    return status;
}
FX_EXPORT(WdfIoTargetCreate, PFN_WDFIOTARGETCREATE, ddi_io_target_create);

/* --- Draining ----------------------------------------------------------------------- */
void fx_io_target_unlink_locked(struct fx_io_target *target, struct fx_request *request)
{
    struct fx_request_send *s = &request->send;
    if (s->where == FX_SEND_NONE)
        return;
    RemoveEntryList(&s->target_link);
    InitializeListHead(&s->target_link);
    s->where = FX_SEND_NONE;
    if (s->counted && --target->sent_count == 0)
        KeSetEvent(&target->idle, IO_NO_INCREMENT, FALSE);
    s->counted = false;
}

/* Held requests fail with STATUS_CANCELLED, as if cancelled at the target. */
static void target_fail_waiting(struct fx_io_target *target)
{
    for (;;) {
        KIRQL irql;
        KeAcquireSpinLock(&target->lock, &irql);
        struct fx_request *request = IsListEmpty(&target->waiting)
                                         ? NULL
                                         : CONTAINING_RECORD(target->waiting.Flink, struct fx_request,
                                                             send.target_link);
        if (request)
            fx_io_target_unlink_locked(target, request);
        KeReleaseSpinLock(&target->lock, irql);
        if (!request)
            return;
        request->irp->IoStatus.Status = STATUS_CANCELLED;
        request->irp->IoStatus.Information = 0;
        if (atomic_fetch_sub(&request->send.refs, 1) == 1)
            fx_request_send_done(request);
    }
}

/* Cancels what is at the target: the counted requests, or all of them. */
static void target_cancel_sent(struct fx_io_target *target, bool all)
{
    size_t count = 0, capacity;
    struct fx_request **list;
    KIRQL irql;

    KeAcquireSpinLock(&target->lock, &irql);
    capacity = target->sent_count + 8;
    KeReleaseSpinLock(&target->lock, irql);
    if (!(list = malloc(capacity * sizeof(*list))))
        return;
    KeAcquireSpinLock(&target->lock, &irql);
    for (PLIST_ENTRY e = target->sent.Flink; e != &target->sent && count < capacity; e = e->Flink) {
        struct fx_request *request = CONTAINING_RECORD(e, struct fx_request, send.target_link);
        if (!all && !request->send.counted)
            continue;
        atomic_fetch_add(&request->send.refs, 1);
        list[count++] = request;
    }
    KeReleaseSpinLock(&target->lock, irql);
    for (size_t i = 0; i < count; i++) {
        IoCancelIrp(list[i]->irp);
        if (atomic_fetch_sub(&list[i]->send.refs, 1) == 1)
            fx_request_send_done(list[i]);
    }
    free(list);
}

static void target_wait_idle(struct fx_io_target *target)
{
    KeWaitForSingleObject(&target->idle, Executive, KernelMode, FALSE, NULL);
}

/* Everything held fails; sent I/O is cancelled if asked, then awaited. */
static void target_drain(struct fx_io_target *target, bool cancel_sent, bool all)
{
    target_fail_waiting(target);
    if (cancel_sent)
        target_cancel_sent(target, all);
    target_wait_idle(target);
}

/* --- Opening and closing ------------------------------------------------------------- */
static void target_release_device(struct fx_io_target *target)
{
    if (target->local)
        return;
    if (target->file_handle) {
        ZwClose(target->file_handle); /* IRP_MJ_CLEANUP */
        target->file_handle = NULL;
    }
    if (target->file) {
        ObfDereferenceObject(target->file); /* IRP_MJ_CLOSE when it was the last */
        target->file = NULL;
    }
    if (target->owns_device_ref && target->target_device)
        ObfDereferenceObject(target->target_device);
    if (target->target_pdo)
        ObfDereferenceObject(target->target_pdo);
    target->owns_device_ref = false;
    target->target_device = NULL;
    target->target_pdo = NULL;
}

static NTSTATUS target_change(PVOID notification, PVOID context);

static void target_watch(struct fx_io_target *target)
{
    PVOID entry = NULL;
    if (target->notification) {
        IoUnregisterPlugPlayNotification(target->notification);
        target->notification = NULL;
    }
    if (target->file && NT_SUCCESS(IoRegisterPlugPlayNotification(EventCategoryTargetDeviceChange, 0, target->file,
                                                                  target->object.globals->wdm_driver, target_change,
                                                                  target, &entry)))
        target->notification = entry;
}

static NTSTATUS open_existing(struct fx_io_target *target, const WDF_IO_TARGET_OPEN_PARAMS *params)
{
    if (!params->TargetDeviceObject)
        return STATUS_INVALID_PARAMETER;
    if (params->TargetFileObject && params->TargetFileObject->DeviceObject &&
        IoGetRelatedDeviceObject(params->TargetFileObject) != io_device_stack_top(params->TargetDeviceObject))
        return STATUS_NO_SUCH_DEVICE;
    ObfReferenceObject(params->TargetDeviceObject);
    target->target_device = params->TargetDeviceObject;
    target->owns_device_ref = true;
    if ((target->file = params->TargetFileObject))
        ObfReferenceObject(target->file);
    target->target_pdo = IoGetDeviceAttachmentBaseRef(params->TargetDeviceObject);
    return STATUS_SUCCESS;
}

static NTSTATUS open_by_name(struct fx_io_target *target, PWDF_IO_TARGET_OPEN_PARAMS params)
{
    struct io_open_params open = {
        .desired_access = params->DesiredAccess,
        .share_access = params->ShareAccess,
        .disposition = params->CreateDisposition,
        .options = params->CreateOptions,
        .attributes = params->FileAttributes,
        .mode = KernelMode,
    };
    PFILE_OBJECT file;
    HANDLE handle;

    NTSTATUS status = io_open_file(&params->TargetDeviceName, &open, &file);
    if (!NT_SUCCESS(status))
        return status;
    if (!NT_SUCCESS(status = ObOpenObjectByPointer(file, OBJ_KERNEL_HANDLE, NULL, params->DesiredAccess, NULL,
                                                   KernelMode, &handle))) {
        ObfDereferenceObject(file);
        return status;
    }
    target->file = file;
    target->file_handle = handle;
    target->target_device = IoGetRelatedDeviceObject(file);
    target->target_pdo = IoGetDeviceAttachmentBaseRef(file->DeviceObject);
    params->FileInformation = FILE_OPENED;
    return STATUS_SUCCESS;
}

/* What a reopen needs: the parameters, the name copied. */
static NTSTATUS remember_params(struct fx_io_target *target, const WDF_IO_TARGET_OPEN_PARAMS *params)
{
    WCHAR *name = NULL;
    USHORT length = params->Type == WdfIoTargetOpenByName ? params->TargetDeviceName.Length : 0;

    if (length && !(name = malloc(length)))
        return STATUS_INSUFFICIENT_RESOURCES;
    if (length)
        memcpy(name, params->TargetDeviceName.Buffer, length);
    free(target->open.TargetDeviceName.Buffer);
    target->open = *params;
    target->open.TargetDeviceName.Buffer = name;
    target->open.TargetDeviceName.MaximumLength = length;
    return STATUS_SUCCESS;
}

static NTSTATUS target_open(struct fx_io_target *target, PWDF_IO_TARGET_OPEN_PARAMS params)
{
    bool reopen = params->Type == WdfIoTargetOpenReopen;
    WDF_IO_TARGET_OPEN_PARAMS effective = reopen ? target->open : *params;
    NTSTATUS status;

    if (reopen && effective.Type == WdfIoTargetOpenUndefined)
        return STATUS_INVALID_DEVICE_STATE;
    if (!reopen && !NT_SUCCESS(status = remember_params(target, params)))
        return status;
    switch (effective.Type) {
    case WdfIoTargetOpenUseExistingDevice:
        status = open_existing(target, &effective);
        break;
    case WdfIoTargetOpenByName:
        status = open_by_name(target, &effective);
        params->FileInformation = effective.FileInformation;
        break;
    default:
        status = STATUS_INVALID_PARAMETER;
        break;
    }
    if (!NT_SUCCESS(status))
        return status;
    target_watch(target);
    target_set_state(target, WdfIoTargetStarted);
    return STATUS_SUCCESS;
}

/* WdfIoTargetOpen: opens a remote target by device object, by name, or
 * again after a query-remove closed it; it is started once open.
 * STATUS_INVALID_DEVICE_STATE (open already, or the default target),
 * STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_PARAMETER, STATUS_NO_SUCH_DEVICE,
 * the open's own failure (STATUS_OBJECT_NAME_NOT_FOUND...). PASSIVE_LEVEL. */
static NTSTATUS ddi_io_target_open(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, PWDF_IO_TARGET_OPEN_PARAMS OpenParams)
{
    (void)g;
    struct fx_io_target *target = FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, IoTarget, "WdfIoTargetOpen");

    if (!target || !OpenParams)
        return STATUS_INVALID_PARAMETER;
    if (!fx_check_irql(PASSIVE_LEVEL, "WdfIoTargetOpen"))
        return STATUS_INVALID_DEVICE_REQUEST;
    if (OpenParams->Size != sizeof(*OpenParams))
        return STATUS_INFO_LENGTH_MISMATCH;
    WDF_IO_TARGET_STATE state = ddi_target_state(target);
    if (target->local || (state != WdfIoTargetClosed && state != WdfIoTargetClosedForQueryRemove))
        return STATUS_INVALID_DEVICE_STATE;
    return target_open(target, OpenParams);
}
FX_EXPORT(WdfIoTargetOpen, PFN_WDFIOTARGETOPEN, ddi_io_target_open);

static void target_close(struct fx_io_target *target, WDF_IO_TARGET_STATE state, bool unwatch)
{
    target_set_state(target, state);
    target_drain(target, true, true);
    if (unwatch && target->notification) {
        IoUnregisterPlugPlayNotification(target->notification);
        target->notification = NULL;
    }
    target_release_device(target);
}

/* WdfIoTargetClose: cancels what was sent, waits for it, and closes the
 * target (it may be opened again). PASSIVE_LEVEL. */
static void ddi_io_target_close(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_io_target *target = FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, IoTarget, "WdfIoTargetClose");
    if (target && fx_check_irql(PASSIVE_LEVEL, "WdfIoTargetClose") && !target->local)
        target_close(target, WdfIoTargetClosed, true);
}
FX_EXPORT(WdfIoTargetClose, PFN_WDFIOTARGETCLOSE, ddi_io_target_close);

/* WdfIoTargetCloseForQueryRemove: closes the target's handle so its device
 * can go, but keeps watching it (for RemoveCanceled/RemoveComplete).
 * PASSIVE_LEVEL. */
static void ddi_io_target_close_for_query_remove(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_io_target *target = FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, IoTarget, "WdfIoTargetCloseForQueryRemove");
    if (target && fx_check_irql(PASSIVE_LEVEL, "WdfIoTargetCloseForQueryRemove") && !target->local)
        target_close(target, WdfIoTargetClosedForQueryRemove, false);
}
FX_EXPORT(WdfIoTargetCloseForQueryRemove, PFN_WDFIOTARGETCLOSEFORQUERYREMOVE, ddi_io_target_close_for_query_remove);

/* Target-device notifications for an opened file: the driver's callbacks,
 * or what KMDF does without them. */
static NTSTATUS target_change(PVOID notification, PVOID context)
{
    PTARGET_DEVICE_REMOVAL_NOTIFICATION n = notification;
    struct fx_io_target *target = context;
    WDFIOTARGET handle = (WDFIOTARGET)target->object.handle;

    if (IsEqualGUID(&n->Event, &GUID_TARGET_DEVICE_QUERY_REMOVE)) {
        if (target->open.EvtIoTargetQueryRemove)
            return target->open.EvtIoTargetQueryRemove(handle);
        target_close(target, WdfIoTargetClosedForQueryRemove, false);
    } else if (IsEqualGUID(&n->Event, &GUID_TARGET_DEVICE_REMOVE_CANCELLED)) {
        WDF_IO_TARGET_OPEN_PARAMS reopen;
        if (target->open.EvtIoTargetRemoveCanceled) {
            target->open.EvtIoTargetRemoveCanceled(handle);
            return STATUS_SUCCESS;
        }
        memset(&reopen, 0, sizeof(reopen));
        reopen.Size = sizeof(reopen);
        reopen.Type = WdfIoTargetOpenReopen;
        if (ddi_target_state(target) == WdfIoTargetClosedForQueryRemove)
            (void)target_open(target, &reopen);
    } else if (IsEqualGUID(&n->Event, &GUID_TARGET_DEVICE_REMOVE_COMPLETE)) {
        if (target->open.EvtIoTargetRemoveComplete)
            target->open.EvtIoTargetRemoveComplete(handle);
        else
            target_close(target, WdfIoTargetClosed, true);
    }
    return STATUS_SUCCESS;
}

/* --- Start, stop, purge ----------------------------------------------------------------- */
/* Sends what a stop held. */
static void target_release_waiting(struct fx_io_target *target)
{
    for (;;) {
        KIRQL irql;
        KeAcquireSpinLock(&target->lock, &irql);
        struct fx_request *request = IsListEmpty(&target->waiting) || target->state != WdfIoTargetStarted
                                         ? NULL
                                         : CONTAINING_RECORD(target->waiting.Flink, struct fx_request,
                                                             send.target_link);
        if (request) {
            RemoveEntryList(&request->send.target_link);
            InsertTailList(&target->sent, &request->send.target_link);
            request->send.where = FX_SEND_SENT;
        }
        KeReleaseSpinLock(&target->lock, irql);
        if (!request)
            return;
        (void)IoCallDriver(target->target_device, request->irp);
    }
}

/* WdfIoTargetStart: requests go to the target again (held ones first).
 * STATUS_INVALID_DEVICE_STATE for a closed or deleted target.
 * IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_io_target_start(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_io_target *target = FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, IoTarget, "WdfIoTargetStart");
    if (!target)
        return STATUS_INVALID_PARAMETER;
    static const WDF_IO_TARGET_STATE startable[] = { WdfIoTargetStarted, WdfIoTargetStopped, WdfIoTargetPurged, 0 };
    target_move_state(target, startable, WdfIoTargetStarted);
    if (ddi_target_state(target) != WdfIoTargetStarted)
        return STATUS_INVALID_DEVICE_STATE;
    target_release_waiting(target);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfIoTargetStart, PFN_WDFIOTARGETSTART, ddi_io_target_start);

/* WdfIoTargetStop: new requests wait in the target; what was sent is
 * cancelled and awaited, awaited, or left, as Action says (requests sent
 * ignoring the target state are left alone). PASSIVE_LEVEL unless the
 * action is WdfIoTargetLeaveSentIoPending. */
static void ddi_io_target_stop(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, WDF_IO_TARGET_SENT_IO_ACTION Action)
{
    (void)g;
    struct fx_io_target *target = FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, IoTarget, "WdfIoTargetStop");
    if (!target)
        return;
    if (Action != WdfIoTargetLeaveSentIoPending && !fx_check_irql(PASSIVE_LEVEL, "WdfIoTargetStop"))
        return;
    static const WDF_IO_TARGET_STATE stoppable[] = { WdfIoTargetStarted, WdfIoTargetPurged, 0 };
    target_move_state(target, stoppable, WdfIoTargetStopped);
    if (Action == WdfIoTargetCancelSentIo)
        target_cancel_sent(target, false);
    if (Action != WdfIoTargetLeaveSentIoPending)
        target_wait_idle(target);
}
FX_EXPORT(WdfIoTargetStop, PFN_WDFIOTARGETSTOP, ddi_io_target_stop);

/* WdfIoTargetPurge: new requests fail, held ones are cancelled, sent ones
 * cancelled (and awaited with WdfIoTargetPurgeIoAndWait). */
static void ddi_io_target_purge(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, WDF_IO_TARGET_PURGE_IO_ACTION Action)
{
    (void)g;
    struct fx_io_target *target = FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, IoTarget, "WdfIoTargetPurge");
    if (!target)
        return;
    static const WDF_IO_TARGET_STATE purgeable[] = { WdfIoTargetStarted, WdfIoTargetStopped, 0 };
    target_move_state(target, purgeable, WdfIoTargetPurged);
    target_fail_waiting(target);
    target_cancel_sent(target, false);
    if (Action == WdfIoTargetPurgeIoAndWait && fx_check_irql(PASSIVE_LEVEL, "WdfIoTargetPurge"))
        target_wait_idle(target);
}
FX_EXPORT(WdfIoTargetPurge, PFN_WDFIOTARGETPURGE, ddi_io_target_purge);

void fx_io_targets_stop_all(struct fx_device *device, bool remove)
{
    struct fx_io_target *list[64];
    size_t count;

    do {
        count = 0;
        pthread_mutex_lock(&all_targets_lock);
        for (PLIST_ENTRY e = all_targets.Flink; e != &all_targets && count < 64; e = e->Flink) {
            struct fx_io_target *t = CONTAINING_RECORD(e, struct fx_io_target, all_link);
            WDF_IO_TARGET_STATE state = ddi_target_state(t);
            bool due = remove ? state != WdfIoTargetClosed && state != WdfIoTargetDeleted
                              : state == WdfIoTargetStarted;
            if (t->device == device && due) {
                fx_object_ref(&t->object);
                list[count++] = t;
            }
        }
        pthread_mutex_unlock(&all_targets_lock);
        for (size_t i = 0; i < count; i++) {
            if (!remove) {
                target_set_state(list[i], WdfIoTargetStopped);
                target_wait_idle(list[i]);
            } else {
                target_close(list[i], list[i]->local ? WdfIoTargetDeleted : WdfIoTargetClosed, true);
            }
            fx_object_unref(&list[i]->object);
        }
    } while (count == 64);
}

/* --- Queries --------------------------------------------------------------------------------- */
static struct fx_io_target *target_lookup(WDFIOTARGET handle, const char *ddi)
{
    return FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, handle, ddi);
}

/* WdfIoTargetGetState: the target's WDF_IO_TARGET_STATE. */
static WDF_IO_TARGET_STATE ddi_io_target_get_state(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_io_target *target = target_lookup(IoTarget, "WdfIoTargetGetState");
    return target ? ddi_target_state(target) : WdfIoTargetStateUndefined;
}
FX_EXPORT(WdfIoTargetGetState, PFN_WDFIOTARGETGETSTATE, ddi_io_target_get_state);

/* WdfIoTargetGetDevice: the device the target belongs to. */
static WDFDEVICE ddi_io_target_get_device(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_io_target *target = target_lookup(IoTarget, "WdfIoTargetGetDevice");
    return target ? (WDFDEVICE)target->device->object.handle : NULL;
}
FX_EXPORT(WdfIoTargetGetDevice, PFN_WDFIOTARGETGETDEVICE, ddi_io_target_get_device);

/* WdfIoTargetWdmGetTargetDeviceObject: where the target sends IRPs. */
static PDEVICE_OBJECT ddi_io_target_wdm_get_target_device_object(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_io_target *target = target_lookup(IoTarget, "WdfIoTargetWdmGetTargetDeviceObject");
    return target ? target->target_device : NULL;
}
FX_EXPORT(WdfIoTargetWdmGetTargetDeviceObject, PFN_WDFIOTARGETWDMGETTARGETDEVICEOBJECT,
          ddi_io_target_wdm_get_target_device_object);

/* WdfIoTargetWdmGetTargetPhysicalDevice: the PDO of the target's stack. */
static PDEVICE_OBJECT ddi_io_target_wdm_get_target_physical_device(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_io_target *target = target_lookup(IoTarget, "WdfIoTargetWdmGetTargetPhysicalDevice");
    return target ? target->target_pdo : NULL;
}
FX_EXPORT(WdfIoTargetWdmGetTargetPhysicalDevice, PFN_WDFIOTARGETWDMGETTARGETPHYSICALDEVICE,
          ddi_io_target_wdm_get_target_physical_device);

/* WdfIoTargetWdmGetTargetFileObject: the file object of a remote target. */
static PFILE_OBJECT ddi_io_target_wdm_get_target_file_object(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_io_target *target = target_lookup(IoTarget, "WdfIoTargetWdmGetTargetFileObject");
    return target ? target->file : NULL;
}
FX_EXPORT(WdfIoTargetWdmGetTargetFileObject, PFN_WDFIOTARGETWDMGETTARGETFILEOBJECT,
          ddi_io_target_wdm_get_target_file_object);

/* WdfIoTargetWdmGetTargetFileHandle: the handle of a target opened by name. */
static HANDLE ddi_io_target_wdm_get_target_file_handle(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget)
{
    (void)g;
    struct fx_io_target *target = target_lookup(IoTarget, "WdfIoTargetWdmGetTargetFileHandle");
    return target ? target->file_handle : NULL;
}
FX_EXPORT(WdfIoTargetWdmGetTargetFileHandle, PFN_WDFIOTARGETWDMGETTARGETFILEHANDLE,
          ddi_io_target_wdm_get_target_file_handle);

/* WdfIoTargetQueryTargetProperty: IoGetDeviceProperty on the target's PDO.
 * Its statuses; STATUS_INVALID_DEVICE_STATE without a PDO. PASSIVE_LEVEL. */
static NTSTATUS ddi_io_target_query_target_property(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget,
                                                    DEVICE_REGISTRY_PROPERTY DeviceProperty, ULONG BufferLength,
                                                    PVOID PropertyBuffer, PULONG ResultLength)
{
    (void)g;
    struct fx_io_target *target = target_lookup(IoTarget, "WdfIoTargetQueryTargetProperty");
    if (!target || !ResultLength)
        return STATUS_INVALID_PARAMETER;
    if (!target->target_pdo)
        return STATUS_INVALID_DEVICE_STATE;
    return IoGetDeviceProperty(target->target_pdo, DeviceProperty, BufferLength, PropertyBuffer, ResultLength);
}
FX_EXPORT(WdfIoTargetQueryTargetProperty, PFN_WDFIOTARGETQUERYTARGETPROPERTY, ddi_io_target_query_target_property);

/* WdfIoTargetAllocAndQueryTargetProperty: the property in a new WDFMEMORY
 * of the right size. Statuses as above, plus STATUS_INSUFFICIENT_RESOURCES.
 * PASSIVE_LEVEL. */
static NTSTATUS ddi_io_target_alloc_and_query_target_property(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget,
                                                              DEVICE_REGISTRY_PROPERTY DeviceProperty,
                                                              POOL_TYPE PoolType,
                                                              PWDF_OBJECT_ATTRIBUTES PropertyMemoryAttributes,
                                                              WDFMEMORY *PropertyMemory)
{
    struct fx_io_target *target = target_lookup(IoTarget, "WdfIoTargetAllocAndQueryTargetProperty");
    ULONG length = 0;
    void *buffer;

    if (PropertyMemory)
        *PropertyMemory = NULL;
    if (!target || !PropertyMemory)
        return STATUS_INVALID_PARAMETER;
    if (!target->target_pdo)
        return STATUS_INVALID_DEVICE_STATE;
    NTSTATUS status = IoGetDeviceProperty(target->target_pdo, DeviceProperty, 0, NULL, &length);
    if (status != STATUS_BUFFER_TOO_SMALL)
        return NT_SUCCESS(status) ? STATUS_UNSUCCESSFUL : status;
    if (!NT_SUCCESS(status = fx_memory_new_pool(fx_globals_of(g), PropertyMemoryAttributes, PoolType, 0, length,
                                                PropertyMemory, &buffer)))
        return status;
    status = IoGetDeviceProperty(target->target_pdo, DeviceProperty, length, buffer, &length);
    if (!NT_SUCCESS(status)) {
        WDFMEMORY memory = *PropertyMemory;
        *PropertyMemory = NULL;
        fx_object_delete(fx_handle_object(memory, FX_TYPE_MEMORY, "WdfIoTargetAllocAndQueryTargetProperty"));
    }
    return status;
}
FX_EXPORT(WdfIoTargetAllocAndQueryTargetProperty, PFN_WDFIOTARGETALLOCANDQUERYTARGETPROPERTY,
          ddi_io_target_alloc_and_query_target_property);

/* WdfIoTargetQueryForInterface: IRP_MN_QUERY_INTERFACE to the target's
 * stack, as a driver would send it. The stack's answer
 * (STATUS_NOT_SUPPORTED when nobody knows the interface),
 * STATUS_INVALID_DEVICE_STATE (closed), STATUS_INVALID_PARAMETER,
 * STATUS_INSUFFICIENT_RESOURCES. PASSIVE_LEVEL. */
static NTSTATUS ddi_io_target_query_for_interface(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, LPCGUID InterfaceType,
                                                  PINTERFACE Interface, USHORT Size, USHORT Version,
                                                  PVOID InterfaceSpecificData)
{
    (void)g;
    struct fx_io_target *target = target_lookup(IoTarget, "WdfIoTargetQueryForInterface");
    if (!target || !InterfaceType || !Interface)
        return STATUS_INVALID_PARAMETER;
    if (!fx_check_irql(PASSIVE_LEVEL, "WdfIoTargetQueryForInterface"))
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!target->target_device)
        return STATUS_INVALID_DEVICE_STATE;
    PIRP irp = io_build_pnp_irp(target->target_device, IRP_MJ_PNP, IRP_MN_QUERY_INTERFACE);
    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->Parameters.QueryInterface.InterfaceType = InterfaceType;
    sp->Parameters.QueryInterface.Size = Size;
    sp->Parameters.QueryInterface.Version = Version;
    sp->Parameters.QueryInterface.Interface = Interface;
    sp->Parameters.QueryInterface.InterfaceSpecificData = InterfaceSpecificData;
    sp->FileObject = target->file;
    return io_call_and_wait(target->target_device, irp, NULL);
}
FX_EXPORT(WdfIoTargetQueryForInterface, PFN_WDFIOTARGETQUERYFORINTERFACE, ddi_io_target_query_for_interface);
