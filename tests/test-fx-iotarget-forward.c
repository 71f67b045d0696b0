/*
 * Passing received requests down (src/fx/request_send.c): formatted with
 * the current type and a completion routine that completes them, without
 * a completion routine (the framework completes), synchronously with the
 * request's own memory, send-and-forget (the framework lets go at once),
 * and refused when the IRP has no stack location left for the target.
 */
#include "fx-io-harness.h"

enum how { WITH_ROUTINE, WITHOUT_ROUTINE, SYNCHRONOUSLY, AND_FORGET };

static enum how how;
static WDFIOTARGET target;
static WDFREQUEST last;
static LONG routines;
static BOOLEAN sent;

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    routines = 0;
    return fx_test_bind(L"fxforward") || ioh_lower_new() ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    ioh_lower_delete();
    return ioh_reports() ? -1 : 0;
}

static void on_done(WDFREQUEST request, WDFIOTARGET from, PWDF_REQUEST_COMPLETION_PARAMS params, WDFCONTEXT ctx)
{
    (void)from, (void)ctx;
    InterlockedIncrement(&routines);
    WdfRequestCompleteWithInformation(request, params->IoStatus.Status, params->IoStatus.Information);
}

static void send_synchronously(WDFREQUEST request)
{
    WDF_MEMORY_DESCRIPTOR in, out;
    WDFMEMORY in_memory, out_memory;
    ULONG_PTR bytes;

    assert_int_equal(WdfRequestRetrieveInputMemory(request, &in_memory), STATUS_SUCCESS);
    assert_int_equal(WdfRequestRetrieveOutputMemory(request, &out_memory), STATUS_SUCCESS);
    WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(&in, in_memory, NULL);
    WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(&out, out_memory, NULL);
    NTSTATUS status = WdfIoTargetSendIoctlSynchronously(target, request, IOCTL_IOH_ECHO, &in, &out, NULL, &bytes);
    WdfRequestCompleteWithInformation(request, status, bytes);
}

static void on_ioctl(WDFQUEUE queue, WDFREQUEST request, size_t out_length, size_t in_length, ULONG code)
{
    WDF_REQUEST_SEND_OPTIONS options;

    (void)queue, (void)out_length, (void)in_length, (void)code;
    last = request;
    switch (how) {
    case SYNCHRONOUSLY:
        send_synchronously(request);
        return;
    case AND_FORGET:
        WDF_REQUEST_SEND_OPTIONS_INIT(&options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
        sent = WdfRequestSend(request, target, &options);
        break;
    default:
        WdfRequestFormatRequestUsingCurrentType(request);
        if (how == WITH_ROUTINE)
            WdfRequestSetCompletionRoutine(request, on_done, NULL);
        sent = WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
        break;
    }
    if (!sent)
        WdfRequestComplete(request, WdfRequestGetStatus(request));
}

/* A device with a queue and a target below it; stack_size gives its IRPs
 * room for the target (2) or not (1). */
static WDFDEVICE forwarding_device(CCHAR stack_size)
{
    WDF_IO_TARGET_OPEN_PARAMS params;
    WDF_IO_QUEUE_CONFIG config;

    WDFDEVICE device = ioh_device();
    ioh_wdm(device)->StackSize = stack_size;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchParallel);
    config.EvtIoDeviceControl = on_ioctl;
    ioh_queue(device, &config);
    assert_int_equal(WdfIoTargetCreate(device, WDF_NO_OBJECT_ATTRIBUTES, &target), STATUS_SUCCESS);
    WDF_IO_TARGET_OPEN_PARAMS_INIT_EXISTING_DEVICE(&params, ioh_lower);
    assert_int_equal(WdfIoTargetOpen(target, &params), STATUS_SUCCESS);
    return device;
}

static void echo_through(WDFDEVICE device, NTSTATUS expected)
{
    char out[8] = { 0 };
    struct ioh_irp io;

    ioh_ioctl(&io, device, IOCTL_IOH_ECHO, "down", 5, out, sizeof(out));
    assert_int_equal(ioh_wait(&io), expected);
    if (expected == STATUS_SUCCESS) {
        assert_int_equal(io.iosb.Information, 5);
        assert_string_equal(out, "down");
    }
}

static void forwarded_with_a_completion_routine(void **state)
{
    (void)state;
    how = WITH_ROUTINE;
    WDFDEVICE device = forwarding_device(2);
    echo_through(device, STATUS_SUCCESS);
    assert_int_equal(routines, 1);
    assert_int_equal(ioh_lower_calls, 1);
    fx_test_device_delete(device);
}

static void forwarded_without_a_routine_the_framework_completes(void **state)
{
    (void)state;
    how = WITHOUT_ROUTINE;
    WDFDEVICE device = forwarding_device(2);
    echo_through(device, STATUS_SUCCESS);
    assert_int_equal(routines, 0);
    fx_test_device_delete(device);
}

static void forwarded_synchronously_with_the_request_memory(void **state)
{
    (void)state;
    how = SYNCHRONOUSLY;
    WDFDEVICE device = forwarding_device(2);
    echo_through(device, STATUS_SUCCESS);
    assert_int_equal(ioh_lower_calls, 1);
    fx_test_device_delete(device);
}

static void send_and_forget_lets_go_of_the_request(void **state)
{
    (void)state;
    how = AND_FORGET;
    WDFDEVICE device = forwarding_device(2);
    echo_through(device, STATUS_SUCCESS);
    assert_true(sent);
    /* The framework let go at the send: the handle is stale. */
    assert_null(WdfRequestWdmGetIrp(last));
    assert_int_equal(ioh_reports(), 1);
    assert_true(WDF_IO_QUEUE_IDLE(WdfIoQueueGetState(WdfDeviceGetDefaultQueue(device), NULL, NULL)));
    fx_test_device_delete(device);
}

static void no_stack_location_left_for_the_target(void **state)
{
    (void)state;
    how = WITH_ROUTINE;
    WDFDEVICE device = forwarding_device(1);
    echo_through(device, STATUS_REQUEST_NOT_ACCEPTED);
    assert_false(sent);
    assert_int_equal(ioh_lower_calls, 0);
    fx_test_device_delete(device);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(forwarded_with_a_completion_routine, setup, teardown),
        cmocka_unit_test_setup_teardown(forwarded_without_a_routine_the_framework_completes, setup, teardown),
        cmocka_unit_test_setup_teardown(forwarded_synchronously_with_the_request_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(send_and_forget_lets_go_of_the_request, setup, teardown),
        cmocka_unit_test_setup_teardown(no_stack_location_left_for_the_target, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
