/*
 * I/O work items: a system work item that keeps its device object (and so
 * its driver) referenced while queued, so the driver cannot unload under
 * a pending routine — the reason IoQueueWorkItem exists.
 */
#include "io/io.h"
#include "verifier/verifier.h"

#include <stdlib.h>

struct _IO_WORKITEM {
    WORK_QUEUE_ITEM item;
    PVOID io_object;          /* a device or driver object */
    PIO_WORKITEM_ROUTINE routine;
    PIO_WORKITEM_ROUTINE_EX routine_ex;
    PVOID context;
    volatile LONG queued;
    BOOLEAN allocated;        /* IoAllocateWorkItem, not IoInitializeWorkItem */
};

static void workitem_run(PVOID parameter)
{
    PIO_WORKITEM work = parameter;
    PVOID object = work->io_object;

    InterlockedExchange(&work->queued, 0);
    if (work->routine_ex)
        work->routine_ex(object, work->context, work);
    else
        work->routine(object, work->context);
    /* The routine may have freed the work item; only the object is used. */
    ObfDereferenceObject(object);
}

KMH_EXPORT ULONG IoSizeofWorkItem(void)
{
    return sizeof(struct _IO_WORKITEM);
}

KMH_EXPORT void IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem)
{
    memset(IoWorkItem, 0, sizeof(*IoWorkItem));
    IoWorkItem->io_object = IoObject;
}

KMH_EXPORT void IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem)
{
    if (IoWorkItem->queued)
        vf_report(VF_OBJECT, "IoUninitializeWorkItem", __builtin_return_address(0),
                  "work item %p is still queued", (void *)IoWorkItem);
}

KMH_EXPORT PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject)
{
    PIO_WORKITEM work = malloc(sizeof(*work));
    if (!work)
        return NULL;
    IoInitializeWorkItem(DeviceObject, work);
    work->allocated = TRUE;
    return work;
}

KMH_EXPORT void IoFreeWorkItem(PIO_WORKITEM IoWorkItem)
{
    if (!IoWorkItem->allocated)
        vf_report(VF_OBJECT, "IoFreeWorkItem", __builtin_return_address(0),
                  "work item %p was not allocated by IoAllocateWorkItem", (void *)IoWorkItem);
    IoUninitializeWorkItem(IoWorkItem);
    free(IoWorkItem);
}

static BOOLEAN workitem_queue(PIO_WORKITEM work, PIO_WORKITEM_ROUTINE routine, PIO_WORKITEM_ROUTINE_EX routine_ex,
                              WORK_QUEUE_TYPE type, PVOID context, void *caller)
{
    if (InterlockedCompareExchange(&work->queued, 1, 0) != 0) {
        if (caller)
            vf_report(VF_OBJECT, "IoQueueWorkItem", caller,
                      "work item %p queued again before it ran", (void *)work);
        return FALSE;
    }
    work->routine = routine;
    work->routine_ex = routine_ex;
    work->context = context;
    ObfReferenceObject(work->io_object);
    ExInitializeWorkItem(&work->item, workitem_run, work);
    ExQueueWorkItem(&work->item, type);
    return TRUE;
}

KMH_EXPORT void IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
                                WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    workitem_queue(IoWorkItem, WorkerRoutine, NULL, QueueType, Context, __builtin_return_address(0));
}

KMH_EXPORT void IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
                                  WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    workitem_queue(IoWorkItem, NULL, WorkerRoutine, QueueType, Context, __builtin_return_address(0));
}

KMH_EXPORT BOOLEAN IoTryQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
                                      WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    return workitem_queue(IoWorkItem, NULL, WorkerRoutine, QueueType, Context, NULL);
}
