/*
 * A device's identity and registry properties: SetupDiGetDeviceInstanceId
 * and SetupDiGetDeviceRegistryProperty, read from the device's Enum key
 * (the values the installer wrote: DeviceDesc, HardwareID, Service,
 * Class, ClassGUID, Driver, Mfg, FriendlyName ...). A property the key
 * lacks is ERROR_INVALID_DATA, as on Windows. Strings come out in UTF-16
 * (W) or UTF-8 (A), terminated (multi-strings doubly).
 */
#include "client/client.h"
#include "nt/registry.h"

#include <stdio.h>
#include <stdlib.h>

static const struct {
    DWORD property;
    const char *value;
} properties[] = {
    { SPDRP_DEVICEDESC, "DeviceDesc" },         { SPDRP_HARDWAREID, "HardwareID" },
    { SPDRP_COMPATIBLEIDS, "CompatibleIDs" },   { SPDRP_SERVICE, "Service" },
    { SPDRP_CLASS, "Class" },                   { SPDRP_CLASSGUID, "ClassGUID" },
    { SPDRP_DRIVER, "Driver" },                 { SPDRP_CONFIGFLAGS, "ConfigFlags" },
    { SPDRP_MFG, "Mfg" },                       { SPDRP_FRIENDLYNAME, "FriendlyName" },
    { SPDRP_LOCATION_INFORMATION, "LocationInformation" },
    { SPDRP_CAPABILITIES, "Capabilities" },     { SPDRP_UI_NUMBER, "UINumber" },
    { SPDRP_UPPERFILTERS, "UpperFilters" },     { SPDRP_LOWERFILTERS, "LowerFilters" },
};

struct bytes {
    uint8_t *data;
    size_t size;
    bool oom;
};

static void append(struct bytes *b, const void *data, size_t size)
{
    uint8_t *more = b->oom ? NULL : realloc(b->data, b->size + size);
    if (!more) {
        b->oom = true;
        return;
    }
    memcpy(more + b->size, data, size);
    b->data = more;
    b->size += size;
}

/* One string, terminated, in the caller's encoding. */
static void append_string(struct bytes *b, const char *utf8, bool wide)
{
    if (!wide) {
        append(b, utf8, strlen(utf8) + 1);
        return;
    }
    WCHAR *w = client_wide_from_utf8(utf8, &b->oom);
    if (w)
        append(b, w, (client_wcslen(w) + 1) * sizeof(WCHAR));
    free(w);
}

/* "@oem0.inf,%desc%;Toaster" is an indirect string: its text follows the
 * last ';'. */
static const char *display_text(const char *s)
{
    const char *semi = s[0] == '@' ? strrchr(s, ';') : NULL;
    return semi ? semi + 1 : s;
}

static void convert_multi(struct bytes *b, const uint8_t *data, size_t size, bool wide)
{
    size_t units = size / sizeof(WCHAR), start = 0;
    WCHAR unit;

    for (size_t i = 0; i <= units; i++) {
        if (i < units)
            memcpy(&unit, data + i * sizeof(WCHAR), sizeof(unit));
        if (i < units && unit)
            continue;
        if (i > start) {
            char *s = client_utf8_from_utf16(data + start * sizeof(WCHAR), (i - start) * sizeof(WCHAR));
            if (s)
                append_string(b, s, wide);
            b->oom |= !s;
            free(s);
        }
        start = i + 1;
    }
    append(b, wide ? (const void *)L"" : (const void *)"", wide ? sizeof(WCHAR) : 1);
}

/* The value in the caller's encoding; 0, or a Win32 error. */
static DWORD convert(const struct regstore_value *v, bool wide, struct bytes *out)
{
    if (v->type == REG_SZ || v->type == REG_EXPAND_SZ) {
        char *s = client_utf8_from_utf16(v->data, v->size);
        if (!s)
            return ERROR_NOT_ENOUGH_MEMORY;
        append_string(out, display_text(s), wide);
        free(s);
    } else if (v->type == REG_MULTI_SZ) {
        convert_multi(out, v->data, v->size, wide);
    } else {
        append(out, v->data, v->size);
    }
    return out->oom ? ERROR_NOT_ENOUGH_MEMORY : 0;
}

/* Reads a property: *type and out, or a Win32 error. */
static DWORD read_property(const char *instance, DWORD property, bool wide, DWORD *type, struct bytes *out)
{
    struct regstore_value v;

    if (property == SPDRP_ENUMERATOR_NAME) {
        char enumerator[MAX_DEVICE_ID_LEN];
        snprintf(enumerator, sizeof(enumerator), "%.*s", (int)strcspn(instance, "\\"), instance);
        *type = REG_SZ;
        append_string(out, enumerator, wide);
        return out->oom ? ERROR_NOT_ENOUGH_MEMORY : 0;
    }
    for (size_t i = 0; i < KMH_ARRAY_SIZE(properties); i++) {
        if (properties[i].property != property)
            continue;
        if (client_enum_value(instance, properties[i].value, &v))
            return ERROR_INVALID_DATA;
        *type = v.type;
        DWORD error = convert(&v, wide, out);
        regstore_value_clear(&v);
        return error;
    }
    if (property >= SPDRP_MAXIMUM_PROPERTY || property == SPDRP_UNUSED0 || property == SPDRP_UNUSED1 ||
        property == SPDRP_UNUSED2)
        return ERROR_INVALID_REG_PROPERTY;
    return ERROR_INVALID_DATA; /* a property kmhost does not keep */
}

