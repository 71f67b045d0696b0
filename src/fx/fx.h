/*
 * The framework's internals: the object model every WDF object is built on
 * (handles with type and generation, parent/child trees, contexts,
 * references, cleanup and destroy), the function table and how a DDI joins
 * it, the per-driver globals, the callback locks that implement automatic
 * synchronization, and the device/queue/request interfaces the parts of
 * src/fx use to talk to each other. Included by src/fx and tests only.
 *
 * The framework is a client of kmhost's I/O manager, as KMDF is of
 * Windows': WdfDriverCreate installs the framework's own dispatch routines
 * and AddDevice in the DRIVER_OBJECT, and IRPs become WDF requests.
 */
#ifndef KMHOST_FX_H
#define KMHOST_FX_H

#include "io/io.h"
#include <wdf.h>

#include <pthread.h>
#include <stdatomic.h>

/* --- The function table ---------------------------------------------------
 * A DDI joins the table where it is defined:
 *     static NTSTATUS fx_device_create(PWDF_DRIVER_GLOBALS g, ...) { ... }
 *     FX_EXPORT(WdfDeviceCreate, PFN_WDFDEVICECREATE, fx_device_create);
 * which type-checks the function against the WDK's PFN type, puts it at
 * WdfDeviceCreateTableIndex, and defines the import marker the loader
 * checks, so a driver calling a method kmhost lacks is refused by name. */
struct fx_table_entry {
    ULONG index;
    WDFFUNC function;
};

