/*
 * wdfdpc.h: framework DPC objects: a KDPC with a parent object, optionally
 * serialized with the parent's other callbacks.
 */
#ifndef _WDFDPC_H_
#define _WDFDPC_H_

WDF_EXTERN_C_START

typedef VOID NTAPI EVT_WDF_DPC(WDFDPC Dpc);
typedef EVT_WDF_DPC *PFN_WDF_DPC;

typedef struct _WDF_DPC_CONFIG {
    ULONG Size;
    PFN_WDF_DPC EvtDpcFunc;
    /* Serialize with the parent's callbacks (needs a dispatch-level scope). */
    BOOLEAN AutomaticSerialization;
} WDF_DPC_CONFIG, *PWDF_DPC_CONFIG;

FORCEINLINE VOID WDF_DPC_CONFIG_INIT(PWDF_DPC_CONFIG Config, PFN_WDF_DPC EvtDpcFunc)
{
    RtlZeroMemory(Config, sizeof(WDF_DPC_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_DPC_CONFIG);
    Config->EvtDpcFunc = EvtDpcFunc;
    Config->AutomaticSerialization = TRUE;
}

KMH_WDF_IMPORT_DECL(WdfDpcCreate);
typedef NTSTATUS (*PFN_WDFDPCCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_DPC_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFDPC *Dpc);
FORCEINLINE NTSTATUS WdfDpcCreate(PWDF_DPC_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFDPC *Dpc)
{
    KMH_WDF_IMPORT(WdfDpcCreate);
    return ((PFN_WDFDPCCREATE)WdfFunctions[WdfDpcCreateTableIndex])(WdfDriverGlobals, Config, Attributes, Dpc);
}

/* FALSE if the DPC was already queued. */
KMH_WDF_IMPORT_DECL(WdfDpcEnqueue);
typedef BOOLEAN (*PFN_WDFDPCENQUEUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDPC Dpc);
FORCEINLINE BOOLEAN WdfDpcEnqueue(WDFDPC Dpc)
{
    KMH_WDF_IMPORT(WdfDpcEnqueue);
    return ((PFN_WDFDPCENQUEUE)WdfFunctions[WdfDpcEnqueueTableIndex])(WdfDriverGlobals, Dpc);
}

/* TRUE if the DPC was dequeued before it ran; Wait waits for a running one. */
KMH_WDF_IMPORT_DECL(WdfDpcCancel);
typedef BOOLEAN (*PFN_WDFDPCCANCEL)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDPC Dpc, BOOLEAN Wait);
FORCEINLINE BOOLEAN WdfDpcCancel(WDFDPC Dpc, BOOLEAN Wait)
{
    KMH_WDF_IMPORT(WdfDpcCancel);
    return ((PFN_WDFDPCCANCEL)WdfFunctions[WdfDpcCancelTableIndex])(WdfDriverGlobals, Dpc, Wait);
}

KMH_WDF_IMPORT_DECL(WdfDpcGetParentObject);
typedef WDFOBJECT (*PFN_WDFDPCGETPARENTOBJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDPC Dpc);
FORCEINLINE WDFOBJECT WdfDpcGetParentObject(WDFDPC Dpc)
{
    KMH_WDF_IMPORT(WdfDpcGetParentObject);
    return ((PFN_WDFDPCGETPARENTOBJECT)WdfFunctions[WdfDpcGetParentObjectTableIndex])(WdfDriverGlobals, Dpc);
}

KMH_WDF_IMPORT_DECL(WdfDpcWdmGetDpc);
typedef PKDPC (*PFN_WDFDPCWDMGETDPC)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDPC Dpc);
FORCEINLINE PKDPC WdfDpcWdmGetDpc(WDFDPC Dpc)
{
    KMH_WDF_IMPORT(WdfDpcWdmGetDpc);
    return ((PFN_WDFDPCWDMGETDPC)WdfFunctions[WdfDpcWdmGetDpcTableIndex])(WdfDriverGlobals, Dpc);
}

WDF_EXTERN_C_END

#endif /* _WDFDPC_H_ */
