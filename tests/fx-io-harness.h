/*
 * For the framework I/O tests (tests/test-fx-queue*.c, test-fx-request*.c,
 * test-fx-iotarget*.c) only: the test program is the KMDF driver
 * (test-fx-driver.h), its queues live on a control device, and IRPs are
 * built by hand and sent to that device as the I/O manager would, so each
 * test sees exactly what reaches the queue and what comes back.
 *
 * Header-only, with definitions: include it in one file per program.
 */
#ifndef KMHOST_FX_IO_HARNESS_H
#define KMHOST_FX_IO_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test-fx-driver.h"
#include "fx/fxio.h"
#include "verifier/verifier.h"

#define IOH_HELPER static __attribute__((unused))

/* An IRP in flight and how it ended. */
struct ioh_irp {
    KEVENT done;
    IO_STATUS_BLOCK iosb;
    PIRP irp;                        /* valid until done is set */
    NTSTATUS dispatched;             /* what IoCallDriver returned */
};

IOH_HELPER WDFDEVICE ioh_device(void)
{
    return fx_test_device_new(WdfExecutionLevelInheritFromParent, WdfSynchronizationScopeInheritFromParent);
}

IOH_HELPER PDEVICE_OBJECT ioh_wdm(WDFDEVICE device)
{
    return WdfDeviceWdmGetDeviceObject(device);
}

IOH_HELPER struct fx_device *ioh_fx(WDFDEVICE device)
{
    return (struct fx_device *)fx_handle_object(device, FX_TYPE_DEVICE, "test");
}

IOH_HELPER void ioh_call(struct ioh_irp *io, PDEVICE_OBJECT device)
{
    assert_non_null(io->irp);
    io->dispatched = IoCallDriver(device, io->irp);
}

/* An IOCTL from kernel mode (or user mode: mode) to the device. */
IOH_HELPER void ioh_ioctl_mode(struct ioh_irp *io, WDFDEVICE device, ULONG code, void *in, ULONG in_length, void *out,
                               ULONG out_length, KPROCESSOR_MODE mode)
{
    memset(io, 0, sizeof(*io));
    KeInitializeEvent(&io->done, NotificationEvent, FALSE);
    io->iosb.Status = STATUS_PENDING;
    io->irp = IoBuildDeviceIoControlRequest(code, ioh_wdm(device), in, in_length, out, out_length, FALSE, &io->done,
                                            &io->iosb);
    assert_non_null(io->irp);
    io->irp->RequestorMode = mode;
    ioh_call(io, ioh_wdm(device));
}

IOH_HELPER void ioh_ioctl(struct ioh_irp *io, WDFDEVICE device, ULONG code, void *in, ULONG in_length, void *out,
                          ULONG out_length)
{
    ioh_ioctl_mode(io, device, code, in, in_length, out, out_length, KernelMode);
}

/* A read or write of the device (buffered or direct as its flags say). */
IOH_HELPER void ioh_rw(struct ioh_irp *io, WDFDEVICE device, ULONG major, void *buffer, ULONG length)
{
    LARGE_INTEGER offset = { .QuadPart = 0 };
    memset(io, 0, sizeof(*io));
    KeInitializeEvent(&io->done, NotificationEvent, FALSE);
    io->iosb.Status = STATUS_PENDING;
    io->irp = IoBuildSynchronousFsdRequest(major, ioh_wdm(device), buffer, length, &offset, &io->done, &io->iosb);
    ioh_call(io, ioh_wdm(device));
}

static NTSTATUS ioh_owned_done(PDEVICE_OBJECT device, PIRP irp, PVOID context)
{
    struct ioh_irp *io = context;
    (void)device;
    io->iosb = irp->IoStatus;
    KeSetEvent(&io->done, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* A METHOD_BUFFERED IOCTL without buffers in an IRP the test owns: it
 * stays valid after completion (cancel races need that); ioh_free. */
IOH_HELPER void ioh_ioctl_owned(struct ioh_irp *io, WDFDEVICE device, ULONG code)
{
    PDEVICE_OBJECT wdm = ioh_wdm(device);
    memset(io, 0, sizeof(*io));
    KeInitializeEvent(&io->done, NotificationEvent, FALSE);
    io->iosb.Status = STATUS_PENDING;
    io->irp = IoAllocateIrp(wdm->StackSize, FALSE);
    assert_non_null(io->irp);
    io->irp->Tail.Overlay.Thread = PsGetCurrentThread();
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(io->irp);
    sp->MajorFunction = IRP_MJ_DEVICE_CONTROL;
    sp->Parameters.DeviceIoControl.IoControlCode = code;
    IoSetCompletionRoutine(io->irp, ioh_owned_done, io, TRUE, TRUE, TRUE);
    ioh_call(io, wdm);
}

IOH_HELPER void ioh_free(struct ioh_irp *io)
{
    IoFreeIrp(io->irp);
    io->irp = NULL;
}

IOH_HELPER bool ioh_is_done(struct ioh_irp *io)
{
    return KeReadStateEvent(&io->done) != 0;
}

/* Waits (up to 10 s) for the IRP; its final status. */
IOH_HELPER NTSTATUS ioh_wait(struct ioh_irp *io)
{
    LARGE_INTEGER timeout = { .QuadPart = -10000LL * 10000 };
    if (KeWaitForSingleObject(&io->done, Executive, KernelMode, FALSE, &timeout) != STATUS_SUCCESS)
        fail_msg("IRP %p never completed", (void *)io->irp);
    return io->iosb.Status;
}

IOH_HELPER WDFQUEUE ioh_queue(WDFDEVICE device, PWDF_IO_QUEUE_CONFIG config)
{
    WDFQUEUE queue;
    assert_int_equal(WdfIoQueueCreate(device, config, WDF_NO_OBJECT_ATTRIBUTES, &queue), STATUS_SUCCESS);
    return queue;
}

/* Reports the verifier made since the last look; resets the counts. */
IOH_HELPER unsigned long ioh_reports(void)
{
    unsigned long n = vf_report_total();
    vf_reset_counts();
    return n;
}

IOH_HELPER void ioh_sleep_ms(LONG ms)
{
    LARGE_INTEGER interval = { .QuadPart = -10000LL * ms };
    KeDelayExecutionThread(KernelMode, FALSE, &interval);
}

#endif /* KMHOST_FX_IO_HARNESS_H */
