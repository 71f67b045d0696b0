/*
 * Event objects. A notification event stays signalled and releases every
 * waiter; a synchronization event releases one waiter and resets itself.
 * Setting or resetting an event nobody waits on is one compare-and-swap.
 */
#include "nt/kernel.h"

/* Initializes an event of Type (NotificationEvent or SynchronizationEvent)
 * in State. Any IRQL. */
KMH_EXPORT void KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    UCHAR type = Type == SynchronizationEvent ? EventSynchronizationObject : EventNotificationObject;
    nt_dispatcher_init_header(&Event->Header, type, sizeof(*Event), State ? 1 : 0);
}

/* Signals the event, releasing what waiters its type allows; returns the
 * previous state. IRQL <= DISPATCH_LEVEL. Wait (keep the IRQL raised for a
 * following wait) needs nothing here: the IRQL is never raised. */
KMH_EXPORT LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    (void)Increment, (void)Wait;
    NT_CHECK_IRQL(DISPATCH_LEVEL, "KeSetEvent");
    return nt_dispatcher_set_state(&Event->Header, 1);
}

/* Resets the event; returns the previous state. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT LONG KeResetEvent(PRKEVENT Event)
{
    NT_CHECK_IRQL(DISPATCH_LEVEL, "KeResetEvent");
    return nt_dispatcher_set_state(&Event->Header, 0);
}

/* Resets the event. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT void KeClearEvent(PRKEVENT Event)
{
    NT_CHECK_IRQL(DISPATCH_LEVEL, "KeClearEvent");
    nt_dispatcher_set_state(&Event->Header, 0);
}

/* Returns the event's state (non-zero: signalled). Any IRQL. */
KMH_EXPORT LONG KeReadStateEvent(PRKEVENT Event)
{
    return nt_hdr_state(nt_hdr_load(&Event->Header));
}

/* Releases the event's current waiters as KeSetEvent would, then leaves it
 * reset; returns the previous state. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT LONG KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    DISPATCHER_HEADER *header = &Event->Header;

    (void)Increment, (void)Wait;
    NT_CHECK_IRQL(DISPATCH_LEVEL, "KePulseEvent");
    return nt_dispatcher_pulse(header);
}
