/*
 * The bus-driver family's own header: what a PDO carries (struct fx_pdo,
 * device->pdo_state), the per-device bus state (child lists and query
 * interfaces), the child lists and their entries. Included by
 * src/fx/pdo*.c, fdo_children.c, childlist*.c and queryinterface.c only;
 * the device family sees this family through struct fx_pdo_ops and the
 * hooks declared in device_private.h.
 *
 * Lifetimes. A PDO's settings live in a struct fx_pdo from
 * WdfPdoInitAllocate (or the child list's own init) on; WdfDeviceCreate
 * hands it to the device (pdo_init_free sees the init consumed), and a
 * framework-internal context on the WDFDEVICE unlinks it from its child
 * list when the device is deleted and frees it when the device goes.
 * Child lists (WDFCHILDLIST, the static one included) are objects under
 * their FDO; deleting the FDO deletes them, and they delete the PDOs the
 * PnP manager no longer holds.
 *
 * Locks. Each child list's mutex guards its entries and the entry <-> PDO
 * links (struct fx_pdo.child, struct fx_child.pdo). Driver callbacks
 * (EvtChildListCreateDevice, the description callbacks) run with no lock
 * of this family held, except the description callbacks a lookup needs
 * (compare, copy), which run under the list's mutex and must not call
 * back into the list, as KMDF documents for them.
 */
#ifndef KMHOST_FX_BUS_PRIVATE_H
#define KMHOST_FX_BUS_PRIVATE_H

#include "fx/device_private.h"

#define FX_BUS_TAG 'sBxF'

/* Attributes carrying only a framework-internal context (the WDK's
 * WDF_OBJECT_ATTRIBUTES_INIT is the driver's: it reads the stub's globals). */
static inline void fx_bus_context_attributes(PWDF_OBJECT_ATTRIBUTES a, PCWDF_OBJECT_CONTEXT_TYPE_INFO type,
                                             PFN_WDF_OBJECT_CONTEXT_CLEANUP cleanup,
                                             PFN_WDF_OBJECT_CONTEXT_DESTROY destroy)
{
    memset(a, 0, sizeof(*a));
    a->Size = sizeof(*a);
    a->ExecutionLevel = WdfExecutionLevelInheritFromParent;
    a->SynchronizationScope = WdfSynchronizationScopeInheritFromParent;
    a->ContextTypeInfo = type;
    a->EvtCleanupCallback = cleanup;
    a->EvtDestroyCallback = destroy;
}

/* --- A PDO's bus-side settings and state ----------------------------------- */
struct fx_pdo_text {
    struct fx_pdo_text *next;
    LCID locale;
    WCHAR *description, *location;           /* NUL-terminated; location may be NULL */
};

struct fx_child;
struct fx_child_list;

struct fx_pdo {
    PWDFDEVICE_INIT init;                    /* until WdfDeviceCreate consumes it */
    bool creator_holds;                      /* a child list owns this until EvtChildListCreateDevice returns */
    struct fx_device *device;                /* after WdfDeviceCreate */
    struct fx_device *parent;                /* the bus FDO */
    /* What the PnP manager is told (WdfPdoInit*). IDs are NUL-terminated. */
    WCHAR *device_id, *instance_id, *container_id;
    WCHAR **hardware_ids, **compatible_ids;  /* NULL-terminated arrays */
    struct fx_pdo_text *texts;
    LCID default_locale;
    bool has_default_locale;
    bool raw;
    GUID raw_class;
    bool forward_to_parent;
    WDF_PDO_EVENT_CALLBACKS cb;
    /* Enumeration: the entry this PDO belongs to (under its list's mutex;
     * a child list sets it before EvtChildListCreateDevice runs). */
    struct fx_child *child;
};

/* Frees a PDO's settings (not the device). */
void fx_pdo_free(struct fx_pdo *pdo);
/* A new PDO init for a child of parent, with its struct fx_pdo attached
 * (init->pdo_init). NULL when out of memory. */
PWDFDEVICE_INIT fx_pdo_init_new(struct fx_globals *globals, struct fx_device *parent, struct fx_pdo **pdo);
/* The PDO state of a WDFDEVICE a DDI got: NULL (reported naming ddi) for a
 * bad handle or a device that is not a PDO. */
struct fx_pdo *fx_pdo_lookup(WDFDEVICE handle, const char *ddi, struct fx_device **device);
/* Whether the PnP manager still holds the PDO in a device stack (it will
 * send IRP_MN_REMOVE_DEVICE); a PDO it does not hold can be deleted at once. */
bool fx_pdo_in_stack(struct fx_device *device);
/* The answers only the bus has (struct fx_pdo_ops). */
extern const struct fx_pdo_ops fx_pdo_ops_table;

/* --- Per-device bus state ------------------------------------------------- */
struct fx_bus {
    pthread_mutex_t lock;                    /* lists, interfaces */
    LIST_ENTRY lists;                        /* struct fx_child_list.bus_link: static first, then creation order */
    struct fx_child_list *static_list;       /* made by the first WdfFdoAddStaticChild */
    struct fx_child_list *default_list;      /* WdfFdoInitSetDefaultChildListConfig */
    LIST_ENTRY interfaces;                   /* struct fx_query_interface (queryinterface.c) */
};

/* The device's bus state, made on first use; NULL when out of memory. */
struct fx_bus *fx_bus_of(struct fx_device *device, bool create);

