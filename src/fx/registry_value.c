/*
 * The typed registry value methods of WDFKEY: raw, WDFMEMORY, ULONG,
 * UNICODE_STRING, WDFSTRING and multi-string (a WDFCOLLECTION of
 * WDFSTRINGs) queries and assignments, all over ZwQueryValueKey and
 * ZwSetValueKey with the partial information class. Statuses follow KMDF:
 * a value too big for the caller's buffer is STATUS_BUFFER_OVERFLOW with
 * the required length reported, a value of the wrong type
 * STATUS_OBJECT_TYPE_MISMATCH, a missing one ZwQueryValueKey's
 * STATUS_OBJECT_NAME_NOT_FOUND.
 */
#include "fx/fx.h"
#include "fx/support.h"

#include <stdlib.h>

#define PARTIAL_FIXED offsetof(KEY_VALUE_PARTIAL_INFORMATION, Data)

struct fx_key *fx_key_value_call(WDFKEY handle, PCUNICODE_STRING value_name, const char *ddi, NTSTATUS *status)
{
    struct fx_key *key = fx_key_lookup(handle, ddi);

    *status = STATUS_INVALID_PARAMETER;
    if (!key)
        return NULL;
    if (!value_name || !fx_unicode_string_valid(value_name)) {
        fx_violation(ddi, "ValueName is NULL or a malformed UNICODE_STRING");
        return NULL;
    }
    if (!fx_check_irql(PASSIVE_LEVEL, ddi)) {
        *status = STATUS_INVALID_DEVICE_REQUEST;
        return NULL;
    }
    return key;
}

/* ZwQueryValueKey's partial information with room for `room` bytes of
 * data. On STATUS_SUCCESS and STATUS_BUFFER_OVERFLOW *out (malloc'd) holds
 * the type and the full DataLength, and as much data as fitted. */
static NTSTATUS query_partial(HANDLE key, PCUNICODE_STRING name, ULONG room, KEY_VALUE_PARTIAL_INFORMATION **out)
{
    ULONG size = (ULONG)PARTIAL_FIXED + room, result = 0;
    KEY_VALUE_PARTIAL_INFORMATION *info = calloc(1, size < sizeof(*info) ? sizeof(*info) : size);

    *out = NULL;
    if (!info || size < room)
        return free(info), STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = ZwQueryValueKey(key, (PUNICODE_STRING)name, KeyValuePartialInformation, info, size, &result);
    if (NT_SUCCESS(status) || status == STATUS_BUFFER_OVERFLOW)
        *out = info;
    else
        free(info);
    return status;
}

/* The whole value, asking again if it grew between the two queries. */
static NTSTATUS query_whole(HANDLE key, PCUNICODE_STRING name, KEY_VALUE_PARTIAL_INFORMATION **out)
{
    ULONG room = 0;
    for (;;) {
        NTSTATUS status = query_partial(key, name, room, out);
        if (status != STATUS_BUFFER_OVERFLOW)
            return status;
        room = (*out)->DataLength;
        free(*out);
        *out = NULL;
    }
}

static bool is_sz(ULONG type)
{
    return type == REG_SZ || type == REG_EXPAND_SZ;
}

/* The data as a UNICODE_STRING without its terminating NUL, pointing into
 * info. Embedded NULs stay, as in KMDF. */
static UNICODE_STRING sz_view(KEY_VALUE_PARTIAL_INFORMATION *info)
{
    WCHAR *data = (WCHAR *)info->Data;
    USHORT length = (USHORT)(info->DataLength & ~1u);
    if (length && data[length / sizeof(WCHAR) - 1] == 0)
        length -= sizeof(WCHAR);
    return (UNICODE_STRING){ length, length, data };
}

