/*
 * wdftimer.h: framework timers, one-shot or periodic, whose callback runs
 * at DISPATCH_LEVEL (or PASSIVE_LEVEL if the parent's execution level says so).
 */
#ifndef _WDFTIMER_H_
#define _WDFTIMER_H_

WDF_EXTERN_C_START

typedef VOID NTAPI EVT_WDF_TIMER(WDFTIMER Timer);
typedef EVT_WDF_TIMER *PFN_WDF_TIMER;

typedef struct _WDF_TIMER_CONFIG {
    ULONG Size;
    PFN_WDF_TIMER EvtTimerFunc;
    /* Milliseconds between calls; 0 for a one-shot timer. */
    ULONG Period;
    BOOLEAN AutomaticSerialization;
    /* Milliseconds the system may delay the expiry to save power. */
    ULONG TolerableDelay;
    /* Aligned to 8 as in the WDK, which leaves padding before it on x64. */
    __attribute__((aligned(8))) BOOLEAN UseHighResolutionTimer;
} WDF_TIMER_CONFIG, *PWDF_TIMER_CONFIG;

FORCEINLINE VOID WDF_TIMER_CONFIG_INIT(PWDF_TIMER_CONFIG Config, PFN_WDF_TIMER EvtTimerFunc)
{
    RtlZeroMemory(Config, sizeof(WDF_TIMER_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_TIMER_CONFIG);
    Config->EvtTimerFunc = EvtTimerFunc;
    Config->Period = 0;
    Config->AutomaticSerialization = TRUE;
    Config->TolerableDelay = 0;
}

/* Period is in milliseconds (LONG, as in the WDK). */
FORCEINLINE VOID WDF_TIMER_CONFIG_INIT_PERIODIC(PWDF_TIMER_CONFIG Config, PFN_WDF_TIMER EvtTimerFunc, LONG Period)
{
    RtlZeroMemory(Config, sizeof(WDF_TIMER_CONFIG));
    Config->Size = WDF_STRUCTURE_SIZE(WDF_TIMER_CONFIG);
    Config->EvtTimerFunc = EvtTimerFunc;
    Config->Period = Period;
    Config->AutomaticSerialization = TRUE;
    Config->TolerableDelay = 0;
}

KMH_WDF_IMPORT_DECL(WdfTimerCreate);
typedef NTSTATUS (*PFN_WDFTIMERCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_TIMER_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFTIMER *Timer);
FORCEINLINE NTSTATUS WdfTimerCreate(PWDF_TIMER_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes, WDFTIMER *Timer)
{
    KMH_WDF_IMPORT(WdfTimerCreate);
    return ((PFN_WDFTIMERCREATE)WdfFunctions[WdfTimerCreateTableIndex])(WdfDriverGlobals, Config, Attributes, Timer);
}

/* DueTime in 100 ns units, negative for relative (see WDF_REL_TIMEOUT_IN_MS).
 * TRUE if the timer was already queued and has been restarted. */
KMH_WDF_IMPORT_DECL(WdfTimerStart);
typedef BOOLEAN (*PFN_WDFTIMERSTART)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFTIMER Timer, LONGLONG DueTime);
FORCEINLINE BOOLEAN WdfTimerStart(WDFTIMER Timer, LONGLONG DueTime)
{
    KMH_WDF_IMPORT(WdfTimerStart);
    return ((PFN_WDFTIMERSTART)WdfFunctions[WdfTimerStartTableIndex])(WdfDriverGlobals, Timer, DueTime);
}

/* TRUE if the timer was queued; Wait waits for a running callback. */
KMH_WDF_IMPORT_DECL(WdfTimerStop);
typedef BOOLEAN (*PFN_WDFTIMERSTOP)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFTIMER Timer, BOOLEAN Wait);
FORCEINLINE BOOLEAN WdfTimerStop(WDFTIMER Timer, BOOLEAN Wait)
{
    KMH_WDF_IMPORT(WdfTimerStop);
    return ((PFN_WDFTIMERSTOP)WdfFunctions[WdfTimerStopTableIndex])(WdfDriverGlobals, Timer, Wait);
}

KMH_WDF_IMPORT_DECL(WdfTimerGetParentObject);
typedef WDFOBJECT (*PFN_WDFTIMERGETPARENTOBJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFTIMER Timer);
FORCEINLINE WDFOBJECT WdfTimerGetParentObject(WDFTIMER Timer)
{
    KMH_WDF_IMPORT(WdfTimerGetParentObject);
    return ((PFN_WDFTIMERGETPARENTOBJECT)WdfFunctions[WdfTimerGetParentObjectTableIndex])(WdfDriverGlobals, Timer);
}

WDF_EXTERN_C_END

#endif /* _WDFTIMER_H_ */
