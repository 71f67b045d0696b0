/*
 * Device interfaces: a PDO registers an interface class, the PnP manager
 * names it \??\<instance path with # for \>#{class}[\reference], records it
 * under Control\DeviceClasses, and enabling it makes that name a symbolic
 * link to the PDO, which is how programs open the device through
 * SetupDiGetClassDevs and CreateFile.
 */
#include "pnp/pnp_private.h"
#include "nt/registry.h"
#include "nt/regstore.h"

#include <stdio.h>
#include <stdlib.h>

#define DEVICE_CLASSES_PATH "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\DeviceClasses\\"

struct interface {
    LIST_ENTRY link;
    GUID class_guid;
    UNICODE_STRING name;     /* \??\ROOT#TOASTER#0000#{...}[\ref] */
    PDEVICE_OBJECT pdo;      /* not referenced: disabled and dropped at removal */
    bool enabled;
};

static LIST_ENTRY interfaces = { &interfaces, &interfaces };
static pthread_mutex_t interface_lock = PTHREAD_MUTEX_INITIALIZER;

static void guid_text(const GUID *g, char out[39])
{
    snprintf(out, 39, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned)g->Data1, g->Data2, g->Data3,
             g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
             g->Data4[7]);
}

/* \??\<instance path, backslashes as #>#{class}[\reference] */
static char *interface_link_text(const char *instance_path, const GUID *guid, const UNICODE_STRING *reference)
{
    char guid_str[39], *ref = NULL;
    size_t size = strlen(instance_path) + 64;

    guid_text(guid, guid_str);
    if (reference && reference->Length) {
        WCHAR *tmp = calloc(reference->Length / sizeof(WCHAR) + 1, sizeof(WCHAR));
        if (tmp) {
            memcpy(tmp, reference->Buffer, reference->Length);
            ref = pnp_utf16_to_utf8(tmp);
            free(tmp);
        }
        size += ref ? strlen(ref) + 1 : 0;
    }
    char *text = malloc(size);
    if (text) {
        int prefix = snprintf(text, size, "\\??\\%s", instance_path);
        for (char *c = text + 4; c < text + prefix; c++)
            if (*c == '\\')
                *c = '#';
        snprintf(text + prefix, size - (size_t)prefix, "#%s%s%s", guid_str, ref ? "\\" : "", ref ? ref : "");
    }
    free(ref);
    return text;
}

static struct interface *find_interface(const UNICODE_STRING *name)
{
    for (PLIST_ENTRY e = interfaces.Flink; e != &interfaces; e = e->Flink) {
        struct interface *i = CONTAINING_RECORD(e, struct interface, link);
        if (RtlEqualUnicodeString(&i->name, name, TRUE))
            return i;
    }
    return NULL;
}

/* Records the interface in the registry, as Windows keeps registrations
 * across boots (the link itself lives only while the device runs). */
static void interface_persist(const GUID *guid, const char *link_text, const char *instance_path)
{
    struct regstore *rs = nt_registry();
    struct regstore_key key;
    char guid_str[39], path[768];
    WCHAR *instance = pnp_utf8_to_utf16(instance_path);

    guid_text(guid, guid_str);
    snprintf(path, sizeof(path), DEVICE_CLASSES_PATH "%s\\##?#%s", guid_str, link_text + 4);
    if (rs && instance && regstore_key_create(rs, REGSTORE_KEY_NONE, path, 0, &key, NULL) == 0)
        regstore_value_set(rs, key, "DeviceInstance", REG_SZ, instance,
                           (pnp_wcslen(instance) + 1) * sizeof(WCHAR));
    free(instance);
}

static NTSTATUS copy_name_out(const UNICODE_STRING *name, PUNICODE_STRING out)
{
    /* The driver frees it with RtlFreeUnicodeString, which expects the
     * Rtl string tag. */
    out->Buffer = ExAllocatePool2(POOL_FLAG_PAGED, name->MaximumLength, NT_STRING_POOL_TAG);
    if (!out->Buffer)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(out->Buffer, name->Buffer, name->MaximumLength);
    out->Length = name->Length;
    out->MaximumLength = name->MaximumLength;
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS IoRegisterDeviceInterface(PDEVICE_OBJECT PhysicalDeviceObject, const GUID *InterfaceClassGuid,
                                              PUNICODE_STRING ReferenceString, PUNICODE_STRING SymbolicLinkName)
{
    struct pnp_node *node = io_device_of(PhysicalDeviceObject)->pnp_node;
    char *text;
    NTSTATUS status;

    if (!node || !node->instance_path)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!(text = interface_link_text(node->instance_path, InterfaceClassGuid, ReferenceString)))
        return STATUS_INSUFFICIENT_RESOURCES;
    WCHAR *wide = pnp_utf8_to_utf16(text);
    pthread_mutex_lock(&interface_lock);
    UNICODE_STRING name = { 0 };
    if (wide)
        RtlInitUnicodeString(&name, wide);
    struct interface *existing = wide ? find_interface(&name) : NULL;
    if (existing || !wide) {
        status = wide ? copy_name_out(&existing->name, SymbolicLinkName) : STATUS_INSUFFICIENT_RESOURCES;
        free(wide);
    } else {
        struct interface *i = calloc(1, sizeof(*i));
        status = i ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
        if (i) {
            i->class_guid = *InterfaceClassGuid;
            i->name = name;
            i->pdo = PhysicalDeviceObject;
            InsertTailList(&interfaces, &i->link);
            interface_persist(InterfaceClassGuid, text, node->instance_path);
            status = copy_name_out(&i->name, SymbolicLinkName);
        } else {
            free(wide);
        }
    }
    pthread_mutex_unlock(&interface_lock);
    free(text);
    return status;
}

