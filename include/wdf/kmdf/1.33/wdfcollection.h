/*
 * wdfcollection.h: an ordered list of framework objects. A collection
 * holds a reference on each object in it.
 */
#ifndef _WDFCOLLECTION_H_
#define _WDFCOLLECTION_H_

WDF_EXTERN_C_START

KMH_WDF_IMPORT_DECL(WdfCollectionCreate);
typedef NTSTATUS (*PFN_WDFCOLLECTIONCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, PWDF_OBJECT_ATTRIBUTES CollectionAttributes, WDFCOLLECTION *Collection);
FORCEINLINE NTSTATUS WdfCollectionCreate(PWDF_OBJECT_ATTRIBUTES CollectionAttributes, WDFCOLLECTION *Collection)
{
    KMH_WDF_IMPORT(WdfCollectionCreate);
    return ((PFN_WDFCOLLECTIONCREATE)WdfFunctions[WdfCollectionCreateTableIndex])(WdfDriverGlobals, CollectionAttributes, Collection);
}

KMH_WDF_IMPORT_DECL(WdfCollectionGetCount);
typedef ULONG (*PFN_WDFCOLLECTIONGETCOUNT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOLLECTION Collection);
FORCEINLINE ULONG WdfCollectionGetCount(WDFCOLLECTION Collection)
{
    KMH_WDF_IMPORT(WdfCollectionGetCount);
    return ((PFN_WDFCOLLECTIONGETCOUNT)WdfFunctions[WdfCollectionGetCountTableIndex])(WdfDriverGlobals, Collection);
}

KMH_WDF_IMPORT_DECL(WdfCollectionAdd);
typedef NTSTATUS (*PFN_WDFCOLLECTIONADD)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOLLECTION Collection, WDFOBJECT Object);
FORCEINLINE NTSTATUS WdfCollectionAdd(WDFCOLLECTION Collection, WDFOBJECT Object)
{
    KMH_WDF_IMPORT(WdfCollectionAdd);
    return ((PFN_WDFCOLLECTIONADD)WdfFunctions[WdfCollectionAddTableIndex])(WdfDriverGlobals, Collection, Object);
}

KMH_WDF_IMPORT_DECL(WdfCollectionRemove);
typedef VOID (*PFN_WDFCOLLECTIONREMOVE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOLLECTION Collection, WDFOBJECT Item);
FORCEINLINE VOID WdfCollectionRemove(WDFCOLLECTION Collection, WDFOBJECT Item)
{
    KMH_WDF_IMPORT(WdfCollectionRemove);
    ((PFN_WDFCOLLECTIONREMOVE)WdfFunctions[WdfCollectionRemoveTableIndex])(WdfDriverGlobals, Collection, Item);
}

KMH_WDF_IMPORT_DECL(WdfCollectionRemoveItem);
typedef VOID (*PFN_WDFCOLLECTIONREMOVEITEM)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOLLECTION Collection, ULONG Index);
FORCEINLINE VOID WdfCollectionRemoveItem(WDFCOLLECTION Collection, ULONG Index)
{
    KMH_WDF_IMPORT(WdfCollectionRemoveItem);
    ((PFN_WDFCOLLECTIONREMOVEITEM)WdfFunctions[WdfCollectionRemoveItemTableIndex])(WdfDriverGlobals, Collection, Index);
}

/* NULL if Index is past the end. */
KMH_WDF_IMPORT_DECL(WdfCollectionGetItem);
typedef WDFOBJECT (*PFN_WDFCOLLECTIONGETITEM)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOLLECTION Collection, ULONG Index);
FORCEINLINE WDFOBJECT WdfCollectionGetItem(WDFCOLLECTION Collection, ULONG Index)
{
    KMH_WDF_IMPORT(WdfCollectionGetItem);
    return ((PFN_WDFCOLLECTIONGETITEM)WdfFunctions[WdfCollectionGetItemTableIndex])(WdfDriverGlobals, Collection, Index);
}

KMH_WDF_IMPORT_DECL(WdfCollectionGetFirstItem);
typedef WDFOBJECT (*PFN_WDFCOLLECTIONGETFIRSTITEM)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOLLECTION Collection);
FORCEINLINE WDFOBJECT WdfCollectionGetFirstItem(WDFCOLLECTION Collection)
{
    KMH_WDF_IMPORT(WdfCollectionGetFirstItem);
    return ((PFN_WDFCOLLECTIONGETFIRSTITEM)WdfFunctions[WdfCollectionGetFirstItemTableIndex])(WdfDriverGlobals, Collection);
}

KMH_WDF_IMPORT_DECL(WdfCollectionGetLastItem);
typedef WDFOBJECT (*PFN_WDFCOLLECTIONGETLASTITEM)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCOLLECTION Collection);
FORCEINLINE WDFOBJECT WdfCollectionGetLastItem(WDFCOLLECTION Collection)
{
    KMH_WDF_IMPORT(WdfCollectionGetLastItem);
    return ((PFN_WDFCOLLECTIONGETLASTITEM)WdfFunctions[WdfCollectionGetLastItemTableIndex])(WdfDriverGlobals, Collection);
}

WDF_EXTERN_C_END

#endif /* _WDFCOLLECTION_H_ */
