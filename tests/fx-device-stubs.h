/*
 * Stand-ins, for the framework device tests only, for what other families
 * of src/fx provide (queues and requests, I/O targets, memory, strings,
 * registry keys) while they are still being written: weak, so the real
 * definitions win as soon as they are in the library. Each does the least
 * a device without queues, targets or properties needs.
 */
#ifndef KMHOST_FX_DEVICE_STUBS_H
#define KMHOST_FX_DEVICE_STUBS_H

#include "fx/fx.h"

#define FX_WEAK __attribute__((weak))

FX_WEAK NTSTATUS fx_queue_dispatch_irp(struct fx_device *device, PIRP irp)
{
    (void)device;
    irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}
FX_WEAK void fx_queues_power_down(struct fx_device *device) { (void)device; }
FX_WEAK void fx_queues_power_up(struct fx_device *device) { (void)device; }
FX_WEAK void fx_queues_purge_for_remove(struct fx_device *device) { (void)device; }
FX_WEAK NTSTATUS fx_queue_enqueue_request(struct fx_device *device, WDFREQUEST request)
{
    (void)device;
    (void)request;
    return STATUS_INVALID_DEVICE_STATE;
}
FX_WEAK struct fx_request *fx_request_from_irp(struct fx_device *device, PIRP irp, NTSTATUS *status)
{
    (void)device;
    (void)irp;
    *status = STATUS_NOT_IMPLEMENTED;
    return NULL;
}
FX_WEAK void fx_request_complete_internal(struct fx_request *request, NTSTATUS status, ULONG_PTR information)
{
    (void)request;
    (void)status;
    (void)information;
}
FX_WEAK WDFREQUEST fx_request_handle(struct fx_request *request)
{
    (void)request;
    return NULL;
}
FX_WEAK NTSTATUS fx_io_target_new_default(struct fx_device *device, struct fx_io_target **out)
{
    (void)device;
    *out = NULL;
    return STATUS_SUCCESS;
}
FX_WEAK void fx_io_targets_stop_all(struct fx_device *device, bool remove)
{
    (void)device;
    (void)remove;
}
FX_WEAK NTSTATUS fx_memory_new_pool(struct fx_globals *globals, PWDF_OBJECT_ATTRIBUTES attributes, POOL_TYPE pool_type,
                                    ULONG tag, size_t size, WDFMEMORY *memory, void **buffer)
{
    (void)globals, (void)attributes, (void)pool_type, (void)tag, (void)size, (void)buffer;
    *memory = NULL;
    return STATUS_NOT_IMPLEMENTED;
}
FX_WEAK NTSTATUS fx_string_assign(WDFSTRING string, PCUNICODE_STRING value)
{
    (void)string;
    (void)value;
    return STATUS_NOT_IMPLEMENTED;
}
FX_WEAK NTSTATUS fx_key_new_from_handle(struct fx_globals *globals, HANDLE handle, PWDF_OBJECT_ATTRIBUTES attributes,
                                        WDFKEY *key)
{
    (void)globals;
    (void)attributes;
    ZwClose(handle);
    *key = NULL;
    return STATUS_NOT_IMPLEMENTED;
}

#endif /* KMHOST_FX_DEVICE_STUBS_H */
