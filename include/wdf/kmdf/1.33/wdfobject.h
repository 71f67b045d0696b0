/*
 * wdfobject.h: what every framework object shares: creation attributes
 * (parent, cleanup/destroy callbacks, execution level, synchronization
 * scope, context), typed contexts, custom types, references and deletion.
 */
#ifndef _WDFOBJECT_H_
#define _WDFOBJECT_H_

WDF_EXTERN_C_START

/* Highest IRQL at which the framework may call the object's callbacks. */
typedef enum _WDF_EXECUTION_LEVEL {
    WdfExecutionLevelInvalid = 0x00,
    WdfExecutionLevelInheritFromParent,
    WdfExecutionLevelPassive,
    WdfExecutionLevelDispatch,
} WDF_EXECUTION_LEVEL;

/* Which callbacks the framework serializes against each other. */
typedef enum _WDF_SYNCHRONIZATION_SCOPE {
    WdfSynchronizationScopeInvalid = 0x00,
    WdfSynchronizationScopeInheritFromParent,
    WdfSynchronizationScopeDevice,
    WdfSynchronizationScopeQueue,
    WdfSynchronizationScopeNone,
} WDF_SYNCHRONIZATION_SCOPE;

typedef VOID NTAPI EVT_WDF_OBJECT_CONTEXT_CLEANUP(WDFOBJECT Object);
typedef EVT_WDF_OBJECT_CONTEXT_CLEANUP *PFN_WDF_OBJECT_CONTEXT_CLEANUP;

typedef VOID NTAPI EVT_WDF_OBJECT_CONTEXT_DESTROY(WDFOBJECT Object);
typedef EVT_WDF_OBJECT_CONTEXT_DESTROY *PFN_WDF_OBJECT_CONTEXT_DESTROY;

typedef const struct _WDF_OBJECT_CONTEXT_TYPE_INFO *PCWDF_OBJECT_CONTEXT_TYPE_INFO;

typedef struct _WDF_OBJECT_ATTRIBUTES {
    ULONG Size;
    /* Runs when the object is deleted, before its children are gone. */
    PFN_WDF_OBJECT_CONTEXT_CLEANUP EvtCleanupCallback;
    /* Runs when the last reference goes and the memory is freed. */
    PFN_WDF_OBJECT_CONTEXT_DESTROY EvtDestroyCallback;
    WDF_EXECUTION_LEVEL ExecutionLevel;
    WDF_SYNCHRONIZATION_SCOPE SynchronizationScope;
    WDFOBJECT ParentObject;
    /* Non-zero: allocate this many context bytes instead of ContextSize. */
    size_t ContextSizeOverride;
    PCWDF_OBJECT_CONTEXT_TYPE_INFO ContextTypeInfo;
} WDF_OBJECT_ATTRIBUTES, *PWDF_OBJECT_ATTRIBUTES;

/* No context, no callbacks, level and scope inherited from the parent. */
FORCEINLINE VOID WDF_OBJECT_ATTRIBUTES_INIT(PWDF_OBJECT_ATTRIBUTES Attributes)
{
    RtlZeroMemory(Attributes, sizeof(WDF_OBJECT_ATTRIBUTES));
    Attributes->Size = WDF_STRUCTURE_SIZE(WDF_OBJECT_ATTRIBUTES);
    Attributes->ExecutionLevel = WdfExecutionLevelInheritFromParent;
    Attributes->SynchronizationScope = WdfSynchronizationScopeInheritFromParent;
}

#define WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE(_attributes, _contexttype) \
    (_attributes)->ContextTypeInfo = WDF_GET_CONTEXT_TYPE_INFO(_contexttype)->UniqueType

/* Two statements on purpose: the caller supplies the final semicolon. */
#define WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(_attributes, _contexttype) \
    WDF_OBJECT_ATTRIBUTES_INIT(_attributes); \
    WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE(_attributes, _contexttype)

