/*
 * wdfregistry.h: registry key objects: opening and creating subkeys, and
 * typed value queries and assignments. Value types are the REG_* numbers.
 */
#ifndef _WDFREGISTRY_H_
#define _WDFREGISTRY_H_

WDF_EXTERN_C_START

/* ParentKey may be NULL to open an absolute path. */
KMH_WDF_IMPORT_DECL(WdfRegistryOpenKey);
typedef NTSTATUS (*PFN_WDFREGISTRYOPENKEY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY ParentKey, PCUNICODE_STRING KeyName, ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key);
FORCEINLINE NTSTATUS WdfRegistryOpenKey(WDFKEY ParentKey, PCUNICODE_STRING KeyName, ACCESS_MASK DesiredAccess, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key)
{
    KMH_WDF_IMPORT(WdfRegistryOpenKey);
    return ((PFN_WDFREGISTRYOPENKEY)WdfFunctions[WdfRegistryOpenKeyTableIndex])(WdfDriverGlobals, ParentKey, KeyName, DesiredAccess, KeyAttributes, Key);
}

KMH_WDF_IMPORT_DECL(WdfRegistryCreateKey);
typedef NTSTATUS (*PFN_WDFREGISTRYCREATEKEY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY ParentKey, PCUNICODE_STRING KeyName, ACCESS_MASK DesiredAccess, ULONG CreateOptions, PULONG CreateDisposition, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key);
FORCEINLINE NTSTATUS WdfRegistryCreateKey(WDFKEY ParentKey, PCUNICODE_STRING KeyName, ACCESS_MASK DesiredAccess, ULONG CreateOptions, PULONG CreateDisposition, PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key)
{
    KMH_WDF_IMPORT(WdfRegistryCreateKey);
    return ((PFN_WDFREGISTRYCREATEKEY)WdfFunctions[WdfRegistryCreateKeyTableIndex])(WdfDriverGlobals, ParentKey, KeyName, DesiredAccess, CreateOptions, CreateDisposition, KeyAttributes, Key);
}

KMH_WDF_IMPORT_DECL(WdfRegistryClose);
typedef VOID (*PFN_WDFREGISTRYCLOSE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key);
FORCEINLINE VOID WdfRegistryClose(WDFKEY Key)
{
    KMH_WDF_IMPORT(WdfRegistryClose);
    ((PFN_WDFREGISTRYCLOSE)WdfFunctions[WdfRegistryCloseTableIndex])(WdfDriverGlobals, Key);
}

KMH_WDF_IMPORT_DECL(WdfRegistryWdmGetHandle);
typedef HANDLE (*PFN_WDFREGISTRYWDMGETHANDLE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key);
FORCEINLINE HANDLE WdfRegistryWdmGetHandle(WDFKEY Key)
{
    KMH_WDF_IMPORT(WdfRegistryWdmGetHandle);
    return ((PFN_WDFREGISTRYWDMGETHANDLE)WdfFunctions[WdfRegistryWdmGetHandleTableIndex])(WdfDriverGlobals, Key);
}

KMH_WDF_IMPORT_DECL(WdfRegistryRemoveKey);
typedef NTSTATUS (*PFN_WDFREGISTRYREMOVEKEY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key);
FORCEINLINE NTSTATUS WdfRegistryRemoveKey(WDFKEY Key)
{
    KMH_WDF_IMPORT(WdfRegistryRemoveKey);
    return ((PFN_WDFREGISTRYREMOVEKEY)WdfFunctions[WdfRegistryRemoveKeyTableIndex])(WdfDriverGlobals, Key);
}

KMH_WDF_IMPORT_DECL(WdfRegistryRemoveValue);
typedef NTSTATUS (*PFN_WDFREGISTRYREMOVEVALUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName);
FORCEINLINE NTSTATUS WdfRegistryRemoveValue(WDFKEY Key, PCUNICODE_STRING ValueName)
{
    KMH_WDF_IMPORT(WdfRegistryRemoveValue);
    return ((PFN_WDFREGISTRYREMOVEVALUE)WdfFunctions[WdfRegistryRemoveValueTableIndex])(WdfDriverGlobals, Key, ValueName);
}

