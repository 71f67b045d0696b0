/*
 * The library's one way to speak: every message goes to the handler the
 * embedding program installed, or to stderr by default.
 */
#include "internal.h"
#include "kmhost.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static kmh_log_fn *log_handler;
static void *log_handler_ctx;
static atomic_int log_max_level = -1; /* -1: read KMHOST_LOG on first use */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = { "error", "warning", "info", "debug", "driver" };

static int log_level_from_env(void)
{
    const char *env = getenv("KMHOST_LOG");
    if (env) {
        for (int i = KMH_LOG_ERROR; i <= KMH_LOG_DEBUG; i++)
            if (strcasecmp(env, level_names[i]) == 0)
                return i;
    }
    return KMH_LOG_INFO;
}

static void default_handler(int level, const char *component, const char *message, void *ctx)
{
    (void)ctx;
    if (level == KMH_LOG_DRIVER) {
        /* Driver output already carries its own line breaks, as DbgPrint does. */
        fputs(message, stderr);
        return;
    }
    fprintf(stderr, "kmhost: %s: %s: %s\n", level_names[level], component, message);
}

KMH_EXPORT void kmh_set_log_handler(kmh_log_fn *fn, void *ctx)
{
    pthread_mutex_lock(&log_lock);
    log_handler = fn;
    log_handler_ctx = ctx;
    pthread_mutex_unlock(&log_lock);
}

KMH_EXPORT void kmh_set_log_level(int max_level)
{
    atomic_store(&log_max_level, max_level);
}

static bool log_level_enabled(enum kmh_log_level level)
{
    int max = atomic_load(&log_max_level);
    if (max < 0) {
        max = log_level_from_env();
        atomic_store(&log_max_level, max);
    }
    return level == KMH_LOG_DRIVER || (int)level <= max;
}

void kmh_vlog(enum kmh_log_level level, const char *component, const char *fmt, va_list ap)
{
    char message[2048];

    if (!log_level_enabled(level))
        return;
    vsnprintf(message, sizeof(message), fmt, ap);
    pthread_mutex_lock(&log_lock);
    kmh_log_fn *fn = log_handler ? log_handler : default_handler;
    fn((int)level, component, message, log_handler_ctx);
    pthread_mutex_unlock(&log_lock);
}

void kmh_log(enum kmh_log_level level, const char *component, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kmh_vlog(level, component, fmt, ap);
    va_end(ap);
}
