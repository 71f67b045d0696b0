/*
 * The Rtl registry helpers, built on the Zw routines as on Windows:
 * RtlQueryRegistryValues(Ex) with its query tables, RtlWriteRegistryValue,
 * RtlDeleteRegistryValue, RtlCreateRegistryKey and RtlCheckRegistryKey.
 *
 * Choices where the documentation leaves room:
 * - RTL_REGISTRY_OPTIONAL: a missing key reads as an empty one (entries get
 *   their defaults; REQUIRED ones still fail). A missing SUBKEY without
 *   REQUIRED is the same.
 * - RTL_QUERY_REGISTRY_REQUIRED fails a missing value only when the entry
 *   has no default (DefaultType REG_NONE).
 * - A SUBKEY or TOPKEY entry with a QueryRoutine reports every value of the
 *   key it moves to; NOVALUE with no Name makes one REG_NONE callback.
 * - RTL_QUERY_REGISTRY_NOSTRING (deprecated) makes DIRECT store string
 *   data by the non-string rules, so it cannot land in a UNICODE_STRING.
 * - RtlQueryRegistryValuesEx is RtlQueryRegistryValues.
 */
#define NT_REGISTRY_IMPL
#include "nt/registry.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The tag RtlFreeUnicodeString frees with (the text module's
 * NT_STRING_POOL_TAG, "Strg"): DIRECT strings are the caller's to free so. */
#define RTL_STRING_TAG 0x67727453u

static const WCHAR *const rtl_roots[RTL_REGISTRY_MAXIMUM] = {
    [RTL_REGISTRY_ABSOLUTE] = L"",
    [RTL_REGISTRY_SERVICES] = L"\\Registry\\Machine\\System\\CurrentControlSet\\Services",
    [RTL_REGISTRY_CONTROL] = L"\\Registry\\Machine\\System\\CurrentControlSet\\Control",
    [RTL_REGISTRY_WINDOWS_NT] = L"\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion",
    [RTL_REGISTRY_DEVICEMAP] = L"\\Registry\\Machine\\Hardware\\DeviceMap",
    /* A system thread's current user. */
    [RTL_REGISTRY_USER] = L"\\Registry\\User\\.Default",
};

static NTSTATUS ustr_from(UNICODE_STRING *u, PCWSTR s)
{
    size_t bytes = s ? nt_reg_wcslen(s) * sizeof(WCHAR) : 0;

    if (bytes > UNICODE_STRING_MAX_BYTES - sizeof(WCHAR))
        return STATUS_NAME_TOO_LONG;
    u->Buffer = (PWSTR)s;
    u->Length = (USHORT)bytes;
    u->MaximumLength = (USHORT)(s ? bytes + sizeof(WCHAR) : 0);
    return STATUS_SUCCESS;
}

/* The absolute path RelativeTo and Path name, malloc'd. */
static NTSTATUS rtl_path(ULONG relative_to, PCWSTR path, WCHAR **out)
{
    ULONG base = relative_to & ~RTL_REGISTRY_OPTIONAL;
    const WCHAR *root;
    size_t root_len, path_len, n = 0;

    if (base >= RTL_REGISTRY_MAXIMUM || (base == RTL_REGISTRY_ABSOLUTE && !path))
        return STATUS_INVALID_PARAMETER;
    root = rtl_roots[base];
    root_len = nt_reg_wcslen(root);
    if (path && root_len && path[0] == '\\')
        path++;
    path_len = path ? nt_reg_wcslen(path) : 0;
    if (!(*out = malloc((root_len + 1 + path_len + 1) * sizeof(WCHAR))))
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(*out, root, root_len * sizeof(WCHAR));
    n = root_len;
    if (root_len && path_len)
        (*out)[n++] = '\\';
    if (path_len)
        memcpy(*out + n, path, path_len * sizeof(WCHAR));
    (*out)[n + path_len] = 0;
    return STATUS_SUCCESS;
}

/* The key RelativeTo and Path name, opened (or created, last component only)
 * with full access; *owned says whether the caller closes it. */
