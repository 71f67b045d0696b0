/*
 * Sized integer types with their Windows (LLP64) widths on an LP64 host:
 * LONG is 32-bit here as on Windows, and *_PTR types are pointer-sized.
 */
#ifndef _BASETSD_H_
#define _BASETSD_H_

#include <stdint.h>
#include <stddef.h>

typedef int8_t INT8, *PINT8;
typedef int16_t INT16, *PINT16;
typedef int32_t INT32, *PINT32;
typedef int64_t INT64, *PINT64;
typedef uint8_t UINT8, *PUINT8;
typedef uint16_t UINT16, *PUINT16;
typedef uint32_t UINT32, *PUINT32;
typedef uint64_t UINT64, *PUINT64;
typedef int32_t LONG32, *PLONG32;
typedef uint32_t ULONG32, *PULONG32, DWORD32, *PDWORD32;
typedef int64_t LONG64, *PLONG64;
typedef uint64_t ULONG64, *PULONG64, DWORD64, *PDWORD64;

typedef int64_t INT_PTR, *PINT_PTR;
typedef uint64_t UINT_PTR, *PUINT_PTR;
typedef int64_t LONG_PTR, *PLONG_PTR;
typedef uint64_t ULONG_PTR, *PULONG_PTR;
typedef int32_t HALF_PTR, *PHALF_PTR;
typedef uint32_t UHALF_PTR, *PUHALF_PTR;
typedef ULONG_PTR SIZE_T, *PSIZE_T;
typedef LONG_PTR SSIZE_T, *PSSIZE_T;
typedef ULONG_PTR DWORD_PTR, *PDWORD_PTR;
typedef ULONG_PTR KAFFINITY, *PKAFFINITY;

#define MAXINT_PTR  INT64_MAX
#define MININT_PTR  INT64_MIN
#define MAXUINT_PTR UINT64_MAX
#define MAXSIZE_T   ((SIZE_T)~((SIZE_T)0))
#define MAXSSIZE_T  ((SSIZE_T)(MAXSIZE_T >> 1))
#define MINSSIZE_T  ((SSIZE_T)~MAXSSIZE_T)
#define MAXUINT8  ((UINT8)~((UINT8)0))
#define MAXINT8   ((INT8)(MAXUINT8 >> 1))
#define MININT8   ((INT8)~MAXINT8)
#define MAXUINT16 ((UINT16)~((UINT16)0))
#define MAXINT16  ((INT16)(MAXUINT16 >> 1))
#define MININT16  ((INT16)~MAXINT16)
#define MAXUINT32 ((UINT32)~((UINT32)0))
#define MAXINT32  ((INT32)(MAXUINT32 >> 1))
#define MININT32  ((INT32)~MAXINT32)
#define MAXUINT64 ((UINT64)~((UINT64)0))
#define MAXINT64  ((INT64)(MAXUINT64 >> 1))
#define MININT64  ((INT64)~MAXINT64)
#define MAXULONG32 ((ULONG32)~((ULONG32)0))
#define MAXLONG32  ((LONG32)(MAXULONG32 >> 1))
#define MINLONG32  ((LONG32)~MAXLONG32)
#define MAXULONG64 ((ULONG64)~((ULONG64)0))
#define MAXLONG64  ((LONG64)(MAXULONG64 >> 1))
#define MINLONG64  ((LONG64)~MAXLONG64)
#define MAXULONG_PTR (~((ULONG_PTR)0))
#define MAXLONG_PTR  ((LONG_PTR)(MAXULONG_PTR >> 1))
#define MINLONG_PTR  ((LONG_PTR)~MAXLONG_PTR)

#define HandleToULong(h) ((ULONG)(ULONG_PTR)(h))
#define HandleToLong(h)  ((LONG)(LONG_PTR)(h))
#define ULongToHandle(ul) ((HANDLE)(ULONG_PTR)(ul))
#define LongToHandle(h)   ((HANDLE)(LONG_PTR)(h))
#define PtrToUlong(p)  ((ULONG)(ULONG_PTR)(p))
#define PtrToLong(p)   ((LONG)(LONG_PTR)(p))
#define PtrToUint(p)   ((UINT)(UINT_PTR)(p))
#define PtrToInt(p)    ((INT)(INT_PTR)(p))
#define PtrToUshort(p) ((unsigned short)(ULONG_PTR)(p))
#define PtrToShort(p)  ((short)(LONG_PTR)(p))
#define IntToPtr(i)    ((void *)(INT_PTR)((int)(i)))
#define UIntToPtr(ui)  ((void *)(UINT_PTR)((unsigned int)(ui)))
#define LongToPtr(l)   ((void *)(LONG_PTR)((long)(l)))
#define ULongToPtr(ul) ((void *)(ULONG_PTR)((unsigned long)(ul)))
#define Ptr32ToPtr(p)  ((void *)(ULONG_PTR)(p))

#endif /* _BASETSD_H_ */
