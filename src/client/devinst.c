/*
 * What the SetupDi and CM functions know about devices: DEVINST numbers for
 * instance paths, the device tree (present devices, enabled interfaces)
 * and the registry (every installed device under Enum, every registered
 * interface under Control\DeviceClasses, and the device properties Enum
 * keeps). Read-only; called while the runtime holds the registry open.
 */
#include "client/client.h"
#include "nt/registry.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define ROOT_DEVNODE "HTREE\\ROOT\\0"
#define REG_CCS "\\Registry\\Machine\\System\\CurrentControlSet"
#define REG_ENUM REG_CCS "\\Enum"
#define REG_DEVICE_CLASSES REG_CCS "\\Control\\DeviceClasses"
#define KEY_PATH_MAX 512

static pthread_mutex_t devinst_lock = PTHREAD_MUTEX_INITIALIZER;
static char **paths;   /* DEVINST n is paths[n - 1]; never shrinks, so pointers stay valid */
static size_t npaths, cappaths;

DEVINST client_devinst_of(const char *instance_path)
{
    DEVINST found = 0;

    pthread_mutex_lock(&devinst_lock);
    for (size_t i = 0; i < npaths && !found; i++)
        if (strcasecmp(paths[i], instance_path) == 0)
            found = (DEVINST)(i + 1);
    if (!found && (npaths < cappaths || (paths = realloc(paths, (cappaths = cappaths ? cappaths * 2 : 64) * sizeof(*paths))))) {
        if ((paths[npaths] = strdup(instance_path)) != NULL)
            found = (DEVINST)++npaths;
    }
    pthread_mutex_unlock(&devinst_lock);
    return found;
}

const char *client_devinst_path(DEVINST devinst)
{
    const char *path = NULL;

    pthread_mutex_lock(&devinst_lock);
    if (devinst >= 1 && devinst <= npaths)
        path = paths[devinst - 1];
    pthread_mutex_unlock(&devinst_lock);
    return path;
}

bool client_device_present(const char *instance_path, enum pnp_state *state, ULONG *problem)
{
    enum pnp_state s;
    ULONG p;
    NTSTATUS status;

    if (strcasecmp(instance_path, ROOT_DEVNODE) == 0) {
        s = PNP_STATE_STARTED, p = 0;
    } else if (pnp_node_query(instance_path, &s, &p, &status) != 0) {
        return false;
    }
    if (state)
        *state = s;
    if (problem)
        *problem = p;
    return true;
}

void client_guid_format(const GUID *g, char out[39])
{
    snprintf(out, 39, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", g->Data1, g->Data2, g->Data3,
             g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
}

bool client_guid_parse(const char *text, GUID *guid)
{
    unsigned b[8], d1, d2, d3;
    int end = 0;

    if (sscanf(text, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}%n", &d1, &d2, &d3, &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &b[6], &b[7], &end) != 11 || end != 38)
        return false;
    guid->Data1 = d1;
    guid->Data2 = (unsigned short)d2;
    guid->Data3 = (unsigned short)d3;
    for (int i = 0; i < 8; i++)
        guid->Data4[i] = (unsigned char)b[i];
    return true;
}

int client_enum_value(const char *instance_path, const char *name, struct regstore_value *value)
{
    struct regstore *rs = nt_registry();
    struct regstore_key key;
    char path[KEY_PATH_MAX];

    if (!rs || snprintf(path, sizeof(path), REG_ENUM "\\%s", instance_path) >= (int)sizeof(path))
        return -ENOENT;
    int err = regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key);
    return err ? err : regstore_value_query(rs, key, name, value);
}

bool client_enum_value_exists(const char *instance_path)
{
    struct regstore *rs = nt_registry();
    struct regstore_key key;
    char path[KEY_PATH_MAX];

    return rs && snprintf(path, sizeof(path), REG_ENUM "\\%s", instance_path) < (int)sizeof(path) &&
           regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) == 0;
}

