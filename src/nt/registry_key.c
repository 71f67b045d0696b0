/*
 * The registry key DDIs: creating, opening, deleting and flushing keys,
 * and the key information classes of ZwQueryKey and ZwEnumerateKey.
 *
 * A name in OBJECT_ATTRIBUTES is absolute ("\Registry\Machine\...") without
 * a RootDirectory, or relative to the key handle in RootDirectory. Names
 * are always case-insensitive (OBJ_CASE_INSENSITIVE or not), as on Windows.
 * Key classes (ZwCreateKey's Class) are accepted and not kept: every key
 * reports ClassLength 0 and ClassOffset 0xFFFFFFFF.
 */
#define NT_REGISTRY_IMPL
#include "nt/registry.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NO_CLASS_OFFSET 0xFFFFFFFFu

/* What an OBJECT_ATTRIBUTES names. */
struct key_target {
    struct regstore_key parent; /* RootDirectory's key, or REGSTORE_KEY_NONE */
    ACCESS_MASK parent_access;
    bool relative;
    char *path;                 /* UTF-8; relative to parent, or absolute */
};

/* Only the \Registry part of the object namespace holds keys. */
static bool is_registry_path(const char *path)
{
    return strncasecmp(path, "\\Registry", 9) == 0 && (path[9] == '\0' || path[9] == '\\');
}

static NTSTATUS target_resolve(const OBJECT_ATTRIBUTES *oa, struct key_target *t)
{
    const UNICODE_STRING *name;

    memset(t, 0, sizeof(*t));
    if (!oa || oa->Length != sizeof(*oa) || (oa->Attributes & ~OBJ_VALID_ATTRIBUTES))
        return STATUS_INVALID_PARAMETER;
    name = oa->ObjectName;
    t->relative = oa->RootDirectory != NULL;
    if (t->relative) {
        NTSTATUS status = nt_reg_handle_lookup(oa->RootDirectory, &t->parent, &t->parent_access);
        if (!NT_SUCCESS(status))
            return status;
    }
    if (!name || name->Length == 0) {
        if (!t->relative)
            return STATUS_OBJECT_PATH_SYNTAX_BAD;
        t->path = strdup("");
        return t->path ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
    }
    if (nt_reg_name_from_ustr(name, &t->path))
        return STATUS_OBJECT_NAME_INVALID;
    if (t->relative == (t->path[0] == '\\'))
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    if (!t->relative && !is_registry_path(t->path))
        return STATUS_OBJECT_NAME_NOT_FOUND;
    return STATUS_SUCCESS;
}

static NTSTATUS handle_out(struct regstore_key key, ACCESS_MASK desired, PHANDLE out)
{
    int rc = nt_registry_handle_new(key, desired, out);

    if (rc == -EMFILE || rc == -ENOMEM)
        return STATUS_INSUFFICIENT_RESOURCES;
    return rc ? nt_status_from_errno(rc) : STATUS_SUCCESS;
}

/* Opens or creates the key the target names, creating only its last
 * component as Windows does: a missing parent is STATUS_OBJECT_NAME_NOT_FOUND. */
static NTSTATUS target_create(struct regstore *rs, struct key_target *t, ULONG options,
                              struct regstore_key *key, bool *created)
{
    char *slash = strrchr(t->path, '\\');
    const char *leaf = slash ? slash + 1 : t->path;
    struct regstore_key dir = t->parent;
    int rc;

    *created = false;
    if (!*t->path)
        return nt_reg_status(regstore_key_open(rs, t->parent, "", key), NT_REG_KEY);
    if (!*leaf)
        return STATUS_OBJECT_NAME_INVALID;
    if (slash) {
        *slash = '\0';
        rc = regstore_key_open(rs, t->parent, slash == t->path ? "\\" : t->path, &dir);
        *slash = '\\';
        if (rc)
            return nt_reg_status(rc, NT_REG_KEY);
    }
    rc = regstore_key_open(rs, dir, leaf, key);
    if (rc != -ENOENT)
        return nt_reg_status(rc, NT_REG_KEY);
    /* A new direct subkey of RootDirectory needs KEY_CREATE_SUB_KEY on it. */
    if (t->relative && !slash && !(t->parent_access & KEY_CREATE_SUB_KEY))
        return STATUS_ACCESS_DENIED;
    rc = regstore_key_create(rs, dir, leaf, (options & REG_OPTION_VOLATILE) ? REGSTORE_KEY_VOLATILE : 0,
                             key, created);
    return nt_reg_status(rc, NT_REG_KEY);
}

