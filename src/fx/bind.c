/*
 * Binding a KMDF driver: the FxDriverEntry stub in the driver asks for the
 * function table and its globals before the driver's DriverEntry runs, and
 * gives them back after DriverUnload (or a failed DriverEntry). A driver
 * built for a newer KMDF minor version than 1.33 is refused by name.
 */
#include "fx/fx.h"
#include "fx/fx_private.h"
#include "verifier/verifier.h"
#include "kmhost_fx_bind.h"

#include <stdio.h>
#include <stdlib.h>

#define FX_MAJOR 1
#define FX_MINOR 33

/* Read on every IRP a framework device gets: the binding sits on the
 * driver object itself, not in a list behind a lock. */
struct fx_globals *fx_globals_for_driver_object(PDRIVER_OBJECT driver_object)
{
    return driver_object ? atomic_load_explicit(&io_driver_of(driver_object)->framework, memory_order_acquire)
                         : NULL;
}

static void remember(struct fx_globals *globals)
{
    atomic_store_explicit(&io_driver_of(globals->wdm_driver)->framework, globals, memory_order_release);
}

static void forget(struct fx_globals *globals)
{
    atomic_store_explicit(&io_driver_of(globals->wdm_driver)->framework, NULL, memory_order_release);
}

static void globals_set_name(struct fx_globals *globals, PUNICODE_STRING registry_path)
{
    const WCHAR *name = registry_path && registry_path->Buffer ? registry_path->Buffer : L"";
    size_t n = registry_path ? registry_path->Length / sizeof(WCHAR) : 0, start = 0, out = 0;

    for (size_t i = 0; i < n; i++)
        if (name[i] == L'\\')
            start = i + 1;
    for (size_t i = start; i < n && out + 1 < sizeof(globals->public.DriverName); i++)
        globals->public.DriverName[out++] = name[i] < 0x80 ? (CHAR)name[i] : '?';
    globals->public.DriverName[out] = 0;
}

static ULONG tag_from_name(const char *name)
{
    ULONG tag = 0;
    for (int i = 0; i < 4; i++)
        tag |= (ULONG)(unsigned char)(name[i] ? name[i] : ' ') << (8 * i);
    return tag;
}

KMH_EXPORT NTSTATUS kmh_fx_bind(struct kmh_fx_bind *bind)
{
    struct fx_globals *globals;

    if (!bind || bind->size != sizeof(*bind))
        return STATUS_INVALID_PARAMETER;
    if (bind->major != FX_MAJOR || bind->minor > FX_MINOR) {
        kmh_log(KMH_LOG_ERROR, "kmdf", "the driver was built for KMDF %u.%u; kmhost provides KMDF %u.%u",
                (unsigned)bind->major, (unsigned)bind->minor, FX_MAJOR, FX_MINOR);
        return STATUS_REVISION_MISMATCH;
    }
    if (!(globals = calloc(1, sizeof(*globals))))
        return STATUS_INSUFFICIENT_RESOURCES;
    globals->magic = FX_GLOBALS_MAGIC;
    atomic_init(&globals->refs, 1); /* the binding's own */
    globals->minor_version = bind->minor;
    globals->wdm_driver = bind->driver_object;
    globals->verifier = vf_is_strict() || getenv("KMHOST_KMDF_VERIFIER") != NULL;
    globals_set_name(globals, bind->registry_path);
    globals->public.DriverTag = tag_from_name(globals->public.DriverName);
    if (globals->verifier)
        globals->public.DriverFlags |= WdfVerifierOn | WdfVerifyOn;
    remember(globals);
    bind->functions = fx_function_table();
    bind->globals = &globals->public;
    bind->framework_function_count = WdfFunctionTableNumEntries;
    bind->client_version_higher = FALSE;
    return STATUS_SUCCESS;
}

static void report_leak(struct fx_object *object, void *ctx)
{
    struct fx_globals *globals = ctx;
    fx_violation("DriverUnload", "%s left %s %p undeleted", globals->public.DriverName, object->ops->name,
                 (void *)object->handle);
}

KMH_EXPORT void kmh_fx_unbind(PWDF_DRIVER_GLOBALS public_globals)
{
    struct fx_globals *globals = fx_globals_of(public_globals);

    if (!globals || globals->magic != FX_GLOBALS_MAGIC)
        return;
    /* A DriverEntry that failed after WdfDriverCreate leaves its driver
     * object: it goes now, without EvtDriverUnload, as documented. */
    if (globals->driver)
        fx_object_delete(&globals->driver->object);
    fx_handle_for_each_of(globals, report_leak, globals);
    forget(globals);
    fx_globals_unref(globals);
}

/* The last object of an unbound driver (or the unbind itself) frees its
 * globals. */
void fx_globals_unref(struct fx_globals *globals)
{
    if (atomic_fetch_sub(&globals->refs, 1) != 1)
        return;
    globals->magic = 0;
    free(globals);
}
