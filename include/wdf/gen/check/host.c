/* Scratch host: a fake framework table just big enough for the scratch
 * driver, to check at run time that table indexes, globals and context-type
 * identity work across the driver's files. */
#include <ntddk.h>
#include <wdf.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include "imports.h"

typedef struct { PCWDF_OBJECT_CONTEXT_TYPE_INFO type[4]; void *ctx[4]; WDFOBJECT parent; } FAKEOBJ;
static WDF_DRIVER_GLOBALS globals;
static WDFFUNC table[WdfFunctionTableNumEntries];
static int calls[WdfFunctionTableNumEntries];
static const WDF_OBJECT_CONTEXT_TYPE_INFO *device_type_seen;

static FAKEOBJ *obj_new(PWDF_OBJECT_ATTRIBUTES a)
{
    FAKEOBJ *o = calloc(1, sizeof(*o));
    if (a && a->ContextTypeInfo) {
        o->type[0] = a->ContextTypeInfo;
        o->ctx[0] = calloc(1, a->ContextTypeInfo->ContextSize);
    }
    if (a)
        o->parent = a->ParentObject;
    return o;
}
static PVOID f_GetTypedContextWorker(PWDF_DRIVER_GLOBALS g, WDFOBJECT h, PCWDF_OBJECT_CONTEXT_TYPE_INFO t)
{
    FAKEOBJ *o = h;
    (void)g;
    calls[WdfObjectGetTypedContextWorkerTableIndex]++;
    for (int i = 0; i < 4; i++)
        if (o->type[i] == t)
            return o->ctx[i];
    return NULL;
}
static NTSTATUS f_AllocateContext(PWDF_DRIVER_GLOBALS g, WDFOBJECT h, PWDF_OBJECT_ATTRIBUTES a, PVOID *c)
{
    FAKEOBJ *o = h;
    (void)g;
    for (int i = 0; i < 4; i++)
        if (!o->type[i]) {
            o->type[i] = a->ContextTypeInfo;
            o->ctx[i] = calloc(1, a->ContextTypeInfo->ContextSize);
            *c = o->ctx[i];
            return STATUS_SUCCESS;
        }
    return STATUS_INSUFFICIENT_RESOURCES;
}
static NTSTATUS f_DriverCreate(PWDF_DRIVER_GLOBALS g, PDRIVER_OBJECT d, PCUNICODE_STRING r, PWDF_OBJECT_ATTRIBUTES a,
                               PWDF_DRIVER_CONFIG c, WDFDRIVER *out)
{
    (void)d; (void)r; (void)out;
    if (c->Size != sizeof(WDF_DRIVER_CONFIG) || a->Size != sizeof(WDF_OBJECT_ATTRIBUTES) ||
        a->ExecutionLevel != WdfExecutionLevelInheritFromParent)
        return STATUS_INFO_LENGTH_MISMATCH;
    g->Driver = (WDFDRIVER)obj_new(a);
    return c->EvtDriverDeviceAdd(g->Driver, (PWDFDEVICE_INIT)0x1);
}
static NTSTATUS f_DeviceCreate(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT *i, PWDF_OBJECT_ATTRIBUTES a, WDFDEVICE *d)
{
    (void)g;
    *i = NULL;
    device_type_seen = a->ContextTypeInfo;
    *d = (WDFDEVICE)obj_new(a);
    return STATUS_SUCCESS;
}
static NTSTATUS f_QueueCreate(PWDF_DRIVER_GLOBALS g, WDFDEVICE d, PWDF_IO_QUEUE_CONFIG c, PWDF_OBJECT_ATTRIBUTES a, WDFQUEUE *q)
{
    (void)g; (void)d;
    if (!c->DefaultQueue || c->Settings.Parallel.NumberOfPresentedRequests != (ULONG)-1 || c->PowerManaged != WdfUseDefault)
        return STATUS_INVALID_PARAMETER;
    *q = (WDFQUEUE)obj_new(a);
    return STATUS_SUCCESS;
}
static NTSTATUS f_TimerCreate(PWDF_DRIVER_GLOBALS g, PWDF_TIMER_CONFIG c, PWDF_OBJECT_ATTRIBUTES a, WDFTIMER *t)
{
    (void)g;
    if (c->Period != 10 || !c->AutomaticSerialization)
        return STATUS_INVALID_PARAMETER;
    *t = (WDFTIMER)obj_new(a);
    return STATUS_SUCCESS;
}
static WDFOBJECT f_TimerGetParent(PWDF_DRIVER_GLOBALS g, WDFTIMER t) { (void)g; return ((FAKEOBJ *)t)->parent; }
static BOOLEAN f_TimerStart(PWDF_DRIVER_GLOBALS g, WDFTIMER t, LONGLONG due) { (void)g; (void)t; return due == -100000; }
static NTSTATUS f_ok(void) { return STATUS_SUCCESS; }
static void f_trap(void) { fprintf(stderr, "unexpected Wdf call\n"); abort(); }

