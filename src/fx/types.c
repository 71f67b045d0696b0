/*
 * The operations of each object type. Each family (device.c, queue.c ...)
 * defines its own fx_ops_<type> and overrides the weak default here, which
 * is just the name and KMDF's deletion rule for that type.
 */
#include "fx/fx.h"
#include "fx/fx_private.h"

#define FX_DEFAULT_OPS(var, type_name, may_delete) \
    __attribute__((weak)) const struct fx_type_ops var = { .name = type_name, .driver_may_delete = may_delete }

FX_DEFAULT_OPS(fx_ops_object, "WDFOBJECT", true);
FX_DEFAULT_OPS(fx_ops_driver, "WDFDRIVER", false);
FX_DEFAULT_OPS(fx_ops_device, "WDFDEVICE", false);
FX_DEFAULT_OPS(fx_ops_queue, "WDFQUEUE", true);
FX_DEFAULT_OPS(fx_ops_request, "WDFREQUEST", true);
FX_DEFAULT_OPS(fx_ops_memory, "WDFMEMORY", true);
FX_DEFAULT_OPS(fx_ops_iotarget, "WDFIOTARGET", true);
FX_DEFAULT_OPS(fx_ops_spinlock, "WDFSPINLOCK", true);
FX_DEFAULT_OPS(fx_ops_waitlock, "WDFWAITLOCK", true);
FX_DEFAULT_OPS(fx_ops_timer, "WDFTIMER", true);
FX_DEFAULT_OPS(fx_ops_workitem, "WDFWORKITEM", true);
FX_DEFAULT_OPS(fx_ops_dpc, "WDFDPC", true);
FX_DEFAULT_OPS(fx_ops_string, "WDFSTRING", true);
FX_DEFAULT_OPS(fx_ops_collection, "WDFCOLLECTION", true);
FX_DEFAULT_OPS(fx_ops_key, "WDFKEY", true);
FX_DEFAULT_OPS(fx_ops_fileobject, "WDFFILEOBJECT", false);
FX_DEFAULT_OPS(fx_ops_childlist, "WDFCHILDLIST", false);
FX_DEFAULT_OPS(fx_ops_lookaside, "WDFLOOKASIDE", true);
FX_DEFAULT_OPS(fx_ops_wmiprovider, "WDFWMIPROVIDER", false);
FX_DEFAULT_OPS(fx_ops_wmiinstance, "WDFWMIINSTANCE", true);
FX_DEFAULT_OPS(fx_ops_interrupt, "WDFINTERRUPT", false);
FX_DEFAULT_OPS(fx_ops_cmreslist, "WDFCMRESLIST", false);
FX_DEFAULT_OPS(fx_ops_ioresreqlist, "WDFIORESREQLIST", false);
FX_DEFAULT_OPS(fx_ops_ioreslist, "WDFIORESLIST", false);

const struct fx_type_ops *fx_type_ops(enum fx_type type)
{
    static const struct fx_type_ops *const table[FX_TYPE_COUNT] = {
        [FX_TYPE_OBJECT] = &fx_ops_object,         [FX_TYPE_DRIVER] = &fx_ops_driver,
        [FX_TYPE_DEVICE] = &fx_ops_device,         [FX_TYPE_QUEUE] = &fx_ops_queue,
        [FX_TYPE_REQUEST] = &fx_ops_request,       [FX_TYPE_MEMORY] = &fx_ops_memory,
        [FX_TYPE_IOTARGET] = &fx_ops_iotarget,     [FX_TYPE_SPINLOCK] = &fx_ops_spinlock,
        [FX_TYPE_WAITLOCK] = &fx_ops_waitlock,     [FX_TYPE_TIMER] = &fx_ops_timer,
        [FX_TYPE_WORKITEM] = &fx_ops_workitem,     [FX_TYPE_DPC] = &fx_ops_dpc,
        [FX_TYPE_STRING] = &fx_ops_string,         [FX_TYPE_COLLECTION] = &fx_ops_collection,
        [FX_TYPE_KEY] = &fx_ops_key,               [FX_TYPE_FILEOBJECT] = &fx_ops_fileobject,
        [FX_TYPE_CHILDLIST] = &fx_ops_childlist,   [FX_TYPE_LOOKASIDE] = &fx_ops_lookaside,
        [FX_TYPE_WMIPROVIDER] = &fx_ops_wmiprovider, [FX_TYPE_WMIINSTANCE] = &fx_ops_wmiinstance,
        [FX_TYPE_INTERRUPT] = &fx_ops_interrupt,   [FX_TYPE_CMRESLIST] = &fx_ops_cmreslist,
        [FX_TYPE_IORESREQLIST] = &fx_ops_ioresreqlist, [FX_TYPE_IORESLIST] = &fx_ops_ioreslist,
    };
    return type < FX_TYPE_COUNT ? table[type] : &fx_ops_object;
}
