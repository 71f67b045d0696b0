/*
 * WDFQUEUE states (src/fx/queue_ops.c, queue_power.c): stop and start,
 * drain, purge and stop-and-purge with requests queued and held by the
 * driver, the bits WdfIoQueueGetState reports, and power management —
 * a power-managed queue holds requests until D0, power-down asks EvtIoStop
 * about held requests, power-up resumes them, and removal purges.
 */
#include "fx-io-harness.h"

#define IOCTL_HOLD CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_HOLD_CANCELABLE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

static struct {
    WDFREQUEST held[16];
    LONG held_count, presented, idle, cancels, stops, resumes;
    ULONG stop_flags;
    enum { STOP_REQUEUE, STOP_KEEP, STOP_COMPLETE } stop_answer;
} seen;

static int setup(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof(seen));
    vf_reset_counts();
    return fx_test_bind(L"fxqstate");
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    return ioh_reports() ? -1 : 0;
}

static void on_cancel(WDFREQUEST request)
{
    InterlockedIncrement(&seen.cancels);
    WdfRequestComplete(request, STATUS_CANCELLED);
}

static void on_ioctl(WDFQUEUE queue, WDFREQUEST request, size_t out_length, size_t in_length, ULONG code)
{
    (void)queue, (void)out_length, (void)in_length;
    InterlockedIncrement(&seen.presented);
    seen.held[InterlockedIncrement(&seen.held_count) - 1] = request;
    if (code == IOCTL_HOLD_CANCELABLE)
        assert_int_equal(WdfRequestMarkCancelableEx(request, on_cancel), STATUS_SUCCESS);
}

static void on_idle(WDFQUEUE queue, WDFCONTEXT context)
{
    (void)queue;
    assert_ptr_equal(context, &seen);
    InterlockedIncrement(&seen.idle);
}

static WDFQUEUE queue_of(WDFDEVICE device, WDF_IO_QUEUE_DISPATCH_TYPE type)
{
    WDF_IO_QUEUE_CONFIG config;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, type);
    config.EvtIoDeviceControl = on_ioctl;
    return ioh_queue(device, &config);
}

