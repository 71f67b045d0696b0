/*
 * The names a device is reached by: symbolic links (deleted with the
 * device, or at removal), and device interfaces, registered on the PDO
 * when the driver creates them and enabled while the device is started —
 * KMDF enables them after the start sequence and disables them at
 * removal, and WdfDeviceSetDeviceInterfaceState moves one in between.
 */
#include "fx/device_private.h"
#include "io/io.h"

#include <stdlib.h>

struct fx_symlink {
    LIST_ENTRY link;
    UNICODE_STRING name;
};

static bool copy_unicode(UNICODE_STRING *to, PCUNICODE_STRING from)
{
    memset(to, 0, sizeof(*to));
    if (!from || !from->Length)
        return true;
    if (!(to->Buffer = calloc(1, from->Length + sizeof(WCHAR))))
        return false;
    memcpy(to->Buffer, from->Buffer, from->Length);
    to->Length = from->Length;
    to->MaximumLength = (USHORT)(from->Length + sizeof(WCHAR));
    return true;
}

/* --- Symbolic links ------------------------------------------------------------ */
/* WdfDeviceCreateSymbolicLink: a link to the (named) device, removed when
 * the device is. PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INVALID_DEVICE_STATE
 * (the device has no name), STATUS_OBJECT_NAME_COLLISION,
 * STATUS_INSUFFICIENT_RESOURCES, STATUS_INVALID_PARAMETER. */
static NTSTATUS device_create_symbolic_link(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PCUNICODE_STRING SymbolicLinkName)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceCreateSymbolicLink");
    if (!device || !SymbolicLinkName || !SymbolicLinkName->Length)
        return STATUS_INVALID_PARAMETER;
    fx_check_irql(PASSIVE_LEVEL, "WdfDeviceCreateSymbolicLink");
    UNICODE_STRING *target = &io_device_of(device->wdm_device)->name;
    if (!target->Length) {
        fx_violation("WdfDeviceCreateSymbolicLink", "the device has no name (WdfDeviceInitAssignName)");
        return STATUS_INVALID_DEVICE_STATE;
    }
    struct fx_symlink *s = calloc(1, sizeof(*s));
    if (!s || !copy_unicode(&s->name, SymbolicLinkName)) {
        free(s);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    NTSTATUS status = IoCreateSymbolicLink(&s->name, target);
    if (!NT_SUCCESS(status)) {
        free(s->name.Buffer);
        free(s);
        return status;
    }
    struct fx_pnp *pnp = fx_pnp_of(device);
    pthread_mutex_lock(&pnp->lock);
    InsertTailList(&pnp->symbolic_links, &s->link);
    pthread_mutex_unlock(&pnp->lock);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDeviceCreateSymbolicLink, PFN_WDFDEVICECREATESYMBOLICLINK, device_create_symbolic_link);

void fx_device_links_delete(struct fx_device *device)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    for (;;) {
        pthread_mutex_lock(&pnp->lock);
        struct fx_symlink *s = IsListEmpty(&pnp->symbolic_links)
                                   ? NULL
                                   : CONTAINING_RECORD(RemoveHeadList(&pnp->symbolic_links), struct fx_symlink, link);
        pthread_mutex_unlock(&pnp->lock);
        if (!s)
            return;
        IoDeleteSymbolicLink(&s->name);
        free(s->name.Buffer);
        free(s);
    }
}

/* WdfDeviceRetrieveDeviceName: the WDM device's name into a WDFSTRING.
 * PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INVALID_DEVICE_STATE (no name),
 * what the string's assignment returns. */
static NTSTATUS device_retrieve_device_name(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, WDFSTRING String)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceRetrieveDeviceName");
    if (!device)
        return STATUS_INVALID_PARAMETER;
    UNICODE_STRING *name = &io_device_of(device->wdm_device)->name;
    return name->Length ? fx_string_assign(String, name) : STATUS_INVALID_DEVICE_STATE;
}
FX_EXPORT(WdfDeviceRetrieveDeviceName, PFN_WDFDEVICERETRIEVEDEVICENAME, device_retrieve_device_name);

/* --- Device interfaces --------------------------------------------------------------- */
static bool same_reference(const UNICODE_STRING *a, PCUNICODE_STRING b)
{
    USHORT blen = b ? b->Length : 0;
    if (a->Length != blen)
        return false;
    return !blen || RtlEqualUnicodeString(a, b, TRUE);
}

/* pnp->lock held. */
static struct fx_interface *interface_find(struct fx_pnp *pnp, CONST GUID *guid, PCUNICODE_STRING reference)
{
    for (PLIST_ENTRY e = pnp->interfaces.Flink; e != &pnp->interfaces; e = e->Flink) {
        struct fx_interface *i = CONTAINING_RECORD(e, struct fx_interface, link);
        if (IsEqualGUID(&i->guid, guid) && same_reference(&i->reference, reference))
            return i;
    }
    return NULL;
}

static bool device_is_started(struct fx_device *device)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    return pnp->ever_started && device->in_d0 && !pnp->removed && !pnp->surprise_removed;
}

