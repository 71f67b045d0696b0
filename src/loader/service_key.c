/*
 * Reading a service's key the way a driver would see it: through the Zw
 * registry DDIs, so the loader depends only on the documented registry.
 */
#include "loader/loader.h"
#include "loader/loader_private.h"

#include <stdio.h>
#include <stdlib.h>

#define SERVICES_PATH "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"

size_t ldr_utf16_to_utf8(const WCHAR *in, size_t in_chars, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < in_chars && in[i]; i++) {
        uint32_t c = in[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < in_chars && in[i + 1] >= 0xDC00 && in[i + 1] < 0xE000)
            c = 0x10000 + ((c - 0xD800) << 10) + (in[++i] - 0xDC00);
        char buf[4];
        size_t len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (len == 1) {
            buf[0] = (char)c;
        } else {
            for (size_t k = len - 1; k > 0; k--, c >>= 6)
                buf[k] = (char)(0x80 | (c & 0x3F));
            buf[0] = (char)((len == 2 ? 0xC0 : len == 3 ? 0xE0 : 0xF0) | c);
        }
        for (size_t k = 0; k < len && n + 1 < size; k++)
            out[n++] = buf[k];
    }
    if (size)
        out[n] = 0;
    return n;
}

/* ASCII-only conversion for names kmhost makes itself (service names are
 * plain identifiers in practice; non-ASCII bytes pass through as Latin-1). */
WCHAR *ldr_ascii_to_utf16(const char *in)
{
    size_t n = strlen(in);
    WCHAR *out = malloc((n + 1) * sizeof(WCHAR));
    if (!out)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        out[i] = (WCHAR)(unsigned char)in[i];
    return out;
}

int ldr_service_key_path(const char *service_name, WCHAR **out)
{
    char path[512];
    if (snprintf(path, sizeof(path), SERVICES_PATH "%s", service_name) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    *out = ldr_ascii_to_utf16(path);
    return *out ? 0 : -ENOMEM;
}

static NTSTATUS open_service_key(const char *service_name, HANDLE *key)
{
    WCHAR *path;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES attributes;

    if (ldr_service_key_path(service_name, &path))
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlInitUnicodeString(&name, path);
    InitializeObjectAttributes(&attributes, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    NTSTATUS status = ZwOpenKey(key, KEY_READ, &attributes);
    free(path);
    return status;
}

union value_buffer {
    KEY_VALUE_PARTIAL_INFORMATION info;
    UCHAR bytes[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + 2048];
};

static NTSTATUS query_value(const char *service_name, const WCHAR *value_name, union value_buffer *buffer)
{
    UNICODE_STRING value;
    ULONG length;
    HANDLE key;
    NTSTATUS status = open_service_key(service_name, &key);

    if (!NT_SUCCESS(status))
        return status;
    RtlInitUnicodeString(&value, value_name);
    status = ZwQueryValueKey(key, &value, KeyValuePartialInformation, buffer, sizeof(*buffer), &length);
    ZwClose(key);
    return status;
}

NTSTATUS ldr_service_query_string(const char *service_name, const WCHAR *value_name, char *out, size_t size)
{
    union value_buffer buffer;
    NTSTATUS status = query_value(service_name, value_name, &buffer);

    if (!NT_SUCCESS(status))
        return status;
    if (buffer.info.Type != REG_SZ && buffer.info.Type != REG_EXPAND_SZ)
        return STATUS_OBJECT_TYPE_MISMATCH;
    ldr_utf16_to_utf8((const WCHAR *)buffer.info.Data, buffer.info.DataLength / sizeof(WCHAR), out, size);
    return STATUS_SUCCESS;
}

NTSTATUS ldr_service_query_dword(const char *service_name, const WCHAR *value_name, ULONG *out)
{
    union value_buffer buffer;
    NTSTATUS status = query_value(service_name, value_name, &buffer);

    if (!NT_SUCCESS(status))
        return status;
    if (buffer.info.Type != REG_DWORD || buffer.info.DataLength != sizeof(ULONG))
        return STATUS_OBJECT_TYPE_MISMATCH;
    memcpy(out, buffer.info.Data, sizeof(ULONG));
    return STATUS_SUCCESS;
}
