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

/* --- Services started across processes ------------------------------------
 * A kmhost process is the kernel only while it runs, so "started" is a
 * registry mark (Services\<svc>\KmhostStarted): every process of the root
 * starts marked services when its device tree comes up, as a Windows
 * machine keeps a started driver until it is stopped. */
#include "nt/registry.h"

#define SERVICES_PATH "\\Registry\\Machine\\System\\CurrentControlSet\\Services"
#define STARTED_VALUE "KmhostStarted"

int pnp_service_mark_started(const char *service, bool started)
{
    struct regstore *rs = nt_registry();
    struct regstore_key key;
    char path[512];
    uint32_t one = 1;

    snprintf(path, sizeof(path), SERVICES_PATH "\\%s", service);
    if (!rs)
        return -ENODEV;
    int err = regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key);
    if (err)
        return err;
    return started ? regstore_value_set(rs, key, STARTED_VALUE, REG_DWORD, &one, sizeof(one))
                   : regstore_value_delete(rs, key, STARTED_VALUE);
}

/* pnp_lock not held. */
void pnp_services_start_marked(void)
{
    struct regstore *rs = nt_registry();
    struct regstore_key services, service;
    struct regstore_key_info info;
    struct regstore_value value;
    char message[PNP_MESSAGE_MAX];

    if (!rs || regstore_key_open(rs, REGSTORE_KEY_NONE, SERVICES_PATH, &services))
        return;
    for (uint32_t i = 0; regstore_key_enum(rs, services, i, &service) == 0; i++) {
        if (regstore_value_query(rs, service, STARTED_VALUE, &value))
            continue;
        regstore_value_clear(&value);
        if (regstore_key_query(rs, service, &info))
            continue;
        if (pnp_service_start(info.name, message, sizeof(message)) && !strstr(message, "already"))
            kmh_log(KMH_LOG_ERROR, "pnp", "service %s: %s", info.name, message);
        regstore_key_info_clear(&info);
    }
}
