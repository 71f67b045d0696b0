/*
 * wdfrequest.h: framework requests (the wrapper around an IRP): their
 * parameters, buffers, completion, cancellation, and sending them to I/O
 * targets. WDF_REQUEST_TYPE itself is defined in wdfdevice.h (see there).
 */
#ifndef _WDFREQUEST_H_
#define _WDFREQUEST_H_

WDF_EXTERN_C_START

typedef enum _WDF_REQUEST_REUSE_FLAGS {
    WDF_REQUEST_REUSE_NO_FLAGS = 0x00000000,
    WDF_REQUEST_REUSE_SET_NEW_IRP = 0x00000001,
} WDF_REQUEST_REUSE_FLAGS;

/* The ActionFlags EvtIoStop receives. */
typedef enum _WDF_REQUEST_STOP_ACTION_FLAGS {
    WdfRequestStopActionInvalid = 0,
    WdfRequestStopActionSuspend = 0x01,
    WdfRequestStopActionPurge = 0x2,
    WdfRequestStopRequestCancelable = 0x10000000,
} WDF_REQUEST_STOP_ACTION_FLAGS;

typedef enum _WDF_REQUEST_SEND_OPTIONS_FLAGS {
    WDF_REQUEST_SEND_OPTION_TIMEOUT = 0x00000001,
    WDF_REQUEST_SEND_OPTION_SYNCHRONOUS = 0x00000002,
    WDF_REQUEST_SEND_OPTION_IGNORE_TARGET_STATE = 0x00000004,
    /* Fire and forget: the framework no longer tracks the request. */
    WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET = 0x00000008,
    WDF_REQUEST_SEND_OPTION_IMPERSONATE_CLIENT = 0x00010000,
    WDF_REQUEST_SEND_OPTION_IMPERSONATION_IGNORE_FAILURE = 0x00020000,
} WDF_REQUEST_SEND_OPTIONS_FLAGS;

typedef VOID NTAPI EVT_WDF_REQUEST_CANCEL(WDFREQUEST Request);
typedef EVT_WDF_REQUEST_CANCEL *PFN_WDF_REQUEST_CANCEL;

/* The current stack location's parameters, in the WDK's layout: the
 * 8-byte alignments mirror IO_STACK_LOCATION's POINTER_ALIGNMENT fields. */
typedef struct _WDF_REQUEST_PARAMETERS {
    USHORT Size;
    UCHAR MinorFunction;
    WDF_REQUEST_TYPE Type;
    union {
        struct {
            PIO_SECURITY_CONTEXT SecurityContext;
            ULONG Options;
            __attribute__((aligned(8))) USHORT FileAttributes;
            USHORT ShareAccess;
            __attribute__((aligned(8))) ULONG EaLength;
        } Create;
        struct {
            size_t Length;
            __attribute__((aligned(8))) ULONG Key;
            LONGLONG DeviceOffset;
        } Read;
        struct {
            size_t Length;
            __attribute__((aligned(8))) ULONG Key;
            LONGLONG DeviceOffset;
        } Write;
        struct {
            size_t OutputBufferLength;
            __attribute__((aligned(8))) size_t InputBufferLength;
            __attribute__((aligned(8))) ULONG IoControlCode;
            PVOID Type3InputBuffer;
        } DeviceIoControl;
        struct {
            PVOID Arg1;
            PVOID Arg2;
            __attribute__((aligned(8))) ULONG IoControlCode;
            PVOID Arg4;
        } Others;
    } Parameters;
} WDF_REQUEST_PARAMETERS, *PWDF_REQUEST_PARAMETERS;

FORCEINLINE VOID WDF_REQUEST_PARAMETERS_INIT(PWDF_REQUEST_PARAMETERS Parameters)
{
    RtlZeroMemory(Parameters, sizeof(WDF_REQUEST_PARAMETERS));
    Parameters->Size = (USHORT)WDF_STRUCTURE_SIZE(WDF_REQUEST_PARAMETERS);
}

typedef struct _WDF_USB_REQUEST_COMPLETION_PARAMS *PWDF_USB_REQUEST_COMPLETION_PARAMS;

