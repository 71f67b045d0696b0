/*
 * wdfhwaccess.h: wdf.h includes it, so drivers may too. Its register and
 * port accessors are for UMDF drivers; a KMDF driver uses the
 * READ_REGISTER_* / WRITE_REGISTER_* routines from wdm.h, so kmhost's
 * KMDF headers leave it empty.
 */
#ifndef _WDFHWACCESS_H_
#define _WDFHWACCESS_H_
#endif /* _WDFHWACCESS_H_ */
