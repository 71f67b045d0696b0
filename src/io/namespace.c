/*
 * The object namespace, as far as drivers and programs reach it: named
 * devices (\Device\X) and symbolic links (\??\X, also spelled \DosDevices\X
 * and \GLOBAL??\X). Names compare case-insensitively, as object names do.
 */
#include "io/io.h"
#include "io/io_private.h"

#include <stdlib.h>

#define NS_MAX_LINK_DEPTH 8

enum ns_kind { NS_DEVICE, NS_LINK };

struct ns_entry {
    LIST_ENTRY link;
    enum ns_kind kind;
    UNICODE_STRING name;
    PDEVICE_OBJECT device;   /* NS_DEVICE; not referenced: removed at IoDeleteDevice */
    UNICODE_STRING target;   /* NS_LINK */
};

static LIST_ENTRY ns_entries = { &ns_entries, &ns_entries };
static pthread_mutex_t ns_lock = PTHREAD_MUTEX_INITIALIZER;

static WCHAR ns_fold(WCHAR c)
{
    return (c >= 'a' && c <= 'z') ? (WCHAR)(c - 'a' + 'A') : c;
}

static bool ns_prefix_equal(const WCHAR *a, const WCHAR *b, size_t chars)
{
    for (size_t i = 0; i < chars; i++)
        if (ns_fold(a[i]) != ns_fold(b[i]))
            return false;
    return true;
}

/* The aliases of \?? (the DOS devices directory) all become \??\. */
static const struct { const WCHAR *alias; size_t chars; } ns_dos_aliases[] = {
    { L"\\DosDevices\\Global\\", 19 },
    { L"\\DosDevices\\", 12 },
    { L"\\GLOBAL??\\", 10 },
    { L"\\??\\Global\\", 11 },
};

static int ns_canonical(const UNICODE_STRING *in, UNICODE_STRING *out)
{
    size_t chars = in->Length / sizeof(WCHAR), skip = 0;
    const WCHAR *prefix = NULL;

    for (size_t i = 0; i < KMH_ARRAY_SIZE(ns_dos_aliases); i++) {
        if (chars >= ns_dos_aliases[i].chars && ns_prefix_equal(in->Buffer, ns_dos_aliases[i].alias,
                                                                ns_dos_aliases[i].chars)) {
            prefix = L"\\??\\";
            skip = ns_dos_aliases[i].chars;
            break;
        }
    }
    size_t total = (prefix ? 4 : 0) + chars - skip;
    WCHAR *buffer = malloc((total + 1) * sizeof(WCHAR));
    if (!buffer)
        return -ENOMEM;
    if (prefix)
        memcpy(buffer, prefix, 4 * sizeof(WCHAR));
    memcpy(buffer + (prefix ? 4 : 0), in->Buffer + skip, (chars - skip) * sizeof(WCHAR));
    buffer[total] = 0;
    out->Buffer = buffer;
    out->Length = (USHORT)(total * sizeof(WCHAR));
    out->MaximumLength = (USHORT)((total + 1) * sizeof(WCHAR));
    return 0;
}

/* ns_lock held. The entry whose whole name is path, or a prefix of it
 * ending at a backslash. */
static struct ns_entry *ns_find_prefix(const UNICODE_STRING *path)
{
    size_t chars = path->Length / sizeof(WCHAR);
    struct ns_entry *best = NULL;

    for (PLIST_ENTRY e = ns_entries.Flink; e != &ns_entries; e = e->Flink) {
        struct ns_entry *entry = CONTAINING_RECORD(e, struct ns_entry, link);
        size_t n = entry->name.Length / sizeof(WCHAR);
        if (n > chars || !ns_prefix_equal(entry->name.Buffer, path->Buffer, n))
            continue;
        if (n < chars && path->Buffer[n] != L'\\')
            continue;
        if (!best || n > best->name.Length / sizeof(WCHAR))
            best = entry;
    }
    return best;
}

static struct ns_entry *ns_find_exact(const UNICODE_STRING *name)
{
    struct ns_entry *entry = ns_find_prefix(name);
    return entry && entry->name.Length == name->Length ? entry : NULL;
}

static void ns_entry_free(struct ns_entry *entry)
{
    free(entry->name.Buffer);
    free(entry->target.Buffer);
    free(entry);
}

static NTSTATUS ns_insert(struct ns_entry *entry)
{
    pthread_mutex_lock(&ns_lock);
    if (ns_find_exact(&entry->name)) {
        pthread_mutex_unlock(&ns_lock);
        ns_entry_free(entry);
        return STATUS_OBJECT_NAME_COLLISION;
    }
    InsertTailList(&ns_entries, &entry->link);
    pthread_mutex_unlock(&ns_lock);
    return STATUS_SUCCESS;
}