/* Creates a key or opens an existing one (PASSIVE_LEVEL). *Disposition says
 * which. STATUS_SUCCESS, STATUS_OBJECT_NAME_NOT_FOUND (parent missing),
 * STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_PATH_SYNTAX_BAD,
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_HANDLE, STATUS_ACCESS_DENIED,
 * STATUS_KEY_DELETED, STATUS_CHILD_MUST_BE_VOLATILE, STATUS_NOT_SUPPORTED
 * (REG_OPTION_CREATE_LINK), STATUS_INSUFFICIENT_RESOURCES. */
KMH_EXPORT NTSTATUS ZwCreateKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                ULONG TitleIndex, PUNICODE_STRING Class, ULONG CreateOptions, PULONG Disposition)
{
    struct nt_reg_call call;
    struct key_target t;
    struct regstore_key key;
    bool created = false;
    NTSTATUS status;

    (void)TitleIndex;
    (void)Class;
    nt_reg_check_irql("ZwCreateKey", __builtin_return_address(0));
    if (!KeyHandle || (CreateOptions & ~REG_LEGAL_OPTION))
        return STATUS_INVALID_PARAMETER;
    *KeyHandle = NULL;
    if (CreateOptions & REG_OPTION_CREATE_LINK)
        return STATUS_NOT_SUPPORTED;
    status = target_resolve(ObjectAttributes, &t);
    if (NT_SUCCESS(status) && NT_SUCCESS(status = nt_reg_call_enter(&call))) {
        status = target_create(call.rs, &t, CreateOptions, &key, &created);
        if (NT_SUCCESS(status))
            status = handle_out(key, DesiredAccess, KeyHandle);
        nt_reg_call_end(&call);
    }
    free(t.path);
    if (NT_SUCCESS(status) && Disposition)
        *Disposition = created ? REG_CREATED_NEW_KEY : REG_OPENED_EXISTING_KEY;
    return status;
}

/* Opens an existing key (PASSIVE_LEVEL). STATUS_SUCCESS,
 * STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_NAME_INVALID,
 * STATUS_OBJECT_PATH_SYNTAX_BAD, STATUS_INVALID_PARAMETER,
 * STATUS_INVALID_HANDLE, STATUS_KEY_DELETED, STATUS_INSUFFICIENT_RESOURCES. */
KMH_EXPORT NTSTATUS ZwOpenKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    struct nt_reg_call call;
    struct key_target t;
    struct regstore_key key;
    NTSTATUS status;

    nt_reg_check_irql("ZwOpenKey", __builtin_return_address(0));
    if (!KeyHandle)
        return STATUS_INVALID_PARAMETER;
    *KeyHandle = NULL;
    status = target_resolve(ObjectAttributes, &t);
    if (NT_SUCCESS(status) && NT_SUCCESS(status = nt_reg_call_enter(&call))) {
        status = nt_reg_status(regstore_key_open(call.rs, t.parent, t.path, &key), NT_REG_KEY);
        if (NT_SUCCESS(status))
            status = handle_out(key, DesiredAccess, KeyHandle);
        nt_reg_call_end(&call);
    }
    free(t.path);
    return status;
}

/* ZwOpenKey with open options (PASSIVE_LEVEL): REG_OPTION_BACKUP_RESTORE is
 * granted (no security here), REG_OPTION_OPEN_LINK has nothing to open
 * (kmhost has no links). ZwOpenKey's statuses; STATUS_INVALID_PARAMETER for
 * other options. */
