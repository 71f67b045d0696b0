/*
 * wdfresource.h: the framework's views of WDM resource lists: resource
 * requirements (a list of alternative IO_RESOURCE_LISTs) and the assigned
 * raw and translated CM resources.
 */
#ifndef _WDFRESOURCE_H_
#define _WDFRESOURCE_H_

WDF_EXTERN_C_START

KMH_WDF_IMPORT_DECL(WdfIoResourceRequirementsListSetSlotNumber);
typedef VOID (*PFN_WDFIORESOURCEREQUIREMENTSLISTSETSLOTNUMBER)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESREQLIST RequirementsList, ULONG SlotNumber);
FORCEINLINE VOID WdfIoResourceRequirementsListSetSlotNumber(WDFIORESREQLIST RequirementsList, ULONG SlotNumber)
{
    KMH_WDF_IMPORT(WdfIoResourceRequirementsListSetSlotNumber);
    ((PFN_WDFIORESOURCEREQUIREMENTSLISTSETSLOTNUMBER)WdfFunctions[WdfIoResourceRequirementsListSetSlotNumberTableIndex])(WdfDriverGlobals, RequirementsList, SlotNumber);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceRequirementsListSetInterfaceType);
typedef VOID (*PFN_WDFIORESOURCEREQUIREMENTSLISTSETINTERFACETYPE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESREQLIST RequirementsList, INTERFACE_TYPE InterfaceType);
FORCEINLINE VOID WdfIoResourceRequirementsListSetInterfaceType(WDFIORESREQLIST RequirementsList, INTERFACE_TYPE InterfaceType)
{
    KMH_WDF_IMPORT(WdfIoResourceRequirementsListSetInterfaceType);
    ((PFN_WDFIORESOURCEREQUIREMENTSLISTSETINTERFACETYPE)WdfFunctions[WdfIoResourceRequirementsListSetInterfaceTypeTableIndex])(WdfDriverGlobals, RequirementsList, InterfaceType);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceRequirementsListAppendIoResList);
typedef NTSTATUS (*PFN_WDFIORESOURCEREQUIREMENTSLISTAPPENDIORESLIST)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESREQLIST RequirementsList, WDFIORESLIST IoResList);
FORCEINLINE NTSTATUS WdfIoResourceRequirementsListAppendIoResList(WDFIORESREQLIST RequirementsList, WDFIORESLIST IoResList)
{
    KMH_WDF_IMPORT(WdfIoResourceRequirementsListAppendIoResList);
    return ((PFN_WDFIORESOURCEREQUIREMENTSLISTAPPENDIORESLIST)WdfFunctions[WdfIoResourceRequirementsListAppendIoResListTableIndex])(WdfDriverGlobals, RequirementsList, IoResList);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceRequirementsListInsertIoResList);
typedef NTSTATUS (*PFN_WDFIORESOURCEREQUIREMENTSLISTINSERTIORESLIST)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESREQLIST RequirementsList, WDFIORESLIST IoResList, ULONG Index);
FORCEINLINE NTSTATUS WdfIoResourceRequirementsListInsertIoResList(WDFIORESREQLIST RequirementsList, WDFIORESLIST IoResList, ULONG Index)
{
    KMH_WDF_IMPORT(WdfIoResourceRequirementsListInsertIoResList);
    return ((PFN_WDFIORESOURCEREQUIREMENTSLISTINSERTIORESLIST)WdfFunctions[WdfIoResourceRequirementsListInsertIoResListTableIndex])(WdfDriverGlobals, RequirementsList, IoResList, Index);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceRequirementsListGetCount);
typedef ULONG (*PFN_WDFIORESOURCEREQUIREMENTSLISTGETCOUNT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESREQLIST RequirementsList);
FORCEINLINE ULONG WdfIoResourceRequirementsListGetCount(WDFIORESREQLIST RequirementsList)
{
    KMH_WDF_IMPORT(WdfIoResourceRequirementsListGetCount);
    return ((PFN_WDFIORESOURCEREQUIREMENTSLISTGETCOUNT)WdfFunctions[WdfIoResourceRequirementsListGetCountTableIndex])(WdfDriverGlobals, RequirementsList);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceRequirementsListGetIoResList);
