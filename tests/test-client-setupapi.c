/*
 * Device discovery through the client (src/client/setupapi*.c, cfgmgr.c,
 * devinst.c): a root-enumerated PnP test driver (kmhcpnp) installed from
 * its INF registers a device interface; SetupDi and CM find the device and
 * the interface with Windows' buffer rules, and the path they return opens
 * the device.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "client/client.h"
#include "nt/registry.h"
#include "pnp/install.h"
#include "test-support.h"
#include <initguid.h>
#include "drivers/kmhcpnp/kmhcpnp.h"
#include "drivers/kmhct/kmhct.h"

#define INSTANCE "ROOT\\KmhClientPnp\\0000"
#define PATH_PREFIX "\\\\?\\ROOT#KmhClientPnp#0000#"
#define PRESENT_INTERFACES (DIGCF_PRESENT | DIGCF_DEVICEINTERFACE)

static char *root;

/* Installs the INF and records the device; the client's first call builds it. */
static int setup(void **state)
{
    char message[PNP_MESSAGE_MAX], instance[PNP_ID_MAX];

    (void)state;
    root = kmh_test_tmpdir();
    assert_int_equal(nt_set_root_dir(root), 0);
    assert_int_equal(nt_registry_open(NULL, message, sizeof(message)), 0);
    int err = pnp_inf_install(KMH_TEST_DRIVER_DIR "/" KMHCPNP_INF, NULL, message, sizeof(message));
    if (err)
        fail_msg("pnp_inf_install: %s", message);
    err = pnp_root_device_add(KMHCPNP_HARDWARE_ID, instance, sizeof(instance), message, sizeof(message));
    if (err)
        fail_msg("pnp_root_device_add: %s", message);
    assert_string_equal(instance, INSTANCE);
    nt_registry_close();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    client_runtime_reset();
    kmh_test_rmtree(root);
    free(root);
    return 0;
}

static HDEVINFO interfaces(void)
{
    HDEVINFO set = SetupDiGetClassDevsA(&GUID_DEVINTERFACE_KMHCPNP, NULL, NULL, PRESENT_INTERFACES);
    assert_ptr_not_equal(set, INVALID_HANDLE_VALUE);
    return set;
}

