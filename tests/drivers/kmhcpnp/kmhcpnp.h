/*
 * The client tests' PnP driver (kmhcpnp.c): its interface class, setup
 * class and hardware ID, shared with tests/test-client-setupapi.c.
 */
#ifndef KMHCPNP_H
#define KMHCPNP_H

#include <guiddef.h>

#define KMHCPNP_HARDWARE_ID "ROOT\\KmhClientPnp"
#define KMHCPNP_INF "kmhcpnp.inf"
#define KMHCPNP_DESCRIPTION "kmhost client test device"
#define KMHCPNP_MFG "kmhost tests"

/* {6a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d}: the device interface class */
DEFINE_GUID(GUID_DEVINTERFACE_KMHCPNP, 0x6a1b2c3d, 0x4e5f, 0x4a6b, 0x9c, 0x7d, 0x8e, 0x9f, 0x0a, 0x1b, 0x2c, 0x3d);
/* {7b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d5e}: the device setup class (the INF's ClassGuid) */
DEFINE_GUID(GUID_DEVCLASS_KMHCPNP, 0x7b2c3d4e, 0x5f60, 0x4b7c, 0x8d, 0x9e, 0x0f, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e);

#endif /* KMHCPNP_H */
