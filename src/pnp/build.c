/*
 * Bringing a devnode up, in the order Windows does: ask the bus who the
 * device is (IDs, text, capabilities), find and load its drivers, call each
 * AddDevice bottom to top (lower filters, function driver, upper filters),
 * send IRP_MN_START_DEVICE down the stack, then ask for its children.
 * Every failure leaves the devnode in a failed state with the problem code
 * and status Device Manager would show.
 */
#include "pnp/pnp_private.h"
#include "pnp/install.h"
#include "loader/loader.h"
#include "verifier/verifier.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* DeviceID\InstanceID, made unique among the devnodes of this process. */
static int identify_path(struct pnp_node *node)
{
    WCHAR *device_id = NULL, *instance_id = NULL;
    char *device, *instance;

    if (!NT_SUCCESS(pnp_query_id(node, BusQueryDeviceID, &device_id)) || !device_id) {
        pnp_node_fail(node, CM_PROB_NOT_CONFIGURED, STATUS_UNSUCCESSFUL, "the bus driver reported no device ID");
        return -EINVAL;
    }
    pnp_query_id(node, BusQueryInstanceID, &instance_id);
    device = pnp_utf16_to_utf8(device_id);
    instance = instance_id ? pnp_utf16_to_utf8(instance_id) : strdup("0");
    free(device_id);
    free(instance_id);
    if (device && instance) {
        size_t size = strlen(device) + strlen(instance) + 16;
        node->instance_path = malloc(size);
        if (node->instance_path)
            snprintf(node->instance_path, size, "%s\\%s", device, instance);
        for (int n = 1; node->instance_path && pnp_node_find(node->instance_path) != node; n++)
            snprintf(node->instance_path, size, "%s\\%s&%d", device, instance, n);
    }
    free(device);
    free(instance);
    return node->instance_path ? 0 : -ENOMEM;
}

static int identify(struct pnp_node *node)
{
    WCHAR *text = NULL;

    if (!node->instance_path && identify_path(node))
        return -EINVAL;
    pnp_query_id(node, BusQueryHardwareIDs, &node->hardware_ids);
    pnp_query_id(node, BusQueryCompatibleIDs, &node->compatible_ids);
    if (NT_SUCCESS(pnp_query_text(node, DeviceTextDescription, &text)) && text) {
        char *utf8 = pnp_utf16_to_utf8(text);
        if (utf8)
            snprintf(node->description, sizeof(node->description), "%s", utf8);
        free(utf8);
    }
    free(text);
    pnp_query_capabilities(node);
    return 0;
}

/* The IDs of a multi-string as a NULL-terminated array of UTF-8 strings. */
static char **id_list(const WCHAR *multi_sz)
{
    size_t count = 0;
    for (const WCHAR *p = multi_sz; p && *p; p += pnp_wcslen(p) + 1)
        count++;
    char **list = calloc(count + 1, sizeof(char *));
    size_t i = 0;
    for (const WCHAR *p = multi_sz; list && p && *p; p += pnp_wcslen(p) + 1)
        list[i++] = pnp_utf16_to_utf8(p);
    return list;
}

static void id_list_free(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

static void join_names(char *out, size_t size, const char names[][PNP_NAME_MAX], size_t count)
{
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < count && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? " " : "", names[i]);
}

/* First appearance: install the device from the driver database. Then the
 * stack to build comes from the registry, class filters included. */
