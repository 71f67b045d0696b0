/*
 * WDFQUEUE dispatching (src/fx/queue*.c): what each dispatch type
 * presents and when, manual retrieval and ready notification, forwarding,
 * routing and the requests no queue takes, stop/start/drain/purge with
 * requests in flight, and the state the queue reports. The test is the
 * driver; IRPs are built by hand (fx-io-harness.h).
 */
#include "fx-io-harness.h"

#include <pthread.h>

#define IOCTL_HOLD CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_ECHO CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_FORWARD CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* What the driver side saw. */
static struct {
    WDFREQUEST held[64];
    LONG held_count;
    LONG presented;
    LONG in_flight, max_in_flight;
    LONG ready;
    LONG canceled_on_queue;
    LONG idle;
    WDFQUEUE forward_to;
} seen;

static int setup(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof(seen));
    vf_reset_counts();
    return fx_test_bind(L"fxqueue");
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    return ioh_reports() ? -1 : 0;
}

static void on_ioctl(WDFQUEUE queue, WDFREQUEST request, size_t out_length, size_t in_length, ULONG code)
{
    (void)queue, (void)out_length, (void)in_length;
    InterlockedIncrement(&seen.presented);
    LONG now = InterlockedIncrement(&seen.in_flight);
    if (now > seen.max_in_flight)
        seen.max_in_flight = now;
    if (code == IOCTL_FORWARD) {
        InterlockedDecrement(&seen.in_flight);
        assert_int_equal(WdfRequestForwardToIoQueue(request, seen.forward_to), STATUS_SUCCESS);
        return;
    }
    if (code == IOCTL_HOLD) {
        seen.held[InterlockedIncrement(&seen.held_count) - 1] = request;
        return;
    }
    InterlockedDecrement(&seen.in_flight);
    WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 7);
}

/* Completes the oldest held request. */
static void complete_held(int index, NTSTATUS status)
{
    InterlockedDecrement(&seen.in_flight);
    WdfRequestComplete(seen.held[index], status);
}

static WDFQUEUE default_queue(WDFDEVICE device, WDF_IO_QUEUE_DISPATCH_TYPE type, ULONG limit)
{
    WDF_IO_QUEUE_CONFIG config;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, type);
    config.EvtIoDeviceControl = on_ioctl;
    if (limit)
        config.Settings.Parallel.NumberOfPresentedRequests = limit;
    return ioh_queue(device, &config);
}

static void sequential_presents_one_at_a_time(void **state)
{
    struct ioh_irp io[3];

    (void)state;
    WDFDEVICE device = ioh_device();
    default_queue(device, WdfIoQueueDispatchSequential, 0);
    for (int i = 0; i < 3; i++) {
        ioh_ioctl(&io[i], device, IOCTL_HOLD, NULL, 0, NULL, 0);
        assert_int_equal(io[i].dispatched, STATUS_PENDING);
    }
    assert_int_equal(seen.presented, 1);
    for (int i = 0; i < 3; i++) {
        complete_held(i, STATUS_SUCCESS + i);
        assert_int_equal(ioh_wait(&io[i]), STATUS_SUCCESS + i);
        assert_int_equal(seen.presented, i < 2 ? i + 2 : 3);
    }
    assert_int_equal(seen.max_in_flight, 1);
    fx_test_device_delete(device);
}

