/*
 * wdfcompaniontarget.h: companion targets, the channel between a driver and
 * its user-mode companion. The methods sit in the KMDF 1.33 table, so
 * their wrappers are here too.
 */
#ifndef _WDFCOMPANIONTARGET_H_
#define _WDFCOMPANIONTARGET_H_

WDF_EXTERN_C_START

typedef enum _WDF_TASK_SEND_OPTIONS_FLAGS {
    WDF_TASK_SEND_OPTION_TIMEOUT = 0x00000001,
    WDF_TASK_SEND_OPTION_SYNCHRONOUS = 0x00000002,
} WDF_TASK_SEND_OPTIONS_FLAGS;

typedef struct _WDF_TASK_SEND_OPTIONS {
    ULONG Size;
    ULONG Flags;
    LONGLONG Timeout;
} WDF_TASK_SEND_OPTIONS, *PWDF_TASK_SEND_OPTIONS;

FORCEINLINE VOID WDF_TASK_SEND_OPTIONS_INIT(PWDF_TASK_SEND_OPTIONS Options, ULONG Flags)
{
    RtlZeroMemory(Options, sizeof(WDF_TASK_SEND_OPTIONS));
    Options->Size = WDF_STRUCTURE_SIZE(WDF_TASK_SEND_OPTIONS);
    Options->Flags = Flags;
}

KMH_WDF_IMPORT_DECL(WdfCompanionTargetSendTaskSynchronously);
typedef NTSTATUS (*PFN_WDFCOMPANIONTARGETSENDTASKSYNCHRONOUSLY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOMPANIONTARGET CompanionTarget, USHORT TaskQueueIdentifier, ULONG TaskOperationCode, PWDF_MEMORY_DESCRIPTOR InputBuffer, PWDF_MEMORY_DESCRIPTOR OutputBuffer, PWDF_TASK_SEND_OPTIONS TaskOptions, PULONG_PTR BytesReturned);
FORCEINLINE NTSTATUS WdfCompanionTargetSendTaskSynchronously(WDFCOMPANIONTARGET CompanionTarget, USHORT TaskQueueIdentifier, ULONG TaskOperationCode, PWDF_MEMORY_DESCRIPTOR InputBuffer, PWDF_MEMORY_DESCRIPTOR OutputBuffer, PWDF_TASK_SEND_OPTIONS TaskOptions, PULONG_PTR BytesReturned)
{
    KMH_WDF_IMPORT(WdfCompanionTargetSendTaskSynchronously);
    return ((PFN_WDFCOMPANIONTARGETSENDTASKSYNCHRONOUSLY)WdfFunctions[WdfCompanionTargetSendTaskSynchronouslyTableIndex])(WdfDriverGlobals, CompanionTarget, TaskQueueIdentifier, TaskOperationCode, InputBuffer, OutputBuffer, TaskOptions, BytesReturned);
}

KMH_WDF_IMPORT_DECL(WdfCompanionTargetWdmGetCompanionProcess);
typedef PEPROCESS (*PFN_WDFCOMPANIONTARGETWDMGETCOMPANIONPROCESS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOMPANIONTARGET CompanionTarget);
FORCEINLINE PEPROCESS WdfCompanionTargetWdmGetCompanionProcess(WDFCOMPANIONTARGET CompanionTarget)
{
    KMH_WDF_IMPORT(WdfCompanionTargetWdmGetCompanionProcess);
    return ((PFN_WDFCOMPANIONTARGETWDMGETCOMPANIONPROCESS)WdfFunctions[WdfCompanionTargetWdmGetCompanionProcessTableIndex])(WdfDriverGlobals, CompanionTarget);
}

WDF_EXTERN_C_END

#endif /* _WDFCOMPANIONTARGET_H_ */