KMH_WDF_IMPORT_DECL(WdfRegistryQueryValue);
typedef NTSTATUS (*PFN_WDFREGISTRYQUERYVALUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, ULONG ValueLength, PVOID Value, PULONG ValueLengthQueried, PULONG ValueType);
FORCEINLINE NTSTATUS WdfRegistryQueryValue(WDFKEY Key, PCUNICODE_STRING ValueName, ULONG ValueLength, PVOID Value, PULONG ValueLengthQueried, PULONG ValueType)
{
    KMH_WDF_IMPORT(WdfRegistryQueryValue);
    return ((PFN_WDFREGISTRYQUERYVALUE)WdfFunctions[WdfRegistryQueryValueTableIndex])(WdfDriverGlobals, Key, ValueName, ValueLength, Value, ValueLengthQueried, ValueType);
}

KMH_WDF_IMPORT_DECL(WdfRegistryQueryMemory);
typedef NTSTATUS (*PFN_WDFREGISTRYQUERYMEMORY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES MemoryAttributes, WDFMEMORY *Memory, PULONG ValueType);
FORCEINLINE NTSTATUS WdfRegistryQueryMemory(WDFKEY Key, PCUNICODE_STRING ValueName, POOL_TYPE PoolType, PWDF_OBJECT_ATTRIBUTES MemoryAttributes, WDFMEMORY *Memory, PULONG ValueType)
{
    KMH_WDF_IMPORT(WdfRegistryQueryMemory);
    return ((PFN_WDFREGISTRYQUERYMEMORY)WdfFunctions[WdfRegistryQueryMemoryTableIndex])(WdfDriverGlobals, Key, ValueName, PoolType, MemoryAttributes, Memory, ValueType);
}

/* Appends one WDFSTRING per REG_MULTI_SZ entry to Collection. */
KMH_WDF_IMPORT_DECL(WdfRegistryQueryMultiString);
typedef NTSTATUS (*PFN_WDFREGISTRYQUERYMULTISTRING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, PWDF_OBJECT_ATTRIBUTES StringsAttributes, WDFCOLLECTION Collection);
FORCEINLINE NTSTATUS WdfRegistryQueryMultiString(WDFKEY Key, PCUNICODE_STRING ValueName, PWDF_OBJECT_ATTRIBUTES StringsAttributes, WDFCOLLECTION Collection)
{
    KMH_WDF_IMPORT(WdfRegistryQueryMultiString);
    return ((PFN_WDFREGISTRYQUERYMULTISTRING)WdfFunctions[WdfRegistryQueryMultiStringTableIndex])(WdfDriverGlobals, Key, ValueName, StringsAttributes, Collection);
}

KMH_WDF_IMPORT_DECL(WdfRegistryQueryUnicodeString);
typedef NTSTATUS (*PFN_WDFREGISTRYQUERYUNICODESTRING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, PUSHORT ValueByteLength, PUNICODE_STRING Value);
FORCEINLINE NTSTATUS WdfRegistryQueryUnicodeString(WDFKEY Key, PCUNICODE_STRING ValueName, PUSHORT ValueByteLength, PUNICODE_STRING Value)
{
    KMH_WDF_IMPORT(WdfRegistryQueryUnicodeString);
    return ((PFN_WDFREGISTRYQUERYUNICODESTRING)WdfFunctions[WdfRegistryQueryUnicodeStringTableIndex])(WdfDriverGlobals, Key, ValueName, ValueByteLength, Value);
}

KMH_WDF_IMPORT_DECL(WdfRegistryQueryString);
typedef NTSTATUS (*PFN_WDFREGISTRYQUERYSTRING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, WDFSTRING String);
FORCEINLINE NTSTATUS WdfRegistryQueryString(WDFKEY Key, PCUNICODE_STRING ValueName, WDFSTRING String)
{
    KMH_WDF_IMPORT(WdfRegistryQueryString);
    return ((PFN_WDFREGISTRYQUERYSTRING)WdfFunctions[WdfRegistryQueryStringTableIndex])(WdfDriverGlobals, Key, ValueName, String);
}

KMH_WDF_IMPORT_DECL(WdfRegistryQueryULong);
typedef NTSTATUS (*PFN_WDFREGISTRYQUERYULONG)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, PULONG Value);
FORCEINLINE NTSTATUS WdfRegistryQueryULong(WDFKEY Key, PCUNICODE_STRING ValueName, PULONG Value)
{
    KMH_WDF_IMPORT(WdfRegistryQueryULong);
    return ((PFN_WDFREGISTRYQUERYULONG)WdfFunctions[WdfRegistryQueryULongTableIndex])(WdfDriverGlobals, Key, ValueName, Value);
}

