/*
 * The registry as the rest of kmhost sees it: the process-wide store behind
 * the Zw and Rtl registry DDIs, the kmhost root directory it lives in, the
 * bridge between key handles and store keys, and the Debug Print Filter.
 * Included by src/nt, src/pnp, src/loader, src/fx, src/client and the
 * tests; drivers use the DDIs (ZwOpenKey, RtlQueryRegistryValues...) only.
 *
 * Lifetime. nt_registry_open opens <root>/registry.sqlite, joins or starts a
 * boot (volatile keys of an ended boot are gone) and makes sure the keys
 * drivers expect exist. Opens nest: every successful open takes one
 * reference and nt_registry_close drops one; the store closes with the last,
 * once the DDI calls running on it have returned. Key handles outlive a
 * close (they hold a store key id, which is never reused): after a reopen of
 * the same root they work again, while closed they fail with
 * STATUS_DEVICE_NOT_READY.
 */
#ifndef KMHOST_NT_REGISTRY_H
#define KMHOST_NT_REGISTRY_H

#include "nt/nt.h"
#include "nt/regstore.h"

/* Opens the registry of root_dir (NULL: nt_root_dir()), or takes another
 * reference if it is already open there. Returns 0; -EBUSY when open at
 * another root; or regstore_open's and regstore_begin_boot's errors (the
 * store's REGSTORE_E_CORRUPT for a damaged file, left untouched). err (may
 * be NULL) receives a sentence saying what failed. Any thread. */
int nt_registry_open(const char *root_dir, char *err, size_t err_size);
/* Drops the reference nt_registry_open took. Any thread. */
void nt_registry_close(void);
/* The open store, or NULL; valid while the caller holds a reference. */
struct regstore *nt_registry(void);

/* Replaces the root directory nt_root_dir() returns (declared in nt.h),
 * creating it (mkdir -p, mode 0700). Call before the registry is opened
 * and before other threads use nt_root_dir. 0, -EINVAL, -ENOMEM or the
 * -errno of mkdir. */
int nt_set_root_dir(const char *path);

/* A new handle (granted access, generic rights mapped) to a store key, for
 * modules that find keys themselves (IoOpenDeviceRegistryKey); the caller
 * closes it with ZwClose. 0, -ENOMEM, -EMFILE. */
int nt_registry_handle_new(struct regstore_key key, ACCESS_MASK access, HANDLE *out);
/* The store key behind a key handle. -EBADF closed or bogus handle,
 * -EPROTOTYPE not a key handle. */
int nt_registry_handle_key(HANDLE handle, struct regstore_key *key);

/* Whether DbgPrintEx(component, level) output is wanted according to
 * \Registry\Machine\System\CurrentControlSet\Control\Session Manager\
 * Debug Print Filter. A component's mask is its DWORD value named as in
 * DPFLTR_<NAME>_ID ("IHVDRIVER"), else the DEFAULT value; the WIN2000 value
 * (default 1, errors) is ORed in, as on Windows; a level above 31 is itself
 * a mask. Returns 0 with *enabled set, or -ENOENT when no filter applies
 * (registry closed, no key, neither value): everything stays enabled.
 * Each call reads the store (a few SQLite lookups). Any thread. */
int nt_registry_debug_filter(ULONG component, ULONG level, bool *enabled);

#ifdef NT_REGISTRY_IMPL
/* Shared by the src/nt/registry*.c files only (they define NT_REGISTRY_IMPL). */

/* The body of a key object (nt_key_type): what a key handle refers to. */
struct nt_key {
    struct regstore_key key;
    ACCESS_MASK granted; /* what the handle that made it was granted */
};

/* One DDI call on the store: holds it open until nt_reg_call_end. */
struct nt_reg_call {
    struct regstore *rs;
    struct regstore_key key; /* the handle's key, if the call has one */
};

/* Reports a registry DDI called above PASSIVE_LEVEL. */
void nt_reg_check_irql(const char *ddi, void *caller);
/* Brackets an Rtl registry routine: checks its IRQL (unless ddi is NULL)
 * and keeps the Zw routines it calls from reporting the same thing. */
void nt_reg_rtl_enter(const char *ddi, void *caller);
void nt_reg_rtl_leave(void);
/* Holds the store: STATUS_DEVICE_NOT_READY when the registry is closed. */
NTSTATUS nt_reg_call_enter(struct nt_reg_call *call);
/* nt_reg_call_enter, then the handle's key with `needed` access checked:
 * STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH, STATUS_ACCESS_DENIED. */
NTSTATUS nt_reg_call_begin(struct nt_reg_call *call, HANDLE handle, ACCESS_MASK needed);
void nt_reg_call_end(struct nt_reg_call *call);
/* Looks up a key handle without touching the store. */
NTSTATUS nt_reg_handle_lookup(HANDLE handle, struct regstore_key *key, ACCESS_MASK *granted);

/* What a store call was doing, which decides some statuses. */
enum nt_reg_op {
    NT_REG_KEY,    /* opening or creating: -ENOENT is "no such key" */
    NT_REG_VALUE,  /* a value by name: -ENOENT is "no such value" */
    NT_REG_ENUM,   /* by index: -ENOENT is the end */
    NT_REG_DELETE, /* deleting a key: subkeys or the root refuse */
};
NTSTATUS nt_reg_status(int rc, enum nt_reg_op op);

/* Writes an information image to a caller's buffer the way every registry
 * query does: *result_length = required; STATUS_BUFFER_TOO_SMALL (nothing
 * written) if length < fixed; STATUS_BUFFER_OVERFLOW with the first
 * `length` bytes written if length < required. */
NTSTATUS nt_reg_copy_out(const void *image, ULONG required, ULONG fixed, PVOID out,
                         ULONG length, PULONG result_length);

/* Text (registry_text.c). A UNICODE_STRING name as UTF-8 (malloc'd):
 * -EINVAL odd length, NUL or unpaired surrogate; -ENOMEM. */
int nt_reg_name_from_ustr(const UNICODE_STRING *name, char **out);
int nt_reg_utf8_from_utf16(const WCHAR *s, size_t units, char **out);
/* UTF-8 as UTF-16 into out (NULL: only count); invalid bytes become
 * U+FFFD. Returns the units (no terminator written). */
size_t nt_reg_utf16_from_utf8(const char *s, WCHAR *out);
size_t nt_reg_wcslen(const WCHAR *s);
/* Expands %NAME% references in a REG_EXPAND_SZ string of `units` units
 * (terminator excluded), looking in environment ("NAME=value" strings,
 * double-NUL ended; may be NULL) first, then kmhost's system variables;
 * unknown names stay as written. A NUL-terminated malloc'd result with
 * *out_units its length, or NULL if out of memory. */
WCHAR *nt_reg_expand(const WCHAR *in, size_t units, const WCHAR *environment, size_t *out_units);
#endif /* NT_REGISTRY_IMPL */

#endif /* KMHOST_NT_REGISTRY_H */
