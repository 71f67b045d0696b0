/*
 * IRPs: allocation (with a per-thread cache on the request path), sending
 * down a stack, and completion up it with the WDK's rules for completion
 * routines, pending propagation and STATUS_MORE_PROCESSING_REQUIRED.
 *
 * Every IRP the I/O manager allocates has private state in front of it
 * (io_irp_private); an IRP a driver laid out itself with IoInitializeIrp
 * has none, which AllocationFlags records.
 */
#include "io/io.h"
#include "io/io_private.h"
#include "verifier/verifier.h"

#include <stdlib.h>

#define IRP_HAS_PRIVATE 0x80          /* AllocationFlags: io_irp_private precedes the IRP */
#define IRP_CACHE_STACK_SIZE 8
#define IRP_CACHE_INLINE_BUFFER 512
#define IRP_CACHE_DEPTH 16
#define NO_MORE_IRP_STACK_LOCATIONS 0x35

/* Caching hides use-after-free from AddressSanitizer; sanitized builds
 * always allocate fresh. */
#if defined(__SANITIZE_ADDRESS__)
#define IRP_CACHE_ENABLED 0
#else
#define IRP_CACHE_ENABLED 1
#endif

static __thread struct irp_cache {
    PIRP irps[IRP_CACHE_DEPTH];
    int count;
} irp_cache;
static pthread_key_t irp_cache_key;
static pthread_once_t irp_cache_once = PTHREAD_ONCE_INIT;

static size_t irp_alloc_size(CCHAR stack_size, size_t inline_buffer)
{
    return sizeof(struct io_irp_private) + IoSizeOfIrp(stack_size) + inline_buffer;
}

static void irp_cache_drain(void *unused)
{
    (void)unused;
    while (irp_cache.count)
        free(io_irp_private(irp_cache.irps[--irp_cache.count]));
}

static void irp_cache_key_create(void)
{
    pthread_key_create(&irp_cache_key, irp_cache_drain);
}

static PIRP irp_from_memory(struct io_irp_private *priv, CCHAR stack_size, size_t inline_buffer)
{
    PIRP irp = (PIRP)(priv + 1);
    priv->magic = IO_IRP_MAGIC;
    priv->alloc_size = (uint16_t)stack_size;
    priv->inline_size = (uint32_t)inline_buffer;
    priv->inline_buffer = inline_buffer ? (char *)irp + IoSizeOfIrp(stack_size) : NULL;
    return irp;
}

PIRP io_irp_alloc(CCHAR stack_size, enum io_irp_origin origin)
{
    struct io_irp_private *priv;
    PIRP irp;
    bool cached = IRP_CACHE_ENABLED && stack_size <= IRP_CACHE_STACK_SIZE;

    if (stack_size <= 0)
        return NULL;
    if (cached && irp_cache.count) {
        irp = irp_cache.irps[--irp_cache.count];
        priv = io_irp_private(irp);
        memset(priv, 0, sizeof(*priv));
        irp = irp_from_memory(priv, IRP_CACHE_STACK_SIZE, IRP_CACHE_INLINE_BUFFER);
    } else {
        CCHAR size = cached ? IRP_CACHE_STACK_SIZE : stack_size;
        size_t inline_buffer = cached ? IRP_CACHE_INLINE_BUFFER : 0;
        priv = aligned_alloc(16, (irp_alloc_size(size, inline_buffer) + 15) & ~(size_t)15);
        if (!priv)
            return NULL;
        memset(priv, 0, sizeof(*priv));
        irp = irp_from_memory(priv, size, inline_buffer);
    }
    priv->cached = cached;
    priv->origin = (uint8_t)origin;
    atomic_init(&priv->refs, 1);
    IoInitializeIrp(irp, IoSizeOfIrp(stack_size), stack_size);
    irp->AllocationFlags = IRP_HAS_PRIVATE | IRP_ALLOCATED_FIXED_SIZE;
    return irp;
}

static bool irp_has_private(PIRP irp)
{
    return (irp->AllocationFlags & IRP_HAS_PRIVATE) && io_irp_private(irp)->magic == IO_IRP_MAGIC;
}

void io_irp_free(PIRP irp)
{
    struct io_irp_private *priv = io_irp_private(irp);

    priv->magic = 0;
    irp->Type = 0;
    if (priv->cached && irp_cache.count < IRP_CACHE_DEPTH) {
        pthread_once(&irp_cache_once, irp_cache_key_create);
        if (!irp_cache.count)
            pthread_setspecific(irp_cache_key, &irp_cache);
        irp_cache.irps[irp_cache.count++] = irp;
        return;
    }
    free(priv);
}

