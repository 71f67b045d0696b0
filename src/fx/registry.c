/*
 * WDFKEY: a framework object owning a registry key handle, and the ways a
 * driver gets one — by path or relative to another WDFKEY, its service's
 * Parameters key, its device's hardware or software key — plus removing
 * keys and values. Everything goes through the Zw registry DDIs, so their
 * statuses (STATUS_OBJECT_NAME_NOT_FOUND, STATUS_ACCESS_DENIED ...) reach
 * the driver unchanged. A WDFKEY belongs to the driver unless the
 * attributes name another parent, as in KMDF; its handle is closed when
 * the object is deleted (WdfRegistryClose, WdfObjectDelete or its parent).
 * The typed value queries and assignments are in registry_value.c.
 */
#include "fx/fx.h"
#include "fx/support.h"

static void key_dispose(struct fx_object *object)
{
    struct fx_key *key = (struct fx_key *)object;
    if (key->handle)
        ZwClose(key->handle);
    key->handle = NULL;
}

const struct fx_type_ops fx_ops_key = {
    .name = "WDFKEY",
    .driver_may_delete = true,
    .cleanup_at_passive = true,    /* ZwClose is a PASSIVE_LEVEL call */
    .dispose = key_dispose,
};

NTSTATUS fx_key_new_from_handle(struct fx_globals *globals, HANDLE handle, PWDF_OBJECT_ATTRIBUTES attributes,
                                WDFKEY *out)
{
    NTSTATUS status;
    struct fx_key *key = NULL;

    *out = NULL;
    status = fx_attributes_check_levels(attributes, false, "WDFKEY");
    if (NT_SUCCESS(status))
        key = fx_object_new(globals, FX_TYPE_KEY, sizeof(*key), attributes,
                            globals->driver ? &globals->driver->object : NULL, &status);
    if (!key) {
        ZwClose(handle);
        return status;
    }
    key->handle = handle;
    *out = (WDFKEY)key->object.handle;
    return STATUS_SUCCESS;
}

struct fx_key *fx_key_lookup(WDFKEY handle, const char *ddi)
{
    struct fx_key *key = FX_LOOKUP(fx_key, FX_TYPE_KEY, handle, ddi);
    if (key && !key->handle) {
        fx_violation(ddi, "WDFKEY %p has been closed", (void *)handle);
        return NULL;
    }
    return key;
}

/* What WdfRegistryOpenKey and WdfRegistryCreateKey check before touching
 * the registry; on success *parent is the handle names are relative to. */
