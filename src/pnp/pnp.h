/*
 * The PnP manager as the rest of kmhost sees it: start and stop the device
 * tree of this process, add and remove root-enumerated devices, start and
 * stop legacy services, list the tree, and reach devices and interfaces by
 * name. Used by the client runtime, the kmhost command and tests.
 */
#ifndef KMHOST_PNP_H
#define KMHOST_PNP_H

#include "io/io.h"

#define PNP_MESSAGE_MAX 1024

/* Device manager problem codes (CM_PROB_*), the numbers Windows shows. */
#define CM_PROB_NOT_CONFIGURED 1
#define CM_PROB_FAILED_START 10
#define CM_PROB_FAILED_INSTALL 28
#define CM_PROB_FAILED_ADD 31
#define CM_PROB_FAILED_DRIVER_ENTRY 37
#define CM_PROB_DRIVER_FAILED_LOAD 39
#define CM_PROB_DEVICE_NOT_THERE 24
#define CM_PROB_WILL_BE_REMOVED 21
#define CM_PROB_FAILED_POST_START 43

enum pnp_state {
    PNP_STATE_INITIALIZED,     /* the PDO exists */
    PNP_STATE_DRIVERS_ADDED,   /* every AddDevice ran */
    PNP_STATE_STARTED,
    PNP_STATE_STOPPED,         /* query-stop/stop for rebalance */
    PNP_STATE_SURPRISE_REMOVED,
    PNP_STATE_REMOVED,
    PNP_STATE_FAILED,          /* see problem and problem_status */
};

struct pnp_node_info {
    const char *instance_path;
    const char *service;       /* function driver, "" when none */
    const char *upper_filters; /* space-separated, "" when none */
    const char *lower_filters;
    const char *description;
    int depth;
    enum pnp_state state;
    ULONG problem;
    NTSTATUS problem_status;
    const char *problem_text;
};

/* Brings up every installed root-enumerated device of the registry in this
 * process (DriverEntry, AddDevice, start, children). Reference counted. */
int pnp_start(char *message, size_t size);
/* Shuts the tree down: shutdown notification, system power-down, remove
 * every device children first, unload the drivers. */
void pnp_stop(void);
bool pnp_is_running(void);
/* Waits for queued PnP work (IoInvalidateDeviceRelations, ejects). */
void pnp_wait_idle(void);

/* Records a new root-enumerated device with this hardware ID and, when the
 * tree runs in this process, builds it. instance receives its path. */
int pnp_root_device_add(const char *hardware_id, char *instance, size_t instance_size, char *message, size_t size);
/* Orderly removal: query-remove (a veto fails it), remove; a root device
 * is also forgotten by the registry. */
int pnp_device_remove(const char *instance_path, char *message, size_t size);
int pnp_device_surprise_remove(const char *instance_path, char *message, size_t size);
/* Query-stop, stop, start again, as a resource rebalance does. */
int pnp_device_restart(const char *instance_path, char *message, size_t size);

/* Legacy (non-PnP) drivers, as `sc start` / `sc stop`. */
int pnp_service_start(const char *service, char *message, size_t size);
int pnp_service_stop(const char *service, char *message, size_t size);
/* The registry mark that makes every process of the root start a service. */
int pnp_service_mark_started(const char *service, bool started);
void pnp_services_start_marked(void);

void pnp_for_each_node(void (*fn)(const struct pnp_node_info *info, void *ctx), void *ctx);
/* The node's state, or -ENOENT. */
int pnp_node_query(const char *instance_path, enum pnp_state *state, ULONG *problem, NTSTATUS *status);

/* The instance path of the devnode whose stack device is part of, or -ENOENT. */
int pnp_instance_of_device(PDEVICE_OBJECT device, char *instance, size_t size);

/* Enabled device interfaces of a class, as \??\... symbolic link names. */
void pnp_for_each_interface(const GUID *class_guid, void (*fn)(const UNICODE_STRING *link, void *ctx), void *ctx);

#endif /* KMHOST_PNP_H */
