/*
 * wdfdmatransaction.h: one DMA operation, split by the framework into as
 * many transfers as the enabler's limits require; the driver programs the
 * hardware for each in EvtProgramDma and reports each completion.
 */
#ifndef _WDFDMATRANSACTION_H_
#define _WDFDMATRANSACTION_H_

WDF_EXTERN_C_START

/* Program the device for one transfer; FALSE if it could not be started. */
typedef BOOLEAN NTAPI EVT_WDF_PROGRAM_DMA(WDFDMATRANSACTION Transaction, WDFDEVICE Device, WDFCONTEXT Context,
                                          WDF_DMA_DIRECTION Direction, PSCATTER_GATHER_LIST SgList);
typedef EVT_WDF_PROGRAM_DMA *PFN_WDF_PROGRAM_DMA;

typedef BOOLEAN NTAPI EVT_WDF_DMA_TRANSACTION_CONFIGURE_DMA_CHANNEL(WDFDMATRANSACTION DmaTransaction,
                                                                    WDFDEVICE Device, PVOID Context, PMDL Mdl,
                                                                    size_t Offset, size_t Length);
typedef EVT_WDF_DMA_TRANSACTION_CONFIGURE_DMA_CHANNEL *PFN_WDF_DMA_TRANSACTION_CONFIGURE_DMA_CHANNEL;

typedef VOID NTAPI EVT_WDF_DMA_TRANSACTION_DMA_TRANSFER_COMPLETE(WDFDMATRANSACTION Transaction, WDFDEVICE Device,
                                                                 WDFCONTEXT Context, WDF_DMA_DIRECTION Direction,
                                                                 DMA_COMPLETION_STATUS Status);
typedef EVT_WDF_DMA_TRANSACTION_DMA_TRANSFER_COMPLETE *PFN_WDF_DMA_TRANSACTION_DMA_TRANSFER_COMPLETE;

typedef VOID NTAPI EVT_WDF_RESERVE_DMA(WDFDMATRANSACTION DmaTransaction, PVOID Context);
typedef EVT_WDF_RESERVE_DMA *PFN_WDF_RESERVE_DMA;

KMH_WDF_IMPORT_DECL(WdfDmaTransactionCreate);
typedef NTSTATUS (*PFN_WDFDMATRANSACTIONCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMAENABLER DmaEnabler, PWDF_OBJECT_ATTRIBUTES Attributes, WDFDMATRANSACTION *DmaTransaction);
FORCEINLINE NTSTATUS WdfDmaTransactionCreate(WDFDMAENABLER DmaEnabler, PWDF_OBJECT_ATTRIBUTES Attributes, WDFDMATRANSACTION *DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionCreate);
    return ((PFN_WDFDMATRANSACTIONCREATE)WdfFunctions[WdfDmaTransactionCreateTableIndex])(WdfDriverGlobals, DmaEnabler, Attributes, DmaTransaction);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionInitialize);
typedef NTSTATUS (*PFN_WDFDMATRANSACTIONINITIALIZE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, PFN_WDF_PROGRAM_DMA EvtProgramDmaFunction, WDF_DMA_DIRECTION DmaDirection, PMDL Mdl, PVOID VirtualAddress, size_t Length);
FORCEINLINE NTSTATUS WdfDmaTransactionInitialize(WDFDMATRANSACTION DmaTransaction, PFN_WDF_PROGRAM_DMA EvtProgramDmaFunction, WDF_DMA_DIRECTION DmaDirection, PMDL Mdl, PVOID VirtualAddress, size_t Length)
{
    KMH_WDF_IMPORT(WdfDmaTransactionInitialize);
    return ((PFN_WDFDMATRANSACTIONINITIALIZE)WdfFunctions[WdfDmaTransactionInitializeTableIndex])(WdfDriverGlobals, DmaTransaction, EvtProgramDmaFunction, DmaDirection, Mdl, VirtualAddress, Length);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionInitializeUsingOffset);
