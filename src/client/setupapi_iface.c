/*
 * The device interfaces of a device information set:
 * SetupDiEnumDeviceInterfaces and SetupDiGetDeviceInterfaceDetail, with
 * Windows' buffer rules (cbSize is the fixed part's size, 8 on x64; the
 * two-call pattern: RequiredSize and ERROR_INSUFFICIENT_BUFFER first).
 */
#include "client/client.h"

#include <stdlib.h>
#include <strings.h>

struct lookup {
    struct devinfo_set *set;
    const char *device;   /* the one device asked about */
};

static void add_if_device(const GUID *guid, const char *path, const char *device, bool active, void *ctx)
{
    struct lookup *l = ctx;
    if (device && strcasecmp(device, l->device) == 0)
        client_devinfo_add_interface(l->set, guid, path, device, active);
}

/* A set of devices learns the interfaces of a class the first time it is
 * asked about them, as SetupAPI reads them from the registry on demand. */
static void load_class(struct devinfo_set *set, const GUID *guid)
{
    if (set->interfaces)
        return;
    for (size_t i = 0; i < set->nloaded; i++)
        if (IsEqualGUID(&set->loaded[i], guid))
            return;
    GUID *more = realloc(set->loaded, (set->nloaded + 1) * sizeof(*more));
    if (!more)
        return;
    set->loaded = more;
    set->loaded[set->nloaded++] = *guid;
    for (size_t d = 0; d < set->ndevices; d++) {
        struct lookup l = { set, set->devices[d].instance };
        client_for_each_interface(guid, false, add_if_device, &l);
    }
}

/* The interface at MemberIndex among those of InterfaceClassGuid in the
 * set (of one device when DeviceInfoData is given). FALSE with
 * ERROR_NO_MORE_ITEMS past the end, ERROR_INVALID_USER_BUFFER when cbSize
 * is not sizeof(SP_DEVICE_INTERFACE_DATA), ERROR_INVALID_PARAMETER,
 * ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI SetupDiEnumDeviceInterfaces(HDEVINFO DeviceInfoSet, PSP_DEVINFO_DATA DeviceInfoData,
                                                   const GUID *InterfaceClassGuid, DWORD MemberIndex,
                                                   PSP_DEVICE_INTERFACE_DATA DeviceInterfaceData)
{
    struct devinfo_set *set = client_devinfo_set(DeviceInfoSet);
    size_t device = 0;
    DWORD error = 0;

    if (!set)
        return client_fail(ERROR_INVALID_HANDLE);
    if (!InterfaceClassGuid || !DeviceInterfaceData)
        return client_fail(ERROR_INVALID_PARAMETER);
    if (DeviceInterfaceData->cbSize != sizeof(SP_DEVICE_INTERFACE_DATA))
        return client_fail(ERROR_INVALID_USER_BUFFER);
    if (DeviceInfoData && !(device = client_devinfo_device_of(set, DeviceInfoData, &error)))
        return client_fail(error);
    load_class(set, InterfaceClassGuid);
    for (size_t i = 0; i < set->nifaces; i++) {
        struct devinfo_iface *f = &set->ifaces[i];
        if (!IsEqualGUID(&f->guid, InterfaceClassGuid) || (device && f->device != device))
            continue;
        if (MemberIndex-- > 0)
            continue;
        DeviceInterfaceData->InterfaceClassGuid = f->guid;
        DeviceInterfaceData->Flags = f->flags;
        DeviceInterfaceData->Reserved = i + 1;
        return TRUE;
    }
    return client_fail(ERROR_NO_MORE_ITEMS);
}

/* Checks what both forms of SetupDiGetDeviceInterfaceDetail check; the
 * interface, or NULL with the last error set. */
static struct devinfo_iface *detail_args(HDEVINFO handle, PSP_DEVICE_INTERFACE_DATA data, const DWORD *detail,
                                         DWORD detail_size, DWORD detail_fixed, DWORD char_size,
                                         PSP_DEVINFO_DATA info, struct devinfo_set **out)
{
    struct devinfo_set *set = client_devinfo_set(handle);

    if (!set)
        return client_fail(ERROR_INVALID_HANDLE), NULL;
    if (!data)
        return client_fail(ERROR_INVALID_PARAMETER), NULL;
    if (data->cbSize != sizeof(SP_DEVICE_INTERFACE_DATA))
        return client_fail(ERROR_INVALID_USER_BUFFER), NULL;
    if (data->Reserved == 0 || data->Reserved > set->nifaces)
        return client_fail(ERROR_INVALID_PARAMETER), NULL;
    /* The buffer and its size come together; a buffer must hold the fixed
     * part and one character, and say so in cbSize. */
    if ((!detail) != (detail_size == 0))
        return client_fail(ERROR_INVALID_USER_BUFFER), NULL;
    if (detail && (*detail != detail_fixed || detail_size < sizeof(DWORD) + char_size))
        return client_fail(ERROR_INVALID_USER_BUFFER), NULL;
    if (info && info->cbSize != sizeof(SP_DEVINFO_DATA))
        return client_fail(ERROR_INVALID_USER_BUFFER), NULL;
    *out = set;
    return &set->ifaces[data->Reserved - 1];
}