typedef PCWDF_OBJECT_CONTEXT_TYPE_INFO (*PFN_GET_UNIQUE_CONTEXT_TYPE)(VOID);

/*
 * A context type is identified by the address of its type-info object, not
 * by its name, so that two drivers (or a driver and a library) may reuse a
 * name safely.
 */
typedef struct _WDF_OBJECT_CONTEXT_TYPE_INFO {
    ULONG Size;
    /* The type's name as written, e.g. "DEVICE_CONTEXT", for debugging. */
    LPCSTR ContextName;
    size_t ContextSize;
    /* The identity: this object itself for an ordinary type; for a shared
     * type, filled in before DriverEntry by EvtDriverGetUniqueContextType. */
    PCWDF_OBJECT_CONTEXT_TYPE_INFO UniqueType;
    PFN_GET_UNIQUE_CONTEXT_TYPE EvtDriverGetUniqueContextType;
} WDF_OBJECT_CONTEXT_TYPE_INFO, *PWDF_OBJECT_CONTEXT_TYPE_INFO;

#define WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype) _WDF_##_contexttype##_TYPE_INFO
#define WDF_TYPE_NAME_TO_EXTERNAL_INIT(_contexttype) _WDF_##_contexttype##_EXTERNAL_INIT
#define WDF_TYPE_NAME_TO_EXTERNAL_INIT_FUNCTION(_contexttype) _contexttype##_EXTERNAL_INIT_FUNCTION
#define WDF_GET_CONTEXT_TYPE_INFO(_contexttype) (&WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype))
#define WDF_TYPE_NAME_POINTER_TYPE(_contexttype) WDF_POINTER_TYPE_##_contexttype

#define WDF_DECLARE_CONTEXT_TYPE(_contexttype) \
    WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(_contexttype, WdfObjectGet_##_contexttype)

/*
 * Section names kept for source compatibility. On ELF, kmhost places shared
 * context types (the only ones written after load) in the writable section
 * "kmdftypeinit", so the FxDriverEntry stub can walk them between the
 * linker-made __start_kmdftypeinit and __stop_kmdftypeinit.
 */
#define WDF_TYPE_INIT_BASE_SECTION_NAME ".kmdftypeinit"
#define WDF_TYPE_INIT_SECTION_NAME ".kmdftypeinit$b"
#ifndef WDF_TYPE_DEFAULT_SECTION_NAME
#define WDF_TYPE_DEFAULT_SECTION_NAME ".data"
#endif
#define KMH_WDF_TYPE_INIT_SECTION "kmdftypeinit"

/*
 * Every file that declares a context type emits the type-info object; it is
 * weak, so the linker keeps exactly one per driver and every file's casting
 * function sees the same address, and hidden, so two drivers in one process
 * never share a type by accident. _section is accepted and ignored.
 */
#define WDF_DECLARE_TYPE_AND_GLOBALS(_contexttype, _UniqueType, _GetUniqueType, _section) \
    typedef _contexttype *WDF_TYPE_NAME_POINTER_TYPE(_contexttype); \
    WDF_EXTERN_C __attribute__((weak, visibility("hidden"))) \
    const WDF_OBJECT_CONTEXT_TYPE_INFO WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype) = { \
        sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO), \
        #_contexttype, \
        sizeof(_contexttype), \
        _UniqueType, \
        _GetUniqueType, \
    };

/* Shared types are written by the stub, so they cannot live in .rodata. */
#define KMH_WDF_DECLARE_SHARED_TYPE_AND_GLOBALS(_contexttype, _GetUniqueType) \
    typedef _contexttype *WDF_TYPE_NAME_POINTER_TYPE(_contexttype); \
    WDF_EXTERN_C __attribute__((weak, visibility("hidden"), section(KMH_WDF_TYPE_INIT_SECTION))) \
    WDF_OBJECT_CONTEXT_TYPE_INFO WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype) = { \
        sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO), \
        #_contexttype, \
        sizeof(_contexttype), \
        WDF_NULL_POINTER, \
        _GetUniqueType, \
    };

