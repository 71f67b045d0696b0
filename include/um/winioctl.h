/*
 * <winioctl.h>: I/O control codes for programs — CTL_CODE, METHOD_*,
 * FILE_*_ACCESS and the FILE_DEVICE_* types, the same definitions the
 * drivers see (shared devioctl.h), so a driver's public header that
 * defines its IOCTLs compiles on both sides. The system's own storage and
 * file-system IOCTLs are not here: kmhost runs no storage stack.
 */
#ifndef _WINIOCTL_
#define _WINIOCTL_

#include <minwindef.h>
#include <devioctl.h>

#endif /* _WINIOCTL_ */
