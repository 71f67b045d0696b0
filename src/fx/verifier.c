/*
 * The framework's verifier helpers (IRQL and attribute checks the DDIs
 * share) and the two DDIs a driver uses to stop itself through the
 * framework: WdfVerifierDbgBreakPoint and WdfVerifierKeBugCheck.
 */
#include "fx/fx.h"
#include "verifier/verifier.h"

bool fx_check_irql(KIRQL max, const char *ddi)
{
    KIRQL irql = KeGetCurrentIrql();
    if (irql <= max)
        return true;
    vf_report(VF_IRQL, ddi, NULL, "called at IRQL %u; it allows at most %u", (unsigned)irql, (unsigned)max);
    return false;
}

NTSTATUS fx_attributes_check_levels(PWDF_OBJECT_ATTRIBUTES attributes, bool level_allowed, const char *ddi)
{
    if (!attributes)
        return STATUS_SUCCESS;
    WDF_EXECUTION_LEVEL level = attributes->ExecutionLevel;
    bool level_ok = level == WdfExecutionLevelInheritFromParent ||
                    (level_allowed && (level == WdfExecutionLevelPassive || level == WdfExecutionLevelDispatch));
    if (!level_ok) {
        fx_violation(ddi, "WDF_OBJECT_ATTRIBUTES.ExecutionLevel %d is not allowed for this object", (int)level);
        return STATUS_WDF_EXECUTION_LEVEL_INVALID;
    }
    if (attributes->SynchronizationScope != WdfSynchronizationScopeInheritFromParent) {
        fx_violation(ddi, "WDF_OBJECT_ATTRIBUTES.SynchronizationScope %d is only for devices and queues",
                     (int)attributes->SynchronizationScope);
        return STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID;
    }
    return STATUS_SUCCESS;
}

/* Breaks into the debugger (DbgBreakPoint: only with KMHOST_BREAK=1, else
 * logged) when the framework's verifier is on for the driver; otherwise
 * does nothing, as documented. Any IRQL. */
static void verifier_dbg_break_point(PWDF_DRIVER_GLOBALS g)
{
    struct fx_globals *globals = fx_globals_of(g);
    if (globals && globals->verifier)
        DbgBreakPoint();
}
FX_EXPORT(WdfVerifierDbgBreakPoint, PFN_WDFVERIFIERDBGBREAKPOINT, verifier_dbg_break_point);

/* Bug checks on the driver's behalf (KeBugCheckEx: reported, then the
 * process stops). Any IRQL. Does not return. */
static void verifier_ke_bug_check(PWDF_DRIVER_GLOBALS g, ULONG BugCheckCode, ULONG_PTR BugCheckParameter1,
                                  ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3,
                                  ULONG_PTR BugCheckParameter4)
{
    (void)g;
    KeBugCheckEx(BugCheckCode, BugCheckParameter1, BugCheckParameter2, BugCheckParameter3, BugCheckParameter4);
}
FX_EXPORT(WdfVerifierKeBugCheck, PFN_WDFVERIFIERKEBUGCHECK, verifier_ke_bug_check);
