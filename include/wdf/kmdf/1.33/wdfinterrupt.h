/*
 * wdfinterrupt.h: framework interrupt objects: the ISR, its DPC or work
 * item, enable/disable callbacks tied to power transitions, the interrupt
 * spin lock, and affinity policy.
 */
#ifndef _WDFINTERRUPT_H_
#define _WDFINTERRUPT_H_

WDF_EXTERN_C_START

typedef enum _WDF_INTERRUPT_POLARITY {
    WdfInterruptPolarityUnknown = 0,
    WdfInterruptActiveHigh,
    WdfInterruptActiveLow,
} WDF_INTERRUPT_POLARITY, *PWDF_INTERRUPT_POLARITY;

typedef enum _WDF_INTERRUPT_POLICY {
    WdfIrqPolicyMachineDefault = 0,
    WdfIrqPolicyAllCloseProcessors,
    WdfIrqPolicyOneCloseProcessor,
    WdfIrqPolicyAllProcessorsInMachine,
    WdfIrqPolicySpecifiedProcessors,
    WdfIrqPolicySpreadMessagesAcrossAllProcessors,
} WDF_INTERRUPT_POLICY, *PWDF_INTERRUPT_POLICY;

typedef enum _WDF_INTERRUPT_PRIORITY {
    WdfIrqPriorityUndefined = 0,
    WdfIrqPriorityLow,
    WdfIrqPriorityNormal,
    WdfIrqPriorityHigh,
} WDF_INTERRUPT_PRIORITY, *PWDF_INTERRUPT_PRIORITY;

/* Runs at the device's IRQL (or PASSIVE_LEVEL for passive interrupts);
 * returns TRUE if the device was interrupting. */
typedef BOOLEAN NTAPI EVT_WDF_INTERRUPT_ISR(WDFINTERRUPT Interrupt, ULONG MessageID);
typedef EVT_WDF_INTERRUPT_ISR *PFN_WDF_INTERRUPT_ISR;

typedef BOOLEAN NTAPI EVT_WDF_INTERRUPT_SYNCHRONIZE(WDFINTERRUPT Interrupt, WDFCONTEXT Context);
typedef EVT_WDF_INTERRUPT_SYNCHRONIZE *PFN_WDF_INTERRUPT_SYNCHRONIZE;

typedef VOID NTAPI EVT_WDF_INTERRUPT_DPC(WDFINTERRUPT Interrupt, WDFOBJECT AssociatedObject);
typedef EVT_WDF_INTERRUPT_DPC *PFN_WDF_INTERRUPT_DPC;

typedef VOID NTAPI EVT_WDF_INTERRUPT_WORKITEM(WDFINTERRUPT Interrupt, WDFOBJECT AssociatedObject);
typedef EVT_WDF_INTERRUPT_WORKITEM *PFN_WDF_INTERRUPT_WORKITEM;

typedef NTSTATUS NTAPI EVT_WDF_INTERRUPT_ENABLE(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice);
typedef EVT_WDF_INTERRUPT_ENABLE *PFN_WDF_INTERRUPT_ENABLE;

typedef NTSTATUS NTAPI EVT_WDF_INTERRUPT_DISABLE(WDFINTERRUPT Interrupt, WDFDEVICE AssociatedDevice);
typedef EVT_WDF_INTERRUPT_DISABLE *PFN_WDF_INTERRUPT_DISABLE;