typedef NTSTATUS (*PFN_WDFDMATRANSACTIONINITIALIZEUSINGOFFSET)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, PFN_WDF_PROGRAM_DMA EvtProgramDmaFunction, WDF_DMA_DIRECTION DmaDirection, PMDL Mdl, size_t Offset, size_t Length);
FORCEINLINE NTSTATUS WdfDmaTransactionInitializeUsingOffset(WDFDMATRANSACTION DmaTransaction, PFN_WDF_PROGRAM_DMA EvtProgramDmaFunction, WDF_DMA_DIRECTION DmaDirection, PMDL Mdl, size_t Offset, size_t Length)
{
    KMH_WDF_IMPORT(WdfDmaTransactionInitializeUsingOffset);
    return ((PFN_WDFDMATRANSACTIONINITIALIZEUSINGOFFSET)WdfFunctions[WdfDmaTransactionInitializeUsingOffsetTableIndex])(WdfDriverGlobals, DmaTransaction, EvtProgramDmaFunction, DmaDirection, Mdl, Offset, Length);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionInitializeUsingRequest);
typedef NTSTATUS (*PFN_WDFDMATRANSACTIONINITIALIZEUSINGREQUEST)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, WDFREQUEST Request, PFN_WDF_PROGRAM_DMA EvtProgramDmaFunction, WDF_DMA_DIRECTION DmaDirection);
FORCEINLINE NTSTATUS WdfDmaTransactionInitializeUsingRequest(WDFDMATRANSACTION DmaTransaction, WDFREQUEST Request, PFN_WDF_PROGRAM_DMA EvtProgramDmaFunction, WDF_DMA_DIRECTION DmaDirection)
{
    KMH_WDF_IMPORT(WdfDmaTransactionInitializeUsingRequest);
    return ((PFN_WDFDMATRANSACTIONINITIALIZEUSINGREQUEST)WdfFunctions[WdfDmaTransactionInitializeUsingRequestTableIndex])(WdfDriverGlobals, DmaTransaction, Request, EvtProgramDmaFunction, DmaDirection);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionExecute);
typedef NTSTATUS (*PFN_WDFDMATRANSACTIONEXECUTE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, WDFCONTEXT Context);
FORCEINLINE NTSTATUS WdfDmaTransactionExecute(WDFDMATRANSACTION DmaTransaction, WDFCONTEXT Context)
{
    KMH_WDF_IMPORT(WdfDmaTransactionExecute);
    return ((PFN_WDFDMATRANSACTIONEXECUTE)WdfFunctions[WdfDmaTransactionExecuteTableIndex])(WdfDriverGlobals, DmaTransaction, Context);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionRelease);
typedef NTSTATUS (*PFN_WDFDMATRANSACTIONRELEASE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction);
FORCEINLINE NTSTATUS WdfDmaTransactionRelease(WDFDMATRANSACTION DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionRelease);
    return ((PFN_WDFDMATRANSACTIONRELEASE)WdfFunctions[WdfDmaTransactionReleaseTableIndex])(WdfDriverGlobals, DmaTransaction);
}

/* TRUE when the whole transaction is done; *Status says how it ended. */
KMH_WDF_IMPORT_DECL(WdfDmaTransactionDmaCompleted);
typedef BOOLEAN (*PFN_WDFDMATRANSACTIONDMACOMPLETED)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, NTSTATUS *Status);
FORCEINLINE BOOLEAN WdfDmaTransactionDmaCompleted(WDFDMATRANSACTION DmaTransaction, NTSTATUS *Status)
{
    KMH_WDF_IMPORT(WdfDmaTransactionDmaCompleted);
    return ((PFN_WDFDMATRANSACTIONDMACOMPLETED)WdfFunctions[WdfDmaTransactionDmaCompletedTableIndex])(WdfDriverGlobals, DmaTransaction, Status);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionDmaCompletedWithLength);
