/*
 * wdfmemory.h: framework memory objects, the descriptors that let I/O
 * calls take a buffer, an MDL or a memory object alike, and lookaside lists
 * of memory objects.
 */
#ifndef _WDFMEMORY_H_
#define _WDFMEMORY_H_

WDF_EXTERN_C_START

typedef enum _WDF_MEMORY_DESCRIPTOR_TYPE {
    WdfMemoryDescriptorTypeInvalid = 0,
    WdfMemoryDescriptorTypeBuffer,
    WdfMemoryDescriptorTypeMdl,
    WdfMemoryDescriptorTypeHandle,
} WDF_MEMORY_DESCRIPTOR_TYPE;

/* A window into a memory object; a NULL PWDFMEMORY_OFFSET means all of it. */
typedef struct _WDFMEMORY_OFFSET {
    size_t BufferOffset;
    size_t BufferLength;
} WDFMEMORY_OFFSET, *PWDFMEMORY_OFFSET;

typedef struct _WDF_MEMORY_DESCRIPTOR {
    WDF_MEMORY_DESCRIPTOR_TYPE Type;
    union {
        struct {
            PVOID Buffer;
            ULONG Length;
        } BufferType;
        struct {
            PMDL Mdl;
            ULONG BufferLength;
        } MdlType;
        struct {
            WDFMEMORY Memory;
            PWDFMEMORY_OFFSET Offsets;
        } HandleType;
    } u;
} WDF_MEMORY_DESCRIPTOR, *PWDF_MEMORY_DESCRIPTOR;

FORCEINLINE VOID WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(PWDF_MEMORY_DESCRIPTOR Descriptor, PVOID Buffer, ULONG BufferLength)
{
    RtlZeroMemory(Descriptor, sizeof(WDF_MEMORY_DESCRIPTOR));
    Descriptor->Type = WdfMemoryDescriptorTypeBuffer;
    Descriptor->u.BufferType.Buffer = Buffer;
    Descriptor->u.BufferType.Length = BufferLength;
}

FORCEINLINE VOID WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(PWDF_MEMORY_DESCRIPTOR Descriptor, WDFMEMORY Memory, PWDFMEMORY_OFFSET Offsets)
{
    RtlZeroMemory(Descriptor, sizeof(WDF_MEMORY_DESCRIPTOR));
    Descriptor->Type = WdfMemoryDescriptorTypeHandle;
    Descriptor->u.HandleType.Memory = Memory;
    Descriptor->u.HandleType.Offsets = Offsets;
}

FORCEINLINE VOID WDF_MEMORY_DESCRIPTOR_INIT_MDL(PWDF_MEMORY_DESCRIPTOR Descriptor, PMDL Mdl, ULONG BufferLength)
{
    RtlZeroMemory(Descriptor, sizeof(WDF_MEMORY_DESCRIPTOR));
    Descriptor->Type = WdfMemoryDescriptorTypeMdl;
    Descriptor->u.MdlType.Mdl = Mdl;
    Descriptor->u.MdlType.BufferLength = BufferLength;
}

KMH_WDF_IMPORT_DECL(WdfMemoryCreate);
typedef NTSTATUS (*PFN_WDFMEMORYCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_OBJECT_ATTRIBUTES Attributes, POOL_TYPE PoolType, ULONG PoolTag, size_t BufferSize, WDFMEMORY *Memory, PVOID *Buffer);
FORCEINLINE NTSTATUS WdfMemoryCreate(PWDF_OBJECT_ATTRIBUTES Attributes, POOL_TYPE PoolType, ULONG PoolTag, size_t BufferSize, WDFMEMORY *Memory, PVOID *Buffer)
{
    KMH_WDF_IMPORT(WdfMemoryCreate);
    return ((PFN_WDFMEMORYCREATE)WdfFunctions[WdfMemoryCreateTableIndex])(WdfDriverGlobals, Attributes, PoolType, PoolTag, BufferSize, Memory, Buffer);
}

/* Wraps a buffer the driver owns; the framework never frees it. */
KMH_WDF_IMPORT_DECL(WdfMemoryCreatePreallocated);
typedef NTSTATUS (*PFN_WDFMEMORYCREATEPREALLOCATED)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_OBJECT_ATTRIBUTES Attributes, PVOID Buffer, size_t BufferSize, WDFMEMORY *Memory);
FORCEINLINE NTSTATUS WdfMemoryCreatePreallocated(PWDF_OBJECT_ATTRIBUTES Attributes, PVOID Buffer, size_t BufferSize, WDFMEMORY *Memory)
{
    KMH_WDF_IMPORT(WdfMemoryCreatePreallocated);
    return ((PFN_WDFMEMORYCREATEPREALLOCATED)WdfFunctions[WdfMemoryCreatePreallocatedTableIndex])(WdfDriverGlobals, Attributes, Buffer, BufferSize, Memory);
}