/* Copies a value's data into the caller's buffer: Value NULL asks for the
 * length only. IRQL PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW
 * (as much data as fits is copied; *ValueLengthQueried is the full
 * length), STATUS_OBJECT_NAME_NOT_FOUND, STATUS_ACCESS_DENIED,
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (IRQL). */
static NTSTATUS registry_query_value(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                     ULONG ValueLength, PVOID Value, PULONG ValueLengthQueried, PULONG ValueType)
{
    (void)g;
    KEY_VALUE_PARTIAL_INFORMATION *info;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryQueryValue", &status);
    if (!key)
        return status;
    status = query_partial(key->handle, ValueName, Value ? ValueLength : 0, &info);
    if (!info)
        return status;
    if (Value)
        memcpy(Value, info->Data, info->DataLength < ValueLength ? info->DataLength : ValueLength);
    if (ValueLengthQueried)
        *ValueLengthQueried = info->DataLength;
    if (ValueType)
        *ValueType = info->Type;
    free(info);
    return status;
}
FX_EXPORT(WdfRegistryQueryValue, PFN_WDFREGISTRYQUERYVALUE, registry_query_value);

/* Reads a value of any type into a new WDFMEMORY (from PoolType, the
 * driver's tag; parented to the driver unless MemoryAttributes say
 * otherwise). IRQL PASSIVE_LEVEL. STATUS_SUCCESS, the memory object's
 * creation failures (STATUS_INSUFFICIENT_RESOURCES ...), and the statuses
 * of WdfRegistryQueryValue. */
