/*
 * WDFDPC: a KDPC owned by a framework object under a device, whose routine
 * calls EvtDpcFunc at DISPATCH_LEVEL — under the scope's dispatch-level
 * callback lock with AutomaticSerialization. Cancel with Wait (and
 * deletion) also waits for a DPC already running.
 */
#include "fx/fx.h"

struct fx_dpc {
    struct fx_object object;
    PFN_WDF_DPC callback;
    struct fx_callback_lock *lock; /* AutomaticSerialization, or NULL */
    KDPC dpc;
};

static void dpc_routine(PKDPC kdpc, PVOID context, PVOID arg1, PVOID arg2)
{
    struct fx_dpc *dpc = context;

    (void)kdpc, (void)arg1, (void)arg2;
    /* A callback that deletes its DPC object must not free it under us. */
    fx_object_ref(&dpc->object);
    if (dpc->lock)
        fx_callback_lock_acquire(dpc->lock);
    dpc->callback((WDFDPC)dpc->object.handle);
    if (dpc->lock)
        fx_callback_lock_release(dpc->lock);
    fx_object_unref(&dpc->object);
}

/* At PASSIVE_LEVEL (cleanup_at_passive): a DPC object deleted from its
 * own callback is finished by a work item, which can wait for it. */
static void dpc_dispose(struct fx_object *object)
{
    struct fx_dpc *dpc = (struct fx_dpc *)object;
    /* WdfDpcEnqueue refuses now, but a driver holding the KDPC
     * (WdfDpcWdmGetDpc) may still queue it from a running callback. */
    KeRemoveQueueDpc(&dpc->dpc);
    do
        KeFlushQueuedDpcs();
    while (KeRemoveQueueDpc(&dpc->dpc));
}

const struct fx_type_ops fx_ops_dpc = {
    .name = "WDFDPC",
    .driver_may_delete = true,
    .cleanup_at_passive = true,
    .dispose = dpc_dispose,
};

static NTSTATUS dpc_config_check(PWDF_DPC_CONFIG config, PWDF_OBJECT_ATTRIBUTES attributes)
{
    if (config->Size != sizeof(*config)) {
        fx_violation("WdfDpcCreate", "WDF_DPC_CONFIG.Size is %lu, expected %zu", (unsigned long)config->Size,
                     sizeof(*config));
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    if (!config->EvtDpcFunc) {
        fx_violation("WdfDpcCreate", "EvtDpcFunc is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    return fx_attributes_check_levels(attributes, false, "WdfDpcCreate");
}

/* Creates a DPC object under a device (or one of its descendants), which
 * deletes it. IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_WDF_PARENT_NOT_SPECIFIED, STATUS_INVALID_DEVICE_REQUEST (no device
 * above the parent), STATUS_INFO_LENGTH_MISMATCH,
 * STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL (AutomaticSerialization with a
 * passive-level scope), STATUS_INVALID_PARAMETER,
 * STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS dpc_create(PWDF_DRIVER_GLOBALS g, PWDF_DPC_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes,
                           WDFDPC *Dpc)
{
    struct fx_callback_lock *lock = NULL;
    struct fx_object *parent;
    NTSTATUS status;

    if (!Config || !Dpc) {
        fx_violation("WdfDpcCreate", "Config and Dpc are required");
        return STATUS_INVALID_PARAMETER;
    }
    *Dpc = NULL;
    if (!NT_SUCCESS(status = fx_deferred_parent(Attributes, "WdfDpcCreate", &parent)) ||
        !NT_SUCCESS(status = dpc_config_check(Config, Attributes)))
        return status;
    if (Config->AutomaticSerialization &&
        !NT_SUCCESS(status = fx_deferred_lock(parent, false, "WdfDpcCreate", &lock)))
        return status;
    struct fx_dpc *dpc = fx_object_new(fx_globals_of(g), FX_TYPE_DPC, sizeof(*dpc), Attributes, NULL, &status);
    if (!dpc)
        return status;
    dpc->callback = Config->EvtDpcFunc;
    dpc->lock = lock;
    KeInitializeDpc(&dpc->dpc, dpc_routine, dpc);
    *Dpc = (WDFDPC)dpc->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDpcCreate, PFN_WDFDPCCREATE, dpc_create);

/* Queues the DPC. Any IRQL. Returns FALSE if it was already queued (it
 * will run once). */
static BOOLEAN dpc_enqueue(PWDF_DRIVER_GLOBALS g, WDFDPC Dpc)
{
    (void)g;
    struct fx_dpc *dpc = FX_LOOKUP(fx_dpc, FX_TYPE_DPC, Dpc, "WdfDpcEnqueue");
    if (!dpc)
        return FALSE;
    if (!fx_object_is_live(&dpc->object)) {
        fx_violation("WdfDpcEnqueue", "WDFDPC %p is being deleted", (void *)Dpc);
        return FALSE;
    }
    return KeInsertQueueDpc(&dpc->dpc, NULL, NULL);
}
FX_EXPORT(WdfDpcEnqueue, PFN_WDFDPCENQUEUE, dpc_enqueue);

/* Takes the DPC off its queue; with Wait, also waits for one already
 * running. IRQL PASSIVE_LEVEL with Wait, else any. Returns TRUE if it was
 * queued (its callback will not run for that queueing). */
static BOOLEAN dpc_cancel(PWDF_DRIVER_GLOBALS g, WDFDPC Dpc, BOOLEAN Wait)
{
    (void)g;
    struct fx_dpc *dpc = FX_LOOKUP(fx_dpc, FX_TYPE_DPC, Dpc, "WdfDpcCancel");
    if (!dpc || (Wait && !fx_check_irql(PASSIVE_LEVEL, "WdfDpcCancel")))
        return FALSE;
    BOOLEAN removed = KeRemoveQueueDpc(&dpc->dpc);
    if (Wait)
        KeFlushQueuedDpcs();
    return removed;
}
FX_EXPORT(WdfDpcCancel, PFN_WDFDPCCANCEL, dpc_cancel);

/* The parent given at creation. Any IRQL. */
static WDFOBJECT dpc_get_parent_object(PWDF_DRIVER_GLOBALS g, WDFDPC Dpc)
{
    (void)g;
    struct fx_dpc *dpc = FX_LOOKUP(fx_dpc, FX_TYPE_DPC, Dpc, "WdfDpcGetParentObject");
    return dpc && dpc->object.parent ? dpc->object.parent->handle : NULL;
}
FX_EXPORT(WdfDpcGetParentObject, PFN_WDFDPCGETPARENTOBJECT, dpc_get_parent_object);

/* The KDPC inside the object, for KeInsertQueueDpc and friends. Any IRQL. */
static PKDPC dpc_wdm_get_dpc(PWDF_DRIVER_GLOBALS g, WDFDPC Dpc)
{
    (void)g;
    struct fx_dpc *dpc = FX_LOOKUP(fx_dpc, FX_TYPE_DPC, Dpc, "WdfDpcWdmGetDpc");
    return dpc ? &dpc->dpc : NULL;
}
FX_EXPORT(WdfDpcWdmGetDpc, PFN_WDFDPCWDMGETDPC, dpc_wdm_get_dpc);
