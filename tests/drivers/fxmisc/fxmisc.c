/*
 * fxmisc: a KMDF driver, written as any would be, whose DriverEntry uses
 * the framework's support objects under its WDFDRIVER — a wait lock, a
 * spin lock, strings, a collection and its Parameters key — and checks the
 * rule that timers and work items need a device. It reads Input from its
 * Parameters key and writes what it saw back there for the test to read:
 *   Output        Input * 2
 *   Version       WdfDriverRetrieveVersionString
 *   Names         a REG_MULTI_SZ made from a collection of WDFSTRINGs
 *   TimerStatus   WdfTimerCreate parented to the driver
 *   WorkStatus    WdfWorkItemCreate parented to the driver
 *   Locks         1 when both locks behaved
 * EvtDriverUnload writes Unloaded = 1.
 */
#include <ntddk.h>
#include <wdf.h>

DRIVER_INITIALIZE DriverEntry;
static EVT_WDF_DRIVER_UNLOAD FxMiscUnload;

static VOID NTAPI FxMiscTimer(WDFTIMER Timer)
{
    UNREFERENCED_PARAMETER(Timer);
}

static VOID NTAPI FxMiscWork(WDFWORKITEM WorkItem)
{
    UNREFERENCED_PARAMETER(WorkItem);
}

static ULONG FxMiscLocks(void)
{
    WDFWAITLOCK waitLock;
    WDFSPINLOCK spinLock;
    LONGLONG poll = 0;
    ULONG ok = 1;

    if (!NT_SUCCESS(WdfWaitLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &waitLock)) ||
        !NT_SUCCESS(WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &spinLock)))
        return 0;
    if (WdfWaitLockAcquire(waitLock, NULL) != STATUS_SUCCESS)
        ok = 0;
    WdfWaitLockRelease(waitLock);
    if (WdfWaitLockAcquire(waitLock, &poll) != STATUS_SUCCESS)
        ok = 0;
    WdfWaitLockRelease(waitLock);
    WdfSpinLockAcquire(spinLock);
    if (KeGetCurrentIrql() != DISPATCH_LEVEL)
        ok = 0;
    WdfSpinLockRelease(spinLock);
    /* The spin lock is left to the driver object; the wait lock goes now. */
    WdfObjectDelete(waitLock);
    return ok;
}

static NTSTATUS FxMiscNames(WDFKEY Key)
{
    DECLARE_CONST_UNICODE_STRING(names, L"Names");
    static const PCWSTR items[] = { L"alpha", L"beta" };
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFCOLLECTION collection;
    UNICODE_STRING text;
    WDFSTRING string;
    NTSTATUS status;

    status = WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &collection);
    if (!NT_SUCCESS(status))
        return status;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = collection;
    for (ULONG i = 0; i < ARRAYSIZE(items) && NT_SUCCESS(status); i++) {
        RtlInitUnicodeString(&text, items[i]);
        status = WdfStringCreate(&text, &attributes, &string);
        if (NT_SUCCESS(status))
            status = WdfCollectionAdd(collection, string);
    }
    if (NT_SUCCESS(status))
        status = WdfRegistryAssignMultiString(Key, &names, collection);
    WdfObjectDelete(collection);
    return status;
}

static void FxMiscNeedsDevice(WDFKEY Key)
{
    DECLARE_CONST_UNICODE_STRING(timerStatus, L"TimerStatus");
    DECLARE_CONST_UNICODE_STRING(workStatus, L"WorkStatus");
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_TIMER_CONFIG timerConfig;
    WDF_WORKITEM_CONFIG workConfig;
    WDFTIMER timer;
    WDFWORKITEM workItem;

    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = WdfGetDriver();
    WDF_TIMER_CONFIG_INIT(&timerConfig, FxMiscTimer);
    WdfRegistryAssignULong(Key, &timerStatus, (ULONG)WdfTimerCreate(&timerConfig, &attributes, &timer));
    WDF_WORKITEM_CONFIG_INIT(&workConfig, FxMiscWork);
    WdfRegistryAssignULong(Key, &workStatus, (ULONG)WdfWorkItemCreate(&workConfig, &attributes, &workItem));
}

static NTSTATUS FxMiscReport(WDFDRIVER Driver, WDFKEY Key)
{
    DECLARE_CONST_UNICODE_STRING(input, L"Input");
    DECLARE_CONST_UNICODE_STRING(output, L"Output");
    DECLARE_CONST_UNICODE_STRING(version, L"Version");
    DECLARE_CONST_UNICODE_STRING(locks, L"Locks");
    WDFSTRING string;
    ULONG value = 0;
    NTSTATUS status;

    status = WdfRegistryQueryULong(Key, &input, &value);
    if (NT_SUCCESS(status))
        status = WdfRegistryAssignULong(Key, &output, value * 2);
    if (NT_SUCCESS(status))
        status = WdfStringCreate(NULL, WDF_NO_OBJECT_ATTRIBUTES, &string);
    if (NT_SUCCESS(status) && NT_SUCCESS(status = WdfDriverRetrieveVersionString(Driver, string)))
        status = WdfRegistryAssignString(Key, &version, string);
    if (NT_SUCCESS(status))
        status = FxMiscNames(Key);
    if (NT_SUCCESS(status))
        status = WdfRegistryAssignULong(Key, &locks, FxMiscLocks());
    FxMiscNeedsDevice(Key);
    return status;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;
    WDFDRIVER driver;
    WDFKEY key;
    NTSTATUS status;

    WDF_DRIVER_CONFIG_INIT(&config, WDF_NO_EVENT_CALLBACK);
    config.DriverInitFlags = WdfDriverInitNonPnpDriver;
    config.EvtDriverUnload = FxMiscUnload;
    status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, &driver);
    if (!NT_SUCCESS(status))
        return status;
    status = WdfDriverOpenParametersRegistryKey(driver, KEY_ALL_ACCESS, WDF_NO_OBJECT_ATTRIBUTES, &key);
    if (!NT_SUCCESS(status))
        return status;
    status = FxMiscReport(driver, key);
    WdfRegistryClose(key);
    return status;
}

static VOID NTAPI FxMiscUnload(WDFDRIVER Driver)
{
    DECLARE_CONST_UNICODE_STRING(unloaded, L"Unloaded");
    WDFKEY key;

    if (NT_SUCCESS(WdfDriverOpenParametersRegistryKey(Driver, KEY_WRITE, WDF_NO_OBJECT_ATTRIBUTES, &key))) {
        WdfRegistryAssignULong(key, &unloaded, 1);
        WdfRegistryClose(key);
    }
}
