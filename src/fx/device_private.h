/*
 * The device family's own header: what WDFDEVICE_INIT holds, the PnP/power
 * state a WDFDEVICE carries (struct fx_device.pnp), and the helpers the
 * files of the family share. Included by src/fx/device*.c, devinit*.c,
 * dispatch.c, pnp*.c, power*.c, fileobject.c, control.c, resources.c and
 * by the bus-driver family (src/fx/pdo*.c, childlist*.c), which builds PDOs
 * on this core through struct fx_pdo_ops; everyone else uses fx.h.
 */
#ifndef KMHOST_FX_DEVICE_PRIVATE_H
#define KMHOST_FX_DEVICE_PRIVATE_H

#include "fx/fx.h"

/* --- WDFDEVICE_INIT ---------------------------------------------------------
 * The WDK leaves struct WDFDEVICE_INIT opaque (drivers only hold
 * PWDFDEVICE_INIT); defining that very tag here makes the pointer typed. */
enum fx_power_paging { FX_POWER_PAGEABLE, FX_POWER_NOT_PAGEABLE, FX_POWER_INRUSH };

struct fx_preprocess {
    PFN_WDFDEVICE_WDM_IRP_PREPROCESS callback;
    UCHAR minors[32];                        /* empty: every minor */
    ULONG minor_count;
};

struct WDFDEVICE_INIT {
    uint32_t magic;
    struct fx_globals *globals;
    struct fx_driver *driver;
    enum fx_device_kind kind;
    bool created;                            /* WdfDeviceCreate consumed it */
    struct fx_device *device;                /* what it created */
    PDEVICE_OBJECT pdo;                      /* FDO/filter: the stack's PDO */
    struct fx_device *bus_parent;            /* PDO: the bus FDO that enumerates it */
    /* The WDM device to be. */
    WDF_DEVICE_IO_TYPE io_type, ioctl_io_type;
    BOOLEAN exclusive;
    DEVICE_TYPE device_type;
    ULONG characteristics;
    UNICODE_STRING name, sddl;               /* owned copies */
    GUID class_guid;
    bool has_class_guid;
    /* Callbacks and settings carried into the device. */
    WDF_PNPPOWER_EVENT_CALLBACKS pnp_callbacks;
    WDF_POWER_POLICY_EVENT_CALLBACKS policy_callbacks;
    WDF_FDO_EVENT_CALLBACKS fdo_callbacks;
    int power_policy_owner;                  /* -1: the kind's default */
    enum fx_power_paging paging;
    WDF_FILEOBJECT_CONFIG file_config;
    WDF_OBJECT_ATTRIBUTES file_attributes;
    bool has_file_config;
    WDF_OBJECT_ATTRIBUTES request_attributes;
    PFN_WDF_IO_IN_CALLER_CONTEXT in_caller_context;
    struct fx_preprocess preprocess[IRP_MJ_MAXIMUM_FUNCTION + 1];
    ULONG remove_lock_flags;
    WDF_RELEASE_HARDWARE_ORDER_ON_FAILURE release_order;
    WDF_CHILD_LIST_CONFIG child_list_config;
    WDF_OBJECT_ATTRIBUTES child_list_attributes;
    bool has_child_list_config;
    /* Control devices. */
    PFN_WDF_DEVICE_SHUTDOWN_NOTIFICATION shutdown;
    UCHAR shutdown_flags;
    /* The bus-driver family's PDO settings (IDs, text, ...), freed with the init. */
    void *pdo_init;
    void (*pdo_init_free)(void *pdo_init);
};
#define FX_DEVICE_INIT_MAGIC 0x74696e49u /* "Init" */

/* A fresh init block for a device of the given kind (devinit.c). NULL when
 * out of memory. FDO/filter: pdo is the stack's PDO; PDO: bus_parent is the
 * enumerating FDO. */
PWDFDEVICE_INIT fx_device_init_new(struct fx_globals *globals, struct fx_driver *driver, enum fx_device_kind kind,
                                   PDEVICE_OBJECT pdo, struct fx_device *bus_parent);
void fx_device_init_free(PWDFDEVICE_INIT init);
/* Checks an init pointer a driver passed: NULL (and a report naming ddi)
 * for a bogus or consumed one. */
PWDFDEVICE_INIT fx_device_init_check(PWDFDEVICE_INIT init, const char *ddi);

