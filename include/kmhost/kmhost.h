/*
 * The kmhost embedding API: what the kmhost command, the in-process client
 * and test programs use to run the executive, install drivers and manage
 * devices. Opaque types, kmh_ prefix. Functions return 0 or a negative errno
 * unless they say otherwise; messages for the user go through the log
 * handler, never straight to a stream.
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

#ifdef __cplusplus
}
#endif

#endif /* KMHOST_KMHOST_H */