int io_ns_add_device(PDEVICE_OBJECT device)
{
    struct ns_entry *entry = calloc(1, sizeof(*entry));
    if (!entry || ns_canonical(&io_device_of(device)->name, &entry->name)) {
        free(entry);
        return -ENOMEM;
    }
    entry->kind = NS_DEVICE;
    entry->device = device;
    return ns_insert(entry) == STATUS_SUCCESS ? 0 : -EEXIST;
}

void io_ns_remove_device(PDEVICE_OBJECT device)
{
    pthread_mutex_lock(&ns_lock);
    for (PLIST_ENTRY e = ns_entries.Flink; e != &ns_entries; e = e->Flink) {
        struct ns_entry *entry = CONTAINING_RECORD(e, struct ns_entry, link);
        if (entry->kind == NS_DEVICE && entry->device == device) {
            RemoveEntryList(e);
            ns_entry_free(entry);
            break;
        }
    }
    pthread_mutex_unlock(&ns_lock);
}

NTSTATUS io_ns_create_link(const UNICODE_STRING *link, const UNICODE_STRING *target)
{
    struct ns_entry *entry = calloc(1, sizeof(*entry));
    if (!entry)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (ns_canonical(link, &entry->name) || ns_canonical(target, &entry->target)) {
        ns_entry_free(entry);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    entry->kind = NS_LINK;
    return ns_insert(entry);
}

NTSTATUS io_ns_delete_link(const UNICODE_STRING *link)
{
    UNICODE_STRING name;
    NTSTATUS status = STATUS_OBJECT_NAME_NOT_FOUND;

    if (ns_canonical(link, &name))
        return STATUS_INSUFFICIENT_RESOURCES;
    pthread_mutex_lock(&ns_lock);
    struct ns_entry *entry = ns_find_exact(&name);
    if (entry && entry->kind == NS_LINK) {
        RemoveEntryList(&entry->link);
        ns_entry_free(entry);
        status = STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&ns_lock);
    free(name.Buffer);
    return status;
}

/* ns_lock held. Replaces *path (owned) by target + what followed the link. */
static int ns_follow(UNICODE_STRING *path, const struct ns_entry *entry)
{
    size_t rest = (path->Length - entry->name.Length) / sizeof(WCHAR);
    size_t target = entry->target.Length / sizeof(WCHAR);
    WCHAR *buffer = malloc((target + rest + 1) * sizeof(WCHAR));
    if (!buffer)
        return -ENOMEM;
    memcpy(buffer, entry->target.Buffer, target * sizeof(WCHAR));
    memcpy(buffer + target, path->Buffer + entry->name.Length / sizeof(WCHAR), rest * sizeof(WCHAR));
    buffer[target + rest] = 0;
    free(path->Buffer);
    path->Buffer = buffer;
    path->Length = (USHORT)((target + rest) * sizeof(WCHAR));
    path->MaximumLength = (USHORT)((target + rest + 1) * sizeof(WCHAR));
    return 0;
}

PDEVICE_OBJECT io_ns_lookup_device(const UNICODE_STRING *path, UNICODE_STRING *remaining)
{
    UNICODE_STRING current;
    PDEVICE_OBJECT device = NULL;

    if (!path || !path->Length || ns_canonical(path, &current))
        return NULL;
    pthread_mutex_lock(&ns_lock);
    for (int depth = 0; depth < NS_MAX_LINK_DEPTH; depth++) {
        struct ns_entry *entry = ns_find_prefix(&current);
        if (!entry)
            break;
        if (entry->kind == NS_DEVICE) {
            device = entry->device;
            nt_object_ref(device);
            /* What follows the device name, as an allocated copy: after
             * links it need not be a suffix of the caller's path. */
            size_t rest = current.Length - entry->name.Length;
            remaining->Buffer = malloc(rest + sizeof(WCHAR));
            if (!remaining->Buffer) {
                ObfDereferenceObject(device);
                device = NULL;
                break;
            }
            memcpy(remaining->Buffer, current.Buffer + entry->name.Length / sizeof(WCHAR), rest);
            remaining->Buffer[rest / sizeof(WCHAR)] = 0;
            remaining->Length = (USHORT)rest;
            remaining->MaximumLength = (USHORT)(rest + sizeof(WCHAR));
            break;
        }
        if (ns_follow(&current, entry))
            break;
    }
    pthread_mutex_unlock(&ns_lock);
    free(current.Buffer);
    return device;
}

KMH_EXPORT NTSTATUS IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName)
{
    if (!SymbolicLinkName || !SymbolicLinkName->Length || !DeviceName || !DeviceName->Length)
        return STATUS_INVALID_PARAMETER;
    return io_ns_create_link(SymbolicLinkName, DeviceName);
}

KMH_EXPORT NTSTATUS IoCreateUnprotectedSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName)
{
    return IoCreateSymbolicLink(SymbolicLinkName, DeviceName);
}

KMH_EXPORT NTSTATUS IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName)
{
    if (!SymbolicLinkName || !SymbolicLinkName->Length)
        return STATUS_INVALID_PARAMETER;
    return io_ns_delete_link(SymbolicLinkName);
}
