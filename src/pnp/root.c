/*
 * The root bus: the PnP manager's own driver for root-enumerated devices.
 * Each device recorded under Enum\ROOT in the registry gets a PDO here,
 * answering the bus driver's share of PnP and power requests: its IDs from
 * the registry, default capabilities, and success for the state changes a
 * device without hardware has nothing to do for.
 */
#include "pnp/pnp_private.h"
#include "nt/registry.h"
#include "nt/regstore.h"

#include <stdio.h>
#include <stdlib.h>

#define ENUM_ROOT_PATH "\\Registry\\Machine\\System\\CurrentControlSet\\Enum\\ROOT"
#define ENUM_PATH "\\Registry\\Machine\\System\\CurrentControlSet\\Enum\\"

struct root_pdo {
    char instance_path[256];
};

static struct io_driver *root_driver;

static struct root_pdo *root_pdo_of(PDEVICE_OBJECT pdo)
{
    return pdo->DeviceExtension;
}

/* A registry value of the device's Enum key, as stored (UTF-16LE). */
static void *enum_value(const char *instance_path, const char *name, size_t *size)
{
    struct regstore *rs = nt_registry();
    struct regstore_key key;
    struct regstore_value value;
    char path[512];
    void *data = NULL;

    snprintf(path, sizeof(path), ENUM_PATH "%s", instance_path);
    if (!rs || regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) ||
        regstore_value_query(rs, key, name, &value))
        return NULL;
    data = value.data;
    *size = value.size;
    value.data = NULL;
    regstore_value_clear(&value);
    return data;
}

/* A pool copy with a double terminator, so it also reads as a one-entry
 * multi-string. */
static WCHAR *pool_wide_from_utf8(const char *text)
{
    WCHAR *wide = pnp_utf8_to_utf16(text);
    if (!wide)
        return NULL;
    size_t chars = 0;
    while (wide[chars])
        chars++;
    WCHAR *pool = ExAllocatePool2(POOL_FLAG_PAGED, (chars + 2) * sizeof(WCHAR), 'IpnP');
    if (pool) {
        memcpy(pool, wide, chars * sizeof(WCHAR));
        pool[chars] = 0;
        pool[chars + 1] = 0;
    }
    free(wide);
    return pool;
}

static NTSTATUS root_query_id(PDEVICE_OBJECT pdo, PIRP irp, BUS_QUERY_ID_TYPE type)
{
    const char *path = root_pdo_of(pdo)->instance_path;
    char id[256];
    size_t size = 0;
    void *value;
    WCHAR *result = NULL;

    switch (type) {
    case BusQueryDeviceID:
        snprintf(id, sizeof(id), "%s", path);
        *strrchr(id, '\\') = 0;
        result = pool_wide_from_utf8(id);
        break;
    case BusQueryInstanceID:
        result = pool_wide_from_utf8(strrchr(path, '\\') + 1);
        break;
    case BusQueryHardwareIDs:
    case BusQueryCompatibleIDs:
        value = enum_value(path, type == BusQueryHardwareIDs ? "HardwareID" : "CompatibleIDs", &size);
        if (!value)
            return irp->IoStatus.Status;
        result = pnp_wcsdup_pool(value, size / sizeof(WCHAR));
        free(value);
        break;
    default:
        return irp->IoStatus.Status;
    }
    if (!result)
        return STATUS_INSUFFICIENT_RESOURCES;
    irp->IoStatus.Information = (ULONG_PTR)result;
    return STATUS_SUCCESS;
}

static NTSTATUS root_query_text(PDEVICE_OBJECT pdo, PIRP irp, DEVICE_TEXT_TYPE type)
{
    size_t size = 0;
    void *value;

    if (type != DeviceTextDescription ||
        !(value = enum_value(root_pdo_of(pdo)->instance_path, "DeviceDesc", &size)))
        return irp->IoStatus.Status;
    WCHAR *text = pnp_wcsdup_pool(value, size / sizeof(WCHAR));
    free(value);
    if (!text)
        return STATUS_INSUFFICIENT_RESOURCES;
    irp->IoStatus.Information = (ULONG_PTR)text;
    return STATUS_SUCCESS;
}

static NTSTATUS root_query_capabilities(PDEVICE_CAPABILITIES caps)
{
    caps->DeviceState[PowerSystemWorking] = PowerDeviceD0;
    for (int s = PowerSystemSleeping1; s < PowerSystemMaximum; s++)
        caps->DeviceState[s] = PowerDeviceD3;
    caps->SystemWake = PowerSystemUnspecified;
    caps->DeviceWake = PowerDeviceUnspecified;
    caps->SilentInstall = TRUE;
    return STATUS_SUCCESS;
}

static NTSTATUS root_target_relation(PDEVICE_OBJECT pdo, PIRP irp)
{
    PDEVICE_RELATIONS relations = ExAllocatePool2(POOL_FLAG_PAGED, sizeof(*relations), 'RpnP');
    if (!relations)
        return STATUS_INSUFFICIENT_RESOURCES;
    ObfReferenceObject(pdo);
    relations->Count = 1;
    relations->Objects[0] = pdo;
    irp->IoStatus.Information = (ULONG_PTR)relations;
    return STATUS_SUCCESS;
}

static DRIVER_DISPATCH root_pnp;