KMH_EXPORT NTSTATUS ZwOpenKeyEx(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                ULONG OpenOptions)
{
    if (OpenOptions & ~(REG_OPTION_BACKUP_RESTORE | REG_OPTION_OPEN_LINK))
        return STATUS_INVALID_PARAMETER;
    return ZwOpenKey(KeyHandle, DesiredAccess, ObjectAttributes);
}

/* Deletes the key at once; its handles stay open and fail with
 * STATUS_KEY_DELETED until closed (PASSIVE_LEVEL). STATUS_SUCCESS,
 * STATUS_CANNOT_DELETE (subkeys, or the root), STATUS_ACCESS_DENIED (no
 * DELETE access), STATUS_INVALID_HANDLE, STATUS_KEY_DELETED. */
KMH_EXPORT NTSTATUS ZwDeleteKey(HANDLE KeyHandle)
{
    struct nt_reg_call call;
    NTSTATUS status;

    nt_reg_check_irql("ZwDeleteKey", __builtin_return_address(0));
    status = nt_reg_call_begin(&call, KeyHandle, DELETE);
    if (NT_SUCCESS(status))
        status = nt_reg_status(regstore_key_delete(call.rs, call.key), NT_REG_DELETE);
    nt_reg_call_end(&call);
    return status;
}

/* Makes the store durable in its main file (PASSIVE_LEVEL); every change is
 * durable once its call returns anyway. STATUS_SUCCESS,
 * STATUS_INVALID_HANDLE, STATUS_KEY_DELETED, STATUS_REGISTRY_IO_FAILED. */
KMH_EXPORT NTSTATUS ZwFlushKey(HANDLE KeyHandle)
{
    struct nt_reg_call call;
    struct regstore_key_info info;
    NTSTATUS status;

    nt_reg_check_irql("ZwFlushKey", __builtin_return_address(0));
    status = nt_reg_call_begin(&call, KeyHandle, 0);
    if (NT_SUCCESS(status))
        status = nt_reg_status(regstore_key_query(call.rs, call.key, &info), NT_REG_KEY);
    if (NT_SUCCESS(status)) {
        regstore_key_info_clear(&info);
        status = nt_reg_status(regstore_flush(call.rs), NT_REG_KEY);
    }
    nt_reg_call_end(&call);
    return status;
}

/* --- Key information classes ------------------------------------------------- */

static bool key_class_is_supported(KEY_INFORMATION_CLASS cls)
{
    return cls == KeyBasicInformation || cls == KeyNodeInformation || cls == KeyFullInformation ||
           cls == KeyNameInformation || cls == KeyCachedInformation;
}

/* Where each class's name (or, for Full and Cached, its end) lies. */
static const size_t key_name_at[] = {
    [KeyBasicInformation] = offsetof(KEY_BASIC_INFORMATION, Name),
    [KeyNodeInformation] = offsetof(KEY_NODE_INFORMATION, Name),
    [KeyFullInformation] = offsetof(KEY_FULL_INFORMATION, Class),
    [KeyNameInformation] = offsetof(KEY_NAME_INFORMATION, Name),
    [KeyCachedInformation] = sizeof(KEY_CACHED_INFORMATION),
};

