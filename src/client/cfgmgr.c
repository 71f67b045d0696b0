/*
 * The configuration manager: interface lists (CM_Get_Device_Interface_List
 * and its size), device nodes by instance ID (CM_Locate_DevNode,
 * CM_Get_Device_ID) and their status (CM_Get_DevNode_Status). They return a
 * CONFIGRET and leave the last error alone, as cfgmgr32 does.
 */
#include "client/client.h"

#include <stdlib.h>
#include <strings.h>

#define ROOT_DEVNODE "HTREE\\ROOT\\0"

struct list {
    const char *device;   /* only this device's interfaces, or NULL */
    bool wide;
    WCHAR *w;             /* the multi-string being built */
    char *a;
    size_t len;           /* characters, without the final terminator */
    bool oom;
};

static void list_add(const GUID *guid, const char *path, const char *device, bool active, void *ctx)
{
    struct list *l = ctx;
    (void)guid, (void)active;

    if (l->oom || (l->device && (!device || strcasecmp(device, l->device) != 0)))
        return;
    WCHAR *w = l->wide ? client_wide_from_utf8(path, &l->oom) : NULL;
    size_t n = l->wide ? (w ? client_wcslen(w) : 0) : strlen(path);
    size_t unit = l->wide ? sizeof(WCHAR) : 1;
    void *more = !l->oom ? realloc(l->wide ? (void *)l->w : (void *)l->a, (l->len + n + 2) * unit) : NULL;
    if (!more) {
        l->oom = true;
    } else if (l->wide) {
        l->w = more;
        memcpy(l->w + l->len, w, (n + 1) * unit);
    } else {
        l->a = more;
        memcpy(l->a + l->len, path, n + 1);
    }
    l->len += l->oom ? 0 : n + 1;
    free(w);
}

/* Builds the list for either form; CR_SUCCESS or the CONFIGRET to return. */
static CONFIGRET build_list(const GUID *guid, const char *device, ULONG flags, struct list *l)
{
    if (flags & ~CM_GET_DEVICE_INTERFACE_LIST_BITS)
        return CR_INVALID_FLAG;
    if (!guid)
        return CR_INVALID_POINTER;
    if (client_runtime_ensure())
        return CR_FAILURE;
    if (device && *device) {
        if (!client_device_present(device, NULL, NULL) && !client_enum_value_exists(device))
            return CR_INVALID_DEVICE_ID;
        l->device = device;
    }
    client_for_each_interface(guid, !(flags & CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES), list_add, l);
    return l->oom ? CR_OUT_OF_MEMORY : CR_SUCCESS;
}

static CONFIGRET list_size(PULONG len, LPGUID guid, const char *device, ULONG flags, bool wide)
{
    struct list l = { .wide = wide };

    if (!len)
        return CR_INVALID_POINTER;
    *len = 0;
    CONFIGRET cr = build_list(guid, device, flags, &l);
    if (cr == CR_SUCCESS)
        *len = (ULONG)l.len + 1; /* the final terminator */
    free(l.w);
    free(l.a);
    return cr;
}

/* The length, in characters with every terminator, of the list
 * CM_Get_Device_Interface_List would return (1 for an empty list).
 * CR_INVALID_POINTER, CR_INVALID_FLAG, CR_INVALID_DEVICE_ID (no such
 * device), CR_FAILURE (the device tree did not start). */
KMH_EXPORT CONFIGRET WINAPI CM_Get_Device_Interface_List_SizeA(PULONG pulLen, LPGUID InterfaceClassGuid,
                                                               DEVINSTID_A pDeviceID, ULONG ulFlags)
{
    return list_size(pulLen, InterfaceClassGuid, pDeviceID, ulFlags, false);
}

/* CM_Get_Device_Interface_List_SizeA for the UTF-16 list. */
KMH_EXPORT CONFIGRET WINAPI CM_Get_Device_Interface_List_SizeW(PULONG pulLen, LPGUID InterfaceClassGuid,
                                                               DEVINSTID_W pDeviceID, ULONG ulFlags)
{
    bool oom = false;
    char *device = client_utf8_from_wide(pDeviceID, &oom);
    CONFIGRET cr = oom ? CR_OUT_OF_MEMORY : list_size(pulLen, InterfaceClassGuid, device, ulFlags, true);
    free(device);
    return cr;
}

static CONFIGRET get_list(LPGUID guid, const char *device, void *buffer, ULONG buffer_len, ULONG flags, bool wide)
{
    struct list l = { .wide = wide };

    if (!buffer || buffer_len == 0)
        return CR_INVALID_POINTER;
    CONFIGRET cr = build_list(guid, device, flags, &l);
    size_t unit = wide ? sizeof(WCHAR) : 1;
    if (cr == CR_SUCCESS && l.len + 1 > buffer_len)
        cr = CR_BUFFER_SMALL;
    if (cr == CR_SUCCESS) {
        if (l.len)
            memcpy(buffer, wide ? (void *)l.w : (void *)l.a, l.len * unit);
        memset((char *)buffer + l.len * unit, 0, unit);
    } else {
        memset(buffer, 0, unit); /* an empty list, never stale text */
    }
    free(l.w);
    free(l.a);
    return cr;
}

