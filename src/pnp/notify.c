/*
 * PnP notifications drivers register for with IoRegisterPlugPlayNotification:
 * device interface arrival and removal (asynchronous, on a worker thread),
 * and target-device events for a file object's device (synchronous; a
 * failed query-remove callback vetoes the removal — what KMDF remote I/O
 * targets rely on to close before their target goes).
 */
#include "pnp/pnp_private.h"
#include <wdmguid.h>

#include <stdlib.h>

struct registration {
    LIST_ENTRY link;
    IO_NOTIFICATION_EVENT_CATEGORY category;
    GUID class_guid;                 /* interface changes */
    PFILE_OBJECT file;               /* target-device changes (referenced) */
    PDRIVER_OBJECT driver;           /* referenced: stays loaded while registered */
    PDRIVER_NOTIFICATION_CALLBACK_ROUTINE callback;
    PVOID context;
    LONG refs;                       /* the list's, plus one per callback in flight */
    bool unregistered;
};

static LIST_ENTRY registrations = { &registrations, &registrations };
static pthread_mutex_t notify_lock = PTHREAD_MUTEX_INITIALIZER;

static void registration_unref(struct registration *r)
{
    if (InterlockedDecrement(&r->refs))
        return;
    if (r->file)
        ObfDereferenceObject(r->file);
    if (r->driver)
        ObfDereferenceObject(r->driver);
    free(r);
}

struct interface_event {
    GUID class_guid;
    UNICODE_STRING link;
    bool arrival;
    struct registration *only;       /* deliver to one registration (existing interfaces) */
};

static void deliver_interface(struct registration *r, const struct interface_event *event)
{
    DEVICE_INTERFACE_CHANGE_NOTIFICATION n = {
        .Version = 1,
        .Size = sizeof(n),
        .Event = event->arrival ? GUID_DEVICE_INTERFACE_ARRIVAL : GUID_DEVICE_INTERFACE_REMOVAL,
        .InterfaceClassGuid = event->class_guid,
        .SymbolicLinkName = (PUNICODE_STRING)&event->link,
    };
    r->callback(&n, r->context);
}

/* Calls fn for every live registration matching, from a snapshot taken
 * under the lock, so callbacks run unlocked and may unregister. */
static NTSTATUS for_each_registration(bool (*match)(struct registration *, const void *), const void *arg,
                                      NTSTATUS (*fn)(struct registration *, const void *))
{
    struct registration **snapshot = NULL;
    size_t count = 0, capacity = 0;
    NTSTATUS result = STATUS_SUCCESS;

    pthread_mutex_lock(&notify_lock);
    for (PLIST_ENTRY e = registrations.Flink; e != &registrations; e = e->Flink) {
        struct registration *r = CONTAINING_RECORD(e, struct registration, link);
        if (!match(r, arg))
            continue;
        if (count == capacity) {
            struct registration **bigger = realloc(snapshot, (capacity = capacity * 2 + 8) * sizeof(*snapshot));
            if (!bigger)
                break;
            snapshot = bigger;
        }
        InterlockedIncrement(&r->refs);
        snapshot[count++] = r;
    }
    pthread_mutex_unlock(&notify_lock);
    for (size_t i = 0; i < count; i++) {
        NTSTATUS status = snapshot[i]->unregistered ? STATUS_SUCCESS : fn(snapshot[i], arg);
        if (!NT_SUCCESS(status) && NT_SUCCESS(result))
            result = status;
        registration_unref(snapshot[i]);
    }
    free(snapshot);
    return result;
}

static bool match_interface(struct registration *r, const void *arg)
{
    const struct interface_event *event = arg;
    return r->category == EventCategoryDeviceInterfaceChange && IsEqualGUID(&r->class_guid, &event->class_guid) &&
           (!event->only || event->only == r);
}

static NTSTATUS call_interface(struct registration *r, const void *arg)
{
    deliver_interface(r, arg);
    return STATUS_SUCCESS;
}

