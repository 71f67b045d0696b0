/*
 * Part of wdm.h: the kernel layer — IRQL, spin locks, dispatcher objects
 * (events, semaphores, mutexes, timers, threads), DPCs, waits, interlocked
 * operations and time. Include <wdm.h> or <ntddk.h>, not this file.
 *
 * Dispatcher objects keep the WDK's shape (a DISPATCHER_HEADER first) so
 * drivers can embed them in their own structures; kmhost's executive owns
 * what the fields mean.
 */
#ifndef _KMH_KE_H
#define _KMH_KE_H

/* --- Interrupt request levels ----------------------------------------- */
typedef UCHAR KIRQL, *PKIRQL;
typedef CCHAR KPROCESSOR_MODE;
typedef LONG KPRIORITY;
typedef ULONG KSPIN_LOCK_QUEUE_NUMBER;

#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define CMCI_LEVEL 5
#define CLOCK_LEVEL 13
#define IPI_LEVEL 14
#define DRS_LEVEL 14
#define POWER_LEVEL 14
#define PROFILE_LEVEL 15
#define HIGH_LEVEL 15
#define SYNCH_LEVEL 12

typedef enum _MODE { KernelMode, UserMode, MaximumMode } MODE;

#define LOW_PRIORITY 0
#define LOW_REALTIME_PRIORITY 16
#define HIGH_PRIORITY 31
#define MAXIMUM_PRIORITY 32

NTKERNELAPI KIRQL KeGetCurrentIrql(void);
NTKERNELAPI KIRQL KfRaiseIrql(KIRQL NewIrql);
NTKERNELAPI void KeLowerIrql(KIRQL NewIrql);
NTKERNELAPI KIRQL KeRaiseIrqlToDpcLevel(void);
NTKERNELAPI KIRQL KeRaiseIrqlToSynchLevel(void);
#define KeRaiseIrql(a, b) (*(b) = KfRaiseIrql(a))
#define KfLowerIrql KeLowerIrql

/* --- Spin locks ------------------------------------------------------- */
typedef ULONG_PTR KSPIN_LOCK, *PKSPIN_LOCK;

typedef struct _KSPIN_LOCK_QUEUE {
    struct _KSPIN_LOCK_QUEUE *volatile Next;
    PKSPIN_LOCK volatile Lock;
} KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;

typedef struct _KLOCK_QUEUE_HANDLE {
    KSPIN_LOCK_QUEUE LockQueue;
    KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

NTKERNELAPI void KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
NTKERNELAPI KIRQL KfAcquireSpinLock(PKSPIN_LOCK SpinLock);
NTKERNELAPI void KfReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);
NTKERNELAPI void KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
NTKERNELAPI void KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);
NTKERNELAPI KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock);
NTKERNELAPI BOOLEAN KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
NTKERNELAPI BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock);
NTKERNELAPI void KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI void KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI void KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI void KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle);
#define KeAcquireSpinLock(SpinLock, OldIrql) (*(OldIrql) = KfAcquireSpinLock(SpinLock))
#define KeReleaseSpinLock(SpinLock, NewIrql) KfReleaseSpinLock(SpinLock, NewIrql)

/* --- Dispatcher objects ----------------------------------------------- */
typedef struct _DISPATCHER_HEADER {
    UCHAR Type;      /* KOBJECTS */
    UCHAR Signalling;
    UCHAR Size;
    UCHAR Reserved1;
    volatile LONG SignalState;
    LIST_ENTRY WaitListHead;
} DISPATCHER_HEADER, *PDISPATCHER_HEADER;

typedef enum _KOBJECTS {
    EventNotificationObject = 0,
    EventSynchronizationObject = 1,
    MutantObject = 2,
    ProcessObject = 3,
    QueueObject = 4,
    SemaphoreObject = 5,
    ThreadObject = 6,
    GateObject = 7,
    TimerNotificationObject = 8,
    TimerSynchronizationObject = 9,
} KOBJECTS;