static NTSTATUS registry_query_memory(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                      POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES MemoryAttributes, WDFMEMORY *Memory,
                                      PULONG ValueType)
{
    const char *ddi = "WdfRegistryQueryMemory";
    KEY_VALUE_PARTIAL_INFORMATION *info;
    NTSTATUS status;
    void *buffer;
    struct fx_key *key = fx_key_value_call(Key, ValueName, ddi, &status);
    if (!key)
        return status;
    if (!Memory) {
        fx_violation(ddi, "Memory is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    *Memory = NULL;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(MemoryAttributes, false, ddi)) ||
        !NT_SUCCESS(status = query_whole(key->handle, ValueName, &info)))
        return status;
    struct fx_globals *globals = fx_globals_of(g);
    ULONG tag = globals->driver ? globals->driver->pool_tag : globals->public.DriverTag;
    status = fx_memory_new_pool(globals, MemoryAttributes, PoolType, tag, info->DataLength, Memory, &buffer);
    if (NT_SUCCESS(status)) {
        memcpy(buffer, info->Data, info->DataLength);
        if (ValueType)
            *ValueType = info->Type;
    }
    free(info);
    return status;
}
FX_EXPORT(WdfRegistryQueryMemory, PFN_WDFREGISTRYQUERYMEMORY, registry_query_memory);

/* Reads a REG_DWORD value. IRQL PASSIVE_LEVEL. STATUS_SUCCESS,
 * STATUS_OBJECT_TYPE_MISMATCH (not a four-byte REG_DWORD),
 * STATUS_OBJECT_NAME_NOT_FOUND, STATUS_ACCESS_DENIED,
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (IRQL). */
static NTSTATUS registry_query_ulong(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName, PULONG Value)
{
    (void)g;
    KEY_VALUE_PARTIAL_INFORMATION *info;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryQueryULong", &status);
    if (!key)
        return status;
    if (!Value) {
        fx_violation("WdfRegistryQueryULong", "Value is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    status = query_partial(key->handle, ValueName, sizeof(ULONG), &info);
    if (!info)
        return status;
    if (info->Type != REG_DWORD || (NT_SUCCESS(status) && info->DataLength != sizeof(ULONG)))
        status = STATUS_OBJECT_TYPE_MISMATCH;
    if (NT_SUCCESS(status))
        memcpy(Value, info->Data, sizeof(ULONG));
    free(info);
    return status;
}
FX_EXPORT(WdfRegistryQueryULong, PFN_WDFREGISTRYQUERYULONG, registry_query_ulong);

/* Reads a REG_SZ or REG_EXPAND_SZ value into the caller's UNICODE_STRING
 * (Length without the terminating NUL); Value NULL asks for the length
 * only, which *ValueByteLength receives (terminator included). IRQL
 * PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW (too small, or the
 * length-only form: nothing copied), STATUS_OBJECT_TYPE_MISMATCH, and the
 * statuses of WdfRegistryQueryValue. */
static NTSTATUS registry_query_unicode_string(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                             PUSHORT ValueByteLength, PUNICODE_STRING Value)
{
    (void)g;
    KEY_VALUE_PARTIAL_INFORMATION *info;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryQueryUnicodeString", &status);
    if (!key)
        return status;
    if (Value && !fx_unicode_string_valid(Value)) {
        fx_violation("WdfRegistryQueryUnicodeString", "Value is a malformed UNICODE_STRING");
        return STATUS_INVALID_PARAMETER;
    }
    status = query_partial(key->handle, ValueName, Value ? Value->MaximumLength : 0, &info);
    if (!info)
        return status;
    if (NT_SUCCESS(status) && !is_sz(info->Type))
        status = STATUS_OBJECT_TYPE_MISMATCH;
    if (status != STATUS_OBJECT_TYPE_MISMATCH && ValueByteLength)
        *ValueByteLength = (USHORT)info->DataLength;
    if (NT_SUCCESS(status) && Value) {
        UNICODE_STRING view = sz_view(info);
        memcpy(Value->Buffer, view.Buffer, view.Length);
        Value->Length = view.Length;
    }
    free(info);
    return status;
}
FX_EXPORT(WdfRegistryQueryUnicodeString, PFN_WDFREGISTRYQUERYUNICODESTRING, registry_query_unicode_string);

/* Reads a REG_SZ or REG_EXPAND_SZ value into a WDFSTRING (without the
 * terminating NUL). IRQL PASSIVE_LEVEL. STATUS_SUCCESS,
 * STATUS_OBJECT_TYPE_MISMATCH, STATUS_INVALID_BUFFER_SIZE (longer than a
 * UNICODE_STRING can hold), STATUS_INSUFFICIENT_RESOURCES, and the
 * statuses of WdfRegistryQueryValue. */
static NTSTATUS registry_query_string(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                      WDFSTRING String)
{
    (void)g;
    KEY_VALUE_PARTIAL_INFORMATION *info;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryQueryString", &status);
    if (!key)
        return status;
    if (!fx_handle_object(String, FX_TYPE_STRING, "WdfRegistryQueryString"))
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = query_whole(key->handle, ValueName, &info)))
        return status;
    if (!is_sz(info->Type))
        status = STATUS_OBJECT_TYPE_MISMATCH;
    else if (info->DataLength > 0xFFFF)
        status = STATUS_INVALID_BUFFER_SIZE;
    else {
        UNICODE_STRING view = sz_view(info);
        status = fx_string_assign(String, &view);
    }
    free(info);
    return status;
}
FX_EXPORT(WdfRegistryQueryString, PFN_WDFREGISTRYQUERYSTRING, registry_query_string);

/* Takes back what a failed WdfRegistryQueryMultiString added. */
static void multi_string_undo(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION collection, ULONG keep)
{
    while (fx_collection_get_count(g, collection) > keep) {
        WDFOBJECT item = fx_collection_get_item(g, collection, keep);
        struct fx_object *string = fx_handle_object(item, FX_TYPE_STRING, "WdfRegistryQueryMultiString");
        if (string)
            fx_object_ref(string);
        fx_collection_remove_item(g, collection, keep);
        if (string) {
            fx_object_delete(string);
            fx_object_unref(string);
        }
    }
}

/* A string object per entry of the double-NUL-terminated data, appended
 * to the collection; all or nothing. */
static NTSTATUS multi_string_add(PWDF_DRIVER_GLOBALS g, const WCHAR *data, PWDF_OBJECT_ATTRIBUTES attributes,
                                 WDFCOLLECTION collection)
{
    ULONG keep = fx_collection_get_count(g, collection);
    NTSTATUS status = STATUS_SUCCESS;

    for (const WCHAR *p = data; *p && NT_SUCCESS(status);) {
        size_t n = 0;
        while (p[n])
            n++;
        UNICODE_STRING entry = { (USHORT)(n * sizeof(WCHAR)), (USHORT)(n * sizeof(WCHAR)), (PWSTR)p };
        WDFSTRING string = NULL;
        if (n * sizeof(WCHAR) > 0xFFFE)
            status = STATUS_INVALID_BUFFER_SIZE;
        else if (NT_SUCCESS(status = fx_string_create(g, &entry, attributes, &string)) &&
                 !NT_SUCCESS(status = fx_collection_add(g, collection, (WDFOBJECT)string)))
            fx_object_delete(fx_handle_object(string, FX_TYPE_STRING, "WdfRegistryQueryMultiString"));
        p += n + 1;
    }
    if (!NT_SUCCESS(status))
        multi_string_undo(g, collection, keep);
    return status;
}

/* Appends a WDFSTRING per entry of a REG_MULTI_SZ value to Collection;
 * the strings belong to the driver unless StringsAttributes name a
 * parent. IRQL PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_OBJECT_TYPE_MISMATCH
 * (not REG_MULTI_SZ, or not double-NUL terminated),
 * STATUS_RESOURCE_DATA_NOT_FOUND (no data at all),
 * STATUS_INSUFFICIENT_RESOURCES, and the statuses of WdfRegistryQueryValue.
 * On failure the collection is as it was. */
static NTSTATUS registry_query_multi_string(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                           PWDF_OBJECT_ATTRIBUTES StringsAttributes, WDFCOLLECTION Collection)
{
    const char *ddi = "WdfRegistryQueryMultiString";
    KEY_VALUE_PARTIAL_INFORMATION *info;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, ddi, &status);
    if (!key)
        return status;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(StringsAttributes, false, ddi)))
        return status;
    if (!fx_handle_object(Collection, FX_TYPE_COLLECTION, ddi))
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = query_whole(key->handle, ValueName, &info)))
        return status;
    const WCHAR *data = (const WCHAR *)info->Data;
    ULONG chars = info->DataLength / sizeof(WCHAR);
    if (info->Type != REG_MULTI_SZ)
        status = STATUS_OBJECT_TYPE_MISMATCH;
    else if (!info->DataLength)
        status = STATUS_RESOURCE_DATA_NOT_FOUND;
    else if ((info->DataLength & 1) || chars < 2 || data[chars - 1] || data[chars - 2])
        status = STATUS_OBJECT_TYPE_MISMATCH;
    else
        status = multi_string_add(g, data, StringsAttributes, Collection);
    free(info);
    return status;
}
FX_EXPORT(WdfRegistryQueryMultiString, PFN_WDFREGISTRYQUERYMULTISTRING, registry_query_multi_string);