KMH_WDF_IMPORT_DECL(WdfMemoryGetBuffer);
typedef PVOID (*PFN_WDFMEMORYGETBUFFER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFMEMORY Memory, size_t *BufferSize);
FORCEINLINE PVOID WdfMemoryGetBuffer(WDFMEMORY Memory, size_t *BufferSize)
{
    KMH_WDF_IMPORT(WdfMemoryGetBuffer);
    return ((PFN_WDFMEMORYGETBUFFER)WdfFunctions[WdfMemoryGetBufferTableIndex])(WdfDriverGlobals, Memory, BufferSize);
}

KMH_WDF_IMPORT_DECL(WdfMemoryAssignBuffer);
typedef NTSTATUS (*PFN_WDFMEMORYASSIGNBUFFER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFMEMORY Memory, PVOID Buffer, size_t BufferSize);
FORCEINLINE NTSTATUS WdfMemoryAssignBuffer(WDFMEMORY Memory, PVOID Buffer, size_t BufferSize)
{
    KMH_WDF_IMPORT(WdfMemoryAssignBuffer);
    return ((PFN_WDFMEMORYASSIGNBUFFER)WdfFunctions[WdfMemoryAssignBufferTableIndex])(WdfDriverGlobals, Memory, Buffer, BufferSize);
}

KMH_WDF_IMPORT_DECL(WdfMemoryCopyToBuffer);
typedef NTSTATUS (*PFN_WDFMEMORYCOPYTOBUFFER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFMEMORY SourceMemory, size_t SourceOffset, PVOID Buffer, size_t NumBytesToCopyTo);
FORCEINLINE NTSTATUS WdfMemoryCopyToBuffer(WDFMEMORY SourceMemory, size_t SourceOffset, PVOID Buffer, size_t NumBytesToCopyTo)
{
    KMH_WDF_IMPORT(WdfMemoryCopyToBuffer);
    return ((PFN_WDFMEMORYCOPYTOBUFFER)WdfFunctions[WdfMemoryCopyToBufferTableIndex])(WdfDriverGlobals, SourceMemory, SourceOffset, Buffer, NumBytesToCopyTo);
}

KMH_WDF_IMPORT_DECL(WdfMemoryCopyFromBuffer);
typedef NTSTATUS (*PFN_WDFMEMORYCOPYFROMBUFFER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFMEMORY DestinationMemory, size_t DestinationOffset, PVOID Buffer, size_t NumBytesToCopyFrom);
FORCEINLINE NTSTATUS WdfMemoryCopyFromBuffer(WDFMEMORY DestinationMemory, size_t DestinationOffset, PVOID Buffer, size_t NumBytesToCopyFrom)
{
    KMH_WDF_IMPORT(WdfMemoryCopyFromBuffer);
    return ((PFN_WDFMEMORYCOPYFROMBUFFER)WdfFunctions[WdfMemoryCopyFromBufferTableIndex])(WdfDriverGlobals, DestinationMemory, DestinationOffset, Buffer, NumBytesToCopyFrom);
}

KMH_WDF_IMPORT_DECL(WdfLookasideListCreate);
typedef NTSTATUS (*PFN_WDFLOOKASIDELISTCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_OBJECT_ATTRIBUTES LookasideAttributes, size_t BufferSize, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES MemoryAttributes, ULONG PoolTag, WDFLOOKASIDE *Lookaside);
FORCEINLINE NTSTATUS WdfLookasideListCreate(PWDF_OBJECT_ATTRIBUTES LookasideAttributes, size_t BufferSize, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES MemoryAttributes, ULONG PoolTag, WDFLOOKASIDE *Lookaside)
{
    KMH_WDF_IMPORT(WdfLookasideListCreate);
    return ((PFN_WDFLOOKASIDELISTCREATE)WdfFunctions[WdfLookasideListCreateTableIndex])(WdfDriverGlobals, LookasideAttributes, BufferSize, PoolType, MemoryAttributes, PoolTag, Lookaside);
}

KMH_WDF_IMPORT_DECL(WdfMemoryCreateFromLookaside);
typedef NTSTATUS (*PFN_WDFMEMORYCREATEFROMLOOKASIDE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFLOOKASIDE Lookaside, WDFMEMORY *Memory);
FORCEINLINE NTSTATUS WdfMemoryCreateFromLookaside(WDFLOOKASIDE Lookaside, WDFMEMORY *Memory)
{
    KMH_WDF_IMPORT(WdfMemoryCreateFromLookaside);
    return ((PFN_WDFMEMORYCREATEFROMLOOKASIDE)WdfFunctions[WdfMemoryCreateFromLookasideTableIndex])(WdfDriverGlobals, Lookaside, Memory);
}

WDF_EXTERN_C_END

#endif /* _WDFMEMORY_H_ */
