/*
 * fxmisc: a KMDF driver, written as any would be, whose DriverEntry uses
 * the framework's support objects under its WDFDRIVER — a wait lock, a
 * spin lock, strings, a collection and its Parameters key — checks the
 * rule that timers and work items need a device, and then makes a control
 * device with a timer whose callback queues a work item. It reads Input
 * from its Parameters key and writes what it saw back there for the test:
 *   Output        Input * 2
 *   Version       WdfDriverRetrieveVersionString
 *   Names         a REG_MULTI_SZ made from a collection of WDFSTRINGs
 *   TimerStatus   WdfTimerCreate parented to the driver
 *   WorkStatus    WdfWorkItemCreate parented to the driver
 *   Locks         1 when both locks behaved
 *   DeviceKey     WdfDeviceOpenRegistryKey on the control device
 *   TimerIrql     the IRQL the device's timer callback ran at
 *   WorkIrql      the IRQL the work item it queued ran at (written last)
 * EvtDriverUnload deletes the control device and writes Unloaded = 1.
 */
#include <ntddk.h>
#include <wdf.h>

DRIVER_INITIALIZE DriverEntry;
static EVT_WDF_DRIVER_UNLOAD FxMiscUnload;

typedef struct _FXMISC_DEVICE {
    WDFWORKITEM WorkItem;
    ULONG TimerIrql;
} FXMISC_DEVICE, *PFXMISC_DEVICE;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(FXMISC_DEVICE, FxMiscDevice);

static WDFDEVICE ControlDevice;

static VOID NTAPI FxMiscTimer(WDFTIMER Timer)
{
    PFXMISC_DEVICE context = FxMiscDevice(WdfTimerGetParentObject(Timer));
    context->TimerIrql = KeGetCurrentIrql();
    WdfWorkItemEnqueue(context->WorkItem);
}

static VOID NTAPI FxMiscWork(WDFWORKITEM WorkItem)
{
    DECLARE_CONST_UNICODE_STRING(timerIrql, L"TimerIrql");
    DECLARE_CONST_UNICODE_STRING(workIrql, L"WorkIrql");
    PFXMISC_DEVICE context = FxMiscDevice(WdfWorkItemGetParentObject(WorkItem));
    WDFKEY key;

    if (NT_SUCCESS(WdfDriverOpenParametersRegistryKey(WdfGetDriver(), KEY_WRITE, WDF_NO_OBJECT_ATTRIBUTES, &key))) {
        WdfRegistryAssignULong(key, &timerIrql, context->TimerIrql);
        WdfRegistryAssignULong(key, &workIrql, KeGetCurrentIrql());
        WdfRegistryClose(key);
    }
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

/* A control device with a one-shot timer whose callback queues a work
 * item; both are the device's children. */
static NTSTATUS FxMiscControlDevice(WDFDRIVER Driver, WDFKEY Key)
{
    DECLARE_CONST_UNICODE_STRING(sddl, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
    DECLARE_CONST_UNICODE_STRING(deviceKey, L"DeviceKey");
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_TIMER_CONFIG timerConfig;
    WDF_WORKITEM_CONFIG workConfig;
    PWDFDEVICE_INIT init;
    WDFTIMER timer;
    WDFKEY hardware;
    NTSTATUS status;

    init = WdfControlDeviceInitAllocate(Driver, &sddl);
    if (!init)
        return STATUS_INSUFFICIENT_RESOURCES;
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, FXMISC_DEVICE);
    status = WdfDeviceCreate(&init, &attributes, &ControlDevice);
    if (!NT_SUCCESS(status)) {
        WdfDeviceInitFree(init);
        return status;
    }
    /* A control device has no PnP keys. */
    WdfRegistryAssignULong(Key, &deviceKey, (ULONG)WdfDeviceOpenRegistryKey(ControlDevice, PLUGPLAY_REGKEY_DEVICE,
                                                                            KEY_READ, WDF_NO_OBJECT_ATTRIBUTES,
                                                                            &hardware));
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = ControlDevice;
    WDF_WORKITEM_CONFIG_INIT(&workConfig, FxMiscWork);
    status = WdfWorkItemCreate(&workConfig, &attributes, &FxMiscDevice(ControlDevice)->WorkItem);
    if (!NT_SUCCESS(status))
        return status;
    WDF_TIMER_CONFIG_INIT(&timerConfig, FxMiscTimer);
    status = WdfTimerCreate(&timerConfig, &attributes, &timer);
    if (!NT_SUCCESS(status))
        return status;
    WdfControlFinishInitializing(ControlDevice);
    WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1));
    return STATUS_SUCCESS;
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
    if (NT_SUCCESS(status))
        status = FxMiscControlDevice(driver, key);
    WdfRegistryClose(key);
    return status;
}

static VOID NTAPI FxMiscUnload(WDFDRIVER Driver)
{
    DECLARE_CONST_UNICODE_STRING(unloaded, L"Unloaded");
    WDFKEY key;

    /* Deleting the device stops its timer and waits for its work item. */
    if (ControlDevice)
        WdfObjectDelete(ControlDevice);
    if (NT_SUCCESS(WdfDriverOpenParametersRegistryKey(Driver, KEY_WRITE, WDF_NO_OBJECT_ATTRIBUTES, &key))) {
        WdfRegistryAssignULong(key, &unloaded, 1);
        WdfRegistryClose(key);
    }
}