static int bind_drivers(struct pnp_node *node)
{
    struct pnp_device_install_result result;
    struct pnp_device_stack stack;
    char message[PNP_MESSAGE_MAX];
    int err = 0;

    if (!pnp_device_is_installed(node->instance_path)) {
        char **hardware = id_list(node->hardware_ids), **compatible = id_list(node->compatible_ids);
        err = pnp_device_install(node->instance_path, (const char *const *)hardware,
                                 (const char *const *)compatible, &result, message, sizeof(message));
        id_list_free(hardware);
        id_list_free(compatible);
    }
    if (!err)
        err = pnp_registry_device_stack(node->instance_path, &stack, message, sizeof(message));
    /* A bus that says its child may run raw (RawDeviceOK) gets it started
     * with no function driver, its own PDO driving it, as Windows does. */
    if ((err || !stack.service[0]) && node->capabilities.RawDeviceOK) {
        node->raw = true;
        if (err)
            return 0;
    }
    if (err) {
        pnp_node_fail(node, CM_PROB_FAILED_INSTALL, STATUS_NO_SUCH_DEVICE, "%s", message);
        return err;
    }
    if (!stack.service[0] && !node->raw) {
        pnp_node_fail(node, CM_PROB_FAILED_INSTALL, STATUS_NO_SUCH_DEVICE,
                      "no function driver is installed for %s", node->instance_path);
        return -ENOENT;
    }
    snprintf(node->service, sizeof(node->service), "%s", stack.service);
    join_names(node->lower_filters, sizeof(node->lower_filters), stack.lower, stack.nlower);
    join_names(node->upper_filters, sizeof(node->upper_filters), stack.upper, stack.nupper);
    return 0;
}

static int load_driver(struct pnp_node *node, const char *service)
{
    struct ldr_error error = { 0 };
    struct io_driver *driver;

    if (node->driver_count == PNP_MAX_STACK_DRIVERS) {
        pnp_node_fail(node, CM_PROB_FAILED_ADD, STATUS_INSUFFICIENT_RESOURCES, "too many drivers in one stack");
        return -E2BIG;
    }
    NTSTATUS status = ldr_driver_get(service, &driver, &error);
    if (!NT_SUCCESS(status)) {
        bool entry = status != STATUS_DRIVER_UNABLE_TO_LOAD && status != STATUS_DRIVER_ENTRYPOINT_NOT_FOUND &&
                     status != STATUS_OBJECT_NAME_NOT_FOUND && status != STATUS_INSUFFICIENT_RESOURCES;
        pnp_node_fail(node, entry ? CM_PROB_FAILED_DRIVER_ENTRY : CM_PROB_DRIVER_FAILED_LOAD, status, "%s",
                      error.message);
        return -EIO;
    }
    node->drivers[node->driver_count++] = driver;
    return 0;
}

static int add_device(struct pnp_node *node, struct io_driver *driver)
{
    PDRIVER_ADD_DEVICE add = driver->extension.AddDevice;
    PDEVICE_OBJECT top_before = io_device_stack_top(node->pdo);

    if (!add) {
        pnp_node_fail(node, CM_PROB_FAILED_ADD, STATUS_INVALID_DEVICE_REQUEST,
                      "%s has no AddDevice routine: it is not a PnP driver", driver->service);
        return -EINVAL;
    }
    kmh_log(KMH_LOG_DEBUG, "pnp", "%s: AddDevice of %s", node->instance_path, driver->service);
    NTSTATUS status = add(&driver->object, node->pdo);
    if (!NT_SUCCESS(status)) {
        pnp_node_fail(node, CM_PROB_FAILED_ADD, status, "AddDevice of %s failed with %s (0x%08x)",
                      driver->service, nt_status_name(status) ? nt_status_name(status) : "?",
                      (unsigned)status);
        return -EIO;
    }
    PDEVICE_OBJECT top = io_device_stack_top(node->pdo);
    if (top != top_before && (top->Flags & DO_DEVICE_INITIALIZING)) {
        vf_report(VF_OBJECT, "AddDevice", (void *)add, "%s left DO_DEVICE_INITIALIZING set on its device",
                  driver->service);
        top->Flags &= ~DO_DEVICE_INITIALIZING;
    }
    return 0;
}

/* Load order: lower filters, the function driver, upper filters. */
static int add_drivers(struct pnp_node *node)
{
    char order[1400], *save = NULL;

    snprintf(order, sizeof(order), "%s %s %s", node->lower_filters, node->service, node->upper_filters);
    for (char *service = strtok_r(order, " ", &save); service; service = strtok_r(NULL, " ", &save)) {
        if (load_driver(node, service) || add_device(node, node->drivers[node->driver_count - 1]))
            return -EIO;
    }
    node->state = PNP_STATE_DRIVERS_ADDED;
    return 0;
}

