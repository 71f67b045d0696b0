/*
 * Remove locks: a count of the I/O in flight on a device, and a way for the
 * remove path to wait until it drains. The count starts at one (the bias
 * IoReleaseRemoveLockAndWait drops), as the WDK implementation does.
 */
#include "io/io.h"
#include "verifier/verifier.h"

KMH_EXPORT void IoInitializeRemoveLockEx(PIO_REMOVE_LOCK Lock, ULONG AllocateTag, ULONG MaxLockedMinutes,
                                         ULONG HighWatermark, ULONG RemlockSize)
{
    if (RemlockSize != sizeof(IO_REMOVE_LOCK) && RemlockSize != sizeof(IO_REMOVE_LOCK_COMMON_BLOCK))
        vf_report(VF_LOCK, "IoInitializeRemoveLock", __builtin_return_address(0), "unexpected lock size %u",
                  (unsigned)RemlockSize);
    memset(Lock, 0, RemlockSize);
    Lock->Common.IoCount = 1;
    KeInitializeEvent(&Lock->Common.RemoveEvent, SynchronizationEvent, FALSE);
    if (RemlockSize == sizeof(IO_REMOVE_LOCK)) {
        Lock->Dbg.AllocateTag = (LONG)AllocateTag;
        Lock->Dbg.HighWatermark = HighWatermark;
        Lock->Dbg.MaxLockedTicks = (LONGLONG)MaxLockedMinutes * 60 * 64;
    }
}

KMH_EXPORT NTSTATUS IoAcquireRemoveLockEx(PIO_REMOVE_LOCK RemoveLock, PVOID Tag, PCSTR File, ULONG Line,
                                          ULONG RemlockSize)
{
    LONG count = InterlockedIncrement(&RemoveLock->Common.IoCount);
    (void)Tag;
    (void)File;
    (void)Line;
    if (RemlockSize == sizeof(IO_REMOVE_LOCK) && RemoveLock->Dbg.HighWatermark &&
        (ULONG)count > RemoveLock->Dbg.HighWatermark)
        vf_report(VF_LOCK, "IoAcquireRemoveLock", __builtin_return_address(0),
                  "%ld holders exceed the high watermark %u", (long)count, (unsigned)RemoveLock->Dbg.HighWatermark);
    if (!RemoveLock->Common.Removed)
        return STATUS_SUCCESS;
    if (InterlockedDecrement(&RemoveLock->Common.IoCount) == 0)
        KeSetEvent(&RemoveLock->Common.RemoveEvent, IO_NO_INCREMENT, FALSE);
    return STATUS_DELETE_PENDING;
}

KMH_EXPORT void IoReleaseRemoveLockEx(PIO_REMOVE_LOCK RemoveLock, PVOID Tag, ULONG RemlockSize)
{
    (void)Tag;
    (void)RemlockSize;
    LONG count = InterlockedDecrement(&RemoveLock->Common.IoCount);
    if (count < 0)
        vf_report(VF_LOCK, "IoReleaseRemoveLock", __builtin_return_address(0),
                  "released more often than acquired");
    if (count == 0)
        KeSetEvent(&RemoveLock->Common.RemoveEvent, IO_NO_INCREMENT, FALSE);
}

/* The caller holds the lock once (acquired for the remove IRP); that and
 * the initial bias both go, then it waits for everyone else. */
KMH_EXPORT void IoReleaseRemoveLockAndWaitEx(PIO_REMOVE_LOCK RemoveLock, PVOID Tag, ULONG RemlockSize)
{
    (void)Tag;
    (void)RemlockSize;
    RemoveLock->Common.Removed = TRUE;
    InterlockedDecrement(&RemoveLock->Common.IoCount);
    if (InterlockedDecrement(&RemoveLock->Common.IoCount) > 0)
        KeWaitForSingleObject(&RemoveLock->Common.RemoveEvent, Executive, KernelMode, FALSE, NULL);
}