#define FX_EXPORT(name, pfn_type, fn) \
    const char __kmhost_wdfimp_##name __attribute__((visibility("default"))) = 0; \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&fn), pfn_type), \
                   #fn " does not have the signature of " #pfn_type); \
    static const struct fx_table_entry fx_table_entry_##name \
        __attribute__((used, section("kmh_fx_table"), aligned(8))) = { name##TableIndex, (WDFFUNC)(void *)fn }

/* The table handed to every bound driver, filled on first use. */
const WDFFUNC *fx_function_table(void);
const char *fx_function_name(ULONG index);

/* --- Per-driver globals -----------------------------------------------------
 * What the stub's WdfDriverGlobals points at: the public part first. */
struct fx_driver;
struct fx_globals {
    WDF_DRIVER_GLOBALS public;
    uint32_t magic;
    ULONG minor_version;             /* the KMDF minor the driver was built for */
    PDRIVER_OBJECT wdm_driver;
    struct fx_driver *driver;        /* after WdfDriverCreate */
    bool verifier;                   /* KMDF verifier on (VerifierOn or kmhost strict) */
    PDRIVER_UNLOAD client_unload;    /* the driver's own DriverUnload, displaced */
    /* Objects not yet destroyed, plus one while the driver is bound: the
     * globals outlive the last object a queued work item still holds. */
    atomic_long refs;
};
#define FX_GLOBALS_MAGIC 0x6c624746u /* "FGbl" */

static inline struct fx_globals *fx_globals_of(PWDF_DRIVER_GLOBALS g)
{
    return (struct fx_globals *)g;
}

/* --- Objects ------------------------------------------------------------ */
enum fx_type {
    FX_TYPE_OBJECT,       /* WdfObjectCreate */
    FX_TYPE_DRIVER,
    FX_TYPE_DEVICE,
    FX_TYPE_QUEUE,
    FX_TYPE_REQUEST,
    FX_TYPE_MEMORY,
    FX_TYPE_IOTARGET,
    FX_TYPE_SPINLOCK,
    FX_TYPE_WAITLOCK,
    FX_TYPE_TIMER,
    FX_TYPE_WORKITEM,
    FX_TYPE_DPC,
    FX_TYPE_STRING,
    FX_TYPE_COLLECTION,
    FX_TYPE_KEY,
    FX_TYPE_FILEOBJECT,
    FX_TYPE_CHILDLIST,
    FX_TYPE_LOOKASIDE,
    FX_TYPE_WMIPROVIDER,
    FX_TYPE_WMIINSTANCE,
    FX_TYPE_INTERRUPT,
    FX_TYPE_CMRESLIST,
    FX_TYPE_IORESREQLIST,
    FX_TYPE_IORESLIST,
    FX_TYPE_COUNT
};

struct fx_object;

/* What differs per object type. */
struct fx_type_ops {
    const char *name;                        /* "WDFDEVICE", for reports */
    bool driver_may_delete;                  /* WdfObjectDelete allowed */
    bool cleanup_at_passive;                 /* deletion above PASSIVE_LEVEL is finished by a work item */
    /* Runs when deletion starts, after the children are deleted and before
     * EvtCleanupCallback: stop timers, purge queues, close targets. */
    void (*dispose)(struct fx_object *object);
    /* Runs when the last reference goes, after EvtDestroyCallback, before
     * the memory is freed. */
    void (*destroy)(struct fx_object *object);
};

struct fx_context {
    struct fx_context *next;
    struct fx_object *owner;
    PCWDF_OBJECT_CONTEXT_TYPE_INFO type;     /* the unique type */
    PFN_WDF_OBJECT_CONTEXT_CLEANUP cleanup;
    PFN_WDF_OBJECT_CONTEXT_DESTROY destroy;
    size_t size;
    bool inline_storage;
    /* the context follows, 16-byte aligned */
} __attribute__((aligned(16)));

/* A callback lock: what AutomaticSerialization and the synchronization
 * scopes take around the driver's callbacks. Passive locks are mutexes,
 * dispatch ones spin locks (raising to DISPATCH_LEVEL). */
struct fx_callback_lock {
    bool passive;
    KSPIN_LOCK spin;
    KIRQL irql;
    pthread_mutex_t mutex;
    PETHREAD owner;
};

enum fx_state { FX_STATE_LIVE, FX_STATE_DELETING, FX_STATE_DELETED };

struct fx_object {
    uint32_t magic;
    enum fx_type type;
    const struct fx_type_ops *ops;
    WDFOBJECT handle;
    struct fx_globals *globals;              /* the driver that made it */
    struct fx_object *parent;                /* referenced while this object lives */
    LIST_ENTRY children;                     /* guarded by fx_tree_lock */
    LIST_ENTRY sibling;
    atomic_long refs;
    atomic_int state;                        /* enum fx_state */
    WDF_EXECUTION_LEVEL execution_level;     /* resolved: never InheritFromParent */
    WDF_SYNCHRONIZATION_SCOPE sync_scope;    /* resolved */
    struct fx_callback_lock *own_lock;       /* devices and queues own one */
    struct fx_context *contexts;
    WORK_QUEUE_ITEM delete_work;             /* finishing a deletion at PASSIVE_LEVEL */
    bool discarded;                          /* never handed to the driver: no callbacks */
};
#define FX_OBJECT_MAGIC 0x6a624f46u /* "FObj" */

/* Each family defines the ops of its type with these names (a weak
 * default in types.c stands in until it does). */
extern const struct fx_type_ops fx_ops_object, fx_ops_driver, fx_ops_device, fx_ops_queue, fx_ops_request,
    fx_ops_memory, fx_ops_iotarget, fx_ops_spinlock, fx_ops_waitlock, fx_ops_timer, fx_ops_workitem, fx_ops_dpc,
    fx_ops_string, fx_ops_collection, fx_ops_key, fx_ops_fileobject, fx_ops_childlist, fx_ops_lookaside,
    fx_ops_wmiprovider, fx_ops_wmiinstance, fx_ops_interrupt, fx_ops_cmreslist, fx_ops_ioresreqlist,
    fx_ops_ioreslist;

extern pthread_mutex_t fx_tree_lock;

/* Allocates an object of body_size bytes (a struct whose first member is
 * struct fx_object) with the attributes' context inline, resolves parent,
 * execution level and scope, links it under its parent and gives it a
 * handle. default_parent is used when attributes name none (a device for
 * queues, the driver for devices). Returns the body with one reference
 * (the creation reference that deletion drops), or NULL with *status set:
 * STATUS_INVALID_PARAMETER for bad attributes (and a verifier report),
 * STATUS_INSUFFICIENT_RESOURCES. */
void *fx_object_new(struct fx_globals *globals, enum fx_type type, size_t body_size,
                    PWDF_OBJECT_ATTRIBUTES attributes, struct fx_object *default_parent, NTSTATUS *status);
/* Like fx_object_delete, but for an object the driver never received (its
 * create failed): no EvtCleanupCallback or EvtDestroyCallback runs. */
void fx_object_discard(struct fx_object *object);
void fx_globals_unref(struct fx_globals *globals);
void fx_object_ref(struct fx_object *object);
void fx_object_unref(struct fx_object *object);
/* Deletes: children first, dispose, EvtCleanupCallback(s), unlink, drop the
 * creation reference. Idempotent. No rule check (the DDI checks). */
void fx_object_delete(struct fx_object *object);
bool fx_object_is_live(const struct fx_object *object);
/* Adds a context (WdfObjectAllocateContext); STATUS_OBJECT_NAME_EXISTS if
 * the object has one of that type. */
NTSTATUS fx_object_add_context(struct fx_object *object, PWDF_OBJECT_ATTRIBUTES attributes, void **context);
/* The object a context pointer belongs to (WdfObjectContextGetObject). */
struct fx_object *fx_object_from_context(void *context);
/* The context of the given type (compares unique types), or NULL. */
void *fx_object_context(struct fx_object *object, PCWDF_OBJECT_CONTEXT_TYPE_INFO type);
/* The first ancestor (or the object itself) of the given type, or NULL. */
struct fx_object *fx_object_ancestor(struct fx_object *object, enum fx_type type);
/* The lock the object's callbacks take under its scope, or NULL. */
struct fx_callback_lock *fx_object_callback_lock(struct fx_object *object);

/* Looks a handle up: NULL (and a verifier report naming ddi) for a stale,
 * deleted-and-freed, bogus or wrong-type handle. type FX_TYPE_COUNT accepts
 * any type. */
struct fx_object *fx_handle_object(WDFOBJECT handle, enum fx_type type, const char *ddi);
#define FX_LOOKUP(struct_type, enum_type, handle, ddi) \
    ((struct struct_type *)fx_handle_object((WDFOBJECT)(handle), enum_type, ddi))

/* Reports a KMDF rule broken by the driver (the KMDF verifier's WDF_VIOLATION). */
void fx_violation(const char *ddi, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports (VF_IRQL, naming ddi) a call above max; false when it is one. */
bool fx_check_irql(KIRQL max, const char *ddi);
/* KMDF's rule for every object but devices and queues: the attributes
 * leave SynchronizationScope, and ExecutionLevel unless level_allowed
 * (timers), to the parent. STATUS_WDF_EXECUTION_LEVEL_INVALID or
 * STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID, reported; NULL passes. */
NTSTATUS fx_attributes_check_levels(PWDF_OBJECT_ATTRIBUTES attributes, bool level_allowed, const char *ddi);

/* --- Callback locks ------------------------------------------------------ */
struct fx_callback_lock *fx_callback_lock_new(bool passive);
void fx_callback_lock_free(struct fx_callback_lock *lock);
void fx_callback_lock_acquire(struct fx_callback_lock *lock);
void fx_callback_lock_release(struct fx_callback_lock *lock);
/* Timers, DPCs and work items (src/fx/sync.c). fx_deferred_parent: their
 * required parent, a device or a descendant of one; fails (reported) with
 * STATUS_WDF_PARENT_NOT_SPECIFIED, STATUS_INVALID_PARAMETER (bad handle) or
 * STATUS_INVALID_DEVICE_REQUEST (no device above). fx_deferred_lock: what
 * AutomaticSerialization takes around their callback — the lock of the
 * nearest queue or device at or above parent under its scope, or NULL for
 * scope none; STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL (reported) when that
 * lock's level is not the callback's (passive: work items, passive timers). */
NTSTATUS fx_deferred_parent(PWDF_OBJECT_ATTRIBUTES attributes, const char *ddi, struct fx_object **parent);
NTSTATUS fx_deferred_lock(struct fx_object *parent, bool passive, const char *ddi, struct fx_callback_lock **lock);

/* --- Strings and registry keys (src/fx/string.c, registry.c) ------------- */
/* Replaces the string's contents with a copy of value (for the Retrieve*
 * methods that fill a WDFSTRING). IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER (bad handle or value, reported),
 * STATUS_INSUFFICIENT_RESOURCES. */
NTSTATUS fx_string_assign(WDFSTRING string, PCUNICODE_STRING value);
/* Wraps an open key handle in a new WDFKEY that owns it (parented to the
 * driver unless the attributes name a parent): the handle is closed with
 * the object, or at once if this fails. PASSIVE_LEVEL. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER, STATUS_WDF_*_INVALID (levels in the
 * attributes), STATUS_INSUFFICIENT_RESOURCES. */
NTSTATUS fx_key_new_from_handle(struct fx_globals *globals, HANDLE handle, PWDF_OBJECT_ATTRIBUTES attributes,
                                WDFKEY *key);

/* --- The driver ---------------------------------------------------------- */
struct fx_driver {
    struct fx_object object;
    struct fx_globals *globals;
    PDRIVER_OBJECT wdm_driver;
    UNICODE_STRING registry_path;
    WDF_DRIVER_CONFIG config;
    ULONG pool_tag;
    LIST_ENTRY devices;                      /* struct fx_device.driver_link, under fx_tree_lock */
};

/* The framework's DriverUnload: EvtDriverUnload, then the driver object. */
void fx_driver_unload(PDRIVER_OBJECT driver_object);
/* The bound driver whose DRIVER_OBJECT this is, or NULL. */
struct fx_globals *fx_globals_for_driver_object(PDRIVER_OBJECT driver_object);
/* What WdfDriverCreate puts in the DRIVER_OBJECT (src/fx/device*.c): every
 * MajorFunction routes to the framework device the IRP is for; AddDevice
 * builds a WDFDEVICE_INIT and calls EvtDriverDeviceAdd. */
NTSTATUS fx_wdm_dispatch(PDEVICE_OBJECT device, PIRP irp);
NTSTATUS fx_wdm_add_device(PDRIVER_OBJECT driver, PDEVICE_OBJECT pdo);

/* --- Devices (src/fx/device*.c) -------------------------------------------
 * Defined here because queues, requests, file objects and targets all reach
 * into it; its PnP/power state machine lives in src/fx/pnp*.c. */
struct fx_queue;
struct fx_io_target;

enum fx_device_kind { FX_DEVICE_FDO, FX_DEVICE_FILTER, FX_DEVICE_PDO, FX_DEVICE_CONTROL };

struct fx_device {
    struct fx_object object;
    LIST_ENTRY driver_link;
    enum fx_device_kind kind;
    PDEVICE_OBJECT wdm_device;               /* ours; DeviceExtension points back here */
    PDEVICE_OBJECT pdo;                      /* the stack's PDO (NULL for control devices) */
    PDEVICE_OBJECT attached_to;              /* the next lower device (FDO/filter) */
    struct fx_driver *driver;
    WDF_DEVICE_IO_TYPE io_type;              /* read/write buffering */
    WDF_DEVICE_IO_TYPE ioctl_io_type;
    struct fx_queue *default_queue;
    struct fx_queue *dispatch_queues[IRP_MJ_MAXIMUM_FUNCTION + 1]; /* WdfDeviceConfigureRequestDispatching */
    struct fx_io_target *default_target;     /* the lower stack */
    WDF_OBJECT_ATTRIBUTES request_attributes; /* WdfDeviceInitSetRequestAttributes (Size 0: none) */
    PFN_WDF_IO_IN_CALLER_CONTEXT in_caller_context;
    /* File objects: WdfDeviceInitSetFileObjectConfig. */
    WDF_FILEOBJECT_CONFIG file_config;
    WDF_OBJECT_ATTRIBUTES file_attributes;
    bool has_file_config;
    LIST_ENTRY queues;                       /* struct fx_queue.device_link, under fx_tree_lock */
    /* Power: queues that are power managed only dispatch in D0. */
    volatile LONG in_d0;
    bool power_policy_owner;
    void *pnp;                               /* the PnP/power state machine's own state */
    /* Hooks for the bus-driver family (src/fx/device_private.h says how):
     * a PDO's bus-side answers to PnP queries, and a bus FDO's children
     * for IRP_MN_QUERY_DEVICE_RELATIONS/BusRelations (it adds its PDOs to
     * *relations, reallocating it; NULL leaves the IRP to the lower driver). */
    const struct fx_pdo_ops *pdo_ops;
    void *pdo_state;
    NTSTATUS (*query_bus_relations)(struct fx_device *fdo, PDEVICE_RELATIONS *relations);
};

/* The framework's device from its DEVICE_OBJECT, or NULL for a device the
 * framework does not own. */
struct fx_device *fx_device_from_wdm(PDEVICE_OBJECT device);

/* --- Queues and requests (src/fx/queue*.c, request*.c) ----------------------- */
/* Presents an I/O IRP (read, write, device control, internal device control
 * and anything WdfDeviceConfigureRequestDispatching routed) to the device's
 * queue for its major function. Returns STATUS_PENDING, or the completion
 * status when the request was completed at once: what no queue (or no
 * handler of its queue) takes goes down the stack from a filter and fails
 * with STATUS_INVALID_DEVICE_REQUEST elsewhere (WdfFdoInitSetFilter's
 * rule); a zero-length read or write completes with STATUS_SUCCESS unless
 * the queue allows them; a queue not accepting requests (drained, purged,
 * removed) fails them with STATUS_INVALID_DEVICE_STATE. At the IRP's IRQL. */
NTSTATUS fx_queue_dispatch_irp(struct fx_device *device, PIRP irp);
/* Power management of the device's power-managed queues: stop presenting
 * (EvtIoStop for requests the driver holds) before leaving D0, resume after
 * D0 entry. Purge on removal. Called by the PnP/power state machine at
 * PASSIVE_LEVEL; the stop waits until the driver has acknowledged. */
void fx_queues_power_down(struct fx_device *device);
void fx_queues_power_up(struct fx_device *device);
void fx_queues_purge_for_remove(struct fx_device *device);
/* Inserts a request EvtIoInCallerContext received into the device's queue
 * for its type (WdfDeviceEnqueueRequest): the queue WdfDeviceConfigure-
 * RequestDispatching chose, else the default queue. STATUS_SUCCESS, or a
 * failure (no queue, queue not accepting) after which the request is still
 * the driver's to complete. */
NTSTATUS fx_queue_enqueue_request(struct fx_device *device, WDFREQUEST request);

/* A request wrapping an IRP that arrived at the device (file create/close
 * and cleanup, I/O). The IRP is completed when the request is. */
struct fx_request;
struct fx_request *fx_request_from_irp(struct fx_device *device, PIRP irp, NTSTATUS *status);
void fx_request_complete_internal(struct fx_request *request, NTSTATUS status, ULONG_PTR information);
WDFREQUEST fx_request_handle(struct fx_request *request);

/* --- Memory (src/fx/memory*.c) ---------------------------------------------- */
/* A WDFMEMORY of size bytes from pool_type with tag (WdfMemoryCreate's
 * engine, for the Alloc* query methods); *buffer receives its storage.
 * STATUS_SUCCESS, STATUS_INVALID_PARAMETER, STATUS_INSUFFICIENT_RESOURCES. */
NTSTATUS fx_memory_new_pool(struct fx_globals *globals, PWDF_OBJECT_ATTRIBUTES attributes, POOL_TYPE pool_type,
                            ULONG tag, size_t size, WDFMEMORY *memory, void **buffer);

/* --- I/O targets (src/fx/iotarget*.c) ------------------------------------------ */
/* The default target of an FDO or filter: its lower device stack. */
NTSTATUS fx_io_target_new_default(struct fx_device *device, struct fx_io_target **out);
/* remove: cancels what every target of the device sent, waits for it and
 * closes them (the default target ends WdfIoTargetDeleted, remote ones
 * WdfIoTargetClosed); otherwise stops the started ones (new requests wait
 * in them) and waits for what they sent. PASSIVE_LEVEL. */
void fx_io_targets_stop_all(struct fx_device *device, bool remove);

/* --- File objects (src/fx/fileobject.c) -------------------------------------- */
NTSTATUS fx_file_dispatch_create(struct fx_device *device, PIRP irp);
NTSTATUS fx_file_dispatch_cleanup_close(struct fx_device *device, PIRP irp);
/* The WDFFILEOBJECT for a FILE_OBJECT the device opened, or NULL (no file
 * object tracking for this device: WdfFileObjectNotRequired). */
WDFFILEOBJECT fx_file_object_of(struct fx_device *device, PFILE_OBJECT file);
/* The request family calls this when it completes an IRP_MJ_CREATE request
 * (EvtDeviceFileCreate's or a create queue's), before the IRP completes:
 * a failed create deletes the WDFFILEOBJECT made for it. */
void fx_file_create_completed(struct fx_device *device, PIRP irp, NTSTATUS status);

/* --- PnP and power (src/fx/pnp*.c) ------------------------------------------- */
NTSTATUS fx_pnp_dispatch(struct fx_device *device, PIRP irp);
NTSTATUS fx_power_dispatch(struct fx_device *device, PIRP irp);

#endif /* KMHOST_FX_H */
