/*
 * The benchmark drivers' interface, shared by kmhbenchwdm.sys,
 * kmhbenchkmdf.sys and the kmhbench program. Devices are named, with
 * \DosDevices links, so the program opens \\.\KmhBenchWdm,
 * \\.\KmhBenchKmdfPar (default parallel queue) and \\.\KmhBenchKmdfSeq
 * (default sequential queue).
 */
#ifndef KMHBENCH_H
#define KMHBENCH_H

#define KMHBENCH_DEVICE_TYPE 0x8B42

/* Buffered: completes with Information = output length (the I/O manager
 * copies the input in and the system buffer out). */
#define IOCTL_KMHBENCH_BUFFERED CTL_CODE(KMHBENCH_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Direct out: copies the input (system buffer) into the output MDL. */
#define IOCTL_KMHBENCH_OUT_DIRECT CTL_CODE(KMHBENCH_DEVICE_TYPE, 0x801, METHOD_OUT_DIRECT, FILE_ANY_ACCESS)
/* KMDF only. In: struct kmhbench_loop; out: LONGLONG 100-ns ticks the loop took. */
#define IOCTL_KMHBENCH_LOOP CTL_CODE(KMHBENCH_DEVICE_TYPE, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* KMDF only. Pended until a timer (or work item) fires; out: LONGLONG
 * 100-ns ticks from WdfTimerStart (WdfWorkItemEnqueue) to its callback. */
#define IOCTL_KMHBENCH_TIMER CTL_CODE(KMHBENCH_DEVICE_TYPE, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KMHBENCH_WORKITEM CTL_CODE(KMHBENCH_DEVICE_TYPE, 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* KMDF only. Held in a manual queue until IOCTL_KMHBENCH_RELEASE. */
#define IOCTL_KMHBENCH_HOLD CTL_CODE(KMHBENCH_DEVICE_TYPE, 0x805, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KMHBENCH_RELEASE CTL_CODE(KMHBENCH_DEVICE_TYPE, 0x806, METHOD_BUFFERED, FILE_ANY_ACCESS)

enum kmhbench_loop_kind {
    KMHBENCH_LOOP_OBJECT,   /* WdfObjectCreate + WdfObjectDelete */
    KMHBENCH_LOOP_REQUEST,  /* WdfRequestCreate + WdfObjectDelete */
};

struct kmhbench_loop {
    unsigned kind;
    unsigned count;
};

#endif
