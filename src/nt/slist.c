/*
 * Interlocked singly linked lists (SLIST_HEADER) and the ExInterlocked
 * doubly and singly linked list helpers that take the caller's spin lock.
 *
 * An SLIST keeps its first entry in Kmh.Next and, in Kmh.Depth_Lock, a
 * lock bit (bit 63) and the depth (low 16 bits). Pushes and pops hold the
 * bit for a few instructions: simpler than Windows' 128-bit
 * compare-and-swap with a sequence number and immune to ABA by
 * construction.
 */
#include "nt/kernel.h"

#include <sched.h>

#define SLIST_LOCKED (1ull << 63)
#define SLIST_DEPTH_MASK 0xffffull

static ULONGLONG slist_lock(PSLIST_HEADER head)
{
    unsigned spins = 0;
    ULONGLONG v = __atomic_load_n(&head->Kmh.Depth_Lock, __ATOMIC_RELAXED);

    for (;;) {
        if (!(v & SLIST_LOCKED) &&
            __atomic_compare_exchange_n(&head->Kmh.Depth_Lock, &v, v | SLIST_LOCKED, true,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return v;
        if (++spins < 64)
            __builtin_ia32_pause();
        else
            sched_yield();
        v = __atomic_load_n(&head->Kmh.Depth_Lock, __ATOMIC_RELAXED);
    }
}

static void slist_unlock(PSLIST_HEADER head, ULONGLONG depth)
{
    __atomic_store_n(&head->Kmh.Depth_Lock, depth & SLIST_DEPTH_MASK, __ATOMIC_RELEASE);
}

/* Makes the list empty. Any IRQL. */
KMH_EXPORT void InitializeSListHead(PSLIST_HEADER SListHead)
{
    SListHead->Kmh.Next = NULL;
    SListHead->Kmh.Depth_Lock = 0;
}

/* Pushes ListEntry; returns the previous first entry (NULL if the list was
 * empty). Any IRQL. */
KMH_EXPORT PSLIST_ENTRY InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry)
{
    ULONGLONG depth = slist_lock(ListHead);
    PSLIST_ENTRY first = ListHead->Kmh.Next;

    ListEntry->Next = first;
    ListHead->Kmh.Next = ListEntry;
    slist_unlock(ListHead, depth + 1);
    return first;
}

/* Pops the first entry; returns it, or NULL if the list is empty. Any IRQL. */
KMH_EXPORT PSLIST_ENTRY InterlockedPopEntrySList(PSLIST_HEADER ListHead)
{
    ULONGLONG depth = slist_lock(ListHead);
    PSLIST_ENTRY first = ListHead->Kmh.Next;

    if (first) {
        ListHead->Kmh.Next = first->Next;
        depth--;
    }
    slist_unlock(ListHead, depth);
    return first;
}

/* Empties the list; returns its former first entry (the chain stays
 * linked). Any IRQL. */
KMH_EXPORT PSLIST_ENTRY InterlockedFlushSList(PSLIST_HEADER ListHead)
{
    slist_lock(ListHead);
    PSLIST_ENTRY first = ListHead->Kmh.Next;
    ListHead->Kmh.Next = NULL;
    slist_unlock(ListHead, 0);
    return first;
}

/* Returns the number of entries (a snapshot). Any IRQL. */
KMH_EXPORT USHORT ExQueryDepthSList(PSLIST_HEADER SListHead)
{
    return (USHORT)(__atomic_load_n(&SListHead->Kmh.Depth_Lock, __ATOMIC_RELAXED) & SLIST_DEPTH_MASK);
}

/* The ExInterlocked helpers may be called at any IRQL (Windows takes the
 * lock with interrupts off): raise to DISPATCH_LEVEL only from below. */
static KIRQL lock_list(PKSPIN_LOCK lock)
{
    KIRQL old = nt_irql;
    if (old < DISPATCH_LEVEL)
        return KfAcquireSpinLock(lock);
    KeAcquireSpinLockAtDpcLevel(lock);
    return old;
}

static void unlock_list(PKSPIN_LOCK lock, KIRQL old)
{
    if (old < DISPATCH_LEVEL)
        KfReleaseSpinLock(lock, old);
    else
        KeReleaseSpinLockFromDpcLevel(lock);
}

/* Inserts ListEntry at the head under Lock; returns the previous first
 * entry, or NULL if the list was empty. Any IRQL. */
KMH_EXPORT PLIST_ENTRY ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                                   PKSPIN_LOCK Lock)
{
    KIRQL old = lock_list(Lock);
    PLIST_ENTRY first = IsListEmpty(ListHead) ? NULL : ListHead->Flink;
    InsertHeadList(ListHead, ListEntry);
    unlock_list(Lock, old);
    return first;
}

/* Inserts ListEntry at the tail under Lock; returns the previous last
 * entry, or NULL if the list was empty. Any IRQL. */
KMH_EXPORT PLIST_ENTRY ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
                                                   PKSPIN_LOCK Lock)
{
    KIRQL old = lock_list(Lock);
    PLIST_ENTRY last = IsListEmpty(ListHead) ? NULL : ListHead->Blink;
    InsertTailList(ListHead, ListEntry);
    unlock_list(Lock, old);
    return last;
}

/* Removes the first entry under Lock; returns it, or NULL if the list is
 * empty. Any IRQL. */
KMH_EXPORT PLIST_ENTRY ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock)
{
    KIRQL old = lock_list(Lock);
    PLIST_ENTRY first = IsListEmpty(ListHead) ? NULL : RemoveHeadList(ListHead);
    unlock_list(Lock, old);
    return first;
}

/* Pops the first entry of a singly linked list under Lock; returns it or
 * NULL. Any IRQL. */
KMH_EXPORT PSINGLE_LIST_ENTRY ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead, PKSPIN_LOCK Lock)
{
    KIRQL old = lock_list(Lock);
    PSINGLE_LIST_ENTRY first = PopEntryList(ListHead);
    unlock_list(Lock, old);
    return first;
}

/* Pushes ListEntry on a singly linked list under Lock; returns the
 * previous first entry or NULL. Any IRQL. */
KMH_EXPORT PSINGLE_LIST_ENTRY ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                         PSINGLE_LIST_ENTRY ListEntry, PKSPIN_LOCK Lock)
{
    KIRQL old = lock_list(Lock);
    PSINGLE_LIST_ENTRY first = ListHead->Next;
    PushEntryList(ListHead, ListEntry);
    unlock_list(Lock, old);
    return first;
}