/* A REG_SZ value of a key as UTF-8 (malloc'd), or NULL. */
static char *string_value(struct regstore *rs, const char *path, const char *name)
{
    struct regstore_key key;
    struct regstore_value value;
    char *text = NULL;

    if (regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) || regstore_value_query(rs, key, name, &value))
        return NULL;
    if (value.type == REG_SZ || value.type == REG_EXPAND_SZ)
        text = client_utf8_from_utf16(value.data, value.size);
    regstore_value_clear(&value);
    if (text && !*text) {
        free(text);
        text = NULL;
    }
    return text;
}

char *client_interface_device(const GUID *class_guid, const char *link)
{
    struct regstore *rs = nt_registry();
    char guid[39], path[KEY_PATH_MAX];
    const char *rest = link + 4; /* past \??\ */
    const char *ref = strchr(rest, '\\');

    if (!rs || strncmp(link, "\\??\\", 4) != 0)
        return NULL;
    client_guid_format(class_guid, guid);
    /* The installer's layout (##?#<name>, its reference a "#ref" subkey),
     * then the PnP manager's (the reference as a subkey of its own). */
    snprintf(path, sizeof(path), REG_DEVICE_CLASSES "\\%s\\##?#%.*s", guid,
             (int)(ref ? (size_t)(ref - rest) : strlen(rest)), rest);
    char *device = string_value(rs, path, "DeviceInstance");
    if (!device && ref) {
        snprintf(path, sizeof(path), REG_DEVICE_CLASSES "\\%s\\##?#%s", guid, rest);
        device = string_value(rs, path, "DeviceInstance");
    }
    return device;
}

/* --- Enumerating ------------------------------------------------------------ */
struct strv {
    char **items;
    size_t n, cap;
};

static void strv_push(struct strv *v, const char *s)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        char **more = realloc(v->items, cap * sizeof(*more));
        if (!more)
            return;
        v->items = more;
        v->cap = cap;
    }
    if ((v->items[v->n] = strdup(s)) != NULL)
        v->n++;
}

static void strv_clear(struct strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->items[i]);
    free(v->items);
    *v = (struct strv){ 0 };
}

static bool strv_has(const struct strv *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcasecmp(v->items[i], s) == 0)
            return true;
    return false;
}

static void collect_link(const UNICODE_STRING *link, void *ctx)
{
    char *text = client_utf8_from_utf16(link->Buffer, link->Length);
    if (text)
        strv_push(ctx, text);
    free(text);
}

/* The class of an interface link: the {guid} after its last '#' (before
 * any reference string). */
static bool link_class(const char *link, GUID *guid)
{
    const char *ref = strchr(link + 4, '\\');
    size_t len = ref ? (size_t)(ref - link) : strlen(link);
    char copy[KEY_PATH_MAX];

    snprintf(copy, sizeof(copy), "%.*s", (int)len, link);
    const char *hash = strrchr(copy, '#');
    return hash && client_guid_parse(hash + 1, guid);
}

/* "\??\X" as the "\\?\X" a program opens. */
static void device_path(const char *link, char *out, size_t size)
{
    snprintf(out, size, "\\\\?\\%s", link + 4);
}

static void report_link(const char *link, bool active, client_interface_fn *fn, void *ctx)
{
    char path[KEY_PATH_MAX];
    GUID guid;

    if (!link_class(link, &guid))
        return;
    char *device = client_interface_device(&guid, link);
    device_path(link, path, sizeof(path));
    fn(&guid, path, device, active, ctx);
    free(device);
}

/* Every registered interface of one class key (DeviceClasses\{guid}). */
static void registered_in(struct regstore *rs, struct regstore_key class_key, struct strv *out)
{
    struct regstore_key sub;
    struct regstore_key_info info;

    for (uint32_t i = 0; regstore_key_enum(rs, class_key, i, &sub) == 0; i++) {
        if (regstore_key_query(rs, sub, &info))
            continue;
        if (strncmp(info.name, "##?#", 4) == 0) {
            char link[KEY_PATH_MAX];
            snprintf(link, sizeof(link), "\\??\\%s", info.name + 4);
            if (!strv_has(out, link))
                strv_push(out, link);
        }
        regstore_key_info_clear(&info);
    }
}

