/*
 * The framework's own locks — WDFSPINLOCK (raises to DISPATCH_LEVEL) and
 * WDFWAITLOCK (a synchronization event, PASSIVE_LEVEL waits with an
 * optional timeout) — with the KMDF verifier's checks: recursive
 * acquisition and release by a thread that does not hold the lock are
 * reported and refused, never turned into a hang or a wrong IRQL.
 *
 * Also here: how a timer, DPC or work item finds its parent and the lock
 * AutomaticSerialization makes its callback take (fx.h).
 */
#include "fx/fx.h"

/* --- Serialization of timer, DPC and work item callbacks --------------- */

NTSTATUS fx_deferred_parent(PWDF_OBJECT_ATTRIBUTES attributes, const char *ddi, struct fx_object **parent)
{
    *parent = NULL;
    if (!attributes || !attributes->ParentObject) {
        fx_violation(ddi, "WDF_OBJECT_ATTRIBUTES.ParentObject is required (a device or one of its descendants)");
        return STATUS_WDF_PARENT_NOT_SPECIFIED;
    }
    struct fx_object *object = fx_handle_object(attributes->ParentObject, FX_TYPE_COUNT, ddi);
    if (!object)
        return STATUS_INVALID_PARAMETER;
    if (!fx_object_ancestor(object, FX_TYPE_DEVICE)) {
        fx_violation(ddi, "the parent, a %s, is not a WDFDEVICE and has none among its ancestors",
                     object->ops->name);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    *parent = object;
    return STATUS_SUCCESS;
}

/* The device or queue whose synchronization scope a callback falls under:
 * the nearest one at or above parent. */
static struct fx_object *scope_owner(struct fx_object *parent)
{
    for (struct fx_object *o = parent; o; o = o->parent)
        if (o->type == FX_TYPE_QUEUE || o->type == FX_TYPE_DEVICE)
            return o;
    return NULL;
}

NTSTATUS fx_deferred_lock(struct fx_object *parent, bool passive, const char *ddi, struct fx_callback_lock **lock)
{
    struct fx_object *owner = scope_owner(parent);

    *lock = NULL;
    if (!owner || owner->sync_scope == WdfSynchronizationScopeNone ||
        owner->sync_scope == WdfSynchronizationScopeInheritFromParent)
        return STATUS_SUCCESS;
    struct fx_callback_lock *found = fx_object_callback_lock(owner);
    if (!found)
        return STATUS_SUCCESS;
    /* A spin lock cannot be held around a passive callback, nor a mutex
     * taken at DISPATCH_LEVEL. */
    if (found->passive != passive) {
        fx_violation(ddi, "AutomaticSerialization with a %s whose callbacks run at %s needs %s-level callbacks "
                     "(set AutomaticSerialization to FALSE, or match the execution level)",
                     owner->ops->name, found->passive ? "PASSIVE_LEVEL" : "DISPATCH_LEVEL",
                     found->passive ? "passive" : "dispatch");
        return STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL;
    }
    *lock = found;
    return STATUS_SUCCESS;
}

/* --- WDFSPINLOCK ---------------------------------------------------------- */

struct fx_spinlock {
    struct fx_object object;
    KSPIN_LOCK lock;
    KIRQL irql;                /* what Release restores; written by the holder */
    PETHREAD _Atomic owner;
};

const struct fx_type_ops fx_ops_spinlock = {
    .name = "WDFSPINLOCK",
    .driver_may_delete = true,
};

static struct fx_object *default_parent(struct fx_globals *globals)
{
    return globals->driver ? &globals->driver->object : NULL;
}

/* Creates a spin lock, parented to the driver unless the attributes say
 * otherwise. IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER, STATUS_WDF_*_INVALID for levels in the
 * attributes, STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS spinlock_create(PWDF_DRIVER_GLOBALS g, PWDF_OBJECT_ATTRIBUTES SpinLockAttributes,
                                WDFSPINLOCK *SpinLock)
{
    struct fx_globals *globals = fx_globals_of(g);
    NTSTATUS status;

    if (!SpinLock) {
        fx_violation("WdfSpinLockCreate", "SpinLock is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    *SpinLock = NULL;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(SpinLockAttributes, false, "WdfSpinLockCreate")))
        return status;
    struct fx_spinlock *lock = fx_object_new(globals, FX_TYPE_SPINLOCK, sizeof(*lock), SpinLockAttributes,
                                             default_parent(globals), &status);
    if (!lock)
        return status;
    KeInitializeSpinLock(&lock->lock);
    *SpinLock = (WDFSPINLOCK)lock->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfSpinLockCreate, PFN_WDFSPINLOCKCREATE, spinlock_create);

/* Acquires the lock, raising to DISPATCH_LEVEL. IRQL <= DISPATCH_LEVEL.
 * Taking a lock the thread already holds is reported and refused (it
 * would spin forever). */
static void spinlock_acquire(PWDF_DRIVER_GLOBALS g, WDFSPINLOCK SpinLock)
{
    (void)g;
    struct fx_spinlock *lock = FX_LOOKUP(fx_spinlock, FX_TYPE_SPINLOCK, SpinLock, "WdfSpinLockAcquire");
    if (!lock || !fx_check_irql(DISPATCH_LEVEL, "WdfSpinLockAcquire"))
        return;
    PETHREAD self = PsGetCurrentThread();
    if (atomic_load(&lock->owner) == self) {
        fx_violation("WdfSpinLockAcquire", "WDFSPINLOCK %p acquired again by the thread that holds it",
                     (void *)SpinLock);
        return;
    }
    KIRQL irql;
    KeAcquireSpinLock(&lock->lock, &irql);
    lock->irql = irql;
    atomic_store(&lock->owner, self);
}
FX_EXPORT(WdfSpinLockAcquire, PFN_WDFSPINLOCKACQUIRE, spinlock_acquire);

/* Releases the lock and returns to the IRQL Acquire raised from. IRQL
 * DISPATCH_LEVEL (the holder's). A release by a thread that does not hold
 * the lock is reported and ignored. */
static void spinlock_release(PWDF_DRIVER_GLOBALS g, WDFSPINLOCK SpinLock)
{
    (void)g;
    struct fx_spinlock *lock = FX_LOOKUP(fx_spinlock, FX_TYPE_SPINLOCK, SpinLock, "WdfSpinLockRelease");
    if (!lock)
        return;
    if (atomic_load(&lock->owner) != PsGetCurrentThread()) {
        fx_violation("WdfSpinLockRelease", "WDFSPINLOCK %p released by a thread that does not hold it",
                     (void *)SpinLock);
        return;
    }
    KIRQL irql = lock->irql;
    atomic_store(&lock->owner, NULL);
    KeReleaseSpinLock(&lock->lock, irql);
}
FX_EXPORT(WdfSpinLockRelease, PFN_WDFSPINLOCKRELEASE, spinlock_release);

/* --- WDFWAITLOCK ---------------------------------------------------------- */

struct fx_waitlock {
    struct fx_object object;
    KEVENT event;              /* signalled while free */
    PETHREAD _Atomic owner;
    bool critical;             /* the owner entered a critical region */
};

const struct fx_type_ops fx_ops_waitlock = {
    .name = "WDFWAITLOCK",
    .driver_may_delete = true,
};

/* Creates a wait lock, free, parented to the driver unless the attributes
 * say otherwise. IRQL <= DISPATCH_LEVEL. Statuses as WdfSpinLockCreate. */
static NTSTATUS waitlock_create(PWDF_DRIVER_GLOBALS g, PWDF_OBJECT_ATTRIBUTES LockAttributes, WDFWAITLOCK *Lock)
{
    struct fx_globals *globals = fx_globals_of(g);
    NTSTATUS status;

    if (!Lock) {
        fx_violation("WdfWaitLockCreate", "Lock is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    *Lock = NULL;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(LockAttributes, false, "WdfWaitLockCreate")))
        return status;
    struct fx_waitlock *lock = fx_object_new(globals, FX_TYPE_WAITLOCK, sizeof(*lock), LockAttributes,
                                             default_parent(globals), &status);
    if (!lock)
        return status;
    KeInitializeEvent(&lock->event, SynchronizationEvent, TRUE);
    *Lock = (WDFWAITLOCK)lock->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfWaitLockCreate, PFN_WDFWAITLOCKCREATE, waitlock_create);

/* Acquires the lock, inside a critical region below DISPATCH_LEVEL.
 * Timeout: NULL waits forever, 0 only tries, otherwise 100 ns units
 * (negative relative). IRQL PASSIVE_LEVEL, or <= DISPATCH_LEVEL with a
 * zero timeout. STATUS_SUCCESS, STATUS_TIMEOUT (not acquired),
 * STATUS_INVALID_DEVICE_REQUEST (wrong IRQL, reported). A recursive acquisition is reported and answered with
 * STATUS_TIMEOUT, where Windows would deadlock. */
static NTSTATUS waitlock_acquire(PWDF_DRIVER_GLOBALS g, WDFWAITLOCK Lock, PLONGLONG Timeout)
{
    (void)g;
    struct fx_waitlock *lock = FX_LOOKUP(fx_waitlock, FX_TYPE_WAITLOCK, Lock, "WdfWaitLockAcquire");
    if (!lock)
        return STATUS_INVALID_PARAMETER;
    bool poll = Timeout && *Timeout == 0;
    if (!fx_check_irql(poll ? DISPATCH_LEVEL : PASSIVE_LEVEL, "WdfWaitLockAcquire"))
        return STATUS_INVALID_DEVICE_REQUEST;
    PETHREAD self = PsGetCurrentThread();
    if (atomic_load(&lock->owner) == self) {
        fx_violation("WdfWaitLockAcquire", "WDFWAITLOCK %p acquired again by the thread that holds it",
                     (void *)Lock);
        return STATUS_TIMEOUT;
    }
    /* A critical region is an APC_LEVEL-and-below notion; a poll at
     * DISPATCH_LEVEL already keeps APCs out. */
    bool critical = KeGetCurrentIrql() <= APC_LEVEL;
    if (critical)
        KeEnterCriticalRegion();
    NTSTATUS status = KeWaitForSingleObject(&lock->event, Executive, KernelMode, FALSE, (PLARGE_INTEGER)Timeout);
    if (status != STATUS_SUCCESS) {
        if (critical)
            KeLeaveCriticalRegion();
        return STATUS_TIMEOUT;
    }
    atomic_store(&lock->owner, self);
    lock->critical = critical;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfWaitLockAcquire, PFN_WDFWAITLOCKACQUIRE, waitlock_acquire);

/* Releases the lock and leaves its critical region. IRQL <=
 * DISPATCH_LEVEL. A release by a thread that does not hold it is
 * reported and ignored. */
static void waitlock_release(PWDF_DRIVER_GLOBALS g, WDFWAITLOCK Lock)
{
    (void)g;
    struct fx_waitlock *lock = FX_LOOKUP(fx_waitlock, FX_TYPE_WAITLOCK, Lock, "WdfWaitLockRelease");
    if (!lock || !fx_check_irql(DISPATCH_LEVEL, "WdfWaitLockRelease"))
        return;
    if (atomic_load(&lock->owner) != PsGetCurrentThread()) {
        fx_violation("WdfWaitLockRelease", "WDFWAITLOCK %p released by a thread that does not hold it",
                     (void *)Lock);
        return;
    }
    bool critical = lock->critical;
    atomic_store(&lock->owner, NULL);
    KeSetEvent(&lock->event, IO_NO_INCREMENT, FALSE);
    if (critical)
        KeLeaveCriticalRegion();
}
FX_EXPORT(WdfWaitLockRelease, PFN_WDFWAITLOCKRELEASE, waitlock_release);