typedef struct _KEVENT {
    DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT, *PRKEVENT;

typedef struct _KSEMAPHORE {
    DISPATCHER_HEADER Header;
    LONG Limit;
} KSEMAPHORE, *PKSEMAPHORE, *PRKSEMAPHORE;

typedef struct _KTHREAD *PKTHREAD, *PRKTHREAD;
typedef struct _ETHREAD *PETHREAD, *PRETHREAD;
typedef struct _KPROCESS *PKPROCESS, *PRKPROCESS;
typedef struct _EPROCESS *PEPROCESS, *PREPROCESS;

typedef struct _KMUTANT {
    DISPATCHER_HEADER Header;
    LIST_ENTRY MutantListEntry;
    PKTHREAD OwnerThread;
    BOOLEAN Abandoned;
    UCHAR ApcDisable;
} KMUTANT, *PKMUTANT, *PRKMUTANT, KMUTEX, *PKMUTEX, *PRKMUTEX;

typedef struct _KDPC *PKDPC, *PRKDPC;

typedef struct _KTIMER {
    DISPATCHER_HEADER Header;
    ULARGE_INTEGER DueTime;  /* absolute, in KeQueryInterruptTime units */
    LIST_ENTRY TimerListEntry;
    PKDPC Dpc;
    ULONG Processor;
    LONG Period;             /* milliseconds; 0 for one-shot */
} KTIMER, *PKTIMER, *PRKTIMER;

typedef struct _KGATE {
    DISPATCHER_HEADER Header;
} KGATE, *PKGATE;

#define THREAD_WAIT_OBJECTS 3
#define MAXIMUM_WAIT_OBJECTS 64

typedef struct _KWAIT_BLOCK {
    LIST_ENTRY WaitListEntry; /* on the object's WaitListHead */
    UCHAR WaitType;
    volatile UCHAR BlockState;
    USHORT WaitKey;           /* index of the object in the wait */
    LONG SpareLong;
    PKTHREAD Thread;
    PVOID Object;
    PVOID SparePtr;
} KWAIT_BLOCK, *PKWAIT_BLOCK, *PRKWAIT_BLOCK;

typedef enum _KWAIT_REASON {
    Executive, FreePage, PageIn, PoolAllocation, DelayExecution, Suspended,
    UserRequest, WrExecutive, WrFreePage, WrPageIn, WrPoolAllocation,
    WrDelayExecution, WrSuspended, WrUserRequest, WrEventPair, WrQueue,
    WrLpcReceive, WrLpcReply, WrVirtualMemory, WrPageOut, WrRendezvous,
    WrKeyedEvent, WrTerminated, WrProcessInSwap, WrCpuRateControl,
    WrCalloutStack, WrKernel, WrResource, WrPushLock, WrMutex,
    WrQuantumEnd, WrDispatchInt, WrPreempted, WrYieldExecution,
    WrFastMutex, WrGuardedMutex, WrRundown, WrAlertByThreadId,
    WrDeferredPreempt, MaximumWaitReason
} KWAIT_REASON;

#define EVENT_INCREMENT 1
#define IO_NO_INCREMENT 0
#define IO_CD_ROM_INCREMENT 1
#define IO_DISK_INCREMENT 1
#define IO_KEYBOARD_INCREMENT 6
#define IO_MAILSLOT_INCREMENT 2
#define IO_MOUSE_INCREMENT 6
#define IO_NAMED_PIPE_INCREMENT 2
#define IO_NETWORK_INCREMENT 2
#define IO_PARALLEL_INCREMENT 1
#define IO_SERIAL_INCREMENT 2
#define IO_SOUND_INCREMENT 8
#define IO_VIDEO_INCREMENT 1
#define SEMAPHORE_INCREMENT 1
#define MUTANT_INCREMENT 1

NTKERNELAPI void KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
NTKERNELAPI LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
NTKERNELAPI LONG KeResetEvent(PRKEVENT Event);
NTKERNELAPI void KeClearEvent(PRKEVENT Event);
NTKERNELAPI LONG KeReadStateEvent(PRKEVENT Event);
NTKERNELAPI LONG KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
NTKERNELAPI void KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit);
NTKERNELAPI LONG KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment, BOOLEAN Wait);
NTKERNELAPI LONG KeReadStateSemaphore(PRKSEMAPHORE Semaphore);
NTKERNELAPI void KeInitializeMutex(PRKMUTEX Mutex, ULONG Level);
NTKERNELAPI LONG KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait);
NTKERNELAPI LONG KeReadStateMutex(PRKMUTEX Mutex);
NTKERNELAPI NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
    KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTKERNELAPI NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
    KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
    PLARGE_INTEGER Timeout, PKWAIT_BLOCK WaitBlockArray);
NTKERNELAPI NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval);
#define KeWaitForMutexObject KeWaitForSingleObject