static void parallel_presents_up_to_its_limit(void **state)
{
    struct ioh_irp io[5];

    (void)state;
    WDFDEVICE device = ioh_device();
    default_queue(device, WdfIoQueueDispatchParallel, 2);
    for (int i = 0; i < 5; i++)
        ioh_ioctl(&io[i], device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_int_equal(seen.presented, 2);
    complete_held(0, STATUS_SUCCESS);
    assert_int_equal(seen.presented, 3);
    for (int i = 1; i < 5; i++)
        complete_held(i, STATUS_SUCCESS);
    for (int i = 0; i < 5; i++)
        assert_int_equal(ioh_wait(&io[i]), STATUS_SUCCESS);
    assert_int_equal(seen.presented, 5);
    assert_int_equal(seen.max_in_flight, 2);
    fx_test_device_delete(device);
}

static void parallel_without_limit_presents_all(void **state)
{
    struct ioh_irp io[8];

    (void)state;
    WDFDEVICE device = ioh_device();
    default_queue(device, WdfIoQueueDispatchParallel, 0);
    for (int i = 0; i < 8; i++)
        ioh_ioctl(&io[i], device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_int_equal(seen.presented, 8);
    for (int i = 0; i < 8; i++) {
        complete_held(i, STATUS_SUCCESS);
        assert_int_equal(ioh_wait(&io[i]), STATUS_SUCCESS);
    }
    fx_test_device_delete(device);
}

static void completing_inside_the_handler_finishes_the_irp(void **state)
{
    struct ioh_irp io;
    char out[8];

    (void)state;
    WDFDEVICE device = ioh_device();
    default_queue(device, WdfIoQueueDispatchSequential, 0);
    for (int i = 0; i < 100; i++) {
        ioh_ioctl(&io, device, IOCTL_ECHO, NULL, 0, out, sizeof(out));
        assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
        assert_int_equal(io.iosb.Information, 7);
    }
    assert_int_equal(seen.presented, 100);
    fx_test_device_delete(device);
}

static void ready(WDFQUEUE queue, WDFCONTEXT context)
{
    (void)queue;
    assert_ptr_equal(context, &seen);
    InterlockedIncrement(&seen.ready);
}

static void manual_queue_waits_for_retrieval(void **state)
{
    WDF_IO_QUEUE_CONFIG config;
    struct ioh_irp io[2];
    WDFREQUEST request;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchManual);
    WDFQUEUE queue = ioh_queue(device, &config);
    assert_int_equal(WdfIoQueueReadyNotify(queue, ready, &seen), STATUS_SUCCESS);
    ioh_ioctl(&io[0], device, IOCTL_HOLD, NULL, 0, NULL, 0);
    ioh_ioctl(&io[1], device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_int_equal(seen.ready, 1); /* empty to non-empty, once */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(WdfIoQueueRetrieveNextRequest(queue, &request), STATUS_SUCCESS);
        assert_ptr_equal(WdfRequestWdmGetIrp(request), io[i].irp);
        WdfRequestComplete(request, STATUS_SUCCESS);
        assert_int_equal(ioh_wait(&io[i]), STATUS_SUCCESS);
    }
    assert_int_equal(WdfIoQueueRetrieveNextRequest(queue, &request), STATUS_NO_MORE_ENTRIES);
    assert_null(request);
    fx_test_device_delete(device);
}

static void parallel_queue_refuses_retrieval(void **state)
{
    WDFREQUEST request;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFQUEUE queue = default_queue(device, WdfIoQueueDispatchParallel, 0);
    assert_int_equal(WdfIoQueueRetrieveNextRequest(queue, &request), STATUS_INVALID_DEVICE_STATE);
    assert_int_equal(ioh_reports(), 1);
    fx_test_device_delete(device);
}

static void find_then_retrieve_a_found_request(void **state)
{
    WDF_IO_QUEUE_CONFIG config;
    WDF_REQUEST_PARAMETERS params;
    WDFREQUEST found, second, taken;
    struct ioh_irp io[2];

    (void)state;
    WDFDEVICE device = ioh_device();
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchManual);
    WDFQUEUE queue = ioh_queue(device, &config);
    ioh_ioctl(&io[0], device, IOCTL_HOLD, NULL, 0, NULL, 0);
    ioh_ioctl(&io[1], device, IOCTL_ECHO, NULL, 0, NULL, 0);
    WDF_REQUEST_PARAMETERS_INIT(&params);
    assert_int_equal(WdfIoQueueFindRequest(queue, NULL, NULL, &params, &found), STATUS_SUCCESS);
    assert_int_equal(params.Parameters.DeviceIoControl.IoControlCode, IOCTL_HOLD);
    assert_int_equal(WdfIoQueueFindRequest(queue, found, NULL, &params, &second), STATUS_SUCCESS);
    assert_int_equal(params.Parameters.DeviceIoControl.IoControlCode, IOCTL_ECHO);
    WdfObjectDereference(found);
    assert_int_equal(WdfIoQueueFindRequest(queue, second, NULL, NULL, &found), STATUS_NO_MORE_ENTRIES);
    assert_int_equal(WdfIoQueueRetrieveFoundRequest(queue, second, &taken), STATUS_SUCCESS);
    assert_ptr_equal(taken, second);
    WdfObjectDereference(second);
    WdfRequestComplete(taken, STATUS_SUCCESS);
    assert_int_equal(ioh_wait(&io[1]), STATUS_SUCCESS);
    assert_false(ioh_is_done(&io[0])); /* the first one is still queued */
    fx_test_device_delete(device);
    assert_int_equal(ioh_wait(&io[0]), STATUS_CANCELLED);
}

