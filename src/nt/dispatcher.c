/*
 * The dispatcher: what every waitable object shares. One process-wide lock
 * (a pthread mutex) guards the wait lists; each thread sleeps on its own
 * condition variable; wait blocks hang on the objects' WaitListHead as the
 * WDK's KWAIT_BLOCK allows. Signalling an object walks its wait list and
 * satisfies, in arrival order, every wait the new state allows, consuming
 * what Windows consumes (synchronization events and timers reset,
 * semaphores count down, mutexes change owner).
 *
 * The uncontended paths never take the lock: see the state word rule in
 * kernel.h. A waiter first links its blocks and sets NT_HDR_WAITERS on each
 * object, then checks the states: a signal that raced with it either landed
 * before the flag (and the check sees it) or found the flag (and waits for
 * the lock to walk the list). With the flag set, an object's state is
 * stable under the lock, so a WaitAll consumes all its objects at once.
 */
#include "nt/kernel.h"

#include <errno.h>

pthread_mutex_t nt_dispatcher_lock = PTHREAD_MUTEX_INITIALIZER;

_Static_assert(offsetof(DISPATCHER_HEADER, SignalState) == 4, "the state word is the first 8 bytes");
_Static_assert(offsetof(DISPATCHER_HEADER, Reserved1) == 3, "the flags are in bits 24-31");

enum kind { KIND_INVALID, KIND_NOTIFICATION, KIND_SYNCHRONIZATION, KIND_SEMAPHORE, KIND_MUTEX };

static enum kind kind_of(uint64_t word)
{
    switch ((UCHAR)word) {
    case EventNotificationObject:
    case TimerNotificationObject:
    case ThreadObject:
    case ProcessObject:
        return KIND_NOTIFICATION;
    case EventSynchronizationObject:
    case TimerSynchronizationObject:
    case GateObject:
        return KIND_SYNCHRONIZATION;
    case SemaphoreObject:
        return KIND_SEMAPHORE;
    case MutantObject:
        return KIND_MUTEX;
    default:
        return KIND_INVALID;
    }
}

void nt_dispatcher_init_header(DISPATCHER_HEADER *header, UCHAR type, size_t size, LONG state)
{
    header->Type = type;
    header->Signalling = 0;
    header->Size = (UCHAR)(size / sizeof(LONG));
    header->Reserved1 = 0;
    header->SignalState = state;
    InitializeListHead(&header->WaitListHead);
}

bool nt_dispatcher_is_waitable(DISPATCHER_HEADER *header)
{
    return header && kind_of(nt_hdr_load(header)) != KIND_INVALID;
}

/* Stores an absolute state. Only for a state that is absolute by nature
 * (an event is set or not) or computed under the lock from a word whose
 * NT_HDR_WAITERS is set (stable); a count computed from an earlier read of
 * an unflagged word would lose a concurrent lock-free take. */
static LONG hdr_store_state(DISPATCHER_HEADER *header, LONG state)
{
    uint64_t word = nt_hdr_load(header);
    while (!nt_hdr_cas(header, &word, nt_hdr_with_state(word, state)))
        ;
    return nt_hdr_state(word);
}

static void hdr_set_waiters(DISPATCHER_HEADER *header)
{
    __atomic_fetch_or(nt_hdr_word(header), (uint64_t)NT_HDR_WAITERS << 24, __ATOMIC_ACQ_REL);
}

static void hdr_clear_waiters(DISPATCHER_HEADER *header)
{
    __atomic_fetch_and(nt_hdr_word(header), ~((uint64_t)NT_HDR_WAITERS << 24), __ATOMIC_RELEASE);
}

/* Lock held. */
static bool is_signalled_for(DISPATCHER_HEADER *header, struct _KTHREAD *thread)
{
    uint64_t word = nt_hdr_load(header);

    if (kind_of(word) == KIND_MUTEX)
        return nt_hdr_state(word) > 0 || ((PKMUTANT)header)->OwnerThread == thread;
    return nt_hdr_state(word) > 0;
}

/* Lock held, NT_HDR_WAITERS set (the waiter is linked): the state is
 * stable, so these swaps cannot fail for long. A mutex taken for the first
 * time enters its new owner's critical region, as KeWaitForMutexObject
 * does on Windows; the owner is blocked in its wait, so its state is ours
 * to change until it takes the lock back. */