void io_irp_unref(PIRP irp)
{
    if (atomic_fetch_sub(&io_irp_private(irp)->refs, 1) == 1)
        io_irp_free(irp);
}

KMH_EXPORT PIRP IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota)
{
    (void)ChargeQuota;
    return io_irp_alloc(StackSize, IO_IRP_DRIVER);
}

KMH_EXPORT PIRP IoAllocateIrpEx(PDEVICE_OBJECT DeviceObject, CCHAR StackSize, BOOLEAN ChargeQuota)
{
    (void)DeviceObject;
    return IoAllocateIrp(StackSize, ChargeQuota);
}

KMH_EXPORT void IoFreeIrp(PIRP Irp)
{
    if (!irp_has_private(Irp)) {
        vf_report(VF_IRP, "IoFreeIrp", __builtin_return_address(0),
                  "IRP %p was not allocated by IoAllocateIrp (or is freed already)", (void *)Irp);
        return;
    }
    if (Irp->CancelRoutine)
        vf_report(VF_IRP, "IoFreeIrp", __builtin_return_address(0), "IRP %p still has a cancel routine",
                  (void *)Irp);
    io_irp_free(Irp);
}

KMH_EXPORT void IoInitializeIrp(PIRP Irp, USHORT PacketSize, CCHAR StackSize)
{
    memset(Irp, 0, PacketSize);
    Irp->Type = IO_TYPE_IRP;
    Irp->Size = PacketSize;
    Irp->StackCount = StackSize;
    Irp->CurrentLocation = (CHAR)(StackSize + 1);
    InitializeListHead(&Irp->ThreadListEntry);
    Irp->Tail.Overlay.CurrentStackLocation = (PIO_STACK_LOCATION)(Irp + 1) + StackSize;
}

KMH_EXPORT void IoReuseIrp(PIRP Irp, NTSTATUS Iostatus)
{
    UCHAR allocation_flags = Irp->AllocationFlags;
    IoInitializeIrp(Irp, Irp->Size, Irp->StackCount);
    Irp->AllocationFlags = allocation_flags;
    Irp->IoStatus.Status = Iostatus;
    if (irp_has_private(Irp)) {
        struct io_irp_private *priv = io_irp_private(Irp);
        priv->completed = 0;
        priv->dispatch_pending = 0;
    }
}

KMH_EXPORT NTSTATUS IofCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp;
    KIRQL irql = KeGetCurrentIrql();
    NTSTATUS status;

    if (--Irp->CurrentLocation <= 0)
        KeBugCheckEx(NO_MORE_IRP_STACK_LOCATIONS, (ULONG_PTR)Irp, 0, 0, 0);
    sp = --Irp->Tail.Overlay.CurrentStackLocation;
    sp->DeviceObject = DeviceObject;
    status = DeviceObject->DriverObject->MajorFunction[sp->MajorFunction](DeviceObject, Irp);
    if (KeGetCurrentIrql() != irql)
        vf_report(VF_IRQL, "IoCallDriver", __builtin_return_address(0),
                  "dispatch routine for IRP_MJ 0x%x returned at IRQL %u, called at %u",
                  (unsigned)sp->MajorFunction, (unsigned)KeGetCurrentIrql(), (unsigned)irql);
    return status;
}

static bool completion_routine_wanted(const IO_STACK_LOCATION *sp, const IRP *irp)
{
    if (!sp->CompletionRoutine)
        return false;
    if (NT_SUCCESS(irp->IoStatus.Status))
        return (sp->Control & SL_INVOKE_ON_SUCCESS) != 0;
    if (irp->Cancel && (sp->Control & SL_INVOKE_ON_CANCEL))
        return true;
    return (sp->Control & SL_INVOKE_ON_ERROR) != 0;
}

/* The location just left is the lower driver's; nothing may rely on it. */
static void stack_location_clear(PIO_STACK_LOCATION sp)
{
    sp->MinorFunction = 0;
    sp->Flags = 0;
    sp->Control = 0;
    sp->CompletionRoutine = NULL;
    sp->Context = NULL;
}

