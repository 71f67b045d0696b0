/*
 * ntintsafe.h: the checked arithmetic drivers size their buffers with.
 * Every boundary: the last value that fits succeeds with the exact result,
 * the first that does not gives STATUS_INTEGER_OVERFLOW and the type's
 * _ERROR value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ntintsafe.h>

static void additions_stop_at_the_type_limit(void **state)
{
    (void)state;
    ULONG ul;
    SIZE_T size;
    USHORT us;
    assert_int_equal(RtlULongAdd(0xfffffffeUL, 1, &ul), STATUS_SUCCESS);
    assert_int_equal(ul, 0xffffffffUL);
    assert_int_equal(RtlULongAdd(0xffffffffUL, 1, &ul), STATUS_INTEGER_OVERFLOW);
    assert_int_equal(ul, ULONG_ERROR);
    assert_int_equal(RtlSizeTAdd(SIZE_MAX - 1, 1, &size), STATUS_SUCCESS);
    assert_int_equal(RtlSizeTAdd(SIZE_MAX, 1, &size), STATUS_INTEGER_OVERFLOW);
    assert_int_equal(RtlUShortAdd(0xfff0, 0x10, &us), STATUS_INTEGER_OVERFLOW);
}

static void subtraction_below_zero_overflows(void **state)
{
    (void)state;
    ULONG ul;
    assert_int_equal(RtlULongSub(5, 5, &ul), STATUS_SUCCESS);
    assert_int_equal(ul, 0);
    assert_int_equal(RtlULongSub(5, 6, &ul), STATUS_INTEGER_OVERFLOW);
}

static void multiplication_checks_the_product(void **state)
{
    (void)state;
    SIZE_T size;
    ULONG ul;
    assert_int_equal(RtlSizeTMult(4096, 16, &size), STATUS_SUCCESS);
    assert_int_equal(size, 65536);
    assert_int_equal(RtlSizeTMult(SIZE_MAX / 2 + 1, 2, &size), STATUS_INTEGER_OVERFLOW);
    assert_int_equal(size, SIZET_ERROR);
    assert_int_equal(RtlULongMult(0x10000, 0x10000, &ul), STATUS_INTEGER_OVERFLOW);
}

static void narrowing_conversions_refuse_what_does_not_fit(void **state)
{
    (void)state;
    ULONG ul;
    USHORT us;
    assert_int_equal(RtlSizeTToULong(0xffffffffULL, &ul), STATUS_SUCCESS);
    assert_int_equal(RtlSizeTToULong(0x100000000ULL, &ul), STATUS_INTEGER_OVERFLOW);
    assert_int_equal(RtlULongToUShort(0xffff, &us), STATUS_SUCCESS);
    assert_int_equal(RtlULongToUShort(0x10000, &us), STATUS_INTEGER_OVERFLOW);
    assert_int_equal(us, USHORT_ERROR);
    assert_int_equal(RtlLongToULong(-1, &ul), STATUS_INTEGER_OVERFLOW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(additions_stop_at_the_type_limit),
        cmocka_unit_test(subtraction_below_zero_overflows),
        cmocka_unit_test(multiplication_checks_the_product),
        cmocka_unit_test(narrowing_conversions_refuse_what_does_not_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
