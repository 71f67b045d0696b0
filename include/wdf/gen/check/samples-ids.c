/* Every KMDF identifier that the public WDK samples use (from
 * shared/targets/ddi-used-by-public-samples.tsv), referenced once, so a
 * missing name is a compile error. */
#include <ntddk.h>
#include <wdf.h>

#ifndef WDFVERIFY
#error missing macro WDFVERIFY
#endif
#ifndef WDF_DECLARE_CONTEXT_TYPE
#error missing macro WDF_DECLARE_CONTEXT_TYPE
#endif
#ifndef WDF_DECLARE_CONTEXT_TYPE_WITH_NAME
#error missing macro WDF_DECLARE_CONTEXT_TYPE_WITH_NAME
#endif
#ifndef WDF_NO_CONTEXT
#error missing macro WDF_NO_CONTEXT
#endif
#ifndef WDF_NO_EVENT_CALLBACK
#error missing macro WDF_NO_EVENT_CALLBACK
#endif
#ifndef WDF_NO_HANDLE
#error missing macro WDF_NO_HANDLE
#endif
#ifndef WDF_NO_OBJECT_ATTRIBUTES
#error missing macro WDF_NO_OBJECT_ATTRIBUTES
#endif
#ifndef WDF_NO_SEND_OPTIONS
#error missing macro WDF_NO_SEND_OPTIONS
#endif
#ifndef WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE
#error missing macro WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE
#endif
void kmh_ids_check(void);