/* --- PDO answers (the bus-driver family) --------------------------------------
 * A PDO completes PnP IRPs instead of forwarding them; these are the
 * answers only the bus knows. Each returns the IRP's status and sets
 * *information (a pool buffer the PnP manager frees, where the IRP says
 * so); NULL members answer with the IRP's status unchanged. */
struct fx_pdo_ops {
    NTSTATUS (*query_id)(struct fx_device *pdo, BUS_QUERY_ID_TYPE type, ULONG_PTR *information);
    NTSTATUS (*query_text)(struct fx_device *pdo, DEVICE_TEXT_TYPE type, LCID locale, ULONG_PTR *information);
    /* Fills what the bus knows, before WdfDeviceSetPnp/PowerCapabilities
     * are applied on top. */
    void (*query_capabilities)(struct fx_device *pdo, PDEVICE_CAPABILITIES capabilities);
    NTSTATUS (*query_resources)(struct fx_device *pdo, ULONG_PTR *information);
    NTSTATUS (*query_resource_requirements)(struct fx_device *pdo, ULONG_PTR *information);
    NTSTATUS (*query_interface)(struct fx_device *pdo, PIRP irp);
    NTSTATUS (*eject)(struct fx_device *pdo);
    /* After IRP_MN_REMOVE_DEVICE: true when the child is gone (reported
     * missing), so the WDFDEVICE and its PDO are deleted; false keeps them
     * for a later start, as KMDF keeps a PDO still present on the bus. */
    bool (*remove_deletes)(struct fx_device *pdo);
};

/* --- The PnP/power state of a WDFDEVICE (struct fx_device.pnp) ----------- */
struct fx_interface {
    LIST_ENTRY link;
    GUID guid;
    UNICODE_STRING reference;                /* owned; empty for none */
    UNICODE_STRING link_name;                /* from IoRegisterDeviceInterface */
    bool enabled;                            /* what the driver wants */
};

struct fx_pnp {
    pthread_mutex_t lock;                    /* the fields below that change after creation */
    WDF_PNPPOWER_EVENT_CALLBACKS cb;
    WDF_POWER_POLICY_EVENT_CALLBACKS policy_cb;
    WDF_FDO_EVENT_CALLBACKS fdo_cb;
    struct fx_preprocess preprocess[IRP_MJ_MAXIMUM_FUNCTION + 1];
    struct fx_device *bus_parent;            /* PDOs */
    enum fx_power_paging paging;
    /* State machine. */
    WDF_DEVICE_PNP_STATE pnp_state;
    WDF_DEVICE_POWER_STATE power_state;
    WDF_DEVICE_POWER_POLICY_STATE policy_state;
    bool hardware_prepared;
    bool self_io_started;                    /* EvtDeviceSelfManagedIoInit ran (once per device) */
    bool self_io_running;                    /* not suspended */
    bool ever_started;
    bool surprise_removed;
    bool removed;
    bool failed;                             /* WdfDeviceSetFailed or a failed start */
    WDF_POWER_DEVICE_STATE dx;               /* where the device is when not in D0 */
    SYSTEM_POWER_STATE system_state;
    POWER_ACTION system_action;
    /* WdfDeviceStopIdle / ResumeIdle: references on staying in D0. */
    LONG idle_refs;
    KEVENT d0_event;                         /* signalled while in D0 */
    /* What the PnP manager is told. */
    WDF_DEVICE_PNP_CAPABILITIES pnp_caps;
    WDF_DEVICE_POWER_CAPABILITIES power_caps;
    bool has_pnp_caps, has_power_caps;
    PNP_BUS_INFORMATION bus_info;
    bool has_bus_info;
    WDF_DEVICE_STATE device_state;
    bool static_not_stoppable;
    LIST_ENTRY interfaces;                   /* struct fx_interface */
    LIST_ENTRY symbolic_links;               /* struct fx_symlink (device_name.c) */
    UNICODE_STRING mof_name;
    WDF_DEVICE_POWER_POLICY_IDLE_SETTINGS idle_settings;
    WDF_DEVICE_POWER_POLICY_WAKE_SETTINGS wake_settings;
    bool has_idle_settings, has_wake_settings;
    WDF_RELEASE_HARDWARE_ORDER_ON_FAILURE release_order;
    ULONG remove_lock_flags;
    WDF_CHILD_LIST_CONFIG child_list_config;
    WDF_OBJECT_ATTRIBUTES child_list_attributes;
    bool has_child_list_config;
    /* Removal relations (WdfDeviceAddRemovalRelationsPhysicalDevice). */
    PDEVICE_OBJECT removal_relations[16];
    ULONG removal_relation_count;
    /* Resources handed to EvtDevicePrepareHardware (resources.c). */
    WDFCMRESLIST raw, translated;
    /* Control devices. */
    PFN_WDF_DEVICE_SHUTDOWN_NOTIFICATION shutdown;
    UCHAR shutdown_flags;
    bool control_finished;
    /* File objects (fileobject.c): tracked per device so close finds them
     * even when the class forbids FsContext. */
    LIST_ENTRY files;
};