static NTSTATUS interface_register(struct fx_device *device, CONST GUID *guid, PCUNICODE_STRING reference,
                                   struct fx_interface **out)
{
    struct fx_interface *i = calloc(1, sizeof(*i));
    if (!i || !copy_unicode(&i->reference, reference)) {
        free(i);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    i->guid = *guid;
    i->enabled = true;
    NTSTATUS status = IoRegisterDeviceInterface(device->pdo, guid, reference ? &i->reference : NULL, &i->link_name);
    if (!NT_SUCCESS(status)) {
        free(i->reference.Buffer);
        free(i);
        return status;
    }
    *out = i;
    return STATUS_SUCCESS;
}

/* WdfDeviceCreateDeviceInterface: registers an interface of the device's
 * PDO; it is enabled while the device is started. PASSIVE_LEVEL.
 * STATUS_SUCCESS (also when it exists already), STATUS_INVALID_DEVICE_REQUEST
 * (control device), what IoRegisterDeviceInterface returns. */
static NTSTATUS device_create_device_interface(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, CONST GUID *InterfaceClassGUID,
                                               PCUNICODE_STRING ReferenceString)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceCreateDeviceInterface");
    struct fx_interface *i;

    if (!device || !InterfaceClassGUID)
        return STATUS_INVALID_PARAMETER;
    if (device->kind == FX_DEVICE_CONTROL) {
        fx_violation("WdfDeviceCreateDeviceInterface", "a control device has no PDO to register interfaces on");
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    struct fx_pnp *pnp = fx_pnp_of(device);
    pthread_mutex_lock(&pnp->lock);
    bool exists = interface_find(pnp, InterfaceClassGUID, ReferenceString) != NULL;
    pthread_mutex_unlock(&pnp->lock);
    if (exists)
        return STATUS_SUCCESS;
    NTSTATUS status = interface_register(device, InterfaceClassGUID, ReferenceString, &i);
    if (!NT_SUCCESS(status))
        return status;
    pthread_mutex_lock(&pnp->lock);
    InsertTailList(&pnp->interfaces, &i->link);
    pthread_mutex_unlock(&pnp->lock);
    if (device_is_started(device))
        IoSetDeviceInterfaceState(&i->link_name, TRUE);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDeviceCreateDeviceInterface, PFN_WDFDEVICECREATEDEVICEINTERFACE, device_create_device_interface);

/* WdfDeviceSetDeviceInterfaceState: enables or disables one interface
 * (kept across stop and restart). PASSIVE_LEVEL. */
static void device_set_device_interface_state(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, CONST GUID *InterfaceClassGUID,
                                              PCUNICODE_STRING ReferenceString, BOOLEAN IsInterfaceEnabled)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceSetDeviceInterfaceState");
    if (!device || !InterfaceClassGUID)
        return;
    struct fx_pnp *pnp = fx_pnp_of(device);
    pthread_mutex_lock(&pnp->lock);
    struct fx_interface *i = interface_find(pnp, InterfaceClassGUID, ReferenceString);
    if (i)
        i->enabled = IsInterfaceEnabled;
    pthread_mutex_unlock(&pnp->lock);
    if (!i) {
        fx_violation("WdfDeviceSetDeviceInterfaceState", "no such interface (WdfDeviceCreateDeviceInterface first)");
        return;
    }
    if (!IsInterfaceEnabled || device_is_started(device))
        IoSetDeviceInterfaceState(&i->link_name, IsInterfaceEnabled);
}
FX_EXPORT(WdfDeviceSetDeviceInterfaceState, PFN_WDFDEVICESETDEVICEINTERFACESTATE, device_set_device_interface_state);

/* WdfDeviceRetrieveDeviceInterfaceString: the interface's symbolic link
 * name into a WDFSTRING. PASSIVE_LEVEL. STATUS_SUCCESS,
 * STATUS_OBJECT_NAME_NOT_FOUND (no such interface), the string's statuses. */
static NTSTATUS device_retrieve_device_interface_string(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                                        CONST GUID *InterfaceClassGUID,
                                                        PCUNICODE_STRING ReferenceString, WDFSTRING String)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceRetrieveDeviceInterfaceString");
    if (!device || !InterfaceClassGUID)
        return STATUS_INVALID_PARAMETER;
    struct fx_pnp *pnp = fx_pnp_of(device);
    pthread_mutex_lock(&pnp->lock);
    struct fx_interface *i = interface_find(pnp, InterfaceClassGUID, ReferenceString);
    pthread_mutex_unlock(&pnp->lock);
    return i ? fx_string_assign(String, &i->link_name) : STATUS_OBJECT_NAME_NOT_FOUND;
}
FX_EXPORT(WdfDeviceRetrieveDeviceInterfaceString, PFN_WDFDEVICERETRIEVEDEVICEINTERFACESTRING,
          device_retrieve_device_interface_string);

void fx_device_interfaces_set_all(struct fx_device *device, bool enable)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    for (PLIST_ENTRY e = pnp->interfaces.Flink; e != &pnp->interfaces; e = e->Flink) {
        struct fx_interface *i = CONTAINING_RECORD(e, struct fx_interface, link);
        if (i->enabled)
            IoSetDeviceInterfaceState(&i->link_name, enable);
    }
}

void fx_device_interfaces_free(struct fx_device *device)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    while (!IsListEmpty(&pnp->interfaces)) {
        struct fx_interface *i = CONTAINING_RECORD(RemoveHeadList(&pnp->interfaces), struct fx_interface, link);
        IoSetDeviceInterfaceState(&i->link_name, FALSE);
        ExFreePool(i->link_name.Buffer);
        free(i->reference.Buffer);
        free(i);
    }
}
