/*
 * A program's METHOD_NEITHER buffers (src/fx/request_user.c): in
 * EvtIoInCallerContext the driver gets the raw pointers, probes and locks
 * them into memory objects (a bad pointer fails with
 * STATUS_ACCESS_VIOLATION), and queues the request with
 * WdfDeviceEnqueueRequest; outside caller context the raw pointers are
 * refused and the refusal reported.
 */
#include "fx-io-harness.h"

#define IOCTL_NEITHER CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_BUFFERED CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

static struct {
    NTSTATUS unsafe_in, unsafe_out, locked_in, locked_out, bad, enqueued, late;
    void *in;
    size_t in_length;
    WDFMEMORY in_memory, out_memory;
} seen;
static void *bad_pointer;

static int setup(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof(seen));
    vf_reset_counts();
    return fx_test_bind(L"fxuser");
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    return ioh_reports() ? -1 : 0;
}

static void in_caller_context(WDFDEVICE device, WDFREQUEST request)
{
    void *out;
    size_t out_length;
    WDFMEMORY bad;

    seen.unsafe_in = WdfRequestRetrieveUnsafeUserInputBuffer(request, 1, &seen.in, &seen.in_length);
    seen.unsafe_out = WdfRequestRetrieveUnsafeUserOutputBuffer(request, 1, &out, &out_length);
    if (NT_SUCCESS(seen.unsafe_in))
        seen.locked_in = WdfRequestProbeAndLockUserBufferForRead(request, seen.in, seen.in_length, &seen.in_memory);
    if (NT_SUCCESS(seen.unsafe_out))
        seen.locked_out = WdfRequestProbeAndLockUserBufferForWrite(request, out, out_length, &seen.out_memory);
    seen.bad = WdfRequestProbeAndLockUserBufferForRead(request, bad_pointer, 16, &bad);
    seen.enqueued = WdfDeviceEnqueueRequest(device, request);
    if (!NT_SUCCESS(seen.enqueued))
        WdfRequestComplete(request, seen.enqueued);
}

static void on_ioctl(WDFQUEUE queue, WDFREQUEST request, size_t out_length, size_t in_length, ULONG code)
{
    void *buffer;
    char in[8];

    (void)queue, (void)out_length, (void)in_length, (void)code;
    seen.late = WdfRequestRetrieveUnsafeUserInputBuffer(request, 0, &buffer, NULL);
    if (seen.out_memory && NT_SUCCESS(WdfMemoryCopyToBuffer(seen.in_memory, 0, in, sizeof(in))))
        WdfMemoryCopyFromBuffer(seen.out_memory, 0, in, sizeof(in));
    WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, sizeof(in));
}

static WDFDEVICE caller_context_device(void)
{
    WDF_IO_QUEUE_CONFIG config;
    WDFDEVICE device = ioh_device();

    ioh_fx(device)->in_caller_context = in_caller_context;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchParallel);
    config.EvtIoDeviceControl = on_ioctl;
    ioh_queue(device, &config);
    return device;
}

static void user_buffers_are_probed_and_locked_in_caller_context(void **state)
{
    char in[8] = "program", out[8] = { 0 };
    struct ioh_irp io;

    (void)state;
    bad_pointer = (void *)(ULONG_PTR)0x1000; /* no such page */
    WDFDEVICE device = caller_context_device();
    ioh_ioctl_mode(&io, device, IOCTL_NEITHER, in, sizeof(in), out, sizeof(out), UserMode);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(seen.unsafe_in, STATUS_SUCCESS);
    assert_ptr_equal(seen.in, in);
    assert_int_equal(seen.in_length, sizeof(in));
    assert_int_equal(seen.unsafe_out, STATUS_SUCCESS);
    assert_int_equal(seen.locked_in, STATUS_SUCCESS);
    assert_int_equal(seen.locked_out, STATUS_SUCCESS);
    assert_int_equal(seen.bad, STATUS_ACCESS_VIOLATION);
    assert_int_equal(seen.enqueued, STATUS_SUCCESS);
    assert_string_equal(out, "program"); /* written through the locked memory */
    /* In the queue, the raw pointers are no longer the driver's to take. */
    assert_int_equal(seen.late, STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(ioh_reports(), 1);
    fx_test_device_delete(device);
}

static void buffered_requests_have_no_unsafe_buffers(void **state)
{
    char in[4] = "abc";
    struct ioh_irp io;

    (void)state;
    bad_pointer = in; /* a good one this time */
    WDFDEVICE device = caller_context_device();
    ioh_ioctl_mode(&io, device, IOCTL_BUFFERED, in, sizeof(in), NULL, 0, UserMode);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(seen.unsafe_in, STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(seen.unsafe_out, STATUS_INVALID_DEVICE_REQUEST);
    /* Any user buffer can still be locked (an embedded pointer, say). */
    assert_int_equal(seen.bad, STATUS_SUCCESS);
    ioh_reports(); /* the late retrieval in the queue */
    fx_test_device_delete(device);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(user_buffers_are_probed_and_locked_in_caller_context, setup, teardown),
        cmocka_unit_test_setup_teardown(buffered_requests_have_no_unsafe_buffers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