/* The device paths ("\\?\...") of the interfaces of InterfaceClassGuid,
 * enabled ones (CM_GET_DEVICE_INTERFACE_LIST_PRESENT) or all registered
 * ones (..._ALL_DEVICES), of one device when pDeviceID names one, as a
 * multi-string. CR_BUFFER_SMALL when BufferLen characters do not hold it
 * (ask the size again: the list may have grown), CR_INVALID_POINTER,
 * CR_INVALID_FLAG, CR_INVALID_DEVICE_ID, CR_FAILURE. */
KMH_EXPORT CONFIGRET WINAPI CM_Get_Device_Interface_ListA(LPGUID InterfaceClassGuid, DEVINSTID_A pDeviceID,
                                                          PZZSTR Buffer, ULONG BufferLen, ULONG ulFlags)
{
    return get_list(InterfaceClassGuid, pDeviceID, Buffer, BufferLen, ulFlags, false);
}

/* CM_Get_Device_Interface_ListA as UTF-16. */
KMH_EXPORT CONFIGRET WINAPI CM_Get_Device_Interface_ListW(LPGUID InterfaceClassGuid, DEVINSTID_W pDeviceID,
                                                          PZZWSTR Buffer, ULONG BufferLen, ULONG ulFlags)
{
    bool oom = false;
    char *device = client_utf8_from_wide(pDeviceID, &oom);
    CONFIGRET cr = oom ? CR_OUT_OF_MEMORY : get_list(InterfaceClassGuid, device, Buffer, BufferLen, ulFlags, true);
    free(device);
    return cr;
}

static CONFIGRET locate(PDEVINST devinst, const char *id, ULONG flags)
{
    if (!devinst)
        return CR_INVALID_POINTER;
    *devinst = 0;
    if (flags & ~CM_LOCATE_DEVNODE_BITS)
        return CR_INVALID_FLAG;
    if (client_runtime_ensure())
        return CR_FAILURE;
    const char *path = id && *id ? id : ROOT_DEVNODE;
    if (strlen(path) >= MAX_DEVICE_ID_LEN)
        return CR_INVALID_DEVICE_ID;
    bool present = client_device_present(path, NULL, NULL);
    if (!present && !((flags & CM_LOCATE_DEVNODE_PHANTOM) && client_enum_value_exists(path)))
        return CR_NO_SUCH_DEVNODE;
    return (*devinst = client_devinst_of(path)) ? CR_SUCCESS : CR_OUT_OF_MEMORY;
}

/* The DEVINST of a device instance ID (NULL or "": the root). Without
 * CM_LOCATE_DEVNODE_PHANTOM the device must be in the tree now.
 * CR_NO_SUCH_DEVNODE, CR_INVALID_DEVICE_ID, CR_INVALID_POINTER,
 * CR_INVALID_FLAG, CR_FAILURE. */
KMH_EXPORT CONFIGRET WINAPI CM_Locate_DevNodeA(PDEVINST pdnDevInst, DEVINSTID_A pDeviceID, ULONG ulFlags)
{
    return locate(pdnDevInst, pDeviceID, ulFlags);
}

/* CM_Locate_DevNodeA with a UTF-16 ID. */
KMH_EXPORT CONFIGRET WINAPI CM_Locate_DevNodeW(PDEVINST pdnDevInst, DEVINSTID_W pDeviceID, ULONG ulFlags)
{
    bool oom = false;
    char *id = client_utf8_from_wide(pDeviceID, &oom);
    CONFIGRET cr = oom ? CR_OUT_OF_MEMORY : locate(pdnDevInst, id, ulFlags);
    free(id);
    return cr;
}

/* The device's DN_* status and, with DN_HAS_PROBLEM, its CM_PROB_* code.
 * CR_NO_SUCH_DEVINST when it is not in the tree (any more),
 * CR_INVALID_DEVNODE for a DEVINST never handed out, CR_INVALID_POINTER,
 * CR_INVALID_FLAG. */
KMH_EXPORT CONFIGRET WINAPI CM_Get_DevNode_Status(PULONG pulStatus, PULONG pulProblemNumber, DEVINST dnDevInst,
                                                  ULONG ulFlags)
{
    enum pnp_state state;
    ULONG problem = 0;

    if (!pulStatus || !pulProblemNumber)
        return CR_INVALID_POINTER;
    *pulStatus = *pulProblemNumber = 0;
    if (ulFlags)
        return CR_INVALID_FLAG;
    const char *path = client_devinst_path(dnDevInst);
    if (!path)
        return CR_INVALID_DEVNODE;
    if (!client_device_present(path, &state, &problem))
        return CR_NO_SUCH_DEVINST;
    ULONG status = DN_NT_ENUMERATOR | DN_NT_DRIVER;
    if (strncasecmp(path, "ROOT\\", 5) == 0)
        status |= DN_ROOT_ENUMERATED;
    if (state == PNP_STATE_STARTED)
        status |= DN_DRIVER_LOADED | DN_STARTED;
    if (state == PNP_STATE_FAILED || problem) {
        status |= DN_HAS_PROBLEM;
        *pulProblemNumber = problem;
    }
    *pulStatus = status;
    return CR_SUCCESS;
}

