/*
 * PDO init blocks: WdfPdoInitAllocate and the WdfPdoInit* methods a bus
 * driver fills before WdfDeviceCreate (IDs, device text, raw mode,
 * forwarding to the parent, the PDO callbacks), and the hand-over of
 * those settings to the WDFDEVICE when WdfDeviceCreate consumes the init.
 * Every method is for PASSIVE_LEVEL and a PDO's init only: an FDO's or
 * control device's init is refused with STATUS_INVALID_DEVICE_REQUEST, as
 * KMDF does, and reported.
 */
#include "fx/bus_private.h"

#include <stdlib.h>

/* --- The settings ----------------------------------------------------------- */
static void id_array_free(WCHAR **ids)
{
    for (size_t i = 0; ids && ids[i]; i++)
        free(ids[i]);
    free(ids);
}

void fx_pdo_free(struct fx_pdo *pdo)
{
    if (!pdo)
        return;
    free(pdo->device_id);
    free(pdo->instance_id);
    free(pdo->container_id);
    id_array_free(pdo->hardware_ids);
    id_array_free(pdo->compatible_ids);
    for (struct fx_pdo_text *t = pdo->texts, *next; t; t = next) {
        next = t->next;
        free(t->description);
        free(t->location);
        free(t);
    }
    free(pdo);
}

/* A NUL-terminated copy of a counted string; NULL when out of memory. */
static WCHAR *wcs_copy(PCUNICODE_STRING s)
{
    size_t chars = s->Length / sizeof(WCHAR);
    WCHAR *copy = malloc((chars + 1) * sizeof(WCHAR));
    if (copy) {
        memcpy(copy, s->Buffer, chars * sizeof(WCHAR));
        copy[chars] = 0;
    }
    return copy;
}

static bool string_ok(PCUNICODE_STRING s)
{
    return s && s->Buffer && s->Length && !(s->Length & 1) && s->Length <= s->MaximumLength;
}

/* --- Hand-over to the device ----------------------------------------------- */
static const WDF_OBJECT_CONTEXT_TYPE_INFO pdo_context_type = {
    .Size = sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO),
    .ContextName = "kmhost PDO state",
    .ContextSize = sizeof(struct fx_pdo *),
    .UniqueType = &pdo_context_type,
};

/* The WDFDEVICE is being deleted: it leaves its child list. */
static void pdo_context_cleanup(WDFOBJECT handle)
{
    struct fx_device *device = FX_LOOKUP(fx_device, FX_TYPE_DEVICE, handle, "WDFDEVICE");
    if (device && device->pdo_state)
        fx_child_list_pdo_deleted(device->pdo_state);
}

/* The WDFDEVICE's memory goes: so do its settings. */
static void pdo_context_destroy(WDFOBJECT handle)
{
    struct fx_device *device = FX_LOOKUP(fx_device, FX_TYPE_DEVICE, handle, "WDFDEVICE");
    if (!device)
        return;
    struct fx_pdo *pdo = device->pdo_state;
    device->pdo_state = NULL;
    device->pdo_ops = NULL;
    fx_pdo_free(pdo);
}

/* A PDO the driver may still delete (WdfObjectDelete) until it joins a
 * child list, as WdfFdoAddStaticChild documents: the device's own
 * operations with deletion allowed. */
static struct fx_type_ops pdo_deletable_ops;
static pthread_once_t pdo_ops_once = PTHREAD_ONCE_INIT;

static void pdo_ops_init(void)
{
    pdo_deletable_ops = fx_ops_device;
    pdo_deletable_ops.driver_may_delete = true;
}

