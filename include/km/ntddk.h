/*
 * ntddk.h: wdm.h plus the few NT-only declarations non-WDM drivers use.
 */
#ifndef _NTDDK_
#define _NTDDK_

#include <wdm.h>

EXTERN_C_START

NTSYSAPI ULONG RtlNtStatusToDosError(NTSTATUS Status);

NTKERNELAPI NTSTATUS IoReportResourceForDetection(PDRIVER_OBJECT DriverObject, PCM_RESOURCE_LIST DriverList,
    ULONG DriverListSize, PDEVICE_OBJECT DeviceObject, PCM_RESOURCE_LIST DeviceList,
    ULONG DeviceListSize, PBOOLEAN ConflictDetected);

EXTERN_C_END

#endif /* _NTDDK_ */
