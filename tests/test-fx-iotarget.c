/*
 * WDFIOTARGET and sending requests (src/fx/iotarget*.c, request_send.c):
 * a remote target opened on a WDM device the test plays (it completes,
 * echoes, or holds what it gets), synchronous sends with each kind of
 * memory descriptor, asynchronous sends with completion routines,
 * timeouts that expire, cancelling a sent request, the target's states,
 * opening by name, and the query-remove dance without driver callbacks.
 */
#include "fx-io-harness.h"
static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return fx_test_bind(L"fxtarget") || ioh_lower_new() ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    ioh_lower_delete();
    return ioh_reports() ? -1 : 0;
}

static WDFIOTARGET open_lower(WDFDEVICE device)
{
    WDF_IO_TARGET_OPEN_PARAMS params;
    WDFIOTARGET target;

    assert_int_equal(WdfIoTargetCreate(device, WDF_NO_OBJECT_ATTRIBUTES, &target), STATUS_SUCCESS);
    assert_int_equal(WdfIoTargetGetState(target), WdfIoTargetClosed);
    WDF_IO_TARGET_OPEN_PARAMS_INIT_EXISTING_DEVICE(&params, ioh_lower);
    assert_int_equal(WdfIoTargetOpen(target, &params), STATUS_SUCCESS);
    assert_int_equal(WdfIoTargetGetState(target), WdfIoTargetStarted);
    return target;
}

static void opening_an_existing_device(void **state)
{
    WDF_IO_TARGET_OPEN_PARAMS params;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_lower(device);
    assert_ptr_equal(WdfIoTargetWdmGetTargetDeviceObject(target), ioh_lower);
    assert_ptr_equal(WdfIoTargetWdmGetTargetPhysicalDevice(target), ioh_lower);
    assert_ptr_equal(WdfIoTargetGetDevice(target), device);
    WDF_IO_TARGET_OPEN_PARAMS_INIT_EXISTING_DEVICE(&params, ioh_lower);
    assert_int_equal(WdfIoTargetOpen(target, &params), STATUS_INVALID_DEVICE_STATE); /* open already */
    WdfIoTargetClose(target);
    assert_int_equal(WdfIoTargetGetState(target), WdfIoTargetClosed);
    WdfObjectDelete(target);
    fx_test_device_delete(device);
}

static void synchronous_ioctl_with_each_descriptor(void **state)
{
    WDF_MEMORY_DESCRIPTOR in, out;
    WDFMEMORY memory;
    char reply[8] = { 0 };
    void *buffer;
    ULONG_PTR bytes;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_lower(device);
    WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(&in, "hello", 6);
    WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(&out, reply, sizeof(reply));
    assert_int_equal(WdfIoTargetSendIoctlSynchronously(target, NULL, IOCTL_IOH_ECHO, &in, &out, NULL, &bytes),
                     STATUS_SUCCESS);
    assert_int_equal(bytes, 6);
    assert_string_equal(reply, "hello");
    /* A memory object with a window into it, and an MDL for direct output. */
    assert_int_equal(WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0, 16, &memory, &buffer),
                     STATUS_SUCCESS);
    memcpy((char *)buffer + 4, "memo", 4);
    WDFMEMORY_OFFSET window = { .BufferOffset = 4, .BufferLength = 4 };
    WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(&in, memory, &window);
    PMDL mdl = IoAllocateMdl(reply, sizeof(reply), FALSE, FALSE, NULL);
    MmBuildMdlForNonPagedPool(mdl);
    WDF_MEMORY_DESCRIPTOR_INIT_MDL(&out, mdl, sizeof(reply));
    assert_int_equal(WdfIoTargetSendIoctlSynchronously(target, NULL, IOCTL_IOH_ECHO_DIRECT, &in, &out, NULL, &bytes),
                     STATUS_SUCCESS);
    assert_int_equal(bytes, 4);
    assert_memory_equal(reply, "memo", 4);
    IoFreeMdl(mdl);
    WdfObjectDelete(memory);
    fx_test_device_delete(device);
}

static void synchronous_read_and_write(void **state)
{
    WDF_MEMORY_DESCRIPTOR desc;
    char buffer[12] = { 0 };
    LONGLONG offset = 64;
    ULONG_PTR bytes;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_lower(device);
    WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(&desc, buffer, sizeof(buffer));
    assert_int_equal(WdfIoTargetSendReadSynchronously(target, NULL, &desc, &offset, NULL, &bytes), STATUS_SUCCESS);
    assert_int_equal(bytes, 12);
    assert_int_equal(buffer[11], 'r');
    assert_int_equal(WdfIoTargetSendWriteSynchronously(target, NULL, &desc, NULL, NULL, &bytes), STATUS_SUCCESS);
    assert_int_equal(bytes, 12);
    assert_int_equal(ioh_lower_calls, 2);
    fx_test_device_delete(device);
}

static struct {
    LONG calls;
    WDF_REQUEST_COMPLETION_PARAMS params;
    WDFIOTARGET target;
    NTSTATUS status;
} done;

