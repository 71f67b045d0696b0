/*
 * wdfsync.h: the framework's locks: an object's own presentation lock, wait
 * locks (PASSIVE_LEVEL, may time out) and spin locks (raise to
 * DISPATCH_LEVEL).
 */
#ifndef _WDFSYNC_H_
#define _WDFSYNC_H_

WDF_EXTERN_C_START

/* Takes the lock the framework uses to serialize the object's callbacks. */
KMH_WDF_IMPORT_DECL(WdfObjectAcquireLock);
typedef VOID (*PFN_WDFOBJECTACQUIRELOCK)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFOBJECT Object);
FORCEINLINE VOID WdfObjectAcquireLock(WDFOBJECT Object)
{
    KMH_WDF_IMPORT(WdfObjectAcquireLock);
    ((PFN_WDFOBJECTACQUIRELOCK)WdfFunctions[WdfObjectAcquireLockTableIndex])(WdfDriverGlobals, Object);
}

KMH_WDF_IMPORT_DECL(WdfObjectReleaseLock);
typedef VOID (*PFN_WDFOBJECTRELEASELOCK)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFOBJECT Object);
FORCEINLINE VOID WdfObjectReleaseLock(WDFOBJECT Object)
{
    KMH_WDF_IMPORT(WdfObjectReleaseLock);
    ((PFN_WDFOBJECTRELEASELOCK)WdfFunctions[WdfObjectReleaseLockTableIndex])(WdfDriverGlobals, Object);
}

KMH_WDF_IMPORT_DECL(WdfWaitLockCreate);
typedef NTSTATUS (*PFN_WDFWAITLOCKCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_OBJECT_ATTRIBUTES LockAttributes, WDFWAITLOCK *Lock);
FORCEINLINE NTSTATUS WdfWaitLockCreate(PWDF_OBJECT_ATTRIBUTES LockAttributes, WDFWAITLOCK *Lock)
{
    KMH_WDF_IMPORT(WdfWaitLockCreate);
    return ((PFN_WDFWAITLOCKCREATE)WdfFunctions[WdfWaitLockCreateTableIndex])(WdfDriverGlobals, LockAttributes, Lock);
}

/* Timeout in 100 ns units, negative for relative; NULL waits forever and a
 * zero timeout only tries (STATUS_TIMEOUT if the lock is held). */
KMH_WDF_IMPORT_DECL(WdfWaitLockAcquire);
typedef NTSTATUS (*PFN_WDFWAITLOCKACQUIRE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWAITLOCK Lock, PLONGLONG Timeout);
FORCEINLINE NTSTATUS WdfWaitLockAcquire(WDFWAITLOCK Lock, PLONGLONG Timeout)
{
    KMH_WDF_IMPORT(WdfWaitLockAcquire);
    return ((PFN_WDFWAITLOCKACQUIRE)WdfFunctions[WdfWaitLockAcquireTableIndex])(WdfDriverGlobals, Lock, Timeout);
}

KMH_WDF_IMPORT_DECL(WdfWaitLockRelease);
typedef VOID (*PFN_WDFWAITLOCKRELEASE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWAITLOCK Lock);
FORCEINLINE VOID WdfWaitLockRelease(WDFWAITLOCK Lock)
{
    KMH_WDF_IMPORT(WdfWaitLockRelease);
    ((PFN_WDFWAITLOCKRELEASE)WdfFunctions[WdfWaitLockReleaseTableIndex])(WdfDriverGlobals, Lock);
}

KMH_WDF_IMPORT_DECL(WdfSpinLockCreate);
typedef NTSTATUS (*PFN_WDFSPINLOCKCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_OBJECT_ATTRIBUTES SpinLockAttributes, WDFSPINLOCK *SpinLock);
FORCEINLINE NTSTATUS WdfSpinLockCreate(PWDF_OBJECT_ATTRIBUTES SpinLockAttributes, WDFSPINLOCK *SpinLock)
{
    KMH_WDF_IMPORT(WdfSpinLockCreate);
    return ((PFN_WDFSPINLOCKCREATE)WdfFunctions[WdfSpinLockCreateTableIndex])(WdfDriverGlobals, SpinLockAttributes, SpinLock);
}

KMH_WDF_IMPORT_DECL(WdfSpinLockAcquire);
typedef VOID (*PFN_WDFSPINLOCKACQUIRE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFSPINLOCK SpinLock);
FORCEINLINE VOID WdfSpinLockAcquire(WDFSPINLOCK SpinLock)
{
    KMH_WDF_IMPORT(WdfSpinLockAcquire);
    ((PFN_WDFSPINLOCKACQUIRE)WdfFunctions[WdfSpinLockAcquireTableIndex])(WdfDriverGlobals, SpinLock);
}

KMH_WDF_IMPORT_DECL(WdfSpinLockRelease);
typedef VOID (*PFN_WDFSPINLOCKRELEASE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFSPINLOCK SpinLock);
FORCEINLINE VOID WdfSpinLockRelease(WDFSPINLOCK SpinLock)
{
    KMH_WDF_IMPORT(WdfSpinLockRelease);
    ((PFN_WDFSPINLOCKRELEASE)WdfFunctions[WdfSpinLockReleaseTableIndex])(WdfDriverGlobals, SpinLock);
}

WDF_EXTERN_C_END

#endif /* _WDFSYNC_H_ */
