/*
 * WDFSTRING: a framework-owned UNICODE_STRING that the Retrieve* methods
 * (and WdfRegistryQueryString) fill in. The buffer always carries a
 * terminating NUL beyond Length, so a driver may print it with %ws.
 * Like KMDF, the object takes no lock: a driver must not read a string
 * while another thread assigns it, and a UNICODE_STRING obtained from
 * WdfStringGetUnicodeString is valid until the next assignment.
 */
#include "fx/fx.h"
#include "fx/support.h"

#include <stdio.h>
#include <stdlib.h>

struct fx_string {
    struct fx_object object;
    UNICODE_STRING value;    /* Buffer malloc'd, or NULL while empty */
};

static void string_destroy(struct fx_object *object)
{
    free(((struct fx_string *)object)->value.Buffer);
}

const struct fx_type_ops fx_ops_string = {
    .name = "WDFSTRING",
    .driver_may_delete = true,
    .destroy = string_destroy,
};

bool fx_unicode_string_valid(PCUNICODE_STRING s)
{
    return !(s->Length & 1) && !(s->MaximumLength & 1) && s->Length <= s->MaximumLength &&
           (s->Buffer || !s->Length);
}

static NTSTATUS string_set(struct fx_string *string, PCUNICODE_STRING value)
{
    USHORT length = value ? value->Length : 0;
    WCHAR *buffer = malloc(length + sizeof(WCHAR));
    if (!buffer)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (length)
        memcpy(buffer, value->Buffer, length);
    buffer[length / sizeof(WCHAR)] = 0;
    free(string->value.Buffer);
    string->value.Buffer = buffer;
    string->value.Length = length;
    /* The terminator is room the driver may not use; UNICODE_STRING
     * lengths stop at 0xFFFF, so it is left out of MaximumLength there. */
    string->value.MaximumLength = length <= 0xFFFC ? (USHORT)(length + sizeof(WCHAR)) : length;
    return STATUS_SUCCESS;
}

NTSTATUS fx_string_assign(WDFSTRING String, PCUNICODE_STRING value)
{
    struct fx_string *string = FX_LOOKUP(fx_string, FX_TYPE_STRING, String, "WDFSTRING assignment");
    if (!string)
        return STATUS_INVALID_PARAMETER;
    if (value && !fx_unicode_string_valid(value)) {
        fx_violation("WDFSTRING assignment", "malformed UNICODE_STRING (odd or inconsistent lengths)");
        return STATUS_INVALID_PARAMETER;
    }
    return string_set(string, value);
}

/* Creates a string object holding a copy of UnicodeString, or empty when
 * it is NULL; parented to the driver unless the attributes say otherwise.
 * IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER,
 * STATUS_WDF_*_INVALID (levels in the attributes),
 * STATUS_INSUFFICIENT_RESOURCES. */
NTSTATUS fx_string_create(PWDF_DRIVER_GLOBALS g, PCUNICODE_STRING UnicodeString,
                              PWDF_OBJECT_ATTRIBUTES StringAttributes, WDFSTRING *String)
{
    struct fx_globals *globals = fx_globals_of(g);
    NTSTATUS status;

    if (!String || (UnicodeString && !fx_unicode_string_valid(UnicodeString))) {
        fx_violation("WdfStringCreate", "String is NULL or UnicodeString is malformed");
        return STATUS_INVALID_PARAMETER;
    }
    *String = NULL;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(StringAttributes, false, "WdfStringCreate")))
        return status;
    struct fx_string *string = fx_object_new(globals, FX_TYPE_STRING, sizeof(*string), StringAttributes,
                                             globals->driver ? &globals->driver->object : NULL, &status);
    if (!string)
        return status;
    if (UnicodeString && !NT_SUCCESS(status = string_set(string, UnicodeString))) {
        fx_object_delete(&string->object);
        return status;
    }
    *String = (WDFSTRING)string->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfStringCreate, PFN_WDFSTRINGCREATE, fx_string_create);

/* Fills UnicodeString with the string's contents; its buffer belongs to
 * the object. IRQL <= DISPATCH_LEVEL. A bad handle leaves it empty. */
void fx_string_get_unicode_string(PWDF_DRIVER_GLOBALS g, WDFSTRING String, PUNICODE_STRING UnicodeString)
{
    (void)g;
    struct fx_string *string = FX_LOOKUP(fx_string, FX_TYPE_STRING, String, "WdfStringGetUnicodeString");
    if (!UnicodeString) {
        fx_violation("WdfStringGetUnicodeString", "UnicodeString is NULL");
        return;
    }
    *UnicodeString = string ? string->value : (UNICODE_STRING){ 0, 0, NULL };
}
FX_EXPORT(WdfStringGetUnicodeString, PFN_WDFSTRINGGETUNICODESTRING, fx_string_get_unicode_string);

/* The framework's version, in the words KMDF uses:
 * "Kernel Mode Driver Framework version 01.033.0", with "(verifier on)"
 * after "Framework" when the driver runs under the KMDF verifier.
 * IRQL PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER (bad
 * handles), STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS driver_retrieve_version_string(PWDF_DRIVER_GLOBALS g, WDFDRIVER Driver, WDFSTRING String)
{
    struct fx_globals *globals = fx_globals_of(g);
    char text[80];
    WCHAR wide[80];

    if (!FX_LOOKUP(fx_driver, FX_TYPE_DRIVER, Driver, "WdfDriverRetrieveVersionString"))
        return STATUS_INVALID_PARAMETER;
    int n = snprintf(text, sizeof(text), "Kernel Mode Driver Framework %sversion 01.033.0",
                     globals->verifier ? "(verifier on) " : "");
    for (int i = 0; i <= n; i++)
        wide[i] = (WCHAR)text[i];
    UNICODE_STRING value = { (USHORT)(n * sizeof(WCHAR)), (USHORT)((n + 1) * sizeof(WCHAR)), wide };
    return fx_string_assign(String, &value);
}
FX_EXPORT(WdfDriverRetrieveVersionString, PFN_WDFDRIVERRETRIEVEVERSIONSTRING, driver_retrieve_version_string);
