/*
 * Shared by the framework's support objects only — strings, collections
 * and registry keys (src/fx/string.c, collection.c, registry*.c): the DDI
 * bodies one of them reuses from another and the key object itself, so that, for instance,
 * WdfRegistryQueryMultiString fills a collection exactly as a driver
 * calling WdfStringCreate and WdfCollectionAdd would. Each behaves as the
 * DDI of the same name (argument checks and reports included).
 */
#ifndef KMHOST_FX_SUPPORT_H
#define KMHOST_FX_SUPPORT_H

#include "fx/fx.h"

/* What FxValidateUnicodeString accepts: even lengths, Length <=
 * MaximumLength, a buffer when Length is not zero. */
bool fx_unicode_string_valid(PCUNICODE_STRING s);

/* WdfStringCreate, WdfStringGetUnicodeString. */
NTSTATUS fx_string_create(PWDF_DRIVER_GLOBALS g, PCUNICODE_STRING UnicodeString,
                          PWDF_OBJECT_ATTRIBUTES StringAttributes, WDFSTRING *String);
void fx_string_get_unicode_string(PWDF_DRIVER_GLOBALS g, WDFSTRING String, PUNICODE_STRING UnicodeString);

/* WdfCollectionGetCount, WdfCollectionAdd, WdfCollectionGetItem,
 * WdfCollectionRemoveItem. */
ULONG fx_collection_get_count(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection);
NTSTATUS fx_collection_add(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection, WDFOBJECT Object);
WDFOBJECT fx_collection_get_item(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection, ULONG Index);
void fx_collection_remove_item(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection, ULONG Index);

/* A WDFKEY (src/fx/registry.c). handle is NULL once the key is closed. */
struct fx_key {
    struct fx_object object;
    HANDLE handle;
};
/* The open key behind a handle, or NULL (reported: bad handle, closed). */
struct fx_key *fx_key_lookup(WDFKEY handle, const char *ddi);
/* The checks every value DDI starts with — Key, ValueName, PASSIVE_LEVEL —
 * returning the key, or NULL with *status: STATUS_INVALID_PARAMETER or
 * STATUS_INVALID_DEVICE_REQUEST (IRQL). Reported. */
struct fx_key *fx_key_value_call(WDFKEY handle, PCUNICODE_STRING value_name, const char *ddi, NTSTATUS *status);

#endif /* KMHOST_FX_SUPPORT_H */
