/*
 * wdfcore.h: small helpers every framework driver uses: timeouts in the
 * 100 ns units Windows counts in (negative means relative to now, positive
 * an absolute system time), size alignment and pointer offsets.
 */
#ifndef _WDFCORE_H_
#define _WDFCORE_H_

WDF_EXTERN_C_START

#define WDF_TIMEOUT_TO_SEC ((LONGLONG)1 * 10 * 1000 * 1000)
#define WDF_TIMEOUT_TO_MS ((LONGLONG)1 * 10 * 1000)
#define WDF_TIMEOUT_TO_US ((LONGLONG)1 * 10)

FORCEINLINE LONGLONG WDF_REL_TIMEOUT_IN_SEC(ULONGLONG Time)
{
    return Time * -1 * WDF_TIMEOUT_TO_SEC;
}

FORCEINLINE LONGLONG WDF_ABS_TIMEOUT_IN_SEC(ULONGLONG Time)
{
    return Time * 1 * WDF_TIMEOUT_TO_SEC;
}

FORCEINLINE LONGLONG WDF_REL_TIMEOUT_IN_MS(ULONGLONG Time)
{
    return Time * -1 * WDF_TIMEOUT_TO_MS;
}

FORCEINLINE LONGLONG WDF_ABS_TIMEOUT_IN_MS(ULONGLONG Time)
{
    return Time * 1 * WDF_TIMEOUT_TO_MS;
}

FORCEINLINE LONGLONG WDF_REL_TIMEOUT_IN_US(ULONGLONG Time)
{
    return Time * -1 * WDF_TIMEOUT_TO_US;
}

FORCEINLINE LONGLONG WDF_ABS_TIMEOUT_IN_US(ULONGLONG Time)
{
    return Time * 1 * WDF_TIMEOUT_TO_US;
}

/* AlignTo must be a power of two. */
FORCEINLINE size_t WDF_ALIGN_SIZE_DOWN(size_t Length, size_t AlignTo)
{
    return Length & ~(AlignTo - 1);
}

/* Does not detect overflow: callers check that the result is >= Length. */
FORCEINLINE size_t WDF_ALIGN_SIZE_UP(size_t Length, size_t AlignTo)
{
    return WDF_ALIGN_SIZE_DOWN(Length + AlignTo - 1, AlignTo);
}

#define WDF_PTR_ADD_OFFSET_TYPE(_ptr, _offset, _type) ((_type)(((PUCHAR)(_ptr)) + (_offset)))
#define WDF_PTR_ADD_OFFSET(_ptr, _offset) WDF_PTR_ADD_OFFSET_TYPE(_ptr, _offset, PVOID)
#define WDF_PTR_GET_OFFSET(_base, _addr) ((size_t)(((PUCHAR)(_addr)) - ((PUCHAR)(_base))))

WDF_EXTERN_C_END

#endif /* _WDFCORE_H_ */
