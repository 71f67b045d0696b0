/*
 * The PnP manager's entry points: bringing the device tree of this process
 * up from the registry and down again, adding, removing and restarting
 * devices, starting and stopping legacy services, and the DDIs drivers use
 * to ask for re-enumeration.
 */
#include "pnp/pnp_private.h"
#include "pnp/install.h"
#include "nt/registry.h"
#include "nt/regstore.h"
#include "loader/loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define ENUM_PATH "\\Registry\\Machine\\System\\CurrentControlSet\\Enum\\"
#define DEVICE_IDS_PATH "\\Registry\\Machine\\System\\DriverDatabase\\DeviceIds\\"

static int running;

static void on_device_closed(PDEVICE_OBJECT device)
{
    (void)device;
    pnp_queue_work(pnp_finish_deferred_removals, NULL);
}

static int tree_create(char *message, size_t size)
{
    if (pnp_root_init() || !(pnp_root = pnp_node_new(NULL, NULL))) {
        snprintf(message, size, "out of memory creating the device tree");
        pnp_root_shutdown();
        return -ENOMEM;
    }
    pnp_root->state = PNP_STATE_STARTED;
    io_device_closed_hook = on_device_closed;
    pnp_root_enumerate_registry();
    return 0;
}

int pnp_start(char *message, size_t size)
{
    int err = 0;

    pthread_mutex_lock(&pnp_lock);
    if (running++ == 0) {
        err = nt_registry_open(nt_root_dir(), message, size);
        if (!err && (err = nt_runtime_start()) != 0)
            nt_registry_close();
        if (!err && (err = tree_create(message, size)) != 0) {
            nt_runtime_stop();
            nt_registry_close();
        }
        if (err)
            running = 0;
    }
    pthread_mutex_unlock(&pnp_lock);
    return err;
}

bool pnp_is_running(void)
{
    return running > 0;
}

static void power_down_tree(struct pnp_node *node)
{
    for (PLIST_ENTRY e = node->children.Flink; e != &node->children; e = e->Flink)
        power_down_tree(CONTAINING_RECORD(e, struct pnp_node, sibling));
    if (node != pnp_root && node->state == PNP_STATE_STARTED)
        pnp_power_shutdown(node);
}

/* pnp_lock held. */
static void tree_destroy(void)
{
    io_shutdown_notify_all();
    power_down_tree(pnp_root);
    while (!IsListEmpty(&pnp_root->children))
        pnp_node_remove_subtree(CONTAINING_RECORD(pnp_root->children.Flink, struct pnp_node, sibling), false);
    io_device_closed_hook = NULL;
    pnp_node_free(pnp_root);
    pnp_root = NULL;
    pnp_interfaces_cleanup();
    pnp_notify_cleanup();
    pnp_root_shutdown();
}

void pnp_stop(void)
{
    pthread_mutex_lock(&pnp_lock);
    if (running == 0 || --running > 0) {
        pthread_mutex_unlock(&pnp_lock);
        return;
    }
    tree_destroy();
    pthread_mutex_unlock(&pnp_lock);
    pnp_wait_idle();
    ldr_unload_all();
    nt_runtime_stop();
    nt_registry_close();
}

/* --- Root-enumerated devices --------------------------------------------- */
static bool driver_known_for(struct regstore *rs, const char *hardware_id)
{
    struct regstore_key key;
    char path[512];
    snprintf(path, sizeof(path), DEVICE_IDS_PATH "%s", hardware_id);
    return regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) == 0;
}

/* ROOT\TOASTER stays ROOT\TOASTER; anything else becomes ROOT\<id with # for \>. */
static void root_device_id(const char *hardware_id, char *out, size_t size)
{
    const char *id = strncasecmp(hardware_id, "ROOT\\", 5) == 0 ? hardware_id + 5 : hardware_id;
    snprintf(out, size, "%s", id);
    for (char *p = out; *p; p++)
        if (*p == '\\' || *p == '/')
            *p = '#';
}

static int store_root_device(struct regstore *rs, const char *hardware_id, char *instance, size_t instance_size)
{
    char device_id[256], path[512];
    struct regstore_key key;
    bool created = false;
    WCHAR *wide = pnp_utf8_to_utf16(hardware_id);
    size_t chars = wide ? pnp_wcslen(wide) : 0;
    int err = -ENOMEM;

    root_device_id(hardware_id, device_id, sizeof(device_id));
    for (unsigned n = 0; wide && n < 10000 && !created; n++) {
        snprintf(path, sizeof(path), ENUM_PATH "ROOT\\%s\\%04u", device_id, n);
        err = regstore_key_create(rs, REGSTORE_KEY_NONE, path, 0, &key, &created);
        if (err)
            break;
        if (created) {
            WCHAR *multi = calloc(chars + 2, sizeof(WCHAR));
            err = multi ? 0 : -ENOMEM;
            if (multi) {
                memcpy(multi, wide, chars * sizeof(WCHAR));
                err = regstore_value_set(rs, key, "HardwareID", REG_MULTI_SZ, multi, (chars + 2) * sizeof(WCHAR));
                free(multi);
            }
            snprintf(instance, instance_size, "ROOT\\%s\\%04u", device_id, n);
        }
    }
    free(wide);
    return err;
}