static void adopt(struct fx_pdo *pdo, struct fx_device *device)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    struct fx_pdo **slot = NULL;

    pdo->device = device;
    device->pdo_state = pdo;
    device->pdo_ops = &fx_pdo_ops_table;
    fx_bus_context_attributes(&attributes, &pdo_context_type, pdo_context_cleanup, pdo_context_destroy);
    if (!NT_SUCCESS(fx_object_add_context(&device->object, &attributes, (void **)&slot)))
        fx_violation("WdfDeviceCreate", "out of memory tracking a PDO: its settings will leak");
    else
        *slot = pdo;
    if (!pdo->device_id)
        fx_violation("WdfDeviceCreate", "a PDO needs a device ID (WdfPdoInitAssignDeviceID)");
    /* Ready for the PnP manager (and opens) once reported. */
    device->wdm_device->Flags &= ~DO_DEVICE_INITIALIZING;
    /* Room for the IRPs a PDO forwards to its parent's stack. */
    if (pdo->forward_to_parent && pdo->parent)
        device->wdm_device->StackSize += pdo->parent->wdm_device->StackSize;
    if (pdo->child) {
        /* Made by EvtChildListCreateDevice: its entry gets it now, so the
         * rest of the callback may already look the description up. */
        struct fx_child_list *list = pdo->child->list;
        pthread_mutex_lock(&list->lock);
        fx_object_ref(&device->object);
        pdo->child->pdo = device;
        pthread_mutex_unlock(&list->lock);
    } else if (!pdo->creator_holds) {
        pthread_once(&pdo_ops_once, pdo_ops_init);
        device->object.ops = &pdo_deletable_ops;
    }
}

/* WDFDEVICE_INIT's pdo_init_free: the init is going away, consumed by
 * WdfDeviceCreate (the settings go to the device) or not. */
static void pdo_init_release(void *p)
{
    struct fx_pdo *pdo = p;
    PWDFDEVICE_INIT init = pdo->init;

    pdo->init = NULL;
    if (init && init->created && init->device)
        adopt(pdo, init->device);
    else if (!pdo->creator_holds)
        fx_pdo_free(pdo);
}

PWDFDEVICE_INIT fx_pdo_init_new(struct fx_globals *globals, struct fx_device *parent, struct fx_pdo **out)
{
    struct fx_pdo *pdo = calloc(1, sizeof(*pdo));
    if (!pdo)
        return NULL;
    PWDFDEVICE_INIT init = fx_device_init_new(globals, parent->driver, FX_DEVICE_PDO, NULL, parent);
    if (!init) {
        free(pdo);
        return NULL;
    }
    pdo->init = init;
    pdo->parent = parent;
    pdo->cb.Size = sizeof(pdo->cb);
    init->pdo_init = pdo;
    init->pdo_init_free = pdo_init_release;
    /* A bus has no paging path of its own: as KMDF, PDOs start pageable. */
    if (out)
        *out = pdo;
    return init;
}

/* The PDO settings of an init a DDI got, or NULL (reported). */
static struct fx_pdo *pdo_init(PWDFDEVICE_INIT init, const char *ddi)
{
    if (!fx_device_init_check(init, ddi))
        return NULL;
    if (init->kind != FX_DEVICE_PDO || !init->pdo_init) {
        fx_violation(ddi, "the PWDFDEVICE_INIT is not a PDO's (use WdfPdoInitAllocate or EvtChildListCreateDevice's)");
        return NULL;
    }
    return init->pdo_init;
}

/* --- The DDIs ----------------------------------------------------------------- */
/* WdfPdoInitAllocate: an init for a PDO of ParentDevice, a bus FDO (for
 * static children; dynamic ones get theirs in EvtChildListCreateDevice).
 * PASSIVE_LEVEL. NULL for a bad parent or out of memory. */
static PWDFDEVICE_INIT pdo_init_allocate(PWDF_DRIVER_GLOBALS g, WDFDEVICE ParentDevice)
{
    struct fx_device *parent = fx_device_lookup(ParentDevice, "WdfPdoInitAllocate");

    if (!parent || !fx_check_irql(PASSIVE_LEVEL, "WdfPdoInitAllocate"))
        return NULL;
    if (!fx_device_has_lower(parent)) {
        fx_violation("WdfPdoInitAllocate", "the parent of a PDO must be a function or filter device");
        return NULL;
    }
    return fx_pdo_init_new(fx_globals_of(g), parent, NULL);
}
FX_EXPORT(WdfPdoInitAllocate, PFN_WDFPDOINITALLOCATE, pdo_init_allocate);

/* WdfPdoInitSetEventCallbacks: the PDO's bus callbacks (resources, eject,
 * lock, wake at bus, reported missing). PASSIVE_LEVEL. */
