/*
 * WDFREQUEST (src/fx/request*.c): the parameters a request reports, its
 * buffers for each transfer type (buffered, direct, neither; read, write,
 * IOCTL), the memory objects and MDLs the framework makes for them, the
 * requester's buffers in EvtIoInCallerContext, and the completion rules —
 * completing twice, or through a stale handle, is reported, not a crash.
 */
#include "fx-io-harness.h"

#define IOCTL_BUFFERED CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_OUT_DIRECT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_OUT_DIRECT, FILE_ANY_ACCESS)
#define IOCTL_NEITHER CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_NEITHER, FILE_ANY_ACCESS)

/* The test's look inside the handler, then how the request completes. */
static void (*probe)(WDFREQUEST request);
static NTSTATUS complete_with;
static ULONG_PTR complete_info;
static WDFREQUEST last;

static int setup(void **state)
{
    (void)state;
    probe = NULL;
    complete_with = STATUS_SUCCESS;
    complete_info = 0;
    vf_reset_counts();
    return fx_test_bind(L"fxrequest");
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    return ioh_reports() ? -1 : 0;
}

static void on_default(WDFQUEUE queue, WDFREQUEST request)
{
    (void)queue;
    last = request;
    if (probe)
        probe(request);
    WdfRequestCompleteWithInformation(request, complete_with, complete_info);
}

static WDFDEVICE device_with_queue(ULONG wdm_flags)
{
    WDF_IO_QUEUE_CONFIG config;
    WDFDEVICE device = ioh_device();
    if (wdm_flags)
        ioh_wdm(device)->Flags = (ioh_wdm(device)->Flags & ~(DO_BUFFERED_IO | DO_DIRECT_IO)) | wdm_flags;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchParallel);
    config.EvtIoDefault = on_default;
    ioh_queue(device, &config);
    return device;
}

static WDF_REQUEST_PARAMETERS params;

static void get_params(WDFREQUEST request)
{
    WDF_REQUEST_PARAMETERS_INIT(&params);
    WdfRequestGetParameters(request, &params);
}

static void parameters_come_from_the_stack_location(void **state)
{
    char in[3], out[5];
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(DO_BUFFERED_IO);
    probe = get_params;
    ioh_ioctl(&io, device, IOCTL_BUFFERED, in, sizeof(in), out, sizeof(out));
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(params.Type, WdfRequestTypeDeviceControl);
    assert_int_equal(params.Parameters.DeviceIoControl.IoControlCode, IOCTL_BUFFERED);
    assert_int_equal(params.Parameters.DeviceIoControl.InputBufferLength, 3);
    assert_int_equal(params.Parameters.DeviceIoControl.OutputBufferLength, 5);
    ioh_rw(&io, device, IRP_MJ_READ, out, sizeof(out));
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(params.Type, WdfRequestTypeRead);
    assert_int_equal(params.Parameters.Read.Length, 5);
    assert_int_equal(params.Parameters.Read.DeviceOffset, 0);
    fx_test_device_delete(device);
}

static struct {
    NTSTATUS in, out, in_min, out_min;
    void *in_buffer, *out_buffer;
    size_t in_length, out_length;
    PMDL in_mdl, out_mdl;
    NTSTATUS in_mdl_status, out_mdl_status;
    ULONG out_mdl_bytes;                 /* read while the MDL lives */
    void *out_mdl_va;
} got;

static void get_buffers(WDFREQUEST request)
{
    memset(&got, 0, sizeof(got));
    got.in = WdfRequestRetrieveInputBuffer(request, 1, &got.in_buffer, &got.in_length);
    got.out = WdfRequestRetrieveOutputBuffer(request, 1, &got.out_buffer, &got.out_length);
    got.in_min = WdfRequestRetrieveInputBuffer(request, 1000, &got.in_buffer, NULL);
    got.out_min = WdfRequestRetrieveOutputBuffer(request, 1000, &got.out_buffer, NULL);
    got.out = got.out ? got.out : WdfRequestRetrieveOutputBuffer(request, 0, &got.out_buffer, &got.out_length);
    got.in = got.in ? got.in : WdfRequestRetrieveInputBuffer(request, 0, &got.in_buffer, &got.in_length);
    got.in_mdl_status = WdfRequestRetrieveInputWdmMdl(request, &got.in_mdl);
    got.out_mdl_status = WdfRequestRetrieveOutputWdmMdl(request, &got.out_mdl);
    if (NT_SUCCESS(got.out_mdl_status)) {
        got.out_mdl_bytes = MmGetMdlByteCount(got.out_mdl);
        got.out_mdl_va = MmGetMdlVirtualAddress(got.out_mdl);
    }
    if (NT_SUCCESS(got.out) && got.out_length >= 4)
        memcpy(got.out_buffer, "done", 4);
}