static void key_header(KEY_INFORMATION_CLASS cls, const struct regstore_key_info *info, ULONG name_bytes,
                       void *image)
{
    LARGE_INTEGER written = { .QuadPart = info->last_write };
    ULONG max_name = info->max_subkey_name * sizeof(WCHAR);
    ULONG max_value_name = info->max_value_name * sizeof(WCHAR);

    switch (cls) {
    case KeyBasicInformation:
        *(KEY_BASIC_INFORMATION *)image = (KEY_BASIC_INFORMATION){ .LastWriteTime = written,
                                                                   .NameLength = name_bytes };
        break;
    case KeyNodeInformation:
        *(KEY_NODE_INFORMATION *)image = (KEY_NODE_INFORMATION){
            .LastWriteTime = written, .ClassOffset = NO_CLASS_OFFSET, .NameLength = name_bytes };
        break;
    case KeyFullInformation:
        *(KEY_FULL_INFORMATION *)image = (KEY_FULL_INFORMATION){
            .LastWriteTime = written, .ClassOffset = NO_CLASS_OFFSET, .SubKeys = info->subkeys,
            .MaxNameLen = max_name, .Values = info->values, .MaxValueNameLen = max_value_name,
            .MaxValueDataLen = info->max_value_data };
        break;
    case KeyNameInformation:
        ((KEY_NAME_INFORMATION *)image)->NameLength = name_bytes;
        break;
    default:
        *(KEY_CACHED_INFORMATION *)image = (KEY_CACHED_INFORMATION){
            .LastWriteTime = written, .SubKeys = info->subkeys, .MaxNameLen = max_name,
            .Values = info->values, .MaxValueNameLen = max_value_name,
            .MaxValueDataLen = info->max_value_data, .NameLength = name_bytes };
        break;
    }
}

/* An image of the class's structure about a key called `name` (UTF-8). */
static void *key_image(KEY_INFORMATION_CLASS cls, const struct regstore_key_info *info, const char *name,
                       ULONG *required, ULONG *fixed)
{
    size_t units = nt_reg_utf16_from_utf8(name, NULL);
    bool carries_name = cls != KeyFullInformation && cls != KeyCachedInformation;
    size_t size = key_name_at[cls] + (carries_name ? units * sizeof(WCHAR) : 0);
    /* Room for a whole header even where the name is shorter than Name[1]. */
    UCHAR *image = calloc(1, size + sizeof(KEY_FULL_INFORMATION));

    if (!image)
        return NULL;
    key_header(cls, info, (ULONG)(units * sizeof(WCHAR)), image);
    if (carries_name)
        nt_reg_utf16_from_utf8(name, (WCHAR *)(image + key_name_at[cls]));
    *required = (ULONG)size;
    *fixed = (ULONG)key_name_at[cls];
    return image;
}

/* Fills the caller's buffer with the class's information about key. */
static NTSTATUS key_query(struct regstore *rs, struct regstore_key key, KEY_INFORMATION_CLASS cls,
                          PVOID out, ULONG length, PULONG result_length)
{
    struct regstore_key_info info;
    char *path = NULL;
    ULONG required, fixed;
    void *image;
    NTSTATUS status;
    int rc = regstore_key_query(rs, key, &info);

    if (rc)
        return nt_reg_status(rc, NT_REG_KEY);
    if (cls == KeyNameInformation && (rc = regstore_key_path(rs, key, &path)) != 0) {
        regstore_key_info_clear(&info);
        return nt_reg_status(rc, NT_REG_KEY);
    }
    image = key_image(cls, &info, path ? path : info.name, &required, &fixed);
    status = image ? nt_reg_copy_out(image, required, fixed, out, length, result_length)
                   : STATUS_INSUFFICIENT_RESOURCES;
    free(image);
    free(path);
    regstore_key_info_clear(&info);
    return status;
}

static NTSTATUS check_output(PVOID out, ULONG length, PULONG result_length)
{
    return (!result_length || (!out && length)) ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}

/* Information about an open key (PASSIVE_LEVEL): Basic, Node, Full, Name
 * or Cached. KEY_QUERY_VALUE access, except for KeyNameInformation.
 * STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW (partial data),
 * STATUS_BUFFER_TOO_SMALL (none), STATUS_INVALID_PARAMETER (other classes),
 * STATUS_ACCESS_DENIED, STATUS_INVALID_HANDLE, STATUS_KEY_DELETED. */
KMH_EXPORT NTSTATUS ZwQueryKey(HANDLE KeyHandle, KEY_INFORMATION_CLASS KeyInformationClass,
                               PVOID KeyInformation, ULONG Length, PULONG ResultLength)
{
    struct nt_reg_call call;
    NTSTATUS status;

    nt_reg_check_irql("ZwQueryKey", __builtin_return_address(0));
    if (!key_class_is_supported(KeyInformationClass))
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = check_output(KeyInformation, Length, ResultLength)))
        return status;
    status = nt_reg_call_begin(&call, KeyHandle,
                               KeyInformationClass == KeyNameInformation ? 0 : KEY_QUERY_VALUE);
    if (NT_SUCCESS(status))
        status = key_query(call.rs, call.key, KeyInformationClass, KeyInformation, Length, ResultLength);
    nt_reg_call_end(&call);
    return status;
}

