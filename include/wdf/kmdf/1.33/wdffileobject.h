/*
 * wdffileobject.h: the framework object that stands for a WDM FILE_OBJECT,
 * i.e. one open handle to a device.
 */
#ifndef _WDFFILEOBJECT_H_
#define _WDFFILEOBJECT_H_

WDF_EXTERN_C_START

KMH_WDF_IMPORT_DECL(WdfFileObjectGetFileName);
typedef PUNICODE_STRING (*PFN_WDFFILEOBJECTGETFILENAME)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFFILEOBJECT FileObject);
FORCEINLINE PUNICODE_STRING WdfFileObjectGetFileName(WDFFILEOBJECT FileObject)
{
    KMH_WDF_IMPORT(WdfFileObjectGetFileName);
    return ((PFN_WDFFILEOBJECTGETFILENAME)WdfFunctions[WdfFileObjectGetFileNameTableIndex])(WdfDriverGlobals, FileObject);
}

KMH_WDF_IMPORT_DECL(WdfFileObjectGetFlags);
typedef ULONG (*PFN_WDFFILEOBJECTGETFLAGS)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFFILEOBJECT FileObject);
FORCEINLINE ULONG WdfFileObjectGetFlags(WDFFILEOBJECT FileObject)
{
    KMH_WDF_IMPORT(WdfFileObjectGetFlags);
    return ((PFN_WDFFILEOBJECTGETFLAGS)WdfFunctions[WdfFileObjectGetFlagsTableIndex])(WdfDriverGlobals, FileObject);
}

KMH_WDF_IMPORT_DECL(WdfFileObjectGetDevice);
typedef WDFDEVICE (*PFN_WDFFILEOBJECTGETDEVICE)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFFILEOBJECT FileObject);
FORCEINLINE WDFDEVICE WdfFileObjectGetDevice(WDFFILEOBJECT FileObject)
{
    KMH_WDF_IMPORT(WdfFileObjectGetDevice);
    return ((PFN_WDFFILEOBJECTGETDEVICE)WdfFunctions[WdfFileObjectGetDeviceTableIndex])(WdfDriverGlobals, FileObject);
}

KMH_WDF_IMPORT_DECL(WdfFileObjectGetInitiatorProcessId);
typedef ULONG (*PFN_WDFFILEOBJECTGETINITIATORPROCESSID)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFFILEOBJECT FileObject);
FORCEINLINE ULONG WdfFileObjectGetInitiatorProcessId(WDFFILEOBJECT FileObject)
{
    KMH_WDF_IMPORT(WdfFileObjectGetInitiatorProcessId);
    return ((PFN_WDFFILEOBJECTGETINITIATORPROCESSID)WdfFunctions[WdfFileObjectGetInitiatorProcessIdTableIndex])(WdfDriverGlobals, FileObject);
}

KMH_WDF_IMPORT_DECL(WdfFileObjectWdmGetFileObject);
typedef PFILE_OBJECT (*PFN_WDFFILEOBJECTWDMGETFILEOBJECT)(PWDF_DRIVER_GLOBALS DriverGlobals, WDFFILEOBJECT FileObject);
FORCEINLINE PFILE_OBJECT WdfFileObjectWdmGetFileObject(WDFFILEOBJECT FileObject)
{
    KMH_WDF_IMPORT(WdfFileObjectWdmGetFileObject);
    return ((PFN_WDFFILEOBJECTWDMGETFILEOBJECT)WdfFunctions[WdfFileObjectWdmGetFileObjectTableIndex])(WdfDriverGlobals, FileObject);
}

WDF_EXTERN_C_END

#endif /* _WDFFILEOBJECT_H_ */