void kmh_ids_check(void)
{
    { EVT_WDF_CHILD_LIST_CREATE_DEVICE *p = 0; (void)p; }
    { EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_CLEANUP *p = 0; (void)p; }
    { EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE *p = 0; (void)p; }
    { EVT_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_DUPLICATE *p = 0; (void)p; }
    { EVT_WDF_DEVICE_ARM_WAKE_FROM_S0 *p = 0; (void)p; }
    { EVT_WDF_DEVICE_ARM_WAKE_FROM_SX *p = 0; (void)p; }
    { EVT_WDF_DEVICE_CONTEXT_CLEANUP *p = 0; (void)p; }
    { EVT_WDF_DEVICE_D0_ENTRY *p = 0; (void)p; }
    { EVT_WDF_DEVICE_D0_EXIT *p = 0; (void)p; }
    { EVT_WDF_DEVICE_DISARM_WAKE_FROM_S0 *p = 0; (void)p; }
    { EVT_WDF_DEVICE_DISARM_WAKE_FROM_SX *p = 0; (void)p; }
    { EVT_WDF_DEVICE_FILE_CREATE *p = 0; (void)p; }
    { EVT_WDF_DEVICE_PREPARE_HARDWARE *p = 0; (void)p; }
    { EVT_WDF_DEVICE_RELEASE_HARDWARE *p = 0; (void)p; }
    { EVT_WDF_DEVICE_SELF_MANAGED_IO_INIT *p = 0; (void)p; }
    { EVT_WDF_DEVICE_SELF_MANAGED_IO_SUSPEND *p = 0; (void)p; }
    { EVT_WDF_DEVICE_SHUTDOWN_NOTIFICATION *p = 0; (void)p; }
    { EVT_WDF_DEVICE_WAKE_FROM_S0_TRIGGERED *p = 0; (void)p; }
    { EVT_WDF_DEVICE_WAKE_FROM_SX_TRIGGERED *p = 0; (void)p; }
    { EVT_WDF_DRIVER_DEVICE_ADD *p = 0; (void)p; }
    { EVT_WDF_DRIVER_UNLOAD *p = 0; (void)p; }
    { EVT_WDF_FILE_CLOSE *p = 0; (void)p; }
    { EVT_WDF_IO_IN_CALLER_CONTEXT *p = 0; (void)p; }
    { EVT_WDF_IO_QUEUE_CONTEXT_DESTROY_CALLBACK *p = 0; (void)p; }
    { EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL *p = 0; (void)p; }
    { EVT_WDF_IO_QUEUE_IO_READ *p = 0; (void)p; }
    { EVT_WDF_IO_QUEUE_IO_WRITE *p = 0; (void)p; }
    { EVT_WDF_REQUEST_CANCEL *p = 0; (void)p; }
    { EVT_WDF_TIMER *p = 0; (void)p; }
    { EVT_WDF_WMI_INSTANCE_EXECUTE_METHOD *p = 0; (void)p; }
    { EVT_WDF_WMI_INSTANCE_QUERY_INSTANCE *p = 0; (void)p; }
    { EVT_WDF_WMI_INSTANCE_SET_INSTANCE *p = 0; (void)p; }
    { EVT_WDF_WMI_INSTANCE_SET_ITEM *p = 0; (void)p; }
    { PWDFDEVICE_INIT *p = 0; (void)p; }
    { PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER *p = 0; (void)p; }
    { PWDF_REQUEST_COMPLETION_PARAMS *p = 0; (void)p; }
    { WDFCHILDLIST *p = 0; (void)p; }
    { WDFCOLLECTION *p = 0; (void)p; }
    { WDFCONTEXT *p = 0; (void)p; }
    { WDFDEVICE *p = 0; (void)p; }
    { WDFDRIVER *p = 0; (void)p; }
    { WDFFILEOBJECT *p = 0; (void)p; }
    { WDFIOTARGET *p = 0; (void)p; }
    { WDFKEY *p = 0; (void)p; }
    { WDFMEMORY *p = 0; (void)p; }
    { WDFOBJECT *p = 0; (void)p; }
    { WDFQUEUE *p = 0; (void)p; }
    { WDFREQUEST *p = 0; (void)p; }
    { WDFSPINLOCK *p = 0; (void)p; }
    { WDFSTRING *p = 0; (void)p; }
    { WDFTIMER *p = 0; (void)p; }
    { WDFWAITLOCK *p = 0; (void)p; }
    { WDFWMIINSTANCE *p = 0; (void)p; }
    { WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER *p = 0; (void)p; }
    (void)WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER_INIT;
    { WDF_CHILD_LIST_CONFIG *p = 0; (void)p; }
    (void)WDF_CHILD_LIST_CONFIG_INIT;
    { WDF_CHILD_LIST_ITERATOR *p = 0; (void)p; }
    (void)WDF_CHILD_LIST_ITERATOR_INIT;
    { WDF_CHILD_RETRIEVE_INFO *p = 0; (void)p; }
    (void)WDF_CHILD_RETRIEVE_INFO_INIT;
    { WDF_DEVICE_PNP_CAPABILITIES *p = 0; (void)p; }
    (void)WDF_DEVICE_PNP_CAPABILITIES_INIT;
    { WDF_DEVICE_POWER_CAPABILITIES *p = 0; (void)p; }
    (void)WDF_DEVICE_POWER_CAPABILITIES_INIT;
    { WDF_DRIVER_CONFIG *p = 0; (void)p; }
    (void)WDF_DRIVER_CONFIG_INIT;
    { WDF_DRIVER_VERSION_AVAILABLE_PARAMS *p = 0; (void)p; }
    (void)WDF_DRIVER_VERSION_AVAILABLE_PARAMS_INIT;
    { WDF_FILEOBJECT_CONFIG *p = 0; (void)p; }
    (void)WDF_FILEOBJECT_CONFIG_INIT;
    { WDF_IO_QUEUE_CONFIG *p = 0; (void)p; }
    (void)WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE;
    { WDF_OBJECT_ATTRIBUTES *p = 0; (void)p; }
    (void)WDF_OBJECT_ATTRIBUTES_INIT;
    { WDF_PNPPOWER_EVENT_CALLBACKS *p = 0; (void)p; }
    (void)WDF_PNPPOWER_EVENT_CALLBACKS_INIT;
    { WDF_POWER_DEVICE_STATE *p = 0; (void)p; }
    { WDF_QUERY_INTERFACE_CONFIG *p = 0; (void)p; }
    (void)WDF_QUERY_INTERFACE_CONFIG_INIT;
    (void)WDF_REL_TIMEOUT_IN_MS;
    { WDF_REQUEST_PARAMETERS *p = 0; (void)p; }
    (void)WDF_REQUEST_PARAMETERS_INIT;
    { WDF_REQUEST_SEND_OPTIONS *p = 0; (void)p; }
    (void)WDF_REQUEST_SEND_OPTIONS_INIT;
    (void)WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET;
    { WDF_TIMER_CONFIG *p = 0; (void)p; }
    (void)WDF_TIMER_CONFIG_INIT_PERIODIC;
    { WDF_WMI_INSTANCE_CONFIG *p = 0; (void)p; }
    (void)WDF_WMI_INSTANCE_CONFIG_INIT_PROVIDER_CONFIG;
    { WDF_WMI_PROVIDER_CONFIG *p = 0; (void)p; }
    (void)WDF_WMI_PROVIDER_CONFIG_INIT;
    (void)WdfChildListAddOrUpdateChildDescriptionAsPresent;
    (void)WdfChildListBeginIteration;
    (void)WdfChildListBeginScan;
    (void)WdfChildListEndIteration;
    (void)WdfChildListEndScan;
    (void)WdfChildListGetDevice;
    (void)WdfChildListRequestChildEject;
    (void)WdfChildListRetrieveDeviceSuccess;
    (void)WdfChildListRetrieveNextDevice;
    (void)WdfChildListUpdateChildDescriptionAsMissing;
    (void)WdfCollectionAdd;
    (void)WdfCollectionCreate;
    (void)WdfCollectionGetCount;
    (void)WdfCollectionGetItem;
    (void)WdfCollectionRemove;
    (void)WdfControlDeviceInitAllocate;
    (void)WdfControlDeviceInitSetShutdownNotification;
    (void)WdfControlFinishInitializing;
    (void)WdfDeviceAddQueryInterface;
    (void)WdfDeviceAssignMofResourceName;
    (void)WdfDeviceCreate;
    (void)WdfDeviceCreateDeviceInterface;
    (void)WdfDeviceCreateSymbolicLink;
    (void)WdfDeviceEnqueueRequest;
    (void)WdfDeviceGetDefaultQueue;
    (void)WdfDeviceGetDriver;
    (void)WdfDeviceGetIoTarget;
    (void)WdfDeviceInitAssignName;
    (void)WdfDeviceInitFree;
    (void)WdfDeviceInitSetDeviceType;
    (void)WdfDeviceInitSetExclusive;
    (void)WdfDeviceInitSetFileObjectConfig;
    (void)WdfDeviceInitSetIoInCallerContextCallback;
    (void)WdfDeviceInitSetIoType;
    (void)WdfDeviceInitSetPnpPowerEventCallbacks;
    (void)WdfDeviceInitSetRequestAttributes;
    (void)WdfDeviceInterfaceDereferenceNoOp;
    (void)WdfDeviceInterfaceReferenceNoOp;
    (void)WdfDeviceIoBuffered;
    (void)WdfDeviceOpenRegistryKey;
    (void)WdfDeviceSetBusInformationForChildren;
    (void)WdfDeviceSetPnpCapabilities;
    (void)WdfDeviceSetPowerCapabilities;
    (void)WdfDeviceShutdown;
    (void)WdfDriverCreate;
    (void)WdfDriverInitNonPnpDriver;
    (void)WdfDriverIsVersionAvailable;
    (void)WdfDriverRetrieveVersionString;
    (void)WdfDriverWdmGetDriverObject;
    (void)WdfFdoAddStaticChild;
    (void)WdfFdoGetDefaultChildList;
    (void)WdfFdoInitQueryProperty;
    (void)WdfFdoInitSetDefaultChildListConfig;
    (void)WdfFdoInitSetFilter;
    (void)WdfFdoLockStaticChildListForIteration;
    (void)WdfFdoRetrieveNextStaticChild;
    (void)WdfFdoUnlockStaticChildListFromIteration;
    (void)WdfFileObjectGetDevice;
    (void)WdfFileObjectGetFileName;
    (void)WdfGetDriver;
    (void)WdfIoQueueCreate;
    (void)WdfIoQueueDispatchParallel;
    (void)WdfIoQueueDispatchSequential;
    (void)WdfIoQueueGetDevice;
    (void)WdfIoQueueStart;
    (void)WdfIoQueueStopSynchronously;
    (void)WdfMemoryCopyFromBuffer;
    (void)WdfMemoryCopyToBuffer;
    (void)WdfMemoryGetBuffer;
    (void)WdfObjectAllocateContext;
    (void)WdfObjectDelete;
    (void)WdfPdoInitAddCompatibleID;
    (void)WdfPdoInitAddDeviceText;
    (void)WdfPdoInitAddHardwareID;
    (void)WdfPdoInitAllocate;
    (void)WdfPdoInitAssignDeviceID;
    (void)WdfPdoInitAssignInstanceID;
    (void)WdfPdoInitSetDefaultLocale;
    (void)WdfPdoMarkMissing;
    (void)WdfPdoRequestEject;
    (void)WdfRegistryClose;
    (void)WdfRegistryQueryULong;
    (void)WdfRequestComplete;
    (void)WdfRequestCompleteWithInformation;
    (void)WdfRequestFormatRequestUsingCurrentType;
    (void)WdfRequestGetIoQueue;
    (void)WdfRequestGetParameters;
    (void)WdfRequestGetStatus;
    (void)WdfRequestMarkCancelable;
    (void)WdfRequestMarkCancelableEx;
    (void)WdfRequestProbeAndLockUserBufferForRead;
    (void)WdfRequestProbeAndLockUserBufferForWrite;
    (void)WdfRequestRetrieveInputBuffer;
    (void)WdfRequestRetrieveInputMemory;
    (void)WdfRequestRetrieveOutputBuffer;
    (void)WdfRequestRetrieveOutputMemory;
    (void)WdfRequestRetrieveUnsafeUserInputBuffer;
    (void)WdfRequestRetrieveUnsafeUserOutputBuffer;
    (void)WdfRequestSend;
    (void)WdfRequestSetCompletionRoutine;
    (void)WdfRequestSetInformation;
    (void)WdfRequestTypeDeviceControl;
    (void)WdfRequestUnmarkCancelable;
    (void)WdfRetrieveAddedChildren;
    (void)WdfRetrievePresentChildren;
    (void)WdfSpinLockAcquire;
    (void)WdfSpinLockCreate;
    (void)WdfSpinLockRelease;
    (void)WdfStringCreate;
    (void)WdfStringGetUnicodeString;
    (void)WdfSynchronizationScopeQueue;
    (void)WdfTimerCreate;
    (void)WdfTimerGetParentObject;
    (void)WdfTimerStart;
    (void)WdfTimerStop;
    (void)WdfTrue;
    (void)WdfVerifierDbgBreakPoint;
    (void)WdfWaitLockAcquire;
    (void)WdfWaitLockCreate;
    (void)WdfWaitLockRelease;
    (void)WdfWmiInstanceCreate;
    (void)WdfWmiInstanceGetDevice;
}
