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
#include "pnp/pnp_private.h"
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

/* --- A WDM device below --------------------------------------------------------------
 * \Device\FxLower, a buffered-I/O device of a plain WDM driver the test
 * plays: IOCTL_IOH_ECHO (and its METHOD_OUT_DIRECT twin) copies input to
 * output, IOCTL_IOH_PEND holds the IRP (cancelable) in ioh_pended, reads
 * fill the buffer with 'r', writes take it; create, cleanup and close
 * succeed. It can look like a PnP device to target-device notifications. */
#define IOCTL_IOH_ECHO CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_IOH_ECHO_DIRECT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x901, METHOD_OUT_DIRECT, FILE_ANY_ACCESS)
#define IOCTL_IOH_PEND CTL_CODE(FILE_DEVICE_UNKNOWN, 0x902, METHOD_BUFFERED, FILE_ANY_ACCESS)

static struct io_driver *ioh_lower_driver;
static PDEVICE_OBJECT ioh_lower;
static PIRP ioh_pended;
static LONG ioh_lower_calls, ioh_lower_cancels;
static struct pnp_node ioh_lower_node;

static NTSTATUS ioh_lower_complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static void ioh_lower_cancel(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    IoReleaseCancelSpinLock(irp->CancelIrql);
    InterlockedIncrement(&ioh_lower_cancels);
    __atomic_store_n(&ioh_pended, NULL, __ATOMIC_RELEASE);
    ioh_lower_complete(irp, STATUS_CANCELLED, 0);
}

static NTSTATUS ioh_lower_pend(PIRP irp)
{
    IoMarkIrpPending(irp);
    __atomic_store_n(&ioh_pended, irp, __ATOMIC_RELEASE);
    IoSetCancelRoutine(irp, ioh_lower_cancel);
    if (__atomic_load_n(&irp->Cancel, __ATOMIC_ACQUIRE) && IoSetCancelRoutine(irp, NULL))
        ioh_lower_complete(irp, STATUS_CANCELLED, 0);
    return STATUS_PENDING;
}

static NTSTATUS ioh_lower_ioctl(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ULONG code = sp->Parameters.DeviceIoControl.IoControlCode;
    ULONG in = sp->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;

    (void)device;
    InterlockedIncrement(&ioh_lower_calls);
    if (code == IOCTL_IOH_PEND)
        return ioh_lower_pend(irp);
    void *dst = code == IOCTL_IOH_ECHO_DIRECT ? MmGetSystemAddressForMdlSafe(irp->MdlAddress, NormalPagePriority)
                                              : irp->AssociatedIrp.SystemBuffer;
    ULONG n = in < out ? in : out;
    if (n)
        memmove(dst, irp->AssociatedIrp.SystemBuffer, n);
    return ioh_lower_complete(irp, STATUS_SUCCESS, n);
}

static NTSTATUS ioh_lower_rw(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ULONG length = sp->Parameters.Read.Length;

    (void)device;
    InterlockedIncrement(&ioh_lower_calls);
    if (sp->MajorFunction == IRP_MJ_READ && length)
        memset(irp->AssociatedIrp.SystemBuffer, 'r', length);
    return ioh_lower_complete(irp, STATUS_SUCCESS, length);
}

static NTSTATUS ioh_lower_file(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    return ioh_lower_complete(irp, STATUS_SUCCESS, 0);
}

/* The one interface the lower device knows, for WdfIoTargetQueryForInterface. */
static const GUID ioh_interface_guid = { 0x6b1f2e4a, 0x1c2d, 0x4e5f, { 0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7 } };

static NTSTATUS ioh_lower_pnp(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    (void)device;
    if (sp->MinorFunction != IRP_MN_QUERY_INTERFACE ||
        !IsEqualGUID(sp->Parameters.QueryInterface.InterfaceType, &ioh_interface_guid))
        return ioh_lower_complete(irp, irp->IoStatus.Status, irp->IoStatus.Information);
    PINTERFACE answer = sp->Parameters.QueryInterface.Interface;
    answer->Size = sp->Parameters.QueryInterface.Size;
    answer->Version = sp->Parameters.QueryInterface.Version;
    answer->Context = ioh_lower;
    return ioh_lower_complete(irp, STATUS_SUCCESS, 0);
}

IOH_HELPER int ioh_lower_new(void)
{
    UNICODE_STRING name;
    PDRIVER_DISPATCH *major;

    ioh_pended = NULL;
    ioh_lower_calls = ioh_lower_cancels = 0;
    if (io_driver_new(L"fxlower", &ioh_lower_driver))
        return -1;
    major = ioh_lower_driver->object.MajorFunction;
    major[IRP_MJ_DEVICE_CONTROL] = major[IRP_MJ_INTERNAL_DEVICE_CONTROL] = ioh_lower_ioctl;
    major[IRP_MJ_READ] = major[IRP_MJ_WRITE] = ioh_lower_rw;
    major[IRP_MJ_CREATE] = major[IRP_MJ_CLEANUP] = major[IRP_MJ_CLOSE] = ioh_lower_file;
    major[IRP_MJ_PNP] = ioh_lower_pnp;
    RtlInitUnicodeString(&name, L"\\Device\\FxLower");
    if (!NT_SUCCESS(IoCreateDevice(&ioh_lower_driver->object, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &ioh_lower)))
        return -1;
    ioh_lower->Flags = (ioh_lower->Flags & ~DO_DEVICE_INITIALIZING) | DO_BUFFERED_IO;
    memset(&ioh_lower_node, 0, sizeof(ioh_lower_node));
    ioh_lower_node.pdo = ioh_lower;
    io_device_of(ioh_lower)->pnp_node = &ioh_lower_node;
    return 0;
}

IOH_HELPER void ioh_lower_delete(void)
{
    io_device_of(ioh_lower)->pnp_node = NULL;
    IoDeleteDevice(ioh_lower);
    io_driver_release(ioh_lower_driver);
}

#endif /* KMHOST_FX_IO_HARNESS_H */
