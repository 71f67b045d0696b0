/*
 * wdfworkitem.h: framework work items, whose callback runs at
 * PASSIVE_LEVEL on a system worker thread.
 */
#ifndef _WDFWORKITEM_H_
#define _WDFWORKITEM_H_

WDF_EXTERN_C_START

typedef VOID NTAPI EVT_WDF_WORKITEM(WDFWORKITEM WorkItem);
typedef EVT_WDF_WORKITEM *PFN_WDF_WORKITEM;

typedef struct _WDF_WORKITEM_CONFIG {
    ULONG Size;
    PFN_WDF_WORKITEM EvtWorkItemFunc;
    BOOLEAN AutomaticSerialization;
} WDF_WORKITEM_CONFIG, *PWDF_WORKITEM_CONFIG;

FORCEINLINE VOID WDF_WORKITEM_CONFIG_INIT(PWDF_WORKITEM_CONFIG Config, PFN_WDF_WORKITEM EvtWorkItemFunc)
{
    RtlZeroMemory(Config, sizeof(WDF_WORKITEM_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_WORKITEM_CONFIG);
    Config->EvtWorkItemFunc = EvtWorkItemFunc;
    Config->AutomaticSerialization = TRUE;
}

KMH_WDF_IMPORT_DECL(WdfWorkItemCreate);
typedef NTSTATUS (*PFN_WDFWORKITEMCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_WORKITEM_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFWORKITEM *WorkItem);
FORCEINLINE NTSTATUS WdfWorkItemCreate(PWDF_WORKITEM_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFWORKITEM *WorkItem)
{
    KMH_WDF_IMPORT(WdfWorkItemCreate);
    return ((PFN_WDFWORKITEMCREATE)WdfFunctions[WdfWorkItemCreateTableIndex])(WdfDriverGlobals, Config, Attributes, WorkItem);
}

/* Does nothing if the work item is already queued. */
KMH_WDF_IMPORT_DECL(WdfWorkItemEnqueue);
typedef VOID (*PFN_WDFWORKITEMENQUEUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWORKITEM WorkItem);
FORCEINLINE VOID WdfWorkItemEnqueue(WDFWORKITEM WorkItem)
{
    KMH_WDF_IMPORT(WdfWorkItemEnqueue);
    ((PFN_WDFWORKITEMENQUEUE)WdfFunctions[WdfWorkItemEnqueueTableIndex])(WdfDriverGlobals, WorkItem);
}

KMH_WDF_IMPORT_DECL(WdfWorkItemGetParentObject);
typedef WDFOBJECT (*PFN_WDFWORKITEMGETPARENTOBJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWORKITEM WorkItem);
FORCEINLINE WDFOBJECT WdfWorkItemGetParentObject(WDFWORKITEM WorkItem)
{
    KMH_WDF_IMPORT(WdfWorkItemGetParentObject);
    return ((PFN_WDFWORKITEMGETPARENTOBJECT)WdfFunctions[WdfWorkItemGetParentObjectTableIndex])(WdfDriverGlobals, WorkItem);
}

/* Waits until a queued or running callback has finished. */
KMH_WDF_IMPORT_DECL(WdfWorkItemFlush);
typedef VOID (*PFN_WDFWORKITEMFLUSH)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFWORKITEM WorkItem);
FORCEINLINE VOID WdfWorkItemFlush(WDFWORKITEM WorkItem)
{
    KMH_WDF_IMPORT(WdfWorkItemFlush);
    ((PFN_WDFWORKITEMFLUSH)WdfFunctions[WdfWorkItemFlushTableIndex])(WdfDriverGlobals, WorkItem);
}

WDF_EXTERN_C_END

#endif /* _WDFWORKITEM_H_ */