static void consume(DISPATCHER_HEADER *header, struct _KTHREAD *thread)
{
    uint64_t word = nt_hdr_load(header);
    PKMUTANT mutex;

    switch (kind_of(word)) {
    case KIND_SYNCHRONIZATION:
        hdr_store_state(header, 0);
        break;
    case KIND_SEMAPHORE:
        hdr_store_state(header, nt_hdr_state(word) - 1);
        break;
    case KIND_MUTEX:
        mutex = (PKMUTANT)header;
        if (mutex->OwnerThread == thread) {
            hdr_store_state(header, nt_hdr_state(word) - 1);
            break;
        }
        hdr_store_state(header, 0);
        mutex->OwnerThread = thread;
        thread->tls->mutexes_held++;
        thread->tls->critical_depth++;
        break;
    default:
        break;
    }
}

static void link_blocks(struct nt_wait_state *wait)
{
    for (ULONG i = 0; i < wait->count; i++) {
        KWAIT_BLOCK *block = &wait->blocks[i];
        DISPATCHER_HEADER *header = block->Object;
        InsertTailList(&header->WaitListHead, &block->WaitListEntry);
        block->BlockState = 1;
        hdr_set_waiters(header);
    }
}

/* Clearing an object's flag is the last touch of it; the object being
 * walked (walking) keeps its flag until its walk ends. */
static void unlink_blocks(struct nt_wait_state *wait, DISPATCHER_HEADER *walking)
{
    for (ULONG i = 0; i < wait->count; i++) {
        KWAIT_BLOCK *block = &wait->blocks[i];
        DISPATCHER_HEADER *header = block->Object;
        if (!block->BlockState)
            continue;
        RemoveEntryList(&block->WaitListEntry);
        block->BlockState = 0;
        if (header != walking && IsListEmpty(&header->WaitListHead))
            hdr_clear_waiters(header);
    }
}

/* WaitAny: the lowest index that is signalled; WaitAll: all or nothing. */
static bool find_satisfiable(struct nt_wait_state *wait, struct _KTHREAD *thread, ULONG *index)
{
    for (ULONG i = 0; i < wait->count; i++) {
        bool signalled = is_signalled_for(wait->blocks[i].Object, thread);
        if (wait->type == WaitAny && signalled) {
            *index = i;
            return true;
        }
        if (wait->type == WaitAll && !signalled)
            return false;
    }
    *index = 0;
    return wait->type == WaitAll;
}

/* Consumes what the wait takes and returns its status. */
static NTSTATUS take(struct nt_wait_state *wait, struct _KTHREAD *thread, ULONG index)
{
    if (wait->type == WaitAny) {
        consume(wait->blocks[index].Object, thread);
        return STATUS_WAIT_0 + (NTSTATUS)index;
    }
    for (ULONG i = 0; i < wait->count; i++)
        consume(wait->blocks[i].Object, thread);
    return STATUS_SUCCESS;
}

static void wake(struct nt_wait_state *wait, NTSTATUS status, DISPATCHER_HEADER *walking)
{
    unlink_blocks(wait, walking);
    wait->status = status;
    wait->satisfied = true;
    pthread_cond_signal(&wait->cond);
}

/* The next block after entry that belongs to another thread: satisfying
 * thread unlinks all of its blocks, this one stays linked. */
static LIST_ENTRY *next_other(LIST_ENTRY *head, LIST_ENTRY *entry, struct _KTHREAD *thread)
{
    LIST_ENTRY *next = entry->Flink;
    while (next != head && kmh_container_of(next, KWAIT_BLOCK, WaitListEntry)->Thread == thread)
        next = next->Flink;
    return next;
}

/* Satisfies what the state allows, leaving NT_HDR_WAITERS set. */
static void walk(DISPATCHER_HEADER *header)
{
    LIST_ENTRY *head = &header->WaitListHead, *entry = head->Flink;

    while (entry != head) {
        KWAIT_BLOCK *block = kmh_container_of(entry, KWAIT_BLOCK, WaitListEntry);
        struct _KTHREAD *thread = block->Thread;
        struct nt_wait_state *wait = &thread->tls->wait;
        LIST_ENTRY *next = next_other(head, entry, thread);
        ULONG index;

        /* Unsignalled for this waiter means for all the rest too (a mutex
         * owned by another thread: its owner is running, not waiting). */
        if (!is_signalled_for(header, thread))
            break;
        if (wait->type == WaitAny)
            wake(wait, take(wait, thread, block->WaitKey), header);
        else if (find_satisfiable(wait, thread, &index))
            wake(wait, take(wait, thread, index), header);
        entry = next;
    }
}

void nt_dispatcher_satisfy_locked(DISPATCHER_HEADER *header)
{
    walk(header);
    if (IsListEmpty(&header->WaitListHead))
        hdr_clear_waiters(header);
}

