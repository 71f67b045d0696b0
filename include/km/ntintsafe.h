/*
 * ntintsafe.h: overflow-checked integer arithmetic and conversions for
 * drivers. Each returns STATUS_SUCCESS, or STATUS_INTEGER_OVERFLOW when the
 * result does not fit its type (the result is then the type's all-ones
 * _ERROR value and must not be used). Inline, as the WDK's are; the
 * compiler's overflow builtins do the checking.
 */
#ifndef KMHOST_NTINTSAFE_H
#define KMHOST_NTINTSAFE_H

#include <ntdef.h>
#include <ntstatus.h>

#define USHORT_ERROR    ((USHORT)0xffff)
#define ULONG_ERROR     ((ULONG)0xffffffffUL)
#define ULONGLONG_ERROR ((ULONGLONG)0xffffffffffffffffULL)
#define SIZET_ERROR     ((SIZE_T)~(SIZE_T)0)
#define ULONG_PTR_ERROR ((ULONG_PTR)~(ULONG_PTR)0)

/* Rtl<Name>Add/Sub/Mult for one unsigned type. */
#define KMH_INTSAFE_ARITH(Name, Type, Error)                                                  \
    static inline NTSTATUS Rtl##Name##Add(Type Augend, Type Addend, Type *Result)             \
    {                                                                                         \
        if (__builtin_add_overflow(Augend, Addend, Result))                                   \
            return *Result = Error, STATUS_INTEGER_OVERFLOW;                                  \
        return STATUS_SUCCESS;                                                                \
    }                                                                                         \
    static inline NTSTATUS Rtl##Name##Sub(Type Minuend, Type Subtrahend, Type *Result)        \
    {                                                                                         \
        if (__builtin_sub_overflow(Minuend, Subtrahend, Result))                              \
            return *Result = Error, STATUS_INTEGER_OVERFLOW;                                  \
        return STATUS_SUCCESS;                                                                \
    }                                                                                         \
    static inline NTSTATUS Rtl##Name##Mult(Type Multiplicand, Type Multiplier, Type *Result)  \
    {                                                                                         \
        if (__builtin_mul_overflow(Multiplicand, Multiplier, Result))                         \
            return *Result = Error, STATUS_INTEGER_OVERFLOW;                                  \
        return STATUS_SUCCESS;                                                                \
    }

KMH_INTSAFE_ARITH(UShort, USHORT, USHORT_ERROR)
KMH_INTSAFE_ARITH(ULong, ULONG, ULONG_ERROR)
KMH_INTSAFE_ARITH(ULongLong, ULONGLONG, ULONGLONG_ERROR)
KMH_INTSAFE_ARITH(SizeT, SIZE_T, SIZET_ERROR)
KMH_INTSAFE_ARITH(SIZET, SIZE_T, SIZET_ERROR)
KMH_INTSAFE_ARITH(ULongPtr, ULONG_PTR, ULONG_PTR_ERROR)
KMH_INTSAFE_ARITH(DWordPtr, ULONG_PTR, ULONG_PTR_ERROR)
#undef KMH_INTSAFE_ARITH

/* Rtl<From>To<To>: a narrowing conversion that fails when the value does not fit. */
#define KMH_INTSAFE_CONVERT(Name, From, To, Error)                                            \
    static inline NTSTATUS Rtl##Name(From Operand, To *Result)                                \
    {                                                                                         \
        if (__builtin_add_overflow(Operand, 0, Result))                                       \
            return *Result = Error, STATUS_INTEGER_OVERFLOW;                                  \
        return STATUS_SUCCESS;                                                                \
    }

KMH_INTSAFE_CONVERT(ULongToUShort, ULONG, USHORT, USHORT_ERROR)
KMH_INTSAFE_CONVERT(ULongLongToULong, ULONGLONG, ULONG, ULONG_ERROR)
KMH_INTSAFE_CONVERT(ULongLongToSizeT, ULONGLONG, SIZE_T, SIZET_ERROR)
KMH_INTSAFE_CONVERT(SizeTToULong, SIZE_T, ULONG, ULONG_ERROR)
KMH_INTSAFE_CONVERT(SIZETToULong, SIZE_T, ULONG, ULONG_ERROR)
KMH_INTSAFE_CONVERT(SizeTToUShort, SIZE_T, USHORT, USHORT_ERROR)
KMH_INTSAFE_CONVERT(ULongPtrToULong, ULONG_PTR, ULONG, ULONG_ERROR)
KMH_INTSAFE_CONVERT(LongToULong, LONG, ULONG, ULONG_ERROR)
KMH_INTSAFE_CONVERT(LongToUShort, LONG, USHORT, USHORT_ERROR)
KMH_INTSAFE_CONVERT(LongLongToULong, LONGLONG, ULONG, ULONG_ERROR)
#undef KMH_INTSAFE_CONVERT

#endif /* KMHOST_NTINTSAFE_H */
