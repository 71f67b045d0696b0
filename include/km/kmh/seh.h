/*
 * Part of wdm.h: structured exception handling (__try/__except/__finally,
 * try/except for C) over setjmp/longjmp. ExRaiseStatus, ProbeForRead/Write
 * and faulting accesses to bad user buffers (SIGSEGV/SIGBUS while a __try
 * is active on the thread) land in the innermost handler, as on Windows.
 *
 * Limits, by construction: EXCEPTION_CONTINUE_EXECUTION cannot resume the
 * faulting instruction (kmhost reports it and stops); `break`, `continue`
 * (other than __leave) and `return` inside a __try body leave the construct
 * without running a __finally block. Locals changed inside the body and read
 * in the handler should be volatile, as C requires after longjmp.
 */
#ifndef _KMH_SEH_H
#define _KMH_SEH_H

#include <setjmp.h>

#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)
#define EXCEPTION_MAXIMUM_PARAMETERS 15
#define EXCEPTION_NONCONTINUABLE 0x1

typedef struct _EXCEPTION_RECORD {
    NTSTATUS ExceptionCode;
    ULONG ExceptionFlags;
    struct _EXCEPTION_RECORD *ExceptionRecord;
    PVOID ExceptionAddress;
    ULONG NumberParameters;
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;

typedef struct _CONTEXT *PCONTEXT;

typedef struct _EXCEPTION_POINTERS {
    PEXCEPTION_RECORD ExceptionRecord;
    PCONTEXT ContextRecord;
} EXCEPTION_POINTERS, *PEXCEPTION_POINTERS;

struct kmh_seh_frame {
    struct kmh_seh_frame *prev;
    jmp_buf jb;
    int pass;      /* 0: body, 1: after the body (runs __finally), 2: done */
    int pushed;
    int raised;    /* an exception reached this frame */
    int handled;   /* ... and its filter chose the handler */
    EXCEPTION_RECORD record;
    EXCEPTION_POINTERS pointers;
};

#define KMH_SEH_API __attribute__((visibility("default")))
KMH_SEH_API void kmh_seh_push(struct kmh_seh_frame *frame);
KMH_SEH_API void kmh_seh_step(struct kmh_seh_frame *frame);
KMH_SEH_API void kmh_seh_leave(struct kmh_seh_frame *frame);
KMH_SEH_API int kmh_seh_filter(struct kmh_seh_frame *frame, int disposition);
KMH_SEH_API DECLSPEC_NORETURN void kmh_seh_raise(NTSTATUS code, PVOID address);

#define __try \
    for (struct kmh_seh_frame _kmh_seh __attribute__((cleanup(kmh_seh_leave))) = { .pass = 0 }; \
         _kmh_seh.pass < 2; kmh_seh_step(&_kmh_seh)) \
        if (_kmh_seh.pass == 0 && (kmh_seh_push(&_kmh_seh), setjmp(_kmh_seh.jb) == 0))
#define __except(filter) \
        else if (_kmh_seh.raised && !_kmh_seh.handled && \
                 kmh_seh_filter(&_kmh_seh, (int)(filter)))
#define __finally else
#define __leave continue

#define GetExceptionCode() (_kmh_seh.record.ExceptionCode)
#define GetExceptionInformation() (&_kmh_seh.pointers)
#define _exception_code GetExceptionCode
#define _exception_info GetExceptionInformation
#define AbnormalTermination() (_kmh_seh.raised)
#define _abnormal_termination AbnormalTermination

/* The WDK spells them without underscores in C; kmhost's own sources
 * keep those words free. */
#if !defined(__cplusplus) && !defined(KMHOST_BUILDING)
#define try __try
#define except __except
#define finally __finally
#define leave __leave
#endif

#endif /* _KMH_SEH_H */