static void forwarding_moves_a_request_to_another_queue(void **state)
{
    WDF_IO_QUEUE_CONFIG config;
    WDFREQUEST request;
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    default_queue(device, WdfIoQueueDispatchSequential, 0);
    WDF_IO_QUEUE_CONFIG_INIT(&config, WdfIoQueueDispatchManual);
    seen.forward_to = ioh_queue(device, &config);
    ioh_ioctl(&io, device, IOCTL_FORWARD, NULL, 0, NULL, 0);
    assert_int_equal(seen.presented, 1);
    assert_int_equal(WdfIoQueueRetrieveNextRequest(seen.forward_to, &request), STATUS_SUCCESS);
    assert_ptr_equal(WdfRequestGetIoQueue(request), seen.forward_to);
    /* Forwarding freed the sequential queue's slot: the next is presented. */
    struct ioh_irp next;
    ioh_ioctl(&next, device, IOCTL_ECHO, NULL, 0, NULL, 0);
    assert_int_equal(ioh_wait(&next), STATUS_SUCCESS);
    WdfRequestComplete(request, STATUS_SUCCESS);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    fx_test_device_delete(device);
}

static void forwarding_to_the_same_queue_is_refused(void **state)
{
    WDF_IO_QUEUE_CONFIG config;
    WDFREQUEST request;
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchManual);
    WDFQUEUE queue = ioh_queue(device, &config);
    ioh_ioctl(&io, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_int_equal(WdfIoQueueRetrieveNextRequest(queue, &request), STATUS_SUCCESS);
    assert_int_equal(WdfRequestForwardToIoQueue(request, queue), STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(ioh_reports(), 1);
    /* WdfRequestRequeue is the way back into the same queue (at the head). */
    assert_int_equal(WdfRequestRequeue(request), STATUS_SUCCESS);
    assert_int_equal(WdfIoQueueRetrieveNextRequest(queue, &request), STATUS_SUCCESS);
    WdfRequestComplete(request, STATUS_SUCCESS);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    fx_test_device_delete(device);
}

static void canceled_on_queue(WDFQUEUE queue, WDFREQUEST request)
{
    (void)queue;
    InterlockedIncrement(&seen.canceled_on_queue);
    WdfRequestComplete(request, STATUS_CANCELLED);
}

static void cancel_in_a_queue_completes_or_asks_the_driver(void **state)
{
    WDF_IO_QUEUE_CONFIG config;
    struct ioh_irp fresh, forwarded;

    (void)state;
    WDFDEVICE device = ioh_device();
    default_queue(device, WdfIoQueueDispatchParallel, 0);
    WDF_IO_QUEUE_CONFIG_INIT(&config, WdfIoQueueDispatchManual);
    config.EvtIoCanceledOnQueue = canceled_on_queue;
    seen.forward_to = ioh_queue(device, &config);
    /* Delivered once, then forwarded: the driver hears of the cancel. */
    ioh_ioctl(&forwarded, device, IOCTL_FORWARD, NULL, 0, NULL, 0);
    assert_true(IoCancelIrp(forwarded.irp));
    assert_int_equal(ioh_wait(&forwarded), STATUS_CANCELLED);
    assert_int_equal(seen.canceled_on_queue, 1);
    /* Never delivered: the framework cancels it quietly. */
    WdfIoQueueStop(WdfDeviceGetDefaultQueue(device), NULL, NULL);
    ioh_ioctl(&fresh, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_true(IoCancelIrp(fresh.irp));
    assert_int_equal(ioh_wait(&fresh), STATUS_CANCELLED);
    assert_int_equal(seen.canceled_on_queue, 1);
    fx_test_device_delete(device);
}

static void a_request_no_queue_takes_fails(void **state)
{
    WDF_IO_QUEUE_CONFIG config;
    struct ioh_irp io;
    char buffer[8];

    (void)state;
    WDFDEVICE device = ioh_device();
    default_queue(device, WdfIoQueueDispatchParallel, 0); /* IOCTLs only */
    ioh_rw(&io, device, IRP_MJ_READ, buffer, sizeof(buffer));
    assert_int_equal(ioh_wait(&io), STATUS_INVALID_DEVICE_REQUEST);
    /* A read queue configured for reads takes them. */
    WDF_IO_QUEUE_CONFIG_INIT(&config, WdfIoQueueDispatchManual);
    WDFQUEUE reads = ioh_queue(device, &config);
    assert_int_equal(WdfDeviceConfigureRequestDispatching(device, reads, WdfRequestTypeRead), STATUS_SUCCESS);
    ioh_rw(&io, device, IRP_MJ_READ, buffer, sizeof(buffer));
    assert_false(ioh_is_done(&io));
    fx_test_device_delete(device);
    assert_int_equal(ioh_wait(&io), STATUS_CANCELLED);
}

static void zero_length_reads_complete_unless_allowed(void **state)
{
    WDF_IO_QUEUE_CONFIG config;
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchManual);
    WDFQUEUE queue = ioh_queue(device, &config);
    ioh_rw(&io, device, IRP_MJ_READ, NULL, 0);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    ULONG queued;
    WdfIoQueueGetState(queue, &queued, NULL);
    assert_int_equal(queued, 0);
    fx_test_device_delete(device);
}

/* --- Synchronization scope and execution level --------------------------------------- */
static LONG overlap, max_overlap;
static KIRQL handler_irql;

static void on_ioctl_slowly(WDFQUEUE queue, WDFREQUEST request, size_t out_length, size_t in_length, ULONG code)
{
    (void)queue, (void)out_length, (void)in_length, (void)code;
    LONG now = InterlockedIncrement(&overlap);
    if (now > max_overlap)
        max_overlap = now;
    handler_irql = KeGetCurrentIrql();
    if (handler_irql == PASSIVE_LEVEL)
        ioh_sleep_ms(2);
    InterlockedDecrement(&overlap);
    WdfRequestComplete(request, STATUS_SUCCESS);
}

static WDFDEVICE scoped_device(WDF_SYNCHRONIZATION_SCOPE scope, WDF_EXECUTION_LEVEL level)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_IO_QUEUE_CONFIG config;
    WDFQUEUE queue;

    WDFDEVICE device = ioh_device();
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchParallel);
    config.EvtIoDeviceControl = on_ioctl_slowly;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.SynchronizationScope = scope;
    attributes.ExecutionLevel = level;
    assert_int_equal(WdfIoQueueCreate(device, &config, &attributes, &queue), STATUS_SUCCESS);
    return device;
}