static NTSTATUS rtl_open(ULONG relative_to, PCWSTR path, bool create, HANDLE *key, bool *owned)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES attributes;
    WCHAR *full;
    NTSTATUS status;

    *owned = false;
    if (relative_to & RTL_REGISTRY_HANDLE) {
        *key = (HANDLE)path;
        return path ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
    }
    if (!NT_SUCCESS(status = rtl_path(relative_to, path, &full)))
        return status;
    status = ustr_from(&name, full);
    InitializeObjectAttributes(&attributes, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    if (NT_SUCCESS(status))
        status = create ? ZwCreateKey(key, KEY_ALL_ACCESS, &attributes, 0, NULL, REG_OPTION_NON_VOLATILE, NULL)
                        : ZwOpenKey(key, KEY_ALL_ACCESS, &attributes);
    free(full);
    *owned = NT_SUCCESS(status);
    return status;
}

static void rtl_close(HANDLE key, bool owned)
{
    if (owned)
        ZwClose(key);
}

/* --- Reading values ----------------------------------------------------------- */

struct rtl_value {
    PWSTR name;   /* NUL-terminated, for the QueryRoutine */
    ULONG type;
    UCHAR *data;  /* followed by two zero WCHARs, so strings end */
    ULONG size;
    KEY_VALUE_FULL_INFORMATION *info; /* what name (when enumerated) and data live in */
};

static void rtl_value_free(struct rtl_value *v)
{
    free(v->info);
    v->info = NULL;
}

/* The value called name, or (name NULL) the one at index. */
static NTSTATUS rtl_fetch(HANDLE key, PUNICODE_STRING name, ULONG index, struct rtl_value *v)
{
    ULONG need = 0;
    NTSTATUS status = STATUS_BUFFER_TOO_SMALL;

    v->info = NULL;
    /* Retried while another thread makes the value longer between calls. */
    for (int tries = 0; tries < 8 && (status == STATUS_BUFFER_TOO_SMALL || status == STATUS_BUFFER_OVERFLOW);
         tries++) {
        free(v->info);
        if (!(v->info = calloc(1, need + 4 * sizeof(WCHAR))))
            return STATUS_INSUFFICIENT_RESOURCES;
        status = name ? ZwQueryValueKey(key, name, KeyValueFullInformation, v->info, need, &need)
                      : ZwEnumerateValueKey(key, index, KeyValueFullInformation, v->info, need, &need);
    }
    if (!NT_SUCCESS(status)) {
        rtl_value_free(v);
        return status;
    }
    v->type = v->info->Type;
    v->size = v->info->DataLength;
    v->data = (UCHAR *)v->info + v->info->DataOffset;
    v->name = name ? name->Buffer : NULL; /* enumerating: see rtl_value_name */
    return STATUS_SUCCESS;
}

/* An enumerated value's name as a C string of WCHARs (malloc'd). */
static PWSTR rtl_value_name(const struct rtl_value *v)
{
    ULONG bytes = v->info->NameLength;
    PWSTR name = malloc(bytes + sizeof(WCHAR));

    if (name) {
        memcpy(name, v->info->Name, bytes);
        name[bytes / sizeof(WCHAR)] = 0;
    }
    return name;
}

/* --- Handing a value to the table entry ---------------------------------------- */

struct rtl_query {
    PRTL_QUERY_REGISTRY_TABLE entry;
    PVOID context;
    PVOID environment;
};

static bool is_string_type(ULONG type)
{
    return type == REG_SZ || type == REG_EXPAND_SZ || type == REG_MULTI_SZ;
}

/* DIRECT string data into the caller's UNICODE_STRING: its own buffer if it
 * has one (room for the terminator included), else one from paged pool. */
static NTSTATUS direct_string(UNICODE_STRING *dst, const void *data, ULONG size)
{
    ULONG length = size & ~1u;

    if (length >= sizeof(WCHAR) && ((const WCHAR *)data)[length / sizeof(WCHAR) - 1] == 0)
        length -= sizeof(WCHAR);
    if (length > UNICODE_STRING_MAX_BYTES - sizeof(WCHAR))
        return STATUS_BUFFER_TOO_SMALL;
    if (!dst->Buffer) {
        if (!(dst->Buffer = ExAllocatePool2(POOL_FLAG_PAGED, length + sizeof(WCHAR), RTL_STRING_TAG)))
            return STATUS_INSUFFICIENT_RESOURCES;
        dst->MaximumLength = (USHORT)(length + sizeof(WCHAR));
    } else if (length + sizeof(WCHAR) > dst->MaximumLength) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    memcpy(dst->Buffer, data, length);
    dst->Buffer[length / sizeof(WCHAR)] = 0;
    dst->Length = (USHORT)length;
    return STATUS_SUCCESS;
}