/* Writes a value of any type. IRQL PASSIVE_LEVEL. STATUS_SUCCESS,
 * ZwSetValueKey's failures (STATUS_ACCESS_DENIED ...),
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (IRQL). */
static NTSTATUS registry_assign_value(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                      ULONG ValueType, ULONG ValueLength, PVOID Value)
{
    (void)g;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryAssignValue", &status);
    if (!key)
        return status;
    return ZwSetValueKey(key->handle, (PUNICODE_STRING)ValueName, 0, ValueType, Value, ValueLength);
}
FX_EXPORT(WdfRegistryAssignValue, PFN_WDFREGISTRYASSIGNVALUE, registry_assign_value);

/* Writes a REG_DWORD value. IRQL PASSIVE_LEVEL. Statuses as
 * WdfRegistryAssignValue. */
static NTSTATUS registry_assign_ulong(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName, ULONG Value)
{
    (void)g;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryAssignULong", &status);
    if (!key)
        return status;
    return ZwSetValueKey(key->handle, (PUNICODE_STRING)ValueName, 0, REG_DWORD, &Value, sizeof(Value));
}
FX_EXPORT(WdfRegistryAssignULong, PFN_WDFREGISTRYASSIGNULONG, registry_assign_ulong);

/* REG_SZ data is stored with its terminating NUL. */
static NTSTATUS set_sz(HANDLE key, PCUNICODE_STRING name, const UNICODE_STRING *value)
{
    WCHAR *data = malloc(value->Length + sizeof(WCHAR));
    if (!data)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (value->Length)
        memcpy(data, value->Buffer, value->Length);
    data[value->Length / sizeof(WCHAR)] = 0;
    NTSTATUS status = ZwSetValueKey(key, (PUNICODE_STRING)name, 0, REG_SZ, data, value->Length + sizeof(WCHAR));
    free(data);
    return status;
}