static void stop_holds_requests_and_start_presents_them(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFQUEUE queue = queue_of(device, WdfIoQueueDispatchParallel);
    WdfIoQueueStop(queue, on_idle, &seen);
    assert_int_equal(seen.idle, 1); /* nothing held: stopped at once */
    ioh_ioctl(&io, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_int_equal(seen.presented, 0);
    ULONG queued, owned;
    WDF_IO_QUEUE_STATE st = WdfIoQueueGetState(queue, &queued, &owned);
    assert_true(WDF_IO_QUEUE_STOPPED(st));
    assert_int_equal(queued, 1);
    WdfIoQueueStart(queue);
    assert_int_equal(seen.presented, 1);
    st = WdfIoQueueGetState(queue, &queued, &owned);
    assert_true(WDF_IO_QUEUE_READY(st));
    assert_int_equal(owned, 1);
    WdfRequestComplete(seen.held[0], STATUS_SUCCESS);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    assert_true(WDF_IO_QUEUE_IDLE(WdfIoQueueGetState(queue, NULL, NULL)));
    fx_test_device_delete(device);
}

static void stop_completes_when_the_driver_lets_go(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFQUEUE queue = queue_of(device, WdfIoQueueDispatchSequential);
    ioh_ioctl(&io, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    WdfIoQueueStop(queue, on_idle, &seen);
    assert_int_equal(seen.idle, 0);
    WdfRequestComplete(seen.held[0], STATUS_SUCCESS);
    assert_int_equal(seen.idle, 1);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    fx_test_device_delete(device);
}

static void drain_refuses_new_requests_and_finishes_the_rest(void **state)
{
    struct ioh_irp held, late;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFQUEUE queue = queue_of(device, WdfIoQueueDispatchParallel);
    ioh_ioctl(&held, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    WdfIoQueueDrain(queue, on_idle, &seen);
    ioh_ioctl(&late, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_int_equal(ioh_wait(&late), STATUS_INVALID_DEVICE_STATE);
    assert_int_equal(seen.idle, 0);
    WdfRequestComplete(seen.held[0], STATUS_SUCCESS);
    assert_int_equal(seen.idle, 1);
    assert_true(WDF_IO_QUEUE_DRAINED(WdfIoQueueGetState(queue, NULL, NULL)));
    assert_int_equal(ioh_wait(&held), STATUS_SUCCESS);
    fx_test_device_delete(device);
}

static void purge_cancels_queued_and_cancelable_requests(void **state)
{
    struct ioh_irp held, cancelable, queued[2], late;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFQUEUE queue = queue_of(device, WdfIoQueueDispatchParallel);
    ioh_ioctl(&held, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    ioh_ioctl(&cancelable, device, IOCTL_HOLD_CANCELABLE, NULL, 0, NULL, 0);
    WdfIoQueueStop(queue, NULL, NULL);
    for (int i = 0; i < 2; i++)
        ioh_ioctl(&queued[i], device, IOCTL_HOLD, NULL, 0, NULL, 0);
    WdfIoQueueStart(queue); /* presents both */
    WdfIoQueueStopAndPurge(queue, NULL, NULL);
    assert_int_equal(ioh_wait(&cancelable), STATUS_CANCELLED);
    assert_int_equal(seen.cancels, 1);
    WdfIoQueuePurge(queue, on_idle, &seen);
    ioh_ioctl(&late, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_int_equal(ioh_wait(&late), STATUS_INVALID_DEVICE_STATE);
    assert_int_equal(seen.idle, 0); /* the driver still holds three */
    WdfRequestComplete(seen.held[0], STATUS_SUCCESS);
    WdfRequestComplete(seen.held[2], STATUS_SUCCESS);
    WdfRequestComplete(seen.held[3], STATUS_SUCCESS);
    assert_int_equal(seen.idle, 1);
    assert_true(WDF_IO_QUEUE_PURGED(WdfIoQueueGetState(queue, NULL, NULL)));
    WdfIoQueueStart(queue);
    ioh_ioctl(&late, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_int_equal(seen.presented, 5);
    WdfRequestComplete(seen.held[4], STATUS_SUCCESS);
    assert_int_equal(ioh_wait(&late), STATUS_SUCCESS);
    fx_test_device_delete(device);
}

static void purge_cancels_what_waits_in_the_queue(void **state)
{
    struct ioh_irp io[3];

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFQUEUE queue = queue_of(device, WdfIoQueueDispatchManual);
    for (int i = 0; i < 3; i++)
        ioh_ioctl(&io[i], device, IOCTL_HOLD, NULL, 0, NULL, 0);
    WdfIoQueuePurgeSynchronously(queue);
    for (int i = 0; i < 3; i++)
        assert_int_equal(ioh_wait(&io[i]), STATUS_CANCELLED);
    ULONG queued = 9;
    WdfIoQueueGetState(queue, &queued, NULL);
    assert_int_equal(queued, 0);
    fx_test_device_delete(device);
}

/* --- Power -------------------------------------------------------------------------- */
static void on_stop(WDFQUEUE queue, WDFREQUEST request, ULONG flags)
{
    (void)queue;
    InterlockedIncrement(&seen.stops);
    seen.stop_flags = flags;
    if (seen.stop_answer == STOP_COMPLETE)
        WdfRequestComplete(request, STATUS_CANCELLED);
    else
        WdfRequestStopAcknowledge(request, seen.stop_answer == STOP_REQUEUE);
}

static void on_resume(WDFQUEUE queue, WDFREQUEST request)
{
    (void)queue;
    InterlockedIncrement(&seen.resumes);
    WdfRequestComplete(request, STATUS_SUCCESS);
}

/* A power-managed queue on the control device, whose power the test
 * plays: out of D0 at first. */
static WDFQUEUE power_queue(WDFDEVICE device)
{
    WDF_IO_QUEUE_CONFIG config;
    struct fx_device *fx = ioh_fx(device);

    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchSequential);
    config.EvtIoDeviceControl = on_ioctl;
    config.EvtIoStop = on_stop;
    config.EvtIoResume = on_resume;
    config.PowerManaged = WdfTrue;
    fx->kind = FX_DEVICE_FDO;
    fx->in_d0 = 0;
    WDFQUEUE queue = ioh_queue(device, &config);
    fx->kind = FX_DEVICE_CONTROL;
    return queue;
}

static void power_managed_queue_holds_requests_until_d0(void **state)
{
    struct ioh_irp io;
    WDFREQUEST request;

    (void)state;
    WDFDEVICE device = ioh_device();
    WDFQUEUE queue = power_queue(device);
    ioh_ioctl(&io, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    assert_int_equal(seen.presented, 0);
    assert_true(WdfIoQueueGetState(queue, NULL, NULL) & WdfIoQueuePnpHeld);
    assert_int_equal(WdfIoQueueRetrieveNextRequest(queue, &request), STATUS_WDF_PAUSED);
    fx_queues_power_up(ioh_fx(device));
    assert_int_equal(seen.presented, 1);
    WdfRequestComplete(seen.held[0], STATUS_SUCCESS);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    fx_test_device_delete(device);
}

static void power_down_requeues_and_power_up_redelivers(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    power_queue(device);
    fx_queues_power_up(ioh_fx(device));
    ioh_ioctl(&io, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    seen.stop_answer = STOP_REQUEUE;
    fx_queues_power_down(ioh_fx(device));
    assert_int_equal(seen.stops, 1);
    assert_int_equal(seen.stop_flags, WdfRequestStopActionSuspend);
    assert_false(ioh_is_done(&io));
    fx_queues_power_up(ioh_fx(device));
    assert_int_equal(seen.presented, 2); /* delivered again */
    WdfRequestComplete(seen.held[1], STATUS_SUCCESS);
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    fx_test_device_delete(device);
}

static void power_down_keeps_and_power_up_resumes(void **state)
{
    struct ioh_irp io;

    (void)state;
    WDFDEVICE device = ioh_device();
    power_queue(device);
    fx_queues_power_up(ioh_fx(device));
    ioh_ioctl(&io, device, IOCTL_HOLD_CANCELABLE, NULL, 0, NULL, 0);
    seen.stop_answer = STOP_KEEP;
    fx_queues_power_down(ioh_fx(device));
    assert_int_equal(seen.stop_flags, WdfRequestStopActionSuspend | WdfRequestStopRequestCancelable);
    assert_int_equal(WdfRequestUnmarkCancelable(seen.held[0]), STATUS_SUCCESS);
    fx_queues_power_up(ioh_fx(device));
    assert_int_equal(seen.resumes, 1); /* EvtIoResume completed it */
    assert_int_equal(ioh_wait(&io), STATUS_SUCCESS);
    fx_test_device_delete(device);
}

static void removal_purges_queued_and_stops_held_requests(void **state)
{
    struct ioh_irp held, queued;

    (void)state;
    WDFDEVICE device = ioh_device();
    power_queue(device);
    fx_queues_power_up(ioh_fx(device));
    ioh_ioctl(&held, device, IOCTL_HOLD, NULL, 0, NULL, 0);
    ioh_ioctl(&queued, device, IOCTL_HOLD, NULL, 0, NULL, 0); /* sequential: waits */
    seen.stop_answer = STOP_COMPLETE;
    fx_queues_purge_for_remove(ioh_fx(device));
    assert_int_equal(seen.stops, 1);
    assert_int_equal(seen.stop_flags, WdfRequestStopActionPurge);
    assert_int_equal(ioh_wait(&held), STATUS_CANCELLED);
    assert_int_equal(ioh_wait(&queued), STATUS_CANCELLED);
    fx_test_device_delete(device);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(stop_holds_requests_and_start_presents_them, setup, teardown),
        cmocka_unit_test_setup_teardown(stop_completes_when_the_driver_lets_go, setup, teardown),
        cmocka_unit_test_setup_teardown(drain_refuses_new_requests_and_finishes_the_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(purge_cancels_queued_and_cancelable_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(purge_cancels_what_waits_in_the_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(power_managed_queue_holds_requests_until_d0, setup, teardown),
        cmocka_unit_test_setup_teardown(power_down_requeues_and_power_up_redelivers, setup, teardown),
        cmocka_unit_test_setup_teardown(power_down_keeps_and_power_up_resumes, setup, teardown),
        cmocka_unit_test_setup_teardown(removal_purges_queued_and_stops_held_requests, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
