/*
 * What every file of libkmhost includes, and only those files: the export
 * attribute, logging and the one place where NTSTATUS and errno meet.
 *
 * Conventions (see ../shared/STYLE.md): a function a driver or program calls
 * keeps its Windows name and is marked KMH_EXPORT; everything internal is
 * snake_case with its module prefix (nt_, io_, pnp_, ldr_, fx_, vf_, host_,
 * client_) and hidden. Internal functions return 0 or a negative errno;
 * driver-facing ones return NTSTATUS.
 */
#ifndef KMHOST_INTERNAL_H
#define KMHOST_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <ntdef.h>

/* Marks a DDI or Win32 function as part of what drivers and programs link. */
#define KMH_EXPORT __attribute__((visibility("default")))

#define kmh_likely(x) __builtin_expect(!!(x), 1)
#define kmh_unlikely(x) __builtin_expect(!!(x), 0)
#define kmh_container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))
#define KMH_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Logging: the library never prints; it hands each message to the handler
 * the host or CLI installed (include/kmhost/kmhost.h). */
enum kmh_log_level {
    KMH_LOG_ERROR,
    KMH_LOG_WARNING,
    KMH_LOG_INFO,
    KMH_LOG_DEBUG,
    KMH_LOG_DRIVER, /* a driver's own DbgPrint/KdPrint output */
};
void kmh_log(enum kmh_log_level level, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void kmh_vlog(enum kmh_log_level level, const char *component, const char *fmt, va_list ap);

/* The one conversion each way between NTSTATUS and negative errno. */
NTSTATUS nt_status_from_errno(int negative_errno);
int nt_errno_from_status(NTSTATUS status);
/* "STATUS_INVALID_PARAMETER", or NULL for a value kmhost has no name for. */
const char *nt_status_name(NTSTATUS status);

#endif /* KMHOST_INTERNAL_H */