/* Writes a REG_SZ value from a UNICODE_STRING. IRQL PASSIVE_LEVEL.
 * Statuses as WdfRegistryAssignValue, and STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS registry_assign_unicode_string(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                              PCUNICODE_STRING Value)
{
    (void)g;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryAssignUnicodeString", &status);
    if (!key)
        return status;
    if (!Value || !fx_unicode_string_valid(Value)) {
        fx_violation("WdfRegistryAssignUnicodeString", "Value is NULL or a malformed UNICODE_STRING");
        return STATUS_INVALID_PARAMETER;
    }
    return set_sz(key->handle, ValueName, Value);
}
FX_EXPORT(WdfRegistryAssignUnicodeString, PFN_WDFREGISTRYASSIGNUNICODESTRING, registry_assign_unicode_string);

/* Writes a REG_SZ value from a WDFSTRING. IRQL PASSIVE_LEVEL. Statuses as
 * WdfRegistryAssignUnicodeString. */
static NTSTATUS registry_assign_string(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                       WDFSTRING String)
{
    UNICODE_STRING value;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryAssignString", &status);
    if (!key)
        return status;
    if (!fx_handle_object(String, FX_TYPE_STRING, "WdfRegistryAssignString"))
        return STATUS_INVALID_PARAMETER;
    fx_string_get_unicode_string(g, String, &value);
    return set_sz(key->handle, ValueName, &value);
}
FX_EXPORT(WdfRegistryAssignString, PFN_WDFREGISTRYASSIGNSTRING, registry_assign_string);

/* The collection's strings as REG_MULTI_SZ data (each with its NUL, one
 * more NUL at the end; two for no strings), malloc'd; NULL with *status
 * STATUS_INVALID_PARAMETER (an item is not a WDFSTRING, reported),
 * STATUS_INVALID_BUFFER_SIZE or STATUS_INSUFFICIENT_RESOURCES. */
static WCHAR *multi_sz_build(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION collection, ULONG *bytes, NTSTATUS *status)
{
    ULONG count = fx_collection_get_count(g, collection);
    UNICODE_STRING *values = calloc(count + 1, sizeof(*values));
    size_t total = sizeof(WCHAR) * (count ? 1 : 2);
    WCHAR *data = NULL;

    *status = STATUS_INSUFFICIENT_RESOURCES;
    for (ULONG i = 0; values && i < count; i++) {
        WDFOBJECT item = fx_collection_get_item(g, collection, i);
        if (!fx_handle_object(item, FX_TYPE_STRING, "WdfRegistryAssignMultiString")) {
            *status = STATUS_INVALID_PARAMETER;
            goto out;
        }
        fx_string_get_unicode_string(g, (WDFSTRING)item, &values[i]);
        total += values[i].Length + sizeof(WCHAR);
    }
    if (!values || total > 0xFFFFFFFFu || !(data = calloc(1, total))) {
        *status = values && total > 0xFFFFFFFFu ? STATUS_INVALID_BUFFER_SIZE : STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    for (ULONG i = 0, at = 0; i < count; i++) {
        memcpy(&data[at], values[i].Buffer, values[i].Length);
        at += values[i].Length / sizeof(WCHAR) + 1;
    }
    *bytes = (ULONG)total;
    *status = STATUS_SUCCESS;
out:
    free(values);
    return data;
}

/* Writes a REG_MULTI_SZ value from a collection of WDFSTRINGs. IRQL
 * PASSIVE_LEVEL. Statuses as WdfRegistryAssignValue, and
 * STATUS_INSUFFICIENT_RESOURCES; STATUS_INVALID_PARAMETER also when an
 * item is not a string. */
static NTSTATUS registry_assign_multi_string(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                            WDFCOLLECTION StringsCollection)
{
    ULONG bytes = 0;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, "WdfRegistryAssignMultiString", &status);
    if (!key)
        return status;
    if (!fx_handle_object(StringsCollection, FX_TYPE_COLLECTION, "WdfRegistryAssignMultiString"))
        return STATUS_INVALID_PARAMETER;
    WCHAR *data = multi_sz_build(g, StringsCollection, &bytes, &status);
    if (!data)
        return status;
    status = ZwSetValueKey(key->handle, (PUNICODE_STRING)ValueName, 0, REG_MULTI_SZ, data, bytes);
    free(data);
    return status;
}
FX_EXPORT(WdfRegistryAssignMultiString, PFN_WDFREGISTRYASSIGNMULTISTRING, registry_assign_multi_string);