static void pdo_init_set_event_callbacks(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                         PWDF_PDO_EVENT_CALLBACKS DispatchTable)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitSetEventCallbacks");
    if (!pdo)
        return;
    if (!DispatchTable || DispatchTable->Size > sizeof(*DispatchTable) ||
        DispatchTable->Size < offsetof(WDF_PDO_EVENT_CALLBACKS, EvtDeviceReportedMissing)) {
        fx_violation("WdfPdoInitSetEventCallbacks", "bad WDF_PDO_EVENT_CALLBACKS (use WDF_PDO_EVENT_CALLBACKS_INIT)");
        return;
    }
    memset(&pdo->cb, 0, sizeof(pdo->cb));
    memcpy(&pdo->cb, DispatchTable, DispatchTable->Size);
}
FX_EXPORT(WdfPdoInitSetEventCallbacks, PFN_WDFPDOINITSETEVENTCALLBACKS, pdo_init_set_event_callbacks);

/* One ID replacing another. The DDIs return STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (not a PDO's
 * init) or STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS assign_id(PCUNICODE_STRING id, WCHAR **field, const char *ddi)
{
    if (!string_ok(id)) {
        fx_violation(ddi, "the ID is not a valid, non-empty UNICODE_STRING");
        return STATUS_INVALID_PARAMETER;
    }
    WCHAR *copy = wcs_copy(id);
    if (!copy)
        return STATUS_INSUFFICIENT_RESOURCES;
    free(*field);
    *field = copy;
    return STATUS_SUCCESS;
}

/* One ID more at the end of a list. Statuses as assign_id's. */
static NTSTATUS add_id(PCUNICODE_STRING id, WCHAR ***list, const char *ddi)
{
    size_t n = 0;

    if (!string_ok(id)) {
        fx_violation(ddi, "the ID is not a valid, non-empty UNICODE_STRING");
        return STATUS_INVALID_PARAMETER;
    }
    while (*list && (*list)[n])
        n++;
    WCHAR *copy = wcs_copy(id);
    WCHAR **more = copy ? realloc(*list, (n + 2) * sizeof(**list)) : NULL;
    if (!more) {
        free(copy);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    more[n] = copy;
    more[n + 1] = NULL;
    *list = more;
    return STATUS_SUCCESS;
}

/* WdfPdoInitAssignDeviceID: the device ID (BusQueryDeviceID), required. */
static NTSTATUS pdo_init_assign_device_id(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING DeviceID)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitAssignDeviceID");
    return pdo ? assign_id(DeviceID, &pdo->device_id, "WdfPdoInitAssignDeviceID")
               : STATUS_INVALID_DEVICE_REQUEST;
}
FX_EXPORT(WdfPdoInitAssignDeviceID, PFN_WDFPDOINITASSIGNDEVICEID, pdo_init_assign_device_id);

/* WdfPdoInitAssignInstanceID: the instance ID (BusQueryInstanceID). */
static NTSTATUS pdo_init_assign_instance_id(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                            PCUNICODE_STRING InstanceID)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitAssignInstanceID");
    return pdo ? assign_id(InstanceID, &pdo->instance_id, "WdfPdoInitAssignInstanceID")
               : STATUS_INVALID_DEVICE_REQUEST;
}
FX_EXPORT(WdfPdoInitAssignInstanceID, PFN_WDFPDOINITASSIGNINSTANCEID, pdo_init_assign_instance_id);

/* WdfPdoInitAssignContainerID: the container ID (BusQueryContainerID). */
static NTSTATUS pdo_init_assign_container_id(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                             PCUNICODE_STRING ContainerID)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitAssignContainerID");
    return pdo ? assign_id(ContainerID, &pdo->container_id, "WdfPdoInitAssignContainerID")
               : STATUS_INVALID_DEVICE_REQUEST;
}
FX_EXPORT(WdfPdoInitAssignContainerID, PFN_WDFPDOINITASSIGNCONTAINERID, pdo_init_assign_container_id);

/* WdfPdoInitAddHardwareID: one more hardware ID, most specific first. */
static NTSTATUS pdo_init_add_hardware_id(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING HardwareID)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitAddHardwareID");
    return pdo ? add_id(HardwareID, &pdo->hardware_ids, "WdfPdoInitAddHardwareID")
               : STATUS_INVALID_DEVICE_REQUEST;
}
FX_EXPORT(WdfPdoInitAddHardwareID, PFN_WDFPDOINITADDHARDWAREID, pdo_init_add_hardware_id);

