/*
 * Legacy (non-PnP) drivers, started and stopped as services the way the
 * service control manager does: `sc start` loads the driver and runs
 * DriverEntry, which creates its own devices; `sc stop` calls DriverUnload.
 */
#include "pnp/pnp_private.h"
#include "loader/loader.h"

#include <stdio.h>

#define SERVICE_KERNEL_DRIVER_TYPE 1

int pnp_service_start(const char *service, char *message, size_t size)
{
    struct ldr_error error = { 0 };
    struct io_driver *driver;
    int err = 0;

    pthread_mutex_lock(&pnp_lock);
    NTSTATUS status = ldr_driver_get(service, &driver, &error);
    if (!NT_SUCCESS(status)) {
        snprintf(message, size, "%s", error.message[0] ? error.message : "the driver failed to load");
        err = status == STATUS_OBJECT_NAME_NOT_FOUND ? -ENOENT : -EIO;
    } else if (driver->object.Flags & DRVO_LEGACY_DRIVER) {
        snprintf(message, size, "service %s is already running", service);
        io_driver_release(driver);
        err = -EALREADY;
    } else {
        /* The loader's reference keeps it; this one marks it started. */
        driver->object.Flags |= DRVO_LEGACY_DRIVER;
        io_driver_release(driver);
    }
    pthread_mutex_unlock(&pnp_lock);
    return err;
}

int pnp_service_stop(const char *service, char *message, size_t size)
{
    int err = 0;

    pthread_mutex_lock(&pnp_lock);
    struct io_driver *driver = ldr_driver_find(service);
    if (!driver || !(driver->object.Flags & DRVO_LEGACY_DRIVER)) {
        snprintf(message, size, "service %s is not running", service);
        if (driver)
            io_driver_release(driver);
        err = -ESRCH;
    } else if (!driver->object.DriverUnload) {
        snprintf(message, size, "service %s cannot be stopped: its driver has no DriverUnload routine", service);
        io_driver_release(driver);
        err = -EPERM;
    } else {
        io_driver_release(driver);
        ldr_driver_unload(driver);
    }
    pthread_mutex_unlock(&pnp_lock);
    return err;
}