/* The length of a DEVINST's instance ID, without the terminator.
 * CR_INVALID_DEVNODE, CR_INVALID_POINTER, CR_INVALID_FLAG. */
KMH_EXPORT CONFIGRET WINAPI CM_Get_Device_ID_Size(PULONG pulLen, DEVINST dnDevInst, ULONG ulFlags)
{
    if (!pulLen)
        return CR_INVALID_POINTER;
    if (ulFlags)
        return CR_INVALID_FLAG;
    const char *path = client_devinst_path(dnDevInst);
    *pulLen = path ? (ULONG)strlen(path) : 0;
    return path ? CR_SUCCESS : CR_INVALID_DEVNODE;
}

/* A DEVINST's instance ID into BufferLen characters; CR_BUFFER_SMALL when
 * it does not fit (an ID exactly BufferLen long is copied without its
 * terminator, as cfgmgr32 does). */
KMH_EXPORT CONFIGRET WINAPI CM_Get_Device_IDA(DEVINST dnDevInst, PSTR Buffer, ULONG BufferLen, ULONG ulFlags)
{
    if (!Buffer)
        return CR_INVALID_POINTER;
    if (ulFlags)
        return CR_INVALID_FLAG;
    const char *path = client_devinst_path(dnDevInst);
    if (!path)
        return CR_INVALID_DEVNODE;
    size_t len = strlen(path);
    memcpy(Buffer, path, len < BufferLen ? len + 1 : BufferLen);
    return len > BufferLen ? CR_BUFFER_SMALL : CR_SUCCESS;
}

/* CM_Get_Device_IDA in UTF-16. */
KMH_EXPORT CONFIGRET WINAPI CM_Get_Device_IDW(DEVINST dnDevInst, PWSTR Buffer, ULONG BufferLen, ULONG ulFlags)
{
    bool oom = false;

    if (!Buffer)
        return CR_INVALID_POINTER;
    if (ulFlags)
        return CR_INVALID_FLAG;
    const char *path = client_devinst_path(dnDevInst);
    if (!path)
        return CR_INVALID_DEVNODE;
    WCHAR *w = client_wide_from_utf8(path, &oom);
    if (!w)
        return CR_OUT_OF_MEMORY;
    size_t len = client_wcslen(w);
    memcpy(Buffer, w, (len < BufferLen ? len + 1 : BufferLen) * sizeof(WCHAR));
    free(w);
    return len > BufferLen ? CR_BUFFER_SMALL : CR_SUCCESS;
}

/* The Win32 error a CONFIGRET stands for, DefaultErr for those without one. */
KMH_EXPORT DWORD WINAPI CM_MapCrToWin32Err(CONFIGRET CmReturnCode, DWORD DefaultErr)
{
    switch (CmReturnCode) {
    case CR_SUCCESS:
        return ERROR_SUCCESS;
    case CR_OUT_OF_MEMORY:
        return ERROR_NOT_ENOUGH_MEMORY;
    case CR_INVALID_POINTER:
        return ERROR_INVALID_USER_BUFFER;
    case CR_INVALID_FLAG:
        return ERROR_INVALID_FLAGS;
    case CR_INVALID_DEVNODE:
    case CR_INVALID_DEVICE_ID:
    case CR_INVALID_MACHINENAME:
    case CR_INVALID_PROPERTY:
    case CR_INVALID_REFERENCE_STRING:
        return ERROR_INVALID_DATA;
    case CR_NO_SUCH_DEVNODE:
    case CR_NO_SUCH_VALUE:
    case CR_NO_SUCH_REGISTRY_KEY:
    case CR_NO_SUCH_DEVICE_INTERFACE:
        return ERROR_NOT_FOUND;
    case CR_ALREADY_SUCH_DEVNODE:
        return ERROR_ALREADY_EXISTS;
    case CR_BUFFER_SMALL:
        return ERROR_INSUFFICIENT_BUFFER;
    case CR_NO_REGISTRY_HANDLE:
        return ERROR_INVALID_HANDLE;
    case CR_REGISTRY_ERROR:
        return ERROR_REGISTRY_CORRUPT;
    case CR_CALL_NOT_IMPLEMENTED:
        return ERROR_CALL_NOT_IMPLEMENTED;
    case CR_ACCESS_DENIED:
        return ERROR_ACCESS_DENIED;
    case CR_INVALID_DATA:
        return ERROR_INVALID_PARAMETER;
    default:
        return DefaultErr;
    }
}