KMH_EXPORT NTSTATUS IoSetDeviceInterfaceState(PUNICODE_STRING SymbolicLinkName, BOOLEAN Enable)
{
    NTSTATUS status = STATUS_OBJECT_NAME_NOT_FOUND;
    GUID guid;
    bool changed = false;

    pthread_mutex_lock(&interface_lock);
    struct interface *i = find_interface(SymbolicLinkName);
    if (i && Enable && i->enabled) {
        status = STATUS_OBJECT_NAME_EXISTS;
    } else if (i && Enable) {
        status = io_ns_create_link(&i->name, &io_device_of(i->pdo)->name);
        changed = i->enabled = NT_SUCCESS(status);
    } else if (i && i->enabled) {
        io_ns_delete_link(&i->name);
        i->enabled = false;
        changed = true;
        status = STATUS_SUCCESS;
    } else if (i) {
        status = STATUS_SUCCESS;
    }
    if (i)
        guid = i->class_guid;
    pthread_mutex_unlock(&interface_lock);
    if (changed)
        pnp_notify_interface(&guid, SymbolicLinkName, Enable);
    return status;
}

void pnp_interfaces_disable_for(PDEVICE_OBJECT pdo)
{
    for (;;) {
        UNICODE_STRING name = { 0 };
        pthread_mutex_lock(&interface_lock);
        for (PLIST_ENTRY e = interfaces.Flink; e != &interfaces; e = e->Flink) {
            struct interface *i = CONTAINING_RECORD(e, struct interface, link);
            if (i->pdo == pdo && i->enabled) {
                name = i->name;
                break;
            }
        }
        pthread_mutex_unlock(&interface_lock);
        if (!name.Buffer)
            break;
        IoSetDeviceInterfaceState(&name, FALSE);
    }
    /* The registration outlives the device in the registry, not here. */
    pthread_mutex_lock(&interface_lock);
    for (PLIST_ENTRY e = interfaces.Flink; e != &interfaces;) {
        struct interface *i = CONTAINING_RECORD(e, struct interface, link);
        e = e->Flink;
        if (i->pdo == pdo) {
            RemoveEntryList(&i->link);
            free(i->name.Buffer);
            free(i);
        }
    }
    pthread_mutex_unlock(&interface_lock);
}

void pnp_interfaces_cleanup(void)
{
    pthread_mutex_lock(&interface_lock);
    while (!IsListEmpty(&interfaces)) {
        struct interface *i = CONTAINING_RECORD(RemoveHeadList(&interfaces), struct interface, link);
        if (i->enabled)
            io_ns_delete_link(&i->name);
        free(i->name.Buffer);
        free(i);
    }
    pthread_mutex_unlock(&interface_lock);
}

void pnp_for_each_interface(const GUID *class_guid, void (*fn)(const UNICODE_STRING *link, void *ctx), void *ctx)
{
    pthread_mutex_lock(&interface_lock);
    for (PLIST_ENTRY e = interfaces.Flink; e != &interfaces; e = e->Flink) {
        struct interface *i = CONTAINING_RECORD(e, struct interface, link);
        if (i->enabled && (!class_guid || IsEqualGUID(&i->class_guid, class_guid)))
            fn(&i->name, ctx);
    }
    pthread_mutex_unlock(&interface_lock);
}

KMH_EXPORT NTSTATUS IoGetDeviceInterfaces(const GUID *InterfaceClassGuid, PDEVICE_OBJECT PhysicalDeviceObject,
                                          ULONG Flags, PZZWSTR *SymbolicLinkList)
{
    size_t chars = 1;
    WCHAR *list = NULL, *p = NULL;

    pthread_mutex_lock(&interface_lock);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && !(list = p = ExAllocatePool2(POOL_FLAG_PAGED, chars * sizeof(WCHAR), 'IpnP'))) {
            pthread_mutex_unlock(&interface_lock);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        for (PLIST_ENTRY e = interfaces.Flink; e != &interfaces; e = e->Flink) {
            struct interface *i = CONTAINING_RECORD(e, struct interface, link);
            if (!IsEqualGUID(&i->class_guid, InterfaceClassGuid) ||
                (PhysicalDeviceObject && i->pdo != PhysicalDeviceObject) ||
                (!i->enabled && !(Flags & DEVICE_INTERFACE_INCLUDE_NONACTIVE)))
                continue;
            size_t n = i->name.Length / sizeof(WCHAR);
            if (pass == 0) {
                chars += n + 1;
            } else {
                memcpy(p, i->name.Buffer, n * sizeof(WCHAR));
                p += n;
                *p++ = 0;
            }
        }
    }
    *p = 0;
    pthread_mutex_unlock(&interface_lock);
    *SymbolicLinkList = list;
    return STATUS_SUCCESS;
}