/* WdfPdoInitAddCompatibleID: one more compatible ID, most specific first. */
static NTSTATUS pdo_init_add_compatible_id(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                           PCUNICODE_STRING CompatibleID)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitAddCompatibleID");
    return pdo ? add_id(CompatibleID, &pdo->compatible_ids, "WdfPdoInitAddCompatibleID")
               : STATUS_INVALID_DEVICE_REQUEST;
}
FX_EXPORT(WdfPdoInitAddCompatibleID, PFN_WDFPDOINITADDCOMPATIBLEID, pdo_init_add_compatible_id);

/* WdfPdoInitAddDeviceText: the description and location for one locale
 * (a second call for the same locale replaces them). STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (not a PDO's
 * init), STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS pdo_init_add_device_text(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                         PCUNICODE_STRING DeviceDescription, PCUNICODE_STRING DeviceLocation,
                                         LCID LocaleId)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitAddDeviceText");
    if (!pdo)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!string_ok(DeviceDescription) || (DeviceLocation && DeviceLocation->Length && !string_ok(DeviceLocation))) {
        fx_violation("WdfPdoInitAddDeviceText", "bad description or location string");
        return STATUS_INVALID_PARAMETER;
    }
    struct fx_pdo_text *t = calloc(1, sizeof(*t));
    if (!t || !(t->description = wcs_copy(DeviceDescription)) ||
        (DeviceLocation && DeviceLocation->Length && !(t->location = wcs_copy(DeviceLocation)))) {
        if (t)
            free(t->description);
        free(t);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    t->locale = LocaleId;
    /* Newest first, so a lookup finds the latest text of a locale. */
    t->next = pdo->texts;
    pdo->texts = t;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfPdoInitAddDeviceText, PFN_WDFPDOINITADDDEVICETEXT, pdo_init_add_device_text);

/* WdfPdoInitSetDefaultLocale: whose text answers a locale the PDO has none for. */
static void pdo_init_set_default_locale(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, LCID LocaleId)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitSetDefaultLocale");
    if (pdo) {
        pdo->default_locale = LocaleId;
        pdo->has_default_locale = true;
    }
}
FX_EXPORT(WdfPdoInitSetDefaultLocale, PFN_WDFPDOINITSETDEFAULTLOCALE, pdo_init_set_default_locale);

/* WdfPdoInitAssignRawDevice: the PDO may run without a function driver
 * (reported as RawDeviceOK); DeviceClassGuid names the class whose
 * registry overrides apply. STATUS_SUCCESS or STATUS_INVALID_PARAMETER. */
static NTSTATUS pdo_init_assign_raw_device(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                           CONST GUID *DeviceClassGuid)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitAssignRawDevice");
    if (!pdo || !DeviceClassGuid)
        return STATUS_INVALID_PARAMETER;
    pdo->raw = true;
    pdo->raw_class = *DeviceClassGuid;
    DeviceInit->class_guid = *DeviceClassGuid;
    DeviceInit->has_class_guid = true;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfPdoInitAssignRawDevice, PFN_WDFPDOINITASSIGNRAWDEVICE, pdo_init_assign_raw_device);

/* WdfPdoInitAllowForwardingRequestToParent: the PDO's queues may forward
 * requests to the parent's (WdfRequestForwardToParentDeviceIoQueue); the
 * PDO gets the stack locations that takes. */
static void pdo_init_allow_forwarding(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit)
{
    (void)g;
    struct fx_pdo *pdo = pdo_init(DeviceInit, "WdfPdoInitAllowForwardingRequestToParent");
    if (pdo)
        pdo->forward_to_parent = true;
}
FX_EXPORT(WdfPdoInitAllowForwardingRequestToParent, PFN_WDFPDOINITALLOWFORWARDINGREQUESTTOPARENT,
          pdo_init_allow_forwarding);

/* WdfPdoInitRemovePowerDependencyOnParent: the child may be in D0 while
 * its parent is not. Nothing to do here: no device idles in kmhost. */
static void pdo_init_remove_power_dependency(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit)
{
    (void)g;
    (void)pdo_init(DeviceInit, "WdfPdoInitRemovePowerDependencyOnParent");
}
FX_EXPORT(WdfPdoInitRemovePowerDependencyOnParent, PFN_WDFPDOINITREMOVEPOWERDEPENDENCYONPARENT,
          pdo_init_remove_power_dependency);
