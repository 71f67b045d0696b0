/*
 * The embedding API of include/kmhost/kmhost.h over the PnP manager and the
 * installer: what the kmhost command and test programs call.
 */
#include "internal.h"
#include "kmhost.h"
#include "loader/loader.h"
#include "nt/registry.h"
#include "pnp/pnp.h"
#include "pnp/install.h"

#include <stdio.h>
#include <string.h>

KMH_EXPORT const char *kmh_root_dir(void)
{
    return nt_root_dir();
}

KMH_EXPORT int kmh_set_root_dir(const char *path)
{
    return nt_set_root_dir(path);
}

KMH_EXPORT int kmh_runtime_start(char *message, size_t size)
{
    int err = pnp_start(message, size);
    if (!err)
        pnp_services_start_marked();
    return err;
}

KMH_EXPORT void kmh_runtime_stop(void)
{
    pnp_stop();
}

KMH_EXPORT size_t kmh_driver_leaks(const char *service)
{
    return ldr_last_unload_leaks(service);
}

/* Installing needs only the registry, not a running device tree. */
KMH_EXPORT int kmh_inf_install(const char *inf_path, char *installed_name, size_t name_size, char *message,
                               size_t size)
{
    struct pnp_install_result result;
    int err = nt_registry_open(NULL, message, size);
    if (err)
        return err;
    err = pnp_inf_install(inf_path, &result, message, size);
    if (!err && installed_name)
        snprintf(installed_name, name_size, "%s", result.inf_name);
    nt_registry_close();
    return err;
}

KMH_EXPORT int kmh_device_add(const char *hardware_id, char *instance, size_t instance_size, char *message,
                              size_t size)
{
    int err = nt_registry_open(NULL, message, size);
    if (err)
        return err;
    err = pnp_root_device_add(hardware_id, instance, instance_size, message, size);
    nt_registry_close();
    return err;
}

KMH_EXPORT int kmh_device_remove(const char *instance, char *message, size_t size)
{
    return pnp_device_remove(instance, message, size);
}

KMH_EXPORT int kmh_device_surprise_remove(const char *instance, char *message, size_t size)
{
    return pnp_device_surprise_remove(instance, message, size);
}

KMH_EXPORT int kmh_device_restart(const char *instance, char *message, size_t size)
{
    return pnp_device_restart(instance, message, size);
}

KMH_EXPORT int kmh_service_start(const char *service, char *message, size_t size)
{
    int err = pnp_service_start(service, message, size);
    if (!err && (err = pnp_service_mark_started(service, true)) != 0)
        snprintf(message, size, "service %s started, but its started mark could not be stored", service);
    return err;
}

KMH_EXPORT int kmh_service_stop(const char *service, char *message, size_t size)
{
    int err = pnp_service_stop(service, message, size);
    if (err == 0 || err == -ESRCH)
        pnp_service_mark_started(service, false);
    return err;
}

static const char *state_name(enum pnp_state state)
{
    static const char *const names[] = {
        [PNP_STATE_INITIALIZED] = "initialized", [PNP_STATE_DRIVERS_ADDED] = "drivers added",
        [PNP_STATE_STARTED] = "started",         [PNP_STATE_STOPPED] = "stopped",
        [PNP_STATE_SURPRISE_REMOVED] = "surprise removed", [PNP_STATE_REMOVED] = "removed",
        [PNP_STATE_FAILED] = "failed",
    };
    return (size_t)state < KMH_ARRAY_SIZE(names) ? names[state] : "?";
}

struct walk_ctx {
    void (*fn)(const struct kmh_device_info *info, void *ctx);
    void *ctx;
};

static void walk_one(const struct pnp_node_info *node, void *ctx)
{
    struct walk_ctx *walk = ctx;
    const char *name = node->problem_status ? nt_status_name(node->problem_status) : NULL;
    struct kmh_device_info info = {
        .instance_path = node->instance_path, .service = node->service,
        .upper_filters = node->upper_filters, .lower_filters = node->lower_filters,
        .description = node->description, .state = state_name(node->state), .depth = node->depth,
        .problem = (unsigned)node->problem, .status = (unsigned)node->problem_status,
        .status_name = name ? name : "", .problem_text = node->problem_text,
    };
    walk->fn(&info, walk->ctx);
}

KMH_EXPORT void kmh_devices_walk(void (*fn)(const struct kmh_device_info *info, void *ctx), void *ctx)
{
    struct walk_ctx walk = { fn, ctx };
    pnp_for_each_node(walk_one, &walk);
}

KMH_EXPORT const char *kmh_status_name(unsigned status)
{
    return nt_status_name((NTSTATUS)status);
}
