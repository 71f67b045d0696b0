/*
 * The kmhost bus example's public interface, shared by the bus driver
 * (kmhbus), the toys' function driver (kmhtoy) and the test program
 * (busenum): the device interface classes, the bus's IOCTLs and the toy's,
 * and the driver-defined interface the bus hands each toy's driver.
 *
 * The bus (ROOT\KMHBUS) has toys plugged into its ports: one built in,
 * which it reports from its start (static enumeration), and the ones a
 * program plugs in by serial number (dynamic enumeration). Every toy's
 * hardware ID is KMHBUS\KmhToy; its instance ID is its serial number.
 */
#ifndef KMHBUS_PUBLIC_H
#define KMHBUS_PUBLIC_H

/* {c6d3f2a0-4b1e-4f7a-a5c2-7e93b1d04e21}: the bus's device interface */
DEFINE_GUID(GUID_DEVINTERFACE_KMHBUS, 0xc6d3f2a0, 0x4b1e, 0x4f7a, 0xa5, 0xc2, 0x7e, 0x93, 0xb1, 0xd0, 0x4e, 0x21);
/* {c6d3f2a0-4b1e-4f7a-a5c2-7e93b1d04e22}: each toy's device interface */
DEFINE_GUID(GUID_DEVINTERFACE_KMHTOY, 0xc6d3f2a0, 0x4b1e, 0x4f7a, 0xa5, 0xc2, 0x7e, 0x93, 0xb1, 0xd0, 0x4e, 0x22);
/* {c6d3f2a0-4b1e-4f7a-a5c2-7e93b1d04e23}: the bus interface a toy's driver
 * asks its stack for (IRP_MN_QUERY_INTERFACE, version 1) */
DEFINE_GUID(GUID_KMHBUS_TOY_INTERFACE, 0xc6d3f2a0, 0x4b1e, 0x4f7a, 0xa5, 0xc2, 0x7e, 0x93, 0xb1, 0xd0, 0x4e, 0x23);

#define KMHBUS_DEVICE_TYPE 0x8B42
#define KMHBUS_PORTS 16               /* port 0 holds the built-in toy */
#define KMHBUS_BUILTIN_SERIAL 1

/* Buffered, in ULONG serial number: a toy is plugged into a free port.
 * STATUS_INVALID_PARAMETER for serial 0 or 1, STATUS_OBJECT_NAME_COLLISION
 * when that toy is already in, STATUS_INSUFFICIENT_RESOURCES when every
 * port is taken. */
#define IOCTL_KMHBUS_PLUG_IN CTL_CODE(KMHBUS_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_WRITE_ACCESS)
/* Buffered, in ULONG serial number: the toy is pulled out (surprise
 * removal). STATUS_NO_SUCH_DEVICE when it is not in. */
#define IOCTL_KMHBUS_UNPLUG CTL_CODE(KMHBUS_DEVICE_TYPE, 0x801, METHOD_BUFFERED, FILE_WRITE_ACCESS)
/* Buffered, in ULONG serial number: the toy's eject button (orderly
 * removal, then the bus ejects it). STATUS_NO_SUCH_DEVICE when it is not in. */
#define IOCTL_KMHBUS_EJECT CTL_CODE(KMHBUS_DEVICE_TYPE, 0x802, METHOD_BUFFERED, FILE_WRITE_ACCESS)

/* Buffered, out KMHTOY_HELLO: the toy says who it is. */
#define IOCTL_KMHTOY_HELLO CTL_CODE(KMHBUS_DEVICE_TYPE, 0x900, METHOD_BUFFERED, FILE_READ_ACCESS)

typedef struct _KMHTOY_HELLO {
    ULONG SerialNumber;
    ULONG Port;
    ULONG Hellos;                     /* this one included */
} KMHTOY_HELLO;

#ifdef _WDMDDK_
/* What the bus hands a toy's function driver: who the toy is, without an
 * IOCTL of its own. Context is the bus's; the driver calls
 * InterfaceDereference when it no longer needs it. */
typedef VOID KMHBUS_GET_TOY_INFO(PVOID Context, PULONG SerialNumber, PULONG Port);
typedef struct _KMHBUS_TOY_INTERFACE {
    INTERFACE Header;
    KMHBUS_GET_TOY_INFO *GetToyInfo;
} KMHBUS_TOY_INTERFACE;
#endif

#endif /* KMHBUS_PUBLIC_H */
