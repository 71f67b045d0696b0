/*
 * Cancellation of requests the driver owns (src/fx/request_cancel.c) and
 * of queued ones (queue_present.c): marking before and after the IRP is
 * cancelled, unmarking before and after the cancel routine claimed it,
 * and the races — a thread completing (unmark, then complete) or
 * retrieving from a queue while another cancels — run many times: each
 * IRP ends exactly once, with one of the two outcomes, and nothing leaks.
 * (Run under -DKMHOST_SANITIZE=thread too.)
 */
#include "fx-io-harness.h"

#include <pthread.h>

#define IOCTL_HOLD CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_HOLD_CANCELABLE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

#define RACE_ROUNDS 2000

static WDFREQUEST held;
static LONG cancels;
static bool complete_in_cancel = true;

static int setup(void **state)
{
    (void)state;
    held = NULL;
    cancels = 0;
    complete_in_cancel = true;
    vf_reset_counts();
    return fx_test_bind(L"fxcancel");
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    return ioh_reports() ? -1 : 0;
}

static void on_cancel(WDFREQUEST request)
{
    InterlockedIncrement(&cancels);
    if (complete_in_cancel)
        WdfRequestComplete(request, STATUS_CANCELLED);
}

static void on_ioctl(WDFQUEUE queue, WDFREQUEST request, size_t out_length, size_t in_length, ULONG code)
{
    (void)queue, (void)out_length, (void)in_length;
    if (code == IOCTL_HOLD_CANCELABLE)
        assert_int_equal(WdfRequestMarkCancelableEx(request, on_cancel), STATUS_SUCCESS);
    __atomic_store_n(&held, request, __ATOMIC_RELEASE);
}

static WDFQUEUE device_queue(WDFDEVICE device, WDF_IO_QUEUE_DISPATCH_TYPE type)
{
    WDF_IO_QUEUE_CONFIG config;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, type);
    config.EvtIoDeviceControl = on_ioctl;
    return ioh_queue(device, &config);
}

static void cancel_calls_evt_request_cancel(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    device_queue(device, WdfIoQueueDispatchParallel);
    ioh_ioctl_owned(&io, device, IOCTL_HOLD_CANCELABLE);
    assert_true(IoCancelIrp(io.irp));
    assert_int_equal(cancels, 1);
    assert_int_equal(ioh_wait(&io), STATUS_CANCELLED);
    ioh_free(&io);
    fx_test_device_delete(device);
}

static void marking_a_cancelled_request(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    device_queue(device, WdfIoQueueDispatchParallel);
    ioh_ioctl_owned(&io, device, IOCTL_HOLD);
    assert_false(IoCancelIrp(io.irp)); /* nobody to call yet */
    assert_true(WdfRequestIsCanceled(held));
    /* The Ex form says so and calls nothing: the driver completes. */
    assert_int_equal(WdfRequestMarkCancelableEx(held, on_cancel), STATUS_CANCELLED);
    assert_int_equal(cancels, 0);
    /* The plain form calls EvtRequestCancel at once. */
    WdfRequestMarkCancelable(held, on_cancel);
    assert_int_equal(cancels, 1);
    assert_int_equal(ioh_wait(&io), STATUS_CANCELLED);
    ioh_free(&io);
    fx_test_device_delete(device);
}

static void unmarking_before_and_after_the_cancel(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    device_queue(device, WdfIoQueueDispatchParallel);
    ioh_ioctl_owned(&io, device, IOCTL_HOLD_CANCELABLE);
    assert_int_equal(WdfRequestUnmarkCancelable(held), STATUS_SUCCESS);
    assert_int_equal(WdfRequestUnmarkCancelable(held), STATUS_INVALID_PARAMETER);
    assert_false(IoCancelIrp(io.irp));
    assert_int_equal(cancels, 0);
    /* Cancelled while marked, callback done but request kept: unmark says so. */
    complete_in_cancel = false;
    WdfRequestMarkCancelable(held, on_cancel);
    assert_int_equal(cancels, 1);
    assert_int_equal(WdfRequestUnmarkCancelable(held), STATUS_CANCELLED);
    WdfRequestComplete(held, STATUS_CANCELLED);
    assert_int_equal(ioh_wait(&io), STATUS_CANCELLED);
    ioh_free(&io);
    fx_test_device_delete(device);
}

static void completing_a_cancelable_request_is_reported(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    device_queue(device, WdfIoQueueDispatchParallel);
    ioh_ioctl_owned(&io, device, IOCTL_HOLD_CANCELABLE);
    WdfRequestComplete(held, STATUS_SUCCESS);
    assert_int_equal(ioh_reports(), 1);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_false(IoCancelIrp(io.irp)); /* the routine was taken back */
    assert_int_equal(cancels, 0);
    ioh_free(&io);
    fx_test_device_delete(device);
}

