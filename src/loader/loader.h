/*
 * The loader: turns a service's driver file into a running driver — every
 * import checked before anything runs, the image mapped, DriverEntry (or
 * the KMDF stub's FxDriverEntry) called — and back out again: DriverUnload,
 * the leak report, unmapping. Used by the PnP manager, the service starter
 * and tests.
 */
#ifndef KMHOST_LOADER_H
#define KMHOST_LOADER_H

#include "io/io.h"

#define LDR_MESSAGE_MAX 2048

/* Why a load failed, for the device's problem status and the user. */
struct ldr_error {
    NTSTATUS status;                 /* STATUS_DRIVER_UNABLE_TO_LOAD, ..._ENTRYPOINT_NOT_FOUND, or DriverEntry's */
    char message[LDR_MESSAGE_MAX];
};

/* Checks that every symbol the driver file imports is a DDI kmhost
 * provides (or a C runtime or toolchain function a kernel driver may
 * use). Returns 0, -ENOENT (no such file), -ENOEXEC (not a loadable x86-64
 * ELF shared object) or -ENOSYS (DDIs missing: the message lists each one
 * by name). */
int ldr_check_imports(const char *path, char *message, size_t size);

/* Returns the loaded driver for the service, loading it first if needed:
 * reads ImagePath from the service key, checks imports, maps the image and
 * runs its entry point. A new reference for the caller on success. */
NTSTATUS ldr_driver_get(const char *service_name, struct io_driver **out, struct ldr_error *error);
/* The loaded driver of the service (a new reference), or NULL: never loads. */
struct io_driver *ldr_driver_find(const char *service_name);
/* Loads an explicit file as the named service (tests, `kmhost run`). */
NTSTATUS ldr_driver_load_file(const char *service_name, const char *path, struct io_driver **out,
                              struct ldr_error *error);
/* Runs DriverUnload, reports what the driver left behind (devices, pool
 * blocks by tag and allocation site), and unmaps the image. Called when a
 * PnP driver's last device is gone or a legacy service stops. */
void ldr_driver_unload(struct io_driver *driver);
/* Unloads the PnP drivers whose last device went away; the PnP manager
 * calls it once the IRP that removed the device has come back. */
void ldr_unload_pending(void);
/* Unloads every driver still loaded (runtime shutdown), newest first. */
void ldr_unload_all(void);

/* What leaked at the last unload of the named service (tests read it). */
size_t ldr_last_unload_leaks(const char *service_name);

/* Maps a service's ImagePath to a file: \SystemRoot\System32\drivers\X and
 * System32\drivers\X are $ROOT/drivers/X; an absolute host path is itself. */
int ldr_image_path_to_host(const char *image_path, char *out, size_t size);

#endif /* KMHOST_LOADER_H */
