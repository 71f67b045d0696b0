/*
 * The kmhost embedding API: what the kmhost command, test programs and
 * benchmarks use to run the executive, install drivers and manage devices
 * in their own process. Opaque types, kmh_ prefix, UTF-8 strings.
 * Functions return 0 or a negative errno unless they say otherwise, and put
 * a message for the user in the caller's buffer; the library itself never
 * prints — messages go through the log handler.
 */
#ifndef KMHOST_KMHOST_H
#define KMHOST_KMHOST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KMH_API __attribute__((visibility("default")))

enum kmh_log_level_public {
    KMH_LEVEL_ERROR,
    KMH_LEVEL_WARNING,
    KMH_LEVEL_INFO,
    KMH_LEVEL_DEBUG,
    KMH_LEVEL_DRIVER,
};

/* Receives every message the library has for the user: errors, warnings,
 * verifier reports and the drivers' DbgPrint output (level DRIVER). */
typedef void kmh_log_fn(int level, const char *component, const char *message, void *ctx);

/* Installs the handler; NULL restores the default, which writes to stderr. */
KMH_API void kmh_set_log_handler(kmh_log_fn *fn, void *ctx);
/* Messages above this level are dropped before formatting (default INFO;
 * the KMHOST_LOG environment variable, error..debug, overrides it). */
KMH_API void kmh_set_log_level(int max_level);

/* --- The root directory and the runtime -------------------------------- */
/* Where the registry, installed INFs and driver files live: KMHOST_ROOT, or
 * ${XDG_STATE_HOME:-$HOME/.local/state}/kmhost. */
KMH_API const char *kmh_root_dir(void);
KMH_API int kmh_set_root_dir(const char *path);

/* Opens the registry and brings up every installed device in this process
 * (DriverEntry, AddDevice, start) and every service marked started. Reference
 * counted: the last kmh_runtime_stop removes the devices (DriverUnload runs)
 * and reports what the drivers leaked. */
KMH_API int kmh_runtime_start(char *message, size_t size);
KMH_API void kmh_runtime_stop(void);
/* What the service's driver left behind at its last unload in this process
 * (device objects not deleted plus pool blocks not freed; each was reported
 * through the log as it was found): 0 for a clean driver, or one never
 * unloaded here. A CI job fails the run on a nonzero count. */
KMH_API size_t kmh_driver_leaks(const char *service);

/* --- Drivers and devices ----------------------------------------------- */
/* Installs a driver package (INF or .inx and the files beside it) into the
 * root; installed_name receives the stored name (oemN.inf). */
KMH_API int kmh_inf_install(const char *inf_path, char *installed_name, size_t name_size, char *message,
                            size_t size);
/* A new root-enumerated device with this hardware ID (ROOT\TOASTER); it is
 * recorded in the registry and, with the runtime started, built now. */
KMH_API int kmh_device_add(const char *hardware_id, char *instance, size_t instance_size, char *message,
                           size_t size);
/* Orderly removal (query-remove may be vetoed), surprise removal, or a
 * query-stop/stop/start cycle of a device of the running tree. */
KMH_API int kmh_device_remove(const char *instance, char *message, size_t size);
KMH_API int kmh_device_surprise_remove(const char *instance, char *message, size_t size);
KMH_API int kmh_device_restart(const char *instance, char *message, size_t size);
/* Legacy services: start marks the service started in the registry (so
 * every process of this root starts it with its runtime) and starts it
 * here; stop undoes both. */
KMH_API int kmh_service_start(const char *service, char *message, size_t size);
KMH_API int kmh_service_stop(const char *service, char *message, size_t size);

struct kmh_device_info {
    const char *instance_path;
    const char *service;        /* "" when none */
    const char *upper_filters;  /* space-separated */
    const char *lower_filters;
    const char *description;
    const char *state;          /* "started", "failed", ... */
    int depth;
    unsigned problem;           /* CM_PROB_* as Device Manager numbers it; 0 */
    unsigned status;            /* the failing NTSTATUS, or 0 */
    const char *status_name;    /* "STATUS_..." or "" */
    const char *problem_text;
};
KMH_API void kmh_devices_walk(void (*fn)(const struct kmh_device_info *info, void *ctx), void *ctx);

/* --- Talking to a device ----------------------------------------------- */
struct kmh_file;
/* Opens \\.\Name, \\?\interface-path or \Device\Name; *status receives the
 * NTSTATUS of IRP_MJ_CREATE (also on failure). */
KMH_API int kmh_open(const char *path, struct kmh_file **out, unsigned *status);
KMH_API void kmh_close(struct kmh_file *file);
/* One synchronous request; *status receives its NTSTATUS and *transferred
 * the IoStatus.Information. Return 0 even when the driver failed the
 * request (read *status); negative only when it could not be sent. */
KMH_API int kmh_ioctl(struct kmh_file *file, unsigned code, const void *in, size_t in_size, void *out,
                      size_t out_size, size_t *transferred, unsigned *status);
KMH_API int kmh_read(struct kmh_file *file, void *buffer, size_t size, size_t *transferred, unsigned *status);
KMH_API int kmh_write(struct kmh_file *file, const void *buffer, size_t size, size_t *transferred,
                      unsigned *status);
/* --- Comparing a WDM driver with its KMDF port ------------------------- */
/* Runs an I/O script (the language is in src/host/script.h and `kmhost
 * compare --help`) against this process's device tree. *transcript
 * receives what happened, one line per step, as malloc'd text. */
KMH_API int kmh_script_run(const char *script, char **transcript, char *message, size_t size);

struct kmh_compare_side {
    const char *inf_path;       /* the driver package */
    const char *hardware_id;    /* the root-enumerated device to add */
};
/* Runs the script once per side, each in a fresh root of its own (install,
 * add the device, run, remove), and says whether the transcripts are the
 * same. Transcripts are malloc'd; either may be NULL when a side failed
 * before its script ran (the message says why). */
KMH_API int kmh_compare(const char *script, const struct kmh_compare_side *a, const struct kmh_compare_side *b,
                        bool *same, char **transcript_a, char **transcript_b, char *message, size_t size);

/* "STATUS_INVALID_PARAMETER", or NULL for a value kmhost has no name for. */
KMH_API const char *kmh_status_name(unsigned status);

#ifdef __cplusplus
}
#endif

#endif /* KMHOST_KMHOST_H */