static NTSTATUS open_prologue(WDFKEY ParentKey, PCUNICODE_STRING KeyName, WDFKEY *Key, const char *ddi,
                              HANDLE *parent)
{
    *parent = NULL;
    if (!KeyName || !Key) {
        fx_violation(ddi, "KeyName and Key are required");
        return STATUS_INVALID_PARAMETER;
    }
    *Key = NULL;
    if (ParentKey) {
        struct fx_key *key = fx_key_lookup(ParentKey, ddi);
        if (!key)
            return STATUS_INVALID_PARAMETER;
        *parent = key->handle;
    }
    if (!fx_check_irql(PASSIVE_LEVEL, ddi))
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!fx_unicode_string_valid(KeyName)) {
        fx_violation(ddi, "KeyName is a malformed UNICODE_STRING");
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

/* Opens KeyName (absolute, or relative to ParentKey) as a new WDFKEY.
 * IRQL PASSIVE_LEVEL. STATUS_SUCCESS, ZwOpenKey's failures
 * (STATUS_OBJECT_NAME_NOT_FOUND, STATUS_ACCESS_DENIED ...),
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (IRQL),
 * STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS registry_open_key(PWDF_DRIVER_GLOBALS g, WDFKEY ParentKey, PCUNICODE_STRING KeyName,
                                  ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key)
{
    OBJECT_ATTRIBUTES oa;
    HANDLE parent, handle;

    NTSTATUS status = open_prologue(ParentKey, KeyName, Key, "WdfRegistryOpenKey", &parent);
    if (!NT_SUCCESS(status))
        return status;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(KeyAttributes, false, "WdfRegistryOpenKey")))
        return status;
    InitializeObjectAttributes(&oa, (PUNICODE_STRING)KeyName, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, parent,
                               NULL);
    if (!NT_SUCCESS(status = ZwOpenKey(&handle, DesiredAccess, &oa)))
        return status;
    return fx_key_new_from_handle(fx_globals_of(g), handle, KeyAttributes, Key);
}
FX_EXPORT(WdfRegistryOpenKey, PFN_WDFREGISTRYOPENKEY, registry_open_key);

/* Opens KeyName, creating it first if it is missing (CreateOptions as
 * ZwCreateKey's: REG_OPTION_VOLATILE ...), as a new WDFKEY;
 * *CreateDisposition says which happened. IRQL PASSIVE_LEVEL. Statuses as
 * WdfRegistryOpenKey, with ZwCreateKey's failures. */
static NTSTATUS registry_create_key(PWDF_DRIVER_GLOBALS g, WDFKEY ParentKey, PCUNICODE_STRING KeyName,
                                    ACCESS_MASK DesiredAccess, ULONG CreateOptions, PULONG CreateDisposition,
                                    PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key)
{
    OBJECT_ATTRIBUTES oa;
    HANDLE parent, handle;

    NTSTATUS status = open_prologue(ParentKey, KeyName, Key, "WdfRegistryCreateKey", &parent);
    if (!NT_SUCCESS(status))
        return status;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(KeyAttributes, false, "WdfRegistryCreateKey")))
        return status;
    InitializeObjectAttributes(&oa, (PUNICODE_STRING)KeyName, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, parent,
                               NULL);
    status = ZwCreateKey(&handle, DesiredAccess, &oa, 0, NULL, CreateOptions, CreateDisposition);
    if (!NT_SUCCESS(status))
        return status;
    return fx_key_new_from_handle(fx_globals_of(g), handle, KeyAttributes, Key);
}
FX_EXPORT(WdfRegistryCreateKey, PFN_WDFREGISTRYCREATEKEY, registry_create_key);

/* Closes the key and deletes its object. IRQL PASSIVE_LEVEL (reported and
 * refused above it). */
static void registry_close(PWDF_DRIVER_GLOBALS g, WDFKEY Key)
{
    (void)g;
    struct fx_key *key = FX_LOOKUP(fx_key, FX_TYPE_KEY, Key, "WdfRegistryClose");
    if (!key || !fx_check_irql(PASSIVE_LEVEL, "WdfRegistryClose"))
        return;
    fx_object_delete(&key->object);
}
FX_EXPORT(WdfRegistryClose, PFN_WDFREGISTRYCLOSE, registry_close);

/* The key's handle, which stays the object's (do not ZwClose it). IRQL
 * PASSIVE_LEVEL. NULL for a bad handle. */
static HANDLE registry_wdm_get_handle(PWDF_DRIVER_GLOBALS g, WDFKEY Key)
{
    (void)g;
    struct fx_key *key = fx_key_lookup(Key, "WdfRegistryWdmGetHandle");
    return key ? key->handle : NULL;
}
FX_EXPORT(WdfRegistryWdmGetHandle, PFN_WDFREGISTRYWDMGETHANDLE, registry_wdm_get_handle);

/* Deletes the key from the registry (it must have no subkeys) and, on
 * success, the object too. IRQL PASSIVE_LEVEL. STATUS_SUCCESS, ZwDeleteKey's
 * failures (STATUS_CANNOT_DELETE, STATUS_ACCESS_DENIED ...),
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (IRQL). */
static NTSTATUS registry_remove_key(PWDF_DRIVER_GLOBALS g, WDFKEY Key)
{
    (void)g;
    struct fx_key *key = fx_key_lookup(Key, "WdfRegistryRemoveKey");
    if (!key)
        return STATUS_INVALID_PARAMETER;
    if (!fx_check_irql(PASSIVE_LEVEL, "WdfRegistryRemoveKey"))
        return STATUS_INVALID_DEVICE_REQUEST;
    NTSTATUS status = ZwDeleteKey(key->handle);
    if (NT_SUCCESS(status))
        fx_object_delete(&key->object);
    return status;
}
FX_EXPORT(WdfRegistryRemoveKey, PFN_WDFREGISTRYREMOVEKEY, registry_remove_key);