int pnp_root_device_add(const char *hardware_id, char *instance, size_t instance_size, char *message, size_t size)
{
    struct regstore *rs;
    int err;

    pthread_mutex_lock(&pnp_lock);
    rs = nt_registry();
    if (!rs) {
        snprintf(message, size, "the registry is not open");
        err = -ENODEV;
    } else if (!driver_known_for(rs, hardware_id)) {
        snprintf(message, size, "no installed driver matches hardware ID %s (install its INF first)", hardware_id);
        err = -ENOENT;
    } else if ((err = regstore_begin(rs)) == 0) {
        err = store_root_device(rs, hardware_id, instance, instance_size);
        err = err ? (regstore_rollback(rs), err) : regstore_commit(rs);
        if (err)
            snprintf(message, size, "cannot record the device: %s", regstore_last_error());
    }
    if (!err && running)
        pnp_root_enumerate_registry();
    pthread_mutex_unlock(&pnp_lock);
    return err;
}

static void forget_root_device(const char *instance_path)
{
    struct regstore *rs = nt_registry();
    struct regstore_key key;
    char path[512];
    snprintf(path, sizeof(path), ENUM_PATH "%s", instance_path);
    if (rs && regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) == 0)
        regstore_key_delete_tree(rs, key);
}

enum device_op { OP_REMOVE, OP_SURPRISE_REMOVE, OP_RESTART };

static int device_op(const char *instance_path, enum device_op op, char *message, size_t size)
{
    int err = 0;

    pthread_mutex_lock(&pnp_lock);
    struct pnp_node *node = pnp_node_find(instance_path);
    bool root = node ? node->root_enumerated : strncasecmp(instance_path, "ROOT\\", 5) == 0;
    if (!node && (op == OP_RESTART || !root)) {
        snprintf(message, size, "no device %s in the device tree", instance_path);
        err = -ENOENT;
    } else if (op == OP_REMOVE && node) {
        err = pnp_node_remove_orderly(node, message, size);
    } else if (op == OP_SURPRISE_REMOVE && node) {
        pnp_node_remove_subtree(node, true);
    } else if (op == OP_RESTART) {
        err = pnp_node_restart(node, message, size);
    }
    /* A root device removed is gone from the registry too, as devcon remove. */
    if (!err && op != OP_RESTART && root)
        forget_root_device(instance_path);
    pthread_mutex_unlock(&pnp_lock);
    return err;
}

int pnp_device_remove(const char *instance_path, char *message, size_t size)
{
    return device_op(instance_path, OP_REMOVE, message, size);
}

int pnp_device_surprise_remove(const char *instance_path, char *message, size_t size)
{
    return device_op(instance_path, OP_SURPRISE_REMOVE, message, size);
}

int pnp_device_restart(const char *instance_path, char *message, size_t size)
{
    return device_op(instance_path, OP_RESTART, message, size);
}

/* --- DDIs: re-enumeration, state, eject ------------------------------------ */
struct pdo_work {
    PDEVICE_OBJECT pdo;
    int kind;
};

static void pdo_work_run(void *ctx)
{
    struct pdo_work *work = ctx;
    char message[PNP_MESSAGE_MAX];

    pthread_mutex_lock(&pnp_lock);
    struct pnp_node *node = pnp_root ? pnp_node_of_pdo(work->pdo) : NULL;
    if (node && work->kind == 0) {
        pnp_node_enumerate(node);
    } else if (node && work->kind == 1 && node->state == PNP_STATE_STARTED) {
        ULONG_PTR state = 0;
        if (NT_SUCCESS(pnp_send_simple(node, IRP_MN_QUERY_PNP_DEVICE_STATE, &state)) &&
            (state & (PNP_DEVICE_FAILED | PNP_DEVICE_REMOVED))) {
            pnp_node_remove_stack(node);
            pnp_node_fail(node, CM_PROB_FAILED_POST_START, STATUS_UNSUCCESSFUL, "the driver reported the device failed");
        }
    } else if (node && work->kind == 2 && pnp_node_remove_orderly(node, message, sizeof(message)) == 0) {
        PIRP irp = io_build_pnp_irp(work->pdo, IRP_MJ_PNP, IRP_MN_EJECT);
        if (irp)
            io_call_and_wait(work->pdo, irp, NULL);
    }
    pthread_mutex_unlock(&pnp_lock);
    ObfDereferenceObject(work->pdo);
    free(work);
}

static void queue_pdo_work(PDEVICE_OBJECT pdo, int kind)
{
    struct pdo_work *work = malloc(sizeof(*work));
    if (!work)
        return;
    work->pdo = pdo;
    work->kind = kind;
    ObfReferenceObject(pdo);
    pnp_queue_work(pdo_work_run, work);
}

KMH_EXPORT void IoInvalidateDeviceRelations(PDEVICE_OBJECT DeviceObject, DEVICE_RELATION_TYPE Type)
{
    if (Type == BusRelations)
        queue_pdo_work(DeviceObject, 0);
}

KMH_EXPORT void IoInvalidateDeviceState(PDEVICE_OBJECT PhysicalDeviceObject)
{
    queue_pdo_work(PhysicalDeviceObject, 1);
}

KMH_EXPORT void IoRequestDeviceEject(PDEVICE_OBJECT PhysicalDeviceObject)
{
    queue_pdo_work(PhysicalDeviceObject, 2);
}