static void interface_event_run(void *ctx)
{
    struct interface_event *event = ctx;
    for_each_registration(match_interface, event, call_interface);
    if (event->only)
        registration_unref(event->only);
    free(event->link.Buffer);
    free(event);
}

static void queue_interface_event(const GUID *guid, const UNICODE_STRING *link, bool arrival,
                                  struct registration *only)
{
    struct interface_event *event = calloc(1, sizeof(*event));
    if (!event || !(event->link.Buffer = malloc(link->Length + sizeof(WCHAR)))) {
        free(event);
        return;
    }
    memcpy(event->link.Buffer, link->Buffer, link->Length);
    event->link.Buffer[link->Length / sizeof(WCHAR)] = 0;
    event->link.Length = link->Length;
    event->link.MaximumLength = (USHORT)(link->Length + sizeof(WCHAR));
    event->class_guid = *guid;
    event->arrival = arrival;
    event->only = only;
    if (only)
        InterlockedIncrement(&only->refs);
    pnp_queue_work(interface_event_run, event);
}

void pnp_notify_interface(const GUID *class_guid, const UNICODE_STRING *link, bool arrival)
{
    queue_interface_event(class_guid, link, arrival, NULL);
}

struct existing_ctx {
    struct registration *r;
};

static void announce_existing(const UNICODE_STRING *link, void *ctx)
{
    struct existing_ctx *existing = ctx;
    queue_interface_event(&existing->r->class_guid, link, true, existing->r);
}

/* --- Target-device events ------------------------------------------------- */
struct target_event {
    struct pnp_node *node;
    const GUID *event;
};

static bool match_target(struct registration *r, const void *arg)
{
    const struct target_event *event = arg;
    return r->category == EventCategoryTargetDeviceChange && r->file &&
           pnp_node_of_pdo(r->file->DeviceObject) == event->node;
}

static NTSTATUS call_target(struct registration *r, const void *arg)
{
    const struct target_event *event = arg;
    TARGET_DEVICE_REMOVAL_NOTIFICATION n = {
        .Version = 1, .Size = sizeof(n), .Event = *event->event, .FileObject = r->file,
    };
    return r->callback(&n, r->context);
}

NTSTATUS pnp_notify_target_device(struct pnp_node *node, enum pnp_target_event kind)
{
    static const GUID *const events[] = {
        [PNP_TARGET_QUERY_REMOVE] = &GUID_TARGET_DEVICE_QUERY_REMOVE,
        [PNP_TARGET_REMOVE_CANCELLED] = &GUID_TARGET_DEVICE_REMOVE_CANCELLED,
        [PNP_TARGET_REMOVE_COMPLETE] = &GUID_TARGET_DEVICE_REMOVE_COMPLETE,
    };
    struct target_event event = { node, events[kind] };
    NTSTATUS status = for_each_registration(match_target, &event, call_target);
    return kind == PNP_TARGET_QUERY_REMOVE ? status : STATUS_SUCCESS;
}