typedef WDFIORESLIST (*PFN_WDFIORESOURCEREQUIREMENTSLISTGETIORESLIST)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESREQLIST RequirementsList, ULONG Index);
FORCEINLINE WDFIORESLIST WdfIoResourceRequirementsListGetIoResList(WDFIORESREQLIST RequirementsList, ULONG Index)
{
    KMH_WDF_IMPORT(WdfIoResourceRequirementsListGetIoResList);
    return ((PFN_WDFIORESOURCEREQUIREMENTSLISTGETIORESLIST)WdfFunctions[WdfIoResourceRequirementsListGetIoResListTableIndex])(WdfDriverGlobals, RequirementsList, Index);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceRequirementsListRemove);
typedef VOID (*PFN_WDFIORESOURCEREQUIREMENTSLISTREMOVE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESREQLIST RequirementsList, ULONG Index);
FORCEINLINE VOID WdfIoResourceRequirementsListRemove(WDFIORESREQLIST RequirementsList, ULONG Index)
{
    KMH_WDF_IMPORT(WdfIoResourceRequirementsListRemove);
    ((PFN_WDFIORESOURCEREQUIREMENTSLISTREMOVE)WdfFunctions[WdfIoResourceRequirementsListRemoveTableIndex])(WdfDriverGlobals, RequirementsList, Index);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceRequirementsListRemoveByIoResList);
typedef VOID (*PFN_WDFIORESOURCEREQUIREMENTSLISTREMOVEBYIORESLIST)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESREQLIST RequirementsList, WDFIORESLIST IoResList);
FORCEINLINE VOID WdfIoResourceRequirementsListRemoveByIoResList(WDFIORESREQLIST RequirementsList, WDFIORESLIST IoResList)
{
    KMH_WDF_IMPORT(WdfIoResourceRequirementsListRemoveByIoResList);
    ((PFN_WDFIORESOURCEREQUIREMENTSLISTREMOVEBYIORESLIST)WdfFunctions[WdfIoResourceRequirementsListRemoveByIoResListTableIndex])(WdfDriverGlobals, RequirementsList, IoResList);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceListCreate);
typedef NTSTATUS (*PFN_WDFIORESOURCELISTCREATE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESREQLIST RequirementsList, PWDF_OBJECT_ATTRIBUTES Attributes, WDFIORESLIST *ResourceList);
FORCEINLINE NTSTATUS WdfIoResourceListCreate(WDFIORESREQLIST RequirementsList, PWDF_OBJECT_ATTRIBUTES Attributes, WDFIORESLIST *ResourceList)
{
    KMH_WDF_IMPORT(WdfIoResourceListCreate);
    return ((PFN_WDFIORESOURCELISTCREATE)WdfFunctions[WdfIoResourceListCreateTableIndex])(WdfDriverGlobals, RequirementsList, Attributes, ResourceList);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceListAppendDescriptor);
typedef NTSTATUS (*PFN_WDFIORESOURCELISTAPPENDDESCRIPTOR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESLIST ResourceList, PIO_RESOURCE_DESCRIPTOR Descriptor);
FORCEINLINE NTSTATUS WdfIoResourceListAppendDescriptor(WDFIORESLIST ResourceList, PIO_RESOURCE_DESCRIPTOR Descriptor)
{
    KMH_WDF_IMPORT(WdfIoResourceListAppendDescriptor);
    return ((PFN_WDFIORESOURCELISTAPPENDDESCRIPTOR)WdfFunctions[WdfIoResourceListAppendDescriptorTableIndex])(WdfDriverGlobals, ResourceList, Descriptor);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceListInsertDescriptor);
