/*
 * Shared by the files of src/pnp only: the devnode, the PnP lock and the
 * helpers that send PnP IRPs.
 */
#ifndef KMHOST_PNP_PRIVATE_H
#define KMHOST_PNP_PRIVATE_H

#include "pnp/pnp.h"
#include <pthread.h>

#define PNP_MAX_STACK_DRIVERS 16

struct pnp_node {
    LIST_ENTRY sibling;
    LIST_ENTRY children;
    struct pnp_node *parent;
    int depth;
    char *instance_path;       /* DeviceID\InstanceID */
    WCHAR *hardware_ids;       /* REG_MULTI_SZ layout */
    WCHAR *compatible_ids;
    char description[256];
    PDEVICE_OBJECT pdo;        /* referenced */
    bool root_enumerated;
    bool reported;             /* in the parent's last BusRelations */
    bool remove_when_closed;   /* surprise-removed; REMOVE_DEVICE waits for the last handle */
    bool raw;                  /* started without a function driver (RawDeviceOK): its PDO still gets REMOVE_DEVICE */
    enum pnp_state state;
    ULONG problem;
    NTSTATUS problem_status;
    char problem_text[PNP_MESSAGE_MAX];
    char service[260];
    char upper_filters[512], lower_filters[512];
    struct io_driver *drivers[PNP_MAX_STACK_DRIVERS]; /* referenced, in AddDevice order */
    size_t driver_count;
    DEVICE_CAPABILITIES capabilities;
    DEVICE_POWER_STATE device_power;
};

/* Serialises PnP operations, as the PnP engine lock does. Never held by a
 * thread that waits for I/O the driver might complete on this thread. */
extern pthread_mutex_t pnp_lock;
extern struct pnp_node *pnp_root;

/* tree.c */
struct pnp_node *pnp_node_new(struct pnp_node *parent, PDEVICE_OBJECT pdo);
void pnp_node_free(struct pnp_node *node);
struct pnp_node *pnp_node_find(const char *instance_path);
struct pnp_node *pnp_node_of_pdo(PDEVICE_OBJECT pdo);
void pnp_node_fail(struct pnp_node *node, ULONG problem, NTSTATUS status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* irp.c: one PnP IRP to the top of the node's stack, waited for. */
NTSTATUS pnp_send_simple(struct pnp_node *node, UCHAR minor, ULONG_PTR *information);
NTSTATUS pnp_query_id(struct pnp_node *node, BUS_QUERY_ID_TYPE type, WCHAR **out);
NTSTATUS pnp_query_text(struct pnp_node *node, DEVICE_TEXT_TYPE type, WCHAR **out);
NTSTATUS pnp_query_capabilities(struct pnp_node *node);
NTSTATUS pnp_query_relations(struct pnp_node *node, DEVICE_RELATION_TYPE type, PDEVICE_RELATIONS *out);

/* build.c: identify, bind drivers, AddDevice, start, enumerate. */
void pnp_node_bring_up(struct pnp_node *node);
void pnp_node_enumerate(struct pnp_node *node);

/* remove.c */
/* Removes node's children, then its stack (IRP_MN_REMOVE_DEVICE, after
 * IRP_MN_SURPRISE_REMOVAL when surprise), then the node itself. */
void pnp_node_remove_subtree(struct pnp_node *node, bool surprise);
/* Sends IRP_MN_REMOVE_DEVICE to the node's stack and lets its drivers go;
 * the node stays (a failed devnode keeps showing its problem). */
void pnp_node_remove_stack(struct pnp_node *node);
/* Devices in the node's stack that programs hold open. */
LONG pnp_node_open_count(struct pnp_node *node);
void pnp_finish_deferred_removals(void *unused);
int pnp_node_remove_orderly(struct pnp_node *node, char *message, size_t size);
int pnp_node_restart(struct pnp_node *node, char *message, size_t size);

/* notify.c: target-device notifications (IoRegisterPlugPlayNotification
 * with EventCategoryTargetDeviceChange). A failing query-remove callback
 * vetoes the removal. */
enum pnp_target_event {
    PNP_TARGET_QUERY_REMOVE,
    PNP_TARGET_REMOVE_CANCELLED,
    PNP_TARGET_REMOVE_COMPLETE,
};
NTSTATUS pnp_notify_target_device(struct pnp_node *node, enum pnp_target_event event);
void pnp_notify_interface(const GUID *class_guid, const UNICODE_STRING *link, bool arrival);
void pnp_notify_cleanup(void);

/* root.c: the root bus pseudo-driver. */
int pnp_root_init(void);
void pnp_root_shutdown(void);
int pnp_root_create_pdo(const char *instance_path, PDEVICE_OBJECT *pdo);
void pnp_root_delete_pdo(PDEVICE_OBJECT pdo);
void pnp_root_enumerate_registry(void);

/* interface.c */
void pnp_interfaces_disable_for(PDEVICE_OBJECT pdo);
void pnp_interfaces_cleanup(void);

/* power.c */
void pnp_power_shutdown(struct pnp_node *node);

/* queue.c: asynchronous PnP work. */
void pnp_queue_work(void (*fn)(void *ctx), void *ctx);

/* util.c */
char *pnp_utf16_to_utf8(const WCHAR *in);
WCHAR *pnp_utf8_to_utf16(const char *in);
size_t pnp_multi_sz_chars(const WCHAR *multi_sz);
WCHAR *pnp_wcsdup_pool(const WCHAR *s, size_t chars);
size_t pnp_wcslen(const WCHAR *s);

#endif /* KMHOST_PNP_PRIVATE_H */