typedef struct _WDF_INTERRUPT_CONFIG {
    ULONG Size;
    /* Optional: a spin lock to share between several interrupts. */
    WDFSPINLOCK SpinLock;
    WDF_TRI_STATE ShareVector;
    BOOLEAN FloatingSave;
    BOOLEAN AutomaticSerialization;
    PFN_WDF_INTERRUPT_ISR EvtInterruptIsr;
    PFN_WDF_INTERRUPT_DPC EvtInterruptDpc;
    PFN_WDF_INTERRUPT_ENABLE EvtInterruptEnable;
    PFN_WDF_INTERRUPT_DISABLE EvtInterruptDisable;
    PFN_WDF_INTERRUPT_WORKITEM EvtInterruptWorkItem;
    /* Set both when creating the interrupt outside EvtDeviceAdd, from
     * the resources given to EvtDevicePrepareHardware. */
    PCM_PARTIAL_RESOURCE_DESCRIPTOR InterruptRaw;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR InterruptTranslated;
    /* For passive-level interrupts: the wait lock the ISR runs under. */
    WDFWAITLOCK WaitLock;
    BOOLEAN PassiveHandling;
    WDF_TRI_STATE ReportInactiveOnPowerDown;
    BOOLEAN CanWakeDevice;
} WDF_INTERRUPT_CONFIG, *PWDF_INTERRUPT_CONFIG;

FORCEINLINE VOID WDF_INTERRUPT_CONFIG_INIT(PWDF_INTERRUPT_CONFIG Configuration,
                                           PFN_WDF_INTERRUPT_ISR EvtInterruptIsr,
                                           PFN_WDF_INTERRUPT_DPC EvtInterruptDpc)
{
    RtlZeroMemory(Configuration, sizeof(WDF_INTERRUPT_CONFIG));
    Configuration->Size = WDF_STRUCTURE_SIZE(WDF_INTERRUPT_CONFIG);
    Configuration->ShareVector = WdfUseDefault;
    Configuration->EvtInterruptIsr = EvtInterruptIsr;
    Configuration->EvtInterruptDpc = EvtInterruptDpc;
    Configuration->ReportInactiveOnPowerDown = WdfUseDefault;
}

typedef struct _WDF_INTERRUPT_INFO {
    ULONG Size;
    ULONG64 Reserved1;
    KAFFINITY TargetProcessorSet;
    ULONG Reserved2;
    ULONG MessageNumber;
    ULONG Vector;
    KIRQL Irql;
    KINTERRUPT_MODE Mode;
    WDF_INTERRUPT_POLARITY Polarity;
    BOOLEAN MessageSignaled;
    /* CM_SHARE_DISPOSITION */
    UCHAR ShareDisposition;
    /* Aligned to 8 as in the WDK, so the structure's size is the same. */
    __attribute__((aligned(8))) USHORT Group;
} WDF_INTERRUPT_INFO, *PWDF_INTERRUPT_INFO;

FORCEINLINE VOID WDF_INTERRUPT_INFO_INIT(PWDF_INTERRUPT_INFO Info)
{
    RtlZeroMemory(Info, sizeof(WDF_INTERRUPT_INFO));
    Info->Size = WDF_STRUCTURE_SIZE(WDF_INTERRUPT_INFO);
}

typedef struct _WDF_INTERRUPT_EXTENDED_POLICY {
    ULONG Size;
    WDF_INTERRUPT_POLICY Policy;
    WDF_INTERRUPT_PRIORITY Priority;
    GROUP_AFFINITY TargetProcessorSetAndGroup;
} WDF_INTERRUPT_EXTENDED_POLICY, *PWDF_INTERRUPT_EXTENDED_POLICY;

FORCEINLINE VOID WDF_INTERRUPT_EXTENDED_POLICY_INIT(PWDF_INTERRUPT_EXTENDED_POLICY ExtendedPolicy)
{
    RtlZeroMemory(ExtendedPolicy, sizeof(WDF_INTERRUPT_EXTENDED_POLICY));
    ExtendedPolicy->Size = WDF_STRUCTURE_SIZE(WDF_INTERRUPT_EXTENDED_POLICY);
    ExtendedPolicy->Policy = WdfIrqPolicyMachineDefault;
    ExtendedPolicy->Priority = WdfIrqPriorityUndefined;
}