/* DIRECT non-string data: up to a ULONG in place; larger data into a buffer
 * whose first LONG gives its size, negative for the data alone, positive
 * for length and type first. */
static NTSTATUS direct_binary(UCHAR *dst, ULONG type, const void *data, ULONG size)
{
    LONG room;
    ULONG header[2] = { size, type };

    if (size <= sizeof(ULONG)) {
        memcpy(dst, data, size);
        return STATUS_SUCCESS;
    }
    memcpy(&room, dst, sizeof(room));
    if (room < 0) {
        if (-(int64_t)room < size)
            return STATUS_BUFFER_TOO_SMALL;
        memcpy(dst, data, size);
        return STATUS_SUCCESS;
    }
    if ((uint64_t)room < (uint64_t)size + sizeof(header))
        return STATUS_BUFFER_TOO_SMALL;
    memcpy(dst, header, sizeof(header));
    memcpy(dst + sizeof(header), data, size);
    return STATUS_SUCCESS;
}

static NTSTATUS deliver_one(struct rtl_query *q, PWSTR name, ULONG type, void *data, ULONG size)
{
    PRTL_QUERY_REGISTRY_TABLE e = q->entry;
    NTSTATUS status;

    if (e->Flags & RTL_QUERY_REGISTRY_DIRECT) {
        if (is_string_type(type) && !(e->Flags & RTL_QUERY_REGISTRY_NOSTRING))
            return direct_string(e->EntryContext, data, size);
        return direct_binary(e->EntryContext, type, data, size);
    }
    /* The driver's routine may call the registry itself: its calls are its own. */
    nt_reg_rtl_leave();
    status = e->QueryRoutine(name, type, data, size, q->context, e->EntryContext);
    nt_reg_rtl_enter(NULL, NULL);
    /* Documented: a routine's STATUS_BUFFER_TOO_SMALL does not end the query. */
    return status == STATUS_BUFFER_TOO_SMALL ? STATUS_SUCCESS : status;
}

/* Strings in data[0..size) without the terminators at the end. */
static size_t string_units(const void *data, ULONG size)
{
    const WCHAR *s = data;
    size_t units = size / sizeof(WCHAR);

    while (units && !s[units - 1])
        units--;
    return units;
}

static NTSTATUS deliver_expanded(struct rtl_query *q, PWSTR name, void *data, ULONG size)
{
    size_t units;
    WCHAR *expanded = nt_reg_expand(data, string_units(data, size), q->environment, &units);
    NTSTATUS status;

    if (!expanded)
        return STATUS_INSUFFICIENT_RESOURCES;
    status = deliver_one(q, name, REG_SZ, expanded, (ULONG)((units + 1) * sizeof(WCHAR)));
    free(expanded);
    return status;
}

/* Each string of a REG_MULTI_SZ as a REG_SZ of the same name. */
static NTSTATUS deliver_each(struct rtl_query *q, PWSTR name, void *data, ULONG size)
{
    WCHAR *s = data;
    size_t units = size / sizeof(WCHAR);
    NTSTATUS status = STATUS_SUCCESS;

    for (size_t i = 0; i < units && s[i] && NT_SUCCESS(status);) {
        size_t n = 0;
        while (i + n < units && s[i + n])
            n++;
        status = deliver_one(q, name, REG_SZ, s + i, (ULONG)((n + 1) * sizeof(WCHAR)));
        i += n + 1;
    }
    return status;
}

static NTSTATUS deliver(struct rtl_query *q, PWSTR name, ULONG type, void *data, ULONG size)
{
    ULONG flags = q->entry->Flags;

    if (type == REG_EXPAND_SZ && !(flags & RTL_QUERY_REGISTRY_NOEXPAND))
        return deliver_expanded(q, name, data, size);
    if (type == REG_MULTI_SZ && !(flags & (RTL_QUERY_REGISTRY_NOEXPAND | RTL_QUERY_REGISTRY_DIRECT)))
        return deliver_each(q, name, data, size);
    return deliver_one(q, name, type, data, size);
}

/* --- The query table ---------------------------------------------------------- */

