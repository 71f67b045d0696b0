/*
 * Device information sets: SetupDiGetClassDevs takes a snapshot of the
 * devices (the tree's present ones, or every one the registry knows) or
 * of the device interfaces (enabled ones, or every registered one) of a
 * class, and the other functions walk it. An HDEVINFO is a pointer to the
 * snapshot, checked against the live sets before use. Device paths are
 * the interfaces' symbolic links with \??\ replaced by \\?\, which
 * CreateFile opens.
 */
#include "client/client.h"
#include "nt/registry.h"

#include <pthread.h>
#include <stdlib.h>
#include <strings.h>

static pthread_mutex_t sets_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_ENTRY sets = { &sets, &sets };

struct devinfo_set *client_devinfo_set(HDEVINFO handle)
{
    struct devinfo_set *found = NULL;

    pthread_mutex_lock(&sets_lock);
    for (PLIST_ENTRY e = sets.Flink; e != &sets && !found; e = e->Flink)
        if (CONTAINING_RECORD(e, struct devinfo_set, link) == handle)
            found = handle;
    pthread_mutex_unlock(&sets_lock);
    return found;
}

bool client_device_class(const char *instance, GUID *guid)
{
    struct regstore_value value;
    bool ok = false;

    memset(guid, 0, sizeof(*guid));
    if (client_enum_value(instance, "ClassGUID", &value) == 0) {
        char *text = client_utf8_from_utf16(value.data, value.size);
        ok = text && client_guid_parse(text, guid);
        free(text);
        regstore_value_clear(&value);
    }
    return ok;
}

size_t client_devinfo_add_device(struct devinfo_set *set, const char *instance)
{
    for (size_t i = 0; i < set->ndevices; i++)
        if (strcasecmp(set->devices[i].instance, instance) == 0)
            return i + 1;
    if (set->ndevices == set->capdevices) {
        size_t cap = set->capdevices ? set->capdevices * 2 : 8;
        struct devinfo_device *more = realloc(set->devices, cap * sizeof(*more));
        if (!more)
            return 0;
        set->devices = more;
        set->capdevices = cap;
    }
    struct devinfo_device *d = &set->devices[set->ndevices];
    *d = (struct devinfo_device){ .instance = strdup(instance), .devinst = client_devinst_of(instance) };
    if (!d->instance)
        return 0;
    client_device_class(instance, &d->class_guid);
    return ++set->ndevices;
}

bool client_devinfo_add_interface(struct devinfo_set *set, const GUID *guid, const char *path, const char *device,
                                  bool active)
{
    for (size_t i = 0; i < set->nifaces; i++)
        if (strcasecmp(set->ifaces[i].path, path) == 0)
            return true;
    if (set->nifaces == set->capifaces) {
        size_t cap = set->capifaces ? set->capifaces * 2 : 8;
        struct devinfo_iface *more = realloc(set->ifaces, cap * sizeof(*more));
        if (!more)
            return false;
        set->ifaces = more;
        set->capifaces = cap;
    }
    struct devinfo_iface *i = &set->ifaces[set->nifaces];
    *i = (struct devinfo_iface){ .guid = *guid, .path = strdup(path), .flags = active ? SPINT_ACTIVE : 0 };
    if (!i->path)
        return false;
    i->device = device ? client_devinfo_add_device(set, device) : 0;
    set->nifaces++;
    return true;
}

static void set_free(struct devinfo_set *set)
{
    for (size_t i = 0; i < set->ndevices; i++)
        free(set->devices[i].instance);
    for (size_t i = 0; i < set->nifaces; i++)
        free(set->ifaces[i].path);
    free(set->devices);
    free(set->ifaces);
    free(set->loaded);
    free(set);
}

/* Whether a device instance passes the Enumerator filter: an enumerator
 * ("ROOT") or one device instance ID. */
static bool enumerator_matches(const char *enumerator, const char *instance)
{
    size_t n;

    if (!enumerator || !*enumerator)
        return true;
    if (strchr(enumerator, '\\'))
        return instance && strcasecmp(enumerator, instance) == 0;
    n = strlen(enumerator);
    return instance && strncasecmp(instance, enumerator, n) == 0 && instance[n] == '\\';
}

struct build {
    struct devinfo_set *set;
    const GUID *class_guid;
    const char *enumerator;
};

static void add_interface(const GUID *guid, const char *path, const char *device, bool active, void *ctx)
{
    struct build *b = ctx;
    if (enumerator_matches(b->enumerator, device))
        client_devinfo_add_interface(b->set, guid, path, device, active);
}

static void add_device(const char *instance, void *ctx)
{
    struct build *b = ctx;
    GUID guid;

    if (!enumerator_matches(b->enumerator, instance))
        return;
    if (b->class_guid && (!client_device_class(instance, &guid) || !IsEqualGUID(&guid, b->class_guid)))
        return;
    client_devinfo_add_device(b->set, instance);
}