static int start(struct pnp_node *node)
{
    ULONG_PTR information = 0;

    pnp_send_simple(node, IRP_MN_QUERY_RESOURCE_REQUIREMENTS, &information);
    if (information)
        ExFreePool((PVOID)information);
    kmh_log(KMH_LOG_DEBUG, "pnp", "%s: IRP_MN_START_DEVICE", node->instance_path);
    NTSTATUS status = pnp_send_simple(node, IRP_MN_START_DEVICE, NULL);
    if (!NT_SUCCESS(status)) {
        pnp_node_fail(node, CM_PROB_FAILED_START, status, "the device cannot start: %s (0x%08x)",
                      nt_status_name(status) ? nt_status_name(status) : "?", (unsigned)status);
        return -EIO;
    }
    node->state = PNP_STATE_STARTED;
    node->problem = 0;
    node->problem_status = STATUS_SUCCESS;
    node->problem_text[0] = 0;
    node->device_power = PowerDeviceD0;
    return 0;
}

static void post_start(struct pnp_node *node)
{
    ULONG_PTR state = 0;

    pnp_query_capabilities(node);
    if (NT_SUCCESS(pnp_send_simple(node, IRP_MN_QUERY_PNP_DEVICE_STATE, &state)) &&
        (state & (PNP_DEVICE_FAILED | PNP_DEVICE_REMOVED))) {
        pnp_node_fail(node, CM_PROB_FAILED_POST_START, STATUS_UNSUCCESSFUL,
                      "the driver reported the device %s after start",
                      (state & PNP_DEVICE_FAILED) ? "failed" : "removed");
        pnp_node_remove_subtree(node, false);
        return;
    }
    pnp_node_enumerate(node);
}

/* pnp_lock held. */
void pnp_node_bring_up(struct pnp_node *node)
{
    if (identify(node) || bind_drivers(node))
        return;
    if (add_drivers(node) || start(node)) {
        /* The partial stack goes, as after a failed start on Windows; the
         * devnode stays to show its problem. */
        ULONG problem = node->problem;
        NTSTATUS status = node->problem_status;
        char text[PNP_MESSAGE_MAX];
        snprintf(text, sizeof(text), "%s", node->problem_text);
        pnp_node_remove_stack(node);
        pnp_node_fail(node, problem, status, "%s", text);
        return;
    }
    post_start(node);
}

static struct pnp_node *child_of_pdo(struct pnp_node *parent, PDEVICE_OBJECT pdo)
{
    for (PLIST_ENTRY e = parent->children.Flink; e != &parent->children; e = e->Flink) {
        struct pnp_node *child = CONTAINING_RECORD(e, struct pnp_node, sibling);
        if (child->pdo == pdo)
            return child;
    }
    return NULL;
}

static void children_mark_unreported(struct pnp_node *node)
{
    for (PLIST_ENTRY e = node->children.Flink; e != &node->children; e = e->Flink)
        CONTAINING_RECORD(e, struct pnp_node, sibling)->reported = false;
}

/* Children the bus no longer reports are gone: surprise-removed. */
static void children_remove_unreported(struct pnp_node *node)
{
    for (PLIST_ENTRY e = node->children.Flink; e != &node->children;) {
        struct pnp_node *child = CONTAINING_RECORD(e, struct pnp_node, sibling);
        e = e->Flink;
        if (!child->reported)
            pnp_node_remove_subtree(child, true);
    }
}

/* pnp_lock held. Asks a started device for its children and reconciles. */
void pnp_node_enumerate(struct pnp_node *node)
{
    PDEVICE_RELATIONS relations = NULL;

    if (node->state != PNP_STATE_STARTED ||
        !NT_SUCCESS(pnp_query_relations(node, BusRelations, &relations)))
        return;
    children_mark_unreported(node);
    for (ULONG i = 0; relations && i < relations->Count; i++) {
        PDEVICE_OBJECT pdo = relations->Objects[i];
        struct pnp_node *child = child_of_pdo(node, pdo);
        if (child) {
            child->reported = true;
        } else if ((child = pnp_node_new(node, pdo)) != NULL) {
            pdo->Flags |= DO_BUS_ENUMERATED_DEVICE;
            child->reported = true;
            pnp_node_bring_up(child);
        }
        ObfDereferenceObject(pdo); /* the bus driver referenced it for us */
    }
    if (relations)
        ExFreePool(relations);
    children_remove_unreported(node);
}
