/*
 * What drivers ask the PnP manager about a device: IoGetDeviceProperty
 * (from the device's registry key, its IDs and capabilities) and
 * IoOpenDeviceRegistryKey (its hardware and software keys).
 */
#include "pnp/pnp_private.h"
#include "nt/registry.h"
#include "nt/regstore.h"

#include <stdio.h>
#include <stdlib.h>

#define ENUM_PATH "\\Registry\\Machine\\System\\CurrentControlSet\\Enum\\"
#define CLASS_PATH "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Class\\"

static struct pnp_node *pdo_node(PDEVICE_OBJECT device)
{
    return io_device_of(device)->pnp_node;
}

static NTSTATUS copy_property(const void *data, ULONG size, ULONG length, PVOID buffer, PULONG result)
{
    *result = size;
    if (length < size)
        return STATUS_BUFFER_TOO_SMALL;
    memcpy(buffer, data, size);
    return STATUS_SUCCESS;
}

static NTSTATUS registry_property(struct pnp_node *node, const char *value_name, ULONG length, PVOID buffer,
                                  PULONG result)
{
    struct regstore *rs = nt_registry();
    struct regstore_key key;
    struct regstore_value value;
    char path[512];

    snprintf(path, sizeof(path), ENUM_PATH "%s", node->instance_path);
    if (!rs || regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) ||
        regstore_value_query(rs, key, value_name, &value))
        return STATUS_OBJECT_NAME_NOT_FOUND;
    NTSTATUS status = copy_property(value.data, (ULONG)value.size, length, buffer, result);
    regstore_value_clear(&value);
    return status;
}

static NTSTATUS string_property(const char *text, ULONG length, PVOID buffer, PULONG result)
{
    WCHAR *wide = pnp_utf8_to_utf16(text);
    if (!wide)
        return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = copy_property(wide, (ULONG)((pnp_wcslen(wide) + 1) * sizeof(WCHAR)), length, buffer, result);
    free(wide);
    return status;
}

static NTSTATUS ulong_property(ULONG value, ULONG length, PVOID buffer, PULONG result)
{
    return copy_property(&value, sizeof(value), length, buffer, result);
}

static NTSTATUS bus_information(struct pnp_node *node, PNP_BUS_INFORMATION *info)
{
    ULONG_PTR information = 0;
    NTSTATUS status = pnp_send_simple(node, IRP_MN_QUERY_BUS_INFORMATION, &information);
    if (!NT_SUCCESS(status) || !information)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    *info = *(PNP_BUS_INFORMATION *)information;
    ExFreePool((PVOID)information);
    return STATUS_SUCCESS;
}

static NTSTATUS computed_property(struct pnp_node *node, DEVICE_REGISTRY_PROPERTY property, ULONG length,
                                  PVOID buffer, PULONG result)
{
    PNP_BUS_INFORMATION bus;
    char enumerator[64];

    switch (property) {
    case DevicePropertyPhysicalDeviceObjectName: {
        UNICODE_STRING *name = &io_device_of(node->pdo)->name;
        WCHAR terminated[128] = { 0 };
        memcpy(terminated, name->Buffer, name->Length < sizeof(terminated) - 2 ? name->Length : sizeof(terminated) - 2);
        return copy_property(terminated, name->Length + sizeof(WCHAR), length, buffer, result);
    }
    case DevicePropertyEnumeratorName:
        snprintf(enumerator, sizeof(enumerator), "%.*s", (int)strcspn(node->instance_path, "\\"), node->instance_path);
        return string_property(enumerator, length, buffer, result);
    case DevicePropertyAddress:
        if (node->capabilities.Address == (ULONG)-1)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        return ulong_property(node->capabilities.Address, length, buffer, result);
    case DevicePropertyUINumber:
        if (node->capabilities.UINumber == (ULONG)-1)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        return ulong_property(node->capabilities.UINumber, length, buffer, result);
    case DevicePropertyInstallState:
        return ulong_property(InstallStateInstalled, length, buffer, result);
    case DevicePropertyRemovalPolicy:
        return ulong_property(node->root_enumerated ? RemovalPolicyExpectNoRemoval
                              : node->capabilities.SurpriseRemovalOK ? RemovalPolicyExpectSurpriseRemoval
                                                                     : RemovalPolicyExpectOrderlyRemoval,
                              length, buffer, result);
    case DevicePropertyBusTypeGuid:
    case DevicePropertyLegacyBusType:
    case DevicePropertyBusNumber: {
        NTSTATUS status = bus_information(node, &bus);
        if (!NT_SUCCESS(status))
            return status;
        if (property == DevicePropertyBusTypeGuid)
            return copy_property(&bus.BusTypeGuid, sizeof(GUID), length, buffer, result);
        return ulong_property(property == DevicePropertyBusNumber ? bus.BusNumber : (ULONG)bus.LegacyBusType,
                              length, buffer, result);
    }
    default:
        return STATUS_INVALID_PARAMETER_2;
    }
}

