/*
 * wdfroletypes.h: wdf.h includes it, so drivers may too. In the WDK it
 * serves the static analysis tools; kmhost runs none, so it is empty.
 */
#ifndef _WDFROLETYPES_H_
#define _WDFROLETYPES_H_
#endif /* _WDFROLETYPES_H_ */
