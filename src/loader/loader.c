/*
 * Loading and unloading drivers, as the I/O manager does on Windows: one
 * driver object per service however many devices use it; DriverEntry at
 * PASSIVE_LEVEL with the service key as RegistryPath; DriverUnload when the
 * last device of a PnP driver goes (or when a legacy service stops).
 */
#include "loader/loader.h"
#include "loader/loader_private.h"
#include "verifier/verifier.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static LIST_ENTRY loaded = { &loaded, &loaded };
static pthread_mutex_t loader_lock = PTHREAD_MUTEX_INITIALIZER;

struct unload_record {
    LIST_ENTRY link;
    char service[128];
    size_t leaks;
};
static LIST_ENTRY unload_history = { &unload_history, &unload_history };

int ldr_image_path_to_host(const char *image_path, char *out, size_t size)
{
    static const char *const prefixes[] = {
        "\\SystemRoot\\System32\\drivers\\", "System32\\drivers\\", "\\??\\C:\\Windows\\System32\\drivers\\",
        "%SystemRoot%\\System32\\drivers\\",
    };
    if (image_path[0] == '/') {
        snprintf(out, size, "%s", image_path);
        return 0;
    }
    for (size_t i = 0; i < KMH_ARRAY_SIZE(prefixes); i++) {
        size_t n = strlen(prefixes[i]);
        if (strncasecmp(image_path, prefixes[i], n) == 0 && !strchr(image_path + n, '\\')) {
            snprintf(out, size, "%s/drivers/%s", nt_root_dir(), image_path + n);
            return 0;
        }
    }
    return -EINVAL;
}

static struct ldr_image *find_loaded(const char *service)
{
    for (PLIST_ENTRY e = loaded.Flink; e != &loaded; e = e->Flink) {
        struct ldr_image *image = CONTAINING_RECORD(e, struct ldr_image, link);
        if (strcasecmp(image->service, service) == 0)
            return image;
    }
    return NULL;
}

struct range_search {
    const char *path;
    const char *lo, *hi;
};

static int find_range(struct dl_phdr_info *info, size_t size, void *data)
{
    struct range_search *search = data;
    (void)size;
    if (!info->dlpi_name || strcmp(info->dlpi_name, search->path) != 0)
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        const char *start = (const char *)(info->dlpi_addr + ph->p_vaddr);
        if (!search->lo || start < search->lo)
            search->lo = start;
        if (start + ph->p_memsz > search->hi)
            search->hi = start + ph->p_memsz;
    }
    return 1;
}

static void image_free(struct ldr_image *image)
{
    if (image->handle)
        dlclose(image->handle);
    free(image->service);
    free(image->path);
    free(image->registry_path);
    free(image);
}

static NTSTATUS image_map(struct ldr_image *image, struct ldr_error *error)
{
    struct range_search search = { .path = image->path };

    image->handle = dlopen(image->path, RTLD_NOW | RTLD_LOCAL);
    if (!image->handle) {
        snprintf(error->message, sizeof(error->message), "cannot map %s: %s", image->path, dlerror());
        return error->status = STATUS_DRIVER_UNABLE_TO_LOAD;
    }
    image->entry = (PDRIVER_INITIALIZE)dlsym(image->handle, "FxDriverEntry");
    image->kmdf = image->entry != NULL;
    if (!image->entry)
        image->entry = (PDRIVER_INITIALIZE)dlsym(image->handle, "DriverEntry");
    if (!image->entry) {
        snprintf(error->message, sizeof(error->message),
                 "%s has no DriverEntry (nor FxDriverEntry for KMDF); is DriverEntry static?", image->path);
        return error->status = STATUS_DRIVER_ENTRYPOINT_NOT_FOUND;
    }
    dl_iterate_phdr(find_range, &search);
    image->lo = search.lo;
    image->hi = search.hi;
    return STATUS_SUCCESS;
}

static void driver_last_device_gone(struct io_driver *driver);