typedef BOOLEAN (*PFN_WDFDMATRANSACTIONDMACOMPLETEDWITHLENGTH)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, size_t TransferredLength, NTSTATUS *Status);
FORCEINLINE BOOLEAN WdfDmaTransactionDmaCompletedWithLength(WDFDMATRANSACTION DmaTransaction, size_t TransferredLength, NTSTATUS *Status)
{
    KMH_WDF_IMPORT(WdfDmaTransactionDmaCompletedWithLength);
    return ((PFN_WDFDMATRANSACTIONDMACOMPLETEDWITHLENGTH)WdfFunctions[WdfDmaTransactionDmaCompletedWithLengthTableIndex])(WdfDriverGlobals, DmaTransaction, TransferredLength, Status);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionDmaCompletedFinal);
typedef BOOLEAN (*PFN_WDFDMATRANSACTIONDMACOMPLETEDFINAL)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, size_t FinalTransferredLength, NTSTATUS *Status);
FORCEINLINE BOOLEAN WdfDmaTransactionDmaCompletedFinal(WDFDMATRANSACTION DmaTransaction, size_t FinalTransferredLength, NTSTATUS *Status)
{
    KMH_WDF_IMPORT(WdfDmaTransactionDmaCompletedFinal);
    return ((PFN_WDFDMATRANSACTIONDMACOMPLETEDFINAL)WdfFunctions[WdfDmaTransactionDmaCompletedFinalTableIndex])(WdfDriverGlobals, DmaTransaction, FinalTransferredLength, Status);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionGetBytesTransferred);
typedef size_t (*PFN_WDFDMATRANSACTIONGETBYTESTRANSFERRED)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction);
FORCEINLINE size_t WdfDmaTransactionGetBytesTransferred(WDFDMATRANSACTION DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionGetBytesTransferred);
    return ((PFN_WDFDMATRANSACTIONGETBYTESTRANSFERRED)WdfFunctions[WdfDmaTransactionGetBytesTransferredTableIndex])(WdfDriverGlobals, DmaTransaction);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionSetMaximumLength);
typedef VOID (*PFN_WDFDMATRANSACTIONSETMAXIMUMLENGTH)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, size_t MaximumLength);
FORCEINLINE VOID WdfDmaTransactionSetMaximumLength(WDFDMATRANSACTION DmaTransaction, size_t MaximumLength)
{
    KMH_WDF_IMPORT(WdfDmaTransactionSetMaximumLength);
    ((PFN_WDFDMATRANSACTIONSETMAXIMUMLENGTH)WdfFunctions[WdfDmaTransactionSetMaximumLengthTableIndex])(WdfDriverGlobals, DmaTransaction, MaximumLength);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionSetSingleTransferRequirement);
typedef VOID (*PFN_WDFDMATRANSACTIONSETSINGLETRANSFERREQUIREMENT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, BOOLEAN RequireSingleTransfer);
FORCEINLINE VOID WdfDmaTransactionSetSingleTransferRequirement(WDFDMATRANSACTION DmaTransaction, BOOLEAN RequireSingleTransfer)
{
    KMH_WDF_IMPORT(WdfDmaTransactionSetSingleTransferRequirement);
    ((PFN_WDFDMATRANSACTIONSETSINGLETRANSFERREQUIREMENT)WdfFunctions[WdfDmaTransactionSetSingleTransferRequirementTableIndex])(WdfDriverGlobals, DmaTransaction, RequireSingleTransfer);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionGetRequest);
typedef WDFREQUEST (*PFN_WDFDMATRANSACTIONGETREQUEST)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction);
FORCEINLINE WDFREQUEST WdfDmaTransactionGetRequest(WDFDMATRANSACTION DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionGetRequest);
    return ((PFN_WDFDMATRANSACTIONGETREQUEST)WdfFunctions[WdfDmaTransactionGetRequestTableIndex])(WdfDriverGlobals, DmaTransaction);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionGetCurrentDmaTransferLength);
typedef size_t (*PFN_WDFDMATRANSACTIONGETCURRENTDMATRANSFERLENGTH)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction);
FORCEINLINE size_t WdfDmaTransactionGetCurrentDmaTransferLength(WDFDMATRANSACTION DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionGetCurrentDmaTransferLength);
    return ((PFN_WDFDMATRANSACTIONGETCURRENTDMATRANSFERLENGTH)WdfFunctions[WdfDmaTransactionGetCurrentDmaTransferLengthTableIndex])(WdfDriverGlobals, DmaTransaction);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionGetDevice);