static void registered_links(const GUID *class_guid, struct strv *out)
{
    struct regstore *rs = nt_registry();
    struct regstore_key root, key;
    char guid[39], path[KEY_PATH_MAX];

    if (!rs)
        return;
    if (class_guid) {
        client_guid_format(class_guid, guid);
        snprintf(path, sizeof(path), REG_DEVICE_CLASSES "\\%s", guid);
        if (regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) == 0)
            registered_in(rs, key, out);
        return;
    }
    if (regstore_key_open(rs, REGSTORE_KEY_NONE, REG_DEVICE_CLASSES, &root))
        return;
    for (uint32_t i = 0; regstore_key_enum(rs, root, i, &key) == 0; i++)
        registered_in(rs, key, out);
}

void client_for_each_interface(const GUID *class_guid, bool present_only, client_interface_fn *fn, void *ctx)
{
    struct strv present = { 0 }, all = { 0 };

    pnp_for_each_interface(class_guid, collect_link, &present);
    for (size_t i = 0; i < present.n; i++)
        report_link(present.items[i], true, fn, ctx);
    if (!present_only) {
        registered_links(class_guid, &all);
        for (size_t i = 0; i < all.n; i++)
            if (!strv_has(&present, all.items[i]))
                report_link(all.items[i], false, fn, ctx);
    }
    strv_clear(&present);
    strv_clear(&all);
}

static void collect_node(const struct pnp_node_info *info, void *ctx)
{
    if (strcasecmp(info->instance_path, ROOT_DEVNODE) != 0 && info->state != PNP_STATE_REMOVED)
        strv_push(ctx, info->instance_path);
}

/* A key's own name (malloc'd), or NULL. */
static char *key_name(struct regstore *rs, struct regstore_key key)
{
    struct regstore_key_info info;
    char *name;

    if (regstore_key_query(rs, key, &info))
        return NULL;
    name = strdup(info.name);
    regstore_key_info_clear(&info);
    return name;
}

/* Pushes "<prefix>\<name>" for every subkey of key. */
static void subkey_paths(struct regstore *rs, struct regstore_key key, const char *prefix, struct strv *out)
{
    struct regstore_key sub;
    char path[KEY_PATH_MAX];

    for (uint32_t i = 0; regstore_key_enum(rs, key, i, &sub) == 0; i++) {
        char *name = key_name(rs, sub);
        if (name && snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "\\" : "", name) < (int)sizeof(path))
            strv_push(out, path);
        free(name);
    }
}

/* Enum\<enumerator>\<device>\<instance>: every installed device. */
static void installed_devices(struct strv *out)
{
    struct regstore *rs = nt_registry();
    struct strv level[2] = { { 0 }, { 0 } };
    struct regstore_key key;
    char path[KEY_PATH_MAX];

    if (!rs || regstore_key_open(rs, REGSTORE_KEY_NONE, REG_ENUM, &key))
        return;
    subkey_paths(rs, key, "", &level[0]);
    for (int depth = 0; depth < 2; depth++) {
        struct strv *next = depth == 0 ? &level[1] : out;
        for (size_t i = 0; i < level[depth].n; i++) {
            snprintf(path, sizeof(path), REG_ENUM "\\%s", level[depth].items[i]);
            if (regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) == 0)
                subkey_paths(rs, key, level[depth].items[i], next);
        }
        strv_clear(&level[depth]);
    }
}

void client_for_each_device(bool present_only, void (*fn)(const char *instance, void *ctx), void *ctx)
{
    struct strv devices = { 0 };

    if (present_only)
        pnp_for_each_node(collect_node, &devices);
    else
        installed_devices(&devices);
    for (size_t i = 0; i < devices.n; i++)
        fn(devices.items[i], ctx);
    strv_clear(&devices);
}