static void *send_four(void *device)
{
    struct ioh_irp io[4];
    for (int i = 0; i < 4; i++) {
        ioh_ioctl(&io[i], device, IOCTL_ECHO, NULL, 0, NULL, 0);
        assert_int_equal(ioh_wait(&io[i]), STATUS_SUCCESS);
    }
    return NULL;
}

static void queue_scope_serializes_a_parallel_queue(void **state)
{
    pthread_t threads[3];

    (void)state;
    overlap = max_overlap = 0;
    WDFDEVICE device = scoped_device(WdfSynchronizationScopeQueue, WdfExecutionLevelPassive);
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, send_four, device), 0);
    for (int i = 0; i < 3; i++)
        pthread_join(threads[i], NULL);
    assert_int_equal(max_overlap, 1);
    fx_test_device_delete(device);
}

static void a_passive_queue_presents_at_passive_level(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = scoped_device(WdfSynchronizationScopeNone, WdfExecutionLevelPassive);
    KIRQL irql = KeRaiseIrqlToDpcLevel();
    ioh_ioctl(&io, device, IOCTL_ECHO, NULL, 0, NULL, 0);
    KeLowerIrql(irql);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_int_equal(handler_irql, PASSIVE_LEVEL);
    fx_test_device_delete(device);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sequential_presents_one_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(parallel_presents_up_to_its_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(parallel_without_limit_presents_all, setup, teardown),
        cmocka_unit_test_setup_teardown(completing_inside_the_handler_finishes_the_irp, setup, teardown),
        cmocka_unit_test_setup_teardown(manual_queue_waits_for_retrieval, setup, teardown),
        cmocka_unit_test_setup_teardown(parallel_queue_refuses_retrieval, setup, teardown),
        cmocka_unit_test_setup_teardown(find_then_retrieve_a_found_request, setup, teardown),
        cmocka_unit_test_setup_teardown(forwarding_moves_a_request_to_another_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(forwarding_to_the_same_queue_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_in_a_queue_completes_or_asks_the_driver, setup, teardown),
        cmocka_unit_test_setup_teardown(a_request_no_queue_takes_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(zero_length_reads_complete_unless_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(queue_scope_serializes_a_parallel_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(a_passive_queue_presents_at_passive_level, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
