/*
 * wdfpool.h: wdf.h includes it, so drivers may too. kmhost defines nothing
 * here: the pool vocabulary a KMDF driver uses (POOL_TYPE, NonPagedPoolNx,
 * pool tags) comes from wdm.h.
 */
#ifndef _WDFPOOL_H_
#define _WDFPOOL_H_
#endif /* _WDFPOOL_H_ */