typedef NTSTATUS (*PFN_WDFIORESOURCELISTINSERTDESCRIPTOR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESLIST ResourceList, PIO_RESOURCE_DESCRIPTOR Descriptor, ULONG Index);
FORCEINLINE NTSTATUS WdfIoResourceListInsertDescriptor(WDFIORESLIST ResourceList, PIO_RESOURCE_DESCRIPTOR Descriptor, ULONG Index)
{
    KMH_WDF_IMPORT(WdfIoResourceListInsertDescriptor);
    return ((PFN_WDFIORESOURCELISTINSERTDESCRIPTOR)WdfFunctions[WdfIoResourceListInsertDescriptorTableIndex])(WdfDriverGlobals, ResourceList, Descriptor, Index);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceListUpdateDescriptor);
typedef VOID (*PFN_WDFIORESOURCELISTUPDATEDESCRIPTOR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESLIST ResourceList, PIO_RESOURCE_DESCRIPTOR Descriptor, ULONG Index);
FORCEINLINE VOID WdfIoResourceListUpdateDescriptor(WDFIORESLIST ResourceList, PIO_RESOURCE_DESCRIPTOR Descriptor, ULONG Index)
{
    KMH_WDF_IMPORT(WdfIoResourceListUpdateDescriptor);
    ((PFN_WDFIORESOURCELISTUPDATEDESCRIPTOR)WdfFunctions[WdfIoResourceListUpdateDescriptorTableIndex])(WdfDriverGlobals, ResourceList, Descriptor, Index);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceListGetCount);
typedef ULONG (*PFN_WDFIORESOURCELISTGETCOUNT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESLIST ResourceList);
FORCEINLINE ULONG WdfIoResourceListGetCount(WDFIORESLIST ResourceList)
{
    KMH_WDF_IMPORT(WdfIoResourceListGetCount);
    return ((PFN_WDFIORESOURCELISTGETCOUNT)WdfFunctions[WdfIoResourceListGetCountTableIndex])(WdfDriverGlobals, ResourceList);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceListGetDescriptor);
typedef PIO_RESOURCE_DESCRIPTOR (*PFN_WDFIORESOURCELISTGETDESCRIPTOR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESLIST ResourceList, ULONG Index);
FORCEINLINE PIO_RESOURCE_DESCRIPTOR WdfIoResourceListGetDescriptor(WDFIORESLIST ResourceList, ULONG Index)
{
    KMH_WDF_IMPORT(WdfIoResourceListGetDescriptor);
    return ((PFN_WDFIORESOURCELISTGETDESCRIPTOR)WdfFunctions[WdfIoResourceListGetDescriptorTableIndex])(WdfDriverGlobals, ResourceList, Index);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceListRemove);
typedef VOID (*PFN_WDFIORESOURCELISTREMOVE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESLIST ResourceList, ULONG Index);
FORCEINLINE VOID WdfIoResourceListRemove(WDFIORESLIST ResourceList, ULONG Index)
{
    KMH_WDF_IMPORT(WdfIoResourceListRemove);
    ((PFN_WDFIORESOURCELISTREMOVE)WdfFunctions[WdfIoResourceListRemoveTableIndex])(WdfDriverGlobals, ResourceList, Index);
}

KMH_WDF_IMPORT_DECL(WdfIoResourceListRemoveByDescriptor);
typedef VOID (*PFN_WDFIORESOURCELISTREMOVEBYDESCRIPTOR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFIORESLIST ResourceList, PIO_RESOURCE_DESCRIPTOR Descriptor);
FORCEINLINE VOID WdfIoResourceListRemoveByDescriptor(WDFIORESLIST ResourceList, PIO_RESOURCE_DESCRIPTOR Descriptor)
{
    KMH_WDF_IMPORT(WdfIoResourceListRemoveByDescriptor);
    ((PFN_WDFIORESOURCELISTREMOVEBYDESCRIPTOR)WdfFunctions[WdfIoResourceListRemoveByDescriptorTableIndex])(WdfDriverGlobals, ResourceList, Descriptor);
}