/* --- Child lists ------------------------------------------------------------ */
struct fx_child {
    LIST_ENTRY link;                         /* struct fx_child_list.children */
    struct fx_child_list *list;
    PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id;  /* the framework's copy (dynamic lists) */
    PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER address;    /* or NULL */
    struct fx_device *pdo;                   /* referenced while linked; NULL until created */
    /* present: what the PnP manager is told; next_present: what the driver
     * said last, applied when the list is unlocked (no scan or iteration). */
    bool present, next_present;
    bool reported;                           /* in the last BusRelations answer */
    bool instantiated;                       /* has its PDO (dynamic) or was reported once (static) */
    bool gone;                               /* reported missing: never matched or revived again */
    bool id_made, address_made;              /* the framework's copies exist: cleanup callbacks due */
    bool creating;                           /* EvtChildListCreateDevice is running for it */
    bool retry_wait;                         /* STATUS_RETRY: not again in this enumeration */
    bool dead;                               /* unlinked while an iteration held it; freed at its end */
    int retries;                             /* STATUS_RETRY answers from EvtChildListCreateDevice */
};

struct fx_child_list {
    struct fx_object object;
    LIST_ENTRY bus_link;                     /* struct fx_bus.lists */
    struct fx_device *fdo;
    bool is_static;
    WDF_CHILD_LIST_CONFIG config;            /* dynamic lists */
    pthread_mutex_t lock;                    /* everything below, and the entries */
    LIST_ENTRY children;                     /* struct fx_child, in the order they were added */
    int scans, iterations;                   /* BeginScan / BeginIteration (and static locks) not yet ended */
    bool changed;                            /* the PnP manager must re-enumerate once unlocked */
    bool disposed;
};

/* Creates a child list under fdo (the default one when config comes from
 * the init; a static one when config is NULL). */
NTSTATUS fx_child_list_new(struct fx_device *fdo, PWDF_CHILD_LIST_CONFIG config, PWDF_OBJECT_ATTRIBUTES attributes,
                           struct fx_child_list **out);
struct fx_child_list *fx_child_list_lookup(WDFCHILDLIST handle, const char *ddi);
/* List mutex held: a change the PnP manager must see (now, or when the
 * list is unlocked). Call fx_child_list_flush after unlocking. */
void fx_child_list_changed(struct fx_child_list *list);
/* Applies what the driver said while the list was locked and asks for a
 * new enumeration when something changed. Call without the mutex. */
void fx_child_list_flush(struct fx_child_list *list);
/* A new entry (not linked) with the framework's copies of the descriptions
 * (the Duplicate callbacks, else Copy, else the bytes); id NULL for a
 * static child. NULL with *status when a callback or memory failed. */
struct fx_child *fx_child_new(struct fx_child_list *list, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id,
                              PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER address, NTSTATUS *status);
/* Frees an unlinked entry: the description cleanup callbacks, then the memory. */
void fx_child_free(struct fx_child *child);
/* Answers BusRelations for one list: creates pending PDOs, appends the
 * present ones to *relations, forgets and deletes what went missing. */
NTSTATUS fx_child_list_report(struct fx_child_list *list, PDEVICE_RELATIONS *relations);
/* A PDO of this list was deleted: unlink it from its entry. */
void fx_child_list_pdo_deleted(struct fx_pdo *pdo);
/* Classifies an entry for WDF_RETRIEVE_CHILD_FLAGS (list mutex held). */
ULONG fx_child_kind(const struct fx_child *child);
/* Compares a driver's identification description with an entry's (list
 * mutex held), with compare when given, else the list's callback, else the bytes. */
bool fx_child_matches(struct fx_child_list *list, struct fx_child *child,
                      PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id,
                      PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE compare);
/* Copies descriptions out to a driver's buffers with the copy callbacks. */
void fx_child_copy_id_out(struct fx_child_list *list, struct fx_child *child,
                          PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER to);
void fx_child_copy_address_out(struct fx_child_list *list, struct fx_child *child,
                               PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER to);
void fx_child_copy_address_in(struct fx_child_list *list, struct fx_child *child,
                              PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER from);
/* The entry for an identification description (list mutex held), or NULL.
 * Entries reported missing are skipped. */
struct fx_child *fx_child_find(struct fx_child_list *list, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id,
                               PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE compare);
/* What the driver says of a child (list mutex held): applied now, or when
 * the list is unlocked; either way fx_child_list_flush tells the PnP manager. */
void fx_child_set_present(struct fx_child *child, bool present);
static inline void fx_child_mark_missing(struct fx_child *child)
{
    fx_child_set_present(child, false);
}

/* The static list of fdo, made on first use (NULL when out of memory). */
struct fx_child_list *fx_static_list_of(struct fx_device *fdo, bool create);

/* The FDO's IRP_MN_QUERY_DEVICE_RELATIONS/BusRelations hook (fdo_children.c). */
NTSTATUS fx_bus_relations(struct fx_device *fdo, PDEVICE_RELATIONS *relations);
/* Adds a child list to its FDO's bus state (static lists first). */
void fx_bus_add_list(struct fx_device *fdo, struct fx_child_list *list);
void fx_bus_remove_list(struct fx_device *fdo, struct fx_child_list *list);

/* queryinterface.c: frees the interfaces WdfDeviceAddQueryInterface added. */
void fx_query_interfaces_free(struct fx_bus *bus);

#endif /* KMHOST_FX_BUS_PRIVATE_H */