/* Marked unused because a driver may declare a type in its .c file and
 * never call the accessor, which Clang's -Wunused-function would report. */
#define WDF_DECLARE_CASTING_FUNCTION(_contexttype, _castingfunction) \
    WDF_EXTERN_C FORCEINLINE __attribute__((unused)) WDF_TYPE_NAME_POINTER_TYPE(_contexttype) \
    _castingfunction(WDFOBJECT Handle) \
    { \
        return (WDF_TYPE_NAME_POINTER_TYPE(_contexttype))WdfObjectGetTypedContextWorker( \
            Handle, WDF_GET_CONTEXT_TYPE_INFO(_contexttype)->UniqueType); \
    }

/* Declares _contexttype as a context type and _castingfunction(Handle) as
 * its typed accessor (NULL if the object has no such context). */
#define WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(_contexttype, _castingfunction) \
    WDF_DECLARE_TYPE_AND_GLOBALS(_contexttype, WDF_GET_CONTEXT_TYPE_INFO(_contexttype), \
                                 WDF_NULL_POINTER, WDF_TYPE_DEFAULT_SECTION_NAME) \
    WDF_DECLARE_CASTING_FUNCTION(_contexttype, _castingfunction)

/* A context type whose identity another component owns: that component
 * defines _contexttype##_EXTERNAL_INIT_FUNCTION, which returns the unique
 * type, and the stub stores its answer in UniqueType before DriverEntry. */
#define WDF_DECLARE_SHARED_CONTEXT_TYPE_WITH_NAME(_contexttype, _castingfunction) \
    KMH_WDF_DECLARE_SHARED_TYPE_AND_GLOBALS(_contexttype, \
        WDF_TYPE_NAME_TO_EXTERNAL_INIT_FUNCTION(_contexttype)) \
    WDF_DECLARE_CASTING_FUNCTION(_contexttype, _castingfunction)

/* Takes the type's name (DEVICE_CONTEXT), not its pointer type. */
#define WdfObjectGetTypedContext(handle, type) \
    ((type *)WdfObjectGetTypedContextWorker((WDFOBJECT)(handle), \
                                            WDF_GET_CONTEXT_TYPE_INFO(type)->UniqueType))

/* Custom types: a tag (with one ULONG_PTR of data) attached to an object as
 * a context of a type made up for the purpose. */
#define WDF_CUSTOM_TYPE_CONTEXT_NAME(_type) WdfCustomType_##_type
#define WDF_GET_CUSTOM_TYPE_FUNCTION_NAME(_type) WdfObjectGetCustomType_##_type
#define WDF_ADD_CUSTOM_TYPE_FUNCTION_NAME(_type) WdfObjectAddCustomType_##_type

typedef struct _WDF_CUSTOM_TYPE_CONTEXT {
    ULONG Size;
    ULONG_PTR Data;
} WDF_CUSTOM_TYPE_CONTEXT, *PWDF_CUSTOM_TYPE_CONTEXT;