typedef WDFDEVICE (*PFN_WDFDMATRANSACTIONGETDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction);
FORCEINLINE WDFDEVICE WdfDmaTransactionGetDevice(WDFDMATRANSACTION DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionGetDevice);
    return ((PFN_WDFDMATRANSACTIONGETDEVICE)WdfFunctions[WdfDmaTransactionGetDeviceTableIndex])(WdfDriverGlobals, DmaTransaction);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionGetTransferInfo);
typedef VOID (*PFN_WDFDMATRANSACTIONGETTRANSFERINFO)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, ULONG *MapRegisterCount, ULONG *ScatterGatherElementCount);
FORCEINLINE VOID WdfDmaTransactionGetTransferInfo(WDFDMATRANSACTION DmaTransaction, ULONG *MapRegisterCount, ULONG *ScatterGatherElementCount)
{
    KMH_WDF_IMPORT(WdfDmaTransactionGetTransferInfo);
    ((PFN_WDFDMATRANSACTIONGETTRANSFERINFO)WdfFunctions[WdfDmaTransactionGetTransferInfoTableIndex])(WdfDriverGlobals, DmaTransaction, MapRegisterCount, ScatterGatherElementCount);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionSetChannelConfigurationCallback);
typedef VOID (*PFN_WDFDMATRANSACTIONSETCHANNELCONFIGURATIONCALLBACK)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, PFN_WDF_DMA_TRANSACTION_CONFIGURE_DMA_CHANNEL ConfigureRoutine, PVOID ConfigureContext);
FORCEINLINE VOID WdfDmaTransactionSetChannelConfigurationCallback(WDFDMATRANSACTION DmaTransaction, PFN_WDF_DMA_TRANSACTION_CONFIGURE_DMA_CHANNEL ConfigureRoutine, PVOID ConfigureContext)
{
    KMH_WDF_IMPORT(WdfDmaTransactionSetChannelConfigurationCallback);
    ((PFN_WDFDMATRANSACTIONSETCHANNELCONFIGURATIONCALLBACK)WdfFunctions[WdfDmaTransactionSetChannelConfigurationCallbackTableIndex])(WdfDriverGlobals, DmaTransaction, ConfigureRoutine, ConfigureContext);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionSetTransferCompleteCallback);
typedef VOID (*PFN_WDFDMATRANSACTIONSETTRANSFERCOMPLETECALLBACK)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, PFN_WDF_DMA_TRANSACTION_DMA_TRANSFER_COMPLETE DmaCompletionRoutine, PVOID DmaCompletionContext);
FORCEINLINE VOID WdfDmaTransactionSetTransferCompleteCallback(WDFDMATRANSACTION DmaTransaction, PFN_WDF_DMA_TRANSACTION_DMA_TRANSFER_COMPLETE DmaCompletionRoutine, PVOID DmaCompletionContext)
{
    KMH_WDF_IMPORT(WdfDmaTransactionSetTransferCompleteCallback);
    ((PFN_WDFDMATRANSACTIONSETTRANSFERCOMPLETECALLBACK)WdfFunctions[WdfDmaTransactionSetTransferCompleteCallbackTableIndex])(WdfDriverGlobals, DmaTransaction, DmaCompletionRoutine, DmaCompletionContext);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionSetImmediateExecution);
typedef VOID (*PFN_WDFDMATRANSACTIONSETIMMEDIATEEXECUTION)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, BOOLEAN UseImmediateExecution);
FORCEINLINE VOID WdfDmaTransactionSetImmediateExecution(WDFDMATRANSACTION DmaTransaction, BOOLEAN UseImmediateExecution)
{
    KMH_WDF_IMPORT(WdfDmaTransactionSetImmediateExecution);
    ((PFN_WDFDMATRANSACTIONSETIMMEDIATEEXECUTION)WdfFunctions[WdfDmaTransactionSetImmediateExecutionTableIndex])(WdfDriverGlobals, DmaTransaction, UseImmediateExecution);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionAllocateResources);