static void on_done(WDFREQUEST request, WDFIOTARGET target, PWDF_REQUEST_COMPLETION_PARAMS params, WDFCONTEXT ctx)
{
    assert_ptr_equal(ctx, &done);
    done.params = *params;
    done.target = target;
    done.status = WdfRequestGetStatus(request);
    InterlockedIncrement(&done.calls);
}

static WDFREQUEST ioctl_request(WDFIOTARGET target, ULONG code, WDFMEMORY in, WDFMEMORY out)
{
    WDFREQUEST request;
    assert_int_equal(WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, &request), STATUS_SUCCESS);
    assert_int_equal(WdfIoTargetFormatRequestForIoctl(target, request, code, in, NULL, out, NULL), STATUS_SUCCESS);
    WdfRequestSetCompletionRoutine(request, on_done, &done);
    return request;
}

static void asynchronous_send_reports_to_the_completion_routine(void **state)
{
    WDFMEMORY in, out;
    void *out_buffer;

    (void)state;
    memset(&done, 0, sizeof(done));
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_lower(device);
    assert_int_equal(WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, "ping", 4, &in), STATUS_SUCCESS);
    assert_int_equal(WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0, 8, &out, &out_buffer),
                     STATUS_SUCCESS);
    WDFREQUEST request = ioctl_request(target, IOCTL_IOH_ECHO, in, out);
    assert_true(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
    assert_int_equal(done.calls, 1);
    assert_ptr_equal(done.target, target);
    assert_int_equal(done.status, STATUS_SUCCESS);
    assert_int_equal(done.params.Type, WdfRequestTypeDeviceControl);
    assert_int_equal(done.params.Parameters.Ioctl.IoControlCode, IOCTL_IOH_ECHO);
    assert_ptr_equal(done.params.Parameters.Ioctl.Output.Buffer, out);
    assert_int_equal(done.params.Parameters.Ioctl.Output.Length, 4);
    assert_memory_equal(out_buffer, "ping", 4); /* copied back through the bounce buffer */
    /* Reused, the request goes again. */
    WDF_REQUEST_REUSE_PARAMS reuse;
    WDF_REQUEST_REUSE_PARAMS_INIT(&reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
    assert_int_equal(WdfRequestReuse(request, &reuse), STATUS_SUCCESS);
    assert_int_equal(WdfIoTargetFormatRequestForIoctl(target, request, IOCTL_IOH_ECHO, in, NULL, out, NULL),
                     STATUS_SUCCESS);
    WdfRequestSetCompletionRoutine(request, on_done, &done);
    assert_true(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
    assert_int_equal(done.calls, 2);
    WdfObjectDelete(request);
    WdfObjectDelete(in);
    WdfObjectDelete(out);
    fx_test_device_delete(device);
}

static void a_timeout_cancels_the_sent_request(void **state)
{
    WDF_REQUEST_SEND_OPTIONS options;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_lower(device);
    WDF_REQUEST_SEND_OPTIONS_INIT(&options, 0);
    WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(&options, WDF_REL_TIMEOUT_IN_MS(20));
    assert_int_equal(WdfIoTargetSendIoctlSynchronously(target, NULL, IOCTL_IOH_PEND, NULL, NULL, &options, NULL),
                     STATUS_IO_TIMEOUT);
    assert_int_equal(ioh_lower_cancels, 1);
    fx_test_device_delete(device);
}

static void cancelling_a_sent_request(void **state)
{
    (void)state;
    memset(&done, 0, sizeof(done));
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_lower(device);
    WDFREQUEST request = ioctl_request(target, IOCTL_IOH_PEND, NULL, NULL);
    assert_true(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
    assert_int_equal(done.calls, 0);
    assert_non_null(ioh_pended);
    assert_true(WdfRequestCancelSentRequest(request));
    assert_int_equal(done.calls, 1);
    assert_int_equal(done.params.IoStatus.Status, STATUS_CANCELLED);
    assert_false(WdfRequestCancelSentRequest(request)); /* not at the target any more */
    WdfObjectDelete(request);
    fx_test_device_delete(device);
}

static void a_stopped_target_holds_requests_and_a_closed_one_refuses(void **state)
{
    (void)state;
    memset(&done, 0, sizeof(done));
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_lower(device);
    WdfIoTargetStop(target, WdfIoTargetLeaveSentIoPending);
    assert_int_equal(WdfIoTargetGetState(target), WdfIoTargetStopped);
    WDFREQUEST request = ioctl_request(target, IOCTL_IOH_ECHO, NULL, NULL);
    assert_true(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
    assert_int_equal(ioh_lower_calls, 0);
    assert_int_equal(WdfIoTargetStart(target), STATUS_SUCCESS);
    assert_int_equal(ioh_lower_calls, 1);
    assert_int_equal(done.calls, 1);
    WdfIoTargetClose(target);
    WDF_REQUEST_REUSE_PARAMS reuse;
    WDF_REQUEST_REUSE_PARAMS_INIT(&reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
    WdfRequestReuse(request, &reuse);
    WdfRequestWdmFormatUsingStackLocation(request, &(IO_STACK_LOCATION){ .MajorFunction = IRP_MJ_FLUSH_BUFFERS });
    assert_false(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
    assert_int_equal(WdfRequestGetStatus(request), STATUS_INVALID_DEVICE_STATE);
    WdfObjectDelete(request);
    fx_test_device_delete(device);
}

static void stop_with_cancel_cancels_what_was_sent(void **state)
{
    (void)state;
    memset(&done, 0, sizeof(done));
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_lower(device);
    WDFREQUEST request = ioctl_request(target, IOCTL_IOH_PEND, NULL, NULL);
    assert_true(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
    WdfIoTargetStop(target, WdfIoTargetCancelSentIo);
    assert_int_equal(done.calls, 1);
    assert_int_equal(done.status, STATUS_CANCELLED);
    WdfObjectDelete(request);
    fx_test_device_delete(device);
}

static WDFIOTARGET open_by_name(WDFDEVICE device)
{
    DECLARE_CONST_UNICODE_STRING(name, L"\\Device\\FxLower");
    WDF_IO_TARGET_OPEN_PARAMS params;
    WDFIOTARGET target;

    assert_int_equal(WdfIoTargetCreate(device, WDF_NO_OBJECT_ATTRIBUTES, &target), STATUS_SUCCESS);
    WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(&params, &name, GENERIC_READ | GENERIC_WRITE);
    assert_int_equal(WdfIoTargetOpen(target, &params), STATUS_SUCCESS);
    assert_int_equal(params.FileInformation, FILE_OPENED);
    return target;
}

static void opening_by_name_and_the_query_remove_defaults(void **state)
{
    WDF_MEMORY_DESCRIPTOR in;
    ULONG_PTR bytes;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_by_name(device);
    assert_non_null(WdfIoTargetWdmGetTargetFileObject(target));
    assert_non_null(WdfIoTargetWdmGetTargetFileHandle(target));
    WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(&in, "x", 1);
    assert_int_equal(WdfIoTargetSendIoctlSynchronously(target, NULL, IOCTL_IOH_ECHO, &in, NULL, NULL, &bytes),
                     STATUS_SUCCESS);
    /* Without callbacks: closed for the query, reopened when it is cancelled. */
    assert_int_equal(pnp_notify_target_device(&ioh_lower_node, PNP_TARGET_QUERY_REMOVE), STATUS_SUCCESS);
    assert_int_equal(WdfIoTargetGetState(target), WdfIoTargetClosedForQueryRemove);
    assert_null(WdfIoTargetWdmGetTargetFileHandle(target));
    pnp_notify_target_device(&ioh_lower_node, PNP_TARGET_REMOVE_CANCELLED);
    assert_int_equal(WdfIoTargetGetState(target), WdfIoTargetStarted);
    assert_int_equal(WdfIoTargetSendIoctlSynchronously(target, NULL, IOCTL_IOH_ECHO, &in, NULL, NULL, &bytes),
                     STATUS_SUCCESS);
    /* ... and closed for good when the device goes. */
    pnp_notify_target_device(&ioh_lower_node, PNP_TARGET_QUERY_REMOVE);
    pnp_notify_target_device(&ioh_lower_node, PNP_TARGET_REMOVE_COMPLETE);
    assert_int_equal(WdfIoTargetGetState(target), WdfIoTargetClosed);
    fx_test_device_delete(device);
}

static void querying_the_target_for_an_interface(void **state)
{
    static const GUID unknown = { 1, 2, 3, { 4, 5, 6, 7, 8, 9, 10, 11 } };
    INTERFACE answer = { 0 };

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFIOTARGET target = open_lower(device);
    assert_int_equal(WdfIoTargetQueryForInterface(target, &ioh_interface_guid, &answer, sizeof(answer), 1, NULL),
                     STATUS_SUCCESS);
    assert_int_equal(answer.Size, sizeof(answer));
    assert_ptr_equal(answer.Context, ioh_lower);
    assert_int_equal(WdfIoTargetQueryForInterface(target, &unknown, &answer, sizeof(answer), 1, NULL),
                     STATUS_NOT_SUPPORTED);
    fx_test_device_delete(device);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(opening_an_existing_device, setup, teardown),
        cmocka_unit_test_setup_teardown(synchronous_ioctl_with_each_descriptor, setup, teardown),
        cmocka_unit_test_setup_teardown(synchronous_read_and_write, setup, teardown),
        cmocka_unit_test_setup_teardown(asynchronous_send_reports_to_the_completion_routine, setup, teardown),
        cmocka_unit_test_setup_teardown(a_timeout_cancels_the_sent_request, setup, teardown),
        cmocka_unit_test_setup_teardown(cancelling_a_sent_request, setup, teardown),
        cmocka_unit_test_setup_teardown(a_stopped_target_holds_requests_and_a_closed_one_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(stop_with_cancel_cancels_what_was_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(opening_by_name_and_the_query_remove_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(querying_the_target_for_an_interface, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
