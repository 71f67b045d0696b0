/*
 * The registry value DDIs: setting, querying, deleting and enumerating
 * values, and the value information classes.
 *
 * Every query builds the whole structure, then hands the caller what fits
 * (nt_reg_copy_out): a buffer smaller than the fixed part gets nothing and
 * STATUS_BUFFER_TOO_SMALL; a larger one too small for the rest gets the
 * fixed part with the name or data cut short and STATUS_BUFFER_OVERFLOW;
 * ResultLength is always the full size.
 */
#define NT_REGISTRY_IMPL
#include "nt/registry.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool value_class_is_supported(KEY_VALUE_INFORMATION_CLASS cls)
{
    return cls == KeyValueBasicInformation || cls == KeyValueFullInformation ||
           cls == KeyValuePartialInformation || cls == KeyValueFullInformationAlign64 ||
           cls == KeyValuePartialInformationAlign64;
}

static bool value_class_is_align64(KEY_VALUE_INFORMATION_CLASS cls)
{
    return cls == KeyValueFullInformationAlign64 || cls == KeyValuePartialInformationAlign64;
}

/* Checks made before the key is looked at: the class, then the buffer. */
static NTSTATUS check_query(KEY_VALUE_INFORMATION_CLASS cls, PVOID out, ULONG length, PULONG result_length)
{
    if (!value_class_is_supported(cls) || !result_length || (!out && length))
        return STATUS_INVALID_PARAMETER;
    if (value_class_is_align64(cls) && ((uintptr_t)out & 7))
        return STATUS_DATATYPE_MISALIGNMENT;
    return STATUS_SUCCESS;
}

static size_t align_up(size_t n, size_t to)
{
    return (n + to - 1) & ~(to - 1);
}

/* KEY_VALUE_FULL_INFORMATION: the data follows the name, its offset aligned
 * to a ULONG, or to 8 bytes for the Align64 class. */
static UCHAR *full_image(const struct regstore_value *v, size_t units, size_t align, size_t *size)
{
    size_t data_at = align_up(offsetof(KEY_VALUE_FULL_INFORMATION, Name) + units * sizeof(WCHAR), align);
    UCHAR *image = calloc(1, data_at + v->size + sizeof(KEY_VALUE_FULL_INFORMATION));

    if (!image)
        return NULL;
    *(KEY_VALUE_FULL_INFORMATION *)image = (KEY_VALUE_FULL_INFORMATION){
        .Type = v->type, .DataOffset = (ULONG)data_at, .DataLength = (ULONG)v->size,
        .NameLength = (ULONG)(units * sizeof(WCHAR)) };
    nt_reg_utf16_from_utf8(v->name, ((KEY_VALUE_FULL_INFORMATION *)image)->Name);
    memcpy(image + data_at, v->data, v->size);
    *size = data_at + v->size;
    return image;
}

/* The structure of class `cls` about value v; *fixed is its fixed part. */
static UCHAR *value_image(KEY_VALUE_INFORMATION_CLASS cls, const struct regstore_value *v, size_t *size,
                          size_t *fixed)
{
    size_t units = nt_reg_utf16_from_utf8(v->name, NULL);
    UCHAR *image;

    switch (cls) {
    case KeyValueBasicInformation:
        *fixed = offsetof(KEY_VALUE_BASIC_INFORMATION, Name);
        *size = *fixed + units * sizeof(WCHAR);
        if ((image = calloc(1, *size + sizeof(KEY_VALUE_BASIC_INFORMATION))) != NULL) {
            *(KEY_VALUE_BASIC_INFORMATION *)image = (KEY_VALUE_BASIC_INFORMATION){
                .Type = v->type, .NameLength = (ULONG)(units * sizeof(WCHAR)) };
            nt_reg_utf16_from_utf8(v->name, ((KEY_VALUE_BASIC_INFORMATION *)image)->Name);
        }
        return image;
    case KeyValueFullInformation:
    case KeyValueFullInformationAlign64:
        *fixed = offsetof(KEY_VALUE_FULL_INFORMATION, Name);
        return full_image(v, units, cls == KeyValueFullInformation ? sizeof(ULONG) : 8, size);
    case KeyValuePartialInformation:
        *fixed = offsetof(KEY_VALUE_PARTIAL_INFORMATION, Data);
        *size = *fixed + v->size;
        if ((image = calloc(1, *size + sizeof(KEY_VALUE_PARTIAL_INFORMATION))) != NULL) {
            *(KEY_VALUE_PARTIAL_INFORMATION *)image = (KEY_VALUE_PARTIAL_INFORMATION){
                .Type = v->type, .DataLength = (ULONG)v->size };
            memcpy(image + *fixed, v->data, v->size);
        }
        return image;
    default:
        *fixed = offsetof(KEY_VALUE_PARTIAL_INFORMATION_ALIGN64, Data);
        *size = *fixed + v->size;
        if ((image = calloc(1, *size + sizeof(KEY_VALUE_PARTIAL_INFORMATION_ALIGN64))) != NULL) {
            *(KEY_VALUE_PARTIAL_INFORMATION_ALIGN64 *)image = (KEY_VALUE_PARTIAL_INFORMATION_ALIGN64){
                .Type = v->type, .DataLength = (ULONG)v->size };
            memcpy(image + *fixed, v->data, v->size);
        }
        return image;
    }
}

