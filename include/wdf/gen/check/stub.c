/* Stand-in for the lead's FxDriverEntry stub: the per-driver globals. */
#define WDF_STUB
#include <ntddk.h>
#include <wdf.h>
const WDFFUNC *WdfFunctions_01033;
PWDF_DRIVER_GLOBALS WdfDriverGlobals;
BOOLEAN WdfClientVersionHigherThanFramework;
ULONG WdfFunctionCount;
ULONG WdfStructureCount;
WDF_STRUCT_INFO WdfStructures;
WDFFUNC WdfDriverMiniportUnloadOverride;
/* The host hands the table and globals in before DriverEntry. */
__attribute__((visibility("default"))) void kmh_test_bind(const WDFFUNC *table, PWDF_DRIVER_GLOBALS globals)
{
    WdfFunctions_01033 = table;
    WdfDriverGlobals = globals;
}