static void fill_info(struct devinfo_set *set, struct devinfo_iface *f, PSP_DEVINFO_DATA info)
{
    if (info && f->device)
        client_devinfo_fill(set, f->device, info);
}

/* The interface's device path ("\\?\ROOT#...#{class}"), for CreateFile,
 * and its device. RequiredSize (may be NULL) gets
 * offsetof(DevicePath) + the path's bytes with the terminator. FALSE with
 * ERROR_INSUFFICIENT_BUFFER when the buffer is absent or too small,
 * ERROR_INVALID_USER_BUFFER for a cbSize other than
 * sizeof(SP_DEVICE_INTERFACE_DETAIL_DATA_A) or a buffer without a size
 * (or a size without a buffer), ERROR_INVALID_PARAMETER,
 * ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI SetupDiGetDeviceInterfaceDetailA(HDEVINFO DeviceInfoSet,
                                                        PSP_DEVICE_INTERFACE_DATA DeviceInterfaceData,
                                                        PSP_DEVICE_INTERFACE_DETAIL_DATA_A DeviceInterfaceDetailData,
                                                        DWORD DeviceInterfaceDetailDataSize, PDWORD RequiredSize,
                                                        PSP_DEVINFO_DATA DeviceInfoData)
{
    struct devinfo_set *set;
    struct devinfo_iface *f = detail_args(DeviceInfoSet, DeviceInterfaceData,
                                          DeviceInterfaceDetailData ? &DeviceInterfaceDetailData->cbSize : NULL,
                                          DeviceInterfaceDetailDataSize, sizeof(*DeviceInterfaceDetailData), 1,
                                          DeviceInfoData, &set);
    if (!f)
        return FALSE;
    size_t len = strlen(f->path);
    DWORD needed = (DWORD)(offsetof(SP_DEVICE_INTERFACE_DETAIL_DATA_A, DevicePath) + len + 1);
    if (RequiredSize)
        *RequiredSize = needed;
    fill_info(set, f, DeviceInfoData);
    if (DeviceInterfaceDetailDataSize < needed)
        return client_fail(ERROR_INSUFFICIENT_BUFFER);
    memcpy(DeviceInterfaceDetailData->DevicePath, f->path, len + 1);
    return TRUE;
}

/* SetupDiGetDeviceInterfaceDetailA in UTF-16. */
KMH_EXPORT BOOL WINAPI SetupDiGetDeviceInterfaceDetailW(HDEVINFO DeviceInfoSet,
                                                        PSP_DEVICE_INTERFACE_DATA DeviceInterfaceData,
                                                        PSP_DEVICE_INTERFACE_DETAIL_DATA_W DeviceInterfaceDetailData,
                                                        DWORD DeviceInterfaceDetailDataSize, PDWORD RequiredSize,
                                                        PSP_DEVINFO_DATA DeviceInfoData)
{
    struct devinfo_set *set;
    bool oom = false;
    struct devinfo_iface *f = detail_args(DeviceInfoSet, DeviceInterfaceData,
                                          DeviceInterfaceDetailData ? &DeviceInterfaceDetailData->cbSize : NULL,
                                          DeviceInterfaceDetailDataSize, sizeof(*DeviceInterfaceDetailData),
                                          sizeof(WCHAR), DeviceInfoData, &set);
    if (!f)
        return FALSE;
    WCHAR *path = client_wide_from_utf8(f->path, &oom);
    if (!path)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY);
    size_t bytes = (client_wcslen(path) + 1) * sizeof(WCHAR);
    DWORD needed = (DWORD)(offsetof(SP_DEVICE_INTERFACE_DETAIL_DATA_W, DevicePath) + bytes);
    if (RequiredSize)
        *RequiredSize = needed;
    fill_info(set, f, DeviceInfoData);
    BOOL ok = DeviceInterfaceDetailDataSize >= needed;
    if (ok)
        memcpy(DeviceInterfaceDetailData->DevicePath, path, bytes);
    free(path);
    return ok ? TRUE : client_fail(ERROR_INSUFFICIENT_BUFFER);
}