static NTSTATUS value_copy_out(KEY_VALUE_INFORMATION_CLASS cls, struct regstore_value *v, PVOID out,
                               ULONG length, PULONG result_length)
{
    size_t size, fixed;
    UCHAR *image = value_image(cls, v, &size, &fixed);
    NTSTATUS status = image ? nt_reg_copy_out(image, (ULONG)size, (ULONG)fixed, out, length, result_length)
                            : STATUS_INSUFFICIENT_RESOURCES;

    free(image);
    regstore_value_clear(v);
    return status;
}

/* Sets a value, replacing one of the same name (PASSIVE_LEVEL). Any Type
 * number is kept as given; an empty name is the key's default value.
 * KEY_SET_VALUE access. STATUS_SUCCESS, STATUS_ACCESS_DENIED,
 * STATUS_INVALID_HANDLE, STATUS_KEY_DELETED, STATUS_OBJECT_NAME_INVALID,
 * STATUS_INVALID_PARAMETER (name too long, no data),
 * STATUS_INSUFFICIENT_RESOURCES (data over 1 MiB). */
KMH_EXPORT NTSTATUS ZwSetValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName, ULONG TitleIndex,
                                  ULONG Type, PVOID Data, ULONG DataSize)
{
    struct nt_reg_call call;
    char *name = NULL;
    NTSTATUS status;

    (void)TitleIndex;
    nt_reg_check_irql("ZwSetValueKey", __builtin_return_address(0));
    if (!ValueName || (!Data && DataSize))
        return STATUS_INVALID_PARAMETER;
    status = nt_reg_call_begin(&call, KeyHandle, KEY_SET_VALUE);
    if (NT_SUCCESS(status) && nt_reg_name_from_ustr(ValueName, &name))
        status = STATUS_OBJECT_NAME_INVALID;
    if (NT_SUCCESS(status))
        status = nt_reg_status(regstore_value_set(call.rs, call.key, name, Type, Data ? Data : "", DataSize),
                               NT_REG_VALUE);
    nt_reg_call_end(&call);
    free(name);
    return status;
}

/* Reads a value by name (PASSIVE_LEVEL) as Basic, Full, Partial,
 * FullAlign64 or PartialAlign64 information. KEY_QUERY_VALUE access.
 * STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW (partial data),
 * STATUS_BUFFER_TOO_SMALL (none), STATUS_OBJECT_NAME_NOT_FOUND,
 * STATUS_INVALID_PARAMETER (class), STATUS_DATATYPE_MISALIGNMENT (an
 * Align64 class into a buffer not 8-byte aligned), STATUS_ACCESS_DENIED,
 * STATUS_INVALID_HANDLE, STATUS_KEY_DELETED, STATUS_OBJECT_NAME_INVALID. */
KMH_EXPORT NTSTATUS ZwQueryValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName,
                                    KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass, PVOID KeyValueInformation,
                                    ULONG Length, PULONG ResultLength)
{
    struct nt_reg_call call = { 0 };
    struct regstore_value value;
    char *name = NULL;
    NTSTATUS status;

    nt_reg_check_irql("ZwQueryValueKey", __builtin_return_address(0));
    if (!ValueName)
        return STATUS_INVALID_PARAMETER;
    status = check_query(KeyValueInformationClass, KeyValueInformation, Length, ResultLength);
    if (NT_SUCCESS(status))
        status = nt_reg_call_begin(&call, KeyHandle, KEY_QUERY_VALUE);
    if (NT_SUCCESS(status) && nt_reg_name_from_ustr(ValueName, &name))
        status = STATUS_OBJECT_NAME_INVALID;
    if (NT_SUCCESS(status))
        status = nt_reg_status(regstore_value_query(call.rs, call.key, name, &value), NT_REG_VALUE);
    if (NT_SUCCESS(status))
        status = value_copy_out(KeyValueInformationClass, &value, KeyValueInformation, Length, ResultLength);
    nt_reg_call_end(&call);
    free(name);
    return status;
}