KMH_EXPORT NTSTATUS IoGetDeviceProperty(PDEVICE_OBJECT DeviceObject, DEVICE_REGISTRY_PROPERTY DeviceProperty,
                                        ULONG BufferLength, PVOID PropertyBuffer, PULONG ResultLength)
{
    static const char *const registry_names[] = {
        [DevicePropertyDeviceDescription] = "DeviceDesc", [DevicePropertyHardwareID] = "HardwareID",
        [DevicePropertyCompatibleIDs] = "CompatibleIDs", [DevicePropertyClassName] = "Class",
        [DevicePropertyClassGuid] = "ClassGUID", [DevicePropertyDriverKeyName] = "Driver",
        [DevicePropertyManufacturer] = "Mfg", [DevicePropertyFriendlyName] = "FriendlyName",
        [DevicePropertyLocationInformation] = "LocationInformation", [DevicePropertyContainerID] = "ContainerID",
    };
    struct pnp_node *node = pdo_node(DeviceObject);

    *ResultLength = 0;
    if (!node || !node->instance_path)
        return STATUS_INVALID_DEVICE_REQUEST;
    if ((size_t)DeviceProperty < KMH_ARRAY_SIZE(registry_names) && registry_names[DeviceProperty]) {
        NTSTATUS status = registry_property(node, registry_names[DeviceProperty], BufferLength, PropertyBuffer,
                                            ResultLength);
        if (status == STATUS_OBJECT_NAME_NOT_FOUND && DeviceProperty == DevicePropertyDeviceDescription &&
            node->description[0])
            return string_property(node->description, BufferLength, PropertyBuffer, ResultLength);
        return status;
    }
    return computed_property(node, DeviceProperty, BufferLength, PropertyBuffer, ResultLength);
}

static NTSTATUS open_key_path(const char *path, ACCESS_MASK access, PHANDLE handle)
{
    WCHAR *wide = pnp_utf8_to_utf16(path);
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES attributes;

    if (!wide)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlInitUnicodeString(&name, wide);
    InitializeObjectAttributes(&attributes, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS status = ZwCreateKey(handle, access, &attributes, 0, NULL, REG_OPTION_NON_VOLATILE, NULL);
    free(wide);
    return status;
}

static NTSTATUS driver_key_path(struct pnp_node *node, char *path, size_t size)
{
    WCHAR driver[128];
    ULONG length;
    NTSTATUS status = registry_property(node, "Driver", sizeof(driver) - sizeof(WCHAR), driver, &length);
    if (!NT_SUCCESS(status))
        return STATUS_INVALID_DEVICE_REQUEST;
    driver[length / sizeof(WCHAR)] = 0;
    char *text = pnp_utf16_to_utf8(driver);
    if (!text)
        return STATUS_INSUFFICIENT_RESOURCES;
    snprintf(path, size, CLASS_PATH "%s", text);
    free(text);
    return STATUS_SUCCESS;
}

KMH_EXPORT NTSTATUS IoOpenDeviceRegistryKey(PDEVICE_OBJECT DeviceObject, ULONG DevInstKeyType,
                                            ACCESS_MASK DesiredAccess, PHANDLE DeviceRegKey)
{
    struct pnp_node *node = pdo_node(DeviceObject);
    char path[768];
    NTSTATUS status;

    *DeviceRegKey = NULL;
    if (!node || !node->instance_path)
        return STATUS_INVALID_DEVICE_REQUEST;
    switch (DevInstKeyType & ~PLUGPLAY_REGKEY_CURRENT_HWPROFILE) {
    case PLUGPLAY_REGKEY_DEVICE:
        snprintf(path, sizeof(path), ENUM_PATH "%s\\Device Parameters", node->instance_path);
        break;
    case PLUGPLAY_REGKEY_DRIVER:
        status = driver_key_path(node, path, sizeof(path));
        if (!NT_SUCCESS(status))
            return status;
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    return open_key_path(path, DesiredAccess, DeviceRegKey);
}