#define WDF_DECLARE_CUSTOM_TYPE(_type) \
    typedef WDF_CUSTOM_TYPE_CONTEXT WDF_CUSTOM_TYPE_CONTEXT_NAME(_type); \
    WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(WDF_CUSTOM_TYPE_CONTEXT_NAME(_type), \
                                       WDF_GET_CUSTOM_TYPE_FUNCTION_NAME(_type)); \
    WDF_EXTERN_C FORCEINLINE __attribute__((unused)) NTSTATUS WDF_ADD_CUSTOM_TYPE_FUNCTION_NAME(_type)( \
        WDFOBJECT Handle, ULONG_PTR Data, \
        PFN_WDF_OBJECT_CONTEXT_CLEANUP EvtCleanupCallback, \
        PFN_WDF_OBJECT_CONTEXT_DESTROY EvtDestroyCallback) \
    { \
        NTSTATUS status; \
        WDF_OBJECT_ATTRIBUTES attributes; \
        WDF_CUSTOM_TYPE_CONTEXT_NAME(_type) *typeInfo; \
        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, WDF_CUSTOM_TYPE_CONTEXT_NAME(_type)); \
        attributes.EvtCleanupCallback = EvtCleanupCallback; \
        attributes.EvtDestroyCallback = EvtDestroyCallback; \
        status = WdfObjectAllocateContext(Handle, &attributes, (PVOID *)&typeInfo); \
        if (NT_SUCCESS(status)) { \
            typeInfo->Size = sizeof(WDF_CUSTOM_TYPE_CONTEXT_NAME(_type)); \
            typeInfo->Data = Data; \
        } \
        return status; \
    }

#define WdfObjectIsCustomType(_handle, _type) \
    (WdfObjectGetTypedContext(_handle, WDF_CUSTOM_TYPE_CONTEXT_NAME(_type)) == WDF_NULL_POINTER ? FALSE : TRUE)
#define WdfObjectAddCustomTypeWithData(_handle, _type, _data, _cleanup, _destroy) \
    WDF_ADD_CUSTOM_TYPE_FUNCTION_NAME(_type)(_handle, _data, _cleanup, _destroy)
#define WdfObjectAddCustomType(_handle, _type) \
    WdfObjectAddCustomTypeWithData(_handle, _type, 0, WDF_NULL_POINTER, WDF_NULL_POINTER)
#define WdfObjectGetCustomTypeData(_handle, _type) \
    (WDF_GET_CUSTOM_TYPE_FUNCTION_NAME(_type)(_handle)->Data)

/* The object's context of type TypeInfo, or NULL if it has none. */
KMH_WDF_IMPORT_DECL(WdfObjectGetTypedContextWorker);
typedef PVOID (*PFN_WDFOBJECTGETTYPEDCONTEXTWORKER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFOBJECT Handle, PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo);
FORCEINLINE PVOID WdfObjectGetTypedContextWorker(WDFOBJECT Handle, PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo)
{
    KMH_WDF_IMPORT(WdfObjectGetTypedContextWorker);
    return ((PFN_WDFOBJECTGETTYPEDCONTEXTWORKER)WdfFunctions[WdfObjectGetTypedContextWorkerTableIndex])(WdfDriverGlobals, Handle, TypeInfo);
}

KMH_WDF_IMPORT_DECL(WdfObjectAllocateContext);
typedef NTSTATUS (*PFN_WDFOBJECTALLOCATECONTEXT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFOBJECT Handle, PWDF_OBJECT_ATTRIBUTES ContextAttributes, PVOID *Context);
FORCEINLINE NTSTATUS WdfObjectAllocateContext(WDFOBJECT Handle, PWDF_OBJECT_ATTRIBUTES ContextAttributes, PVOID *Context)
{
    KMH_WDF_IMPORT(WdfObjectAllocateContext);
    return ((PFN_WDFOBJECTALLOCATECONTEXT)WdfFunctions[WdfObjectAllocateContextTableIndex])(WdfDriverGlobals, Handle, ContextAttributes, Context);
}

/* The object a context pointer belongs to. */
KMH_WDF_IMPORT_DECL(WdfObjectContextGetObject);
typedef WDFOBJECT (*PFN_WDFOBJECTCONTEXTGETOBJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, PVOID ContextPointer);
FORCEINLINE WDFOBJECT WdfObjectContextGetObject(PVOID ContextPointer)
{
    KMH_WDF_IMPORT(WdfObjectContextGetObject);
    return ((PFN_WDFOBJECTCONTEXTGETOBJECT)WdfFunctions[WdfObjectContextGetObjectTableIndex])(WdfDriverGlobals, ContextPointer);
}