static void buffered_ioctl_shares_one_system_buffer(void **state)
{
    char in[4] = "abc", out[8] = { 0 };
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(0);
    probe = get_buffers;
    complete_info = 4;
    ioh_ioctl(&io, device, IOCTL_BUFFERED, in, sizeof(in), out, sizeof(out));
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(got.in, STATUS_SUCCESS);
    assert_int_equal(got.in_length, 4);
    assert_int_equal(got.out, STATUS_SUCCESS);
    assert_int_equal(got.out_length, 8);
    assert_ptr_equal(got.in_buffer, got.out_buffer); /* the system buffer */
    assert_ptr_not_equal(got.out_buffer, out);
    assert_int_equal(got.in_min, STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(got.out_min, STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(got.in_mdl_status, STATUS_SUCCESS); /* one built over it */
    assert_memory_equal(out, "done", 4);
    fx_test_device_delete(device);
}

static void direct_ioctl_output_is_the_locked_caller_buffer(void **state)
{
    char in[2] = "x", out[16];
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(0);
    probe = get_buffers;
    ioh_ioctl(&io, device, IOCTL_OUT_DIRECT, in, sizeof(in), out, sizeof(out));
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(got.out, STATUS_SUCCESS);
    assert_ptr_equal(got.out_buffer, out); /* the MDL maps the caller's pages */
    assert_int_equal(got.out_length, 16);
    assert_int_equal(got.out_mdl_status, STATUS_SUCCESS);
    assert_int_equal(got.out_mdl_bytes, 16);
    assert_int_equal(got.in, STATUS_SUCCESS);
    assert_ptr_not_equal(got.in_buffer, in); /* the input is buffered */
    assert_memory_equal(out, "done", 4);
    fx_test_device_delete(device);
}

static void neither_ioctl_buffers_only_for_kernel_requesters(void **state)
{
    char in[4], out[4];
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(0);
    probe = get_buffers;
    ioh_ioctl(&io, device, IOCTL_NEITHER, in, sizeof(in), out, sizeof(out));
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_ptr_equal(got.in_buffer, in);
    assert_ptr_equal(got.out_buffer, out);
    assert_int_equal(got.out_mdl_status, STATUS_INVALID_DEVICE_REQUEST);
    ioh_ioctl_mode(&io, device, IOCTL_NEITHER, in, sizeof(in), out, sizeof(out), UserMode);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(got.in, STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(got.out, STATUS_INVALID_DEVICE_REQUEST);
    fx_test_device_delete(device);
}

static void reads_have_output_only_and_writes_input_only(void **state)
{
    char buffer[8] = "payload";
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(DO_BUFFERED_IO);
    probe = get_buffers;
    complete_info = 4;
    ioh_rw(&io, device, IRP_MJ_READ, buffer, sizeof(buffer));
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(got.in, STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(got.out, STATUS_SUCCESS);
    assert_ptr_not_equal(got.out_buffer, buffer); /* buffered: a system buffer, copied back */
    assert_memory_equal(buffer, "done", 4);
    complete_info = 0;
    ioh_rw(&io, device, IRP_MJ_WRITE, buffer, sizeof(buffer));
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(got.out, STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(got.in, STATUS_SUCCESS);
    assert_int_equal(got.in_length, 8);
    fx_test_device_delete(device);
}

static void direct_reads_map_the_caller_buffer(void **state)
{
    char buffer[32];
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(DO_DIRECT_IO);
    probe = get_buffers;
    ioh_rw(&io, device, IRP_MJ_READ, buffer, sizeof(buffer));
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_ptr_equal(got.out_buffer, buffer);
    assert_int_equal(got.out_mdl_status, STATUS_SUCCESS);
    assert_ptr_equal(got.out_mdl_va, buffer);
    fx_test_device_delete(device);
}

static void empty_buffers_are_too_small(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(0);
    probe = get_buffers;
    ioh_ioctl(&io, device, IOCTL_BUFFERED, NULL, 0, NULL, 0);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(got.in, STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(got.out, STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(got.in_mdl_status, STATUS_BUFFER_TOO_SMALL);
    fx_test_device_delete(device);
}

static WDFMEMORY memory_seen;

static void get_memory(WDFREQUEST request)
{
    size_t size;
    assert_int_equal(WdfRequestRetrieveOutputMemory(request, &memory_seen), STATUS_SUCCESS);
    WDFMEMORY again;
    assert_int_equal(WdfRequestRetrieveOutputMemory(request, &again), STATUS_SUCCESS);
    assert_ptr_equal(again, memory_seen);
    assert_int_equal(WdfMemoryCopyFromBuffer(memory_seen, 0, "memory", 6), STATUS_SUCCESS);
    assert_non_null(WdfMemoryGetBuffer(memory_seen, &size));
    assert_int_equal(size, 6);
}

static void request_memory_goes_with_the_request(void **state)
{
    char out[6];
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(0);
    probe = get_memory;
    complete_info = 6;
    ioh_ioctl(&io, device, IOCTL_BUFFERED, NULL, 0, out, sizeof(out));
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_memory_equal(out, "memory", 6);
    assert_null(WdfMemoryGetBuffer(memory_seen, NULL));
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
    fx_test_device_delete(device);
}

static void complete_twice(WDFREQUEST request)
{
    WdfRequestComplete(request, STATUS_SUCCESS);
}

static void completing_twice_is_reported(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(0);
    probe = complete_twice;
    complete_with = STATUS_UNSUCCESSFUL; /* the handler's second completion */
    ioh_ioctl(&io, device, IOCTL_BUFFERED, NULL, 0, NULL, 0);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(ioh_reports(), 1);
    fx_test_device_delete(device);
}

static void a_stale_request_handle_is_reported(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(0);
    complete_info = 0;
    ioh_ioctl(&io, device, IOCTL_BUFFERED, NULL, 0, NULL, 0);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    WdfRequestSetInformation(last, 5);
    assert_int_equal(WdfRequestGetInformation(last), 0);
    assert_null(WdfRequestWdmGetIrp(last));
    WdfRequestComplete(last, STATUS_SUCCESS);
    assert_int_equal(ioh_reports(), 4);
    fx_test_device_delete(device);
}

static void delete_instead_of_complete(WDFREQUEST request)
{
    WdfObjectDelete(request);
}

static void deleting_a_received_request_is_reported(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = device_with_queue(0);
    probe = delete_instead_of_complete;
    ioh_ioctl(&io, device, IOCTL_BUFFERED, NULL, 0, NULL, 0);
    /* Reported, and kept until the completion that follows. */
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(ioh_reports(), 1);
    fx_test_device_delete(device);
}

static void a_created_request_is_deleted_not_completed(void **state)
{
    WDFREQUEST request;

    (void)state;
    assert_int_equal(WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, NULL, &request), STATUS_SUCCESS);
    WdfRequestComplete(request, STATUS_SUCCESS);
    assert_int_equal(ioh_reports(), 1);
    assert_non_null(WdfRequestWdmGetIrp(request));
    WdfObjectDelete(request);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(parameters_come_from_the_stack_location, setup, teardown),
        cmocka_unit_test_setup_teardown(buffered_ioctl_shares_one_system_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(direct_ioctl_output_is_the_locked_caller_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(neither_ioctl_buffers_only_for_kernel_requesters, setup, teardown),
        cmocka_unit_test_setup_teardown(reads_have_output_only_and_writes_input_only, setup, teardown),
        cmocka_unit_test_setup_teardown(direct_reads_map_the_caller_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_buffers_are_too_small, setup, teardown),
        cmocka_unit_test_setup_teardown(request_memory_goes_with_the_request, setup, teardown),
        cmocka_unit_test_setup_teardown(completing_twice_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(a_stale_request_handle_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(deleting_a_received_request_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(a_created_request_is_deleted_not_completed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