LONG nt_dispatcher_pulse(DISPATCHER_HEADER *header)
{
    pthread_mutex_lock(&nt_dispatcher_lock);
    LONG old;
    if (!nt_hdr_has_waiters(nt_hdr_load(header))) {
        old = hdr_store_state(header, 0);
    } else {
        /* The flag stays set from the signal to the reset, so no lock-free
         * waiter sees the short signal (and frees the object under us). */
        old = hdr_store_state(header, 1);
        walk(header);
        hdr_store_state(header, 0);
        if (IsListEmpty(&header->WaitListHead))
            hdr_clear_waiters(header);
    }
    pthread_mutex_unlock(&nt_dispatcher_lock);
    return old;
}

LONG nt_dispatcher_set_state_locked(DISPATCHER_HEADER *header, LONG state)
{
    uint64_t word = nt_hdr_load(header);

    /* No waiter: nobody can appear while we hold the lock, and the swap is
     * the last touch (a lock-free waiter may free the object after it). */
    if (!nt_hdr_has_waiters(word))
        return hdr_store_state(header, state);
    LONG old = hdr_store_state(header, state);
    nt_dispatcher_satisfy_locked(header);
    return old;
}

LONG nt_dispatcher_set_state(DISPATCHER_HEADER *header, LONG state)
{
    uint64_t word = nt_hdr_load(header);

    while (!nt_hdr_has_waiters(word)) {
        if (nt_hdr_cas(header, &word, nt_hdr_with_state(word, state)))
            return nt_hdr_state(word);
    }
    pthread_mutex_lock(&nt_dispatcher_lock);
    LONG old = nt_dispatcher_set_state_locked(header, state);
    pthread_mutex_unlock(&nt_dispatcher_lock);
    return old;
}

bool nt_dispatcher_try_fast(DISPATCHER_HEADER *header)
{
    uint64_t word = nt_hdr_load(header);

    for (;;) {
        LONG state = nt_hdr_state(word);
        if (nt_hdr_has_waiters(word) || state <= 0)
            return false;
        switch (kind_of(word)) {
        case KIND_NOTIFICATION:
            return true;
        case KIND_SYNCHRONIZATION:
            state = 0;
            break;
        case KIND_SEMAPHORE:
            state--;
            break;
        default:
            return false;
        }
        if (nt_hdr_cas(header, &word, nt_hdr_with_state(word, state)))
            return true;
    }
}

static void prepare(struct nt_wait_state *wait, ULONG count, DISPATCHER_HEADER **objects,
                    WAIT_TYPE type, KWAIT_BLOCK *blocks, struct _KTHREAD *thread)
{
    for (ULONG i = 0; i < count; i++) {
        blocks[i].Object = objects[i];
        blocks[i].Thread = thread;
        blocks[i].WaitKey = (USHORT)i;
        blocks[i].WaitType = (UCHAR)type;
        blocks[i].BlockState = 0;
    }
    wait->blocks = blocks;
    wait->count = count;
    wait->type = type;
    wait->satisfied = false;
    wait->status = STATUS_TIMEOUT;
}

/* Lock held; returns with it held, satisfied or timed out. */
static void sleep_until(struct nt_wait_state *wait, uint64_t deadline)
{
    struct timespec when = nt_timespec_from_interrupt_time(deadline);

    while (!wait->satisfied) {
        if (deadline == NT_WAIT_FOREVER) {
            pthread_cond_wait(&wait->cond, &nt_dispatcher_lock);
        } else if (pthread_cond_timedwait(&wait->cond, &nt_dispatcher_lock, &when) == ETIMEDOUT) {
            break;
        }
    }
}

NTSTATUS nt_dispatcher_wait(ULONG count, DISPATCHER_HEADER **objects, WAIT_TYPE type,
                            KWAIT_BLOCK *blocks, uint64_t deadline)
{
    struct _KTHREAD *thread = nt_thread_current();
    struct nt_wait_state *wait = &nt_tls.wait;
    ULONG index;

    prepare(wait, count, objects, type, blocks, thread);
    pthread_mutex_lock(&nt_dispatcher_lock);
    link_blocks(wait);
    if (find_satisfiable(wait, thread, &index)) {
        wait->status = take(wait, thread, index);
        wait->satisfied = true;
    } else if (deadline != NT_WAIT_POLL) {
        sleep_until(wait, deadline);
    }
    /* What a signaller satisfied is unlinked already; the rest we unlink. */
    unlink_blocks(wait, NULL);
    NTSTATUS status = wait->status;
    wait->blocks = NULL;
    wait->count = 0;
    pthread_mutex_unlock(&nt_dispatcher_lock);
    return status;
}