KMH_WDF_IMPORT_DECL(WdfObjectReferenceActual);
typedef VOID (*PFN_WDFOBJECTREFERENCEACTUAL)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFOBJECT Handle, PVOID Tag, LONG Line, PCCH File);
FORCEINLINE VOID WdfObjectReferenceActual(WDFOBJECT Handle, PVOID Tag, LONG Line, PCCH File)
{
    KMH_WDF_IMPORT(WdfObjectReferenceActual);
    ((PFN_WDFOBJECTREFERENCEACTUAL)WdfFunctions[WdfObjectReferenceActualTableIndex])(WdfDriverGlobals, Handle, Tag, Line, File);
}

KMH_WDF_IMPORT_DECL(WdfObjectDereferenceActual);
typedef VOID (*PFN_WDFOBJECTDEREFERENCEACTUAL)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFOBJECT Handle, PVOID Tag, LONG Line, PCCH File);
FORCEINLINE VOID WdfObjectDereferenceActual(WDFOBJECT Handle, PVOID Tag, LONG Line, PCCH File)
{
    KMH_WDF_IMPORT(WdfObjectDereferenceActual);
    ((PFN_WDFOBJECTDEREFERENCEACTUAL)WdfFunctions[WdfObjectDereferenceActualTableIndex])(WdfDriverGlobals, Handle, Tag, Line, File);
}

KMH_WDF_IMPORT_DECL(WdfObjectCreate);
typedef NTSTATUS (*PFN_WDFOBJECTCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_OBJECT_ATTRIBUTES Attributes, WDFOBJECT *Object);
FORCEINLINE NTSTATUS WdfObjectCreate(PWDF_OBJECT_ATTRIBUTES Attributes, WDFOBJECT *Object)
{
    KMH_WDF_IMPORT(WdfObjectCreate);
    return ((PFN_WDFOBJECTCREATE)WdfFunctions[WdfObjectCreateTableIndex])(WdfDriverGlobals, Attributes, Object);
}

KMH_WDF_IMPORT_DECL(WdfObjectDelete);
typedef VOID (*PFN_WDFOBJECTDELETE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFOBJECT Object);
FORCEINLINE VOID WdfObjectDelete(WDFOBJECT Object)
{
    KMH_WDF_IMPORT(WdfObjectDelete);
    ((PFN_WDFOBJECTDELETE)WdfFunctions[WdfObjectDeleteTableIndex])(WdfDriverGlobals, Object);
}

KMH_WDF_IMPORT_DECL(WdfObjectQuery);
typedef NTSTATUS (*PFN_WDFOBJECTQUERY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFOBJECT Object, CONST GUID *Guid, ULONG QueryBufferLength, PVOID QueryBuffer);
FORCEINLINE NTSTATUS WdfObjectQuery(WDFOBJECT Object, CONST GUID *Guid, ULONG QueryBufferLength, PVOID QueryBuffer)
{
    KMH_WDF_IMPORT(WdfObjectQuery);
    return ((PFN_WDFOBJECTQUERY)WdfFunctions[WdfObjectQueryTableIndex])(WdfDriverGlobals, Object, Guid, QueryBufferLength, QueryBuffer);
}

/* References carry the caller's file and line so the verifier can say
 * which reference leaked. Delete objects with WdfObjectDelete, never by
 * dropping a reference. */
#define WdfObjectReference(Handle) WdfObjectReferenceWithTag(Handle, WDF_NULL_POINTER)
#define WdfObjectReferenceWithTag(Handle, Tag) \
    WdfObjectReferenceActual(Handle, Tag, __LINE__, __FILE__)
#define WdfObjectDereference(Handle) WdfObjectDereferenceWithTag(Handle, WDF_NULL_POINTER)
#define WdfObjectDereferenceWithTag(Handle, Tag) \
    WdfObjectDereferenceActual(Handle, Tag, __LINE__, __FILE__)

WDF_EXTERN_C_END

#endif /* _WDFOBJECT_H_ */
