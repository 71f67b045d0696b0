/*
 * The toaster device's interface, shared by the WDM driver, its KMDF port
 * and their test program: the device interface class, the IOCTLs (one per
 * transfer method, plus one that waits) and the structures they carry.
 * Both drivers implement exactly this, so one program can tell whether the
 * port behaves like the original.
 */
#ifndef TOASTER_PUBLIC_H
#define TOASTER_PUBLIC_H

/* {ede1a087-56f9-49d3-a364-234a702e10c9} */
DEFINE_GUID(GUID_DEVINTERFACE_KMH_TOASTER, 0xede1a087, 0x56f9, 0x49d3, 0xa3, 0x64, 0x23, 0x4a, 0x70, 0x2e,
            0x10, 0xc9);

#define TOASTER_DEVICE_TYPE 0x8A54

/* Buffered: out TOASTER_INFO. */
#define IOCTL_TOASTER_GET_INFO CTL_CODE(TOASTER_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS)
/* Buffered: in ULONG darkness 0..10 (STATUS_INVALID_PARAMETER above). */
#define IOCTL_TOASTER_SET_DARKNESS CTL_CODE(TOASTER_DEVICE_TYPE, 0x801, METHOD_BUFFERED, FILE_WRITE_ACCESS)
/* Direct out: fills the buffer with byte i = (i * 7 + darkness) & 0xff. */
#define IOCTL_TOASTER_FILL_PATTERN CTL_CODE(TOASTER_DEVICE_TYPE, 0x802, METHOD_OUT_DIRECT, FILE_READ_ACCESS)
/* Direct in: in ULONG seed; the device reads the output buffer and keeps
 * a checksum of it (TOASTER_INFO.LastChecksum); Information = bytes read. */
#define IOCTL_TOASTER_CHECKSUM CTL_CODE(TOASTER_DEVICE_TYPE, 0x803, METHOD_IN_DIRECT, FILE_WRITE_ACCESS)
/* Neither: copies the input to the output, reversed; the driver probes. */
#define IOCTL_TOASTER_REVERSE CTL_CODE(TOASTER_DEVICE_TYPE, 0x804, METHOD_NEITHER, FILE_ANY_ACCESS)
/* Buffered: pends until the next toast is made (a write); out ULONG its
 * number. Cancelable. */
#define IOCTL_TOASTER_WAIT_TOAST CTL_CODE(TOASTER_DEVICE_TYPE, 0x805, METHOD_BUFFERED, FILE_READ_ACCESS)

#define TOASTER_MAX_DARKNESS 10
#define TOASTER_BUFFER_SIZE 4096

typedef struct _TOASTER_INFO {
    ULONG Version;          /* 0x00010000 */
    ULONG Darkness;
    ULONG ToastsMade;       /* writes so far */
    ULONG LastChecksum;
    ULONG BytesQueued;      /* written and not yet read */
    ULONG OpenCount;
} TOASTER_INFO, *PTOASTER_INFO;

#define TOASTER_VERSION 0x00010000

/* The checksum IOCTL_TOASTER_CHECKSUM keeps: FNV-1a from the seed. */
#define TOASTER_CHECKSUM_STEP(sum, byte) (((sum) ^ (byte)) * 16777619u)

#endif /* TOASTER_PUBLIC_H */