static inline struct fx_pnp *fx_pnp_of(struct fx_device *device)
{
    return device->pnp;
}

static inline WDFDEVICE fx_device_handle(struct fx_device *device)
{
    return (WDFDEVICE)device->object.handle;
}

/* FDOs and filters pass IRPs down; PDOs and control devices are the bottom. */
static inline bool fx_device_has_lower(struct fx_device *device)
{
    return device->kind == FX_DEVICE_FDO || device->kind == FX_DEVICE_FILTER;
}

/* device.c */
/* Looks a WDFDEVICE up for a DDI (NULL and a report for a bad handle). */
struct fx_device *fx_device_lookup(WDFDEVICE handle, const char *ddi);
/* Tears the device down: WDF object tree (children first), symbolic
 * links, then detach and IoDeleteDevice. PASSIVE_LEVEL. */
void fx_device_destroy(struct fx_device *device);

/* IoGetDeviceProperty into a new WDFMEMORY (device_query.c). */
NTSTATUS fx_device_property_alloc(struct fx_globals *globals, PDEVICE_OBJECT pdo, DEVICE_REGISTRY_PROPERTY property,
                                  POOL_TYPE pool_type, PWDF_OBJECT_ATTRIBUTES attributes, WDFMEMORY *memory);

/* device_name.c: symbolic links and device interfaces. */
void fx_device_links_delete(struct fx_device *device);
void fx_device_interfaces_set_all(struct fx_device *device, bool enable);
void fx_device_interfaces_free(struct fx_device *device);

/* dispatch.c */
NTSTATUS fx_dispatch_forward(struct fx_device *device, PIRP irp);
NTSTATUS fx_dispatch_complete(PIRP irp, NTSTATUS status, ULONG_PTR information);

/* power.c: the sequences the PnP and power IRPs share. */
NTSTATUS fx_power_up(struct fx_device *device, WDF_POWER_DEVICE_STATE previous);
void fx_power_down(struct fx_device *device, WDF_POWER_DEVICE_STATE target);
void fx_power_set_d0(struct fx_device *device, bool in_d0);

/* pnp.c */
void fx_pnp_set_state(struct fx_device *device, WDF_DEVICE_PNP_STATE state);
/* pnp_query.c: every minor but start/stop/remove and their queries. */
NTSTATUS fx_pnp_dispatch_query(struct fx_device *device, PIRP irp);

/* The bus-driver family's hooks (src/fx/childlist.c, fdo_children.c,
 * queryinterface.c): WdfDeviceCreate makes an FDO's default child list
 * (WdfFdoInitSetDefaultChildListConfig; STATUS_SUCCESS when there is
 * none); each D0 entry of a bus FDO runs its lists'
 * EvtChildListScanForChildren; IRP_MN_QUERY_INTERFACE on an FDO or filter
 * goes to the interfaces of WdfDeviceAddQueryInterface (and down the
 * stack when none is asked for). PASSIVE_LEVEL. */
NTSTATUS fx_child_list_create_default(struct fx_device *fdo);
void fx_child_lists_scan(struct fx_device *fdo);
NTSTATUS fx_query_interface_dispatch(struct fx_device *device, PIRP irp);

/* resources.c */
NTSTATUS fx_cmreslists_new(struct fx_device *device, PCM_RESOURCE_LIST raw, PCM_RESOURCE_LIST translated);
void fx_cmreslists_delete(struct fx_device *device);

/* fileobject.c */
void fx_file_objects_release(struct fx_device *device);

#endif /* KMHOST_FX_DEVICE_PRIVATE_H */
