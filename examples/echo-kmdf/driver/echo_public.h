/*
 * What the echo driver and its programs share: the device interface. A
 * write stores the data; a read returns what the last write stored. Each
 * request is held for ECHO_HOLD_MS by a timer before it completes, and may
 * be cancelled meanwhile.
 */
#ifndef KMHOST_EXAMPLE_ECHO_PUBLIC_H
#define KMHOST_EXAMPLE_ECHO_PUBLIC_H

/* {4f0b1c62-8d3e-4a5b-9c7d-2e6f8a1b3c5d} */
DEFINE_GUID(GUID_DEVINTERFACE_KMH_ECHO, 0x4f0b1c62, 0x8d3e, 0x4a5b, 0x9c, 0x7d, 0x2e, 0x6f, 0x8a, 0x1b, 0x3c, 0x5d);

#define ECHO_HOLD_MS 20
#define ECHO_MAX_LENGTH 4096

#endif
