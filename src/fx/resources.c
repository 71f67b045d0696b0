/*
 * WDFCMRESLIST: the resource lists EvtDevicePrepareHardware and
 * EvtDeviceReleaseHardware receive, copied from IRP_MN_START_DEVICE's
 * CM_RESOURCE_LISTs (every partial descriptor of every full descriptor,
 * in order). kmhost devices have no hardware, so the lists are empty
 * unless a bus driver hands its children resources. They belong to the
 * device and live from the start to the release of hardware.
 */
#include "fx/device_private.h"

#include <stdlib.h>

struct fx_cmreslist {
    struct fx_object object;
    CM_PARTIAL_RESOURCE_DESCRIPTOR *descriptors;
    ULONG count;
};

static void cmreslist_destroy(struct fx_object *object)
{
    free(((struct fx_cmreslist *)object)->descriptors);
}

const struct fx_type_ops fx_ops_cmreslist = {
    .name = "WDFCMRESLIST",
    .driver_may_delete = false,
    .destroy = cmreslist_destroy,
};

static ULONG partial_count(PCM_RESOURCE_LIST list)
{
    ULONG count = 0;
    PCM_FULL_RESOURCE_DESCRIPTOR full = list ? list->List : NULL;
    for (ULONG i = 0; list && i < list->Count; i++) {
        count += full->PartialResourceList.Count;
        full = (PCM_FULL_RESOURCE_DESCRIPTOR)(full->PartialResourceList.PartialDescriptors +
                                              full->PartialResourceList.Count);
    }
    return count;
}

static NTSTATUS cmreslist_new(struct fx_device *device, PCM_RESOURCE_LIST list, WDFCMRESLIST *out)
{
    NTSTATUS status;
    ULONG count = partial_count(list), n = 0;
    struct fx_cmreslist *r = fx_object_new(device->object.globals, FX_TYPE_CMRESLIST, sizeof(*r), NULL,
                                           &device->object, &status);
    if (!r)
        return status;
    if (count && !(r->descriptors = calloc(count, sizeof(*r->descriptors)))) {
        fx_object_delete(&r->object);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    PCM_FULL_RESOURCE_DESCRIPTOR full = list ? list->List : NULL;
    for (ULONG i = 0; list && i < list->Count; i++) {
        PCM_PARTIAL_RESOURCE_LIST partial = &full->PartialResourceList;
        memcpy(r->descriptors + n, partial->PartialDescriptors, partial->Count * sizeof(*r->descriptors));
        n += partial->Count;
        full = (PCM_FULL_RESOURCE_DESCRIPTOR)(partial->PartialDescriptors + partial->Count);
    }
    r->count = count;
    *out = (WDFCMRESLIST)r->object.handle;
    return STATUS_SUCCESS;
}

NTSTATUS fx_cmreslists_new(struct fx_device *device, PCM_RESOURCE_LIST raw, PCM_RESOURCE_LIST translated)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    fx_cmreslists_delete(device);
    NTSTATUS status = cmreslist_new(device, raw, &pnp->raw);
    if (NT_SUCCESS(status))
        status = cmreslist_new(device, translated, &pnp->translated);
    if (!NT_SUCCESS(status))
        fx_cmreslists_delete(device);
    return status;
}

void fx_cmreslists_delete(struct fx_device *device)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    WDFCMRESLIST lists[2] = { pnp->raw, pnp->translated };
    pnp->raw = pnp->translated = NULL;
    for (int i = 0; i < 2; i++) {
        struct fx_object *o = lists[i] ? fx_handle_object(lists[i], FX_TYPE_CMRESLIST, "WDFCMRESLIST") : NULL;
        if (o)
            fx_object_delete(o);
    }
}

/* WdfCmResourceListGetCount: how many partial descriptors. <= DISPATCH_LEVEL. */
static ULONG cm_resource_list_get_count(PWDF_DRIVER_GLOBALS g, WDFCMRESLIST List)
{
    (void)g;
    struct fx_cmreslist *r = FX_LOOKUP(fx_cmreslist, FX_TYPE_CMRESLIST, List, "WdfCmResourceListGetCount");
    return r ? r->count : 0;
}
FX_EXPORT(WdfCmResourceListGetCount, PFN_WDFCMRESOURCELISTGETCOUNT, cm_resource_list_get_count);

/* WdfCmResourceListGetDescriptor: the Index-th partial descriptor, or NULL
 * past the end. <= DISPATCH_LEVEL. */
static PCM_PARTIAL_RESOURCE_DESCRIPTOR cm_resource_list_get_descriptor(PWDF_DRIVER_GLOBALS g, WDFCMRESLIST List,
                                                                       ULONG Index)
{
    (void)g;
    struct fx_cmreslist *r = FX_LOOKUP(fx_cmreslist, FX_TYPE_CMRESLIST, List, "WdfCmResourceListGetDescriptor");
    if (!r || Index >= r->count)
        return NULL;
    return &r->descriptors[Index];
}
FX_EXPORT(WdfCmResourceListGetDescriptor, PFN_WDFCMRESOURCELISTGETDESCRIPTOR, cm_resource_list_get_descriptor);