KMH_WDF_IMPORT_DECL(WdfInterruptCreate);
typedef NTSTATUS (*PFN_WDFINTERRUPTCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDEVICE Device, PWDF_INTERRUPT_CONFIG Configuration, PWDF_OBJECT_ATTRIBUTES Attributes, WDFINTERRUPT *Interrupt);
FORCEINLINE NTSTATUS WdfInterruptCreate(WDFDEVICE Device, PWDF_INTERRUPT_CONFIG Configuration, PWDF_OBJECT_ATTRIBUTES Attributes, WDFINTERRUPT *Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptCreate);
    return ((PFN_WDFINTERRUPTCREATE)WdfFunctions[WdfInterruptCreateTableIndex])(WdfDriverGlobals, Device, Configuration, Attributes, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptQueueDpcForIsr);
typedef BOOLEAN (*PFN_WDFINTERRUPTQUEUEDPCFORISR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE BOOLEAN WdfInterruptQueueDpcForIsr(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptQueueDpcForIsr);
    return ((PFN_WDFINTERRUPTQUEUEDPCFORISR)WdfFunctions[WdfInterruptQueueDpcForIsrTableIndex])(WdfDriverGlobals, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptQueueWorkItemForIsr);
typedef BOOLEAN (*PFN_WDFINTERRUPTQUEUEWORKITEMFORISR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE BOOLEAN WdfInterruptQueueWorkItemForIsr(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptQueueWorkItemForIsr);
    return ((PFN_WDFINTERRUPTQUEUEWORKITEMFORISR)WdfFunctions[WdfInterruptQueueWorkItemForIsrTableIndex])(WdfDriverGlobals, Interrupt);
}

/* Runs Callback at the interrupt's IRQL holding its lock. */
KMH_WDF_IMPORT_DECL(WdfInterruptSynchronize);
typedef BOOLEAN (*PFN_WDFINTERRUPTSYNCHRONIZE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt, PFN_WDF_INTERRUPT_SYNCHRONIZE Callback, WDFCONTEXT Context);
FORCEINLINE BOOLEAN WdfInterruptSynchronize(WDFINTERRUPT Interrupt, PFN_WDF_INTERRUPT_SYNCHRONIZE Callback, WDFCONTEXT Context)
{
    KMH_WDF_IMPORT(WdfInterruptSynchronize);
    return ((PFN_WDFINTERRUPTSYNCHRONIZE)WdfFunctions[WdfInterruptSynchronizeTableIndex])(WdfDriverGlobals, Interrupt, Callback, Context);
}

KMH_WDF_IMPORT_DECL(WdfInterruptAcquireLock);
typedef VOID (*PFN_WDFINTERRUPTACQUIRELOCK)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE VOID WdfInterruptAcquireLock(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptAcquireLock);
    ((PFN_WDFINTERRUPTACQUIRELOCK)WdfFunctions[WdfInterruptAcquireLockTableIndex])(WdfDriverGlobals, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptReleaseLock);
typedef VOID (*PFN_WDFINTERRUPTRELEASELOCK)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE VOID WdfInterruptReleaseLock(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptReleaseLock);
    ((PFN_WDFINTERRUPTRELEASELOCK)WdfFunctions[WdfInterruptReleaseLockTableIndex])(WdfDriverGlobals, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptEnable);
typedef VOID (*PFN_WDFINTERRUPTENABLE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE VOID WdfInterruptEnable(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptEnable);
    ((PFN_WDFINTERRUPTENABLE)WdfFunctions[WdfInterruptEnableTableIndex])(WdfDriverGlobals, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptDisable);
typedef VOID (*PFN_WDFINTERRUPTDISABLE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE VOID WdfInterruptDisable(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptDisable);
    ((PFN_WDFINTERRUPTDISABLE)WdfFunctions[WdfInterruptDisableTableIndex])(WdfDriverGlobals, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptWdmGetInterrupt);
typedef PKINTERRUPT (*PFN_WDFINTERRUPTWDMGETINTERRUPT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE PKINTERRUPT WdfInterruptWdmGetInterrupt(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptWdmGetInterrupt);
    return ((PFN_WDFINTERRUPTWDMGETINTERRUPT)WdfFunctions[WdfInterruptWdmGetInterruptTableIndex])(WdfDriverGlobals, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptGetInfo);
typedef VOID (*PFN_WDFINTERRUPTGETINFO)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt, PWDF_INTERRUPT_INFO Info);
FORCEINLINE VOID WdfInterruptGetInfo(WDFINTERRUPT Interrupt, PWDF_INTERRUPT_INFO Info)
{
    KMH_WDF_IMPORT(WdfInterruptGetInfo);
    ((PFN_WDFINTERRUPTGETINFO)WdfFunctions[WdfInterruptGetInfoTableIndex])(WdfDriverGlobals, Interrupt, Info);
}

KMH_WDF_IMPORT_DECL(WdfInterruptSetPolicy);
typedef VOID (*PFN_WDFINTERRUPTSETPOLICY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt, WDF_INTERRUPT_POLICY Policy, WDF_INTERRUPT_PRIORITY Priority, KAFFINITY TargetProcessorSet);
FORCEINLINE VOID WdfInterruptSetPolicy(WDFINTERRUPT Interrupt, WDF_INTERRUPT_POLICY Policy, WDF_INTERRUPT_PRIORITY Priority, KAFFINITY TargetProcessorSet)
{
    KMH_WDF_IMPORT(WdfInterruptSetPolicy);
    ((PFN_WDFINTERRUPTSETPOLICY)WdfFunctions[WdfInterruptSetPolicyTableIndex])(WdfDriverGlobals, Interrupt, Policy, Priority, TargetProcessorSet);
}

KMH_WDF_IMPORT_DECL(WdfInterruptSetExtendedPolicy);
typedef VOID (*PFN_WDFINTERRUPTSETEXTENDEDPOLICY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt, PWDF_INTERRUPT_EXTENDED_POLICY PolicyAndGroup);
FORCEINLINE VOID WdfInterruptSetExtendedPolicy(WDFINTERRUPT Interrupt, PWDF_INTERRUPT_EXTENDED_POLICY PolicyAndGroup)
{
    KMH_WDF_IMPORT(WdfInterruptSetExtendedPolicy);
    ((PFN_WDFINTERRUPTSETEXTENDEDPOLICY)WdfFunctions[WdfInterruptSetExtendedPolicyTableIndex])(WdfDriverGlobals, Interrupt, PolicyAndGroup);
}

KMH_WDF_IMPORT_DECL(WdfInterruptGetDevice);
typedef WDFDEVICE (*PFN_WDFINTERRUPTGETDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE WDFDEVICE WdfInterruptGetDevice(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptGetDevice);
    return ((PFN_WDFINTERRUPTGETDEVICE)WdfFunctions[WdfInterruptGetDeviceTableIndex])(WdfDriverGlobals, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptTryToAcquireLock);
typedef BOOLEAN (*PFN_WDFINTERRUPTTRYTOACQUIRELOCK)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE BOOLEAN WdfInterruptTryToAcquireLock(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptTryToAcquireLock);
    return ((PFN_WDFINTERRUPTTRYTOACQUIRELOCK)WdfFunctions[WdfInterruptTryToAcquireLockTableIndex])(WdfDriverGlobals, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptReportActive);
typedef VOID (*PFN_WDFINTERRUPTREPORTACTIVE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE VOID WdfInterruptReportActive(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptReportActive);
    ((PFN_WDFINTERRUPTREPORTACTIVE)WdfFunctions[WdfInterruptReportActiveTableIndex])(WdfDriverGlobals, Interrupt);
}

KMH_WDF_IMPORT_DECL(WdfInterruptReportInactive);
typedef VOID (*PFN_WDFINTERRUPTREPORTINACTIVE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFINTERRUPT Interrupt);
FORCEINLINE VOID WdfInterruptReportInactive(WDFINTERRUPT Interrupt)
{
    KMH_WDF_IMPORT(WdfInterruptReportInactive);
    ((PFN_WDFINTERRUPTREPORTINACTIVE)WdfFunctions[WdfInterruptReportInactiveTableIndex])(WdfDriverGlobals, Interrupt);
}

WDF_EXTERN_C_END

#endif /* _WDFINTERRUPT_H_ */
