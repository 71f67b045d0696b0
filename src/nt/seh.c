/*
 * Structured exception handling for drivers: the frame chain behind the
 * __try/__except/__finally macros in kmh/seh.h, ExRaiseStatus, and the
 * SIGSEGV/SIGBUS handler that turns a faulting access inside a __try into
 * STATUS_ACCESS_VIOLATION, as a bad user buffer does on Windows.
 *
 * Each thread has a chain of frames, innermost first. Raising pops frames
 * up to and including the innermost one and longjmps into it; its filter
 * decides whether its handler runs or the exception travels on.
 */
#include "nt/nt.h"
#include "verifier/verifier.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static __thread struct kmh_seh_frame *seh_top;
static pthread_once_t seh_signals_once = PTHREAD_ONCE_INIT;
static struct sigaction seh_previous_segv, seh_previous_bus;

static void seh_install_signal_handlers(void);

KMH_EXPORT void kmh_seh_push(struct kmh_seh_frame *frame)
{
    pthread_once(&seh_signals_once, seh_install_signal_handlers);
    frame->prev = seh_top;
    frame->pushed = 1;
    seh_top = frame;
}

static void seh_pop(struct kmh_seh_frame *frame)
{
    if (!frame->pushed)
        return;
    /* Frames leave in order; an inner frame left without cleanup (a
     * longjmp past it) is dropped with its outer one. */
    seh_top = frame->prev;
    frame->pushed = 0;
}

KMH_EXPORT void kmh_seh_step(struct kmh_seh_frame *frame)
{
    if (frame->pass == 0 && !frame->raised) {
        seh_pop(frame);
        frame->pass = 1;
    } else {
        frame->pass = 2;
    }
}

/* Leaving the construct's scope by any path. An exception whose filter
 * declined it, or that ran a __finally, travels on to the next frame. */
KMH_EXPORT void kmh_seh_leave(struct kmh_seh_frame *frame)
{
    if (frame->pushed)
        seh_pop(frame);
    if (frame->raised && !frame->handled && frame->pass == 2)
        kmh_seh_raise(frame->record.ExceptionCode, frame->record.ExceptionAddress);
}

KMH_EXPORT int kmh_seh_filter(struct kmh_seh_frame *frame, int disposition)
{
    if (disposition == EXCEPTION_EXECUTE_HANDLER) {
        frame->handled = 1;
        return 1;
    }
    if (disposition == EXCEPTION_CONTINUE_EXECUTION)
        vf_report(VF_BUGCHECK, "__except", __builtin_return_address(0),
                  "EXCEPTION_CONTINUE_EXECUTION cannot resume here; the exception continues the search");
    return 0;
}

KMH_EXPORT void kmh_seh_raise(NTSTATUS code, PVOID address)
{
    struct kmh_seh_frame *frame = seh_top;

    if (!frame) {
        char where[256];
        vf_report(VF_BUGCHECK, "ExRaiseStatus", address,
                  "unhandled exception 0x%08x at %s (KMODE_EXCEPTION_NOT_HANDLED)", (unsigned)code,
                  vf_symbolize(address, where, sizeof(where)));
        abort();
    }
    seh_top = frame->prev;
    frame->pushed = 0;
    frame->raised = 1;
    memset(&frame->record, 0, sizeof(frame->record));
    frame->record.ExceptionCode = code;
    frame->record.ExceptionAddress = address;
    frame->pointers.ExceptionRecord = &frame->record;
    frame->pointers.ContextRecord = NULL;
    longjmp(frame->jb, 1);
}

KMH_EXPORT void ExRaiseStatus(NTSTATUS Status)
{
    kmh_seh_raise(Status, __builtin_return_address(0));
}

KMH_EXPORT void ExRaiseAccessViolation(void)
{
    kmh_seh_raise(STATUS_ACCESS_VIOLATION, __builtin_return_address(0));
}

KMH_EXPORT void ExRaiseDatatypeMisalignment(void)
{
    kmh_seh_raise(STATUS_DATATYPE_MISALIGNMENT, __builtin_return_address(0));
}

/* A fault with no __try active on the thread is a real crash: hand it to
 * whoever handled the signal before (the default action, or a sanitizer). */
static void seh_forward(int sig, siginfo_t *info, void *uctx)
{
    struct sigaction *previous = sig == SIGSEGV ? &seh_previous_segv : &seh_previous_bus;

    if (previous->sa_flags & SA_SIGINFO) {
        previous->sa_sigaction(sig, info, uctx);
        return;
    }
    if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
        previous->sa_handler(sig);
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void seh_on_fault(int sig, siginfo_t *info, void *uctx)
{
    if (!seh_top) {
        seh_forward(sig, info, uctx);
        return;
    }
    /* SA_NODEFER leaves the signal unblocked, so longjmp out is safe to
     * repeat; the faulting address is reported like Windows' parameter. */
    kmh_seh_raise(sig == SIGBUS ? STATUS_DATATYPE_MISALIGNMENT : STATUS_ACCESS_VIOLATION, info->si_addr);
}

static void seh_install_signal_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = seh_on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &seh_previous_segv);
    sigaction(SIGBUS, &sa, &seh_previous_bus);
}
