/*
 * wdmsec.h: IoCreateDeviceSecure and the SDDL strings drivers pass to it.
 * kmhost keeps no security descriptors: the SDDL string is checked for
 * form and recorded, and the device is created as IoCreateDevice would.
 */
#ifndef _WDMSEC_H_
#define _WDMSEC_H_

#include <wdm.h>

EXTERN_C_START

extern const UNICODE_STRING SDDL_DEVOBJ_KERNEL_ONLY;
extern const UNICODE_STRING SDDL_DEVOBJ_INF_SUPPLIED;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_ALL;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RX;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R_RES_R;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_WORLD_RWX_RES_RWX;
#define SDDL_DEVOBJ_SYS_ALL_ADM_ALL_WORLD_R SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R

NTSTATUS IoCreateDeviceSecure(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
    DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive, PCUNICODE_STRING DefaultSDDLString,
    LPCGUID DeviceClassGuid, PDEVICE_OBJECT *DeviceObject);
NTSTATUS IoValidateDeviceIoControlAccess(PIRP Irp, ULONG RequiredAccess);

EXTERN_C_END

#endif /* _WDMSEC_H_ */