/* --- DPCs and timers -------------------------------------------------- */
typedef void KDEFERRED_ROUTINE(struct _KDPC *Dpc, PVOID DeferredContext,
    PVOID SystemArgument1, PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

typedef enum _KDPC_IMPORTANCE { LowImportance, MediumImportance, HighImportance, MediumHighImportance } KDPC_IMPORTANCE;

typedef struct _KDPC {
    UCHAR Type;
    UCHAR Importance;
    volatile USHORT Number;
    LIST_ENTRY DpcListEntry;
    PKDEFERRED_ROUTINE DeferredRoutine;
    PVOID DeferredContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    volatile PVOID DpcData; /* non-NULL while queued */
} KDPC;

NTKERNELAPI void KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext);
NTKERNELAPI void KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext);
NTKERNELAPI BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2);
NTKERNELAPI BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc);
NTKERNELAPI void KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance);
NTKERNELAPI void KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number);
NTKERNELAPI void KeFlushQueuedDpcs(void);

NTKERNELAPI void KeInitializeTimer(PKTIMER Timer);
NTKERNELAPI void KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type);
NTKERNELAPI BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc);
NTKERNELAPI BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc);
NTKERNELAPI BOOLEAN KeSetCoalescableTimer(PKTIMER Timer, LARGE_INTEGER DueTime, ULONG Period,
    ULONG TolerableDelay, PKDPC Dpc);
NTKERNELAPI BOOLEAN KeCancelTimer(PKTIMER Timer);
NTKERNELAPI BOOLEAN KeReadStateTimer(PKTIMER Timer);

/* --- Threads, processors, time ---------------------------------------- */
typedef void KSTART_ROUTINE(PVOID StartContext);
typedef KSTART_ROUTINE *PKSTART_ROUTINE;

NTKERNELAPI PKTHREAD KeGetCurrentThread(void);
NTKERNELAPI KPRIORITY KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority);
NTKERNELAPI KPRIORITY KeQueryPriorityThread(PKTHREAD Thread);
NTKERNELAPI LONG KeSetBasePriorityThread(PKTHREAD Thread, LONG Increment);
NTKERNELAPI void KeEnterCriticalRegion(void);
NTKERNELAPI void KeLeaveCriticalRegion(void);
NTKERNELAPI void KeEnterGuardedRegion(void);
NTKERNELAPI void KeLeaveGuardedRegion(void);
NTKERNELAPI BOOLEAN KeAreApcsDisabled(void);
NTKERNELAPI BOOLEAN KeAreAllApcsDisabled(void);
NTKERNELAPI ULONG KeGetCurrentProcessorNumber(void);
NTKERNELAPI ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber);
NTKERNELAPI ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors);
NTKERNELAPI ULONG KeQueryActiveProcessorCountEx(USHORT GroupNumber);
NTKERNELAPI ULONG KeQueryMaximumProcessorCount(void);
NTKERNELAPI KAFFINITY KeQueryActiveProcessors(void);
extern NTKERNELAPI CCHAR KeNumberProcessors;

NTKERNELAPI void KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
NTKERNELAPI void KeQuerySystemTime(PLARGE_INTEGER CurrentTime);
NTKERNELAPI void KeQueryTickCount(PLARGE_INTEGER TickCount);
NTKERNELAPI ULONGLONG KeQueryInterruptTime(void);
NTKERNELAPI ULONGLONG KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp);
NTKERNELAPI ULONG KeQueryTimeIncrement(void);
NTKERNELAPI LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency);
NTKERNELAPI void KeStallExecutionProcessor(ULONG MicroSeconds);
NTKERNELAPI ULONGLONG KeQueryUnbiasedInterruptTime(void);

NTKERNELAPI DECLSPEC_NORETURN void KeBugCheck(ULONG BugCheckCode);
NTKERNELAPI DECLSPEC_NORETURN void KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1,
    ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4);

/* Floating point needs no saving in a user process. */
typedef struct _KFLOATING_SAVE { ULONG Dummy; } KFLOATING_SAVE, *PKFLOATING_SAVE;
NTKERNELAPI NTSTATUS KeSaveFloatingPointState(PKFLOATING_SAVE FloatSave);
NTKERNELAPI NTSTATUS KeRestoreFloatingPointState(PKFLOATING_SAVE FloatSave);

#define KeMemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define KeMemoryBarrierWithoutFence() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define YieldProcessor() __builtin_ia32_pause()
#define _ReadWriteBarrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define ReadBarrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define WriteBarrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)