static void interface_enumerates_once(void **state)
{
    SP_DEVICE_INTERFACE_DATA data = { .cbSize = sizeof(data) };

    (void)state;
    HDEVINFO set = interfaces();
    assert_true(SetupDiEnumDeviceInterfaces(set, NULL, &GUID_DEVINTERFACE_KMHCPNP, 0, &data));
    assert_true(IsEqualGUID(&data.InterfaceClassGuid, &GUID_DEVINTERFACE_KMHCPNP));
    assert_int_equal(data.Flags & SPINT_ACTIVE, SPINT_ACTIVE);
    assert_false(SetupDiEnumDeviceInterfaces(set, NULL, &GUID_DEVINTERFACE_KMHCPNP, 1, &data));
    assert_int_equal(GetLastError(), ERROR_NO_MORE_ITEMS);
    data.cbSize = sizeof(data) + 1;
    assert_false(SetupDiEnumDeviceInterfaces(set, NULL, &GUID_DEVINTERFACE_KMHCPNP, 0, &data));
    assert_int_equal(GetLastError(), ERROR_INVALID_USER_BUFFER);
    assert_true(SetupDiDestroyDeviceInfoList(set));
    assert_false(SetupDiDestroyDeviceInfoList(set));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void detail_two_call_pattern(void **state)
{
    SP_DEVICE_INTERFACE_DATA data = { .cbSize = sizeof(data) };
    SP_DEVINFO_DATA info = { .cbSize = sizeof(info) };
    DWORD required = 0, again = 0;
    char instance[64];

    (void)state;
    HDEVINFO set = interfaces();
    assert_true(SetupDiEnumDeviceInterfaces(set, NULL, &GUID_DEVINTERFACE_KMHCPNP, 0, &data));
    assert_false(SetupDiGetDeviceInterfaceDetailA(set, &data, NULL, 0, &required, NULL));
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    assert_int_equal(required, offsetof(SP_DEVICE_INTERFACE_DETAIL_DATA_A, DevicePath) + strlen(PATH_PREFIX) + 38 + 1);
    PSP_DEVICE_INTERFACE_DETAIL_DATA_A detail = malloc(required);
    detail->cbSize = sizeof(*detail) + 1;
    assert_false(SetupDiGetDeviceInterfaceDetailA(set, &data, detail, required, &again, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_USER_BUFFER);
    detail->cbSize = sizeof(*detail);
    assert_int_equal(detail->cbSize, 8);
    assert_false(SetupDiGetDeviceInterfaceDetailA(set, &data, detail, required - 1, &again, NULL));
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    assert_true(SetupDiGetDeviceInterfaceDetailA(set, &data, detail, required, &again, &info));
    assert_int_equal(again, required);
    assert_int_equal(strncasecmp(detail->DevicePath, PATH_PREFIX, strlen(PATH_PREFIX)), 0);
    assert_true(SetupDiGetDeviceInstanceIdA(set, &info, instance, sizeof(instance), NULL));
    assert_string_equal(instance, INSTANCE);
    free(detail);
    SetupDiDestroyDeviceInfoList(set);
}

static void wide_detail_opens_the_device(void **state)
{
    SP_DEVICE_INTERFACE_DATA data = { .cbSize = sizeof(data) };
    DWORD required = 0, bytes = 0;
    char in[8] = "pnp", out[8] = { 0 };

    (void)state;
    HDEVINFO set = SetupDiGetClassDevsW(&GUID_DEVINTERFACE_KMHCPNP, NULL, NULL, PRESENT_INTERFACES);
    assert_true(SetupDiEnumDeviceInterfaces(set, NULL, &GUID_DEVINTERFACE_KMHCPNP, 0, &data));
    SetupDiGetDeviceInterfaceDetailW(set, &data, NULL, 0, &required, NULL);
    assert_int_equal(required, offsetof(SP_DEVICE_INTERFACE_DETAIL_DATA_W, DevicePath) +
                                   (strlen(PATH_PREFIX) + 38 + 1) * sizeof(WCHAR));
    PSP_DEVICE_INTERFACE_DETAIL_DATA_W detail = malloc(required);
    detail->cbSize = sizeof(SP_DEVICE_INTERFACE_DETAIL_DATA_W); /* 8 on x64, as Windows checks */
    assert_true(SetupDiGetDeviceInterfaceDetailW(set, &data, detail, required, NULL, NULL));
    HANDLE device = CreateFileW(detail->DevicePath, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    assert_ptr_not_equal(device, INVALID_HANDLE_VALUE);
    assert_true(DeviceIoControl(device, IOCTL_KMHCT_ECHO, in, sizeof(in), out, sizeof(out), &bytes, NULL));
    assert_string_equal(out, "pnp");
    CloseHandle(device);
    free(detail);
    SetupDiDestroyDeviceInfoList(set);
}

static void class_devices_and_their_properties(void **state)
{
    SP_DEVINFO_DATA info = { .cbSize = sizeof(info) };
    char text[256];
    DWORD type = 0, required = 0;

    (void)state;
    HDEVINFO set = SetupDiGetClassDevsA(&GUID_DEVCLASS_KMHCPNP, NULL, NULL, DIGCF_PRESENT);
    assert_true(SetupDiEnumDeviceInfo(set, 0, &info));
    assert_true(IsEqualGUID(&info.ClassGuid, &GUID_DEVCLASS_KMHCPNP));
    assert_false(SetupDiEnumDeviceInfo(set, 1, &info));
    assert_int_equal(GetLastError(), ERROR_NO_MORE_ITEMS);
    assert_true(SetupDiGetDeviceRegistryPropertyA(set, &info, SPDRP_DEVICEDESC, &type, (PBYTE)text, sizeof(text), NULL));
    assert_int_equal(type, REG_SZ);
    assert_string_equal(text, KMHCPNP_DESCRIPTION);
    assert_true(SetupDiGetDeviceRegistryPropertyA(set, &info, SPDRP_MFG, NULL, (PBYTE)text, sizeof(text), NULL));
    assert_string_equal(text, KMHCPNP_MFG);
    assert_true(SetupDiGetDeviceRegistryPropertyA(set, &info, SPDRP_SERVICE, NULL, (PBYTE)text, sizeof(text), NULL));
    assert_string_equal(text, "kmhcpnp");
    assert_true(SetupDiGetDeviceRegistryPropertyA(set, &info, SPDRP_HARDWAREID, &type, (PBYTE)text, sizeof(text), &required));
    assert_int_equal(type, REG_MULTI_SZ);
    assert_int_equal(required, strlen(KMHCPNP_HARDWARE_ID) + 2);
    assert_string_equal(text, KMHCPNP_HARDWARE_ID);
    assert_int_equal(text[required - 1], 0);
    assert_true(SetupDiGetDeviceRegistryPropertyA(set, &info, SPDRP_ENUMERATOR_NAME, NULL, (PBYTE)text, sizeof(text), NULL));
    assert_string_equal(text, "ROOT");
    SetupDiDestroyDeviceInfoList(set);
}

static void property_errors(void **state)
{
    SP_DEVINFO_DATA info = { .cbSize = sizeof(info) };
    WCHAR text[4];
    DWORD type = 0, required = 0;

    (void)state;
    HDEVINFO set = SetupDiGetClassDevsW(&GUID_DEVCLASS_KMHCPNP, NULL, NULL, DIGCF_PRESENT);
    assert_true(SetupDiEnumDeviceInfo(set, 0, &info));
    assert_false(SetupDiGetDeviceRegistryPropertyW(set, &info, SPDRP_FRIENDLYNAME, &type, (PBYTE)text, sizeof(text), NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_DATA);
    assert_false(SetupDiGetDeviceRegistryPropertyW(set, &info, SPDRP_DEVICEDESC, &type, (PBYTE)text, sizeof(text), &required));
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    assert_int_equal(type, REG_SZ);
    assert_int_equal(required, (strlen(KMHCPNP_DESCRIPTION) + 1) * sizeof(WCHAR));
    assert_false(SetupDiGetDeviceRegistryPropertyW(set, &info, SPDRP_UNUSED0, NULL, NULL, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_REG_PROPERTY);
    assert_false(SetupDiGetDeviceInstanceIdW(set, &info, text, 4, &required));
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    assert_int_equal(required, strlen(INSTANCE) + 1);
    info.cbSize = 4;
    assert_false(SetupDiGetDeviceInstanceIdW(set, &info, text, 4, &required));
    assert_int_equal(GetLastError(), ERROR_INVALID_USER_BUFFER);
    SetupDiDestroyDeviceInfoList(set);
}

static void set_filters(void **state)
{
    SP_DEVINFO_DATA info = { .cbSize = sizeof(info) };
    SP_DEVICE_INTERFACE_DATA data = { .cbSize = sizeof(data) };

    (void)state;
    assert_ptr_equal(SetupDiGetClassDevsA(NULL, NULL, NULL, DIGCF_PRESENT), INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    HDEVINFO none = SetupDiGetClassDevsA(&GUID_DEVCLASS_KMHCPNP, "PCI", NULL, DIGCF_PRESENT);
    assert_false(SetupDiEnumDeviceInfo(none, 0, &info));
    assert_int_equal(GetLastError(), ERROR_NO_MORE_ITEMS);
    SetupDiDestroyDeviceInfoList(none);
    /* Every class, ROOT only: our device is there, and a device set finds its interfaces. */
    HDEVINFO all = SetupDiGetClassDevsA(NULL, "ROOT", NULL, DIGCF_ALLCLASSES);
    bool found = false;
    for (DWORD i = 0; SetupDiEnumDeviceInfo(all, i, &info); i++)
        if (IsEqualGUID(&info.ClassGuid, &GUID_DEVCLASS_KMHCPNP)) {
            found = true;
            assert_true(SetupDiEnumDeviceInterfaces(all, &info, &GUID_DEVINTERFACE_KMHCPNP, 0, &data));
        }
    assert_true(found);
    SetupDiDestroyDeviceInfoList(all);
    HDEVINFO one = SetupDiGetClassDevsA(&GUID_DEVINTERFACE_KMHCPNP, INSTANCE, NULL, PRESENT_INTERFACES);
    assert_true(SetupDiEnumDeviceInterfaces(one, NULL, &GUID_DEVINTERFACE_KMHCPNP, 0, &data));
    SetupDiDestroyDeviceInfoList(one);
}

static void cm_interface_list(void **state)
{
    ULONG len = 0;
    char list[512];
    WCHAR wlist[512];

    (void)state;
    assert_int_equal(CM_Get_Device_Interface_List_SizeA(&len, (LPGUID)&GUID_DEVINTERFACE_KMHCPNP, NULL,
                                                        CM_GET_DEVICE_INTERFACE_LIST_PRESENT), CR_SUCCESS);
    assert_int_equal(len, strlen(PATH_PREFIX) + 38 + 2);
    assert_int_equal(CM_Get_Device_Interface_ListA((LPGUID)&GUID_DEVINTERFACE_KMHCPNP, NULL, list, len - 1,
                                                   CM_GET_DEVICE_INTERFACE_LIST_PRESENT), CR_BUFFER_SMALL);
    assert_int_equal(CM_Get_Device_Interface_ListA((LPGUID)&GUID_DEVINTERFACE_KMHCPNP, NULL, list, len,
                                                   CM_GET_DEVICE_INTERFACE_LIST_PRESENT), CR_SUCCESS);
    assert_int_equal(strncasecmp(list, PATH_PREFIX, strlen(PATH_PREFIX)), 0);
    assert_int_equal(list[len - 1], 0);
    assert_int_equal(list[len - 2], 0);
    assert_int_equal(CM_Get_Device_Interface_ListW((LPGUID)&GUID_DEVINTERFACE_KMHCPNP, (DEVINSTID_W)L"" INSTANCE,
                                                   wlist, 512, CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES), CR_SUCCESS);
    assert_int_equal(wlist[0], L'\\');
    assert_int_equal(CM_Get_Device_Interface_List_SizeA(&len, (LPGUID)&GUID_DEVCLASS_KMHCPNP, NULL, 0), CR_SUCCESS);
    assert_int_equal(len, 1); /* no interfaces of that class: an empty list */
    assert_int_equal(CM_Get_Device_Interface_List_SizeA(&len, (LPGUID)&GUID_DEVINTERFACE_KMHCPNP, NULL, 2),
                     CR_INVALID_FLAG);
    assert_int_equal(CM_Get_Device_Interface_List_SizeA(&len, NULL, NULL, 0), CR_INVALID_POINTER);
    assert_int_equal(CM_Get_Device_Interface_List_SizeA(&len, (LPGUID)&GUID_DEVINTERFACE_KMHCPNP,
                                                        "ROOT\\Nothing\\0000", 0), CR_INVALID_DEVICE_ID);
}

static void cm_devnodes(void **state)
{
    DEVINST devinst = 0, root_node = 0;
    ULONG status = 0, problem = 99, len = 0;
    char id[MAX_DEVICE_ID_LEN];

    (void)state;
    assert_int_equal(CM_Locate_DevNodeA(&devinst, INSTANCE, CM_LOCATE_DEVNODE_NORMAL), CR_SUCCESS);
    assert_int_equal(CM_Get_DevNode_Status(&status, &problem, devinst, 0), CR_SUCCESS);
    assert_int_equal(status & (DN_STARTED | DN_DRIVER_LOADED | DN_ROOT_ENUMERATED),
                     DN_STARTED | DN_DRIVER_LOADED | DN_ROOT_ENUMERATED);
    assert_int_equal(status & DN_HAS_PROBLEM, 0);
    assert_int_equal(problem, 0);
    assert_int_equal(CM_Get_Device_ID_Size(&len, devinst, 0), CR_SUCCESS);
    assert_int_equal(len, strlen(INSTANCE));
    assert_int_equal(CM_Get_Device_IDA(devinst, id, sizeof(id), 0), CR_SUCCESS);
    assert_string_equal(id, INSTANCE);
    assert_int_equal(CM_Get_Device_IDA(devinst, id, 4, 0), CR_BUFFER_SMALL);
    assert_int_equal(CM_Locate_DevNodeA(&devinst, "ROOT\\Nothing\\0000", 0), CR_NO_SUCH_DEVNODE);
    assert_int_equal(CM_Locate_DevNodeW(&root_node, NULL, 0), CR_SUCCESS);
    assert_int_equal(CM_Get_Device_IDA(root_node, id, sizeof(id), 0), CR_SUCCESS);
    assert_string_equal(id, "HTREE\\ROOT\\0");
    assert_int_equal(CM_Get_DevNode_Status(&status, &problem, 0xffff, 0), CR_INVALID_DEVNODE);
    assert_int_equal(CM_MapCrToWin32Err(CR_BUFFER_SMALL, ERROR_GEN_FAILURE), ERROR_INSUFFICIENT_BUFFER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(interface_enumerates_once, setup, teardown),
        cmocka_unit_test_setup_teardown(detail_two_call_pattern, setup, teardown),
        cmocka_unit_test_setup_teardown(wide_detail_opens_the_device, setup, teardown),
        cmocka_unit_test_setup_teardown(class_devices_and_their_properties, setup, teardown),
        cmocka_unit_test_setup_teardown(property_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(set_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(cm_interface_list, setup, teardown),
        cmocka_unit_test_setup_teardown(cm_devnodes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
