/*
 * Taking devices down: orderly removal (query-remove, which open handles or
 * any driver may veto, then remove), surprise removal (the device is gone:
 * IRP_MN_SURPRISE_REMOVAL at once, IRP_MN_REMOVE_DEVICE when the last
 * handle closes), and the stop/start pair of a rebalance. Children always
 * go before their parent.
 */
#include "pnp/pnp_private.h"
#include "loader/loader.h"

#include <stdio.h>
#include <stdlib.h>

LONG pnp_node_open_count(struct pnp_node *node)
{
    LONG count = 0;
    for (PDEVICE_OBJECT d = node->pdo; d; d = d->AttachedDevice)
        count += d->ReferenceCount;
    return count;
}

static void release_drivers(struct pnp_node *node)
{
    while (node->driver_count)
        io_driver_release(node->drivers[--node->driver_count]);
    /* A driver whose last device just went unloads now that it has returned. */
    ldr_unload_pending();
}

void pnp_node_remove_stack(struct pnp_node *node)
{
    pnp_interfaces_disable_for(node->pdo);
    if (node->driver_count || node->raw) {
        kmh_log(KMH_LOG_DEBUG, "pnp", "%s: IRP_MN_REMOVE_DEVICE", node->instance_path);
        pnp_send_simple(node, IRP_MN_REMOVE_DEVICE, NULL);
    }
    node->raw = false;
    node->state = PNP_STATE_REMOVED;
    node->device_power = PowerDeviceD3;
    release_drivers(node);
}

static void node_forget(struct pnp_node *node)
{
    PDEVICE_OBJECT pdo = node->pdo;
    bool root = node->root_enumerated;

    pnp_node_free(node);
    /* A root device's PDO is the root bus's; a child's belongs to its bus
     * driver, which deletes it when the device is reported missing. */
    if (root)
        pnp_root_delete_pdo(pdo);
}

void pnp_node_remove_subtree(struct pnp_node *node, bool surprise)
{
    for (PLIST_ENTRY e = node->children.Flink; e != &node->children;) {
        struct pnp_node *child = CONTAINING_RECORD(e, struct pnp_node, sibling);
        e = e->Flink;
        pnp_node_remove_subtree(child, surprise);
    }
    if (surprise && node->state == PNP_STATE_STARTED) {
        kmh_log(KMH_LOG_DEBUG, "pnp", "%s: IRP_MN_SURPRISE_REMOVAL", node->instance_path);
        pnp_send_simple(node, IRP_MN_SURPRISE_REMOVAL, NULL);
        node->state = PNP_STATE_SURPRISE_REMOVED;
        pnp_interfaces_disable_for(node->pdo);
    }
    /* Still open, or a child still is (a bus whose child a program holds):
     * REMOVE_DEVICE waits for the last handle, children first. */
    if (surprise && (pnp_node_open_count(node) > 0 || !IsListEmpty(&node->children))) {
        node->remove_when_closed = true; /* finished by pnp_finish_deferred_removals */
        return;
    }
    pnp_node_remove_stack(node);
    node_forget(node);
}

/* pnp_lock held. Surprise-removed devices whose handles have all closed
 * get their IRP_MN_REMOVE_DEVICE now. */
static bool finish_in(struct pnp_node *node)
{
    for (PLIST_ENTRY e = node->children.Flink; e != &node->children; e = e->Flink)
        if (finish_in(CONTAINING_RECORD(e, struct pnp_node, sibling)))
            return true;
    if (node->remove_when_closed && pnp_node_open_count(node) == 0 && IsListEmpty(&node->children)) {
        pnp_node_remove_stack(node);
        node_forget(node);
        return true; /* the tree changed: start the walk again */
    }
    return false;
}

void pnp_finish_deferred_removals(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&pnp_lock);
    while (pnp_root && finish_in(pnp_root))
        ;
    pthread_mutex_unlock(&pnp_lock);
}