static BOOL get_property(HDEVINFO handle, PSP_DEVINFO_DATA info, DWORD property, PDWORD type, PBYTE buffer,
                         DWORD size, PDWORD required, bool wide)
{
    struct devinfo_set *set = client_devinfo_set(handle);
    struct bytes value = { 0 };
    DWORD error = 0, value_type = REG_NONE;
    size_t device;

    if (!set)
        return client_fail(ERROR_INVALID_HANDLE);
    if (!(device = client_devinfo_device_of(set, info, &error)))
        return client_fail(error);
    if (!buffer && size)
        return client_fail(ERROR_INVALID_USER_BUFFER);
    error = read_property(set->devices[device - 1].instance, property, wide, &value_type, &value);
    if (!error) {
        if (type)
            *type = value_type;
        if (required)
            *required = (DWORD)value.size;
        if (value.size > size)
            error = ERROR_INSUFFICIENT_BUFFER;
        else
            memcpy(buffer, value.data, value.size);
    }
    free(value.data);
    return error ? client_fail(error) : TRUE;
}

/* A device property (SPDRP_*) from its Enum key: its registry type in
 * *PropertyRegDataType and its bytes; RequiredSize gets the size. FALSE
 * with ERROR_INVALID_DATA when the device has no such property,
 * ERROR_INSUFFICIENT_BUFFER (RequiredSize and the type still set),
 * ERROR_INVALID_REG_PROPERTY for a property code that does not exist,
 * ERROR_INVALID_USER_BUFFER, ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE.
 * Strings are UTF-8. */
KMH_EXPORT BOOL WINAPI SetupDiGetDeviceRegistryPropertyA(HDEVINFO DeviceInfoSet, PSP_DEVINFO_DATA DeviceInfoData,
                                                         DWORD Property, PDWORD PropertyRegDataType,
                                                         PBYTE PropertyBuffer, DWORD PropertyBufferSize,
                                                         PDWORD RequiredSize)
{
    return get_property(DeviceInfoSet, DeviceInfoData, Property, PropertyRegDataType, PropertyBuffer,
                        PropertyBufferSize, RequiredSize, false);
}

/* SetupDiGetDeviceRegistryPropertyA with UTF-16 strings. */
KMH_EXPORT BOOL WINAPI SetupDiGetDeviceRegistryPropertyW(HDEVINFO DeviceInfoSet, PSP_DEVINFO_DATA DeviceInfoData,
                                                         DWORD Property, PDWORD PropertyRegDataType,
                                                         PBYTE PropertyBuffer, DWORD PropertyBufferSize,
                                                         PDWORD RequiredSize)
{
    return get_property(DeviceInfoSet, DeviceInfoData, Property, PropertyRegDataType, PropertyBuffer,
                        PropertyBufferSize, RequiredSize, true);
}

static const char *instance_of(HDEVINFO handle, PSP_DEVINFO_DATA info, PVOID buffer, DWORD size)
{
    struct devinfo_set *set = client_devinfo_set(handle);
    DWORD error = 0;
    size_t device;

    if (!set)
        return client_fail(ERROR_INVALID_HANDLE), NULL;
    if (!(device = client_devinfo_device_of(set, info, &error)))
        return client_fail(error), NULL;
    if (!buffer && size)
        return client_fail(ERROR_INVALID_USER_BUFFER), NULL;
    return set->devices[device - 1].instance;
}

/* The device's instance ID ("ROOT\\X\\0000"); RequiredSize gets its length
 * in characters with the terminator. FALSE with ERROR_INSUFFICIENT_BUFFER,
 * ERROR_INVALID_USER_BUFFER, ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI SetupDiGetDeviceInstanceIdA(HDEVINFO DeviceInfoSet, PSP_DEVINFO_DATA DeviceInfoData,
                                                   PSTR DeviceInstanceId, DWORD DeviceInstanceIdSize,
                                                   PDWORD RequiredSize)
{
    const char *instance = instance_of(DeviceInfoSet, DeviceInfoData, DeviceInstanceId, DeviceInstanceIdSize);
    if (!instance)
        return FALSE;
    size_t len = strlen(instance);
    if (RequiredSize)
        *RequiredSize = (DWORD)len + 1;
    if (DeviceInstanceIdSize < len + 1)
        return client_fail(ERROR_INSUFFICIENT_BUFFER);
    memcpy(DeviceInstanceId, instance, len + 1);
    return TRUE;
}

/* SetupDiGetDeviceInstanceIdA in UTF-16. */
KMH_EXPORT BOOL WINAPI SetupDiGetDeviceInstanceIdW(HDEVINFO DeviceInfoSet, PSP_DEVINFO_DATA DeviceInfoData,
                                                   PWSTR DeviceInstanceId, DWORD DeviceInstanceIdSize,
                                                   PDWORD RequiredSize)
{
    const char *instance = instance_of(DeviceInfoSet, DeviceInfoData, DeviceInstanceId, DeviceInstanceIdSize);
    bool oom = false;
    if (!instance)
        return FALSE;
    WCHAR *wide = client_wide_from_utf8(instance, &oom);
    if (!wide)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY);
    size_t len = client_wcslen(wide);
    if (RequiredSize)
        *RequiredSize = (DWORD)len + 1;
    BOOL ok = DeviceInstanceIdSize >= len + 1;
    if (ok)
        memcpy(DeviceInstanceId, wide, (len + 1) * sizeof(WCHAR));
    free(wide);
    return ok ? TRUE : client_fail(ERROR_INSUFFICIENT_BUFFER);
}