KMH_WDF_IMPORT_DECL(WdfRegistryAssignValue);
typedef NTSTATUS (*PFN_WDFREGISTRYASSIGNVALUE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, ULONG ValueType, ULONG ValueLength, PVOID Value);
FORCEINLINE NTSTATUS WdfRegistryAssignValue(WDFKEY Key, PCUNICODE_STRING ValueName, ULONG ValueType, ULONG ValueLength, PVOID Value)
{
    KMH_WDF_IMPORT(WdfRegistryAssignValue);
    return ((PFN_WDFREGISTRYASSIGNVALUE)WdfFunctions[WdfRegistryAssignValueTableIndex])(WdfDriverGlobals, Key, ValueName, ValueType, ValueLength, Value);
}

KMH_WDF_IMPORT_DECL(WdfRegistryAssignMemory);
typedef NTSTATUS (*PFN_WDFREGISTRYASSIGNMEMORY)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, ULONG ValueType, WDFMEMORY Memory, PWDFMEMORY_OFFSET MemoryOffsets);
FORCEINLINE NTSTATUS WdfRegistryAssignMemory(WDFKEY Key, PCUNICODE_STRING ValueName, ULONG ValueType, WDFMEMORY Memory, PWDFMEMORY_OFFSET MemoryOffsets)
{
    KMH_WDF_IMPORT(WdfRegistryAssignMemory);
    return ((PFN_WDFREGISTRYASSIGNMEMORY)WdfFunctions[WdfRegistryAssignMemoryTableIndex])(WdfDriverGlobals, Key, ValueName, ValueType, Memory, MemoryOffsets);
}

KMH_WDF_IMPORT_DECL(WdfRegistryAssignMultiString);
typedef NTSTATUS (*PFN_WDFREGISTRYASSIGNMULTISTRING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, WDFCOLLECTION StringsCollection);
FORCEINLINE NTSTATUS WdfRegistryAssignMultiString(WDFKEY Key, PCUNICODE_STRING ValueName, WDFCOLLECTION StringsCollection)
{
    KMH_WDF_IMPORT(WdfRegistryAssignMultiString);
    return ((PFN_WDFREGISTRYASSIGNMULTISTRING)WdfFunctions[WdfRegistryAssignMultiStringTableIndex])(WdfDriverGlobals, Key, ValueName, StringsCollection);
}

KMH_WDF_IMPORT_DECL(WdfRegistryAssignUnicodeString);
typedef NTSTATUS (*PFN_WDFREGISTRYASSIGNUNICODESTRING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, PCUNICODE_STRING Value);
FORCEINLINE NTSTATUS WdfRegistryAssignUnicodeString(WDFKEY Key, PCUNICODE_STRING ValueName, PCUNICODE_STRING Value)
{
    KMH_WDF_IMPORT(WdfRegistryAssignUnicodeString);
    return ((PFN_WDFREGISTRYASSIGNUNICODESTRING)WdfFunctions[WdfRegistryAssignUnicodeStringTableIndex])(WdfDriverGlobals, Key, ValueName, Value);
}

KMH_WDF_IMPORT_DECL(WdfRegistryAssignString);
typedef NTSTATUS (*PFN_WDFREGISTRYASSIGNSTRING)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, WDFSTRING String);
FORCEINLINE NTSTATUS WdfRegistryAssignString(WDFKEY Key, PCUNICODE_STRING ValueName, WDFSTRING String)
{
    KMH_WDF_IMPORT(WdfRegistryAssignString);
    return ((PFN_WDFREGISTRYASSIGNSTRING)WdfFunctions[WdfRegistryAssignStringTableIndex])(WdfDriverGlobals, Key, ValueName, String);
}

KMH_WDF_IMPORT_DECL(WdfRegistryAssignULong);
typedef NTSTATUS (*PFN_WDFREGISTRYASSIGNULONG)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFKEY Key, PCUNICODE_STRING ValueName, ULONG Value);
FORCEINLINE NTSTATUS WdfRegistryAssignULong(WDFKEY Key, PCUNICODE_STRING ValueName, ULONG Value)
{
    KMH_WDF_IMPORT(WdfRegistryAssignULong);
    return ((PFN_WDFREGISTRYASSIGNULONG)WdfFunctions[WdfRegistryAssignULongTableIndex])(WdfDriverGlobals, Key, ValueName, Value);
}

WDF_EXTERN_C_END

#endif /* _WDFREGISTRY_H_ */
