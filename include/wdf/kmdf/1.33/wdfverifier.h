/*
 * wdfverifier.h: breaking into the debugger and bug-checking on behalf of a
 * driver, both routed through the framework so its verifier sees them, and
 * the triage block a debugger reads.
 */
#ifndef _WDFVERIFIER_H_
#define _WDFVERIFIER_H_

WDF_EXTERN_C_START

/* Breaks only when the framework's verifier is on for this driver. */
KMH_WDF_IMPORT_DECL(WdfVerifierDbgBreakPoint);
typedef VOID (*PFN_WDFVERIFIERDBGBREAKPOINT)(PWDF_DRIVER_GLOBALS DriverGlobals);
FORCEINLINE VOID WdfVerifierDbgBreakPoint(VOID)
{
    KMH_WDF_IMPORT(WdfVerifierDbgBreakPoint);
    ((PFN_WDFVERIFIERDBGBREAKPOINT)WdfFunctions[WdfVerifierDbgBreakPointTableIndex])(WdfDriverGlobals);
}

KMH_WDF_IMPORT_DECL(WdfVerifierKeBugCheck);
typedef VOID (*PFN_WDFVERIFIERKEBUGCHECK)(PWDF_DRIVER_GLOBALS DriverGlobals, ULONG BugCheckCode, ULONG_PTR BugCheckParameter1, ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3, ULONG_PTR BugCheckParameter4);
FORCEINLINE VOID WdfVerifierKeBugCheck(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1, ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3, ULONG_PTR BugCheckParameter4)
{
    KMH_WDF_IMPORT(WdfVerifierKeBugCheck);
    ((PFN_WDFVERIFIERKEBUGCHECK)WdfFunctions[WdfVerifierKeBugCheckTableIndex])(WdfDriverGlobals, BugCheckCode, BugCheckParameter1, BugCheckParameter2, BugCheckParameter3, BugCheckParameter4);
}

/* Returns the framework's triage block (layouts a debugger extension reads). */
KMH_WDF_IMPORT_DECL(WdfGetTriageInfo);
typedef PVOID (*PFN_WDFGETTRIAGEINFO)(PWDF_DRIVER_GLOBALS DriverGlobals);
FORCEINLINE PVOID WdfGetTriageInfo(VOID)
{
    KMH_WDF_IMPORT(WdfGetTriageInfo);
    return ((PFN_WDFGETTRIAGEINFO)WdfFunctions[WdfGetTriageInfoTableIndex])(WdfDriverGlobals);
}

WDF_EXTERN_C_END

#endif /* _WDFVERIFIER_H_ */