/* What a completion routine learns about a request it sent. */
typedef struct _WDF_REQUEST_COMPLETION_PARAMS {
    ULONG Size;
    WDF_REQUEST_TYPE Type;
    IO_STATUS_BLOCK IoStatus;
    union {
        struct {
            WDFMEMORY Buffer;
            size_t Length;
            size_t Offset;
        } Write;
        struct {
            WDFMEMORY Buffer;
            size_t Length;
            size_t Offset;
        } Read;
        struct {
            ULONG IoControlCode;
            struct {
                WDFMEMORY Buffer;
                size_t Offset;
            } Input;
            struct {
                WDFMEMORY Buffer;
                size_t Offset;
                size_t Length;
            } Output;
        } Ioctl;
        struct {
            union {
                PVOID Ptr;
                ULONG_PTR Value;
            } Argument1;
            union {
                PVOID Ptr;
                ULONG_PTR Value;
            } Argument2;
            union {
                PVOID Ptr;
                ULONG_PTR Value;
            } Argument3;
            union {
                PVOID Ptr;
                ULONG_PTR Value;
            } Argument4;
        } Others;
        struct {
            PWDF_USB_REQUEST_COMPLETION_PARAMS Completion;
        } Usb;
    } Parameters;
} WDF_REQUEST_COMPLETION_PARAMS, *PWDF_REQUEST_COMPLETION_PARAMS;

FORCEINLINE VOID WDF_REQUEST_COMPLETION_PARAMS_INIT(PWDF_REQUEST_COMPLETION_PARAMS Params)
{
    RtlZeroMemory(Params, sizeof(WDF_REQUEST_COMPLETION_PARAMS));
    Params->Size = WDF_STRUCTURE_SIZE(WDF_REQUEST_COMPLETION_PARAMS);
    Params->Type = WdfRequestTypeNoFormat;
}

typedef VOID NTAPI EVT_WDF_REQUEST_COMPLETION_ROUTINE(WDFREQUEST Request, WDFIOTARGET Target,
                                                      PWDF_REQUEST_COMPLETION_PARAMS Params, WDFCONTEXT Context);
typedef EVT_WDF_REQUEST_COMPLETION_ROUTINE *PFN_WDF_REQUEST_COMPLETION_ROUTINE;

typedef struct _WDF_REQUEST_REUSE_PARAMS {
    ULONG Size;
    ULONG Flags;
    /* The status the reused request starts with. */
    NTSTATUS Status;
    PIRP NewIrp;
} WDF_REQUEST_REUSE_PARAMS, *PWDF_REQUEST_REUSE_PARAMS;

FORCEINLINE VOID WDF_REQUEST_REUSE_PARAMS_INIT(PWDF_REQUEST_REUSE_PARAMS Params, ULONG Flags, NTSTATUS Status)
{
    RtlZeroMemory(Params, sizeof(WDF_REQUEST_REUSE_PARAMS));
    Params->Size = WDF_STRUCTURE_SIZE(WDF_REQUEST_REUSE_PARAMS);
    Params->Flags = Flags;
    Params->Status = Status;
}

FORCEINLINE VOID WDF_REQUEST_REUSE_PARAMS_SET_NEW_IRP(PWDF_REQUEST_REUSE_PARAMS Params, PIRP NewIrp)
{
    Params->Flags |= WDF_REQUEST_REUSE_SET_NEW_IRP;
    Params->NewIrp = NewIrp;
}

typedef struct _WDF_REQUEST_SEND_OPTIONS {
    ULONG Size;
    /* WDF_REQUEST_SEND_OPTIONS_FLAGS */
    ULONG Flags;
    /* 100 ns units, negative for relative; used with ..._OPTION_TIMEOUT. */
    LONGLONG Timeout;
} WDF_REQUEST_SEND_OPTIONS, *PWDF_REQUEST_SEND_OPTIONS;

FORCEINLINE VOID WDF_REQUEST_SEND_OPTIONS_INIT(PWDF_REQUEST_SEND_OPTIONS Options, ULONG Flags)
{
    RtlZeroMemory(Options, sizeof(WDF_REQUEST_SEND_OPTIONS));
    Options->Size = WDF_STRUCTURE_SIZE(WDF_REQUEST_SEND_OPTIONS);
    Options->Flags = Flags;
}

FORCEINLINE VOID WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(PWDF_REQUEST_SEND_OPTIONS Options, LONGLONG Timeout)
{
    Options->Flags |= WDF_REQUEST_SEND_OPTION_TIMEOUT;
    Options->Timeout = Timeout;
}

typedef enum _WDF_REQUEST_FORWARD_OPTIONS_FLAGS {
    WDF_REQUEST_FORWARD_OPTION_SEND_AND_FORGET = 0x00000001
} WDF_REQUEST_FORWARD_OPTIONS_FLAGS;