/* --- Interlocked operations (compiler atomics; full barriers) --------- */
#define KMH_ILK static inline __attribute__((always_inline))
KMH_ILK LONG InterlockedIncrement(LONG volatile *a) { return __atomic_add_fetch(a, 1, __ATOMIC_SEQ_CST); }
KMH_ILK LONG InterlockedDecrement(LONG volatile *a) { return __atomic_sub_fetch(a, 1, __ATOMIC_SEQ_CST); }
KMH_ILK LONG InterlockedExchange(LONG volatile *t, LONG v) { return __atomic_exchange_n(t, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG InterlockedExchangeAdd(LONG volatile *a, LONG v) { return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG InterlockedAdd(LONG volatile *a, LONG v) { return __atomic_add_fetch(a, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG InterlockedCompareExchange(LONG volatile *d, LONG x, LONG c)
{
    __atomic_compare_exchange_n(d, &c, x, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return c;
}
KMH_ILK LONG InterlockedAnd(LONG volatile *d, LONG v) { return __atomic_fetch_and(d, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG InterlockedOr(LONG volatile *d, LONG v) { return __atomic_fetch_or(d, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG InterlockedXor(LONG volatile *d, LONG v) { return __atomic_fetch_xor(d, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG64 InterlockedIncrement64(LONG64 volatile *a) { return __atomic_add_fetch(a, 1, __ATOMIC_SEQ_CST); }
KMH_ILK LONG64 InterlockedDecrement64(LONG64 volatile *a) { return __atomic_sub_fetch(a, 1, __ATOMIC_SEQ_CST); }
KMH_ILK LONG64 InterlockedExchange64(LONG64 volatile *t, LONG64 v) { return __atomic_exchange_n(t, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG64 InterlockedExchangeAdd64(LONG64 volatile *a, LONG64 v) { return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG64 InterlockedAdd64(LONG64 volatile *a, LONG64 v) { return __atomic_add_fetch(a, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG64 InterlockedCompareExchange64(LONG64 volatile *d, LONG64 x, LONG64 c)
{
    __atomic_compare_exchange_n(d, &c, x, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return c;
}
KMH_ILK LONG64 InterlockedAnd64(LONG64 volatile *d, LONG64 v) { return __atomic_fetch_and(d, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG64 InterlockedOr64(LONG64 volatile *d, LONG64 v) { return __atomic_fetch_or(d, v, __ATOMIC_SEQ_CST); }
KMH_ILK LONG64 InterlockedXor64(LONG64 volatile *d, LONG64 v) { return __atomic_fetch_xor(d, v, __ATOMIC_SEQ_CST); }
KMH_ILK PVOID InterlockedExchangePointer(PVOID volatile *t, PVOID v) { return __atomic_exchange_n(t, v, __ATOMIC_SEQ_CST); }
KMH_ILK PVOID InterlockedCompareExchangePointer(PVOID volatile *d, PVOID x, PVOID c)
{
    __atomic_compare_exchange_n(d, &c, x, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return c;
}
KMH_ILK SHORT InterlockedIncrement16(SHORT volatile *a) { return __atomic_add_fetch(a, 1, __ATOMIC_SEQ_CST); }
KMH_ILK SHORT InterlockedDecrement16(SHORT volatile *a) { return __atomic_sub_fetch(a, 1, __ATOMIC_SEQ_CST); }
KMH_ILK SHORT InterlockedCompareExchange16(SHORT volatile *d, SHORT x, SHORT c)
{
    __atomic_compare_exchange_n(d, &c, x, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return c;
}
KMH_ILK char InterlockedExchange8(char volatile *t, char v) { return __atomic_exchange_n(t, v, __ATOMIC_SEQ_CST); }
KMH_ILK BOOLEAN InterlockedBitTestAndSet(LONG volatile *b, LONG bit)
{
    return (BOOLEAN)((__atomic_fetch_or(b, (LONG)(1u << bit), __ATOMIC_SEQ_CST) >> bit) & 1);
}
KMH_ILK BOOLEAN InterlockedBitTestAndReset(LONG volatile *b, LONG bit)
{
    return (BOOLEAN)((__atomic_fetch_and(b, (LONG)~(1u << bit), __ATOMIC_SEQ_CST) >> bit) & 1);
}
#define InterlockedIncrementAcquire InterlockedIncrement
#define InterlockedIncrementRelease InterlockedIncrement
#define InterlockedIncrementNoFence InterlockedIncrement
#define InterlockedDecrementAcquire InterlockedDecrement
#define InterlockedDecrementRelease InterlockedDecrement
#define InterlockedDecrementNoFence InterlockedDecrement
#define InterlockedCompareExchangeAcquire InterlockedCompareExchange
#define InterlockedCompareExchangeRelease InterlockedCompareExchange
#define InterlockedCompareExchangeNoFence InterlockedCompareExchange
#define InterlockedExchangeNoFence InterlockedExchange
#define InterlockedExchangeAcquire InterlockedExchange
#define InterlockedOrRelease InterlockedOr
#define InterlockedAndRelease InterlockedAnd
#define InterlockedCompareExchangePointerAcquire InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerRelease InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerNoFence InterlockedCompareExchangePointer
#define InterlockedExchangePointerNoFence InterlockedExchangePointer
#define InterlockedIncrementSizeT(a) ((SIZE_T)InterlockedIncrement64((LONG64 volatile *)(a)))
#define InterlockedDecrementSizeT(a) ((SIZE_T)InterlockedDecrement64((LONG64 volatile *)(a)))
#define InterlockedExchangeAddSizeT(a, b) ((SIZE_T)InterlockedExchangeAdd64((LONG64 volatile *)(a), (LONG64)(b)))
#define _InterlockedIncrement InterlockedIncrement
#define _InterlockedDecrement InterlockedDecrement
#define _InterlockedExchange InterlockedExchange
#define _InterlockedCompareExchange InterlockedCompareExchange
#define _InterlockedExchangeAdd InterlockedExchangeAdd
#define _InterlockedOr InterlockedOr
#define _InterlockedAnd InterlockedAnd

KMH_ILK LONG ReadNoFence(LONG const volatile *s) { return __atomic_load_n(s, __ATOMIC_RELAXED); }
KMH_ILK LONG ReadAcquire(LONG const volatile *s) { return __atomic_load_n(s, __ATOMIC_ACQUIRE); }
KMH_ILK void WriteNoFence(LONG volatile *d, LONG v) { __atomic_store_n(d, v, __ATOMIC_RELAXED); }
KMH_ILK void WriteRelease(LONG volatile *d, LONG v) { __atomic_store_n(d, v, __ATOMIC_RELEASE); }
KMH_ILK PVOID ReadPointerAcquire(PVOID const volatile *s) { return __atomic_load_n(s, __ATOMIC_ACQUIRE); }
KMH_ILK PVOID ReadPointerNoFence(PVOID const volatile *s) { return __atomic_load_n(s, __ATOMIC_RELAXED); }
KMH_ILK void WritePointerRelease(PVOID volatile *d, PVOID v) { __atomic_store_n(d, v, __ATOMIC_RELEASE); }
KMH_ILK void WritePointerNoFence(PVOID volatile *d, PVOID v) { __atomic_store_n(d, v, __ATOMIC_RELAXED); }

/* BitScan and population count intrinsics drivers use. */
KMH_ILK BOOLEAN _BitScanForward(ULONG *Index, ULONG Mask)
{
    if (!Mask) return 0;
    *Index = (ULONG)__builtin_ctz(Mask);
    return 1;
}
KMH_ILK BOOLEAN _BitScanReverse(ULONG *Index, ULONG Mask)
{
    if (!Mask) return 0;
    *Index = 31u - (ULONG)__builtin_clz(Mask);
    return 1;
}
KMH_ILK BOOLEAN _BitScanForward64(ULONG *Index, ULONG64 Mask)
{
    if (!Mask) return 0;
    *Index = (ULONG)__builtin_ctzll(Mask);
    return 1;
}
KMH_ILK BOOLEAN _BitScanReverse64(ULONG *Index, ULONG64 Mask)
{
    if (!Mask) return 0;
    *Index = 63u - (ULONG)__builtin_clzll(Mask);
    return 1;
}
#define BitScanForward _BitScanForward
#define BitScanReverse _BitScanReverse
#define BitScanForward64 _BitScanForward64
#define BitScanReverse64 _BitScanReverse64
#define PopulationCount64(x) ((ULONG64)__builtin_popcountll(x))
#define RotateLeft32(v, s) ((ULONG)(((ULONG)(v) << ((s) & 31)) | ((ULONG)(v) >> ((32 - ((s) & 31)) & 31))))
#define RotateRight32(v, s) ((ULONG)(((ULONG)(v) >> ((s) & 31)) | ((ULONG)(v) << ((32 - ((s) & 31)) & 31))))
#define _rotl(v, s) RotateLeft32(v, s)
#define _rotr(v, s) RotateRight32(v, s)
#define _byteswap_ushort(x) __builtin_bswap16(x)
#define _byteswap_ulong(x) __builtin_bswap32(x)
#define _byteswap_uint64(x) __builtin_bswap64(x)
#define RtlUshortByteSwap(x) __builtin_bswap16(x)
#define RtlUlongByteSwap(x) __builtin_bswap32(x)
#define RtlUlonglongByteSwap(x) __builtin_bswap64(x)

#endif /* _KMH_KE_H */