static ULONG default_length(ULONG type, const WCHAR *data, ULONG length)
{
    size_t n = 0;

    if (length || !data || !is_string_type(type))
        return length;
    if (type != REG_MULTI_SZ)
        return (ULONG)((nt_reg_wcslen(data) + 1) * sizeof(WCHAR));
    while (data[n])
        n += nt_reg_wcslen(data + n) + 1;
    return (ULONG)((n + 1) * sizeof(WCHAR));
}

static NTSTATUS query_default(struct rtl_query *q)
{
    PRTL_QUERY_REGISTRY_TABLE e = q->entry;
    /* With TYPECHECK the top byte is the expected type, not the default's. */
    ULONG type = (e->Flags & RTL_QUERY_REGISTRY_TYPECHECK) ? e->DefaultType & 0x00FFFFFF : e->DefaultType;

    if (type == REG_NONE)
        return (e->Flags & RTL_QUERY_REGISTRY_REQUIRED) ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_SUCCESS;
    return deliver(q, e->Name, type, e->DefaultData, default_length(type, e->DefaultData, e->DefaultLength));
}

/* key is NULL for a key that is missing but optional. */
static NTSTATUS query_named(struct rtl_query *q, HANDLE key)
{
    PRTL_QUERY_REGISTRY_TABLE e = q->entry;
    struct rtl_value v;
    UNICODE_STRING name;
    NTSTATUS status = ustr_from(&name, e->Name);

    if (NT_SUCCESS(status))
        status = key ? rtl_fetch(key, &name, 0, &v) : STATUS_OBJECT_NAME_NOT_FOUND;
    if (status == STATUS_OBJECT_NAME_NOT_FOUND)
        return query_default(q);
    if (!NT_SUCCESS(status))
        return status;
    if ((e->Flags & RTL_QUERY_REGISTRY_TYPECHECK) && v.type != e->DefaultType >> RTL_QUERY_REGISTRY_TYPECHECK_SHIFT)
        status = STATUS_OBJECT_TYPE_MISMATCH;
    else
        status = deliver(q, e->Name, v.type, v.data, v.size);
    if (NT_SUCCESS(status) && (e->Flags & RTL_QUERY_REGISTRY_DELETE))
        status = ZwDeleteValueKey(key, &name);
    rtl_value_free(&v);
    return status;
}

static NTSTATUS deliver_and_delete(struct rtl_query *q, HANDLE key, struct rtl_value *v, bool *deleted)
{
    UNICODE_STRING name;
    NTSTATUS status;

    if (!(v->name = rtl_value_name(v)))
        return STATUS_INSUFFICIENT_RESOURCES;
    status = deliver(q, v->name, v->type, v->data, v->size);
    *deleted = NT_SUCCESS(status) && (q->entry->Flags & RTL_QUERY_REGISTRY_DELETE);
    if (*deleted && NT_SUCCESS(status = ustr_from(&name, v->name)))
        status = ZwDeleteValueKey(key, &name);
    free(v->name);
    return status;
}

/* Every value of the key (an entry without a Name). */
static NTSTATUS query_all(struct rtl_query *q, HANDLE key)
{
    ULONG index = 0, seen = 0;
    struct rtl_value v;
    NTSTATUS status;

    for (;;) {
        bool deleted = false;
        status = key ? rtl_fetch(key, NULL, index, &v) : STATUS_NO_MORE_ENTRIES;
        if (status == STATUS_NO_MORE_ENTRIES)
            break;
        if (!NT_SUCCESS(status))
            return status;
        seen++;
        status = deliver_and_delete(q, key, &v, &deleted);
        rtl_value_free(&v);
        if (!NT_SUCCESS(status))
            return status;
        /* A deleted value's successor takes its index. */
        index += deleted ? 0 : 1;
    }
    if (!seen && (q->entry->Flags & RTL_QUERY_REGISTRY_REQUIRED))
        return STATUS_OBJECT_NAME_NOT_FOUND;
    return STATUS_SUCCESS;
}