typedef struct _WDF_REQUEST_FORWARD_OPTIONS {
    ULONG Size;
    ULONG Flags;
} WDF_REQUEST_FORWARD_OPTIONS, *PWDF_REQUEST_FORWARD_OPTIONS;

/* Send-and-forget is the only mode, so INIT turns it on. */
FORCEINLINE VOID WDF_REQUEST_FORWARD_OPTIONS_INIT(PWDF_REQUEST_FORWARD_OPTIONS ForwardOptions)
{
    RtlZeroMemory(ForwardOptions, sizeof(WDF_REQUEST_FORWARD_OPTIONS));
    ForwardOptions->Size = WDF_STRUCTURE_SIZE(WDF_REQUEST_FORWARD_OPTIONS);
    ForwardOptions->Flags |= WDF_REQUEST_FORWARD_OPTION_SEND_AND_FORGET;
}

KMH_WDF_IMPORT_DECL(WdfRequestCreate);
typedef NTSTATUS (*PFN_WDFREQUESTCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_OBJECT_ATTRIBUTES RequestAttributes, WDFIOTARGET IoTarget, WDFREQUEST *Request);
FORCEINLINE NTSTATUS WdfRequestCreate(PWDF_OBJECT_ATTRIBUTES RequestAttributes, WDFIOTARGET IoTarget, WDFREQUEST *Request)
{
    KMH_WDF_IMPORT(WdfRequestCreate);
    return ((PFN_WDFREQUESTCREATE)WdfFunctions[WdfRequestCreateTableIndex])(WdfDriverGlobals, RequestAttributes, IoTarget, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestGetRequestorProcessId);
typedef ULONG (*PFN_WDFREQUESTGETREQUESTORPROCESSID)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE ULONG WdfRequestGetRequestorProcessId(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestGetRequestorProcessId);
    return ((PFN_WDFREQUESTGETREQUESTORPROCESSID)WdfFunctions[WdfRequestGetRequestorProcessIdTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestCreateFromIrp);
typedef NTSTATUS (*PFN_WDFREQUESTCREATEFROMIRP)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_OBJECT_ATTRIBUTES RequestAttributes, PIRP Irp, BOOLEAN RequestFreesIrp, WDFREQUEST *Request);
FORCEINLINE NTSTATUS WdfRequestCreateFromIrp(PWDF_OBJECT_ATTRIBUTES RequestAttributes, PIRP Irp, BOOLEAN RequestFreesIrp, WDFREQUEST *Request)
{
    KMH_WDF_IMPORT(WdfRequestCreateFromIrp);
    return ((PFN_WDFREQUESTCREATEFROMIRP)WdfFunctions[WdfRequestCreateFromIrpTableIndex])(WdfDriverGlobals, RequestAttributes, Irp, RequestFreesIrp, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestReuse);
typedef NTSTATUS (*PFN_WDFREQUESTREUSE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PWDF_REQUEST_REUSE_PARAMS ReuseParams);
FORCEINLINE NTSTATUS WdfRequestReuse(WDFREQUEST Request, PWDF_REQUEST_REUSE_PARAMS ReuseParams)
{
    KMH_WDF_IMPORT(WdfRequestReuse);
    return ((PFN_WDFREQUESTREUSE)WdfFunctions[WdfRequestReuseTableIndex])(WdfDriverGlobals, Request, ReuseParams);
}

KMH_WDF_IMPORT_DECL(WdfRequestChangeTarget);
typedef NTSTATUS (*PFN_WDFREQUESTCHANGETARGET)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, WDFIOTARGET IoTarget);
FORCEINLINE NTSTATUS WdfRequestChangeTarget(WDFREQUEST Request, WDFIOTARGET IoTarget)
{
    KMH_WDF_IMPORT(WdfRequestChangeTarget);
    return ((PFN_WDFREQUESTCHANGETARGET)WdfFunctions[WdfRequestChangeTargetTableIndex])(WdfDriverGlobals, Request, IoTarget);
}

/* Copies the current stack location to the next, for passing down as is. */
KMH_WDF_IMPORT_DECL(WdfRequestFormatRequestUsingCurrentType);
typedef VOID (*PFN_WDFREQUESTFORMATREQUESTUSINGCURRENTTYPE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE VOID WdfRequestFormatRequestUsingCurrentType(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestFormatRequestUsingCurrentType);
    ((PFN_WDFREQUESTFORMATREQUESTUSINGCURRENTTYPE)WdfFunctions[WdfRequestFormatRequestUsingCurrentTypeTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestWdmFormatUsingStackLocation);
typedef VOID (*PFN_WDFREQUESTWDMFORMATUSINGSTACKLOCATION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PIO_STACK_LOCATION Stack);
FORCEINLINE VOID WdfRequestWdmFormatUsingStackLocation(WDFREQUEST Request, PIO_STACK_LOCATION Stack)
{
    KMH_WDF_IMPORT(WdfRequestWdmFormatUsingStackLocation);
    ((PFN_WDFREQUESTWDMFORMATUSINGSTACKLOCATION)WdfFunctions[WdfRequestWdmFormatUsingStackLocationTableIndex])(WdfDriverGlobals, Request, Stack);
}

/* FALSE if the request could not be sent; WdfRequestGetStatus says why. */
KMH_WDF_IMPORT_DECL(WdfRequestSend);
typedef BOOLEAN (*PFN_WDFREQUESTSEND)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, WDFIOTARGET Target, PWDF_REQUEST_SEND_OPTIONS Options);
FORCEINLINE BOOLEAN WdfRequestSend(WDFREQUEST Request, WDFIOTARGET Target, PWDF_REQUEST_SEND_OPTIONS Options)
{
    KMH_WDF_IMPORT(WdfRequestSend);
    return ((PFN_WDFREQUESTSEND)WdfFunctions[WdfRequestSendTableIndex])(WdfDriverGlobals, Request, Target, Options);
}

KMH_WDF_IMPORT_DECL(WdfRequestGetStatus);
typedef NTSTATUS (*PFN_WDFREQUESTGETSTATUS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE NTSTATUS WdfRequestGetStatus(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestGetStatus);
    return ((PFN_WDFREQUESTGETSTATUS)WdfFunctions[WdfRequestGetStatusTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestMarkCancelable);
typedef VOID (*PFN_WDFREQUESTMARKCANCELABLE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL EvtRequestCancel);
FORCEINLINE VOID WdfRequestMarkCancelable(WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL EvtRequestCancel)
{
    KMH_WDF_IMPORT(WdfRequestMarkCancelable);
    ((PFN_WDFREQUESTMARKCANCELABLE)WdfFunctions[WdfRequestMarkCancelableTableIndex])(WdfDriverGlobals, Request, EvtRequestCancel);
}

/* STATUS_CANCELLED if the request was already canceled (the driver must
 * then complete it itself). */
KMH_WDF_IMPORT_DECL(WdfRequestMarkCancelableEx);
typedef NTSTATUS (*PFN_WDFREQUESTMARKCANCELABLEEX)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL EvtRequestCancel);
FORCEINLINE NTSTATUS WdfRequestMarkCancelableEx(WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL EvtRequestCancel)
{
    KMH_WDF_IMPORT(WdfRequestMarkCancelableEx);
    return ((PFN_WDFREQUESTMARKCANCELABLEEX)WdfFunctions[WdfRequestMarkCancelableExTableIndex])(WdfDriverGlobals, Request, EvtRequestCancel);
}

KMH_WDF_IMPORT_DECL(WdfRequestUnmarkCancelable);
typedef NTSTATUS (*PFN_WDFREQUESTUNMARKCANCELABLE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE NTSTATUS WdfRequestUnmarkCancelable(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestUnmarkCancelable);
    return ((PFN_WDFREQUESTUNMARKCANCELABLE)WdfFunctions[WdfRequestUnmarkCancelableTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestIsCanceled);
typedef BOOLEAN (*PFN_WDFREQUESTISCANCELED)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE BOOLEAN WdfRequestIsCanceled(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestIsCanceled);
    return ((PFN_WDFREQUESTISCANCELED)WdfFunctions[WdfRequestIsCanceledTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestCancelSentRequest);
typedef BOOLEAN (*PFN_WDFREQUESTCANCELSENTREQUEST)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE BOOLEAN WdfRequestCancelSentRequest(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestCancelSentRequest);
    return ((PFN_WDFREQUESTCANCELSENTREQUEST)WdfFunctions[WdfRequestCancelSentRequestTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestIsFrom32BitProcess);
typedef BOOLEAN (*PFN_WDFREQUESTISFROM32BITPROCESS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE BOOLEAN WdfRequestIsFrom32BitProcess(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestIsFrom32BitProcess);
    return ((PFN_WDFREQUESTISFROM32BITPROCESS)WdfFunctions[WdfRequestIsFrom32BitProcessTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestSetCompletionRoutine);
typedef VOID (*PFN_WDFREQUESTSETCOMPLETIONROUTINE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PFN_WDF_REQUEST_COMPLETION_ROUTINE CompletionRoutine, WDFCONTEXT CompletionContext);
FORCEINLINE VOID WdfRequestSetCompletionRoutine(WDFREQUEST Request, PFN_WDF_REQUEST_COMPLETION_ROUTINE CompletionRoutine, WDFCONTEXT CompletionContext)
{
    KMH_WDF_IMPORT(WdfRequestSetCompletionRoutine);
    ((PFN_WDFREQUESTSETCOMPLETIONROUTINE)WdfFunctions[WdfRequestSetCompletionRoutineTableIndex])(WdfDriverGlobals, Request, CompletionRoutine, CompletionContext);
}

KMH_WDF_IMPORT_DECL(WdfRequestGetCompletionParams);
typedef VOID (*PFN_WDFREQUESTGETCOMPLETIONPARAMS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PWDF_REQUEST_COMPLETION_PARAMS Params);
FORCEINLINE VOID WdfRequestGetCompletionParams(WDFREQUEST Request, PWDF_REQUEST_COMPLETION_PARAMS Params)
{
    KMH_WDF_IMPORT(WdfRequestGetCompletionParams);
    ((PFN_WDFREQUESTGETCOMPLETIONPARAMS)WdfFunctions[WdfRequestGetCompletionParamsTableIndex])(WdfDriverGlobals, Request, Params);
}

KMH_WDF_IMPORT_DECL(WdfRequestAllocateTimer);
typedef NTSTATUS (*PFN_WDFREQUESTALLOCATETIMER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE NTSTATUS WdfRequestAllocateTimer(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestAllocateTimer);
    return ((PFN_WDFREQUESTALLOCATETIMER)WdfFunctions[WdfRequestAllocateTimerTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestComplete);
typedef VOID (*PFN_WDFREQUESTCOMPLETE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, NTSTATUS Status);
FORCEINLINE VOID WdfRequestComplete(WDFREQUEST Request, NTSTATUS Status)
{
    KMH_WDF_IMPORT(WdfRequestComplete);
    ((PFN_WDFREQUESTCOMPLETE)WdfFunctions[WdfRequestCompleteTableIndex])(WdfDriverGlobals, Request, Status);
}

KMH_WDF_IMPORT_DECL(WdfRequestCompleteWithPriorityBoost);
typedef VOID (*PFN_WDFREQUESTCOMPLETEWITHPRIORITYBOOST)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, NTSTATUS Status, CCHAR PriorityBoost);
FORCEINLINE VOID WdfRequestCompleteWithPriorityBoost(WDFREQUEST Request, NTSTATUS Status, CCHAR PriorityBoost)
{
    KMH_WDF_IMPORT(WdfRequestCompleteWithPriorityBoost);
    ((PFN_WDFREQUESTCOMPLETEWITHPRIORITYBOOST)WdfFunctions[WdfRequestCompleteWithPriorityBoostTableIndex])(WdfDriverGlobals, Request, Status, PriorityBoost);
}

KMH_WDF_IMPORT_DECL(WdfRequestCompleteWithInformation);
typedef VOID (*PFN_WDFREQUESTCOMPLETEWITHINFORMATION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, NTSTATUS Status, ULONG_PTR Information);
FORCEINLINE VOID WdfRequestCompleteWithInformation(WDFREQUEST Request, NTSTATUS Status, ULONG_PTR Information)
{
    KMH_WDF_IMPORT(WdfRequestCompleteWithInformation);
    ((PFN_WDFREQUESTCOMPLETEWITHINFORMATION)WdfFunctions[WdfRequestCompleteWithInformationTableIndex])(WdfDriverGlobals, Request, Status, Information);
}

KMH_WDF_IMPORT_DECL(WdfRequestGetParameters);
typedef VOID (*PFN_WDFREQUESTGETPARAMETERS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PWDF_REQUEST_PARAMETERS Parameters);
FORCEINLINE VOID WdfRequestGetParameters(WDFREQUEST Request, PWDF_REQUEST_PARAMETERS Parameters)
{
    KMH_WDF_IMPORT(WdfRequestGetParameters);
    ((PFN_WDFREQUESTGETPARAMETERS)WdfFunctions[WdfRequestGetParametersTableIndex])(WdfDriverGlobals, Request, Parameters);
}

KMH_WDF_IMPORT_DECL(WdfRequestRetrieveInputMemory);
typedef NTSTATUS (*PFN_WDFREQUESTRETRIEVEINPUTMEMORY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, WDFMEMORY *Memory);
FORCEINLINE NTSTATUS WdfRequestRetrieveInputMemory(WDFREQUEST Request, WDFMEMORY *Memory)
{
    KMH_WDF_IMPORT(WdfRequestRetrieveInputMemory);
    return ((PFN_WDFREQUESTRETRIEVEINPUTMEMORY)WdfFunctions[WdfRequestRetrieveInputMemoryTableIndex])(WdfDriverGlobals, Request, Memory);
}

KMH_WDF_IMPORT_DECL(WdfRequestRetrieveOutputMemory);
typedef NTSTATUS (*PFN_WDFREQUESTRETRIEVEOUTPUTMEMORY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, WDFMEMORY *Memory);
FORCEINLINE NTSTATUS WdfRequestRetrieveOutputMemory(WDFREQUEST Request, WDFMEMORY *Memory)
{
    KMH_WDF_IMPORT(WdfRequestRetrieveOutputMemory);
    return ((PFN_WDFREQUESTRETRIEVEOUTPUTMEMORY)WdfFunctions[WdfRequestRetrieveOutputMemoryTableIndex])(WdfDriverGlobals, Request, Memory);
}

/* STATUS_BUFFER_TOO_SMALL if the buffer is shorter than the minimum. */
KMH_WDF_IMPORT_DECL(WdfRequestRetrieveInputBuffer);
typedef NTSTATUS (*PFN_WDFREQUESTRETRIEVEINPUTBUFFER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, size_t MinimumRequiredLength, PVOID *Buffer, size_t *Length);
FORCEINLINE NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, size_t MinimumRequiredLength, PVOID *Buffer, size_t *Length)
{
    KMH_WDF_IMPORT(WdfRequestRetrieveInputBuffer);
    return ((PFN_WDFREQUESTRETRIEVEINPUTBUFFER)WdfFunctions[WdfRequestRetrieveInputBufferTableIndex])(WdfDriverGlobals, Request, MinimumRequiredLength, Buffer, Length);
}

KMH_WDF_IMPORT_DECL(WdfRequestRetrieveOutputBuffer);
typedef NTSTATUS (*PFN_WDFREQUESTRETRIEVEOUTPUTBUFFER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, size_t MinimumRequiredSize, PVOID *Buffer, size_t *Length);
FORCEINLINE NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST Request, size_t MinimumRequiredSize, PVOID *Buffer, size_t *Length)
{
    KMH_WDF_IMPORT(WdfRequestRetrieveOutputBuffer);
    return ((PFN_WDFREQUESTRETRIEVEOUTPUTBUFFER)WdfFunctions[WdfRequestRetrieveOutputBufferTableIndex])(WdfDriverGlobals, Request, MinimumRequiredSize, Buffer, Length);
}

KMH_WDF_IMPORT_DECL(WdfRequestRetrieveInputWdmMdl);
typedef NTSTATUS (*PFN_WDFREQUESTRETRIEVEINPUTWDMMDL)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PMDL *Mdl);
FORCEINLINE NTSTATUS WdfRequestRetrieveInputWdmMdl(WDFREQUEST Request, PMDL *Mdl)
{
    KMH_WDF_IMPORT(WdfRequestRetrieveInputWdmMdl);
    return ((PFN_WDFREQUESTRETRIEVEINPUTWDMMDL)WdfFunctions[WdfRequestRetrieveInputWdmMdlTableIndex])(WdfDriverGlobals, Request, Mdl);
}

KMH_WDF_IMPORT_DECL(WdfRequestRetrieveOutputWdmMdl);
typedef NTSTATUS (*PFN_WDFREQUESTRETRIEVEOUTPUTWDMMDL)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PMDL *Mdl);
FORCEINLINE NTSTATUS WdfRequestRetrieveOutputWdmMdl(WDFREQUEST Request, PMDL *Mdl)
{
    KMH_WDF_IMPORT(WdfRequestRetrieveOutputWdmMdl);
    return ((PFN_WDFREQUESTRETRIEVEOUTPUTWDMMDL)WdfFunctions[WdfRequestRetrieveOutputWdmMdlTableIndex])(WdfDriverGlobals, Request, Mdl);
}

/* Only from EvtIoInCallerContext: METHOD_NEITHER buffers, unprobed. */
KMH_WDF_IMPORT_DECL(WdfRequestRetrieveUnsafeUserInputBuffer);
typedef NTSTATUS (*PFN_WDFREQUESTRETRIEVEUNSAFEUSERINPUTBUFFER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, size_t MinimumRequiredLength, PVOID *InputBuffer, size_t *Length);
FORCEINLINE NTSTATUS WdfRequestRetrieveUnsafeUserInputBuffer(WDFREQUEST Request, size_t MinimumRequiredLength, PVOID *InputBuffer, size_t *Length)
{
    KMH_WDF_IMPORT(WdfRequestRetrieveUnsafeUserInputBuffer);
    return ((PFN_WDFREQUESTRETRIEVEUNSAFEUSERINPUTBUFFER)WdfFunctions[WdfRequestRetrieveUnsafeUserInputBufferTableIndex])(WdfDriverGlobals, Request, MinimumRequiredLength, InputBuffer, Length);
}

KMH_WDF_IMPORT_DECL(WdfRequestRetrieveUnsafeUserOutputBuffer);
typedef NTSTATUS (*PFN_WDFREQUESTRETRIEVEUNSAFEUSEROUTPUTBUFFER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, size_t MinimumRequiredLength, PVOID *OutputBuffer, size_t *Length);
FORCEINLINE NTSTATUS WdfRequestRetrieveUnsafeUserOutputBuffer(WDFREQUEST Request, size_t MinimumRequiredLength, PVOID *OutputBuffer, size_t *Length)
{
    KMH_WDF_IMPORT(WdfRequestRetrieveUnsafeUserOutputBuffer);
    return ((PFN_WDFREQUESTRETRIEVEUNSAFEUSEROUTPUTBUFFER)WdfFunctions[WdfRequestRetrieveUnsafeUserOutputBufferTableIndex])(WdfDriverGlobals, Request, MinimumRequiredLength, OutputBuffer, Length);
}

KMH_WDF_IMPORT_DECL(WdfRequestSetInformation);
typedef VOID (*PFN_WDFREQUESTSETINFORMATION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, ULONG_PTR Information);
FORCEINLINE VOID WdfRequestSetInformation(WDFREQUEST Request, ULONG_PTR Information)
{
    KMH_WDF_IMPORT(WdfRequestSetInformation);
    ((PFN_WDFREQUESTSETINFORMATION)WdfFunctions[WdfRequestSetInformationTableIndex])(WdfDriverGlobals, Request, Information);
}

KMH_WDF_IMPORT_DECL(WdfRequestGetInformation);
typedef ULONG_PTR (*PFN_WDFREQUESTGETINFORMATION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE ULONG_PTR WdfRequestGetInformation(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestGetInformation);
    return ((PFN_WDFREQUESTGETINFORMATION)WdfFunctions[WdfRequestGetInformationTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestGetFileObject);
typedef WDFFILEOBJECT (*PFN_WDFREQUESTGETFILEOBJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE WDFFILEOBJECT WdfRequestGetFileObject(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestGetFileObject);
    return ((PFN_WDFREQUESTGETFILEOBJECT)WdfFunctions[WdfRequestGetFileObjectTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestProbeAndLockUserBufferForRead);
typedef NTSTATUS (*PFN_WDFREQUESTPROBEANDLOCKUSERBUFFERFORREAD)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PVOID Buffer, size_t Length, WDFMEMORY *MemoryObject);
FORCEINLINE NTSTATUS WdfRequestProbeAndLockUserBufferForRead(WDFREQUEST Request, PVOID Buffer, size_t Length, WDFMEMORY *MemoryObject)
{
    KMH_WDF_IMPORT(WdfRequestProbeAndLockUserBufferForRead);
    return ((PFN_WDFREQUESTPROBEANDLOCKUSERBUFFERFORREAD)WdfFunctions[WdfRequestProbeAndLockUserBufferForReadTableIndex])(WdfDriverGlobals, Request, Buffer, Length, MemoryObject);
}

KMH_WDF_IMPORT_DECL(WdfRequestProbeAndLockUserBufferForWrite);
typedef NTSTATUS (*PFN_WDFREQUESTPROBEANDLOCKUSERBUFFERFORWRITE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, PVOID Buffer, size_t Length, WDFMEMORY *MemoryObject);
FORCEINLINE NTSTATUS WdfRequestProbeAndLockUserBufferForWrite(WDFREQUEST Request, PVOID Buffer, size_t Length, WDFMEMORY *MemoryObject)
{
    KMH_WDF_IMPORT(WdfRequestProbeAndLockUserBufferForWrite);
    return ((PFN_WDFREQUESTPROBEANDLOCKUSERBUFFERFORWRITE)WdfFunctions[WdfRequestProbeAndLockUserBufferForWriteTableIndex])(WdfDriverGlobals, Request, Buffer, Length, MemoryObject);
}

KMH_WDF_IMPORT_DECL(WdfRequestGetRequestorMode);
typedef KPROCESSOR_MODE (*PFN_WDFREQUESTGETREQUESTORMODE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE KPROCESSOR_MODE WdfRequestGetRequestorMode(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestGetRequestorMode);
    return ((PFN_WDFREQUESTGETREQUESTORMODE)WdfFunctions[WdfRequestGetRequestorModeTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestForwardToIoQueue);
typedef NTSTATUS (*PFN_WDFREQUESTFORWARDTOIOQUEUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, WDFQUEUE DestinationQueue);
FORCEINLINE NTSTATUS WdfRequestForwardToIoQueue(WDFREQUEST Request, WDFQUEUE DestinationQueue)
{
    KMH_WDF_IMPORT(WdfRequestForwardToIoQueue);
    return ((PFN_WDFREQUESTFORWARDTOIOQUEUE)WdfFunctions[WdfRequestForwardToIoQueueTableIndex])(WdfDriverGlobals, Request, DestinationQueue);
}

KMH_WDF_IMPORT_DECL(WdfRequestGetIoQueue);
typedef WDFQUEUE (*PFN_WDFREQUESTGETIOQUEUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE WDFQUEUE WdfRequestGetIoQueue(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestGetIoQueue);
    return ((PFN_WDFREQUESTGETIOQUEUE)WdfFunctions[WdfRequestGetIoQueueTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestRequeue);
typedef NTSTATUS (*PFN_WDFREQUESTREQUEUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE NTSTATUS WdfRequestRequeue(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestRequeue);
    return ((PFN_WDFREQUESTREQUEUE)WdfFunctions[WdfRequestRequeueTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestStopAcknowledge);
typedef VOID (*PFN_WDFREQUESTSTOPACKNOWLEDGE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, BOOLEAN Requeue);
FORCEINLINE VOID WdfRequestStopAcknowledge(WDFREQUEST Request, BOOLEAN Requeue)
{
    KMH_WDF_IMPORT(WdfRequestStopAcknowledge);
    ((PFN_WDFREQUESTSTOPACKNOWLEDGE)WdfFunctions[WdfRequestStopAcknowledgeTableIndex])(WdfDriverGlobals, Request, Requeue);
}

KMH_WDF_IMPORT_DECL(WdfRequestWdmGetIrp);
typedef PIRP (*PFN_WDFREQUESTWDMGETIRP)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE PIRP WdfRequestWdmGetIrp(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestWdmGetIrp);
    return ((PFN_WDFREQUESTWDMGETIRP)WdfFunctions[WdfRequestWdmGetIrpTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestIsReserved);
typedef BOOLEAN (*PFN_WDFREQUESTISRESERVED)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request);
FORCEINLINE BOOLEAN WdfRequestIsReserved(WDFREQUEST Request)
{
    KMH_WDF_IMPORT(WdfRequestIsReserved);
    return ((PFN_WDFREQUESTISRESERVED)WdfFunctions[WdfRequestIsReservedTableIndex])(WdfDriverGlobals, Request);
}

KMH_WDF_IMPORT_DECL(WdfRequestForwardToParentDeviceIoQueue);
typedef NTSTATUS (*PFN_WDFREQUESTFORWARDTOPARENTDEVICEIOQUEUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFREQUEST Request, WDFQUEUE ParentDeviceQueue, PWDF_REQUEST_FORWARD_OPTIONS ForwardOptions);
FORCEINLINE NTSTATUS WdfRequestForwardToParentDeviceIoQueue(WDFREQUEST Request, WDFQUEUE ParentDeviceQueue, PWDF_REQUEST_FORWARD_OPTIONS ForwardOptions)
{
    KMH_WDF_IMPORT(WdfRequestForwardToParentDeviceIoQueue);
    return ((PFN_WDFREQUESTFORWARDTOPARENTDEVICEIOQUEUE)WdfFunctions[WdfRequestForwardToParentDeviceIoQueueTableIndex])(WdfDriverGlobals, Request, ParentDeviceQueue, ForwardOptions);
}

WDF_EXTERN_C_END

#endif /* _WDFREQUEST_H_ */