/* Information about the subkey at Index, in name order (PASSIVE_LEVEL).
 * The documented classes are Basic, Node and Full; Name and Cached work too,
 * as in ZwQueryKey. KEY_ENUMERATE_SUB_KEYS access. ZwQueryKey's statuses,
 * and STATUS_NO_MORE_ENTRIES past the last subkey. */
KMH_EXPORT NTSTATUS ZwEnumerateKey(HANDLE KeyHandle, ULONG Index, KEY_INFORMATION_CLASS KeyInformationClass,
                                   PVOID KeyInformation, ULONG Length, PULONG ResultLength)
{
    struct nt_reg_call call;
    struct regstore_key subkey;
    NTSTATUS status;

    nt_reg_check_irql("ZwEnumerateKey", __builtin_return_address(0));
    if (!key_class_is_supported(KeyInformationClass))
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = check_output(KeyInformation, Length, ResultLength)))
        return status;
    status = nt_reg_call_begin(&call, KeyHandle, KEY_ENUMERATE_SUB_KEYS);
    if (NT_SUCCESS(status))
        status = nt_reg_status(regstore_key_enum(call.rs, call.key, Index, &subkey), NT_REG_ENUM);
    if (NT_SUCCESS(status))
        status = key_query(call.rs, subkey, KeyInformationClass, KeyInformation, Length, ResultLength);
    nt_reg_call_end(&call);
    return status;
}

/* The Nt names, for drivers that use them; here they are the Zw routines
 * (a kernel caller's previous mode is KernelMode either way). */
#ifndef NtCreateKey
KMH_EXPORT NTSTATUS NtCreateKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                ULONG TitleIndex, PUNICODE_STRING Class, ULONG CreateOptions, PULONG Disposition)
{
    return ZwCreateKey(KeyHandle, DesiredAccess, ObjectAttributes, TitleIndex, Class, CreateOptions, Disposition);
}
#endif
#ifndef NtOpenKey
KMH_EXPORT NTSTATUS NtOpenKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ZwOpenKey(KeyHandle, DesiredAccess, ObjectAttributes);
}
#endif
#ifndef NtOpenKeyEx
KMH_EXPORT NTSTATUS NtOpenKeyEx(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                ULONG OpenOptions)
{
    return ZwOpenKeyEx(KeyHandle, DesiredAccess, ObjectAttributes, OpenOptions);
}
#endif
#ifndef NtDeleteKey
KMH_EXPORT NTSTATUS NtDeleteKey(HANDLE KeyHandle)
{
    return ZwDeleteKey(KeyHandle);
}
#endif
#ifndef NtFlushKey
KMH_EXPORT NTSTATUS NtFlushKey(HANDLE KeyHandle)
{
    return ZwFlushKey(KeyHandle);
}
#endif
#ifndef NtQueryKey
KMH_EXPORT NTSTATUS NtQueryKey(HANDLE KeyHandle, KEY_INFORMATION_CLASS KeyInformationClass,
                               PVOID KeyInformation, ULONG Length, PULONG ResultLength)
{
    return ZwQueryKey(KeyHandle, KeyInformationClass, KeyInformation, Length, ResultLength);
}
#endif
#ifndef NtEnumerateKey
KMH_EXPORT NTSTATUS NtEnumerateKey(HANDLE KeyHandle, ULONG Index, KEY_INFORMATION_CLASS KeyInformationClass,
                                   PVOID KeyInformation, ULONG Length, PULONG ResultLength)
{
    return ZwEnumerateKey(KeyHandle, Index, KeyInformationClass, KeyInformation, Length, ResultLength);
}
#endif