int main(int argc, char **argv)
{
    void *so;
    NTSTATUS (*entry)(PDRIVER_OBJECT, PUNICODE_STRING);
    void (*bind)(const WDFFUNC *, PWDF_DRIVER_GLOBALS);
    const WDF_OBJECT_CONTEXT_TYPE_INFO *(*b_type)(void);
    NTSTATUS status;

    for (int i = 0; i < WdfFunctionTableNumEntries; i++)
        table[i] = f_trap;
#define SET(n, f) table[n##TableIndex] = (WDFFUNC)(f)
    SET(WdfObjectGetTypedContextWorker, f_GetTypedContextWorker);
    SET(WdfObjectAllocateContext, f_AllocateContext);
    SET(WdfDriverCreate, f_DriverCreate);
    SET(WdfDeviceCreate, f_DeviceCreate);
    SET(WdfIoQueueCreate, f_QueueCreate);
    SET(WdfTimerCreate, f_TimerCreate);
    SET(WdfTimerGetParentObject, f_TimerGetParent);
    SET(WdfTimerStart, f_TimerStart);
    SET(WdfDeviceInitSetPnpPowerEventCallbacks, f_ok);
    SET(WdfDeviceInitSetIoType, f_ok);
    SET(WdfFdoInitSetDefaultChildListConfig, f_ok);
    SET(WdfDeviceSetPnpCapabilities, f_ok);
    SET(WdfDeviceSetPowerCapabilities, f_ok);
    SET(WdfDeviceAssignS0IdleSettings, f_ok);
    SET(WdfObjectReferenceActual, f_ok);
    SET(WdfObjectDereferenceActual, f_ok);
    SET(WdfDeviceCreateDeviceInterface, f_ok);

    so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        printf("dlopen: %s\n", dlerror());
        return argc > 2 ? 0 : 1; /* argc > 2: refusal expected */
    }
    entry = (NTSTATUS (*)(PDRIVER_OBJECT, PUNICODE_STRING))dlsym(so, "DriverEntry");
    bind = (void (*)(const WDFFUNC *, PWDF_DRIVER_GLOBALS))dlsym(so, "kmh_test_bind");
    b_type = (const WDF_OBJECT_CONTEXT_TYPE_INFO *(*)(void))dlsym(so, "drv_b_device_type");
    bind(table, &globals);
    status = entry(NULL, NULL);
    printf("DriverEntry 0x%08x, context lookups %d, device type from file A %s file B (%s)\n", (unsigned)status,
           calls[WdfObjectGetTypedContextWorkerTableIndex],
           b_type && device_type_seen == b_type() ? "==" : "!=", device_type_seen ? device_type_seen->ContextName : "?");
    return status == STATUS_SUCCESS && (!b_type || device_type_seen == b_type()) ? 0 : 1;
}