typedef NTSTATUS (*PFN_WDFDMATRANSACTIONALLOCATERESOURCES)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, WDF_DMA_DIRECTION DmaDirection, ULONG RequiredMapRegisters, PFN_WDF_RESERVE_DMA EvtReserveDmaFunction, PVOID EvtReserveDmaContext);
FORCEINLINE NTSTATUS WdfDmaTransactionAllocateResources(WDFDMATRANSACTION DmaTransaction, WDF_DMA_DIRECTION DmaDirection, ULONG RequiredMapRegisters, PFN_WDF_RESERVE_DMA EvtReserveDmaFunction, PVOID EvtReserveDmaContext)
{
    KMH_WDF_IMPORT(WdfDmaTransactionAllocateResources);
    return ((PFN_WDFDMATRANSACTIONALLOCATERESOURCES)WdfFunctions[WdfDmaTransactionAllocateResourcesTableIndex])(WdfDriverGlobals, DmaTransaction, DmaDirection, RequiredMapRegisters, EvtReserveDmaFunction, EvtReserveDmaContext);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionSetDeviceAddressOffset);
typedef VOID (*PFN_WDFDMATRANSACTIONSETDEVICEADDRESSOFFSET)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction, ULONG Offset);
FORCEINLINE VOID WdfDmaTransactionSetDeviceAddressOffset(WDFDMATRANSACTION DmaTransaction, ULONG Offset)
{
    KMH_WDF_IMPORT(WdfDmaTransactionSetDeviceAddressOffset);
    ((PFN_WDFDMATRANSACTIONSETDEVICEADDRESSOFFSET)WdfFunctions[WdfDmaTransactionSetDeviceAddressOffsetTableIndex])(WdfDriverGlobals, DmaTransaction, Offset);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionFreeResources);
typedef VOID (*PFN_WDFDMATRANSACTIONFREERESOURCES)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction);
FORCEINLINE VOID WdfDmaTransactionFreeResources(WDFDMATRANSACTION DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionFreeResources);
    ((PFN_WDFDMATRANSACTIONFREERESOURCES)WdfFunctions[WdfDmaTransactionFreeResourcesTableIndex])(WdfDriverGlobals, DmaTransaction);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionCancel);
typedef BOOLEAN (*PFN_WDFDMATRANSACTIONCANCEL)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction);
FORCEINLINE BOOLEAN WdfDmaTransactionCancel(WDFDMATRANSACTION DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionCancel);
    return ((PFN_WDFDMATRANSACTIONCANCEL)WdfFunctions[WdfDmaTransactionCancelTableIndex])(WdfDriverGlobals, DmaTransaction);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionWdmGetTransferContext);
typedef PVOID (*PFN_WDFDMATRANSACTIONWDMGETTRANSFERCONTEXT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction);
FORCEINLINE PVOID WdfDmaTransactionWdmGetTransferContext(WDFDMATRANSACTION DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionWdmGetTransferContext);
    return ((PFN_WDFDMATRANSACTIONWDMGETTRANSFERCONTEXT)WdfFunctions[WdfDmaTransactionWdmGetTransferContextTableIndex])(WdfDriverGlobals, DmaTransaction);
}

KMH_WDF_IMPORT_DECL(WdfDmaTransactionStopSystemTransfer);
typedef VOID (*PFN_WDFDMATRANSACTIONSTOPSYSTEMTRANSFER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFDMATRANSACTION DmaTransaction);
FORCEINLINE VOID WdfDmaTransactionStopSystemTransfer(WDFDMATRANSACTION DmaTransaction)
{
    KMH_WDF_IMPORT(WdfDmaTransactionStopSystemTransfer);
    ((PFN_WDFDMATRANSACTIONSTOPSYSTEMTRANSFER)WdfFunctions[WdfDmaTransactionStopSystemTransferTableIndex])(WdfDriverGlobals, DmaTransaction);
}

WDF_EXTERN_C_END

#endif /* _WDFDMATRANSACTION_H_ */
