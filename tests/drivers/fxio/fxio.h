/*
 * What the fxio test driver and tests/test-fx-queue-driver.c share: the
 * IOCTLs it answers and the record it keeps in its driver object extension
 * (IoGetDriverObjectExtension(driver, FXIO_ID)).
 */
#ifndef FXIO_H
#define FXIO_H

#define FXIO_ID ((PVOID)(ULONG_PTR)0x4f495846) /* "FXIO" */

/* Input copied to output. */
#define IOCTL_FXIO_ECHO CTL_CODE(FILE_DEVICE_UNKNOWN, 0xa00, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Passed to the default I/O target (the bus echoes it): with a completion
 * routine, synchronously, or sent and forgotten. */
#define IOCTL_FXIO_DOWN CTL_CODE(FILE_DEVICE_UNKNOWN, 0xa01, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_FXIO_DOWN_SYNC CTL_CODE(FILE_DEVICE_UNKNOWN, 0xa02, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_FXIO_DOWN_FORGET CTL_CODE(FILE_DEVICE_UNKNOWN, 0xa03, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Held by the driver until the test releases it (fxio_shared.release). */
#define IOCTL_FXIO_HOLD CTL_CODE(FILE_DEVICE_UNKNOWN, 0xa04, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* What the bus PDO answers below the driver. */
#define IOCTL_FXIO_BUS_ECHO CTL_CODE(FILE_DEVICE_UNKNOWN, 0xa10, METHOD_BUFFERED, FILE_ANY_ACCESS)

struct fxio_shared {
    LONG adds;
    LONG contexts_cleaned;               /* request context cleanups (one per completed request) */
    LONG routines;                       /* completion routines run */
    LONG stops, resumes;
    LONG held;
    WDFREQUEST hold;                     /* the held request */
    /* Completes the held request from the test's thread (driver code). */
    void (*release)(NTSTATUS status);
};

#endif /* FXIO_H */