/* Deletes a value of the key. IRQL PASSIVE_LEVEL. STATUS_SUCCESS,
 * STATUS_OBJECT_NAME_NOT_FOUND, ZwDeleteValueKey's other failures,
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (IRQL). */
static NTSTATUS registry_remove_value(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName)
{
    (void)g;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryRemoveValue", &status);
    return key ? ZwDeleteValueKey(key->handle, (PUNICODE_STRING)ValueName) : status;
}
FX_EXPORT(WdfRegistryRemoveValue, PFN_WDFREGISTRYREMOVEVALUE, registry_remove_value);

/* Opens the service's Parameters key (Services\<service>\Parameters),
 * creating it if it is missing, as KMDF does. IRQL PASSIVE_LEVEL.
 * STATUS_SUCCESS, the Zw failures, STATUS_INVALID_PARAMETER,
 * STATUS_INVALID_DEVICE_REQUEST (IRQL), STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS driver_open_parameters_registry_key(PWDF_DRIVER_GLOBALS g, WDFDRIVER Driver,
                                                    ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes,
                                                    WDFKEY *Key)
{
    static const UNICODE_STRING parameters = RTL_CONSTANT_STRING(L"Parameters");
    const char *ddi = "WdfDriverOpenParametersRegistryKey";
    struct fx_driver *driver = FX_LOOKUP(fx_driver, FX_TYPE_DRIVER, Driver, ddi);
    OBJECT_ATTRIBUTES oa;
    HANDLE service, handle;
    NTSTATUS status;

    if (!Key || !driver) {
        fx_violation(ddi, "a valid Driver and Key are required");
        return STATUS_INVALID_PARAMETER;
    }
    *Key = NULL;
    if (!fx_check_irql(PASSIVE_LEVEL, ddi))
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(KeyAttributes, false, ddi)))
        return status;
    InitializeObjectAttributes(&oa, &driver->registry_path, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(status = ZwOpenKey(&service, KEY_READ | KEY_CREATE_SUB_KEY, &oa)))
        return status;
    InitializeObjectAttributes(&oa, (PUNICODE_STRING)&parameters, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
                               service, NULL);
    status = ZwCreateKey(&handle, DesiredAccess, &oa, 0, NULL, REG_OPTION_NON_VOLATILE, NULL);
    ZwClose(service);
    if (!NT_SUCCESS(status))
        return status;
    return fx_key_new_from_handle(fx_globals_of(g), handle, KeyAttributes, Key);
}
FX_EXPORT(WdfDriverOpenParametersRegistryKey, PFN_WDFDRIVEROPENPARAMETERSREGISTRYKEY,
          driver_open_parameters_registry_key);

/* Opens the device's hardware (PLUGPLAY_REGKEY_DEVICE) or software
 * (PLUGPLAY_REGKEY_DRIVER) key through IoOpenDeviceRegistryKey on the
 * stack's PDO. IRQL PASSIVE_LEVEL. STATUS_SUCCESS, IoOpenDeviceRegistryKey's
 * failures (STATUS_INVALID_PARAMETER for a bad key type ...),
 * STATUS_INVALID_DEVICE_REQUEST (a control device, which has no PDO and so
 * no such keys; or IRQL), STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS device_open_registry_key(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, ULONG DeviceInstanceKeyType,
                                         ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes,
                                         WDFKEY *Key)
{
    const char *ddi = "WdfDeviceOpenRegistryKey";
    struct fx_device *device = FX_LOOKUP(fx_device, FX_TYPE_DEVICE, Device, ddi);
    HANDLE handle;
    NTSTATUS status;

    if (!Key || !device) {
        fx_violation(ddi, "a valid Device and Key are required");
        return STATUS_INVALID_PARAMETER;
    }
    *Key = NULL;
    if (!fx_check_irql(PASSIVE_LEVEL, ddi))
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(KeyAttributes, false, ddi)))
        return status;
    if (!device->pdo)
        return STATUS_INVALID_DEVICE_REQUEST;
    status = IoOpenDeviceRegistryKey(device->pdo, DeviceInstanceKeyType, DesiredAccess, &handle);
    if (!NT_SUCCESS(status))
        return status;
    return fx_key_new_from_handle(fx_globals_of(g), handle, KeyAttributes, Key);
}
FX_EXPORT(WdfDeviceOpenRegistryKey, PFN_WDFDEVICEOPENREGISTRYKEY, device_open_registry_key);