/* The bytes of a WDFMEMORY an offsets window selects (all of it for NULL;
 * BufferLength 0 means to the end). Through WdfMemoryGetBuffer, as a
 * driver would reach them. STATUS_INVALID_PARAMETER (bad handle),
 * STATUS_INVALID_BUFFER_SIZE (a window past the end),
 * STATUS_INTEGER_OVERFLOW (longer than a value can be). */
static NTSTATUS memory_window(PWDF_DRIVER_GLOBALS g, WDFMEMORY Memory, PWDFMEMORY_OFFSET offsets, const char *ddi,
                              const void **data, ULONG *length)
{
    size_t size = 0;

    if (!fx_handle_object(Memory, FX_TYPE_MEMORY, ddi))
        return STATUS_INVALID_PARAMETER;
    PFN_WDFMEMORYGETBUFFER get_buffer = (PFN_WDFMEMORYGETBUFFER)fx_function_table()[WdfMemoryGetBufferTableIndex];
    const char *buffer = get_buffer(g, Memory, &size);
    size_t offset = offsets ? offsets->BufferOffset : 0;
    size_t count = offsets && offsets->BufferLength ? offsets->BufferLength : size - (offset <= size ? offset : size);
    if (offset > size || count > size - offset) {
        fx_violation(ddi, "WDFMEMORY_OFFSET (%zu, %zu) is outside the %zu-byte buffer", offset, count, size);
        return STATUS_INVALID_BUFFER_SIZE;
    }
    if (count > 0xFFFFFFFFu)
        return STATUS_INTEGER_OVERFLOW;
    *data = buffer + offset;
    *length = (ULONG)count;
    return STATUS_SUCCESS;
}

/* Writes a value of ValueType from a WDFMEMORY, or the window of it
 * MemoryOffsets selects. IRQL PASSIVE_LEVEL. Statuses as
 * WdfRegistryAssignValue, and those of the window above. */
static NTSTATUS registry_assign_memory(PWDF_DRIVER_GLOBALS g, WDFKEY Key, PCUNICODE_STRING ValueName,
                                       ULONG ValueType, WDFMEMORY Memory, PWDFMEMORY_OFFSET MemoryOffsets)
{
    const char *ddi = "WdfRegistryAssignMemory";
    const void *data;
    ULONG length;
    NTSTATUS status;
    struct fx_key *key = fx_key_value_call(Key, ValueName, ddi, &status);
    if (!key)
        return status;
    if (!NT_SUCCESS(status = memory_window(g, Memory, MemoryOffsets, ddi, &data, &length)))
        return status;
    return ZwSetValueKey(key->handle, (PUNICODE_STRING)ValueName, 0, ValueType, (PVOID)data, length);
}
FX_EXPORT(WdfRegistryAssignMemory, PFN_WDFREGISTRYASSIGNMEMORY, registry_assign_memory);
