/* Second file of the scratch driver: the same context type from another TU. */
#include "ctx.h"

__attribute__((visibility("default"))) PCWDF_OBJECT_CONTEXT_TYPE_INFO drv_b_device_type(void)
{
    return WDF_GET_CONTEXT_TYPE_INFO(DEVICE_CONTEXT);
}

PDEVICE_CONTEXT drv_b_get(WDFDEVICE Device)
{
    return WdfObjectGetTypedContext(Device, DEVICE_CONTEXT);
}
