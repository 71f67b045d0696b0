/*
 * The porting check (kmh_compare, src/host/compare.c): one I/O script run
 * against two driver packages, each in a fresh root, and their transcripts
 * compared. It must see a difference when there is one, say where a side
 * failed before its script ran, and refuse a script it cannot parse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmhost.h"

#define TOASTER_GUID "{ede1a087-56f9-49d3-a364-234a702e10c9}"

static const struct kmh_compare_side wdm_toaster = { KMH_TEST_DRIVER_DIR "/toaster.inf", "ROOT\\KMHTOASTER" };
static const struct kmh_compare_side kmdf_toaster = { KMH_TEST_DRIVER_DIR "/toasterkmdf.inx",
                                                      "ROOT\\KMHTOASTERKMDF" };
static const struct kmh_compare_side other_driver = { KMH_TEST_DRIVER_DIR "/kmhcpnp.inf", "ROOT\\KmhClientPnp" };

struct outcome {
    int err;
    bool same;
    char *a, *b;
    char message[1024];
};

static struct outcome compare(const char *script, const struct kmh_compare_side *a,
                              const struct kmh_compare_side *b)
{
    struct outcome o = { 0 };
    o.err = kmh_compare(script, a, b, &o.same, &o.a, &o.b, o.message, sizeof(o.message));
    return o;
}

static void outcome_free(struct outcome *o)
{
    free(o->a);
    free(o->b);
}

static void assert_contains(const char *text, const char *part)
{
    if (!text || !strstr(text, part))
        fail_msg("\"%s\" not in:\n%s", part, text ? text : "(null)");
}

static void port_gives_the_same_transcript(void **state)
{
    (void)state;
    struct outcome o = compare("open " TOASTER_GUID "\n"
                               "ioctl h1 0x8a54a004 in u32:42\n"
                               "write h1 \"abc\"\n"
                               "read h1 8\n"
                               "close h1\n",
                               &wdm_toaster, &kmdf_toaster);
    if (o.err)
        fail_msg("%s", o.message);
    assert_true(o.same);
    assert_string_equal(o.a, o.b);
    assert_contains(o.a, "-> STATUS_INVALID_PARAMETER");
    assert_contains(o.a, "read h1 8 -> STATUS_SUCCESS info=3 data=616263");
    outcome_free(&o);
}

static void a_different_driver_is_told_apart(void **state)
{
    (void)state;
    struct outcome o = compare("open " TOASTER_GUID "\nioctl h1 0x8a546000 out 24\n", &wdm_toaster, &other_driver);
    assert_int_equal(o.err, 0);
    assert_false(o.same);
    assert_contains(o.a, "-> STATUS_SUCCESS");
    assert_contains(o.b, "STATUS_OBJECT_NAME_NOT_FOUND");
    outcome_free(&o);
}

static void a_script_error_names_the_line(void **state)
{
    (void)state;
    struct outcome o = compare("open " TOASTER_GUID "\nioctl h1 not-a-code\n", &wdm_toaster, &kmdf_toaster);
    assert_int_not_equal(o.err, 0);
    assert_contains(o.message, "line 2");
    outcome_free(&o);
}

static void a_side_that_cannot_install_says_so(void **state)
{
    (void)state;
    const struct kmh_compare_side missing = { KMH_TEST_DRIVER_DIR "/no-such-package.inf", "ROOT\\NOTHING" };
    struct outcome o = compare("open " TOASTER_GUID "\n", &wdm_toaster, &missing);
    assert_int_not_equal(o.err, 0);
    assert_null(o.b);
    assert_contains(o.message, "no-such-package.inf");
    outcome_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(port_gives_the_same_transcript),
        cmocka_unit_test(a_different_driver_is_told_apart),
        cmocka_unit_test(a_script_error_names_the_line),
        cmocka_unit_test(a_side_that_cannot_install_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
