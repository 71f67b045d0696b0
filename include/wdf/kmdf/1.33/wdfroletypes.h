/*
 * wdfroletypes.h: wdf.h includes it, so drivers may too. In the WDK it
 * carries declarations for Static Driver Verifier's role types, which
 * compile to nothing; kmhost has no static verifier, so it is empty.
 */
#ifndef _WDFROLETYPES_H_
#define _WDFROLETYPES_H_
#endif /* _WDFROLETYPES_H_ */