/* --- Orderly removal ---------------------------------------------------- */
struct query_state {
    struct pnp_node *queried[256];
    size_t count;
    char *message;
    size_t size;
};

static int query_remove_one(struct pnp_node *node, struct query_state *q)
{
    LONG open = pnp_node_open_count(node);
    if (open > 0) {
        snprintf(q->message, q->size, "removal of %s vetoed: %ld open handle%s (close them first)",
                 node->instance_path, (long)open, open == 1 ? "" : "s");
        return -EBUSY;
    }
    if (!node->driver_count && !node->raw)
        return 0;
    NTSTATUS status = pnp_notify_target_device(node, PNP_TARGET_QUERY_REMOVE);
    if (NT_SUCCESS(status))
        status = pnp_send_simple(node, IRP_MN_QUERY_REMOVE_DEVICE, NULL);
    if (!NT_SUCCESS(status)) {
        snprintf(q->message, q->size, "removal of %s vetoed by its drivers: %s (0x%08x)", node->instance_path,
                 nt_status_name(status) ? nt_status_name(status) : "?", (unsigned)status);
        return -EBUSY;
    }
    if (q->count < KMH_ARRAY_SIZE(q->queried))
        q->queried[q->count++] = node;
    return 0;
}

static int query_remove_subtree(struct pnp_node *node, struct query_state *q)
{
    for (PLIST_ENTRY e = node->children.Flink; e != &node->children; e = e->Flink) {
        int err = query_remove_subtree(CONTAINING_RECORD(e, struct pnp_node, sibling), q);
        if (err)
            return err;
    }
    return query_remove_one(node, q);
}

static void cancel_remove(struct query_state *q)
{
    while (q->count) {
        struct pnp_node *node = q->queried[--q->count];
        pnp_send_simple(node, IRP_MN_CANCEL_REMOVE_DEVICE, NULL);
        pnp_notify_target_device(node, PNP_TARGET_REMOVE_CANCELLED);
    }
}

/* pnp_lock held. */
int pnp_node_remove_orderly(struct pnp_node *node, char *message, size_t size)
{
    struct query_state q = { .message = message, .size = size };

    if (query_remove_subtree(node, &q)) {
        cancel_remove(&q);
        kmh_log(KMH_LOG_WARNING, "pnp", "%s", message);
        return -EBUSY;
    }
    for (size_t i = 0; i < q.count; i++)
        pnp_notify_target_device(q.queried[i], PNP_TARGET_REMOVE_COMPLETE);
    pnp_node_remove_subtree(node, false);
    return 0;
}

/* --- Rebalance: query-stop, stop, start ----------------------------------- */
int pnp_node_restart(struct pnp_node *node, char *message, size_t size)
{
    if (node->state != PNP_STATE_STARTED) {
        snprintf(message, size, "%s is not started", node->instance_path);
        return -EINVAL;
    }
    NTSTATUS status = pnp_send_simple(node, IRP_MN_QUERY_STOP_DEVICE, NULL);
    if (!NT_SUCCESS(status)) {
        pnp_send_simple(node, IRP_MN_CANCEL_STOP_DEVICE, NULL);
        snprintf(message, size, "stop of %s vetoed: %s (0x%08x)", node->instance_path,
                 nt_status_name(status) ? nt_status_name(status) : "?", (unsigned)status);
        return -EBUSY;
    }
    pnp_send_simple(node, IRP_MN_STOP_DEVICE, NULL);
    node->state = PNP_STATE_STOPPED;
    status = pnp_send_simple(node, IRP_MN_START_DEVICE, NULL);
    if (!NT_SUCCESS(status)) {
        pnp_node_fail(node, CM_PROB_FAILED_START, status, "restart failed: %s (0x%08x)",
                      nt_status_name(status) ? nt_status_name(status) : "?", (unsigned)status);
        snprintf(message, size, "%s", node->problem_text);
        return -EIO;
    }
    node->state = PNP_STATE_STARTED;
    return 0;
}