KMH_WDF_IMPORT_DECL(WdfCmResourceListAppendDescriptor);
typedef NTSTATUS (*PFN_WDFCMRESOURCELISTAPPENDDESCRIPTOR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCMRESLIST List, PCM_PARTIAL_RESOURCE_DESCRIPTOR Descriptor);
FORCEINLINE NTSTATUS WdfCmResourceListAppendDescriptor(WDFCMRESLIST List, PCM_PARTIAL_RESOURCE_DESCRIPTOR Descriptor)
{
    KMH_WDF_IMPORT(WdfCmResourceListAppendDescriptor);
    return ((PFN_WDFCMRESOURCELISTAPPENDDESCRIPTOR)WdfFunctions[WdfCmResourceListAppendDescriptorTableIndex])(WdfDriverGlobals, List, Descriptor);
}

KMH_WDF_IMPORT_DECL(WdfCmResourceListInsertDescriptor);
typedef NTSTATUS (*PFN_WDFCMRESOURCELISTINSERTDESCRIPTOR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCMRESLIST List, PCM_PARTIAL_RESOURCE_DESCRIPTOR Descriptor, ULONG Index);
FORCEINLINE NTSTATUS WdfCmResourceListInsertDescriptor(WDFCMRESLIST List, PCM_PARTIAL_RESOURCE_DESCRIPTOR Descriptor, ULONG Index)
{
    KMH_WDF_IMPORT(WdfCmResourceListInsertDescriptor);
    return ((PFN_WDFCMRESOURCELISTINSERTDESCRIPTOR)WdfFunctions[WdfCmResourceListInsertDescriptorTableIndex])(WdfDriverGlobals, List, Descriptor, Index);
}

KMH_WDF_IMPORT_DECL(WdfCmResourceListGetCount);
typedef ULONG (*PFN_WDFCMRESOURCELISTGETCOUNT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCMRESLIST List);
FORCEINLINE ULONG WdfCmResourceListGetCount(WDFCMRESLIST List)
{
    KMH_WDF_IMPORT(WdfCmResourceListGetCount);
    return ((PFN_WDFCMRESOURCELISTGETCOUNT)WdfFunctions[WdfCmResourceListGetCountTableIndex])(WdfDriverGlobals, List);
}

KMH_WDF_IMPORT_DECL(WdfCmResourceListGetDescriptor);
typedef PCM_PARTIAL_RESOURCE_DESCRIPTOR (*PFN_WDFCMRESOURCELISTGETDESCRIPTOR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCMRESLIST List, ULONG Index);
FORCEINLINE PCM_PARTIAL_RESOURCE_DESCRIPTOR WdfCmResourceListGetDescriptor(WDFCMRESLIST List, ULONG Index)
{
    KMH_WDF_IMPORT(WdfCmResourceListGetDescriptor);
    return ((PFN_WDFCMRESOURCELISTGETDESCRIPTOR)WdfFunctions[WdfCmResourceListGetDescriptorTableIndex])(WdfDriverGlobals, List, Index);
}

KMH_WDF_IMPORT_DECL(WdfCmResourceListRemove);
typedef VOID (*PFN_WDFCMRESOURCELISTREMOVE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCMRESLIST List, ULONG Index);
FORCEINLINE VOID WdfCmResourceListRemove(WDFCMRESLIST List, ULONG Index)
{
    KMH_WDF_IMPORT(WdfCmResourceListRemove);
    ((PFN_WDFCMRESOURCELISTREMOVE)WdfFunctions[WdfCmResourceListRemoveTableIndex])(WdfDriverGlobals, List, Index);
}

KMH_WDF_IMPORT_DECL(WdfCmResourceListRemoveByDescriptor);
typedef VOID (*PFN_WDFCMRESOURCELISTREMOVEBYDESCRIPTOR)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFCMRESLIST List, PCM_PARTIAL_RESOURCE_DESCRIPTOR Descriptor);
FORCEINLINE VOID WdfCmResourceListRemoveByDescriptor(WDFCMRESLIST List, PCM_PARTIAL_RESOURCE_DESCRIPTOR Descriptor)
{
    KMH_WDF_IMPORT(WdfCmResourceListRemoveByDescriptor);
    ((PFN_WDFCMRESOURCELISTREMOVEBYDESCRIPTOR)WdfFunctions[WdfCmResourceListRemoveByDescriptorTableIndex])(WdfDriverGlobals, List, Descriptor);
}

WDF_EXTERN_C_END

#endif /* _WDFRESOURCE_H_ */