static NTSTATUS image_enter(struct ldr_image *image, struct ldr_error *error)
{
    WCHAR *service = ldr_ascii_to_utf16(image->service);
    NTSTATUS status;

    if (!service || ldr_service_key_path(image->service, &image->registry_path)) {
        free(service);
        return error->status = STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlInitUnicodeString(&image->registry_path_us, image->registry_path);
    if (io_driver_new(service, &image->driver)) {
        free(service);
        return error->status = STATUS_INSUFFICIENT_RESOURCES;
    }
    free(service);
    image->driver->loader_image = image;
    image->driver->object.DriverInit = image->entry;
    image->driver->object.DriverStart = (PVOID)image->lo;
    image->driver->object.DriverSize = (ULONG)(image->hi - image->lo);
    kmh_log(KMH_LOG_DEBUG, "loader", "%s: calling %s", image->service, image->kmdf ? "FxDriverEntry" : "DriverEntry");
    KPROCESSOR_MODE previous = nt_thread_set_previous_mode(KernelMode);
    status = image->entry(&image->driver->object, &image->registry_path_us);
    nt_thread_set_previous_mode(previous);
    if (!NT_SUCCESS(status)) {
        snprintf(error->message, sizeof(error->message), "%s: DriverEntry failed with %s (0x%08x)", image->service,
                 nt_status_name(status) ? nt_status_name(status) : "an unnamed status", (unsigned)status);
        return error->status = status;
    }
    /* Devices made in DriverEntry are ready once it returns, as on Windows. */
    for (PDEVICE_OBJECT d = image->driver->object.DeviceObject; d; d = d->NextDevice)
        d->Flags &= ~DO_DEVICE_INITIALIZING;
    image->driver->on_last_device_gone = driver_last_device_gone;
    io_driver_run_reinitialization(&image->driver->object);
    return STATUS_SUCCESS;
}

/* A failed DriverEntry: the driver object goes without DriverUnload, as on
 * Windows; whatever the driver left allocated is reported. */
static void image_abandon(struct ldr_image *image)
{
    if (image->driver) {
        if (image->lo)
            ldr_report_leaks(image);
        image->driver->loader_image = NULL;
        io_driver_release(image->driver);
    }
    image_free(image);
}

NTSTATUS ldr_driver_load_file(const char *service_name, const char *path, struct io_driver **out,
                              struct ldr_error *error)
{
    struct ldr_image *image;
    NTSTATUS status;

    *out = NULL;
    error->status = STATUS_SUCCESS;
    error->message[0] = 0;
    if (ldr_check_imports(path, error->message, sizeof(error->message)))
        return error->status = STATUS_DRIVER_UNABLE_TO_LOAD;
    if (!(image = calloc(1, sizeof(*image))) || !(image->service = strdup(service_name)) ||
        !(image->path = strdup(path))) {
        if (image)
            image_free(image);
        return error->status = STATUS_INSUFFICIENT_RESOURCES;
    }
    status = image_map(image, error);
    if (NT_SUCCESS(status))
        status = image_enter(image, error);
    if (!NT_SUCCESS(status)) {
        image_abandon(image);
        return status;
    }
    InsertTailList(&loaded, &image->link);
    nt_object_ref(image->driver);
    *out = image->driver;
    return STATUS_SUCCESS;
}

struct io_driver *ldr_driver_find(const char *service_name)
{
    struct io_driver *driver = NULL;
    pthread_mutex_lock(&loader_lock);
    struct ldr_image *image = find_loaded(service_name);
    if (image) {
        driver = image->driver;
        nt_object_ref(driver);
    }
    pthread_mutex_unlock(&loader_lock);
    return driver;
}

NTSTATUS ldr_driver_get(const char *service_name, struct io_driver **out, struct ldr_error *error)
{
    char image_path[1024], path[1024];
    NTSTATUS status;

    pthread_mutex_lock(&loader_lock);
    struct ldr_image *image = find_loaded(service_name);
    if (image) {
        nt_object_ref(image->driver);
        *out = image->driver;
        pthread_mutex_unlock(&loader_lock);
        return STATUS_SUCCESS;
    }
    status = ldr_service_query_string(service_name, L"ImagePath", image_path, sizeof(image_path));
    if (!NT_SUCCESS(status)) {
        snprintf(error->message, sizeof(error->message), "service %s has no ImagePath (is it installed?)",
                 service_name);
        error->status = status;
    } else if (ldr_image_path_to_host(image_path, path, sizeof(path))) {
        snprintf(error->message, sizeof(error->message), "service %s: ImagePath %s is not a driver file kmhost "
                 "can find", service_name, image_path);
        status = error->status = STATUS_DRIVER_UNABLE_TO_LOAD;
    } else {
        status = ldr_driver_load_file(service_name, path, out, error);
    }
    pthread_mutex_unlock(&loader_lock);
    return status;
}

static void remember_unload(const char *service, size_t leaks)
{
    struct unload_record *record = calloc(1, sizeof(*record));
    if (!record)
        return;
    snprintf(record->service, sizeof(record->service), "%s", service);
    record->leaks = leaks;
    InsertHeadList(&unload_history, &record->link);
}

size_t ldr_last_unload_leaks(const char *service_name)
{
    size_t leaks = 0;
    pthread_mutex_lock(&loader_lock);
    for (PLIST_ENTRY e = unload_history.Flink; e != &unload_history; e = e->Flink) {
        struct unload_record *record = CONTAINING_RECORD(e, struct unload_record, link);
        if (strcasecmp(record->service, service_name) == 0) {
            leaks = record->leaks;
            break;
        }
    }
    pthread_mutex_unlock(&loader_lock);
    return leaks;
}

/* loader_lock held. */
static void unload_locked(struct ldr_image *image)
{
    PDRIVER_OBJECT object = &image->driver->object;

    RemoveEntryList(&image->link);
    image->driver->on_last_device_gone = NULL;
    if (object->DriverUnload) {
        kmh_log(KMH_LOG_DEBUG, "loader", "%s: calling DriverUnload", image->service);
        object->Flags |= DRVO_UNLOAD_INVOKED;
        object->DriverUnload(object);
    }
    /* Timers and DPCs of the driver must not outlive its code. */
    KeFlushQueuedDpcs();
    remember_unload(image->service, ldr_report_leaks(image));
    image->driver->loader_image = NULL;
    io_driver_release(image->driver);
    image->driver = NULL;
    image_free(image);
}

void ldr_driver_unload(struct io_driver *driver)
{
    pthread_mutex_lock(&loader_lock);
    struct ldr_image *image = driver->loader_image;
    if (image)
        unload_locked(image);
    pthread_mutex_unlock(&loader_lock);
}

/* Called from inside the driver (its IoDeleteDevice), so the unload itself
 * waits for ldr_unload_pending, after the driver has returned. */
static void driver_last_device_gone(struct io_driver *driver)
{
    struct ldr_image *image = driver->loader_image;
    /* Legacy (non-PnP) drivers stay until their service is stopped. */
    if (image && !(driver->object.Flags & DRVO_LEGACY_DRIVER) && driver->extension.AddDevice)
        image->unload_pending = true;
}

void ldr_unload_pending(void)
{
    pthread_mutex_lock(&loader_lock);
    for (PLIST_ENTRY e = loaded.Flink; e != &loaded;) {
        struct ldr_image *image = CONTAINING_RECORD(e, struct ldr_image, link);
        e = e->Flink;
        if (image->unload_pending && !image->driver->object.DeviceObject)
            unload_locked(image);
    }
    pthread_mutex_unlock(&loader_lock);
}

void ldr_unload_all(void)
{
    pthread_mutex_lock(&loader_lock);
    while (!IsListEmpty(&loaded))
        unload_locked(CONTAINING_RECORD(loaded.Blink, struct ldr_image, link));
    /* unload_history stays: what the drivers leaked is asked after the stop. */
    pthread_mutex_unlock(&loader_lock);
}