static NTSTATUS check_entry(const RTL_QUERY_REGISTRY_TABLE *e)
{
    if ((e->Flags & RTL_QUERY_REGISTRY_SUBKEY) && !e->Name)
        return STATUS_INVALID_PARAMETER;
    if ((e->Flags & RTL_QUERY_REGISTRY_DIRECT) && !e->EntryContext)
        return STATUS_INVALID_PARAMETER;
    if (e->Flags & (RTL_QUERY_REGISTRY_SUBKEY | RTL_QUERY_REGISTRY_TOPKEY))
        return STATUS_SUCCESS;
    if (e->Flags & RTL_QUERY_REGISTRY_DIRECT)
        return e->Name ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    return e->QueryRoutine ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

/* Moves *current to the entry's subkey of top (NULL if it is missing and
 * not REQUIRED). */
static NTSTATUS enter_subkey(HANDLE top, const RTL_QUERY_REGISTRY_TABLE *e, HANDLE *current, bool *owned)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES attributes;
    NTSTATUS status = ustr_from(&name, e->Name);

    rtl_close(*current, *owned);
    *current = NULL;
    *owned = false;
    if (!top || !NT_SUCCESS(status))
        return !top && (e->Flags & RTL_QUERY_REGISTRY_REQUIRED) ? STATUS_OBJECT_NAME_NOT_FOUND : status;
    InitializeObjectAttributes(&attributes, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, top, NULL);
    status = ZwOpenKey(current, KEY_ALL_ACCESS, &attributes);
    *owned = NT_SUCCESS(status);
    if (status == STATUS_OBJECT_NAME_NOT_FOUND && !(e->Flags & RTL_QUERY_REGISTRY_REQUIRED))
        status = STATUS_SUCCESS;
    return status;
}

static NTSTATUS query_entry(struct rtl_query *q, HANDLE top, HANDLE *current, bool *owned)
{
    PRTL_QUERY_REGISTRY_TABLE e = q->entry;
    NTSTATUS status = check_entry(e);

    if (NT_SUCCESS(status) && (e->Flags & RTL_QUERY_REGISTRY_SUBKEY)) {
        status = enter_subkey(top, e, current, owned);
    } else if (NT_SUCCESS(status) && (e->Flags & RTL_QUERY_REGISTRY_TOPKEY)) {
        rtl_close(*current, *owned);
        *current = top;
        *owned = false;
    }
    if (!NT_SUCCESS(status))
        return status;
    if ((e->Flags & (RTL_QUERY_REGISTRY_SUBKEY | RTL_QUERY_REGISTRY_TOPKEY)) && !e->QueryRoutine)
        return STATUS_SUCCESS;
    if ((e->Flags & RTL_QUERY_REGISTRY_NOVALUE) && (!e->Name || (e->Flags & RTL_QUERY_REGISTRY_SUBKEY)))
        return deliver_one(q, e->Name, REG_NONE, NULL, 0);
    if (e->Name && !(e->Flags & RTL_QUERY_REGISTRY_SUBKEY))
        return query_named(q, *current);
    return query_all(q, *current);
}

/* Queries the values a table describes, under one key (PASSIVE_LEVEL).
 * STATUS_SUCCESS; STATUS_OBJECT_NAME_NOT_FOUND (the key, or a REQUIRED
 * value or subkey, is missing); STATUS_INVALID_PARAMETER (a bad entry or
 * RelativeTo); STATUS_BUFFER_TOO_SMALL (DIRECT buffer);
 * STATUS_OBJECT_TYPE_MISMATCH (TYPECHECK); a QueryRoutine's error; the Zw
 * routines' errors. */
KMH_EXPORT NTSTATUS RtlQueryRegistryValues(ULONG RelativeTo, PCWSTR Path, PRTL_QUERY_REGISTRY_TABLE QueryTable,
                                           PVOID Context, PVOID Environment)
{
    struct rtl_query q = { .context = Context, .environment = Environment };
    HANDLE top = NULL, current;
    bool top_owned = false, current_owned = false;
    NTSTATUS status = QueryTable ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;

    nt_reg_rtl_enter("RtlQueryRegistryValues", __builtin_return_address(0));
    if (NT_SUCCESS(status))
        status = rtl_open(RelativeTo, Path, false, &top, &top_owned);
    if (status == STATUS_OBJECT_NAME_NOT_FOUND && (RelativeTo & RTL_REGISTRY_OPTIONAL)) {
        top = NULL;
        status = STATUS_SUCCESS;
    }
    current = top;
    for (q.entry = QueryTable; NT_SUCCESS(status) && (q.entry->QueryRoutine || q.entry->Name); q.entry++)
        status = query_entry(&q, top, &current, &current_owned);
    rtl_close(current, current_owned);
    rtl_close(top, top_owned);
    nt_reg_rtl_leave();
    return status;
}

