/*
 * The executive's internals that other kmhost modules use: objects and
 * handles, threads and their kernel state, the pool's bookkeeping, and the
 * runtime's start and stop. Included by files under src/ only (never by
 * drivers or programs). Within src/nt, files may also include their own
 * private headers; everything here is hidden from the drivers.
 */
#ifndef KMHOST_NT_H
#define KMHOST_NT_H

#include "internal.h"
#include <wdm.h>

/* --- Object manager (src/nt/ob*.c) -------------------------------------
 * Every object a driver may ObReferenceObject (devices, drivers, files,
 * events, threads, registry keys) is allocated here, with a header in front
 * of its body. The body is what drivers see (a DEVICE_OBJECT, a KEVENT...).
 * Reference counting: the creator holds one reference; handles hold one
 * each; the type's delete procedure runs when the last reference goes. */
struct _OBJECT_TYPE {
    const char *name;                         /* "Event", "Thread", "File" ... */
    ULONG pool_tag;
    /* Runs once, after the last handle to an object is closed (files send
     * IRP_MJ_CLEANUP here). May be NULL. */
    void (*last_handle_closed)(void *body);
    /* Runs when the last reference goes; frees nothing itself (the object
     * manager frees the allocation afterwards). May be NULL. */
    void (*delete_body)(void *body);
};
typedef struct _OBJECT_TYPE nt_object_type;

extern nt_object_type nt_event_type, nt_semaphore_type, nt_thread_type, nt_process_type,
    nt_file_type, nt_device_type, nt_driver_type, nt_key_type, nt_token_type;

/* A zeroed object of body_size bytes with one reference; NULL if out of memory. */
void *nt_object_new(nt_object_type *type, size_t body_size);
void nt_object_ref(void *body);
/* Drops a reference; the last one runs delete_body and frees. */
void nt_object_unref(void *body);
nt_object_type *nt_object_type_of(const void *body);
bool nt_object_is_a(const void *body, const nt_object_type *type);
LONG_PTR nt_object_ref_count(const void *body);

/* Handles: one table per process (kernel and program handles alike).
 * Handle values are small multiples of 4, never NULL or -1. */
int nt_handle_new(void *body, ACCESS_MASK granted, HANDLE *out);
/* Looks up and references the object; -EBADF for a closed or bogus handle,
 * -EPROTOTYPE for an object of another type (type NULL accepts any). */
int nt_handle_ref(HANDLE handle, const nt_object_type *type, void **body, ACCESS_MASK *granted);
/* Closes: drops the handle's reference; the last handle runs
 * last_handle_closed. -EBADF for a closed or bogus handle. */
int nt_handle_close(HANDLE handle);
size_t nt_handle_count(void);

/* --- Threads (src/nt/thread.c) -----------------------------------------
 * Every thread that runs driver code has kernel state: the IRQL, the
 * previous mode, critical-region depth, the SEH frame chain, and a waitable
 * thread object. Threads kmhost did not create (a program's own) get it on
 * first use. */
KPROCESSOR_MODE nt_thread_set_previous_mode(KPROCESSOR_MODE mode); /* returns the old mode */
/* Names the running thread in reports ("dpc", "worker 1", "timer"). */
const char *nt_thread_role(void);
void nt_thread_set_role(const char *role);

/* --- Pool (src/nt/pool.c) ----------------------------------------------
 * Every allocation records its tag, size and caller, so what a driver
 * leaves allocated at unload can be reported by tag and allocation site. */
struct nt_pool_leak {
    ULONG tag;
    SIZE_T size;
    void *caller;   /* return address of the allocating call */
};
/* Calls fn for every live allocation whose caller lies in [lo, hi); returns
 * how many there were. */
size_t nt_pool_for_each_in_range(const void *lo, const void *hi,
    void (*fn)(const struct nt_pool_leak *leak, void *ctx), void *ctx);
size_t nt_pool_live_count(void);
/* Pool allocation with an explicit caller, for DDIs that allocate on a
 * driver's behalf (the allocation is charged to the driver's call site). */
void *nt_pool_alloc_for(POOL_FLAGS flags, SIZE_T size, ULONG tag, void *caller);

/* --- Strings ---------------------------------------------------------------
 * Buffers Rtl routines hand out (and RtlFreeUnicodeString takes back) carry
 * this tag; anything giving a driver such a string allocates with it. */
#define NT_STRING_POOL_TAG 0x67727453u

/* --- Memory (src/nt/probe.c) -------------------------------------------
 * Whether every page of [address, address+length) can be read (or written)
 * right now, asked of the kernel so a bad address yields false, not a
 * fault. */
bool nt_memory_accessible(const void *address, size_t length, bool write);

/* --- The kmhost root directory (src/nt/registry*.c) ----------------------
 * Where the registry store, installed driver files and INFs live:
 * $KMHOST_ROOT, else ${XDG_STATE_HOME:-$HOME/.local/state}/kmhost. */
const char *nt_root_dir(void);

/* --- Runtime (src/nt/runtime.c) ----------------------------------------
 * Starts the threads that run DPCs, timers and work items; stop waits for
 * the queued ones to finish first. Both are idempotent and reference
 * counted, so nested users (a test and the client runtime) compose. */
int nt_runtime_start(void);
void nt_runtime_stop(void);
bool nt_runtime_is_running(void);

#endif /* KMHOST_NT_H */