/* --- Races ------------------------------------------------------------------------------ */
static volatile int go;

static void *canceller(void *arg)
{
    PIRP irp = arg;
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        ;
    IoCancelIrp(irp);
    return NULL;
}

static pthread_t start_canceller(PIRP irp)
{
    pthread_t thread;
    __atomic_store_n(&go, 0, __ATOMIC_RELEASE);
    assert_int_equal(pthread_create(&thread, NULL, canceller, irp), 0);
    return thread;
}

/* The documented way to race EvtRequestCancel: the request is shared
 * under the driver's lock; unmarking happens under it, and the callback
 * takes it before completing, so neither side touches a request the other
 * completed. */
static KSPIN_LOCK race_lock;
static WDFREQUEST race_request;

static void on_cancel_locked(WDFREQUEST request)
{
    KIRQL irql;
    bool mine;

    KeAcquireSpinLock(&race_lock, &irql);
    mine = race_request == request;
    if (mine)
        race_request = NULL;
    KeReleaseSpinLock(&race_lock, irql);
    InterlockedIncrement(&cancels);
    if (mine)
        WdfRequestComplete(request, STATUS_CANCELLED);
}

static void on_ioctl_race(WDFQUEUE queue, WDFREQUEST request, size_t out_length, size_t in_length, ULONG code)
{
    KIRQL irql;

    (void)queue, (void)out_length, (void)in_length, (void)code;
    KeAcquireSpinLock(&race_lock, &irql);
    race_request = request;
    assert_int_equal(WdfRequestMarkCancelableEx(request, on_cancel_locked), STATUS_SUCCESS);
    KeReleaseSpinLock(&race_lock, irql);
}

/* Completes the request unless the cancel callback has (or will). */
static bool complete_unless_cancelled(void)
{
    WDFREQUEST request;
    KIRQL irql;

    KeAcquireSpinLock(&race_lock, &irql);
    request = race_request;
    if (request && WdfRequestUnmarkCancelable(request) == STATUS_CANCELLED)
        request = NULL; /* EvtRequestCancel will find it and complete it */
    else
        race_request = NULL;
    KeReleaseSpinLock(&race_lock, irql);
    if (request)
        WdfRequestComplete(request, STATUS_SUCCESS);
    return request != NULL;
}

static void cancel_races_unmark_and_complete(void **state)
{
    WDF_IO_QUEUE_CONFIG config;
    LONG completed = 0;
    struct ioh_irp io;

    (void)state;
    KeInitializeSpinLock(&race_lock);
    WDFDEVICE device = ioh_device();
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchParallel);
    config.EvtIoDeviceControl = on_ioctl_race;
    ioh_queue(device, &config);
    for (int i = 0; i < RACE_ROUNDS; i++) {
        LONG cancels_before = cancels;
        ioh_ioctl_owned(&io, device, IOCTL_HOLD_CANCELABLE);
        pthread_t thread = start_canceller(io.irp);
        __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
        bool unmarked = complete_unless_cancelled();
        completed += unmarked;
        pthread_join(thread, NULL);
        /* One outcome: unmarked and completed, or cancelled by the callback. */
        assert_int_equal(ioh_wait(&io), unmarked ? STATUS_SUCCESS : STATUS_CANCELLED);
        assert_int_equal(cancels, cancels_before + (unmarked ? 0 : 1));
        ioh_free(&io);
    }
    assert_int_equal(completed + cancels, RACE_ROUNDS);
    fx_test_device_delete(device);
}

static void cancel_races_retrieval_from_a_queue(void **state)
{
    LONG retrieved = 0, cancelled = 0;
    WDFREQUEST request;
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFQUEUE queue = device_queue(device, WdfIoQueueDispatchManual);
    for (int i = 0; i < RACE_ROUNDS; i++) {
        ioh_ioctl_owned(&io, device, IOCTL_HOLD);
        pthread_t thread = start_canceller(io.irp);
        __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
        if (WdfIoQueueRetrieveNextRequest(queue, &request) == STATUS_SUCCESS) {
            WdfRequestComplete(request, STATUS_SUCCESS);
            retrieved++;
        }
        pthread_join(thread, NULL);
        if (ioh_wait(&io) == STATUS_CANCELLED)
            cancelled++;
        ioh_free(&io);
    }
    assert_int_equal(retrieved + cancelled, RACE_ROUNDS);
    assert_true(WDF_IO_QUEUE_IDLE(WdfIoQueueGetState(queue, NULL, NULL)));
    fx_test_device_delete(device);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cancel_calls_evt_request_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(marking_a_cancelled_request, setup, teardown),
        cmocka_unit_test_setup_teardown(unmarking_before_and_after_the_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(completing_a_cancelable_request_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_races_unmark_and_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_races_retrieval_from_a_queue, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