/* --- Registration DDIs -------------------------------------------------------- */
KMH_EXPORT NTSTATUS IoRegisterPlugPlayNotification(IO_NOTIFICATION_EVENT_CATEGORY EventCategory,
                                                   ULONG EventCategoryFlags, PVOID EventCategoryData,
                                                   PDRIVER_OBJECT DriverObject,
                                                   PDRIVER_NOTIFICATION_CALLBACK_ROUTINE CallbackRoutine,
                                                   PVOID Context, PVOID *NotificationEntry)
{
    struct registration *r;

    if (!CallbackRoutine || !DriverObject ||
        (EventCategory != EventCategoryHardwareProfileChange && !EventCategoryData) ||
        (EventCategory != EventCategoryDeviceInterfaceChange && EventCategory != EventCategoryTargetDeviceChange &&
         EventCategory != EventCategoryHardwareProfileChange))
        return STATUS_INVALID_PARAMETER;
    if (!(r = calloc(1, sizeof(*r))))
        return STATUS_INSUFFICIENT_RESOURCES;
    r->category = EventCategory;
    r->callback = CallbackRoutine;
    r->context = Context;
    r->driver = DriverObject;
    r->refs = 1;
    ObfReferenceObject(DriverObject);
    if (EventCategory == EventCategoryDeviceInterfaceChange)
        r->class_guid = *(const GUID *)EventCategoryData;
    if (EventCategory == EventCategoryTargetDeviceChange) {
        r->file = EventCategoryData;
        ObfReferenceObject(r->file);
    }
    pthread_mutex_lock(&notify_lock);
    InsertTailList(&registrations, &r->link);
    pthread_mutex_unlock(&notify_lock);
    if (EventCategory == EventCategoryDeviceInterfaceChange &&
        (EventCategoryFlags & PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES)) {
        struct existing_ctx existing = { r };
        pnp_for_each_interface(&r->class_guid, announce_existing, &existing);
    }
    *NotificationEntry = r;
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS IoUnregisterPlugPlayNotificationEx(PVOID NotificationEntry)
{
    struct registration *r = NotificationEntry;
    pthread_mutex_lock(&notify_lock);
    if (r->unregistered) {
        pthread_mutex_unlock(&notify_lock);
        return STATUS_INVALID_PARAMETER;
    }
    r->unregistered = true;
    RemoveEntryList(&r->link);
    InitializeListHead(&r->link);
    pthread_mutex_unlock(&notify_lock);
    registration_unref(r);
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS IoUnregisterPlugPlayNotification(PVOID NotificationEntry)
{
    return IoUnregisterPlugPlayNotificationEx(NotificationEntry);
}

struct custom_event {
    struct pnp_node *node;
    PVOID notification;
};

static bool match_custom(struct registration *r, const void *arg)
{
    const struct custom_event *event = arg;
    return r->category == EventCategoryTargetDeviceChange && r->file &&
           pnp_node_of_pdo(r->file->DeviceObject) == event->node;
}

static NTSTATUS call_custom(struct registration *r, const void *arg)
{
    const struct custom_event *event = arg;
    PTARGET_DEVICE_CUSTOM_NOTIFICATION n = event->notification;
    n->FileObject = r->file;
    r->callback(n, r->context);
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS IoReportTargetDeviceChange(PDEVICE_OBJECT PhysicalDeviceObject, PVOID NotificationStructure)
{
    PTARGET_DEVICE_CUSTOM_NOTIFICATION n = NotificationStructure;
    if (IsEqualGUID(&n->Event, &GUID_TARGET_DEVICE_QUERY_REMOVE) ||
        IsEqualGUID(&n->Event, &GUID_TARGET_DEVICE_REMOVE_COMPLETE) ||
        IsEqualGUID(&n->Event, &GUID_TARGET_DEVICE_REMOVE_CANCELLED))
        return STATUS_INVALID_DEVICE_REQUEST;
    struct custom_event event = { io_device_of(PhysicalDeviceObject)->pnp_node, n };
    if (!event.node)
        return STATUS_INVALID_DEVICE_REQUEST;
    for_each_registration(match_custom, &event, call_custom);
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS IoReportTargetDeviceChangeAsynchronous(PDEVICE_OBJECT PhysicalDeviceObject,
                                                           PVOID NotificationStructure,
                                                           PDEVICE_CHANGE_COMPLETE_CALLBACK Callback, PVOID Context)
{
    NTSTATUS status = IoReportTargetDeviceChange(PhysicalDeviceObject, NotificationStructure);
    if (NT_SUCCESS(status) && Callback)
        Callback(Context);
    return status;
}

void pnp_notify_cleanup(void)
{
    pthread_mutex_lock(&notify_lock);
    while (!IsListEmpty(&registrations)) {
        struct registration *r = CONTAINING_RECORD(RemoveHeadList(&registrations), struct registration, link);
        kmh_log(KMH_LOG_WARNING, "pnp", "a PnP notification registered by %s was never unregistered",
                io_driver_of(r->driver)->service);
        r->unregistered = true;
        InitializeListHead(&r->link);
        registration_unref(r);
    }
    pthread_mutex_unlock(&notify_lock);
}