static bool irp_completion_checks(PIRP irp, void *caller)
{
    if (irp->CurrentLocation > irp->StackCount + 1 || irp->Type != IO_TYPE_IRP) {
        vf_report(VF_IRP, "IoCompleteRequest", caller, "IRP %p completed twice (MULTIPLE_IRP_COMPLETE_REQUESTS)",
                  (void *)irp);
        return false;
    }
    if (irp->IoStatus.Status == STATUS_PENDING)
        vf_report(VF_IRP, "IoCompleteRequest", caller, "IRP %p completed with STATUS_PENDING", (void *)irp);
    /* Atomic: a racing IoCancelIrp exchanges it (then this report is right). */
    if (__atomic_load_n(&irp->CancelRoutine, __ATOMIC_ACQUIRE))
        vf_report(VF_IRP, "IoCompleteRequest", caller,
                  "IRP %p completed with its cancel routine still set (CANCEL_STATE_IN_COMPLETED_IRP)", (void *)irp);
    if (KeGetCurrentIrql() > DISPATCH_LEVEL)
        vf_report(VF_IRQL, "IoCompleteRequest", caller, "called at IRQL %u", (unsigned)KeGetCurrentIrql());
    return true;
}

/* Walks up the stack; returns false when a completion routine took the IRP
 * back with STATUS_MORE_PROCESSING_REQUIRED. */
static bool irp_run_completion_routines(PIRP irp)
{
    while (irp->CurrentLocation <= irp->StackCount) {
        PIO_STACK_LOCATION sp = irp->Tail.Overlay.CurrentStackLocation;
        irp->PendingReturned = (sp->Control & SL_PENDING_RETURNED) != 0;
        irp->CurrentLocation++;
        irp->Tail.Overlay.CurrentStackLocation++;
        if (completion_routine_wanted(sp, irp)) {
            PIO_COMPLETION_ROUTINE routine = sp->CompletionRoutine;
            PVOID context = sp->Context;
            PDEVICE_OBJECT device = irp->CurrentLocation <= irp->StackCount
                                        ? irp->Tail.Overlay.CurrentStackLocation->DeviceObject
                                        : NULL;
            stack_location_clear(sp);
            if (routine(device, irp, context) == STATUS_MORE_PROCESSING_REQUIRED)
                return false;
        } else {
            if (irp->PendingReturned && irp->CurrentLocation <= irp->StackCount)
                IoMarkIrpPending(irp);
            stack_location_clear(sp);
        }
    }
    return true;
}

KMH_EXPORT void IofCompleteRequest(PIRP Irp, CCHAR PriorityBoost)
{
    void *caller = __builtin_return_address(0);

    (void)PriorityBoost;
    if (!irp_completion_checks(Irp, caller))
        return;
    if (!irp_run_completion_routines(Irp))
        return;
    if (!irp_has_private(Irp) || io_irp_private(Irp)->origin == IO_IRP_DRIVER) {
        vf_report(VF_IRP, "IoCompleteRequest", caller,
                  "IRP %p allocated by a driver completed to the I/O manager: its completion routine must "
                  "return STATUS_MORE_PROCESSING_REQUIRED and free it", (void *)Irp);
        return;
    }
    io_irp_finish(Irp);
}

/* --- Cancel --------------------------------------------------------------- */
static KSPIN_LOCK io_cancel_lock;

KMH_EXPORT void IoAcquireCancelSpinLock(PKIRQL Irql)
{
    KeAcquireSpinLock(&io_cancel_lock, Irql);
}

KMH_EXPORT void IoReleaseCancelSpinLock(KIRQL Irql)
{
    KeReleaseSpinLock(&io_cancel_lock, Irql);
}

KMH_EXPORT BOOLEAN IoCancelIrp(PIRP Irp)
{
    KIRQL irql;
    PDRIVER_CANCEL routine;

    IoAcquireCancelSpinLock(&irql);
    /* Drivers poll Cancel without the lock (IoCsq, remove paths). */
    __atomic_store_n(&Irp->Cancel, TRUE, __ATOMIC_RELEASE);
    routine = IoSetCancelRoutine(Irp, NULL);
    if (!routine) {
        IoReleaseCancelSpinLock(irql);
        return FALSE;
    }
    if (Irp->CurrentLocation > Irp->StackCount) {
        IoReleaseCancelSpinLock(irql);
        vf_report(VF_IRP, "IoCancelIrp", __builtin_return_address(0),
                  "IRP %p has a cancel routine but is not owned by any driver", (void *)Irp);
        return FALSE;
    }
    /* The routine releases the cancel spin lock with Irp->CancelIrql. */
    Irp->CancelIrql = irql;
    routine(Irp->Tail.Overlay.CurrentStackLocation->DeviceObject, Irp);
    return TRUE;
}