/* RtlQueryRegistryValues under its Windows 8 name (PASSIVE_LEVEL). */
KMH_EXPORT NTSTATUS RtlQueryRegistryValuesEx(ULONG RelativeTo, PCWSTR Path, PRTL_QUERY_REGISTRY_TABLE QueryTable,
                                             PVOID Context, PVOID Environment)
{
    return RtlQueryRegistryValues(RelativeTo, Path, QueryTable, Context, Environment);
}

/* --- Writing and checking -------------------------------------------------------- */

/* Sets a value, creating its key (the last component only) if missing
 * (PASSIVE_LEVEL). A NULL ValueName is the default value. STATUS_SUCCESS or
 * ZwCreateKey's and ZwSetValueKey's errors; STATUS_INVALID_PARAMETER for a
 * bad RelativeTo. */
KMH_EXPORT NTSTATUS RtlWriteRegistryValue(ULONG RelativeTo, PCWSTR Path, PCWSTR ValueName, ULONG ValueType,
                                          PVOID ValueData, ULONG ValueLength)
{
    UNICODE_STRING name;
    HANDLE key;
    bool owned;
    NTSTATUS status;

    nt_reg_rtl_enter("RtlWriteRegistryValue", __builtin_return_address(0));
    status = ustr_from(&name, ValueName);
    if (NT_SUCCESS(status))
        status = rtl_open(RelativeTo, Path, true, &key, &owned);
    if (NT_SUCCESS(status)) {
        status = ZwSetValueKey(key, &name, 0, ValueType, ValueData, ValueLength);
        rtl_close(key, owned);
    }
    nt_reg_rtl_leave();
    return status;
}

/* Deletes a value (PASSIVE_LEVEL). STATUS_SUCCESS,
 * STATUS_OBJECT_NAME_NOT_FOUND (key or value), or ZwDeleteValueKey's errors. */
KMH_EXPORT NTSTATUS RtlDeleteRegistryValue(ULONG RelativeTo, PCWSTR Path, PCWSTR ValueName)
{
    UNICODE_STRING name;
    HANDLE key;
    bool owned;
    NTSTATUS status;

    nt_reg_rtl_enter("RtlDeleteRegistryValue", __builtin_return_address(0));
    status = ustr_from(&name, ValueName);
    if (NT_SUCCESS(status))
        status = rtl_open(RelativeTo, Path, false, &key, &owned);
    if (NT_SUCCESS(status)) {
        status = ZwDeleteValueKey(key, &name);
        rtl_close(key, owned);
    }
    nt_reg_rtl_leave();
    return status;
}

/* Creates the key Path names; its parent must exist (PASSIVE_LEVEL).
 * STATUS_SUCCESS (also if it existed), STATUS_OBJECT_NAME_NOT_FOUND (parent
 * missing), or ZwCreateKey's errors. */
KMH_EXPORT NTSTATUS RtlCreateRegistryKey(ULONG RelativeTo, PWSTR Path)
{
    HANDLE key;
    bool owned;
    NTSTATUS status;

    nt_reg_rtl_enter("RtlCreateRegistryKey", __builtin_return_address(0));
    status = rtl_open(RelativeTo, Path, true, &key, &owned);
    if (NT_SUCCESS(status))
        rtl_close(key, owned);
    nt_reg_rtl_leave();
    return status;
}

/* Whether the key Path names exists (PASSIVE_LEVEL). STATUS_SUCCESS,
 * STATUS_OBJECT_NAME_NOT_FOUND, or ZwOpenKey's errors. */
KMH_EXPORT NTSTATUS RtlCheckRegistryKey(ULONG RelativeTo, PWSTR Path)
{
    HANDLE key;
    bool owned;
    NTSTATUS status;

    nt_reg_rtl_enter("RtlCheckRegistryKey", __builtin_return_address(0));
    status = rtl_open(RelativeTo, Path, false, &key, &owned);
    if (NT_SUCCESS(status))
        rtl_close(key, owned);
    nt_reg_rtl_leave();
    return status;
}
