/*
 * wdfstring.h: string objects, framework-owned UNICODE_STRING buffers that
 * Retrieve* methods fill in.
 */
#ifndef _WDFSTRING_H_
#define _WDFSTRING_H_

WDF_EXTERN_C_START

/* UnicodeString may be NULL for an empty string to be filled later. */
KMH_WDF_IMPORT_DECL(WdfStringCreate);
typedef NTSTATUS (*PFN_WDFSTRINGCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PCUNICODE_STRING UnicodeString, PWDF_OBJECT_ATTRIBUTES StringAttributes, WDFSTRING *String);
FORCEINLINE NTSTATUS WdfStringCreate(PCUNICODE_STRING UnicodeString, PWDF_OBJECT_ATTRIBUTES StringAttributes, WDFSTRING *String)
{
    KMH_WDF_IMPORT(WdfStringCreate);
    return ((PFN_WDFSTRINGCREATE)WdfFunctions[WdfStringCreateTableIndex])(WdfDriverGlobals, UnicodeString, StringAttributes, String);
}

/* The returned UNICODE_STRING points into the object; valid while it lives. */
KMH_WDF_IMPORT_DECL(WdfStringGetUnicodeString);
typedef VOID (*PFN_WDFSTRINGGETUNICODESTRING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFSTRING String, PUNICODE_STRING UnicodeString);
FORCEINLINE VOID WdfStringGetUnicodeString(WDFSTRING String, PUNICODE_STRING UnicodeString)
{
    KMH_WDF_IMPORT(WdfStringGetUnicodeString);
    ((PFN_WDFSTRINGGETUNICODESTRING)WdfFunctions[WdfStringGetUnicodeStringTableIndex])(WdfDriverGlobals, String, UnicodeString);
}

WDF_EXTERN_C_END

#endif /* _WDFSTRING_H_ */
