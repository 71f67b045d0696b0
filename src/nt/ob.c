/*
 * The object manager: reference-counted objects with a header in front of
 * the body drivers see, their types, and the ObReference/ObDereference DDIs.
 * Handles are in handle.c.
 */
#include "nt/nt.h"
#include "nt/ob_private.h"
#include "verifier/verifier.h"

#include <stdatomic.h>
#include <stdlib.h>

nt_object_type nt_event_type = { .name = "Event", .pool_tag = 'vEbO' };
nt_object_type nt_semaphore_type = { .name = "Semaphore", .pool_tag = 'mSbO' };
nt_object_type nt_thread_type = { .name = "Thread", .pool_tag = 'hTbO' };
nt_object_type nt_process_type = { .name = "Process", .pool_tag = 'rPbO' };
nt_object_type nt_key_type = { .name = "Key", .pool_tag = 'yKbO' };
nt_object_type nt_token_type = { .name = "Token", .pool_tag = 'oTbO' };

/* The I/O object types (file, device, driver) live in src/io/object_types.c.
 * The exported POBJECT_TYPE variables drivers pass to
 * ObReferenceObjectByHandle: each points at a type pointer. */
static POBJECT_TYPE event_type_ptr = &nt_event_type;
static POBJECT_TYPE semaphore_type_ptr = &nt_semaphore_type;
static POBJECT_TYPE thread_type_ptr = &nt_thread_type;
static POBJECT_TYPE process_type_ptr = &nt_process_type;
static POBJECT_TYPE key_type_ptr = &nt_key_type;
static POBJECT_TYPE token_type_ptr = &nt_token_type;
KMH_EXPORT POBJECT_TYPE *ExEventObjectType = &event_type_ptr;
KMH_EXPORT POBJECT_TYPE *ExSemaphoreObjectType = &semaphore_type_ptr;
KMH_EXPORT POBJECT_TYPE *PsThreadType = &thread_type_ptr;
KMH_EXPORT POBJECT_TYPE *PsProcessType = &process_type_ptr;
KMH_EXPORT POBJECT_TYPE *CmKeyObjectType = &key_type_ptr;
KMH_EXPORT POBJECT_TYPE *SeTokenObjectType = &token_type_ptr;

static atomic_long live_objects;

struct nt_object_header *nt_object_header_of(const void *body)
{
    struct nt_object_header *header = (struct nt_object_header *)body - 1;
    return header->magic == NT_OBJECT_MAGIC ? header : NULL;
}

void *nt_object_new(nt_object_type *type, size_t body_size)
{
    struct nt_object_header *header = calloc(1, sizeof(*header) + body_size);
    if (!header)
        return NULL;
    atomic_init(&header->pointer_count, 1);
    atomic_init(&header->handle_count, 0);
    header->type = type;
    header->magic = NT_OBJECT_MAGIC;
    atomic_fetch_add(&live_objects, 1);
    return header + 1;
}

void nt_object_ref(void *body)
{
    struct nt_object_header *header = (struct nt_object_header *)body - 1;
    atomic_fetch_add_explicit(&header->pointer_count, 1, memory_order_relaxed);
}

void nt_object_unref(void *body)
{
    struct nt_object_header *header = (struct nt_object_header *)body - 1;
    LONG_PTR left = atomic_fetch_sub_explicit(&header->pointer_count, 1, memory_order_acq_rel) - 1;

    if (left > 0)
        return;
    if (left < 0) {
        vf_report(VF_OBJECT, "ObDereferenceObject", __builtin_return_address(0),
                  "%s object %p dereferenced below zero", header->type->name, body);
        return;
    }
    if (header->type->delete_body)
        header->type->delete_body(body);
    header->magic = 0;
    atomic_fetch_sub(&live_objects, 1);
    free(header);
}

nt_object_type *nt_object_type_of(const void *body)
{
    return ((const struct nt_object_header *)body - 1)->type;
}

bool nt_object_is_a(const void *body, const nt_object_type *type)
{
    const struct nt_object_header *header = nt_object_header_of(body);
    return header && header->type == type;
}

LONG_PTR nt_object_ref_count(const void *body)
{
    return atomic_load(&((const struct nt_object_header *)body - 1)->pointer_count);
}

long nt_object_live_count(void)
{
    return atomic_load(&live_objects);
}

/* A driver may only reference what the object manager made; anything else
 * (a KEVENT in its own extension) would be memory corruption on Windows. */
static bool ob_check_body(const void *body, const char *ddi, void *caller)
{
    if (body && nt_object_header_of(body))
        return true;
    vf_report(VF_OBJECT, ddi, caller, "%p is not an object (was it allocated by the object manager?)", body);
    return false;
}

KMH_EXPORT LONG_PTR ObfReferenceObject(PVOID Object)
{
    if (!ob_check_body(Object, "ObfReferenceObject", __builtin_return_address(0)))
        return 0;
    nt_object_ref(Object);
    return nt_object_ref_count(Object);
}

KMH_EXPORT LONG_PTR ObfDereferenceObject(PVOID Object)
{
    if (!ob_check_body(Object, "ObfDereferenceObject", __builtin_return_address(0)))
        return 0;
    LONG_PTR left = nt_object_ref_count(Object) - 1;
    nt_object_unref(Object);
    return left;
}

KMH_EXPORT LONG_PTR ObfReferenceObjectWithTag(PVOID Object, ULONG Tag)
{
    (void)Tag;
    return ObfReferenceObject(Object);
}

KMH_EXPORT LONG_PTR ObfDereferenceObjectWithTag(PVOID Object, ULONG Tag)
{
    (void)Tag;
    return ObfDereferenceObject(Object);
}

KMH_EXPORT void ObDereferenceObjectDeferDelete(PVOID Object)
{
    ObfDereferenceObject(Object);
}

KMH_EXPORT void ObDereferenceObjectDeferDeleteWithTag(PVOID Object, ULONG Tag)
{
    (void)Tag;
    ObfDereferenceObject(Object);
}

KMH_EXPORT BOOLEAN ObReferenceObjectSafe(PVOID Object)
{
    struct nt_object_header *header = nt_object_header_of(Object);
    LONG_PTR count;

    if (!header)
        return FALSE;
    count = atomic_load(&header->pointer_count);
    do {
        if (count <= 0)
            return FALSE;
    } while (!atomic_compare_exchange_weak(&header->pointer_count, &count, count + 1));
    return TRUE;
}

KMH_EXPORT NTSTATUS ObReferenceObjectByPointer(PVOID Object, ACCESS_MASK DesiredAccess,
                                               POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode)
{
    (void)DesiredAccess;
    (void)AccessMode;
    if (!ob_check_body(Object, "ObReferenceObjectByPointer", __builtin_return_address(0)))
        return STATUS_INVALID_PARAMETER;
    if (ObjectType && nt_object_type_of(Object) != ObjectType)
        return STATUS_OBJECT_TYPE_MISMATCH;
    nt_object_ref(Object);
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS ObGetObjectSecurity(PVOID Object, PSECURITY_DESCRIPTOR *SecurityDescriptor,
                                        PBOOLEAN MemoryAllocated)
{
    (void)Object;
    *SecurityDescriptor = NULL;
    *MemoryAllocated = FALSE;
    return STATUS_SUCCESS;
}

KMH_EXPORT void ObReleaseObjectSecurity(PSECURITY_DESCRIPTOR SecurityDescriptor, BOOLEAN MemoryAllocated)
{
    (void)SecurityDescriptor;
    (void)MemoryAllocated;
}