static HDEVINFO get_class_devs(const GUID *class_guid, const char *enumerator, DWORD flags)
{
    struct devinfo_set *set;
    bool all = flags & DIGCF_ALLCLASSES, present = flags & DIGCF_PRESENT;

    if (client_runtime_ensure())
        return INVALID_HANDLE_VALUE;
    if (!class_guid && !all)
        return client_fail(ERROR_INVALID_PARAMETER), INVALID_HANDLE_VALUE;
    if (!(set = calloc(1, sizeof(*set))))
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), INVALID_HANDLE_VALUE;
    struct build b = { .set = set, .class_guid = all ? NULL : class_guid, .enumerator = enumerator };
    set->interfaces = flags & DIGCF_DEVICEINTERFACE;
    if (set->interfaces)
        client_for_each_interface(b.class_guid, present, add_interface, &b);
    else
        client_for_each_device(present, add_device, &b);
    pthread_mutex_lock(&sets_lock);
    InsertTailList(&sets, &set->link);
    pthread_mutex_unlock(&sets_lock);
    SetLastError(0);
    return set;
}

/* A snapshot of the devices (or, with DIGCF_DEVICEINTERFACE, the device
 * interfaces) of ClassGuid, or of every class with DIGCF_ALLCLASSES;
 * DIGCF_PRESENT keeps what is in the device tree now. Enumerator limits it
 * to an enumerator ("ROOT") or one device instance ID. Returns the set, or
 * INVALID_HANDLE_VALUE with ERROR_INVALID_PARAMETER (no class and no
 * DIGCF_ALLCLASSES), ERROR_NOT_ENOUGH_MEMORY or ERROR_DEVICE_NOT_AVAILABLE
 * (the device tree did not start). */
KMH_EXPORT HDEVINFO WINAPI SetupDiGetClassDevsA(const GUID *ClassGuid, PCSTR Enumerator, HWND hwndParent,
                                                DWORD Flags)
{
    (void)hwndParent;
    return get_class_devs(ClassGuid, Enumerator, Flags);
}

/* SetupDiGetClassDevsA with a UTF-16 enumerator. */
KMH_EXPORT HDEVINFO WINAPI SetupDiGetClassDevsW(const GUID *ClassGuid, PCWSTR Enumerator, HWND hwndParent,
                                                DWORD Flags)
{
    bool oom = false;
    char *enumerator = client_utf8_from_wide(Enumerator, &oom);

    (void)hwndParent;
    if (oom)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), INVALID_HANDLE_VALUE;
    HDEVINFO set = get_class_devs(ClassGuid, enumerator, Flags);
    DWORD error = GetLastError();
    free(enumerator);
    SetLastError(error);
    return set;
}

/* Frees a set. FALSE with ERROR_INVALID_HANDLE for anything else. */
KMH_EXPORT BOOL WINAPI SetupDiDestroyDeviceInfoList(HDEVINFO DeviceInfoSet)
{
    struct devinfo_set *set = NULL;

    pthread_mutex_lock(&sets_lock);
    for (PLIST_ENTRY e = sets.Flink; e != &sets && !set; e = e->Flink)
        if (CONTAINING_RECORD(e, struct devinfo_set, link) == DeviceInfoSet)
            set = DeviceInfoSet;
    if (set)
        RemoveEntryList(&set->link);
    pthread_mutex_unlock(&sets_lock);
    if (!set)
        return client_fail(ERROR_INVALID_HANDLE);
    set_free(set);
    return TRUE;
}

/* The device at MemberIndex of the set. FALSE with ERROR_NO_MORE_ITEMS
 * past the end, ERROR_INVALID_USER_BUFFER when cbSize is not
 * sizeof(SP_DEVINFO_DATA), ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI SetupDiEnumDeviceInfo(HDEVINFO DeviceInfoSet, DWORD MemberIndex,
                                             PSP_DEVINFO_DATA DeviceInfoData)
{
    struct devinfo_set *set = client_devinfo_set(DeviceInfoSet);

    if (!set)
        return client_fail(ERROR_INVALID_HANDLE);
    if (!DeviceInfoData)
        return client_fail(ERROR_INVALID_PARAMETER);
    if (DeviceInfoData->cbSize != sizeof(SP_DEVINFO_DATA))
        return client_fail(ERROR_INVALID_USER_BUFFER);
    if (MemberIndex >= set->ndevices)
        return client_fail(ERROR_NO_MORE_ITEMS);
    client_devinfo_fill(set, MemberIndex + 1, DeviceInfoData);
    return TRUE;
}

void client_devinfo_fill(struct devinfo_set *set, size_t device, PSP_DEVINFO_DATA data)
{
    struct devinfo_device *d = &set->devices[device - 1];
    data->ClassGuid = d->class_guid;
    data->DevInst = d->devinst;
    data->Reserved = device;
}

size_t client_devinfo_device_of(struct devinfo_set *set, const SP_DEVINFO_DATA *data, DWORD *error)
{
    if (!data) {
        *error = ERROR_INVALID_PARAMETER;
        return 0;
    }
    if (data->cbSize != sizeof(SP_DEVINFO_DATA)) {
        *error = ERROR_INVALID_USER_BUFFER;
        return 0;
    }
    if (data->Reserved == 0 || data->Reserved > set->ndevices) {
        *error = ERROR_INVALID_PARAMETER;
        return 0;
    }
    return data->Reserved;
}
