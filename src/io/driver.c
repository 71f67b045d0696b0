/*
 * Driver objects: created before DriverEntry with every dispatch slot set to
 * the invalid-request routine, as the I/O manager does; kept alive by their
 * devices; and the driver-object extensions and reinitialization routines
 * drivers attach to them.
 */
#include "io/io.h"
#include "io/io_private.h"
#include "verifier/verifier.h"

#include <stdlib.h>

pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;

struct client_extension {
    LIST_ENTRY link;
    PVOID id;
    /* the extension follows, 16-byte aligned */
} __attribute__((aligned(16)));

NTSTATUS io_invalid_device_request(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    (void)DeviceObject;
    Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

static void copy_wide(WCHAR *dst, size_t cap, const WCHAR *prefix, const WCHAR *name, UNICODE_STRING *out)
{
    size_t n = 0;
    for (; prefix && *prefix && n + 1 < cap; prefix++)
        dst[n++] = *prefix;
    for (; name && *name && n + 1 < cap; name++)
        dst[n++] = *name;
    dst[n] = 0;
    out->Buffer = dst;
    out->Length = (USHORT)(n * sizeof(WCHAR));
    out->MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
}

int io_driver_new(const WCHAR *service_name, struct io_driver **out)
{
    struct io_driver *driver = nt_object_new(&nt_driver_type, sizeof(*driver));
    if (!driver)
        return -ENOMEM;
    driver->object.Type = IO_TYPE_DRIVER;
    driver->object.Size = sizeof(DRIVER_OBJECT);
    driver->object.DriverExtension = &driver->extension;
    driver->extension.DriverObject = &driver->object;
    copy_wide(driver->name_buffer, KMH_ARRAY_SIZE(driver->name_buffer), L"\\Driver\\", service_name,
              &driver->object.DriverName);
    copy_wide(driver->service_buffer, KMH_ARRAY_SIZE(driver->service_buffer), NULL, service_name,
              &driver->extension.ServiceKeyName);
    size_t i = 0;
    for (; service_name[i] && i + 1 < sizeof(driver->service); i++)
        driver->service[i] = service_name[i] < 0x80 ? (char)service_name[i] : '?';
    driver->service[i] = 0;
    for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        driver->object.MajorFunction[i] = io_invalid_device_request;
    InitializeListHead(&driver->client_extensions);
    InitializeListHead(&driver->reinit_routines);
    *out = driver;
    return 0;
}

void io_driver_release(struct io_driver *driver)
{
    nt_object_unref(driver);
}

void io_driver_delete_body(void *body)
{
    struct io_driver *driver = body;
    while (!IsListEmpty(&driver->client_extensions))
        free(CONTAINING_RECORD(RemoveHeadList(&driver->client_extensions), struct client_extension, link));
    while (!IsListEmpty(&driver->reinit_routines))
        free(RemoveHeadList(&driver->reinit_routines));
}

size_t io_driver_device_count(PDRIVER_OBJECT object)
{
    size_t count = 0;
    pthread_mutex_lock(&io_lock);
    for (PDEVICE_OBJECT d = object->DeviceObject; d; d = d->NextDevice)
        count++;
    pthread_mutex_unlock(&io_lock);
    return count;
}

void io_driver_device_removed(struct io_driver *driver)
{
    if (driver->object.DeviceObject == NULL && driver->on_last_device_gone)
        driver->on_last_device_gone(driver);
}

KMH_EXPORT NTSTATUS IoAllocateDriverObjectExtension(PDRIVER_OBJECT DriverObject, PVOID ClientIdentificationAddress,
                                                    ULONG DriverObjectExtensionSize, PVOID *DriverObjectExtension)
{
    struct io_driver *driver = io_driver_of(DriverObject);
    struct client_extension *ext;

    *DriverObjectExtension = NULL;
    pthread_mutex_lock(&io_lock);
    for (PLIST_ENTRY e = driver->client_extensions.Flink; e != &driver->client_extensions; e = e->Flink) {
        if (CONTAINING_RECORD(e, struct client_extension, link)->id == ClientIdentificationAddress) {
            pthread_mutex_unlock(&io_lock);
            return STATUS_OBJECT_NAME_COLLISION;
        }
    }
    ext = calloc(1, sizeof(*ext) + DriverObjectExtensionSize);
    if (!ext) {
        pthread_mutex_unlock(&io_lock);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    ext->id = ClientIdentificationAddress;
    InsertTailList(&driver->client_extensions, &ext->link);
    pthread_mutex_unlock(&io_lock);
    *DriverObjectExtension = ext + 1;
    return STATUS_SUCCESS;
}

KMH_EXPORT PVOID IoGetDriverObjectExtension(PDRIVER_OBJECT DriverObject, PVOID ClientIdentificationAddress)
{
    struct io_driver *driver = io_driver_of(DriverObject);
    PVOID found = NULL;

    pthread_mutex_lock(&io_lock);
    for (PLIST_ENTRY e = driver->client_extensions.Flink; e != &driver->client_extensions; e = e->Flink) {
        struct client_extension *ext = CONTAINING_RECORD(e, struct client_extension, link);
        if (ext->id == ClientIdentificationAddress) {
            found = ext + 1;
            break;
        }
    }
    pthread_mutex_unlock(&io_lock);
    return found;
}

struct reinit_entry {
    LIST_ENTRY link; /* first: freed as a LIST_ENTRY by io_driver_delete_body */
    PDRIVER_REINITIALIZE routine;
    PVOID context;
    ULONG count;
};

KMH_EXPORT void IoRegisterDriverReinitialization(PDRIVER_OBJECT DriverObject,
                                                 PDRIVER_REINITIALIZE DriverReinitializationRoutine, PVOID Context)
{
    struct reinit_entry *entry = calloc(1, sizeof(*entry));
    if (!entry)
        return;
    entry->routine = DriverReinitializationRoutine;
    entry->context = Context;
    pthread_mutex_lock(&io_lock);
    InsertTailList(&io_driver_of(DriverObject)->reinit_routines, &entry->link);
    pthread_mutex_unlock(&io_lock);
}

KMH_EXPORT void IoRegisterBootDriverReinitialization(PDRIVER_OBJECT DriverObject,
                                                     PDRIVER_REINITIALIZE DriverReinitializationRoutine, PVOID Context)
{
    IoRegisterDriverReinitialization(DriverObject, DriverReinitializationRoutine, Context);
}

/* Runs the routines registered so far, each once per round, as the I/O
 * manager does after all drivers of a boot phase loaded. */
void io_driver_run_reinitialization(PDRIVER_OBJECT DriverObject)
{
    struct io_driver *driver = io_driver_of(DriverObject);
    LIST_ENTRY pending;

    InitializeListHead(&pending);
    pthread_mutex_lock(&io_lock);
    if (!IsListEmpty(&driver->reinit_routines)) {
        AppendTailList(&pending, driver->reinit_routines.Flink);
        RemoveEntryList(&driver->reinit_routines);
        InitializeListHead(&driver->reinit_routines);
    }
    pthread_mutex_unlock(&io_lock);
    while (!IsListEmpty(&pending)) {
        struct reinit_entry *entry = (struct reinit_entry *)RemoveHeadList(&pending);
        entry->routine(DriverObject, entry->context, ++entry->count);
        free(entry);
    }
}
