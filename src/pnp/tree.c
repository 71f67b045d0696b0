/*
 * The device tree of this process: devnodes, their parents and children,
 * lookup by instance path or PDO, and the listing the kmhost command shows.
 */
#include "pnp/pnp_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

pthread_mutex_t pnp_lock = PTHREAD_MUTEX_INITIALIZER;
struct pnp_node *pnp_root;

struct pnp_node *pnp_node_new(struct pnp_node *parent, PDEVICE_OBJECT pdo)
{
    struct pnp_node *node = calloc(1, sizeof(*node));
    if (!node)
        return NULL;
    InitializeListHead(&node->children);
    InitializeListHead(&node->sibling);
    node->parent = parent;
    node->depth = parent ? parent->depth + 1 : 0;
    node->pdo = pdo;
    node->state = PNP_STATE_INITIALIZED;
    node->device_power = PowerDeviceD3;
    if (pdo) {
        ObfReferenceObject(pdo);
        io_device_of(pdo)->pnp_node = node;
    }
    if (parent)
        InsertTailList(&parent->children, &node->sibling);
    return node;
}

void pnp_node_free(struct pnp_node *node)
{
    if (node->parent)
        RemoveEntryList(&node->sibling);
    if (node->pdo) {
        io_device_of(node->pdo)->pnp_node = NULL;
        ObfDereferenceObject(node->pdo);
    }
    free(node->instance_path);
    free(node->hardware_ids);
    free(node->compatible_ids);
    free(node);
}

static struct pnp_node *find_in(struct pnp_node *node, const char *path, PDEVICE_OBJECT pdo)
{
    if ((path && node->instance_path && strcasecmp(node->instance_path, path) == 0) || (pdo && node->pdo == pdo))
        return node;
    for (PLIST_ENTRY e = node->children.Flink; e != &node->children; e = e->Flink) {
        struct pnp_node *found = find_in(CONTAINING_RECORD(e, struct pnp_node, sibling), path, pdo);
        if (found)
            return found;
    }
    return NULL;
}

struct pnp_node *pnp_node_find(const char *instance_path)
{
    return pnp_root ? find_in(pnp_root, instance_path, NULL) : NULL;
}

struct pnp_node *pnp_node_of_pdo(PDEVICE_OBJECT pdo)
{
    PDEVICE_OBJECT base = IoGetDeviceAttachmentBaseRef(pdo);
    struct pnp_node *node = io_device_of(base)->pnp_node;
    ObfDereferenceObject(base);
    return node;
}

void pnp_node_fail(struct pnp_node *node, ULONG problem, NTSTATUS status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(node->problem_text, sizeof(node->problem_text), fmt, ap);
    va_end(ap);
    node->state = PNP_STATE_FAILED;
    node->problem = problem;
    node->problem_status = status;
    kmh_log(KMH_LOG_ERROR, "pnp", "%s: %s", node->instance_path ? node->instance_path : "?", node->problem_text);
}

static void visit(struct pnp_node *node, void (*fn)(const struct pnp_node_info *, void *), void *ctx)
{
    struct pnp_node_info info = {
        .instance_path = node->instance_path ? node->instance_path : "HTREE\\ROOT\\0",
        .service = node->service,
        .upper_filters = node->upper_filters,
        .lower_filters = node->lower_filters,
        .description = node->description,
        .depth = node->depth,
        .state = node->state,
        .problem = node->problem,
        .problem_status = node->problem_status,
        .problem_text = node->problem_text,
    };
    fn(&info, ctx);
    for (PLIST_ENTRY e = node->children.Flink; e != &node->children; e = e->Flink)
        visit(CONTAINING_RECORD(e, struct pnp_node, sibling), fn, ctx);
}

void pnp_for_each_node(void (*fn)(const struct pnp_node_info *info, void *ctx), void *ctx)
{
    pthread_mutex_lock(&pnp_lock);
    if (pnp_root)
        visit(pnp_root, fn, ctx);
    pthread_mutex_unlock(&pnp_lock);
}

int pnp_node_query(const char *instance_path, enum pnp_state *state, ULONG *problem, NTSTATUS *status)
{
    int err = -ENOENT;
    pthread_mutex_lock(&pnp_lock);
    struct pnp_node *node = pnp_node_find(instance_path);
    if (node) {
        *state = node->state;
        *problem = node->problem;
        *status = node->problem_status;
        err = 0;
    }
    pthread_mutex_unlock(&pnp_lock);
    return err;
}

int pnp_instance_of_device(PDEVICE_OBJECT device, char *instance, size_t size)
{
    int err = -ENOENT;
    pthread_mutex_lock(&pnp_lock);
    struct pnp_node *node = pnp_root ? pnp_node_of_pdo(device) : NULL;
    if (node && node->instance_path) {
        snprintf(instance, size, "%s", node->instance_path);
        err = 0;
    }
    pthread_mutex_unlock(&pnp_lock);
    return err;
}
