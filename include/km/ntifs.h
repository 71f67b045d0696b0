/* ntifs.h: kmhost has no file-system interfaces beyond ntddk.h yet. */
#ifndef _NTIFS_
#define _NTIFS_
#include <ntddk.h>
#endif
