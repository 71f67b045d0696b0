/*
 * The process handle table, shared by kernel handles (ZwCreateKey,
 * PsCreateSystemThread) and program handles (CreateFile, CreateEvent), as
 * one process has one table here.
 *
 * Lookups are on the I/O path (every DeviceIoControl), so they take no
 * table lock: each entry holds the object pointer with a lock bit, set for
 * the few instructions it takes to reference the object, so a concurrent
 * close cannot free it under the lookup. Inserts and closes take the table
 * mutex for the free list only.
 */
#include "nt/nt.h"
#include "nt/ob_private.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#define CHUNK_SHIFT 10
#define CHUNK_SIZE (1u << CHUNK_SHIFT)
#define MAX_CHUNKS 1024
#define ENTRY_LOCKED ((uintptr_t)1)

struct handle_entry {
    _Atomic uintptr_t object; /* body pointer | ENTRY_LOCKED, or 0 when free */
    ACCESS_MASK granted;
    uint32_t next_free;       /* index + 1 of the next free entry, 0 ends */
};

static struct handle_entry *_Atomic chunks[MAX_CHUNKS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t free_head;  /* index + 1 */
static uint32_t used_slots; /* slots ever handed out */
static atomic_size_t open_handles;

static HANDLE handle_from_index(uint32_t index)
{
    return (HANDLE)(uintptr_t)((index + 1) * 4);
}

static struct handle_entry *entry_at(uint32_t index)
{
    struct handle_entry *chunk = atomic_load_explicit(&chunks[index >> CHUNK_SHIFT], memory_order_acquire);
    return chunk ? &chunk[index & (CHUNK_SIZE - 1)] : NULL;
}

static struct handle_entry *entry_of(HANDLE handle)
{
    uintptr_t value = (uintptr_t)handle;
    if (value == 0 || (value & 3) || value / 4 > (uintptr_t)MAX_CHUNKS * CHUNK_SIZE)
        return NULL;
    return entry_at((uint32_t)(value / 4 - 1));
}

/* Table lock held. */
static int take_free_index(uint32_t *index)
{
    if (free_head) {
        *index = free_head - 1;
        free_head = entry_at(*index)->next_free;
        return 0;
    }
    if (used_slots >= (uint32_t)MAX_CHUNKS * CHUNK_SIZE)
        return -EMFILE;
    uint32_t chunk = used_slots >> CHUNK_SHIFT;
    if (!atomic_load(&chunks[chunk])) {
        struct handle_entry *fresh = calloc(CHUNK_SIZE, sizeof(*fresh));
        if (!fresh)
            return -ENOMEM;
        atomic_store_explicit(&chunks[chunk], fresh, memory_order_release);
    }
    *index = used_slots++;
    return 0;
}

int nt_handle_new(void *body, ACCESS_MASK granted, HANDLE *out)
{
    uint32_t index;
    int err;

    pthread_mutex_lock(&table_lock);
    err = take_free_index(&index);
    pthread_mutex_unlock(&table_lock);
    if (err)
        return err;
    struct handle_entry *entry = entry_at(index);
    nt_object_ref(body);
    atomic_fetch_add(&nt_object_header_of(body)->handle_count, 1);
    entry->granted = granted;
    atomic_store_explicit(&entry->object, (uintptr_t)body, memory_order_release);
    atomic_fetch_add(&open_handles, 1);
    *out = handle_from_index(index);
    return 0;
}

/* Spins while another thread holds the entry; returns the object pointer
 * with the entry locked, or 0 if the entry is free. */
static uintptr_t entry_lock(struct handle_entry *entry)
{
    uintptr_t value = atomic_load_explicit(&entry->object, memory_order_acquire);
    for (;;) {
        if (value == 0)
            return 0;
        if (value & ENTRY_LOCKED) {
            sched_yield();
            value = atomic_load_explicit(&entry->object, memory_order_acquire);
            continue;
        }
        if (atomic_compare_exchange_weak_explicit(&entry->object, &value, value | ENTRY_LOCKED,
                                                  memory_order_acquire, memory_order_acquire))
            return value;
    }
}

int nt_handle_ref(HANDLE handle, const nt_object_type *type, void **body, ACCESS_MASK *granted)
{
    struct handle_entry *entry = entry_of(handle);
    uintptr_t value;

    if (!entry || !(value = entry_lock(entry)))
        return -EBADF;
    if (type && nt_object_type_of((void *)value) != type) {
        atomic_store_explicit(&entry->object, value, memory_order_release);
        return -EPROTOTYPE;
    }
    nt_object_ref((void *)value);
    if (granted)
        *granted = entry->granted;
    atomic_store_explicit(&entry->object, value, memory_order_release);
    *body = (void *)value;
    return 0;
}

int nt_handle_close(HANDLE handle)
{
    struct handle_entry *entry = entry_of(handle);
    uintptr_t value;

    if (!entry || !(value = entry_lock(entry)))
        return -EBADF;
    atomic_store_explicit(&entry->object, 0, memory_order_release);
    pthread_mutex_lock(&table_lock);
    entry->next_free = free_head;
    free_head = (uint32_t)((uintptr_t)handle / 4);
    pthread_mutex_unlock(&table_lock);
    atomic_fetch_sub(&open_handles, 1);

    void *body = (void *)value;
    struct nt_object_header *header = nt_object_header_of(body);
    if (atomic_fetch_sub(&header->handle_count, 1) == 1 && header->type->last_handle_closed)
        header->type->last_handle_closed(body);
    nt_object_unref(body);
    return 0;
}

size_t nt_handle_count(void)
{
    return atomic_load(&open_handles);
}

KMH_EXPORT NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                              POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                              PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInformation)
{
    ACCESS_MASK granted;
    int err = nt_handle_ref(Handle, ObjectType, Object, &granted);

    if (err == -EPROTOTYPE)
        return STATUS_OBJECT_TYPE_MISMATCH;
    if (err)
        return STATUS_INVALID_HANDLE;
    /* Kernel-mode callers skip the access check, as on Windows. */
    if (AccessMode == UserMode && (DesiredAccess & ~granted & ~MAXIMUM_ALLOWED) && granted != GENERIC_ALL) {
        nt_object_unref(*Object);
        *Object = NULL;
        return STATUS_ACCESS_DENIED;
    }
    if (HandleInformation) {
        HandleInformation->GrantedAccess = granted;
        HandleInformation->HandleAttributes = 0;
    }
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS ObReferenceObjectByHandleWithTag(HANDLE Handle, ACCESS_MASK DesiredAccess,
                                                     POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                                     ULONG Tag, PVOID *Object,
                                                     POBJECT_HANDLE_INFORMATION HandleInformation)
{
    (void)Tag;
    return ObReferenceObjectByHandle(Handle, DesiredAccess, ObjectType, AccessMode, Object, HandleInformation);
}

KMH_EXPORT NTSTATUS ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes, PVOID PassedAccessState,
                                          ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                          KPROCESSOR_MODE AccessMode, PHANDLE Handle)
{
    (void)HandleAttributes;
    (void)PassedAccessState;
    (void)AccessMode;
    if (!nt_object_header_of(Object))
        return STATUS_INVALID_PARAMETER;
    if (ObjectType && nt_object_type_of(Object) != ObjectType)
        return STATUS_OBJECT_TYPE_MISMATCH;
    return nt_handle_new(Object, DesiredAccess, Handle) ? STATUS_INSUFFICIENT_RESOURCES : STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS ZwClose(HANDLE Handle)
{
    return nt_handle_close(Handle) ? STATUS_INVALID_HANDLE : STATUS_SUCCESS;
}