/* Deletes a value (PASSIVE_LEVEL). KEY_SET_VALUE access. STATUS_SUCCESS,
 * STATUS_OBJECT_NAME_NOT_FOUND, STATUS_ACCESS_DENIED, STATUS_INVALID_HANDLE,
 * STATUS_KEY_DELETED, STATUS_OBJECT_NAME_INVALID, STATUS_INVALID_PARAMETER. */
KMH_EXPORT NTSTATUS ZwDeleteValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName)
{
    struct nt_reg_call call;
    char *name = NULL;
    NTSTATUS status;

    nt_reg_check_irql("ZwDeleteValueKey", __builtin_return_address(0));
    if (!ValueName)
        return STATUS_INVALID_PARAMETER;
    status = nt_reg_call_begin(&call, KeyHandle, KEY_SET_VALUE);
    if (NT_SUCCESS(status) && nt_reg_name_from_ustr(ValueName, &name))
        status = STATUS_OBJECT_NAME_INVALID;
    if (NT_SUCCESS(status))
        status = nt_reg_status(regstore_value_delete(call.rs, call.key, name), NT_REG_VALUE);
    nt_reg_call_end(&call);
    free(name);
    return status;
}

/* The value at Index, in creation order (PASSIVE_LEVEL), as in
 * ZwQueryValueKey. KEY_QUERY_VALUE access. ZwQueryValueKey's statuses, and
 * STATUS_NO_MORE_ENTRIES past the last value. */
KMH_EXPORT NTSTATUS ZwEnumerateValueKey(HANDLE KeyHandle, ULONG Index,
                                        KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
                                        PVOID KeyValueInformation, ULONG Length, PULONG ResultLength)
{
    struct nt_reg_call call = { 0 };
    struct regstore_value value;
    NTSTATUS status;

    nt_reg_check_irql("ZwEnumerateValueKey", __builtin_return_address(0));
    status = check_query(KeyValueInformationClass, KeyValueInformation, Length, ResultLength);
    if (NT_SUCCESS(status))
        status = nt_reg_call_begin(&call, KeyHandle, KEY_QUERY_VALUE);
    if (NT_SUCCESS(status))
        status = nt_reg_status(regstore_value_enum(call.rs, call.key, Index, &value), NT_REG_ENUM);
    if (NT_SUCCESS(status))
        status = value_copy_out(KeyValueInformationClass, &value, KeyValueInformation, Length, ResultLength);
    nt_reg_call_end(&call);
    return status;
}

#ifndef NtSetValueKey
KMH_EXPORT NTSTATUS NtSetValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName, ULONG TitleIndex,
                                  ULONG Type, PVOID Data, ULONG DataSize)
{
    return ZwSetValueKey(KeyHandle, ValueName, TitleIndex, Type, Data, DataSize);
}
#endif
#ifndef NtQueryValueKey
KMH_EXPORT NTSTATUS NtQueryValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName,
                                    KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass, PVOID KeyValueInformation,
                                    ULONG Length, PULONG ResultLength)
{
    return ZwQueryValueKey(KeyHandle, ValueName, KeyValueInformationClass, KeyValueInformation, Length,
                           ResultLength);
}
#endif
#ifndef NtDeleteValueKey
KMH_EXPORT NTSTATUS NtDeleteValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName)
{
    return ZwDeleteValueKey(KeyHandle, ValueName);
}
#endif
#ifndef NtEnumerateValueKey
KMH_EXPORT NTSTATUS NtEnumerateValueKey(HANDLE KeyHandle, ULONG Index,
                                        KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
                                        PVOID KeyValueInformation, ULONG Length, PULONG ResultLength)
{
    return ZwEnumerateValueKey(KeyHandle, Index, KeyValueInformationClass, KeyValueInformation, Length,
                               ResultLength);
}
#endif
