/* Shared between two files of the scratch driver: one context type. */
#include <ntddk.h>
#include <wdf.h>
typedef struct _DEVICE_CONTEXT { ULONG Magic; WDFQUEUE Queue; } DEVICE_CONTEXT, *PDEVICE_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(DEVICE_CONTEXT, DeviceGetContext)
typedef struct _QUEUE_CONTEXT { ULONG Count; } QUEUE_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE(QUEUE_CONTEXT);
WDF_DECLARE_CUSTOM_TYPE(KMH_TAG);
PCWDF_OBJECT_CONTEXT_TYPE_INFO drv_b_device_type(void);
PDEVICE_CONTEXT drv_b_get(WDFDEVICE Device);