static NTSTATUS root_pnp(PDEVICE_OBJECT pdo, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    NTSTATUS status = irp->IoStatus.Status;

    switch (sp->MinorFunction) {
    case IRP_MN_START_DEVICE:
    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
    case IRP_MN_REMOVE_DEVICE:
    case IRP_MN_DEVICE_USAGE_NOTIFICATION:
    case IRP_MN_QUERY_PNP_DEVICE_STATE:
    case IRP_MN_QUERY_RESOURCES:
    case IRP_MN_QUERY_RESOURCE_REQUIREMENTS:
        status = STATUS_SUCCESS;
        break;
    case IRP_MN_QUERY_ID:
        status = root_query_id(pdo, irp, sp->Parameters.QueryId.IdType);
        break;
    case IRP_MN_QUERY_DEVICE_TEXT:
        status = root_query_text(pdo, irp, sp->Parameters.QueryDeviceText.DeviceTextType);
        break;
    case IRP_MN_QUERY_CAPABILITIES:
        status = root_query_capabilities(sp->Parameters.DeviceCapabilities.Capabilities);
        break;
    case IRP_MN_QUERY_DEVICE_RELATIONS:
        if (sp->Parameters.QueryDeviceRelations.Type == TargetDeviceRelation)
            status = root_target_relation(pdo, irp);
        break;
    default:
        break;
    }
    irp->IoStatus.Status = status;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static DRIVER_DISPATCH root_power;

static NTSTATUS root_power(PDEVICE_OBJECT pdo, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    NTSTATUS status = irp->IoStatus.Status;

    if (sp->MinorFunction == IRP_MN_SET_POWER || sp->MinorFunction == IRP_MN_QUERY_POWER) {
        if (sp->MinorFunction == IRP_MN_SET_POWER && sp->Parameters.Power.Type == DevicePowerState)
            PoSetPowerState(pdo, DevicePowerState, sp->Parameters.Power.State);
        status = STATUS_SUCCESS;
    }
    PoStartNextPowerIrp(irp);
    irp->IoStatus.Status = status;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static DRIVER_DISPATCH root_passthrough_status;

/* WMI requests nobody above claimed end at the bus with their status. */
static NTSTATUS root_passthrough_status(PDEVICE_OBJECT pdo, PIRP irp)
{
    NTSTATUS status = irp->IoStatus.Status;
    (void)pdo;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

int pnp_root_init(void)
{
    if (io_driver_new(L"PnpManager", &root_driver))
        return -ENOMEM;
    root_driver->object.MajorFunction[IRP_MJ_PNP] = root_pnp;
    root_driver->object.MajorFunction[IRP_MJ_POWER] = root_power;
    root_driver->object.MajorFunction[IRP_MJ_SYSTEM_CONTROL] = root_passthrough_status;
    return 0;
}

void pnp_root_shutdown(void)
{
    if (root_driver)
        io_driver_release(root_driver);
    root_driver = NULL;
}

int pnp_root_create_pdo(const char *instance_path, PDEVICE_OBJECT *pdo)
{
    NTSTATUS status = IoCreateDevice(&root_driver->object, sizeof(struct root_pdo), NULL, FILE_DEVICE_CONTROLLER,
                                     FILE_AUTOGENERATED_DEVICE_NAME, FALSE, pdo);
    if (!NT_SUCCESS(status))
        return nt_errno_from_status(status);
    snprintf(root_pdo_of(*pdo)->instance_path, sizeof(root_pdo_of(*pdo)->instance_path), "%s", instance_path);
    (*pdo)->Flags |= DO_BUS_ENUMERATED_DEVICE;
    (*pdo)->Flags &= ~DO_DEVICE_INITIALIZING;
    return 0;
}

void pnp_root_delete_pdo(PDEVICE_OBJECT pdo)
{
    IoDeleteDevice(pdo);
}

static void enumerate_instances(struct regstore *rs, struct regstore_key device_key, const char *device_id)
{
    struct regstore_key instance_key;
    struct regstore_key_info info;
    char path[512];

    for (uint32_t i = 0; regstore_key_enum(rs, device_key, i, &instance_key) == 0; i++) {
        if (regstore_key_query(rs, instance_key, &info))
            continue;
        snprintf(path, sizeof(path), "ROOT\\%s\\%s", device_id, info.name);
        regstore_key_info_clear(&info);
        if (pnp_node_find(path))
            continue;
        PDEVICE_OBJECT pdo;
        if (pnp_root_create_pdo(path, &pdo))
            continue;
        /* The PDO's creator reference is the root bus's until the device is
         * removed for good; the node holds one of its own. */
        struct pnp_node *node = pnp_node_new(pnp_root, pdo);
        if (!node) {
            pnp_root_delete_pdo(pdo);
            continue;
        }
        node->root_enumerated = true;
        node->reported = true;
        pnp_node_bring_up(node);
    }
}

/* pnp_lock held. Every Enum\ROOT\<device>\<instance> becomes a devnode. */
void pnp_root_enumerate_registry(void)
{
    struct regstore *rs = nt_registry();
    struct regstore_key root_key, device_key;
    struct regstore_key_info info;

    if (!rs || regstore_key_open(rs, REGSTORE_KEY_NONE, ENUM_ROOT_PATH, &root_key))
        return;
    for (uint32_t i = 0; regstore_key_enum(rs, root_key, i, &device_key) == 0; i++) {
        if (regstore_key_query(rs, device_key, &info))
            continue;
        char device_id[256];
        snprintf(device_id, sizeof(device_id), "%s", info.name);
        regstore_key_info_clear(&info);
        enumerate_instances(rs, device_key, device_id);
    }
}
