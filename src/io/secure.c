/*
 * IoCreateDeviceSecure and the SDDL strings of wdmsec.h. kmhost keeps no
 * security descriptors (every program runs as the one user), so the SDDL
 * string is checked for form — a driver passing garbage still fails as it
 * would on Windows — and the device is created as IoCreateDevice would.
 */
#include "io/io.h"
#include <wdmsec.h>

#define SDDL(name, text) KMH_EXPORT const UNICODE_STRING name = RTL_CONSTANT_STRING(text)
SDDL(SDDL_DEVOBJ_KERNEL_ONLY, L"D:P");
SDDL(SDDL_DEVOBJ_INF_SUPPLIED, L"D:P");
SDDL(SDDL_DEVOBJ_SYS_ALL, L"D:P(A;;GA;;;SY)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_ALL, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RX, L"D:P(A;;GA;;;SY)(A;;GRGX;;;BA)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R, L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R_RES_R, L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)(A;;GR;;;RC)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R, L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGW;;;WD)(A;;GR;;;RC)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX,
     L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGWGX;;;WD)(A;;GRGWGX;;;RC)");
SDDL(SDDL_DEVOBJ_SYS_ALL_WORLD_RWX_RES_RWX, L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;WD)(A;;GRGWGX;;;RC)");

/* A device-object SDDL string is a DACL only: "D:" then optional flags and
 * parenthesised ACEs. */
static bool sddl_is_valid(PCUNICODE_STRING sddl)
{
    size_t n = sddl->Length / sizeof(WCHAR), depth = 0;
    const WCHAR *s = sddl->Buffer;

    if (n < 2 || s[0] != L'D' || s[1] != L':')
        return false;
    for (size_t i = 2; i < n; i++) {
        if (s[i] == L'(')
            depth++;
        else if (s[i] == L')' && depth-- == 0)
            return false;
    }
    return depth == 0;
}

KMH_EXPORT NTSTATUS IoCreateDeviceSecure(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize,
                                         PUNICODE_STRING DeviceName, DEVICE_TYPE DeviceType,
                                         ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                                         PCUNICODE_STRING DefaultSDDLString, LPCGUID DeviceClassGuid,
                                         PDEVICE_OBJECT *DeviceObject)
{
    (void)DeviceClassGuid;
    *DeviceObject = NULL;
    if (!DefaultSDDLString || !sddl_is_valid(DefaultSDDLString))
        return STATUS_INVALID_PARAMETER;
    return IoCreateDevice(DriverObject, DeviceExtensionSize, DeviceName, DeviceType, DeviceCharacteristics,
                          Exclusive, DeviceObject);
}

KMH_EXPORT NTSTATUS IoValidateDeviceIoControlAccess(PIRP Irp, ULONG RequiredAccess)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    if (Irp->RequestorMode == KernelMode || !sp->FileObject)
        return STATUS_SUCCESS;
    if ((RequiredAccess & FILE_READ_ACCESS) && !sp->FileObject->ReadAccess)
        return STATUS_ACCESS_DENIED;
    if ((RequiredAccess & FILE_WRITE_ACCESS) && !sp->FileObject->WriteAccess)
        return STATUS_ACCESS_DENIED;
    return STATUS_SUCCESS;
}
